//! The Fellegi–Sunter model: comparison vectors (one level per field, from the declarative
//! schema), m/u probabilities, term-frequency adjustment of exact levels, match weights and
//! per-pair explanations; and its estimation without labels (u from a deterministic random-pair
//! sample and exact value frequencies; m, and the prior, by a clamped EM on the blocked
//! candidate pairs, initialised from sensible priors), or from labels.
//!
//! Knows datasets and the schema; knows nothing of files, blocking internals or clustering.

use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::compare::{
    date_level, email_local, jaro_winkler_bytes, last_digits, token_similarity, within_one_edit,
};
use crate::data::{Column, Dataset, Dict};
use crate::schema::FieldKind;
use crate::ResolveError;

/// Bits per field in a packed comparison vector.
const BITS: u32 = 4;
/// Fixed weight (log2 Bayes factor) of biometric agreement / disagreement.
pub const BIOMETRIC_WEIGHT: f64 = 40.0;
const P_FLOOR: f64 = 1e-6;
const TF_CLAMP: f64 = 12.0;

/// A packed comparison vector: 4 bits per field, level 0 = null.
pub type Gamma = u64;

#[inline]
pub fn gamma_level(g: Gamma, f: usize) -> usize {
    ((g >> (f as u32 * BITS)) & 0xF) as usize
}

/// One comparison level's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub label: String,
    /// P(level | match)
    pub m: f64,
    /// P(level | non-match)
    pub u: f64,
}

impl Level {
    pub fn weight(&self) -> f64 {
        (self.m.max(P_FLOOR) / self.u.max(P_FLOOR)).log2()
    }
}

/// A field of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldModel {
    pub name: String,
    pub kind: FieldKind,
    /// Non-null levels, best first (model level k+1).
    pub levels: Vec<Level>,
    /// Term-frequency adjustment of the exact level.
    pub tf: bool,
    /// m was not estimated (fixed by kind, e.g. biometric) or EM was rejected for this field.
    #[serde(default)]
    pub fixed: bool,
}

/// How the model was estimated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EstimationReport {
    pub records: u64,
    pub u_sample_pairs: u64,
    pub candidate_pairs: u64,
    pub distinct_patterns: u64,
    pub em_iterations: u32,
    pub em_converged: bool,
    /// Share of candidate pairs EM considers matches.
    pub candidate_match_share: f64,
    /// Estimated true pairs (matches) among candidates.
    pub expected_matches: f64,
    /// Fields whose EM m estimate was rejected as implausible (fell back to priors).
    pub rejected_fields: Vec<String>,
    pub method: String,
}

/// A serialisable Fellegi–Sunter model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub fields: Vec<FieldModel>,
    /// Probability that two random records are the same person.
    pub prior: f64,
    /// Link threshold on match probability.
    pub threshold: f64,
    #[serde(default)]
    pub report: EstimationReport,
}

/// One named evidence term of an explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub field: String,
    pub level: String,
    pub a: String,
    pub b: String,
    /// log2(m/u) of the level.
    pub weight: f64,
    /// Term-frequency adjustment (exact levels of `tf` fields; 0 otherwise).
    pub tf_adjustment: f64,
}

/// Why a pair scored what it scored: prior + Σ field weights (+ TF adjustments).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub prior_weight: f64,
    pub terms: Vec<Term>,
    pub total_weight: f64,
    pub probability: f64,
}

impl Explanation {
    /// `field=level(+w)` list, for CSV output.
    pub fn compact(&self) -> String {
        let mut s = format!("prior({:+.2})", self.prior_weight);
        for t in &self.terms {
            s.push_str(&format!(" {}={}({:+.2}", t.field, t.level, t.weight));
            if t.tf_adjustment != 0.0 {
                s.push_str(&format!(",tf{:+.2}", t.tf_adjustment));
            }
            s.push(')');
        }
        s
    }
}

pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

pub fn logit2(p: f64) -> f64 {
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    (p / (1.0 - p)).log2()
}

/// Compiled comparison of one field.
#[derive(Debug, Clone)]
struct CompiledField {
    kind: FieldKind,
    swap: Option<usize>,
    sim: [f64; 2],
    district_len: Option<usize>,
}

/// Computes comparison vectors for record pairs of one dataset.
#[derive(Debug, Clone)]
pub struct Comparator {
    fields: Vec<CompiledField>,
}

