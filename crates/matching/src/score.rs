//! The scorer: sums the prior and every feature's log-likelihood ratio (bits) into total log2 odds,
//! calibrates it into a probability, and records an [`Explanation`] (per feature: the two values
//! compared, the level reached, the weight) whose weights sum exactly to the total log odds.
//!
//! Knows identities, features and the model; knows nothing of indexes, files or lists.

use crate::features::{self, LevelOutcome, NameOutcome};
use crate::identity::Identity;
use crate::model::Model;
use crate::tf::TermFrequencies;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Which prior applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Context {
    /// A pair someone chose to compare (`match-names`).
    #[default]
    Pairs,
    /// A candidate from the screening index.
    Screening,
}

/// One evidence term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// `name`, `dob`, `nationality`, `place_of_birth`, `sex`, `document`, `biometric`, `contact`.
    pub feature: String,
    /// Comparison level reached (e.g. `exact`, `year`, `shorter_name_covered`).
    pub level: String,
    /// Value compared on side A.
    pub a: String,
    /// Value compared on side B.
    pub b: String,
    /// Log-likelihood ratio in bits (log2 m/u): > 0 is evidence for, < 0 against.
    pub weight: f64,
    /// Further detail (name token alignment), may be empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// Why a pair scored what it scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Prior log2 odds.
    pub prior: f64,
    pub terms: Vec<Term>,
    /// `prior + Σ terms.weight`.
    pub log2_odds: f64,
    /// Calibrated probability (a monotone function of `log2_odds`).
    pub probability: f64,
}

impl Explanation {
    /// Compact one-line text (for CSV):
    /// `name[all_parts_agree] "A"~"B" +21.3; dob[exact] 1981-03-07~1981-03-07 +11.8; prior -1.0 => 0.9999`.
    pub fn compact(&self) -> String {
        let mut s = String::new();
        for t in &self.terms {
            let _ = write!(
                s,
                "{}[{}] {}~{} {:+.1}",
                t.feature, t.level, t.a, t.b, t.weight
            );
            if !t.detail.is_empty() {
                let _ = write!(s, " ({})", t.detail);
            }
            s.push_str("; ");
        }
        let _ = write!(
            s,
            "prior {:+.1} => {:.1} bits, p={:.4}",
            self.prior, self.log2_odds, self.probability
        );
        s
    }

    /// Sum of the prior and the term weights (equals `log2_odds`).
    pub fn sum(&self) -> f64 {
        self.prior + self.terms.iter().map(|t| t.weight).sum::<f64>()
    }
}

/// A scored pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub probability: f64,
    pub log2_odds: f64,
    pub explanation: Explanation,
}

/// Scores identity pairs with a model and a term-frequency table.
#[derive(Debug, Clone)]
pub struct Scorer {
    model: Model,
    tf: TermFrequencies,
    name_levels: features::NameLevels,
    /// Every weight of the model resolved once into arrays indexed by level (the fast path).
    w: Weights,
}

/// The weights of the non-name features by level code (same values as
/// `Model::bits(feature, label)`); shared by the scorer and the screening bound (`bound.rs`).
#[derive(Debug, Clone, Copy)]
pub struct FieldWeights {
    pub dob: [f64; features::DOB_LEVEL_COUNT],
    pub nationality: [f64; 2],
    pub place_of_birth: [f64; 2],
    pub sex: [f64; 2],
    pub document: [f64; 4],
    pub biometric: [f64; 2],
    pub contact: [f64; 2],
}

impl FieldWeights {
    pub fn new(m: &Model) -> FieldWeights {
        fn table<const N: usize>(m: &Model, f: &str, labels: &[&str]) -> [f64; N] {
            let mut t = [0.0; N];
            for (w, l) in t.iter_mut().zip(labels) {
                *w = m.bits(f, l);
            }
            t
        }
        use features::{DOB_LEVELS, DOCUMENT_LEVELS, SAME_DIFFERENT};
        FieldWeights {
            dob: table(m, "dob", DOB_LEVELS),
            nationality: table(m, "nationality", SAME_DIFFERENT),
            place_of_birth: table(m, "place_of_birth", SAME_DIFFERENT),
            sex: table(m, "sex", SAME_DIFFERENT),
            document: table(m, "document", DOCUMENT_LEVELS),
            biometric: table(m, "biometric", SAME_DIFFERENT),
            contact: table(m, "contact", SAME_DIFFERENT),
        }
    }
}

