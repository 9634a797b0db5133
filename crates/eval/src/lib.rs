//! Evaluation metrics: ROC AUC, recall at a fixed false-positive rate (threshold chosen on a
//! designated negative slice), best F1, precision/recall/F1 at a threshold, pairwise and B-cubed
//! cluster metrics, per-group false-positive rates with Wilson intervals.
//!
//! **Architecture invariant:** pure functions over slices; no I/O, no knowledge of names, lists or
//! scoring. Scores are `f64` (higher = more likely a match); labels are `bool` (true = match).

use std::collections::HashMap;
use std::hash::Hash;

/// Precision, recall and F1 (and the counts behind them).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
}

impl Prf {
    pub fn from_counts(tp: u64, fp: u64, fn_: u64) -> Prf {
        let precision = if tp + fp == 0 {
            1.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let recall = if tp + fn_ == 0 {
            1.0
        } else {
            tp as f64 / (tp + fn_) as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            precision,
            recall,
            f1,
            tp,
            fp,
            fn_,
        }
    }
}

/// Area under the ROC curve (probability a random positive outscores a random negative; ties
/// count one half). `None` when either class is empty. NaN scores are treated as lowest.
pub fn roc_auc(scored: &[(f64, bool)]) -> Option<f64> {
    let mut v: Vec<(f64, bool)> = scored
        .iter()
        .map(|&(s, l)| (if s.is_nan() { f64::NEG_INFINITY } else { s }, l))
        .collect();
    let npos = v.iter().filter(|x| x.1).count() as f64;
    let nneg = v.len() as f64 - npos;
    if npos == 0.0 || nneg == 0.0 {
        return None;
    }
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Rank-sum (Mann-Whitney U) with average ranks for ties.
    let mut rank_sum_pos = 0.0;
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1].0 == v[i].0 {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        for x in &v[i..=j] {
            if x.1 {
                rank_sum_pos += avg_rank;
            }
        }
        i = j + 1;
    }
    Some((rank_sum_pos - npos * (npos + 1.0) / 2.0) / (npos * nneg))
}

/// The smallest threshold `t` such that the share of `negatives` with score `>= t` is at most
/// `fpr`. Hits are `score >= t`. With no negatives, returns `-inf` (everything passes).
pub fn threshold_at_fpr(negatives: &[f64], fpr: f64) -> f64 {
    if negatives.is_empty() {
        return f64::NEG_INFINITY;
    }
    let mut v: Vec<f64> = negatives
        .iter()
        .map(|s| if s.is_nan() { f64::NEG_INFINITY } else { *s })
        .collect();
    v.sort_by(|a, b| b.total_cmp(a)); // descending
    let allowed = (fpr.max(0.0) * v.len() as f64).floor() as usize;
    if allowed >= v.len() {
        return f64::NEG_INFINITY;
    }
    // Threshold just above the (allowed)-th highest negative, so at most `allowed` pass.
    next_up(v[allowed])
}

fn next_up(x: f64) -> f64 {
    if x.is_infinite() {
        return if x > 0.0 { x } else { f64::MIN };
    }
    let bits = x.to_bits();
    f64::from_bits(if x == 0.0 {
        1
    } else if x > 0.0 {
        bits + 1
    } else {
        bits - 1
    })
}

/// Share of `positives` with score `>= threshold`.
pub fn recall_at(positives: &[f64], threshold: f64) -> f64 {
    if positives.is_empty() {
        return f64::NAN;
    }
    positives.iter().filter(|&&s| s >= threshold).count() as f64 / positives.len() as f64
}

/// Share of `negatives` with score `>= threshold`.
pub fn fpr_at(negatives: &[f64], threshold: f64) -> f64 {
    recall_at(negatives, threshold)
}

/// Recall of `positives` at the threshold giving `fpr` on `negatives`; also returns that threshold.
pub fn recall_at_fpr(positives: &[f64], negatives: &[f64], fpr: f64) -> (f64, f64) {
    let t = threshold_at_fpr(negatives, fpr);
    (recall_at(positives, t), t)
}

/// Precision/recall/F1 when predicting match for `score >= threshold`.
pub fn prf_at(scored: &[(f64, bool)], threshold: f64) -> Prf {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for &(s, l) in scored {
        match (s >= threshold, l) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            _ => {}
        }
    }
    Prf::from_counts(tp, fp, fn_)
}

