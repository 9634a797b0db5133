//! A simple CSV layout for custom watchlists (an agency's own list, a partner's list, a test
//! fixture), read into [`WatchlistEntry`].
//!
//! The first row is a header; columns are matched by name (case-insensitive, any order).
//! Only `entry_id` and `name` are required; unknown columns are ignored. Multi-valued cells use
//! `;` between values.
//!
//! | column | meaning | example |
//! |---|---|---|
//! | `entry_id` | unique id within the list (required) | `C-0001` |
//! | `name` | primary name as written (required) | `KARIMOV, Abdulla` or `Абдулла Каримов` |
//! | `aliases` | strong aliases, `;`-separated | `Abdullah Karimov;Abdulla Karimow` |
//! | `weak_aliases` | weak aliases (nicknames, noms de guerre) | `Abu Bakr` |
//! | `kind` | `person` (default), `organization`, `vessel`, `aircraft`, `other` | `person` |
//! | `sex` | `male`, `female`, `m`, `f` or empty | `m` |
//! | `dob` | dates of birth, `;`-separated: `1981-03-07`, `1981-03`, `1981`, `circa 1981`, `1960 to 1962`, `07/03/1981` (day first) | `1981-03-07;circa 1980` |
//! | `nationality` | countries, any common form, `;`-separated | `UZ;Russian Federation` |
//! | `place_of_birth` | free text, `;`-separated | `Samarkand, Uzbekistan` |
//! | `document` | `;`-separated items `number`, `kind:number` or `kind:number:country`; kind is `passport`, `national_id`, `birth_certificate`, `driver_license`, `residence_permit`, `visa_number`, `alien_number`, `tax_id` or `other` | `passport:AA1234567:UZ;national_id:123` |
//! | `program` | programs / categories, `;`-separated | `TEST` |
//! | `remarks` | free text | |
//! | `caveat` | handling caveat | `LES` |
//!
//! A name that is empty or an `entry_id` that is empty rejects the row; a value that cannot be
//! read (an impossible date, an unknown country or document kind) is a field-level warning and
//! the row is kept. Names written in a non-Latin script get their script detected.
//! This module does no file I/O.

use crate::ofac::parse_ofac_dob;
use crate::reject::{Event, Reject};
use crate::text::{clean, decode_latin1_or_utf8, detect_script};
use linkwatch_model::{
    normalize_country, normalize_document_number, Document, DocumentKind, EntityKind, ListRef,
    Name, NameQuality, Sex, WatchlistEntry,
};
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Read;

/// The recognised columns, in the order [`write_header`] writes them.
pub const COLUMNS: &[&str] = &[
    "entry_id",
    "name",
    "aliases",
    "weak_aliases",
    "kind",
    "sex",
    "dob",
    "nationality",
    "place_of_birth",
    "document",
    "program",
    "remarks",
    "caveat",
];

/// Streaming reader of the custom-list CSV layout.
///
/// ```
/// use linkwatch_formats::csvlist::CsvListReader;
/// let csv = "entry_id,name,aliases,dob,nationality,document\nC1,Abdulla Karimov,Abdullah Karimov;A. Karimov,1981-03-07,UZ,passport:AA123:UZ\n";
/// let (e, r) = linkwatch_formats::collect(CsvListReader::new(csv.as_bytes(), "custom.csv", "custom", "1"));
/// assert_eq!(e[0].names.len(), 3);
/// assert!(r.is_empty());
/// ```
pub struct CsvListReader<R: Read> {
    rdr: csv::Reader<R>,
    label: String,
    list: ListRef,
    cols: Option<HashMap<String, usize>>,
    header_len: usize,
    pending: VecDeque<Event<WatchlistEntry>>,
    seen: HashSet<String>,
    done: bool,
    errors: u32,
}

impl<R: Read> CsvListReader<R> {
    pub fn new(r: R, label: &str, list_id: &str, version: &str) -> Self {
        let rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(r);
        CsvListReader {
            rdr,
            label: label.to_string(),
            list: ListRef {
                list_id: list_id.to_string(),
                version: version.to_string(),
            },
            cols: None,
            header_len: 0,
            pending: VecDeque::new(),
            seen: HashSet::new(),
            done: false,
            errors: 0,
        }
    }

