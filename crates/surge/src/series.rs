//! Count series from encounters: aggregate counts by nationality, region, sector / port and
//! their combinations, per ISO week or per day, zero-filled between the first and the last
//! period. Aggregate only: a series is a vector of counts keyed by group labels, never a list
//! of people. Also the country -> region table, ISO-week labels, and a [`CountTable`] that a
//! store (or a counts CSV) can feed directly with `(series, period, count)` rows.
//! Knows nothing about detectors.

use chrono::{Datelike, Duration, NaiveDate};
use linkwatch_model::Encounter;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Time resolution of a count series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// ISO weeks (Monday to Sunday), labelled `2024-W05`.
    Weekly,
    /// Calendar days, labelled `2024-01-29`.
    Daily,
}

impl Granularity {
    /// Periods per year (seasonal period of the detectors).
    pub fn periods_per_year(self) -> usize {
        match self {
            Granularity::Weekly => 52,
            Granularity::Daily => 365,
        }
    }

    /// Start date of the period containing `d`.
    pub fn period_start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Granularity::Weekly => d - Duration::days(d.weekday().num_days_from_monday() as i64),
            Granularity::Daily => d,
        }
    }

    pub fn step(self) -> Duration {
        match self {
            Granularity::Weekly => Duration::days(7),
            Granularity::Daily => Duration::days(1),
        }
    }

    /// Label of the period starting at `d` (`2024-W05` or `2024-01-29`).
    pub fn label(self, d: NaiveDate) -> String {
        match self {
            Granularity::Weekly => {
                let w = d.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Granularity::Daily => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// Parse a period label: `2024-W05` (ISO week), or a date `2024-01-29` (the period holding it).
    pub fn parse_label(self, s: &str) -> Result<NaiveDate, String> {
        let s = s.trim();
        if let Some((y, w)) = s.split_once("-W").or_else(|| s.split_once("-w")) {
            let y: i32 = y
                .parse()
                .map_err(|_| format!("bad ISO week year in {s:?}"))?;
            let w: u32 = w
                .parse()
                .map_err(|_| format!("bad ISO week number in {s:?}"))?;
            let d = NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon)
                .ok_or_else(|| format!("no ISO week {s:?}"))?;
            return Ok(self.period_start(d));
        }
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| format!("period {s:?} is neither YYYY-Www nor YYYY-MM-DD"))?;
        Ok(self.period_start(d))
    }
}

/// A grouping dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Nationality,
    Region,
    /// Border sector or port of entry (`place.code`).
    Sector,
}

impl Dimension {
    pub fn parse(s: &str) -> Option<Dimension> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nationality" | "nat" | "country" => Some(Dimension::Nationality),
            "region" => Some(Dimension::Region),
            "sector" | "port" | "place" | "poe" => Some(Dimension::Sector),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Dimension::Nationality => "nationality",
            Dimension::Region => "region",
            Dimension::Sector => "sector",
        }
    }
}

/// Parse a `--by` spec: `nationality,sector|region` = series by nationality x sector and by region.
pub fn parse_by(spec: &str) -> Result<Vec<Vec<Dimension>>, String> {
    let mut out = Vec::new();
    for combo in spec.split('|') {
        let mut dims = Vec::new();
        for part in combo.split(',').filter(|p| !p.trim().is_empty()) {
            let d = Dimension::parse(part).ok_or_else(|| {
                format!("unknown dimension {part:?} (use nationality, region, sector)")
            })?;
            if !dims.contains(&d) {
                dims.push(d);
            }
        }
        if dims.is_empty() {
            return Err(format!("empty grouping in {spec:?}"));
        }
        dims.sort();
        out.push(dims);
    }
    Ok(out)
}

