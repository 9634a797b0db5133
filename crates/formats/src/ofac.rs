//! OFAC SDN list in the legacy CSV layout: `sdn.csv` (one row per entry), `alt.csv` (aliases),
//! `add.csv` (addresses) and optionally `sdn_comments.csv` (continuation of long remarks).
//!
//! Layout (no header row in OFAC's own files; a header row, if present, is skipped):
//! - `sdn.csv`: `ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
//!   Vess_flag, Vess_owner, Remarks`
//! - `alt.csv`: `ent_num, alt_num, alt_type, alt_name, alt_remarks`
//! - `add.csv`: `ent_num, add_num, address, city/state/postal, country, add_remarks`
//! - `sdn_comments.csv`: `ent_num, remarks_continued`
//!
//! Files are Latin-1 (read as Windows-1252; a field that is valid UTF-8 is taken as UTF-8).
//! `-0-` means empty. A trailing Ctrl-Z (0x1A) end-of-file marker is ignored. Individuals'
//! names are `LAST, First`.
//!
//! The remarks field carries most identifying data and is parsed clause by clause (`;`):
//! `DOB 12 Jan 1960`, `alt. DOB circa 1962`, `DOB 1962 to 1964`, `POB ...`, `nationality ...`,
//! `citizen ...`, `Gender Male`, `Passport X (Country) issued D expires D`, `National ID No. ...`,
//! `Cedula No.`, tax and registration numbers, `Email Address`, `Phone Number`, and
//! `a.k.a. 'NAME'` / `f.k.a. 'NAME'` / `n.k.a. 'NAME'`.
//!
//! Alias quality: OFAC puts its ordinary ("strong") a.k.a.s in `alt.csv` and its low-quality
//! ("weak") a.k.a.s — nicknames, noms de guerre — in the remarks, in single quotes. So `alt.csv`
//! aliases are [`NameQuality::Strong`] (unless the alias remarks say "weak"/"low quality"),
//! remark `a.k.a.`/`f.k.a.` names are [`NameQuality::Weak`] and remark `n.k.a.` (now known as)
//! names are strong. The whole remarks text is also kept in [`WatchlistEntry::remarks`].
//!
//! A value in the remarks that cannot be understood (an impossible DOB, an unknown country) is
//! reported as a field-level [`Reject`] and the entry is kept; a row with the wrong number of
//! columns, a bad `ent_num` or no name is a record-level reject. This module does no file I/O.

use crate::reject::{Event, Reject};
use crate::text::{clean, decode_latin1_or_utf8};
use linkwatch_model::{
    normalize_country, normalize_document_number, normalize_email, normalize_phone, Address,
    Country, DateSpec, Document, DocumentKind, EntityKind, ListRef, Name, NameQuality, PartialDate,
    Sex, WatchlistEntry,
};
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Read;

/// List id of OFAC SDN entries.
pub const LIST_ID: &str = "ofac-sdn";

const SDN_COLS: usize = 12;
const ALT_COLS: usize = 5;
const ADD_COLS: usize = 6;

/// `-0-` (with or without spaces) and blank mean empty.
fn field(raw: &[u8]) -> Option<String> {
    let s = decode_latin1_or_utf8(raw);
    let t = clean(s.trim_start_matches('\u{feff}'));
    if t.is_empty() || t == "-0-" {
        None
    } else {
        Some(t)
    }
}

fn is_eof_marker(rec: &csv::ByteRecord) -> bool {
    rec.iter()
        .all(|f| f.iter().all(|b| *b == 0x1a || b.is_ascii_whitespace()))
}

fn raw_row(rec: &csv::ByteRecord) -> String {
    let parts: Vec<String> = rec
        .iter()
        .map(|f| decode_latin1_or_utf8(f).into_owned())
        .collect();
    parts.join(",")
}

fn valid_ent_num(s: &str) -> bool {
    !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn line_of(rec: &csv::ByteRecord, fallback: u64) -> u64 {
    rec.position().map(|p| p.line()).unwrap_or(fallback)
}

/// Streams CSV rows of one file: `Ok((line, record))` for rows to process, `Err(reject)` for
/// parse errors. Header rows (first field not numeric on line 1) and Ctrl-Z are skipped.
struct Rows<R: Read> {
    rdr: csv::Reader<R>,
    label: String,
    n: u64,
    done: bool,
    errors_in_a_row: u32,
}

impl<R: Read> Rows<R> {
    fn new(r: R, label: &str) -> Self {
        let rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(r);
        Rows {
            rdr,
            label: label.to_string(),
            n: 0,
            done: false,
            errors_in_a_row: 0,
        }
    }
}

impl<R: Read> Iterator for Rows<R> {
    type Item = Result<(u64, csv::ByteRecord), Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let mut rec = csv::ByteRecord::new();
            match self.rdr.read_byte_record(&mut rec) {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Ok(true) => {
                    self.errors_in_a_row = 0;
                    self.n += 1;
                    let line = line_of(&rec, self.n);
                    if is_eof_marker(&rec) {
                        continue;
                    }
                    if self.n == 1 {
                        let first = field(rec.get(0).unwrap_or_default()).unwrap_or_default();
                        if !valid_ent_num(&first)
                            && ["ent_num", "id", "ent num", "entity number"]
                                .contains(&first.to_ascii_lowercase().as_str())
                        {
                            continue;
                        }
                    }
                    return Some(Ok((line, rec)));
                }
                Err(e) => {
                    self.errors_in_a_row += 1;
                    let line = e.position().map(|p| p.line()).unwrap_or(self.n + 1);
                    let fatal =
                        matches!(e.kind(), csv::ErrorKind::Io(_)) || self.errors_in_a_row > 100;
                    if fatal {
                        self.done = true;
                    }
                    return Some(Err(Reject::record(
                        &self.label,
                        line,
                        "record",
                        format!("unreadable CSV: {e}"),
                        "",
                    )));
                }
            }
        }
    }
}

