//! Term frequencies of name parts: how common each token is among names (list entries, the
//! encounter population). Counted per phonetic key, so spelling variants pool. Serialises to a
//! small text format. Implements [`TokenWeights`]. No I/O: callers pass readers/writers.

use std::fmt::Write as _;
use std::io::{BufRead, Write};

use rustc_hash::FxHashMap;

use crate::{analyze, hash_str, PartRole, Token, TokenWeights};

/// Errors reading a term-frequency file.
#[derive(Debug, thiserror::Error)]
pub enum TfError {
    #[error("term frequencies line {line}: {msg}")]
    Parse { line: usize, msg: String },
    #[error("term frequencies: {0}")]
    Io(#[from] std::io::Error),
}

/// Document frequencies of name-part keys over a population of names.
#[derive(Debug, Clone, Default)]
pub struct TermFrequencies {
    /// Number of names counted.
    names: u64,
    counts: FxHashMap<u64, u32>,
    keys: FxHashMap<u64, String>,
}

const HEADER: &str = "# linkwatch-names term frequencies v1";

impl TermFrequencies {
    /// Empty table (every token unknown, hence rare).
    pub fn new() -> Self {
        Self::default()
    }

    /// Count the name parts of every name (each distinct key once per name).
    pub fn from_names<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut tf = Self::new();
        for n in names {
            tf.add_name(n.as_ref());
        }
        tf
    }

    /// Count one more name as written.
    pub fn add_name(&mut self, name: &str) {
        let a = analyze(name);
        self.add_tokens(&a.tokens);
    }

    /// Count one more (already analysed) name.
    pub fn add_tokens(&mut self, tokens: &[Token]) {
        self.names += 1;
        let mut seen: smallvec::SmallVec<[u64; 8]> = smallvec::SmallVec::new();
        for t in tokens {
            if t.role == PartRole::Particle || t.key.is_empty() || seen.contains(&t.key_hash) {
                continue;
            }
            seen.push(t.key_hash);
            *self.counts.entry(t.key_hash).or_insert(0) += 1;
            self.keys.entry(t.key_hash).or_insert_with(|| t.key.clone());
        }
    }

    /// Merge counts from another table.
    pub fn merge(&mut self, other: &TermFrequencies) {
        self.names += other.names;
        for (h, c) in &other.counts {
            *self.counts.entry(*h).or_insert(0) += c;
        }
        for (h, k) in &other.keys {
            self.keys.entry(*h).or_insert_with(|| k.clone());
        }
    }

    /// Number of names counted.
    pub fn names(&self) -> u64 {
        self.names
    }

    /// Number of names containing the key with this hash.
    pub fn count_hash(&self, key_hash: u64) -> u32 {
        self.counts.get(&key_hash).copied().unwrap_or(0)
    }

    /// Smoothed relative frequency `(count + 0.5) / (names + 1)`, clamped to `[1e-7, 1]`.
    pub fn frequency_hash(&self, key_hash: u64) -> f64 {
        let c = self.count_hash(key_hash) as f64;
        ((c + 0.5) / (self.names as f64 + 1.0)).clamp(1e-7, 1.0)
    }

    /// Write the table: a header line, `names\t<N>`, then `key\tcount` lines sorted by count.
    pub fn write_to<W: Write>(&self, mut w: W) -> Result<(), TfError> {
        let mut rows: Vec<(&String, u32)> = self
            .keys
            .iter()
            .map(|(h, k)| (k, self.count_hash(*h)))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut s = String::new();
        let _ = writeln!(s, "{HEADER}");
        let _ = writeln!(s, "names\t{}", self.names);
        for (k, c) in rows {
            let _ = writeln!(s, "{k}\t{c}");
        }
        w.write_all(s.as_bytes())?;
        Ok(())
    }

    /// Read a table written by [`TermFrequencies::write_to`].
    pub fn read_from<R: BufRead>(r: R) -> Result<Self, TfError> {
        let mut tf = Self::new();
        for (i, line) in r.lines().enumerate() {
            let line = line?;
            let lineno = i + 1;
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (k, v) = line.split_once('\t').ok_or_else(|| TfError::Parse {
                line: lineno,
                msg: "expected `key<TAB>count`".into(),
            })?;
            let n: u64 = v.trim().parse().map_err(|_| TfError::Parse {
                line: lineno,
                msg: format!("count {v:?} is not a number"),
            })?;
            if k == "names" {
                tf.names = n;
                continue;
            }
            let h = hash_str(k);
            tf.counts.insert(h, n.min(u32::MAX as u64) as u32);
            tf.keys.insert(h, k.to_string());
        }
        Ok(tf)
    }
}

impl TokenWeights for TermFrequencies {
    fn frequency(&self, token: &str) -> f64 {
        self.frequency_hash(hash_str(token))
    }

    fn token_frequency(&self, token: &Token) -> f64 {
        self.frequency_hash(token.key_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_round_trip() {
        let tf = TermFrequencies::from_names([
            "Muhammad Karimov",
            "Mohammed Aliyev",
            "Muhammad Rare-Surname",
            "Zarina Karimova",
        ]);
        assert_eq!(tf.names(), 4);
        let m = analyze("Mukhammad");
        let r = analyze("Surname");
        assert!(tf.token_frequency(&m.tokens[0]) > tf.token_frequency(&r.tokens[0]));
        let mut buf = Vec::new();
        tf.write_to(&mut buf).expect("write");
        let back = TermFrequencies::read_from(&buf[..]).expect("read");
        assert_eq!(back.names(), 4);
        assert_eq!(
            back.token_frequency(&m.tokens[0]),
            tf.token_frequency(&m.tokens[0])
        );
        assert!(TermFrequencies::read_from(&b"x\ty\n"[..]).is_err());
    }
}
