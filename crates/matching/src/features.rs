//! Feature comparisons: each compares one attribute of two identities and returns the comparison
//! LEVEL it reached plus which values were compared (indices), or `None` when either side lacks
//! the attribute (missing evidence is neutral). Names yield a vector of evidence measurements that
//! the model's name coefficients turn into bits.
//!
//! Knows identities and the name analyser's comparison; knows no weights except through
//! [`crate::model::NameParams`] for names.

use crate::identity::{IdName, Identity, NamePrep};
use crate::model::NameParams;
use crate::tf::TermFrequencies;
use linkwatch_model::{DateSpec, NameQuality, PartialDate, Precision};
use linkwatch_names::{
    AlignedPair, NameComparison, PairBuf, PartRole, TokenMatchKind, TokenWeights,
};
use smallvec::SmallVec;

fn bit(mask: u64, i: usize) -> bool {
    i < 64 && mask & (1 << i) != 0
}

/// The set bits of `m`, lowest first.
fn mask_bits(mut m: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let i = m.trailing_zeros() as usize;
            m &= m - 1;
            i
        })
    })
}

/// Measurements of name agreement between two analysed names (inputs of the name model).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NameFeatures {
    /// Σ rarity bits of exactly equal aligned tokens.
    pub exact: f64,
    /// Σ rarity bits of tokens equal through an equivalence table (cross-script, spelling) or
    /// the same phonetic key.
    pub equivalent: f64,
    /// Σ rarity bits of tokens with the same consonant skeleton.
    pub skeleton: f64,
    /// Σ rarity bits × similarity of fuzzy-aligned tokens.
    pub fuzzy: f64,
    /// Number of initials agreeing with a full token.
    pub initial: f64,
    /// Overall similarity from the analyser, `[0, 1]`.
    pub similarity: f64,
    /// Unaligned tokens on the side with fewer tokens.
    pub unmatched_short: f64,
    /// Unaligned tokens on the side with more tokens.
    pub unmatched_long: f64,
    /// 1 when the shorter name is entirely aligned.
    pub covered: f64,
    /// 1 when nothing aligns.
    pub none: f64,
    /// 1 when both names mark a family name and a family token of each is aligned with the other.
    pub family_agree: f64,
    /// 1 when both names mark a family name and no family token aligns with a family token.
    pub family_disagree: f64,
    /// Σ rarity bits of the unaligned tokens of the shorter name.
    pub unmatched_short_bits: f64,
    /// Share of the shorter name's tokens that are aligned, `[0, 1]`.
    pub matched_fraction: f64,
    /// Number of aligned full tokens (initials excluded) beyond the first.
    pub extra_matches: f64,
    /// Aligned pairs that are exact, equivalent or phonetically equal.
    pub strong: u8,
    /// Aligned pairs that are skeleton, fuzzy or initial agreements.
    pub weak: u8,
    /// Σ rarity bits of strongly aligned tokens.
    pub strong_bits: f64,
    /// Which sides the family marks were found on: 0 none, 1 both agree, 2 both disagree.
    pub family: u8,
    /// Leading given names (analyser's view): 0 unknown, 1 agree, 2 both unmatched.
    pub lead: u8,
}

impl NameFeatures {
    /// As a vector, in the order of [`NAME_FEATURE_NAMES`].
    pub fn to_vec(&self) -> [f64; NAME_FEATURES] {
        [
            self.exact,
            self.equivalent,
            self.skeleton,
            self.fuzzy,
            self.initial,
            self.similarity,
            self.unmatched_short,
            self.unmatched_long,
            self.covered,
            self.none,
            self.family_agree,
            self.family_disagree,
            self.unmatched_short_bits,
            self.matched_fraction,
            self.extra_matches,
        ]
    }

    /// Joint level: agreement of the shorter name's parts and the longer name's leftovers
    /// (`"all_strong_2/1"`: two strong agreements cover the shorter name, one part left over).
    pub fn level(&self) -> &'static str {
        NAME_LEVELS[self.level_index()]
    }

    /// Index of [`Self::level`] in [`NAME_LEVELS`].
    #[inline]
    pub fn level_index(&self) -> usize {
        let j = (self.unmatched_long as usize).min(2);
        self.main_level_index() * 3 + j
    }

    /// Level of agreement of the shorter name's parts.
    pub fn main_level(&self) -> &'static str {
        NAME_MAIN_LEVELS[self.main_level_index()]
    }

    /// Index of [`Self::main_level`] in [`NAME_MAIN_LEVELS`].
    #[inline]
    pub fn main_level_index(&self) -> usize {
        let (s, w, u) = (self.strong, self.weak, self.unmatched_short as u32);
        if s == 0 && w == 0 {
            return 17; // none (the rare single-part levels follow it)
        }
        // Two or more parts agree, one part of the shorter name does not: the leading given
        // names tell an alias (`MUTHANNA HARITH SALMAN AL-DARI` ~ `Muthanna Harith al-Dari
        // al-Zowbai`) from a sibling or cousin (`Raul PAYAN MERAZ` ~ `Juana PAYAN MERAZ`).
        let lead_differs = self.lead == 2;
        // One part agrees: a rare part (a name fewer than one in 2^RARE_PART_BITS names
        // carries) is far stronger evidence than a common one (`YAKUTUMBA` vs `Muhammad`).
        let rare = s == 1 && self.strong_bits >= RARE_PART_BITS;
        match (u, s, w) {
            (0, 3.., 0) => 0,                 // all_strong_3
            (0, 2, 0) => 1,                   // all_strong_2
            (0, 1, 0) if rare => 18,          // all_strong_1_rare
            (0, 1, 0) => 2,                   // all_strong_1
            (0, 2.., _) => 3,                 // covered_mixed_2
            (0, 1, _) => 4,                   // covered_mixed_1
            (0, 0, _) => 5,                   // covered_weak
            (1, 3.., _) if lead_differs => 7, // one_missing_strong_3+_lead_differs
            (1, 3.., _) => 6,                 // one_missing_strong_3+
            (1, 2, _) if lead_differs => 9,   // one_missing_strong_2_lead_differs
            (1, 2, _) => 8,                   // one_missing_strong_2
            (1, 1, 1..) => 10,                // one_missing_mixed
            (1, 1, 0) if rare => 19,          // one_missing_strong_1_rare
            (1, 1, 0) => 11,                  // one_missing_strong_1
            (1, 0, _) => 12,                  // one_missing_weak
            (_, 2.., _) => 13,                // partial_strong_2
            (_, 1, 1..) => 14,                // partial_mixed
            (_, 1, 0) if rare => 20,          // partial_strong_1_rare
            (_, 1, 0) => 15,                  // partial_strong_1
            _ => 16,                          // partial_weak
        }
    }

    /// Level of the longer name's leftover parts.
    pub fn long_level(&self) -> &'static str {
        NAME_LONG_LEVELS[self.long_level_index()]
    }

    /// Index of [`Self::long_level`] in [`NAME_LONG_LEVELS`].
    #[inline]
    pub fn long_level_index(&self) -> usize {
        (self.unmatched_long as u32).min(3) as usize
    }

    /// Level of the family-name and leading-given-name agreement (`family/lead`).
    pub fn family_level(&self) -> &'static str {
        NAME_FAMILY_LEVELS[self.family_level_index()]
    }

    /// Index of [`Self::family_level`] in [`NAME_FAMILY_LEVELS`].
    #[inline]
    pub fn family_level_index(&self) -> usize {
        // The leading given name counts inside the joint level (where it is informative),
        // not again here; except that an agreeing family name beside differing leading given
        // names (siblings, cousins: `Raul PAYAN MERAZ` ~ `Juana PAYAN MERAZ`) has its own row
        // (`family_agree/lead_disagree`): the joint level already counts the surname among the
        // agreeing parts.
        if self.family == 1 && self.lead == 2 {
            return 5;
        }
        (self.family.min(2) as usize) * 3
    }
}

/// Number of name measurements.
pub const NAME_FEATURES: usize = 15;

/// Names of the entries of [`NameFeatures::to_vec`].
pub const NAME_FEATURE_NAMES: [&str; NAME_FEATURES] = [
    "exact",
    "equivalent",
    "skeleton",
    "fuzzy",
    "initial",
    "similarity",
    "unmatched_short",
    "unmatched_long",
    "covered",
    "none",
    "family_agree",
    "family_disagree",
    "unmatched_short_bits",
    "matched_fraction",
    "extra_matches",
];

