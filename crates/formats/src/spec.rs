//! [`ListSpec`]: how a user names a watchlist on the command line — `ofac-sdn:DIR`,
//! `un-xml:FILE`, `jsonl:FILE`, `csv:FILE` — so every command (`lists`, `screen --list`) parses
//! it the same way. Parsing only; opening the files is the caller's job.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// A watchlist source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ListSpec {
    /// A directory with OFAC's legacy `sdn.csv` and optionally `alt.csv`, `add.csv`,
    /// `sdn_comments.csv` (a path to `sdn.csv` itself is accepted too).
    OfacSdn(PathBuf),
    /// The UN consolidated list XML.
    UnXml(PathBuf),
    /// linkwatch JSONL of `WatchlistEntry`.
    Jsonl(PathBuf),
    /// The custom-list CSV layout (see [`crate::csvlist`]).
    Csv(PathBuf),
}

/// Why a spec string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("list spec {0:?} has no kind; write KIND:PATH with KIND one of ofac-sdn, un-xml, jsonl, csv")]
    NoKind(String),
    #[error("unknown list kind {0:?}; expected ofac-sdn, un-xml, jsonl or csv")]
    UnknownKind(String),
    #[error("list spec {0:?} has an empty path")]
    EmptyPath(String),
}

impl ListSpec {
    pub fn path(&self) -> &std::path::Path {
        match self {
            ListSpec::OfacSdn(p) | ListSpec::UnXml(p) | ListSpec::Jsonl(p) | ListSpec::Csv(p) => p,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            ListSpec::OfacSdn(_) => "ofac-sdn",
            ListSpec::UnXml(_) => "un-xml",
            ListSpec::Jsonl(_) => "jsonl",
            ListSpec::Csv(_) => "csv",
        }
    }
}

impl FromStr for ListSpec {
    type Err = SpecError;

    fn from_str(s: &str) -> Result<Self, SpecError> {
        let (kind, path) = s
            .split_once(':')
            .ok_or_else(|| SpecError::NoKind(s.to_string()))?;
        if path.trim().is_empty() {
            return Err(SpecError::EmptyPath(s.to_string()));
        }
        let p = PathBuf::from(path);
        Ok(match kind.trim().to_ascii_lowercase().as_str() {
            "ofac-sdn" | "ofac" | "sdn" => ListSpec::OfacSdn(p),
            "un-xml" | "un" => ListSpec::UnXml(p),
            "jsonl" => ListSpec::Jsonl(p),
            "csv" => ListSpec::Csv(p),
            k => return Err(SpecError::UnknownKind(k.to_string())),
        })
    }
}

impl fmt::Display for ListSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind(), self.path().display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for s in [
            "ofac-sdn:data/sdn",
            "un-xml:/x/consolidated.xml",
            "jsonl:w.jsonl",
            "csv:c:/lists/a.csv",
        ] {
            let spec: ListSpec = s.parse().unwrap();
            assert_eq!(spec.to_string(), s);
        }
        assert_eq!(
            "csv:c:/lists/a.csv".parse::<ListSpec>().unwrap().path(),
            std::path::Path::new("c:/lists/a.csv")
        );
        assert!(matches!(
            "foo.jsonl".parse::<ListSpec>(),
            Err(SpecError::NoKind(_))
        ));
        assert!(matches!(
            "xml:foo".parse::<ListSpec>(),
            Err(SpecError::UnknownKind(_))
        ));
        assert!(matches!(
            "jsonl:".parse::<ListSpec>(),
            Err(SpecError::EmptyPath(_))
        ));
    }
}
