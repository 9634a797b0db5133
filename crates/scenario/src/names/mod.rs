//! Name pools per culture and the recording of a person's native name in Latin by an officer:
//! which romanization system, which order, what gets dropped or mistyped.
//!
//! The pools come from `data/` (Faker locale lists, MIT; hand-written pools for cultures Faker
//! lacks), embedded at compile time. Nothing here knows the matcher (`linkwatch-names`).

pub mod arabic;
pub mod cyrillic;
pub mod georgian;
pub mod han;
pub mod latin;

use arabic::{ArStyle, Article};
use cyrillic::CyrStyle;
use georgian::GeoStyle;
use linkwatch_model::{Name, NameQuality, Script, Sex};
use rand::seq::SliceRandom;
use rand::Rng;
use std::sync::OnceLock;

/// Naming cultures (one per pool).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Culture {
    Russian,
    Uzbek,
    Tajik,
    Kyrgyz,
    Kazakh,
    Georgian,
    Turkish,
    Afghan,
    Mauritanian,
    Mexican,
    Andean,
    Spanish,
    Brazilian,
    Haitian,
    Senegalese,
    Indian,
    Chinese,
    Moldovan,
}

/// How a culture writes names natively.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum System {
    Cyrillic,
    /// Arabic script from notation; `persian` letter forms.
    Arabic {
        persian: bool,
    },
    Latin,
    Han,
    Georgian,
}

impl Culture {
    pub fn system(self) -> System {
        match self {
            Culture::Russian
            | Culture::Uzbek
            | Culture::Tajik
            | Culture::Kyrgyz
            | Culture::Kazakh => System::Cyrillic,
            Culture::Afghan => System::Arabic { persian: true },
            Culture::Mauritanian => System::Arabic { persian: false },
            Culture::Chinese => System::Han,
            Culture::Georgian => System::Georgian,
            _ => System::Latin,
        }
    }
    fn hispanic(self) -> bool {
        matches!(self, Culture::Mexican | Culture::Andean | Culture::Spanish)
    }
}

#[derive(Default, Debug)]
pub struct Pool {
    pub given_m: Vec<&'static str>,
    pub given_f: Vec<&'static str>,
    pub family_m: Vec<&'static str>,
    pub family_f: Vec<&'static str>,
    pub middle_m: Vec<&'static str>,
    pub middle_f: Vec<&'static str>,
    /// Chinese: given-name syllables `hanzi|pinyin`.
    pub given: Vec<&'static str>,
}

const FAKER: &[(&str, &str)] = &[
    ("uz_UZ", include_str!("../../data/faker/uz_UZ.txt")),
    ("ru_RU", include_str!("../../data/faker/ru_RU.txt")),
    ("ka_GE", include_str!("../../data/faker/ka_GE.txt")),
    ("tr_TR", include_str!("../../data/faker/tr_TR.txt")),
    ("es_MX", include_str!("../../data/faker/es_MX.txt")),
    ("es_CO", include_str!("../../data/faker/es_CO.txt")),
    ("es_ES", include_str!("../../data/faker/es_ES.txt")),
    ("pt_BR", include_str!("../../data/faker/pt_BR.txt")),
    ("en_IN", include_str!("../../data/faker/en_IN.txt")),
    ("ro_RO", include_str!("../../data/faker/ro_RO.txt")),
];
const HANDMADE: &str = include_str!("../../data/pools.txt");

fn fill(pool: &mut Pool, text: &'static str) {
    for line in text.lines() {
        let Some((kind, name)) = line.split_once('\t') else {
            continue;
        };
        let v = match kind {
            "given_m" => &mut pool.given_m,
            "given_f" => &mut pool.given_f,
            "family" => &mut pool.family_m,
            "family_m" => &mut pool.family_m,
            "family_f" => &mut pool.family_f,
            "middle_m" => &mut pool.middle_m,
            "middle_f" => &mut pool.middle_f,
            "given" => &mut pool.given,
            _ => continue,
        };
        v.push(name);
    }
}

fn faker(loc: &str) -> &'static str {
    FAKER.iter().find(|f| f.0 == loc).map(|f| f.1).unwrap_or("")
}

