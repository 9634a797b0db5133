//! Blocking: which pairs are compared at all. Each rule is a conjunction of keys (field plus
//! transform); rules are combined by union. Keys are integer-encoded per distinct value and
//! hashed per record, candidate pairs come from sorting `(key, record)` per rule, and a pair
//! found by an earlier rule is not emitted again (so the union has no duplicates without a
//! global hash set). Also the in-memory block index used by incremental resolution.
//!
//! Knows datasets and the schema; knows nothing of models or clustering.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::compare::{phonetic_code, unpack_date};
use crate::data::{Column, Dataset, Dict};
use crate::schema::{FieldKind, Schema};
use crate::ResolveError;

/// Transform applied to a field value to make a blocking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transform {
    Exact,
    Prefix(usize),
    Phonetic,
    Year,
    MonthDay,
    FirstToken,
    LastToken,
    SortedTokens,
}

/// One key of a rule: a field index and a transform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub field: usize,
    pub transform: Transform,
}

impl KeySpec {
    /// Parse `field` or `field:transform`.
    pub fn parse(s: &str, schema: &Schema) -> Result<KeySpec, ResolveError> {
        let (name, tr) = match s.split_once(':') {
            Some((n, t)) => (n.trim(), t.trim()),
            None => (s.trim(), "exact"),
        };
        let field = schema.field_index(name).ok_or_else(|| {
            ResolveError::Schema(format!("blocking key {s:?}: no field {name:?}"))
        })?;
        let is_date = schema.fields[field].kind == FieldKind::Date;
        let transform = match tr {
            "exact" => Transform::Exact,
            "phonetic" | "soundex" => Transform::Phonetic,
            "year" => Transform::Year,
            "month_day" => Transform::MonthDay,
            "first_token" => Transform::FirstToken,
            "last_token" => Transform::LastToken,
            "sorted_tokens" => Transform::SortedTokens,
            "initial" => Transform::Prefix(1),
            t if t.starts_with("prefix") => Transform::Prefix(
                t["prefix".len()..]
                    .parse()
                    .ok()
                    .filter(|&n: &usize| n > 0)
                    .ok_or_else(|| {
                        ResolveError::Schema(format!("blocking key {s:?}: bad prefix length"))
                    })?,
            ),
            _ => {
                return Err(ResolveError::Schema(format!(
                    "blocking key {s:?}: unknown transform {tr:?}"
                )))
            }
        };
        let date_ok = matches!(
            transform,
            Transform::Exact | Transform::Year | Transform::MonthDay
        );
        if is_date && !date_ok {
            return Err(ResolveError::Schema(format!(
                "blocking key {s:?}: transform {tr:?} does not apply to a date field"
            )));
        }
        if !is_date && matches!(transform, Transform::Year | Transform::MonthDay) {
            return Err(ResolveError::Schema(format!(
                "blocking key {s:?}: {tr:?} needs a date field"
            )));
        }
        Ok(KeySpec { field, transform })
    }
}

/// A compiled blocking rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub text: String,
    pub keys: Vec<KeySpec>,
}

