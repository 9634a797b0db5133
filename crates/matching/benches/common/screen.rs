//! Shared fixture of the scorer benchmarks: screening-like pairs — one query against the many
//! list entries the candidate index returns for it, as `matching::screen` scores them.
//!
//! The list: either a generated world (`linkwatch generate --out DIR`: `DIR/watchlist.jsonl`
//! entries and `DIR/encounters.jsonl` queries) or, by default, the persons of
//! `names/pairs_sdn_un.csv` (one entry per listed person with its primary name and every alias of
//! the file, deterministic DOBs — some year-only, ranges or circa —, nationalities, sex and, for
//! one entry in three, a passport) queried with encounter-like identities (one name, DOB,
//! nationality, sex, a passport one time in four) made from every name of the file. Entries live
//! in a `CandidateIndex` (prepared with the scorer's table, as `screen` prepares them) and are
//! scored in the index's own storage. Knows nothing of timing.

use linkwatch_matching::index::CandidateIndex;
use linkwatch_matching::{Identity, Scorer};
use linkwatch_model::{
    Country, DateSpec, Document, DocumentKind, Encounter, Name, NameQuality, PartialDate, Sex,
    WatchlistEntry,
};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Queries, the index of list entries, and every (query, candidate slot) pair to score.
pub struct ScreenPairs {
    pub queries: Vec<Identity>,
    pub index: CandidateIndex<u32>,
    /// `(query index, index slot)`, grouped by query (each query against its candidates).
    pub pairs: Vec<(u32, u32)>,
}

impl ScreenPairs {
    /// The two identities of pair `k`.
    pub fn pair(&self, k: usize) -> (&Identity, &Identity) {
        let (q, s) = self.pairs[k];
        let c = self
            .index
            .slot(s)
            .map(|x| x.1)
            .expect("candidate slots come from the index");
        (&self.queries[q as usize], c)
    }
}

fn date(i: usize) -> DateSpec {
    let y = 1950 + (i % 50) as i16;
    match i % 10 {
        0 => DateSpec::Date(PartialDate::year(y)),
        1 => DateSpec::Range {
            from: PartialDate::year(y),
            to: PartialDate::year(y + 2),
        },
        2 => PartialDate::parse(&format!("circa {y}"))
            .map(DateSpec::Date)
            .unwrap_or(DateSpec::Date(PartialDate::year(y))),
        _ => DateSpec::Date(
            PartialDate::ymd(y, 1 + (i % 12) as u8, 1 + (i % 28) as u8)
                .unwrap_or(PartialDate::year(y)),
        ),
    }
}

const COUNTRIES: [&str; 8] = ["UZ", "RU", "AF", "IQ", "SY", "TJ", "IR", "PK"];

fn country(i: usize) -> Option<Country> {
    Country::from_alpha2(COUNTRIES[i % COUNTRIES.len()])
}

fn passport(i: usize) -> Document {
    Document {
        kind: DocumentKind::Passport,
        number: format!(
            "P{:08}",
            (i as u64).wrapping_mul(2_654_435_761) % 100_000_000
        ),
        issuer: None,
        expiry: None,
    }
}