/// Rarity of a token in bits, clamped.
pub fn token_bits(tf: &TermFrequencies, p: &NameParams, a: &str, b: &str) -> f64 {
    let f = tf.frequency(a).max(tf.frequency(b));
    (-f.log2()).clamp(p.min_token_bits, p.max_token_bits)
}

/// Measure name agreement from an analyser comparison (the reference path: rarities looked up in
/// `tf` by token key).
pub fn name_features(
    na: &IdName,
    nb: &IdName,
    cmp: &NameComparison,
    tf: &TermFrequencies,
    p: &NameParams,
) -> NameFeatures {
    let (a, b) = (&na.analyzed, &nb.analyzed);
    measure(
        na,
        nb,
        &cmp.pairs,
        cmp.similarity,
        (lead_token(na), lead_token(nb)),
        None,
        |i, j| match (a.tokens.get(i), b.tokens.get(j)) {
            (Some(ta), Some(tb)) => token_bits(tf, p, &ta.key, &tb.key),
            _ => 0.0,
        },
        |i| {
            let t = &a.tokens[i];
            token_bits(tf, p, &t.key, &t.key)
        },
        |j| {
            let t = &b.tokens[j];
            token_bits(tf, p, &t.key, &t.key)
        },
    )
}

/// [`name_features`] from the aligned pairs of [`linkwatch_names::compare_prepared`] and the
/// rarities cached in each name's [`NamePrep`] (no look-up, no allocation). Gives exactly the
/// same features as [`name_features`] when the preparations were built with the same table.
pub fn name_features_prepared(
    na: &IdName,
    nb: &IdName,
    pairs: &[AlignedPair],
    similarity: f32,
    ra: &NamePrep,
    rb: &NamePrep,
    p: &NameParams,
) -> NameFeatures {
    let clamp = |x: f64| x.clamp(p.min_token_bits, p.max_token_bits);
    measure(
        na,
        nb,
        pairs,
        similarity,
        (
            lead_token_prepared(na, ra.side.role_skip()),
            lead_token_prepared(nb, rb.side.role_skip()),
        ),
        Some((ra.repeated, rb.repeated)),
        |i, j| pair_bits_prepared(ra, rb, i, j, p),
        |i| clamp(ra.rarity[i]),
        |j| clamp(rb.rarity[j]),
    )
}

/// [`token_bits`] of token `i` of one name and token `j` of the other from their
/// preparations (0 for an index out of range): `-log2` of the larger frequency is the smaller
/// of the two `-log2`. The same value: a term-frequency table's frequencies are
/// `max(count, 0.5) / total` (at most 1), so two different ones differ by a factor of at least
/// `1 + 1/(2·total)`, and their `-log2` by far more than the rounding of `log2`: the order of
/// the logs is the order of the frequencies, and equal frequencies have equal logs.
#[inline]
pub fn pair_bits_prepared(ra: &NamePrep, rb: &NamePrep, i: usize, j: usize, p: &NameParams) -> f64 {
    match (ra.rarity.get(i), rb.rarity.get(j)) {
        (Some(&la), Some(&lb)) => la.min(lb).clamp(p.min_token_bits, p.max_token_bits),
        _ => 0.0,
    }
}

/// The name measurements, given the aligned pairs (sorted by `(a, b)`), the analyser's
/// similarity, each side's leading given name ([`lead_token`]), optionally each side's
/// [`crate::identity::repeated_keys`] (else looked up in the tokens) and the rarity in bits of an
/// aligned pair `(i, j)` and of an unaligned token of each side (only called with valid token
/// indices). Allocation-free.
#[allow(clippy::too_many_arguments)]
fn measure(
    na: &IdName,
    nb: &IdName,
    pairs: &[AlignedPair],
    similarity: f32,
    leads: (Option<Lead>, Option<Lead>),
    repeated: Option<(u64, u64)>,
    pair_bits: impl Fn(usize, usize) -> f64,
    bits_a: impl Fn(usize) -> f64,
    bits_b: impl Fn(usize) -> f64,
) -> NameFeatures {
    let (a, b) = (&na.analyzed, &nb.analyzed);
    let mut f = NameFeatures {
        similarity: similarity.clamp(0.0, 1.0) as f64,
        ..Default::default()
    };
    // An initial standing for one side's leading given name while the other side's own
    // leading given name is not aligned by a written-out part (`Abeni O.` ~ `Oluwole A.`,
    // `Sa'ad` ~ `Leila N. S.`): the initial of a relative (father, grandfather, spouse), not
    // the same name. Not counted as aligned.
    let (lx, ly) = (leads.0.map(|l| l.0), leads.1.map(|l| l.0));
    let written = |on_a: bool, i: usize| {
        pairs
            .iter()
            .any(|p| p.kind != TokenMatchKind::Initial && if on_a { p.a == i } else { p.b == i })
    };
    let shifted_initial = |p: &AlignedPair| match (p.kind, lx, ly) {
        (TokenMatchKind::Initial, Some(x), Some(y)) => {
            (p.a == x && !written(false, y)) || (p.b == y && !written(true, x))
        }
        _ => false,
    };
    let mut fam_aligned = false;
    for pair in pairs {
        if pair.a >= a.tokens.len() || pair.b >= b.tokens.len() || shifted_initial(pair) {
            continue;
        }
        if bit(na.family, pair.a) && bit(nb.family, pair.b) {
            fam_aligned = true;
        }
        // Particles (al, bin, abu, de...) neither agree nor disagree.
        if bit(na.particles, pair.a) || bit(nb.particles, pair.b) {
            continue;
        }
        let bits = pair_bits(pair.a, pair.b);
        if pair.kind != TokenMatchKind::Initial {
            f.extra_matches += 1.0;
        }
        if matches!(
            pair.kind,
            TokenMatchKind::Exact | TokenMatchKind::Equivalent | TokenMatchKind::Phonetic
        ) {
            f.strong = f.strong.saturating_add(1);
            f.strong_bits += bits;
        } else {
            f.weak = f.weak.saturating_add(1);
        }
        match pair.kind {
            TokenMatchKind::Exact => f.exact += bits,
            TokenMatchKind::Equivalent | TokenMatchKind::Phonetic => f.equivalent += bits,
            TokenMatchKind::Skeleton => f.skeleton += bits,
            TokenMatchKind::Fuzzy => f.fuzzy += bits * pair.similarity.clamp(0.0, 1.0) as f64,
            TokenMatchKind::Initial => f.initial += 1.0,
        }
    }
    f.extra_matches = (f.extra_matches - 1.0).max(0.0);
    // Unaligned tokens, counted here (not from the analyser's lists) so that both orders of a
    // pair agree on what is a particle.
    let mut aligned_a = 0u64;
    let mut aligned_b = 0u64;
    for pair in pairs.iter().filter(|p| !shifted_initial(p)) {
        if pair.a < 64 {
            aligned_a |= 1 << pair.a;
        }
        if pair.b < 64 {
            aligned_b |= 1 << pair.b;
        }
    }
    let unaligned = |n: usize, aligned: u64, particles: u64| -> u64 {
        let all = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
        all & !aligned & !particles
    };
    let un_a = unaligned(a.tokens.len(), aligned_a, na.particles);
    let un_b = unaligned(b.tokens.len(), aligned_b, nb.particles);
    let (ua, ub) = (un_a.count_ones() as f64, un_b.count_ones() as f64);
    let (la, lb) = (
        a.tokens.len() - na.particles.count_ones() as usize,
        b.tokens.len() - nb.particles.count_ones() as usize,
    );
    let a_short = la <= lb;
    let (short, long) = if la == lb {
        (ua.min(ub), ua.max(ub))
    } else if a_short {
        (ua, ub)
    } else {
        (ub, ua)
    };
    f.unmatched_short = short;
    f.unmatched_long = long;
    // Σ rarity of the shorter name's unaligned tokens, in token order.
    let sum: f64 = if (la == lb && ua <= ub) || (la != lb && a_short) {
        mask_bits(un_a).map(bits_a).sum()
    } else {
        mask_bits(un_b).map(bits_b).sum()
    };
    f.unmatched_short_bits = sum;
    let n_short = la.min(lb).max(1) as f64;
    f.matched_fraction = ((n_short - short) / n_short).clamp(0.0, 1.0);
    if na.family != 0 && nb.family != 0 {
        if fam_aligned {
            f.family_agree = 1.0;
            f.family = 1;
        } else {
            f.family_disagree = 1.0;
            f.family = 2;
        }
    }
    // Leading given names: the first core token of each side that is neither a family name nor
    // an initial. Either one aligned: the names agree on who the person is called; both
    // unaligned while other parts agree: the pattern of siblings and cousins (`Raul PAYAN
    // MERAZ` ~ `Juana PAYAN MERAZ`, Arabic nasab shared by brothers).
    if let (Some((x, xs)), Some((y, ys))) = leads {
        let to_each_other = pairs.iter().any(|q| q.a == x && q.b == y);
        // one lead aligned, the other left over: a shifted nasab (son, brother) when the
        // alignment keeps the order of the parts; a reordered alias when it crosses
        // (ignoring parts written twice in one name, whose pairing is a tie: `Ibrahim Sabawi
        // Ibrahim Hasan`)
        let one = bit(aligned_a, x) != bit(aligned_b, y);
        let twice = |n: &linkwatch_names::AnalyzedName, mask: Option<u64>, i: usize| match mask {
            Some(m) if i < 64 => m & (1 << i) != 0,
            _ => {
                let k = &n.tokens[i].key;
                n.tokens.iter().filter(|t| &t.key == k).count() > 1
            }
        };
        let (rep_a, rep_b) = (repeated.map(|r| r.0), repeated.map(|r| r.1));
        let firm = |p: &&AlignedPair| {
            !shifted_initial(p)
                && p.a < a.tokens.len()
                && p.b < b.tokens.len()
                && !twice(a, rep_a, p.a)
                && !twice(b, rep_b, p.b)
        };
        let crossing = one
            && pairs.iter().filter(firm).any(|p| {
                pairs
                    .iter()
                    .filter(firm)
                    .any(|q| (p.a < q.a && p.b > q.b) || (p.a > q.a && p.b < q.b))
            });
        f.lead = if to_each_other || (bit(aligned_a, x) && bit(aligned_b, y)) || crossing {
            1
        } else {
            2
        };
        // Two one-syllable given parts in a row are one given name (Korean, Chinese: `Kyong
        // Nam`, `Song Un`; also `Jean Marc`): when both names have one, sharing one of its
        // syllables is not sharing the given name (`Song Un RI` ~ `Song Chol RI`, siblings
        // with a generation syllable), unless all four syllables are aligned.
        if let (1, Some(xs), Some(ys)) = (f.lead, xs, ys) {
            let all =
                bit(aligned_a, x) && bit(aligned_a, xs) && bit(aligned_b, y) && bit(aligned_b, ys);
            if !all
                && one_syllable(&a.tokens[x].key)
                && one_syllable(&a.tokens[xs].key)
                && one_syllable(&b.tokens[y].key)
                && one_syllable(&b.tokens[ys].key)
            {
                f.lead = 2;
            }
        }
    }
    if f.strong == 0 && f.weak == 0 {
        f.none = 1.0;
    } else if short == 0.0 {
        f.covered = 1.0;
    }
    f
}

