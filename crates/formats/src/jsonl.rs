//! linkwatch JSON Lines: one serde record per line ([`Encounter`], [`WatchlistEntry`],
//! [`Indicator`], [`PartnerAlert`], as defined in linkwatch-model and shown in
//! `docs/data-model.md`). Blank lines are skipped; a line that is not valid UTF-8, not JSON, or
//! not the expected record is rejected with its line number and the JSON path of the failing
//! field (`subject.dob`), and reading goes on with the next line. This module does no file I/O.

use crate::reject::{excerpt, Event, Reject};
use linkwatch_model::{Encounter, Indicator, PartnerAlert, WatchlistEntry};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::{BufRead, Write};
use std::marker::PhantomData;

/// Longest accepted line (bytes); longer lines are rejected without being parsed.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// A record type that can travel as linkwatch JSONL, with the checks serde cannot express.
pub trait JsonlRecord: DeserializeOwned + Serialize {
    /// The record's id, used in rejects.
    fn record_id(&self) -> Option<&str>;
    /// Semantic checks after deserialisation: `Err((field, reason))` rejects the record.
    fn check(&self) -> Result<(), (String, String)>;
}

fn nonempty(v: &str, field: &str) -> Result<(), (String, String)> {
    if v.trim().is_empty() {
        Err((field.to_string(), "empty".to_string()))
    } else {
        Ok(())
    }
}

impl JsonlRecord for WatchlistEntry {
    fn record_id(&self) -> Option<&str> {
        Some(&self.entry_id)
    }
    fn check(&self) -> Result<(), (String, String)> {
        nonempty(&self.entry_id, "entry_id")?;
        if self.names.is_empty() {
            return Err(("names".into(), "an entry needs at least one name".into()));
        }
        for (i, n) in self.names.iter().enumerate() {
            nonempty(&n.full, &format!("names[{i}].full"))?;
        }
        Ok(())
    }
}

impl JsonlRecord for Encounter {
    fn record_id(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn check(&self) -> Result<(), (String, String)> {
        nonempty(&self.id, "id")
    }
}

impl JsonlRecord for Indicator {
    fn record_id(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn check(&self) -> Result<(), (String, String)> {
        nonempty(&self.id, "id")?;
        nonempty(&self.value, "value")?;
        if !(0.0..=1.0).contains(&self.confidence) {
            return Err((
                "confidence".into(),
                format!("{} is outside 0..=1", self.confidence),
            ));
        }
        Ok(())
    }
}

impl JsonlRecord for PartnerAlert {
    fn record_id(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn check(&self) -> Result<(), (String, String)> {
        nonempty(&self.id, "id")
    }
}

/// Streaming JSONL reader yielding records and rejects.
///
/// ```
/// use linkwatch_formats::jsonl::JsonlReader;
/// use linkwatch_model::WatchlistEntry;
/// let text = "{\"list\":{\"list_id\":\"x\",\"version\":\"1\"},\"entry_id\":\"1\",\"kind\":\"person\",\"names\":[{\"full\":\"A B\"}]}\nnot json\n";
/// let (good, bad) = linkwatch_formats::collect(JsonlReader::<_, WatchlistEntry>::new(text.as_bytes(), "w.jsonl"));
/// assert_eq!((good.len(), bad.len()), (1, 1));
/// assert_eq!(bad[0].record, 2);
/// ```
pub struct JsonlReader<R: BufRead, T> {
    r: R,
    label: String,
    line: u64,
    buf: Vec<u8>,
    done: bool,
    _t: PhantomData<fn() -> T>,
}

impl<R: BufRead, T: JsonlRecord> JsonlReader<R, T> {
    pub fn new(r: R, label: &str) -> Self {
        JsonlReader {
            r,
            label: label.to_string(),
            line: 0,
            buf: Vec::new(),
            done: false,
            _t: PhantomData,
        }
    }

