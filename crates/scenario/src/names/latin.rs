//! Variation of names already in Latin script as officers record them: diacritics dropped,
//! Turkish letters written the English or German way, typing errors. Knows nothing of the
//! matcher.

use rand::Rng;

/// Strip diacritics from common Latin letters (á→a, ñ→n, ş→s, ı→i, ß→ss...).
pub fn fold_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ă' => out.push('a'),
            'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' | 'Ă' => out.push('A'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'É' | 'È' | 'Ê' | 'Ë' => out.push('E'),
            'í' | 'ì' | 'î' | 'ï' | 'ı' => out.push('i'),
            'Í' | 'Ì' | 'Î' | 'Ï' | 'İ' => out.push('I'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => out.push('o'),
            'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => out.push('O'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            'Ú' | 'Ù' | 'Û' | 'Ü' => out.push('U'),
            'ñ' => out.push('n'),
            'Ñ' => out.push('N'),
            'ç' | 'č' => out.push('c'),
            'Ç' | 'Č' => out.push('C'),
            'ş' | 'ș' | 'š' => out.push('s'),
            'Ş' | 'Ș' | 'Š' => out.push('S'),
            'ț' | 'ţ' => out.push('t'),
            'Ț' | 'Ţ' => out.push('T'),
            'ğ' => out.push('g'),
            'Ğ' => out.push('G'),
            'ž' => out.push('z'),
            'Ž' => out.push('Z'),
            '‘' | '’' | 'ʻ' | 'ʼ' | 'ʿ' | 'ʾ' | 'ʹ' | 'ʺ' => {}
            'ḥ' => out.push('h'),
            'ṣ' => out.push('s'),
            'ḍ' => out.push('d'),
            'ṭ' => out.push('t'),
            'ẓ' => out.push('z'),
            'ā' => out.push('a'),
            'ī' => out.push('i'),
            'ū' | 'ŭ' => out.push('u'),
            'ġ' => out.push('g'),
            'ņ' => out.push('n'),
            c => out.push(c),
        }
    }
    out
}

/// Turkish letters as an English-speaking officer hears them (ş→sh, ç→ch, ğ→gh→"", ö→o, ü→u).
pub fn turkish_english(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match c {
            'ş' => out.push_str("sh"),
            'Ş' => out.push_str("Sh"),
            'ç' => out.push_str("ch"),
            'Ç' => out.push_str("Ch"),
            'ğ' => {}
            'ı' => out.push('i'),
            'İ' => out.push('I'),
            'ö' => out.push('o'),
            'Ö' => out.push('O'),
            'ü' => out.push('u'),
            'Ü' => out.push('U'),
            c => out.push(c),
        }
    }
    out
}

/// German conventions (ö→oe, ü→ue, ş→sch, ç→tsch).
pub fn german_umlauts(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match c {
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ä' => out.push_str("ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ş' => out.push_str("sch"),
            'Ş' => out.push_str("Sch"),
            'ç' => out.push_str("tsch"),
            'Ç' => out.push_str("Tsch"),
            'ğ' => out.push('g'),
            'ı' => out.push('i'),
            'İ' => out.push('I'),
            c => out.push(c),
        }
    }
    out
}

const KEYBOARD: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

fn neighbour(c: char, rng: &mut impl Rng) -> char {
    let l = c.to_ascii_lowercase();
    for row in KEYBOARD {
        if let Some(i) = row.find(l) {
            let b = row.as_bytes();
            let j = if i == 0 {
                1
            } else if i + 1 == b.len() || rng.gen_bool(0.5) {
                i - 1
            } else {
                i + 1
            };
            let n = b[j] as char;
            return if c.is_uppercase() {
                n.to_ascii_uppercase()
            } else {
                n
            };
        }
    }
    c
}

/// One typing error in a word longer than 3 letters: substitution by a neighbouring key,
/// deletion, doubling, or transposition of adjacent letters.
pub fn typo(word: &str, rng: &mut impl Rng) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return word.to_string();
    }
    // Never touch the first letter (officers rarely get it wrong).
    let i = rng.gen_range(1..chars.len());
    let mut out = chars.clone();
    match rng.gen_range(0..4) {
        0 => out[i] = neighbour(chars[i], rng),
        1 => {
            out.remove(i);
        }
        2 => out.insert(i, chars[i]),
        _ => {
            if i + 1 < out.len() {
                out.swap(i, i + 1);
            } else {
                out.swap(i - 1, i);
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn folds() {
        assert_eq!(fold_ascii("José Núñez"), "Jose Nunez");
        assert_eq!(turkish_english("Şükrü Çağlar"), "Shukru Chalar");
        assert_eq!(german_umlauts("Öztürk"), "Oeztuerk");
    }

    #[test]
    fn typos_change_but_keep_first_letter() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        for _ in 0..100 {
            let t = typo("Karimov", &mut rng);
            assert!(t.starts_with('K'));
        }
    }
}
