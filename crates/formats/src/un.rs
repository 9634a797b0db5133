//! UN Security Council consolidated sanctions list (XML, `CONSOLIDATED_LIST` schema), read as a
//! stream with quick-xml: one `INDIVIDUAL` or `ENTITY` element at a time, so memory stays bounded
//! whatever the file size.
//!
//! Mapping:
//! - `DATAID` → entry id; `FIRST_NAME`..`FOURTH_NAME` → primary name (given = first, family =
//!   last part for individuals); `UN_LIST_TYPE` and `REFERENCE_NUMBER` → programs;
//!   `LISTED_ON` → listed; latest `LAST_DAY_UPDATED/VALUE` → updated; `GENDER` → sex.
//! - `*_ALIAS` with `QUALITY` `Good`/`a.k.a.` → strong alias, `Low`/`f.k.a.` → weak alias (an
//!   alias may carry its own `DATE_OF_BIRTH`/`CITY_OF_BIRTH`/`COUNTRY_OF_BIRTH`, kept as
//!   alternatives); `NAME_ORIGINAL_SCRIPT` → strong name with its script detected (Arabic,
//!   Cyrillic, Han...).
//! - `INDIVIDUAL_DATE_OF_BIRTH`: `TYPE_OF_DATE` `EXACT` (with `DATE` or `YEAR`),
//!   `APPROXIMATELY` (approximate date/year), `BETWEEN` (`FROM_YEAR`/`TO_YEAR` → a range).
//! - `NATIONALITY/VALUE`, `*_ADDRESS`, `INDIVIDUAL_PLACE_OF_BIRTH`, `INDIVIDUAL_DOCUMENT`
//!   (`TYPE_OF_DOCUMENT[2]`, `NUMBER`, `ISSUING_COUNTRY`/`COUNTRY_OF_ISSUE`).
//! - `COMMENTS1`, `TITLE`, `DESIGNATION` → remarks.
//!
//! [`Reject::record`] for XML is the line on which the element starts. Broken XML inside an
//! element (syntax error, mismatched or missing end tag) rejects that element; reading resumes
//! at the next element when the parser can. Values that cannot be read (an unknown country, an
//! impossible date) are field-level warnings and the entry is kept. This module does no file I/O.

use crate::reject::{excerpt, Event, Reject};
use crate::text::{clean, detect_script};
use chrono::NaiveDate;
use linkwatch_model::{
    normalize_country, normalize_document_number, Address, DateSpec, Document, DocumentKind,
    EntityKind, ListRef, Name, NameQuality, PartialDate, Sex, WatchlistEntry,
};
use quick_xml::events::Event as XmlEvent;
use std::collections::VecDeque;
use std::io::{BufRead, Read};

/// List id of UN consolidated list entries.
pub const LIST_ID: &str = "un-sc";

/// Elements deeper than this inside one record are refused (hostile input).
const MAX_DEPTH: usize = 64;

/// A `BufRead` wrapper that counts the lines it has handed out.
struct LineCounter<R: BufRead> {
    inner: R,
    line: u64,
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.line += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let n = amt.min(buf.len());
            self.line += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        }
        self.inner.consume(amt);
    }
}

/// A small element tree for one record.
#[derive(Debug, Default, Clone)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn kids<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    /// Cleaned, non-empty text of the first child `name`.
    fn get(&self, name: &str) -> Option<String> {
        self.kids(name)
            .map(|c| clean(&c.text))
            .find(|t| !t.is_empty())
    }
    /// Texts of `name/VALUE` children.
    fn values(&self, name: &str) -> Vec<String> {
        self.kids(name)
            .flat_map(|c| c.kids("VALUE"))
            .map(|v| clean(&v.text))
            .filter(|t| !t.is_empty())
            .collect()
    }
    /// `DATAID=1 FIRST_NAME=X ...` for reject excerpts.
    fn summary(&self) -> String {
        let mut parts = Vec::new();
        for c in &self.children {
            let t = clean(&c.text);
            if !t.is_empty() {
                parts.push(format!("{}={}", c.name, t));
            }
            if parts.len() >= 6 {
                break;
            }
        }
        format!("<{}> {}", self.name, parts.join(" "))
    }
}

/// Streaming reader of the UN consolidated list.
///
/// ```
/// use linkwatch_formats::un::UnXml;
/// let xml = r#"<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09Z"><INDIVIDUALS><INDIVIDUAL>
///   <DATAID>1</DATAID><FIRST_NAME>ERIC</FIRST_NAME><SECOND_NAME>BADEGE</SECOND_NAME>
///   <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
/// </INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"#;
/// let (entries, rejects) = UnXml::new(xml.as_bytes(), "un.xml", "").collect();
/// assert_eq!(entries[0].names[0].full, "ERIC BADEGE");
/// assert_eq!(entries[0].list.version, "2026-02-27");
/// assert!(rejects.is_empty());
/// ```
pub struct UnXml<R: BufRead> {
    reader: quick_xml::Reader<LineCounter<R>>,
    buf: Vec<u8>,
    label: String,
    version: String,
    stack: Vec<Node>,
    /// Line where the record being built started.
    start_line: u64,
    /// Set when the record being built is broken: (field, reason).
    broken: Option<(String, String)>,
    warnings: Vec<(String, String, String)>,
    pending: VecDeque<Event<WatchlistEntry>>,
    done: bool,
    last_error_pos: Option<u64>,
    errors: u32,
}

