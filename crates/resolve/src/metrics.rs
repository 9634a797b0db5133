//! Small evaluation metrics for entity resolution (pairwise precision/recall/F1, B-cubed,
//! blocking recall) from cluster labels. Kept local until `linkwatch-eval` provides them; knows
//! nothing of models or files.

use rustc_hash::FxHashMap;

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(p: f64, r: f64) -> Prf {
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Prf {
            precision: p,
            recall: r,
            f1,
        }
    }
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Pairwise metrics: a pair of records is predicted matching when both share a predicted
/// cluster, truly matching when they share a true cluster. Labels are any hashable keys.
pub fn pairwise<P: std::hash::Hash + Eq, T: std::hash::Hash + Eq>(
    pred: &[P],
    truth: &[T],
) -> (Prf, u64, u64, u64) {
    let mut cell: FxHashMap<(&P, &T), u64> = FxHashMap::default();
    let mut pc: FxHashMap<&P, u64> = FxHashMap::default();
    let mut tc: FxHashMap<&T, u64> = FxHashMap::default();
    for (p, t) in pred.iter().zip(truth) {
        *cell.entry((p, t)).or_default() += 1;
        *pc.entry(p).or_default() += 1;
        *tc.entry(t).or_default() += 1;
    }
    let tp: u64 = cell.values().map(|&c| pairs(c)).sum();
    let pp: u64 = pc.values().map(|&c| pairs(c)).sum();
    let tt: u64 = tc.values().map(|&c| pairs(c)).sum();
    let p = if pp == 0 { 1.0 } else { tp as f64 / pp as f64 };
    let r = if tt == 0 { 1.0 } else { tp as f64 / tt as f64 };
    (Prf::new(p, r), tp, pp, tt)
}

/// B-cubed precision/recall/F1 (per-record averages).
pub fn bcubed<P: std::hash::Hash + Eq, T: std::hash::Hash + Eq>(pred: &[P], truth: &[T]) -> Prf {
    let mut cell: FxHashMap<(&P, &T), f64> = FxHashMap::default();
    let mut pc: FxHashMap<&P, f64> = FxHashMap::default();
    let mut tc: FxHashMap<&T, f64> = FxHashMap::default();
    for (p, t) in pred.iter().zip(truth) {
        *cell.entry((p, t)).or_default() += 1.0;
        *pc.entry(p).or_default() += 1.0;
        *tc.entry(t).or_default() += 1.0;
    }
    let n = pred.len() as f64;
    if n == 0.0 {
        return Prf::new(1.0, 1.0);
    }
    let (mut sp, mut sr) = (0.0, 0.0);
    for (p, t) in pred.iter().zip(truth) {
        let c = cell[&(p, t)];
        sp += c / pc[p];
        sr += c / tc[t];
    }
    Prf::new(sp / n, sr / n)
}

/// Share of true matching pairs that blocking proposed (`candidates` are `(i, j)` indexes).
pub fn blocking_recall<T: std::hash::Hash + Eq>(candidates: &[(u32, u32)], truth: &[T]) -> f64 {
    let mut tc: FxHashMap<&T, u64> = FxHashMap::default();
    for t in truth {
        *tc.entry(t).or_default() += 1;
    }
    let total: u64 = tc.values().map(|&c| pairs(c)).sum();
    if total == 0 {
        return 1.0;
    }
    let found = candidates
        .iter()
        .filter(|&&(i, j)| truth[i as usize] == truth[j as usize])
        .count() as u64;
    found as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_and_bcubed() {
        let truth = [1, 1, 1, 2, 2, 3];
        let pred = [1, 1, 2, 2, 2, 3];
        let (prf, tp, pp, tt) = pairwise(&pred, &truth);
        assert_eq!((tp, pp, tt), (2, 4, 4));
        assert!((prf.f1 - 0.5).abs() < 1e-9);
        let b = bcubed(&truth, &truth);
        assert_eq!(b.f1, 1.0);
        let b = bcubed(&pred, &truth);
        assert!(b.precision < 1.0 && b.recall < 1.0);
        assert!((blocking_recall(&[(0, 1), (3, 4), (0, 5)], &truth) - 0.5).abs() < 1e-9);
    }
}
