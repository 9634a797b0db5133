//! Candidate index (recall-safe blocking) over one side of a comparison: watchlist entries, or an
//! encounter/person history (the same structure serves screening and re-vetting a new list entry
//! against the history). For a query identity it returns the records sharing at least one key:
//!
//! - per name part: the exact token, the analyser's consonant skeleton and a folded phonetic key
//!   (vowels and `h` dropped, k/q/g/c/x, s/z, b/p/f/v/w merged, doubles collapsed);
//! - per pair of name parts: the two folded keys together, which keeps recall when each part alone
//!   is too common (`muhammad` + `karimov`);
//! - exact date of birth, document numbers, biometric ids, phones, e-mails.
//!
//! Frequent keys: a single-part key whose posting list exceeds `stop_cap` is skipped at query time
//! (it is still maintained, so it comes back if the list shrinks); pair keys then carry recall.
//! Incremental: `insert` and `remove` touch only the record's own postings, never rebuild.
//!
//! Knows identities and keys; knows nothing of scores, files or storage. Records are addressed by a
//! caller-chosen key type `K` (e.g. `(list_id, entry_id)` or an encounter id).

use crate::identity::{IdName, Identity};
use rustc_hash::{FxHashMap, FxHasher};
use std::fmt;
use std::hash::{Hash, Hasher};

/// Kind of a blocking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    Token,
    Skeleton,
    Phonetic,
    PhoneticPair,
    Dob,
    Document,
    Biometric,
    Contact,
}

/// A blocking key in readable form (the index stores only its 64-bit hash).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub kind: KeyKind,
    pub text: String,
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = match self.kind {
            KeyKind::Token => "tok",
            KeyKind::Skeleton => "skel",
            KeyKind::Phonetic => "ph",
            KeyKind::PhoneticPair => "ph2",
            KeyKind::Dob => "dob",
            KeyKind::Document => "doc",
            KeyKind::Biometric => "bio",
            KeyKind::Contact => "contact",
        };
        write!(f, "{k}:{}", self.text)
    }
}

impl Key {
    fn hash64(&self) -> u64 {
        let mut h = FxHasher::default();
        self.kind.hash(&mut h);
        self.text.hash(&mut h);
        h.finish()
    }

    /// Single-part name keys are the ones subject to the stop-key cap.
    fn cappable(&self) -> bool {
        matches!(
            self.kind,
            KeyKind::Token | KeyKind::Skeleton | KeyKind::Phonetic
        )
    }
}

/// Folded phonetic form of a name part (vowels, `h` and apostrophes dropped; k/q/g/c/x, s/z and
/// b/p/f/v/w merged; doubles collapsed). Empty when nothing is left.
pub fn phonetic(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    let mut last = '\0';
    for c in token.chars() {
        let m = match c {
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' | '\'' => continue,
            'k' | 'q' | 'g' | 'c' | 'x' => 'k',
            's' | 'z' => 's',
            'b' | 'p' | 'f' | 'v' | 'w' => 'f',
            'j' => 'j',
            c if c.is_ascii_alphanumeric() => c,
            c if c.is_alphanumeric() => c,
            _ => continue,
        };
        if m != last {
            out.push(m);
            last = m;
        }
    }
    out
}

/// Blocking keys of one analysed name (particles skipped).
pub fn name_keys(n: &IdName) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut ph: Vec<String> = Vec::new();
    for (i, t) in n.analyzed.tokens.iter().enumerate() {
        if i < 64 && n.particles & (1 << i) != 0 {
            continue;
        }
        if t.text.chars().count() < 2 {
            continue; // initials
        }
        keys.push(Key {
            kind: KeyKind::Token,
            text: t.text.clone(),
        });
        if t.skeleton.chars().count() >= 2 {
            keys.push(Key {
                kind: KeyKind::Skeleton,
                text: t.skeleton.clone(),
            });
        }
        let p = phonetic(&t.text);
        if !p.is_empty() {
            if p.chars().count() >= 2 {
                keys.push(Key {
                    kind: KeyKind::Phonetic,
                    text: p.clone(),
                });
            }
            ph.push(p);
        }
    }
    ph.sort();
    ph.dedup();
    for i in 0..ph.len() {
        for j in i + 1..ph.len() {
            keys.push(Key {
                kind: KeyKind::PhoneticPair,
                text: format!("{}+{}", ph[i], ph[j]),
            });
        }
    }
    keys
}

