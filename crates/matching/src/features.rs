//! Feature comparisons: each compares one attribute of two identities and returns the comparison
//! LEVEL it reached plus which values were compared (indices), or `None` when either side lacks
//! the attribute (missing evidence is neutral). Names yield a vector of evidence measurements that
//! the model's name coefficients turn into bits.
//!
//! Knows identities and the name analyser's comparison; knows no weights except through
//! [`crate::model::NameParams`] for names.

use crate::identity::{IdName, Identity};
use crate::model::NameParams;
use crate::tf::TermFrequencies;
use linkwatch_model::{DateSpec, NameQuality, PartialDate, Precision};
use linkwatch_names::{NameComparison, TokenMatchKind, TokenWeights};

fn bit(mask: u64, i: usize) -> bool {
    i < 64 && mask & (1 << i) != 0
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
        let i = NAME_MAIN_LEVELS
            .iter()
            .position(|l| *l == self.main_level())
            .unwrap_or(NAME_MAIN_LEVELS.len() - 1);
        let j = (self.unmatched_long as usize).min(2);
        NAME_LEVELS[i * 3 + j]
    }

    /// Level of agreement of the shorter name's parts.
    pub fn main_level(&self) -> &'static str {
        let (s, w, u) = (self.strong, self.weak, self.unmatched_short as u32);
        if s == 0 && w == 0 {
            return "none";
        }
        match (u, s, w) {
            (0, 3.., 0) => "all_strong_3",
            (0, 2, 0) => "all_strong_2",
            (0, 1, 0) => "all_strong_1",
            (0, 2.., _) => "covered_mixed_2",
            (0, 1, _) => "covered_mixed_1",
            (0, 0, _) => "covered_weak",
            (1, 2.., _) => "one_missing_strong_2",
            (1, 1, 1..) => "one_missing_mixed",
            (1, 1, 0) => "one_missing_strong_1",
            (1, 0, _) => "one_missing_weak",
            (_, 2.., _) => "partial_strong_2",
            (_, 1, 1..) => "partial_mixed",
            (_, 1, 0) => "partial_strong_1",
            _ => "partial_weak",
        }
    }

    /// Level of the longer name's leftover parts.
    pub fn long_level(&self) -> &'static str {
        match self.unmatched_long as u32 {
            0 => "none_left",
            1 => "one_left",
            2 => "two_left",
            _ => "three_plus_left",
        }
    }

    /// Level of the family-name and leading-given-name agreement (`family/lead`).
    pub fn family_level(&self) -> &'static str {
        NAME_FAMILY_LEVELS[(self.family.min(2) as usize) * 3 + self.lead.min(2) as usize]
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

