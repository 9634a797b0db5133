//! Unicode normalisation, case folding, tokenisation of a name as written, and folding of Latin
//! letters (diacritics, Turkish/Azeri/Uzbek letters) to lower-case ASCII. Knows nothing about
//! name parts or comparison.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::script::{char_script, token_script, Sc};

/// Unicode-normalise (NFKD), case-fold and strip marks and punctuation; tokens separated by one
/// space. Cyrillic letters whose identity depends on a mark (й, ё, ў, ї) are kept whole.
/// Idempotent: `normalize(&normalize(x)) == normalize(x)`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let composed: String = s.nfkc().collect();
    for base in composed.chars() {
        let keep_whole = matches!(char_script(base), Some(Sc::Cyrillic));
        let push = |c: char, out: &mut String| {
            if c.is_alphanumeric() {
                for l in c.to_lowercase() {
                    if !is_combining_mark(l) {
                        out.push(l);
                    }
                }
            } else if !is_combining_mark(c) && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        };
        if keep_whole {
            push(base, &mut out);
        } else {
            for c in std::iter::once(base).nfkd() {
                push(c, &mut out);
            }
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    // Lower-casing can produce decomposed sequences (e.g. "İ" -> "i̇"); one more pass makes
    // the result a fixed point.
    let again: String = out.nfkc().collect();
    if again != out {
        return normalize_once_more(&again);
    }
    out
}

fn normalize_once_more(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase().filter(|l| !is_combining_mark(*l)));
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out.nfc().collect()
}

/// A raw token as cut out of the input, with its dominant script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawToken {
    /// Lower-cased, NFC, letters/digits and in-word apostrophes (`'`) only.
    pub text: String,
    pub sc: Sc,
    /// The token came before the first comma of the name ("LAST, First").
    pub before_comma: bool,
    /// Every cased letter of the token was upper case in the input (OFAC writes surnames so).
    pub all_caps: bool,
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}'
            | '\u{2019}'
            | '\u{02BB}'
            | '\u{02BC}'
            | '\u{02BF}'
            | '\u{02BE}'
            | '`'
            | '\u{00B4}'
            | '\u{2032}'
            | '\u{02B9}'
            | '\u{02C8}'
    )
}

/// Cut a name into raw tokens. Separators: white space, punctuation, hyphens; apostrophes
/// inside a word are kept as `'` (Uzbek o‘ g‘, Arabic ʿayn); zero-width joiners and the Arabic
/// tatweel are dropped.
pub fn tokenize(s: &str) -> (Vec<RawToken>, bool) {
    let mut toks: Vec<RawToken> = Vec::new();
    let mut cur = String::new();
    let mut cur_has_lower = false;
    let mut cur_has_upper = false;
    let mut seen_comma = false;
    let mut had_comma = false;
    let flush = |cur: &mut String,
                 lower: &mut bool,
                 upper: &mut bool,
                 toks: &mut Vec<RawToken>,
                 seen_comma: bool| {
        while cur.ends_with('\'') {
            cur.pop();
        }
        if !cur.is_empty() {
            let sc = token_script(cur);
            toks.push(RawToken {
                text: std::mem::take(cur),
                sc,
                before_comma: !seen_comma,
                all_caps: *upper && !*lower,
            });
        }
        cur.clear();
        *lower = false;
        *upper = false;
    };
    // NFKC leaves ASCII text as it is: skip the normaliser's buffers for it (most names).
    let ascii = s.is_ascii();
    let mut chars_ascii;
    let mut chars_nfkc;
    let chars: &mut dyn Iterator<Item = char> = if ascii {
        chars_ascii = s.chars();
        &mut chars_ascii
    } else {
        chars_nfkc = s.nfkc();
        &mut chars_nfkc
    };
    for c in chars {
        if c.is_alphanumeric() || is_combining_mark(c) {
            if c.is_uppercase() {
                cur_has_upper = true;
            } else if c.is_lowercase() {
                cur_has_lower = true;
            }
            for l in c.to_lowercase() {
                cur.push(l);
            }
        } else if is_apostrophe(c) {
            if !cur.is_empty() {
                cur.push('\'');
            }
        } else if matches!(
            c,
            '\u{200C}' | '\u{200D}' | '\u{0640}' | '\u{200B}' | '\u{FEFF}'
        ) {
            // joiners / tatweel: not separators
        } else {
            if c == ',' && !seen_comma && (!cur.is_empty() || !toks.is_empty()) {
                flush(
                    &mut cur,
                    &mut cur_has_lower,
                    &mut cur_has_upper,
                    &mut toks,
                    seen_comma,
                );
                seen_comma = true;
                had_comma = true;
                continue;
            }
            flush(
                &mut cur,
                &mut cur_has_lower,
                &mut cur_has_upper,
                &mut toks,
                seen_comma,
            );
        }
    }
    flush(
        &mut cur,
        &mut cur_has_lower,
        &mut cur_has_upper,
        &mut toks,
        seen_comma,
    );
    if ascii {
        // NFC of ASCII is itself.
        return (toks, had_comma);
    }
    let mut out: Vec<RawToken> = Vec::with_capacity(toks.len());
    for t in toks {
        let text: String = if t.text.is_ascii() {
            t.text
        } else {
            t.text.nfc().collect()
        };
        out.push(RawToken { text, ..t });
    }
    (out, had_comma)
}

