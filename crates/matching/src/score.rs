//! The scorer: sums the prior and every feature's log-likelihood ratio (bits) into total log2 odds,
//! calibrates it into a probability, and records an [`Explanation`] (per feature: the two values
//! compared, the level reached, the weight) whose weights sum exactly to the total log odds.
//!
//! Knows identities, features and the model; knows nothing of indexes, files or lists.

use crate::features::{self, LevelOutcome, NameOutcome};
use crate::identity::Identity;
use crate::model::Model;
use crate::tf::TermFrequencies;
use linkwatch_names::compare::{LineVisitor, Prefetch};
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
    /// same values as [`Self::log2_odds`] pair by pair. While a pair is scored, the cache lines
    /// the next pairs' scoring reads (the identities, their names with their preparations and
    /// token records, dates of birth, nationalities) are requested with prefetch hints, a few
    /// pairs ahead (see [`AHEAD`]), so that their memory misses overlap the
    /// computation instead of stalling each pair in turn (one query against its candidates:
    /// the candidates are the misses). Allocation-free apart from `out`.
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

/// How many pairs ahead of the pair being scored [`Scorer::log2_odds_many`] asks for each
/// stage's lines (see [`pipelined`]): the identities, their names blocks, the preparations
/// inside those names, and the blocks the preparations point to. Each stage reads pointers
/// whose lines the stage before asked for one or two pairs (~1–2 µs) earlier, long enough for
/// a line to arrive from memory (~0.1 µs), and the pairs in flight are few enough that their
/// ~40 lines each stay in the second-level cache until they are scored. Alternated runs at
/// 4/3/2/1 … 12/8/6/4 pairs gave the same speed within the noise.
pub const AHEAD: [usize; 4] = [6, 4, 3, 2];
/// The deepest of [`AHEAD`] (a batch shorter than it never reaches the steady state).
pub const AHEAD_IDENTITY: usize = AHEAD[0];

/// One stage of [`pipelined`]: shows the lines of one side of a pair (`other` is the other side).
type Stage = fn(&Identity, &Identity, &mut Prefetch);

/// Call `score` on every pair in order, as a software pipeline: before pair k is scored, the
/// cache lines of pair k+6's identities, pair k+4's names blocks, pair k+3's name
/// preparations and pair k+2's token records are requested with prefetch hints
/// ([`linkwatch_names::compare::prefetch_l2`]; distances in [`AHEAD`]). A prefetch does not
/// wait for its line, so the next pairs' misses are in flight while this one is computed,
/// instead of each pair stalling on its own ~40 lines (demand loads, as [`warm_pair`]
/// issues, hold up the processor once its few first-level miss buffers or its reorder window
/// are full: session 7's pipeline of loads in groups of 8 pairs, 0.87 M pairs/CPU-s, against
/// 1.05–1.13 M with hints). No stage reads a line that it requests itself: the names stage
/// shows the `IdName` fields outside the optional preparation, and the preparation stage,
/// one pair later, reads whether it is there. A side equal to the previous pair's (one
/// query against its candidates) is requested once. The hints change no result.
fn pipelined<'p>(
    pairs: &[(&'p Identity, &'p Identity)],
    mut score: impl FnMut(&'p Identity, &'p Identity),
) {
    const STAGES: [Stage; 4] = [
        visit_identity,
        visit_names,
        visit_preparations,
        visit_records,
    ];
    let stage = |k: usize, f: Stage| {
        if let Some(&(a, b)) = pairs.get(k) {
            if k == 0 || !std::ptr::eq(pairs[k - 1].0, a) {
                f(a, b, &mut Prefetch);
            }
            f(b, a, &mut Prefetch);
        }
    };
    // the first pairs: every stage as far as it goes (the later stages of the very first
    // pairs read lines still on their way, and wait for them)
    for (&ahead, &f) in AHEAD.iter().zip(&STAGES) {
        for k in 0..ahead {
            stage(k, f);
        }
    }
    for (k, &(a, b)) in pairs.iter().enumerate() {
        for (&ahead, &f) in AHEAD.iter().zip(&STAGES) {
            stage(k + ahead, f);
        }
        score(a, b);
    }
}

/// Stage 1 of [`pipelined`]: one field of each cache line of the identity itself.
#[inline]
fn visit_identity<V: LineVisitor>(x: &Identity, _other: &Identity, v: &mut V) {
    v.visit(&x.kind);
    v.visit(&x.names);
    v.visit(&x.sex);
    v.visit(&x.dobs);
    v.visit(&x.nationalities);
    v.visit(&x.places_of_birth);
    v.visit(&x.documents);
    v.visit(&x.fingerprint_id);
    v.visit(&x.phones);
    v.visit(&x.emails);
}

/// The first and last element of `s` (the lines of a short block).
#[inline]
fn visit_ends<T, V: LineVisitor>(s: &[T], v: &mut V) {
    if let (Some(f), Some(l)) = (s.first(), s.last()) {
        v.visit(f);
        v.visit(l);
    }
}

