//! Dates as recorded about people: possibly partial (year only, year-month), possibly
//! approximate, possibly a range. Parsing is lenient about separators and strict about values.
//!
//! This module knows nothing of any file format; importers map their text onto these types.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A calendar date known to year, month or day precision, e.g. `1981`, `1981-03`, `1981-03-07`.
///
/// Serialised as the ISO 8601 prefix string (`"1981-03"`), with a trailing `~` when approximate
/// (`"1981~"`), which keeps JSON Lines readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i16,
    /// 1..=12 when precision >= Month, else 0.
    pub month: u8,
    /// 1..=31 when precision == Day, else 0.
    pub day: u8,
    /// The source said "approximately", "circa", "about".
    pub approximate: bool,
}

/// Errors from date parsing; the caller attaches the record and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("empty date")]
    Empty,
    #[error("unrecognised date {0:?}")]
    Unrecognised(String),
    #[error("impossible date {0:?}")]
    Impossible(String),
}

impl PartialDate {
    pub fn year(year: i16) -> Self {
        PartialDate {
            year,
            month: 0,
            day: 0,
            approximate: false,
        }
    }

    pub fn year_month(year: i16, month: u8) -> Result<Self, DateError> {
        if !(1..=12).contains(&month) {
            return Err(DateError::Impossible(format!("{year}-{month}")));
        }
        Ok(PartialDate {
            year,
            month,
            day: 0,
            approximate: false,
        })
    }

    pub fn ymd(year: i16, month: u8, day: u8) -> Result<Self, DateError> {
        if NaiveDate::from_ymd_opt(year as i32, month as u32, day as u32).is_none() {
            return Err(DateError::Impossible(format!(
                "{year:04}-{month:02}-{day:02}"
            )));
        }
        Ok(PartialDate {
            year,
            month,
            day,
            approximate: false,
        })
    }

    pub fn from_naive(d: NaiveDate) -> Self {
        PartialDate {
            year: d.year() as i16,
            month: d.month() as u8,
            day: d.day() as u8,
            approximate: false,
        }
    }

    pub fn approx(mut self) -> Self {
        self.approximate = true;
        self
    }

    pub fn precision(&self) -> Precision {
        if self.day != 0 {
            Precision::Day
        } else if self.month != 0 {
            Precision::Month
        } else {
            Precision::Year
        }
    }

    /// The full date, when known to the day.
    pub fn to_naive(&self) -> Option<NaiveDate> {
        if self.day == 0 {
            return None;
        }
        NaiveDate::from_ymd_opt(self.year as i32, self.month as u32, self.day as u32)
    }

    /// 1 January (or 1 January with unknown month): the usual placeholder when only the year is known.
    pub fn is_jan1_placeholder(&self) -> bool {
        self.month == 1 && self.day == 1
    }

    /// Parse the common ways dates of birth are written:
    /// `1981-03-07`, `1981-03`, `1981`, `07/03/1981` (day first), `07.03.1981`, `19810307`,
    /// `7 Mar 1981`, `Mar 1981`, `circa 1981`, `approximately 1981`, `1981~`.
    pub fn parse(input: &str) -> Result<Self, DateError> {
        let mut s = input.trim();
        if s.is_empty() {
            return Err(DateError::Empty);
        }
        let mut approximate = false;
        let lower = s.to_ascii_lowercase();
        for prefix in [
            "circa ",
            "approximately ",
            "approx. ",
            "approx ",
            "about ",
            "ca. ",
            "c. ",
        ] {
            if lower.starts_with(prefix) {
                s = s[prefix.len()..].trim();
                approximate = true;
                break;
            }
        }
        if let Some(rest) = s.strip_suffix('~') {
            s = rest.trim();
            approximate = true;
        }
        let mut d =
            Self::parse_exact(s).ok_or_else(|| DateError::Unrecognised(input.to_string()))??;
        d.approximate = approximate;
        Ok(d)
    }

