//! Term frequencies of name parts: how common each name token (by its phonetic key) is among list and
//! population names, so that agreeing on "muhammad" weighs far less than agreeing on a rare surname.
//!
//! The default table (`model/token_freq.txt`, embedded) is counted by `examples/train.rs` over the
//! OFAC and UN lists and the synthetic population; callers may add their own counts (the screening
//! side, the encounter history). Knows nothing of scoring.

use linkwatch_names::TokenWeights;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// Stable 64-bit mix (splitmix64 finaliser).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The embedded default frequency table: `# total N` then `token<TAB>count` lines.
pub const DEFAULT_TOKEN_FREQ: &str = include_str!("../model/token_freq.txt");

/// Counts of name tokens.
#[derive(Debug, Clone)]
pub struct TermFrequencies {
    counts: FxHashMap<String, u32>,
    total: u64,
    /// Hash of the content, computed on first use and forgotten on every change. Caches built
    /// from a table (see `Identity::prepare_tf`) record it, so that a cache built with another
    /// table is never used. Not persisted, not part of any result.
    stamp: OnceLock<u64>,
}

impl Default for TermFrequencies {
    fn default() -> Self {
        TermFrequencies {
            counts: FxHashMap::default(),
            total: 0,
            stamp: OnceLock::new(),
        }
    }
}

impl TermFrequencies {
    /// A 64-bit hash of the content (every token with its count, and the total), never 0:
    /// tables with equal content have equal stamps, whatever the order they were built in.
    pub fn stamp(&self) -> u64 {
        *self.stamp.get_or_init(|| {
            let mut acc = mix(self.total ^ 0x5bd1_e995);
            for (t, &c) in &self.counts {
                acc = acc.wrapping_add(mix(linkwatch_names::hash_str(t) ^ mix(c as u64)));
            }
            mix(acc).max(1)
        })
    }

    pub fn new() -> Self {
        Self::default()
    }

    /// The embedded default table.
    pub fn default_table() -> Self {
        Self::parse(DEFAULT_TOKEN_FREQ)
    }

    /// Parse the text form; malformed lines are skipped (the file is generated, not user input).
    pub fn parse(text: &str) -> Self {
        let mut tf = TermFrequencies::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# total ") {
                tf.total = rest.trim().parse().unwrap_or(0);
                continue;
            }
            if line.starts_with('#') {
                continue;
            }
            let mut it = line.split('\t');
            if let (Some(t), Some(c)) = (it.next(), it.next()) {
                if let Ok(c) = c.trim().parse::<u32>() {
                    *tf.counts.entry(t.to_string()).or_default() += c;
                }
            }
        }
        let listed: u64 = tf.counts.values().map(|&c| c as u64).sum();
        tf.total = tf.total.max(listed);
        tf.stamp = OnceLock::new();
        tf
    }

    /// Text form, most frequent first, keeping tokens seen at least `min_count` times.
    pub fn to_text(&self, min_count: u32) -> String {
        let mut v: Vec<(&String, &u32)> = self
            .counts
            .iter()
            .filter(|(_, &c)| c >= min_count)
            .collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let mut s = format!("# total {}\n", self.total);
        for (t, c) in v {
            s.push_str(t);
            s.push('\t');
            s.push_str(&c.to_string());
            s.push('\n');
        }
        s
    }

    /// Count one token occurrence.
    pub fn add(&mut self, token: &str) {
        *self.counts.entry(token.to_string()).or_default() += 1;
        self.total += 1;
        self.stamp = OnceLock::new();
    }

    /// Count every token of an analysed name (by its phonetic key, as the analyser looks it up).
    pub fn add_name(&mut self, n: &linkwatch_names::AnalyzedName) {
        for t in &n.tokens {
            if !t.key.is_empty() {
                self.add(&t.key);
            }
        }
    }

    /// The counts of every name of `ids` (e.g. a list's entries), counted in parallel: the
    /// same table as `add_name` over them one by one (counts add up in any order).
    pub fn of_identities<'a, I>(ids: I) -> TermFrequencies
    where
        I: rayon::iter::IntoParallelIterator<Item = &'a crate::Identity>,
    {
        use rayon::iter::ParallelIterator;
        ids.into_par_iter()
            .fold(TermFrequencies::new, |mut t, id| {
                for n in &id.names {
                    t.add_name(&n.analyzed);
                }
                t
            })
            .reduce(TermFrequencies::new, |mut a, b| {
                a.merge(&b);
                a
            })
    }

    /// Merge another table (e.g. counts from the list being screened).
    pub fn merge(&mut self, other: &TermFrequencies) {
        for (t, c) in &other.counts {
            *self.counts.entry(t.clone()).or_default() += c;
        }
        self.total += other.total;
        self.stamp = OnceLock::new();
    }

    pub fn count(&self, token: &str) -> u32 {
        self.counts.get(token).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

impl TokenWeights for TermFrequencies {
    fn frequency(&self, token: &str) -> f64 {
        if self.total == 0 {
            return 1e-5;
        }
        // Unseen tokens count as half an occurrence: rare, not infinitely so.
        let c = self.count(token) as f64;
        (c.max(0.5) / self.total as f64).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::TermFrequencies;
    use crate::Identity;
    use linkwatch_model::Sex;

    #[test]
    fn of_identities_equals_counting_one_by_one() {
        let names = [
            "Muhammad Karimov",
            "Мухаммад Каримов",
            "Abdul Rahman al-Hashimi",
            "Karimov, Muhammad",
            "Ali",
        ];
        let ids: Vec<Identity> = (0..3000)
            .map(|i| Identity::from_parts(names[i % names.len()], None, None, Sex::Unknown))
            .collect();
        let mut one_by_one = TermFrequencies::new();
        for id in &ids {
            for n in &id.names {
                one_by_one.add_name(&n.analyzed);
            }
        }
        let parallel = TermFrequencies::of_identities(&ids);
        assert!(parallel.total() > 0);
        assert_eq!(parallel.total(), one_by_one.total());
        assert_eq!(parallel.len(), one_by_one.len());
        assert_eq!(parallel.stamp(), one_by_one.stamp());
    }
}