/// Entries and queries from the labelled pairs file (see the module doc); `None` without it.
fn from_pairs_file(max_queries: usize) -> Option<(Vec<WatchlistEntry>, Vec<Identity>)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/names/pairs_sdn_un.csv");
    let mut r = csv::Reader::from_path(&path).ok()?;
    // person id -> (primary name, aliases)
    let mut persons: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    let mut query_names: Vec<String> = Vec::new();
    for rec in r.records().flatten() {
        let (id1, id2, n1, n2, label) = (&rec[1], &rec[2], &rec[3], &rec[4], &rec[5]);
        let p = persons
            .entry(id1.to_string())
            .or_insert_with(|| (n1.to_string(), Vec::new()));
        if label == "1" && id1 == id2 && !p.1.iter().any(|a| a == n2) && p.0 != n2 {
            p.1.push(n2.to_string());
        }
        query_names.push(
            if query_names.len().is_multiple_of(2) {
                n2
            } else {
                n1
            }
            .to_string(),
        );
    }
    let entries: Vec<WatchlistEntry> = persons
        .values()
        .enumerate()
        .map(|(i, (primary, aliases))| WatchlistEntry {
            names: std::iter::once(Name::full(primary))
                .chain(aliases.iter().enumerate().map(|(k, a)| Name {
                    full: a.clone(),
                    quality: if k % 5 == 4 {
                        NameQuality::Weak
                    } else {
                        NameQuality::Strong
                    },
                    ..Default::default()
                }))
                .collect(),
            dobs: if i % 3 == 0 {
                vec![date(i), date(i + 1)]
            } else {
                vec![date(i)]
            },
            nationalities: [country(i), (i % 4 == 0).then(|| country(i + 1)).flatten()]
                .into_iter()
                .flatten()
                .collect(),
            sex: if i % 7 == 0 { Sex::Female } else { Sex::Male },
            documents: if i % 3 == 0 {
                vec![passport(i)]
            } else {
                Vec::new()
            },
            ..Default::default()
        })
        .collect();
    // spread the queries over the file (positives and negatives alike)
    let step = (query_names.len() / max_queries.max(1)).max(1);
    let queries: Vec<Identity> = query_names
        .iter()
        .step_by(step)
        .take(max_queries)
        .enumerate()
        .map(|(i, n)| {
            let dob = match date(i * 3) {
                DateSpec::Date(d) => Some(d),
                DateSpec::Range { from, .. } => Some(from),
            };
            let sex = if i % 9 == 0 { Sex::Female } else { Sex::Male };
            let mut q = Identity::from_parts(n, dob, country(i / 2), sex);
            if i % 4 == 0 {
                q.documents = vec![(DocumentKind::Passport, passport(i * 5).number)];
            }
            q
        })
        .collect();
    Some((entries, queries))
}

fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path, max: usize) -> Vec<T> {
    let Ok(f) = std::fs::File::open(path) else {
        eprintln!("note: cannot open {}", path.display());
        return Vec::new();
    };
    std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .take(max)
        .filter_map(|l| serde_json::from_str(&l).ok())
        .collect()
}

/// Build the screening-like pairs: from `world` (a `linkwatch generate` directory, at most
/// `max_entries` entries) or from the labelled pairs file; `max_queries` queries, each against
/// every candidate the index returns (at most `max_per_query`, the first ones by slot).
pub fn screen_pairs(
    scorer: &Scorer,
    world: Option<&Path>,
    max_entries: usize,
    max_queries: usize,
    max_per_query: usize,
) -> Option<ScreenPairs> {
    let (entries, raw_queries) = match world {
        Some(dir) => (
            read_jsonl::<WatchlistEntry>(&dir.join("watchlist.jsonl"), max_entries),
            read_jsonl::<Encounter>(&dir.join("encounters.jsonl"), max_queries)
                .iter()
                .map(Identity::from_encounter)
                .collect::<Vec<_>>(),
        ),
        None => from_pairs_file(max_queries)?,
    };
    if entries.is_empty() || raw_queries.is_empty() {
        return None;
    }
    let mut index: CandidateIndex<u32> = CandidateIndex::default();
    for (i, e) in entries.iter().enumerate() {
        let mut id = Identity::from_entry(e);
        scorer.prepare(&mut id);
        index.insert(i as u32, id);
    }
    let mut queries = Vec::with_capacity(raw_queries.len());
    let mut pairs = Vec::new();
    for mut q in raw_queries {
        scorer.prepare(&mut q);
        let (cands, _) = index.candidates(&q);
        let qi = queries.len() as u32;
        pairs.extend(cands.iter().take(max_per_query).map(|&s| (qi, s)));
        queries.push(q);
    }
    Some(ScreenPairs {
        queries,
        index,
        pairs,
    })
}
