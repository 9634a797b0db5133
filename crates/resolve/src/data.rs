//! Records encoded for fast comparison: one column per schema field, values normalised once
//! and interned (integer ids, value frequencies for term-frequency adjustment, analysed names
//! kept per distinct value). Reads CSV from any `Read` and generic record sources; reports bad
//! rows and values (line, record, field, reason) and keeps everything else.
//!
//! Knows the schema's field kinds; knows nothing of models, blocking or clustering.

use linkwatch_model::PartialDate;
use linkwatch_names::AnalyzedName;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::compare::pack_date;
use crate::schema::{FieldKind, FieldSpec, Schema};
use crate::ResolveError;

/// A generic source of person records (a person file, a table in a store...). Field values are
/// given in schema field order, as written in the source (normalisation happens here).
pub trait RecordSource {
    fn record_count(&self) -> usize;
    fn record_id(&self, i: usize) -> &str;
    /// Raw value of schema field `field` of record `i`; `None` or empty when missing.
    fn value(&self, i: usize, field: usize) -> Option<&str>;
}

/// A problem with one input row or value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIssue {
    /// 1-based line in the input (0 when the source has no lines).
    pub line: u64,
    pub record: Option<String>,
    pub field: Option<String>,
    pub reason: String,
    /// The whole row was skipped (otherwise only the value was treated as missing).
    pub skipped: bool,
}

impl std::fmt::Display for RowIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(r) = &self.record {
            write!(f, ", record {r:?}")?;
        }
        if let Some(fl) = &self.field {
            write!(f, ", field {fl:?}")?;
        }
        write!(f, ": {}", self.reason)?;
        if self.skipped {
            f.write_str(" (row skipped)")
        } else {
            f.write_str(" (value treated as missing)")
        }
    }
}

/// Interned normalised values of one text column.
#[derive(Debug, Default, Clone)]
pub struct Dict {
    /// id → normalised value; id 0 is the missing value.
    pub values: Vec<Box<str>>,
    /// id → number of records holding the value.
    pub counts: Vec<u32>,
    /// id → analysed name, for name fields whose value is not a single ASCII token.
    pub analyzed: Vec<Option<Box<AnalyzedName>>>,
    /// id → a kind-specific comparison key, so hot comparisons are integer tests
    /// ([`aux_key`]): the hash of the whole value (names: swap checks), of the e-mail local
    /// part, of the postcode district; 0 when there is none. Equal keys are confirmed on the
    /// strings, so a hash collision never changes a level.
    pub aux: Vec<u64>,
    norm_map: FxHashMap<Box<str>, u32>,
    raw_map: FxHashMap<Box<str>, u32>,
    /// Records with a value.
    pub nonnull: u64,
}

impl Dict {
    fn new() -> Self {
        Dict {
            values: vec!["".into()],
            counts: vec![0],
            analyzed: vec![None],
            aux: vec![0],
            ..Default::default()
        }
    }

    pub fn value(&self, id: u32) -> &str {
        &self.values[id as usize]
    }

    fn reserve(&mut self, additional: usize) {
        self.values.reserve(additional);
        self.counts.reserve(additional);
        self.analyzed.reserve(additional);
        self.aux.reserve(additional);
        self.norm_map.reserve(additional);
        self.raw_map.reserve(additional);
    }

    /// Relative frequency of a value among records that have one.
    pub fn frequency(&self, id: u32) -> f64 {
        if self.nonnull == 0 {
            return 0.0;
        }
        self.counts[id as usize] as f64 / self.nonnull as f64
    }

    /// Probability that two random records (with values) agree exactly: Σ f².
    pub fn agreement_probability(&self) -> f64 {
        if self.nonnull == 0 {
            return 0.0;
        }
        let n = self.nonnull as f64;
        self.counts
            .iter()
            .skip(1)
            .map(|&c| (c as f64 / n).powi(2))
            .sum()
    }

    /// Intern a normalised value analysed beforehand (or return the id it already has).
    fn intern_fresh(&mut self, fr: Fresh) -> u32 {
        if let Some(&id) = self.norm_map.get(fr.norm.as_str()) {
            return id;
        }
        let id = self.values.len() as u32;
        let b: Box<str> = fr.norm.into_boxed_str();
        self.aux.push(fr.aux);
        self.values.push(b.clone());
        self.counts.push(0);
        self.analyzed.push(fr.analyzed);
        self.norm_map.insert(b, id);
        id
    }
}

