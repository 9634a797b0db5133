//! Estimating the model from data: name level weights by counting (m/u) or jointly by
//! L2-regularised logistic regression on labelled pairs ([`fit_name_weights`]), Platt
//! calibration, and u-probabilities of comparison levels from random (non-matching) pairs. Pure functions over in-memory rows; `examples/train.rs` does the I/O.
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

/// Make a level table monotone in evidence: for every declared pair `(stronger, weaker)` the
/// stronger level's weight ends at least the weaker's. Pool-adjacent-violators over the order
/// (a partial order, given by its generating pairs): while some pair is violated, the two blocks
/// holding its levels are merged and weigh `log2(Σm / Σu)` over their members, which is the
/// weighted isotonic fit of the per-level match rate (a level counts by how often it was
/// seen). Levels of pooled blocks keep their counted m and u and get the pooled weight
/// explicitly; levels left alone are untouched. An explicit weight on a level of a declared pair
/// (an earlier override) is dropped first: the pooling starts from the counts. Deterministic
/// (pairs scanned in the given order until none is violated); returns the pooled blocks as
/// lists of labels.
pub fn pool_monotone(
    table: &mut BTreeMap<String, Level>,
    order: &[(&str, &str)],
) -> Vec<Vec<String>> {
    let labels: Vec<String> = {
        let mut v: Vec<String> = order
            .iter()
            .flat_map(|(a, b)| [a.to_string(), b.to_string()])
            .filter(|l| table.contains_key(l))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let idx = |l: &str| labels.iter().position(|x| x == l);
    let mut parent: Vec<usize> = (0..labels.len()).collect();
    let mut sum: Vec<(f64, f64)> = labels
        .iter()
        .map(|l| {
            let v = table[l];
            (v.m, v.u)
        })
        .collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let bits = |(m, u): (f64, f64)| (m.max(1e-12) / u.max(1e-12)).log2();
    let edges: Vec<(usize, usize)> = order
        .iter()
        .filter_map(|(a, b)| Some((idx(a)?, idx(b)?)))
        .collect();
    loop {
        let mut merged = false;
        for &(s, w) in &edges {
            let (rs, rw) = (find(&mut parent, s), find(&mut parent, w));
            if rs != rw && bits(sum[rs]) < bits(sum[rw]) {
                let (lo, hi) = (rs.min(rw), rs.max(rw));
                parent[hi] = lo;
                sum[lo] = (sum[lo].0 + sum[hi].0, sum[lo].1 + sum[hi].1);
                merged = true;
            }
        }
        if !merged {
            break;
        }
    }
    let mut blocks: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, l) in labels.iter().enumerate() {
        let r = find(&mut parent, i);
        blocks.entry(r).or_default().push(l.clone());
    }
    let mut pooled = Vec::new();
    for (r, members) in blocks {
        let w = (members.len() > 1).then(|| bits(sum[r]));
        for l in &members {
            if let Some(v) = table.get_mut(l) {
                v.weight = w;
            }
        }
        if members.len() > 1 {
            pooled.push(members);
        }
    }
    pooled
}

/// Name evidence fitted jointly (see [`fit_name_weights`]): bits per joint name level, per
/// family/lead level, and the term-frequency and similarity coefficients.
#[derive(Debug, Clone, PartialEq)]
pub struct NameFit {
    /// Bits per label of `crate::features::NAME_LEVELS`.
    pub main: Vec<f64>,
    /// Bits per label of `crate::features::NAME_FAMILY_LEVELS`.
    pub family: Vec<f64>,
    /// Bits per bit of rarity of the strongly agreeing parts (>= 0).
    pub tf_gamma: f64,
    /// Rarity (bits) of a strongly agreeing part that adds nothing beyond its level.
    pub tf_reference_bits: f64,
    /// Bits per unit of the analyser's similarity above 0.5 (>= 0).
    pub similarity_gamma: f64,
}

