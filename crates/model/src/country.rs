//! ISO 3166-1 countries: the code type and the normaliser from the many ways sources write a
//! country (alpha-2, alpha-3, English short names, official names, common variants).
//!
//! The table is data: one row per country, `(alpha2, alpha3, names...)`. Lookup folds case,
//! diacritics-free ASCII punctuation and whitespace.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 3166-1 alpha-2 code, upper case (`"UZ"`). `"XK"` (Kosovo) is accepted as user-assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

impl Country {
    /// Build from an alpha-2 code already known to be valid (checked against the table).
    pub fn from_alpha2(code: &str) -> Option<Country> {
        let up = code.trim().to_ascii_uppercase();
        COUNTRIES.iter().find(|row| row.0 == up).map(|row| Country(bytes2(row.0)))
    }

    pub fn as_str(&self) -> &str {
        // Constructed only from ASCII table rows.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    pub fn alpha3(&self) -> &'static str {
        COUNTRIES.iter().find(|r| r.0 == self.as_str()).map(|r| r.1).unwrap_or("")
    }

    /// English short name from the table.
    pub fn name(&self) -> &'static str {
        COUNTRIES.iter().find(|r| r.0 == self.as_str()).map(|r| r.2[0]).unwrap_or("")
    }
}

fn bytes2(s: &str) -> [u8; 2] {
    let b = s.as_bytes();
    [b[0], b[1]]
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        normalize_country(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown country {s:?}")))
    }
}

fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            'ü' | 'Ü' => 'u',
            'ô' | 'ó' | 'Ô' | 'Ó' => 'o',
            'é' | 'É' | 'è' => 'e',
            'ç' | 'Ç' => 'c',
            'ã' | 'á' | 'Å' | 'å' => 'a',
            'í' => 'i',
            '’' | '\'' => continue,
            c => c,
        };
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// Map any common way of writing a country to its ISO code: `"UZ"`, `"UZB"`, `"Uzbekistan"`,
/// `"Republic of Uzbekistan"`, `"Iran (Islamic Republic of)"`, `"Turkey"`, `"Türkiye"`.
pub fn normalize_country(input: &str) -> Option<Country> {
    let t = input.trim();
    if t.is_empty() {
        return None;
    }
    if t.len() == 2 && t.is_ascii() {
        return Country::from_alpha2(t);
    }
    let up = t.to_ascii_uppercase();
    if t.len() == 3 && t.is_ascii() {
        if let Some(row) = COUNTRIES.iter().find(|r| r.1 == up) {
            return Some(Country(bytes2(row.0)));
        }
    }
    let f = fold(t);
    let f = f.strip_prefix("the ").unwrap_or(&f);
    COUNTRIES
        .iter()
        .find(|row| row.2.iter().any(|n| fold(n) == f))
        .map(|row| Country(bytes2(row.0)))
}

/// `(alpha2, alpha3, [english names and variants])`.
pub type CountryRow = (&'static str, &'static str, &'static [&'static str]);

/// ISO 3166-1. First name of each row is the display name.
pub static COUNTRIES: &[CountryRow] = &[
    ("AF", "AFG", &["Afghanistan", "Islamic Republic of Afghanistan"]),
    ("AM", "ARM", &["Armenia"]),
    ("AZ", "AZE", &["Azerbaijan"]),
    ("BR", "BRA", &["Brazil"]),
    ("CN", "CHN", &["China", "People's Republic of China", "PRC"]),
    ("CO", "COL", &["Colombia"]),
    ("CU", "CUB", &["Cuba"]),
    ("EC", "ECU", &["Ecuador"]),
    ("GE", "GEO", &["Georgia"]),
    ("GT", "GTM", &["Guatemala"]),
    ("HN", "HND", &["Honduras"]),
    ("HT", "HTI", &["Haiti"]),
    ("IN", "IND", &["India"]),
    ("IQ", "IRQ", &["Iraq"]),
    ("IR", "IRN", &["Iran", "Iran (Islamic Republic of)", "Islamic Republic of Iran"]),
    ("KG", "KGZ", &["Kyrgyzstan", "Kyrgyz Republic"]),
    ("KZ", "KAZ", &["Kazakhstan"]),
    ("MD", "MDA", &["Moldova", "Republic of Moldova"]),
    ("MR", "MRT", &["Mauritania"]),
    ("MX", "MEX", &["Mexico"]),
    ("NI", "NIC", &["Nicaragua"]),
    ("PE", "PER", &["Peru"]),
    ("PK", "PAK", &["Pakistan"]),
    ("RU", "RUS", &["Russia", "Russian Federation"]),
    ("SA", "SAU", &["Saudi Arabia"]),
    ("SN", "SEN", &["Senegal"]),
    ("SY", "SYR", &["Syria", "Syrian Arab Republic"]),
    ("TJ", "TJK", &["Tajikistan"]),
    ("TM", "TKM", &["Turkmenistan"]),
    ("TR", "TUR", &["Türkiye", "Turkey"]),
    ("AE", "ARE", &["United Arab Emirates", "UAE"]),
    ("ES", "ESP", &["Spain"]),
    ("US", "USA", &["United States", "United States of America", "USA"]),
    ("UZ", "UZB", &["Uzbekistan", "Republic of Uzbekistan"]),
    ("VE", "VEN", &["Venezuela", "Venezuela (Bolivarian Republic of)"]),
    ("YE", "YEM", &["Yemen"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_variants() {
        for s in ["UZ", "uz", "UZB", "Uzbekistan", "Republic of Uzbekistan", " uzbekistan "] {
            assert_eq!(normalize_country(s).map(|c| c.to_string()), Some("UZ".into()), "{s}");
        }
        assert_eq!(normalize_country("Turkey"), normalize_country("Türkiye"));
        assert_eq!(normalize_country("Iran (Islamic Republic of)").unwrap().as_str(), "IR");
        assert!(normalize_country("Atlantis").is_none());
    }

    #[test]
    fn table_shape() {
        let mut seen2 = std::collections::HashSet::new();
        let mut seen3 = std::collections::HashSet::new();
        for (a2, a3, names) in COUNTRIES {
            assert_eq!(a2.len(), 2);
            assert_eq!(a3.len(), 3);
            assert!(a2.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(seen2.insert(*a2), "duplicate {a2}");
            assert!(seen3.insert(*a3), "duplicate {a3}");
            assert!(!names.is_empty());
        }
    }
}