/// 64-bit FNV-1a, mixed; never 0.
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &c in b {
        h = (h ^ c as u64).wrapping_mul(0x100_0000_01b3);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (h ^ (h >> 32)) | 1
}

/// The comparison key of a normalised value (see [`Dict::aux`]).
pub fn aux_key(spec: &FieldSpec, norm: &str) -> u64 {
    let b = norm.as_bytes();
    match spec.kind {
        FieldKind::GivenName | FieldKind::FamilyName | FieldKind::FullName => hash_bytes(b),
        FieldKind::Email => {
            let l = crate::compare::email_local(b);
            if l.is_empty() {
                0
            } else {
                hash_bytes(l)
            }
        }
        FieldKind::Postcode => {
            let n = postcode_district_len(spec, b.len());
            if b.len() >= n {
                // Without a fixed district length the prefix depends on the length: keys of
                // different lengths must differ (the comparator handles that case on strings).
                let len_tag = if spec.district_len.is_none() {
                    (b.len() as u64) << 56
                } else {
                    0
                };
                (hash_bytes(&b[..n]) ^ len_tag) | 1
            } else {
                0
            }
        }
        _ => 0,
    }
}

/// Length of the "same district" prefix of a postcode of `len` bytes.
#[inline]
pub fn postcode_district_len(spec: &FieldSpec, len: usize) -> usize {
    spec.district_len.unwrap_or(len.saturating_sub(1)).max(1)
}

/// One column of encoded values.
#[derive(Debug, Clone)]
pub enum Column {
    Text {
        ids: Vec<u32>,
        dict: Dict,
    },
    /// Packed dates ([`crate::compare::pack_date`]); 0 is missing.
    Date {
        vals: Vec<u32>,
    },
}

