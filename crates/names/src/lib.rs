//! Name analysis: script detection, normalisation, transliteration of Cyrillic and Arabic script,
//! name parts, cross-script equivalences, term frequencies and name comparison.
//!
//! **API boundary** used by `linkwatch-matching` and `linkwatch-resolve`:
//! - [`analyze`] turns a name as written into an [`AnalyzedName`] (tokens in a comparable Latin
//!   form, with phonetic keys, skeletons, equivalence groups and roles). Do it once per name.
//! - [`compare`] aligns two analysed names and returns a [`NameComparison`] with a similarity in
//!   `[0, 1]`, the aligned token pairs that explain it and [`NameFeatures`] for Fellegi–Sunter
//!   levels; [`compare_score`] / [`compare_score_with`] are the allocation-free hot path, and
//!   [`compare_prepared`] (with a [`PreparedName`] per name, built once) the fastest one, which
//!   also returns the aligned pairs in a fixed buffer.
//! - [`TokenWeights`] lets the caller supply term frequencies (how common a name part is);
//!   [`TermFrequencies`] builds them from names.
//! - [`keys`] gives stable 64-bit blocking keys for candidate indexes.
//!
//! Layers (each module knows only those below it): [`script`] → [`normalize`] → [`translit`]
//! → [`phonetic`] → [`equiv`] / [`parts`] → [`compare`], [`tf`], [`keys`](mod@keys).
//!
//! **Architecture invariant:** no I/O. Tables are embedded at build time (the equivalence table
//! is parsed lazily on first use).

pub mod compare;
pub mod equiv;
pub mod keys;
pub mod normalize;
pub mod parts;
pub mod phonetic;
pub mod script;
pub mod tf;
pub mod translit;

pub use compare::{
    compare_full, compare_prepared, compare_score, compare_score_params, compare_score_with,
    jaro_winkler_bytes, token_similarity, token_similarity_params, weight_of_frequency,
    CompareParams, NameFeatures, NameScore, PairBuf, PreparedName, DEFAULT_PARAMS,
};
pub use keys::{keys, keys_of_token, KeyKind};
pub use linkwatch_model::Script;
pub use normalize::normalize;
pub use tf::{TermFrequencies, TfError};

/// Role of a token inside a name, when it can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartRole {
    Unknown,
    Given,
    Family,
    Patronymic,
    /// al-, bin, ibn, ul, ur, de, van, o‘g‘li... (kept for display, not weighed in comparison)
    Particle,
    Initial,
}

/// One name part in comparable form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Romanised text: Latin, lower case, ASCII where possible (`"abdurrahman"`, `"mhmd"`).
    pub text: String,
    /// Consonant skeleton of the phonetic key (`"bdrhmn"`), for vowel-less comparisons.
    pub skeleton: String,
    /// Script the token was written in.
    pub script: Script,
    pub role: PartRole,
    /// Phonetic key: spelling conventions folded (`"muhamad"` for Mukhammad/Muhammad); see
    /// [`phonetic::key`]. Term frequencies are counted per key.
    pub key: String,
    /// FNV-1a hash of `key` (stable; see [`hash_str`]).
    pub key_hash: u64,
    /// FNV-1a hash of `skeleton`.
    pub skeleton_hash: u64,
    /// Equivalence-group ids (sorted) from the embedded name table.
    pub groups: Vec<u32>,
    /// Written in a script without short vowels (Arabic, Hebrew): compare on skeletons too.
    pub vowelless: bool,
    /// For vowel-less tokens found in the name table: the phonetic key of a vowelled Latin
    /// form of the same name (`محمد` -> `"muhamad"`).
    pub guess: Option<String>,
    /// Hash of `guess`, 0 when none.
    pub guess_hash: u64,
    /// Hash of the loose key ([`phonetic::loose_key`]: voicing merged, Jo/Cho, Bom/Pom).
    pub loose_hash: u64,
    /// Hash of the raw consonant skeleton of `text` (no digraph folding; `q c g -> k`), for
    /// Arabic-script tokens against romanisations that write `s`+`h` as `sh` (`اسحاقزی` /
    /// `Ishakzai`). Used only when one side is vowel-less.
    pub raw_skeleton_hash: u64,
    /// Bit set of the bytes of `key` (`1 << (byte & 63)`), for a fast Jaro-Winkler bound.
    pub letters: u64,
}

/// Two adjacent non-particle tokens joined, for segmentation variants
/// (`Shams ur-Rahman` ~ `Shamsurrahman`, `Abu Bakr` ~ `Abubakr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Join {
    /// Index of the first token in `tokens`.
    pub first: usize,
    /// Index of the second token in `tokens` (particles in between are skipped).
    pub second: usize,
    pub key: String,
    pub key_hash: u64,
    pub skeleton: String,
    pub skeleton_hash: u64,
}

/// A name analysed for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnalyzedName {
    pub original: String,
    /// Name parts in written order (titles removed, `abd`-compounds merged).
    pub tokens: Vec<Token>,
    /// Joins of adjacent tokens (see [`Join`]).
    pub joins: Vec<Join>,
    /// Honorifics and titles that were dropped (`"dr"`, `"haji"`, `"mullah"`...).
    pub titles: Vec<String>,
}