/// A name's leading given name and the given name written right after it ([`lead_token`]).
type Lead = (usize, Option<usize>);

/// Whether a phonetic key is one short syllable: one group of vowels in at most six letters
/// (`kiung`, `un`, `cul`, `hsiang`, `i` for `Yi`; not `ali`, `muhamad`).
pub fn one_syllable(key: &str) -> bool {
    linkwatch_names::compare::one_vowel_group(key.as_bytes(), 6)
}

/// A name's leading given name: the index of its first token that is not a particle, a family
/// name (marked or by role) or an initial, and the index of the part written right after it
/// (particles skipped) when that part is a given name too (neither a family name nor an
/// initial): the second half of a compound given name (`Kyong Nam KIM`, `Jean Marc`) when both
/// are one syllable ([`one_syllable`]). `None` when there is none (or beyond 64 tokens).
fn lead_token(n: &IdName) -> Option<Lead> {
    let toks = &n.analyzed.tokens[..n.analyzed.tokens.len().min(64)];
    let free = |i: usize, t: &linkwatch_names::Token| {
        !bit(n.particles, i)
            && !bit(n.family, i)
            && !matches!(
                t.role,
                PartRole::Family | PartRole::Initial | PartRole::Particle
            )
    };
    let x = toks.iter().enumerate().position(|(i, t)| free(i, t))?;
    // the next token that is not a particle: a role particle is in `n.particles` (see
    // [`crate::identity::particle_mask`]) unless every token is one, and then there is no lead
    let next = toks
        .iter()
        .enumerate()
        .skip(x + 1)
        .find(|(i, _)| !bit(n.particles, *i));
    Some((x, next.filter(|(i, t)| free(*i, t)).map(|(i, _)| i)))
}

/// [`lead_token`] from the name's role bit set kept by its preparation
/// ([`linkwatch_names::PreparedName::role_skip`]): the same indices, without reading the
/// tokens.
#[inline]
fn lead_token_prepared(n: &IdName, role_skip: u64) -> Option<Lead> {
    let len = n.analyzed.tokens.len().min(64);
    let valid = if len >= 64 {
        u64::MAX
    } else {
        (1u64 << len) - 1
    };
    let free = valid & !(n.particles | n.family | role_skip);
    if free == 0 {
        return None;
    }
    let x = free.trailing_zeros() as usize;
    // the next token that is not a particle, among the first 64
    let after = if x >= 63 {
        0
    } else {
        valid & !((2u64 << x) - 1)
    };
    let next = after & !n.particles;
    let second = (next != 0)
        .then(|| next.trailing_zeros() as usize)
        .filter(|&i| bit(free, i));
    Some((x, second))
}

