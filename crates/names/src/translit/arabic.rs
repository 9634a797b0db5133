//! Romanisation of Arabic-script tokens (Arabic, Persian/Dari, Pashto, Urdu letters) into a
//! consonant-oriented lower-case Latin form. Short vowels are not written in these scripts, so
//! the output is close to a consonant skeleton with long vowels: محمد -> `mhmd`,
//! يوسف -> `yusf`, حسين -> `hsin`. Where `s`/`k`/`z`/`g`/`d`/`t`/`c` is followed by a letter
//! romanised `h`, an apostrophe separates them (`is'haq`) so that later digraph folding does
//! not read `sh`/`kh`. Harakat, tatweel and shadda are dropped.

fn is_consonant_out(c: Option<char>) -> bool {
    matches!(c, Some(c) if c.is_ascii_alphabetic() && !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u'))
}

/// Romanise one Arabic-script token, appending to `out`.
pub fn romanize(token: &str, out: &mut String) {
    let chars: Vec<char> = token
        .chars()
        .filter(|c| !matches!(*c as u32, 0x610..=0x61A | 0x64B..=0x65F | 0x670 | 0x6D6..=0x6ED))
        .collect();
    let n = chars.len();
    let start_len = out.len();
    for (i, &c) in chars.iter().enumerate() {
        let first = out.len() == start_len;
        let last = i + 1 == n;
        let prev_out = out[start_len..].chars().last();
        let s: &str = match c {
            'ا' | 'أ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => "a",
            'إ' => "i",
            'ء' => "",
            'ؤ' => "u",
            'ئ' => "i",
            'ب' => "b",
            'ت' | 'ٹ' | 'ټ' | 'ط' => "t",
            'ث' => "th",
            'ج' => "j",
            'ح' | 'ه' | 'ہ' | 'ھ' | 'ۀ' | 'ۂ' | 'ۃ' => {
                if (c == 'ه' || c == 'ہ') && last && is_consonant_out(prev_out) && n > 2 {
                    "a"
                } else if matches!(
                    prev_out,
                    Some('s' | 'k' | 'z' | 'g' | 'd' | 't' | 'c' | 'p')
                ) {
                    "'h"
                } else {
                    "h"
                }
            }
            'خ' => "kh",
            'د' | 'ډ' | 'ڈ' | 'ض' => "d",
            'ذ' => "dh",
            'ر' | 'ړ' | 'ڑ' => "r",
            'ز' | 'ظ' => "z",
            'ژ' | 'ږ' => "zh",
            'س' | 'ص' => "s",
            'ش' | 'ښ' => "sh",
            'ع' if first && i + 1 < n && !matches!(chars[i + 1], 'ا' | 'و' | 'ي' | 'ی') => "a",
            'ع' => "",
            'غ' => "gh",
            'ف' | 'ڤ' => "f",
            'ق' => "q",
            'ك' | 'ک' | 'ڪ' => "k",
            'گ' | 'ګ' => "g",
            'ل' => "l",
            'م' => "m",
            'ن' | 'ں' | 'ڼ' => "n",
            'و' => {
                if first || prev_out == Some('a') {
                    "w"
                } else {
                    "u"
                }
            }
            'ي' | 'ی' | 'ې' | 'ۍ' | 'ى' | 'ے' | 'ێ' => {
                if c == 'ى' && last {
                    "a"
                } else if c == 'ے' || c == 'ې' {
                    "e"
                } else if first || prev_out == Some('a') {
                    "y"
                } else {
                    "i"
                }
            }
            'ة' => "a",
            'پ' => "p",
            'چ' => "ch",
            'ځ' => "dz",
            'څ' => "ts",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            c if ('\u{660}'..='\u{669}').contains(&c) || ('\u{6F0}'..='\u{6F9}').contains(&c) => {
                let d = (c as u32 & 0xF) as u8;
                out.push((b'0' + d.min(9)) as char);
                continue;
            }
            _ => "",
        };
        out.push_str(s);
    }
}

/// The token as Persian, Dari and Urdu read it, when that differs from the Arabic reading of
/// [`romanize`]: `ض ظ ذ` are `z` (Arabic d, z, dh: `فاضل` Fazel/Fadil, `ذاکر` Zakir/Dhakir),
/// `ث` is `s` (Arabic th: `ثابت` Sabet/Thabit) and a final `ى` is `i` (Arabic alif maqsura `a`:
/// `مرتضى` Morteza/Murtada). `None` when the token has none of these letters.
/// An alternative form: the token keeps its Arabic reading and also meets the Persian one.
pub fn persian_reading(token: &str) -> Option<String> {
    let chars: Vec<char> = token.chars().collect();
    let last = chars.iter().rposition(|c| c.is_alphabetic());
    let mut changed = false;
    let alt: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match c {
            'ض' | 'ظ' | 'ذ' => {
                changed = true;
                'ز'
            }
            'ث' => {
                changed = true;
                'س'
            }
            'ى' if Some(i) == last => {
                changed = true;
                'ی'
            }
            c => c,
        })
        .collect();
    if !changed {
        return None;
    }
    let mut out = String::with_capacity(alt.len() + 4);
    romanize(&alt, &mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    fn r(s: &str) -> String {
        let mut o = String::new();
        super::romanize(s, &mut o);
        o
    }

    #[test]
    fn common_names() {
        assert_eq!(r("محمد"), "mhmd");
        assert_eq!(r("يوسف"), "yusf");
        assert_eq!(r("عبدالرحمن"), "abdalrhmn");
        assert_eq!(r("اسحاقزی"), "as'haqzi");
        assert_eq!(r("شوكت"), "shukt");
        assert_eq!(r("حسين"), "hsin");
    }

    #[test]
    fn persian_readings() {
        use super::persian_reading as p;
        assert_eq!(p("فاضل").as_deref(), Some("fazl"));
        assert_eq!(p("ثابت").as_deref(), Some("sabt"));
        assert_eq!(p("ذاکر").as_deref(), Some("zakr"));
        assert_eq!(p("مرتضى").as_deref(), Some("mrtzi"));
        assert_eq!(p("محمد"), None);
    }
}