impl Comparator {
    pub fn new(ds: &Dataset) -> Comparator {
        let fields = ds
            .schema
            .fields
            .iter()
            .map(|f| CompiledField {
                kind: f.kind,
                swap: f
                    .swap_with
                    .as_deref()
                    .and_then(|w| ds.schema.field_index(w)),
                sim: f.similarity(),
                district_len: f.district_len,
            })
            .collect();
        Comparator { fields }
    }

    pub fn field_count(&self) -> usize {
        self.fields.len()
    }

    /// Comparison vector of records `i` and `j`.
    #[inline]
    pub fn gamma(&self, ds: &Dataset, i: usize, j: usize) -> Gamma {
        let mut g: Gamma = 0;
        for (f, cf) in self.fields.iter().enumerate() {
            let l = self.level(ds, cf, f, i, j) as u64;
            g |= l << (f as u32 * BITS);
        }
        g
    }

    fn level(&self, ds: &Dataset, cf: &CompiledField, f: usize, i: usize, j: usize) -> u8 {
        match &ds.columns[f] {
            Column::Date { vals } => match date_level(vals[i], vals[j]) {
                None => 0,
                Some(l) => l as u8 + 1,
            },
            Column::Text { ids, dict } => {
                let (a, b) = (ids[i], ids[j]);
                if a == 0 || b == 0 {
                    return 0;
                }
                if a == b {
                    return 1;
                }
                let (va, vb) = (dict.value(a), dict.value(b));
                match cf.kind {
                    FieldKind::GivenName | FieldKind::FamilyName | FieldKind::FullName => {
                        let mut base = 2;
                        if let Some(o) = cf.swap {
                            base = 3;
                            if let Column::Text {
                                ids: oids,
                                dict: odict,
                            } = &ds.columns[o]
                            {
                                let (oa, ob) = (oids[i], oids[j]);
                                if (ob != 0 && odict.value(ob) == va)
                                    || (oa != 0 && odict.value(oa) == vb)
                                {
                                    return 2;
                                }
                            }
                        }
                        let s = name_similarity(dict, a, b);
                        fuzzy(s, cf.sim, base)
                    }
                    FieldKind::Address => fuzzy(token_similarity(va, vb), cf.sim, 2),
                    FieldKind::Postcode => {
                        let n = cf
                            .district_len
                            .unwrap_or(va.len().max(vb.len()).saturating_sub(1))
                            .max(1);
                        if va.len() >= n
                            && vb.len() >= n
                            && va.as_bytes()[..n] == vb.as_bytes()[..n]
                        {
                            2
                        } else {
                            3
                        }
                    }
                    FieldKind::IdNumber => {
                        if within_one_edit(va.as_bytes(), vb.as_bytes()) {
                            2
                        } else {
                            3
                        }
                    }
                    FieldKind::Phone => {
                        if va.len() >= 7
                            && vb.len() >= 7
                            && last_digits(va.as_bytes(), 7) == last_digits(vb.as_bytes(), 7)
                        {
                            2
                        } else {
                            3
                        }
                    }
                    FieldKind::Email => {
                        let (la, lb) = (email_local(va.as_bytes()), email_local(vb.as_bytes()));
                        if !la.is_empty() && la == lb {
                            2
                        } else {
                            3
                        }
                    }
                    FieldKind::Categorical | FieldKind::Biometric => 2,
                    FieldKind::Date => 0,
                }
            }
        }
    }
}

#[inline]
fn fuzzy(s: f64, sim: [f64; 2], base: u8) -> u8 {
    if s >= sim[0] {
        base
    } else if s >= sim[1] {
        base + 1
    } else {
        base + 2
    }
}

/// Similarity of two distinct name values: byte Jaro-Winkler for single ASCII tokens, the
/// name engine's token alignment (`linkwatch_names::compare`) otherwise.
pub fn name_similarity(dict: &Dict, a: u32, b: u32) -> f64 {
    let (va, vb) = (dict.value(a), dict.value(b));
    match (&dict.analyzed[a as usize], &dict.analyzed[b as usize]) {
        (None, None) => jaro_winkler_bytes(va.as_bytes(), vb.as_bytes()),
        (x, y) => {
            let ax;
            let bx;
            let na = match x {
                Some(n) => n.as_ref(),
                None => {
                    ax = linkwatch_names::analyze(va);
                    &ax
                }
            };
            let nb = match y {
                Some(n) => n.as_ref(),
                None => {
                    bx = linkwatch_names::analyze(vb);
                    &bx
                }
            };
            let c = linkwatch_names::compare(na, nb, &linkwatch_names::UniformWeights).similarity
                as f64;
            c.max(jaro_winkler_bytes(va.as_bytes(), vb.as_bytes()))
        }
    }
}

