//! Name parts: titles to drop, particles (al-, bin, ibn, ul, ur, ud, de, van, o‘g‘li...), the
//! Arabic `abd`-compound merge, roles (given / family / patronymic / initial) from commas,
//! letter case and affixes, and the adjacent-token joins used for segmentation variants.
//! Builds [`AnalyzedName`] from the lower layers; knows nothing about comparison scores.

use crate::normalize::tokenize;
use crate::phonetic::{key, loose_key, raw_skeleton, skeleton_of_key};
use crate::script::Sc;
use crate::translit::romanize;
use crate::{equiv, hash_str, AnalyzedName, Join, PartRole, Token};

/// Honorifics and titles (romanised) dropped from the comparable tokens.
const TITLES: &[&str] = &[
    "dr", "mr", "mrs", "ms", "miss", "prof", "haji", "hajji", "hadji", "hadj", "hajj", "alhaj",
    "alhaji", "alhajj", "hoji", "mullah", "mulla", "mullo", "molla", "mla", "mawlawi", "maulawi",
    "maulavi", "mawlavi", "maulvi", "moulvi", "mului", "mawlana", "maulana", "sheikh", "shaykh",
    "shaikh", "sheik", "shekh", "shikh", "qari", "ustad", "ustadh", "general", "gen", "col",
    "colonel", "lt", "capt", "captain", "major", "judge", "sir", "hon", "mufti", "dktur", "doctor",
    "eng", "engineer", "mme", "mlle", "herr", "frau", "molvi", "molavi", "mowlavi", "mowlawi",
    "moulana", "mowlana", "mollah", "molah",
];

/// Generational suffixes, dropped wherever they are.
const GENERATIONAL: &[&str] = &["jr", "sr", "ii", "iii", "iv", "junior", "senior"];

/// Particles: articles, filiation words, prepositions inside names. They are kept as tokens
/// with role [`PartRole::Particle`] and carry no weight in comparison.
const PARTICLES: &[&str] = &[
    "al", "el", "ul", "ur", "ud", "us", "ut", "uz", "un", "ad", "ar", "as", "ash", "at", "az",
    "an", "ed", "er", "es", "bin", "ibn", "ben", "bint", "binti", "bn", "ibnu", "bnt", "abn",
    "walad", "ould", "wuld", "de", "da", "del", "della", "di", "du", "des", "van", "von", "der",
    "den", "la", "le", "dos", "das", "ogli", "oghli", "ugli", "oglu", "ogly", "uly", "uulu",
    "qizi", "kizi", "kyzy", "gizi", "kizy",
];

/// Filiation particles that follow a patronymic (Uzbek o‘g‘li / qizi, Azeri oglu, Kyrgyz uulu).
const FILIATION_AFTER: &[&str] = &[
    "ogli", "oghli", "ugli", "oglu", "ogly", "uly", "uulu", "qizi", "kizi", "kyzy", "gizi", "kizy",
];

const PATRONYMIC_SUFFIXES: &[&str] = &[
    "ovich", "evich", "yevich", "ovna", "evna", "yevna", "ichna", "ovych", "evych", "ivna", "ovic",
    "ievich",
];

const FAMILY_SUFFIXES: &[&str] = &[
    "ov", "ova", "ev", "eva", "yev", "yeva", "sky", "skiy", "skii", "skaya", "enko", "chuk",
    "shvili", "dze", "zoda", "zade", "zadeh", "zada", "yan", "ian", "ski", "ovic", "evic", "ic",
    "uly", "zai", "zay",
];

/// Written abbreviations of name parts, compared as the full form (`Muh`, `Moh`, `Md`,
/// `Mhd`, `Mohd` for Muhammad: Indonesian, Malaysian, Bangladeshi and Syrian documents).
/// The token keeps its written text; its key, skeleton and groups are the full form's.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("muh", "muhammad"),
    ("moh", "muhammad"),
    ("moch", "muhammad"),
    ("mohd", "muhammad"),
    ("muhd", "muhammad"),
    ("mohd", "muhammad"),
    ("md", "muhammad"),
    ("mhd", "muhammad"),
    ("mhmd", "muhammad"),
];

