//! Name-only evaluation on a labelled pairs file (`src,id1,id2,name1,name2,label`), e.g.
//! `/work/shared/data/names/pairs_sdn_un.csv`. Splits rows into dev/test halves by a hash of
//! `id1`, scores every pair with `compare_score` (term frequencies counted over all names in the
//! file, no labels used), and prints per split: ROC AUC, the threshold giving 1% FPR on the
//! `ofac_shared_token_neg` negatives, and recall per `src` at that threshold.
//!
//! Usage: `cargo run --release -p linkwatch-names --example pairs_eval -- PAIRS.csv
//! [--uniform] [--misses dev|test] [--scores OUT.csv]`

use std::collections::BTreeMap;

use linkwatch_names::{
    analyze, compare, compare_score, hash_str, split_variants, TermFrequencies, UniformWeights,
};

struct Row {
    src: String,
    id1: String,
    n1: String,
    n2: String,
    label: bool,
    score: f32,
    feat: String,
}

fn auc(pos: &[f32], neg: &[f32]) -> f64 {
    let mut all: Vec<(f32, bool)> = pos
        .iter()
        .map(|s| (*s, true))
        .chain(neg.iter().map(|s| (*s, false)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    // rank-sum with ties averaged
    let mut rank_sum = 0.0f64;
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j < all.len() && all[j].0 == all[i].0 {
            j += 1;
        }
        let avg = (i + j + 1) as f64 / 2.0;
        rank_sum += avg * all[i..j].iter().filter(|x| x.1).count() as f64;
        i = j;
    }
    let np = pos.len() as f64;
    let nn = neg.len() as f64;
    if np == 0.0 || nn == 0.0 {
        return f64::NAN;
    }
    (rank_sum - np * (np + 1.0) / 2.0) / (np * nn)
}

/// Smallest threshold t such that the share of `neg` with score >= t is at most `fpr`.
fn threshold_at_fpr(neg: &[f32], fpr: f64) -> f32 {
    let mut s: Vec<f32> = neg.to_vec();
    s.sort_by(|a, b| b.total_cmp(a));
    let allowed = (fpr * s.len() as f64).floor() as usize;
    if allowed >= s.len() {
        return f32::NEG_INFINITY;
    }
    // scores strictly above s[allowed] are allowed positives
    let t = s[allowed];
    // next representable value above t
    f32::from_bits(t.to_bits() + 1).max(t + 1e-7)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: pairs_eval PAIRS.csv [--uniform] [--misses dev|test]")?;
    let uniform = args.iter().any(|a| a == "--uniform");
    let misses = args
        .iter()
        .position(|a| a == "--misses")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let scores_out = args
        .iter()
        .position(|a| a == "--scores")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let mut rdr = csv::Reader::from_path(path)?;
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec?;
        let get = |i: usize| rec.get(i).unwrap_or("").to_string();
        rows.push(Row {
            src: get(0),
            id1: get(1),
            n1: get(3),
            n2: get(4),
            label: get(5) == "1",
            score: 0.0,
            feat: String::new(),
        });
    }
    let t0 = std::time::Instant::now();
    let mut cache: BTreeMap<String, linkwatch_names::AnalyzedName> = BTreeMap::new();
    for r in &rows {
        for n in [&r.n1, &r.n2] {
            for v in split_variants(n) {
                if !cache.contains_key(v) {
                    cache.insert(v.to_string(), analyze(v));
                }
            }
        }
    }
    let t_an = t0.elapsed();
    let mut tf = TermFrequencies::new();
    for a in cache.values() {
        tf.add_tokens(&a.tokens);
    }
    // optional: add an encounter-like population (CSV with a full_name column)
    if let Some(pop) = args
        .iter()
        .position(|a| a == "--population")
        .and_then(|i| args.get(i + 1))
    {
        for file in pop.split(',') {
            let mut r = csv::Reader::from_path(file)?;
            let col = r
                .headers()?
                .iter()
                .position(|h| h == "full_name")
                .unwrap_or(0);
            for rec in r.records() {
                let rec = rec?;
                tf.add_name(rec.get(col).unwrap_or(""));
            }
        }
        eprintln!("term frequencies over {} names", tf.names());
    }
    if args.iter().any(|a| a == "--grid") {
        grid(&rows, &cache, &tf);
        return Ok(());
    }
    let t1 = std::time::Instant::now();
    for r in rows.iter_mut() {
        let mut best = 0.0f32;
        for va in split_variants(&r.n1) {
            for vb in split_variants(&r.n2) {
                let (a, b) = (&cache[va], &cache[vb]);
                let s = if uniform {
                    compare_score(a, b, &UniformWeights).similarity
                } else {
                    compare_score(a, b, &tf).similarity
                };
                if s >= best {
                    let f = compare_score(a, b, &tf).features;
                    r.feat = format!(
                        "{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {:.4} {:.4} {:.4} {:.4} {:.4} {:.4} {:.6} {:.4} {:.4} {:.4} {:.4}",
                        f.tokens_a, f.tokens_b, f.matched, f.exact, f.equivalent, f.phonetic,
                        f.skeleton, f.fuzzy, f.initial, f.joined, f.strong_match as u8,
                        f.subset as u8, f.cross_script as u8,
                        f.family_agrees.map_or(2, |x| x as u8), f.lead_agrees.map_or(2, |x| x as u8),
                        f.unmatched_tokens_a, f.unmatched_tokens_b, 0, 0,
                        f.weight_a, f.weight_b, f.matched_weight_a, f.matched_weight_b,
                        f.strong_weight, f.mean_pair_similarity, f.rarest_strong_frequency,
                        f.unmatched_weight_a, f.unmatched_weight_b, f.unmatched_share_a, f.unmatched_share_b
                    );
                }
                best = best.max(s);
            }
        }
        r.score = best;
    }
    let t_cmp = t1.elapsed();
    eprintln!(
        "{} rows, {} distinct names analysed in {:?} ({:.0} names/s), scored in {:?} ({:.0} pairs/s, debug/release as built)",
        rows.len(),
        cache.len(),
        t_an,
        cache.len() as f64 / t_an.as_secs_f64(),
        t_cmp,
        rows.len() as f64 / t_cmp.as_secs_f64()
    );
    if let Some(out) = scores_out {
        let mut w = csv::Writer::from_path(out)?;
        w.write_record(["src", "id1", "name1", "name2", "label", "score", "features"])?;
        for r in &rows {
            w.write_record([
                r.src.as_str(),
                r.id1.as_str(),
                r.n1.as_str(),
                r.n2.as_str(),
                if r.label { "1" } else { "0" },
                format!("{:.4}", r.score).as_str(),
                r.feat.as_str(),
            ])?;
        }
    }
    println!("split  n      AUC     thr@1%FPR(shared)  recall per src");
    for split in ["dev", "test", "all"] {
        let part: Vec<&Row> = rows
            .iter()
            .filter(|r| match split {
                "dev" => hash_str(&r.id1) & 1 == 0,
                "test" => hash_str(&r.id1) & 1 == 1,
                _ => true,
            })
            .collect();
        let pos: Vec<f32> = part.iter().filter(|r| r.label).map(|r| r.score).collect();
        let neg: Vec<f32> = part.iter().filter(|r| !r.label).map(|r| r.score).collect();
        let shared: Vec<f32> = part
            .iter()
            .filter(|r| r.src == "ofac_shared_token_neg")
            .map(|r| r.score)
            .collect();
        let thr = threshold_at_fpr(&shared, 0.01);
        let mut per: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for r in &part {
            let e = per.entry(r.src.as_str()).or_default();
            e.0 += 1;
            if r.score >= thr {
                e.1 += 1;
            }
        }
        let mut line = format!(
            "{split:<6} {:<6} {:.4}  {:.4}            ",
            part.len(),
            auc(&pos, &neg),
            thr
        );
        for (src, (n, hit)) in &per {
            line.push_str(&format!(" {src}={:.3}", *hit as f64 / *n as f64));
        }
        println!("{line}");
        if misses.as_deref() == Some(split) {
            for r in &part {
                let wrong = (r.label && r.score < thr) || (!r.label && r.score >= thr);
                if wrong && r.src != "ofac_random_neg" {
                    let (va, vb) = (split_variants(&r.n1)[0], split_variants(&r.n2)[0]);
                    let (ca, cb) = (&cache[va], &cache[vb]);
                    let c = compare(ca, cb, &tf);
                    let pairs: Vec<String> = c
                        .pairs
                        .iter()
                        .map(|p| {
                            format!(
                                "{}~{}:{}:{:.2}",
                                ca.tokens[p.a].text,
                                cb.tokens[p.b].text,
                                p.kind.label(),
                                p.similarity
                            )
                        })
                        .collect();
                    println!(
                        "MISS {} {:.3} | {} | {} | {}",
                        r.src,
                        r.score,
                        r.n1,
                        r.n2,
                        pairs.join(" ")
                    );
                }
            }
        }
    }
    Ok(())
}

