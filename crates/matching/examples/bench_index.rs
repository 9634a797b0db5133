//! Candidate-index benchmark and blocking-recall measurement.
//!
//! 1. Builds the index over N synthetic person entries (names recombined from the synthetic
//!    population's name parts, random DOBs and nationalities; or a scenario `watchlist.jsonl` given
//!    with `--list`), reports build time and memory-relevant counts.
//! 2. Screens Q queries one at a time (variants of listed entries: typos, reordering, dropped
//!    middle names, missing DOB; and unrelated population people), reports p50/p99/max latency.
//! 3. Blocking recall: for a sample of queries, every entry the scorer would hit by exhaustive
//!    scoring (screening probability >= 0.1, below the default hit threshold 0.5) must be among the
//!    index's candidates; prints recall with and without the stop-key cap.
//!
//! `cargo run --release -p linkwatch-matching --example bench_index -- [N] [Q] [RECALL_SAMPLE]`

use linkwatch_matching::index::{CandidateIndex, IndexConfig};
use linkwatch_matching::screen::{ScreenOptions, Screener};
use linkwatch_matching::{Context, Identity, Scorer};
use linkwatch_model::{Country, PartialDate, Sex};
use rand::{Rng, SeedableRng};
use std::path::PathBuf;
use std::time::Instant;

struct Parts {
    first: Vec<String>,
    last: Vec<String>,
    nats: Vec<String>,
}

/// A person of the synthetic population: name, date of birth, nationality.
type Person = (String, Option<PartialDate>, Option<Country>);

fn population() -> anyhow::Result<(Parts, Vec<Person>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/population");
    let mut p = Parts {
        first: vec![],
        last: vec![],
        nats: vec![],
    };
    let mut people = Vec::new();
    for f in ["negatives_global.csv", "negatives_us.csv"] {
        let mut r = csv::Reader::from_path(dir.join(f))?;
        for rec in r.records() {
            let rec = rec?;
            p.first.push(rec[1].to_string());
            if !rec[3].is_empty() {
                p.last.push(rec[3].to_string());
            }
            p.nats.push(rec[7].to_string());
            people.push((
                rec[0].to_string(),
                PartialDate::parse(&rec[5]).ok(),
                linkwatch_model::normalize_country(&rec[7]),
            ));
        }
    }
    Ok((p, people))
}

