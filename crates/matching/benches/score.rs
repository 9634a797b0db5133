//! Criterion benchmark of the pairwise scorer with full semantics (every feature, TF-adjusted
//! names, best alignment over all names): identity pairs built from `names/pairs_sdn_un.csv`
//! (plus DOBs and nationalities), pre-analysed and prepared once, scored on the fast path
//! (`Scorer::log2_odds`), with explanations (`Scorer::score`) and on the reference path
//! (`Scorer::log2_odds_reference`, the pre-fast-path implementation the fast path is tested
//! against). Wall-clock figures swing on a loaded machine: `examples/score_speed.rs` gives pairs
//! per CPU-second.
//!
//! `cargo bench -p linkwatch-matching --bench score`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use linkwatch_matching::{Context, Identity, Scorer};
use linkwatch_model::{Country, PartialDate, Sex};
use std::path::PathBuf;

fn pairs(scorer: &Scorer) -> Vec<(Identity, Identity)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/names/pairs_sdn_un.csv");
    let mut names: Vec<(String, String)> = Vec::new();
    if let Ok(mut r) = csv::Reader::from_path(&path) {
        for rec in r.records().flatten() {
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

fn bench(c: &mut Criterion) {
    let scorer = Scorer::default();
    let ps = pairs(&scorer);
    let mut g = c.benchmark_group("pairwise");
    g.throughput(Throughput::Elements(ps.len() as u64));
    g.sample_size(10);
    g.bench_function("log2_odds_full_semantics", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for (x, y) in &ps {
                s += scorer.log2_odds(x, y, Context::Pairs);
            }
            s
        })
    });
    g.bench_function("score_with_explanation", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for (x, y) in &ps {
                s += scorer.score(x, y, Context::Pairs).probability;
            }
            s
        })
    });
    g.bench_function("log2_odds_reference", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for (x, y) in &ps {
                s += scorer.log2_odds_reference(x, y, Context::Pairs);
            }
            s
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
