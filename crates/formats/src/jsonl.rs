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
            let root = path.is_empty() || path == ".";
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
    if let Err((field, reason)) = rec.check() {
        return Some(Event::Reject(
            Reject::record(label, line, &field, reason, t).with_id(rec.record_id()),
        ));
    }
    Some(Event::Record(rec))
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