/// Call `f(line, record, rejects)` for every readable row of a side file; unreadable rows
/// become rejects.
fn for_each_row<R: Read>(
    r: R,
    label: &str,
    rejects: &mut Vec<Reject>,
    mut f: impl FnMut(u64, &csv::ByteRecord, &mut Vec<Reject>),
) {
    for row in Rows::new(r, label) {
        match row {
            Ok((line, rec)) => f(line, &rec, rejects),
            Err(rej) => rejects.push(rej),
        }
    }
}

/// Call `f(line, ent_num, record, rejects)` for every row of a side file that has `cols`
/// columns and a valid `ent_num` in the first; other rows become record-level rejects.
fn for_each_keyed_row<R: Read>(
    r: R,
    label: &str,
    cols: usize,
    rejects: &mut Vec<Reject>,
    mut f: impl FnMut(u64, String, &csv::ByteRecord, &mut Vec<Reject>),
) {
    for_each_row(r, label, rejects, |line, rec, rejects| {
        if rec.len() != cols {
            rejects.push(Reject::record(
                label,
                line,
                "record",
                format!("expected {cols} columns, found {}", rec.len()),
                &raw_row(rec),
            ));
            return;
        }
        let ent = field(&rec[0]).unwrap_or_default();
        if !valid_ent_num(&ent) {
            rejects.push(Reject::record(
                label,
                line,
                "ent_num",
                "not a number",
                &raw_row(rec),
            ));
            return;
        }
        f(line, ent, rec, rejects)
    });
}

#[derive(Debug, Clone)]
struct AltRow {
    line: u64,
    name: String,
    quality: NameQuality,
}

#[derive(Debug, Clone)]
struct AddRow {
    line: u64,
    address: Address,
    warning: Option<String>,
}

/// Importer for one OFAC SDN publication. Feed the side files first, then stream `sdn.csv`.
///
/// ```
/// use linkwatch_formats::ofac::OfacSdn;
/// let sdn = b"7,\"KARIMOV, Abdulla\",\"individual\",\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,\"DOB 1960; nationality Uzbekistan.\"\n";
/// let alt = b"7,1,\"aka\",\"KARIMOV, Abdullah\",-0-\n";
/// let (entries, rejects) = OfacSdn::new("2021")
///     .aliases(&alt[..], "alt.csv")
///     .collect(&sdn[..], "sdn.csv");
/// assert_eq!(entries.len(), 1);
/// assert_eq!(entries[0].names.len(), 2);
/// assert!(rejects.is_empty());
/// ```
#[derive(Debug, Default)]
pub struct OfacSdn {
    version: String,
    alt_label: String,
    add_label: String,
    aliases: HashMap<String, Vec<AltRow>>,
    addresses: HashMap<String, Vec<AddRow>>,
    comments: HashMap<String, String>,
    side_rejects: Vec<Reject>,
}

impl OfacSdn {
    /// `version` labels the publication (`"2021-07"`, a directory name...).
    pub fn new(version: &str) -> Self {
        OfacSdn {
            version: version.to_string(),
            ..Default::default()
        }
    }

    /// Read `alt.csv`.
    pub fn aliases<R: Read>(mut self, r: R, label: &str) -> Self {
        self.alt_label = label.to_string();
        let rejects = &mut self.side_rejects;
        for_each_keyed_row(r, label, ALT_COLS, rejects, |line, ent, rec, rejects| {
            let Some(name) = field(&rec[3]) else {
                rejects.push(
                    Reject::record(label, line, "alt_name", "empty alias name", &raw_row(rec))
                        .with_id(Some(&ent)),
                );
                return;
            };
            let remarks = field(&rec[4]).unwrap_or_default().to_ascii_lowercase();
            let alt_type = field(&rec[2]).unwrap_or_default().to_ascii_lowercase();
            let quality = if remarks.contains("weak")
                || remarks.contains("low quality")
                || alt_type.contains("weak")
            {
                NameQuality::Weak
            } else {
                NameQuality::Strong
            };
            self.aliases.entry(ent).or_default().push(AltRow {
                line,
                name,
                quality,
            });
        });
        self
    }

    /// Read `add.csv`.
    pub fn addresses<R: Read>(mut self, r: R, label: &str) -> Self {
        self.add_label = label.to_string();
        let rejects = &mut self.side_rejects;
        for_each_keyed_row(r, label, ADD_COLS, rejects, |line, ent, rec, _| {
            let line_txt = field(&rec[2]);
            let city = field(&rec[3]);
            let country_txt = field(&rec[4]);
            if line_txt.is_none() && city.is_none() && country_txt.is_none() {
                return;
            }
            let mut address = Address {
                line: line_txt,
                city,
                ..Default::default()
            };
            let mut warning = None;
            if let Some(ct) = country_txt {
                let (country, region) = resolve_place_country(&ct);
                address.country = country;
                if country.is_none() && !is_no_country(&ct) {
                    if region.is_none() {
                        warning = Some(ct.clone());
                    }
                    address.region = Some(region.unwrap_or(ct));
                }
            }
            if address == Address::default() {
                return;
            }
            self.addresses.entry(ent).or_default().push(AddRow {
                line,
                address,
                warning,
            });
        });
        self
    }

    /// Read `sdn_comments.csv` (remarks continued beyond the legacy field limit).
    pub fn comments<R: Read>(mut self, r: R, label: &str) -> Self {
        let rejects = &mut self.side_rejects;
        for_each_row(r, label, rejects, |line, rec, rejects| {
            let ent = rec.get(0).and_then(field).unwrap_or_default();
            if !valid_ent_num(&ent) || rec.len() < 2 {
                rejects.push(Reject::record(
                    label,
                    line,
                    "record",
                    "bad comment row",
                    &raw_row(rec),
                ));
                return;
            }
            // Continuations are raw text: no whitespace cleaning beyond the ends.
            let text = decode_latin1_or_utf8(&rec[1]).trim_end().to_string();
            self.comments.entry(ent).or_default().push_str(&text);
        });
        self
    }