impl Column {
    pub fn len(&self) -> usize {
        match self {
            Column::Text { ids, .. } => ids.len(),
            Column::Date { vals } => vals.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The raw code of record `i` (value id or packed date); 0 is missing.
    #[inline]
    pub fn code(&self, i: usize) -> u32 {
        match self {
            Column::Text { ids, .. } => ids[i],
            Column::Date { vals } => vals[i],
        }
    }
    /// The value of record `i` for display.
    pub fn display(&self, i: usize) -> String {
        match self {
            Column::Text { ids, dict } => dict.value(ids[i]).to_string(),
            Column::Date { vals } => {
                let v = vals[i];
                if v == 0 {
                    return String::new();
                }
                let (y, m, d) = crate::compare::unpack_date(v);
                match (m, d) {
                    (0, _) => format!("{y:04}"),
                    (_, 0) => format!("{y:04}-{m:02}"),
                    _ => format!("{y:04}-{m:02}-{d:02}"),
                }
            }
        }
    }
}

/// Normalise one raw value of a field. `Ok(None)` = missing; `Err` = unusable (reported).
pub fn normalize_value(spec: &FieldSpec, raw: &str) -> Result<Option<String>, String> {
    let t = raw.trim();
    if t.is_empty() || spec.null_values.iter().any(|n| n.eq_ignore_ascii_case(t)) {
        return Ok(None);
    }
    let out = match spec.kind {
        FieldKind::GivenName | FieldKind::FamilyName | FieldKind::FullName => {
            let a = linkwatch_names::analyze(t);
            let mut s = String::with_capacity(t.len());
            for tok in &a.tokens {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(&tok.text);
            }
            if s.is_empty() {
                linkwatch_names::normalize(t)
            } else {
                s
            }
        }
        FieldKind::Postcode => t
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(|c| c.to_uppercase())
            .collect(),
        FieldKind::Address | FieldKind::Categorical => linkwatch_names::normalize(t),
        FieldKind::IdNumber => match linkwatch_model::normalize_document_number(t) {
            Ok(s) => s,
            Err(_) => return Ok(None),
        },
        FieldKind::Phone => match linkwatch_model::normalize_phone(t, None) {
            Ok(p) => p.trim_start_matches('+').to_string(),
            Err(e) => {
                let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
                if digits.len() >= 6 {
                    digits
                } else {
                    return Err(e.to_string());
                }
            }
        },
        FieldKind::Email => linkwatch_model::normalize_email(t).map_err(|e| e.to_string())?,
        FieldKind::Biometric => t.to_uppercase(),
        FieldKind::Date => return Err("internal: date handled separately".into()),
    };
    Ok(if out.is_empty() { None } else { Some(out) })
}

/// Parse a date field value into a packed date.
pub fn parse_date(spec: &FieldSpec, raw: &str) -> Result<u32, String> {
    let t = raw.trim();
    if t.is_empty() || spec.null_values.iter().any(|n| n.eq_ignore_ascii_case(t)) {
        return Ok(0);
    }
    let swapped;
    let t = if spec.date_order.as_deref() == Some("mdy") {
        // `PartialDate::parse` reads `a/b/yyyy` day first; US-style input swaps a and b.
        let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
        if parts.len() == 3 && parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
            swapped = format!("{}/{}/{}", parts[1], parts[0], parts[2]);
            swapped.as_str()
        } else {
            t
        }
    } else {
        t
    };
    let d = PartialDate::parse(t).map_err(|e| e.to_string())?;
    Ok(pack_date(d.year, d.month, d.day))
}

/// The encoded records of one run (one file for dedupe, two for link).
#[derive(Debug, Clone)]
pub struct Dataset {
    pub schema: Schema,
    pub ids: Vec<Box<str>>,
    /// 0 for the first (or only) input, 1 for the right-hand input of a link.
    pub source: Vec<u8>,
    pub columns: Vec<Column>,
    /// Row-major copy of every record's codes (`codes[i * fields + f]`): one cache line per
    /// record when comparing pairs in random order.
    pub codes: Vec<u32>,
    id_index: FxHashMap<Box<str>, u32>,
}

impl Dataset {
    pub fn new(schema: Schema) -> Self {
        let columns = schema
            .fields
            .iter()
            .map(|f| match f.kind {
                FieldKind::Date => Column::Date { vals: Vec::new() },
                _ => Column::Text {
                    ids: Vec::new(),
                    dict: Dict::new(),
                },
            })
            .collect();
        Dataset {
            schema,
            ids: Vec::new(),
            source: Vec::new(),
            columns,
            codes: Vec::new(),
            id_index: FxHashMap::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    /// The code of record `i` in field `f` (value id or packed date; 0 = missing).
    #[inline]
    pub fn code(&self, i: usize, f: usize) -> u32 {
        self.codes[i * self.columns.len() + f]
    }

    fn sync_codes(&mut self) {
        let nf = self.columns.len();
        let have = self.codes.len() / nf.max(1);
        for i in have..self.ids.len() {
            for c in &self.columns {
                self.codes.push(c.code(i));
            }
        }
    }

    /// Reserve room for `additional` more records (and as many new values per column), so that
    /// adding them one at a time never reallocates the large per-record arrays and maps: a
    /// reallocation copies them, a latency spike of tens of milliseconds at millions of records.
    pub fn reserve(&mut self, additional: usize) {
        self.ids.reserve(additional);
        self.source.reserve(additional);
        self.codes.reserve(additional * self.columns.len());
        self.id_index.reserve(additional);
        for c in &mut self.columns {
            match c {
                Column::Text { ids, dict } => {
                    ids.reserve(additional);
                    dict.reserve(additional);
                }
                Column::Date { vals } => vals.reserve(additional),
            }
        }
    }

    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.id_index.get(id).copied()
    }

    /// Add one record (values in schema field order). Returns its index, or `Err` with the
    /// issue when the row is rejected (empty or duplicate id). Unusable values are reported in
    /// `issues` and treated as missing.
    pub fn push(
        &mut self,
        id: &str,
        values: &[Option<&str>],
        source: u8,
        line: u64,
        issues: &mut Vec<RowIssue>,
    ) -> Result<u32, RowIssue> {
        self.check_id(id, source, line)?;
        let idx = self.ids.len() as u32;
        for (f, col) in self.columns.iter_mut().enumerate() {
            let spec = &self.schema.fields[f];
            let raw = values.get(f).copied().flatten();
            if let Some(issue) = push_value(col, spec, raw) {
                issues.push(RowIssue {
                    line,
                    record: Some(id.to_string()),
                    field: Some(spec.name.clone()),
                    reason: issue,
                    skipped: false,
                });
            }
        }
        self.ids.push(id.into());
        self.source.push(source);
        self.id_index.insert(id.into(), idx);
        self.sync_codes();
        Ok(idx)
    }

    fn check_id(&self, id: &str, source: u8, line: u64) -> Result<(), RowIssue> {
        let id_field = self.schema.id.clone();
        if id.trim().is_empty() {
            return Err(RowIssue {
                line,
                record: None,
                field: Some(id_field),
                reason: "empty record id".into(),
                skipped: true,
            });
        }
        if let Some(&j) = self.id_index.get(id) {
            // Ids only need to be unique within one input.
            if self.source[j as usize] == source {
                return Err(RowIssue {
                    line,
                    record: Some(id.to_string()),
                    field: Some(id_field),
                    reason: "duplicate record id".into(),
                    skipped: true,
                });
            }
        }
        Ok(())
    }

    /// Load every record of a generic source (values normalised in parallel, in chunks).
    pub fn extend_from_source(
        &mut self,
        src: &(dyn RecordSource + Sync),
        source: u8,
    ) -> Vec<RowIssue> {
        let mut issues = Vec::new();
        let n = src.record_count();
        const CHUNK: usize = 65_536;
        let mut start = 0;
        while start < n {
            let end = (start + CHUNK).min(n);
            let mut kept: Vec<usize> = Vec::with_capacity(end - start);
            for i in start..end {
                let line = (i + 1) as u64;
                let id = src.record_id(i);
                if let Err(e) = self.check_id(id, source, line) {
                    issues.push(e);
                    continue;
                }
                self.add_id(id, source);
                kept.push(i);
            }
            let raw = |i: usize, f: usize| match src.value(i, f) {
                Some(v) => Raw::Str(v),
                None => Raw::Missing,
            };
            let line = |i: usize| (i + 1) as u64;
            self.ingest_columns(&kept, &raw, &line, &mut issues);
            start = end;
        }
        issues
    }

    fn add_id(&mut self, id: &str, source: u8) {
        let idx = self.ids.len() as u32;
        let b: Box<str> = id.into();
        self.ids.push(b.clone());
        self.source.push(source);
        self.id_index.insert(b, idx);
    }

    /// Normalise and intern the values of rows `kept` (already admitted: their ids are the last
    /// `kept.len()` ids). Phase 1, parallel over columns and rows, normalises every value not
    /// seen before (dictionaries read-only); phase 2, parallel over columns, interns in row
    /// order, so the result does not depend on the thread count.
    fn ingest_columns<'r>(
        &mut self,
        kept: &[usize],
        raw: &(dyn Fn(usize, usize) -> Raw<'r> + Sync),
        line: &(dyn Fn(usize) -> u64 + Sync),
        issues: &mut Vec<RowIssue>,
    ) {
        let fields = &self.schema.fields;
        let pre: Vec<Vec<Pre>> = self
            .columns
            .par_iter()
            .enumerate()
            .map(|(f, col)| {
                let spec = &fields[f];
                kept.par_iter()
                    .with_min_len(512)
                    .map(|&k| prepare(col, spec, raw(k, f)))
                    .collect()
            })
            .collect();
        let ids = &self.ids;
        let base = ids.len() - kept.len();
        let col_issues: Vec<Vec<RowIssue>> = self
            .columns
            .par_iter_mut()
            .zip(pre)
            .enumerate()
            .map(|(f, (col, pre))| {
                let spec = &fields[f];
                let mut out = Vec::new();
                for (n, (&k, p)) in kept.iter().zip(pre).enumerate() {
                    if let Some(reason) = commit(col, raw(k, f), p) {
                        out.push(RowIssue {
                            line: line(k),
                            record: Some(ids[base + n].to_string()),
                            field: Some(spec.name.clone()),
                            reason,
                            skipped: false,
                        });
                    }
                }
                out
            })
            .collect();
        self.sync_codes();
        let mut flat: Vec<RowIssue> = col_issues.into_iter().flatten().collect();
        flat.sort_by_key(|i| i.line);
        issues.extend(flat);
    }

    /// Read a CSV file with a header row (headers and values are trimmed, so FEBRL's
    /// `rec_id, given_name, ...` works). Rows with the wrong number of fields, an empty or
    /// duplicate id, or invalid UTF-8 in the id are reported and skipped; unusable values are
    /// reported and treated as missing. Errors only when the header lacks a schema column.
    pub fn read_csv<R: std::io::Read + Send>(
        &mut self,
        reader: R,
        source: u8,
    ) -> Result<Vec<RowIssue>, ResolveError> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(reader);
        let headers = rdr
            .byte_headers()
            .map_err(|e| ResolveError::Input(e.to_string()))?
            .clone();
        let header_names: Vec<String> = headers
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect();
        let find = |name: &str| header_names.iter().position(|h| h == name);
        let id_col = find(&self.schema.id).ok_or_else(|| {
            ResolveError::Input(format!(
                "id column {:?} not in header {:?}",
                self.schema.id, header_names
            ))
        })?;
        let mut cols = Vec::new();
        for f in &self.schema.fields {
            cols.push(find(f.column()).ok_or_else(|| {
                ResolveError::Input(format!(
                    "column {:?} (field {:?}) not in header {:?}",
                    f.column(),
                    f.name,
                    header_names
                ))
            })?);
        }
        let width = headers.len();
        let mut issues = Vec::new();
        let mut cur = Chunk::default();
        let mut next = Chunk::default();
        let mut more = cur.fill(&mut rdr, &mut issues)?;
        while !cur.is_empty() {
            // Parse the next chunk while this one is normalised and interned.
            let mut read_issues = Vec::new();
            let (read, ()) = rayon::join(
                || {
                    if more {
                        next.fill(&mut rdr, &mut read_issues)
                    } else {
                        next.len = 0;
                        Ok(false)
                    }
                },
                || self.add_chunk(&cur, id_col, &cols, width, source, &mut issues),
            );
            more = read?;
            issues.extend(read_issues);
            std::mem::swap(&mut cur, &mut next);
        }
        issues.sort_by_key(|i| i.line);
        Ok(issues)
    }

