//! Readers and writers for outside data: the OFAC SDN legacy CSV ([`ofac`]), the UN
//! consolidated XML ([`un`]), linkwatch JSON Lines for every record type ([`jsonl`]) and a CSV
//! layout for custom lists ([`csvlist`]).
//!
//! Every reader streams [`Event`]s — good records and [`Reject`]s, in input order — and never
//! panics on user data: a bad record is reported with file, line/record, entry id, field and
//! reason and reading goes on; a bad value inside a good record is a field-level warning and the
//! record is kept. [`RejectWriter`] writes rejects as JSON Lines; [`ListSummary`] counts a load;
//! [`ListSpec`] parses `ofac-sdn:DIR`, `un-xml:FILE`, `jsonl:FILE`, `csv:FILE`.
//!
//! **Architecture invariant:** no file I/O here (readers take `impl Read`/`BufRead` or bytes;
//! the CLI opens files), no clock, no scoring. Identifiers are normalised on the way in with
//! linkwatch-model's normalisers (countries, document numbers, dates, phones, e-mails).

// Unit tests may unwrap their own fixtures; library code never unwraps.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod csvlist;
pub mod jsonl;
pub mod ofac;
pub mod reject;
pub mod spec;
pub mod summary;
pub mod text;
pub mod un;

pub use csvlist::CsvListReader;
pub use jsonl::{JsonlReader, JsonlRecord, JsonlWriter};
pub use ofac::OfacSdn;
pub use reject::{collect, Event, Level, Reject, RejectWriter};
pub use spec::{ListSpec, SpecError};
pub use summary::ListSummary;
pub use un::UnXml;
