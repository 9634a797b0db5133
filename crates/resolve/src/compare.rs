//! Small, allocation-free comparison primitives behind the declarative comparison levels:
//! Jaro-Winkler on bytes, one-edit (Damerau) tests, date level classification, phone/e-mail/
//! postcode helpers and a Soundex-like phonetic code for blocking keys.
//!
//! These overlap with what `linkwatch-matching` will offer for dates, documents and identifiers;
//! they live here for now (issue 4) and are candidates for consolidation. This module knows
//! nothing of schemas, models or records: only values.

/// Jaro-Winkler similarity of two byte strings (ASCII fast path; no allocation up to 64 bytes).
/// Longer inputs fall back to `linkwatch_names::jaro_winkler`.
pub fn jaro_winkler_bytes(a: &[u8], b: &[u8]) -> f64 {
    if a.len() > 64 || b.len() > 64 {
        let (sa, sb) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
        return linkwatch_names::jaro_winkler(&sa, &sb);
    }
    // One implementation of the metric, in the name engine (allocation-free up to 64 bytes).
    f64::from(linkwatch_names::jaro_winkler_bytes(a, b))
}

/// True when `a` and `b` differ by at most one insertion, deletion, substitution or adjacent
/// transposition (Damerau distance ≤ 1).
pub fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if la == lb {
        // substitution, or adjacent transposition
        if a[p + 1..] == b[p + 1..] {
            return true;
        }
        return p + 1 < la && a[p] == b[p + 1] && a[p + 1] == b[p] && a[p + 2..] == b[p + 2..];
    }
    let (long, short) = if la > lb { (a, b) } else { (b, a) };
    long[p + 1..] == short[p..]
}

/// A date packed into a `u32`: `year << 9 | month << 5 | day`; month/day 0 when unknown;
/// the value 0 means "no date".
pub fn pack_date(year: i16, month: u8, day: u8) -> u32 {
    if year <= 0 {
        return 0;
    }
    ((year as u32) << 9) | ((month as u32 & 15) << 5) | (day as u32 & 31)
}

/// Inverse of [`pack_date`].
pub fn unpack_date(v: u32) -> (i16, u8, u8) {
    ((v >> 9) as i16, ((v >> 5) & 15) as u8, (v & 31) as u8)
}

/// Levels of the date comparison, best first (index 0 is "exact"). The level index in a model is
/// one more than this (0 is reserved for "null").
pub const DATE_LEVELS: [&str; 6] = [
    "exact",
    "day_month_swap",
    "one_off",
    "year_placeholder",
    "same_year",
    "different",
];

/// Classify two packed dates into a [`DATE_LEVELS`] index; `None` when either is missing.
///
/// - `exact`: same full date (1 January with 1 January counts as `year_placeholder`, since it is
///   the usual stand-in for "only the year is known");
/// - `day_month_swap`: day and month exchanged (US vs day-first writing);
/// - `one_off`: one digit wrong in `YYYYMMDD`, or the same day and month one year apart;
/// - `year_placeholder`: same year where one side is only a year (or year-month), or a 1-January
///   placeholder;
/// - `same_year`: same year otherwise;
/// - `different`.
pub fn date_level(a: u32, b: u32) -> Option<usize> {
    if a == 0 || b == 0 {
        return None;
    }
    let (ya, ma, da) = unpack_date(a);
    let (yb, mb, db) = unpack_date(b);
    let full_a = ma != 0 && da != 0;
    let full_b = mb != 0 && db != 0;
    let placeholder_a = !full_a || (ma == 1 && da == 1);
    let placeholder_b = !full_b || (mb == 1 && db == 1);
    if full_a && full_b && a == b && !placeholder_a {
        return Some(0);
    }
    if ya == yb && (placeholder_a || placeholder_b) {
        // Partial dates must also agree on the month where both know it.
        if ma != 0 && mb != 0 && ma != mb && !(ma == 1 && da == 1) && !(mb == 1 && db == 1) {
            return Some(4);
        }
        return Some(3);
    }
    if full_a && full_b {
        if ya == yb && ma == db && da == mb {
            return Some(1);
        }
        if ma == mb && da == db && ya.abs_diff(yb) == 1 {
            return Some(2);
        }
        let sa = date_digits(ya, ma, da);
        let sb = date_digits(yb, mb, db);
        let diff = sa.iter().zip(&sb).filter(|(x, y)| x != y).count();
        if diff == 1 || (diff == 2 && within_one_edit(&sa, &sb)) {
            return Some(2);
        }
    }
    if ya == yb {
        return Some(4);
    }
    Some(5)
}

