//! Comparison of two analysed names: per-token similarity levels (exact, table-equivalent,
//! phonetic key, consonant skeleton, fuzzy Jaro-Winkler, initial), optimal alignment of the
//! parts (dynamic programming over assignments, with merged/split tokens: one token against two
//! adjacent tokens joined), and a term-frequency-weighted similarity with features for
//! Fellegi–Sunter levels. No allocation on the scoring path ([`compare_score`]).
//! Knows nothing about dates, documents or probabilities.

use crate::{
    AlignedPair, AnalyzedName, NameComparison, PartRole, Token, TokenMatchKind, TokenWeights,
};

/// Tunable constants of the comparison (one place; documented in docs/names.md). The
/// defaults were chosen on the dev half of `pairs_sdn_un.csv` (see docs/bench-names.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareParams {
    /// Similarity of two tokens in the same equivalence group.
    pub equivalent: f32,
    /// Same phonetic key (spelling variants: Mukhammad/Muhammad, Akhmedov/Ahmedov).
    pub phonetic: f32,
    /// Same loose key (voicing merged: Jo/Cho, Bom/Pom, Qadhafi/Gaddafi).
    pub loose: f32,
    /// Same consonant skeleton with one side vowel-less (Arabic script vs romanisation).
    pub skeleton_vowelless: f32,
    /// Same consonant skeleton, both sides vowelled (Ahmad/Ahmed); floor, JW may raise it.
    pub skeleton_latin: f32,
    /// Jaro-Winkler on phonetic keys below this gives no agreement.
    pub fuzzy_floor: f32,
    /// Similarity given at `fuzzy_floor` (rises linearly to 1.0 at JW = 1).
    pub fuzzy_low: f32,
    /// Similarity of an initial agreeing with a full token.
    pub initial: f32,
    /// Information weight of an initial.
    pub initial_weight: f32,
    /// Weight bounds (in nats, `-ln(frequency)`).
    pub min_weight: f32,
    pub max_weight: f32,
    /// Penalty factor for unmatched weight present on BOTH sides (contradicting parts).
    pub conflict: f32,
    /// Penalty factor for unmatched weight present on one side only (missing parts).
    pub extra: f32,
    /// Penalty factor for the unmatched share of partially similar pairs (spelling distance).
    pub partial: f32,
    /// Floor of the weight an UNMATCHED token carries in the penalties: a common given name
    /// that disagrees is still evidence against (term frequency only discounts agreement).
    pub unmatched_floor: f32,
    /// Weight of the residual string similarity in the overall similarity (small).
    pub residual: f32,
    /// Share of the remaining distance to 1 granted when every core token of one side is
    /// matched strongly (one name contained in the other: `YAKUTUMBA` in
    /// `William Amuri YAKUTUMBA`).
    pub subset_bonus: f32,
    /// Extra penalty (times `unmatched_floor`) when the leading given names of both sides are
    /// unmatched (Walid/Mushtaq Talib Zughayr: brothers share the rest of the nasab).
    pub lead_conflict: f32,
}

impl Default for CompareParams {
    fn default() -> Self {
        DEFAULT_PARAMS
    }
}

/// The default parameters.
pub static DEFAULT_PARAMS: CompareParams = CompareParams {
    equivalent: 0.95,
    phonetic: 0.93,
    loose: 0.75,
    skeleton_vowelless: 0.88,
    skeleton_latin: 0.83,
    fuzzy_floor: 0.88,
    fuzzy_low: 0.6,
    initial: 0.45,
    initial_weight: 1.5,
    min_weight: 1.5,
    max_weight: 16.0,
    conflict: 1.5,
    extra: 0.2,
    partial: 0.3,
    unmatched_floor: 2.0,
    residual: 0.15,
    subset_bonus: 0.45,
    lead_conflict: 0.2,
};

/// Features of a name comparison, for Fellegi–Sunter comparison levels and explanations.
/// "Core" tokens are every token except particles; weights are information weights
/// `w = -ln(frequency)` clamped to `[MIN_WEIGHT, MAX_WEIGHT]` (initials: `INITIAL_WEIGHT`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NameFeatures {
    /// Core tokens on each side.
    pub tokens_a: u8,
    pub tokens_b: u8,
    /// Aligned pairs (a join of two tokens counts as one pair).
    pub matched: u8,
    /// Pairs by level.
    pub exact: u8,
    pub equivalent: u8,
    pub phonetic: u8,
    pub skeleton: u8,
    pub fuzzy: u8,
    pub initial: u8,
    /// Pairs where one token matched two adjacent tokens joined (Shamsurrahman / Shams ur-Rahman).
    pub joined: u8,
    /// Total information weight of the core tokens on each side.
    pub weight_a: f32,
    pub weight_b: f32,
    /// Matched information weight on each side (each token's weight times its pair similarity).
    pub matched_weight_a: f32,
    pub matched_weight_b: f32,
    /// Share of each side's weight left unmatched, in `[0, 1]`.
    pub unmatched_share_a: f32,
    pub unmatched_share_b: f32,
    /// Smallest frequency among tokens in a strong pair (exact/equivalent/phonetic/skeleton);
    /// 1.0 when there is none. The rarer, the stronger the agreement.
    pub rarest_strong_frequency: f64,
    /// Sum of the information weights of strongly matched tokens (mean of both sides per pair).
    pub strong_weight: f32,
    /// At least one exact/equivalent/phonetic/skeleton pair.
    pub strong_match: bool,
    /// `Some(true)`: a token marked family name on either side is matched to the other name;
    /// `Some(false)`: both sides have family-name tokens and none of them matched;
    /// `None`: roles unknown.
    pub family_agrees: Option<bool>,
    /// Every core token of one side is matched (one name is contained in the other).
    pub subset: bool,
    /// Some pair joins tokens written in different scripts.
    pub cross_script: bool,
    /// Mean similarity of the aligned pairs (0 when none).
    pub mean_pair_similarity: f32,
    /// `Some(true)`: the leading given name (first non-family core token) of either side is
    /// matched; `Some(false)`: both leading given names are unmatched (a strong sign of two
    /// relatives); `None`: a side has no such token.
    pub lead_agrees: Option<bool>,
    /// Mean over all core tokens of the best raw string similarity to any token of the other
    /// side (Jaro-Winkler on keys, or the level's similarity), in `[0, 1]`.
    pub residual: f32,
    /// Whole tokens left unmatched on each side.
    pub unmatched_tokens_a: u8,
    pub unmatched_tokens_b: u8,
    /// Weight of the whole tokens left unmatched on each side, each floored at
    /// `CompareParams::unmatched_floor` (disagreement is not discounted by frequency).
    pub unmatched_weight_a: f32,
    pub unmatched_weight_b: f32,
}

/// Similarity and features without the pair list (allocation-free).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NameScore {
    /// Overall similarity in `[0, 1]`.
    pub similarity: f32,
    pub features: NameFeatures,
}

/// Jaro-Winkler similarity of two byte strings (up to 64 bytes considered), no allocation.
pub fn jaro_winkler_bytes(a: &[u8], b: &[u8]) -> f32 {
    let a = &a[..a.len().min(64)];
    let b = &b[..b.len().min(64)];
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_m = [false; 64];
    let mut b_m = [false; 64];
    let mut m = 0usize;
    for i in 0..a.len() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_m[j] && a[i] == b[j] {
                a_m[i] = true;
                b_m[j] = true;
                m += 1;
                break;
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    let mut t = 0usize;
    let mut k = 0usize;
    for i in 0..a.len() {
        if a_m[i] {
            while !b_m[k] {
                k += 1;
            }
            if a[i] != b[k] {
                t += 1;
            }
            k += 1;
        }
    }
    let mf = m as f32;
    let jaro = (mf / a.len() as f32 + mf / b.len() as f32 + (mf - t as f32 / 2.0) / mf) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f32;
    (jaro + prefix * 0.1 * (1.0 - jaro)).min(1.0)
}

/// Upper bound of the Jaro-Winkler similarity of two keys from their letter sets (symmetric):
/// only letters present in the other key can match. The analyser's gate for fuzzy cells; the
/// screening bound (`linkwatch_matching::bound`) calls this same function, so the two stay equal.
#[inline]
pub fn jw_upper_bound(a: &[u8], b: &[u8], la: u64, lb: u64) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let ma = a.iter().filter(|&&c| lb & (1u64 << (c & 63)) != 0).count();
    let mb = b.iter().filter(|&&c| la & (1u64 << (c & 63)) != 0).count();
    let m = ma.min(mb) as f32;
    if m == 0.0 {
        return 0.0;
    }
    let jaro = (m / a.len() as f32 + m / b.len() as f32 + 1.0) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f32;
    (jaro + prefix * 0.1 * (1.0 - jaro)).min(1.0)
}

/// Two keys of the same script that each point to as many groups as the table keeps for one
/// key (`crate::equiv::MAX_GROUPS_PER_KEY`: Korean and Chinese syllables such as `chong`,
/// `song`, `jong`, listed under dozens of Wikidata names) share some group by the table's
/// breadth, not because they spell one name: the table is not trusted between them.
#[inline]
fn saturated_pair(groups_a: usize, groups_b: usize, same_script: bool) -> bool {
    same_script
        && groups_a >= crate::equiv::MAX_GROUPS_PER_KEY
        && groups_b >= crate::equiv::MAX_GROUPS_PER_KEY
}

#[inline]
fn groups_intersect(a: &[u32], b: &[u32]) -> bool {
    // sorted lists whose ranges do not overlap share nothing
    match (a.first(), a.last(), b.first(), b.last()) {
        (Some(&a0), Some(&a1), Some(&b0), Some(&b1)) if a0 <= b1 && b0 <= a1 => {}
        _ => return false,
    }
    // merge without a branch on the order (it is unpredictable)
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x == y {
            return true;
        }
        i += usize::from(x < y);
        j += usize::from(y < x);
    }
    false
}

/// Whether two vowelled phonetic keys with the same consonant skeleton may spell one name by
/// their vowels. Only one-syllable parts are tested (one vowel group each: Korean, Burmese,
/// Chinese syllables, written with their vowels): their vowel is half of what they say, so a
/// different vowel quality is a different name (Korean Mun/Min, Ryu/Ri, Kim/Kum; Burmese
/// Soe/Swe). The key has folded the spellings onto `a`, `i` (e, y) and `u` (o, ou, oo): a
/// group with `u` is rounded, else one with `a` is open, else front; open and front may meet
/// (Gaye/Geye, Pak/Paek), rounded meets only rounded (Chol/Chul, Song/Sung). Longer parts are
/// not tested: the vowels of Arabic-script names are not written, so two romanisations of
/// one name differ in them freely (Mushakhas/Mishkhis, Kawari/Kuwari).
fn vowels_compatible(a: &[u8], b: &[u8]) -> bool {
    fn one_group(k: &[u8]) -> Option<u8> {
        let is_v = |c: &u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
        let start = k.iter().position(is_v)?;
        let len = k[start..].iter().take_while(|c| is_v(c)).count();
        if k[start + len..].iter().any(is_v) {
            return None; // two syllables or more
        }
        let g = &k[start..start + len];
        Some(if g.iter().any(|&c| c == b'u' || c == b'o') {
            2
        } else {
            u8::from(g.contains(&b'a'))
        })
    }
    match (one_group(a), one_group(b)) {
        (Some(x), Some(y)) => x == y || (x < 2 && y < 2),
        _ => true,
    }
}