/// Weights (bits) of the three name level tables, looked up by level label.
#[derive(Debug, Clone, Default)]
pub struct NameLevels {
    pub main: Vec<(&'static str, f64)>,
    pub long: Vec<(&'static str, f64)>,
    pub family: Vec<(&'static str, f64)>,
}

/// The name level weights as arrays indexed by level (see [`NameFeatures::level_index`]),
/// resolved once from [`NameLevels`] when the scorer is built: the fast path's form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NameTables {
    pub main: [f64; NAME_LEVEL_COUNT],
    pub long: [f64; 4],
    pub family: [f64; 9],
}

impl NameTables {
    /// Resolve every label of [`NAME_LEVELS`], [`NAME_LONG_LEVELS`], [`NAME_FAMILY_LEVELS`]
    /// (absent labels weigh 0, as in the label look-up).
    pub fn new(levels: &NameLevels) -> NameTables {
        let mut t = NameTables {
            main: [0.0; NAME_LEVEL_COUNT],
            long: [0.0; 4],
            family: [0.0; 9],
        };
        for (w, l) in t.main.iter_mut().zip(NAME_LEVELS) {
            *w = lookup(&levels.main, l);
        }
        for (w, l) in t.long.iter_mut().zip(NAME_LONG_LEVELS) {
            *w = lookup(&levels.long, l);
        }
        for (w, l) in t.family.iter_mut().zip(NAME_FAMILY_LEVELS) {
            *w = lookup(&levels.family, l);
        }
        t
    }
}

/// Rarity (bits, `-log2` frequency) from which a single agreeing part makes the `*_1_rare`
/// levels: fewer than one name in 2^12.5 (~5,800) carries it.
pub const RARE_PART_BITS: f64 = 12.5;

/// Number of joint name levels ([`NAME_LEVELS`]): 21 main levels × 3 leftover counts.
pub const NAME_LEVEL_COUNT: usize = 63;

/// Every label of the joint name level (main level / parts left over on the longer name).
pub const NAME_LEVELS: &[&str; NAME_LEVEL_COUNT] = &[
    "all_strong_3/0",
    "all_strong_3/1",
    "all_strong_3/2+",
    "all_strong_2/0",
    "all_strong_2/1",
    "all_strong_2/2+",
    "all_strong_1/0",
    "all_strong_1/1",
    "all_strong_1/2+",
    "covered_mixed_2/0",
    "covered_mixed_2/1",
    "covered_mixed_2/2+",
    "covered_mixed_1/0",
    "covered_mixed_1/1",
    "covered_mixed_1/2+",
    "covered_weak/0",
    "covered_weak/1",
    "covered_weak/2+",
    "one_missing_strong_3+/0",
    "one_missing_strong_3+/1",
    "one_missing_strong_3+/2+",
    "one_missing_strong_3+_lead_differs/0",
    "one_missing_strong_3+_lead_differs/1",
    "one_missing_strong_3+_lead_differs/2+",
    "one_missing_strong_2/0",
    "one_missing_strong_2/1",
    "one_missing_strong_2/2+",
    "one_missing_strong_2_lead_differs/0",
    "one_missing_strong_2_lead_differs/1",
    "one_missing_strong_2_lead_differs/2+",
    "one_missing_mixed/0",
    "one_missing_mixed/1",
    "one_missing_mixed/2+",
    "one_missing_strong_1/0",
    "one_missing_strong_1/1",
    "one_missing_strong_1/2+",
    "one_missing_weak/0",
    "one_missing_weak/1",
    "one_missing_weak/2+",
    "partial_strong_2/0",
    "partial_strong_2/1",
    "partial_strong_2/2+",
    "partial_mixed/0",
    "partial_mixed/1",
    "partial_mixed/2+",
    "partial_strong_1/0",
    "partial_strong_1/1",
    "partial_strong_1/2+",
    "partial_weak/0",
    "partial_weak/1",
    "partial_weak/2+",
    "none/0",
    "none/1",
    "none/2+",
    "all_strong_1_rare/0",
    "all_strong_1_rare/1",
    "all_strong_1_rare/2+",
    "one_missing_strong_1_rare/0",
    "one_missing_strong_1_rare/1",
    "one_missing_strong_1_rare/2+",
    "partial_strong_1_rare/0",
    "partial_strong_1_rare/1",
    "partial_strong_1_rare/2+",
];

/// Every label of the main name level.
pub const NAME_MAIN_LEVELS: &[&str] = &[
    "all_strong_3",
    "all_strong_2",
    "all_strong_1",
    "covered_mixed_2",
    "covered_mixed_1",
    "covered_weak",
    "one_missing_strong_3+",
    "one_missing_strong_3+_lead_differs",
    "one_missing_strong_2",
    "one_missing_strong_2_lead_differs",
    "one_missing_mixed",
    "one_missing_strong_1",
    "one_missing_weak",
    "partial_strong_2",
    "partial_mixed",
    "partial_strong_1",
    "partial_weak",
    "none",
    "all_strong_1_rare",
    "one_missing_strong_1_rare",
    "partial_strong_1_rare",
];
pub const NAME_LONG_LEVELS: &[&str] = &["none_left", "one_left", "two_left", "three_plus_left"];
pub const NAME_FAMILY_LEVELS: &[&str] = &[
    "family_unknown/lead_unknown",
    "family_unknown/lead_agree",
    "family_unknown/lead_disagree",
    "family_agree/lead_unknown",
    "family_agree/lead_agree",
    "family_agree/lead_disagree",
    "family_disagree/lead_unknown",
    "family_disagree/lead_agree",
    "family_disagree/lead_disagree",
];

/// Declared order of evidence among the main name levels: `(stronger, weaker)` means that a pair
/// at `stronger` shows at least the evidence of a pair at `weaker`, so its weight must not be
/// lower. It holds for every leftover count (`/0`, `/1`, `/2+`: the pair is compared at the same
/// count) and never crosses the missing count (`all_*`/`covered_*`: no part of the shorter name
/// left out; `one_missing_*`: one; `partial_*`: two or more). Each pair is one of three moves that
/// add evidence and keep both counts: (a) **a further agreeing part** in both names, strong or
/// weak (`all_strong_2` + a strong part = `all_strong_3`; `one_missing_weak` + a strong part =
/// `one_missing_mixed`; a part added beside a lead that differs keeps it differing, so a level
/// holding both lead states sits below the `_lead_differs` row); (b) **the single agreeing part is
/// rare** (`*_1_rare` over `*_1`); (c) **the leading given names do not differ** (over
/// `*_lead_differs`). Every other relation implied by these follows by transitivity.
///
/// Deliberately not declared: a weak agreement turned strong with the part count unchanged
/// (`one_missing_strong_1` against `one_missing_weak`, `partial_strong_1` against
/// `partial_weak`). Linguistically exact beats fuzzy for one part, but a strong single part
/// carries its own rarity term while a weak one does not, and the labelled negatives are chosen
/// for sharing an exact token: the counts put `one_missing_weak/1` 4 bits above
/// `one_missing_strong_1/1`, and pooling them would make the table say something the data
/// contradicts. Nor are the leftover counts ordered (a longer full name beside a short alias
/// is how aliases are written), nor the `none/*` rows (pooled among themselves by training).
/// `tests/model_order.rs` checks the shipped model against every pair and that a pair's name
/// table weight never falls when a move is applied; `train::pool_monotone` enforces it.
pub const NAME_MAIN_LEVEL_ORDER: &[(&str, &str)] = &[
    // Nothing of the shorter name left out.
    ("all_strong_3", "all_strong_2"),         // (a) a strong part
    ("all_strong_2", "all_strong_1_rare"),    // (a) a strong part
    ("all_strong_1_rare", "all_strong_1"),    // (b)
    ("covered_mixed_2", "all_strong_3"),      // (a) a weak part
    ("covered_mixed_2", "covered_mixed_1"),   // (a) a strong part
    ("covered_mixed_1", "all_strong_1_rare"), // (a) a weak part
    ("covered_mixed_1", "covered_weak"),      // (a) a strong part
    // One part of the shorter name left out.
    ("one_missing_strong_3+", "one_missing_strong_2"), // (a)
    (
        "one_missing_strong_3+_lead_differs",
        "one_missing_strong_2_lead_differs",
    ), // (a)
    (
        "one_missing_strong_3+",
        "one_missing_strong_3+_lead_differs",
    ), // (c)
    ("one_missing_strong_2", "one_missing_strong_2_lead_differs"), // (c)
    ("one_missing_strong_2_lead_differs", "one_missing_mixed"), // (a) a strong part
    (
        "one_missing_strong_2_lead_differs",
        "one_missing_strong_1_rare",
    ), // (a) a strong part
    ("one_missing_mixed", "one_missing_strong_1_rare"), // (a) a weak part
    ("one_missing_strong_1_rare", "one_missing_strong_1"), // (b)
    ("one_missing_mixed", "one_missing_weak"),         // (a) a strong part
    // Two or more parts of the shorter name left out.
    ("partial_strong_2", "partial_mixed"), // (a) a strong part
    ("partial_strong_2", "partial_strong_1_rare"), // (a) a strong part
    ("partial_mixed", "partial_strong_1_rare"), // (a) a weak part
    ("partial_strong_1_rare", "partial_strong_1"), // (b)
    ("partial_mixed", "partial_weak"),     // (a) a strong part
];

/// Declared order of the family table, `(stronger, weaker)`: at the same lead state an agreeing
/// family name is more evidence than none marked, which is more than a disagreeing one; at the
/// same family state agreeing leading given names are more than differing ones.
pub const NAME_FAMILY_LEVEL_ORDER: &[(&str, &str)] = &[
    ("family_agree/lead_unknown", "family_unknown/lead_unknown"),
    (
        "family_unknown/lead_unknown",
        "family_disagree/lead_unknown",
    ),
    ("family_agree/lead_agree", "family_unknown/lead_agree"),
    ("family_unknown/lead_agree", "family_disagree/lead_agree"),
    ("family_agree/lead_disagree", "family_unknown/lead_disagree"),
    (
        "family_unknown/lead_disagree",
        "family_disagree/lead_disagree",
    ),
    ("family_agree/lead_agree", "family_agree/lead_disagree"),
    ("family_unknown/lead_agree", "family_unknown/lead_disagree"),
    (
        "family_disagree/lead_agree",
        "family_disagree/lead_disagree",
    ),
];

/// [`NAME_MAIN_LEVEL_ORDER`] spelled out over the leftover counts: `(stronger, weaker)` labels
/// of [`NAME_LEVELS`].
pub fn name_level_order() -> Vec<(&'static str, &'static str)> {
    let find = |l: String| NAME_LEVELS.iter().copied().find(|x| *x == l);
    let mut out = Vec::new();
    for (s, w) in NAME_MAIN_LEVEL_ORDER {
        for j in ["0", "1", "2+"] {
            if let (Some(a), Some(b)) = (find(format!("{s}/{j}")), find(format!("{w}/{j}"))) {
                out.push((a, b));
            }
        }
    }
    out
}

fn lookup(t: &[(&'static str, f64)], l: &str) -> f64 {
    t.iter().find(|x| x.0 == l).map(|x| x.1).unwrap_or(0.0)
}

/// The parts of the name evidence, in bits.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NameBits {
    pub main: f64,
    pub long: f64,
    pub family: f64,
    /// Term-frequency adjustment: rarer agreeing parts weigh more than the level's average;
    /// plus the similarity adjustment that orders names within a level.
    pub tf: f64,
    /// Information term ([`information_bits`]): agreement carrying more information than the
    /// level tables price.
    pub info: f64,
}

impl NameBits {
    pub fn total(&self) -> f64 {
        self.main + self.long + self.family + self.tf + self.info
    }
}

/// The information term of the name evidence:
/// `info_gamma · min(info_cap_bits, max(0, I − info_reference_bits))`,
/// `I` the summed rarity (bits, clamped per part) of the strongly agreeing parts. The level
/// tables stop counting at three agreeing parts and price an agreement by its level's average
/// u; a different person agrees on parts carrying `I` bits with a chance that falls as
/// `2^-(δ·I)` (δ = `info_gamma`, the dependence discount fitted by
/// [`crate::train::fit_information_term`]), so beyond the information the tables already price
/// each further bit counts δ bits, up to the cap. Nondecreasing in every part's rarity and in the
/// number of agreeing parts (never negative).
#[inline]
pub fn information_bits(f: &NameFeatures, p: &NameParams) -> f64 {
    if f.strong > 0 && p.info_gamma > 0.0 {
        p.info_gamma
            * (f.strong_bits - p.info_reference_bits)
                .max(0.0)
                .min(p.info_cap_bits)
    } else {
        0.0
    }
}

/// Split name evidence into its level weights and TF adjustment.
pub fn name_bits_parts(f: &NameFeatures, levels: &NameLevels, p: &NameParams) -> NameBits {
    let tf = if f.strong > 0 {
        p.tf_gamma * (f.strong_bits - p.tf_reference_bits * f.strong as f64)
    } else {
        0.0
    };
    let tf = tf + p.similarity_gamma * (f.similarity - 0.5);
    NameBits {
        main: lookup(&levels.main, f.level()),
        long: lookup(&levels.long, f.long_level()),
        family: lookup(&levels.family, f.family_level()),
        tf,
        info: information_bits(f, p),
    }
}

/// Name evidence in bits: level weights plus the TF adjustment.
pub fn name_bits(f: &NameFeatures, levels: &NameLevels, p: &NameParams) -> f64 {
    name_bits_parts(f, levels, p).total()
}

/// [`name_bits_parts`] with the weights from arrays (the same values, no label search).
pub fn name_bits_parts_fast(f: &NameFeatures, t: &NameTables, p: &NameParams) -> NameBits {
    let tf = if f.strong > 0 {
        p.tf_gamma * (f.strong_bits - p.tf_reference_bits * f.strong as f64)
    } else {
        0.0
    };
    let tf = tf + p.similarity_gamma * (f.similarity - 0.5);
    NameBits {
        main: t.main[f.level_index()],
        long: t.long[f.long_level_index()],
        family: t.family[f.family_level_index()],
        tf,
        info: information_bits(f, p),
    }
}

/// Best name alignment over all name/alias combinations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NameOutcome {
    pub ia: usize,
    pub ib: usize,
    pub features: NameFeatures,
    pub bits: f64,
}

/// Compare every name of `a` with every name of `b`; keep the combination with the most evidence.
/// The reference path (allocating full comparisons, rarities looked up by token key); the scorer
/// uses [`best_names_fast`], which gives exactly the same outcome.
pub fn best_names(
    a: &Identity,
    b: &Identity,
    tf: &TermFrequencies,
    p: &NameParams,
    levels: &NameLevels,
    cal: (f64, f64),
) -> Option<NameOutcome> {
    let mut best: Option<NameOutcome> = None;
    for (ia, na) in a.names.iter().enumerate() {
        for (ib, nb) in b.names.iter().enumerate() {
            let cmp =
                linkwatch_names::compare_full(&na.analyzed, &nb.analyzed, tf as &dyn TokenWeights);
            let features = name_features(na, nb, &cmp, tf, p);
            let mut bits = cal.0 * name_bits(&features, levels, p) + cal.1;
            if na.quality == NameQuality::Weak || nb.quality == NameQuality::Weak {
                bits -= p.weak_alias_penalty;
            }
            if best.as_ref().is_none_or(|b| bits > b.bits) {
                best = Some(NameOutcome {
                    ia,
                    ib,
                    features,
                    bits,
                });
            }
        }
    }
    best
}

/// The name's preparation for `tf` if it has a valid one, else one built now (same values).
pub(crate) fn prep_of<'n>(
    n: &'n IdName,
    tf: &TermFrequencies,
    slot: &'n mut Option<NamePrep>,
) -> &'n NamePrep {
    match &n.prep {
        Some(p) if p.valid_for(&n.analyzed, tf.stamp()) => p,
        _ => slot.insert(NamePrep::new(&n.analyzed, tf, tf.stamp())),
    }
}