/// Default m of each level of a kind, before estimation (a weakly informative prior).
fn default_m(kind: FieldKind, nlevels: usize) -> Vec<f64> {
    let v: Vec<f64> = match (kind, nlevels) {
        (FieldKind::Date, _) => vec![0.82, 0.03, 0.07, 0.03, 0.02, 0.03],
        (FieldKind::GivenName | FieldKind::FamilyName, 5) => vec![0.78, 0.03, 0.1, 0.05, 0.04],
        (_, 4) => vec![0.8, 0.1, 0.05, 0.05],
        (_, 3) => vec![0.85, 0.08, 0.07],
        (_, 2) => vec![0.9, 0.1],
        (_, n) => {
            let mut v = vec![0.1 / (n.max(2) - 1) as f64; n];
            v[0] = 0.9;
            v
        }
    };
    v
}

/// Precomputed weights for fast scoring.
#[derive(Debug, Clone)]
pub struct Scorer {
    /// `[field * 8 + level]` → log2 weight (level 0 = null = 0).
    w: Vec<f64>,
    /// exact-level u of tf fields (for the adjustment); 0 when off.
    tf_u: Vec<f64>,
    nfields: usize,
    pub prior_weight: f64,
    biometric: Vec<usize>,
}

impl Scorer {
    pub fn new(model: &Model) -> Scorer {
        let nf = model.fields.len();
        let mut w = vec![0.0; nf * 8];
        let mut tf_u = vec![0.0; nf];
        let mut biometric = Vec::new();
        for (f, fm) in model.fields.iter().enumerate() {
            for (k, l) in fm.levels.iter().enumerate() {
                w[f * 8 + k + 1] = l.weight();
            }
            if fm.tf {
                tf_u[f] = fm.levels[0].u;
            }
            if fm.kind == FieldKind::Biometric {
                biometric.push(f);
            }
        }
        Scorer {
            w,
            tf_u,
            nfields: nf,
            prior_weight: logit2(model.prior),
            biometric,
        }
    }

    /// Term-frequency adjustment of an exact agreement of records `i`, `j` on field `f`.
    #[inline]
    fn tf_adjust(&self, ds: &Dataset, f: usize, i: usize) -> f64 {
        let u = self.tf_u[f];
        if u <= 0.0 {
            return 0.0;
        }
        match &ds.columns[f] {
            Column::Text { ids, dict } => {
                let fr = dict.frequency(ids[i]);
                if fr <= 0.0 {
                    return 0.0;
                }
                (u / fr).log2().clamp(-TF_CLAMP, TF_CLAMP)
            }
            Column::Date { .. } => 0.0,
        }
    }

    /// Total log2 odds of a comparison vector for records `i`, `j`.
    #[inline]
    pub fn weight(&self, ds: &Dataset, g: Gamma, i: usize) -> f64 {
        let mut s = self.prior_weight;
        for f in 0..self.nfields {
            let l = gamma_level(g, f);
            s += self.w[f * 8 + l];
            if l == 1 {
                s += self.tf_adjust(ds, f, i);
            }
        }
        s
    }

    /// Biometric verdict: `Some(true)` agree, `Some(false)` disagree, `None` not comparable.
    #[inline]
    pub fn biometric(&self, g: Gamma) -> Option<bool> {
        let mut out = None;
        for &f in &self.biometric {
            match gamma_level(g, f) {
                1 => return Some(true),
                0 => {}
                _ => out = Some(false),
            }
        }
        out
    }
}