impl AnalyzedName {
    /// Tokens that take part in comparison (everything but particles).
    pub fn core_tokens(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| t.role != PartRole::Particle)
    }

    /// Frequencies of every token under `weights` (index = token index), to cache per name and
    /// pass to [`compare_score_with`].
    pub fn frequencies(&self, weights: &dyn TokenWeights) -> Vec<f64> {
        self.tokens
            .iter()
            .map(|t| weights.token_frequency(t))
            .collect()
    }
}

/// How common a token is. Implementations come from list and population statistics.
pub trait TokenWeights {
    /// Relative frequency of the token (its phonetic [`Token::key`]) among name parts, in
    /// `(0, 1]`; unknown tokens are rare.
    fn frequency(&self, token: &str) -> f64;

    /// Frequency of an analysed token; the default looks up `token.key`.
    fn token_frequency(&self, token: &Token) -> f64 {
        self.frequency(&token.key)
    }
}

/// Every token equally rare; the neutral choice when no statistics are loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct UniformWeights;

impl TokenWeights for UniformWeights {
    fn frequency(&self, _token: &str) -> f64 {
        1e-5
    }
}

/// How two tokens were found to agree (strongest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenMatchKind {
    Exact,
    /// Same equivalence group (cross-script or spelling variants table).
    Equivalent,
    /// Same phonetic key (Mukhammad/Muhammad), or a vowel-less token's vowelled guess agrees.
    Phonetic,
    /// Same consonant skeleton.
    Skeleton,
    /// Close by Jaro-Winkler on phonetic keys (or skeletons for vowel-less scripts).
    Fuzzy,
    /// An initial agreeing with a full token.
    Initial,
}

impl TokenMatchKind {
    /// Short lower-case label for explanations.
    pub fn label(self) -> &'static str {
        match self {
            TokenMatchKind::Exact => "exact",
            TokenMatchKind::Equivalent => "equivalent",
            TokenMatchKind::Phonetic => "phonetic",
            TokenMatchKind::Skeleton => "skeleton",
            TokenMatchKind::Fuzzy => "fuzzy",
            TokenMatchKind::Initial => "initial",
        }
    }
}

/// An aligned pair of tokens: indexes into `a.tokens` and `b.tokens`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlignedPair {
    pub a: usize,
    pub b: usize,
    pub similarity: f32,
    pub kind: TokenMatchKind,
    /// Part of a one-to-two alignment (a token matched to two adjacent tokens joined).
    pub joined: bool,
}

/// Result of comparing two names.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NameComparison {
    /// Overall similarity in `[0, 1]`.
    pub similarity: f32,
    pub pairs: Vec<AlignedPair>,
    /// Non-particle tokens of `a` left unaligned.
    pub unmatched_a: Vec<usize>,
    pub unmatched_b: Vec<usize>,
    /// Features for comparison levels (see [`NameFeatures`]).
    pub features: NameFeatures,
}

/// Stable 64-bit FNV-1a hash of a string (used for keys; safe to persist).
#[inline]
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Analyse a name as written: tokenise, detect scripts, romanise, drop titles, mark particles
/// and roles, merge `abd`-compounds, compute keys, skeletons and equivalence groups.
/// Never panics; an empty or symbol-only input gives no tokens.
pub fn analyze(full: &str) -> AnalyzedName {
    parts::analyze_impl(full, true)
}

/// [`analyze`] without the per-thread token cache: the reference the cache is tested against
/// (same output, bit for bit), and the "before" of the analysis benchmark.
pub fn analyze_uncached(full: &str) -> AnalyzedName {
    parts::analyze_impl(full, false)
}

/// Split a field holding several spellings of one name (`"Halen Bakhtiar; Haleh Bakhtiari"`,
/// `"a) ... b) ..."`) into its variants; a plain name gives itself.
pub fn split_variants(s: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for part in s.split(';') {
        // "x b) y" list markers
        let mut rest = part;
        loop {
            let marker = rest
                .char_indices()
                .find(|&(i, c)| {
                    c == ')'
                        && i > 0
                        && rest[..i]
                            .chars()
                            .last()
                            .is_some_and(|l| l.is_ascii_lowercase())
                        && (i < 2 || rest[..i - 1].ends_with(' '))
                })
                .map(|(i, _)| i);
            match marker {
                Some(i) => {
                    let head = rest[..i - 1].trim();
                    if !head.is_empty() {
                        out.push(head);
                    }
                    rest = &rest[i + 1..];
                }
                None => break,
            }
        }
        let t = rest.trim();
        if !t.is_empty() {
            out.push(t);
        }
    }
    if out.is_empty() {
        out.push(s);
    }
    out
}

/// Jaro-Winkler similarity of two strings.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() && a.len() <= 64 && b.len() <= 64 {
        return jaro_winkler_bytes(a.as_bytes(), b.as_bytes()) as f64;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_m = vec![false; a.len()];
    let mut b_m = vec![false; b.len()];
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
    let m = m as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - t as f64 / 2.0) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Compare two analysed names: optimal alignment of their parts (see [`compare_full`]).
pub fn compare(a: &AnalyzedName, b: &AnalyzedName, weights: &dyn TokenWeights) -> NameComparison {
    compare_full(a, b, weights)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_compare() {
        let a = analyze("KARIMOV, Abdulla");
        let b = analyze("Abdulla Karimov");
        let c = compare(&a, &b, &UniformWeights);
        assert!(c.similarity > 0.99, "{c:?}");
        assert_eq!(normalize("  Şükrü  ÖZ-Demir "), "sukru oz demir");
    }
}