/// Dev-half metrics for one parameter set: (AUC, recall aka, recall alias, recall script).
fn dev_metrics(
    rows: &[Row],
    cache: &BTreeMap<String, linkwatch_names::AnalyzedName>,
    tf: &TermFrequencies,
    p: &linkwatch_names::CompareParams,
    split: u64,
) -> (f64, f64, f64, f64) {
    let scored: Vec<(&Row, f32)> = rows
        .iter()
        .filter(|r| hash_str(&r.id1) & 1 == split)
        .map(|r| {
            let mut best = 0.0f32;
            for va in split_variants(&r.n1) {
                for vb in split_variants(&r.n2) {
                    let s = linkwatch_names::compare_score_params(&cache[va], &cache[vb], tf, p);
                    best = best.max(s.similarity);
                }
            }
            (r, best)
        })
        .collect();
    let pos: Vec<f32> = scored.iter().filter(|x| x.0.label).map(|x| x.1).collect();
    let neg: Vec<f32> = scored.iter().filter(|x| !x.0.label).map(|x| x.1).collect();
    let shared: Vec<f32> = scored
        .iter()
        .filter(|x| x.0.src == "ofac_shared_token_neg")
        .map(|x| x.1)
        .collect();
    let thr = threshold_at_fpr(&shared, 0.01);
    let rec = |src: &str| {
        let v: Vec<f32> = scored
            .iter()
            .filter(|x| x.0.src == src)
            .map(|x| x.1)
            .collect();
        v.iter().filter(|s| **s >= thr).count() as f64 / v.len().max(1) as f64
    };
    (
        auc(&pos, &neg),
        rec("ofac_sdn_aka"),
        rec("un_good_alias"),
        rec("un_original_script"),
    )
}

