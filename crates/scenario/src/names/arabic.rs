//! Arabic-script names from a phonemic notation, and their romanizations.
//!
//! Pools store names in a compact notation (see `data/pools.txt`): long vowels `aa ii uu`,
//! emphatics `H S D T Z`, `c` for ʿayn, `'` for hamza, `@` for tāʾ marbūṭa, `al-` article.
//! From one notation we write the native Arabic/Persian script (short vowels unwritten, as in
//! real documents) and Latin renderings in several conventions: plain English, Anglo-Indian
//! ("ee", "oo", "Mohd"), French/Maghrebi ("ou", "ch", "dj", "Abderrahmane"), German ("sch",
//! "dsch"), Turkish ("ş", "ç") and scientific (ḥ, ṣ, ʿ, ā). The article has several renderings
//! (Abd al-Rahman / Abdul Rahman / Abdulrahman / Abdurrahman / Abdel Rahman).
//! Knows nothing of the matcher.

/// A Latin convention for Arabic-script names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArStyle {
    English,
    Anglo,
    French,
    German,
    Turkish,
    Scientific,
}

impl ArStyle {
    pub const ALL: [ArStyle; 6] = [
        ArStyle::English,
        ArStyle::Anglo,
        ArStyle::French,
        ArStyle::German,
        ArStyle::Turkish,
        ArStyle::Scientific,
    ];
    pub fn label(self) -> &'static str {
        match self {
            ArStyle::English => "ar-english",
            ArStyle::Anglo => "ar-anglo",
            ArStyle::French => "ar-french",
            ArStyle::German => "ar-german",
            ArStyle::Turkish => "ar-turkish",
            ArStyle::Scientific => "ar-scientific",
        }
    }
}

/// How the article `al-` is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Article {
    /// "Abd al-Rahman"
    Separate,
    /// "Abdul Rahman"
    Ul,
    /// "Abdulrahman"
    UlJoined,
    /// "Abdurrahman" (sun letters assimilate)
    Assimilated,
    /// "Abdel Rahman"
    El,
}