    fn parse_exact(s: &str) -> Option<Result<Self, DateError>> {
        let num = |t: &str| -> Option<i64> {
            if !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse().ok()
            } else {
                None
            }
        };
        // Compact 8-digit YYYYMMDD.
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            let y = s[0..4].parse::<i16>().ok()?;
            let m = s[4..6].parse::<u8>().ok()?;
            let d = s[6..8].parse::<u8>().ok()?;
            return Some(Self::ymd(y, m, d));
        }
        let parts: Vec<&str> = s
            .split(|c: char| c == '-' || c == '/' || c == '.' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .collect();
        match parts.as_slice() {
            [y] => {
                let y = num(y)?;
                if (1000..=2999).contains(&y) {
                    Some(Ok(Self::year(y as i16)))
                } else {
                    None
                }
            }
            [a, b] => {
                if let (Some(y), Some(m)) = (num(a), num(b)) {
                    if a.len() == 4 {
                        return Some(Self::year_month(y as i16, m as u8));
                    }
                    if b.len() == 4 {
                        return Some(Self::year_month(m as i16, y as u8));
                    }
                    return None;
                }
                // "Mar 1981"
                let m = month_from_name(a)?;
                let y = num(b)?;
                Some(Self::year_month(y as i16, m))
            }
            [a, b, c] => {
                if let (Some(x), Some(y), Some(z)) = (num(a), num(b), num(c)) {
                    if a.len() == 4 {
                        return Some(Self::ymd(x as i16, y as u8, z as u8));
                    }
                    if c.len() == 4 {
                        // Day first, as on most non-US documents.
                        return Some(Self::ymd(z as i16, y as u8, x as u8));
                    }
                    return None;
                }
                // "7 Mar 1981" or "Mar 7 1981" or "07 MAR 1981"
                if let (Some(d), Some(m), Some(y)) = (num(a), month_from_name(b), num(c)) {
                    return Some(Self::ymd(y as i16, m, d as u8));
                }
                if let (Some(m), Some(d), Some(y)) =
                    (month_from_name(a), num(b.trim_end_matches(',')), num(c))
                {
                    return Some(Self::ymd(y as i16, m, d as u8));
                }
                None
            }
            _ => None,
        }
    }
}

/// English month names and three-letter abbreviations.
pub fn month_from_name(s: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let l = s.trim_end_matches(',').to_ascii_lowercase();
    if l.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| l.starts_with(m))
        .map(|i| i as u8 + 1)
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision() {
            Precision::Year => write!(f, "{:04}", self.year)?,
            Precision::Month => write!(f, "{:04}-{:02}", self.year, self.month)?,
            Precision::Day => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?,
        }
        if self.approximate {
            f.write_str("~")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        PartialDate::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A date of birth as a list states it: a (partial) date, or a range of years/dates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DateSpec {
    /// One date, possibly partial or approximate.
    Date(PartialDate),
    /// An inclusive range, e.g. "1960 to 1962".
    Range { from: PartialDate, to: PartialDate },
}

impl DateSpec {
    /// The inclusive year interval this spec covers (approximate dates widen by one year).
    pub fn year_bounds(&self) -> (i16, i16) {
        match self {
            DateSpec::Date(d) if d.approximate => (d.year - 1, d.year + 1),
            DateSpec::Date(d) => (d.year, d.year),
            DateSpec::Range { from, to } => (from.year.min(to.year), from.year.max(to.year)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        let cases = [
            ("1981-03-07", "1981-03-07"),
            ("1981-03", "1981-03"),
            ("1981", "1981"),
            ("07/03/1981", "1981-03-07"),
            ("07.03.1981", "1981-03-07"),
            ("19810307", "1981-03-07"),
            ("7 Mar 1981", "1981-03-07"),
            ("07 MAR 1981", "1981-03-07"),
            ("Mar 1981", "1981-03"),
            ("circa 1981", "1981~"),
            ("approximately 1955", "1955~"),
            ("1981~", "1981~"),
        ];
        for (input, want) in cases {
            assert_eq!(
                PartialDate::parse(input).unwrap().to_string(),
                want,
                "{input}"
            );
        }
    }

    #[test]
    fn rejects_impossible() {
        assert!(matches!(
            PartialDate::parse("1981-02-30"),
            Err(DateError::Impossible(_))
        ));
        assert!(matches!(
            PartialDate::parse("banana"),
            Err(DateError::Unrecognised(_))
        ));
        assert!(matches!(PartialDate::parse("  "), Err(DateError::Empty)));
    }

    #[test]
    fn serde_round_trip() {
        let d = PartialDate::ymd(1990, 1, 1).unwrap();
        let j = serde_json::to_string(&d).unwrap();
        assert_eq!(j, "\"1990-01-01\"");
        assert_eq!(serde_json::from_str::<PartialDate>(&j).unwrap(), d);
        assert!(d.is_jan1_placeholder());
        let r = DateSpec::Range {
            from: PartialDate::year(1960),
            to: PartialDate::year(1962),
        };
        let j = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<DateSpec>(&j).unwrap(), r);
        assert_eq!(r.year_bounds(), (1960, 1962));
    }

    proptest::proptest! {
        #[test]
        fn display_parse_round_trip(y in 1000i16..2999, m in 1u8..=12, d in 1u8..=28, approx: bool) {
            let mut pd = PartialDate::ymd(y, m, d).unwrap();
            pd.approximate = approx;
            let back = PartialDate::parse(&pd.to_string()).unwrap();
            proptest::prop_assert_eq!(back, pd);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = PartialDate::parse(&s);
        }
    }
}