    fn parse_line(&self, bytes: &[u8]) -> Option<Event<T>> {
        parse_line(&self.label, self.line, bytes)
    }
}

/// Parse one JSONL line (`line`: its 1-based number in `label`) as [`JsonlReader`] does: `None`
/// for a blank line, else the record or a reject naming the line, the field and the record id.
/// For callers that cut lines themselves and parse them in parallel; same result as the reader.
pub fn parse_line<T: JsonlRecord>(label: &str, line: u64, bytes: &[u8]) -> Option<Event<T>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let lossy = String::from_utf8_lossy(bytes);
            return Some(Event::Reject(Reject::record(
                label,
                line,
                "record",
                format!("not UTF-8 ({e})"),
                &lossy,
            )));
        }
    };
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.is_empty() {
        return None;
    }
    // Fast path: plain serde (no path tracking). A line it refuses is parsed again with the
    // path tracked, which gives the reject its field; the records are the same either way.
    if let Ok(rec) = serde_json::from_str::<T>(t) {
        return Some(checked(label, line, t, rec));
    }
    let mut de = serde_json::Deserializer::from_str(t);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let rec = match parsed {
        Ok(v) => {
            if let Err(e) = de.end() {
                return Some(Event::Reject(
                    Reject::record(
                        label,
                        line,
                        "record",
                        format!("text after the record: {e}"),
                        t,
                    )
                    .with_id(v.record_id()),
                ));
            }
            v
        }
        Err(err) => {
            let path = err.path().to_string();
            // "?" is serde_path_to_error's unknown segment (a line cut short after `{`).
            let root = path.is_empty() || path == "." || path == "?";
            let reason = err.inner().to_string();
            // serde reports a missing field at its parent: name the field itself.
            let missing = reason
                .strip_prefix("missing field `")
                .and_then(|r| r.split_once('`'))
                .map(|(name, _)| name.to_string());
            let field = match (root, missing) {
                (true, Some(m)) => m,
                (false, Some(m)) => format!("{path}.{m}"),
                (true, None) => "record".to_string(),
                (false, None) => path,
            };
            let id = guess_id(t);
            return Some(Event::Reject(
                Reject::record(label, line, &field, err.inner().to_string(), t)
                    .with_id(id.as_deref()),
            ));
        }
    };
    Some(checked(label, line, t, rec))
}

/// The record, or the reject of its semantic check.
fn checked<T: JsonlRecord>(label: &str, line: u64, t: &str, rec: T) -> Event<T> {
    if let Err((field, reason)) = rec.check() {
        return Event::Reject(
            Reject::record(label, line, &field, reason, t).with_id(rec.record_id()),
        );
    }
    Event::Record(rec)
}

/// What screening reads of an encounter: id, subject, documents, biometrics and contacts
/// ([`parse_encounter_for_screening`]). The record's other required fields (`time`, `place`,
/// `agency`, `disposition`, `source`) must be present and every field must be valid JSON, but
/// the content of fields screening never reads (travel legs, addresses, facilitator...) is not
/// parsed into values.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct ScreeningEncounter {
    pub id: String,
    pub subject: linkwatch_model::Subject,
    #[serde(default)]
    pub documents: Vec<linkwatch_model::Document>,
    #[serde(default)]
    pub biometrics: linkwatch_model::Biometrics,
    #[serde(default)]
    pub contacts: linkwatch_model::Contacts,
    #[serde(rename = "time")]
    _time: serde::de::IgnoredAny,
    #[serde(rename = "place")]
    _place: serde::de::IgnoredAny,
    #[serde(rename = "agency")]
    _agency: serde::de::IgnoredAny,
    #[serde(rename = "disposition")]
    _disposition: serde::de::IgnoredAny,
    #[serde(rename = "source")]
    _source: serde::de::IgnoredAny,
}

impl From<Encounter> for ScreeningEncounter {
    fn from(e: Encounter) -> Self {
        ScreeningEncounter {
            id: e.id,
            subject: e.subject,
            documents: e.documents,
            biometrics: e.biometrics,
            contacts: e.contacts,
            _time: serde::de::IgnoredAny,
            _place: serde::de::IgnoredAny,
            _agency: serde::de::IgnoredAny,
            _disposition: serde::de::IgnoredAny,
            _source: serde::de::IgnoredAny,
        }
    }
}

/// Parse one encounter line for screening ([`ScreeningEncounter`]): `None` for a blank line.
/// A line the screening view accepts is kept even if a field screening never reads has a
/// value of the wrong type (its travel dates, say); a line it refuses is parsed as a whole
/// [`Encounter`] by [`parse_line`], so its reject names the line, field and id exactly as
/// before. Every line [`parse_line`] accepts gives the same id, subject, documents,
/// biometrics and contacts here (tested).
pub fn parse_encounter_for_screening(
    label: &str,
    line: u64,
    bytes: &[u8],
) -> Option<Event<ScreeningEncounter>> {
    if let Ok(t) = std::str::from_utf8(bytes) {
        let t = t.trim_start_matches('\u{feff}').trim();
        if t.is_empty() {
            return None;
        }
        if let Ok(e) = serde_json::from_str::<ScreeningEncounter>(t) {
            if !e.id.trim().is_empty() {
                return Some(Event::Record(e));
            }
        }
    }
    Some(match parse_line::<Encounter>(label, line, bytes)? {
        Event::Record(e) => Event::Record(e.into()),
        Event::Reject(r) => Event::Reject(r),
    })
}