/// [`best_names`] on the fast path: each name's comparison side and token rarities come from
/// its [`NamePrep`] (built by `Identity::prepare_tf`, or here when missing or made with another
/// table), the alignment from the analyser's allocation-free [`linkwatch_names::compare_prepared`],
/// the level weights from arrays. Same outcome as [`best_names`], bit for bit.
pub fn best_names_fast(
    a: &Identity,
    b: &Identity,
    tf: &TermFrequencies,
    p: &NameParams,
    tables: &NameTables,
    cal: (f64, f64),
) -> Option<NameOutcome> {
    best_names_fast_into(a, b, tf, p, tables, cal, None)
}

/// One name combination's name term, as the scorer adds it: the prepared comparison (its
/// aligned pairs left in `buf`), the features, the calibrated table weight and the weak-alias
/// penalty. [`best_names_fast_into`] takes the largest over all combinations; the screener's
/// exact name stage (`bound::Bounds::exact_name_memo`) calls the same function per candidate
/// name, so the two cannot drift apart.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn name_pair_bits(
    na: &IdName,
    ra: &NamePrep,
    nb: &IdName,
    rb: &NamePrep,
    buf: &mut PairBuf,
    p: &NameParams,
    tables: &NameTables,
    cal: (f64, f64),
) -> (NameFeatures, f64) {
    let sc = linkwatch_names::compare_prepared(
        &na.analyzed,
        &ra.side,
        &nb.analyzed,
        &rb.side,
        Some(&mut *buf),
    );
    let features = name_features_prepared(na, nb, buf.pairs(), sc.similarity, ra, rb, p);
    let mut bits = cal.0 * name_bits_parts_fast(&features, tables, p).total() + cal.1;
    if na.quality == NameQuality::Weak || nb.quality == NameQuality::Weak {
        bits -= p.weak_alias_penalty;
    }
    (features, bits)
}

/// [`best_names_fast`], also copying the winning combination's aligned pairs into `winner`
/// (what an explanation shows; the same pairs `compare_prepared` gives for that combination).
pub fn best_names_fast_into(
    a: &Identity,
    b: &Identity,
    tf: &TermFrequencies,
    p: &NameParams,
    tables: &NameTables,
    cal: (f64, f64),
    mut winner: Option<&mut PairBuf>,
) -> Option<NameOutcome> {
    let mut best: Option<NameOutcome> = None;
    let mut buf = PairBuf::default();
    // Names without a valid preparation (identity not prepared, or with another table) are
    // prepared here, once per call; prepared identities (the usual case) build nothing.
    let stamp = tf.stamp();
    let valid = |n: &IdName| -> bool {
        n.prep
            .as_ref()
            .is_some_and(|p| p.valid_for(&n.analyzed, stamp))
    };
    let own = |n: &IdName| (!valid(n)).then(|| NamePrep::new(&n.analyzed, tf, stamp));
    let own_b: SmallVec<[Option<NamePrep>; 1]> = if b.names.iter().all(valid) {
        SmallVec::new()
    } else {
        b.names.iter().map(own).collect()
    };
    for (ia, na) in a.names.iter().enumerate() {
        let own_a = own(na);
        let Some(ra) = own_a.as_ref().or(na.prep.as_ref()) else {
            continue; // unreachable: one of the two is set
        };
        for (ib, nb) in b.names.iter().enumerate() {
            let Some(rb) = own_b.get(ib).and_then(Option::as_ref).or(nb.prep.as_ref()) else {
                continue;
            };
            let (features, bits) = name_pair_bits(na, ra, nb, rb, &mut buf, p, tables, cal);
            if best.as_ref().is_none_or(|b| bits > b.bits) {
                if let Some(w) = winner.as_deref_mut() {
                    *w = buf;
                }
                best = Some(NameOutcome {
                    ia,
                    ib,
                    features,
                    bits,
                });
            }
        }
    }
    best
}