fn typo(rng: &mut impl Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 4 {
        return s.to_string();
    }
    let i = rng.gen_range(1..c.len() - 1);
    c[i] = ['a', 'e', 'i', 'o', 'u'][rng.gen_range(0..5)];
    c.into_iter().collect()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(1_000_000);
    let q = args.get(1).copied().unwrap_or(2_000);
    let rs = args.get(2).copied().unwrap_or(200);
    let (parts, people) = population()?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
    let scorer = Scorer::default();
    // Entries.
    let t0 = Instant::now();
    let mut entries: Vec<(String, Identity)> = Vec::with_capacity(n);
    let mut raw: Vec<(String, Option<PartialDate>, Option<Country>)> = Vec::with_capacity(n);
    for i in 0..n {
        let f = &parts.first[rng.gen_range(0..parts.first.len())];
        let l = &parts.last[rng.gen_range(0..parts.last.len())];
        let name = if rng.gen_bool(0.3) {
            let m = &parts.first[rng.gen_range(0..parts.first.len())];
            format!("{f} {m} {l}")
        } else {
            format!("{f} {l}")
        };
        let dob = PartialDate::ymd(
            rng.gen_range(1940..2005),
            rng.gen_range(1..=12),
            rng.gen_range(1..=28),
        )
        .ok();
        let nat =
            linkwatch_model::normalize_country(&parts.nats[rng.gen_range(0..parts.nats.len())]);
        raw.push((name, dob, nat));
        let _ = i;
    }
    use rayon::prelude::*;
    let ids: Vec<Identity> = raw
        .par_iter()
        .map(|(nm, d, c)| {
            let mut id = Identity::from_parts(nm, *d, *c, Sex::Unknown);
            scorer.prepare(&mut id);
            id
        })
        .collect();
    let t_an = t0.elapsed();
    let t1 = Instant::now();
    let mut ix: CandidateIndex<u32> = CandidateIndex::new(IndexConfig::default());
    for (i, id) in ids.into_iter().enumerate() {
        ix.insert(i as u32, id);
    }
    let t_ix = t1.elapsed();
    entries.clear();
    println!(
        "entries {n}: analysis {:.1}s (parallel), index inserts {:.1}s, {} keys, largest postings {:?}",
        t_an.as_secs_f64(),
        t_ix.as_secs_f64(),
        ix.key_count(),
        ix.largest_postings(5)
    );
    // Queries: half variants of entries, half unrelated people.
    let mut queries = Vec::with_capacity(q);
    for k in 0..q {
        let id = if k % 2 == 0 {
            let (nm, d, c) = &raw[rng.gen_range(0..raw.len())];
            let toks: Vec<&str> = nm.split(' ').collect();
            let v = match rng.gen_range(0..4) {
                0 => format!("{}, {}", toks[toks.len() - 1].to_uppercase(), toks[0]),
                1 => toks
                    .iter()
                    .map(|t| typo(&mut rng, t))
                    .collect::<Vec<_>>()
                    .join(" "),
                2 => format!("{} {}", toks[0], toks[toks.len() - 1]),
                _ => nm.clone(),
            };
            Identity::from_parts(
                &v,
                if rng.gen_bool(0.7) { *d } else { None },
                *c,
                Sex::Unknown,
            )
        } else {
            let (nm, d, c) = &people[rng.gen_range(0..people.len())];
            Identity::from_parts(nm, *d, *c, Sex::Unknown)
        };
        let mut id = id;
        scorer.prepare(&mut id);
        queries.push(id);
    }
    let opts = ScreenOptions {
        threshold: 0.5,
        max_hits: 10,
        context: Context::Screening,
        ..Default::default()
    };
    let screener = Screener::new(&ix, &scorer, &opts);
    let mut lat = Vec::with_capacity(q);
    let mut cands = 0usize;
    let mut hits = 0usize;
    for qi in &queries {
        let t = Instant::now();
        let h = screener.screen(qi);
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        hits += h.len();
        cands += ix.candidates(qi).0.len();
    }
    lat.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "queries {q} (single thread): p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms; mean candidates {:.0}; hits {hits}",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        lat[lat.len() - 1],
        cands as f64 / q as f64
    );
    // Blocking recall against exhaustive scoring.
    let recall_opts = ScreenOptions {
        threshold: 0.1,
        max_hits: 0,
        context: Context::Screening,
        ..Default::default()
    };
    let min_l = linkwatch_matching::screen::log2_odds_threshold(&scorer, recall_opts.threshold);
    let sample: Vec<&Identity> = queries.iter().take(rs).collect();
    let t = Instant::now();
    let truth: Vec<Vec<u32>> = sample
        .par_iter()
        .map(|qi| {
            ix.iter()
                .filter(|(_, e)| scorer.log2_odds(qi, e, Context::Screening) >= min_l)
                .map(|(k, _)| *k)
                .collect()
        })
        .collect();
    println!(
        "exhaustive scoring of {} queries x {n} entries: {:.1}s",
        sample.len(),
        t.elapsed().as_secs_f64()
    );
    for (label, cap) in [
        ("stop_cap default", ix.config().stop_cap),
        ("no cap", usize::MAX),
    ] {
        let mut ix2 = ix.clone();
        ix2.set_config(IndexConfig {
            stop_cap: cap,
            fuzzy_cap: cap.min(ix.config().fuzzy_cap.max(cap)),
            hard_cap: cap.max(ix.config().hard_cap),
        });
        let (mut tp, mut found, mut c) = (0usize, 0usize, 0usize);
        for (qi, tr) in sample.iter().zip(&truth) {
            let (cs, _) = ix2.candidates(qi);
            c += cs.len();
            let got: std::collections::HashSet<u32> = cs
                .iter()
                .filter_map(|s| ix2.slot(*s).map(|(k, _)| *k))
                .collect();
            tp += tr.len();
            found += tr.iter().filter(|k| got.contains(k)).count();
        }
        println!(
            "blocking recall ({label}): {found}/{tp} = {:.4} true positives (p >= {} screening context, exhaustive scoring) returned; mean candidates {:.0}",
            if tp == 0 { 1.0 } else { found as f64 / tp as f64 },
            recall_opts.threshold,
            c as f64 / sample.len() as f64
        );
    }
    Ok(())
}
