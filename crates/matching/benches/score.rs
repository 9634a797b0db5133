//! Criterion benchmark of the pairwise scorer with full semantics (every feature, TF-adjusted
//! names, best alignment over all names and aliases), on the same two pair sets as
//! `examples/score_speed.rs`: the labelled identity pairs built from `names/pairs_sdn_un.csv`
//! (plus DOBs and nationalities; `pairwise/*`) and screening-like pairs — queries against the
//! multi-alias list entries the candidate index returns for them (`screening/*`, 300 queries).
//! Each set is scored on the fast path (`Scorer::log2_odds`), with explanations
//! (`Scorer::score`) and on the reference path (`Scorer::log2_odds_reference`, the
//! pre-fast-path implementation the fast path is tested against). Wall-clock figures swing on a
//! loaded machine: `examples/score_speed.rs` gives pairs per CPU-second.
//!
//! `cargo bench -p linkwatch-matching --bench score`

#[path = "common/pairs.rs"]
mod fixture;
#[path = "common/screen.rs"]
mod screen_fixture;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use linkwatch_matching::{Context, Identity, Scorer};

fn group<'p>(
    c: &mut Criterion,
    name: &str,
    scorer: &Scorer,
    pairs: &[(&'p Identity, &'p Identity)],
    ctx: Context,
) {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(pairs.len() as u64));
    g.sample_size(10);
    g.bench_function("log2_odds_full_semantics", |b| {
        b.iter(|| {
            pairs
                .iter()
                .map(|(x, y)| scorer.log2_odds(x, y, ctx))
                .sum::<f64>()
        })
    });
    g.bench_function("score_with_explanation", |b| {
        b.iter(|| {
            pairs
                .iter()
                .map(|(x, y)| scorer.score(x, y, ctx).probability)
                .sum::<f64>()
        })
    });
    g.bench_function("log2_odds_reference", |b| {
        b.iter(|| {
            pairs
                .iter()
                .map(|(x, y)| scorer.log2_odds_reference(x, y, ctx))
                .sum::<f64>()
        })
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    let scorer = Scorer::default();
    let ps = fixture::pairs(&scorer);
    let refs: Vec<(&Identity, &Identity)> = ps.iter().map(|(x, y)| (x, y)).collect();
    group(c, "pairwise", &scorer, &refs, Context::Pairs);
    if let Some(sp) = screen_fixture::screen_pairs(&scorer, None, usize::MAX, 300, 1_000) {
        let refs: Vec<(&Identity, &Identity)> = (0..sp.pairs.len()).map(|k| sp.pair(k)).collect();
        group(c, "screening", &scorer, &refs, Context::Screening);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