impl<R: BufRead> UnXml<R> {
    /// `version` overrides the list version; empty → the file's `dateGenerated` date.
    pub fn new(r: R, label: &str, version: &str) -> Self {
        let mut reader = quick_xml::Reader::from_reader(LineCounter { inner: r, line: 1 });
        let cfg = reader.config_mut();
        cfg.trim_text(true);
        cfg.check_end_names = false;
        UnXml {
            reader,
            buf: Vec::new(),
            label: label.to_string(),
            version: version.to_string(),
            stack: Vec::new(),
            start_line: 0,
            broken: None,
            warnings: Vec::new(),
            pending: VecDeque::new(),
            done: false,
            last_error_pos: None,
            errors: 0,
        }
    }

    /// All good entries and all rejects.
    pub fn collect(self) -> (Vec<WatchlistEntry>, Vec<Reject>) {
        crate::reject::collect(self)
    }

    fn line(&self) -> u64 {
        self.reader.get_ref().line
    }

    fn reject_current(&mut self, field: &str, reason: String) {
        let root = self.stack.drain(..).next().unwrap_or_default();
        let id = root.get("DATAID");
        let raw = root.summary();
        self.pending.push_back(Event::Reject(
            Reject::record(&self.label, self.start_line, field, reason, &raw)
                .with_id(id.as_deref()),
        ));
        self.broken = None;
        self.warnings.clear();
    }

    fn finish_record(&mut self, root: Node) {
        if let Some((f, reason)) = self.broken.take() {
            self.stack = vec![root];
            self.reject_current(&f, reason);
            return;
        }
        let mut warnings = std::mem::take(&mut self.warnings);
        match map_record(&root, &self.version, &mut warnings) {
            Ok(e) => {
                for (f, reason, raw) in warnings {
                    self.pending.push_back(Event::Reject(
                        Reject::field(&self.label, self.start_line, &f, reason, &raw)
                            .with_id(Some(&e.entry_id)),
                    ));
                }
                self.pending.push_back(Event::Record(e));
            }
            Err((f, reason)) => {
                let id = root.get("DATAID");
                self.pending.push_back(Event::Reject(
                    Reject::record(&self.label, self.start_line, &f, reason, &root.summary())
                        .with_id(id.as_deref()),
                ));
            }
        }
    }