fn section(name: &str) -> &'static str {
    let head = format!("[{name}]\n");
    let Some(start) = HANDMADE.find(&head) else {
        return "";
    };
    let body = &HANDMADE[start + head.len()..];
    let end = body.find("\n[").map(|e| e + 1).unwrap_or(body.len());
    &body[..end]
}

fn build(c: Culture) -> Pool {
    let mut p = Pool::default();
    match c {
        Culture::Russian | Culture::Moldovan if c == Culture::Russian => {
            // Faker's ru_RU has male and female surname lists plus "family" = both; keep gendered.
            for line in faker("ru_RU").lines() {
                let Some((kind, name)) = line.split_once('\t') else {
                    continue;
                };
                match kind {
                    "given_m" => p.given_m.push(name),
                    "given_f" => p.given_f.push(name),
                    "family_m" => p.family_m.push(name),
                    "family_f" => p.family_f.push(name),
                    "middle_m" => p.middle_m.push(name),
                    "middle_f" => p.middle_f.push(name),
                    _ => {}
                }
            }
        }
        Culture::Uzbek => {
            // Faker's uz_UZ is in Uzbek Latin; our native form for Uzbek is the Cyrillic of
            // older documents, converted by rule (the Latin comes back through romanization).
            let text = faker("uz_UZ");
            let mut tmp = Pool::default();
            fill(&mut tmp, text);
            let conv = |v: Vec<&'static str>| -> Vec<&'static str> {
                v.into_iter()
                    .map(|s| &*Box::leak(cyrillic::uzbek_latin_to_cyrillic(s).into_boxed_str()))
                    .collect()
            };
            p.given_m = conv(tmp.given_m);
            p.given_f = conv(tmp.given_f);
            p.family_m = conv(tmp.family_m);
            p.family_f = conv(tmp.family_f);
        }
        Culture::Tajik => fill(&mut p, section("tajik")),
        Culture::Kyrgyz => fill(&mut p, section("kyrgyz")),
        Culture::Kazakh => fill(&mut p, section("kazakh")),
        Culture::Georgian => fill(&mut p, faker("ka_GE")),
        Culture::Turkish => fill(&mut p, faker("tr_TR")),
        Culture::Afghan => fill(&mut p, section("afghan")),
        Culture::Mauritanian => fill(&mut p, section("mauritanian")),
        Culture::Mexican => fill(&mut p, faker("es_MX")),
        Culture::Andean => fill(&mut p, faker("es_CO")),
        Culture::Spanish => fill(&mut p, faker("es_ES")),
        Culture::Brazilian => fill(&mut p, faker("pt_BR")),
        Culture::Haitian => fill(&mut p, section("haitian")),
        Culture::Senegalese => fill(&mut p, section("senegalese")),
        Culture::Indian => {
            fill(&mut p, faker("en_IN"));
            fill(&mut p, section("indian_extra"));
        }
        Culture::Chinese => fill(&mut p, section("chinese")),
        Culture::Moldovan => fill(&mut p, faker("ro_RO")),
        _ => {}
    }
    // Pools without female given names borrow male ones (never empty).
    if p.given_f.is_empty() {
        p.given_f = p.given_m.clone();
    }
    if p.given_m.is_empty() {
        p.given_m = p.given_f.clone();
    }
    p
}

const ALL_CULTURES: [Culture; 18] = [
    Culture::Russian,
    Culture::Uzbek,
    Culture::Tajik,
    Culture::Kyrgyz,
    Culture::Kazakh,
    Culture::Georgian,
    Culture::Turkish,
    Culture::Afghan,
    Culture::Mauritanian,
    Culture::Mexican,
    Culture::Andean,
    Culture::Spanish,
    Culture::Brazilian,
    Culture::Haitian,
    Culture::Senegalese,
    Culture::Indian,
    Culture::Chinese,
    Culture::Moldovan,
];

/// The pool of a culture (built once, shared read-only).
pub fn pool(c: Culture) -> &'static Pool {
    static POOLS: OnceLock<Vec<Pool>> = OnceLock::new();
    let pools = POOLS.get_or_init(|| ALL_CULTURES.iter().map(|&c| build(c)).collect());
    let i = ALL_CULTURES.iter().position(|&x| x == c).unwrap_or(0);
    &pools[i]
}