impl Model {
    /// A model with default m and u = 0 placeholders (before estimation).
    pub fn skeleton(ds: &Dataset) -> Model {
        let fields = ds
            .schema
            .fields
            .iter()
            .map(|f| {
                let labels = f.kind.labels(f.swap_with.is_some());
                let m = default_m(f.kind, labels.len());
                FieldModel {
                    name: f.name.clone(),
                    kind: f.kind,
                    levels: labels
                        .iter()
                        .zip(m)
                        .map(|(l, m)| Level {
                            label: l.to_string(),
                            m,
                            u: 0.0,
                        })
                        .collect(),
                    tf: f.tf() && f.kind != FieldKind::Biometric,
                    fixed: f.kind == FieldKind::Biometric,
                }
            })
            .collect();
        Model {
            fields,
            prior: 1e-4,
            threshold: ds.schema.threshold,
            report: EstimationReport::default(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Result<Model, ResolveError> {
        serde_json::from_str(s).map_err(|e| ResolveError::Model(e.to_string()))
    }

    /// Check that the model fits the dataset's schema (same fields and kinds).
    pub fn check_fits(&self, ds: &Dataset) -> Result<(), ResolveError> {
        if self.fields.len() != ds.schema.fields.len()
            || self
                .fields
                .iter()
                .zip(&ds.schema.fields)
                .any(|(m, s)| m.name != s.name || m.kind != s.kind)
        {
            return Err(ResolveError::Model(
                "model fields do not match the schema".into(),
            ));
        }
        Ok(())
    }

    /// Explain the score of records `i`, `j`.
    pub fn explain(
        &self,
        ds: &Dataset,
        cmp: &Comparator,
        scorer: &Scorer,
        i: usize,
        j: usize,
    ) -> Explanation {
        let g = cmp.gamma(ds, i, j);
        let mut terms = Vec::new();
        for (f, fm) in self.fields.iter().enumerate() {
            let l = gamma_level(g, f);
            let (label, w) = if l == 0 {
                ("null".to_string(), 0.0)
            } else {
                (fm.levels[l - 1].label.clone(), scorer.w[f * 8 + l])
            };
            let tf = if l == 1 {
                scorer.tf_adjust(ds, f, i)
            } else {
                0.0
            };
            terms.push(Term {
                field: fm.name.clone(),
                level: label,
                a: ds.columns[f].display(i),
                b: ds.columns[f].display(j),
                weight: w,
                tf_adjustment: tf,
            });
        }
        let total = scorer.weight(ds, g, i);
        Explanation {
            prior_weight: scorer.prior_weight,
            terms,
            total_weight: total,
            probability: probability(total),
        }
    }
}

/// Count comparison levels over pairs: `[field][level]`.
fn level_counts(nf: usize, gammas: impl Iterator<Item = (Gamma, f64)>) -> Vec<[f64; 8]> {
    let mut c = vec![[0.0; 8]; nf];
    for (g, w) in gammas {
        for (f, cf) in c.iter_mut().enumerate() {
            cf[gamma_level(g, f)] += w;
        }
    }
    c
}

/// Deterministic random pairs (different records; for link, different sources).
pub fn random_pairs(ds: &Dataset, n_pairs: usize, seed: u64, cross_only: bool) -> Vec<(u32, u32)> {
    let n = ds.len();
    if n < 2 {
        return Vec::new();
    }
    let total = n as u64 * (n as u64 - 1) / 2;
    if !cross_only && total <= n_pairs as u64 {
        let mut v = Vec::with_capacity(total as usize);
        for i in 0..n as u32 {
            for j in i + 1..n as u32 {
                v.push((i, j));
            }
        }
        return v;
    }
    let (left, right): (Vec<u32>, Vec<u32>) = if cross_only {
        let l: Vec<u32> = (0..n as u32)
            .filter(|&i| ds.source[i as usize] == 0)
            .collect();
        let r: Vec<u32> = (0..n as u32)
            .filter(|&i| ds.source[i as usize] != 0)
            .collect();
        (l, r)
    } else {
        (Vec::new(), Vec::new())
    };
    if cross_only && (left.is_empty() || right.is_empty()) {
        return Vec::new();
    }
    const CHUNK: usize = 65_536;
    let chunks = n_pairs.div_ceil(CHUNK);
    (0..chunks)
        .into_par_iter()
        .flat_map_iter(|c| {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(
                seed ^ (c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            let len = CHUNK.min(n_pairs - c * CHUNK);
            let mut out = Vec::with_capacity(len);
            while out.len() < len {
                if cross_only {
                    let a = left[rng.gen_range(0..left.len())];
                    let b = right[rng.gen_range(0..right.len())];
                    out.push((a.min(b), a.max(b)));
                } else {
                    let a = rng.gen_range(0..n as u32);
                    let b = rng.gen_range(0..n as u32);
                    if a != b {
                        out.push((a.min(b), a.max(b)));
                    }
                }
            }
            out
        })
        .collect()
}

/// Estimate u: exact-level u from value frequencies (Σ f², exact even for rare values), other
/// levels from a deterministic random-pair sample, floored.
pub fn estimate_u(model: &mut Model, ds: &Dataset, cmp: &Comparator, sample: &[(u32, u32)]) {
    let nf = model.fields.len();
    let counts = sample
        .par_chunks(16_384)
        .map(|ch| {
            level_counts(
                nf,
                ch.iter()
                    .map(|&(i, j)| (cmp.gamma(ds, i as usize, j as usize), 1.0)),
            )
        })
        .reduce(
            || vec![[0.0; 8]; nf],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(&b) {
                    for k in 0..8 {
                        x[k] += y[k];
                    }
                }
                a
            },
        );
    for (f, fm) in model.fields.iter_mut().enumerate() {
        let nl = fm.levels.len();
        let nonnull: f64 = counts[f][1..=nl].iter().sum();
        let floor = 1.0 / (2.0 * nonnull.max(1.0)).max(1e3);
        let exact_freq = match &ds.columns[f] {
            Column::Text { dict, .. } => Some(dict.agreement_probability()),
            Column::Date { .. } => None,
        };
        for k in 0..nl {
            let mut u = if nonnull > 0.0 {
                counts[f][k + 1] / nonnull
            } else {
                0.0
            };
            if k == 0 {
                if let Some(e) = exact_freq {
                    if e > 0.0 {
                        u = e;
                    }
                }
            }
            fm.levels[k].u = u.max(floor.min(1e-3)).max(P_FLOOR);
        }
        let s: f64 = fm.levels.iter().map(|l| l.u).sum();
        for l in &mut fm.levels {
            l.u /= s;
        }
        if fm.kind == FieldKind::Biometric {
            // Agreement on a biometric id is decisive, disagreement nearly so.
            let n = fm.levels.len();
            fm.levels[0].m = 1.0 - 1e-9;
            fm.levels[0].u = (1.0 - 1e-9) / BIOMETRIC_WEIGHT.exp2();
            fm.levels[n - 1].u = 1.0 - fm.levels[0].u;
            fm.levels[n - 1].m = fm.levels[n - 1].u / BIOMETRIC_WEIGHT.exp2();
        }
    }
}

/// Count distinct comparison vectors (EM works on patterns, sorted for determinism).
pub fn pattern_counts_from(gammas: &[Gamma]) -> Vec<(Gamma, f64)> {
    let maps: Vec<FxHashMap<Gamma, f64>> = gammas
        .par_chunks(65_536)
        .map(|ch| {
            let mut m: FxHashMap<Gamma, f64> = FxHashMap::default();
            for &g in ch {
                *m.entry(g).or_default() += 1.0;
            }
            m
        })
        .collect();
    let mut all: FxHashMap<Gamma, f64> = FxHashMap::default();
    for m in maps {
        for (k, v) in m {
            *all.entry(k).or_default() += v;
        }
    }
    let mut v: Vec<(Gamma, f64)> = all.into_iter().collect();
    v.sort_unstable_by_key(|p| p.0);
    v
}

/// Estimate m and the prior by EM on the candidate pairs' comparison patterns.
///
/// Robustness: u is fixed from random pairs for scoring, while EM fits a separate non-match
/// distribution for the candidates (blocking makes non-matches agree more often than random
/// pairs); m starts from priors and is refined from the pairs the initial model is confident
/// about; probabilities are floored; a field whose estimated exact level would count *against*
/// a match is reset to its prior; iterations and tolerance are fixed, so the result is
/// deterministic.
pub fn estimate_m_em(
    model: &mut Model,
    patterns: &[(Gamma, f64)],
    total_pairs: f64,
    blocking_pairs: f64,
) {
    let nf = model.fields.len();
    let est: Vec<bool> = model.fields.iter().map(|f| !f.fixed).collect();
    let prior_m: Vec<Vec<f64>> = model
        .fields
        .iter()
        .map(|f| f.levels.iter().map(|l| l.m).collect())
        .collect();
    let mut m: Vec<Vec<f64>> = prior_m.clone();
    let mut uc: Vec<Vec<f64>> = model
        .fields
        .iter()
        .map(|f| f.levels.iter().map(|l| l.u).collect())
        .collect();
    let total: f64 = patterns.iter().map(|p| p.1).sum();
    if total <= 0.0 {
        return;
    }
    let log_lik = |m: &Vec<Vec<f64>>, uc: &Vec<Vec<f64>>, g: Gamma| -> (f64, f64) {
        let (mut lm, mut lu) = (0.0, 0.0);
        for f in 0..nf {
            let l = gamma_level(g, f);
            if l == 0 {
                continue;
            }
            lm += m[f][l - 1].max(P_FLOOR).ln();
            lu += uc[f][l - 1].max(P_FLOOR).ln();
        }
        (lm, lu)
    };
    // Initial λ: share of candidate pairs the prior model calls matches at even odds.
    let mut lambda = {
        let mut s = 0.0;
        for &(g, c) in patterns {
            let (lm, lu) = log_lik(&m, &uc, g);
            if lm - lu > 8.0 {
                s += c;
            }
        }
        (s / total).clamp(1e-4, 0.5)
    };
    let mut it = 0;
    let mut converged = false;
    while it < 100 {
        it += 1;
        let mut cm = vec![[0.0f64; 8]; nf];
        let mut cu = vec![[0.0f64; 8]; nf];
        let mut sm = 0.0;
        let lp = lambda.ln();
        let lq = (1.0 - lambda).ln();
        for &(g, c) in patterns {
            let (lm, lu) = log_lik(&m, &uc, g);
            let a = lp + lm;
            let b = lq + lu;
            let post = 1.0 / (1.0 + (b - a).exp());
            sm += post * c;
            for f in 0..nf {
                let l = gamma_level(g, f);
                cm[f][l] += post * c;
                cu[f][l] += (1.0 - post) * c;
            }
        }
        let mut delta: f64 = 0.0;
        for f in 0..nf {
            let nl = m[f].len();
            if est[f] {
                let tm: f64 = cm[f][1..=nl].iter().sum();
                if tm > 0.0 {
                    for k in 0..nl {
                        // light smoothing toward the prior keeps empty levels finite
                        let v = ((cm[f][k + 1] + 0.5 * prior_m[f][k]) / (tm + 0.5))
                            .clamp(1e-5, 1.0 - 1e-5);
                        delta = delta.max((v - m[f][k]).abs());
                        m[f][k] = v;
                    }
                }
            }
            let tu: f64 = cu[f][1..=nl].iter().sum();
            if tu > 0.0 {
                for k in 0..nl {
                    uc[f][k] = ((cu[f][k + 1] + 1e-3) / (tu + 1e-3 * nl as f64)).max(P_FLOOR);
                }
            }
        }
        let new_lambda = (sm / total).clamp(1e-6, 0.999);
        delta = delta.max((new_lambda - lambda).abs());
        lambda = new_lambda;
        if delta < 1e-6 {
            converged = true;
            break;
        }
    }
    let mut rejected = Vec::new();
    for (f, fm) in model.fields.iter_mut().enumerate() {
        if !est[f] {
            continue;
        }
        let nl = fm.levels.len();
        let s: f64 = m[f].iter().sum();
        let cand: Vec<f64> = m[f].iter().map(|x| x / s).collect();
        // Implausible: exact agreement would not favour a match, or disagreement would.
        let exact_ok = cand[0] > fm.levels[0].u;
        let diff_ok = cand[nl - 1] / fm.levels[nl - 1].u.max(P_FLOOR) < 1.0;
        if exact_ok && diff_ok {
            for (l, c) in fm.levels.iter_mut().zip(&cand) {
                l.m = *c;
            }
        } else {
            rejected.push(fm.name.clone());
            fm.fixed = true;
        }
    }
    let expected = lambda * total;
    model.prior = (expected / total_pairs.max(1.0)).clamp(1.0 / total_pairs.max(2.0), 0.5);
    model.report.em_iterations = it;
    model.report.em_converged = converged;
    model.report.candidate_match_share = lambda;
    model.report.expected_matches = expected;
    model.report.candidate_pairs = blocking_pairs as u64;
    model.report.distinct_patterns = patterns.len() as u64;
    model.report.rejected_fields = rejected;
    model.report.method = "unsupervised: u from random pairs and value frequencies, m and prior by EM on blocked pairs".into();
}

/// Fit m (and the prior) from labelled pairs: `(i, j, is_match)`. u stays as estimated from
/// random pairs. `total_pairs` is the number of possible pairs (for the prior).
pub fn fit_m_from_labels(
    model: &mut Model,
    ds: &Dataset,
    cmp: &Comparator,
    labelled: &[(u32, u32, bool)],
    total_pairs: f64,
) {
    let nf = model.fields.len();
    let counts = level_counts(
        nf,
        labelled
            .iter()
            .filter(|p| p.2)
            .map(|&(i, j, _)| (cmp.gamma(ds, i as usize, j as usize), 1.0)),
    );
    for (f, fm) in model.fields.iter_mut().enumerate() {
        if fm.fixed && fm.kind == FieldKind::Biometric {
            continue;
        }
        let nl = fm.levels.len();
        let t: f64 = counts[f][1..=nl].iter().sum();
        if t == 0.0 {
            continue;
        }
        for k in 0..nl {
            fm.levels[k].m = ((counts[f][k + 1] + 0.1) / (t + 0.1 * nl as f64)).clamp(1e-5, 1.0);
        }
    }
    let matches = labelled.iter().filter(|p| p.2).count() as f64;
    if matches > 0.0 {
        model.prior = (matches / total_pairs.max(1.0)).clamp(1e-12, 0.5);
    }
    model.report.method = "supervised: m from labelled matches, u from random pairs".into();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    /// Simulate a dataset where each field agrees with known m/u, then check that EM on the
    /// pattern counts recovers m and λ.
    #[test]
    fn em_recovers_known_m_and_lambda() {
        let schema = Schema::from_toml(
            r#"
id = "id"
[[field]]
name = "a"
kind = "categorical"
[[field]]
name = "b"
kind = "id_number"
[[field]]
name = "c"
kind = "postcode"
[[field]]
name = "d"
kind = "categorical"
[blocking]
rules = [["a"]]
"#,
        )
        .unwrap();
        let ds = Dataset::new(schema);
        let mut model = Model::skeleton(&ds);
        let true_m = [
            vec![0.95, 0.05],
            vec![0.85, 0.1, 0.05],
            vec![0.9, 0.05, 0.05],
            vec![0.8, 0.2],
        ];
        let true_u = [
            vec![0.05, 0.95],
            vec![0.01, 0.04, 0.95],
            vec![0.02, 0.1, 0.88],
            vec![0.3, 0.7],
        ];
        let lambda = 0.2;
        for (f, fm) in model.fields.iter_mut().enumerate() {
            for (k, l) in fm.levels.iter_mut().enumerate() {
                l.u = true_u[f][k];
            }
        }
        // exact expected pattern counts
        let n = 1_000_000.0;
        let mut patterns = Vec::new();
        let dims: Vec<usize> = true_m.iter().map(|v| v.len()).collect();
        let total: usize = dims.iter().product();
        for idx in 0..total {
            let mut r = idx;
            let mut g: Gamma = 0;
            let (mut pm, mut pu) = (lambda, 1.0 - lambda);
            for f in 0..4 {
                let k = r % dims[f];
                r /= dims[f];
                g |= ((k + 1) as u64) << (f as u32 * BITS);
                pm *= true_m[f][k];
                pu *= true_u[f][k];
            }
            patterns.push((g, (pm + pu) * n));
        }
        estimate_m_em(&mut model, &patterns, n * 10.0, n);
        assert!(model.report.em_converged);
        assert!(
            (model.report.candidate_match_share - lambda).abs() < 0.01,
            "{:?}",
            model.report
        );
        for (f, fm) in model.fields.iter().enumerate() {
            for (k, l) in fm.levels.iter().enumerate() {
                assert!(
                    (l.m - true_m[f][k]).abs() < 0.02,
                    "field {f} level {k}: {} vs {}",
                    l.m,
                    true_m[f][k]
                );
            }
        }
        assert!((model.prior - 0.02).abs() < 0.002);
        // serialisable
        let back = Model::from_json(&model.to_json()).unwrap();
        assert_eq!(back.fields.len(), model.fields.len());
        assert!((back.prior - model.prior).abs() < 1e-12);
        assert!((back.fields[1].levels[1].m - model.fields[1].levels[1].m).abs() < 1e-12);
    }
}