/// The best F1 over all thresholds, with the threshold that achieves it.
pub fn best_f1(scored: &[(f64, bool)]) -> (Prf, f64) {
    let mut v: Vec<(f64, bool)> = scored.iter().filter(|x| !x.0.is_nan()).copied().collect();
    v.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total_pos = v.iter().filter(|x| x.1).count() as u64;
    let mut best = (Prf::from_counts(0, 0, total_pos), f64::INFINITY);
    let (mut tp, mut fp) = (0u64, 0u64);
    let mut i = 0;
    while i < v.len() {
        let t = v[i].0;
        while i < v.len() && v[i].0 == t {
            if v[i].1 {
                tp += 1
            } else {
                fp += 1
            }
            i += 1;
        }
        let p = Prf::from_counts(tp, fp, total_pos - tp);
        if p.f1 > best.0.f1 {
            best = (p, t);
        }
    }
    best
}

/// Pairwise precision/recall/F1 of a clustering: a pair of items is predicted linked when they
/// share a predicted cluster, truly linked when they share a true cluster. Items are identified by
/// `Id`; items missing from one side count as singletons there.
pub fn pairwise_prf<Id: Eq + Hash + Clone>(
    pred_clusters: &[Vec<Id>],
    truth_clusters: &[Vec<Id>],
) -> Prf {
    let truth_of = cluster_map(truth_clusters);
    let pairs = |clusters: &[Vec<Id>]| -> u64 {
        clusters
            .iter()
            .map(|c| (c.len() as u64) * (c.len() as u64).saturating_sub(1) / 2)
            .sum()
    };
    // tp: pairs sharing both; count via contingency table of (pred, truth) labels.
    let mut cont: HashMap<(usize, usize), u64> = HashMap::new();
    for (pi, c) in pred_clusters.iter().enumerate() {
        for id in c {
            if let Some(&ti) = truth_of.get(id) {
                *cont.entry((pi, ti)).or_default() += 1;
            }
        }
    }
    let tp: u64 = cont.values().map(|&n| n * n.saturating_sub(1) / 2).sum();
    let pred_pairs = pairs(pred_clusters);
    let truth_pairs = pairs(truth_clusters);
    Prf::from_counts(tp, pred_pairs - tp, truth_pairs - tp)
}

fn cluster_map<Id: Eq + Hash + Clone>(clusters: &[Vec<Id>]) -> HashMap<Id, usize> {
    let mut m = HashMap::new();
    for (i, c) in clusters.iter().enumerate() {
        for id in c {
            m.insert(id.clone(), i);
        }
    }
    m
}

/// B-cubed precision/recall/F1 (Bagga & Baldwin), averaged over the items of the truth clustering.
/// Items absent from the prediction count as predicted singletons. Counts in the result are zero.
pub fn bcubed<Id: Eq + Hash + Clone>(pred_clusters: &[Vec<Id>], truth_clusters: &[Vec<Id>]) -> Prf {
    let truth_of = cluster_map(truth_clusters);
    let pred_of = cluster_map(pred_clusters);
    let mut cont: HashMap<(Option<usize>, usize), u64> = HashMap::new();
    for (ti, c) in truth_clusters.iter().enumerate() {
        for id in c {
            *cont.entry((pred_of.get(id).copied(), ti)).or_default() += 1;
        }
    }
    let pred_size = |p: Option<usize>| -> f64 {
        match p {
            // Only items that are also in the truth count towards precision.
            Some(pi) => pred_clusters[pi]
                .iter()
                .filter(|id| truth_of.contains_key(*id))
                .count() as f64,
            None => 1.0,
        }
    };
    let n: f64 = truth_clusters.iter().map(|c| c.len() as f64).sum();
    if n == 0.0 {
        return Prf {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
            ..Default::default()
        };
    }
    let (mut p_sum, mut r_sum) = (0.0, 0.0);
    for (&(p, ti), &k) in &cont {
        let k = k as f64;
        let (inter, psize) = if p.is_none() {
            (1.0, 1.0)
        } else {
            (k, pred_size(p))
        };
        let items = k;
        p_sum += items * inter / psize;
        r_sum += items * inter / truth_clusters[ti].len() as f64;
    }
    let precision = p_sum / n;
    let recall = r_sum / n;
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Prf {
        precision,
        recall,
        f1,
        tp: 0,
        fp: 0,
        fn_: 0,
    }
}

/// False-positive rate of one group with a 95% Wilson score interval.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRate {
    pub group: String,
    pub n: u64,
    pub flagged: u64,
    pub rate: f64,
    pub low: f64,
    pub high: f64,
}

/// 95% Wilson score interval for `k` successes out of `n`.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959964f64;
    let n_f = n as f64;
    let p = k as f64 / n_f;
    let denom = 1.0 + z * z / n_f;
    let centre = (p + z * z / (2.0 * n_f)) / denom;
    let half = z * ((p * (1.0 - p) / n_f + z * z / (4.0 * n_f * n_f)).sqrt()) / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Per-group false-positive table from `(group, flagged)` observations of true negatives,
