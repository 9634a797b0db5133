//! Romanisation of non-Latin scripts into comparable lower-case Latin (ASCII) forms.
//! Cyrillic ([`cyrillic`]) and Arabic script ([`arabic`]) have full tables; Greek, Georgian and
//! Armenian have simple letter tables here. Knows nothing about name parts or comparison.

pub mod arabic;
pub mod cyrillic;

use crate::normalize::fold_latin;
use crate::script::Sc;

/// Romanise a lower-case token written in script `sc`. Returns the Latin text and whether the
/// script omits short vowels (Arabic script), in which case comparisons should also use the
/// consonant skeleton. Scripts without a table (Han, Kana, Hangul, Devanagari...) are returned
/// lower-cased as written.
pub fn romanize(token: &str, sc: Sc) -> (String, bool) {
    let mut out = String::with_capacity(token.len() + 4);
    match sc {
        Sc::Latin => fold_latin(token, &mut out),
        Sc::Cyrillic => cyrillic::romanize(token, &mut out),
        Sc::Arabic => {
            arabic::romanize(token, &mut out);
            return (out, true);
        }
        Sc::Greek => greek(token, &mut out),
        Sc::Georgian => georgian(token, &mut out),
        Sc::Armenian => armenian(token, &mut out),
        Sc::Hebrew => {
            hebrew(token, &mut out);
            return (out, true);
        }
        _ => {
            for c in token.chars() {
                if c.is_alphanumeric() {
                    out.push(c);
                }
            }
        }
    }
    (out, false)
}

fn greek(token: &str, out: &mut String) {
    use unicode_normalization::UnicodeNormalization;
    let base: Vec<char> = token.nfd().filter(|c| c.is_alphanumeric()).collect();
    let mut i = 0;
    while i < base.len() {
        let c = base[i];
        let n = base.get(i + 1).copied();
        let two = match (c, n) {
            ('ο', Some('υ')) => Some("u"),
            ('μ', Some('π')) if i == 0 => Some("b"),
            ('ν', Some('τ')) if i == 0 => Some("d"),
            ('γ', Some('κ')) if i == 0 => Some("g"),
            ('α', Some('ι')) => Some("e"),
            ('ε', Some('ι')) | ('ο', Some('ι')) => Some("i"),
            _ => None,
        };
        if let Some(t) = two {
            out.push_str(t);
            i += 2;
            continue;
        }
        let s = match c {
            'α' => "a",
            'β' => "v",
            'γ' => "g",
            'δ' => "d",
            'ε' => "e",
            'ζ' => "z",
            'η' => "i",
            'θ' => "th",
            'ι' => "i",
            'κ' => "k",
            'λ' => "l",
            'μ' => "m",
            'ν' => "n",
            'ξ' => "x",
            'ο' => "o",
            'π' => "p",
            'ρ' => "r",
            'σ' | 'ς' => "s",
            'τ' => "t",
            'υ' => "i",
            'φ' => "f",
            'χ' => "kh",
            'ψ' => "ps",
            'ω' => "o",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                ""
            }
            _ => "",
        };
        out.push_str(s);
        i += 1;
    }
}

fn georgian(token: &str, out: &mut String) {
    for c in token.chars() {
        let s = match c {
            'ა' => "a",
            'ბ' => "b",
            'გ' => "g",
            'დ' => "d",
            'ე' => "e",
            'ვ' => "v",
            'ზ' => "z",
            'თ' => "t",
            'ი' => "i",
            'კ' => "k",
            'ლ' => "l",
            'მ' => "m",
            'ნ' => "n",
            'ო' => "o",
            'პ' => "p",
            'ჟ' => "zh",
            'რ' => "r",
            'ს' => "s",
            'ტ' => "t",
            'უ' => "u",
            'ფ' => "p",
            'ქ' => "k",
            'ღ' => "gh",
            'ყ' => "q",
            'შ' => "sh",
            'ჩ' => "ch",
            'ც' => "ts",
            'ძ' => "dz",
            'წ' => "ts",
            'ჭ' => "ch",
            'ხ' => "kh",
            'ჯ' => "j",
            'ჰ' => "h",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                ""
            }
            _ => "",
        };
        out.push_str(s);
    }
}

fn armenian(token: &str, out: &mut String) {
    let chars: Vec<char> = token.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == 'ո' && chars.get(i + 1) == Some(&'ւ') {
            out.push('u');
            i += 2;
            continue;
        }
        let s = match c {
            'ա' => "a",
            'բ' => "b",
            'գ' => "g",
            'դ' => "d",
            'ե' => {
                if i == 0 {
                    "ye"
                } else {
                    "e"
                }
            }
            'զ' => "z",
            'է' => "e",
            'ը' => "y",
            'թ' => "t",
            'ժ' => "zh",
            'ի' => "i",
            'լ' => "l",
            'խ' => "kh",
            'ծ' => "ts",
            'կ' => "k",
            'հ' => "h",
            'ձ' => "dz",
            'ղ' => "gh",
            'ճ' => "ch",
            'մ' => "m",
            'յ' => "y",
            'ն' => "n",
            'շ' => "sh",
            'ո' => {
                if i == 0 {
                    "vo"
                } else {
                    "o"
                }
            }
            'չ' => "ch",
            'պ' => "p",
            'ջ' => "j",
            'ռ' => "r",
            'ս' => "s",
            'վ' => "v",
            'տ' => "t",
            'ր' => "r",
            'ց' => "ts",
            'ւ' => "v",
            'փ' => "p",
            'ք' => "k",
            'օ' => "o",
            'ֆ' => "f",
            'և' => "ev",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                ""
            }
            _ => "",
        };
        out.push_str(s);
        i += 1;
    }
}

fn hebrew(token: &str, out: &mut String) {
    for c in token.chars() {
        let s = match c {
            'א' | 'ע' => "",
            'ב' => "b",
            'ג' => "g",
            'ד' => "d",
            'ה' => "h",
            'ו' => "v",
            'ז' => "z",
            'ח' => "kh",
            'ט' => "t",
            'י' => "y",
            'כ' | 'ך' => "k",
            'ל' => "l",
            'מ' | 'ם' => "m",
            'נ' | 'ן' => "n",
            'ס' => "s",
            'פ' | 'ף' => "p",
            'צ' | 'ץ' => "ts",
            'ק' => "k",
            'ר' => "r",
            'ש' => "sh",
            'ת' => "t",
            _ => "",
        };
        out.push_str(s);
    }
}