/// A person's name in its native form (Cyrillic, Arabic notation, Latin, `hanzi|pinyin`,
/// Georgian), as the person would write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NativeName {
    pub culture: Culture,
    pub given: String,
    pub family: String,
    /// Hispanic second (maternal) surname.
    pub second_family: Option<String>,
    pub patronymic: Option<String>,
}

fn pick<'a>(v: &[&'a str], rng: &mut impl Rng) -> &'a str {
    v.choose(rng).copied().unwrap_or("X")
}

fn feminine_cyr(family: &str) -> String {
    for (m, f) in [
        ("ский", "ская"),
        ("ов", "ова"),
        ("ев", "ева"),
        ("ёв", "ёва"),
        ("ин", "ина"),
    ] {
        if let Some(stem) = family.strip_suffix(m) {
            return format!("{stem}{f}");
        }
    }
    if let Some(stem) = family.strip_suffix("ұлы") {
        return format!("{stem}қызы");
    }
    if let Some(stem) = family.strip_suffix("уулу") {
        return format!("{stem}кызы");
    }
    family.to_string()
}

/// A family name in the form for `sex` (Slavic and Central Asian surnames have gender forms).
pub fn family_for_sex(culture: Culture, family_m: &str, sex: Sex) -> String {
    if sex == Sex::Female && culture.system() == System::Cyrillic {
        return feminine_cyr(family_m);
    }
    family_m.to_string()
}

/// Russian-style patronymic from a father's Cyrillic given name.
fn patronymic_ru(father: &str, sex: Sex) -> String {
    let male = sex != Sex::Female;
    if let Some(stem) = father.strip_suffix('й') {
        return format!("{stem}{}", if male { "евич" } else { "евна" });
    }
    if let Some(stem) = father.strip_suffix(['а', 'я', 'о', 'е', 'и', 'у']) {
        return format!("{stem}{}", if male { "ович" } else { "овна" });
    }
    format!("{father}{}", if male { "ович" } else { "овна" })
}

/// Draw a native name for a person of `culture` and `sex`. `family` forces the family name
/// (male form, for relatives).
pub fn draw(culture: Culture, sex: Sex, family: Option<&str>, rng: &mut impl Rng) -> NativeName {
    let p = pool(culture);
    let female = sex == Sex::Female;
    if culture == Culture::Chinese {
        let fam = family
            .map(str::to_string)
            .unwrap_or_else(|| pick(&p.family_m, rng).to_string());
        let n = if rng.gen_bool(0.7) { 2 } else { 1 };
        let (mut h, mut py) = (String::new(), Vec::new());
        for _ in 0..n {
            let s = pick(&p.given, rng);
            let (a, b) = s.split_once('|').unwrap_or((s, s));
            h.push_str(a);
            py.push(b);
        }
        return NativeName {
            culture,
            given: format!("{h}|{}", py.join(" ")),
            family: fam,
            second_family: None,
            patronymic: None,
        };
    }
    let given = if female {
        pick(&p.given_f, rng)
    } else {
        pick(&p.given_m, rng)
    };
    let mut given = given.to_string();
    // Compound given names are common in Latin America.
    if culture.hispanic() && rng.gen_bool(0.3) {
        let second = if female {
            pick(&p.given_f, rng)
        } else {
            pick(&p.given_m, rng)
        };
        if second != given {
            given = format!("{given} {second}");
        }
    }
    let fam_m = family
        .map(str::to_string)
        .unwrap_or_else(|| pick(&p.family_m, rng).to_string());
    let family_name = if female && !p.family_f.is_empty() && family.is_none() {
        pick(&p.family_f, rng).to_string()
    } else {
        family_for_sex(culture, &fam_m, sex)
    };
    // Mauritanian women are "mint" (daughter of), men "ould" (son of).
    let family_name = if culture == Culture::Mauritanian && female {
        family_name.replacen("wuld ", "mint ", 1)
    } else {
        family_name
    };
    let second_family =
        if culture.hispanic() || (culture == Culture::Brazilian && rng.gen_bool(0.5)) {
            Some(pick(&p.family_m, rng).to_string())
        } else {
            None
        };
    let patronymic = match culture {
        Culture::Russian => Some(
            if female {
                pick(&p.middle_f, rng)
            } else {
                pick(&p.middle_m, rng)
            }
            .to_string(),
        ),
        Culture::Uzbek | Culture::Tajik | Culture::Kazakh | Culture::Kyrgyz => {
            let father = pick(&p.given_m, rng);
            Some(if rng.gen_bool(0.7) {
                patronymic_ru(father, sex)
            } else {
                let suffix = match (culture, female) {
                    (Culture::Uzbek, false) => "ўғли",
                    (Culture::Uzbek, true) => "қизи",
                    (Culture::Kazakh, false) => "ұлы",
                    (Culture::Kazakh, true) => "қызы",
                    (Culture::Kyrgyz, false) => "уулу",
                    (Culture::Kyrgyz, true) => "кызы",
                    (_, false) => "писари",
                    (_, true) => "духтари",
                };
                if culture == Culture::Tajik {
                    format!("{suffix} {father}")
                } else {
                    format!("{father} {suffix}")
                }
            })
        }
        _ => None,
    };
    NativeName {
        culture,
        given,
        family: family_name,
        second_family,
        patronymic,
    }
}

