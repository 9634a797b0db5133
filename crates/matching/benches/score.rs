//! Criterion benchmark of the pairwise scorer with full semantics (every feature, TF-adjusted
//! names, best alignment over all names): identity pairs built from `names/pairs_sdn_un.csv`
//! (plus DOBs and nationalities), pre-analysed and prepared once, scored on the fast path
//! (`Scorer::log2_odds`), with explanations (`Scorer::score`) and on the reference path
//! (`Scorer::log2_odds_reference`, the pre-fast-path implementation the fast path is tested
//! against). Wall-clock figures swing on a loaded machine: `examples/score_speed.rs` gives pairs
//! per CPU-second.
//!
//! `cargo bench -p linkwatch-matching --bench score`

#[path = "common/pairs.rs"]
mod fixture;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fixture::pairs;
use linkwatch_matching::{Context, Scorer};

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
