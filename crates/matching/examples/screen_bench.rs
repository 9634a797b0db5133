//! Screening latency at scale, threshold-aware (pruned) against scoring every candidate
//! (unpruned): builds the index over the given lists as `linkwatch screen` does (list term
//! frequencies merged in, list-size prior), then screens queries one at a time on one thread and
//! reports p50/p99/max latency, candidates per query before and after pruning, and checks that
//! the pruned hits equal the unpruned ones on a sample.
//!
//! ```text
//! cargo run --release -p linkwatch-matching --example screen_bench -- \
//!   --list /tmp/w1m/watchlist.jsonl --list /tmp/real.jsonl --encounters /tmp/w1m/encounters.jsonl \
//!   [--queries 2000] [--check 200] [--threshold 0.5] [--no-list-prior]
//! ```
//!
//! Queries: half the first encounters of the file (subject, documents, biometrics, contacts),
//! half single-alias queries made from random list entries (one name with the entry's DOB,
//! nationality and sex, as an officer would type them). Every query set is timed twice in one
//! process, after one untimed warm-up pass: as `linkwatch screen` runs it, and with session 4's
//! name bound from the candidates' analysed names (`Screener::with_analysed_names`, the
//! "before"; `BENCH_SESSION5=1`: session 5's path, without the birth-year window and the exact
//! name stage, instead; `BENCH_NO_WINDOW=1`: reading every birth year of the posting lists,
//! `BENCH_NO_EXACT=1`: without the exact name stage, `BENCH_NO_READ_AHEAD=1`: without
//! read-ahead, `BENCH_NO_MEMO=1`: without any name-bound memo). `BENCH_ONLY_PRUNED=1` times only the shipped path, `BENCH_KIND=encounter` (or `alias`) keeps only that kind of query. `SLOWEST=1` prints the statistics of the slowest queries of each set. Measurement tool only (reads files).

use anyhow::{bail, Context as _};
use linkwatch_matching::screen::{
    list_size_prior_adjust, screen_one_unpruned, ScreenOptions, ScreenStats, Screener,
};
use linkwatch_matching::{Context, Identity, Scorer};
use linkwatch_model::{Biometrics, Contacts, EntityKind, Name, WatchlistEntry};
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

mod common;
use common::{cpu_seconds, list_scorer_and_index, peak_rss_mb, read_lines};

