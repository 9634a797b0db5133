//! Entity resolution: declarative comparisons, an EM-estimated Fellegi–Sunter model with
//! term-frequency adjustments and per-pair explanations, union blocking, chaining-resistant
//! clustering of records into persons with stable ids, and incremental resolution of new
//! records against resolved persons.
//!
//! **Architecture invariants:** no I/O (readers take `impl Read`; files, clocks and the
//! environment belong to the caller), deterministic (seeded sampling, fixed iteration limits,
//! ties broken by record id), storage only through [`data::RecordSource`] and
//! `linkwatch_model::EncounterSource`. Knows nothing of the CLI or of watchlist screening.
//!
//! Flow: [`schema::Schema`] (TOML) → [`data::Dataset`] (normalised, interned columns) →
//! [`blocking`] (candidate pairs) → [`model`] (u from random pairs, m by EM, weights) →
//! [`cluster`] (persons) — all driven by [`pipeline::run`]; [`incremental::Resolver`] keeps
//! the result in memory and resolves one record at a time.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod data;
pub mod encounter;
pub mod incremental;
pub mod metrics;
pub mod model;
pub mod pipeline;
pub mod schema;
pub mod synth;

pub use data::{Dataset, RecordSource, RowIssue};
pub use model::{Explanation, Model};
pub use schema::{FieldKind, Schema};

/// Errors of the resolution engine. Bad rows are not errors: they are reported as
/// [`RowIssue`]s and skipped.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("schema: {0}")]
    Schema(String),
    #[error("input: {0}")]
    Input(String),
    #[error("model: {0}")]
    Model(String),
}
