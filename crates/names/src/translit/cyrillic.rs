//! Romanisation of Cyrillic (Russian, Ukrainian, Belarusian, Serbian, Uzbek, Tajik, Kyrgyz,
//! Kazakh, Bashkir/Tatar letters) into lower-case ASCII, BGN/PCGN-like: х -> kh, ж -> zh,
//! ц -> ts, ч -> ch, ш -> sh, щ -> shch, ю -> yu, я -> ya, е -> ye after a vowel or at the start.
//! Ukrainian г is h when the token has Ukrainian-only letters (і ї є ґ).

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
            | 'є'
            | 'і'
            | 'ї'
            | 'ў'
            | 'ӯ'
            | 'ө'
            | 'ү'
            | 'ұ'
            | 'ә'
            | 'ӣ'
            | 'ъ'
            | 'ь'
    )
}

/// Romanise one lower-case Cyrillic token, appending to `out`.
pub fn romanize(token: &str, out: &mut String) {
    let chars: Vec<char> = token.chars().collect();
    let ukrainian = chars.iter().any(|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ'));
    for (i, &c) in chars.iter().enumerate() {
        let after_vowel = i == 0 || is_vowel(chars[i - 1]);
        let s: &str = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => {
                if ukrainian {
                    "h"
                } else {
                    "g"
                }
            }
            'ґ' => "g",
            'д' => "d",
            'е' => {
                if after_vowel {
                    "ye"
                } else {
                    "e"
                }
            }
            'ё' => {
                if after_vowel {
                    "yo"
                } else {
                    "o"
                }
            }
            'є' => "ye",
            'ж' => "zh",
            'з' => "z",
            'и' => {
                if ukrainian {
                    "y"
                } else {
                    "i"
                }
            }
            'і' => "i",
            'ї' => "yi",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'э' => "e",
            'ю' => "yu",
            'я' => "ya",
            // Uzbek, Tajik
            'ў' => "o",
            'ғ' => "gh",
            'қ' => "q",
            'ҳ' => "h",
            'ҷ' => "j",
            'ӣ' => "i",
            'ӯ' => "u",
            // Kazakh, Kyrgyz, Tatar, Bashkir
            'ң' => "ng",
            'ө' => "o",
            'ү' | 'ұ' => "u",
            'ә' => "a",
            'һ' => "h",
            'ҡ' => "q",
            'ҙ' => "z",
            'ҫ' => "s",
            'ӧ' => "o",
            'ӱ' => "u",
            'ӏ' => "",
            // Serbian, Macedonian
            'ђ' => "dj",
            'ј' => "j",
            'љ' => "lj",
            'њ' => "nj",
            'ћ' => "c",
            'џ' => "dzh",
            'ѕ' => "dz",
            'ѓ' => "gj",
            'ќ' => "kj",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "",
        };
        out.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    fn r(s: &str) -> String {
        let mut o = String::new();
        super::romanize(s, &mut o);
        o
    }

    #[test]
    fn russian_and_uzbek() {
        assert_eq!(r("мирзиёев"), "mirziyoyev");
        assert_eq!(r("шавкат"), "shavkat");
        assert_eq!(r("абдурахмон"), "abdurakhmon");
        assert_eq!(r("ғайрат"), "ghayrat");
        assert_eq!(r("қодиров"), "qodirov");
        assert_eq!(r("ўғли"), "oghli");
        assert_eq!(r("щербаков"), "shcherbakov");
    }
}