    fn add_chunk(
        &mut self,
        chunk: &Chunk,
        id_col: usize,
        cols: &[usize],
        width: usize,
        source: u8,
        issues: &mut Vec<RowIssue>,
    ) {
        // Row-level checks first (sequential: ids must be unique), then the values.
        let mut kept: Vec<usize> = Vec::with_capacity(chunk.len);
        for k in 0..chunk.len {
            let (line, r) = (chunk.lines[k], &chunk.recs[k]);
            let id = r.get(id_col).map(std::str::from_utf8);
            let id = match id {
                Some(Ok(s)) => s,
                Some(Err(_)) => {
                    issues.push(RowIssue {
                        line,
                        record: None,
                        field: Some(self.schema.id.clone()),
                        reason: "record id is not valid UTF-8".into(),
                        skipped: true,
                    });
                    continue;
                }
                None => "",
            };
            if r.len() != width {
                issues.push(RowIssue {
                    line,
                    record: if id.is_empty() {
                        None
                    } else {
                        Some(id.to_string())
                    },
                    field: None,
                    reason: format!("has {} fields, header has {}", r.len(), width),
                    skipped: true,
                });
                continue;
            }
            if let Err(e) = self.check_id(id, source, line) {
                issues.push(e);
                continue;
            }
            self.add_id(id, source);
            kept.push(k);
        }
        let raw = |k: usize, f: usize| match chunk.recs[k].get(cols[f]) {
            None => Raw::Missing,
            Some(b) => match std::str::from_utf8(b) {
                Ok(s) => Raw::Str(s),
                Err(_) => Raw::BadUtf8,
            },
        };
        let line = |k: usize| chunk.lines[k];
        self.ingest_columns(&kept, &raw, &line, issues);
    }
}

/// A reusable buffer of parsed CSV rows (records are overwritten, not reallocated).
#[derive(Default)]
struct Chunk {
    recs: Vec<csv::ByteRecord>,
    lines: Vec<u64>,
    len: usize,
}

impl Chunk {
    const ROWS: usize = 65_536;

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Read up to [`Chunk::ROWS`] rows; `Ok(true)` when the input may have more.
    fn fill<R: std::io::Read>(
        &mut self,
        rdr: &mut csv::Reader<R>,
        issues: &mut Vec<RowIssue>,
    ) -> Result<bool, ResolveError> {
        self.len = 0;
        self.lines.clear();
        while self.len < Self::ROWS {
            if self.recs.len() == self.len {
                self.recs.push(csv::ByteRecord::new());
            }
            match rdr.read_byte_record(&mut self.recs[self.len]) {
                Ok(true) => {
                    let line = self.recs[self.len]
                        .position()
                        .map(|p| p.line())
                        .unwrap_or(0);
                    self.lines.push(line);
                    self.len += 1;
                }
                Ok(false) => return Ok(false),
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        return Err(ResolveError::Input(e.to_string()));
                    }
                    issues.push(RowIssue {
                        line,
                        record: None,
                        field: None,
                        reason: format!("unreadable row: {e}"),
                        skipped: true,
                    });
                }
            }
        }
        Ok(true)
    }
}