fn main() -> anyhow::Result<()> {
    let mut lists: Vec<PathBuf> = Vec::new();
    let mut encounters: Option<PathBuf> = None;
    let (mut nq, mut check, mut threshold, mut list_prior) = (2_000usize, 200usize, 0.5, true);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().context("missing value");
        match a.as_str() {
            "--list" => lists.push(PathBuf::from(val()?)),
            "--encounters" => encounters = Some(PathBuf::from(val()?)),
            "--queries" => nq = val()?.parse()?,
            "--check" => check = val()?.parse()?,
            "--threshold" => threshold = val()?.parse()?,
            "--no-list-prior" => list_prior = false,
            _ => bail!("unknown argument {a}"),
        }
    }
    if lists.is_empty() {
        bail!("give --list FILE.jsonl (repeatable)");
    }
    let t0 = Instant::now();
    let c0 = cpu_seconds();
    let mut entries: Vec<WatchlistEntry> = Vec::new();
    for p in &lists {
        let lines = read_lines(p, usize::MAX)?;
        let mut v: Vec<WatchlistEntry> = lines
            .par_iter()
            .map(|l| serde_json::from_str(l).context("entry"))
            .collect::<anyhow::Result<_>>()?;
        v.retain(|e| e.kind == EntityKind::Person);
        entries.extend(v);
    }
    let t_load = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let ids: Vec<Identity> = entries.par_iter().map(Identity::from_entry).collect();
    let t_an = t1.elapsed().as_secs_f64();
    let (scorer, ix, t_ix, t_prep) = list_scorer_and_index(Scorer::default().model().clone(), ids);
    let (distinct_names, distinct_tokens) = ix.interned();
    println!(
        "{} person entries: read {t_load:.1}s, analysed {t_an:.1}s, indexed {t_ix:.1}s ({} keys, {} postings; {distinct_names} distinct names, {distinct_tokens} distinct tokens interned), prepared {t_prep:.1}s; {:.1} CPU-s, peak RSS {:.0} MB",
        ix.len(),
        ix.key_count(),
        ix.posting_count(),
        cpu_seconds() - c0,
        peak_rss_mb()
    );

    // Queries.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let mut queries: Vec<(&str, Identity)> = Vec::with_capacity(nq);
    if let Some(p) = &encounters {
        for l in read_lines(p, nq / 2)? {
            let e: linkwatch_model::Encounter = serde_json::from_str(&l).context("encounter")?;
            queries.push(("encounter", Identity::from_encounter(&e)));
        }
    }
    while queries.len() < nq {
        let e = &entries[rng.gen_range(0..entries.len())];
        if e.names.is_empty() {
            continue;
        }
        let name: &Name = &e.names[rng.gen_range(0..e.names.len())];
        let mut q = e.clone();
        q.names = vec![Name {
            quality: linkwatch_model::NameQuality::Recorded,
            ..name.clone()
        }];
        q.documents.clear();
        q.contacts = Contacts::default();
        q.biometrics = Biometrics::default();
        queries.push(("alias", Identity::from_entry(&q)));
    }
    // BENCH_KIND=encounter|alias: only that kind of query (for profiles).
    if let Some(k) = std::env::var_os("BENCH_KIND") {
        queries.retain(|q| k == q.0);
    }
    for q in &mut queries {
        scorer.prepare(&mut q.1);
    }
    drop(entries);
    let adjust = if list_prior {
        list_size_prior_adjust(ix.len())
    } else {
        0.0
    };
    let opts = ScreenOptions {
        threshold,
        max_hits: 10,
        context: Context::Screening,
        prior_adjust: adjust,
    };
    println!(
        "threshold {threshold}, list-size prior {adjust:+.2} bits, {} queries ({} encounters)",
        queries.len(),
        queries.iter().filter(|q| q.0 == "encounter").count()
    );
    let screener = Screener::new(&ix, &scorer, &opts);
    // BENCH_ESSENTIAL=1: what the essential-list rule would leave unread, then exit.
    if std::env::var_os("BENCH_ESSENTIAL").is_some() {
        essential_potential(&ix, &scorer, &screener, &queries, &opts);
        return Ok(());
    }
    // The same screening without reading candidates' summaries and names ahead of their
    // tests, for the before/after figure in one run (`BENCH_NO_MEMO=1`: without the per-query
    // name-bound memo instead, session 3's comparison).
    let (no_sig, other) = if std::env::var_os("BENCH_NO_MEMO").is_some() {
        (
            Screener::new(&ix, &scorer, &opts).without_name_memo(),
            "no name memo",
        )
    } else if std::env::var_os("BENCH_SESSION5").is_some() {
        (
            Screener::new(&ix, &scorer, &opts)
                .without_exact_names()
                .without_year_window(),
            "session 5 (no window, no exact name stage)",
        )
    } else if std::env::var_os("BENCH_NO_WINDOW").is_some() {
        (
            Screener::new(&ix, &scorer, &opts).without_year_window(),
            "no year window",
        )
    } else if std::env::var_os("BENCH_NO_EXACT").is_some() {
        (
            Screener::new(&ix, &scorer, &opts).without_exact_names(),
            "no exact name stage",
        )
    } else if std::env::var_os("BENCH_NO_READ_AHEAD").is_some() {
        (
            Screener::new(&ix, &scorer, &opts).without_read_ahead(),
            "no read-ahead",
        )
    } else {
        (
            Screener::new(&ix, &scorer, &opts).with_analysed_names(),
            "analysed names (session 4)",
        )
    };
    // One untimed pass first: the first queries would otherwise pay the index's page faults
    // and cold caches for whichever variant runs first.
    for (_, q) in &queries {
        std::hint::black_box(screener.screen(q));
    }
    for (kind, variant, screener) in [
        ("encounter", "pruned", &screener),
        ("alias", "pruned", &screener),
        ("all", "pruned", &screener),
        ("encounter", other, &no_sig),
        ("alias", other, &no_sig),
        ("all", other, &no_sig),
    ] {
        // BENCH_ONLY_PRUNED=1: only the shipped path (for profiles).
        if variant == other && std::env::var_os("BENCH_ONLY_PRUNED").is_some() {
            continue;
        }
        let mut lat = Vec::new();
        let mut st = ScreenStats::default();
        let mut cands = Vec::new();
        let mut slow: Vec<(f64, ScreenStats)> = Vec::new();
        let c = cpu_seconds();
        for (k, q) in &queries {
            if kind != "all" && *k != kind {
                continue;
            }
            let t = Instant::now();
            let (h, s) = screener.screen_with_stats(q);
            lat.push(t.elapsed().as_secs_f64() * 1e3);
            if std::env::var_os("SLOWEST").is_some() {
                slow.push((*lat.last().unwrap_or(&0.0), s));
            }
            std::hint::black_box(h);
            cands.push(s.postings);
            st += s;
        }
        if lat.is_empty() {
            continue;
        }
        let cpu = cpu_seconds() - c;
        // SLOWEST=1: what the slowest queries did (where the p99 goes).
        slow.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (ms, s) in slow.iter().take(8) {
            println!("  slow {kind} {variant}: {ms:.2} ms {s:?}");
        }
        lat.sort_by(|a, b| a.total_cmp(b));
        cands.sort_unstable();
        let n = lat.len() as f64;
        let pct = |v: &[f64], p: f64| v[((v.len() as f64 * p) as usize).min(v.len() - 1)];
        println!(
            "{kind:>9}: {} queries, {variant}: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({:.0} µs CPU/query); postings read mean {:.0} (p99 {}; {:.0} skipped outside the birth-year window), candidates mean {:.0} (of which the coarse bound dropped {:.0} in the scan), pruned by bound {:.0} (coarse and exact), by evidence {:.0}, by name bound {:.0} (name bounds from the memo {:.0}), by exact name term {:.1} ({:.1} names computed, {:.1} from the memo), by rank {:.1}, scored {:.1}, hits {:.2} per query",
            lat.len(),
            pct(&lat, 0.5),
            pct(&lat, 0.9),
            pct(&lat, 0.99),
            lat[lat.len() - 1],
            cpu * 1e6 / n,
            st.postings as f64 / n,
            cands[((cands.len() as f64 * 0.99) as usize).min(cands.len() - 1)],
            st.year_skipped as f64 / n,
            st.candidates as f64 / n,
            st.pruned_in_scan as f64 / n,
            st.pruned_by_bound as f64 / n,
            st.pruned_by_evidence as f64 / n,
            st.pruned_by_name as f64 / n,
            st.name_memo_hits as f64 / n,
            st.pruned_by_exact_name as f64 / n,
            st.exact_names as f64 / n,
            st.exact_name_memo_hits as f64 / n,
            st.pruned_by_rank as f64 / n,
            st.scored as f64 / n,
            st.hits as f64 / n
        );
    }
    // Candidate generation alone (keys, postings, distinct slots; no bound, no scoring).
    let mut scratch = linkwatch_matching::index::Scratch::default();
    let mut lat: Vec<f64> = queries
        .iter()
        .map(|(_, q)| {
            let t = Instant::now();
            std::hint::black_box(ix.candidates_into(q, &mut scratch));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    lat.sort_by(|a, b| a.total_cmp(b));
    println!(
        "candidate generation alone: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        lat[lat.len() / 2],
        lat[((lat.len() as f64 * 0.99) as usize).min(lat.len() - 1)],
        lat[lat.len() - 1]
    );
    // The shipped scan alone: keys, the year windows and the coarse filter of the postings'
    // summaries (what `Screener` does before reading any slot).
    let bounds = linkwatch_matching::bound::Bounds::new(&scorer);
    let min_l = linkwatch_matching::screen::log2_odds_threshold(&scorer, threshold) - 1e-9;
    for kind in ["encounter", "alias"] {
        let c = cpu_seconds();
        let mut lat: Vec<f64> = Vec::new();
        let mut left = 0usize;
        for (_, q) in queries.iter().filter(|q| q.0 == kind) {
            let t = Instant::now();
            let qb = bounds.query(q, opts.context, opts.prior_adjust, min_l);
            let st = ix.candidates_windowed(q, &mut scratch, qb.year_windows(), |p, doc| {
                qb.coarse(p, doc) >= min_l
            });
            std::hint::black_box(st);
            left += scratch.cands.len();
            lat.push(t.elapsed().as_secs_f64() * 1e3);
        }
        if lat.is_empty() {
            continue;
        }
        let cpu = (cpu_seconds() - c) * 1e6 / lat.len() as f64;
        let n = lat.len();
        lat.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{kind:>9} scan alone (keys, windows, coarse filter): p50 {:.3} ms, p99 {:.3} ms ({cpu:.0} µs CPU/query; {:.0} candidates left per query)",
            lat[n / 2],
            lat[((n as f64 * 0.99) as usize).min(n - 1)],
            left as f64 / n as f64
        );
    }
    // Unpruned reference on a sample: same hits, and its latency.
    let mut lat = Vec::new();
    let mut same = 0;
    let step = (queries.len() / check.max(1)).max(1);
    for (_, q) in queries.iter().step_by(step).take(check) {
        let t = Instant::now();
        let slow = screen_one_unpruned(&ix, &scorer, q, &opts);
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        let fast = screener.screen(q);
        if fast == slow {
            same += 1;
        } else {
            eprintln!(
                "MISMATCH: {:?}: pruned {} hits, unpruned {}",
                q.names.first().map(|n| &n.analyzed.original),
                fast.len(),
                slow.len()
            );
        }
    }
    if !lat.is_empty() {
        lat.sort_by(|a, b| a.total_cmp(b));
        let pct = |v: &[f64], p: f64| v[((v.len() as f64 * p) as usize).min(v.len() - 1)];
        println!(
            "unpruned (every candidate scored), {} queries: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; identical hits {same}/{}",
            lat.len(),
            pct(&lat, 0.5),
            pct(&lat, 0.99),
            lat[lat.len() - 1],
            lat.len()
        );
        if same != lat.len() {
            bail!("pruned and unpruned hits differ");
        }
    }
    println!("peak RSS {:.0} MB", peak_rss_mb());
    Ok(())
}