/// Whether a key of at most `max_len` bytes holds exactly one group of vowels (`a e i o u y`):
/// one short syllable (`un`, `kiung`, `hsiang`; not `ali`). Shared by the one-syllable rules here
/// and the leading-name rule of `linkwatch_matching::features`.
pub fn one_vowel_group(k: &[u8], max_len: usize) -> bool {
    let is_v = |c: &u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    if k.len() > max_len {
        return false;
    }
    let Some(start) = k.iter().position(is_v) else {
        return false;
    };
    let len = k[start..].iter().take_while(|c| is_v(c)).count();
    !k[start + len..].iter().any(is_v)
}

/// Whether two vowelled phonetic keys are both one-syllable parts of at most four letters
/// (one vowel group each: Korean, Chinese, Burmese syllables). Such parts are a consonant
/// frame around one vowel: a different consonant is a different name (Korean Ho/Hun, Ri/Ryu,
/// Hwan/Hwa), so they never agree by string similarity alone, only on an equal
/// skeleton with compatible vowels ([`vowels_compatible`]) or above.
fn one_syllable_pair(a: &[u8], b: &[u8]) -> bool {
    fn one(k: &[u8]) -> bool {
        one_vowel_group(k, 4)
    }
    one(a) && one(b)
}

fn fuzzy_level(jw: f32, p: &CompareParams) -> f32 {
    if jw < p.fuzzy_floor {
        0.0
    } else {
        p.fuzzy_low + (jw - p.fuzzy_floor) / (1.0 - p.fuzzy_floor).max(1e-3) * (1.0 - p.fuzzy_low)
    }
}

/// Similarity level of two tokens (symmetric), with the default parameters.
pub fn token_similarity(x: &Token, y: &Token) -> (f32, TokenMatchKind) {
    token_similarity_params(x, y, &DEFAULT_PARAMS)
}

/// Similarity level of two tokens (symmetric).
pub fn token_similarity_params(x: &Token, y: &Token, p: &CompareParams) -> (f32, TokenMatchKind) {
    let (s, k, _) = token_similarity_raw(x, y, p);
    (s, k)
}

/// Like [`token_similarity_params`], plus the raw string similarity (Jaro-Winkler on keys or
/// skeletons, or the level's similarity) used as a weak residual below the fuzzy floor.
fn token_similarity_raw(x: &Token, y: &Token, p: &CompareParams) -> (f32, TokenMatchKind, f32) {
    let xi = x.role == PartRole::Initial;
    let yi = y.role == PartRole::Initial;
    if xi || yi {
        let fx = x.text.as_bytes().first();
        let fy = y.text.as_bytes().first();
        if fx.is_some() && fx == fy {
            return if xi && yi {
                (1.0, TokenMatchKind::Exact, 1.0)
            } else {
                (p.initial, TokenMatchKind::Initial, p.initial)
            };
        }
        return (0.0, TokenMatchKind::Fuzzy, 0.0);
    }
    if x.text == y.text && !x.text.is_empty() {
        return (1.0, TokenMatchKind::Exact, 1.0);
    }
    // Table equivalence; for two short tokens in the same script (Korean/Burmese syllables,
    // where the table's groups are broad) or two saturated keys it is not trusted, unless the
    // shared group is one of linkwatch's own (`Zia`/`Diya`, `Eun`/`Un`).
    if groups_intersect(&x.groups, &y.groups)
        && ((((x.key.len().min(y.key.len()) >= 3 && x.key.len().max(y.key.len()) >= 4)
            || x.script != y.script)
            && !saturated_pair(x.groups.len(), y.groups.len(), x.script == y.script))
            || crate::equiv::table().shares_curated(&x.groups, &y.groups))
    {
        return (p.equivalent, TokenMatchKind::Equivalent, p.equivalent);
    }
    if x.key_hash == y.key_hash && !x.key.is_empty() {
        return (p.phonetic, TokenMatchKind::Phonetic, p.phonetic);
    }
    let vowelless = x.vowelless || y.vowelless;
    if (x.guess_hash != 0 && (x.guess_hash == y.key_hash || x.guess_hash == y.guess_hash))
        || (y.guess_hash != 0 && y.guess_hash == x.key_hash)
    {
        return (p.phonetic, TokenMatchKind::Phonetic, p.phonetic);
    }
    if x.loose_hash == y.loose_hash && !vowelless {
        return (p.loose, TokenMatchKind::Phonetic, p.loose);
    }
    // Short tokens (Gaye/Geye, Chol/Chul) may agree on a one-consonant skeleton.
    // Between two Latin spellings a two-consonant skeleton is weak evidence (mare/amir,
    // gray/igor): there it must also keep the first letter.
    let same_initial = x.key.as_bytes().first() == y.key.as_bytes().first();
    let skel_eq = x.skeleton_hash == y.skeleton_hash
        && ((x.skeleton.len() >= 2 && (vowelless || x.skeleton.len() >= 3 || same_initial))
            || (!vowelless && same_initial && x.key.len() <= 4 && y.key.len() <= 4))
        && (vowelless || (vowels_compatible(x.key.as_bytes(), y.key.as_bytes()) && same_initial));
    if vowelless {
        if skel_eq || (x.raw_skeleton_hash != 0 && x.raw_skeleton_hash == y.raw_skeleton_hash) {
            return (
                p.skeleton_vowelless,
                TokenMatchKind::Skeleton,
                p.skeleton_vowelless,
            );
        }
        let mut jw = jaro_winkler_bytes(x.skeleton.as_bytes(), y.skeleton.as_bytes()) * 0.97;
        if let Some(g) = &x.guess {
            jw = jw.max(jaro_winkler_bytes(g.as_bytes(), y.key.as_bytes()));
        }
        if let Some(g) = &y.guess {
            jw = jw.max(jaro_winkler_bytes(x.key.as_bytes(), g.as_bytes()));
        }
        return (fuzzy_level(jw, p), TokenMatchKind::Fuzzy, jw);
    }
    let (xk, yk) = (x.key.as_bytes(), y.key.as_bytes());
    let bound = jw_upper_bound(xk, yk, x.letters, y.letters);
    if bound < p.fuzzy_floor && !skel_eq {
        return (0.0, TokenMatchKind::Fuzzy, bound);
    }
    let mut jw = jaro_winkler_bytes(xk, yk);
    if xk.len() <= 5 || yk.len() <= 5 {
        jw = jw.max(jaro_winkler_bytes(x.text.as_bytes(), y.text.as_bytes()));
    }
    if skel_eq {
        let s = p.skeleton_latin.max(fuzzy_level(jw, p));
        return (s, TokenMatchKind::Skeleton, s);
    }
    if one_syllable_pair(xk, yk) {
        return (0.0, TokenMatchKind::Fuzzy, jw);
    }
    (fuzzy_level(jw, p), TokenMatchKind::Fuzzy, jw)
}

/// Similarity of a token against two adjacent tokens joined. Joins need near-identity:
/// same key, same skeleton (4+ letters), or Jaro-Winkler >= 0.93 at similar length.
fn join_similarity(x: &Token, j: &crate::Join, p: &CompareParams) -> f32 {
    if x.role == PartRole::Initial {
        return 0.0;
    }
    if x.key_hash == j.key_hash {
        return p.phonetic;
    }
    let (xs, js) = if x.vowelless {
        (x.skeleton.as_bytes(), j.skeleton.as_bytes())
    } else {
        (x.key.as_bytes(), j.key.as_bytes())
    };
    if xs.len().abs_diff(js.len()) > 1 || xs.last() != js.last() {
        return 0.0;
    }
    if x.skeleton_hash == j.skeleton_hash && j.skeleton.len() >= 4 {
        return if x.vowelless {
            p.skeleton_vowelless
        } else {
            p.skeleton_latin
        };
    }
    let jw = jaro_winkler_bytes(xs, js);
    if jw >= 0.93 {
        fuzzy_level(jw, p)
    } else {
        0.0
    }
}

/// [`token_similarity_raw`] on the compact records: the same result, reading the tokens
/// themselves (`xt`, `yt`) only when the records cannot decide.
#[inline]
#[allow(clippy::too_many_arguments)]
fn token_similarity_fast(
    x: &Tok,
    xt: &Token,
    xgroups: &[u32],
    y: &Tok,
    yt: &Token,
    ygroups: &[u32],
    p: &CompareParams,
) -> (f32, TokenMatchKind, f32) {
    if (x.flags | y.flags) & SLOW != 0 {
        return token_similarity_raw(xt, yt, p);
    }
    let xi = x.role == PartRole::Initial;
    let yi = y.role == PartRole::Initial;
    if xi || yi {
        let (fx, fy) = (x.text_first, y.text_first);
        if fx.is_some() && fx == fy {
            return if xi && yi {
                (1.0, TokenMatchKind::Exact, 1.0)
            } else {
                (p.initial, TokenMatchKind::Initial, p.initial)
            };
        }
        return (0.0, TokenMatchKind::Fuzzy, 0.0);
    }
    // different hashes: different texts
    if x.text_hash == y.text_hash
        && x.text_len == y.text_len
        && x.text_len > 0
        && x.same_text(xt, y, yt)
    {
        return (1.0, TokenMatchKind::Exact, 1.0);
    }
    // no common bloom bit: no common group; the saturation test (counts only) before the walk
    // over the groups (the same conditions as `token_similarity_raw`, cheapest first)
    if x.group_bloom & y.group_bloom != 0
        && ((!saturated_pair(
            x.groups(xgroups).len(),
            y.groups(ygroups).len(),
            x.script == y.script,
        ) && ((x.key_len.min(y.key_len) >= 3 && x.key_len.max(y.key_len) >= 4)
            || x.script != y.script)
            && groups_intersect(x.groups(xgroups), y.groups(ygroups)))
            || crate::equiv::table().shares_curated(x.groups(xgroups), y.groups(ygroups)))
    {
        return (p.equivalent, TokenMatchKind::Equivalent, p.equivalent);
    }
    if x.key_hash == y.key_hash && x.key_len > 0 {
        return (p.phonetic, TokenMatchKind::Phonetic, p.phonetic);
    }
    let vowelless = x.vowelless || y.vowelless;
    // a guess (its hash is not 0) only on vowel-less tokens, whose token is read below anyway
    let (xg, yg) = (x.flags & HAS_GUESS != 0, y.flags & HAS_GUESS != 0);
    if (xg && (xt.guess_hash == y.key_hash || (yg && xt.guess_hash == yt.guess_hash)))
        || (yg && yt.guess_hash == x.key_hash)
    {
        return (p.phonetic, TokenMatchKind::Phonetic, p.phonetic);
    }
    if x.loose_hash == y.loose_hash && !vowelless {
        return (p.loose, TokenMatchKind::Phonetic, p.loose);
    }
    let same_initial = x.key_first == y.key_first;
    let skel_eq = x.skeleton_hash == y.skeleton_hash
        && ((x.skel_len >= 2 && (vowelless || x.skel_len >= 3 || same_initial))
            || (!vowelless && same_initial && x.key_len <= 4 && y.key_len <= 4))
        && (vowelless || (vowels_compatible(x.key(xt), y.key(yt)) && same_initial));
    if vowelless {
        if skel_eq || (x.raw_skeleton_hash != 0 && x.raw_skeleton_hash == y.raw_skeleton_hash) {
            return (
                p.skeleton_vowelless,
                TokenMatchKind::Skeleton,
                p.skeleton_vowelless,
            );
        }
        let mut jw = jaro_winkler_bytes(xt.skeleton.as_bytes(), yt.skeleton.as_bytes()) * 0.97;
        if let Some(g) = &xt.guess {
            jw = jw.max(jaro_winkler_bytes(g.as_bytes(), yt.key.as_bytes()));
        }
        if let Some(g) = &yt.guess {
            jw = jw.max(jaro_winkler_bytes(xt.key.as_bytes(), g.as_bytes()));
        }
        return (fuzzy_level(jw, p), TokenMatchKind::Fuzzy, jw);
    }
    let (xk, yk) = (x.key(xt), y.key(yt));
    let bound = jw_upper_bound_tok(x, xk, y, yk);
    if bound < p.fuzzy_floor && !skel_eq {
        return (0.0, TokenMatchKind::Fuzzy, bound);
    }
    let mut jw = jaro_winkler_bytes(xk, yk);
    if xk.len() <= 5 || yk.len() <= 5 {
        jw = jw.max(jaro_winkler_bytes(x.text(xt), y.text(yt)));
    }
    if skel_eq {
        let s = p.skeleton_latin.max(fuzzy_level(jw, p));
        return (s, TokenMatchKind::Skeleton, s);
    }
    if one_syllable_pair(xk, yk) {
        return (0.0, TokenMatchKind::Fuzzy, jw);
    }
    (fuzzy_level(jw, p), TokenMatchKind::Fuzzy, jw)
}