/// Every blocking key of an identity, deduplicated.
pub fn identity_keys(id: &Identity) -> Vec<Key> {
    let mut keys = Vec::new();
    for n in &id.names {
        keys.extend(name_keys(n));
    }
    for d in &id.dobs {
        if let linkwatch_model::DateSpec::Date(d) = d {
            if d.day != 0 && !d.approximate {
                keys.push(Key {
                    kind: KeyKind::Dob,
                    text: d.to_string(),
                });
            }
        }
    }
    for (_, num) in &id.documents {
        keys.push(Key {
            kind: KeyKind::Document,
            text: num.clone(),
        });
    }
    if let Some(f) = &id.fingerprint_id {
        keys.push(Key {
            kind: KeyKind::Biometric,
            text: f.clone(),
        });
    }
    for c in id.phones.iter().chain(&id.emails) {
        keys.push(Key {
            kind: KeyKind::Contact,
            text: c.clone(),
        });
    }
    keys.sort_by(|a, b| (a.kind as u8, &a.text).cmp(&(b.kind as u8, &b.text)));
    keys.dedup();
    keys
}

/// Tuning of the index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexConfig {
    /// Single-part name keys with more postings than this are skipped at query time.
    pub stop_cap: usize,
    /// Any key with more postings than this is skipped at query time (pairs, DOBs...).
    pub hard_cap: usize,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            stop_cap: 2_000,
            hard_cap: 20_000,
        }
    }
}

/// The candidate index. Slots are reused after removal.
#[derive(Debug, Clone)]
pub struct CandidateIndex<K> {
    config: IndexConfig,
    records: Vec<Option<(K, Identity)>>,
    free: Vec<u32>,
    by_key: FxHashMap<K, u32>,
    postings: FxHashMap<u64, Vec<u32>>,
}

/// Statistics of one query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryStats {
    pub keys: usize,
    pub stop_keys_skipped: usize,
    pub candidates: usize,
}

impl<K: Clone + Eq + Hash> Default for CandidateIndex<K> {
    fn default() -> Self {
        Self::new(IndexConfig::default())
    }
}

impl<K: Clone + Eq + Hash> CandidateIndex<K> {
    pub fn new(config: IndexConfig) -> Self {
        CandidateIndex {
            config,
            records: Vec::new(),
            free: Vec::new(),
            by_key: FxHashMap::default(),
            postings: FxHashMap::default(),
        }
    }

    pub fn config(&self) -> IndexConfig {
        self.config
    }

    pub fn set_config(&mut self, c: IndexConfig) {
        self.config = c;
    }

    /// Number of records indexed.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Number of distinct keys.
    pub fn key_count(&self) -> usize {
        self.postings.len()
    }

    /// Insert (or replace) a record.
    pub fn insert(&mut self, key: K, identity: Identity) {
        self.remove(&key);
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.records.push(None);
                (self.records.len() - 1) as u32
            }
        };
        for k in identity_keys(&identity) {
            self.postings.entry(k.hash64()).or_default().push(slot);
        }
        self.by_key.insert(key.clone(), slot);
        self.records[slot as usize] = Some((key, identity));
    }

    /// Remove a record; returns whether it was present.
    pub fn remove(&mut self, key: &K) -> bool {
        let Some(slot) = self.by_key.remove(key) else {
            return false;
        };
        if let Some((_, id)) = self.records[slot as usize].take() {
            for k in identity_keys(&id) {
                let h = k.hash64();
                if let Some(p) = self.postings.get_mut(&h) {
                    if let Some(pos) = p.iter().position(|&s| s == slot) {
                        p.swap_remove(pos);
                    }
                    if p.is_empty() {
                        self.postings.remove(&h);
                    }
                }
            }
        }
        self.free.push(slot);
        true
    }

    pub fn get(&self, key: &K) -> Option<&Identity> {
        self.by_key
            .get(key)
            .and_then(|&s| self.records[s as usize].as_ref())
            .map(|r| &r.1)
    }

    /// Every record (key and identity).
    pub fn iter(&self) -> impl Iterator<Item = (&K, &Identity)> {
        self.records
            .iter()
            .filter_map(|r| r.as_ref().map(|(k, i)| (k, i)))
    }

    /// Candidate slots for a query.
    pub fn candidates(&self, query: &Identity) -> (Vec<u32>, QueryStats) {
        let keys = identity_keys(query);
        let mut stats = QueryStats {
            keys: keys.len(),
            ..Default::default()
        };
        let mut out: Vec<u32> = Vec::new();
        for k in &keys {
            let Some(p) = self.postings.get(&k.hash64()) else {
                continue;
            };
            let cap = if k.cappable() {
                self.config.stop_cap
            } else {
                self.config.hard_cap
            };
            if p.len() > cap {
                stats.stop_keys_skipped += 1;
                continue;
            }
            out.extend_from_slice(p);
        }
        out.sort_unstable();
        out.dedup();
        stats.candidates = out.len();
        (out, stats)
    }

    /// The record in a slot returned by [`Self::candidates`].
    pub fn slot(&self, slot: u32) -> Option<(&K, &Identity)> {
        self.records
            .get(slot as usize)
            .and_then(|r| r.as_ref())
            .map(|(k, i)| (k, i))
    }

    /// Candidate records for a query.
    pub fn query(&self, query: &Identity) -> Vec<(&K, &Identity)> {
        self.candidates(query)
            .0
            .into_iter()
            .filter_map(|s| self.slot(s))
            .collect()
    }

    /// Posting-list sizes of the largest keys (for tuning the stop cap).
    pub fn largest_postings(&self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = self.postings.values().map(Vec::len).collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v.truncate(n);
        v
    }
}