fn grid(
    rows: &[Row],
    cache: &BTreeMap<String, linkwatch_names::AnalyzedName>,
    tf: &TermFrequencies,
) {
    let base = linkwatch_names::CompareParams::default();
    let mut results = Vec::new();
    // deterministic pseudo-random search around the defaults
    let mut state: u64 = 0x1234_5678;
    let mut rnd = |lo: f32, hi: f32| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        lo + (hi - lo) * ((state >> 11) as f64 / (1u64 << 53) as f64) as f32
    };
    let iters: usize = std::env::var("GRID_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    for it in 0..iters {
        let p = if it == 0 {
            base
        } else {
            linkwatch_names::CompareParams {
                conflict: rnd(0.5, 3.0),
                extra: rnd(0.02, 0.6),
                partial: rnd(0.2, 1.5),
                unmatched_floor: rnd(0.5, 8.0),
                lead_conflict: rnd(0.0, 3.0),
                skeleton_latin: rnd(0.6, 0.9),
                fuzzy_floor: rnd(0.75, 0.9),
                fuzzy_low: rnd(0.2, 0.7),
                min_weight: rnd(0.2, 2.0),
                equivalent: rnd(0.85, 0.98),
                loose: rnd(0.7, 0.9),
                initial: rnd(0.3, 0.8),
                residual: rnd(0.0, 0.3),
                subset_bonus: rnd(0.0, 0.6),
                ..base
            }
        };
        let m = dev_metrics(rows, cache, tf, &p, 0);
        let obj = (m.1 / 0.62).min(1.05)
            + (m.2 / 0.55).min(1.05)
            + (m.3 / 0.70).min(1.1)
            + 6.0 * m.0 / 0.92;
        results.push((obj, m, p));
    }
    results.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (obj, m, p) in results.iter().take(8) {
        println!(
            "obj={obj:.3} auc={:.4} aka={:.3} alias={:.3} script={:.3}\n  {p:?}",
            m.0, m.1, m.2, m.3
        );
    }
}