/// [`join_similarity`] on the compact records (same result): `j` is the record of the join
/// `joins[ji]` (read only when the records cannot decide). The cheap rejections are inline;
/// the rest ([`join_similarity_tail`]) is not.
#[inline(always)]
fn join_similarity_fast(
    x: &Tok,
    xt: &Token,
    j: &JoinTok,
    joins: &[crate::Join],
    ji: u8,
    p: &CompareParams,
) -> f32 {
    if x.flags & SLOW != 0 {
        return join_similarity(xt, &joins[ji as usize], p);
    }
    if x.role == PartRole::Initial {
        return 0.0;
    }
    if x.key_hash == j.key_hash {
        return p.phonetic;
    }
    let (xl, xlast, jl, jlast) = if x.vowelless {
        (u32::from(x.skel_len), x.skel_last, j.skel_len, j.skel_last)
    } else {
        (u32::from(x.key_len), x.key_last, j.key_len, j.key_last)
    };
    if xl.abs_diff(jl) > 1 || xlast != jlast {
        return 0.0;
    }
    join_similarity_tail(x, xt, j, &joins[ji as usize], p)
}

/// The end of [`join_similarity_fast`] (lengths within one, same last letter).
#[inline(never)]
fn join_similarity_tail(
    x: &Tok,
    xt: &Token,
    j: &JoinTok,
    jt: &crate::Join,
    p: &CompareParams,
) -> f32 {
    if x.skeleton_hash == j.skeleton_hash && j.skel_len >= 4 {
        return if x.vowelless {
            p.skeleton_vowelless
        } else {
            p.skeleton_latin
        };
    }
    let (xs, js) = if x.vowelless {
        (xt.skeleton.as_bytes(), jt.skeleton.as_bytes())
    } else {
        // the key inline when it fits (no read of the token)
        (x.key(xt), jt.key.as_bytes())
    };
    let jw = jaro_winkler_bytes(xs, js);
    if jw >= 0.93 {
        fuzzy_level(jw, p)
    } else {
        0.0
    }
}

/// Information weight of a frequency (default parameters).
#[inline]
pub fn weight_of_frequency(f: f64) -> f32 {
    weight_of_frequency_params(f, &DEFAULT_PARAMS)
}

#[inline]
fn weight_of_frequency_params(f: f64, p: &CompareParams) -> f32 {
    let f = if f.is_finite() && f > 0.0 { f } else { 1e-5 };
    (-(f.ln()) as f32).clamp(p.min_weight, p.max_weight)
}

const MAXT: usize = 12;
const MAXM: usize = 6;

#[derive(Clone, Copy, Default)]
struct Cell {
    sim: f32,
    kind: u8,
}

fn kind_code(k: TokenMatchKind) -> u8 {
    match k {
        TokenMatchKind::Exact => 0,
        TokenMatchKind::Equivalent => 1,
        TokenMatchKind::Phonetic => 2,
        TokenMatchKind::Skeleton => 3,
        TokenMatchKind::Fuzzy => 4,
        TokenMatchKind::Initial => 5,
    }
}

fn kind_of(c: u8) -> TokenMatchKind {
    match c {
        0 => TokenMatchKind::Exact,
        1 => TokenMatchKind::Equivalent,
        2 => TokenMatchKind::Phonetic,
        3 => TokenMatchKind::Skeleton,
        5 => TokenMatchKind::Initial,
        _ => TokenMatchKind::Fuzzy,
    }
}

/// One aligned unit: core positions on each side (second position for joins).
#[derive(Clone, Copy, Default)]
struct Unit {
    a: u8,
    a2: u8, // 255 = none
    b: u8,
    b2: u8,
    sim: f32,
    kind: u8,
}

/// Inline key bytes kept per prepared token (longer keys are read from the token).
const KEY_INLINE: usize = 24;
/// Inline bytes of a prepared name's key sequence (see `PreparedName::keyseq`).
const KEYSEQ_INLINE: usize = 40;
/// Inline bytes of a prepared name's original text.
const ORIG_INLINE: usize = 16;
/// Equivalence groups kept inline per prepared token.
const GROUPS_INLINE: usize = 4;

/// What the comparison reads of one core token, copied into one compact record so that the
/// pair loop touches contiguous memory (the token's strings are read only on rare paths:
/// vowel-less tokens, long texts or keys, many equivalence groups). Laid out so that the first
/// cache line holds everything a pair of unrelated tokens needs, the second what their
/// Jaro-Winkler bound and joins read, the third what only agreeing tokens read.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, align(64))]
struct Tok {
    // -- first cache line: the common path
    text_hash: u64,
    key_hash: u64,
    loose_hash: u64,
    /// Bits (`1 << (byte & 63)`) found at least twice among the key's bytes (see
    /// [`jw_upper_bound_tok`]).
    letters2: u64,
    /// Bit `mix(g) & 63` for every equivalence group `g` (no common bit: no common group).
    group_bloom: u64,
    skeleton_hash: u64,
    letters: u64,
    /// Information weight of the token (see [`PreparedName`]).
    w: f32,
    role: PartRole,
    script: crate::Script,
    vowelless: bool,
    /// [`HAS_GUESS`], [`MULTI3`], [`SLOW`].
    flags: u8,
    // -- second cache line: the key (Jaro-Winkler bound of unrelated tokens) and the join (read
    // for every token against a join of the other name)
    /// Key and skeleton lengths (exact unless [`SLOW`]).
    key_len: u16,
    skel_len: u16,
    key: [u8; KEY_INLINE],
    /// The join of this core position with the next one, if any (see `PreparedName::join`).
    join: JoinTok,
    key_last: Option<u8>,
    skel_last: Option<u8>,
    key_first: Option<u8>,
    text_first: Option<u8>,
    // -- third cache line: read only when the hashes agree (texts, groups), for vowel-less
    // tokens, or for the frequency of a strongly aligned token
    /// Frequency of the token (see [`PreparedName`]).
    f: f64,
    raw_skeleton_hash: u64,
    text: [u8; KEY_INLINE],
    /// Text length, saturated at `u16::MAX` (equal saturated lengths compare the texts).
    text_len: u16,
    /// Number of groups (exact unless [`SLOW`]); more than [`GROUPS_INLINE`]: they are in the
    /// preparation's `xgroups` from `groups_off` on.
    n_groups: u16,
    /// The groups themselves when at most [`GROUPS_INLINE`] (sorted, as in the token).
    groups: [u32; GROUPS_INLINE],
    /// Where this token's groups start in the preparation's `xgroups` (when more than
    /// [`GROUPS_INLINE`]).
    groups_off: u32,
}

/// What a join comparison reads of a join (packed to 28 bytes so that it fits in the token
/// record's second cache line).
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, packed(4))]
struct JoinTok {
    key_hash: u64,
    skeleton_hash: u64,
    key_len: u32,
    skel_len: u32,
    key_last: Option<u8>,
    skel_last: Option<u8>,
}

/// `Tok::flags`: the token has a guess (`Token::guess_hash` is not 0).
const HAS_GUESS: u8 = 1;
/// `Tok::flags`: some bit of the key's letter set stands for three or more of its bytes.
const MULTI3: u8 = 2;
/// `Tok::flags`: a length or group count does not fit the record's `u16` fields: every
/// comparison of this token takes the token-based path ([`token_similarity_raw`],
/// [`join_similarity`]).
const SLOW: u8 = 4;

/// [`jw_upper_bound`] of two records' keys (`xk`, `yk`, their key bytes), the same value: the
/// number of bytes of one key whose bit is in the other's letter set is counted from the
/// record's letter multiplicities (bits seen once or more, twice or more) instead of byte by
/// byte, unless a bit stands for three or more bytes.
#[inline]
fn jw_upper_bound_tok(x: &Tok, xk: &[u8], y: &Tok, yk: &[u8]) -> f32 {
    if xk.is_empty() || yk.is_empty() {
        return 0.0;
    }
    let count = |t: &Tok, k: &[u8], other: u64| -> usize {
        if t.flags & MULTI3 != 0 {
            k.iter()
                .filter(|&&c| other & (1u64 << (c & 63)) != 0)
                .count()
        } else {
            // every bit of the key's bytes is in `letters` (the analyser's set of them)
            ((t.letters & other).count_ones() + (t.letters2 & other).count_ones()) as usize
        }
    };
    let ma = count(x, xk, y.letters);
    let mb = count(y, yk, x.letters);
    let m = ma.min(mb) as f32;
    if m == 0.0 {
        return 0.0;
    }
    let jaro = (m / xk.len() as f32 + m / yk.len() as f32 + 1.0) / 3.0;
    let prefix = xk
        .iter()
        .zip(yk)
        .take(4)
        .take_while(|(a, b)| a == b)
        .count() as f32;
    (jaro + prefix * 0.1 * (1.0 - jaro)).min(1.0)
}

