//! Name-part equivalence table: groups of forms of the same name part across scripts and
//! spellings (rigour/Wikidata, MIT, embedded compressed; plus linkwatch's own additions in
//! `data/extra_names.txt`). Each form is indexed under its phonetic key (see
//! [`crate::phonetic::key`]); a key maps to the ids of every group holding one of its forms.
//! Parsed lazily at first use (`OnceLock`). Knows nothing about comparison scores.

use std::io::Read;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::hash_str;
use crate::parts::form_key;
use crate::phonetic::skeleton_of_key;

static RIGOUR_GZ: &[u8] = include_bytes!("../data/person_names.txt.gz");
static EXTRA: &str = include_str!("../data/extra_names.txt");

/// Most groups one key may point to (very ambiguous short keys are capped).
pub(crate) const MAX_GROUPS_PER_KEY: usize = 24;

/// The loaded table.
pub struct EquivTable {
    by_key: FxHashMap<u64, SmallVec<[u32; 3]>>,
    /// Latin keys of each group: `latin[group_start[g]..group_start[g+1]]`.
    group_start: Vec<u32>,
    latin: Vec<Box<str>>,
    /// Number of groups.
    pub groups: usize,
    /// Groups `0..curated` come from linkwatch's own hand-made list (`data/extra_names.txt`,
    /// the first text given to `build`); the rest from the Wikidata-derived table.
    curated: u32,
}

impl EquivTable {
    fn build(texts: &[&str]) -> EquivTable {
        let mut by_key: FxHashMap<u64, SmallVec<[u32; 3]>> = FxHashMap::default();
        by_key.reserve(300_000);
        let mut group_latin: Vec<String> = Vec::new();
        let mut group_start = vec![0u32];
        let mut latin: Vec<Box<str>> = Vec::new();
        let mut gid: u32 = 0;
        let mut curated = 0;
        for (ti, text) in texts.iter().enumerate() {
            for line in text.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let forms = match line.rsplit_once("=>") {
                    Some((f, _)) => f,
                    None => line,
                };
                let mut seen: SmallVec<[u64; 16]> = SmallVec::new();
                group_latin.clear();
                let mut has_vowelless = false;
                for form in forms.split(',') {
                    let Some((k, is_latin, vowelless)) = form_key(form.trim()) else {
                        continue;
                    };
                    has_vowelless |= vowelless;
                    let h = hash_str(&k);
                    if seen.contains(&h) {
                        continue;
                    }
                    seen.push(h);
                    let ids = by_key.entry(h).or_default();
                    if ids.len() < MAX_GROUPS_PER_KEY && ids.last() != Some(&gid) {
                        ids.push(gid);
                    }
                    if is_latin {
                        group_latin.push(k);
                    }
                }
                // Latin forms are kept only where a vowel-less form needs a vowelled guess.
                if has_vowelless {
                    for k in group_latin.drain(..) {
                        latin.push(k.into_boxed_str());
                    }
                }
                group_start.push(latin.len() as u32);
                gid += 1;
            }
            if ti == 0 {
                curated = gid;
            }
        }
        for ids in by_key.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }
        EquivTable {
            by_key,
            group_start,
            latin,
            groups: gid as usize,
            curated,
        }
    }

    /// Whether two sorted group lists share one of linkwatch's own hand-made groups (reviewed
    /// one by one, so trusted even between short keys: `Zia`/`Diya`, where the broad
    /// Wikidata-derived groups of short syllables are not).
    pub fn shares_curated(&self, a: &[u32], b: &[u32]) -> bool {
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() && a[i] < self.curated && b[j] < self.curated {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
            }
        }
        false
    }

    /// Group ids (sorted) of forms whose phonetic key is `key`.
    pub fn groups(&self, key: &str) -> &[u32] {
        self.by_key
            .get(&hash_str(key))
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    /// Latin phonetic keys of the forms of group `g`.
    pub fn latin_forms(&self, g: u32) -> &[Box<str>] {
        let g = g as usize;
        if g + 1 >= self.group_start.len() {
            return &[];
        }
        &self.latin[self.group_start[g] as usize..self.group_start[g + 1] as usize]
    }

    /// A vowelled Latin key for a vowel-less token: the shortest Latin form in its groups whose
    /// consonant skeleton equals the token's, else the first Latin form of its first group.
    pub fn latin_guess(&self, groups: &[u32], skeleton: &str) -> Option<String> {
        let mut best: Option<&str> = None;
        for &g in groups {
            for f in self.latin_forms(g) {
                if skeleton_of_key(f) == skeleton && !matches!(best, Some(b) if f.len() >= b.len())
                {
                    best = Some(f);
                }
            }
        }
        if best.is_none() {
            best = groups
                .first()
                .and_then(|&g| self.latin_forms(g).first())
                .map(|b| &**b);
        }
        best.map(str::to_string)
    }
}

/// The embedded table, parsed at first use.
pub fn table() -> &'static EquivTable {
    static T: OnceLock<EquivTable> = OnceLock::new();
    T.get_or_init(|| {
        let mut rigour = String::new();
        let mut dec = flate2::read::GzDecoder::new(RIGOUR_GZ);
        if dec.read_to_string(&mut rigour).is_err() {
            rigour.clear();
        }
        EquivTable::build(&[EXTRA, &rigour])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phonetic::key;

    fn same_group(a: &str, b: &str) -> bool {
        let ka = form_key(a).map(|x| x.0).unwrap_or_default();
        let kb = form_key(b).map(|x| x.0).unwrap_or_default();
        let (ga, gb) = (table().groups(&ka), table().groups(&kb));
        ga.iter().any(|g| gb.contains(g))
    }

    #[test]
    fn table_shape() {
        let t = table();
        assert!(t.groups > 100_000, "{} groups", t.groups);
        assert!(!t.groups(&key("muhammad")).is_empty());
        assert!(same_group("muhammad", "محمد"));
        assert!(same_group("magomed", "mohammed"));
        assert!(same_group("shavkat", "шавкат"));
        assert!(same_group("yusuf", "joseph"));
        assert!(same_group("abdullah", "абдулла"));
        assert!(same_group("abd al-rahman", "abdurrahman"));
        assert!(!same_group("muhammad", "shavkat"));
        // Arabic interdentals and emphatics across spelling systems (dh / z / d, th / s / t),
        // and names they must not merge (ثامر Thamir is not سمير Samir).
        assert!(same_group("zakir", "dhakir"));
        assert!(same_group("kadhim", "kazem"));
        assert!(same_group("ramadhan", "ramazan"));
        assert!(same_group("thabit", "sabit"));
        assert!(same_group("haytham", "heysem"));
        assert!(!same_group("thamir", "samir"));
        assert!(!same_group("zakir", "sakir"));
        // no key maps to more than the cap
        assert!(t.by_key.values().all(|v| v.len() <= MAX_GROUPS_PER_KEY));
    }
}