/// The potential of MaxScore over posting lists ("essential lists"), measured without changing
/// the screener: per query, the query's keys are grouped by the name part they stand for; a
/// set `S` of parts is chosen greedily (longest lists first) such that a candidate whose tokens
/// agree strongly only with parts in `S`, parts whose strong keys are over their cap, or
/// tokens that can agree without a key ([`keyless_agreement_mask`]) stays below the threshold
/// ([`Bounds::name_bound_restricted`] + the non-name maximum for a candidate sharing no
/// identifier). The lists that could then be left unread: the weak keys of every part
/// (fold, deletion, prefix, part + year, pair) and every key of the parts in `S`. Prints the
/// postings and candidates left, and the hits of the shipped screener that no read list holds
/// (0 if the rule's premise holds: joins are its known gap).
fn essential_potential(
    ix: &linkwatch_matching::index::CandidateIndex<u32>,
    scorer: &Scorer,
    screener: &Screener<u32>,
    queries: &[(&str, Identity)],
    opts: &ScreenOptions,
) {
    use linkwatch_matching::bound::{keyless_agreement_mask, Bounds};
    use linkwatch_matching::index::KeyKind;
    use rustc_hash::FxHashSet;
    let bounds = Bounds::new(scorer);
    let min_l = linkwatch_matching::screen::log2_odds_threshold(scorer, opts.threshold) - 1e-9;
    let strong = |k: KeyKind| k.cap_class() == 0;
    let drop_variants = std::env::var("ESS_DROP").ok();
    for kind in ["encounter", "alias"] {
        let (mut n, mut post, mut post_e, mut cand, mut cand_e) = (0usize, 0usize, 0usize, 0, 0);
        let (mut weak_skip, mut with_s, mut lost, mut hits) = (0usize, 0usize, 0usize, 0usize);
        let (mut post_weak, mut post_s) = (0usize, 0usize);
        let (mut l1_post, mut l1_cand, mut l1_coarse, mut l1_lost, mut all_coarse) =
            (0usize, 0usize, 0usize, 0usize, 0usize);
        // Per key kind: postings read, candidates found through that kind only, and of those the
        // ones the coarse bound (document flag set) keeps.
        let mut by_kind: std::collections::BTreeMap<String, (usize, usize, usize)> =
            Default::default();
        // Margins (bits over the threshold): one strong part (no keyless part), every part.
        let (mut m_one, mut m_all, mut s_rest, mut s_prior) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for (_, q) in queries.iter().filter(|q| q.0 == kind) {
            n += 1;
            let qb = bounds.query(q, opts.context, opts.prior_adjust, min_l);
            let groups = ix.query_key_groups(q, qb.year_windows()[0]);
            let prior = qb.base - qb.name_max;
            let rest = qb.non_name_max_unshared();
            let nn = q.names.len();
            // Parts that may agree whatever lists are read.
            let mut m0: Vec<u64> = q.names.iter().map(keyless_agreement_mask).collect();
            for g in &groups {
                if g.name != u32::MAX && g.capped && strong(g.kind) {
                    m0[g.name as usize] |= g.mask;
                }
            }
            let one: Vec<u64> = (0..nn).map(|i| u64::from(i == 0)).collect();
            m_one += prior + bounds.name_bound_restricted(q, &one).unwrap_or(0.0) + rest - min_l;
            m_all += prior + qb.name_max + rest - min_l;
            s_rest += rest;
            s_prior += prior;
            {
                let mut kinds: rustc_hash::FxHashMap<u32, ((KeyKind, u8), bool)> =
                    Default::default();
                let mut seen: FxHashSet<u64> = FxHashSet::default();
                for g in &groups {
                    if !seen.insert(g.hash) {
                        continue;
                    }
                    let label = |g: &linkwatch_matching::index::GroupedKey| match g.variant {
                        1 => "PartYear/fold".to_string(),
                        2 => "PartYear/prefix".to_string(),
                        3 => "PartYear/group".to_string(),
                        _ => format!("{:?}", g.kind),
                    };
                    by_kind.entry(label(g)).or_default().0 += g.slots.len();
                    let code = (g.kind, g.variant);
                    for &sl in &g.slots {
                        let e = kinds.entry(sl).or_insert((code, true));
                        if e.0 != code {
                            e.1 = false;
                        }
                    }
                }
                for (sl, ((k, v), only)) in &kinds {
                    if *only {
                        let label = match v {
                            1 => "PartYear/fold".to_string(),
                            2 => "PartYear/prefix".to_string(),
                            3 => "PartYear/group".to_string(),
                            _ => format!("{k:?}"),
                        };
                        let e = by_kind.entry(label).or_default();
                        e.1 += 1;
                        let coarse = ix.slot(*sl).is_some_and(|(_, id)| {
                            qb.coarse(linkwatch_matching::bound::Packed::of(id), true) >= min_l
                        });
                        e.2 += usize::from(coarse);
                    }
                }
            }
            let below = |may: &[u64]| match bounds.name_bound_restricted(q, may) {
                None => true,
                Some(b) => prior + b + rest < min_l,
            };
            if std::env::var_os("ESS_DEBUG").is_some() {
                let key: Vec<u64> = q.names.iter().map(keyless_agreement_mask).collect();
                let one: Vec<u64> = q.names.iter().map(|_| 1).collect();
                let none: Vec<u64> = vec![0; nn];
                eprintln!(
                    "DBG {kind} {:?}: keyless {:?} m0 {:?} prior {prior:.2} rest {rest:.2} name_max {:.2} r(m0) {:?} r(one) {:?} r(none) {:?} min_l {min_l:.2}",
                    q.names.first().map(|n| &n.analyzed.original),
                    key,
                    m0,
                    qb.name_max,
                    bounds.name_bound_restricted(q, &m0),
                    bounds.name_bound_restricted(q, &one),
                    bounds.name_bound_restricted(q, &none),
                );
            }
            let mut s: Vec<u64> = vec![0; nn];
            let mut ok = below(&m0);
            if ok {
                weak_skip += 1;
                // Parts by the postings of their own strong keys, longest first.
                let mut parts: Vec<(usize, u32, u64)> = Vec::new();
                for g in groups
                    .iter()
                    .filter(|g| g.name != u32::MAX && strong(g.kind))
                {
                    if g.mask.count_ones() != 1 {
                        continue;
                    }
                    match parts.iter_mut().find(|p| p.1 == g.name && p.2 == g.mask) {
                        Some(p) => p.0 += g.slots.len(),
                        None => parts.push((g.slots.len(), g.name, g.mask)),
                    }
                }
                parts.sort_by_key(|p| std::cmp::Reverse(p.0));
                for (_, name, mask) in parts {
                    let mut t = s.clone();
                    t[name as usize] |= mask;
                    let may: Vec<u64> = m0.iter().zip(&t).map(|(a, b)| a | b).collect();
                    if below(&may) {
                        s = t;
                    }
                }
                if s.iter().any(|&m| m != 0) {
                    with_s += 1;
                }
            } else {
                ok = false;
            }
            // A list is left unread when every part group it stands for allows it.
            let mut read: FxHashSet<u64> = FxHashSet::default();
            let mut all: FxHashSet<u64> = FxHashSet::default();
            let mut lens: rustc_hash::FxHashMap<u64, (usize, bool, bool)> = Default::default();
            for g in &groups {
                all.insert(g.hash);
                let skip = ok
                    && g.name != u32::MAX
                    && (!strong(g.kind) || g.mask & !s[g.name as usize] == 0);
                if !skip {
                    read.insert(g.hash);
                }
                let e = lens.entry(g.hash).or_insert((g.slots.len(), false, false));
                if !strong(g.kind) {
                    e.1 = true;
                } else {
                    e.2 = true;
                }
            }
            let mut cs: FxHashSet<u32> = FxHashSet::default();
            let mut ce: FxHashSet<u32> = FxHashSet::default();
            let mut seen: FxHashSet<u64> = FxHashSet::default();
            for g in &groups {
                if !seen.insert(g.hash) {
                    continue;
                }
                post += g.slots.len();
                cs.extend(g.slots.iter().copied());
                if read.contains(&g.hash) {
                    post_e += g.slots.len();
                    ce.extend(g.slots.iter().copied());
                } else if lens.get(&g.hash).is_some_and(|e| e.2) {
                    post_s += g.slots.len();
                } else {
                    post_weak += g.slots.len();
                }
            }
            cand += cs.len();
            cand_e += ce.len();
            // Hypothetical: no fold + year or prefix + year keys (the group + year keys kept;
            // ESS_DROP=prefix: only the prefix + year keys dropped, =fold: only fold + year).
            let mut c1: FxHashSet<u32> = FxHashSet::default();
            let mut seen1: FxHashSet<u64> = FxHashSet::default();
            let dropped: FxHashSet<u64> = groups
                .iter()
                .filter(|g| match drop_variants.as_deref() {
                    Some("prefix") => g.variant == 2,
                    Some("fold") => g.variant == 1,
                    _ => matches!(g.variant, 1 | 2),
                })
                .map(|g| g.hash)
                .collect();
            for g in &groups {
                if dropped.contains(&g.hash) || !seen1.insert(g.hash) {
                    continue;
                }
                l1_post += g.slots.len();
                c1.extend(g.slots.iter().copied());
            }
            l1_cand += c1.len();
            // candidates the scan's coarse bound keeps
            let past_coarse = |sl: &u32| {
                ix.slot(*sl).is_some_and(|(_, id)| {
                    qb.coarse(linkwatch_matching::bound::Packed::of(id), true) >= min_l
                })
            };
            l1_coarse += c1.iter().filter(|sl| past_coarse(sl)).count();
            all_coarse += cs.iter().filter(|sl| past_coarse(sl)).count();
            for h in screener.screen(q) {
                if ix.slot_of(&h.key).is_none_or(|sl| !c1.contains(&sl)) {
                    l1_lost += 1;
                    eprintln!(
                        "LEVER1 LOST {kind}: {:?} -> {} (p {:.3})",
                        q.names.first().map(|n| &n.analyzed.original),
                        h.key,
                        h.probability
                    );
                }
            }
            for h in screener.screen(q) {
                hits += 1;
                if ix.slot_of(&h.key).is_none_or(|sl| !ce.contains(&sl)) {
                    lost += 1;
                    eprintln!(
                        "LOST {kind}: {:?} -> {} (p {:.3}): {}",
                        q.names.first().map(|n| &n.analyzed.original),
                        h.key,
                        h.probability,
                        serde_json::to_string(&h.explanation.terms).unwrap_or_default()
                    );
                }
            }
        }
        if n == 0 {
            continue;
        }
        let f = n as f64;
        println!(
            "{kind:>9} essential lists: {n} queries; weak keys skippable for {:.1}%, some part skipped for {:.1}%; postings {:.0} -> {:.0} per query ({:.0} weak-key postings and {:.0} skipped parts' postings left unread), candidates {:.0} -> {:.0}; hits {hits}, held by no read list {lost}",
            100.0 * weak_skip as f64 / f,
            100.0 * with_s as f64 / f,
            post as f64 / f,
            post_e as f64 / f,
            post_weak as f64 / f,
            post_s as f64 / f,
            cand as f64 / f,
            cand_e as f64 / f,
        );
        println!(
            "{kind:>9} margins over the threshold (bits, mean): every part may agree {:+.1}, only the first name's first part {:+.1} (prior {:+.1}, non-name maximum without shared identifiers {:+.1})",
            m_all / f,
            m_one / f,
            s_prior / f,
            s_rest / f
        );
        println!(
            "{kind:>9} without part + year keys of {} (hypothetical): postings {:.0} -> {:.0}, candidates {:.0} -> {:.0}, past the coarse bound {:.0} -> {:.0}; hits {hits}, held by no remaining list {l1_lost}",
            drop_variants.as_deref().unwrap_or("fold and prefix"),
            post as f64 / f,
            l1_post as f64 / f,
            cand as f64 / f,
            l1_cand as f64 / f,
            all_coarse as f64 / f,
            l1_coarse as f64 / f
        );
        for (k, (p, only, coarse)) in &by_kind {
            println!(
                "{kind:>9}   {k:<16} postings {:>7.0}  candidates found only through it {:>6.0} ({:.0} pass the coarse bound)",
                *p as f64 / f,
                *only as f64 / f,
                *coarse as f64 / f
            );
        }
    }
}
