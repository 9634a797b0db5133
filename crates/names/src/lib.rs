//! Name analysis: script detection, normalisation, transliteration of Cyrillic and Arabic script,
//! name parts, cross-script equivalences, term frequencies and name comparison.
//!
//! **API boundary** used by `linkwatch-matching` and `linkwatch-resolve`:
//! - [`analyze`] turns a name as written into an [`AnalyzedName`] (tokens in a comparable Latin
//!   form, with skeletons and roles);
//! - [`compare`] aligns two analysed names and returns a [`NameComparison`] with a similarity in
//!   `[0, 1]` and the aligned token pairs that explain it;
//! - [`TokenWeights`] lets the caller supply term frequencies (how common a name part is).
//!
//! **Architecture invariant:** no I/O. Tables are embedded at build time.

use unicode_normalization::UnicodeNormalization;

pub use linkwatch_model::Script;

/// Role of a token inside a name, when it can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartRole {
    Unknown,
    Given,
    Family,
    Patronymic,
    /// al-, bin, ibn, abdul..., de, van...
    Particle,
    Initial,
}

/// One name part in comparable form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Latin, lower case, ASCII where possible (`"abdurrahman"`).
    pub text: String,
    /// Consonant skeleton for vowel-less comparisons (`"bdrrhmn"`).
    pub skeleton: String,
    /// Script the token was written in.
    pub script: Script,
    pub role: PartRole,
}

/// A name analysed for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnalyzedName {
    pub original: String,
    pub tokens: Vec<Token>,
}

/// How common a token is. Implementations come from list and population statistics.
pub trait TokenWeights {
    /// Relative frequency of the token among name parts, in `(0, 1]`; unknown tokens are rare.
    fn frequency(&self, token: &str) -> f64;
}

/// Every token equally rare; the neutral choice when no statistics are loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct UniformWeights;

impl TokenWeights for UniformWeights {
    fn frequency(&self, _token: &str) -> f64 {
        1e-5
    }
}

/// How two tokens were found to agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenMatchKind {
    Exact,
    /// Same equivalence group (cross-script or spelling variants table).
    Equivalent,
    /// Same consonant skeleton.
    Skeleton,
    /// Close by edit distance.
    Fuzzy,
    /// An initial agreeing with a full token.
    Initial,
}

/// An aligned pair of tokens: indexes into `a.tokens` and `b.tokens`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlignedPair {
    pub a: usize,
    pub b: usize,
    pub similarity: f32,
    pub kind: TokenMatchKind,
}

/// Result of comparing two names.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NameComparison {
    /// Overall similarity in `[0, 1]`.
    pub similarity: f32,
    pub pairs: Vec<AlignedPair>,
    pub unmatched_a: Vec<usize>,
    pub unmatched_b: Vec<usize>,
}

/// Unicode-normalise, case-fold and strip marks and punctuation; tokens separated by one space.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

fn skeleton(t: &str) -> String {
    t.chars().filter(|c| !"aeiouy".contains(*c)).collect()
}

/// Analyse a name as written.
pub fn analyze(full: &str) -> AnalyzedName {
    let tokens = normalize(full)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(|t| Token {
            text: t.to_string(),
            skeleton: skeleton(t),
            script: Script::Latin,
            role: if t.chars().count() == 1 { PartRole::Initial } else { PartRole::Unknown },
        })
        .collect();
    AnalyzedName { original: full.to_string(), tokens }
}

/// Jaro-Winkler similarity of two strings.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
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

/// Compare two analysed names: greedy best alignment of tokens.
pub fn compare(a: &AnalyzedName, b: &AnalyzedName, _weights: &dyn TokenWeights) -> NameComparison {
    let mut cands = Vec::new();
    for (i, ta) in a.tokens.iter().enumerate() {
        for (j, tb) in b.tokens.iter().enumerate() {
            let (sim, kind) = if ta.text == tb.text {
                (1.0, TokenMatchKind::Exact)
            } else if !ta.skeleton.is_empty() && ta.skeleton == tb.skeleton {
                (0.9, TokenMatchKind::Skeleton)
            } else {
                (jaro_winkler(&ta.text, &tb.text) as f32, TokenMatchKind::Fuzzy)
            };
            if sim >= 0.8 {
                cands.push(AlignedPair { a: i, b: j, similarity: sim, kind });
            }
        }
    }
    cands.sort_by(|x, y| y.similarity.total_cmp(&x.similarity));
    let mut used_a = vec![false; a.tokens.len()];
    let mut used_b = vec![false; b.tokens.len()];
    let mut pairs = Vec::new();
    for p in cands {
        if !used_a[p.a] && !used_b[p.b] {
            used_a[p.a] = true;
            used_b[p.b] = true;
            pairs.push(p);
        }
    }
    let total = (a.tokens.len() + b.tokens.len()) as f32;
    let similarity =
        if total == 0.0 { 0.0 } else { 2.0 * pairs.iter().map(|p| p.similarity).sum::<f32>() / total };
    NameComparison {
        similarity,
        pairs,
        unmatched_a: (0..a.tokens.len()).filter(|&i| !used_a[i]).collect(),
        unmatched_b: (0..b.tokens.len()).filter(|&j| !used_b[j]).collect(),
    }
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
