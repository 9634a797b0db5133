//! Blocking recall of the candidate index on realistic data (issue 3, section 3): the share of the
//! true positives found by EXHAUSTIVE scoring (identity-evidence rule applied, at the screening
//! threshold) that `CandidateIndex::candidates` returns.
//!
//! The index holds everything a real run would hold (so frequent keys are as frequent as in
//! production): a generated watchlist (`linkwatch generate`, default 1,000,000 entries), the real
//! lists (OFAC SDN 2021 + 2023 + UN, converted to JSONL with `linkwatch lists convert`) and the
//! names of the labelled pairs file. Exhaustive scoring runs against a random subset of the
//! entries (plus every entry a query is known to denote), which estimates recall over the whole
//! index without scoring a billion pairs. Scenarios:
//!
//! - `generated`: generated encounters (every encounter of a watchlisted person from
//!   `truth/watchlist_matches.csv`, plus an evenly spaced sample) and single-alias queries built
//!   from generated entries (one of their names, their DOB / sex / nationality, no documents);
//! - `real`: synthetic population people and single-alias queries from OFAC/UN entries, against
//!   the real lists;
//! - `pairs`: every positive pair of `names/pairs_sdn_un.csv` whose name-only score clears the
//!   threshold must be a candidate (query name1, entry name2, inside the full index);
//! - `fields`: queries that lack the name (document only, fingerprint only, phone only) must still
//!   find the entry that shares that identifier.
//!
//! ```text
//! linkwatch generate --encounters 1000000 --watchlist-size 1000000 --seed 1 --out /tmp/w1m
//! linkwatch lists convert ofac-sdn:DATA/watchlists/ofac_sdn_2021 ofac-sdn:DATA/watchlists/ofac_sdn_2023 \
//!     un-xml:DATA/watchlists/un/consolidated.xml -o /tmp/real.jsonl
//! cargo run --release -p linkwatch-matching --example blocking_recall -- \
//!     --generated /tmp/w1m --real /tmp/real.jsonl [--data DATA] [--subset 20000] [--queries 1000] \
//!     [--threshold 0.5,0.1] [--stop-cap N]
//! ```
//!
//! Measurement tool only: reads files (examples may), knows nothing the library does not expose.

use anyhow::{bail, Context as _};
use linkwatch_matching::index::{CandidateIndex, IndexConfig};
use linkwatch_matching::screen::{
    has_identity_evidence, log2_odds_threshold, ScreenOptions, Screener,
};
use linkwatch_matching::{Context, Identity, Scorer, TermFrequencies};
use linkwatch_model::{
    normalize_country, Biometrics, Contacts, DateSpec, Encounter, Name, PartialDate, Sex,
    WatchlistEntry,
};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Instant;

struct Opts {
    generated: Option<PathBuf>,
    real: Option<PathBuf>,
    data: PathBuf,
    subset: usize,
    queries: usize,
    thresholds: Vec<f64>,
    stop_cap: Option<usize>,
    fuzzy_cap: Option<usize>,
    hard_cap: Option<usize>,
    max_gen: usize,
}

fn parse_args() -> anyhow::Result<Opts> {
    let mut o = Opts {
        generated: None,
        real: None,
        data: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        subset: 20_000,
        queries: 1_000,
        thresholds: vec![0.5, 0.1],
        stop_cap: None,
        fuzzy_cap: None,
        hard_cap: None,
        max_gen: usize::MAX,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut v = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--generated" => o.generated = Some(v()?.into()),
            "--real" => o.real = Some(v()?.into()),
            "--data" => o.data = v()?.into(),
            "--subset" => o.subset = v()?.parse()?,
            "--queries" => o.queries = v()?.parse()?,
            "--max-generated" => o.max_gen = v()?.parse()?,
            "--stop-cap" => o.stop_cap = Some(v()?.parse()?),
            "--fuzzy-cap" => o.fuzzy_cap = Some(v()?.parse()?),
            "--hard-cap" => o.hard_cap = Some(v()?.parse()?),
            "--threshold" => {
                o.thresholds = v()?
                    .split(',')
                    .map(|s| s.trim().parse::<f64>())
                    .collect::<Result<_, _>>()?
            }
            _ => bail!("unknown argument {a}"),
        }
    }
    Ok(o)
}