/// Outcome of a non-name feature: the level and the indices of the compared values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelOutcome {
    pub level: &'static str,
    pub ia: usize,
    pub ib: usize,
    /// Index of `level` in the feature's level list ([`DOB_LEVELS`], [`SAME_DIFFERENT`],
    /// [`DOCUMENT_LEVELS`]): what the scorer's weight arrays are indexed by.
    pub code: u8,
}

impl LevelOutcome {
    fn of(levels: &[&'static str], code: u8, ia: usize, ib: usize) -> LevelOutcome {
        LevelOutcome {
            level: levels[code as usize],
            ia,
            ib,
            code,
        }
    }
}

/// Levels of the date-of-birth feature, in code order.
pub const DOB_LEVELS: &[&str] = &[
    "exact",
    "exact_jan1",
    "day_month_swap",
    "year_month",
    "year",
    "in_range",
    "one_year",
    "different",
    "far",
    "in_range_wide",
    "in_range_very_wide",
];
/// Number of date-of-birth levels (the scorer's weight array).
pub const DOB_LEVEL_COUNT: usize = 11;
/// Levels of nationality, place of birth, sex, biometric and contact, in code order.
pub const SAME_DIFFERENT: &[&str] = &["same", "different"];
/// Levels of the document feature, in code order.
/// `one_edit`: the shorter number has at least [`ONE_EDIT_LONG`] characters; `one_edit_short`:
/// 5 to 7 (short numbers have more one-edit neighbours among other people's: the model's u by
/// length, `train::one_edit_rates`).
pub const DOCUMENT_LEVELS: &[&str] = &["exact", "one_edit", "different", "one_edit_short"];
/// Least length of the shorter number for the `one_edit` level (below: `one_edit_short`).
pub const ONE_EDIT_LONG: usize = 8;

const D_EXACT: u8 = 0;
const D_EXACT_JAN1: u8 = 1;
const D_SWAP: u8 = 2;
const D_YEAR_MONTH: u8 = 3;
const D_YEAR: u8 = 4;
const D_IN_RANGE: u8 = 5;
const D_ONE_YEAR: u8 = 6;
const D_DIFFERENT: u8 = 7;
const D_FAR: u8 = 8;
const D_IN_RANGE_WIDE: u8 = 9;
const D_IN_RANGE_VERY_WIDE: u8 = 10;
/// Widest overlap (years, both specs' widths summed less one) of the `in_range` level; up to
/// [`IN_RANGE_WIDE_MAX`] it is `in_range_wide`, beyond `in_range_very_wide`. The chance that a
/// different person's date falls inside grows with the width, so the evidence falls with it.
pub const IN_RANGE_MAX: i32 = 3;
pub const IN_RANGE_WIDE_MAX: i32 = 9;
const SAME: u8 = 0;
const DIFFERENT: u8 = 1;

/// DOB level of two dates.
pub fn date_level(x: &PartialDate, y: &PartialDate) -> &'static str {
    DOB_LEVELS[date_code(x, y) as usize]
}

/// [`date_level`] as an index in [`DOB_LEVELS`].
pub fn date_code(x: &PartialDate, y: &PartialDate) -> u8 {
    if x.approximate || y.approximate {
        let (xl, xh) = DateSpec::Date(*x).year_bounds();
        let (yl, yh) = DateSpec::Date(*y).year_bounds();
        return range_code(xl, xh, yl, yh);
    }
    let (px, py) = (x.precision(), y.precision());
    if x.year == y.year {
        if px == Precision::Day && py == Precision::Day {
            if x.month == y.month && x.day == y.day {
                return if x.is_jan1_placeholder() {
                    D_EXACT_JAN1
                } else {
                    D_EXACT
                };
            }
            if x.month == y.day && x.day == y.month {
                return D_SWAP;
            }
            if x.is_jan1_placeholder() || y.is_jan1_placeholder() {
                return D_YEAR;
            }
        }
        if px >= Precision::Month && py >= Precision::Month && x.month == y.month {
            return D_YEAR_MONTH;
        }
        return D_YEAR;
    }
    let d = (x.year as i32 - y.year as i32).abs();
    if d == 1 {
        D_ONE_YEAR
    } else if d <= 5 {
        D_DIFFERENT
    } else {
        D_FAR
    }
}

fn range_code(xl: i16, xh: i16, yl: i16, yh: i16) -> u8 {
    if xl <= yh && yl <= xh {
        // A different person's year falls inside with a chance proportional to the years
        // either side could hold: the two widths summed, less the shared year.
        let width = (xh as i32 - xl as i32 + 1) + (yh as i32 - yl as i32 + 1) - 1;
        return if width <= IN_RANGE_MAX {
            D_IN_RANGE
        } else if width <= IN_RANGE_WIDE_MAX {
            D_IN_RANGE_WIDE
        } else {
            D_IN_RANGE_VERY_WIDE
        };
    }
    let gap = if xh < yl { yl - xh } else { xl - yh } as i32;
    if gap == 1 {
        D_ONE_YEAR
    } else if gap <= 5 {
        D_DIFFERENT
    } else {
        D_FAR
    }
}

/// DOB level of two specs (dates or ranges).
pub fn spec_level(a: &DateSpec, b: &DateSpec) -> &'static str {
    DOB_LEVELS[spec_code(a, b) as usize]
}

/// [`spec_level`] as an index in [`DOB_LEVELS`].
pub fn spec_code(a: &DateSpec, b: &DateSpec) -> u8 {
    match (a, b) {
        (DateSpec::Date(x), DateSpec::Date(y)) => date_code(x, y),
        _ => {
            let (xl, xh) = a.year_bounds();
            let (yl, yh) = b.year_bounds();
            range_code(xl, xh, yl, yh)
        }
    }
}

/// Best DOB combination by the weight function `w` of the level label (first of equals).
pub fn dob(a: &Identity, b: &Identity, w: impl Fn(&'static str) -> f64) -> Option<LevelOutcome> {
    dob_by_code(a, b, |c| w(DOB_LEVELS[c as usize]))
}

/// [`dob`] with the weights as an array indexed by level code (the fast path).
pub fn dob_fast(
    a: &Identity,
    b: &Identity,
    weights: &[f64; DOB_LEVEL_COUNT],
) -> Option<LevelOutcome> {
    dob_by_code(a, b, |c| weights[c as usize])
}

fn dob_by_code(a: &Identity, b: &Identity, w: impl Fn(u8) -> f64) -> Option<LevelOutcome> {
    let mut best: Option<(LevelOutcome, f64)> = None;
    for (ia, x) in a.dobs.iter().enumerate() {
        for (ib, y) in b.dobs.iter().enumerate() {
            let code = spec_code(x, y);
            let bits = w(code);
            if best.as_ref().is_none_or(|b| bits > b.1) {
                best = Some((LevelOutcome::of(DOB_LEVELS, code, ia, ib), bits));
            }
        }
    }
    best.map(|b| b.0)
}

pub fn nationality(a: &Identity, b: &Identity) -> Option<LevelOutcome> {
    if a.nationalities.is_empty() || b.nationalities.is_empty() {
        return None;
    }
    for (ia, x) in a.nationalities.iter().enumerate() {
        if let Some(ib) = b.nationalities.iter().position(|y| y == x) {
            return Some(LevelOutcome::of(SAME_DIFFERENT, SAME, ia, ib));
        }
    }
    Some(LevelOutcome::of(SAME_DIFFERENT, DIFFERENT, 0, 0))
}

pub fn place_of_birth(a: &Identity, b: &Identity) -> Option<LevelOutcome> {
    if a.places_of_birth.is_empty() || b.places_of_birth.is_empty() {
        return None;
    }
    for (ia, x) in a.places_of_birth.iter().enumerate() {
        for (ib, y) in b.places_of_birth.iter().enumerate() {
            // "tashkent" agrees with "tashkent uzbekistan".
            let same = x == y
                || x.split(' ')
                    .next()
                    .is_some_and(|t| t.len() >= 3 && y.split(' ').any(|u| u == t))
                || y.split(' ')
                    .next()
                    .is_some_and(|t| t.len() >= 3 && x.split(' ').any(|u| u == t));
            if same {
                return Some(LevelOutcome::of(SAME_DIFFERENT, SAME, ia, ib));
            }
        }
    }
    Some(LevelOutcome::of(SAME_DIFFERENT, DIFFERENT, 0, 0))
}

pub fn sex(a: &Identity, b: &Identity) -> Option<LevelOutcome> {
    use linkwatch_model::Sex::Unknown;
    if a.sex == Unknown || b.sex == Unknown {
        return None;
    }
    Some(LevelOutcome::of(
        SAME_DIFFERENT,
        if a.sex == b.sex { SAME } else { DIFFERENT },
        0,
        0,
    ))
}

/// True when `a` and `b` differ by one substitution, insertion, deletion or adjacent transposition.
pub fn one_edit(a: &str, b: &str) -> bool {
    one_edit_bytes(a.as_bytes(), b.as_bytes())
}

/// [`one_edit`] on bytes.
pub fn one_edit_bytes(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return false;
    }
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if la == lb {
        let suf = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        if pre + suf + 1 >= la {
            return true; // one substitution
        }
        // adjacent transposition
        pre + 2 <= la
            && a[pre] == b[pre + 1]
            && a[pre + 1] == b[pre]
            && a[pre + 2..] == b[pre + 2..]
    } else {
        let (s, l) = if la < lb { (a, b) } else { (b, a) };
        s[pre..] == l[pre + 1..]
    }
}