pub fn compile_rules(schema: &Schema) -> Result<Vec<Rule>, ResolveError> {
    schema
        .blocking
        .rules
        .iter()
        .map(|r| {
            Ok(Rule {
                text: r.join(" & "),
                keys: r
                    .iter()
                    .map(|k| KeySpec::parse(k, schema))
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect()
}

#[inline]
fn mix(h: u64, v: u64) -> u64 {
    // splitmix-style mixing; 0 is reserved for "no key".
    let mut z = (h ^ v).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn hash_str(s: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in s.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    h | 1
}

/// Key component of one distinct text value (0 = none).
pub fn text_component(dict: &Dict, id: u32, t: Transform) -> u64 {
    if id == 0 {
        return 0;
    }
    let v = dict.value(id);
    match t {
        Transform::Exact => id as u64,
        Transform::Prefix(n) => {
            let end = v.char_indices().nth(n).map(|(i, _)| i).unwrap_or(v.len());
            hash_str(&v[..end])
        }
        Transform::Phonetic => phonetic_code(v.as_bytes()) as u64,
        Transform::FirstToken => v.split(' ').next().map(hash_str).unwrap_or(0),
        Transform::LastToken => v.rsplit(' ').next().map(hash_str).unwrap_or(0),
        Transform::SortedTokens => {
            let mut toks: Vec<&str> = v.split(' ').collect();
            toks.sort_unstable();
            toks.dedup();
            hash_str(&toks.join(" "))
        }
        Transform::Year | Transform::MonthDay => 0,
    }
}

fn date_component(v: u32, t: Transform) -> u64 {
    if v == 0 {
        return 0;
    }
    let (y, m, d) = unpack_date(v);
    match t {
        Transform::Exact if m != 0 && d != 0 => v as u64,
        Transform::Year => y as u64 + 1,
        Transform::MonthDay if m != 0 && d != 0 => (m as u64) << 5 | d as u64,
        _ => 0,
    }
}

/// Per-rule, per-distinct-value key components, so that record keys cost one lookup.
pub struct KeyTables {
    /// `[rule][key]` → table indexed by value id (text fields), empty for date fields.
    tables: Vec<Vec<Vec<u64>>>,
}

impl KeyTables {
    pub fn build(ds: &Dataset, rules: &[Rule]) -> KeyTables {
        let tables = rules
            .iter()
            .map(|r| {
                r.keys
                    .iter()
                    .map(|k| match &ds.columns[k.field] {
                        Column::Text { dict, .. } => (0..dict.values.len() as u32)
                            .map(|id| text_component(dict, id, k.transform))
                            .collect(),
                        Column::Date { .. } => Vec::new(),
                    })
                    .collect()
            })
            .collect();
        KeyTables { tables }
    }

    /// The key of record `i` under rule `r` (0 = the record is not blocked by this rule).
    #[inline]
    pub fn key(&self, ds: &Dataset, rules: &[Rule], r: usize, i: usize) -> u64 {
        let mut h = r as u64 + 1;
        for (k, spec) in rules[r].keys.iter().enumerate() {
            let c = match &ds.columns[spec.field] {
                Column::Text { ids, dict } => {
                    let id = ids[i];
                    let t = &self.tables[r][k];
                    if (id as usize) < t.len() {
                        t[id as usize]
                    } else {
                        text_component(dict, id, spec.transform)
                    }
                }
                Column::Date { vals } => date_component(vals[i], spec.transform),
            };
            if c == 0 {
                return 0;
            }
            h = mix(h, c);
        }
        h | 1
    }
}

/// What blocking did, per rule.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BlockingStats {
    pub rules: Vec<RuleStats>,
    pub candidate_pairs: u64,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RuleStats {
    pub rule: String,
    /// Pairs this rule added that no earlier rule had found.
    pub new_pairs: u64,
    pub blocks: u64,
    /// Blocks over `max_block_size`, skipped, and the pairs they would have made.
    pub skipped_blocks: u64,
    pub skipped_pairs: u64,
}

/// Candidate pairs `(i, j)` with `i < j`, sorted, without duplicates. For `link` (`cross_only`),
/// only pairs from different sources.
pub fn candidate_pairs(
    ds: &Dataset,
    rules: &[Rule],
    cross_only: bool,
) -> (Vec<(u32, u32)>, BlockingStats) {
    let n = ds.len();
    let tables = KeyTables::build(ds, rules);
    let keys: Vec<Vec<u64>> = (0..rules.len())
        .map(|r| {
            (0..n)
                .into_par_iter()
                .map(|i| tables.key(ds, rules, r, i))
                .collect()
        })
        .collect();
    let max_block = ds.schema.blocking.max_block_size.max(2);
    let mut stats = BlockingStats::default();
    let mut all: Vec<(u32, u32)> = Vec::new();
    for r in 0..rules.len() {
        let mut kr: Vec<(u64, u32)> = keys[r]
            .iter()
            .enumerate()
            .filter(|(_, &k)| k != 0)
            .map(|(i, &k)| (k, i as u32))
            .collect();
        kr.par_sort_unstable();
        // block boundaries
        let mut bounds: Vec<(usize, usize)> = Vec::new();
        let mut s = 0;
        while s < kr.len() {
            let mut e = s + 1;
            while e < kr.len() && kr[e].0 == kr[s].0 {
                e += 1;
            }
            if e - s >= 2 {
                bounds.push((s, e));
            }
            s = e;
        }
        let mut rs = RuleStats {
            rule: rules[r].text.clone(),
            blocks: bounds.len() as u64,
            ..Default::default()
        };
        for &(s, e) in &bounds {
            if e - s > max_block {
                rs.skipped_blocks += 1;
                rs.skipped_pairs += ((e - s) * (e - s - 1) / 2) as u64;
            }
        }
        let earlier = &keys[..r];
        let src = &ds.source;
        let pairs: Vec<(u32, u32)> = bounds
            .par_iter()
            .filter(|(s, e)| e - s <= max_block)
            .flat_map_iter(|&(s, e)| {
                let block = &kr[s..e];
                let mut out = Vec::new();
                for x in 0..block.len() {
                    for y in x + 1..block.len() {
                        let (a, b) = (block[x].1, block[y].1);
                        let (i, j) = if a < b { (a, b) } else { (b, a) };
                        if cross_only && src[i as usize] == src[j as usize] {
                            continue;
                        }
                        if earlier.iter().any(|k| {
                            let ki = k[i as usize];
                            ki != 0 && ki == k[j as usize]
                        }) {
                            continue;
                        }
                        out.push((i, j));
                    }
                }
                out
            })
            .collect();
        rs.new_pairs = pairs.len() as u64;
        stats.rules.push(rs);
        all.extend(pairs);
    }
    all.par_sort_unstable();
    stats.candidate_pairs = all.len() as u64;
    (all, stats)
}

/// In-memory block index for incremental resolution: per rule, a frozen sorted array
/// (key → records, compact: 12 bytes per record and rule) plus a hash map of records added
/// since. Lookups are a binary search and a hash probe.
#[derive(Debug, Default, Clone)]
pub struct BlockIndex {
    frozen: Vec<FrozenRule>,
    delta: Vec<FxHashMap<u64, Vec<u32>>>,
}

#[derive(Debug, Default, Clone)]
struct FrozenRule {
    /// distinct keys, sorted
    keys: Vec<u64>,
    /// start of each key's records in `recs` (len = keys.len() + 1)
    starts: Vec<u32>,
    recs: Vec<u32>,
}

impl FrozenRule {
    fn get(&self, k: u64) -> &[u32] {
        match self.keys.binary_search(&k) {
            Ok(p) => &self.recs[self.starts[p] as usize..self.starts[p + 1] as usize],
            Err(_) => &[],
        }
    }
}

impl BlockIndex {
    pub fn build(ds: &Dataset, rules: &[Rule]) -> BlockIndex {
        let tables = KeyTables::build(ds, rules);
        let frozen = (0..rules.len())
            .map(|r| {
                let mut kr: Vec<(u64, u32)> = (0..ds.len())
                    .into_par_iter()
                    .filter_map(|i| {
                        let k = tables.key(ds, rules, r, i);
                        (k != 0).then_some((k, i as u32))
                    })
                    .collect();
                kr.par_sort_unstable();
                let mut fr = FrozenRule {
                    keys: Vec::new(),
                    starts: Vec::new(),
                    recs: Vec::with_capacity(kr.len()),
                };
                for (n, &(k, i)) in kr.iter().enumerate() {
                    if n == 0 || kr[n - 1].0 != k {
                        fr.keys.push(k);
                        fr.starts.push(n as u32);
                    }
                    fr.recs.push(i);
                }
                fr.starts.push(kr.len() as u32);
                fr
            })
            .collect();
        BlockIndex {
            frozen,
            delta: vec![FxHashMap::default(); rules.len()],
        }
    }

    /// Record keys computed without tables (for single new records).
    pub fn record_keys(ds: &Dataset, rules: &[Rule], i: usize) -> Vec<u64> {
        (0..rules.len())
            .map(|r| {
                let mut h = r as u64 + 1;
                for spec in &rules[r].keys {
                    let c = match &ds.columns[spec.field] {
                        Column::Text { ids, dict } => text_component(dict, ids[i], spec.transform),
                        Column::Date { vals } => date_component(vals[i], spec.transform),
                    };
                    if c == 0 {
                        return 0;
                    }
                    h = mix(h, c);
                }
                h | 1
            })
            .collect()
    }

    pub fn insert(&mut self, keys: &[u64], i: u32) {
        if self.delta.len() < keys.len() {
            self.delta.resize_with(keys.len(), FxHashMap::default);
        }
        for (r, &k) in keys.iter().enumerate() {
            if k != 0 {
                self.delta[r].entry(k).or_default().push(i);
            }
        }
    }

    /// Records sharing at least one block with the given keys (deduplicated, sorted), skipping
    /// blocks over `max_block`.
    pub fn candidates(&self, keys: &[u64], max_block: usize, out: &mut Vec<u32>) {
        out.clear();
        for (r, &k) in keys.iter().enumerate() {
            if k == 0 {
                continue;
            }
            let a = self.frozen.get(r).map(|f| f.get(k)).unwrap_or(&[]);
            let b = self
                .delta
                .get(r)
                .and_then(|m| m.get(&k))
                .map(|v| v.as_slice())
                .unwrap_or(&[]);
            if a.len() + b.len() <= max_block {
                out.extend_from_slice(a);
                out.extend_from_slice(b);
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds() -> Dataset {
        let schema = Schema::from_toml(
            r#"
id = "id"
[[field]]
name = "first"
kind = "given_name"
[[field]]
name = "last"
kind = "family_name"
[[field]]
name = "dob"
kind = "date"
[blocking]
rules = [["first", "last"], ["last:phonetic", "dob:year"], ["dob"]]
"#,
        )
        .unwrap();
        let mut d = Dataset::new(schema);
        let csv = "id,first,last,dob\n1,ana,lopez,1990-01-02\n2,ana,lopez,1991-05-05\n3,anna,lopes,1990-01-02\n4,bob,smith,1970-03-03\n5,,lopez,1990-07-07\n";
        d.read_csv(csv.as_bytes(), 0).unwrap();
        d
    }

    #[test]
    fn union_without_duplicates() {
        let d = ds();
        let rules = compile_rules(&d.schema).unwrap();
        let (pairs, stats) = candidate_pairs(&d, &rules, false);
        // (0,1) by names; (0,2) by dob and by phonetic+year, counted once; (0,4),(2,4) by phonetic+year
        assert_eq!(pairs, vec![(0, 1), (0, 2), (0, 4), (2, 4)]);
        assert_eq!(stats.candidate_pairs, 4);
        assert_eq!(stats.rules[0].new_pairs, 1);
        assert_eq!(stats.rules[2].new_pairs, 0);
    }

    #[test]
    fn index_finds_same_candidates() {
        let d = ds();
        let rules = compile_rules(&d.schema).unwrap();
        let idx = BlockIndex::build(&d, &rules);
        let keys = BlockIndex::record_keys(&d, &rules, 0);
        let mut out = Vec::new();
        idx.candidates(&keys, 100, &mut out);
        assert_eq!(out, vec![0, 1, 2, 4]);
    }

    #[test]
    fn bad_keys_rejected() {
        let d = ds();
        assert!(KeySpec::parse("dob:prefix2", &d.schema).is_err());
        assert!(KeySpec::parse("first:year", &d.schema).is_err());
        assert!(KeySpec::parse("first:prefix0", &d.schema).is_err());
        assert!(KeySpec::parse("dob:year", &d.schema).is_ok());
    }
}