    /// Advance the parser by one event.
    fn step(&mut self) {
        self.buf.clear();
        let ev = self.reader.read_event_into(&mut self.buf);
        match ev {
            Ok(XmlEvent::Start(s)) => {
                let name = elem_name(s.local_name().as_ref());
                if self.stack.is_empty() {
                    if name == "CONSOLIDATED_LIST" && self.version.is_empty() {
                        for a in s.attributes().flatten() {
                            if a.key.local_name().as_ref() == b"dateGenerated" {
                                let v = String::from_utf8_lossy(&a.value).into_owned();
                                self.version = v.chars().take(10).collect();
                            }
                        }
                    }
                    if name == "INDIVIDUAL" || name == "ENTITY" {
                        self.start_line = self.reader.get_ref().line;
                        self.stack.push(Node {
                            name,
                            ..Default::default()
                        });
                    }
                } else if self.stack.len() >= MAX_DEPTH {
                    self.broken = Some((
                        "record".into(),
                        format!("elements nested deeper than {MAX_DEPTH}"),
                    ));
                    self.stack.push(Node {
                        name,
                        ..Default::default()
                    });
                } else {
                    self.stack.push(Node {
                        name,
                        ..Default::default()
                    });
                }
            }
            Ok(XmlEvent::Empty(s)) => {
                if let Some(top) = self.stack.last_mut() {
                    let name = elem_name(s.local_name().as_ref());
                    top.children.push(Node {
                        name,
                        ..Default::default()
                    });
                }
            }
            Ok(XmlEvent::Text(t)) => {
                if let Some(top) = self.stack.last_mut() {
                    match t.unescape() {
                        Ok(s) => top.text.push_str(&s),
                        Err(e) => {
                            let lossy = String::from_utf8_lossy(&t).into_owned();
                            self.warnings.push((
                                top.name.clone(),
                                format!("unreadable text ({e}); kept lossily"),
                                excerpt(&lossy),
                            ));
                            top.text.push_str(&lossy);
                        }
                    }
                }
            }
            Ok(XmlEvent::CData(t)) => {
                if let Some(top) = self.stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Ok(XmlEvent::End(e)) => {
                if let Some(node) = self.stack.pop() {
                    let name = e.local_name();
                    if name.as_ref() != node.name.as_bytes() && self.broken.is_none() {
                        self.broken = Some((
                            node.name.clone(),
                            format!(
                                "broken XML: <{}> closed by </{}>",
                                node.name,
                                String::from_utf8_lossy(name.as_ref())
                            ),
                        ));
                    }
                    match self.stack.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => self.finish_record(node),
                    }
                }
            }
            Ok(XmlEvent::Eof) => {
                self.done = true;
                if !self.stack.is_empty() {
                    let open = self
                        .stack
                        .last()
                        .map(|n| n.name.clone())
                        .unwrap_or_default();
                    self.reject_current(&open, format!("broken XML: file ends inside <{open}>"));
                }
            }
            Ok(_) => {}
            Err(e) => {
                let pos = self.reader.error_position();
                self.errors += 1;
                let stuck = self.last_error_pos == Some(pos) || self.errors > 1000;
                self.last_error_pos = Some(pos);
                if self.stack.is_empty() {
                    self.pending.push_back(Event::Reject(Reject::record(
                        &self.label,
                        self.line(),
                        "document",
                        format!("broken XML outside any entry: {e}"),
                        "",
                    )));
                } else {
                    let open = self
                        .stack
                        .last()
                        .map(|n| n.name.clone())
                        .unwrap_or_default();
                    self.reject_current(&open, format!("broken XML: {e}"));
                }
                if stuck || matches!(e, quick_xml::Error::Io(_)) {
                    self.done = true;
                    self.pending.push_back(Event::Reject(Reject::record(
                        &self.label,
                        self.line(),
                        "document",
                        "cannot resume after XML error; rest of file not read",
                        "",
                    )));
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for UnXml<R> {
    type Item = Event<WatchlistEntry>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Some(ev);
            }
            if self.done {
                return None;
            }
            self.step();
        }
    }
}

type Warnings = Vec<(String, String, String)>;

/// Element name for the tree and for rejects; never empty (`<>` is legal to quick-xml).
fn elem_name(b: &[u8]) -> String {
    if b.is_empty() {
        "(unnamed element)".to_string()
    } else {
        String::from_utf8_lossy(b).into_owned()
    }
}

/// A name field that says "no value" (`n/a`, `-`; `na` after the first field: one UN entry
/// has `FOURTH_NAME` = `na`) rather than a name part. `NA` as the first field stays: it is a
/// Korean family name.
fn placeholder_part(v: &str, field: usize) -> bool {
    let v = v.trim();
    v.is_empty()
        || v.chars().all(|c| !c.is_alphanumeric())
        || v.eq_ignore_ascii_case("n/a")
        || v.eq_ignore_ascii_case("n.a.")
        || (field > 0 && v.eq_ignore_ascii_case("na"))
}

fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

fn map_record(
    n: &Node,
    version: &str,
    w: &mut Warnings,
) -> Result<WatchlistEntry, (String, String)> {
    let individual = n.name == "INDIVIDUAL";
    let id = n
        .get("DATAID")
        .ok_or_else(|| ("DATAID".to_string(), "missing entry id".to_string()))?;
    if id.len() > 64 || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(("DATAID".into(), format!("bad entry id {:?}", excerpt(&id))));
    }
    let parts: Vec<String> = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
        .iter()
        .enumerate()
        .filter_map(|(i, t)| n.get(t).filter(|v| !placeholder_part(v, i)))
        .collect();
    if parts.is_empty() {
        return Err(("FIRST_NAME".into(), "no name".into()));
    }
    let mut e = WatchlistEntry {
        list: ListRef {
            list_id: LIST_ID.into(),
            version: version.to_string(),
        },
        entry_id: id,
        kind: if individual {
            EntityKind::Person
        } else {
            EntityKind::Organization
        },
        ..Default::default()
    };
    let mut primary = Name::full(parts.join(" "));
    primary.quality = NameQuality::Primary;
    primary.script = detect_script(&primary.full);
    if individual && parts.len() >= 2 {
        primary.given = Some(parts[0].clone());
        primary.family = parts.last().cloned();
        if parts.len() > 2 {
            primary.middle = Some(parts[1..parts.len() - 1].join(" "));
        }
    }
    e.names.push(primary);
    for t in ["UN_LIST_TYPE", "REFERENCE_NUMBER"] {
        if let Some(v) = n.get(t) {
            e.programs.push(v);
        }
    }
    if let Some(l) = n.get("LISTED_ON") {
        match parse_iso_date(&l) {
            Some(d) => e.listed = Some(d),
            None => w.push(("LISTED_ON".into(), "unreadable date".into(), l)),
        }
    }
    for u in n.values("LAST_DAY_UPDATED") {
        match parse_iso_date(&u) {
            Some(d) => e.updated = e.updated.max(Some(d)),
            None => w.push(("LAST_DAY_UPDATED".into(), "unreadable date".into(), u)),
        }
    }
    if let Some(g) = n.get("GENDER") {
        match g.to_ascii_lowercase().as_str() {
            "male" => e.sex = Sex::Male,
            "female" => e.sex = Sex::Female,
            _ => w.push(("GENDER".into(), "unknown gender".into(), g)),
        }
    }
    let mut remarks = Vec::new();
    for (t, label) in [("TITLE", "Title"), ("DESIGNATION", "Designation")] {
        let v = n.values(t);
        if !v.is_empty() {
            remarks.push(format!("{label}: {}", v.join(", ")));
        }
    }
    if let Some(c) = n.get("COMMENTS1") {
        remarks.push(c);
    }
    e.remarks = Some(remarks.join("; ")).filter(|r| !r.is_empty());
    for v in n.values("NATIONALITY") {
        match normalize_country(&v) {
            Some(c) if !e.nationalities.contains(&c) => e.nationalities.push(c),
            Some(_) => {}
            None => w.push(("NATIONALITY".into(), format!("unknown country {v:?}"), v)),
        }
    }
    // Aliases.
    let alias_tag = if individual {
        "INDIVIDUAL_ALIAS"
    } else {
        "ENTITY_ALIAS"
    };
    for a in n.kids(alias_tag) {
        let Some(name) = a.get("ALIAS_NAME") else {
            continue;
        };
        let q = a.get("QUALITY").unwrap_or_default().to_ascii_lowercase();
        let quality = match q.as_str() {
            "low" | "f.k.a." | "fka" => NameQuality::Weak,
            _ => NameQuality::Strong,
        };
        if !e.names.iter().any(|x| x.full.eq_ignore_ascii_case(&name)) {
            let script = detect_script(&name);
            e.names.push(Name {
                full: name,
                quality,
                script,
                ..Default::default()
            });
        }
        if let Some(d) = a.get("DATE_OF_BIRTH") {
            match parse_un_date(&d, false) {
                Ok(spec) => push_dob(&mut e, spec),
                Err(r) => w.push((format!("{alias_tag}.DATE_OF_BIRTH"), r, d)),
            }
        }
        let pob: Vec<String> = ["CITY_OF_BIRTH", "COUNTRY_OF_BIRTH"]
            .iter()
            .filter_map(|t| a.get(t))
            .collect();
        if !pob.is_empty() {
            push_pob(&mut e, pob.join(", "));
        }
    }
    for o in n.kids("NAME_ORIGINAL_SCRIPT") {
        let t = clean(&o.text);
        if !t.is_empty() && !e.names.iter().any(|x| x.full == t) {
            let script = detect_script(&t);
            e.names.push(Name {
                full: t,
                quality: NameQuality::Strong,
                script,
                ..Default::default()
            });
        }
    }
    // Addresses.
    let addr_tag = if individual {
        "INDIVIDUAL_ADDRESS"
    } else {
        "ENTITY_ADDRESS"
    };
    for a in n.kids(addr_tag) {
        let mut ad = Address {
            line: a.get("STREET"),
            city: a.get("CITY"),
            region: a.get("STATE_PROVINCE"),
            postal_code: a.get("ZIP_CODE"),
            country: None,
        };
        if let Some(c) = a.get("COUNTRY") {
            ad.country = normalize_country(&c);
            if ad.country.is_none() {
                w.push((
                    format!("{addr_tag}.COUNTRY"),
                    format!("unknown country {c:?}"),
                    c.clone(),
                ));
                if ad.region.is_none() {
                    ad.region = Some(c);
                }
            }
        }
        if ad != Address::default() && !e.addresses.contains(&ad) {
            e.addresses.push(ad);
        }
    }
    // Dates of birth.
    for d in n.kids("INDIVIDUAL_DATE_OF_BIRTH") {
        match un_dob(d) {
            Ok(Some(spec)) => push_dob(&mut e, spec),
            Ok(None) => {}
            Err((reason, raw)) => w.push(("INDIVIDUAL_DATE_OF_BIRTH".into(), reason, raw)),
        }
    }
    for p in n.kids("INDIVIDUAL_PLACE_OF_BIRTH") {
        let parts: Vec<String> = ["CITY", "STATE_PROVINCE", "COUNTRY"]
            .iter()
            .filter_map(|t| p.get(t))
            .collect();
        if !parts.is_empty() {
            push_pob(&mut e, parts.join(", "));
        }
    }
    // Documents.
    for d in n.kids("INDIVIDUAL_DOCUMENT") {
        let Some(num) = d.get("NUMBER") else { continue };
        let typ = [d.get("TYPE_OF_DOCUMENT"), d.get("TYPE_OF_DOCUMENT2")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let kind = DocumentKind::classify(&typ);
        let number = match normalize_document_number(&num) {
            Ok(x) => x,
            Err(err) => {
                w.push(("INDIVIDUAL_DOCUMENT.NUMBER".into(), err.to_string(), num));
                continue;
            }
        };
        let mut issuer = None;
        if let Some(c) = d
            .get("ISSUING_COUNTRY")
            .or_else(|| d.get("COUNTRY_OF_ISSUE"))
        {
            issuer = normalize_country(&c);
            if issuer.is_none() {
                w.push((
                    "INDIVIDUAL_DOCUMENT.ISSUING_COUNTRY".into(),
                    format!("unknown country {c:?}"),
                    c,
                ));
            }
        }
        let doc = Document {
            kind,
            number,
            issuer,
            expiry: None,
        };
        if !e.documents.contains(&doc) {
            e.documents.push(doc);
        }
    }
    Ok(e)
}

/// One `INDIVIDUAL_DATE_OF_BIRTH`. The list sometimes puts the date (or a refinement) only in
/// `NOTE`: `Nov. 1973`, `YEAR 1958` + `NOTE Sep.`, `BETWEEN` + `NOTE Approximately`,
/// `Between Aug. and Sep. 1977`. A note that holds no readable date (`30-35 years old`, a Hijri
/// date) is a field warning.
fn un_dob(d: &Node) -> Result<Option<DateSpec>, (String, String)> {
    let typ = d
        .get("TYPE_OF_DATE")
        .unwrap_or_default()
        .to_ascii_uppercase();
    let note = d
        .get("NOTE")
        .map(|n| n.replace('.', " "))
        .map(|n| clean(&n))
        .unwrap_or_default();
    let note_lower = note.to_ascii_lowercase();
    let approx = typ.starts_with("APPROX") || note_lower.starts_with("approx");
    if typ == "BETWEEN" || (d.get("FROM_YEAR").is_some() && d.get("TO_YEAR").is_some()) {
        return match (d.get("FROM_YEAR"), d.get("TO_YEAR")) {
            (Some(f), Some(t)) => {
                let mut r = year_range(&f, &t).map_err(|r| (r, format!("{f} to {t}")))?;
                if let DateSpec::Range { from, to } = &mut r {
                    from.approximate |= approx;
                    to.approximate |= approx;
                }
                Ok(Some(r))
            }
            _ => Err(("BETWEEN without FROM_YEAR and TO_YEAR".to_string(), typ)),
        };
    }
    if let Some(x) = d.get("DATE") {
        return parse_un_date(&x, approx).map(Some).map_err(|r| (r, x));
    }
    if let Some(y) = d.get("YEAR") {
        // `YEAR 1958` + `NOTE Sep.` → 1958-09.
        if let Some(m) = linkwatch_model::date::month_from_name(&note) {
            if let Ok(mut pd) = PartialDate::year_month(y.trim().parse().unwrap_or(0), m) {
                if plausible_year(pd.year) {
                    pd.approximate = approx;
                    return Ok(Some(DateSpec::Date(pd)));
                }
            }
        }
        return parse_un_date(&y, approx).map(Some).map_err(|r| (r, y));
    }
    if note.is_empty() || note_lower.starts_with("approx") {
        return Ok(None);
    }
    // The date is only in the note.
    if let Some(rest) = note_lower.strip_prefix("between ") {
        if let Some((a, b)) = rest.split_once(" and ") {
            let year = b.split_whitespace().last().unwrap_or("");
            let a_full = if a.split_whitespace().count() == 1 {
                format!("{a} {year}")
            } else {
                a.to_string()
            };
            if let (Ok(DateSpec::Date(from)), Ok(DateSpec::Date(to))) =
                (parse_un_date(&a_full, approx), parse_un_date(b, approx))
            {
                if from <= to {
                    return Ok(Some(DateSpec::Range { from, to }));
                }
            }
        }
    }
    parse_un_date(&note, approx).map(Some).map_err(|_| {
        (
            "date of birth only in NOTE and not readable as a date".to_string(),
            note,
        )
    })
}

fn push_dob(e: &mut WatchlistEntry, spec: DateSpec) {
    if !e.dobs.contains(&spec) {
        e.dobs.push(spec);
    }
}

fn push_pob(e: &mut WatchlistEntry, p: String) {
    if !e.places_of_birth.contains(&p) {
        e.places_of_birth.push(p);
    }
}

fn plausible_year(y: i16) -> bool {
    (1850..=2100).contains(&y)
}

/// `1971-05-01`, `1971`, `1971-05`, `01/05/1971`...; `approx` marks it approximate.
fn parse_un_date(s: &str, approx: bool) -> Result<DateSpec, String> {
    let mut d = PartialDate::parse(s).map_err(|e| e.to_string())?;
    if !plausible_year(d.year) {
        return Err(format!("implausible year {}", d.year));
    }
    d.approximate |= approx;
    Ok(DateSpec::Date(d))
}

fn year_range(f: &str, t: &str) -> Result<DateSpec, String> {
    let y = |s: &str| -> Result<i16, String> {
        let v: i16 = s
            .trim()
            .parse()
            .map_err(|_| format!("year {s:?} is not a number"))?;
        if plausible_year(v) {
            Ok(v)
        } else {
            Err(format!("implausible year {v}"))
        }
    };
    let (a, b) = (y(f)?, y(t)?);
    if a > b {
        return Err(format!("range ends before it starts: {a} to {b}"));
    }
    Ok(DateSpec::Range {
        from: PartialDate::year(a),
        to: PartialDate::year(b),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reject::Level;
    use linkwatch_model::Script;

    fn wrap(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09.554Z\">\n<INDIVIDUALS>\n{body}\n</INDIVIDUALS>\n<ENTITIES>\n<ENTITY><DATAID>900</DATAID><FIRST_NAME>ACME TRADING</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDe.001</REFERENCE_NUMBER><ENTITY_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>ACME</ALIAS_NAME></ENTITY_ALIAS><ENTITY_ADDRESS><CITY>Kabul</CITY><COUNTRY>Afghanistan</COUNTRY></ENTITY_ADDRESS></ENTITY>\n</ENTITIES>\n</CONSOLIDATED_LIST>\n"
        )
    }

    const FULL: &str = r#"<INDIVIDUAL>
      <DATAID>6908</DATAID>
      <FIRST_NAME>ABDUL</FIRST_NAME><SECOND_NAME>QADIR</SECOND_NAME><THIRD_NAME>BASIR</THIRD_NAME><FOURTH_NAME>ABDUL BASEER</FOURTH_NAME>
      <UN_LIST_TYPE>Taliban</UN_LIST_TYPE><REFERENCE_NUMBER>TAi.008</REFERENCE_NUMBER>
      <LISTED_ON>2001-02-23</LISTED_ON><GENDER>Male</GENDER>
      <NAME_ORIGINAL_SCRIPT>عبدالقادر بصیر عبد البصير</NAME_ORIGINAL_SCRIPT>
      <COMMENTS1>Financial advisor &amp; treasurer.</COMMENTS1>
      <TITLE><VALUE>Maulavi</VALUE></TITLE>
      <NATIONALITY><VALUE>Afghanistan</VALUE><VALUE>Iran (Islamic Republic of)</VALUE></NATIONALITY>
      <LAST_DAY_UPDATED><VALUE>2007-07-27</VALUE><VALUE>2021-01-01</VALUE></LAST_DAY_UPDATED>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abdul Qadir Basir</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Haji Basir</ALIAS_NAME><DATE_OF_BIRTH>1960</DATE_OF_BIRTH></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><CITY>Peshawar</CITY><COUNTRY>Pakistan</COUNTRY></INDIVIDUAL_ADDRESS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1964-05-01</DATE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1965</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1966</FROM_YEAR><TO_YEAR>1968</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1970</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE/></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Nov. 1973 </NOTE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1958</YEAR><NOTE>Sep.</NOTE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1955</FROM_YEAR><TO_YEAR>1958</TO_YEAR><NOTE>Approximately</NOTE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Between Aug. and Sep. 1977</NOTE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Surkh Rod</CITY><STATE_PROVINCE>Nangarhar</STATE_PROVINCE><COUNTRY>Afghanistan</COUNTRY></INDIVIDUAL_PLACE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>D 000974</NUMBER><ISSUING_COUNTRY>Afghanistan</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT><NUMBER>12-345</NUMBER><COUNTRY_OF_ISSUE>Russian Federation</COUNTRY_OF_ISSUE></INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT/>
    </INDIVIDUAL>"#;

    #[test]
    fn parses_full_individual_and_entity() {
        let (es, rj) = UnXml::new(wrap(FULL).as_bytes(), "un.xml", "").collect();
        assert!(rj.is_empty(), "{rj:?}");
        assert_eq!(es.len(), 2);
        let e = &es[0];
        assert_eq!(e.list.version, "2026-02-27");
        assert_eq!(e.entry_id, "6908");
        assert_eq!(e.kind, EntityKind::Person);
        assert_eq!(e.names[0].full, "ABDUL QADIR BASIR ABDUL BASEER");
        assert_eq!(e.names[0].given.as_deref(), Some("ABDUL"));
        assert_eq!(e.names[0].middle.as_deref(), Some("QADIR BASIR"));
        assert_eq!(e.names[0].family.as_deref(), Some("ABDUL BASEER"));
        let n: Vec<(&str, NameQuality, Script)> = e
            .names
            .iter()
            .map(|n| (n.full.as_str(), n.quality, n.script))
            .collect();
        assert_eq!(
            n,
            [
                (
                    "ABDUL QADIR BASIR ABDUL BASEER",
                    NameQuality::Primary,
                    Script::Latin
                ),
                ("Abdul Qadir Basir", NameQuality::Strong, Script::Latin),
                ("Haji Basir", NameQuality::Weak, Script::Latin),
                (
                    "عبدالقادر بصیر عبد البصير",
                    NameQuality::Strong,
                    Script::Arabic
                ),
            ]
        );
        let dobs: Vec<String> = e
            .dobs
            .iter()
            .map(|d| serde_json::to_string(d).unwrap())
            .collect();
        assert_eq!(
            dobs,
            [
                "\"1960\"",
                "\"1964-05-01\"",
                "\"1965~\"",
                "{\"from\":\"1966\",\"to\":\"1968\"}",
                "\"1970\"",
                "\"1973-11\"",
                "\"1958-09\"",
                "{\"from\":\"1955~\",\"to\":\"1958~\"}",
                "{\"from\":\"1977-08\",\"to\":\"1977-09\"}",
            ]
        );
        assert_eq!(
            e.nationalities
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>(),
            ["AF", "IR"]
        );
        assert_eq!(e.places_of_birth, ["Surkh Rod, Nangarhar, Afghanistan"]);
        assert_eq!(e.documents.len(), 2);
        assert_eq!(e.documents[0].number, "D000974");
        assert_eq!(e.documents[0].kind, DocumentKind::Passport);
        assert_eq!(e.documents[1].kind, DocumentKind::NationalId);
        assert_eq!(
            e.documents[1].issuer.map(|c| c.to_string()).as_deref(),
            Some("RU")
        );
        assert_eq!(e.addresses[0].city.as_deref(), Some("Peshawar"));
        assert_eq!(e.programs, ["Taliban", "TAi.008"]);
        assert_eq!(
            e.listed.map(|d| d.to_string()).as_deref(),
            Some("2001-02-23")
        );
        assert_eq!(
            e.updated.map(|d| d.to_string()).as_deref(),
            Some("2021-01-01")
        );
        assert_eq!(e.sex, Sex::Male);
        assert!(e
            .remarks
            .as_deref()
            .unwrap_or("")
            .contains("Title: Maulavi; Financial advisor & treasurer."));
        let org = &es[1];
        assert_eq!(org.kind, EntityKind::Organization);
        assert_eq!(org.names.len(), 2);
        assert_eq!(
            org.addresses[0].country.map(|c| c.to_string()).as_deref(),
            Some("AF")
        );
    }

    #[test]
    fn field_warnings_keep_entry() {
        let body = "<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>X</FIRST_NAME><NATIONALITY><VALUE>former Soviet Union</VALUE></NATIONALITY>\
            <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-02-31</DATE></INDIVIDUAL_DATE_OF_BIRTH>\
            <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1980</FROM_YEAR><TO_YEAR>1970</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>";
        let (es, rj) = UnXml::new(wrap(body).as_bytes(), "un.xml", "v1").collect();
        assert_eq!(es.len(), 2);
        assert_eq!(es[0].list.version, "v1");
        assert!(es[0].dobs.is_empty());
        let f: Vec<(&str, Level, Option<&str>, u64)> = rj
            .iter()
            .map(|r| (r.field.as_str(), r.level, r.entry_id.as_deref(), r.record))
            .collect();
        assert_eq!(
            f,
            [
                ("NATIONALITY", Level::Field, Some("7"), 4),
                ("INDIVIDUAL_DATE_OF_BIRTH", Level::Field, Some("7"), 4),
                ("INDIVIDUAL_DATE_OF_BIRTH", Level::Field, Some("7"), 4),
            ]
        );
    }

    #[test]
    fn placeholder_name_parts_are_dropped() {
        // One UN entry has FOURTH_NAME `na`: "no value", not a name part. `NA` as the first
        // field is a Korean family name and stays.
        let body = "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>FAIZULLAH</FIRST_NAME><SECOND_NAME>KHAN</SECOND_NAME>\
            <THIRD_NAME>NOORZAI</THIRD_NAME><FOURTH_NAME>na</FOURTH_NAME></INDIVIDUAL>\n\
            <INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>NA</FIRST_NAME><SECOND_NAME>YONG SU</SECOND_NAME><THIRD_NAME>-</THIRD_NAME>\
            <FOURTH_NAME>N/A</FOURTH_NAME></INDIVIDUAL>\n\
            <INDIVIDUAL><DATAID>3</DATAID><FIRST_NAME>n/a</FIRST_NAME></INDIVIDUAL>";
        let (es, rj) = UnXml::new(wrap(body).as_bytes(), "un.xml", "").collect();
        let names: Vec<(&str, &str)> = es
            .iter()
            .map(|e| (e.entry_id.as_str(), e.names[0].full.as_str()))
            .collect();
        assert_eq!(
            names[..2],
            [("1", "FAIZULLAH KHAN NOORZAI"), ("2", "NA YONG SU")]
        );
        assert_eq!(es[0].names[0].family.as_deref(), Some("NOORZAI"));
        // a name made of placeholders only is no name: the record is rejected, naming the field
        assert!(rj
            .iter()
            .any(|r| r.entry_id.as_deref() == Some("3") && r.field == "FIRST_NAME"));
    }

    #[test]
    fn broken_elements_rejected_others_kept() {
        let body = "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>GOOD ONE</FIRST_NAME></INDIVIDUAL>\n\
            <INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>BROKEN</SECOND_NAME></INDIVIDUAL>\n\
            <INDIVIDUAL><DATAID>3</DATAID></INDIVIDUAL>\n\
            <INDIVIDUAL><FIRST_NAME>NO ID</FIRST_NAME></INDIVIDUAL>\n\
            <INDIVIDUAL><DATAID>5</DATAID><FIRST_NAME>GOOD TWO</FIRST_NAME></INDIVIDUAL>";
        let (es, rj) = UnXml::new(wrap(body).as_bytes(), "un.xml", "").collect();
        let ids: Vec<&str> = es.iter().map(|e| e.entry_id.as_str()).collect();
        assert_eq!(ids, ["1", "5", "900"]);
        let f: Vec<(u64, &str, Option<&str>)> = rj
            .iter()
            .map(|r| (r.record, r.field.as_str(), r.entry_id.as_deref()))
            .collect();
        assert_eq!(
            f,
            [
                (5, "FIRST_NAME", Some("2")),
                (6, "FIRST_NAME", Some("3")),
                (7, "DATAID", None)
            ]
        );
        assert!(rj.iter().all(|r| r.level == Level::Record));
        assert!(rj[0].reason.contains("broken XML"));
    }

    #[test]
    fn truncated_file_keeps_earlier_entries() {
        let xml = wrap(FULL);
        let cut = &xml[..xml.find("<INDIVIDUAL_DOCUMENT>").unwrap_or(xml.len())];
        let (es, rj) = UnXml::new(cut.as_bytes(), "un.xml", "").collect();
        assert!(es.is_empty());
        assert_eq!(rj.len(), 1);
        assert_eq!(rj[0].entry_id.as_deref(), Some("6908"));
        let two = format!("{}\n{}", FULL.replace("6908", "1"), &FULL[..200]);
        let (es, rj) = UnXml::new(wrap(&two).as_bytes(), "un.xml", "").collect();
        assert_eq!(es.len(), 1, "{rj:?}");
        assert!(!rj.is_empty());
    }

    #[test]
    fn bad_encoding_is_a_field_warning_and_bom_is_skipped() {
        let mut xml = b"\xef\xbb\xbf".to_vec();
        xml.extend_from_slice(
            wrap("<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>MU\u{d1}OZ</FIRST_NAME></INDIVIDUAL>")
                .as_bytes(),
        );
        // Replace the UTF-8 Ñ with a bare Latin-1 byte: invalid UTF-8.
        let pos = xml.windows(2).position(|w| w == "Ñ".as_bytes()).unwrap();
        xml.splice(pos..pos + 2, [0xd1u8]);
        let (es, rj) = UnXml::new(&xml[..], "un.xml", "").collect();
        assert_eq!(es.len(), 2, "{rj:?}");
        assert!(es[0].names[0].full.starts_with("MU"));
        assert_eq!(rj.len(), 1);
        assert_eq!(rj[0].field, "FIRST_NAME");
        assert_eq!(rj[0].level, Level::Field);
    }

    #[test]
    fn unnamed_element_is_named_in_reject() {
        // Found by cargo-fuzz (fuzz/regressions/un_xml/crash-empty-element-name.xml).
        let body = "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>X</FIRST_NAME><></DOB></INDIVIDUAL>";
        let (es, rj) = UnXml::new(wrap(body).as_bytes(), "un.xml", "").collect();
        assert_eq!(es.len(), 1);
        assert_eq!(rj.len(), 1);
        assert_eq!(rj[0].field, "(unnamed element)");
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            "<",
            "<<<>>>",
            "<INDIVIDUAL>",
            "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>&bogus;</FIRST_NAME></INDIVIDUAL>",
            "\u{0}\u{1}<a b=>",
        ] {
            let _ = UnXml::new(s.as_bytes(), "x", "").collect();
        }
        let deep = format!("<INDIVIDUAL><DATAID>1</DATAID>{}", "<a>".repeat(500));
        let (es, rj) = UnXml::new(deep.as_bytes(), "x", "").collect();
        assert!(es.is_empty());
        assert!(!rj.is_empty());
    }
}
