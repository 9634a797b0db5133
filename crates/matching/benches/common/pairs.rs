//! Shared fixture of the scorer benchmarks (`benches/score.rs`, `examples/score_speed.rs`):
//! identity pairs built from `names/pairs_sdn_un.csv` (plus deterministic DOBs, nationalities and
//! sex), prepared once. Falls back to three built-in pairs when ../shared is absent.

use linkwatch_matching::{Identity, Scorer};
use linkwatch_model::{Country, PartialDate, Sex};
use std::path::PathBuf;

/// The benchmark's identity pairs, prepared with `scorer`.
#[allow(dead_code)] // not every bench target uses both entry points
pub fn pairs(scorer: &Scorer) -> Vec<(Identity, Identity)> {
    pairs_first(scorer, usize::MAX)
}

/// The first `max` of [`pairs`] (only those are analysed).
pub fn pairs_first(scorer: &Scorer, max: usize) -> Vec<(Identity, Identity)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/names/pairs_sdn_un.csv");
    let mut names: Vec<(String, String)> = Vec::new();
    if let Ok(mut r) = csv::Reader::from_path(&path) {
        for rec in r.records().flatten().take(max) {
            names.push((rec[3].to_string(), rec[4].to_string()));
        }
    } else {
        eprintln!("note: {} not found; using built-in pairs", path.display());
        for (a, b) in [
            ("KARIMOV, Abdulla", "Abdulla Karimov"),
            ("Muammar QADHAFI", "Muammar GADDAFI"),
            ("Olga Petrova", "Ivan Petrov"),
        ] {
            names.push((a.into(), b.into()));
        }
    }
    let countries = ["UZ", "RU", "AF", "IQ", "SY"];
    names
        .iter()
        .enumerate()
        .map(|(i, (a, b))| {
            let d1 = PartialDate::ymd(
                1950 + (i % 50) as i16,
                1 + (i % 12) as u8,
                1 + (i % 28) as u8,
            )
            .ok();
            let d2 = PartialDate::ymd(
                1950 + ((i * 7) % 50) as i16,
                1 + (i % 12) as u8,
                1 + (i % 28) as u8,
            )
            .ok();
            let c1 = Country::from_alpha2(countries[i % 5]);
            let c2 = Country::from_alpha2(countries[(i / 3) % 5]);
            let mut x = Identity::from_parts(a, d1, c1, Sex::Male);
            let mut y =
                Identity::from_parts(b, d2, c2, if i % 4 == 0 { Sex::Female } else { Sex::Male });
            scorer.prepare(&mut x);
            scorer.prepare(&mut y);
            (x, y)
        })
        .collect()
}