impl CandidateIndex<(String, String)> {
    /// Index every person entry of a watchlist source, keyed by `(list_id, entry_id)`.
    pub fn from_watchlist(src: &dyn linkwatch_model::WatchlistSource, config: IndexConfig) -> Self {
        let mut ix = CandidateIndex::new(config);
        for e in src.entries() {
            ix.insert(
                (e.list.list_id.clone(), e.entry_id.clone()),
                Identity::from_entry(e),
            );
        }
        ix
    }
}

impl CandidateIndex<String> {
    /// Index an encounter history, keyed by encounter id.
    pub fn from_encounters(
        src: &dyn linkwatch_model::EncounterSource,
        config: IndexConfig,
    ) -> Self {
        let mut ix = CandidateIndex::new(config);
        for e in src.encounters() {
            ix.insert(e.id.clone(), Identity::from_encounter(e));
        }
        ix
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linkwatch_model::Sex;

    fn id(n: &str) -> Identity {
        Identity::from_parts(n, None, None, Sex::Unknown)
    }

    #[test]
    fn phonetic_folds_variants() {
        assert_eq!(phonetic("qaddafi"), phonetic("gadhafi"));
        assert_eq!(phonetic("hassan"), phonetic("husein"));
        assert_eq!(phonetic("usama"), phonetic("osama"));
        assert_eq!(phonetic("mukhtar"), phonetic("muxtar"));
    }

    #[test]
    fn insert_query_remove() {
        let mut ix: CandidateIndex<u32> = CandidateIndex::default();
        ix.insert(1, id("Abdulla Karimov"));
        ix.insert(2, id("Olga Petrova"));
        ix.insert(3, id("Muammar QADHAFI"));
        let q = |ix: &CandidateIndex<u32>, n: &str| -> Vec<u32> {
            let mut v: Vec<u32> = ix.query(&id(n)).into_iter().map(|(k, _)| *k).collect();
            v.sort();
            v
        };
        assert_eq!(q(&ix, "KARIMOV, Abdullah"), vec![1]);
        assert_eq!(q(&ix, "Muammar Gaddafi"), vec![3]);
        assert!(ix.remove(&1));
        assert!(!ix.remove(&1));
        assert!(q(&ix, "Abdulla Karimov").is_empty());
        ix.insert(4, id("Abdulla Karimov"));
        assert_eq!(q(&ix, "Abdulla Karimov"), vec![4]);
        assert_eq!(ix.len(), 3);
        // Replace in place.
        ix.insert(4, id("Olga Ivanova"));
        assert_eq!(q(&ix, "Olga"), vec![2, 4]);
        assert!(q(&ix, "Abdulla Karimov").is_empty());
    }

    #[test]
    fn stop_keys_fall_back_to_pairs() {
        let mut ix: CandidateIndex<u32> = CandidateIndex::new(IndexConfig {
            stop_cap: 3,
            hard_cap: 100,
        });
        for i in 0..10 {
            ix.insert(
                i,
                id(&format!("Muhammad Person{}", (b'a' + i as u8) as char)),
            );
        }
        ix.insert(99, id("Muhammad Karimov"));
        let (c, stats) = ix.candidates(&id("Mohammed Karimov"));
        assert!(stats.stop_keys_skipped > 0);
        assert_eq!(c.len(), 1);
        let (c, _) = ix.candidates(&id("Mohammed"));
        assert!(c.is_empty(), "a lone frequent key is skipped");
    }
}