#[inline]
fn group_bit(g: u32) -> u64 {
    1u64 << ((g as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58)
}

impl Tok {
    /// The record of `t`; groups beyond [`GROUPS_INLINE`] are appended to `xgroups` (the
    /// preparation's one block of them, so that no comparison reads the token's own list).
    fn of(t: &Token, w: f32, f: f64, xgroups: &mut Vec<u32>) -> Tok {
        let kb = t.key.as_bytes();
        let fits = |n: usize| n <= u16::MAX as usize;
        let slow = !(fits(kb.len()) && fits(t.skeleton.len()) && fits(t.groups.len()));
        // bits of the key's bytes seen at least twice, and whether any is seen three times
        let (mut seen1, mut letters2, mut multi3) = (0u64, 0u64, false);
        for &c in kb {
            let bit = 1u64 << (c & 63);
            multi3 |= letters2 & bit != 0;
            letters2 |= seen1 & bit;
            seen1 |= bit;
        }
        // a token whose letter set is not its key's: always count byte by byte
        multi3 |= seen1 != t.letters;
        let mut key = [0u8; KEY_INLINE];
        if kb.len() <= KEY_INLINE {
            key[..kb.len()].copy_from_slice(kb);
        }
        let mut groups = [0u32; GROUPS_INLINE];
        let groups_off = xgroups.len().min(u32::MAX as usize) as u32;
        if t.groups.len() <= GROUPS_INLINE {
            groups[..t.groups.len()].copy_from_slice(&t.groups);
        } else {
            xgroups.extend_from_slice(&t.groups);
        }
        let tb = t.text.as_bytes();
        let mut text = [0u8; KEY_INLINE];
        if tb.len() <= KEY_INLINE {
            text[..tb.len()].copy_from_slice(tb);
        }
        Tok {
            text,
            text_hash: crate::hash_str(&t.text),
            key_hash: t.key_hash,
            skeleton_hash: t.skeleton_hash,
            letters2,
            flags: if t.guess_hash != 0 { HAS_GUESS } else { 0 }
                | if multi3 { MULTI3 } else { 0 }
                | if slow { SLOW } else { 0 },
            w,
            f,
            loose_hash: t.loose_hash,
            raw_skeleton_hash: t.raw_skeleton_hash,
            letters: t.letters,
            group_bloom: t.groups.iter().fold(0, |m, &g| m | group_bit(g)),
            groups,
            groups_off,
            n_groups: t.groups.len().min(u16::MAX as usize) as u16,
            join: NO_JOIN,
            key,
            key_len: kb.len().min(u16::MAX as usize) as u16,
            skel_len: t.skeleton.len().min(u16::MAX as usize) as u16,
            text_len: t.text.len().min(u16::MAX as usize) as u16,
            text_first: t.text.as_bytes().first().copied(),
            key_first: kb.first().copied(),
            key_last: kb.last().copied(),
            skel_last: t.skeleton.as_bytes().last().copied(),
            role: t.role,
            script: t.script,
            vowelless: t.vowelless,
        }
    }

    /// The key's bytes: inline, or the token's own when longer.
    #[inline]
    fn key<'a>(&'a self, t: &'a Token) -> &'a [u8] {
        if self.key_len as usize <= KEY_INLINE {
            &self.key[..self.key_len as usize]
        } else {
            t.key.as_bytes()
        }
    }

    /// Whether this record's text equals `y`'s (their lengths are equal): the inline arrays
    /// (zero beyond the text) when the texts fit, else the tokens' own.
    #[inline]
    fn same_text(&self, t: &Token, y: &Tok, yt: &Token) -> bool {
        if self.text_len as usize <= KEY_INLINE && y.text_len as usize <= KEY_INLINE {
            self.text == y.text
        } else {
            self.text(t) == y.text(yt)
        }
    }

    /// The text's bytes: inline, or the token's own when longer.
    #[inline]
    fn text<'a>(&'a self, t: &'a Token) -> &'a [u8] {
        if self.text_len as usize <= KEY_INLINE {
            &self.text[..self.text_len as usize]
        } else {
            t.text.as_bytes()
        }
    }

    /// The equivalence groups: inline, or from the preparation's `xgroups` when more.
    #[inline]
    fn groups<'a>(&'a self, xgroups: &'a [u32]) -> &'a [u32] {
        let n = self.n_groups as usize;
        if n <= GROUPS_INLINE {
            &self.groups[..n]
        } else {
            let off = self.groups_off as usize;
            xgroups.get(off..off + n).unwrap_or(&[])
        }
    }
}

/// Something shown one field of each cache line of a structure, e.g. to prefetch them
/// ([`Prefetch`]) or, in tests, to check that every line is shown.
pub trait LineVisitor {
    fn visit<T>(&mut self, x: &T);
}

/// A [`LineVisitor`] that asks the processor to bring each shown line into its second-level
/// cache ([`prefetch_l2`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Prefetch;

impl LineVisitor for Prefetch {
    #[inline(always)]
    fn visit<T>(&mut self, x: &T) {
        prefetch_l2(x);
    }
}

/// Ask the processor to bring the cache line holding `x` into its second-level cache, without
/// waiting for it (`prefetcht1`; a hint: it changes no result, and does nothing on targets
/// without SSE). Unlike a load, it does not hold up the instructions after it, and it fills the
/// second-level cache's miss queue rather than the first level's few line-fill buffers: a
/// batch of pairs can have the next pairs' lines on their way while it computes (see
/// `linkwatch_matching::Scorer::log2_odds_many`).
#[inline(always)]
pub fn prefetch_l2<T>(x: &T) {
    #[cfg(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse"
    ))]
    safe_arch::prefetch_t1(x);
    #[cfg(not(all(
        any(target_arch = "x86_64", target_arch = "x86"),
        target_feature = "sse"
    )))]
    let _ = x;
}

const NO_JOIN: JoinTok = JoinTok {
    key_hash: 0,
    skeleton_hash: 0,
    key_len: 0,
    skel_len: 0,
    key_last: None,
    skel_last: None,
};

/// A name's comparison side precomputed once: core token positions, frequencies, information
/// weights, joins and a compact record of every core token (what [`compare_prepared`] would
/// otherwise recompute, with term-frequency look-ups, for every pair, and read scattered over
/// the token's strings). Built with the default parameters. Each core token's frequency and
/// information weight live in its record (`Tok::f`, `Tok::w`), so that this header stays small
/// (it sits inline in every prepared name of an index).
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedName {
    /// core token indices
    idx: [u8; MAXT],
    n: u8,
    /// join index between core positions p and p+1, 255 if none
    join: [u8; MAXT],
    /// compact record of each core position, with its join to the next (one block in memory;
    /// boxed slices, not vectors: 8 bytes less each in a header every `IdName` holds inline)
    toks: Box<[Tok]>,
    /// The equivalence groups of every core token with more than [`GROUPS_INLINE`] of them,
    /// one after the other (see `Tok::groups_off`).
    xgroups: Box<[u32]>,
    /// Non-particle tokens of the whole name (not truncated), for the orientation rule.
    core: u32,
    /// `tokens.len()` of the name it was built from (a guard against stale preparations).
    tokens: u32,
    /// The keys of every token (particles included), each followed by a 0 byte, cut at
    /// [`KEYSEQ_INLINE`] bytes: decides the orientation rule's key comparison without reading
    /// the tokens in most cases (see [`keys_order`]).
    keyseq: [u8; KEYSEQ_INLINE],
    keyseq_len: u8,
    /// `keyseq` holds every key whole (not cut; no key holds a 0 byte).
    keyseq_whole: bool,
    /// The first bytes of the original text and its length (the orientation rule's last step),
    /// saturated at `u32::MAX`: saturation keeps the order of two lengths unless both are
    /// saturated, and then neither text is inline and the rule compares the texts.
    orig: [u8; ORIG_INLINE],
    orig_len: u32,
    /// Bit `i` (`i < 64`) set when token `i` is a family name, an initial or a particle by the
    /// analyser's role (see [`PreparedName::role_skip`]).
    role_skip: u64,
}

impl PreparedName {
    /// Prepare `name` with `freq(i)` = frequency of token `i`, under parameters `p`.
    fn build(name: &AnalyzedName, freq: &dyn Fn(usize) -> f64, p: &CompareParams) -> Self {
        let mut s = PreparedName {
            idx: [0; MAXT],
            n: 0,
            join: [255; MAXT],
            toks: Box::default(),
            xgroups: Box::default(),
            core: name
                .tokens
                .iter()
                .filter(|t| t.role != PartRole::Particle)
                .count()
                .min(u32::MAX as usize) as u32,
            tokens: name.tokens.len().min(u32::MAX as usize) as u32,
            keyseq: [0; KEYSEQ_INLINE],
            keyseq_len: 0,
            keyseq_whole: true,
            orig: [0; ORIG_INLINE],
            orig_len: name.original.len().min(u32::MAX as usize) as u32,
            role_skip: name
                .tokens
                .iter()
                .take(64)
                .enumerate()
                .filter(|(_, t)| {
                    matches!(
                        t.role,
                        PartRole::Family | PartRole::Initial | PartRole::Particle
                    )
                })
                .fold(0u64, |m, (i, _)| m | (1u64 << i)),
        };
        let ob = name.original.as_bytes();
        let ol = ob.len().min(ORIG_INLINE);
        s.orig[..ol].copy_from_slice(&ob[..ol]);
        let mut len = 0usize;
        for t in &name.tokens {
            let k = t.key.as_bytes();
            if k.contains(&0) {
                // a 0 byte in a key would read as its end: not usable, always read the tokens
                len = 0;
                s.keyseq_whole = false;
                break;
            }
            for &c in k.iter().chain(&[0u8]) {
                if len == KEYSEQ_INLINE {
                    s.keyseq_whole = false;
                    break;
                }
                s.keyseq[len] = c;
                len += 1;
            }
            if !s.keyseq_whole {
                break;
            }
        }
        s.keyseq_len = len as u8;
        let mut n = 0usize;
        let (mut toks, mut xgroups) = (Vec::with_capacity(name.tokens.len().min(MAXT)), Vec::new());
        for (i, t) in name.tokens.iter().enumerate() {
            if t.role == PartRole::Particle || n >= MAXT || i > 254 {
                continue;
            }
            s.idx[n] = i as u8;
            let f = freq(i);
            let w = if t.role == PartRole::Initial {
                p.initial_weight
            } else {
                weight_of_frequency_params(f, p)
            };
            toks.push(Tok::of(t, w, f, &mut xgroups));
            n += 1;
        }
        s.n = n as u8;
        s.toks = toks.into_boxed_slice();
        s.xgroups = xgroups.into_boxed_slice();
        for (ji, j) in name.joins.iter().enumerate() {
            if ji > 254 {
                break;
            }
            for q in 0..n.saturating_sub(1) {
                if s.idx[q] as usize == j.first && s.idx[q + 1] as usize == j.second {
                    s.join[q] = ji as u8;
                    s.toks[q].join = JoinTok {
                        key_hash: j.key_hash,
                        skeleton_hash: j.skeleton_hash,
                        key_len: j.key.len().min(u32::MAX as usize) as u32,
                        skel_len: j.skeleton.len().min(u32::MAX as usize) as u32,
                        key_last: j.key.as_bytes().last().copied(),
                        skel_last: j.skeleton.as_bytes().last().copied(),
                    };
                }
            }
        }
        s
    }