/// The model's weights by level index, resolved once when the `Scorer` is built.
#[derive(Debug, Clone, Copy)]
struct Weights {
    name: features::NameTables,
    fields: FieldWeights,
}

impl Weights {
    fn new(m: &Model, levels: &features::NameLevels) -> Weights {
        Weights {
            name: features::NameTables::new(levels),
            fields: FieldWeights::new(m),
        }
    }
}

/// The raw outcome of every feature (no strings): what the fast path computes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    pub name: Option<NameOutcome>,
    pub dob: Option<LevelOutcome>,
    pub nationality: Option<LevelOutcome>,
    pub place_of_birth: Option<LevelOutcome>,
    pub sex: Option<LevelOutcome>,
    pub document: Option<LevelOutcome>,
    pub biometric: Option<LevelOutcome>,
    pub contact: Option<LevelOutcome>,
}

impl Default for Scorer {
    fn default() -> Self {
        Scorer::new(Model::default_model(), TermFrequencies::default_table())
    }
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "'"))
}

impl Scorer {
    pub fn new(model: Model, tf: TermFrequencies) -> Self {
        let name_levels = model.name_levels();
        let w = Weights::new(&model, &name_levels);
        Scorer {
            model,
            tf,
            name_levels,
            w,
        }
    }

    /// The non-name feature weights by level code.
    pub fn field_weights(&self) -> &FieldWeights {
        &self.w.fields
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn tf(&self) -> &TermFrequencies {
        &self.tf
    }

    /// Precompute in an identity what the fast path needs per name under this scorer's
    /// term-frequency table (see [`Identity::prepare_tf`]). Optional: results are the same
    /// without it, only slower.
    pub fn prepare(&self, id: &mut Identity) {
        id.prepare_tf(&self.tf);
    }

    pub fn prior(&self, ctx: Context) -> f64 {
        match ctx {
            Context::Pairs => self.model.prior.pairs_log2_odds,
            Context::Screening => self.model.prior.screening_log2_odds,
        }
    }

    /// Evaluate every feature (the fast path: prepared names, allocation-free alignment, weights
    /// from arrays). Exactly the same outcome as [`Self::outcome_reference`].
    pub fn outcome(&self, a: &Identity, b: &Identity) -> Outcome {
        warm_pair(a, b);
        self.outcome_into(a, b, None)
    }

    /// [`Self::outcome`], also keeping the winning name combination's aligned pairs (what the
    /// explanation shows) so that [`Self::score`] does not align it a second time.
    fn outcome_into(
        &self,
        a: &Identity,
        b: &Identity,
        winner: Option<&mut linkwatch_names::PairBuf>,
    ) -> Outcome {
        let m = &self.model;
        Outcome {
            name: features::best_names_fast_into(
                a,
                b,
                &self.tf,
                &m.name,
                &self.w.name,
                (m.calibration.a, m.calibration.b),
                winner,
            ),
            dob: features::dob_fast(a, b, &self.w.fields.dob),
            nationality: features::nationality(a, b),
            place_of_birth: features::place_of_birth(a, b),
            sex: features::sex(a, b),
            document: features::document(a, b),
            biometric: features::biometric(a, b),
            contact: features::contact(a, b),
        }
    }

    /// Evaluate every feature on the reference path (full allocating name comparisons, token
    /// rarities and level weights looked up by key and label). Slow; the yardstick the fast path
    /// is tested against.
    pub fn outcome_reference(&self, a: &Identity, b: &Identity) -> Outcome {
        let m = &self.model;
        Outcome {
            name: features::best_names(
                a,
                b,
                &self.tf,
                &m.name,
                &self.name_levels,
                (m.calibration.a, m.calibration.b),
            ),
            dob: features::dob(a, b, |l| m.bits("dob", l)),
            nationality: features::nationality(a, b),
            place_of_birth: features::place_of_birth(a, b),
            sex: features::sex(a, b),
            document: features::document(a, b),
            biometric: features::biometric(a, b),
            contact: features::contact(a, b),
        }
    }

    fn level_terms(o: &Outcome) -> [(&'static str, Option<LevelOutcome>); 7] {
        [
            ("dob", o.dob),
            ("nationality", o.nationality),
            ("place_of_birth", o.place_of_birth),
            ("sex", o.sex),
            ("document", o.document),
            ("biometric", o.biometric),
            ("contact", o.contact),
        ]
    }

    /// Total log2 odds of an outcome (prior included).
    pub fn log2_odds_of(&self, o: &Outcome, ctx: Context) -> f64 {
        let w = &self.w;
        let mut l = self.prior(ctx) + o.name.map(|n| n.bits).unwrap_or(0.0);
        let code = |lv: Option<LevelOutcome>| lv.map(|x| x.code as usize);
        // same order as the explanation's terms
        if let Some(c) = code(o.dob) {
            l += w.fields.dob[c];
        }
        if let Some(c) = code(o.nationality) {
            l += w.fields.nationality[c];
        }
        if let Some(c) = code(o.place_of_birth) {
            l += w.fields.place_of_birth[c];
        }
        if let Some(c) = code(o.sex) {
            l += w.fields.sex[c];
        }
        if let Some(c) = code(o.document) {
            l += w.fields.document[c];
        }
        if let Some(c) = code(o.biometric) {
            l += w.fields.biometric[c];
        }
        if let Some(c) = code(o.contact) {
            l += w.fields.contact[c];
        }
        l
    }

    /// Total log2 odds of an outcome with every weight looked up by label (reference path).
    pub fn log2_odds_of_reference(&self, o: &Outcome, ctx: Context) -> f64 {
        let mut l = self.prior(ctx) + o.name.map(|n| n.bits).unwrap_or(0.0);
        for (f, lv) in Self::level_terms(o) {
            if let Some(lv) = lv {
                l += self.model.bits(f, lv.level);
            }
        }
        l
    }

    /// Reference path: total log2 odds (see [`Self::outcome_reference`]).
    pub fn log2_odds_reference(&self, a: &Identity, b: &Identity, ctx: Context) -> f64 {
        self.log2_odds_of_reference(&self.outcome_reference(a, b), ctx)
    }

    /// Fast path: total log2 odds, no explanation.
    pub fn log2_odds(&self, a: &Identity, b: &Identity, ctx: Context) -> f64 {
        self.log2_odds_of(&self.outcome(a, b), ctx)
    }

    /// [`Self::log2_odds`] without loading the pair's memory first (the batch pipeline has
    /// loaded it already).
    fn log2_odds_loaded(&self, a: &Identity, b: &Identity, ctx: Context) -> f64 {
        self.log2_odds_of(&self.outcome_into(a, b, None), ctx)
    }

    /// Fast-path log2 odds of many pairs, in order (cleared `out` gets one value per pair): the
    /// same values as [`Self::log2_odds`] pair by pair. Pairs are scored in groups of
    /// [`WARM_GROUP`]; before a group is scored, one value of every cache line its identities'
    /// scoring reads is loaded (the identity, its names with their preparations and token
    /// records, dates of birth, nationalities), so that the group's memory misses overlap
    /// instead of stalling each pair in turn (one query against its candidates: the
    /// candidates are the misses). Allocation-free apart from `out`.
    pub fn log2_odds_many(
        &self,
        pairs: &[(&Identity, &Identity)],
        ctx: Context,
        out: &mut Vec<f64>,
    ) {
        out.clear();
        out.reserve(pairs.len());
        pipelined(pairs, |a, b| out.push(self.log2_odds_loaded(a, b, ctx)));
    }

    /// [`Self::outcome`] of many pairs, in order (cleared `out` gets one outcome per pair),
    /// through the same pipeline as [`Self::log2_odds_many`]: the same outcomes as pair by
    /// pair, for callers that also need the levels (a screener explaining its hits).
    pub fn outcome_many(&self, pairs: &[(&Identity, &Identity)], out: &mut Vec<Outcome>) {
        out.clear();
        out.reserve(pairs.len());
        pipelined(pairs, |a, b| out.push(self.outcome_into(a, b, None)));
    }

    /// Fast path: calibrated probability, no explanation.
    pub fn probability(&self, a: &Identity, b: &Identity, ctx: Context) -> f64 {
        self.model.probability(self.log2_odds(a, b, ctx))
    }

    /// Full score with explanation.
    pub fn score(&self, a: &Identity, b: &Identity, ctx: Context) -> Score {
        let mut pairs = linkwatch_names::PairBuf::default();
        warm_pair(a, b);
        let o = self.outcome_into(a, b, Some(&mut pairs));
        self.explain_with(a, b, &o, ctx, Some(&pairs))
    }

    /// Build the explanation of an outcome already computed.
    pub fn explain(&self, a: &Identity, b: &Identity, o: &Outcome, ctx: Context) -> Score {
        self.explain_with(a, b, o, ctx, None)
    }

    /// [`Self::explain`], with the winning name combination's aligned pairs when the caller
    /// kept them (else they are computed again: the same pairs).
    fn explain_with(
        &self,
        a: &Identity,
        b: &Identity,
        o: &Outcome,
        ctx: Context,
        name_pairs: Option<&linkwatch_names::PairBuf>,
    ) -> Score {
        let mut terms = Vec::with_capacity(4);
        if let Some(n) = o.name {
            let (na, nb) = (&a.names[n.ia], &b.names[n.ib]);
            terms.push(Term {
                feature: "name".into(),
                level: n.features.level().into(),
                a: q(&na.analyzed.original),
                b: q(&nb.analyzed.original),
                weight: n.bits,
                detail: self.name_detail(na, nb, &n, name_pairs),
            });
        }
        for (f, lv) in Self::level_terms(o) {
            let Some(lv) = lv else { continue };
            let (va, vb) = values(f, a, b, lv);
            terms.push(Term {
                feature: f.into(),
                level: lv.level.into(),
                a: va,
                b: vb,
                weight: self.model.bits(f, lv.level),
                detail: String::new(),
            });
        }
        let prior = self.prior(ctx);
        let log2_odds = prior + terms.iter().map(|t| t.weight).sum::<f64>();
        let probability = self.model.probability(log2_odds);
        Score {
            probability,
            log2_odds,
            explanation: Explanation {
                prior,
                terms,
                log2_odds,
                probability,
            },
        }
    }

    fn name_detail(
        &self,
        na: &crate::identity::IdName,
        nb: &crate::identity::IdName,
        n: &NameOutcome,
        pairs: Option<&linkwatch_names::PairBuf>,
    ) -> String {
        // The winning combination's alignment (kept by the outcome, or computed again on the
        // prepared path: same pairs, same order and the same rarities as compare_full and
        // token_bits would give).
        let (mut slot_a, mut slot_b) = (None, None);
        let ra = features::prep_of(na, &self.tf, &mut slot_a);
        let rb = features::prep_of(nb, &self.tf, &mut slot_b);
        let mut own = linkwatch_names::PairBuf::default();
        let buf = match pairs {
            Some(p) => p,
            None => {
                linkwatch_names::compare_prepared(
                    &na.analyzed,
                    &ra.side,
                    &nb.analyzed,
                    &rb.side,
                    Some(&mut own),
                );
                &own
            }
        };
        let p = &self.model.name;
        let parts = features::name_bits_parts_fast(&n.features, &self.w.name, p);
        let mut s = format!(
            "{} {:+.1}, {} {:+.1}, rarity/similarity {:+.1}",
            n.features.level(),
            parts.main + parts.long,
            n.features.family_level(),
            parts.family,
            parts.tf
        );
        if parts.info != 0.0 {
            let _ = write!(s, ", information {:+.1}", parts.info);
        }
        let c = self.model.calibration;
        let penalty = n.bits - (c.a * parts.total() + c.b);
        let _ = write!(s, ", calibrated x{:.2} {:+.2}", c.a, c.b);
        if penalty.abs() > 1e-9 {
            let _ = write!(s, ", weak alias {penalty:+.1}");
        }
        s.push_str(": ");
        for pair in buf.pairs() {
            let (Some(ta), Some(tb)) = (
                na.analyzed.tokens.get(pair.a),
                nb.analyzed.tokens.get(pair.b),
            ) else {
                continue;
            };
            let bits = features::pair_bits_prepared(ra, rb, pair.a, pair.b, p);
            if !s.ends_with(": ") {
                s.push_str(", ");
            }
            let _ = write!(
                s,
                "{}={} {} {:.1}b",
                ta.text,
                tb.text,
                pair.kind.label(),
                bits
            );
        }
        // non-particle tokens in no pair, as compare_full lists them
        let mut first = true;
        for (side_a, name) in [(true, &na.analyzed), (false, &nb.analyzed)] {
            for (i, t) in name.tokens.iter().enumerate() {
                let paired = buf
                    .pairs()
                    .iter()
                    .any(|q| if side_a { q.a == i } else { q.b == i });
                if t.role != linkwatch_names::PartRole::Particle && !paired {
                    s.push_str(if first { "; unmatched " } else { " " });
                    s.push_str(&t.text);
                    first = false;
                }
            }
        }
        s
    }
}

/// Pairs per group of [`Scorer::log2_odds_many`]: enough identities to keep many memory loads in
/// flight, few enough that the group's data stays in the first-level caches.
pub const WARM_GROUP: usize = 8;

/// Call `score` on every pair in order, in groups of [`WARM_GROUP`] pairs, as a software
/// pipeline: while group k is scored, the token records of group k+1, the names blocks of group
/// k+2 and the identities of group k+3 are loaded. Each stage's addresses come from data the
/// previous stage loaded one group earlier, so the loads of a stage are independent of each
/// other and overlap, instead of one dependent chain of misses per identity. The loads change
/// no result.
fn pipelined<'p>(
    pairs: &[(&'p Identity, &'p Identity)],
    mut score: impl FnMut(&'p Identity, &'p Identity),
) {
    let group = |k: usize| {
        let lo = (k * WARM_GROUP).min(pairs.len());
        &pairs[lo..(lo + WARM_GROUP).min(pairs.len())]
    };
    let groups = pairs.len().div_ceil(WARM_GROUP);
    // a side equal to the previous pair's (one query against its candidates) is touched once
    let stage = |k: usize, f: fn(&Identity) -> u64| -> u64 {
        let mut prev: Option<&Identity> = None;
        group(k).iter().fold(0, |acc, &(a, b)| {
            let same = prev.is_some_and(|p| std::ptr::eq(p, a));
            prev = Some(a);
            acc ^ if same { 0 } else { f(a) } ^ f(b)
        })
    };
    let mut acc = stage(0, touch_identity) ^ stage(1, touch_identity) ^ stage(2, touch_identity);
    acc ^= stage(0, touch_names) ^ stage(1, touch_names);
    acc ^= stage(0, touch_records);
    std::hint::black_box(acc);
    for k in 0..groups {
        let acc =
            stage(k + 3, touch_identity) ^ stage(k + 2, touch_names) ^ stage(k + 1, touch_records);
        std::hint::black_box(acc);
        for &(a, b) in group(k) {
            score(a, b);
        }
    }
}

/// Load the memory one pair's scoring reads before scoring it, stage by stage (identities,
/// names blocks, token records), both sides at once: the misses of a stage overlap instead
/// of being met one by one as the comparison reaches them. Changes no result.
#[inline]
fn warm_pair(a: &Identity, b: &Identity) {
    std::hint::black_box(touch_identity(a) ^ touch_identity(b));
    std::hint::black_box(touch_names(a) ^ touch_names(b));
    std::hint::black_box(touch_records(a) ^ touch_records(b));
}

/// Pipeline stage 1 of [`Scorer::log2_odds_many`]: one value of each cache line of the
/// identity itself (the result means nothing; loading is the point).
fn touch_identity(x: &Identity) -> u64 {
    x.names.len() as u64
        ^ x.sex as u64
        ^ x.dobs.len() as u64
        ^ x.nationalities.len() as u64
        ^ x.places_of_birth.len() as u64
        ^ x.documents.len() as u64
        ^ x.phones.len() as u64
        ^ x.emails.len() as u64
        ^ x.fingerprint_id.as_ref().map_or(0, |f| f.len() as u64)
}

/// Pipeline stage 2: the names block (every name's fields and inline preparation), the first
/// date of birth and nationality.
fn touch_names(x: &Identity) -> u64 {
    let mut acc = 0u64;
    if let Some(d) = x.dobs.first() {
        acc ^= match d {
            linkwatch_model::DateSpec::Date(p) => p.year as u64,
            linkwatch_model::DateSpec::Range { from, .. } => from.year as u64,
        };
    }
    // (the value itself: `Country::as_str` would validate UTF-8 on every call)
    std::hint::black_box(x.nationalities.first().copied());
    for n in &x.names {
        acc ^= n.family
            ^ n.particles
            ^ n.quality as u64
            ^ n.analyzed.tokens.len() as u64
            ^ n.analyzed.joins.len() as u64;
        if let Some(p) = &n.prep {
            acc ^= p.stamp ^ p.side.touch_inline() ^ p.rarity.len() as u64 ^ p.repeated;
            if let Some(r) = p.rarity.last() {
                acc ^= r.to_bits();
            }
        }
    }
    acc
}

/// Pipeline stage 3: the blocks the names' preparations point to (token records, overflow
/// equivalence groups).
fn touch_records(x: &Identity) -> u64 {
    x.names
        .iter()
        .filter_map(|n| n.prep.as_ref())
        .fold(0, |acc, p| acc ^ p.side.touch_records())
}

fn values(f: &str, a: &Identity, b: &Identity, lv: LevelOutcome) -> (String, String) {
    let (i, j) = (lv.ia, lv.ib);
    let list = |x: &Identity| -> String {
        match f {
            "dob" => x.dobs.iter().map(spec_str).collect::<Vec<_>>().join("|"),
            "nationality" => x
                .nationalities
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join("|"),
            "place_of_birth" => x.places_of_birth.join("|"),
            "document" => x
                .documents
                .iter()
                .map(|d| d.1.clone())
                .collect::<Vec<_>>()
                .join("|"),
            "contact" => x
                .phones
                .iter()
                .chain(&x.emails)
                .cloned()
                .collect::<Vec<_>>()
                .join("|"),
            _ => String::new(),
        }
    };
    let one = |x: &Identity, k: usize| -> Option<String> {
        match f {
            "dob" => x.dobs.get(k).map(spec_str),
            "nationality" => x.nationalities.get(k).map(|c| c.as_str().to_string()),
            "place_of_birth" => x.places_of_birth.get(k).cloned(),
            "document" => x.documents.get(k).map(|d| d.1.clone()),
            "contact" => x.phones.iter().chain(&x.emails).nth(k).cloned(),
            "sex" => Some(format!("{:?}", x.sex).to_lowercase()),
            "biometric" => x.fingerprint_id.clone(),
            _ => None,
        }
    };
    let agreeing = !matches!(lv.level, "different" | "far");
    if agreeing || matches!(f, "sex" | "biometric") {
        (one(a, i).unwrap_or_default(), one(b, j).unwrap_or_default())
    } else {
        (list(a), list(b))
    }
}

fn spec_str(d: &linkwatch_model::DateSpec) -> String {
    match d {
        linkwatch_model::DateSpec::Date(x) => x.to_string(),
        linkwatch_model::DateSpec::Range { from, to } => format!("{from}..{to}"),
    }
}