/// A romanization convention used to write a native name in Latin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    Cyr(CyrStyle),
    Ar(ArStyle, Article),
    /// Latin-script names: 0 exact, 1 ASCII-folded, 2 English phonetic (Turkish), 3 German.
    Latin(u8),
    /// Chinese: 0 pinyin split, 1 pinyin joined, 2 Wade–Giles, 3 Wade–Giles with apostrophes.
    Han(u8),
    Geo(GeoStyle),
}

impl Style {
    /// A short label (`"icao"`, `"ar-french/assimilated"`...).
    pub fn label(&self) -> String {
        match self {
            Style::Cyr(c) => c.label().to_string(),
            Style::Ar(a, art) => format!("{}/{art:?}", a.label()).to_lowercase(),
            Style::Latin(v) => ["exact", "ascii", "english", "german"][*v as usize % 4].to_string(),
            Style::Han(v) => ["pinyin", "pinyin-joined", "wade-giles", "wade-giles-apos"]
                [*v as usize % 4]
                .to_string(),
            Style::Geo(g) => format!("georgian-{g:?}").to_lowercase(),
        }
    }
}

/// The conventions a document issued by the person's country would use (stable per person).
pub fn document_style(culture: Culture, rng: &mut impl Rng) -> Style {
    match culture {
        Culture::Uzbek => Style::Cyr(if rng.gen_bool(0.7) {
            CyrStyle::UzbekLatin
        } else {
            CyrStyle::Icao
        }),
        Culture::Russian | Culture::Kazakh | Culture::Kyrgyz | Culture::Tajik => {
            Style::Cyr(if rng.gen_bool(0.8) {
                CyrStyle::Icao
            } else {
                CyrStyle::BgnPcgn
            })
        }
        Culture::Afghan => Style::Ar(
            ArStyle::English,
            *[Article::Ul, Article::UlJoined]
                .choose(rng)
                .unwrap_or(&Article::Ul),
        ),
        Culture::Mauritanian => Style::Ar(ArStyle::French, Article::El),
        Culture::Chinese => Style::Han(1),
        Culture::Georgian => Style::Geo(GeoStyle::NoApostrophe),
        Culture::Turkish => Style::Latin(1),
        _ => Style::Latin(if rng.gen_bool(0.5) { 0 } else { 1 }),
    }
}

/// A convention an officer might use hearing or copying the name (any of the culture's).
pub fn any_style(culture: Culture, rng: &mut impl Rng) -> Style {
    match culture.system() {
        System::Cyrillic => {
            let styles: &[CyrStyle] = match culture {
                Culture::Uzbek => &CyrStyle::ALL,
                _ => &CyrStyle::ALL[..7],
            };
            Style::Cyr(*styles.choose(rng).unwrap_or(&CyrStyle::Icao))
        }
        System::Arabic { .. } => Style::Ar(
            *ArStyle::ALL[..5].choose(rng).unwrap_or(&ArStyle::English),
            *Article::ALL.choose(rng).unwrap_or(&Article::Ul),
        ),
        System::Han => Style::Han(rng.gen_range(0..4)),
        System::Georgian => Style::Geo(if rng.gen_bool(0.6) {
            GeoStyle::NoApostrophe
        } else {
            GeoStyle::National
        }),
        System::Latin => Style::Latin(match culture {
            Culture::Turkish => rng.gen_range(0..4),
            _ => rng.gen_range(0..2),
        }),
    }
}