impl Article {
    pub const ALL: [Article; 5] = [
        Article::Separate,
        Article::Ul,
        Article::UlJoined,
        Article::Assimilated,
        Article::El,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    C(&'static str), // consonant key
    V(&'static str), // vowel key: a i u e o aa ii uu
    Ta,              // @
    Sep,
}

const DIGRAPHS: [&str; 10] = ["kh", "sh", "th", "dh", "gh", "ch", "zh", "aa", "ii", "uu"];
const SINGLES: [&str; 30] = [
    "b", "p", "t", "j", "H", "d", "r", "z", "s", "S", "D", "T", "Z", "c", "'", "g", "f", "q", "k",
    "l", "m", "n", "w", "h", "y", "a", "i", "u", "e", "o",
];

fn tokenize(word: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(word.len());
    let mut rest = word;
    while !rest.is_empty() {
        if let Some(d) = DIGRAPHS.iter().find(|d| rest.starts_with(**d)) {
            out.push(
                if d.len() == 2
                    && (d.starts_with('a') || d.starts_with('i') || d.starts_with('u'))
                    && d.as_bytes()[0] == d.as_bytes()[1]
                {
                    Tok::V(d)
                } else {
                    Tok::C(d)
                },
            );
            rest = &rest[2..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        let n = c.len_utf8();
        if c == '@' {
            out.push(Tok::Ta);
        } else if c == '.' {
            out.push(Tok::Sep);
        } else if let Some(s) = SINGLES.iter().find(|s| rest.starts_with(**s)) {
            if matches!(*s, "a" | "i" | "u" | "e" | "o") {
                out.push(Tok::V(s));
            } else {
                out.push(Tok::C(s));
            }
        }
        rest = &rest[n..];
    }
    out
}

fn is_sun(c: &str) -> bool {
    matches!(
        c,
        "t" | "th" | "d" | "dh" | "r" | "z" | "s" | "sh" | "S" | "D" | "T" | "Z" | "l" | "n"
    )
}

/// Native script. `persian` chooses Persian letter forms (ک ی) and final ه for `@`.
pub fn to_script(notation: &str, persian: bool) -> String {
    let mut out = String::with_capacity(notation.len() * 2);
    for (wi, word) in notation.split(' ').enumerate() {
        if wi > 0 {
            out.push(' ');
        }
        let (article, body) = match word.strip_prefix("al-") {
            Some(b) => (true, b),
            None => (false, word),
        };
        if article {
            out.push_str("ال");
        }
        let toks = tokenize(body);
        let mut prev: Option<Tok> = None;
        for (i, t) in toks.iter().enumerate() {
            let first = i == 0 && !article;
            let last = i + 1 == toks.len();
            match *t {
                Tok::C(c) => {
                    if prev == Some(*t) {
                        continue; // shadda not written
                    }
                    out.push_str(match c {
                        "b" => "ب",
                        "p" => "پ",
                        "t" => "ت",
                        "th" => "ث",
                        "j" => "ج",
                        "ch" => "چ",
                        "H" => "ح",
                        "kh" => "خ",
                        "d" => "د",
                        "dh" => "ذ",
                        "r" => "ر",
                        "z" => "ز",
                        "zh" => "ژ",
                        "s" => "س",
                        "sh" => "ش",
                        "S" => "ص",
                        "D" => "ض",
                        "T" => "ط",
                        "Z" => "ظ",
                        "c" => "ع",
                        "gh" => "غ",
                        "f" => "ف",
                        "q" => "ق",
                        "k" if persian => "ک",
                        "k" => "ك",
                        "g" => "گ",
                        "l" => "ل",
                        "m" => "م",
                        "n" => "ن",
                        "w" => "و",
                        "h" => "ه",
                        "y" if persian => "ی",
                        "y" => "ي",
                        "'" if first => "أ",
                        "'" if last => "ء",
                        "'" => "ئ",
                        _ => "",
                    });
                }
                Tok::V(v) => {
                    if first {
                        out.push_str(if v == "aa" { "آ" } else { "ا" });
                        if v == "ii" {
                            out.push_str(if persian { "ی" } else { "ي" });
                        } else if v == "uu" {
                            out.push('و');
                        }
                    } else {
                        match v {
                            "aa" => out.push('ا'),
                            "ii" => out.push_str(if persian { "ی" } else { "ي" }),
                            "uu" => out.push('و'),
                            "e" | "a" if last && persian => out.push('ه'),
                            "o" if last => out.push('و'),
                            _ => {}
                        }
                    }
                }
                Tok::Ta => out.push_str(if persian { "ه" } else { "ة" }),
                Tok::Sep => {}
            }
            prev = Some(*t);
        }
    }
    out
}

fn cons(c: &str, style: ArStyle, word_start: bool, next_vowel: bool) -> &'static str {
    use ArStyle::*;
    match (c, style) {
        ("H", Scientific) => "ḥ",
        ("S", Scientific) => "ṣ",
        ("D", Scientific) => "ḍ",
        ("T", Scientific) => "ṭ",
        ("Z", Scientific) => "ẓ",
        ("c", Scientific) => "ʿ",
        ("'", Scientific) => "ʾ",
        ("H", _) => "h",
        ("S", _) => "s",
        ("D", French) | ("D", German) => "d",
        ("D", _) => "z",
        ("T", _) => "t",
        ("Z", _) => "z",
        ("c", English) if !word_start => "'",
        ("c", _) | ("'", _) => "",
        ("sh", French) => "ch",
        ("sh", German) => "sch",
        ("sh", Turkish) => "ş",
        ("sh", _) => "sh",
        ("ch", French) => "tch",
        ("ch", German) => "tsch",
        ("ch", Turkish) => "ç",
        ("ch", _) => "ch",
        ("j", French) => "dj",
        ("j", German) => "dsch",
        ("j", Turkish) => "c",
        ("j", _) => "j",
        ("kh", German) => "ch",
        ("kh", Turkish) => "h",
        ("kh", _) => "kh",
        ("gh", Turkish) => "ğ",
        ("gh", _) => "gh",
        ("th", Turkish) | ("th", French) => "s",
        ("th", _) => "th",
        ("dh", Scientific) | ("dh", English) => "dh",
        ("dh", _) => "z",
        ("zh", French) => "j",
        ("zh", _) => "zh",
        ("q", French) | ("q", Turkish) => "k",
        ("q", _) => "q",
        ("w", French) if word_start || next_vowel => "ou",
        ("w", Turkish) => "v",
        ("w", _) => "w",
        ("y", German) => "j",
        ("y", _) => "y",
        ("b", _) => "b",
        ("p", _) => "p",
        ("t", _) => "t",
        ("d", _) => "d",
        ("r", _) => "r",
        ("z", _) => "z",
        ("s", _) => "s",
        ("g", _) => "g",
        ("f", _) => "f",
        ("k", _) => "k",
        ("l", _) => "l",
        ("m", _) => "m",
        ("n", _) => "n",
        ("h", _) => "h",
        _ => "",
    }
}

fn vowel(v: &str, style: ArStyle, first_syllable: bool) -> &'static str {
    use ArStyle::*;
    match (v, style) {
        ("aa", Scientific) => "ā",
        ("ii", Scientific) => "ī",
        ("uu", Scientific) => "ū",
        ("ii", Anglo) => "ee",
        ("uu", Anglo) => "oo",
        ("uu", French) | ("u", French) => "ou",
        ("u", Anglo) | ("u", Turkish) if first_syllable => "o",
        ("aa", _) | ("a", _) => "a",
        ("ii", _) | ("i", _) => "i",
        ("uu", _) | ("u", _) => "u",
        ("e", _) => "e",
        ("o", _) => "o",
        _ => "",
    }
}

fn cap(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut done = false;
    for c in s.chars() {
        if !done && c.is_alphabetic() && c != 'ʿ' && c != 'ʾ' {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// One word (without article) in Latin, lower case.
fn word_latin(word: &str, style: ArStyle) -> String {
    let toks = tokenize(word);
    let mut out = String::with_capacity(word.len() + 4);
    let mut vowels_seen = 0;
    for (i, t) in toks.iter().enumerate() {
        let next_vowel = matches!(toks.get(i + 1), Some(Tok::V(_)));
        match *t {
            Tok::C(c) => {
                let r = cons(c, style, i == 0, next_vowel);
                // Doubled digraphs are written once ("Hajj" → "Hadj", not "Hadjdj").
                if i > 0 && toks[i - 1] == *t && r.chars().count() > 1 {
                    continue;
                }
                out.push_str(r)
            }
            Tok::V(v) => {
                // French writes "i" before another vowel as "y"-less, keep simple.
                out.push_str(vowel(v, style, vowels_seen == 0));
                vowels_seen += 1;
            }
            Tok::Ta => out.push_str(match style {
                ArStyle::English | ArStyle::Anglo => "a",
                ArStyle::Scientific => "ah",
                ArStyle::Turkish => "e",
                _ => "a",
            }),
            Tok::Sep => {}
        }
    }
    // Final long -aan/-iin in French takes a silent e (Abderrahmane, Amine).
    if style == ArStyle::French
        && (word.ends_with("aan") || word.ends_with("iin") || word.ends_with("man"))
    {
        out.push('e');
    }
    out
}

/// Latin rendering of a notation name (possibly several words, with articles).
pub fn to_latin(notation: &str, style: ArStyle, article: Article) -> String {
    let words: Vec<&str> = notation.split(' ').collect();
    let mut out = String::with_capacity(notation.len() + 8);
    for (wi, w) in words.iter().enumerate() {
        if let Some(body) = w.strip_prefix("al-") {
            let first_tok = tokenize(body).into_iter().next();
            let sun = matches!(first_tok, Some(Tok::C(c)) if is_sun(c));
            let rest = word_latin(body, style);
            let lead = if style == ArStyle::Scientific {
                "al-"
            } else if style == ArStyle::French {
                "el-"
            } else {
                "al-"
            };
            if wi == 0 {
                out.push_str(&cap(lead.trim_end_matches('-')));
                out.push('-');
                out.push_str(&cap(&rest));
                continue;
            }
            if style == ArStyle::Scientific {
                out.push(' ');
                out.push_str(lead);
                out.push_str(&cap(&rest));
                continue;
            }
            match article {
                Article::Separate => {
                    out.push(' ');
                    out.push_str(lead);
                    out.push_str(&cap(&rest));
                }
                Article::Ul => {
                    out.push_str("ul ");
                    out.push_str(&cap(&rest));
                }
                Article::UlJoined => {
                    out.push_str("ul");
                    out.push_str(&rest);
                }
                Article::Assimilated => {
                    if sun {
                        let first: String =
                            rest.chars().take_while(|c| !"aeiou".contains(*c)).collect();
                        out.push('u');
                        out.push_str(&first);
                        out.push_str(&rest);
                    } else {
                        out.push_str("ul");
                        out.push_str(&rest);
                    }
                }
                Article::El => {
                    if sun && style == ArStyle::French {
                        let first: String =
                            rest.chars().take_while(|c| !"aeiou".contains(*c)).collect();
                        out.push('e');
                        out.push_str(&first);
                        out.push_str(&rest);
                    } else {
                        out.push_str("el ");
                        out.push_str(&cap(&rest));
                    }
                }
            }
        } else {
            if wi > 0 {
                out.push(' ');
            }
            let mut lw = word_latin(w, style);
            // "Muhammad" is very often written "Mohammad"/"Mohammed"/"Mohamed".
            if *w == "muHammad" {
                lw = match style {
                    ArStyle::Anglo => "mohammad".into(),
                    ArStyle::French => "mohamed".into(),
                    ArStyle::Turkish => "muhammed".into(),
                    _ => lw,
                };
            }
            if *w == "wuld" {
                lw = match style {
                    ArStyle::Scientific => "walad".into(),
                    ArStyle::English => "wuld".into(),
                    _ => "ould".into(),
                };
            }
            out.push_str(&cap(&lw));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script() {
        assert_eq!(to_script("muHammad", false), "محمد");
        assert_eq!(to_script("cabd al-raHman", false), "عبد الرحمن");
        assert_eq!(to_script("faaTima@", false), "فاطمة");
        assert_eq!(to_script("kariimii", true), "کریمی");
        assert_eq!(to_script("aHmad", true), "احمد");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "[a-zA-Z'@. -]{0,24}") {
            let _ = to_script(&s, true);
            let _ = to_script(&s, false);
            for st in ArStyle::ALL {
                for art in Article::ALL {
                    let _ = to_latin(&s, st, art);
                }
            }
        }
    }

    #[test]
    fn latin() {
        let n = "cabd al-raHman";
        assert_eq!(
            to_latin(n, ArStyle::English, Article::Separate),
            "Abd al-Rahman"
        );
        assert_eq!(to_latin(n, ArStyle::English, Article::Ul), "Abdul Rahman");
        assert_eq!(
            to_latin(n, ArStyle::English, Article::UlJoined),
            "Abdulrahman"
        );
        assert_eq!(
            to_latin(n, ArStyle::English, Article::Assimilated),
            "Abdurrahman"
        );
        assert_eq!(to_latin(n, ArStyle::French, Article::El), "Abderrahmane");
        assert_eq!(
            to_latin(n, ArStyle::Scientific, Article::Ul),
            "ʿAbd al-Raḥman"
        );
        assert_eq!(to_latin("rashiid", ArStyle::Anglo, Article::Ul), "Rasheed");
        assert_eq!(to_latin("yuusuf", ArStyle::French, Article::Ul), "Yousouf");
        assert_eq!(
            to_latin("wuld aHmad", ArStyle::French, Article::Ul),
            "Ould Ahmad"
        );
        assert_eq!(
            to_latin("jamshiid", ArStyle::German, Article::Ul),
            "Dschamschid"
        );
    }
}
