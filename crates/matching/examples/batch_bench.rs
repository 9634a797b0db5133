//! Bulk screening benchmark: builds the index over the given JSON Lines lists as
//! `linkwatch screen` does (person entries, list term frequencies merged in, list-size prior),
//! loads encounters, then screens them on the rayon pool in input order (one `Screener` query
//! per encounter, as before) and with [`BatchScreener`] (locality order), reporting CPU and wall
//! time of each and checking that both give identical hits. `--skew` also times every
//! encounter alone (one thread) and prints how the cost is spread. Measurement tool only (reads
//! files).
//!
//! ```text
//! cargo run --release -p linkwatch-matching --example batch_bench -- \
//!   --list /tmp/m/w1m/watchlist.jsonl --list /tmp/m/real.jsonl \
//!   --encounters /tmp/m/w1m/encounters.jsonl [--limit 100000] [--skew] [--threshold 0.5]
//! ```

use anyhow::{bail, Context as _};
use linkwatch_matching::batch::BatchScreener;
use linkwatch_matching::screen::{list_size_prior_adjust, ScreenOptions, Screener};
use linkwatch_matching::{Context, Identity, Scorer};
use linkwatch_model::{EntityKind, WatchlistEntry};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

mod common;
use common::{cpu_seconds, list_scorer_and_index, read_lines};

fn main() -> anyhow::Result<()> {
    let mut lists: Vec<PathBuf> = Vec::new();
    let mut encounters: Option<PathBuf> = None;
    let (mut limit, mut threshold, mut skew) = (100_000usize, 0.5, false);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().context("missing value");
        match a.as_str() {
            "--list" => lists.push(PathBuf::from(val()?)),
            "--encounters" => encounters = Some(PathBuf::from(val()?)),
            "--limit" => limit = val()?.parse()?,
            "--threshold" => threshold = val()?.parse()?,
            "--skew" => skew = true,
            _ => bail!("unknown argument {a}"),
        }
    }
    let Some(enc_path) = encounters else {
        bail!("give --encounters FILE.jsonl");
    };
    if lists.is_empty() {
        bail!("give --list FILE.jsonl (repeatable)");
    }
    let t0 = Instant::now();
    let mut ids: Vec<Identity> = Vec::new();
    for p in &lists {
        let lines = read_lines(p, usize::MAX)?;
        let v: Vec<Identity> = lines
            .par_iter()
            .filter_map(|l| serde_json::from_str::<WatchlistEntry>(l).ok())
            .filter(|e| e.kind == EntityKind::Person)
            .map(|e| Identity::from_entry(&e))
            .collect();
        ids.extend(v);
    }
    let (scorer, ix, _, _) = list_scorer_and_index(Scorer::default().model().clone(), ids);
    let queries: Vec<Identity> = read_lines(&enc_path, limit)?
        .par_iter()
        .filter_map(|l| serde_json::from_str::<linkwatch_model::Encounter>(l).ok())
        .map(|e| {
            let mut id = Identity::from_encounter(&e);
            scorer.prepare(&mut id);
            id
        })
        .collect();
    println!(
        "{} entries indexed, {} encounters prepared in {:.1} s; {} threads",
        ix.len(),
        queries.len(),
        t0.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
    let opts = ScreenOptions {
        threshold,
        max_hits: 10,
        context: Context::Screening,
        prior_adjust: list_size_prior_adjust(ix.len()),
    };
    let screener = Screener::new(&ix, &scorer, &opts);
    let mut results = Vec::new();
    for (label, batch) in [
        (
            "input order",
            BatchScreener::new(&screener, scorer.tf()).in_input_order(),
        ),
        ("locality order", BatchScreener::new(&screener, scorer.tf())),
    ] {
        let (t, c) = (Instant::now(), cpu_seconds());
        let hits = batch.screen(&queries);
        let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
        let n_hits: usize = hits.iter().map(Vec::len).sum();
        println!(
            "{label:>15}: {wall:.1} s wall, {cpu:.1} CPU-s ({:.0} µs CPU per encounter), {n_hits} hits",
            cpu * 1e6 / queries.len().max(1) as f64
        );
        results.push(hits);
    }
    if results[0] != results[1] {
        bail!("hits differ between input order and locality order");
    }
    println!("identical hits in both orders");
    if skew {
        let mut cost: Vec<f64> = queries
            .iter()
            .map(|q| {
                let t = Instant::now();
                std::hint::black_box(screener.screen(q));
                t.elapsed().as_secs_f64()
            })
            .collect();
        cost.sort_by(|a, b| b.total_cmp(a));
        let total: f64 = cost.iter().sum();
        let share = |f: f64| {
            let k = ((cost.len() as f64 * f) as usize).max(1);
            cost[..k].iter().sum::<f64>() / total
        };
        println!(
            "per-encounter cost (1 thread, input order): total {total:.1} s, mean {:.0} µs, p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs; top 1% = {:.0}% of the time, top 10% = {:.0}%",
            total * 1e6 / cost.len() as f64,
            cost[cost.len() / 2] * 1e6,
            cost[cost.len() / 100] * 1e6,
            cost[0] * 1e6,
            share(0.01) * 100.0,
            share(0.1) * 100.0
        );
    }
    Ok(())
}
