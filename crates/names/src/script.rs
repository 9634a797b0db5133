//! Script detection per character and per token (Latin, Cyrillic, Arabic, Greek, Georgian,
//! Armenian, Han, Devanagari...). Knows nothing about names or transliteration.

use linkwatch_model::Script;

/// Finer-grained script than [`Script`] (which has no Greek/Hebrew/Kana variants): used to
/// pick a transliterator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sc {
    Latin,
    Cyrillic,
    Arabic,
    Greek,
    Georgian,
    Armenian,
    Hebrew,
    Han,
    Kana,
    Hangul,
    Devanagari,
    Other,
}

impl Sc {
    /// The coarser model-level script.
    pub fn script(self) -> Script {
        match self {
            Sc::Latin => Script::Latin,
            Sc::Cyrillic => Script::Cyrillic,
            Sc::Arabic => Script::Arabic,
            Sc::Georgian => Script::Georgian,
            Sc::Armenian => Script::Armenian,
            Sc::Han | Sc::Kana => Script::Han,
            Sc::Devanagari => Script::Devanagari,
            Sc::Greek | Sc::Hebrew | Sc::Hangul | Sc::Other => Script::Other,
        }
    }
}

/// Script of one character; `None` for characters that belong to no script (digits,
/// punctuation, combining marks).
pub fn char_script(c: char) -> Option<Sc> {
    let u = c as u32;
    Some(match u {
        0x41..=0x5A | 0x61..=0x7A => Sc::Latin,
        0xC0..=0x24F | 0x1E00..=0x1EFF | 0x250..=0x2AF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => {
            if c.is_alphabetic() {
                Sc::Latin
            } else {
                return None;
            }
        }
        0x370..=0x3FF | 0x1F00..=0x1FFF => Sc::Greek,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Sc::Cyrillic,
        0x530..=0x58F | 0xFB13..=0xFB17 => Sc::Armenian,
        0x590..=0x5FF => Sc::Hebrew,
        0x600..=0x6FF | 0x750..=0x77F | 0x8A0..=0x8FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Sc::Arabic
        }
        0x900..=0x97F => Sc::Devanagari,
        0x10A0..=0x10FF | 0x1C90..=0x1CBF | 0x2D00..=0x2D2F => Sc::Georgian,
        0x3040..=0x30FF | 0x31F0..=0x31FF => Sc::Kana,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => Sc::Han,
        0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => Sc::Hangul,
        _ => {
            if c.is_alphabetic() {
                Sc::Other
            } else {
                return None;
            }
        }
    })
}

/// Dominant script of a token: the script of most of its letters (ties: first seen).
pub fn token_script(token: &str) -> Sc {
    let mut counts: [(Sc, u32); 4] = [(Sc::Other, 0); 4];
    let mut n = 0usize;
    for c in token.chars() {
        if let Some(s) = char_script(c) {
            if let Some(slot) = counts[..n].iter_mut().find(|(x, _)| *x == s) {
                slot.1 += 1;
            } else if n < counts.len() {
                counts[n] = (s, 1);
                n += 1;
            }
        }
    }
    let mut best = (Sc::Latin, 0u32);
    for &(s, k) in &counts[..n] {
        if k > best.1 {
            best = (s, k);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_scripts() {
        assert_eq!(token_script("Shavkat"), Sc::Latin);
        assert_eq!(token_script("Шавкат"), Sc::Cyrillic);
        assert_eq!(token_script("محمد"), Sc::Arabic);
        assert_eq!(token_script("ქართლი"), Sc::Georgian);
        assert_eq!(token_script("Հայկ"), Sc::Armenian);
        assert_eq!(token_script("毛泽东"), Sc::Han);
        assert_eq!(token_script("राम"), Sc::Devanagari);
        assert_eq!(token_script("Ғайрат"), Sc::Cyrillic);
        assert_eq!(token_script("o‘g‘li"), Sc::Latin);
    }
}