/// Fit the name evidence jointly by weighted logistic regression with an L2 penalty
/// (`l2`, in weight units, pulling every level weight towards 0 bits = "no evidence"):
/// `log2 odds = prior + main[level] + family[level] + c1·strong_bits + c2·strong + cs·(sim − 0.5)`.
///
/// Counting m and u per table (naive Bayes) double-counts what the tables share: when no
/// part agrees, the family name cannot agree either, so "none" and "family disagrees" would
/// both be charged for the same fact. A joint fit charges it once. Rows are
/// `(features, is_match, weight)`; `prior` is the fixed intercept (log2 odds of the rows).
/// Newton's method; `c1` and `cs` are kept >= 0 (rarer or closer agreement never counts less).
///
/// `fixed` holds level weights kept as given (an offset), main levels first, then family
/// levels (`None` = fitted); e.g. the family table counted as m/u with the joint name level
/// fitted given it.
pub fn fit_name_weights(
    rows: &[(NameFeatures, bool, f64)],
    prior: f64,
    l2: f64,
    iterations: usize,
    fixed: &[Option<f64>],
) -> NameFit {
    use crate::features::{NAME_FAMILY_LEVELS, NAME_LEVELS};
    let nm = NAME_LEVELS.len();
    let nf = NAME_FAMILY_LEVELS.len();
    let k = nm + nf + 3;
    let ln2 = std::f64::consts::LN_2;
    // Sparse design: two one-hot indices and three continuous values per row.
    let design: Vec<(usize, usize, [f64; 3], f64, f64)> = rows
        .iter()
        .map(|(f, y, w)| {
            let i = NAME_LEVELS
                .iter()
                .position(|l| *l == f.level())
                .unwrap_or(nm - 1);
            let j = NAME_FAMILY_LEVELS
                .iter()
                .position(|l| *l == f.family_level())
                .unwrap_or(0);
            let x = [f.strong_bits / 10.0, f.strong as f64, f.similarity - 0.5];
            (i, nm + j, x, *y as u8 as f64, *w)
        })
        .collect();
    let mut beta = vec![0.0f64; k];
    let is_fixed = |c: usize| fixed.get(c).is_some_and(|x| x.is_some());
    for (b, w) in beta.iter_mut().zip(fixed) {
        if let Some(w) = w {
            *b = *w;
        }
    }
    for _ in 0..iterations {
        let mut g = vec![0.0f64; k];
        let mut h = vec![vec![0.0f64; k]; k];
        for &(i, j, x, y, w) in &design {
            let cols = [
                (i, 1.0),
                (j, 1.0),
                (k - 3, x[0]),
                (k - 2, x[1]),
                (k - 1, x[2]),
            ];
            let z: f64 = prior + cols.iter().map(|&(c, v)| beta[c] * v).sum::<f64>();
            let p = 1.0 / (1.0 + (-z * ln2).exp());
            let e = w * (p - y) * ln2;
            let s = w * p * (1.0 - p) * ln2 * ln2;
            for &(c, v) in &cols {
                g[c] += e * v;
                for &(d, u) in &cols {
                    h[c][d] += s * v * u;
                }
            }
        }
        for c in 0..k {
            if is_fixed(c) {
                // Fixed: no gradient, and a huge curvature so the step is zero.
                g[c] = 0.0;
                h[c][c] += 1e12;
                continue;
            }
            g[c] += l2 * beta[c];
            h[c][c] += l2 + 1e-9;
        }
        let Some(step) = solve(h, g) else { break };
        let mut moved = 0.0f64;
        for c in 0..k {
            beta[c] -= step[c];
            moved = moved.max(step[c].abs());
        }
        // Sign constraints: rarity and similarity never count against agreement.
        for c in [k - 3, k - 1] {
            if beta[c] < 0.0 {
                beta[c] = 0.0;
            }
        }
        if moved < 1e-7 {
            break;
        }
    }
    let c1 = beta[k - 3] / 10.0;
    let c2 = beta[k - 2];
    let (tf_gamma, tf_reference_bits) = if c1 > 1e-4 {
        (c1, -c2 / c1)
    } else {
        (0.0, 0.0)
    };
    let r = |x: f64| (x * 1e4).round() / 1e4;
    NameFit {
        main: beta[..nm].iter().map(|&b| r(b)).collect(),
        family: beta[nm..nm + nf].iter().map(|&b| r(b)).collect(),
        tf_gamma: r(tf_gamma),
        tf_reference_bits: (tf_reference_bits * 100.0).round() / 100.0,
        similarity_gamma: r(beta[k - 1]),
    }
}