/// Fold a Latin-script token (lower case, may contain `'`) to lower-case ASCII letters and
/// digits. Uzbek `o'` -> `o`, `g'` -> `gh`; Turkish/Azeri `ş ç ğ ı ə` -> `sh ch gh i a`;
/// Czech/Croatian `š č ž` -> `sh ch zh`; other diacritics are stripped.
pub fn fold_latin(token: &str, out: &mut String) {
    let chars: Vec<char> = token.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next_apo = chars.get(i + 1) == Some(&'\'');
        match c {
            '\'' => {}
            'g' if next_apo => {
                out.push_str("gh");
                i += 1;
            }
            'o' if next_apo => {
                out.push('o');
                i += 1;
            }
            'ş' | 'š' | 'ș' | 'ŝ' | 'ś' => out.push_str("sh"),
            'ç' | 'č' | 'ć' | 'ĉ' => out.push_str("ch"),
            'ž' | 'ź' | 'ż' => out.push_str("zh"),
            'ğ' | 'ǧ' => out.push_str("gh"),
            'ı' | 'ɨ' => out.push('i'),
            'ə' | 'ǝ' | 'ä' | 'æ' => out.push('a'),
            'ß' => out.push_str("ss"),
            'œ' => out.push_str("oe"),
            'ø' | 'ö' | 'ő' => out.push('o'),
            'ü' | 'ű' => out.push('u'),
            'đ' => out.push_str("dj"),
            'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ł' => out.push('l'),
            'ŋ' => out.push_str("ng"),
            'ħ' => out.push('h'),
            'ĳ' => out.push_str("ij"),
            'ḥ' | 'ḫ' => out.push('h'),
            'ẖ' => out.push_str("kh"),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            c => {
                for d in std::iter::once(c).nfkd() {
                    if d.is_ascii_alphanumeric() {
                        out.push(d.to_ascii_lowercase());
                    }
                }
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_basic() {
        assert_eq!(normalize("  Şükrü  ÖZ-Demir "), "sukru oz demir");
        assert_eq!(normalize("Мирзиёев Шавкат"), "мирзиёев шавкат");
        assert_eq!(normalize("İSTANBUL"), normalize(&normalize("İSTANBUL")));
    }

    #[test]
    fn tokenize_keeps_uzbek_apostrophes() {
        let (t, comma) = tokenize("ALIYEV, Rustam Ahmad o‘g‘li");
        assert!(comma);
        assert_eq!(t[0].text, "aliyev");
        assert!(t[0].before_comma && t[0].all_caps);
        assert_eq!(t[3].text, "o'g'li");
        let mut s = String::new();
        fold_latin(&t[3].text, &mut s);
        assert_eq!(s, "oghli");
    }

    #[test]
    fn fold_turkish() {
        let mut s = String::new();
        fold_latin("şükrü", &mut s);
        assert_eq!(s, "shukru");
    }
}
