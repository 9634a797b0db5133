//! Micro-measure of name analysis alone: reads files of names (one per line), analyses every
//! name on one thread (with the per-thread token cache, then without it) and prints names/s per
//! core. Also checks that both give identical output. Usage:
//! `cargo run --release -p linkwatch-names --example analyze_speed -- FILE... [--rounds N]
//! [--cached-only | --uncached-only]` (one variant only: for `perf stat`)..

use std::time::Instant;

fn main() {
    let mut files = Vec::new();
    let mut rounds = 1usize;
    let mut cached_only = false;
    let mut uncached_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--cached-only" {
            cached_only = true;
        } else if a == "--uncached-only" {
            uncached_only = true;
        } else if a == "--rounds" {
            rounds = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
        } else {
            files.push(a);
        }
    }
    let mut names: Vec<String> = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}"));
        names.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(String::from),
        );
    }
    eprintln!("{} names from {} files", names.len(), files.len());
    // Load the equivalence table outside the timings.
    let _ = linkwatch_names::analyze("Abdulla Karimov");
    let time = |label: &str, f: &dyn Fn(&str) -> linkwatch_names::AnalyzedName| {
        let mut best = f64::MAX;
        let mut best_cpu = f64::MAX;
        let mut tokens = 0usize;
        for _ in 0..rounds {
            let t = Instant::now();
            let c = thread_cpu();
            tokens = 0;
            for n in &names {
                tokens += f(n).tokens.len();
            }
            best_cpu = best_cpu.min(thread_cpu() - c);
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "{label:>10}: {:.3} s wall, {:.3} s on-CPU for {} names ({} tokens): {:.0} names/s per core (on-CPU), {:.2} µs/name",
            best,
            best_cpu,
            names.len(),
            tokens,
            names.len() as f64 / best_cpu,
            best_cpu * 1e6 / names.len() as f64
        );
    };
    if uncached_only {
        time("uncached", &linkwatch_names::analyze_uncached);
        return;
    }
    if cached_only {
        time("cached", &linkwatch_names::analyze);
        return;
    }
    time("uncached", &linkwatch_names::analyze_uncached);
    time("cached", &linkwatch_names::analyze);
    let mismatches = names
        .iter()
        .filter(|n| linkwatch_names::analyze(n) != linkwatch_names::analyze_uncached(n))
        .count();
    println!("mismatches between cached and uncached analysis: {mismatches}");
}

/// Time this thread has spent on a CPU (Linux `/proc/thread-self/schedstat`, ns), in seconds:
/// unlike wall time, not inflated when other jobs share the cores.
fn thread_cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}