/// Regions used for roll-ups (ISO 3166-1 alpha-2 members).
pub const REGIONS: &[(&str, &[&str])] = &[
    ("Central Asia", &["UZ", "TJ", "KG", "KZ", "TM"]),
    (
        "South Asia",
        &["IN", "PK", "BD", "NP", "LK", "AF", "BT", "MV"],
    ),
    ("Andean", &["CO", "EC", "PE", "BO", "VE"]),
    ("Central America Northern Triangle", &["GT", "HN", "SV"]),
    ("Central America (other)", &["NI", "CR", "PA", "BZ"]),
    ("Mexico", &["MX"]),
    (
        "Caribbean",
        &[
            "CU", "HT", "DO", "JM", "TT", "BS", "BB", "LC", "VC", "GD", "DM", "AG", "KN", "PR",
        ],
    ),
    (
        "South America (other)",
        &["BR", "AR", "CL", "PY", "UY", "GY", "SR"],
    ),
    (
        "West Africa",
        &[
            "SN", "GN", "ML", "MR", "NE", "NG", "GH", "CI", "BF", "SL", "LR", "GM", "GW", "TG",
            "BJ", "CV",
        ],
    ),
    (
        "East Africa",
        &[
            "ER", "ET", "SO", "SD", "SS", "KE", "UG", "TZ", "RW", "BI", "DJ",
        ],
    ),
    (
        "Central Africa",
        &["CM", "CD", "CG", "CF", "TD", "GA", "GQ", "AO"],
    ),
    (
        "Caucasus / Eastern Europe",
        &["GE", "AM", "AZ", "RU", "UA", "BY", "MD"],
    ),
    (
        "Middle East / North Africa",
        &[
            "SY", "IQ", "IR", "YE", "LB", "JO", "EG", "TN", "MA", "DZ", "LY", "TR", "SA", "PS",
        ],
    ),
    ("East Asia", &["CN", "MN", "KP", "KR", "JP", "TW", "HK"]),
    (
        "Southeast Asia",
        &["VN", "PH", "ID", "MY", "TH", "MM", "KH", "LA"],
    ),
];

/// Region of an ISO alpha-2 country code (`"Other"` when not in a listed region).
pub fn region_of(alpha2: &str) -> &'static str {
    let up = alpha2.trim().to_ascii_uppercase();
    REGIONS
        .iter()
        .find(|(_, members)| members.contains(&up.as_str()))
        .map(|(r, _)| *r)
        .unwrap_or("Other")
}

/// Labels of one series: `(dimension, value)` pairs, sorted by dimension.
pub type SeriesLabels = Vec<(Dimension, String)>;

/// Canonical name of a series: `nationality=UZ,sector=SDC` (`all` for the total).
pub fn series_name(labels: &SeriesLabels) -> String {
    if labels.is_empty() {
        return "all".into();
    }
    labels
        .iter()
        .map(|(d, v)| format!("{}={v}", d.name()))
        .collect::<Vec<_>>()
        .join(",")
}

/// A set of aligned count series on a common calendar (zero-filled).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountTable {
    pub granularity: Granularity,
    /// Start of the first period.
    pub start: NaiveDate,
    /// Number of periods.
    pub len: usize,
    /// Series name -> counts (length `len`).
    pub series: BTreeMap<String, Vec<f64>>,
    /// Series name -> labels (empty when the name came from a counts file).
    pub labels: BTreeMap<String, SeriesLabels>,
}

/// Builder that accepts `(series, period, count)` in any order (e.g. rows of a counts CSV or
/// aggregates from a store) and produces a zero-filled [`CountTable`].
#[derive(Debug, Clone)]
pub struct CountBuilder {
    granularity: Granularity,
    cells: BTreeMap<String, BTreeMap<NaiveDate, f64>>,
    labels: BTreeMap<String, SeriesLabels>,
}

impl CountBuilder {
    pub fn new(granularity: Granularity) -> Self {
        CountBuilder {
            granularity,
            cells: BTreeMap::new(),
            labels: BTreeMap::new(),
        }
    }

    /// Add `count` to `series` in the period containing `date` (counts of repeated rows add up).
    pub fn add(&mut self, series: &str, date: NaiveDate, count: f64) {
        let p = self.granularity.period_start(date);
        *self
            .cells
            .entry(series.to_string())
            .or_default()
            .entry(p)
            .or_insert(0.0) += count;
    }

    /// Attach labels (dimensions) to a series.
    pub fn set_labels(&mut self, series: &str, labels: SeriesLabels) {
        self.labels.insert(series.to_string(), labels);
    }

    /// Zero-filled table from the earliest to the latest period seen (or the given bounds).
    pub fn build(self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> CountTable {
        let g = self.granularity;
        let lo = from.map(|d| g.period_start(d)).or_else(|| {
            self.cells
                .values()
                .filter_map(|m| m.keys().next().copied())
                .min()
        });
        let hi = to.map(|d| g.period_start(d)).or_else(|| {
            self.cells
                .values()
                .filter_map(|m| m.keys().next_back().copied())
                .max()
        });
        let (start, len) = match (lo, hi) {
            (Some(lo), Some(hi)) if hi >= lo => (
                lo,
                ((hi - lo).num_days() / g.step().num_days()) as usize + 1,
            ),
            _ => (lo.unwrap_or_default(), 0),
        };
        let mut series = BTreeMap::new();
        for (name, cells) in self.cells {
            let mut v = vec![0.0; len];
            for (d, c) in cells {
                if d < start {
                    continue;
                }
                let i = ((d - start).num_days() / g.step().num_days()) as usize;
                if i < len {
                    v[i] += c;
                }
            }
            series.insert(name, v);
        }
        CountTable {
            granularity: g,
            start,
            len,
            series,
            labels: self.labels,
        }
    }
}

impl CountTable {
    /// Start date of period `i`.
    pub fn period_date(&self, i: usize) -> NaiveDate {
        self.start + Duration::days(self.granularity.step().num_days() * i as i64)
    }