    /// Prepare `name` with token frequencies from `weights` (default parameters).
    pub fn new(name: &AnalyzedName, weights: &dyn TokenWeights) -> Self {
        Self::build(
            name,
            &|i| weights.token_frequency(&name.tokens[i]),
            &DEFAULT_PARAMS,
        )
    }

    /// Prepare `name` with frequencies precomputed per token (`freqs[i]` is the frequency of
    /// `name.tokens[i]`; missing entries count as `1e-5`, as in [`compare_score_with`]).
    pub fn from_frequencies(name: &AnalyzedName, freqs: &[f64]) -> Self {
        Self::build(
            name,
            &|i| freqs.get(i).copied().unwrap_or(1e-5),
            &DEFAULT_PARAMS,
        )
    }

    /// Tokens (the first 64) whose analyser role is family name, initial or particle, as a bit
    /// set: what finding a name's leading given name reads of the tokens, kept here so that it
    /// does not touch them.
    pub fn role_skip(&self) -> u64 {
        self.role_skip
    }

    /// Read one value from every cache line a comparison reads of this preparation (its
    /// token records), and return them combined: calling it for the next pairs before scoring
    /// the current one lets their memory loads overlap (no effect on any result).
    pub fn touch(&self) -> u64 {
        self.touch_inline() ^ self.touch_records()
    }

    /// The part of [`Self::touch`] that reads the preparation itself (where it is stored).
    pub fn touch_inline(&self) -> u64 {
        u64::from(self.n)
            ^ u64::from(self.idx[0])
            ^ u64::from(self.join[0])
            ^ u64::from(self.core)
            ^ u64::from(self.keyseq[0])
            ^ self.orig_len as u64
            ^ self.role_skip
            ^ self.toks.len() as u64
            ^ self.xgroups.len() as u64
    }

    /// The part of [`Self::touch`] that reads the blocks the preparation points to (token
    /// records and overflow groups): call it once [`Self::touch_inline`]'s loads have arrived.
    pub fn touch_records(&self) -> u64 {
        let toks = self.toks.iter().fold(0, |acc, t| {
            acc ^ t.text_hash ^ u64::from(t.key_len) ^ u64::from(t.text_len)
        });
        // one value per cache line of the overflow groups
        self.xgroups
            .iter()
            .step_by(16)
            .fold(toks, |acc, &g| acc ^ u64::from(g))
    }

    /// Show `v` one field of every cache line a comparison reads of the preparation itself
    /// (where it is stored: inline in its owner); see [`LineVisitor`].
    #[inline]
    pub fn visit_inline<V: LineVisitor>(&self, v: &mut V) {
        v.visit(&self.idx);
        v.visit(&self.n);
        v.visit(&self.join);
        v.visit(&self.toks);
        v.visit(&self.xgroups);
        v.visit(&self.core);
        v.visit(&self.tokens);
        v.visit(&self.keyseq[0]);
        v.visit(&self.keyseq[KEYSEQ_INLINE - 1]);
        v.visit(&self.keyseq_len);
        v.visit(&self.orig[0]);
        v.visit(&self.orig[ORIG_INLINE - 1]);
        v.visit(&self.orig_len);
        v.visit(&self.role_skip);
    }

    /// Show `v` one field of every cache line of the blocks the preparation points to (each
    /// token record's three lines, one value per line of the overflow groups); call it once
    /// [`Self::visit_inline`]'s lines have arrived (it reads the block pointers).
    #[inline]
    pub fn visit_records<V: LineVisitor>(&self, v: &mut V) {
        for t in self.toks.iter() {
            // the three lines of the 64-aligned record (`tok_layout` pins the offsets)
            v.visit(&t.text_hash);
            v.visit(&t.key_len);
            v.visit(&t.f);
        }
        for g in self.xgroups.iter().step_by(16) {
            v.visit(g);
        }
        if let Some(g) = self.xgroups.last() {
            v.visit(g);
        }
    }

    /// Whether this preparation plausibly belongs to `name` (same token count).
    pub fn fits(&self, name: &AnalyzedName) -> bool {
        self.tokens as usize == name.tokens.len()
    }
}

struct Side<'n> {
    name: &'n AnalyzedName,
    /// core token indices
    idx: &'n [u8; MAXT],
    n: usize,
    /// information weights of the core positions (copied from the records' first lines)
    w: [f32; MAXT],
    /// frequencies of the core positions (read from the records' third lines when indexed)
    f: Freqs<'n>,
    /// join index between core positions p and p+1, 255 if none
    join: &'n [u8; MAXT],
    toks: &'n [Tok],
    /// groups beyond the inline ones (see `Tok::groups`)
    xg: &'n [u32],
}

/// The frequencies of a side's core positions, `f[p]`, read from the token records only when
/// asked (the third cache line of a record; most comparisons need few of them).
#[derive(Clone, Copy)]
struct Freqs<'n>(&'n [Tok]);

impl std::ops::Index<usize> for Freqs<'_> {
    type Output = f64;
    #[inline]
    fn index(&self, p: usize) -> &f64 {
        &self.0[p].f
    }
}

impl<'n> Side<'n> {
    fn of(name: &'n AnalyzedName, pr: &'n PreparedName) -> Side<'n> {
        let mut w = [0f32; MAXT];
        for (x, t) in w.iter_mut().zip(pr.toks.iter()) {
            *x = t.w;
        }
        Side {
            name,
            idx: &pr.idx,
            n: pr.n as usize,
            w,
            f: Freqs(&pr.toks),
            join: &pr.join,
            toks: &pr.toks,
            xg: &pr.xgroups,
        }
    }
    /// The token at core position `p` (its strings live elsewhere in memory).
    fn tok(&self, p: usize) -> &'n Token {
        &self.name.tokens[self.idx[p] as usize]
    }
    /// The compact record of core position `p`.
    fn t(&self, p: usize) -> &'n Tok {
        &self.toks[p]
    }
}

/// Join similarities and the B columns that can take part in any pair.
struct Cand {
    /// A_i vs B join starting at original column j
    bj: [[f32; MAXT]; MAXT],
    /// A join starting at row i vs B_j
    aj: [[f32; MAXT]; MAXT],
    /// active B columns (original indices), ascending
    cols: [u8; MAXT],
    mc: usize,
    /// row i has any candidate
    row_active: [bool; MAXT],
    /// No join agrees, and every active row and every active column has exactly one agreeing
    /// cell: the alignment is every agreeing cell (see [`align_one_to_one`]).
    one_to_one: bool,
}

fn candidates<const FAST: bool>(
    a: &Side,
    b: &Side,
    cells: &[[Cell; MAXT]; MAXT],
    p: &CompareParams,
) -> Cand {
    let (n, m) = (a.n, b.n);
    let mut c = Cand {
        bj: [[0f32; MAXT]; MAXT],
        aj: [[0f32; MAXT]; MAXT],
        cols: [0; MAXT],
        mc: 0,
        row_active: [false; MAXT],
        one_to_one: false,
    };
    let mut col_active = [false; MAXT];
    // agreeing cells per column; a row with two, or any join, ends the one-to-one case
    let mut col_cells = [0u8; MAXT];
    let mut one_to_one = true;
    for (i, row) in cells.iter().enumerate().take(n) {
        let mut row_cells = 0u8;
        for j in 0..m {
            if row[j].sim > 0.0 {
                col_active[j] = true;
                c.row_active[i] = true;
                row_cells += 1;
                col_cells[j] += 1;
            }
            if j + 1 < m && b.join[j] != 255 {
                let v = if FAST {
                    join_similarity_fast(
                        a.t(i),
                        a.tok(i),
                        &b.t(j).join,
                        &b.name.joins,
                        b.join[j],
                        p,
                    )
                } else {
                    join_similarity(a.tok(i), &b.name.joins[b.join[j] as usize], p)
                };
                if v > 0.0 {
                    c.bj[i][j] = v;
                    col_active[j] = true;
                    col_active[j + 1] = true;
                    c.row_active[i] = true;
                    one_to_one = false;
                }
            }
            if i + 1 < n && a.join[i] != 255 {
                let v = if FAST {
                    join_similarity_fast(
                        b.t(j),
                        b.tok(j),
                        &a.t(i).join,
                        &a.name.joins,
                        a.join[i],
                        p,
                    )
                } else {
                    join_similarity(b.tok(j), &a.name.joins[a.join[i] as usize], p)
                };
                if v > 0.0 {
                    c.aj[i][j] = v;
                    col_active[j] = true;
                    c.row_active[i] = true;
                    one_to_one = false;
                }
            }
        }
        one_to_one &= row_cells <= 1;
    }
    c.one_to_one = one_to_one && col_cells[..m].iter().all(|&k| k <= 1);
    for (j, &on) in col_active.iter().enumerate().take(m) {
        if on {
            c.cols[c.mc] = j as u8;
            c.mc += 1;
        }
    }
    c
}

/// One transition of the alignment DP from a row: the B columns it takes (which must be free),
/// its gain, how many A rows it consumes, its choice code.
#[derive(Clone, Copy, Default)]
struct DpOpt {
    need: usize,
    gain: f32,
    row: usize,
    code: u8,
}