/// Best effort: the `id`/`entry_id` of a line that failed to deserialise.
fn guess_id(t: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(t).ok()?;
    let o = v.as_object()?;
    ["entry_id", "id"]
        .iter()
        .find_map(|k| o.get(*k)?.as_str().map(excerpt))
}

impl<R: BufRead, T: JsonlRecord> Iterator for JsonlReader<R, T> {
    type Item = Event<T>;

    fn next(&mut self) -> Option<Event<T>> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            // Read at most MAX_LINE_BYTES + 1 so a huge line cannot exhaust memory.
            let mut limited =
                <&mut R as std::io::Read>::take(&mut self.r, MAX_LINE_BYTES as u64 + 1);
            match limited.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {
                    self.line += 1;
                    if self.buf.len() > MAX_LINE_BYTES && !self.buf.ends_with(b"\n") {
                        // Skip the rest of the overlong line.
                        let mut sink = Vec::new();
                        loop {
                            sink.clear();
                            let mut chunk = <&mut R as std::io::Read>::take(&mut self.r, 1 << 20);
                            match chunk.read_until(b'\n', &mut sink) {
                                Ok(0) => break,
                                Ok(_) if sink.ends_with(b"\n") => break,
                                Ok(_) => continue,
                                Err(_) => break,
                            }
                        }
                        let head = String::from_utf8_lossy(&self.buf[..200.min(self.buf.len())])
                            .into_owned();
                        return Some(Event::Reject(Reject::record(
                            &self.label,
                            self.line,
                            "record",
                            format!("line longer than {MAX_LINE_BYTES} bytes"),
                            &head,
                        )));
                    }
                    if let Some(ev) = self.parse_line(&self.buf) {
                        return Some(ev);
                    }
                }
                Err(e) => {
                    self.done = true;
                    return Some(Event::Reject(Reject::record(
                        &self.label,
                        self.line + 1,
                        "record",
                        format!("read error: {e}"),
                        "",
                    )));
                }
            }
        }
    }
}

/// Writes records as JSON Lines.
pub struct JsonlWriter<W: Write> {
    out: W,
    written: u64,
}

impl<W: Write> JsonlWriter<W> {
    pub fn new(out: W) -> Self {
        JsonlWriter { out, written: 0 }
    }

