//! Georgian (Mkhedruli) → Latin: the national system of 2002 (as on Georgian passports),
//! the same without ejective apostrophes (as typed), and ISO 9984-like with háčeks.
//! Knows nothing of the matcher.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GeoStyle {
    National,
    NoApostrophe,
    Iso,
}

pub fn romanize(text: &str, style: GeoStyle) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word_start = true;
    for c in text.chars() {
        let (nat, iso): (&str, &str) = match c {
            'ა' => ("a", "a"),
            'ბ' => ("b", "b"),
            'გ' => ("g", "g"),
            'დ' => ("d", "d"),
            'ე' => ("e", "e"),
            'ვ' => ("v", "v"),
            'ზ' => ("z", "z"),
            'თ' => ("t", "t"),
            'ი' => ("i", "i"),
            'კ' => ("k'", "ḳ"),
            'ლ' => ("l", "l"),
            'მ' => ("m", "m"),
            'ნ' => ("n", "n"),
            'ო' => ("o", "o"),
            'პ' => ("p'", "ṗ"),
            'ჟ' => ("zh", "ž"),
            'რ' => ("r", "r"),
            'ს' => ("s", "s"),
            'ტ' => ("t'", "ṭ"),
            'უ' => ("u", "u"),
            'ფ' => ("p", "p"),
            'ქ' => ("k", "k"),
            'ღ' => ("gh", "ḡ"),
            'ყ' => ("q'", "q"),
            'შ' => ("sh", "š"),
            'ჩ' => ("ch", "č"),
            'ც' => ("ts", "c"),
            'ძ' => ("dz", "j"),
            'წ' => ("ts'", "c̣"),
            'ჭ' => ("ch'", "č̣"),
            'ხ' => ("kh", "x"),
            'ჯ' => ("j", "ǯ"),
            'ჰ' => ("h", "h"),
            _ => {
                out.push(c);
                word_start = !c.is_alphabetic();
                continue;
            }
        };
        let s: String = match style {
            GeoStyle::National => nat.into(),
            GeoStyle::NoApostrophe => nat.replace('\'', ""),
            GeoStyle::Iso => iso.into(),
        };
        if word_start {
            super::push_capitalised(&mut out, &s);
        } else {
            out.push_str(&s);
        }
        word_start = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn geo() {
        assert_eq!(romanize("აბაშიძე", GeoStyle::National), "Abashidze");
        assert_eq!(romanize("წერეთელი", GeoStyle::National), "Ts'ereteli");
        assert_eq!(romanize("წერეთელი", GeoStyle::NoApostrophe), "Tsereteli");
        assert_eq!(romanize("შოთა", GeoStyle::Iso), "Šota");
    }
}
