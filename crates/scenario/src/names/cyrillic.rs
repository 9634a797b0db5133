//! Cyrillic → Latin romanization tables written for the generator (independent of the matcher
//! in `linkwatch-names`, which must not share code with what it is evaluated on).
//!
//! Systems: ICAO 9303 (Russian passports since 2013), BGN/PCGN, GOST 7.79-2000 system B,
//! scientific (ISO 9-like, with háčeks), French (old Soviet passports), German, Turkish-style,
//! and the official Uzbek Latin alphabet (with o‘ g‘ sh ch x q). Covers the extra letters of
//! Uzbek (ў қ ғ ҳ), Tajik (ҷ ӣ ӯ), Kazakh (ә ғ қ ң ө ұ ү һ і) and Kyrgyz (ң ө ү).

/// A romanization system for Cyrillic names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CyrStyle {
    Icao,
    BgnPcgn,
    Gost,
    Scientific,
    French,
    German,
    Turkish,
    UzbekLatin,
}

impl CyrStyle {
    pub const ALL: [CyrStyle; 8] = [
        CyrStyle::Icao,
        CyrStyle::BgnPcgn,
        CyrStyle::Gost,
        CyrStyle::Scientific,
        CyrStyle::French,
        CyrStyle::German,
        CyrStyle::Turkish,
        CyrStyle::UzbekLatin,
    ];
    pub fn label(self) -> &'static str {
        match self {
            CyrStyle::Icao => "icao",
            CyrStyle::BgnPcgn => "bgn-pcgn",
            CyrStyle::Gost => "gost-7.79",
            CyrStyle::Scientific => "scientific",
            CyrStyle::French => "french",
            CyrStyle::German => "german",
            CyrStyle::Turkish => "turkish",
            CyrStyle::UzbekLatin => "uzbek-latin",
        }
    }
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'а' | 'е'
            | 'ё'
            | 'и'
            | 'о'
            | 'у'
            | 'ы'
            | 'э'
            | 'ю'
            | 'я'
            | 'ў'
            | 'ә'
            | 'ө'
            | 'ү'
            | 'ұ'
            | 'і'
            | 'ӣ'
            | 'ӯ'
    )
}

