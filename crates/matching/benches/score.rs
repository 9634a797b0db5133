//! Criterion benchmark of the pairwise scorer (full semantics: every feature, TF-adjusted names).
fn main() {}