/// Best alignment by DP over (position in A, set of used active B columns); at most
/// `log2(NS)` active columns. Transitions: skip A_i; A_i-B_j; A_i-(B_j+B_j+1);
/// (A_i+A_i+1)-B_j.
fn align_dp<const NS: usize>(
    a: &Side,
    b: &Side,
    cells: &[[Cell; MAXT]; MAXT],
    cand: &Cand,
    units: &mut [Unit; MAXT],
) -> usize {
    let n = a.n;
    let mc = cand.mc;
    let full = 1usize << mc;
    debug_assert!(full <= NS);
    let cols = &cand.cols;
    let mut val = [[0f32; NS]; MAXT + 1];
    // choice: 0 = skip, 1+k = single, 64+k = B join (k,k+1), 128+k = A join with B_k
    let mut ch = [[0u8; NS]; MAXT + 1];
    for i in (0..n).rev() {
        if !cand.row_active[i] {
            let (lo, hi) = val.split_at_mut(i + 1);
            lo[i][..full].copy_from_slice(&hi[0][..full]);
            continue;
        }
        // The transitions of row i, in the order the search tries them (columns ascending;
        // single, B join, A join), with their gains computed once instead of once per mask.
        let mut opts = [DpOpt::default(); 3 * 8];
        let mut no = 0;
        for k in 0..mc {
            let j = cols[k] as usize;
            let c = cells[i][j];
            if c.sim > 0.0 {
                opts[no] = DpOpt {
                    need: 1 << k,
                    gain: c.sim * (a.w[i] + b.w[j]),
                    row: 1,
                    code: 1 + k as u8,
                };
                no += 1;
            }
            if k + 1 < mc && cols[k + 1] as usize == j + 1 && cand.bj[i][j] > 0.0 {
                opts[no] = DpOpt {
                    need: 3 << k,
                    gain: cand.bj[i][j] * (a.w[i] + b.w[j] + b.w[j + 1]),
                    row: 1,
                    code: 64 + k as u8,
                };
                no += 1;
            }
            if i + 1 < n && cand.aj[i][j] > 0.0 {
                opts[no] = DpOpt {
                    need: 1 << k,
                    gain: cand.aj[i][j] * (a.w[i] + a.w[i + 1] + b.w[j]),
                    row: 2,
                    code: 128 + k as u8,
                };
                no += 1;
            }
        }
        let opts = &opts[..no];
        // Rows 0..i use at most two columns each: states with more used columns are never
        // reached from the start (row 0, no column used), so they are not computed.
        let reach = 2 * i as u32;
        for mask in 0..full {
            if (mask as u32).count_ones() > reach {
                continue;
            }
            let mut best = val[i + 1][mask];
            let mut bc = 0u8;
            for o in opts {
                if mask & o.need == 0 {
                    let v = o.gain + val[i + o.row][mask | o.need];
                    if v > best {
                        best = v;
                        bc = o.code;
                    }
                }
            }
            val[i][mask] = best;
            ch[i][mask] = bc;
        }
    }
    // reconstruct
    let mut u = 0;
    let mut i = 0;
    let mut mask = 0usize;
    while i < n {
        let c = ch[i][mask];
        if c == 0 {
            i += 1;
        } else if c < 64 {
            let k = (c - 1) as usize;
            let j = cols[k] as usize;
            units[u] = Unit {
                a: i as u8,
                a2: 255,
                b: j as u8,
                b2: 255,
                sim: cells[i][j].sim,
                kind: cells[i][j].kind,
            };
            u += 1;
            mask |= 1 << k;
            i += 1;
        } else if c < 128 {
            let k = (c - 64) as usize;
            let j = cols[k] as usize;
            units[u] = Unit {
                a: i as u8,
                a2: 255,
                b: j as u8,
                b2: j as u8 + 1,
                sim: cand.bj[i][j],
                kind: 2,
            };
            u += 1;
            mask |= 3 << k;
            i += 1;
        } else {
            let k = (c - 128) as usize;
            let j = cols[k] as usize;
            units[u] = Unit {
                a: i as u8,
                a2: i as u8 + 1,
                b: j as u8,
                b2: 255,
                sim: cand.aj[i][j],
                kind: 2,
            };
            u += 1;
            mask |= 1 << k;
            i += 2;
        }
    }
    u
}

/// The alignment when [`Cand::one_to_one`] holds: every agreeing cell, rows ascending. This is
/// what [`align_dp`] finds and in the same order: no two options of different rows compete
/// for a column, so at every row of its reconstruction the value with the column taken
/// equals the value without it (the same states below, computed by the same operations) and
/// the positive gain (at least `initial * 2 * min_weight`, far above the rounding of the
/// sums) decides for taking it.
fn align_one_to_one(
    a: &Side,
    b: &Side,
    cells: &[[Cell; MAXT]; MAXT],
    cand: &Cand,
    units: &mut [Unit; MAXT],
) -> usize {
    let mut u = 0;
    for (i, row) in cells.iter().enumerate().take(a.n) {
        if !cand.row_active[i] {
            continue;
        }
        for &j in &cand.cols[..cand.mc] {
            let j = j as usize;
            let c = row[j];
            if c.sim > 0.0 {
                units[u] = Unit {
                    a: i as u8,
                    a2: 255,
                    b: j as u8,
                    b2: 255,
                    sim: c.sim,
                    kind: c.kind,
                };
                u += 1;
                break;
            }
        }
    }
    let _ = b;
    u
}

/// Greedy alignment for very long names (more than MAXM core tokens on both sides).
fn align_greedy(
    a: &Side,
    b: &Side,
    cells: &[[Cell; MAXT]; MAXT],
    units: &mut [Unit; MAXT],
) -> usize {
    let mut used_a = [false; MAXT];
    let mut used_b = [false; MAXT];
    let mut k = 0;
    loop {
        let mut best: Option<(usize, usize, f32)> = None;
        for i in 0..a.n {
            if used_a[i] {
                continue;
            }
            for j in 0..b.n {
                if used_b[j] || cells[i][j].sim <= 0.0 {
                    continue;
                }
                let v = cells[i][j].sim * (a.w[i] + b.w[j]);
                if !matches!(best, Some((_, _, bv)) if v <= bv) {
                    best = Some((i, j, v));
                }
            }
        }
        let Some((i, j, _)) = best else { break };
        used_a[i] = true;
        used_b[j] = true;
        units[k] = Unit {
            a: i as u8,
            a2: 255,
            b: j as u8,
            b2: 255,
            sim: cells[i][j].sim,
            kind: cells[i][j].kind,
        };
        k += 1;
        if k == MAXT {
            break;
        }
    }
    k
}