/// Measure name agreement from an analyser comparison.
pub fn name_features(
    na: &IdName,
    nb: &IdName,
    cmp: &NameComparison,
    tf: &TermFrequencies,
    p: &NameParams,
) -> NameFeatures {
    let (a, b) = (&na.analyzed, &nb.analyzed);
    let mut f = NameFeatures {
        similarity: cmp.similarity.clamp(0.0, 1.0) as f64,
        ..Default::default()
    };
    let mut fam_aligned = false;
    for pair in &cmp.pairs {
        let (Some(ta), Some(tb)) = (a.tokens.get(pair.a), b.tokens.get(pair.b)) else {
            continue;
        };
        if bit(na.family, pair.a) && bit(nb.family, pair.b) {
            fam_aligned = true;
        }
        // Particles (al, bin, abu, de...) neither agree nor disagree.
        if bit(na.particles, pair.a) || bit(nb.particles, pair.b) {
            continue;
        }
        let bits = token_bits(tf, p, &ta.key, &tb.key);
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
    for pair in &cmp.pairs {
        if pair.a < 64 {
            aligned_a |= 1 << pair.a;
        }
        if pair.b < 64 {
            aligned_b |= 1 << pair.b;
        }
    }
    let unaligned = |n: usize, aligned: u64, particles: u64| -> Vec<usize> {
        (0..n.min(64))
            .filter(|&i| aligned & (1 << i) == 0 && particles & (1 << i) == 0)
            .collect()
    };
    let un_a = unaligned(a.tokens.len(), aligned_a, na.particles);
    let un_b = unaligned(b.tokens.len(), aligned_b, nb.particles);
    let (ua, ub) = (un_a.len() as f64, un_b.len() as f64);
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
    let (short_name, short_unmatched) = if (la == lb && ua <= ub) || (la != lb && a_short) {
        (a, &un_a)
    } else {
        (b, &un_b)
    };
    f.unmatched_short_bits = short_unmatched
        .iter()
        .filter_map(|&i| short_name.tokens.get(i))
        .map(|t| token_bits(tf, p, &t.key, &t.key))
        .sum();
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
    if f.strong == 0 && f.weak == 0 {
        f.none = 1.0;
    } else if short == 0.0 {
        f.covered = 1.0;
    }
    f
}

/// Weights (bits) of the three name level tables, looked up by level label.
#[derive(Debug, Clone, Default)]
pub struct NameLevels {
    pub main: Vec<(&'static str, f64)>,
    pub long: Vec<(&'static str, f64)>,
    pub family: Vec<(&'static str, f64)>,
}

/// Every label of the joint name level (main level / parts left over on the longer name).
pub const NAME_LEVELS: &[&str] = &[
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
    "one_missing_strong_2/0",
    "one_missing_strong_2/1",
    "one_missing_strong_2/2+",
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
];

/// Every label of the main name level.
pub const NAME_MAIN_LEVELS: &[&str] = &[
    "all_strong_3",
    "all_strong_2",
    "all_strong_1",
    "covered_mixed_2",
    "covered_mixed_1",
    "covered_weak",
    "one_missing_strong_2",
    "one_missing_mixed",
    "one_missing_strong_1",
    "one_missing_weak",
    "partial_strong_2",
    "partial_mixed",
    "partial_strong_1",
    "partial_weak",
    "none",
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
}

impl NameBits {
    pub fn total(&self) -> f64 {
        self.main + self.long + self.family + self.tf
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
    }
}

/// Name evidence in bits: level weights plus the TF adjustment.
pub fn name_bits(f: &NameFeatures, levels: &NameLevels, p: &NameParams) -> f64 {
    name_bits_parts(f, levels, p).total()
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

/// Outcome of a non-name feature: the level and the indices of the compared values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelOutcome {
    pub level: &'static str,
    pub ia: usize,
    pub ib: usize,
}

/// DOB level of two dates.
pub fn date_level(x: &PartialDate, y: &PartialDate) -> &'static str {
    if x.approximate || y.approximate {
        let (xl, xh) = DateSpec::Date(*x).year_bounds();
        let (yl, yh) = DateSpec::Date(*y).year_bounds();
        return range_level(xl, xh, yl, yh);
    }
    let (px, py) = (x.precision(), y.precision());
    if x.year == y.year {
        if px == Precision::Day && py == Precision::Day {
            if x.month == y.month && x.day == y.day {
                return if x.is_jan1_placeholder() {
                    "exact_jan1"
                } else {
                    "exact"
                };
            }
            if x.month == y.day && x.day == y.month {
                return "day_month_swap";
            }
            if x.is_jan1_placeholder() || y.is_jan1_placeholder() {
                return "year";
            }
        }
        if px >= Precision::Month && py >= Precision::Month && x.month == y.month {
            return "year_month";
        }
        return "year";
    }
    let d = (x.year as i32 - y.year as i32).abs();
    if d == 1 {
        "one_year"
    } else if d <= 5 {
        "different"
    } else {
        "far"
    }
}

fn range_level(xl: i16, xh: i16, yl: i16, yh: i16) -> &'static str {
    if xl <= yh && yl <= xh {
        return "in_range";
    }
    let gap = if xh < yl { yl - xh } else { xl - yh } as i32;
    if gap == 1 {
        "one_year"
    } else if gap <= 5 {
        "different"
    } else {
        "far"
    }
}

/// DOB level of two specs (dates or ranges).
pub fn spec_level(a: &DateSpec, b: &DateSpec) -> &'static str {
    match (a, b) {
        (DateSpec::Date(x), DateSpec::Date(y)) => date_level(x, y),
        _ => {
            let (xl, xh) = a.year_bounds();
            let (yl, yh) = b.year_bounds();
            range_level(xl, xh, yl, yh)
        }
    }
}

/// Best of the level outcomes by the weight function `w`.
fn best_by<F: Fn(&'static str) -> f64>(
    cands: impl Iterator<Item = LevelOutcome>,
    w: F,
) -> Option<LevelOutcome> {
    let mut best: Option<(LevelOutcome, f64)> = None;
    for c in cands {
        let bits = w(c.level);
        if best.as_ref().is_none_or(|b| bits > b.1) {
            best = Some((c, bits));
        }
    }
    best.map(|b| b.0)
}

pub fn dob(a: &Identity, b: &Identity, w: impl Fn(&'static str) -> f64) -> Option<LevelOutcome> {
    best_by(
        a.dobs.iter().enumerate().flat_map(|(ia, x)| {
            b.dobs.iter().enumerate().map(move |(ib, y)| LevelOutcome {
                level: spec_level(x, y),
                ia,
                ib,
            })
        }),
        w,
    )
}

pub fn nationality(a: &Identity, b: &Identity) -> Option<LevelOutcome> {
    if a.nationalities.is_empty() || b.nationalities.is_empty() {
        return None;
    }
    for (ia, x) in a.nationalities.iter().enumerate() {
        if let Some(ib) = b.nationalities.iter().position(|y| y == x) {
            return Some(LevelOutcome {
                level: "same",
                ia,
                ib,
            });
        }
    }
    Some(LevelOutcome {
        level: "different",
        ia: 0,
        ib: 0,
    })
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
                return Some(LevelOutcome {
                    level: "same",
                    ia,
                    ib,
                });
            }
        }
    }
    Some(LevelOutcome {
        level: "different",
        ia: 0,
        ib: 0,
    })
}