    /// Label of period `i`.
    pub fn period_label(&self, i: usize) -> String {
        self.granularity.label(self.period_date(i))
    }

    /// Region of a series (from its region or nationality label), if any.
    pub fn region(&self, series: &str) -> Option<String> {
        let labels = self.labels.get(series)?;
        labels
            .iter()
            .find(|(d, _)| *d == Dimension::Region)
            .map(|(_, v)| v.clone())
            .or_else(|| {
                labels
                    .iter()
                    .find(|(d, _)| *d == Dimension::Nationality)
                    .map(|(_, v)| region_of(v).to_string())
            })
    }
}

/// Aggregate encounters into series for each grouping in `by` (plus the total `all` when
/// `include_total`). An encounter with several nationalities counts once in each of its
/// nationality series and once per distinct region; without nationality it counts as `XX`.
pub fn aggregate<'a>(
    encounters: impl IntoIterator<Item = &'a Encounter>,
    by: &[Vec<Dimension>],
    granularity: Granularity,
    include_total: bool,
) -> CountTable {
    let mut b = CountBuilder::new(granularity);
    for e in encounters {
        let date = e.time.date_naive();
        let nats: BTreeSet<String> = if e.subject.nationalities.is_empty() {
            std::iter::once("XX".to_string()).collect()
        } else {
            e.subject
                .nationalities
                .iter()
                .map(|c| c.as_str().to_string())
                .collect()
        };
        let regions: BTreeSet<String> = nats
            .iter()
            .map(|n| {
                if n == "XX" {
                    "Unknown".to_string()
                } else {
                    region_of(n).to_string()
                }
            })
            .collect();
        let sector = if e.place.code.trim().is_empty() {
            "UNKNOWN".to_string()
        } else {
            e.place.code.trim().to_string()
        };
        if include_total {
            b.add("all", date, 1.0);
        }
        for dims in by {
            // cartesian product of the values of each dimension
            let mut combos: Vec<SeriesLabels> = vec![Vec::new()];
            for d in dims {
                let values: Vec<String> = match d {
                    Dimension::Nationality => nats.iter().cloned().collect(),
                    Dimension::Region => regions.iter().cloned().collect(),
                    Dimension::Sector => vec![sector.clone()],
                };
                combos = combos
                    .into_iter()
                    .flat_map(|c| {
                        values.iter().map(move |v| {
                            let mut c2 = c.clone();
                            c2.push((*d, v.clone()));
                            c2
                        })
                    })
                    .collect();
            }
            for labels in combos {
                let name = series_name(&labels);
                if !b.labels.contains_key(&name) {
                    b.set_labels(&name, labels);
                }
                b.add(&name, date, 1.0);
            }
        }
    }
    b.build(None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_week_labels_roundtrip() {
        let g = Granularity::Weekly;
        let d = NaiveDate::from_ymd_opt(2021, 1, 3).expect("date"); // Sunday of 2020-W53
        assert_eq!(g.label(g.period_start(d)), "2020-W53");
        assert_eq!(g.parse_label("2020-W53").expect("parse"), g.period_start(d));
        assert_eq!(
            g.parse_label("2021-01-03").expect("parse"),
            g.period_start(d)
        );
        assert!(g.parse_label("2021-W60").is_err());
        assert!(g.parse_label("yesterday").is_err());
    }

    #[test]
    fn builder_zero_fills() {
        let mut b = CountBuilder::new(Granularity::Weekly);
        let d0 = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
        b.add("a", d0, 3.0);
        b.add("a", d0 + Duration::days(21), 2.0);
        b.add("b", d0 + Duration::days(8), 1.0);
        let t = b.build(None, None);
        assert_eq!(t.len, 4);
        assert_eq!(t.series["a"], vec![3.0, 0.0, 0.0, 2.0]);
        assert_eq!(t.series["b"], vec![0.0, 1.0, 0.0, 0.0]);
        assert_eq!(t.period_label(0), "2024-W01");
    }

    #[test]
    fn regions_and_by_spec() {
        assert_eq!(region_of("uz"), "Central Asia");
        assert_eq!(region_of("GT"), "Central America Northern Triangle");
        assert_eq!(region_of("FR"), "Other");
        let by = parse_by("sector,nationality|region").expect("by");
        assert_eq!(
            by,
            vec![
                vec![Dimension::Nationality, Dimension::Sector],
                vec![Dimension::Region]
            ]
        );
        assert!(parse_by("nationality,colour").is_err());
    }
}