fn expansion(t: &str) -> Option<&'static str> {
    ABBREVIATIONS.iter().find(|(a, _)| *a == t).map(|(_, f)| *f)
}

fn is_in(t: &str, set: &[&str]) -> bool {
    set.contains(&t)
}

struct Piece {
    text: String,
    sc: Sc,
    vowelless: bool,
    before_comma: bool,
    all_caps: bool,
    particle: bool,
}

/// Split the raw name into romanised pieces (Arabic article split off).
/// `split_glued`: split a glued Arabic article off Latin words (needs the equivalence table, so
/// never while the table itself is being built).
fn pieces(full: &str, split_glued: bool) -> (Vec<Piece>, bool) {
    let (raw, had_comma) = tokenize(full);
    let mut out: Vec<Piece> = Vec::with_capacity(raw.len() + 2);
    for r in raw {
        let mut native = r.text.as_str();
        if r.sc == Sc::Arabic {
            let n = native.chars().count();
            if n >= 4 && native.starts_with("ال") && !native.starts_with("الله") {
                out.push(Piece {
                    text: "al".into(),
                    sc: Sc::Arabic,
                    vowelless: true,
                    before_comma: r.before_comma,
                    all_caps: false,
                    particle: true,
                });
                native = &native["ال".len()..];
            }
        }
        let (text, vowelless) = romanize(native, r.sc);
        if text.is_empty() {
            continue;
        }
        if split_glued && r.sc == Sc::Latin {
            if let Some(rest) = glued_article(&text) {
                out.push(Piece {
                    text: text[..2].to_string(),
                    sc: r.sc,
                    vowelless: false,
                    before_comma: r.before_comma,
                    all_caps: r.all_caps,
                    particle: true,
                });
                out.push(Piece {
                    text: rest.to_string(),
                    sc: r.sc,
                    vowelless: false,
                    before_comma: r.before_comma,
                    all_caps: r.all_caps,
                    particle: false,
                });
                continue;
            }
        }
        let particle = is_in(&text, PARTICLES);
        out.push(Piece {
            text,
            sc: r.sc,
            vowelless,
            before_comma: r.before_comma,
            all_caps: r.all_caps,
            particle,
        });
    }
    (out, had_comma)
}

/// The Arabic article written glued to a Latin name part (`Albaker`, `Elsayed`, `Aljahani`):
/// the rest, when the whole word is not itself a known name part and the rest (4+ letters
/// after the article) is one (`Albert`, `Elena`, `Alvaro` stay whole).
fn glued_article(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("al")
        .or_else(|| text.strip_prefix("el"))?;
    let first = *rest.as_bytes().first()?;
    if rest.len() < 4 || matches!(first, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'\'') {
        return None;
    }
    let table = equiv::table();
    if !table.groups(&key(text)).is_empty() {
        return None;
    }
    (!table.groups(&key(rest)).is_empty()).then_some(rest)
}