    fn header(&mut self, line: u64, rec: &csv::ByteRecord) -> bool {
        let mut cols = HashMap::new();
        for (i, f) in rec.iter().enumerate() {
            let name = clean(&decode_latin1_or_utf8(f))
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase();
            cols.entry(name).or_insert(i);
        }
        for req in ["entry_id", "name"] {
            if !cols.contains_key(req) {
                self.pending.push_back(Event::Reject(Reject::record(
                    &self.label,
                    line,
                    req,
                    format!(
                        "header has no {req:?} column; expected columns: {}",
                        COLUMNS.join(",")
                    ),
                    &raw(rec),
                )));
                self.done = true;
                return false;
            }
        }
        self.header_len = rec.len();
        self.cols = Some(cols);
        true
    }

    fn row(&mut self, line: u64, rec: &csv::ByteRecord) {
        let Some(cols) = &self.cols else { return };
        let get = |c: &str| -> String {
            cols.get(c)
                .and_then(|&i| rec.get(i))
                .map(|f| clean(&decode_latin1_or_utf8(f)))
                .unwrap_or_default()
        };
        let multi = |c: &str| -> Vec<String> {
            get(c)
                .split(';')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let rawtxt = raw(rec);
        if rec.len() != self.header_len {
            self.pending.push_back(Event::Reject(
                Reject::record(
                    &self.label,
                    line,
                    "record",
                    format!(
                        "expected {} columns as in the header, found {}",
                        self.header_len,
                        rec.len()
                    ),
                    &rawtxt,
                )
                .with_id(Some(&get("entry_id"))),
            ));
            return;
        }
        let id = get("entry_id");
        if id.is_empty() {
            self.pending.push_back(Event::Reject(Reject::record(
                &self.label,
                line,
                "entry_id",
                "empty",
                &rawtxt,
            )));
            return;
        }
        if !self.seen.insert(id.clone()) {
            self.pending.push_back(Event::Reject(
                Reject::record(&self.label, line, "entry_id", "duplicate entry id", &rawtxt)
                    .with_id(Some(&id)),
            ));
            return;
        }
        let name = get("name");
        if name.is_empty() {
            self.pending.push_back(Event::Reject(
                Reject::record(&self.label, line, "name", "empty name", &rawtxt).with_id(Some(&id)),
            ));
            return;
        }
        let label = self.label.clone();
        let mut warnings: Vec<Reject> = Vec::new();
        let mut warn = |field: &str, reason: String, raw: &str| {
            warnings.push(Reject::field(&label, line, field, reason, raw).with_id(Some(&id)));
        };
        let kind = match get("kind").to_ascii_lowercase().as_str() {
            "" | "person" | "individual" => EntityKind::Person,
            "organization" | "organisation" | "entity" => EntityKind::Organization,
            "vessel" => EntityKind::Vessel,
            "aircraft" => EntityKind::Aircraft,
            "other" => EntityKind::Other,
            k => {
                warn("kind", format!("unknown kind {k:?}"), k);
                EntityKind::Other
            }
        };
        let mut e = WatchlistEntry {
            list: self.list.clone(),
            entry_id: id.clone(),
            kind,
            ..Default::default()
        };
        let mk = |full: &str, quality| {
            let mut n = if kind == EntityKind::Person {
                crate::ofac::person_name(full)
            } else {
                Name::full(full)
            };
            n.quality = quality;
            n.script = detect_script(full);
            n
        };
        e.names.push(mk(&name, NameQuality::Primary));
        for a in multi("aliases") {
            e.names.push(mk(&a, NameQuality::Strong));
        }
        for a in multi("weak_aliases") {
            e.names.push(mk(&a, NameQuality::Weak));
        }
        e.sex = match get("sex").to_ascii_lowercase().as_str() {
            "m" | "male" => Sex::Male,
            "f" | "female" => Sex::Female,
            "" | "u" | "unknown" => Sex::Unknown,
            s => {
                warn("sex", format!("unknown sex {s:?}"), s);
                Sex::Unknown
            }
        };
        for d in multi("dob") {
            match parse_ofac_dob(&d) {
                Ok(spec) if !e.dobs.contains(&spec) => e.dobs.push(spec),
                Ok(_) => {}
                Err(reason) => warn("dob", reason, &d),
            }
        }
        for n in multi("nationality") {
            match normalize_country(&n) {
                Some(c) if !e.nationalities.contains(&c) => e.nationalities.push(c),
                Some(_) => {}
                None => warn("nationality", format!("unknown country {n:?}"), &n),
            }
        }
        e.places_of_birth = multi("place_of_birth");
        for d in multi("document") {
            match parse_doc_item(&d) {
                Ok((doc, w)) => {
                    if let Some(w) = w {
                        warn("document", w, &d);
                    }
                    e.documents.push(doc);
                }
                Err(reason) => warn("document", reason, &d),
            }
        }
        e.programs = multi("program");
        e.remarks = Some(get("remarks")).filter(|s| !s.is_empty());
        e.caveat = Some(get("caveat")).filter(|s| !s.is_empty());
        self.pending.extend(warnings.into_iter().map(Event::Reject));
        self.pending.push_back(Event::Record(e));
    }
}

fn raw(rec: &csv::ByteRecord) -> String {
    rec.iter()
        .map(|f| decode_latin1_or_utf8(f).into_owned())
        .collect::<Vec<_>>()
        .join(",")
}

fn doc_kind(s: &str) -> Option<DocumentKind> {
    Some(
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "passport" | "p" => DocumentKind::Passport,
            "national_id" | "id" => DocumentKind::NationalId,
            "birth_certificate" => DocumentKind::BirthCertificate,
            "driver_license" => DocumentKind::DriverLicense,
            "residence_permit" => DocumentKind::ResidencePermit,
            "visa_number" | "visa" => DocumentKind::VisaNumber,
            "alien_number" | "a_number" => DocumentKind::AlienNumber,
            "tax_id" => DocumentKind::TaxId,
            "other" => DocumentKind::Other,
            _ => return None,
        },
    )
}