/// A raw input value.
#[derive(Clone, Copy)]
enum Raw<'a> {
    Missing,
    Str(&'a str),
    BadUtf8,
}

/// A new normalised value, analysed off the interning thread.
struct Fresh {
    norm: String,
    analyzed: Option<Box<AnalyzedName>>,
    aux: u64,
}

/// Phase-1 result for one value.
enum Pre {
    /// Final code: a packed date, or the id of a raw value seen before (0 = missing).
    Code(u32),
    /// Unusable value (reason): treated as missing.
    Bad(String),
    /// A raw value not seen before: its normalisation (`None` = normalises to nothing).
    New(Option<Box<Fresh>>),
}

/// Phase 1: everything that does not need to write the dictionary.
fn prepare(col: &Column, spec: &FieldSpec, raw: Raw) -> Pre {
    match col {
        Column::Date { .. } => match raw {
            Raw::Missing => Pre::Code(0),
            Raw::BadUtf8 => Pre::Bad("value is not valid UTF-8".into()),
            Raw::Str(s) => match parse_date(spec, s) {
                Ok(v) => Pre::Code(v),
                Err(e) => Pre::Bad(format!("unusable date: {e}")),
            },
        },
        Column::Text { dict, .. } => match raw {
            Raw::Missing => Pre::Code(0),
            Raw::BadUtf8 => Pre::Bad("value is not valid UTF-8".into()),
            Raw::Str("") => Pre::Code(0),
            Raw::Str(s) => {
                if let Some(&id) = dict.raw_map.get(s) {
                    return Pre::Code(id);
                }
                match normalize_value(spec, s) {
                    Ok(None) => Pre::New(None),
                    Ok(Some(norm)) => {
                        let known = dict.norm_map.contains_key(norm.as_str());
                        let (analyzed, aux) = if known {
                            (None, 0)
                        } else {
                            (analyze_if_needed(spec, &norm), aux_key(spec, &norm))
                        };
                        Pre::New(Some(Box::new(Fresh {
                            norm,
                            analyzed,
                            aux,
                        })))
                    }
                    Err(e) => Pre::Bad(format!("unusable {:?} value {s:?}: {e}", spec.kind)),
                }
            }
        },
    }
}