/// Somali orthography writes the ʿayn as `c` (Cabdi = Abdi, Cali = Ali, Cumar = Umar) and kh/ḥ
/// as `x` (Xasan, Maxamed). A name reads as Somali when one Latin part has a word-initial `x`
/// before `a`/`e`/`o` (Xasan, Xoogsade; pinyin's x only comes before i/u) or an `x` between
/// `a|i|u` and `a|u` (Maxamed, Cabdixamiid; not Alexander, Oxana, Maxim); then a part starting
/// with `c` + vowel loses the `c` when the rest is a known name part (Cali, Cumar, Cabdi).
fn somali_ayn(ps: &mut [Piece]) {
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    let somali = ps.iter().any(|p| {
        let t = p.text.as_bytes();
        p.sc == Sc::Latin
            && (1..t.len()).any(|i| {
                t[i - 1] == b'x'
                    && if i == 1 {
                        matches!(t[i], b'a' | b'e' | b'o')
                    } else {
                        matches!(t[i], b'a' | b'u') && matches!(t[i - 2], b'a' | b'i' | b'u')
                    }
            })
    });
    if !somali {
        return;
    }
    let table = equiv::table();
    for p in ps.iter_mut() {
        let t = p.text.as_bytes();
        if p.sc != Sc::Latin || p.particle || t.len() < 4 || t[0] != b'c' || !vowel(t[1]) {
            continue;
        }
        let rest = &p.text[1..];
        if !table.groups(&key(rest)).is_empty() {
            p.text = rest.to_string();
        }
    }
}

/// Key under which a table form (`"abd al-rahman"`, `"شوكت"`) is indexed: leading particles
/// dropped, remaining pieces concatenated. Returns `(key, is_latin, vowelless)`.
pub(crate) fn form_key(form: &str) -> Option<(String, bool, bool)> {
    // Fast path for plain ASCII forms without apostrophes (most of the table): same result as
    // the general path (ASCII folding is lower-casing; no Uzbek g' to read).
    if form.is_ascii() && !form.contains(['\'', '`']) {
        let mut joined = String::with_capacity(form.len());
        let mut started = false;
        for w in form.split(|c: char| !c.is_ascii_alphanumeric()) {
            if w.is_empty() {
                continue;
            }
            let lw = w.to_ascii_lowercase();
            if !started && is_in(&lw, PARTICLES) {
                continue;
            }
            started = true;
            joined.push_str(&lw);
        }
        if joined.is_empty() {
            return None;
        }
        let k = key(&joined);
        return if k.is_empty() {
            None
        } else {
            Some((k, true, false))
        };
    }
    let (ps, _) = pieces(form, false);
    let start = ps.iter().position(|p| !p.particle)?;
    let mut joined = String::new();
    let mut vowelless = false;
    let mut latin = true;
    for p in &ps[start..] {
        joined.push_str(&p.text);
        vowelless |= p.vowelless;
        latin &= p.sc == Sc::Latin;
    }
    let k = key(&joined);
    if k.is_empty() {
        return None;
    }
    Some((k, latin, vowelless))
}

pub(crate) fn make_token(text: String, sc: Sc, vowelless: bool, role: PartRole) -> Token {
    let k = match (sc, expansion(&text)) {
        (Sc::Latin, Some(full)) => key(full),
        _ => key(&text),
    };
    let skeleton = skeleton_of_key(&k);
    let table = equiv::table();
    let groups = table.groups(&k).to_vec();
    let mut guess = None;
    if vowelless && !groups.is_empty() {
        guess = table.latin_guess(&groups, &skeleton);
    }
    let display: String = text.chars().filter(|c| *c != '\'').collect();
    Token {
        raw_skeleton_hash: {
            let r = raw_skeleton(&text);
            if r.len() >= 2 {
                hash_str(&r)
            } else {
                0
            }
        },
        letters: k.bytes().fold(0u64, |m, b| m | (1u64 << (b & 63))),
        // `kh` written as `k` (Khader/Kader, Khalaf/Kalaf, Akhwan/Akwan): the loose key reads
        // a Latin `kh` as `k` (the strict key reads it as `h`, with x and h).
        loose_hash: if sc == Sc::Latin && text.contains("kh") && expansion(&text).is_none() {
            hash_str(&loose_key(&key(&text.replace("kh", "k"))))
        } else {
            hash_str(&loose_key(&k))
        },
        key_hash: hash_str(&k),
        skeleton_hash: hash_str(&skeleton),
        guess_hash: guess.as_deref().map(hash_str).unwrap_or(0),
        text: display,
        skeleton,
        script: sc.script(),
        role,
        key: k,
        groups,
        vowelless,
        guess,
    }
}