/// `number`, `kind:number` or `kind:number:country`.
fn parse_doc_item(s: &str) -> Result<(Document, Option<String>), String> {
    let parts: Vec<&str> = s.split(':').collect();
    let (kind, num, country) = match parts.as_slice() {
        [n] => (DocumentKind::Other, *n, None),
        [k, n] => (
            doc_kind(k).ok_or_else(|| format!("unknown document kind {k:?}"))?,
            *n,
            None,
        ),
        [k, n, c] => (
            doc_kind(k).ok_or_else(|| format!("unknown document kind {k:?}"))?,
            *n,
            Some(*c),
        ),
        _ => return Err("expected number, kind:number or kind:number:country".into()),
    };
    let number = normalize_document_number(num).map_err(|e| e.to_string())?;
    let mut warn = None;
    let issuer = match country.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => {
            let r = normalize_country(c);
            if r.is_none() {
                warn = Some(format!("unknown issuing country {c:?}"));
            }
            r
        }
        None => None,
    };
    Ok((
        Document {
            kind,
            number,
            issuer,
            expiry: None,
        },
        warn,
    ))
}

impl<R: Read> Iterator for CsvListReader<R> {
    type Item = Event<WatchlistEntry>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Some(ev);
            }
            if self.done {
                return None;
            }
            let mut rec = csv::ByteRecord::new();
            match self.rdr.read_byte_record(&mut rec) {
                Ok(false) => self.done = true,
                Ok(true) => {
                    let line = rec.position().map(|p| p.line()).unwrap_or(0);
                    if rec
                        .iter()
                        .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
                    {
                        continue;
                    }
                    if self.cols.is_none() {
                        self.header(line, &rec);
                    } else {
                        self.row(line, &rec);
                    }
                }
                Err(e) => {
                    self.errors += 1;
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) || self.errors > 100 {
                        self.done = true;
                    }
                    self.pending.push_back(Event::Reject(Reject::record(
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

/// Write the header row of the custom-list layout.
pub fn write_header<W: std::io::Write>(w: &mut csv::Writer<W>) -> csv::Result<()> {
    w.write_record(COLUMNS)
}

/// Write one entry in the custom-list layout (the inverse of [`CsvListReader`] for the columns
/// it carries; addresses and contacts are not part of this layout).
pub fn write_entry<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    e: &WatchlistEntry,
) -> csv::Result<()> {
    let names = |q: NameQuality| -> String {
        e.names
            .iter()
            .skip(1)
            .filter(|n| n.quality == q)
            .map(|n| n.full.as_str())
            .collect::<Vec<_>>()
            .join(";")
    };
    let kind = match e.kind {
        EntityKind::Person => "person",
        EntityKind::Organization => "organization",
        EntityKind::Vessel => "vessel",
        EntityKind::Aircraft => "aircraft",
        EntityKind::Other => "other",
    };
    let sex = match e.sex {
        Sex::Male => "male",
        Sex::Female => "female",
        Sex::Unknown => "",
    };
    let dobs = e
        .dobs
        .iter()
        .map(|d| match d {
            linkwatch_model::DateSpec::Date(p) => p.to_string(),
            linkwatch_model::DateSpec::Range { from, to } => format!("{from} to {to}"),
        })
        .collect::<Vec<_>>()
        .join(";");
    let nats = e
        .nationalities
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let docs = e
        .documents
        .iter()
        .map(|d| {
            let k = serde_json::to_value(d.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            match d.issuer {
                Some(c) => format!("{k}:{}:{c}", d.number),
                None => format!("{k}:{}", d.number),
            }
        })
        .collect::<Vec<_>>()
        .join(";");
    let primary = e.names.first().map(|n| n.full.as_str()).unwrap_or("");
    w.write_record([
        e.entry_id.as_str(),
        primary,
        &names(NameQuality::Strong),
        &names(NameQuality::Weak),
        kind,
        sex,
        &dobs,
        &nats,
        &e.places_of_birth.join(";"),
        &docs,
        &e.programs.join(";"),
        e.remarks.as_deref().unwrap_or(""),
        e.caveat.as_deref().unwrap_or(""),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reject::{collect, Level};

    #[test]
    fn reads_rows_and_reports_bad_ones() {
        let csv = "\u{feff}Entry_ID,name,aliases,weak_aliases,kind,sex,dob,nationality,document\n\
            C1,\"KARIMOV, Abdulla\",Abdullah Karimov,Abu Bakr,person,m,1981-03-07;1960 to 1962,UZ;Russian Federation,passport:AA 123:UZ\n\
            C2,Абдулла Каримов,,,,,31/02/1981,Atlantis,spaceship:1\n\
            C3,,,,,,,,\n\
            ,Nobody,,,,,,,\n\
            C5,Too,Few\n\
            C1,Dup,,,,,,,\n\
            \n\
            C7,ACME LLC,,,organization,,,,tax_id:12-34\n";
        let (es, rj) = collect(CsvListReader::new(csv.as_bytes(), "c.csv", "custom", "1"));
        let ids: Vec<&str> = es.iter().map(|e| e.entry_id.as_str()).collect();
        assert_eq!(ids, ["C1", "C2", "C7"]);
        let c1 = &es[0];
        assert_eq!(c1.names[0].family.as_deref(), Some("KARIMOV"));
        assert_eq!(c1.names.len(), 3);
        assert_eq!(c1.names[2].quality, NameQuality::Weak);
        assert_eq!(c1.sex, Sex::Male);
        assert_eq!(c1.dobs.len(), 2);
        assert_eq!(c1.nationalities.len(), 2);
        assert_eq!(c1.documents[0].number, "AA123");
        assert_eq!(es[1].names[0].script, linkwatch_model::Script::Cyrillic);
        assert_eq!(es[2].kind, EntityKind::Organization);
        let r: Vec<(u64, &str, Level)> = rj
            .iter()
            .map(|r| (r.record, r.field.as_str(), r.level))
            .collect();
        assert_eq!(
            r,
            [
                (3, "dob", Level::Field),
                (3, "nationality", Level::Field),
                (3, "document", Level::Field),
                (4, "name", Level::Record),
                (5, "entry_id", Level::Record),
                (6, "record", Level::Record),
                (7, "entry_id", Level::Record),
            ]
        );
    }

    #[test]
    fn missing_header_column() {
        let (es, rj) = collect(CsvListReader::new(
            "id,full_name\n1,x\n".as_bytes(),
            "c.csv",
            "custom",
            "1",
        ));
        assert!(es.is_empty());
        assert_eq!(rj.len(), 1);
        assert_eq!(rj[0].field, "entry_id");
    }

    #[test]
    fn write_then_read() {
        let csv = "entry_id,name,aliases,weak_aliases,kind,sex,dob,nationality,place_of_birth,document,program,remarks,caveat\n\
            C1,\"KARIMOV, Abdulla\",Abdullah Karimov,Abu Bakr,person,male,1981-03-07;1960 to 1962,UZ;RU,Samarkand,passport:AA123:UZ,TEST,note,LES\n";
        let (es, _) = collect(CsvListReader::new(csv.as_bytes(), "c.csv", "custom", "1"));
        let mut w = csv::Writer::from_writer(Vec::new());
        write_header(&mut w).unwrap();
        for e in &es {
            write_entry(&mut w, e).unwrap();
        }
        let out = w.into_inner().unwrap();
        let (again, rj) = collect(CsvListReader::new(&out[..], "c2.csv", "custom", "1"));
        assert!(rj.is_empty(), "{rj:?}");
        assert_eq!(again, es);
    }
}