pub fn sex(a: &Identity, b: &Identity) -> Option<LevelOutcome> {
    use linkwatch_model::Sex::Unknown;
    if a.sex == Unknown || b.sex == Unknown {
        return None;
    }
    Some(LevelOutcome {
        level: if a.sex == b.sex { "same" } else { "different" },
        ia: 0,
        ib: 0,
    })
}

/// True when `a` and `b` differ by one substitution, insertion, deletion or adjacent transposition.
pub fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
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
                return Some(LevelOutcome {
                    level: "exact",
                    ia,
                    ib,
                });
            }
            if edit.is_none() && x.len() >= 5 && y.len() >= 5 && one_edit(x, y) {
                edit = Some(LevelOutcome {
                    level: "one_edit",
                    ia,
                    ib,
                });
            }
            if same_kind.is_none() && ka == kb {
                same_kind = Some(LevelOutcome {
                    level: "different",
                    ia,
                    ib,
                });
            }
        }
    }
    // Documents of different kinds say nothing against: people hold several.
    edit.or(same_kind)
}

pub fn biometric(a: &Identity, b: &Identity) -> Option<LevelOutcome> {
    match (&a.fingerprint_id, &b.fingerprint_id) {
        (Some(x), Some(y)) => Some(LevelOutcome {
            level: if x == y { "same" } else { "different" },
            ia: 0,
            ib: 0,
        }),
        _ => None,
    }
}

/// Phones then e-mails: any shared value is `same`; values present on both sides of one kind but
/// none shared is `different`.
pub fn contact(a: &Identity, b: &Identity) -> Option<LevelOutcome> {
    let np = a.phones.len();
    for (ia, x) in a.phones.iter().enumerate() {
        if let Some(ib) = b.phones.iter().position(|y| y == x) {
            return Some(LevelOutcome {
                level: "same",
                ia,
                ib,
            });
        }
    }
    for (ia, x) in a.emails.iter().enumerate() {
        if let Some(ib) = b.emails.iter().position(|y| y == x) {
            return Some(LevelOutcome {
                level: "same",
                ia: np + ia,
                ib: b.phones.len() + ib,
            });
        }
    }
    let both = (!a.phones.is_empty() && !b.phones.is_empty())
        || (!a.emails.is_empty() && !b.emails.is_empty());
    both.then_some(LevelOutcome {
        level: "different",
        ia: 0,
        ib: 0,
    })
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
        assert_eq!(spec_level(&r, &DateSpec::Date(d("1963-04-04"))), "one_year");
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
