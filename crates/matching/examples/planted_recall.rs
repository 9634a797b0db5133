//! Planted recall of the generated world: builds the index over the world's watchlist (and any
//! further lists) exactly as `linkwatch screen` does (person entries, list term frequencies
//! merged into the scorer's table, default index configuration, list-size prior, `Screener` +
//! `BatchScreener`), screens the planted encounters of watchlisted people
//! (`truth/watchlist_matches.csv`) plus a fixed seeded sample of the other encounters, and
//! prints:
//!
//! - planted recall: planted encounters whose hits include the truth entry, out of all planted;
//! - for each miss, the probability the scorer gives the truth entry (same prior adjustment)
//!   and the compact explanation of that pair;
//! - hits per 1,000 non-planted encounters (the analysts' workload and false-alarm side), and
//!   how many of those hits have a date of birth that disagrees (namesakes).
//!
//! No algorithm here: every decision is the library's (`Identity::from_entry`,
//! `Identity::from_encounter`, `TermFrequencies`, `CandidateIndex`, `Screener`,
//! `BatchScreener`, `list_size_prior_adjust`, `Scorer::score`). Measurement tool only (reads
//! files).
//!
//! ```text
//! cargo build --release -p linkwatch-matching --example planted_recall
//! target/release/examples/planted_recall --world /tmp/m/w1m [--list /tmp/m/real.jsonl] \
//!   [--sample 20000] [--seed 7] [--threshold 0.5] [--subset 200000 --prior-entries 1000000] \
//!   [--model FILE.toml]
//! ```
//!
//! `--dump-rows FILE.csv` also screens every query at `--dump-threshold` (default 0.001, all
//! hits) and writes one row per pair for fitting the name evidence's information term
//! (`examples/train.rs` with `INFO_FIT`): `offset` (total log2 odds with the list-size prior,
//! without the information term), `info_bits` (summed rarity of the strongly agreeing name
//! parts), `is_match` (the planted truth pair), `weight` (1 for pairs of planted encounters,
//! other encounters / sample size for pairs of the sample), `split` (`fit` or `check` by the
//! encounter id's hash, so a fit on one half can be checked on the other). Truth pairs below
//! the dump threshold are written too.
//!
//! `--show-hits N` prints the first N hits of the non-planted sample with their explanations.
//!
//! `--subset N` keeps the truth entries plus the first N world entries (a quick development
//! run; the term frequencies and candidates then differ from the full list), `--prior-entries`
//! takes the list-size prior of a list of that many entries instead of the index's size.

use anyhow::{bail, Context as _};
use linkwatch_matching::batch::BatchScreener;
use linkwatch_matching::screen::{list_size_prior_adjust, ScreenOptions, Screener};
use linkwatch_matching::{Context, Identity, Model};
use linkwatch_model::{EntityKind, WatchlistEntry};
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Instant;

mod common;
use common::{cpu_seconds, list_scorer_and_index, peak_rss_mb, read_lines};

#[derive(serde::Deserialize)]
struct IdOnly {
    id: String,
}