/// Analyse a name as written (see [`crate::analyze`]).
pub(crate) fn analyze_impl(full: &str) -> AnalyzedName {
    let (mut ps, had_comma) = pieces(full, true);
    somali_ayn(&mut ps);
    let mut titles = Vec::new();
    // Leading titles (before the first name part): dropped while another part remains.
    // A title word later in the name is kept ("Yahya AL-HAJJ" is a surname).
    let core_count = |ps: &[Piece]| ps.iter().filter(|p| !p.particle).count();
    while let Some(i) = ps.iter().position(|p| !p.particle) {
        if is_in(&ps[i].text, TITLES) && core_count(&ps) > 1 {
            titles.push(ps.remove(i).text);
        } else {
            break;
        }
    }
    let mut i = 0;
    while i < ps.len() {
        if !ps[i].particle && is_in(&ps[i].text, GENERATIONAL) && core_count(&ps) > 1 {
            titles.push(ps.remove(i).text);
        } else {
            i += 1;
        }
    }
    // `abd`-compounds are NOT merged: "Abdul Rahman" stays two tokens and meets
    // "Abdurrahman" through the join of adjacent tokens (see `Join`), while "Abdul Aziz" can
    // still match "Aziz" and a standalone "Abdul" stays a name.
    let any_lower = ps
        .iter()
        .any(|p| !p.all_caps && p.sc == Sc::Latin && p.text.len() > 1);
    let any_caps = ps
        .iter()
        .any(|p| p.all_caps && p.text.len() > 1 && !p.particle);
    let mixed_case = any_lower && any_caps;
    let after_comma_exists = had_comma && ps.iter().any(|p| !p.before_comma);
    let n = ps.len();
    let mut roles: Vec<PartRole> = vec![PartRole::Unknown; n];
    for (k, p) in ps.iter().enumerate() {
        let t = p.text.as_str();
        roles[k] = if p.particle {
            PartRole::Particle
        } else if t.chars().count() == 1 {
            PartRole::Initial
        } else if PATRONYMIC_SUFFIXES
            .iter()
            .any(|s| t.len() > s.len() + 2 && t.ends_with(s))
        {
            PartRole::Patronymic
        } else if after_comma_exists && p.before_comma {
            PartRole::Family
        } else if after_comma_exists {
            PartRole::Given
        } else if mixed_case && p.all_caps {
            PartRole::Family
        } else if mixed_case {
            PartRole::Given
        } else if FAMILY_SUFFIXES
            .iter()
            .any(|s| t.len() > s.len() + 2 && t.ends_with(s))
        {
            PartRole::Family
        } else {
            PartRole::Unknown
        };
    }
    // o‘g‘li / qizi after a token makes it a patronymic.
    for k in 1..n {
        if is_in(&ps[k].text, FILIATION_AFTER) && roles[k - 1] != PartRole::Particle {
            roles[k - 1] = PartRole::Patronymic;
        }
    }
    let mut tokens: Vec<Token> = Vec::with_capacity(n);
    for (p, role) in ps.into_iter().zip(roles) {
        tokens.push(make_token(p.text, p.sc, p.vowelless, role));
    }
    // Joins of adjacent non-particle, non-initial tokens (segmentation variants).
    let core: Vec<usize> = (0..tokens.len())
        .filter(|&k| !matches!(tokens[k].role, PartRole::Particle | PartRole::Initial))
        .collect();
    let mut joins = Vec::new();
    for w in core.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mut text = tokens[a].text.clone();
        text.push_str(&tokens[b].text);
        let k = key(&text);
        let skeleton = skeleton_of_key(&k);
        joins.push(Join {
            first: a,
            second: b,
            key_hash: hash_str(&k),
            skeleton_hash: hash_str(&skeleton),
            key: k,
            skeleton,
        });
    }
    AnalyzedName {
        original: full.to_string(),
        tokens,
        joins,
        titles,
    }
}