fn read_jsonl<T: serde::de::DeserializeOwned + Send>(
    path: &PathBuf,
    max: usize,
) -> anyhow::Result<Vec<T>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(max)
        .collect();
    lines
        .par_iter()
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{} line {}", path.display(), i + 1))
        })
        .collect()
}

/// A query and, when known, the row of the entry it denotes (which is always scored).
struct Query {
    label: String,
    id: Identity,
    known: Option<u32>,
}

/// A query made of one name of an entry (no documents or contacts): an alias as an officer
/// would type it, with the entry's DOB, sex and nationality.
fn alias_query(e: &WatchlistEntry, name: &Name) -> Identity {
    let mut q = e.clone();
    q.names = vec![Name {
        quality: linkwatch_model::NameQuality::Recorded,
        ..name.clone()
    }];
    q.documents.clear();
    q.contacts = Contacts::default();
    q.biometrics = Biometrics::default();
    Identity::from_entry(&q)
}

struct Scenario {
    name: &'static str,
    queries: Vec<Query>,
    /// Rows scored exhaustively for every query (plus the query's known row).
    subset: Vec<u32>,
}

fn main() -> anyhow::Result<()> {
    let o = parse_args()?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let scorer0 = Scorer::default();
    let t0 = Instant::now();

    // ---- Entries: generated, real, pair names.
    let gen_entries: Vec<WatchlistEntry> = match &o.generated {
        Some(d) => read_jsonl(&d.join("watchlist.jsonl"), o.max_gen)?,
        None => Vec::new(),
    };
    let real_entries: Vec<WatchlistEntry> = match &o.real {
        Some(p) => read_jsonl::<WatchlistEntry>(p, usize::MAX)?
            .into_iter()
            .filter(|e| e.kind == linkwatch_model::EntityKind::Person)
            .collect(),
        None => Vec::new(),
    };
    let pairs_path = o.data.join("names/pairs_sdn_un.csv");
    let mut pairs: Vec<(String, String, String)> = Vec::new();
    if pairs_path.is_file() {
        let mut r = csv::Reader::from_path(&pairs_path)?;
        let h = r.headers()?.clone();
        let col = |n: &str| h.iter().position(|x| x == n);
        let (Some(cs), Some(c1), Some(c2), Some(cl)) =
            (col("src"), col("name1"), col("name2"), col("label"))
        else {
            bail!("{}: expected src,name1,name2,label", pairs_path.display());
        };
        for rec in r.records() {
            let rec = rec?;
            if &rec[cl] == "1" {
                pairs.push((
                    rec[cs].to_string(),
                    rec[c1].to_string(),
                    rec[c2].to_string(),
                ));
            }
        }
    } else {
        eprintln!(
            "note: {} absent, pairs scenario skipped",
            pairs_path.display()
        );
    }
    eprintln!(
        "loaded {} generated, {} real person entries, {} positive pairs in {:.1}s",
        gen_entries.len(),
        real_entries.len(),
        pairs.len(),
        t0.elapsed().as_secs_f64()
    );

    // ---- Scorer with list term frequencies merged in (as `linkwatch screen` does).
    let t1 = Instant::now();
    let mut ids: Vec<Identity> = gen_entries
        .par_iter()
        .chain(real_entries.par_iter())
        .map(Identity::from_entry)
        .collect();
    let pair_first = ids.len() as u32;
    ids.extend(
        pairs
            .iter()
            .map(|p| Identity::from_parts(&p.2, None, None, Sex::Unknown)),
    );
    let list_tf = TermFrequencies::of_identities(&ids[..pair_first as usize]);
    let mut tf = scorer0.tf().clone();
    tf.merge(&list_tf);
    let scorer = Scorer::new(scorer0.model().clone(), tf);
    ids.par_iter_mut().for_each(|id| scorer.prepare(id));
    let gen_n = gen_entries.len() as u32;
    let real_first = gen_n;
    let mut config = IndexConfig::default();
    if let Some(c) = o.stop_cap {
        config.stop_cap = c;
    }
    if let Some(c) = o.fuzzy_cap {
        config.fuzzy_cap = c;
    }
    if let Some(c) = o.hard_cap {
        config.hard_cap = c;
    }
    let mut ix: CandidateIndex<u32> = CandidateIndex::new(config);
    for (i, id) in ids.iter().enumerate() {
        ix.insert(i as u32, id.clone());
    }
    eprintln!(
        "analysed and indexed {} records in {:.1}s: {} keys, largest postings {:?}",
        ix.len(),
        t1.elapsed().as_secs_f64(),
        ix.key_count(),
        ix.largest_postings(8)
    );

    let mut scenarios: Vec<Scenario> = Vec::new();

    // ---- Scenario: generated world.
    if let Some(dir) = &o.generated {
        let row_of: HashMap<&str, u32> = gen_entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.entry_id.as_str(), i as u32))
            .collect();
        let mut truth: HashMap<String, Vec<u32>> = HashMap::new();
        let tpath = dir.join("truth/watchlist_matches.csv");
        if tpath.is_file() {
            let mut r = csv::Reader::from_path(&tpath)?;
            for rec in r.records() {
                let rec = rec?;
                if let Some(&row) = row_of.get(&rec[3]) {
                    truth.entry(rec[0].to_string()).or_default().push(row);
                }
            }
        }
        // Encounters: every truth encounter plus an evenly spaced sample.
        let f = std::fs::File::open(dir.join("encounters.jsonl"))?;
        let total = std::fs::metadata(dir.join("encounters.jsonl"))?.len();
        let approx_lines = (total / 1200).max(1) as usize;
        let every = (approx_lines / (o.queries / 2).max(1)).max(1);
        let mut queries = Vec::new();
        let mut sampled = 0usize;
        for (i, line) in std::io::BufReader::with_capacity(1 << 20, f)
            .lines()
            .enumerate()
        {
            let line = line?;
            let want_sample = i % every == every / 2 && sampled < o.queries / 2;
            let id_field = line.get(7..19).unwrap_or("");
            let in_truth = truth.contains_key(id_field);
            if !want_sample && !in_truth {
                continue;
            }
            let e: Encounter = serde_json::from_str(&line)?;
            let known = truth.get(&e.id).and_then(|v| v.first().copied());
            if want_sample {
                sampled += 1;
            }
            let mut id = Identity::from_encounter(&e);
            scorer.prepare(&mut id);
            queries.push(Query {
                label: if in_truth {
                    "encounter(watchlisted)".into()
                } else {
                    "encounter".into()
                },
                id,
                known,
            });
        }
        // Alias queries from generated entries with several names.
        let mut rows: Vec<u32> = (0..gen_n)
            .filter(|&i| gen_entries[i as usize].names.len() >= 2)
            .collect();
        rows.shuffle(&mut rng);
        for &row in rows.iter().take(o.queries / 2) {
            let e = &gen_entries[row as usize];
            let k = 1 + (row as usize % (e.names.len() - 1));
            let mut id = alias_query(e, &e.names[k]);
            scorer.prepare(&mut id);
            queries.push(Query {
                label: format!("alias({:?})", e.names[k].script).to_lowercase(),
                id,
                known: Some(row),
            });
        }
        let mut subset: Vec<u32> = (0..gen_n).collect();
        subset.shuffle(&mut rng);
        subset.truncate(o.subset);
        scenarios.push(Scenario {
            name: "generated",
            queries,
            subset,
        });
    }

    // ---- Scenario: real lists, population people and OFAC/UN aliases.
    if !real_entries.is_empty() {
        let mut queries = Vec::new();
        let pop = o.data.join("population");
        let mut people = Vec::new();
        for f in ["negatives_global.csv", "negatives_us.csv"] {
            let p = pop.join(f);
            if !p.is_file() {
                eprintln!("note: {} absent", p.display());
                continue;
            }
            let mut r = csv::Reader::from_path(&p)?;
            for rec in r.records() {
                let rec = rec?;
                let sex = match &rec[4] {
                    "male" => Sex::Male,
                    "female" => Sex::Female,
                    _ => Sex::Unknown,
                };
                people.push((
                    rec[0].to_string(),
                    PartialDate::parse(&rec[5]).ok(),
                    normalize_country(&rec[7]),
                    sex,
                ));
            }
        }
        people.shuffle(&mut rng);
        for (n, d, c, s) in people.into_iter().take(o.queries / 2) {
            let mut id = Identity::from_parts(&n, d, c, s);
            scorer.prepare(&mut id);
            queries.push(Query {
                label: "population".into(),
                id,
                known: None,
            });
        }
        let mut rows: Vec<u32> = (0..real_entries.len() as u32)
            .filter(|&i| real_entries[i as usize].names.len() >= 2)
            .collect();
        rows.shuffle(&mut rng);
        for &i in rows.iter().take(o.queries / 2) {
            let e = &real_entries[i as usize];
            let k = 1 + (i as usize % (e.names.len() - 1));
            let mut id = alias_query(e, &e.names[k]);
            scorer.prepare(&mut id);
            queries.push(Query {
                label: format!("alias({:?})", e.names[k].quality).to_lowercase(),
                id,
                known: Some(real_first + i),
            });
        }
        scenarios.push(Scenario {
            name: "real",
            queries,
            subset: (real_first..pair_first).collect(),
        });
    }

    // ---- Scenario: identifiers only (recall must not depend on the name).
    {
        let mut queries = Vec::new();
        let mut rows: Vec<u32> = (0..pair_first).collect();
        rows.shuffle(&mut rng);
        let entries = |r: u32| -> &WatchlistEntry {
            if r < gen_n {
                &gen_entries[r as usize]
            } else {
                &real_entries[(r - real_first) as usize]
            }
        };
        let (mut nd, mut nb, mut nc) = (0, 0, 0);
        for &r in &rows {
            let e = entries(r);
            let mut q = e.clone();
            q.names.clear();
            q.dobs.clear();
            q.nationalities.clear();
            q.sex = Sex::Unknown;
            let label = if !e.documents.is_empty() && nd < 100 {
                nd += 1;
                q.biometrics = Biometrics::default();
                q.contacts = Contacts::default();
                // One edit in the document number (a typing error).
                if let Some(d) = q.documents.first_mut() {
                    let mut c: Vec<char> = d.number.chars().collect();
                    if c.len() >= 6 && nd % 2 == 0 {
                        let k = c.len() / 2;
                        c[k] = if c[k] == '7' { '1' } else { '7' };
                        d.number = c.into_iter().collect();
                    }
                }
                "document"
            } else if e.biometrics.fingerprint_id.is_some() && nb < 100 {
                nb += 1;
                q.documents.clear();
                q.contacts = Contacts::default();
                "fingerprint"
            } else if !e.contacts.is_empty() && nc < 100 {
                nc += 1;
                q.documents.clear();
                q.biometrics = Biometrics::default();
                "contact"
            } else {
                continue;
            };
            let id = Identity::from_entry(&q);
            queries.push(Query {
                label: label.into(),
                id,
                known: Some(r),
            });
            if nd >= 100 && nb >= 100 && nc >= 100 {
                break;
            }
        }
        if !queries.is_empty() {
            scenarios.push(Scenario {
                name: "fields",
                queries,
                subset: Vec::new(),
            });
        }
    }

    // ---- Exhaustive scoring and recall per scenario and threshold.
    // Screening applies the list-size prior (as `linkwatch screen` does by default), unless
    // BLOCKING_NO_LIST_PRIOR is set: l + adj >= threshold  <=>  l >= threshold - adj.
    let adj = if std::env::var_os("BLOCKING_NO_LIST_PRIOR").is_some() {
        0.0
    } else {
        linkwatch_matching::screen::list_size_prior_adjust(ix.len())
    };
    println!("list-size prior adjustment: {adj:+.2} bits");
    let mins: Vec<f64> = o
        .thresholds
        .iter()
        .map(|&p| log2_odds_threshold(&scorer, p) - 1e-9 - adj)
        .collect();
    println!(
        "index: {} records ({} generated, {} real, {} pair names), stop_cap {}, fuzzy_cap {}, hard_cap {}",
        ix.len(),
        gen_n,
        real_entries.len(),
        pairs.len(),
        ix.config().stop_cap,
        ix.config().fuzzy_cap,
        ix.config().hard_cap
    );
    for sc in &scenarios {
        let t = Instant::now();
        // For each query: (true positives per threshold, candidate set size, missed examples).
        #[allow(clippy::type_complexity)]
        let per: Vec<(
            Vec<usize>,
            Vec<usize>,
            usize,
            Vec<(usize, u32, f64)>,
            Vec<usize>,
            Vec<usize>,
            Option<(bool, bool)>,
        )> = sc
            .queries
            .par_iter()
            .map(|q| {
                let (cands, _) = ix.candidates(&q.id);
                let cset: HashSet<u32> = cands.iter().copied().collect();
                let mut tp = vec![0usize; mins.len()];
                let mut found = vec![0usize; mins.len()];
                let mut tp_s = vec![0usize; mins.len()];
                let mut found_s = vec![0usize; mins.len()];
                let mut missed = Vec::new();
                let mut score_row = |row: u32| {
                    let Some((_, e)) = ix.slot(row) else { return };
                    let oc = scorer.outcome(&q.id, e);
                    if !has_identity_evidence(&oc) {
                        return;
                    }
                    let l = scorer.log2_odds_of(&oc, Context::Screening);
                    let strong = oc
                        .name
                        .is_some_and(|n| n.features.strong > 0 && n.bits > 0.0)
                        || oc.document.is_some_and(|d| d.level == "exact")
                        || oc.biometric.is_some_and(|b| b.level == "same")
                        || oc.contact.is_some_and(|c| c.level == "same");
                    for (k, &m) in mins.iter().enumerate() {
                        if l >= m {
                            tp[k] += 1;
                            if strong {
                                tp_s[k] += 1;
                            }
                            if cset.contains(&row) {
                                found[k] += 1;
                                if strong {
                                    found_s[k] += 1;
                                }
                            } else if k == 0 && missed.len() < 2 {
                                missed.push((strong as usize, row, l));
                            }
                        }
                    }
                };
                for &row in &sc.subset {
                    if Some(row) != q.known {
                        score_row(row);
                    }
                }
                if let Some(k) = q.known {
                    score_row(k);
                }
                // The entry the query denotes (when known): a hit by exhaustive scoring, and found?
                let known = q.known.map(|k| {
                    let hit = ix.slot(k).is_some_and(|(_, e)| {
                        let oc = scorer.outcome(&q.id, e);
                        has_identity_evidence(&oc)
                            && scorer.log2_odds_of(&oc, Context::Screening) >= mins[0]
                    });
                    (hit, cset.contains(&k))
                });
                (tp, found, cands.len(), missed, tp_s, found_s, known)
            })
            .collect();
        let secs = t.elapsed().as_secs_f64();
        let mut labels: Vec<&str> = sc.queries.iter().map(|q| q.label.as_str()).collect();
        labels.sort();
        labels.dedup();
        println!(
            "\n[{}] {} queries x ({} subset entries + known entry), exhaustive scoring {:.1}s",
            sc.name,
            sc.queries.len(),
            sc.subset.len(),
            secs
        );
        for (k, &p) in o.thresholds.iter().enumerate() {
            let (tp, found): (usize, usize) =
                per.iter().fold((0, 0), |a, x| (a.0 + x.0[k], a.1 + x.1[k]));
            let (tps, founds): (usize, usize) =
                per.iter().fold((0, 0), |a, x| (a.0 + x.4[k], a.1 + x.5[k]));
            println!(
                "  p >= {p}: blocking recall {found}/{tp} = {:.4}; with strong evidence (a strongly agreeing name part, or an identifier) {founds}/{tps} = {:.4}, weak name evidence only {}/{} = {:.4}",
                if tp == 0 { 1.0 } else { found as f64 / tp as f64 },
                if tps == 0 { 1.0 } else { founds as f64 / tps as f64 },
                found - founds,
                tp - tps,
                if tp == tps { 1.0 } else { (found - founds) as f64 / (tp - tps) as f64 }
            );
            for l in &labels {
                let (tp, found) = per
                    .iter()
                    .zip(&sc.queries)
                    .filter(|(_, q)| q.label == *l)
                    .fold((0, 0), |a, (x, _)| (a.0 + x.0[k], a.1 + x.1[k]));
                println!(
                    "      {l:<24} {found}/{tp} = {:.4}",
                    if tp == 0 {
                        1.0
                    } else {
                        found as f64 / tp as f64
                    }
                );
            }
        }
        let (mut kq, mut khit, mut kfound) = (0, 0, 0);
        for x in &per {
            if let Some((hit, found)) = x.6 {
                kq += 1;
                if hit {
                    khit += 1;
                    if found {
                        kfound += 1;
                    }
                }
            }
        }
        println!(
            "  the entry the query denotes: {kq} queries, {khit} hits by exhaustive scoring at p >= {}, {kfound} of them candidates = {:.4}",
            o.thresholds[0],
            if khit == 0 { 1.0 } else { kfound as f64 / khit as f64 }
        );
        let mean_c = per.iter().map(|x| x.2).sum::<usize>() as f64 / per.len().max(1) as f64;
        let mut cs: Vec<usize> = per.iter().map(|x| x.2).collect();
        cs.sort_unstable();
        // Latency of one query, one thread, screening at the first threshold with the list-size
        // prior as `linkwatch screen` applies it (threshold-aware; hits explained).
        let sopts = ScreenOptions {
            threshold: o.thresholds[0],
            max_hits: 10,
            context: Context::Screening,
            prior_adjust: adj,
        };
        let screener = Screener::new(&ix, &scorer, &sopts);
        let mut scored_total = 0usize;
        let mut lat: Vec<f64> = sc
            .queries
            .iter()
            .map(|q| {
                let t = Instant::now();
                let (h, st) = screener.screen_with_stats(&q.id);
                std::hint::black_box(h);
                scored_total += st.scored;
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        lat.sort_by(|a, b| a.total_cmp(b));
        let pct = |v: &[f64], p: f64| v[((v.len() as f64 * p) as usize).min(v.len() - 1)];
        println!(
            "  candidates per query: mean {mean_c:.0}, p50 {}, p99 {}, max {}, fully scored {:.1}; latency of threshold-aware screening (1 thread, {} records): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            cs[cs.len() / 2],
            cs[((cs.len() as f64 * 0.99) as usize).min(cs.len() - 1)],
            cs[cs.len() - 1],
            scored_total as f64 / lat.len().max(1) as f64,
            ix.len(),
            pct(&lat, 0.5),
            pct(&lat, 0.99),
            lat[lat.len() - 1]
        );
        let mut shown = 0;
        for (x, q) in per.iter().zip(&sc.queries) {
            for &(strong, row, l) in &x.3 {
                if shown >= 25 {
                    break;
                }
                shown += 1;
                let e = ix.slot(row).map(|s| s.1);
                let en = e
                    .map(|e| {
                        e.names
                            .iter()
                            .map(|n| n.analyzed.original.as_str())
                            .collect::<Vec<_>>()
                            .join(" | ")
                    })
                    .unwrap_or_default();
                let qn =
                    q.id.names
                        .iter()
                        .map(|n| n.analyzed.original.as_str())
                        .collect::<Vec<_>>()
                        .join(" | ");
                let dobs = |i: &Identity| {
                    i.dobs
                        .iter()
                        .map(|d| match d {
                            DateSpec::Date(d) => d.to_string(),
                            DateSpec::Range { from, to } => format!("{from}..{to}"),
                        })
                        .collect::<Vec<_>>()
                        .join("|")
                };
                println!(
                    "  MISSED ({}, {}) {:+.1} bits: {qn} [{}] ~ row {row}: {en} [{}]",
                    q.label,
                    if strong == 1 { "strong" } else { "weak" },
                    l,
                    dobs(&q.id),
                    e.map(dobs).unwrap_or_default()
                );
            }
        }
    }

    // ---- Pairs: every positive pair clearing the threshold must be a candidate.
    if !pairs.is_empty() {
        let t = Instant::now();
        #[allow(clippy::type_complexity)]
        let res: Vec<(usize, Vec<(bool, bool)>)> = pairs
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let mut q = Identity::from_parts(&p.1, None, None, Sex::Unknown);
                scorer.prepare(&mut q);
                let row = pair_first + i as u32;
                let Some((_, e)) = ix.slot(row) else {
                    return (i, Vec::new());
                };
                let oc = scorer.outcome(&q, e);
                let lp = scorer.log2_odds_of(&oc, Context::Pairs);
                let hit = has_identity_evidence(&oc);
                let (cands, _) = ix.candidates(&q);
                let found = cands.binary_search(&row).is_ok() || cands.contains(&row);
                (
                    i,
                    mins.iter()
                        .map(|&m| (hit && lp >= m, found))
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        println!(
            "\n[pairs] {} positive pairs of {} (query name1 against the full index, entry name2; pair-context score, name only), {:.1}s",
            pairs.len(),
            pairs_path.display(),
            t.elapsed().as_secs_f64()
        );
        let mut srcs: Vec<&str> = pairs.iter().map(|p| p.0.as_str()).collect();
        srcs.sort();
        srcs.dedup();
        for (k, &p) in o.thresholds.iter().enumerate() {
            let (mut tp, mut found) = (0, 0);
            let mut by: HashMap<&str, (usize, usize)> = HashMap::new();
            let mut shown = 0;
            for (i, v) in &res {
                let Some(&(pos, f)) = v.get(k) else { continue };
                if !pos {
                    continue;
                }
                tp += 1;
                let s = by.entry(pairs[*i].0.as_str()).or_default();
                s.0 += 1;
                if f {
                    found += 1;
                    s.1 += 1;
                } else if shown < 8 && k == 0 {
                    shown += 1;
                    println!("  MISSED {:?} ~ {:?}", pairs[*i].1, pairs[*i].2);
                }
            }
            println!(
                "  p >= {p}: {found}/{tp} = {:.4} of the positive pairs clearing the threshold are candidates",
                if tp == 0 { 1.0 } else { found as f64 / tp as f64 }
            );
            for s in &srcs {
                let (t, f) = by.get(s).copied().unwrap_or_default();
                println!(
                    "      {s:<24} {f}/{t} = {:.4}",
                    if t == 0 { 1.0 } else { f as f64 / t as f64 }
                );
            }
        }
    }
    Ok(())
}