fn latin_word(native: &str, culture: Culture, style: Style) -> String {
    match style {
        Style::Cyr(c) => cyrillic::romanize(native, c),
        Style::Ar(a, art) => arabic::to_latin(native, a, art),
        Style::Geo(g) => georgian::romanize(native, g),
        Style::Han(v) => {
            let py = native.split_once('|').map(|x| x.1).unwrap_or(native);
            let sylls: Vec<String> = py
                .split(' ')
                .map(|s| match v {
                    2 => han::wade_giles(s, false),
                    3 => han::wade_giles(s, true),
                    _ => s.to_string(),
                })
                .collect();
            let joined = match v {
                0 => sylls.join(" "),
                1 => sylls.concat(),
                _ => sylls.join("-"),
            };
            cap_words(&joined)
        }
        Style::Latin(v) => match (v, culture) {
            (1, _) => latin::fold_ascii(native),
            (2, Culture::Turkish) => latin::turkish_english(native),
            (3, Culture::Turkish) => latin::german_umlauts(native),
            _ => native.to_string(),
        },
    }
}

/// Append `s` to `out` with its first character in upper case (`"shchukin"` → `"Shchukin"`).
pub(crate) fn push_capitalised(out: &mut String, s: &str) {
    let mut it = s.chars();
    if let Some(f) = it.next() {
        out.extend(f.to_uppercase());
        out.push_str(it.as_str());
    }
}

fn cap_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            start = false;
        } else {
            out.push(c);
            if c == ' ' {
                start = true;
            }
        }
    }
    out
}

/// Native-script form of the name, when the culture has a non-Latin script.
pub fn native_script(n: &NativeName) -> Option<Name> {
    let (script, given, family, pat) = match n.culture.system() {
        System::Latin => return None,
        System::Cyrillic => (
            Script::Cyrillic,
            n.given.clone(),
            n.family.clone(),
            n.patronymic.clone(),
        ),
        System::Arabic { persian } => (
            Script::Arabic,
            arabic::to_script(&n.given, persian),
            arabic::to_script(&n.family, persian),
            None,
        ),
        System::Georgian => (Script::Georgian, n.given.clone(), n.family.clone(), None),
        System::Han => {
            let g = n
                .given
                .split_once('|')
                .map(|x| x.0)
                .unwrap_or(&n.given)
                .to_string();
            let f = n
                .family
                .split_once('|')
                .map(|x| x.0)
                .unwrap_or(&n.family)
                .to_string();
            let full = format!("{f}{g}");
            return Some(Name {
                full,
                given: Some(g),
                family: Some(f),
                script: Script::Han,
                quality: NameQuality::Recorded,
                ..Default::default()
            });
        }
    };
    let full = match (&pat, n.culture) {
        // Russian order on Cyrillic documents: Family Given Patronymic.
        (Some(p), _) => format!("{family} {given} {p}"),
        (None, _) => format!("{given} {family}"),
    };
    Some(Name {
        full,
        given: Some(given),
        family: Some(family),
        patronymic: pat,
        script,
        quality: NameQuality::Recorded,
        ..Default::default()
    })
}

/// What an officer does to a name besides romanizing it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Noise {
    pub drop_patronymic: bool,
    pub drop_second_family: bool,
    pub swap_order: bool,
    pub family_first: bool,
    pub comma: bool,
    pub upper: bool,
    pub typo: bool,
    pub join_particles: bool,
}

impl Noise {
    /// Typical officer noise.
    pub fn draw(rng: &mut impl Rng, typo_rate: f64) -> Noise {
        Noise {
            drop_patronymic: rng.gen_bool(0.6),
            drop_second_family: rng.gen_bool(0.3),
            swap_order: rng.gen_bool(0.04),
            family_first: rng.gen_bool(0.25),
            comma: rng.gen_bool(0.5),
            upper: rng.gen_bool(0.35),
            typo: rng.gen_bool(typo_rate),
            join_particles: rng.gen_bool(0.2),
        }
    }
}