fn date_digits(y: i16, m: u8, d: u8) -> [u8; 8] {
    let y = y.max(0) as u32;
    [
        b'0' + ((y / 1000) % 10) as u8,
        b'0' + ((y / 100) % 10) as u8,
        b'0' + ((y / 10) % 10) as u8,
        b'0' + (y % 10) as u8,
        b'0' + m / 10,
        b'0' + m % 10,
        b'0' + d / 10,
        b'0' + d % 10,
    ]
}

/// Phonetic code in the spirit of American Soundex (first letter + up to 3 digit classes),
/// extended to the transliterated Latin of Turkish, Uzbek and Spanish names (`sh`/`ch`/`kh`
/// folded). Returns a packed `u32` (0 for an empty input).
pub fn phonetic_code(s: &[u8]) -> u32 {
    let mut out: u32 = 0;
    let mut n = 0;
    let mut last = 0u8;
    let mut first = true;
    let mut i = 0;
    while i < s.len() && n < 5 {
        let mut c = s[i].to_ascii_lowercase();
        if !c.is_ascii_alphabetic() {
            i += 1;
            if c == b' ' {
                break;
            }
            continue;
        }
        // fold digraphs
        if i + 1 < s.len()
            && s[i + 1].eq_ignore_ascii_case(&b'h')
            && matches!(c, b's' | b'c' | b'k' | b'z')
        {
            c = b's';
            i += 1;
        }
        let class = match c {
            b'b' | b'f' | b'p' | b'v' | b'w' => 1,
            b'c' | b'g' | b'j' | b'k' | b'q' | b's' | b'x' | b'z' => 2,
            b'd' | b't' => 3,
            b'l' => 4,
            b'm' | b'n' => 5,
            b'r' => 6,
            _ => 0, // vowels, h, y
        };
        if first {
            // the first letter's class, not the letter, so that c/k, v/w, ... agree
            out = 10 + class as u32 * 3 + if class == 0 { (c % 3) as u32 } else { 0 };
            first = false;
            n = 1;
            last = class;
        } else {
            if class != 0 && class != last {
                out = out * 8 + class as u32;
                n += 1;
            }
            last = class;
        }
        i += 1;
    }
    out
}

/// Digits of a phone number, for comparing the last `k` digits.
pub fn last_digits(s: &[u8], k: usize) -> &[u8] {
    if s.len() <= k {
        s
    } else {
        &s[s.len() - k..]
    }
}

/// The local part of an e-mail address with `+tag` removed (`a.b+x@mail.ru` → `a.b`).
pub fn email_local(s: &[u8]) -> &[u8] {
    let at = s.iter().position(|&c| c == b'@').unwrap_or(s.len());
    let local = &s[..at];
    let plus = local.iter().position(|&c| c == b'+').unwrap_or(local.len());
    &local[..plus]
}