/// Romanize one lower-case Cyrillic letter given its neighbours (`prev` is the previous
/// lower-case char or None at word start).
fn letter(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    style: CyrStyle,
) -> Option<&'static str> {
    use CyrStyle::*;
    let word_start = prev.is_none();
    let after_vowel = prev.is_some_and(|p| is_vowel(p) || p == 'ъ' || p == 'ь');
    let s = match (c, style) {
        ('а', _) => "a",
        ('б', _) => "b",
        ('в', German) => "w",
        ('в', _) => "v",
        ('г', _) => "g",
        ('д', _) => "d",
        ('е', BgnPcgn) | ('е', UzbekLatin) | ('е', Turkish) if word_start || after_vowel => "ye",
        ('е', German) if word_start || after_vowel => "je",
        ('е', _) => "e",
        ('ё', Icao) => "e",
        ('ё', BgnPcgn) => "yë",
        ('ё', Scientific) => "ë",
        ('ё', German) => "jo",
        ('ё', French) => "io",
        ('ё', _) => "yo",
        ('ж', Scientific) => "ž",
        ('ж', French) | ('ж', UzbekLatin) | ('ж', Turkish) => "j",
        ('ж', German) => "sch",
        ('ж', _) => "zh",
        ('з', _) => "z",
        ('и', _) => "i",
        ('й', Icao) | ('й', French) => "i",
        ('й', Gost) | ('й', Scientific) | ('й', German) => "j",
        ('й', _) => "y",
        ('к', _) => "k",
        ('л', _) => "l",
        ('м', _) => "m",
        ('н', _) => "n",
        ('о', _) => "o",
        ('п', _) => "p",
        ('р', _) => "r",
        ('с', German)
            if !word_start && next.is_some_and(is_vowel) && prev.is_some_and(is_vowel) =>
        {
            "ss"
        }
        ('с', French)
            if !word_start && next.is_some_and(is_vowel) && prev.is_some_and(is_vowel) =>
        {
            "ss"
        }
        ('с', _) => "s",
        ('т', _) => "t",
        ('у', French) => "ou",
        ('у', _) => "u",
        ('ф', _) => "f",
        ('х', Gost) | ('х', Scientific) | ('х', UzbekLatin) => "x",
        ('х', German) => "ch",
        ('х', Turkish) => "h",
        ('х', _) => "kh",
        ('ц', Gost) => "cz",
        ('ц', Scientific) => "c",
        ('ц', German) => "z",
        ('ц', UzbekLatin) => "s",
        ('ц', _) => "ts",
        ('ч', Scientific) => "č",
        ('ч', French) => "tch",
        ('ч', German) => "tsch",
        ('ч', Turkish) => "ç",
        ('ч', _) => "ch",
        ('ш', Scientific) => "š",
        ('ш', French) => "ch",
        ('ш', German) => "sch",
        ('ш', Turkish) => "ş",
        ('ш', _) => "sh",
        ('щ', Scientific) => "šč",
        ('щ', Gost) => "shh",
        ('щ', French) => "chtch",
        ('щ', German) => "schtsch",
        ('щ', _) => "shch",
        ('ъ', Icao) => "ie",
        ('ъ', UzbekLatin) => "’",
        ('ъ', BgnPcgn) | ('ъ', Scientific) => "ʺ",
        ('ъ', _) => "",
        ('ы', Gost) => "y'",
        ('ы', French) | ('ы', Turkish) => "ı",
        ('ы', _) => "y",
        ('ь', BgnPcgn) | ('ь', Scientific) => "ʹ",
        ('ь', _) => "",
        ('э', Scientific) => "è",
        ('э', Gost) => "e'",
        ('э', _) => "e",
        ('ю', Icao) | ('ю', French) => "iu",
        ('ю', Scientific) | ('ю', German) => "ju",
        ('ю', _) => "yu",
        ('я', Icao) | ('я', French) => "ia",
        ('я', Scientific) | ('я', German) => "ja",
        ('я', _) => "ya",
        // Uzbek / Tajik
        ('ў', UzbekLatin) => "o‘",
        ('ў', Scientific) => "ŭ",
        ('ў', French) => "ou",
        ('ў', _) => "u",
        ('қ', UzbekLatin) | ('қ', Scientific) => "q",
        ('қ', _) => "k",
        ('ғ', UzbekLatin) => "g‘",
        ('ғ', Scientific) => "ġ",
        ('ғ', Turkish) => "ğ",
        ('ғ', Icao) | ('ғ', German) => "g",
        ('ғ', _) => "gh",
        ('ҳ', _) => "h",
        ('ҷ', Scientific) => "ç",
        ('ҷ', Icao) | ('ҷ', Gost) | ('ҷ', BgnPcgn) => "dzh",
        ('ҷ', German) => "dsch",
        ('ҷ', French) => "dj",
        ('ҷ', Turkish) => "c",
        ('ҷ', _) => "j",
        ('ӣ', Scientific) => "ī",
        ('ӣ', _) => "i",
        ('ӯ', Scientific) => "ū",
        ('ӯ', _) => "u",
        // Kazakh / Kyrgyz
        ('ә', Scientific) | ('ә', German) | ('ә', Turkish) => "ä",
        ('ә', _) => "a",
        ('ң', Scientific) => "ņ",
        ('ң', BgnPcgn) | ('ң', French) | ('ң', German) => "ng",
        ('ң', _) => "n",
        ('ө', Scientific) | ('ө', German) | ('ө', Turkish) => "ö",
        ('ө', UzbekLatin) => "o‘",
        ('ө', _) => "o",
        ('ұ', _) => "u",
        ('ү', Scientific) | ('ү', German) | ('ү', Turkish) => "ü",
        ('ү', _) => "u",
        ('һ', _) => "h",
        ('і', _) => "i",
        _ => return None,
    };
    Some(s)
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Romanize a Cyrillic name (any number of words) in `style`. Non-Cyrillic characters pass
/// through. Each word comes out capitalised ("Шавкат" → "Shavkat").
pub fn romanize(text: &str, style: CyrStyle) -> String {
    let chars: Vec<char> = text.chars().map(lower).collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut word_start = true;
    for i in 0..chars.len() {
        let c = chars[i];
        let prev = if i == 0 || !chars[i - 1].is_alphabetic() {
            None
        } else {
            Some(chars[i - 1])
        };
        let next = chars.get(i + 1).copied();
        match letter(c, prev, next, style) {
            Some(s) => {
                if word_start {
                    super::push_capitalised(&mut out, s);
                } else {
                    out.push_str(s);
                }
                if !s.is_empty() {
                    word_start = false;
                }
            }
            None => {
                if word_start && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                    word_start = false;
                } else {
                    out.push(c);
                    word_start = !c.is_alphabetic() && c != '‘' && c != '\'';
                }
            }
        }
    }
    out
}

