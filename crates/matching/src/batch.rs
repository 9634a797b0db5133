//! Bulk screening: many identities against one index, ordered for memory locality. A bulk run
//! sees the whole query set, which one query cannot: queries that share name parts read the
//! same posting lists and meet the same candidate records, so screening them one after the
//! other on the same core finds that memory in cache instead of in DRAM. [`BatchScreener`]
//! sorts the queries by a locality key ([`locality_key`]: the phonetic keys of their name
//! parts, most frequent first), splits the sorted order into contiguous runs that rayon's
//! workers take whole, screens each query with the ordinary [`Screener`] and returns the hits
//! in input order.
//!
//! **Invariant:** the hits of every query are exactly [`Screener::screen`]'s (same entries,
//! scores, explanations, order): only the order in which queries are screened changes, and
//! screening one query reads nothing another query wrote (tested in `tests/batch.rs`).
//!
//! Knows the screener and the term frequencies; knows nothing of files, encounters' JSON or
//! progress bars (the caller screens a chunk at a time and reports progress itself).

use crate::identity::Identity;
use crate::screen::{Hit, Screener};
use crate::tf::TermFrequencies;
use rayon::prelude::*;
use std::hash::Hash;

/// Queries per unit of parallel work: consecutive in the sorted order, screened by one worker
/// one after the other (large enough for neighbours to share cache, small enough for the two
/// workers to balance).
const RUN: usize = 64;

/// Locality key of a query: its first name's most frequent part (phonetic key, by `tf`; ties
/// by key), then its earliest birth year, then its next most frequent part. Queries sharing a
/// common part and a birth year meet the same candidates after the scan's birth-year bound
/// (namesakes born the same years), so screening them one after the other finds those
/// candidates' records in cache. Queries without names sort last. A function of the query and
/// `tf` only.
pub fn locality_key(q: &Identity, tf: &TermFrequencies) -> [u64; 3] {
    let Some(n) = q.names.first() else {
        return [u64::MAX; 3];
    };
    let mut parts: smallvec::SmallVec<[(u32, &str); 8]> = n
        .analyzed
        .tokens
        .iter()
        .filter(|t| !t.key.is_empty())
        .map(|t| (tf.count(&t.key), t.key.as_str()))
        .collect();
    parts.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let h = |s: Option<&(u32, &str)>| s.map_or(0, |(_, k)| linkwatch_names::hash_str(k));
    let year = q
        .dobs
        .iter()
        .map(|d| d.year_bounds().0 as i64 - i16::MIN as i64)
        .min()
        .unwrap_or(u16::MAX as i64 + 1) as u64;
    [h(parts.first()), year, h(parts.get(1))]
}

/// Screens a batch of queries in locality order with one [`Screener`] (threshold, prior
/// adjustment and bounds as the screener was built).
pub struct BatchScreener<'s, 'a, K> {
    screener: &'s Screener<'a, K>,
    tf: &'s TermFrequencies,
    /// Whether to reorder (default); off screens in input order, for benchmarks.
    reorder: bool,
}

impl<'s, 'a, K: Clone + Eq + Hash + Send + Sync> BatchScreener<'s, 'a, K> {
    /// `tf` orders name parts by frequency for the locality key (the scorer's table, list
    /// counts merged in, is the natural one; any table gives the same hits).
    pub fn new(screener: &'s Screener<'a, K>, tf: &'s TermFrequencies) -> Self {
        BatchScreener {
            screener,
            tf,
            reorder: true,
        }
    }

    /// Screen in input order (same hits; the benchmark's "before").
    pub fn in_input_order(mut self) -> Self {
        self.reorder = false;
        self
    }

    /// The order in which [`Self::screen`] screens `queries` (indices into `queries`).
    pub fn order(&self, queries: &[Identity]) -> Vec<u32> {
        let mut order: Vec<u32> = (0..queries.len() as u32).collect();
        if self.reorder {
            let keys: Vec<[u64; 3]> = queries
                .par_iter()
                .map(|q| locality_key(q, self.tf))
                .collect();
            order.par_sort_unstable_by_key(|&i| (keys[i as usize], i));
        }
        order
    }

    /// Screen every query; hits per query in input order, each exactly
    /// [`Screener::screen`]'s.
    pub fn screen(&self, queries: &[Identity]) -> Vec<Vec<Hit<K>>> {
        self.screen_with(queries, |_, _| {})
    }

    /// [`Self::screen`], calling `done(query index, hits)` on the worker as each query
    /// finishes (for progress and per-query accounting; called from several threads).
    pub fn screen_with(
        &self,
        queries: &[Identity],
        done: impl Fn(usize, &[Hit<K>]) + Sync,
    ) -> Vec<Vec<Hit<K>>> {
        let order = self.order(queries);
        let mut out: Vec<(u32, Vec<Hit<K>>)> = order
            .par_chunks(RUN)
            .flat_map_iter(|run| {
                run.iter()
                    .map(|&i| {
                        let hits = match queries.get(i as usize) {
                            Some(q) => self.screener.screen(q),
                            None => Vec::new(),
                        };
                        done(i as usize, &hits);
                        (i, hits)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        out.sort_unstable_by_key(|(i, _)| *i);
        out.into_iter().map(|(_, h)| h).collect()
    }
}