/// Phase 2: append the value to the column (interning it); returns an issue's reason.
fn commit(col: &mut Column, raw: Raw, pre: Pre) -> Option<String> {
    match col {
        Column::Date { vals } => match pre {
            Pre::Code(v) => {
                vals.push(v);
                None
            }
            Pre::Bad(r) => {
                vals.push(0);
                Some(r)
            }
            Pre::New(_) => {
                vals.push(0);
                None
            }
        },
        Column::Text { ids, dict } => {
            let (id, issue) = match pre {
                Pre::Code(id) => (id, None),
                Pre::Bad(r) => (0, Some(r)),
                Pre::New(fresh) => {
                    let Raw::Str(s) = raw else {
                        return None;
                    };
                    let id = match dict.raw_map.get(s) {
                        Some(&id) => id,
                        None => {
                            let id = match fresh {
                                None => 0,
                                Some(fr) => dict.intern_fresh(*fr),
                            };
                            dict.raw_map.insert(s.into(), id);
                            id
                        }
                    };
                    (id, None)
                }
            };
            if id != 0 {
                dict.counts[id as usize] += 1;
                dict.nonnull += 1;
            }
            ids.push(id);
            issue
        }
    }
}

fn analyze_if_needed(spec: &FieldSpec, norm: &str) -> Option<Box<AnalyzedName>> {
    if spec.kind.is_name() && (norm.contains(' ') || !norm.is_ascii()) {
        Some(Box::new(linkwatch_names::analyze(norm)))
    } else {
        None
    }
}