/// Lexicographic order of two short byte strings (as `[u8]::cmp`), without a library call.
#[inline]
fn cmp_bytes(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// Canonical orientation so that compare(a, b) and compare(b, a) run the same computation.
fn a_first(a: &AnalyzedName, pa: &PreparedName, b: &AnalyzedName, pb: &PreparedName) -> bool {
    // the side with fewer core tokens goes into the DP mask
    if pa.core != pb.core {
        return pa.core > pb.core;
    }
    // the keys differ within the prepared key sequences (the usual case): decided without
    // reading the tokens
    match keys_order(pa, pb) {
        KeysOrder::Less => return true,
        KeysOrder::Greater => return false,
        KeysOrder::Equal => {}
        KeysOrder::Unknown => {
            for (x, y) in a.tokens.iter().zip(&b.tokens) {
                match x.key.cmp(&y.key) {
                    std::cmp::Ordering::Equal => continue,
                    o => return o == std::cmp::Ordering::Less,
                }
            }
        }
    }
    // `a.original <= b.original`, from the inline prefixes when they decide it
    let (oa, ob) = (
        &pa.orig[..(pa.orig_len as usize).min(ORIG_INLINE)],
        &pb.orig[..(pb.orig_len as usize).min(ORIG_INLINE)],
    );
    let m = oa.len().min(ob.len());
    match cmp_bytes(&oa[..m], &ob[..m]) {
        std::cmp::Ordering::Equal if pa.orig_len.min(pb.orig_len) as usize <= m => {
            pa.orig_len <= pb.orig_len
        }
        std::cmp::Ordering::Equal => a.original <= b.original,
        o => o == std::cmp::Ordering::Less,
    }
}

/// What the prepared key sequences tell of the element-wise order of two names' token keys
/// (`keys(a).zip(keys(b))` compared key by key, as the orientation rule does).
enum KeysOrder {
    /// A key of `a` is smaller than the key of `b` at the first position where they differ.
    Less,
    Greater,
    /// Every key pair of the zip is equal.
    Equal,
    /// The sequences were cut before deciding: read the tokens.
    Unknown,
}

/// Each key is followed by a 0 byte (keys hold none): the first differing byte of the two
/// sequences lies in the first differing key pair and orders it as `str` does (a key that ends,
/// 0, is a prefix of a longer one and smaller). No difference within the shorter sequence: when
/// that one is whole, every key pair of the zip is equal.
fn keys_order(pa: &PreparedName, pb: &PreparedName) -> KeysOrder {
    let (la, lb) = (pa.keyseq_len as usize, pb.keyseq_len as usize);
    let m = la.min(lb);
    match cmp_bytes(&pa.keyseq[..m], &pb.keyseq[..m]) {
        std::cmp::Ordering::Less => KeysOrder::Less,
        std::cmp::Ordering::Greater => KeysOrder::Greater,
        std::cmp::Ordering::Equal => {
            let short_whole = match la.cmp(&lb) {
                std::cmp::Ordering::Less => pa.keyseq_whole,
                std::cmp::Ordering::Greater => pb.keyseq_whole,
                std::cmp::Ordering::Equal => pa.keyseq_whole || pb.keyseq_whole,
            };
            if short_whole {
                KeysOrder::Equal
            } else {
                KeysOrder::Unknown
            }
        }
    }
}

type PairSink<'s> = &'s mut dyn FnMut(usize, usize, f32, TokenMatchKind, bool);

fn compare_core<const FAST: bool>(
    a: &AnalyzedName,
    pa: &PreparedName,
    b: &AnalyzedName,
    pb: &PreparedName,
    sink: Option<PairSink>,
    p: &CompareParams,
) -> NameScore {
    if !a_first(a, pa, b, pb) {
        let mut flipped = sink.map(|s| {
            move |x: usize, y: usize, sim: f32, k: TokenMatchKind, j: bool| s(y, x, sim, k, j)
        });
        let sc = match flipped.as_mut() {
            Some(f) => compare_oriented::<FAST>(b, pb, a, pa, Some(f), p),
            None => compare_oriented::<FAST>(b, pb, a, pa, None, p),
        };
        return NameScore {
            similarity: sc.similarity,
            features: flip(sc.features),
        };
    }
    compare_oriented::<FAST>(a, pa, b, pb, sink, p)
}

/// [`compare_core`] with frequencies given as functions of the token index.
fn compare_fns(
    a: &AnalyzedName,
    b: &AnalyzedName,
    fa: &dyn Fn(usize) -> f64,
    fb: &dyn Fn(usize) -> f64,
    sink: Option<PairSink>,
    p: &CompareParams,
) -> NameScore {
    let pa = PreparedName::build(a, fa, p);
    let pb = PreparedName::build(b, fb, p);
    compare_core::<false>(a, &pa, b, &pb, sink, p)
}

fn flip(f: NameFeatures) -> NameFeatures {
    NameFeatures {
        tokens_a: f.tokens_b,
        tokens_b: f.tokens_a,
        weight_a: f.weight_b,
        weight_b: f.weight_a,
        matched_weight_a: f.matched_weight_b,
        matched_weight_b: f.matched_weight_a,
        unmatched_share_a: f.unmatched_share_b,
        unmatched_share_b: f.unmatched_share_a,
        unmatched_tokens_a: f.unmatched_tokens_b,
        unmatched_tokens_b: f.unmatched_tokens_a,
        unmatched_weight_a: f.unmatched_weight_b,
        unmatched_weight_b: f.unmatched_weight_a,
        ..f
    }
}

fn compare_oriented<const FAST: bool>(
    a: &AnalyzedName,
    pa: &PreparedName,
    b: &AnalyzedName,
    pb: &PreparedName,
    mut sink: Option<PairSink>,
    p: &CompareParams,
) -> NameScore {
    let sa = Side::of(a, pa);
    let sb = Side::of(b, pb);
    let mut f = NameFeatures {
        tokens_a: sa.n as u8,
        tokens_b: sb.n as u8,
        rarest_strong_frequency: 1.0,
        ..Default::default()
    };
    f.weight_a = sa.w[..sa.n].iter().sum();
    f.weight_b = sb.w[..sb.n].iter().sum();
    if sa.n == 0 || sb.n == 0 {
        return NameScore {
            similarity: 0.0,
            features: f,
        };
    }
    let mut cells = [[Cell::default(); MAXT]; MAXT];
    // best raw similarity of each row and column (the residual below), kept as the cells are
    // made (max is exact in any order)
    let mut row_raw = [0.0f32; MAXT];
    let mut col_raw = [0.0f32; MAXT];
    for (i, row) in cells.iter_mut().enumerate().take(sa.n) {
        let mut rmax = 0.0f32;
        for (j, cell) in row.iter_mut().enumerate().take(sb.n) {
            let (sim, kind, raw) = if FAST {
                token_similarity_fast(sa.t(i), sa.tok(i), sa.xg, sb.t(j), sb.tok(j), sb.xg, p)
            } else {
                token_similarity_raw(sa.tok(i), sb.tok(j), p)
            };
            *cell = Cell {
                sim,
                kind: kind_code(kind),
            };
            rmax = rmax.max(raw);
            col_raw[j] = col_raw[j].max(raw);
        }
        row_raw[i] = rmax;
    }
    let mut units = [Unit::default(); MAXT];
    let cand = candidates::<FAST>(&sa, &sb, &cells, p);
    let k = if cand.mc == 0 {
        0 // no cell and no join agrees: nothing to align (what the DP would find)
    } else if cand.one_to_one && cand.mc <= 8 {
        align_one_to_one(&sa, &sb, &cells, &cand, &mut units)
    } else if cand.mc <= 3 {
        align_dp::<8>(&sa, &sb, &cells, &cand, &mut units)
    } else if cand.mc <= 4 {
        align_dp::<16>(&sa, &sb, &cells, &cand, &mut units)
    } else if cand.mc <= MAXM {
        align_dp::<{ 1 << MAXM }>(&sa, &sb, &cells, &cand, &mut units)
    } else if cand.mc <= 8 {
        align_dp::<256>(&sa, &sb, &cells, &cand, &mut units)
    } else {
        align_greedy(&sa, &sb, &cells, &mut units)
    };
    let mut matched_a = [false; MAXT];
    let mut matched_b = [false; MAXT];
    let mut fam_a = false;
    let mut fam_b = false;
    let mut sim_sum = 0.0f32;
    let mut partial = 0.0f32;
    for u in &units[..k] {
        let kind = kind_of(u.kind);
        f.matched += 1;
        sim_sum += u.sim;
        match kind {
            TokenMatchKind::Exact => f.exact += 1,
            TokenMatchKind::Equivalent => f.equivalent += 1,
            TokenMatchKind::Phonetic => f.phonetic += 1,
            TokenMatchKind::Skeleton => f.skeleton += 1,
            TokenMatchKind::Fuzzy => f.fuzzy += 1,
            TokenMatchKind::Initial => f.initial += 1,
        }
        let joined = u.a2 != 255 || u.b2 != 255;
        if joined {
            f.joined += 1;
        }
        let strong = matches!(
            kind,
            TokenMatchKind::Exact
                | TokenMatchKind::Equivalent
                | TokenMatchKind::Phonetic
                | TokenMatchKind::Skeleton
        ) && u.sim >= p.skeleton_latin;
        let mut wa = 0.0;
        let mut wb = 0.0;
        let mut minf = 1.0f64;
        for pa in [u.a, u.a2] {
            if pa != 255 {
                let pa = pa as usize;
                matched_a[pa] = true;
                wa += sa.w[pa];
                minf = minf.min(sa.f[pa]);
                fam_a |= sa.t(pa).role == PartRole::Family;
            }
        }
        for q in [u.b, u.b2] {
            if q != 255 {
                let q = q as usize;
                matched_b[q] = true;
                wb += sb.w[q];
                minf = minf.min(sb.f[q]);
                fam_b |= sb.t(q).role == PartRole::Family;
            }
        }
        f.matched_weight_a += u.sim * wa;
        f.matched_weight_b += u.sim * wb;
        partial += (1.0 - u.sim) * (wa + wb);
        if strong {
            f.strong_match = true;
            f.strong_weight += (wa + wb) / 2.0;
            f.rarest_strong_frequency = f.rarest_strong_frequency.min(minf);
        }
        if sa.t(u.a as usize).script != sb.t(u.b as usize).script {
            f.cross_script = true;
        }
        if let Some(s) = sink.as_mut() {
            for pa in [u.a, u.a2] {
                for q in [u.b, u.b2] {
                    if pa != 255 && q != 255 {
                        s(
                            sa.idx[pa as usize] as usize,
                            sb.idx[q as usize] as usize,
                            u.sim,
                            kind,
                            joined,
                        );
                    }
                }
            }
        }
    }
    f.mean_pair_similarity = if k > 0 { sim_sum / k as f32 } else { 0.0 };
    let ua = (f.weight_a - f.matched_weight_a).max(0.0);
    let ub = (f.weight_b - f.matched_weight_b).max(0.0);
    // unmatched weight of whole tokens only (partial pairs are penalised separately)
    let wa_un: f32 = (0..sa.n)
        .filter(|&i| !matched_a[i])
        .map(|i| sa.w[i].max(p.unmatched_floor.min(p.max_weight)))
        .sum();
    let wb_un: f32 = (0..sb.n)
        .filter(|&j| !matched_b[j])
        .map(|j| sb.w[j].max(p.unmatched_floor.min(p.max_weight)))
        .sum();
    f.unmatched_tokens_a = (0..sa.n).filter(|&i| !matched_a[i]).count() as u8;
    f.unmatched_tokens_b = (0..sb.n).filter(|&j| !matched_b[j]).count() as u8;
    f.unmatched_weight_a = wa_un;
    f.unmatched_weight_b = wb_un;
    let lead = |sd: &Side| {
        (0..sd.n).find(|&i| !matches!(sd.t(i).role, PartRole::Family | PartRole::Initial))
    };
    let (la, lb) = (lead(&sa), lead(&sb));
    f.lead_agrees = match (la, lb) {
        (Some(x), Some(y)) => Some(matched_a[x] || matched_b[y]),
        _ => None,
    };
    f.unmatched_share_a = if f.weight_a > 0.0 {
        (ua / f.weight_a).clamp(0.0, 1.0)
    } else {
        0.0
    };
    f.unmatched_share_b = if f.weight_b > 0.0 {
        (ub / f.weight_b).clamp(0.0, 1.0)
    } else {
        0.0
    };
    f.subset = (0..sa.n).all(|i| matched_a[i]) || (0..sb.n).all(|j| matched_b[j]);
    let has_fam_a = (0..sa.n).any(|i| sa.t(i).role == PartRole::Family);
    let has_fam_b = (0..sb.n).any(|j| sb.t(j).role == PartRole::Family);
    f.family_agrees = if fam_a || fam_b {
        Some(true)
    } else if has_fam_a && has_fam_b {
        Some(false)
    } else {
        None
    };
    let m = f.matched_weight_a + f.matched_weight_b;
    let conflict = wa_un.min(wb_un);
    let extra = (wa_un - wb_un).abs();
    let lead_pen = if f.lead_agrees == Some(false) {
        p.lead_conflict * p.unmatched_floor
    } else {
        0.0
    };
    let denom = m + p.conflict * 2.0 * conflict + p.extra * extra + p.partial * partial + lead_pen;
    let main = if denom > 0.0 {
        (m / denom).clamp(0.0, 1.0)
    } else {
        0.0
    };
    // Weak residual: mean best raw string similarity of every token, so that near-misses
    // below the fuzzy floor rank above names with nothing in common.
    let mut res = 0.0f32;
    for r in &row_raw[..sa.n] {
        res += r;
    }
    for c in &col_raw[..sb.n] {
        res += c;
    }
    res /= (sa.n + sb.n) as f32;
    f.residual = res;
    let main = if f.subset && f.strong_match {
        main + (1.0 - main) * p.subset_bonus
    } else {
        main
    };
    let similarity = (main + (1.0 - main) * p.residual * res).clamp(0.0, 1.0);
    NameScore {
        similarity,
        features: f,
    }
}

/// Frequencies of a name's tokens under `weights` (index = token index).
fn freq_fn<'w>(
    name: &'w AnalyzedName,
    weights: &'w dyn TokenWeights,
) -> impl Fn(usize) -> f64 + 'w {
    move |i| weights.token_frequency(&name.tokens[i])
}

/// Allocation-free comparison: similarity and features only (the hot path for scoring).
pub fn compare_score(a: &AnalyzedName, b: &AnalyzedName, weights: &dyn TokenWeights) -> NameScore {
    compare_fns(
        a,
        b,
        &freq_fn(a, weights),
        &freq_fn(b, weights),
        None,
        &DEFAULT_PARAMS,
    )
}

/// [`compare_score`] with explicit parameters (for tuning and calibration).
pub fn compare_score_params(
    a: &AnalyzedName,
    b: &AnalyzedName,
    weights: &dyn TokenWeights,
    p: &CompareParams,
) -> NameScore {
    compare_fns(a, b, &freq_fn(a, weights), &freq_fn(b, weights), None, p)
}

/// Allocation-free comparison with frequencies precomputed per token (`fa[i]` is the frequency
/// of `a.tokens[i]`; missing entries count as `1e-5`).
pub fn compare_score_with(a: &AnalyzedName, b: &AnalyzedName, fa: &[f64], fb: &[f64]) -> NameScore {
    let ga = |i: usize| fa.get(i).copied().unwrap_or(1e-5);
    let gb = |i: usize| fb.get(i).copied().unwrap_or(1e-5);
    compare_fns(a, b, &ga, &gb, None, &DEFAULT_PARAMS)
}

/// Full comparison with the aligned pairs and unmatched tokens (for explanations).
pub fn compare_full(
    a: &AnalyzedName,
    b: &AnalyzedName,
    weights: &dyn TokenWeights,
) -> NameComparison {
    let mut pairs: Vec<AlignedPair> = Vec::new();
    let mut sink = |x: usize, y: usize, sim: f32, kind: TokenMatchKind, joined: bool| {
        pairs.push(AlignedPair {
            a: x,
            b: y,
            similarity: sim,
            kind,
            joined,
        });
    };
    let score = compare_fns(
        a,
        b,
        &freq_fn(a, weights),
        &freq_fn(b, weights),
        Some(&mut sink),
        &DEFAULT_PARAMS,
    );
    pairs.sort_by_key(|p| (p.a, p.b));
    let unmatched = |name: &AnalyzedName, used: &dyn Fn(usize) -> bool| -> Vec<usize> {
        (0..name.tokens.len())
            .filter(|&i| name.tokens[i].role != PartRole::Particle && !used(i))
            .collect()
    };
    let unmatched_a = unmatched(a, &|i| pairs.iter().any(|p| p.a == i));
    let unmatched_b = unmatched(b, &|j| pairs.iter().any(|p| p.b == j));
    NameComparison {
        similarity: score.similarity,
        pairs,
        unmatched_a,
        unmatched_b,
        features: score.features,
    }
}

/// Aligned pairs of a comparison, in a fixed buffer (no allocation), sorted by `(a, b)` as in
/// [`compare_full`].
#[derive(Debug, Clone, Copy)]
pub struct PairBuf {
    pairs: [AlignedPair; 2 * MAXT],
    len: usize,
}