    /// Stream the entries of `sdn.csv`, joined with the side files, interleaved with rejects.
    pub fn entries<R: Read>(self, sdn: R, label: &str) -> OfacEntries<R> {
        let mut pending: VecDeque<Event<WatchlistEntry>> = VecDeque::new();
        pending.extend(self.side_rejects.iter().cloned().map(Event::Reject));
        OfacEntries {
            rows: Rows::new(sdn, label),
            label: label.to_string(),
            imp: self,
            pending,
            seen: HashSet::new(),
            finished: false,
        }
    }

    /// Convenience: all good entries and all rejects.
    pub fn collect<R: Read>(self, sdn: R, label: &str) -> (Vec<WatchlistEntry>, Vec<Reject>) {
        crate::reject::collect(self.entries(sdn, label))
    }
}

/// Iterator over an `sdn.csv`, see [`OfacSdn::entries`].
pub struct OfacEntries<R: Read> {
    rows: Rows<R>,
    label: String,
    imp: OfacSdn,
    pending: VecDeque<Event<WatchlistEntry>>,
    seen: HashSet<String>,
    finished: bool,
}

impl<R: Read> Iterator for OfacEntries<R> {
    type Item = Event<WatchlistEntry>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Some(ev);
            }
            if self.finished {
                return None;
            }
            match self.rows.next() {
                Some(Ok((line, rec))) => self.row(line, &rec),
                Some(Err(rej)) => self.pending.push_back(Event::Reject(rej)),
                None => {
                    self.finished = true;
                    self.orphans();
                }
            }
        }
    }
}

impl<R: Read> OfacEntries<R> {
    /// Side-file rows whose entry never appeared in `sdn.csv`.
    fn orphans(&mut self) {
        let (imp, seen) = (&self.imp, &self.seen);
        let orphan = |label: &str, what: &str, ent: &str, line: u64, raw: &str| {
            Reject::record(label, line, "ent_num", what, raw).with_id(Some(ent))
        };
        let mut out = Vec::new();
        for (ent, rows) in imp.aliases.iter().filter(|(ent, _)| !seen.contains(*ent)) {
            out.extend(rows.iter().map(|a| {
                let what = "alias of an entry not in sdn.csv";
                orphan(&imp.alt_label, what, ent, a.line, &a.name)
            }));
        }
        for (ent, rows) in imp.addresses.iter().filter(|(ent, _)| !seen.contains(*ent)) {
            out.extend(rows.iter().map(|a| {
                let raw = [a.address.line.as_deref(), a.address.city.as_deref()]
                    .iter()
                    .flatten()
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
                let what = "address of an entry not in sdn.csv";
                orphan(&imp.add_label, what, ent, a.line, &raw)
            }));
        }
        out.sort_by(|a, b| (&a.source, a.record).cmp(&(&b.source, b.record)));
        self.pending.extend(out.into_iter().map(Event::Reject));
    }

    fn row(&mut self, line: u64, rec: &csv::ByteRecord) {
        let label = self.label.clone();
        if rec.len() != SDN_COLS {
            let id = rec.get(0).and_then(field).filter(|s| valid_ent_num(s));
            self.pending.push_back(Event::Reject(
                Reject::record(
                    &label,
                    line,
                    "record",
                    format!("expected {SDN_COLS} columns, found {}", rec.len()),
                    &raw_row(rec),
                )
                .with_id(id.as_deref()),
            ));
            return;
        }
        let ent = field(&rec[0]).unwrap_or_default();
        if !valid_ent_num(&ent) {
            self.pending.push_back(Event::Reject(Reject::record(
                &label,
                line,
                "ent_num",
                "not a number",
                &raw_row(rec),
            )));
            return;
        }
        if !self.seen.insert(ent.clone()) {
            self.pending.push_back(Event::Reject(
                Reject::record(
                    &label,
                    line,
                    "ent_num",
                    "duplicate entry number",
                    &raw_row(rec),
                )
                .with_id(Some(&ent)),
            ));
            return;
        }
        let Some(name) = field(&rec[1]) else {
            self.pending.push_back(Event::Reject(
                Reject::record(&label, line, "SDN_Name", "empty name", &raw_row(rec))
                    .with_id(Some(&ent)),
            ));
            return;
        };
        let mut warn = |field: &str, reason: String, raw: &str| {
            self.pending.push_back(Event::Reject(
                Reject::field(&label, line, field, reason, raw).with_id(Some(&ent)),
            ));
        };
        let kind = match field(&rec[2]).map(|s| s.to_ascii_lowercase()).as_deref() {
            None => EntityKind::Organization,
            Some("individual") => EntityKind::Person,
            Some("vessel") => EntityKind::Vessel,
            Some("aircraft") => EntityKind::Aircraft,
            Some(other) => {
                warn("SDN_Type", format!("unknown entity type {other:?}"), other);
                EntityKind::Other
            }
        };
        let person = kind == EntityKind::Person;
        let mut e = WatchlistEntry {
            list: ListRef {
                list_id: LIST_ID.to_string(),
                version: self.imp.version.clone(),
            },
            entry_id: ent.clone(),
            kind,
            ..Default::default()
        };
        e.names
            .push(entry_name(person, &name, NameQuality::Primary));
        if let Some(p) = field(&rec[3]) {
            e.programs = split_programs(&p);
        }
        // Title and vessel columns are kept in the remarks text so nothing is lost.
        let mut extra = Vec::new();
        for (i, label) in [
            (4, "Title"),
            (5, "Call Sign"),
            (6, "Vessel Type"),
            (7, "Tonnage"),
            (8, "GRT"),
            (9, "Vessel Flag"),
            (10, "Vessel Owner"),
        ] {
            if let Some(v) = field(&rec[i]) {
                extra.push(format!("{label}: {v}"));
            }
        }
        if let Some(flag) = field(&rec[9]).filter(|f| !is_no_country(f)) {
            match country_lenient(&flag) {
                Some(c) => e.nationalities.push(c),
                None => warn("Vess_flag", format!("unknown country {flag:?}"), &flag),
            }
        }
        let mut remarks = field(&rec[11]).unwrap_or_default();
        if let Some(more) = self.imp.comments.get(&ent) {
            // The legacy layout cuts remarks mid-word (or just after a space) and continues them
            // in sdn_comments.csv: join the untrimmed texts.
            let head = decode_latin1_or_utf8(&rec[11]);
            remarks = clean(&format!("{}{more}", head.trim_start()));
        }
        // Aliases from alt.csv first (they are the strong ones).
        if let Some(alts) = self.imp.aliases.get(&ent) {
            for a in alts {
                e.names.push(entry_name(person, &a.name, a.quality));
            }
        }
        if let Some(adds) = self.imp.addresses.get(&ent) {
            for a in adds {
                if let Some(w) = &a.warning {
                    self.pending.push_back(Event::Reject(
                        Reject::field(
                            &self.imp.add_label,
                            a.line,
                            "country",
                            format!("unknown country {w:?}"),
                            w,
                        )
                        .with_id(Some(&ent)),
                    ));
                }
                e.addresses.push(a.address.clone());
            }
        }
        let mut warnings = Vec::new();
        parse_remarks(&remarks, &mut e, &mut warnings);
        for (f, reason, raw) in warnings {
            self.pending.push_back(Event::Reject(
                Reject::field(&label, line, &f, reason, &raw).with_id(Some(&ent)),
            ));
        }
        if !extra.is_empty() {
            let x = extra.join("; ");
            remarks = if remarks.is_empty() {
                x
            } else {
                format!("{remarks} [{x}]")
            };
        }
        e.remarks = Some(remarks).filter(|r| !r.is_empty());
        self.pending.push_back(Event::Record(e));
    }
}