fn main() -> anyhow::Result<()> {
    let mut world: Option<PathBuf> = None;
    let mut extra: Vec<PathBuf> = Vec::new();
    let (mut sample, mut seed, mut threshold) = (20_000usize, 7u64, 0.5f64);
    let (mut subset, mut prior_entries, mut model_path) = (0usize, None::<usize>, None::<PathBuf>);
    let (mut dump, mut dump_threshold, mut show_hits) = (None::<PathBuf>, 0.001f64, 0usize);
    let mut namesakes = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().context("missing value");
        match a.as_str() {
            "--world" => world = Some(PathBuf::from(val()?)),
            "--list" => extra.push(PathBuf::from(val()?)),
            "--sample" => sample = val()?.parse()?,
            "--seed" => seed = val()?.parse()?,
            "--threshold" => threshold = val()?.parse()?,
            "--subset" => subset = val()?.parse()?,
            "--prior-entries" => prior_entries = Some(val()?.parse()?),
            "--model" => model_path = Some(PathBuf::from(val()?)),
            "--dump-rows" => dump = Some(PathBuf::from(val()?)),
            "--dump-threshold" => dump_threshold = val()?.parse()?,
            "--show-hits" => show_hits = val()?.parse()?,
            "--namesakes" => namesakes = true,
            _ => bail!("unknown argument {a}"),
        }
    }
    let Some(world) = world else {
        bail!("give --world DIR (with watchlist.jsonl, encounters.jsonl, truth/watchlist_matches.csv)");
    };
    let t0 = Instant::now();
    let c0 = cpu_seconds();

    // Truth: encounter id -> (list id, entry id).
    let mut truth: HashMap<String, (String, String)> = HashMap::new();
    let mut rdr = csv::Reader::from_path(world.join("truth/watchlist_matches.csv"))
        .context("opening truth/watchlist_matches.csv")?;
    for r in rdr.records() {
        let r = r?;
        let get = |i: usize| r.get(i).unwrap_or("").to_string();
        truth.insert(get(0), (get(2), get(3)));
    }
    let truth_entries: HashSet<(String, String)> = truth.values().cloned().collect();

    // Lists, as the CLI reads them: person entries only.
    let mut entries: Vec<WatchlistEntry> = Vec::new();
    for (k, p) in std::iter::once(world.join("watchlist.jsonl"))
        .chain(extra.iter().cloned())
        .enumerate()
    {
        let lines = read_lines(&p, usize::MAX)?;
        let mut v: Vec<WatchlistEntry> = lines
            .par_iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let e: WatchlistEntry = serde_json::from_str(l).ok()?;
                let keep = k > 0
                    || subset == 0
                    || i < subset
                    || truth_entries.contains(&(e.list.list_id.clone(), e.entry_id.clone()));
                (keep && e.kind == EntityKind::Person).then_some(e)
            })
            .collect();
        entries.append(&mut v);
    }
    let keys: Vec<(String, String)> = entries
        .iter()
        .map(|e| (e.list.list_id.clone(), e.entry_id.clone()))
        .collect();
    let ids: Vec<Identity> = entries.par_iter().map(Identity::from_entry).collect();
    drop(entries);
    let by_key: HashMap<&(String, String), u32> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k, i as u32))
        .collect();
    let truth_ids: HashMap<u32, Identity> = truth_entries
        .iter()
        .filter_map(|k| by_key.get(k).map(|&i| (i, ids[i as usize].clone())))
        .collect();
    let model = match &model_path {
        Some(p) => Model::from_toml(&std::fs::read_to_string(p)?)?,
        None => Model::default_model(),
    };
    // `--namesakes`: each entry's primary name as its sorted core-token keys, and how many
    // entries share it (a study of a list-composition prior; nothing else uses it).
    let name_key = |id: &Identity| -> String {
        let mut k: Vec<&str> = id
            .names
            .first()
            .map(|n| n.analyzed.core_tokens().map(|t| t.key.as_str()).collect())
            .unwrap_or_default();
        k.sort_unstable();
        k.join(" ")
    };
    let (entry_key, key_count): (Vec<String>, HashMap<String, u32>) = if namesakes {
        let keys: Vec<String> = ids.par_iter().map(name_key).collect();
        let mut c: HashMap<String, u32> = HashMap::new();
        for k in &keys {
            *c.entry(k.clone()).or_default() += 1;
        }
        (keys, c)
    } else {
        (Vec::new(), HashMap::new())
    };
    let primary_tokens: Vec<Vec<linkwatch_names::Token>> = if namesakes {
        ids.iter()
            .map(|id| {
                id.names
                    .first()
                    .map(|n| n.analyzed.core_tokens().cloned().collect())
                    .unwrap_or_default()
            })
            .collect()
    } else {
        Vec::new()
    };
    let (scorer, ix, _, _) = list_scorer_and_index(model, ids);
    let n = ix.len();
    println!(
        "{n} person entries indexed ({} truth entries present) in {:.1} s",
        truth_ids.len(),
        t0.elapsed().as_secs_f64()
    );

    // Encounters: every planted one, plus a seeded uniform sample (reservoir) of the others.
    let f = std::fs::File::open(world.join("encounters.jsonl")).context("encounters.jsonl")?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let (mut planted, mut reservoir, mut seen) = (Vec::new(), Vec::<String>::new(), 0usize);
    for l in std::io::BufReader::with_capacity(1 << 20, f).lines() {
        let l = l?;
        if l.trim().is_empty() {
            continue;
        }
        let id: IdOnly = serde_json::from_str(&l).context("encounter id")?;
        if truth.contains_key(&id.id) {
            planted.push(l);
            continue;
        }
        seen += 1;
        if reservoir.len() < sample {
            reservoir.push(l);
        } else {
            let j = rng.gen_range(0..seen);
            if j < sample {
                reservoir[j] = l;
            }
        }
    }
    let parse = |l: &String| -> anyhow::Result<(String, Identity)> {
        let e: linkwatch_model::Encounter = serde_json::from_str(l).context("encounter")?;
        let mut id = Identity::from_encounter(&e);
        scorer.prepare(&mut id);
        Ok((e.id, id))
    };
    let planted: Vec<(String, Identity)> = planted
        .par_iter()
        .map(parse)
        .collect::<anyhow::Result<_>>()?;
    let others: Vec<(String, Identity)> = reservoir
        .par_iter()
        .map(parse)
        .collect::<anyhow::Result<_>>()?;

    let adjust = list_size_prior_adjust(prior_entries.unwrap_or(n));
    let opts = ScreenOptions {
        threshold,
        max_hits: 10,
        context: Context::Screening,
        prior_adjust: adjust,
    };
    let screener = Screener::new(&ix, &scorer, &opts);
    let batch = BatchScreener::new(&screener, scorer.tf());
    let t1 = Instant::now();
    let c1 = cpu_seconds();
    let pq: Vec<Identity> = planted.iter().map(|x| x.1.clone()).collect();
    let ph = batch.screen(&pq);
    let oq: Vec<Identity> = others.iter().map(|x| x.1.clone()).collect();
    let oh = batch.screen(&oq);
    let screen_s = t1.elapsed().as_secs_f64();
    let screen_cpu = cpu_seconds() - c1;

    // Planted recall.
    let mut found = 0usize;
    let mut misses = Vec::new();
    for ((eid, q), hits) in planted.iter().zip(&ph) {
        let Some(want) = truth.get(eid) else { continue };
        let Some(&k) = by_key.get(want) else {
            misses.push(format!("{eid}: truth entry {} not in the lists", want.1));
            continue;
        };
        if hits.iter().any(|h| h.key == k) {
            found += 1;
        } else if let Some(e) = truth_ids.get(&k) {
            let s = scorer.score(q, e, Context::Screening);
            let l = s.explanation.sum() + adjust;
            let p = scorer.model().probability(l);
            misses.push(format!(
                "{eid} -> {}: p = {p:.3} ({l:+.2} bits with the list-size prior {adjust:+.2}); {} other hits\n    {}",
                want.1,
                hits.len(),
                s.explanation.compact()
            ));
        }
    }
    let n_other_hits: usize = oh.iter().map(Vec::len).sum();
    let with_hit = oh.iter().filter(|h| !h.is_empty()).count();
    let dob_disagrees = oh
        .iter()
        .flatten()
        .filter(|h| {
            h.explanation
                .terms
                .iter()
                .any(|t| t.feature == "dob" && (t.level == "different" || t.level == "far"))
        })
        .count();
    // What carries the other hits: a document one edit away, a date inside a range, and hits
    // whose names do not agree on any part (identity evidence from an identifier only).
    let (mut doc_edit, mut doc_edit_no_name, mut dob_range) = (0usize, 0usize, 0usize);
    for ((_, q), hs) in others.iter().zip(&oh) {
        for h in hs {
            let Some(e) = ix.get(&h.key) else { continue };
            let o = scorer.outcome(q, e);
            let name_agrees = o.name.is_some_and(|n| {
                n.bits > 0.0 && (n.features.strong > 0 || n.features.skeleton > 0.0)
            });
            if o.document.is_some_and(|d| d.level.starts_with("one_edit")) {
                doc_edit += 1;
                doc_edit_no_name += !name_agrees as usize;
            }
            dob_range += o.dob.is_some_and(|d| d.level.starts_with("in_range")) as usize;
        }
    }
    println!(
        "threshold {threshold}, list-size prior {adjust:+.2} bits ({} entries)",
        prior_entries.unwrap_or(n)
    );
    println!(
        "planted recall: {found}/{} ({:.1}%)",
        truth.len(),
        100.0 * found as f64 / truth.len().max(1) as f64
    );
    println!(
        "non-planted sample: {} encounters (seed {seed}), {n_other_hits} hits = {:.1} hits per 1,000 encounters; {with_hit} encounters with a hit ({:.1} per 1,000); {dob_disagrees} hits with a disagreeing date of birth",
        others.len(),
        1000.0 * n_other_hits as f64 / others.len().max(1) as f64,
        1000.0 * with_hit as f64 / others.len().max(1) as f64
    );
    println!(
        "other hits with a document one edit away: {doc_edit} ({doc_edit_no_name} without an agreeing name part); with the date of birth inside a range: {dob_range}"
    );
    println!(
        "screened in {screen_s:.1} s wall, {screen_cpu:.1} CPU-s; total {:.1} s wall, {:.1} CPU-s, peak RSS {:.0} MB",
        t0.elapsed().as_secs_f64(),
        cpu_seconds() - c0,
        peak_rss_mb()
    );
    if namesakes {
        // Namesakes beyond what the token rarities predict: k entries share the listed
        // entry's primary name where N·Πf are expected; the pair's odds divided by k/(N·Πf).
        use linkwatch_names::TokenWeights as _;
        let adj = |key: u32| -> f64 {
            let i = key as usize;
            let (Some(k), Some(toks)) = (
                entry_key.get(i).and_then(|k| key_count.get(k)),
                primary_tokens.get(i),
            ) else {
                return 0.0;
            };
            let expected: f64 = n as f64
                * toks
                    .iter()
                    .map(|t| scorer.tf().token_frequency(t))
                    .product::<f64>();
            -(*k as f64 / expected.max(1.0)).max(1.0).log2()
        };
        let min_l = (threshold / (1.0 - threshold)).log2();
        for strength in [0.25, 0.5, 1.0] {
            let mut kept_planted = 0usize;
            for ((eid, _), hits) in planted.iter().zip(&ph) {
                let want = truth.get(eid).and_then(|k| by_key.get(k)).copied();
                kept_planted += hits
                    .iter()
                    .any(|h| Some(h.key) == want && h.log2_odds + strength * adj(h.key) >= min_l)
                    as usize;
            }
            let kept: Vec<usize> = oh
                .iter()
                .map(|hs| {
                    hs.iter()
                        .filter(|h| h.log2_odds + strength * adj(h.key) >= min_l)
                        .count()
                })
                .collect();
            println!(
                "namesake study (odds / max(1, k/(N·Πf))^{strength}, k entries sharing the listed primary name): planted {kept_planted}/{}, other hits {} of {n_other_hits}, encounters with a hit {}",
                truth.len(),
                kept.iter().sum::<usize>(),
                kept.iter().filter(|&&c| c > 0).count()
            );
        }
    }
    println!("misses ({}):", misses.len());
    for m in &misses {
        println!("  {m}");
    }
    if show_hits > 0 {
        println!("first {show_hits} hits of the non-planted sample:");
        for ((eid, _), h) in others
            .iter()
            .zip(&oh)
            .flat_map(|(q, hs)| hs.iter().map(move |h| (q, h)))
            .take(show_hits)
        {
            let (list, entry) = keys.get(h.key as usize).cloned().unwrap_or_default();
            println!(
                "  {eid} -> {list}/{entry}: p = {:.3}\n    {}",
                h.probability,
                h.explanation.compact()
            );
        }
    }
    if let Some(path) = dump {
        let lo = ScreenOptions {
            threshold: dump_threshold,
            max_hits: 0,
            ..opts
        };
        let screener = Screener::new(&ix, &scorer, &lo);
        let batch = BatchScreener::new(&screener, scorer.tf());
        let w_other = seen as f64 / others.len().max(1) as f64;
        let mut out = csv::Writer::from_path(&path)?;
        out.write_record([
            "offset",
            "info_bits",
            "is_match",
            "weight",
            "split",
            "name_level",
            "dob_level",
            "dob_bits",
        ])?;
        let (mut n_rows, mut n_pos) = (0usize, 0usize);
        let cal_a = scorer.model().calibration.a;
        let params = scorer.model().name;
        let mut row = |q: &Identity, e: &Identity, l: f64, y: bool, w: f64, split: &str| {
            let o = scorer.outcome(q, e);
            let (info, info_now) = match &o.name {
                Some(n) if n.features.strong > 0 => (
                    n.features.strong_bits,
                    cal_a * linkwatch_matching::features::information_bits(&n.features, &params),
                ),
                _ => (0.0, 0.0),
            };
            n_rows += 1;
            n_pos += y as usize;
            let dob = o.dob.map(|d| d.level).unwrap_or("missing");
            let dob_bits = o
                .dob
                .map(|d| scorer.model().bits("dob", d.level))
                .unwrap_or(0.0);
            out.write_record([
                format!("{:.4}", l - info_now),
                format!("{info:.3}"),
                (y as u8).to_string(),
                format!("{w:.3}"),
                split.to_string(),
                o.name
                    .map(|n| n.features.level())
                    .unwrap_or("missing")
                    .to_string(),
                dob.to_string(),
                format!("{dob_bits:.4}"),
            ])
        };
        let split_of = |id: &str| {
            let h = id.bytes().fold(0xcbf29ce484222325u64, |h, b| {
                (h ^ b as u64).wrapping_mul(0x100000001b3)
            });
            if h % 2 == 0 {
                "fit"
            } else {
                "check"
            }
        };
        for (set, w) in [(&planted, 1.0), (&others, w_other)] {
            let qs: Vec<Identity> = set.iter().map(|x| x.1.clone()).collect();
            let hits = batch.screen(&qs);
            for ((eid, q), hits) in set.iter().zip(&hits) {
                let want = truth.get(eid).and_then(|k| by_key.get(k)).copied();
                let split = split_of(eid);
                for h in hits {
                    if let Some(e) = ix.get(&h.key) {
                        row(q, e, h.log2_odds, Some(h.key) == want, w, split)?;
                    }
                }
                if let Some(k) = want.filter(|k| hits.iter().all(|h| h.key != *k)) {
                    if let Some(e) = truth_ids.get(&k) {
                        let l = scorer.score(q, e, Context::Screening).explanation.sum() + adjust;
                        row(q, e, l, true, 1.0, split)?;
                    }
                }
            }
        }
        out.flush()?;
        println!(
            "wrote {n_rows} rows ({n_pos} planted matches) to {} (dump threshold {dump_threshold})",
            path.display()
        );
    }
    Ok(())
}