/// Solve `h · x = g` (Gaussian elimination with partial pivoting); `None` when singular.
fn solve(mut h: Vec<Vec<f64>>, mut g: Vec<f64>) -> Option<Vec<f64>> {
    let n = g.len();
    for col in 0..n {
        let piv = (col..n).max_by(|&a, &b| h[a][col].abs().total_cmp(&h[b][col].abs()))?;
        if h[piv][col].abs() < 1e-12 {
            return None;
        }
        h.swap(col, piv);
        g.swap(col, piv);
        let (top, bottom) = h.split_at_mut(col + 1);
        let pivot = &top[col];
        for (r, hr) in bottom.iter_mut().enumerate() {
            let f = hr[col] / pivot[col];
            if f != 0.0 {
                for (x, p) in hr[col..].iter_mut().zip(&pivot[col..]) {
                    *x -= f * p;
                }
                g[col + 1 + r] -= f * g[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|c| h[row][c] * x[c]).sum();
        x[row] = (g[row] - s) / h[row][row];
    }
    Some(x)
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

/// One row for fitting the information term ([`fit_information_term`]): a compared pair's
/// total log2 odds without the information term (`offset`, prior and every other term
/// included), the summed rarity (bits) of its strongly agreeing name parts (`info_bits`), the
/// label and a weight (how many pairs of the population the row stands for).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InfoRow {
    pub offset: f64,
    pub info_bits: f64,
    pub is_match: bool,
    pub weight: f64,
}

/// The fitted information term: `info_gamma` (dependence discount δ, raw name bits per bit of
/// information beyond the reference), `info_reference_bits`, and the weighted log-likelihood
/// (nats) of the rows at the fit (for comparing references).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InfoFit {
    pub info_gamma: f64,
    pub info_reference_bits: f64,
    pub log_likelihood: f64,
}

/// Maximum-likelihood coefficient `c` of one covariate given an offset and a free intercept:
/// weighted logistic regression `log2 odds = offset + b + c · x` over rows
/// `(offset, x, is_match, weight)` with an L2 penalty `l2` (weight units) pulling `c` to 0;
/// `nonnegative` keeps `c ≥ 0`. The intercept `b` absorbs how far the offsets are off on these
/// rows as a whole (a generated world's namesake rate is the generator's, not the world's), so
/// `c` measures what the covariate separates; only `c` is meant to be used. Newton's method.
/// Returns `(c, b, penalised log-likelihood in nats)`.
pub fn fit_offset_coefficient(
    rows: &[(f64, f64, bool, f64)],
    l2: f64,
    nonnegative: bool,
) -> (f64, f64, f64) {
    let ln2 = std::f64::consts::LN_2;
    let loglik = |b: f64, c: f64| -> f64 {
        rows.iter()
            .map(|&(o, x, y, w)| {
                let z = (o + b + c * x) * ln2;
                // log p(y): -log(1 + e^{-z}) for a match, -log(1 + e^{z}) otherwise
                let s = if y { -z } else { z };
                let lp = if s > 30.0 { -s } else { -(s.exp()).ln_1p() };
                w * lp
            })
            .sum::<f64>()
            - 0.5 * l2 * c * c
    };
    let (mut b, mut c) = (0.0f64, 0.0f64);
    for _ in 0..200 {
        // gradient and Hessian over (b, c)
        let (mut gb, mut gc) = (0.0, l2 * c);
        let (mut hbb, mut hbc, mut hcc) = (1e-12, 0.0, l2 + 1e-12);
        for &(o, x, y, w) in rows {
            let z = (o + b + c * x) * ln2;
            let p = 1.0 / (1.0 + (-z).exp());
            let e = w * (p - y as u8 as f64) * ln2;
            let v = w * p * (1.0 - p) * ln2 * ln2;
            gb += e;
            gc += e * x;
            hbb += v;
            hbc += v * x;
            hcc += v * x * x;
        }
        let det = hbb * hcc - hbc * hbc;
        if det.abs() < 1e-300 {
            break;
        }
        let db = (hcc * gb - hbc * gc) / det;
        let dc = (hbb * gc - hbc * gb) / det;
        let (mut nb, mut nc) = (b - db, c - dc);
        if nonnegative && nc < 0.0 {
            // on the boundary: c = 0, a step in b alone
            nc = 0.0;
            nb = b - gb / hbb;
        }
        let moved = (nb - b).abs().max((nc - c).abs());
        b = nb;
        c = nc;
        if moved < 1e-9 {
            break;
        }
    }
    (c, b, loglik(b, c))
}

/// Fit the information term of the name evidence (`features::information_bits`): for each
/// candidate reference `R` in `references`, maximise the weighted log-likelihood of
/// `log2 odds = offset + cal_a · δ · max(0, I − R)` over `δ ≥ 0`
/// ([`fit_offset_coefficient`]), and keep the reference with the largest penalised
/// likelihood. `cal_a` is the model's calibration slope (the term is raw name evidence,
/// calibrated like the rest). Rows are typically screening pairs of a generated world: planted
/// matches and the candidates of a seeded sample of other encounters, each weighted by the share
/// of the population it stands for; the offset carries the screening prior, so the fit weighs
/// the namesakes a list of that size brings. Returns δ = 0 when no reference helps.
pub fn fit_information_term(rows: &[InfoRow], cal_a: f64, references: &[f64], l2: f64) -> InfoFit {
    let at = |r: f64| -> Vec<(f64, f64, bool, f64)> {
        rows.iter()
            .map(|x| {
                (
                    x.offset,
                    cal_a * (x.info_bits - r).max(0.0),
                    x.is_match,
                    x.weight,
                )
            })
            .collect()
    };
    let mut best = InfoFit {
        info_gamma: 0.0,
        info_reference_bits: references.first().copied().unwrap_or(0.0),
        log_likelihood: fit_offset_coefficient(&at(f64::INFINITY), l2, true).2,
    };
    for &r in references {
        let (d, _, ll) = fit_offset_coefficient(&at(r), l2, true);
        if ll > best.log_likelihood {
            best = InfoFit {
                info_gamma: (d * 1e4).round() / 1e4,
                info_reference_bits: r,
                log_likelihood: ll,
            };
        }
    }
    best
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

/// One-edit coincidences among different people's document numbers, by the length of the
/// number: how often a number of `len` characters lies one edit
/// ([`crate::features::one_edit`], both numbers of at least 5 characters, as the scorer
/// compares) from the number of a different holder drawn at random, and drawn at random among
/// the holders of the same group (nationality: numbering schemes are national, so one-edit
/// neighbours nearly always share it, and the scorer adds the nationality's own weight).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EditRate {
    pub len: usize,
    /// Numbers of this length.
    pub numbers: usize,
    /// Ordered pairs (a number of this length, a different holder's number) one edit apart.
    pub neighbours: usize,
    /// Of those, pairs whose holders share the group.
    pub neighbours_same_group: usize,
    /// Ordered pairs (a number of this length, another number of the same group).
    pub same_group_pairs: usize,
    /// `neighbours / (numbers · other numbers)`: the per-pair chance.
    pub u: f64,
    /// `neighbours_same_group / Σ (numbers of the same group − 1)`: the per-pair chance given
    /// the same group, the u of the document one-edit level beside `nationality.same`.
    pub u_same_group: f64,
}

/// [`EditRate`] per length for `numbers` given as `(holder, group, number)`: pairs of the same
/// holder and equal numbers are not counted (equal numbers are the `exact` level); group 0 is
/// "unknown" and never shared. Candidate pairs come from keys (the whole number, the number
/// with one position blanked; a number with one character deleted or two neighbours swapped
/// is looked up whole) and are confirmed by [`crate::features::one_edit_bytes`], so the count is
/// exactly the scorer's relation. Deterministic.
pub fn one_edit_rates(numbers: &[(u32, u32, String)]) -> Vec<EditRate> {
    use std::collections::{BTreeSet, HashMap};
    let eligible: Vec<(u32, u32, &[u8])> = numbers
        .iter()
        .filter(|(_, _, n)| n.len() >= 5)
        .map(|(h, g, n)| (*h, *g, n.as_bytes()))
        .collect();
    // key -> indices; key kinds (whole number, one position blanked) are told apart by a tag byte.
    let mut keys: HashMap<Vec<u8>, Vec<u32>> = HashMap::new();
    let key = |tag: u8, body: &[u8]| {
        let mut k = Vec::with_capacity(body.len() + 1);
        k.push(tag);
        k.extend_from_slice(body);
        k
    };
    for (i, (_, _, n)) in eligible.iter().enumerate() {
        keys.entry(key(b'w', n)).or_default().push(i as u32);
        for p in 0..n.len() {
            let mut b = n.to_vec();
            b[p] = 0;
            keys.entry(key(b's', &b)).or_default().push(i as u32);
        }
    }
    let mut pairs: BTreeSet<(u32, u32)> = BTreeSet::new();
    let mut add = |a: u32, b: u32| {
        let (x, y) = (eligible[a as usize], eligible[b as usize]);
        if x.0 != y.0 && crate::features::one_edit_bytes(x.2, y.2) {
            pairs.insert((a.min(b), a.max(b)));
        }
    };
    for (i, (_, _, n)) in eligible.iter().enumerate() {
        let i = i as u32;
        for p in 0..n.len() {
            // substitution: the same blanked key
            let mut b = n.to_vec();
            b[p] = 0;
            for &j in keys.get(&key(b's', &b)).into_iter().flatten() {
                if j != i {
                    add(i, j);
                }
            }
            // deletion: this number less one character is another number
            let mut d = n.to_vec();
            d.remove(p);
            for &j in keys.get(&key(b'w', &d)).into_iter().flatten() {
                add(i, j);
            }
            // adjacent transposition
            if p + 1 < n.len() && n[p] != n[p + 1] {
                let mut t = n.to_vec();
                t.swap(p, p + 1);
                for &j in keys.get(&key(b'w', &t)).into_iter().flatten() {
                    add(i, j);
                }
            }
        }
    }
    let total = eligible.len();
    let mut group_size: HashMap<u32, usize> = HashMap::new();
    for (_, g, _) in &eligible {
        *group_size.entry(*g).or_default() += 1;
    }
    // len -> (numbers, neighbours, same-group neighbours, same-group pairs)
    let mut by_len: BTreeMap<usize, (usize, usize, usize, usize)> = BTreeMap::new();
    for (_, g, n) in &eligible {
        let e = by_len.entry(n.len()).or_default();
        e.0 += 1;
        if *g != 0 {
            e.3 += group_size[g] - 1;
        }
    }
    for &(a, b) in &pairs {
        let (x, y) = (eligible[a as usize], eligible[b as usize]);
        let same = x.1 == y.1 && x.1 != 0;
        for z in [x, y] {
            let e = by_len.entry(z.2.len()).or_default();
            e.1 += 1;
            e.2 += same as usize;
        }
    }
    by_len
        .into_iter()
        .map(|(len, (numbers, neighbours, same, same_pairs))| EditRate {
            len,
            numbers,
            neighbours,
            neighbours_same_group: same,
            same_group_pairs: same_pairs,
            u: neighbours as f64 / (numbers as f64 * (total.max(2) - 1) as f64),
            u_same_group: same as f64 / same_pairs.max(1) as f64,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_rates_count_the_scorers_relation_between_holders() {
        let v = |h: u32, g: u32, n: &str| (h, g, n.to_string());
        let nums = vec![
            v(0, 1, "K021291"),
            v(1, 1, "K041291"),  // substitution of 0's
            v(2, 2, "K0212911"), // insertion into 0's, other group
            v(3, 1, "K201291"),  // transposition of 0's
            v(0, 1, "K021292"),  // same holder as 0: not counted
            v(4, 1, "1234"),     // too short
            v(5, 0, "X999999"),  // nothing near
        ];
        let r = one_edit_rates(&nums);
        let by: BTreeMap<usize, EditRate> = r.iter().map(|x| (x.len, *x)).collect();
        // 7 characters: 0-1, 0-3, 1-2? (K041291 / K0212911 no), 0-2, 3-?; pairs counted per end.
        let brute = |len: usize| {
            let mut n = 0;
            for (i, a) in nums.iter().enumerate() {
                for (j, b) in nums.iter().enumerate() {
                    if i != j
                        && a.0 != b.0
                        && a.2.len() == len
                        && a.2.len() >= 5
                        && b.2.len() >= 5
                        && crate::features::one_edit(&a.2, &b.2)
                    {
                        n += 1;
                    }
                }
            }
            n
        };
        assert_eq!(by[&7].neighbours, brute(7));
        assert_eq!(by[&8].neighbours, brute(8));
        assert!(by[&7].neighbours_same_group < by[&7].neighbours);
        assert!(!by.contains_key(&4));
        assert!(by[&7].u_same_group > by[&7].u);
    }

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
    fn joint_fit_separates_levels() {
        let strong = NameFeatures {
            strong: 2,
            strong_bits: 24.0,
            similarity: 0.9,
            ..Default::default()
        };
        let none = NameFeatures {
            unmatched_short: 2.0,
            unmatched_long: 2.0,
            similarity: 0.1,
            ..Default::default()
        };
        let mut rows = Vec::new();
        for i in 0..200 {
            rows.push((strong, i % 10 != 0, 1.0));
            rows.push((none, i % 10 == 0, 1.0));
        }
        let fixed = vec![None; 0];
        let fit = fit_name_weights(&rows, 0.0, 0.1, 30, &fixed);
        let l = |name: &str| {
            let i = crate::features::NAME_LEVELS
                .iter()
                .position(|x| *x == name)
                .unwrap();
            fit.main[i]
        };
        assert!(l(strong.level()) > 0.0, "{fit:?}");
        assert!(l(none.level()) < 0.0, "{fit:?}");
        assert!(fit.tf_gamma >= 0.0 && fit.similarity_gamma >= 0.0);
    }

    #[test]
    fn pooling_makes_a_chain_monotone_and_keeps_ordered_levels() {
        let lv = |m: f64, u: f64| Level { m, u, weight: None };
        let mut t: BTreeMap<String, Level> = [
            ("a", lv(0.4, 0.1)),  // 2 bits
            ("b", lv(0.1, 0.1)),  // 0 bits
            ("c", lv(0.2, 0.05)), // 2 bits: violates b >= c
            ("d", lv(0.01, 0.2)), // below everything
            ("e", lv(0.5, 0.5)),  // not in the order
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let pooled = pool_monotone(&mut t, &[("a", "b"), ("b", "c"), ("c", "d")]);
        assert_eq!(pooled, vec![vec!["b".to_string(), "c".to_string()]]);
        let w = (0.3f64 / 0.15).log2();
        assert_eq!(t["b"].weight, Some(w));
        assert_eq!(t["c"].weight, Some(w));
        assert_eq!(t["a"].weight, None);
        assert_eq!(t["e"].weight, None);
        assert!(t["a"].bits() >= t["b"].bits() && t["c"].bits() >= t["d"].bits());
        // A violation that needs a second pass: pooling b and c must pull a in too.
        let mut t2: BTreeMap<String, Level> = [
            ("a", lv(0.1, 0.1)),
            ("b", lv(0.05, 0.2)),
            ("c", lv(0.4, 0.01)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        pool_monotone(&mut t2, &[("a", "b"), ("b", "c")]);
        assert!(t2["a"].bits() >= t2["b"].bits() - 1e-12);
        assert!(t2["b"].bits() >= t2["c"].bits() - 1e-12);
    }

    #[test]
    fn information_term_recovers_a_planted_discount() {
        // Pairs whose true log2 odds are offset + 0.5 · max(0, I − 30): the fit finds a
        // positive discount near 0.5 at the reference 30 among the candidates.
        let mut rows = Vec::new();
        for i in 0..4000 {
            let info = 10.0 + (i % 40) as f64;
            let offset = -4.0 + (i % 7) as f64;
            let l = offset + 0.5 * (info - 30.0f64).max(0.0);
            let p = 1.0 / (1.0 + (-l).exp2());
            // deterministic labels with the right rate per cell
            let y = ((i / 280) as f64 + 0.5) / (4000.0 / 280.0) < p;
            rows.push(InfoRow {
                offset,
                info_bits: info,
                is_match: y,
                weight: 1.0,
            });
        }
        let fit = fit_information_term(&rows, 1.0, &[20.0, 30.0, 40.0], 1e-6);
        assert!(fit.info_gamma > 0.2 && fit.info_gamma < 1.0, "{fit:?}");
        // No information effect in the data: no term.
        for r in rows.iter_mut() {
            r.is_match = r.offset > 0.0;
        }
        let flat = fit_information_term(&rows, 1.0, &[20.0, 30.0], 1e-6);
        assert!(flat.info_gamma < 0.05, "{flat:?}");
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
