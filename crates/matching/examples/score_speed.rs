//! Pairwise scorer throughput in pairs per CPU-second of one thread (robust on a shared, loaded
//! machine, where wall-clock criterion figures swing), with full semantics (every feature, every
//! name/alias combination), on two pair sets:
//!
//! - `pairs`: the labelled identity pairs of the `score` bench (`names/pairs_sdn_un.csv` with
//!   DOBs, nationalities and sex; both sides differ from pair to pair: every identity is a cache
//!   miss, the worst case);
//! - `screen`: screening-like pairs — each query against every candidate the index returns for
//!   it, entries with all their aliases, DOBs (dates, years, ranges, circa), nationalities,
//!   documents, read from the index's own storage (see `benches/common/screen.rs`; a generated
//!   world with `--world DIR`).
//!
//! Each set is scored on the fast path (`Scorer::log2_odds`, pair by pair, and
//! `Scorer::log2_odds_many`, the batch entry point that loads each group of pairs' memory before
//! scoring it), with explanations (`Scorer::score`) and on the reference path
//! (`Scorer::log2_odds_reference`). CPU time is read from
//! `/proc/thread-self/schedstat` (Linux); wall time and the load average are printed beside it.
//! The result of every pass is summed and printed (`[...]`), so that nothing is optimised away.
//!
//! ```text
//! cargo run --release -p linkwatch-matching --example score_speed -- [SECONDS] [fast] [small]
//!     [batch] [--set pairs|screen] [--world DIR] [--entries N] [--queries N] [--per-query N] [--passes N]
//! ```
//! `fast`: fast path only; `batch`: `log2_odds_many` only; `small`: the first 1,000 pairs of each set (cache-resident: compute
//! cost without memory latency; `--first N`: the first N); `--passes N`: exactly N passes per measurement instead of
//! SECONDS (for `valgrind --tool=cachegrind`, whose instruction counts do not depend on load);
//! `--dump FILE`: append every pair's fast and reference log2 odds and explanation to FILE
//! instead of timing (to check that two builds give identical results).

#[path = "../benches/common/pairs.rs"]
mod fixture;
#[path = "../benches/common/screen.rs"]
mod screen_fixture;

use linkwatch_matching::{Context, Identity, Scorer};
use std::path::PathBuf;
use std::time::Instant;

/// Nanoseconds this thread has run on a CPU (None when not on Linux).
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

struct Opts {
    secs: f64,
    passes: Option<u64>,
    fast_only: bool,
    batch_only: bool,
    small: bool,
    first: Option<usize>,
    dump: Option<PathBuf>,
    set: Option<String>,
    world: Option<PathBuf>,
    entries: usize,
    queries: usize,
    per_query: usize,
}

fn opts() -> Opts {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let val = |flag: &str| -> Option<String> {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let num = |flag: &str, d: usize| val(flag).and_then(|v| v.parse().ok()).unwrap_or(d);
    let flags_with_values = [
        "--set",
        "--world",
        "--entries",
        "--queries",
        "--per-query",
        "--passes",
        "--first",
        "--dump",
    ];
    // a bare number (not a flag's value) is the seconds per measurement
    let secs = args
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || !flags_with_values.contains(&args[i - 1].as_str()))
        .find_map(|(_, a)| a.parse().ok())
        .unwrap_or(5.0);
    Opts {
        secs,
        passes: val("--passes").and_then(|v| v.parse().ok()),
        fast_only: args.iter().any(|a| a == "fast"),
        batch_only: args.iter().any(|a| a == "batch"),
        small: args.iter().any(|a| a == "small"),
        first: val("--first").and_then(|v| v.parse().ok()),
        dump: val("--dump").map(PathBuf::from),
        set: val("--set"),
        world: val("--world").map(PathBuf::from),
        entries: num("--entries", 200_000),
        queries: num("--queries", 2_000),
        per_query: num("--per-query", 1_000),
    }
}

fn measure(o: &Opts, label: &str, n_pairs: usize, mut pass: impl FnMut() -> f64) {
    // warm up (lazy tables, caches)
    let mut sink = pass();
    let (c0, w0) = (thread_cpu_ns(), Instant::now());
    let mut passes = 0u64;
    loop {
        sink += pass();
        passes += 1;
        match o.passes {
            Some(n) if passes >= n => break,
            None if w0.elapsed().as_secs_f64() >= o.secs => break,
            _ => {}
        }
    }
    let wall = w0.elapsed().as_secs_f64();
    let done = (passes as usize * n_pairs) as f64;
    match (c0, thread_cpu_ns()) {
        (Some(a), Some(b)) => {
            let cpu = (b - a) as f64 / 1e9;
            println!(
                "  {label:<26} {:>10.0} pairs/CPU-s ({:>5.0} ns/pair CPU; wall {:.0} pairs/s; {passes} passes; cpu {cpu:.2}s wall {wall:.2}s; load {}) [{sink:.3e}]",
                done / cpu,
                cpu * 1e9 / done,
                done / wall,
                loadavg(),
            );
        }
        _ => println!(
            "  {label:<26} wall {:.0} pairs/s ({passes} passes, {wall:.2}s) [{sink:.3e}]",
            done / wall
        ),
    }
}

