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
    /// Evidence group (only the strongest agreement within a group counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// Group index per field (0 = ungrouped), at most 7 groups.
pub fn group_ids(fields: &[FieldModel]) -> Vec<u8> {
    let mut names: Vec<&str> = Vec::new();
    fields
        .iter()
        .map(|f| match &f.group {
            None => 0,
            Some(g) => {
                let k = names.iter().position(|n| n == g).unwrap_or_else(|| {
                    names.push(g);
                    names.len() - 1
                });
                (k + 1).min(7) as u8
            }
        })
        .collect()
}

/// Sum contributions, keeping only the strongest positive contribution of each group.
#[inline]
fn combine(contribs: impl Iterator<Item = (u8, f64)>) -> f64 {
    let mut s = 0.0;
    let mut best = [0.0f64; 8];
    for (g, c) in contribs {
        if g == 0 || c <= 0.0 {
            s += c;
        } else if c > best[g as usize] {
            best[g as usize] = c;
        }
    }
    s + best.iter().sum::<f64>()
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
    /// Correction for grouped fields (only the strongest agreement of a group counts).
    #[serde(default)]
    pub group_adjustment: f64,
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
        if self.group_adjustment != 0.0 {
            s.push_str(&format!(" grouped({:+.2})", self.group_adjustment));
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
        let (a, b) = (ds.code(i, f), ds.code(j, f));
        match &ds.columns[f] {
            Column::Date { .. } => match date_level(a, b) {
                None => 0,
                Some(l) => l as u8 + 1,
            },
            Column::Text { dict, .. } => {
                if a == 0 || b == 0 {
                    return 0;
                }
                if a == b {
                    return 1;
                }
                match cf.kind {
                    FieldKind::GivenName | FieldKind::FamilyName | FieldKind::FullName => {
                        let mut base = 2;
                        if let Some(o) = cf.swap {
                            base = 3;
                            if let Column::Text { dict: odict, .. } = &ds.columns[o] {
                                let (oa, ob) = (ds.code(i, o), ds.code(j, o));
                                let (ha, hb) = (dict.aux[a as usize], dict.aux[b as usize]);
                                if (ob != 0
                                    && odict.aux[ob as usize] == ha
                                    && odict.value(ob) == dict.value(a))
                                    || (oa != 0
                                        && odict.aux[oa as usize] == hb
                                        && odict.value(oa) == dict.value(b))
                                {
                                    return 2;
                                }
                            }
                        }
                        let s = name_similarity(dict, a, b);
                        fuzzy(s, cf.sim, base)
                    }
                    FieldKind::Address => {
                        fuzzy(token_similarity(dict.value(a), dict.value(b)), cf.sim, 2)
                    }
                    FieldKind::Postcode => {
                        let (ka, kb) = (dict.aux[a as usize], dict.aux[b as usize]);
                        let (va, vb) = (dict.value(a).as_bytes(), dict.value(b).as_bytes());
                        if cf.district_len.is_some() || va.len() == vb.len() {
                            // Same key: same district prefix (confirmed on the bytes).
                            let n = cf.district_len.unwrap_or(va.len().saturating_sub(1)).max(1);
                            if ka != 0 && ka == kb && va[..n] == vb[..n] {
                                2
                            } else {
                                3
                            }
                        } else {
                            let n = va.len().max(vb.len()).saturating_sub(1).max(1);
                            if va.len() >= n && vb.len() >= n && va[..n] == vb[..n] {
                                2
                            } else {
                                3
                            }
                        }
                    }
                    FieldKind::IdNumber => {
                        if within_one_edit(dict.value(a).as_bytes(), dict.value(b).as_bytes()) {
                            2
                        } else {
                            3
                        }
                    }
                    FieldKind::Phone => {
                        let (va, vb) = (dict.value(a).as_bytes(), dict.value(b).as_bytes());
                        if va.len() >= 7
                            && vb.len() >= 7
                            && last_digits(va, 7) == last_digits(vb, 7)
                        {
                            2
                        } else {
                            3
                        }
                    }
                    FieldKind::Email => {
                        let (ka, kb) = (dict.aux[a as usize], dict.aux[b as usize]);
                        if ka != 0
                            && ka == kb
                            && email_local(dict.value(a).as_bytes())
                                == email_local(dict.value(b).as_bytes())
                        {
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
    groups: Vec<u8>,
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
            groups: group_ids(&model.fields),
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
        self.prior_weight
            + combine((0..self.nfields).map(|f| {
                let l = gamma_level(g, f);
                let mut c = self.w[f * 8 + l];
                if l == 1 {
                    c += self.tf_adjust(ds, f, i);
                }
                (self.groups[f], c)
            }))
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
                    group: f.group.clone(),
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
        let naive: f64 = scorer.prior_weight
            + terms
                .iter()
                .map(|t| t.weight + t.tf_adjustment)
                .sum::<f64>();
        Explanation {
            prior_weight: scorer.prior_weight,
            terms,
            group_adjustment: total - naive,
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

/// Log2 posterior odds, from the other fields, above which a pair estimates a field's m.
const CONFIDENT: f64 = 8.0;
/// Upper bound of m for a field's "different" level.
const MAX_M_DIFFERENT: f64 = 0.5;

/// Estimate m and the prior without labels, robustly: **leave-one-out EM with u fixed**.
///
/// u comes from random pairs (it is not re-estimated on the blocked candidates, whose
/// non-matches agree on the blocking keys far more often than random pairs). For each field
/// f, the match odds of every candidate pattern are computed from the *other* fields only (so
/// blocking on f or f's own agreement cannot select the pairs that estimate m_f), and m_f is
/// the level distribution among the pairs those odds make near-certain matches (hard
/// selection: pairs of relatives that share a surname and an address, which a soft EM drifts
/// towards, never reach it), smoothed toward the prior and floored. The prior (probability that two
/// random records match) is the fixed point `π = Σ P(match | γ; π) / N_pairs`, which stays
/// small on large files: a pair needs strong evidence to count as a match. Fixed rounds and
/// sorted patterns make it deterministic.
pub fn estimate_m_loo(
    model: &mut Model,
    patterns: &[(Gamma, f64)],
    total_pairs: f64,
    n_records: f64,
    blocking_pairs: f64,
) {
    let nf = model.fields.len();
    let prior_m: Vec<Vec<f64>> = model
        .fields
        .iter()
        .map(|f| f.levels.iter().map(|l| l.m).collect())
        .collect();
    let weights = |model: &Model| -> Vec<[f64; 8]> {
        model
            .fields
            .iter()
            .map(|f| {
                let mut w = [0.0; 8];
                for (k, l) in f.levels.iter().enumerate() {
                    w[k + 1] = l.weight();
                }
                w
            })
            .collect()
    };
    let sigmoid2 = |x: f64| 1.0 / (1.0 + (-x).exp2());
    let groups = group_ids(&model.fields);
    let identity: Vec<bool> = model
        .fields
        .iter()
        .map(|f| {
            !matches!(
                f.kind,
                FieldKind::Postcode | FieldKind::Address | FieldKind::Categorical
            )
        })
        .collect();
    let tp = total_pairs.max(1.0);
    let mut pi = (n_records * 0.05 / tp).clamp(1.0 / tp, 0.5);
    let update_pi = |model: &Model, pi: f64| -> f64 {
        let w = weights(model);
        let mut p = pi;
        for _ in 0..200 {
            let lp = logit2(p);
            let mut s = 0.0;
            for &(g, c) in patterns {
                let x = lp
                    + combine(
                        w.iter()
                            .enumerate()
                            .map(|(f, wf)| (groups[f], wf[gamma_level(g, f)])),
                    );
                s += c * sigmoid2(x);
            }
            let np = (s / tp).clamp(1.0 / tp, 0.5);
            if (np - p).abs() <= 1e-9 * p.max(1e-300) {
                p = np;
                break;
            }
            p = np;
        }
        p
    };
    pi = update_pi(model, pi);
    let mut rounds = 0;
    let mut converged = false;
    while rounds < 30 {
        rounds += 1;
        let w = weights(model);
        let lp = logit2(pi);
        let mut delta: f64 = 0.0;
        let mut new_m: Vec<Option<Vec<f64>>> = vec![None; nf];
        for f in 0..nf {
            if model.fields[f].fixed {
                continue;
            }
            let nl = model.fields[f].levels.len();
            // Pairs the other *identity* fields alone make near-certain matches (log2 odds >=
            // CONFIDENT). Location fields (postcode, address, categorical) are shared by
            // relatives and neighbours, so they do not select; they are used only when the
            // identity fields select too few pairs.
            let select = |use_location: bool| -> ([f64; 8], f64) {
                let mut c = [0.0f64; 8];
                let mut a = 0.0;
                for &(g, cnt) in patterns {
                    let lf = gamma_level(g, f);
                    if lf == 0 {
                        continue;
                    }
                    let x = lp
                        + combine(
                            w.iter()
                                .enumerate()
                                .filter(|(h, _)| {
                                    // Leave the field's whole group out: fields of one group
                                    // describe one fact (the full name contains the given
                                    // name), so they would select pairs on the field itself.
                                    *h != f
                                        && (groups[f] == 0 || groups[*h] != groups[f])
                                        && (use_location || identity[*h])
                                })
                                .map(|(h, wh)| (groups[h], wh[gamma_level(g, h)])),
                        );
                    if x >= CONFIDENT {
                        c[lf] += cnt;
                        a += cnt;
                    }
                }
                (c, a)
            };
            let (mut c, mut a) = select(false);
            if a < 30.0 {
                (c, a) = select(true);
            }
            if a <= 0.0 {
                continue;
            }
            const K: f64 = 2.0; // pseudo-count weight of the prior
            let mut m: Vec<f64> = (0..nl)
                .map(|k| (c[k + 1] + K * prior_m[f][k]) / (a + K))
                .map(|v| v.max(1e-4))
                .collect();
            let s: f64 = m.iter().sum();
            for v in &mut m {
                *v /= s;
            }
            // Anchor: in true matches a field disagrees outright at most half of the time (a
            // field that disagrees more often carries no identity information). Without this,
            // relatives sharing a surname and an address can become the "match" class.
            if m[nl - 1] > MAX_M_DIFFERENT {
                let rest: f64 = m[..nl - 1].iter().sum();
                let scale = (1.0 - MAX_M_DIFFERENT) / rest.max(1e-12);
                for v in &mut m[..nl - 1] {
                    *v *= scale;
                }
                m[nl - 1] = MAX_M_DIFFERENT;
            }
            for (mk, l) in m.iter().zip(&model.fields[f].levels) {
                delta = delta.max((mk - l.m).abs());
            }
            new_m[f] = Some(m);
        }
        for (f, m) in new_m.into_iter().enumerate() {
            if let Some(m) = m {
                for (l, v) in model.fields[f].levels.iter_mut().zip(m) {
                    l.m = v;
                }
            }
        }
        let np = update_pi(model, pi);
        delta = delta.max((np - pi).abs() / pi.max(1e-300) * 1e-3);
        pi = np;
        if delta < 1e-5 {
            converged = true;
            break;
        }
    }
    // Plausibility: exact agreement must favour a match and disagreement must not.
    let mut rejected = Vec::new();
    for (f, fm) in model.fields.iter_mut().enumerate() {
        if fm.fixed {
            continue;
        }
        let nl = fm.levels.len();
        if fm.levels[0].weight() <= 0.0 || fm.levels[nl - 1].weight() >= 0.0 {
            rejected.push(fm.name.clone());
            for (l, m0) in fm.levels.iter_mut().zip(&prior_m[f]) {
                l.m = *m0;
            }
            fm.fixed = true;
        }
    }
    model.prior = pi;
    let expected = pi * tp;
    model.report.em_iterations = rounds;
    model.report.em_converged = converged;
    model.report.candidate_match_share = expected / blocking_pairs.max(1.0);
    model.report.expected_matches = expected;
    model.report.candidate_pairs = blocking_pairs as u64;
    model.report.distinct_patterns = patterns.len() as u64;
    model.report.rejected_fields = rejected;
    model.report.method = "unsupervised: u from random pairs and value frequencies (fixed); m by leave-one-out EM on blocked pairs; prior by fixed point".into();
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

    /// Leave-one-out EM with u fixed recovers m and the prior from simulated comparison
    /// patterns (random pairs: a few matches among many non-matches, as in a large file).
    #[test]
    fn loo_em_recovers_known_m_and_prior() {
        let schema = Schema::from_toml(
            r#"
id = "id"
[[field]]
name = "a"
kind = "given_name"
[[field]]
name = "b"
kind = "id_number"
[[field]]
name = "c"
kind = "postcode"
[[field]]
name = "d"
kind = "date"
[[field]]
name = "e"
kind = "categorical"
[blocking]
rules = [["a"]]
"#,
        )
        .unwrap();
        let ds = Dataset::new(schema);
        let mut model = Model::skeleton(&ds);
        let true_m = [
            vec![0.85, 0.06, 0.04, 0.05],
            vec![0.8, 0.1, 0.1],
            vec![0.75, 0.05, 0.2],
            vec![0.85, 0.02, 0.05, 0.02, 0.03, 0.03],
            vec![0.9, 0.1],
        ];
        let true_u = [
            vec![0.01, 0.01, 0.03, 0.95],
            vec![0.001, 0.004, 0.995],
            vec![0.002, 0.02, 0.978],
            vec![0.0005, 0.0001, 0.004, 0.001, 0.02, 0.9744],
            vec![0.2, 0.8],
        ];
        let lambda = 1e-3;
        for (f, fm) in model.fields.iter_mut().enumerate() {
            for (k, l) in fm.levels.iter_mut().enumerate() {
                l.u = true_u[f][k];
            }
        }
        let n = 1e8;
        let dims: Vec<usize> = true_m.iter().map(|v| v.len()).collect();
        let total: usize = dims.iter().product();
        let mut patterns = Vec::new();
        for idx in 0..total {
            let mut r = idx;
            let mut g: Gamma = 0;
            let (mut pm, mut pu) = (lambda, 1.0 - lambda);
            for f in 0..dims.len() {
                let k = r % dims[f];
                r /= dims[f];
                g |= ((k + 1) as u64) << (f as u32 * BITS);
                pm *= true_m[f][k];
                pu *= true_u[f][k];
            }
            patterns.push((g, (pm + pu) * n));
        }
        estimate_m_loo(&mut model, &patterns, n, 1e4, n);
        assert!(
            model.report.rejected_fields.is_empty(),
            "{:?}",
            model.report
        );
        assert!(
            (model.prior - lambda).abs() < 0.1 * lambda,
            "prior {}",
            model.prior
        );
        for (f, fm) in model.fields.iter().enumerate() {
            for (k, l) in fm.levels.iter().enumerate() {
                assert!(
                    (l.m - true_m[f][k]).abs() < 0.03,
                    "field {f} level {k}: {} vs {}",
                    l.m,
                    true_m[f][k]
                );
            }
        }
    }

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
