//! Uniform error reporting for every reader: [`Reject`] names the file, the record (line or
//! element number), the entry id when known, the field and the reason, with a raw excerpt.
//!
//! Readers stream [`Event`]s: good records and rejects interleaved in input order. A
//! [`Level::Record`] reject means the record was dropped; a [`Level::Field`] reject (a warning)
//! means one field value was dropped and the record was kept. This module knows no file format.

use serde::{Deserialize, Serialize};

/// Longest raw excerpt kept in a reject, in characters.
pub const EXCERPT_CHARS: usize = 240;

/// Whether the whole record or only one field value was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The record is unusable (no name, bad id, broken element, wrong column count) and was dropped.
    #[default]
    Record,
    /// One field value could not be understood and was dropped; the record was kept.
    Field,
}

/// One piece of bad input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Reject {
    /// Label of the input (usually the file path as given).
    pub source: String,
    /// 1-based line number (CSV, JSONL) or element number (XML: n-th INDIVIDUAL/ENTITY).
    pub record: u64,
    /// Entry / record id, when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_id: Option<String>,
    /// The field (column, remark clause, XML element or JSON path); `"record"` for the whole record.
    pub field: String,
    pub reason: String,
    /// The offending text, cut to [`EXCERPT_CHARS`] characters.
    pub raw: String,
    pub level: Level,
}

impl Reject {
    /// A record-level reject (record dropped).
    pub fn record(
        source: &str,
        record: u64,
        field: &str,
        reason: impl Into<String>,
        raw: &str,
    ) -> Self {
        Reject {
            source: source.to_string(),
            record,
            entry_id: None,
            field: if field.is_empty() {
                "record".to_string()
            } else {
                field.to_string()
            },
            reason: reason.into(),
            raw: excerpt(raw),
            level: Level::Record,
        }
    }

    /// A field-level warning (value dropped, record kept).
    pub fn field(
        source: &str,
        record: u64,
        field: &str,
        reason: impl Into<String>,
        raw: &str,
    ) -> Self {
        Reject {
            level: Level::Field,
            ..Reject::record(source, record, field, reason, raw)
        }
    }

    pub fn with_id(mut self, id: Option<&str>) -> Self {
        self.entry_id = id.filter(|s| !s.is_empty()).map(str::to_string);
        self
    }

    pub fn is_record_level(&self) -> bool {
        self.level == Level::Record
    }
}

impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.level {
            Level::Record => "rejected",
            Level::Field => "warning",
        };
        write!(f, "{}:{}: {what}", self.source, self.record)?;
        if let Some(id) = &self.entry_id {
            write!(f, " (entry {id})")?;
        }
        write!(f, ": field {}: {}", self.field, self.reason)?;
        if !self.raw.is_empty() {
            write!(f, " [{}]", self.raw)?;
        }
        Ok(())
    }
}

/// Cut text to [`EXCERPT_CHARS`] characters on a char boundary, marking the cut with `…`.
pub fn excerpt(raw: &str) -> String {
    let mut out: String = raw.chars().take(EXCERPT_CHARS).collect();
    if raw.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// What a streaming reader yields.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<T> {
    Record(T),
    Reject(Reject),
}

impl<T> Event<T> {
    pub fn into_record(self) -> Option<T> {
        match self {
            Event::Record(r) => Some(r),
            Event::Reject(_) => None,
        }
    }
}

/// Drain a reader into good records and rejects (warnings included).
pub fn collect<T>(events: impl IntoIterator<Item = Event<T>>) -> (Vec<T>, Vec<Reject>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for ev in events {
        match ev {
            Event::Record(r) => good.push(r),
            Event::Reject(r) => bad.push(r),
        }
    }
    (good, bad)
}

/// Writes rejects as JSON Lines (the CLI's `<output>.rejects.jsonl`): the same writer as for
/// records, one JSON object a line.
pub type RejectWriter<W> = crate::jsonl::JsonlWriter<W>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_on_char_boundary() {
        let s = "ж".repeat(EXCERPT_CHARS + 5);
        let e = excerpt(&s);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt("short"), "short");
    }

    #[test]
    fn writer_writes_one_line_each() {
        let mut w = RejectWriter::new(Vec::new());
        w.write(&Reject::record("a.csv", 3, "name", "empty name", "3,,x").with_id(Some("3")))
            .unwrap();
        w.write(&Reject::field(
            "a.csv",
            4,
            "dob",
            "bad date",
            "DOB 31 Feb 1960",
        ))
        .unwrap();
        assert_eq!(w.written(), 2);
        let buf = w.finish().unwrap();
        let text = String::from_utf8(buf).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let r: Reject = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(r.entry_id.as_deref(), Some("3"));
        assert_eq!(r.level, Level::Record);
        assert!(lines[1].contains("\"level\":\"field\""));
    }
}