pub fn document(a: &Identity, b: &Identity) -> Option<LevelOutcome> {
    if a.documents.is_empty() || b.documents.is_empty() {
        return None;
    }
    let mut edit = None;
    let mut same_kind = None;
    for (ia, (ka, x)) in a.documents.iter().enumerate() {
        for (ib, (kb, y)) in b.documents.iter().enumerate() {
            if x == y {
                return Some(LevelOutcome::of(DOCUMENT_LEVELS, 0, ia, ib));
            }
            // The first long pair one edit apart, else the first short one.
            let long = x.len().min(y.len()) >= ONE_EDIT_LONG;
            let better = edit.is_none_or(|e: LevelOutcome| long && e.code == 3);
            if better && x.len() >= 5 && y.len() >= 5 && one_edit(x, y) {
                edit = Some(LevelOutcome::of(
                    DOCUMENT_LEVELS,
                    if long { 1 } else { 3 },
                    ia,
                    ib,
                ));
            }
            if same_kind.is_none() && ka == kb {
                same_kind = Some(LevelOutcome::of(DOCUMENT_LEVELS, 2, ia, ib));
            }
        }
    }
    // Documents of different kinds say nothing against: people hold several.
    edit.or(same_kind)
}

pub fn biometric(a: &Identity, b: &Identity) -> Option<LevelOutcome> {
    match (&a.fingerprint_id, &b.fingerprint_id) {
        (Some(x), Some(y)) => Some(LevelOutcome::of(
            SAME_DIFFERENT,
            if x == y { SAME } else { DIFFERENT },
            0,
            0,
        )),
        _ => None,
    }
}