/// Convert an Uzbek Latin name (Faker's uz_UZ pool, `’` or `‘` apostrophes) to Uzbek Cyrillic,
/// the script of older Uzbek documents.
pub fn uzbek_latin_to_cyrillic(text: &str) -> String {
    let norm: String = text
        .chars()
        .map(|c| match c {
            '’' | 'ʻ' | 'ʼ' | '\'' | '`' => '‘',
            c => c,
        })
        .collect();
    let chars: Vec<char> = norm.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let upper = c.is_uppercase();
        let l = lower(c);
        let n = chars.get(i + 1).map(|&x| lower(x));
        let word_start = i == 0 || !chars[i - 1].is_alphabetic();
        let (cyr, used): (&str, usize) = match (l, n) {
            ('o', Some('‘')) => ("ў", 2),
            ('g', Some('‘')) => ("ғ", 2),
            ('s', Some('h')) => ("ш", 2),
            ('c', Some('h')) => ("ч", 2),
            ('y', Some('o')) => ("ё", 2),
            ('y', Some('u')) => ("ю", 2),
            ('y', Some('a')) => ("я", 2),
            ('y', Some('e')) => ("е", 2),
            ('t', Some('s')) => ("ц", 2),
            ('e', _) if word_start => ("э", 1),
            ('‘', _) => ("ъ", 1),
            ('a', _) => ("а", 1),
            ('b', _) => ("б", 1),
            ('d', _) => ("д", 1),
            ('e', _) => ("е", 1),
            ('f', _) => ("ф", 1),
            ('g', _) => ("г", 1),
            ('h', _) => ("ҳ", 1),
            ('i', _) => ("и", 1),
            ('j', _) => ("ж", 1),
            ('k', _) => ("к", 1),
            ('l', _) => ("л", 1),
            ('m', _) => ("м", 1),
            ('n', _) => ("н", 1),
            ('o', _) => ("о", 1),
            ('p', _) => ("п", 1),
            ('q', _) => ("қ", 1),
            ('r', _) => ("р", 1),
            ('s', _) => ("с", 1),
            ('t', _) => ("т", 1),
            ('u', _) => ("у", 1),
            ('v', _) => ("в", 1),
            ('x', _) => ("х", 1),
            ('y', _) => ("й", 1),
            ('z', _) => ("з", 1),
            ('w', _) => ("в", 1),
            ('c', _) => ("к", 1),
            _ => {
                out.push(c);
                i += 1;
                continue;
            }
        };
        if upper {
            super::push_capitalised(&mut out, cyr);
        } else {
            out.push_str(cyr);
        }
        i += used;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_systems() {
        assert_eq!(romanize("Юрий Щукин", CyrStyle::Icao), "Iurii Shchukin");
        assert_eq!(romanize("Юрий Щукин", CyrStyle::BgnPcgn), "Yuriy Shchukin");
        assert_eq!(romanize("Юрий Щукин", CyrStyle::Scientific), "Jurij Ščukin");
        assert_eq!(
            romanize("Юрий Щукин", CyrStyle::German),
            "Jurij Schtschukin"
        );
        assert_eq!(romanize("Чернов", CyrStyle::French), "Tchernov");
        assert_eq!(
            romanize("Елена Жукова", CyrStyle::BgnPcgn),
            "Yelena Zhukova"
        );
        assert_eq!(romanize("Елена Жукова", CyrStyle::Icao), "Elena Zhukova");
        assert_eq!(romanize("Хасанов", CyrStyle::Gost), "Xasanov");
    }

    proptest::proptest! {
        /// Every letter of the Russian, Uzbek, Tajik, Kazakh and Kyrgyz alphabets has a
        /// romanization in every system: no Cyrillic survives.
        #[test]
        fn tables_are_complete(s in "[а-яёА-ЯЁўқғҳҷӣӯәңөұүһі ]{1,24}") {
            for style in CyrStyle::ALL {
                let r = romanize(&s, style);
                proptest::prop_assert!(!r.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)), "{style:?}: {r}");
            }
        }
    }

    #[test]
    fn uzbek() {
        let c = uzbek_latin_to_cyrillic("Ulug‘bek Xolmatov");
        assert_eq!(c, "Улуғбек Холматов");
        assert_eq!(romanize(&c, CyrStyle::UzbekLatin), "Ulug‘bek Xolmatov");
        assert_eq!(romanize(&c, CyrStyle::Icao), "Ulugbek Kholmatov");
        assert_eq!(
            romanize("Шавкат Тўхтаев", CyrStyle::UzbekLatin),
            "Shavkat To‘xtayev"
        );
        assert_eq!(
            romanize("Шавкат Тўхтаев", CyrStyle::Turkish),
            "Şavkat Tuhtayev"
        );
        assert_eq!(uzbek_latin_to_cyrillic("Sa’diya"), "Саъдия");
    }
}
