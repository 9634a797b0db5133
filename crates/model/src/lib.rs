//! linkwatch's domain model: the records it ingests ([`Encounter`], [`WatchlistEntry`],
//! [`Indicator`], [`PartnerAlert`]), the identifier normalisers that run on entry
//! ([`ident`], [`country`], [`date`]) and the storage traits engines use ([`store`]).
//!
//! **Architecture invariant:** this crate does no I/O and knows no file format, no scoring and no
//! database. Every other crate may depend on it; it depends on no internal crate.
//!
//! JSON Lines examples of every record are in `docs/data-model.md`.

pub mod country;
pub mod date;
pub mod ident;
pub mod store;
pub mod types;

pub use country::{normalize_country, Country};
pub use date::{DateError, DateSpec, PartialDate, Precision};
pub use ident::{
    normalize_document_number, normalize_email, normalize_phone, DocumentKind, IdentError,
};
pub use store::{EncounterSource, MemoryStore, RecordSink, WatchlistSource};
pub use types::*;