/// Phones then e-mails: any shared value is `same`; values present on both sides of one kind but
/// none shared is `different`.
pub fn contact(a: &Identity, b: &Identity) -> Option<LevelOutcome> {
    let np = a.phones.len();
    for (ia, x) in a.phones.iter().enumerate() {
        if let Some(ib) = b.phones.iter().position(|y| y == x) {
            return Some(LevelOutcome::of(SAME_DIFFERENT, SAME, ia, ib));
        }
    }
    for (ia, x) in a.emails.iter().enumerate() {
        if let Some(ib) = b.emails.iter().position(|y| y == x) {
            return Some(LevelOutcome::of(
                SAME_DIFFERENT,
                SAME,
                np + ia,
                b.phones.len() + ib,
            ));
        }
    }
    let both = (!a.phones.is_empty() && !b.phones.is_empty())
        || (!a.emails.is_empty() && !b.emails.is_empty());
    both.then_some(LevelOutcome::of(SAME_DIFFERENT, DIFFERENT, 0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).expect("test date")
    }

    #[test]
    fn dob_levels() {
        assert_eq!(date_level(&d("1981-03-07"), &d("1981-03-07")), "exact");
        assert_eq!(date_level(&d("1981-01-01"), &d("1981-01-01")), "exact_jan1");
        assert_eq!(
            date_level(&d("1981-03-07"), &d("1981-07-03")),
            "day_month_swap"
        );
        assert_eq!(date_level(&d("1981-03-07"), &d("1981-03-09")), "year_month");
        assert_eq!(date_level(&d("1981-03-07"), &d("1981-03")), "year_month");
        assert_eq!(date_level(&d("1981-01-01"), &d("1981-06-15")), "year");
        assert_eq!(date_level(&d("1981"), &d("1981-06-15")), "year");
        assert_eq!(date_level(&d("1981-03-07"), &d("1982-03-07")), "one_year");
        assert_eq!(date_level(&d("1981"), &d("1984")), "different");
        assert_eq!(date_level(&d("1961"), &d("1984")), "far");
        assert_eq!(date_level(&d("circa 1980"), &d("1981-05-05")), "in_range");
        let r = DateSpec::Range {
            from: d("1960"),
            to: d("1962"),
        };
        assert_eq!(spec_level(&r, &DateSpec::Date(d("1961-04-04"))), "in_range");
        // The level falls with the width of the overlap (widths summed less one).
        let range = |a: &str, b: &str| DateSpec::Range {
            from: d(a),
            to: d(b),
        };
        let day = DateSpec::Date(d("1961-04-04"));
        assert_eq!(spec_level(&range("1960", "1962"), &day), "in_range");
        assert_eq!(spec_level(&range("1958", "1966"), &day), "in_range_wide");
        assert_eq!(
            spec_level(&range("1950", "1970"), &day),
            "in_range_very_wide"
        );
        assert_eq!(
            spec_level(&range("1960", "1962"), &range("1961", "1963")),
            "in_range_wide"
        );
        assert_eq!(
            date_level(&d("circa 1980"), &d("circa 1981")),
            "in_range_wide"
        );
        assert_eq!(spec_level(&r, &DateSpec::Date(d("1963-04-04"))), "one_year");
    }

    fn name_outcome(a: &str, b: &str) -> NameOutcome {
        let s = crate::Scorer::default();
        let ia = Identity::from_parts(a, None, None, linkwatch_model::Sex::Unknown);
        let ib = Identity::from_parts(b, None, None, linkwatch_model::Sex::Unknown);
        let levels = s.model().name_levels();
        best_names(&ia, &ib, s.tf(), &s.model().name, &levels, (1.0, 0.0)).expect("names")
    }

    #[test]
    fn a_relatives_initial_is_not_the_leading_given_name() {
        // Each leading given name meets only the other side's middle initial.
        let f = name_outcome("Abeni O. OGUNGBUYI", "Oluwole A. OGUNGBUYI").features;
        assert_eq!((f.initial, f.lead, f.unmatched_short), (0.0, 2, 2.0));
        // The initial of a father or grandfather, the leading name written out left over.
        let f = name_outcome("Sa'ad AL-DAJANI", "Leila N.S. AL-DAJANI").features;
        assert_eq!((f.initial, f.lead), (0.0, 2));
        // An initial beside the same leading given name still counts.
        let f = name_outcome("Muhammad A. KHAN", "Muhammad Ali KHAN").features;
        assert_eq!((f.initial, f.lead), (1.0, 1));
        let f = name_outcome("M. Ali KHAN", "Muhammad Ali KHAN").features;
        assert_eq!(f.initial, 1.0);
    }

    #[test]
    fn two_one_syllable_given_parts_are_one_given_name() {
        // Siblings sharing the generation syllable of a Korean given name.
        for (a, b) in [
            ("Song Un RI", "Song Chol RI"),
            ("Kyong Nam KIM", "Kyong Il KIM"),
            ("Kwang Ho PAK", "Kwang Hun PAK"),
        ] {
            let f = name_outcome(a, b).features;
            assert_eq!(f.lead, 2, "{a} ~ {b}");
        }
        // The whole given name agrees, in either order of the name; a reordered alias agrees.
        assert_eq!(name_outcome("Song Un RI", "RI Song Un").features.lead, 1);
        assert_eq!(name_outcome("Kim Jong Un", "Jong Un KIM").features.lead, 1);
        // Not one syllable (or only one side compound): the leading name agrees as before.
        let lead = |a: &str, b: &str| name_outcome(a, b).features.lead;
        assert_eq!(lead("Ahmad Ali KHAN", "Ahmad Hasan KHAN"), 1);
        assert_eq!(lead("John Paul SMITH", "John SMITH"), 1);
        assert!(one_syllable("kiung") && one_syllable("un") && !one_syllable("ali"));
    }

    #[test]
    fn leading_given_names_tell_siblings_from_aliases() {
        // Siblings: the family names agree, the leading given names do not.
        let f = name_outcome("Raul PAYAN MERAZ", "Juana PAYAN MERAZ").features;
        assert_eq!(f.lead, 2);
        assert_eq!(f.level(), "one_missing_strong_2_lead_differs/1");
        // the agreeing surname is already among the level's agreeing parts
        assert_eq!(f.family_level(), "family_agree/lead_disagree");
        // An alias that keeps the leading given name and three parts.
        let f = name_outcome(
            "MUTHANNA HARITH SALMAN AL-DARI",
            "Dr. Muthanna Harith al-Dari al-Zowbai",
        )
        .features;
        assert_eq!(f.lead, 1);
        assert_eq!(f.level(), "one_missing_strong_3+/1");
        // The split levels carry their own weights in the default model: an alias keeping
        // the leading given name weighs more than the sibling pattern.
        let t = NameTables::new(&crate::Model::default_model().name_levels());
        let at = |l: &str| t.main[NAME_LEVELS.iter().position(|x| *x == l).expect("label")];
        assert!(at("one_missing_strong_2/1") > at("one_missing_strong_2_lead_differs/1"));
        assert!(at("one_missing_strong_3+/1") > at("one_missing_strong_3+_lead_differs/1"));
    }

    #[test]
    fn a_leading_name_aligned_with_the_other_sides_father_is_not_agreement() {
        // Brothers (Arabic nasab): `Ibrahim` of one aligns with the other's grandfather
        // `Ibrahim`, while `Yasir` is left over: the leading given names differ.
        let f = name_outcome(
            "Yasir Sabawi Ibrahim Hasan AL-TIKRITI",
            "Ibrahim Sabawi Ibrahim Hasan AL-TIKRITI",
        )
        .features;
        assert_eq!(f.lead, 2);
        // Korean siblings sharing one syllable of the given name in another position.
        let f = name_outcome("Chun-ryong CHO", "Yon Chun CHO").features;
        assert_eq!(f.lead, 2);
        // A reordered alias: both leading names align (not with each other): agreement.
        let f = name_outcome("Kaskar Dawood Hasan", "DAWOOD IBRAHIM KASKAR").features;
        assert_eq!(f.lead, 1);
        // One leading name left over, the other aligned out of order (a reordered alias, not a
        // shifted nasab): agreement.
        let f = name_outcome("YUNOS UMPARA MOKLIS", "Saifullah Mukhlis Yunos").features;
        assert_eq!(f.lead, 1);
    }

    #[test]
    fn abd_opening_a_compound_neither_agrees_nor_disagrees() {
        // Two different `Abd al-X` names share only `abd`.
        let f = name_outcome(
            "Muhammad 'Abd-al-Amir FARHAT",
            "Muhammad 'Abd-Al-Hadi FARHAT",
        )
        .features;
        assert_eq!(f.strong, 2, "{f:?}");
        // `AL-'ABD` is a family name: unmatched, it disagrees.
        let f = name_outcome("Ahmad ASWAD", "Ahmad AL-'ABD").features;
        assert_eq!(f.unmatched_short, 1.0, "{f:?}");
        // so is `AL-SHAYKH`
        let f = name_outcome("Muhammad AL-IBRAHIM", "Muhammad AL-SHAYKH").features;
        assert_eq!(f.unmatched_short, 1.0, "{f:?}");
        // `Sayed` is a name part: it agrees with `Sayyed`.
        let f = name_outcome("SADUDDIN SAYYED", "Sadudin Sayed").features;
        assert_eq!(f.unmatched_short, 0.0, "{f:?}");
        assert!(f.strong >= 1, "{f:?}");
    }

    #[test]
    fn a_rare_single_agreeing_part_has_its_own_level() {
        // The surname alone, rare on the lists and in the population.
        let f = name_outcome("WILLIAM AMURI YAKUTUMBA", "YAKUTUMBA").features;
        assert!(f.strong_bits >= RARE_PART_BITS, "{f:?}");
        assert_eq!(f.level(), "all_strong_1_rare/2+");
        // Muhammad is the commonest name part there is.
        let f = name_outcome("MUHAMMAD ALI KHAN", "Muhammad").features;
        assert!(f.strong_bits < RARE_PART_BITS, "{f:?}");
        assert_eq!(f.level(), "all_strong_1/2+");
    }

    /// The default model is monotone in evidence across the split levels: more agreeing
    /// evidence (a rare part, a third part, the leading given name) never weighs less.
    #[test]
    fn split_levels_are_monotone_in_evidence() {
        let t = NameTables::new(&crate::Model::default_model().name_levels());
        let at = |l: &str| t.main[NAME_LEVELS.iter().position(|x| *x == l).expect("label")];
        for j in ["0", "1", "2+"] {
            for (stronger, weaker) in [
                ("all_strong_1_rare", "all_strong_1"),
                ("one_missing_strong_1_rare", "one_missing_strong_1"),
                ("partial_strong_1_rare", "partial_strong_1"),
                ("one_missing_strong_3+", "one_missing_strong_2"),
                ("one_missing_strong_2", "one_missing_strong_2_lead_differs"),
                (
                    "one_missing_strong_3+",
                    "one_missing_strong_3+_lead_differs",
                ),
            ] {
                let (s, w) = (format!("{stronger}/{j}"), format!("{weaker}/{j}"));
                assert!(at(&s) >= at(&w), "{s} {} < {w} {}", at(&s), at(&w));
            }
        }
    }

    #[test]
    fn every_level_label_is_distinct_and_indexed() {
        for (i, l) in NAME_LEVELS.iter().enumerate() {
            assert_eq!(NAME_LEVELS.iter().position(|x| x == l), Some(i), "{l}");
            let main = l.split('/').next().unwrap_or_default();
            assert!(NAME_MAIN_LEVELS.contains(&main), "{l}");
        }
        assert_eq!(NAME_MAIN_LEVELS.len() * 3, NAME_LEVEL_COUNT);
    }

    proptest::proptest! {
        /// The lead measurement and the joint level do not depend on the order of the pair.
        #[test]
        fn lead_and_level_are_symmetric(
            a in proptest::collection::vec(0usize..12, 1..5),
            b in proptest::collection::vec(0usize..12, 1..5),
            caps_a in proptest::bool::ANY,
            caps_b in proptest::bool::ANY,
        ) {
            const PARTS: [&str; 12] = [
                "Muhammad", "Ali", "Hassan", "Payan", "Meraz", "Juana", "Raul", "Harith",
                "Muthanna", "al-Dari", "Ahmad", "bin",
            ];
            let name = |v: &[usize], caps: bool| {
                let mut parts: Vec<String> = v.iter().map(|&i| PARTS[i].to_string()).collect();
                if caps {
                    if let Some(last) = parts.last_mut() {
                        *last = last.to_uppercase();
                    }
                }
                parts.join(" ")
            };
            let (x, y) = (name(&a, caps_a), name(&b, caps_b));
            let f = name_outcome(&x, &y).features;
            let g = name_outcome(&y, &x).features;
            proptest::prop_assert_eq!(f.lead, g.lead);
            proptest::prop_assert_eq!(f.level(), g.level());
            proptest::prop_assert_eq!(f.family_level(), g.family_level());
        }
    }

    #[test]
    fn edits() {
        assert!(one_edit("AB12345", "AB12346"));
        assert!(one_edit("AB12345", "AB1245"));
        assert!(one_edit("AB12345", "AB13245"));
        assert!(!one_edit("AB12345", "AB12345"));
        assert!(!one_edit("AB12345", "AB54321"));
        assert!(one_edit("A", "AB"));
    }
}
