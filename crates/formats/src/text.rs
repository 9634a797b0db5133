//! Small text helpers shared by the readers: byte decoding (UTF-8, else Latin-1/Windows-1252),
//! whitespace cleaning and writing-system detection. No file formats here.

use linkwatch_model::Script;
use std::borrow::Cow;

/// Decode a field: valid UTF-8 is taken as is (a re-saved OFAC file), anything else is read as
/// Windows-1252, the superset of Latin-1 OFAC publishes in. Never fails.
pub fn decode_latin1_or_utf8(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            s
        }
    }
}

/// Trim and collapse internal whitespace runs (incl. newlines) to one space.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The writing system most letters of `s` belong to (`Latin` when there are no letters).
pub fn detect_script(s: &str) -> Script {
    // Counts per script, in the order of `SCRIPTS`.
    const SCRIPTS: [Script; 8] = [
        Script::Latin,
        Script::Cyrillic,
        Script::Arabic,
        Script::Han,
        Script::Devanagari,
        Script::Georgian,
        Script::Armenian,
        Script::Other,
    ];
    let mut counts = [0usize; 8];
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        let u = c as u32;
        let i = match u {
            0x0041..=0x024F | 0x1E00..=0x1EFF => 0,
            0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => 1,
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => 2,
            0x2E80..=0x2FDF
            | 0x3005..=0x3007
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0x20000..=0x3134F => 3,
            0x0900..=0x097F => 4,
            0x10A0..=0x10FF | 0x1C90..=0x1CBF => 5,
            0x0530..=0x058F => 6,
            _ => 7,
        };
        counts[i] += 1;
    }
    let mut best = 0;
    for i in 1..counts.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    if counts[best] == 0 {
        Script::Latin
    } else {
        SCRIPTS[best]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_both() {
        assert_eq!(decode_latin1_or_utf8(b"Mu\xf1oz"), "Muñoz");
        assert_eq!(decode_latin1_or_utf8("Muñoz".as_bytes()), "Muñoz");
        assert_eq!(decode_latin1_or_utf8(b"\x93q\x94"), "\u{201c}q\u{201d}");
    }

    #[test]
    fn scripts() {
        assert_eq!(detect_script("Абдулла Каримов"), Script::Cyrillic);
        assert_eq!(detect_script("عبد الله"), Script::Arabic);
        assert_eq!(detect_script("金正恩"), Script::Han);
        assert_eq!(detect_script("Karimov"), Script::Latin);
        assert_eq!(detect_script("ქართული"), Script::Georgian);
        assert_eq!(detect_script("김정은"), Script::Other);
        assert_eq!(detect_script(""), Script::Latin);
        assert_eq!(clean("  a \n b  "), "a b");
    }
}