/// Token-set similarity of two space-separated strings: the Jaro-Winkler of the sorted tokens
/// and the token Jaccard overlap, whichever is higher (robust to word order and abbreviations).
pub fn token_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let direct = jaro_winkler_bytes(a.as_bytes(), b.as_bytes());
    if direct >= 0.9 {
        return direct;
    }
    let mut ta: smallvec::SmallVec<[&str; 8]> = a.split(' ').filter(|t| !t.is_empty()).collect();
    let tb: smallvec::SmallVec<[&str; 8]> = b.split(' ').filter(|t| !t.is_empty()).collect();
    if ta.is_empty() || tb.is_empty() {
        return direct;
    }
    ta.dedup();
    let common = ta.iter().filter(|t| tb.contains(t)).count() as f64;
    let jaccard = common / (ta.len() + tb.len()) as f64 * 2.0;
    direct.max(jaccard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jw_matches_reference_values() {
        assert!((jaro_winkler_bytes(b"martha", b"marhta") - 0.9611).abs() < 1e-3);
        assert!((jaro_winkler_bytes(b"dwayne", b"duane") - 0.84).abs() < 1e-2);
        assert_eq!(jaro_winkler_bytes(b"", b"a"), 0.0);
        assert_eq!(jaro_winkler_bytes(b"abc", b"abc"), 1.0);
        for (a, b) in [
            ("dixon", "dicksonx"),
            ("shavkat", "shovkat"),
            ("garcia", "garsia"),
        ] {
            let x = jaro_winkler_bytes(a.as_bytes(), b.as_bytes());
            let y = linkwatch_names::jaro_winkler(a, b);
            assert!((x - y).abs() < 1e-6, "{a} {b} {x} {y}");
        }
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit(b"1234567", b"1234567"));
        assert!(within_one_edit(b"1234567", b"1234967"));
        assert!(within_one_edit(b"1234567", b"1243567"));
        assert!(within_one_edit(b"1234567", b"123567"));
        assert!(within_one_edit(b"1234567", b"12345678"));
        assert!(!within_one_edit(b"1234567", b"1299567"));
        assert!(!within_one_edit(b"1234567", b"12345"));
        assert!(within_one_edit(b"", b"a"));
    }

    fn d(s: &str) -> u32 {
        let p = linkwatch_model::PartialDate::parse(s).unwrap();
        pack_date(p.year, p.month, p.day)
    }

    #[test]
    fn date_levels() {
        assert_eq!(date_level(d("1981-03-07"), d("1981-03-07")), Some(0));
        assert_eq!(date_level(d("1981-03-07"), d("1981-07-03")), Some(1));
        assert_eq!(date_level(d("1981-03-07"), d("1982-03-07")), Some(2));
        assert_eq!(date_level(d("1981-03-07"), d("1981-03-08")), Some(2));
        assert_eq!(date_level(d("1981-03-07"), d("1981")), Some(3));
        assert_eq!(date_level(d("1981-01-01"), d("1981-06-20")), Some(3));
        assert_eq!(date_level(d("1981-01-01"), d("1981-01-01")), Some(3));
        assert_eq!(date_level(d("1981-03-07"), d("1981-11-25")), Some(4));
        assert_eq!(date_level(d("1981-03-07"), d("1975-11-25")), Some(5));
        assert_eq!(date_level(0, d("1975-11-25")), None);
        let (y, m, dd) = unpack_date(d("1981-03-07"));
        assert_eq!((y, m, dd), (1981, 3, 7));
    }

    #[test]
    fn phonetic() {
        assert_eq!(phonetic_code(b"robert"), phonetic_code(b"rupert"));
        assert_eq!(phonetic_code(b"shavkat"), phonetic_code(b"shovkat"));
        assert_eq!(phonetic_code(b"karimov"), phonetic_code(b"qarimov"));
        assert_ne!(phonetic_code(b"smith"), phonetic_code(b"jones"));
        assert_eq!(phonetic_code(b""), 0);
    }

    #[test]
    fn helpers() {
        assert_eq!(last_digits(b"+998901234567", 7), b"1234567");
        assert_eq!(email_local(b"a.b+x@mail.ru"), b"a.b");
        assert!(token_similarity("oliver street", "street oliver") > 0.99);
        assert!(token_similarity("pridham street", "pridhamstreet") > 0.85);
    }
}
