//! Estimating the model from data: the name coefficients by sign-constrained logistic regression
//! on labelled pairs, Platt calibration, and u-probabilities of comparison levels from random
//! (non-matching) pairs. Pure functions over in-memory rows; `examples/train.rs` does the I/O.
//!
//! Knows name features and the model structure; knows no file format.

use crate::features::NameFeatures;
use crate::model::{Calibration, Level};
use std::collections::BTreeMap;

/// Which name table a level belongs to.
pub type LevelOf = fn(&NameFeatures) -> &'static str;

/// Estimate m and u of every label in `labels` by weighted counting over labelled rows
/// `(features, is_match, weight)`, with additive smoothing `alpha` (in weight units).
pub fn estimate_levels(
    rows: &[(NameFeatures, bool, f64)],
    level_of: LevelOf,
    labels: &[&str],
    alpha: f64,
) -> BTreeMap<String, Level> {
    let mut pos: BTreeMap<&str, f64> = BTreeMap::new();
    let mut neg: BTreeMap<&str, f64> = BTreeMap::new();
    let (mut tp, mut tn) = (0.0, 0.0);
    for (f, y, w) in rows {
        let l = level_of(f);
        if *y {
            *pos.entry(l).or_default() += w;
            tp += w;
        } else {
            *neg.entry(l).or_default() += w;
            tn += w;
        }
    }
    let k = labels.len() as f64;
    let r = |x: f64| (x * 1e6).round() / 1e6;
    labels
        .iter()
        .map(|l| {
            let m = (pos.get(l).copied().unwrap_or(0.0) + alpha) / (tp + alpha * k);
            let u = (neg.get(l).copied().unwrap_or(0.0) + alpha) / (tn + alpha * k);
            (
                l.to_string(),
                Level {
                    m: r(m),
                    u: r(u),
                    weight: None,
                },
            )
        })
        .collect()
}

/// Platt scaling on log2 odds: fit `p = 1/(1+2^-(a·L+b))` by gradient descent; `a` kept >= 0.
pub fn fit_platt(scored: &[(f64, bool)], iterations: usize) -> Calibration {
    let ln2 = std::f64::consts::LN_2;
    let (mut a, mut b) = (1.0f64, 0.0f64);
    let n = scored.len().max(1) as f64;
    let lr = 0.05;
    for _ in 0..iterations {
        let (mut ga, mut gb) = (0.0, 0.0);
        for &(l, y) in scored {
            let l = l.clamp(-200.0, 200.0);
            let z = (a * l + b) * ln2;
            let p = 1.0 / (1.0 + (-z).exp());
            let e = p - y as u8 as f64;
            ga += e * l * ln2;
            gb += e * ln2;
        }
        a = (a - lr * ga / n / 10.0).max(0.0);
        b -= lr * gb / n;
    }
    Calibration {
        a: (a * 1e4).round() / 1e4,
        b: (b * 1e4).round() / 1e4,
    }
}

/// Relative frequency of each level among `levels` (e.g. levels of random non-matching pairs,
/// giving u-probabilities). Levels never seen get `floor`.
pub fn level_frequencies<'a>(
    levels: impl IntoIterator<Item = &'a str>,
    all: &[&str],
    floor: f64,
) -> BTreeMap<String, f64> {
    let mut counts: BTreeMap<String, f64> = BTreeMap::new();
    let mut n = 0.0;
    for l in levels {
        *counts.entry(l.to_string()).or_default() += 1.0;
        n += 1.0;
    }
    all.iter()
        .map(|l| {
            let c = counts.get(*l).copied().unwrap_or(0.0);
            (
                l.to_string(),
                if n > 0.0 { (c / n).max(floor) } else { floor },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_from_counts() {
        let pos = NameFeatures {
            strong: 2,
            ..Default::default()
        };
        let neg = NameFeatures {
            strong: 1,
            unmatched_short: 1.0,
            ..Default::default()
        };
        let rows = vec![
            (pos, true, 1.0),
            (pos, true, 1.0),
            (neg, false, 1.0),
            (neg, true, 1.0),
        ];
        let t = estimate_levels(
            &rows,
            NameFeatures::main_level,
            crate::features::NAME_MAIN_LEVELS,
            0.01,
        );
        assert!(t["all_strong_2"].bits() > 0.0);
        assert!(t["one_missing_strong_1"].bits() < 0.0);
    }

    #[test]
    fn platt_identity_on_calibrated() {
        let mut v = Vec::new();
        for i in 0..1000 {
            let l = (i % 10) as f64 - 5.0;
            let p = 1.0 / (1.0 + (-l).exp2());
            let pos = ((i / 10) as f64 / 100.0) < p;
            v.push((l, pos));
        }
        let c = fit_platt(&v, 3000);
        assert!((c.a - 1.0).abs() < 0.3, "{c:?}");
    }
}
