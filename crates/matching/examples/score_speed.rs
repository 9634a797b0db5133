//! Pairwise scorer throughput in pairs per CPU-second of one thread (robust on a shared, loaded
//! machine, where wall-clock criterion figures swing): the same identity pairs as the `score`
//! bench (`names/pairs_sdn_un.csv` with DOBs, nationalities and sex), scored repeatedly on the
//! fast path (`Scorer::log2_odds`), with explanations (`Scorer::score`) and on the reference path
//! (`Scorer::log2_odds_reference`). CPU time is read from `/proc/thread-self/schedstat` (Linux);
//! wall time is printed beside it.
//!
//! `cargo run --release -p linkwatch-matching --example score_speed [-- SECONDS] [fast] [small]`

#[path = "../benches/common/pairs.rs"]
mod fixture;

use fixture::pairs;
use linkwatch_matching::{Context, Scorer};
use std::time::Instant;

/// Nanoseconds this thread has run on a CPU (None when not on Linux).
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn measure(label: &str, n_pairs: usize, secs: f64, mut pass: impl FnMut() -> f64) {
    // warm up (lazy tables, caches)
    let mut sink = pass();
    let (c0, w0) = (thread_cpu_ns(), Instant::now());
    let mut passes = 0u64;
    while w0.elapsed().as_secs_f64() < secs || passes == 0 {
        sink += pass();
        passes += 1;
    }
    let wall = w0.elapsed().as_secs_f64();
    let done = (passes as usize * n_pairs) as f64;
    match (c0, thread_cpu_ns()) {
        (Some(a), Some(b)) => {
            let cpu = (b - a) as f64 / 1e9;
            println!(
                "{label:<28} {:>10.0} pairs/CPU-s  ({:.0} ns/pair CPU; wall {:.0} pairs/s; {passes} passes; cpu {cpu:.2}s wall {wall:.2}s) [{sink:.3e}]",
                done / cpu,
                cpu * 1e9 / done,
                done / wall,
            );
        }
        _ => println!(
            "{label:<28} wall {:.0} pairs/s ({passes} passes, {wall:.2}s) [{sink:.3e}]",
            done / wall
        ),
    }
}

fn main() {
    // A bare number is the seconds per measurement.
    let secs: f64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5.0);
    let scorer = Scorer::default();
    let mut ps = pairs(&scorer);
    if std::env::args().any(|a| a == "small") {
        // a cache-resident subset: compute cost without memory latency
        ps.truncate(1000);
    }
    println!(
        "{} identity pairs, {secs} s per measurement, load average: {}",
        ps.len(),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    measure("log2_odds (fast path)", ps.len(), secs, || {
        ps.iter()
            .map(|(x, y)| scorer.log2_odds(x, y, Context::Pairs))
            .sum()
    });
    if std::env::args().any(|a| a == "fast") {
        return; // profiling the fast path alone
    }
    measure("score (with explanation)", ps.len(), secs, || {
        ps.iter()
            .map(|(x, y)| scorer.score(x, y, Context::Pairs).probability)
            .sum()
    });
    measure("log2_odds_reference", ps.len(), secs, || {
        ps.iter()
            .map(|(x, y)| scorer.log2_odds_reference(x, y, Context::Pairs))
            .sum()
    });
}
