//! Statistics read back from generated files (for `linkwatch demo` and tests): variety of the
//! recorded names per person. Takes readers; does no file I/O itself.

use linkwatch_model::{Encounter, Script};
use std::collections::{HashMap, HashSet};
use std::io::BufRead;

/// Name variety across repeat encounters.
#[derive(Debug, Default, Clone)]
pub struct NameVariety {
    pub persons_with_repeats: u64,
    /// Persons seen more than once whose recorded Latin full names differ between encounters.
    pub persons_with_variant_spellings: u64,
    /// Largest number of distinct Latin spellings of one person.
    pub max_distinct_spellings: u64,
    /// Mean distinct spellings per repeat person.
    pub mean_distinct_spellings: f64,
    /// Encounters carrying a name in a non-Latin script, by script.
    pub native_script_names: HashMap<String, u64>,
    /// An example: (person id, distinct spellings).
    pub example: Option<(String, Vec<String>)>,
}

/// Read `encounters.jsonl` and `truth/persons.csv` (same order) and measure name variety.
pub fn name_variety(
    encounters: impl BufRead,
    persons: impl BufRead,
) -> Result<NameVariety, String> {
    let mut by_person: HashMap<String, HashSet<String>> = HashMap::new();
    let mut counts: HashMap<String, u32> = HashMap::new();
    let mut non_latin: HashSet<String> = HashSet::new();
    let mut v = NameVariety::default();
    let mut plines = persons.lines().skip(1);
    for (i, line) in encounters.lines().enumerate() {
        let line = line.map_err(|e| format!("encounters line {}: {e}", i + 1))?;
        let e: Encounter =
            serde_json::from_str(&line).map_err(|e| format!("encounters line {}: {e}", i + 1))?;
        let pl = plines
            .next()
            .ok_or_else(|| format!("persons.csv shorter than encounters at {}", i + 1))?;
        let pl = pl.map_err(|e| format!("persons.csv: {e}"))?;
        let pid = pl.split(',').nth(1).unwrap_or("").to_string();
        for n in &e.subject.names {
            if n.script != Script::Latin {
                non_latin.insert(pid.clone());
                *v.native_script_names
                    .entry(format!("{:?}", n.script).to_lowercase())
                    .or_default() += 1;
            }
        }
        if let Some(n) = e.subject.names.iter().find(|n| n.script == Script::Latin) {
            by_person
                .entry(pid.clone())
                .or_default()
                .insert(n.full.to_lowercase());
        }
        *counts.entry(pid).or_default() += 1;
    }
    let mut total = 0u64;
    // The example prefers a person whose name has a non-Latin native script.
    let mut best = (false, 0u64, String::new());
    for (pid, c) in &counts {
        if *c < 2 {
            continue;
        }
        v.persons_with_repeats += 1;
        let d = by_person.get(pid).map(|s| s.len() as u64).unwrap_or(0);
        total += d;
        if d > 1 {
            v.persons_with_variant_spellings += 1;
        }
        v.max_distinct_spellings = v.max_distinct_spellings.max(d);
        let key = (non_latin.contains(pid), d, pid.clone());
        if (key.0, key.1) > (best.0, best.1) || (key.0, key.1) == (best.0, best.1) && key.2 < best.2
        {
            best = key;
        }
    }
    if best.1 > 0 {
        let mut names: Vec<String> = by_person
            .get(&best.2)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default();
        names.sort();
        v.example = Some((best.2, names));
    }
    v.mean_distinct_spellings = if v.persons_with_repeats > 0 {
        total as f64 / v.persons_with_repeats as f64
    } else {
        0.0
    };
    Ok(v)
}