/// sorted by group size descending (then name).
pub fn group_fpr<'a>(observations: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<GroupRate> {
    let mut m: HashMap<&str, (u64, u64)> = HashMap::new();
    for (g, f) in observations {
        let e = m.entry(g).or_default();
        e.0 += 1;
        e.1 += f as u64;
    }
    let mut out: Vec<GroupRate> = m
        .into_iter()
        .map(|(g, (n, k))| {
            let (low, high) = wilson(k, n);
            GroupRate {
                group: g.to_string(),
                n,
                flagged: k,
                rate: k as f64 / n as f64,
                low,
                high,
            }
        })
        .collect();
    out.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.group.cmp(&b.group)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_basics() {
        assert_eq!(roc_auc(&[(0.9, true), (0.1, false)]), Some(1.0));
        assert_eq!(roc_auc(&[(0.1, true), (0.9, false)]), Some(0.0));
        assert_eq!(roc_auc(&[(0.5, true), (0.5, false)]), Some(0.5));
        assert_eq!(roc_auc(&[(0.5, true)]), None);
        let v = [(0.9, true), (0.8, false), (0.7, true), (0.1, false)];
        assert_eq!(roc_auc(&v), Some(0.75));
    }

    #[test]
    fn fpr_threshold() {
        let neg: Vec<f64> = (0..100).map(|i| i as f64 / 100.0).collect();
        let t = threshold_at_fpr(&neg, 0.01);
        assert_eq!(fpr_at(&neg, t), 0.01);
        let t = threshold_at_fpr(&neg, 0.0);
        assert_eq!(fpr_at(&neg, t), 0.0);
        let (r, _) = recall_at_fpr(&[0.995, 0.5], &neg, 0.01);
        assert_eq!(r, 0.5);
        // Ties at the boundary never let more than the allowed share through.
        let neg = vec![0.5; 100];
        let t = threshold_at_fpr(&neg, 0.01);
        assert_eq!(fpr_at(&neg, t), 0.0);
    }

    #[test]
    fn f1() {
        let v = [
            (0.9, true),
            (0.8, true),
            (0.7, false),
            (0.6, true),
            (0.1, false),
        ];
        let (p, t) = best_f1(&v);
        assert!((p.f1 - 0.857142857).abs() < 1e-6, "{p:?}");
        assert_eq!(t, 0.6);
        let p = prf_at(&v, 0.75);
        assert_eq!((p.tp, p.fp, p.fn_), (2, 0, 1));
    }

    #[test]
    fn clusters() {
        let truth = vec![vec![1, 2, 3], vec![4, 5]];
        let same = pairwise_prf(&truth, &truth);
        assert_eq!((same.precision, same.recall), (1.0, 1.0));
        let pred = vec![vec![1, 2], vec![3], vec![4, 5]];
        let p = pairwise_prf(&pred, &truth);
        assert_eq!((p.tp, p.fp, p.fn_), (2, 0, 2));
        let b = bcubed(&pred, &truth);
        assert!((b.precision - 1.0).abs() < 1e-12);
        // recall: items 1,2 -> 2/3 each, 3 -> 1/3, 4,5 -> 1 => (2/3+2/3+1/3+1+1)/5
        assert!((b.recall - (11.0 / 3.0) / 5.0).abs() < 1e-12, "{b:?}");
        let all = vec![vec![1, 2, 3, 4, 5]];
        let b = bcubed(&all, &truth);
        assert!((b.recall - 1.0).abs() < 1e-12);
        assert!((b.precision - (3.0 * 3.0 / 5.0 + 2.0 * 2.0 / 5.0) / 5.0).abs() < 1e-12);
    }

    #[test]
    fn groups() {
        let obs = [("UZ", true), ("UZ", false), ("RU", false)];
        let t = group_fpr(obs.iter().map(|(g, f)| (*g, *f)));
        assert_eq!(t[0].group, "UZ");
        assert_eq!(t[0].rate, 0.5);
        assert!(t[0].low < 0.5 && t[0].high > 0.5);
    }

    proptest::proptest! {
        #[test]
        fn auc_in_unit_interval(v in proptest::collection::vec((0.0f64..1.0, proptest::bool::ANY), 0..50)) {
            if let Some(a) = roc_auc(&v) { proptest::prop_assert!((0.0..=1.0).contains(&a)); }
        }
        #[test]
        fn threshold_respects_fpr(neg in proptest::collection::vec(0.0f64..1.0, 1..200), fpr in 0.0f64..0.2) {
            let t = threshold_at_fpr(&neg, fpr);
            proptest::prop_assert!(fpr_at(&neg, t) <= fpr + 1e-12);
        }
    }
}