/// Record a native name in Latin with `style` and `noise`.
pub fn record(
    n: &NativeName,
    style: Style,
    noise: Noise,
    quality: NameQuality,
    rng: &mut impl Rng,
) -> Name {
    let c = n.culture;
    let mut given = latin_word(&n.given, c, style);
    let mut family = latin_word(&n.family, c, style);
    if let Some(s) = n
        .second_family
        .as_ref()
        .filter(|_| !noise.drop_second_family)
    {
        family = format!("{family} {}", latin_word(s, c, style));
    }
    let mut pat = n
        .patronymic
        .as_ref()
        .filter(|_| !noise.drop_patronymic)
        .map(|p| latin_word(p, c, style));
    if noise.join_particles {
        // "De la Cruz" → "Delacruz", "Jean-Baptiste" → "Jean Baptiste", "Abdul Rahman" → "Abdulrahman".
        let join = |s: &str| -> String {
            if s.starts_with("De ") || s.starts_with("Del ") || s.starts_with("de ") {
                cap_words(&s.replace(' ', "").to_lowercase())
            } else if s.contains('-') {
                s.replace('-', " ")
            } else if s.starts_with("Abdul ") || s.starts_with("Abdel ") {
                let (a, b) = s.split_at(6);
                format!("{}{}", a.trim_end(), b.to_lowercase())
            } else {
                s.to_string()
            }
        };
        family = join(&family);
        given = join(&given);
    }
    if noise.typo {
        let which = rng.gen_range(0..2);
        if which == 0 {
            family = latin::typo(&family, rng);
        } else {
            given = latin::typo(&given, rng);
        }
    }
    if noise.swap_order {
        std::mem::swap(&mut given, &mut family);
        if let Some(p) = pat.take() {
            given = format!("{given} {p}");
        }
    }
    let family_first = noise.family_first || c == Culture::Chinese && rng.gen_bool(0.5);
    let mut full = if family_first {
        match (&pat, noise.comma) {
            (Some(p), true) => format!("{family}, {given} {p}"),
            (Some(p), false) => format!("{family} {given} {p}"),
            (None, true) => format!("{family}, {given}"),
            (None, false) => format!("{family} {given}"),
        }
    } else {
        match &pat {
            Some(p) => format!("{given} {p} {family}"),
            None => format!("{given} {family}"),
        }
    };
    if full.contains('‘') || full.contains('’') {
        // Officers type the Uzbek o‘/g‘ apostrophe in many ways, or drop it.
        let rep = ["‘", "'", "ʻ", "`", "’", ""][rng.gen_range(0..6)];
        let fix = |s: &str| s.replace(['‘', '’'], rep);
        full = fix(&full);
        given = fix(&given);
        family = fix(&family);
        pat = pat.map(|p| fix(&p));
    }
    if noise.upper {
        full = full.to_uppercase();
        given = given.to_uppercase();
        family = family.to_uppercase();
        pat = pat.map(|p| p.to_uppercase());
    }
    Name {
        full,
        given: Some(given),
        family: Some(family),
        patronymic: pat,
        middle: None,
        script: Script::Latin,
        quality,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn pools_are_full() {
        for c in ALL_CULTURES {
            let p = pool(c);
            assert!(
                !p.given_m.is_empty() || c == Culture::Chinese && !p.given.is_empty(),
                "{c:?}"
            );
            assert!(
                !p.family_m.is_empty() || c == Culture::Chinese && !p.given.is_empty(),
                "{c:?}"
            );
        }
        assert!(pool(Culture::Uzbek)
            .given_m
            .iter()
            .all(|g| g.chars().any(|c| ('а'..='я')
                .contains(&c.to_lowercase().next().unwrap_or('a'))
                || "ўқғҳё".contains(c))));
    }

    #[test]
    fn records_vary() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let n = draw(Culture::Uzbek, Sex::Male, None, &mut rng);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..50 {
            let s = any_style(Culture::Uzbek, &mut rng);
            let r = record(&n, s, Noise::default(), NameQuality::Recorded, &mut rng);
            seen.insert(r.full);
        }
        assert!(seen.len() >= 4, "{seen:?}");
        assert!(native_script(&n).is_some());
    }
}