impl Default for PairBuf {
    fn default() -> Self {
        PairBuf {
            pairs: [AlignedPair {
                a: 0,
                b: 0,
                similarity: 0.0,
                kind: TokenMatchKind::Exact,
                joined: false,
            }; 2 * MAXT],
            len: 0,
        }
    }
}

impl PairBuf {
    /// The pairs, sorted by `(a, b)`.
    pub fn pairs(&self) -> &[AlignedPair] {
        &self.pairs[..self.len]
    }
}

/// The allocation-free comparison of two prepared names: the same similarity and features as
/// [`compare_full`] with the weights the preparations were built from, and, into `out`, the same
/// aligned pairs in the same order. A preparation that does not fit its name (see
/// [`PreparedName::fits`]) must not be passed; callers check.
pub fn compare_prepared(
    a: &AnalyzedName,
    pa: &PreparedName,
    b: &AnalyzedName,
    pb: &PreparedName,
    out: Option<&mut PairBuf>,
) -> NameScore {
    match out {
        None => compare_core::<true>(a, pa, b, pb, None, &DEFAULT_PARAMS),
        Some(buf) => {
            buf.len = 0;
            let mut sink = |x: usize, y: usize, sim: f32, kind: TokenMatchKind, joined: bool| {
                if buf.len < buf.pairs.len() {
                    buf.pairs[buf.len] = AlignedPair {
                        a: x,
                        b: y,
                        similarity: sim,
                        kind,
                        joined,
                    };
                    buf.len += 1;
                }
            };
            let score = compare_core::<true>(a, pa, b, pb, Some(&mut sink), &DEFAULT_PARAMS);
            // insertion sort by (a, b): stable, like the sort in compare_full
            let v = &mut buf.pairs[..buf.len];
            for i in 1..v.len() {
                let mut j = i;
                while j > 0 && (v[j - 1].a, v[j - 1].b) > (v[j].a, v[j].b) {
                    v.swap(j - 1, j);
                    j -= 1;
                }
            }
            score
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;

    /// The token record's cache-line layout (see [`Tok`]): what unrelated tokens read sits in
    /// the first two lines.
    #[test]
    fn tok_layout() {
        assert_eq!(std::mem::size_of::<Tok>(), 192);
        assert_eq!(std::mem::offset_of!(Tok, key_len), 64);
        assert!(std::mem::offset_of!(Tok, skel_last) < 128);
        assert!(std::mem::offset_of!(Tok, join) + std::mem::size_of::<JoinTok>() <= 128);
        assert_eq!(std::mem::offset_of!(Tok, w), 56);
        assert_eq!(std::mem::offset_of!(Tok, f), 128);
    }

    const NAMES: &[&str] = &[
        "Shavkat Miromonovich MIRZIYOYEV",
        "Шавкат Миромонович Мирзиёев",
        "Abd al-Rahman bin Umayr AL-NUAYMI",
        "عبد الرحمن بن عمير النعيمي",
        "Muhammad Jamal Abd-al Rahim Ahmad AL-KASHIF",
        "محمد جمال عبدالرحيم أحمد الكاشف",
        "KARIMOV, Abdulla Rustamovich",
        "Akhmedov Bakhtiyor Ulugbek o‘g‘li",
        "Gul Agha ISHAKZAI",
        "كُل آغا اسحاقزی",
        "Shams ur-Rahman",
        "Shamsurrahman",
        "Abu Bakr",
        "Abubakr",
        "Kim Yong Chol",
        "Kim Yong-chol",
        "J. R. Smith",
        "John Robert Smith",
        "Muammar QADHAFI",
        "Muammar GADDAFI",
        "Mare Gray",
        "Amir Igor",
        "Jo Bom",
        "Cho Pom",
        "Maximilianusfriedrichwilhelmvonhohenzollern Xaverius",
        "Maximilianusfriedrichwilhelmvonhohenzollern Xaveriuss",
        "金正恩",
        "Şükrü Öz-Demir",
        "Sukru Ozdemir",
    ];

    /// The compact-record token and join similarities equal the token-based ones on every pair.
    #[test]
    fn fast_similarities_equal_reference() {
        let names: Vec<AnalyzedName> = NAMES.iter().map(|n| analyze(n)).collect();
        let p = &DEFAULT_PARAMS;
        let mut checked = 0;
        for a in &names {
            for b in &names {
                for x in &a.tokens {
                    for y in &b.tokens {
                        let (mut gx, mut gy) = (Vec::new(), Vec::new());
                        let (tx, ty) =
                            (Tok::of(x, 1.5, 0.5, &mut gx), Tok::of(y, 1.5, 0.5, &mut gy));
                        let r = token_similarity_raw(x, y, p);
                        let f = token_similarity_fast(&tx, x, &gx, &ty, y, &gy, p);
                        assert_eq!(
                            (r.0.to_bits(), r.1, r.2.to_bits()),
                            (f.0.to_bits(), f.1, f.2.to_bits()),
                            "{} / {}",
                            x.text,
                            y.text
                        );
                        checked += 1;
                    }
                    let pb = PreparedName::new(b, &crate::UniformWeights);
                    for q in 0..pb.n as usize {
                        if pb.join[q] != 255 {
                            let j = &b.joins[pb.join[q] as usize];
                            let r = join_similarity(x, j, p);
                            let f = join_similarity_fast(
                                &Tok::of(x, 1.5, 0.5, &mut Vec::new()),
                                x,
                                &pb.toks[q].join,
                                &b.joins,
                                pb.join[q],
                                p,
                            );
                            assert_eq!(r.to_bits(), f.to_bits(), "{} / {}", x.text, j.key);
                        }
                    }
                }
            }
        }
        assert!(checked > 1000);
    }

    /// The orientation rule decided from the prepared key sequences and original prefixes
    /// equals the rule on the tokens themselves: fewer core tokens, then the keys key by key,
    /// then the original text. Names sharing leading keys, long keys (cut sequences), equal keys
    /// with different originals.
    #[test]
    fn orientation_from_prepared_prefixes_equals_the_rule() {
        let long = "Abdulrahmanalexandrovichmuhammadov Abdulrahmanalexandrovichmuhammadova";
        let mut all: Vec<&str> = NAMES.to_vec();
        all.extend([
            "Abdulla Karimov",
            "ABDULLA KARIMOV",
            "Abdulla Karimova",
            "Abdulla Karim",
            "Abdulla-Karimov",
            "Muhammad Ali Khan",
            "Muhammad Ali Khanov",
            "Muhammad Ali",
            "Muhammad Alikhan",
            long,
            "Abdulrahmanalexandrovichmuhammadov Abdulrahmanalexandrovichmuhammadovb",
            "Abdulrahmanalexandrovichmuhammadov",
            "Ali",
            "Ali ",
            "Ali.",
            "",
        ]);
        let names: Vec<AnalyzedName> = all.iter().map(|n| analyze(n)).collect();
        let w = crate::UniformWeights;
        let preps: Vec<PreparedName> = names.iter().map(|n| PreparedName::new(n, &w)).collect();
        let reference =
            |a: &AnalyzedName, pa: &PreparedName, b: &AnalyzedName, pb: &PreparedName| {
                if pa.core != pb.core {
                    return pa.core > pb.core;
                }
                for (x, y) in a.tokens.iter().zip(&b.tokens) {
                    match x.key.cmp(&y.key) {
                        std::cmp::Ordering::Equal => continue,
                        o => return o == std::cmp::Ordering::Less,
                    }
                }
                a.original <= b.original
            };
        for (a, pa) in names.iter().zip(&preps) {
            for (b, pb) in names.iter().zip(&preps) {
                assert_eq!(
                    a_first(a, pa, b, pb),
                    reference(a, pa, b, pb),
                    "{:?} / {:?}",
                    a.original,
                    b.original
                );
            }
        }
    }

    /// The prepared comparison equals the full one: similarity, features and pairs.
    #[test]
    fn prepared_equals_full() {
        let names: Vec<AnalyzedName> = NAMES.iter().map(|n| analyze(n)).collect();
        let w = crate::UniformWeights;
        let mut buf = PairBuf::default();
        for a in &names {
            let pa = PreparedName::new(a, &w);
            for b in &names {
                let pb = PreparedName::new(b, &w);
                let full = compare_full(a, b, &w);
                let fast = compare_prepared(a, &pa, b, &pb, Some(&mut buf));
                assert_eq!(full.similarity.to_bits(), fast.similarity.to_bits());
                assert_eq!(full.features, fast.features);
                assert_eq!(full.pairs, buf.pairs());
                let plain = compare_prepared(a, &pa, b, &pb, None);
                assert_eq!(plain, fast);
            }
        }
    }

    /// The equivalence table is trusted between a three-letter and a longer key of one script
    /// (`Oleg`/`Aleh`, `Iyad`/`Ayyad`, `Pak`/`Park`, `Bol`/`Paul`), not between two keys shorter
    /// than that, whose groups are broad (Korean `Ri`/`Li`/`Yi` share one with many others).
    #[test]
    fn short_keys_and_the_equivalence_table() {
        let kind = |a: &str, b: &str| {
            let (x, y) = (analyze(a), analyze(b));
            let k = token_similarity(&x.tokens[0], &y.tokens[0]).1;
            assert_eq!(
                k,
                token_similarity(&y.tokens[0], &x.tokens[0]).1,
                "{a} / {b}"
            );
            k
        };
        for (a, b) in [
            ("Oleg", "Aleh"),
            ("Iyad", "Ayyad"),
            ("Pak", "Park"),
            ("Bol", "Paul"),
        ] {
            assert_eq!(kind(a, b), TokenMatchKind::Equivalent, "{a} / {b}");
        }
        for (a, b) in [("Ri", "Li"), ("Ri", "Yi")] {
            assert_ne!(kind(a, b), TokenMatchKind::Equivalent, "{a} / {b}");
        }
    }

    /// One-syllable parts agree on their whole consonant frame or not at all; a Latin
    /// skeleton match keeps the first letter (Ahmad is not Hamidawi).
    #[test]
    fn one_syllable_parts_and_latin_skeletons() {
        let sim = |a: &str, b: &str| {
            let (x, y) = (analyze(a), analyze(b));
            let s = token_similarity(&x.tokens[0], &y.tokens[0]);
            assert_eq!(s, token_similarity(&y.tokens[0], &x.tokens[0]), "{a} / {b}");
            s
        };
        for (a, b) in [("Ho", "Hun"), ("Ryu", "Ri"), ("Hwan", "Hwa")] {
            assert_eq!(sim(a, b).0, 0.0, "{a} / {b}");
        }
        // the same frame with compatible vowels still agrees
        for (a, b) in [("Chol", "Chul"), ("Song", "Sung")] {
            assert!(sim(a, b).0 > 0.8, "{a} / {b}");
        }
        assert_eq!(sim("Ahmad", "Hamidawi").0, 0.0);
        assert_eq!(sim("Mushakhas", "Mishkhis").1, TokenMatchKind::Skeleton);
    }
}