/// Append one value to a column; returns a reason when the value was unusable.
fn push_value(col: &mut Column, spec: &FieldSpec, raw: Option<&str>) -> Option<String> {
    let r = match raw {
        Some(s) => Raw::Str(s),
        None => Raw::Missing,
    };
    let pre = prepare(col, spec, r);
    commit(col, r, pre)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::from_toml(
            r#"
id = "id"
[[field]]
name = "first"
kind = "given_name"
[[field]]
name = "dob"
kind = "date"
[[field]]
name = "email"
kind = "email"
[blocking]
rules = [["first"]]
"#,
        )
        .unwrap()
    }

    #[test]
    fn csv_reports_and_skips_bad_rows() {
        let csv = "id, first, dob, email\n1, Ana, 1990-01-02, a@x.com\n2, Bob, 1990-13-02, bob\n3, only two\n, Eve, 1990, e@x.com\n1, Dup, 1990, d@x.com\n4, ÁNA, , \n";
        let mut ds = Dataset::new(schema());
        let issues = ds.read_csv(csv.as_bytes(), 0).unwrap();
        assert_eq!(ds.len(), 3, "{issues:?}");
        let skipped: Vec<u64> = issues
            .iter()
            .filter(|i| i.skipped)
            .map(|i| i.line)
            .collect();
        assert_eq!(skipped, vec![4, 5, 6]);
        let fields: Vec<&str> = issues
            .iter()
            .filter(|i| !i.skipped)
            .filter_map(|i| i.field.as_deref())
            .collect();
        assert_eq!(fields, vec!["dob", "email"]);
        assert!(issues.iter().all(|i| !i.to_string().is_empty()));
        // "ÁNA" normalises to "ana": same interned value as record 1
        assert_eq!(ds.columns[0].code(0), ds.columns[0].code(2));
        assert_eq!(ds.columns[1].display(0), "1990-01-02");
    }

    #[test]
    fn chunked_loading_equals_record_by_record() {
        // Many repeated and new values across more than one chunk: the two-phase parallel
        // loader must intern exactly as pushing one record at a time does.
        let mut csv = String::from("id,first,dob,email\n");
        let names = ["Ana", "ÁNA", "bob", "Ayşe Yılmaz", "ayse yilmaz", "", "Zoë"];
        let n = Chunk::ROWS + 1000;
        for i in 0..n {
            let f = names[i % names.len()];
            let d = if i % 11 == 0 {
                "1990-13-40"
            } else {
                "1990-01-02"
            };
            let e = if i % 5 == 0 { "bad" } else { "x@y.org" };
            csv.push_str(&format!("r{i},{f},{d},{}{e}\n", i % 97));
        }
        let mut a = Dataset::new(schema());
        let issues_a = a.read_csv(csv.as_bytes(), 0).unwrap();
        let mut b = Dataset::new(schema());
        let mut issues_b = Vec::new();
        let mut rdr = csv::Reader::from_reader(csv.as_bytes());
        for (k, r) in rdr.records().enumerate() {
            let r = r.unwrap();
            let vals: Vec<Option<&str>> = (1..4).map(|c| r.get(c)).collect();
            b.push(&r[0], &vals, 0, k as u64 + 2, &mut issues_b)
                .unwrap();
        }
        assert_eq!(a.len(), n);
        assert_eq!(a.codes, b.codes);
        assert_eq!(issues_a.len(), issues_b.len());
        for (ca, cb) in a.columns.iter().zip(&b.columns) {
            if let (Column::Text { dict: da, .. }, Column::Text { dict: db, .. }) = (ca, cb) {
                assert_eq!(da.values, db.values);
                assert_eq!(da.counts, db.counts);
                assert_eq!(da.aux, db.aux);
            }
        }
    }

    #[test]
    fn missing_column_is_an_error() {
        let mut ds = Dataset::new(schema());
        assert!(ds
            .read_csv("id,first,dob\n1,a,1990\n".as_bytes(), 0)
            .is_err());
    }

    #[test]
    fn mdy_dates() {
        let mut spec = schema().fields[1].clone();
        spec.date_order = Some("mdy".into());
        assert_eq!(
            parse_date(&spec, "03/07/1981").unwrap(),
            pack_date(1981, 3, 7)
        );
        assert_eq!(
            parse_date(&spec, "1981-03-07").unwrap(),
            pack_date(1981, 3, 7)
        );
        assert!(parse_date(&spec, "13/31/1981").is_err());
    }
}