/// `"SDGT] [IRGC"` (the legacy column joins several programs) → `["SDGT", "IRGC"]`.
fn split_programs(p: &str) -> Vec<String> {
    p.split("] [")
        .map(|s| {
            s.trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace())
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// A name of an entry with its quality: parsed as `LAST, First` for a person, kept whole for
/// anything else.
fn entry_name(person: bool, s: &str, quality: NameQuality) -> Name {
    let mut n = if person {
        person_name(s)
    } else {
        Name::full(s)
    };
    n.quality = quality;
    n
}

/// `"LAST, First Middle"` → family `LAST`, given `First Middle`; no comma → full name only.
pub fn person_name(s: &str) -> Name {
    let full = clean(s);
    match full.split_once(',') {
        Some((fam, given)) if !fam.trim().is_empty() && !given.trim().is_empty() => Name {
            family: Some(fam.trim().to_string()),
            given: Some(given.trim().to_string()),
            full,
            ..Default::default()
        },
        _ => Name::full(full),
    }
}

/// `"Region: Gaza"` → PS; `"Region: Crimea"` → no country, region `"Crimea"`.
fn resolve_place_country(t: &str) -> (Option<Country>, Option<String>) {
    if let Some(c) = normalize_country(t) {
        return (Some(c), None);
    }
    if let Some(r) = t.strip_prefix("Region:").map(str::trim) {
        return (normalize_country(r), Some(r.to_string()));
    }
    (None, None)
}

/// Parse a DOB as OFAC writes it: `12 Jan 1960`, `Jan 1960`, `1960`, `circa 1960`,
/// `1960 to 1962`, `01 Jan 1960 to 31 Dec 1962`, `circa 1979-1982`.
pub fn parse_ofac_dob(s: &str) -> Result<DateSpec, String> {
    let mut t = s.trim().trim_end_matches('.').trim();
    let mut approx = false;
    for p in ["circa ", "approximately ", "approx. ", "about "] {
        if t.len() >= p.len() && t.is_char_boundary(p.len()) && t[..p.len()].eq_ignore_ascii_case(p)
        {
            t = t[p.len()..].trim();
            approx = true;
        }
    }
    let range = t
        .split_once(" to ")
        .or_else(|| t.split_once(" - "))
        .or_else(|| {
            // "1979-1982": two bare years.
            let (a, b) = t.split_once('-')?;
            (a.len() == 4 && b.len() == 4 && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()))
                .then_some((a, b))
        });
    let plausible = |d: &PartialDate| (1850..=2100).contains(&d.year);
    let one = |x: &str| -> Result<PartialDate, String> {
        let mut d = PartialDate::parse(x).map_err(|e| e.to_string())?;
        if !plausible(&d) {
            return Err(format!("implausible year {}", d.year));
        }
        d.approximate |= approx;
        Ok(d)
    };
    match range {
        Some((a, b)) => {
            let (from, to) = (one(a)?, one(b)?);
            if from > to {
                return Err(format!("range ends before it starts: {s:?}"));
            }
            Ok(DateSpec::Range { from, to })
        }
        None => Ok(DateSpec::Date(one(t)?)),
    }
}

/// Remark labels that introduce an identity document, longest first within a shared prefix.
const DOC_LABELS: &[(&str, DocumentKind)] = &[
    ("diplomatic passport", DocumentKind::Passport),
    ("stateless person passport", DocumentKind::Passport),
    ("british national overseas passport", DocumentKind::Passport),
    ("stateless person id", DocumentKind::NationalId),
    ("turkish identification number", DocumentKind::NationalId),
    ("citizen's card number", DocumentKind::NationalId),
    ("kenyan id no.", DocumentKind::NationalId),
    ("tazkira national id", DocumentKind::NationalId),
    ("moroccan personal id no.", DocumentKind::NationalId),
    ("bosnian personal id no.", DocumentKind::NationalId),
    ("le number", DocumentKind::NationalId),
    ("n.i.e.", DocumentKind::ResidencePermit),
    ("immigration no.", DocumentKind::Other),
    ("visanumberid", DocumentKind::VisaNumber),
    ("pilot license number", DocumentKind::Other),
    ("vessel registration identification", DocumentKind::Other),
    ("mmsi", DocumentKind::Other),
    ("passport", DocumentKind::Passport),
    ("national foreign id number", DocumentKind::NationalId),
    ("national id no.", DocumentKind::NationalId),
    ("national id number", DocumentKind::NationalId),
    ("national id", DocumentKind::NationalId),
    ("personal id card", DocumentKind::NationalId),
    ("identification number", DocumentKind::NationalId),
    ("id no.", DocumentKind::NationalId),
    ("cedula no.", DocumentKind::NationalId),
    ("numero de identidad", DocumentKind::NationalId),
    ("c.u.r.p.", DocumentKind::NationalId),
    ("curp #", DocumentKind::NationalId),
    ("d.n.i.", DocumentKind::NationalId),
    ("electoral registry no.", DocumentKind::NationalId),
    ("credencial electoral", DocumentKind::NationalId),
    ("ssn", DocumentKind::NationalId),
    ("birth certificate number", DocumentKind::BirthCertificate),
    ("driver's license no.", DocumentKind::DriverLicense),
    ("driver's license", DocumentKind::DriverLicense),
    ("residency number", DocumentKind::ResidencePermit),
    ("refugee id card", DocumentKind::Other),
    ("travel document number", DocumentKind::Other),
    ("seafarer's identification document", DocumentKind::Other),
    ("cartilla de servicio militar nacional", DocumentKind::Other),
    ("r.f.c.", DocumentKind::TaxId),
    ("rfc", DocumentKind::TaxId),
    ("nit #", DocumentKind::TaxId),
    ("tax id no.", DocumentKind::TaxId),
    ("c.u.i.t.", DocumentKind::TaxId),
    ("c.u.i.p.", DocumentKind::TaxId),
    ("ruc #", DocumentKind::TaxId),
    ("v.a.t. number", DocumentKind::TaxId),
    ("registration id", DocumentKind::Other),
    ("registration number", DocumentKind::Other),
    ("business registration number", DocumentKind::Other),
    ("company number", DocumentKind::Other),
    ("matricula mercantil no", DocumentKind::Other),
    ("commercial registry number", DocumentKind::Other),
];

/// Strip a case-insensitive ASCII prefix.
fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

type Warning = (String, String, String);

/// Parse the remarks of one entry into `e`; unreadable values go to `warnings`
/// as `(field, reason, raw)`.
pub(crate) fn parse_remarks(remarks: &str, e: &mut WatchlistEntry, warnings: &mut Vec<Warning>) {
    let person = e.kind == EntityKind::Person;
    let mut known: HashSet<String> = e.names.iter().map(|n| n.full.to_lowercase()).collect();
    for clause in remarks.split(';') {
        let c = clause.trim();
        let c = c.strip_suffix('.').unwrap_or(c).trim();
        if c.is_empty() {
            continue;
        }
        let body = strip_ci(c, "alt. ").unwrap_or(c);
        let mut w = |f: &str, reason: String| warnings.push((f.to_string(), reason, c.to_string()));
        if let Some(d) = strip_ci(body, "DOB ") {
            match parse_ofac_dob(d) {
                Ok(spec) => push_new(&mut e.dobs, spec),
                Err(reason) => w("remarks.DOB", reason),
            }
        } else if let Some(p) = strip_ci(body, "POB ") {
            let p = p.trim();
            if !p.is_empty() {
                push_new(&mut e.places_of_birth, p.to_string());
            }
        } else if let Some(n) = strip_ci(body, "nationality of registration ")
            .or_else(|| strip_ci(body, "nationality "))
            .or_else(|| strip_ci(body, "citizen "))
        {
            let n = n.trim();
            let n = strip_ci(n, "possibly ").unwrap_or(n);
            if is_no_country(n) {
                continue;
            }
            match country_lenient(n) {
                Some(cty) => push_new(&mut e.nationalities, cty),
                None => w("remarks.nationality", format!("unknown country {n:?}")),
            }
        } else if let Some(g) = strip_ci(body, "Gender ") {
            match g.trim().to_ascii_lowercase().as_str() {
                "male" => e.sex = Sex::Male,
                "female" => e.sex = Sex::Female,
                other => w("remarks.Gender", format!("unknown gender {other:?}")),
            }
        } else if let Some((q, rest)) = strip_ci(body, "a.k.a.")
            .map(|r| (NameQuality::Weak, r))
            .or_else(|| strip_ci(body, "f.k.a.").map(|r| (NameQuality::Weak, r)))
            .or_else(|| strip_ci(body, "n.k.a.").map(|r| (NameQuality::Strong, r)))
        {
            let alias = rest.trim().trim_end_matches('.').trim();
            let alias = alias.strip_prefix('\'').unwrap_or(alias);
            let alias = alias.strip_suffix('\'').unwrap_or(alias);
            let alias = alias.trim_matches('"').trim();
            if alias.is_empty() {
                w("remarks.a.k.a.", "empty alias".to_string());
                continue;
            }
            if known.insert(alias.to_lowercase()) {
                e.names.push(entry_name(person, alias, q));
            }
        } else if let Some(m) = strip_ci(body, "Email Address ") {
            match normalize_email(m) {
                Ok(m) => push_new(&mut e.contacts.emails, m),
                Err(err) => w("remarks.Email Address", err.to_string()),
            }
        } else if let Some(p) =
            strip_ci(body, "Phone Number ").or_else(|| strip_ci(body, "Telephone "))
        {
            match normalize_phone(p.trim_start_matches(':').trim(), None) {
                Ok(p) => push_new(&mut e.contacts.phones, p),
                Err(err) => w("remarks.Phone Number", err.to_string()),
            }
        } else if let Some((label, kind, rest)) = DOC_LABELS.iter().find_map(|(l, k)| {
            strip_ci(body, l)
                .filter(|r| r.starts_with(' '))
                .map(|r| (*l, *k, r))
        }) {
            match parse_document(kind, rest) {
                Ok((doc, warn)) => {
                    if let Some(reason) = warn {
                        w(&format!("remarks.{label}"), reason);
                    }
                    push_new(&mut e.documents, doc);
                }
                Err(reason) => w(&format!("remarks.{label}"), reason),
            }
        } else if let Some(doc) = generic_document(body) {
            // `<some id label> <number> (<country>)`, a label not in DOC_LABELS.
            push_new(&mut e.documents, doc);
        }
    }
}

/// `"Foo Identity Card No. 12345 (Country)"`: an identifier with a country in parentheses whose
/// label is not in [`DOC_LABELS`]; the kind is guessed from the label.
fn generic_document(body: &str) -> Option<Document> {
    let mut t = body;
    for cut in [" issued ", " expires "] {
        if let Some(i) = t.find(cut) {
            t = &t[..i];
        }
    }
    let t = t.trim();
    let open = t.rfind(" (")?;
    if !t.ends_with(')') {
        return None;
    }
    let issuer = normalize_country(&t[open + 2..t.len() - 1])?;
    let head = &t[..open];
    let (label, number) = head.rsplit_once(' ')?;
    if !number.bytes().any(|b| b.is_ascii_digit()) || label.trim().is_empty() {
        return None;
    }
    let l = label.to_ascii_lowercase();
    if ![
        "id", "no", "number", "card", "passport", "identi", "license", "licence", "permit",
    ]
    .iter()
    .any(|k| l.contains(k))
    {
        return None;
    }
    let number = normalize_document_number(number).ok()?;
    Some(Document {
        kind: DocumentKind::classify(label),
        number,
        issuer: Some(issuer),
        expiry: None,
    })
}

/// Append `v` unless `list` already holds it (values repeated in the remarks count once).
fn push_new<T: PartialEq>(list: &mut Vec<T>, v: T) {
    if !list.contains(&v) {
        list.push(v);
    }
}

/// The last day a partial date covers (`Jan 2007` → 2007-01-31, `2010` → 2010-12-31): a document
/// that "expires Jan 2007" is valid through January.
fn end_of_period(d: PartialDate) -> Option<chrono::NaiveDate> {
    use chrono::NaiveDate;
    match d.precision() {
        linkwatch_model::Precision::Day => d.to_naive(),
        linkwatch_model::Precision::Month => {
            let (y, m) = if d.month == 12 {
                (d.year as i32 + 1, 1)
            } else {
                (d.year as i32, d.month as u32 + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1).and_then(|x| x.pred_opt())
        }
        linkwatch_model::Precision::Year => NaiveDate::from_ymd_opt(d.year as i32, 12, 31),
    }
}

/// Explicit "no country" values: not a warning.
fn is_no_country(t: &str) -> bool {
    matches!(
        t.trim().to_ascii_lowercase().as_str(),
        "undetermined" | "none identified" | "unknown" | "none"
    )
}

/// Resolve a country that may carry trailing commentary (`"Cabo Verde. Previously Cape Verde."`).
fn country_lenient(t: &str) -> Option<Country> {
    normalize_country(t)
        .or_else(|| resolve_place_country(t).0)
        .or_else(|| t.split(['.', ';', '(']).next().and_then(normalize_country))
}

/// `"A1234567 (Iran) issued 01 Jan 2010 expires 01 Jan 2020"` → document; a country or expiry
/// that cannot be read is returned as a warning with the document kept.
fn parse_document(kind: DocumentKind, rest: &str) -> Result<(Document, Option<String>), String> {
    let mut t = rest.trim();
    let mut expiry_txt = None;
    if let Some(i) = t.find(" expires ") {
        let x = t[i + 9..].trim();
        // "expires 01 Jan 2026 to 31 Dec 2026": valid at least until the later bound.
        expiry_txt = Some(x.rsplit_once(" to ").map(|(_, b)| b.trim()).unwrap_or(x));
        t = &t[..i];
    }
    if let Some(i) = t.find(" issued ") {
        t = &t[..i];
    }
    let t = t.trim();
    let (num_txt, country_txt) = match (t.ends_with(')'), t.rfind(" (")) {
        (true, Some(i)) => (&t[..i], Some(&t[i + 2..t.len() - 1])),
        _ => (t, None),
    };
    let number = normalize_document_number(num_txt).map_err(|e| e.to_string())?;
    let mut warn = None;
    let issuer = match country_txt {
        Some(ct) => {
            let ct = ct.trim();
            let r = country_lenient(ct);
            // Registry numbers often name a city in parentheses (`Matricula Mercantil No 1
            // (Medellin)`): only identity documents must name a country there.
            let identity = matches!(kind, DocumentKind::Passport | DocumentKind::NationalId);
            if r.is_none() && identity && !is_no_country(ct) {
                warn = Some(format!("unknown issuing country {ct:?}"));
            }
            r
        }
        None => None,
    };
    let expiry = match expiry_txt {
        Some(x) => match PartialDate::parse(x).ok().and_then(end_of_period) {
            Some(d) => Some(d),
            None => {
                warn = Some(format!("unreadable expiry {x:?}"));
                None
            }
        },
        None => None,
    };
    Ok((
        Document {
            kind,
            number,
            issuer,
            expiry,
        },
        warn,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reject::Level;

    fn sdn_row(id: &str, name: &str, typ: &str, remarks: &str) -> String {
        format!("{id},\"{name}\",{typ},\"SDGT] [IRGC\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"{remarks}\"\n")
    }

    #[test]
    fn parses_individual_with_remarks() {
        let sdn = sdn_row(
            "101",
            "AL-TEST, Ahmad Ali",
            "\"individual\"",
            "DOB 01 Feb 1957; alt. DOB 31 Jan 1957; Martian Identity Card No. 77-1 (Syria); DOB circa 1960; DOB 1962 to 1964; POB Zubair, Iraq; nationality Iraq; citizen Saudi Arabia; Gender Male; Passport A123-456 (Iraq) issued 15 Sep 1991 expires 22 Jul 1996; National ID No. 12.34.56 (Korea, North); Cedula No. 10.548.414 (Venezuela); Email Address X@Example.com; a.k.a. 'ABU UTHMAN'; a.k.a. 'AL-QA'QA'; f.k.a. 'OLD NAME'.",
        );
        let (es, rj) = OfacSdn::new("t").collect(sdn.as_bytes(), "sdn.csv");
        assert!(rj.is_empty(), "{rj:?}");
        let e = &es[0];
        assert_eq!(e.kind, EntityKind::Person);
        assert_eq!(e.entry_id, "101");
        assert_eq!(e.names[0].family.as_deref(), Some("AL-TEST"));
        assert_eq!(e.names[0].given.as_deref(), Some("Ahmad Ali"));
        assert_eq!(e.names[0].quality, NameQuality::Primary);
        let aliases: Vec<&str> = e.names[1..].iter().map(|n| n.full.as_str()).collect();
        assert_eq!(aliases, ["ABU UTHMAN", "AL-QA'QA", "OLD NAME"]);
        assert!(e.names[1..].iter().all(|n| n.quality == NameQuality::Weak));
        let dobs: Vec<String> = e
            .dobs
            .iter()
            .map(|d| serde_json::to_string(d).unwrap())
            .collect();
        assert_eq!(
            dobs,
            [
                "\"1957-02-01\"",
                "\"1957-01-31\"",
                "\"1960~\"",
                "{\"from\":\"1962\",\"to\":\"1964\"}"
            ]
        );
        assert_eq!(e.places_of_birth, ["Zubair, Iraq"]);
        let nat: Vec<&str> = e.nationalities.iter().map(|c| c.as_str()).collect();
        assert_eq!(nat, ["IQ", "SA"]);
        assert_eq!(e.sex, Sex::Male);
        assert_eq!(e.documents.len(), 4);
        let doc = |n: &str| e.documents.iter().find(|d| d.number == n).unwrap();
        assert_eq!(doc("771").kind, DocumentKind::NationalId);
        assert_eq!(
            doc("771").issuer.map(|c| c.to_string()).as_deref(),
            Some("SY")
        );
        let p = doc("A123456");
        assert_eq!(p.kind, DocumentKind::Passport);
        assert_eq!(p.issuer.map(|c| c.to_string()).as_deref(), Some("IQ"));
        assert_eq!(
            p.expiry.map(|d| d.to_string()).as_deref(),
            Some("1996-07-22")
        );
        assert_eq!(
            doc("123456").issuer.map(|c| c.to_string()).as_deref(),
            Some("KP")
        );
        assert_eq!(doc("10548414").kind, DocumentKind::NationalId);
        assert_eq!(e.contacts.emails, ["x@example.com"]);
        assert_eq!(e.programs, ["SDGT", "IRGC"]);
        assert!(e.remarks.as_deref().unwrap_or("").contains("Zubair"));
    }

    #[test]
    fn dob_forms() {
        let ok = [
            ("12 Jan 1960", "\"1960-01-12\""),
            ("Jan 1960", "\"1960-01\""),
            ("1960", "\"1960\""),
            ("circa 1960", "\"1960~\""),
            ("circa 1979-1982", "{\"from\":\"1979~\",\"to\":\"1982~\"}"),
            (
                "01 Jan 1960 to 31 Dec 1962",
                "{\"from\":\"1960-01-01\",\"to\":\"1962-12-31\"}",
            ),
            (
                "Mar 1960 to Feb 1962",
                "{\"from\":\"1960-03\",\"to\":\"1962-02\"}",
            ),
        ];
        for (s, want) in ok {
            let d = parse_ofac_dob(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(serde_json::to_string(&d).unwrap(), want, "{s}");
        }
        for bad in ["31 Feb 1960", "sometime", "1964 to 1962", "0001", ""] {
            assert!(parse_ofac_dob(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_dob_is_a_field_warning_and_entry_kept() {
        let sdn = sdn_row(
            "5",
            "DOE, John",
            "\"individual\"",
            "DOB 31 Feb 1960; nationality Atlantis; DOB 1970.",
        );
        let (es, rj) = OfacSdn::new("t").collect(sdn.as_bytes(), "sdn.csv");
        assert_eq!(es.len(), 1);
        assert_eq!(es[0].dobs.len(), 1);
        assert_eq!(rj.len(), 2);
        assert!(rj.iter().all(|r| r.level == Level::Field
            && r.entry_id.as_deref() == Some("5")
            && r.record == 1));
        assert_eq!(rj[0].field, "remarks.DOB");
        assert!(rj[0].raw.contains("31 Feb 1960"));
        assert_eq!(rj[1].field, "remarks.nationality");
    }

    #[test]
    fn malformed_rows_are_rejected_good_rows_kept() {
        let mut sdn = String::new();
        sdn.push_str(&sdn_row("1", "GOOD, One", "\"individual\"", "-0-"));
        sdn.push_str("2,\"SHORT ROW\",-0-\n");
        sdn.push_str(&sdn_row("x3", "BAD ID", "-0-", "-0-"));
        sdn.push_str(&sdn_row("4", "-0-", "-0-", "-0-"));
        sdn.push_str(&sdn_row("1", "DUP", "-0-", "-0-"));
        sdn.push_str(&sdn_row("6", "GOOD ORG", "-0-", "a.k.a. 'G.O.'."));
        sdn.push_str(&sdn_row("7", "SHIP", "\"vessel\"", "-0-"));
        sdn.push_str(&sdn_row("8", "PLANE", "\"aircraft\"", "-0-"));
        sdn.push_str(&sdn_row("9", "THING", "\"spaceship\"", "-0-"));
        sdn.push('\u{1a}');
        let (es, rj) = OfacSdn::new("t").collect(sdn.as_bytes(), "sdn.csv");
        let ids: Vec<&str> = es.iter().map(|e| e.entry_id.as_str()).collect();
        assert_eq!(ids, ["1", "6", "7", "8", "9"]);
        assert_eq!(es[1].kind, EntityKind::Organization);
        assert_eq!(es[1].names[1].full, "G.O.");
        assert_eq!(es[2].kind, EntityKind::Vessel);
        assert_eq!(es[3].kind, EntityKind::Aircraft);
        assert_eq!(es[4].kind, EntityKind::Other);
        let summary: Vec<(u64, &str, Level)> = rj
            .iter()
            .map(|r| (r.record, r.field.as_str(), r.level))
            .collect();
        assert_eq!(
            summary,
            [
                (2, "record", Level::Record),
                (3, "ent_num", Level::Record),
                (4, "SDN_Name", Level::Record),
                (5, "ent_num", Level::Record),
                (9, "SDN_Type", Level::Field),
            ]
        );
        assert_eq!(rj[0].entry_id.as_deref(), Some("2"));
        assert!(rj[0].reason.contains("expected 12 columns, found 3"));
    }

    #[test]
    fn latin1_and_header_and_side_files() {
        let mut sdn = b"ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\n".to_vec();
        sdn.extend_from_slice(b"10,\"MU\xd1OZ, Jos\xe9\",\"individual\",\"SDNTK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1970; a.k.a. 'PEPE'.\"\n");
        sdn.extend_from_slice(b"11,\"SEA STAR\",\"vessel\",\"IRAN\",-0- ,\"9HA1\",\"Tanker\",-0- ,-0- ,\"Malta\",\"OWNER CO\",-0- \n");
        let alt = b"10,1,\"aka\",\"MUNOZ, Jose\",-0- \n10,2,\"fka\",\"MUNOS, Jose\",\"weak\"\n99,3,\"aka\",\"ORPHAN\",-0- \n10,4,\"aka\"\n";
        let add = b"10,1,\"Calle 1\",\"Bogot\xe1\",\"Colombia\",-0- \n10,2,-0- ,-0- ,\"Region: Crimea\",-0- \n10,3,-0- ,-0- ,-0- ,-0- \n11,4,-0- ,\"X\",\"Neverland\",-0- \n";
        let (es, rj) = OfacSdn::new("t")
            .aliases(&alt[..], "alt.csv")
            .addresses(&add[..], "add.csv")
            .collect(&sdn[..], "sdn.csv");
        assert_eq!(es.len(), 2);
        let e = &es[0];
        assert_eq!(e.names[0].full, "MUÑOZ, José");
        let q: Vec<(&str, NameQuality)> = e
            .names
            .iter()
            .map(|n| (n.full.as_str(), n.quality))
            .collect();
        assert_eq!(
            q,
            [
                ("MUÑOZ, José", NameQuality::Primary),
                ("MUNOZ, Jose", NameQuality::Strong),
                ("MUNOS, Jose", NameQuality::Weak),
                ("PEPE", NameQuality::Weak)
            ]
        );
        assert_eq!(e.addresses.len(), 2);
        assert_eq!(e.addresses[0].city.as_deref(), Some("Bogotá"));
        assert_eq!(
            e.addresses[0].country.map(|c| c.to_string()).as_deref(),
            Some("CO")
        );
        assert_eq!(e.addresses[1].region.as_deref(), Some("Crimea"));
        let v = &es[1];
        assert_eq!(v.kind, EntityKind::Vessel);
        assert_eq!(v.nationalities.first().map(|c| c.as_str()), Some("MT"));
        assert!(v
            .remarks
            .as_deref()
            .unwrap_or("")
            .contains("Call Sign: 9HA1"));
        let r: Vec<(&str, u64, &str)> = rj
            .iter()
            .map(|r| (r.source.as_str(), r.record, r.field.as_str()))
            .collect();
        assert_eq!(
            r,
            [
                ("alt.csv", 4, "record"),
                ("add.csv", 4, "country"),
                ("alt.csv", 3, "ent_num")
            ]
        );
    }

    #[test]
    fn utf8_bom_and_crlf() {
        let sdn = format!(
            "\u{feff}{}",
            sdn_row("1", "ONE", "-0-", "-0-").replace('\n', "\r\n")
        );
        let (es, rj) = OfacSdn::new("t").collect(sdn.as_bytes(), "sdn.csv");
        assert!(rj.is_empty(), "{rj:?}");
        assert_eq!(es[0].entry_id, "1");
    }

    #[test]
    fn comments_extend_remarks() {
        let sdn = sdn_row(
            "12",
            "LONG, Remarks",
            "\"individual\"",
            "DOB 1960; a.k.a. 'ONE'; a.k.a. 'TW",
        );
        let com = b"12,\"O'; nationality Iran.\"\n";
        let (es, rj) = OfacSdn::new("t")
            .comments(&com[..], "sdn_comments.csv")
            .collect(sdn.as_bytes(), "sdn.csv");
        assert!(rj.is_empty(), "{rj:?}");
        assert_eq!(es[0].names.last().map(|n| n.full.as_str()), Some("TWO"));
        assert_eq!(es[0].nationalities.first().map(|c| c.as_str()), Some("IR"));
    }

    #[test]
    fn never_panics_on_garbage() {
        for input in [
            &b""[..],
            b"\xff\xfe\x00",
            b"\"unterminated",
            b",,,,,,,,,,,\n",
            b"1,\"a\",\"individual\",,,,,,,,,\"DOB ;;;\"\n",
        ] {
            let _ = OfacSdn::new("t")
                .aliases(input, "a")
                .addresses(input, "b")
                .collect(input, "c");
        }
    }
}