/// The three measurements of one pair set; `pair(k)` gives the k-th pair.
fn run_set<'p>(
    o: &Opts,
    scorer: &Scorer,
    n: usize,
    pair: impl Fn(usize) -> (&'p Identity, &'p Identity),
    ctx: Context,
) {
    if let Some(path) = &o.dump {
        // every pair's fast and reference log2 odds and explanation, to diff two builds
        use std::io::Write as _;
        let f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("--dump file");
        let mut w = std::io::BufWriter::new(f);
        // the batch entry point gives the pair-by-pair values, bit for bit
        let refs: Vec<(&Identity, &Identity)> = (0..n).map(&pair).collect();
        let mut many = Vec::new();
        scorer.log2_odds_many(&refs, ctx, &mut many);
        for (k, (x, y)) in refs.iter().enumerate() {
            let one = scorer.log2_odds(x, y, ctx);
            assert_eq!(
                one.to_bits(),
                many[k].to_bits(),
                "pair {k}: log2_odds_many differs"
            );
        }
        for k in 0..n {
            let (x, y) = pair(k);
            let s = scorer.score(x, y, ctx);
            writeln!(
                w,
                "{:.12} {:.12} {}",
                scorer.log2_odds(x, y, ctx),
                scorer.log2_odds_reference(x, y, ctx),
                s.explanation.compact()
            )
            .expect("--dump write");
        }
        return;
    }
    if !o.batch_only {
        measure(o, "log2_odds (fast path)", n, || {
            (0..n)
                .map(|k| {
                    let (x, y) = pair(k);
                    scorer.log2_odds(x, y, ctx)
                })
                .sum()
        });
    }
    // the same pairs through the batch entry point (each group's memory loaded before it is
    // scored)
    let refs: Vec<(&Identity, &Identity)> = (0..n).map(&pair).collect();
    let mut out = Vec::with_capacity(n);
    measure(o, "log2_odds_many (batch)", n, || {
        scorer.log2_odds_many(&refs, ctx, &mut out);
        out.iter().sum()
    });
    if o.fast_only || o.batch_only {
        return;
    }
    measure(o, "score (with explanation)", n, || {
        (0..n)
            .map(|k| {
                let (x, y) = pair(k);
                scorer.score(x, y, ctx).log2_odds
            })
            .sum()
    });
    measure(o, "log2_odds_reference", n, || {
        (0..n)
            .map(|k| {
                let (x, y) = pair(k);
                scorer.log2_odds_reference(x, y, ctx)
            })
            .sum()
    });
}

fn main() {
    let o = opts();
    let scorer = Scorer::default();
    let want = |s: &str| o.set.as_deref().is_none_or(|x| x == s);
    println!(
        "score_speed: 1 thread, {}, load average at start {}",
        match o.passes {
            Some(p) => format!("{p} passes per measurement"),
            None => format!("{} s per measurement", o.secs),
        },
        loadavg()
    );
    if want("pairs") {
        let ps = fixture::pairs_first(
            &scorer,
            o.first.or(o.small.then_some(1000)).unwrap_or(usize::MAX),
        );
        let names: usize = ps.iter().map(|(a, b)| a.names.len() + b.names.len()).sum();
        println!(
            "pairs: {} labelled identity pairs ({:.2} names per identity), pair context",
            ps.len(),
            names as f64 / (2 * ps.len().max(1)) as f64
        );
        run_set(
            &o,
            &scorer,
            ps.len(),
            |k| (&ps[k].0, &ps[k].1),
            Context::Pairs,
        );
    }
    if want("screen") {
        let Some(mut sp) = screen_fixture::screen_pairs(
            &scorer,
            o.world.as_deref(),
            o.entries,
            o.queries,
            o.per_query,
        ) else {
            println!("screen: no data (pairs file or --world DIR absent); skipped");
            return;
        };
        if let Some(k) = o.first.or(o.small.then_some(1000)) {
            sp.pairs.truncate(k);
        }
        let n = sp.pairs.len();
        let names: usize = (0..n).map(|k| sp.pair(k).1.names.len()).sum();
        println!(
            "screen: {} queries x their index candidates = {} pairs ({} list entries, {:.2} names per candidate{}), screening context",
            sp.queries.len(),
            n,
            sp.index.len(),
            names as f64 / n.max(1) as f64,
            o.world
                .as_ref()
                .map(|w| format!(", world {}", w.display()))
                .unwrap_or_default()
        );
        run_set(&o, &scorer, n, |k| sp.pair(k), Context::Screening);
    }
}