/// Stage 2: the dates of birth, nationalities, the documents list when the other side has
/// documents too (what `features::document` then reads), and every `IdName`'s fields outside
/// its optional preparation (reading whether the preparation is there would wait for the
/// line just requested).
#[inline]
fn visit_names<V: LineVisitor>(x: &Identity, other: &Identity, v: &mut V) {
    visit_ends(&x.dobs, v);
    visit_ends(&x.nationalities, v);
    if !other.documents.is_empty() {
        visit_ends(&x.documents, v);
    }
    for n in &x.names {
        let a = &n.analyzed;
        v.visit(&a.original);
        v.visit(&a.tokens);
        v.visit(&a.joins);
        v.visit(&a.titles);
        v.visit(&n.quality);
        v.visit(&n.family);
        v.visit(&n.particles);
        v.visit(&n.prep);
    }
}

/// Stage 3: every name's inline preparation (`IdName`'s remaining lines; with stage 2, all
/// five, checked by `every_line_of_an_id_name_is_requested`).
#[inline]
fn visit_preparations<V: LineVisitor>(x: &Identity, _other: &Identity, v: &mut V) {
    for p in x.names.iter().filter_map(|n| n.prep.as_ref()) {
        v.visit(&p.stamp);
        v.visit(&p.rarity);
        v.visit(&p.repeated);
        p.side.visit_inline(v);
    }
}

/// Stage 4: the blocks the names' preparations point to (token records, overflow
/// equivalence groups, rarities of names of five tokens or more) and the document numbers'
/// first bytes when the other side has documents.
#[inline]
fn visit_records<V: LineVisitor>(x: &Identity, other: &Identity, v: &mut V) {
    for p in x.names.iter().filter_map(|n| n.prep.as_ref()) {
        p.side.visit_records(v);
        if p.rarity.spilled() {
            visit_ends(&p.rarity, v);
        }
    }
    if !other.documents.is_empty() {
        for (_, d) in &x.documents {
            if let Some(c) = d.as_bytes().first() {
                v.visit(c);
            }
        }
    }
}

/// Load the memory one pair's scoring reads before scoring it, stage by stage (identities,
/// names blocks, token records), both sides at once: the misses of a stage overlap instead
/// of being met one by one as the comparison reaches them. The identities and names blocks
/// are loaded (the next stage needs their pointers); the token records, read last, are only
/// requested ([`visit_records`] with prefetch hints), so that the comparison starts on what
/// has arrived while they come (+5% pair by pair against loading them too). Changes no
/// result.
#[inline]
fn warm_pair(a: &Identity, b: &Identity) {
    std::hint::black_box(touch_identity(a) ^ touch_identity(b));
    std::hint::black_box(touch_names(a) ^ touch_names(b));
    visit_records(a, b, &mut Prefetch);
    visit_records(b, a, &mut Prefetch);
}

/// Stage 1 of [`warm_pair`] (one pair, no next pair to overlap with: loads, which the
/// stages after it need to have arrived): one value of each cache line of the identity
/// itself (the result means nothing; loading is the point).
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

/// Stage 2 of [`warm_pair`]: the names block (every name's fields and inline preparation),
/// the first date of birth and nationality.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the cache line (address / 64) of every field it is shown.
    struct Lines(Vec<usize>);

    impl LineVisitor for Lines {
        fn visit<T>(&mut self, x: &T) {
            self.0.push(x as *const T as usize / 64);
        }
    }

    /// The lines `[start, start + size)` spans.
    fn span(start: usize, size: usize) -> Vec<usize> {
        (start / 64..=(start + size - 1) / 64).collect()
    }

    /// The pipeline requests every cache line of the identity and of each `IdName` (whose
    /// fields the compiler places as it likes: a layout change that left a line out fails
    /// here).
    #[test]
    fn every_line_of_an_id_name_is_requested() {
        let s = Scorer::default();
        let mut id = Identity::from_parts(
            "Abdulla Rustamovich KARIMOV",
            None,
            None,
            linkwatch_model::Sex::Male,
        );
        id.add_name("Karimov Abdulla", linkwatch_model::NameQuality::Weak);
        s.prepare(&mut id);
        // identities side by side in a vector: their starts fall at different offsets within
        // a line
        let ids = vec![id; 16];
        let mut seen = Lines(Vec::new());
        let mut want = Vec::new();
        for x in &ids {
            visit_identity(x, x, &mut seen);
            visit_names(x, x, &mut seen);
            visit_preparations(x, x, &mut seen);
            want.extend(span(
                x as *const Identity as usize,
                std::mem::size_of::<Identity>(),
            ));
            for n in &x.names {
                want.extend(span(
                    n as *const crate::identity::IdName as usize,
                    std::mem::size_of::<crate::identity::IdName>(),
                ));
            }
        }
        let missing: Vec<usize> = want.into_iter().filter(|l| !seen.0.contains(l)).collect();
        assert!(missing.is_empty(), "lines never requested: {missing:?}");
    }
}
