//! Identity matching: explained Fellegi–Sunter scoring of identity pairs, calibration,
//! recall-safe candidate index, screening.
//!
//! - [`identity::Identity`]: one side of a comparison, built once from any model type;
//! - [`score::Scorer`]: compares two identities feature by feature (names, DOB, nationality,
//!   place of birth, sex, documents, biometrics, contacts); each feature reaches a level with a
//!   log-likelihood ratio in bits, the sum plus a prior is calibrated into a probability, and an
//!   [`score::Explanation`] records every term;
//! - [`model::Model`]: the readable model file (embedded default, loadable from a path);
//! - [`train`]: fitting the name coefficients and calibration on labelled pairs, m/u estimation;
//! - [`index::CandidateIndex`] and [`screen`]: candidate generation and ranked, explained hits.
//!
//! **Architecture invariant:** no I/O (no files, network, env, clock, global RNG). Callers load
//! model files and lists and hand over text or records.

pub mod batch;
pub mod bound;
pub mod features;
pub mod identity;
pub mod index;
pub mod model;
pub mod score;
pub mod screen;
pub mod tf;
pub mod train;

pub use identity::Identity;
pub use model::Model;
pub use score::{Context, Explanation, Score, Scorer, Term};
pub use tf::TermFrequencies;
