//! Analysis semantics of one-syllable name parts (Korean, Burmese, Chinese): two written
//! syllables with one consonant skeleton agree only if their vowels can be one vowel, while
//! longer parts (Arabic-script names, whose vowels are not written) keep agreeing on the
//! skeleton whatever the vowels. Reads no files.

use linkwatch_names::{analyze, token_similarity, TokenMatchKind};

fn level(a: &str, b: &str) -> (f32, TokenMatchKind) {
    let (x, y) = (analyze(a), analyze(b));
    token_similarity(&x.tokens[0], &y.tokens[0])
}

fn agrees(a: &str, b: &str) -> bool {
    level(a, b).0 > 0.0
}

#[test]
fn different_vowels_make_different_syllables() {
    for (a, b) in [("Mun", "Min"), ("Soe", "Swe"), ("Kim", "Kum")] {
        assert!(!agrees(a, b), "{a} ~ {b}: {:?}", level(a, b));
        assert!(!agrees(b, a), "{b} ~ {a}");
    }
    // `Ryu`/`Ri` keep only a weak likeness of their letters, no skeleton agreement
    let (s, k) = level("Ryu", "Ri");
    assert!(k == TokenMatchKind::Fuzzy && s < 0.8, "{s} {k:?}");
}

#[test]
fn spellings_of_one_syllable_still_agree() {
    for (a, b) in [
        ("Chol", "Chul"),
        ("Song", "Sung"),
        ("Gaye", "Geye"),
        ("Hyok", "Hyuk"),
    ] {
        assert!(agrees(a, b), "{a} ~ {b}: {:?}", level(a, b));
        assert!(agrees(b, a), "{b} ~ {a}");
    }
}

#[test]
fn longer_parts_keep_their_skeleton_agreement() {
    for (a, b) in [
        ("Mushakhas", "Mishkhis"),
        ("Kawari", "Kuwari"),
        ("Mahamoud", "Mohamud"),
    ] {
        assert!(agrees(a, b), "{a} ~ {b}: {:?}", level(a, b));
    }
}