    pub fn write<T: Serialize>(&mut self, rec: &T) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, rec)?;
        self.out.write_all(b"\n")?;
        self.written += 1;
        Ok(())
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reject::collect;

    const GOOD: &str = r#"{"list":{"list_id":"custom","version":"1"},"entry_id":"E1","kind":"person","names":[{"full":"Abdulla Karimov","quality":"primary"}],"dobs":["1981-03-07",{"from":"1960","to":"1962"}],"nationalities":["UZ"]}"#;

    #[test]
    fn good_bad_and_blank_lines() {
        let text = format!(
            "{GOOD}\n\n{{\"entry_id\":\"E2\"}}\n{}\n{}\nnot json\n{}\n{GOOD}",
            GOOD.replace("\"UZ\"", "\"Atlantis\"").replace("E1", "E3"),
            GOOD.replace("1981-03-07", "1981-02-30").replace("E1", "E4"),
            GOOD.replace("\"Abdulla Karimov\"", "\" \"")
                .replace("E1", "E5"),
        );
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(b"\n\xff\xfe{}\n");
        let (good, bad) = collect(JsonlReader::<_, WatchlistEntry>::new(&bytes[..], "w.jsonl"));
        assert_eq!(good.len(), 2);
        let b: Vec<(u64, &str, Option<&str>)> = bad
            .iter()
            .map(|r| (r.record, r.field.as_str(), r.entry_id.as_deref()))
            .collect();
        assert_eq!(
            b,
            [
                (3, "list", Some("E2")),
                (4, "nationalities[0]", Some("E3")),
                (5, "dobs[0]", Some("E4")),
                (6, "record", None),
                (7, "names[0].full", Some("E5")),
                (9, "record", None),
            ]
        );
        assert!(bad[1].reason.contains("Atlantis"), "{}", bad[1].reason);
    }

    const ENC: &str = r#"{"id":"ENC-1","time":"2021-10-01T00:00:47Z","place":{"kind":"port_of_entry","code":"POE-SLU","name":"San Luis","lat":32.4,"lon":-114.7},"agency":"OFO","subject":{"names":[{"full":"Evdokija Julʹevna Ermakova","given":"Evdokija","family":"Ermakova","script":"latin","quality":"recorded"}],"sex":"female","dob":"1986-01-23","nationalities":["RU"]},"documents":[{"kind":"passport","number":"566573795","issuer":"RU","expiry":"2026-05-12"}],"biometrics":{"fingerprint_id":"FIN1"},"contacts":{"phones":["+79896155179"]},"travel":[{"place":"Tbilisi","country":"GE","date":"2021-08-30","mode":"air"}],"facilitator":{"name":"Adam Morozov","phone":"+79876922739","account":"X","amount_usd":24500},"disposition":{"kind":"detained"},"source":{"system":"OFO-UIP","record_id":"U0"}}"#;

    /// The screening view keeps what screening reads of every line the full parser accepts,
    /// and a line it refuses gets the full parser's reject.
    #[test]
    fn screening_view_equals_the_full_record_where_screening_reads() {
        let variants = [
            ENC.to_string(),
            ENC.replace(r#""documents":[{"kind":"passport","number":"566573795","issuer":"RU","expiry":"2026-05-12"}],"#, ""),
            ENC.replace(r#""biometrics":{"fingerprint_id":"FIN1"},"contacts":{"phones":["+79896155179"]},"#, ""),
            format!("\u{feff}{ENC}  "),
            // Rejected by both: bad subject field, missing required field, empty id, not
            // JSON, trailing text, blank.
            ENC.replace("1986-01-23", "1986-02-30"),
            ENC.replace(r#""time":"2021-10-01T00:00:47Z","#, ""),
            ENC.replace(r#""id":"ENC-1""#, r#""id":" ""#),
            ENC[..40].to_string(),
            "{".to_string(),
            format!("{ENC} x"),
            "   ".to_string(),
        ];
        for (k, v) in variants.iter().enumerate() {
            let full = parse_line::<Encounter>("e.jsonl", k as u64 + 1, v.as_bytes());
            let view = parse_encounter_for_screening("e.jsonl", k as u64 + 1, v.as_bytes());
            match (full, view) {
                (None, None) => {}
                (Some(Event::Record(f)), Some(Event::Record(s))) => {
                    assert_eq!(ScreeningEncounter::from(f), s, "line {k}")
                }
                (Some(Event::Reject(f)), Some(Event::Reject(s))) => {
                    assert_eq!(
                        (f.record, &f.field, &f.entry_id, &f.reason),
                        (s.record, &s.field, &s.entry_id, &s.reason),
                        "line {k}"
                    )
                }
                (f, s) => panic!("line {k}: {f:?} vs {s:?}"),
            }
        }
        // A line cut short after `{` is a reject of the whole record.
        let cut = parse_encounter_for_screening("e", 1, b"{");
        assert!(matches!(cut, Some(Event::Reject(r)) if r.field == "record"));
        // Fields screening never reads are not parsed into values: a bad travel date is
        // kept for screening (the whole record is refused by the full parser).
        let odd = ENC.replace("2021-08-30", "someday");
        assert!(matches!(
            parse_line::<Encounter>("e", 1, odd.as_bytes()),
            Some(Event::Reject(_))
        ));
        assert!(matches!(
            parse_encounter_for_screening("e", 1, odd.as_bytes()),
            Some(Event::Record(_))
        ));
    }

    #[test]
    fn trailing_garbage_is_rejected() {
        let text = format!("{GOOD} extra\n");
        let (good, bad) = collect(JsonlReader::<_, WatchlistEntry>::new(
            text.as_bytes(),
            "w.jsonl",
        ));
        assert!(good.is_empty());
        assert_eq!(bad.len(), 1);
    }

    #[test]
    fn round_trip_entries() {
        let (good, _) = collect(JsonlReader::<_, WatchlistEntry>::new(
            GOOD.as_bytes(),
            "w.jsonl",
        ));
        let mut w = JsonlWriter::new(Vec::new());
        for g in &good {
            w.write(g).unwrap();
        }
        let buf = w.finish().unwrap();
        let (again, bad) = collect(JsonlReader::<_, WatchlistEntry>::new(&buf[..], "w2.jsonl"));
        assert!(bad.is_empty());
        assert_eq!(again, good);
    }
}
