//! Screening: one identity (or many, in parallel with rayon) against a [`CandidateIndex`]: the
//! index proposes candidates, an admissible bound ([`crate::bound`]) drops those that cannot
//! reach the threshold or carry no identity evidence, the scorer's fast path scores the rest, and
//! the hits at or above the threshold are explained and ranked by probability — exactly the hits
//! of scoring every candidate ([`screen_one_unpruned`]).
//!
//! Knows the index and the scorer; knows nothing of files, lists or progress bars.

use crate::bound::{Bounds, CompactMemo, ExactMemo, NameMemo, QueryNames, SlotInfo};
use crate::identity::Identity;
use crate::index::{CandidateIndex, Scratch};
use crate::score::{Context, Explanation, Outcome, Scorer};
use rayon::prelude::*;
use std::hash::Hash;

/// One hit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit<K> {
    pub key: K,
    pub probability: f64,
    pub log2_odds: f64,
    pub explanation: Explanation,
}

/// Screening options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenOptions {
    /// Minimum calibrated probability of a hit.
    pub threshold: f64,
    /// At most this many hits per query (best first); 0 = unlimited.
    pub max_hits: usize,
    pub context: Context,
    /// Added to the prior (log2 odds, ≤ 0) for the size of the list screened against: see
    /// [`list_size_prior_adjust`]. 0 leaves the model's screening prior as it is.
    pub prior_adjust: f64,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions {
            threshold: 0.5,
            max_hits: 20,
            context: Context::Screening,
            prior_adjust: 0.0,
        }
    }
}

/// Number of person entries the model's screening prior was set for (OFAC SDN + UN individuals,
/// about 11,000 when the model was estimated).
pub const REFERENCE_LIST_SIZE: f64 = 12_000.0;

/// Prior adjustment (log2 odds) for screening against `entries` records. The chance that an
/// encounter is one particular entry falls with the number of entries (the chance that it is
/// someone on the list does not grow with the list), so every doubling of the list beyond the
/// reference size takes one bit off the prior. Smaller lists keep the model's prior: the
/// adjustment never makes a hit easier.
pub fn list_size_prior_adjust(entries: usize) -> f64 {
    -(entries as f64 / REFERENCE_LIST_SIZE).log2().max(0.0)
}

/// Whether a pair carries evidence tied to the identity itself: agreeing names (positive name
/// weight), or an agreeing document, biometric identifier or contact. Dates of birth, sex and
/// nationality support such evidence but never make a hit on their own: thousands of people
/// share any date of birth, and a group attribute is never a reason to stop a person. Names count
/// only when at least one name part agrees exactly, by equivalence, phonetically or (across
/// scripts) on its consonant skeleton: fuzzy spelling likeness or initials alone are too common
/// among millions of entries to tie a name to a person. A document counts only when its number
/// is the same: a number one edit away is weighed (it supports agreeing names, e.g. a typo), but
/// against a million entries one-edit neighbours of different people are expected
/// (`train::one_edit_rates`), so it never makes a hit without other identity evidence.
pub fn has_identity_evidence(o: &Outcome) -> bool {
    o.name
        .is_some_and(|n| n.bits > 0.0 && (n.features.strong > 0 || n.features.skeleton > 0.0))
        || o.document.is_some_and(|d| d.level == "exact")
        || o.biometric.is_some_and(|b| b.level == "same")
        || o.contact.is_some_and(|c| c.level == "same")
}

/// Log2 odds at which the probability reaches `p`.
pub fn log2_odds_threshold(_scorer: &Scorer, p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).log2()
}

/// What one screening call did (for benchmarks and the one-query CLI).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScreenStats {
    /// Keys of the query, and those skipped as too frequent.
    pub keys: usize,
    pub keys_skipped: usize,
    /// Postings read from the lists within the caps (a slot counts once per list).
    pub postings: usize,
    /// Postings of lists within the caps left unread: their birth years are outside the
    /// query's window ([`crate::bound::QueryBound::year_windows`]), so they cannot be hits
    /// (a slot none of whose postings is read is not counted as a candidate).
    pub year_skipped: usize,
    /// Distinct candidates the document-free coarse bound dropped while scanning (from the
    /// summary stored in each posting); also counted in `pruned_by_bound`.
    pub pruned_in_scan: usize,
    /// Distinct candidates the index returned.
    pub candidates: usize,
    /// Candidates whose score bound (coarse or exact) fell below the threshold (never scored).
    pub pruned_by_bound: usize,
    /// Candidates that could carry no identity evidence (never scored).
    pub pruned_by_evidence: usize,
    /// Candidates whose name bound (from what their tokens can align) fell short (never scored).
    pub pruned_by_name: usize,
    /// Pair name bounds answered from the per-query memo (a namesake's name seen before).
    pub name_memo_hits: usize,
    /// Candidates past the name bound whose exact name term (the scorer's, per candidate name,
    /// [`Bounds::exact_name_memo`]) fell short (never scored).
    pub pruned_by_exact_name: usize,
    /// Exact name terms computed (distinct candidate names), and answered from the memo.
    pub exact_names: usize,
    pub exact_name_memo_hits: usize,
    /// Candidates never scored because `max_hits` better hits were already in hand (their
    /// bound below the lowest of those scores).
    pub pruned_by_rank: usize,
    /// Candidates fully scored.
    pub scored: usize,
    /// Hits returned.
    pub hits: usize,
}

impl std::ops::AddAssign for ScreenStats {
    fn add_assign(&mut self, o: ScreenStats) {
        self.keys += o.keys;
        self.keys_skipped += o.keys_skipped;
        self.postings += o.postings;
        self.year_skipped += o.year_skipped;
        self.pruned_in_scan += o.pruned_in_scan;
        self.candidates += o.candidates;
        self.pruned_by_bound += o.pruned_by_bound;
        self.pruned_by_evidence += o.pruned_by_evidence;
        self.pruned_by_name += o.pruned_by_name;
        self.name_memo_hits += o.name_memo_hits;
        self.pruned_by_exact_name += o.pruned_by_exact_name;
        self.exact_names += o.exact_names;
        self.exact_name_memo_hits += o.exact_name_memo_hits;
        self.pruned_by_rank += o.pruned_by_rank;
        self.scored += o.scored;
        self.hits += o.hits;
    }
}

/// Screens queries against one index with one scorer: the model's bounds are resolved once,
/// and each thread reuses its candidate scratch, so a query allocates only for its hits.
///
/// Threshold-aware: a candidate is fully scored only when its admissible score bound
/// ([`crate::bound`]: prior + the largest possible name bits + the exact or bounded non-name
/// evidence, from the index's compact per-slot summaries) reaches the threshold and it can
/// carry identity evidence ([`bound::name_evidence_possible`] or an identifier). Both tests
/// only drop candidates that the full scorer would reject, so the hits are exactly those of
/// scoring every candidate ([`screen_one_unpruned`]; tested).
pub struct Screener<'a, K> {
    index: &'a CandidateIndex<K>,
    scorer: &'a Scorer,
    bounds: Bounds,
    opts: ScreenOptions,
    /// Whether the pair name bound is memoised per query by candidate name (default; off
    /// changes only the speed, never the hits — for benchmarks).
    memo: bool,
    /// Whether candidates' summaries and names are read a few candidates ahead of their tests
    /// (default; off changes only the speed — for benchmarks).
    read_ahead: bool,
    /// Whether the pair name bound comes from the index's interned names and tokens
    /// ([`Bounds::name_bound_ids`], default) rather than from each candidate's analysed names
    /// (session 4's path; same values — for benchmarks).
    compact: bool,
    /// Whether candidates past the name bound are tested on their exact name term before full
    /// scoring (default; off changes only the speed — for benchmarks).
    exact: bool,
    /// Whether posting lists are read only within the query's birth-year window (default;
    /// off changes only the speed and the candidate count, never the hits — for benchmarks).
    year_window: bool,
}

/// How far ahead (in candidates) each read-ahead stage runs ([`CandidateIndex::read_ahead`]).
const AHEAD: [usize; 3] = [8, 4, 2];

/// How far ahead the compact name bound's read-ahead runs: the slot's name ids (stage 4), then
/// the names' compact words (stage 5).
const AHEAD_COMPACT: [usize; 2] = [6, 3];

/// Pair name bounds computed directly per query before the memo takes over.
const MEMO_AFTER: usize = 32;

/// Per-thread scratch: candidates, name-bound memos, candidates past the non-name bound.
type ThreadScratch = (
    Scratch,
    (NameMemo, CompactMemo, ExactMemo),
    Vec<(u32, crate::bound::PairBound)>,
);

thread_local! {
    static SCRATCH: std::cell::RefCell<ThreadScratch> = std::cell::RefCell::new(Default::default());
}

impl<'a, K: Clone + Eq + Hash> Screener<'a, K> {
    pub fn new(index: &'a CandidateIndex<K>, scorer: &'a Scorer, opts: &ScreenOptions) -> Self {
        Screener {
            index,
            scorer,
            bounds: Bounds::new(scorer),
            opts: *opts,
            memo: true,
            read_ahead: true,
            compact: true,
            exact: true,
            year_window: true,
        }
    }

    /// Read every posting of the lists within the caps, whatever the query's birth-year window:
    /// same hits, for benchmarks.
    pub fn without_year_window(mut self) -> Self {
        self.year_window = false;
        self
    }

    /// Fully score every candidate past the name bound, without first testing its exact name
    /// term: same hits, for benchmarks.
    pub fn without_exact_names(mut self) -> Self {
        self.exact = false;
        self
    }

    /// Bound candidates' names from their analysed names (session 4's path: the pair bound
    /// with a per-query memo by name text) instead of the index's interned names: same hits
    /// and statistics, for benchmarks.
    pub fn with_analysed_names(mut self) -> Self {
        self.compact = false;
        self
    }

    /// Test candidates without reading their summaries and names ahead: same hits, for
    /// benchmarks.
    pub fn without_read_ahead(mut self) -> Self {
        self.read_ahead = false;
        self
    }

    /// Compute the pair name bound afresh for every candidate from its analysed names (no
    /// per-query memo by candidate name, no interned names): same hits, for benchmarks.
    pub fn without_name_memo(mut self) -> Self {
        self.memo = false;
        self.compact = false;
        self
    }

    /// Screen one identity.
    pub fn screen(&self, query: &Identity) -> Vec<Hit<K>> {
        self.screen_with_stats(query).0
    }

    /// Screen one identity, with what it took.
    pub fn screen_with_stats(&self, query: &Identity) -> (Vec<Hit<K>>, ScreenStats) {
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut s) => {
                let (scratch, memo, past) = &mut *s;
                self.run(query, scratch, memo, past)
            }
            // Re-entrant use on one thread (never in this crate): a fresh scratch.
            Err(_) => self.run(
                query,
                &mut Scratch::default(),
                &mut Default::default(),
                &mut Vec::new(),
            ),
        })
    }

    fn run(
        &self,
        query: &Identity,
        scratch: &mut Scratch,
        (memo, cmemo, ememo): &mut (NameMemo, CompactMemo, ExactMemo),
        past: &mut Vec<(u32, crate::bound::PairBound)>,
    ) -> (Vec<Hit<K>>, ScreenStats) {
        memo.clear();
        cmemo.clear();
        ememo.clear();
        // The query's names for the compact name bound (None: too many tokens, or the
        // analysed-names path was asked for).
        let qn = if self.compact {
            QueryNames::new(query)
        } else {
            None
        };
        let opts = &self.opts;
        let (index, scorer) = (self.index, self.scorer);
        // A hair below the exact inverse so rounding never drops a hit at the threshold.
        let min_l = log2_odds_threshold(scorer, opts.threshold) - 1e-9;
        let qb = self
            .bounds
            .query(query, opts.context, opts.prior_adjust, min_l);
        // First, coarse bound while scanning the postings (8 bytes stored in each posting, read
        // sequentially). `coarse` is monotone in the document flag, as the scan requires.
        // Of the lists ordered by birth year, only the years whose coarse bound can reach the
        // threshold (a proof per query: `QueryBound::year_windows`).
        let windows = if self.year_window {
            qb.year_windows()
        } else {
            [None, None]
        };
        let qs =
            index.candidates_windowed(query, scratch, windows, |p, doc| qb.coarse(p, doc) >= min_l);
        let mut st = ScreenStats {
            keys: qs.keys,
            keys_skipped: qs.stop_keys_skipped,
            postings: qs.postings,
            year_skipped: qs.year_skipped,
            pruned_in_scan: qs.filtered_postings,
            candidates: qs.candidates,
            pruned_by_bound: qs.candidates - scratch.cands.len(),
            ..Default::default()
        };
        let qi = SlotInfo::of(query);
        let base = qb.base;
        let mut name_calls = 0usize;
        let mut scored: Vec<(u32, f64, crate::score::Outcome)> = Vec::new();
        // Second, the exact non-name bound from the slot's summary, for every candidate; those
        // that pass go on to the name tests (two passes, so the second can read ahead the
        // names of the candidates it will test, and only theirs).
        past.clear();
        let ra = self.read_ahead;
        // Candidates past the name tests: (bound of the total, slot).
        let mut survivors: Vec<(f64, u32)> = Vec::new();
        let stage0 = if qn.is_some() { 3 } else { 0 };
        for (i, &slot) in scratch.cands.iter().enumerate() {
            if ra {
                if let Some(&n) = scratch.cands.get(i + AHEAD[0]) {
                    index.read_ahead(n, stage0);
                }
            }
            let Some(info) = index.info(slot) else {
                continue;
            };
            let contact = if scratch.shares_contact(slot) {
                Some(true)
            } else if scratch.contact_complete {
                Some(false)
            } else {
                None
            };
            let nb = self.bounds.non_name(
                query,
                &qi,
                info,
                || index.slot(slot).map(|r| r.1),
                contact,
                scratch.may_share_document(slot),
            );
            if base + nb.log2_odds < min_l {
                st.pruned_by_bound += 1;
                continue;
            }
            past.push((slot, nb));
        }
        for i in 0..past.len() {
            let (slot, nb) = past[i];
            // Third, the name bound of this pair from what its tokens can align.
            let (name_ub, name_evidence) = if let Some(qn) = &qn {
                // From the index's interned names: memoised per query by token and by name
                // (namesakes are one look-up), without reading the candidate's identity.
                if ra {
                    for (stage, d) in AHEAD_COMPACT.iter().enumerate() {
                        if let Some(&(n, _)) = past.get(i + d) {
                            index.read_ahead(n, 4 + stage as u8);
                        }
                    }
                }
                self.bounds.name_bound_ids(
                    qn,
                    query,
                    index.name_ids(slot),
                    cmemo,
                    |n| index.name_words(n),
                    |t| index.token(t),
                )
            } else {
                if ra {
                    for (stage, d) in AHEAD.iter().enumerate() {
                        if let Some(&(n, _)) = past.get(i + d) {
                            index.read_ahead(n, stage as u8);
                        }
                    }
                }
                let Some((_, id)) = index.slot(slot) else {
                    continue;
                };
                // Memoised by candidate name once a query has reached this test often
                // (common names: namesakes share the computation); the first few go straight
                // through, so cheap queries pay nothing for the memo.
                name_calls += 1;
                if self.memo && name_calls > MEMO_AFTER {
                    self.bounds.name_bound_memo(query, id, memo)
                } else {
                    self.bounds.name_bound(query, id)
                }
            };
            if !nb.identifier_evidence && !name_evidence {
                st.pruned_by_evidence += 1;
                continue;
            }
            let mut ub = base - qb.name_max + name_ub.max(0.0) + nb.log2_odds;
            if ub < min_l {
                st.pruned_by_name += 1;
                continue;
            }
            // Fourth, the exact name term, per candidate name (memoised by name), of the names
            // whose pair bound still reaches the bits the candidate needs: the scorer's name
            // term is the largest of them (names left out are below `need`), so this drops only
            // candidates that cannot be hits. Needs the per-name pair bounds (compact path).
            if self.exact && !query.names.is_empty() {
                let Some((_, id)) = index.slot(slot) else {
                    continue;
                };
                if !id.names.is_empty() {
                    let need = min_l - (base - qb.name_max + nb.log2_odds);
                    let nids = index.name_ids(slot);
                    let (mut best, mut evidence) = (f64::NEG_INFINITY, false);
                    for (j, n) in id.names.iter().enumerate() {
                        let cb = nids
                            .get(j)
                            .and_then(|&x| cmemo.name(x))
                            .filter(|_| self.bounds.per_name_bounds())
                            .map_or(f64::INFINITY, |b| b.0);
                        if cb < need {
                            continue;
                        }
                        let (bits, e) = self.bounds.exact_name_memo(
                            query,
                            scorer.tf(),
                            slot,
                            j as u32,
                            n,
                            ememo,
                            |s, k| index.slot(s).and_then(|r| r.1.names.get(k as usize)),
                        );
                        best = best.max(bits);
                        // Only a name that can win (bits at least `need`) gives the winner's
                        // evidence.
                        evidence |= e && bits >= need;
                    }
                    if best < need || !(evidence || nb.identifier_evidence) {
                        st.pruned_by_exact_name += 1;
                        continue;
                    }
                    // `best` is the scorer's name term (every name left out is below it).
                    ub = base - qb.name_max + best + nb.log2_odds;
                }
            }
            survivors.push((ub, slot));
        }
        // Fourth, full scoring. With a cap on hits, best bound first (MaxScore top-k): once
        // `max_hits` hits are in hand, a candidate whose bound is below the smallest of their
        // scores cannot enter the ranking (its score is at most its bound; ties are ranked by
        // slot, and a strictly lower score never displaces), and neither can any after it.
        let k = opts.max_hits;
        if k > 0 && survivors.len() > k {
            survivors.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        let mut top: Vec<f64> = Vec::new();
        for i in 0..survivors.len() {
            let (ub, slot) = survivors[i];
            if k > 0 && top.len() == k && ub < min_of(&top) {
                st.pruned_by_rank += survivors.len() - i;
                break;
            }
            if ra {
                for (stage, d) in AHEAD.iter().enumerate() {
                    if let Some(&(_, n)) = survivors.get(i + d) {
                        index.read_ahead(n, stage as u8);
                    }
                }
            }
            let Some((_, id)) = index.slot(slot) else {
                continue;
            };
            st.scored += 1;
            let o = scorer.outcome(query, id);
            if !has_identity_evidence(&o) {
                continue;
            }
            let l = scorer.log2_odds_of(&o, opts.context) + opts.prior_adjust;
            if l >= min_l {
                scored.push((slot, l, o));
                if k > 0 {
                    if top.len() < k {
                        top.push(l);
                    } else if let Some(m) = top.iter_mut().min_by(|a, b| a.total_cmp(b)) {
                        if l > *m {
                            *m = l;
                        }
                    }
                }
            }
        }
        let hits = finish(index, scorer, query, opts, scored);
        st.hits = hits.len();
        st.name_memo_hits = memo.hits + cmemo.hits;
        st.exact_names = ememo.computed;
        st.exact_name_memo_hits = ememo.hits;
        (hits, st)
    }
}

fn min_of(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

/// Rank (best first, ties by slot as the unpruned path's slot order gives), cut at `max_hits`
/// and explain.
fn finish<K: Clone + Eq + Hash>(
    index: &CandidateIndex<K>,
    scorer: &Scorer,
    query: &Identity,
    opts: &ScreenOptions,
    mut scored: Vec<(u32, f64, crate::score::Outcome)>,
) -> Vec<Hit<K>> {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    if opts.max_hits > 0 {
        scored.truncate(opts.max_hits);
    }
    scored
        .into_iter()
        .filter_map(|(slot, _, o)| {
            let (k, id) = index.slot(slot)?;
            let mut s = scorer.explain(query, id, &o, opts.context);
            if opts.prior_adjust != 0.0 {
                s.explanation.prior += opts.prior_adjust;
                s.explanation.log2_odds += opts.prior_adjust;
                s.log2_odds = s.explanation.log2_odds;
                s.probability = scorer.model().probability(s.log2_odds);
                s.explanation.probability = s.probability;
            }
            (s.probability >= opts.threshold).then(|| Hit {
                key: k.clone(),
                probability: s.probability,
                log2_odds: s.log2_odds,
                explanation: s.explanation,
            })
        })
        .collect()
}

/// Screen one identity (threshold-aware; see [`Screener`], which also saves resolving the
/// model's bounds per call when screening many).
pub fn screen_one<K: Clone + Eq + Hash>(
    index: &CandidateIndex<K>,
    scorer: &Scorer,
    query: &Identity,
    opts: &ScreenOptions,
) -> Vec<Hit<K>> {
    Screener::new(index, scorer, opts).screen(query)
}

/// Screen one identity by fully scoring every candidate the index returns (no bound): the
/// reference the threshold-aware path must equal.
pub fn screen_one_unpruned<K: Clone + Eq + Hash>(
    index: &CandidateIndex<K>,
    scorer: &Scorer,
    query: &Identity,
    opts: &ScreenOptions,
) -> Vec<Hit<K>> {
    let min_l = log2_odds_threshold(scorer, opts.threshold) - 1e-9;
    let (cands, _) = index.candidates(query);
    let mut scored: Vec<(u32, f64, crate::score::Outcome)> = Vec::new();
    for slot in cands {
        let Some((_, id)) = index.slot(slot) else {
            continue;
        };
        let o = scorer.outcome(query, id);
        if !has_identity_evidence(&o) {
            continue;
        }
        let l = scorer.log2_odds_of(&o, opts.context) + opts.prior_adjust;
        if l >= min_l {
            scored.push((slot, l, o));
        }
    }
    finish(index, scorer, query, opts, scored)
}

/// Screen many identities in parallel (rayon; one scratch per thread); results in input order.
pub fn screen_many<K: Clone + Eq + Hash + Send + Sync>(
    index: &CandidateIndex<K>,
    scorer: &Scorer,
    queries: &[Identity],
    opts: &ScreenOptions,
) -> Vec<Vec<Hit<K>>> {
    let s = Screener::new(index, scorer, opts);
    queries.par_iter().map(|q| s.screen(q)).collect()
}

/// Exhaustive screening (every record scored): the reference the index's recall is measured
/// against.
pub fn screen_exhaustive<K: Clone + Eq + Hash>(
    index: &CandidateIndex<K>,
    scorer: &Scorer,
    query: &Identity,
    opts: &ScreenOptions,
) -> Vec<K> {
    let min_l = log2_odds_threshold(scorer, opts.threshold) - 1e-9;
    index
        .iter()
        .filter(|(_, id)| {
            let o = scorer.outcome(query, id);
            has_identity_evidence(&o)
                && scorer.log2_odds_of(&o, opts.context) + opts.prior_adjust >= min_l
        })
        .map(|(k, _)| k.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use linkwatch_model::{PartialDate, Sex};

    /// A scorer, an index holding one listed identity, and a query sharing its date of birth.
    fn one_listed(
        listed: &str,
        query: &str,
        dob: &str,
    ) -> (Scorer, CandidateIndex<String>, Identity) {
        let dob = PartialDate::parse(dob).ok();
        let mut ix: CandidateIndex<String> = CandidateIndex::default();
        ix.insert(
            "listed".into(),
            Identity::from_parts(listed, dob, None, Sex::Male),
        );
        (
            Scorer::default(),
            ix,
            Identity::from_parts(query, dob, None, Sex::Male),
        )
    }

    #[test]
    fn threshold_inverse() {
        let s = Scorer::default();
        for p in [0.1, 0.5, 0.9] {
            let l = log2_odds_threshold(&s, p);
            assert!((s.model().probability(l) - p).abs() < 1e-9);
        }
    }

    #[test]
    fn screens_and_explains() {
        let s = Scorer::default();
        let mut ix: CandidateIndex<String> = CandidateIndex::default();
        let dob = PartialDate::parse("1981-03-07").ok();
        ix.insert(
            "e1".into(),
            Identity::from_parts("KARIMOV, Abdulla Rustamovich", dob, None, Sex::Male),
        );
        ix.insert(
            "e2".into(),
            Identity::from_parts("Olga Petrova", None, None, Sex::Female),
        );
        let q = Identity::from_parts("Abdulla Karimov", dob, None, Sex::Male);
        let hits = screen_one(&ix, &s, &q, &ScreenOptions::default());
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].key, "e1");
        assert!((hits[0].explanation.sum() - hits[0].log2_odds).abs() < 1e-9);
        let all = screen_many(&ix, &s, &[q.clone(), q], &ScreenOptions::default());
        assert_eq!(all.len(), 2);
    }

    #[test]
    fn date_of_birth_alone_never_makes_a_hit() {
        let (s, ix, q) = one_listed(
            "MOTTA DOMINGUEZ, Luis Alfredo",
            "Tyler Thomas Jones",
            "1958-07-02",
        );
        let opts = ScreenOptions {
            threshold: 0.01,
            ..Default::default()
        };
        assert!(screen_one(&ix, &s, &q, &opts).is_empty());
        assert!(screen_exhaustive(&ix, &s, &q, &opts).is_empty());
    }

    #[test]
    fn larger_lists_lower_the_prior_and_the_explanation_says_so() {
        assert_eq!(list_size_prior_adjust(100), 0.0);
        assert_eq!(list_size_prior_adjust(REFERENCE_LIST_SIZE as usize), 0.0);
        assert!((list_size_prior_adjust(4 * REFERENCE_LIST_SIZE as usize) + 2.0).abs() < 1e-12);
        let (s, ix, q) = one_listed(
            "KARIMOV, Abdulla Rustamovich",
            "Abdulla Karimov",
            "1981-03-07",
        );
        let opts = ScreenOptions {
            threshold: 0.0,
            ..Default::default()
        };
        let base = screen_one(&ix, &s, &q, &opts);
        let adjusted = screen_one(
            &ix,
            &s,
            &q,
            &ScreenOptions {
                prior_adjust: -3.0,
                ..opts
            },
        );
        assert_eq!(base.len(), 1);
        assert_eq!(adjusted.len(), 1);
        assert!((adjusted[0].log2_odds - (base[0].log2_odds - 3.0)).abs() < 1e-9);
        assert!(adjusted[0].probability < base[0].probability);
        assert!((adjusted[0].explanation.sum() - adjusted[0].log2_odds).abs() < 1e-9);
    }

    #[test]
    fn fuzzy_likeness_alone_is_not_identity_evidence() {
        let (s, ix, q) = one_listed("CANALES CARMONA, Jordan", "Juan Bonilla", "1975-05-05");
        let opts = ScreenOptions {
            threshold: 0.01,
            ..Default::default()
        };
        assert!(screen_exhaustive(&ix, &s, &q, &opts).is_empty());
    }

    #[test]
    fn a_one_edit_document_alone_is_not_identity_evidence() {
        use linkwatch_model::DocumentKind;
        let dob = PartialDate::parse("1975-05-05").ok();
        let with_doc = |name: &str, num: &str| {
            let mut id = Identity::from_parts(name, dob, None, Sex::Male);
            id.documents.push((DocumentKind::Passport, num.into()));
            id
        };
        let s = Scorer::default();
        let opts = ScreenOptions {
            threshold: 0.01,
            ..Default::default()
        };
        let mut ix: CandidateIndex<String> = CandidateIndex::default();
        ix.insert(
            "listed".into(),
            with_doc("CANALES CARMONA, Jordan", "AB1234567"),
        );
        // Names with nothing in common: a number one edit away is weighed, but is no hit...
        let typo = with_doc("Tyler Thomas Jones", "AB1234568");
        let o = s.outcome(&typo, ix.get(&"listed".to_string()).unwrap());
        assert!(o.document.is_some_and(|d| d.level == "one_edit"));
        assert!(!has_identity_evidence(&o));
        assert!(screen_exhaustive(&ix, &s, &typo, &opts).is_empty());
        assert!(screen_one(&ix, &s, &typo, &opts).is_empty());
        // ... while the same number is identity evidence on its own.
        let same = with_doc("Tyler Thomas Jones", "AB1234567");
        let o = s.outcome(&same, ix.get(&"listed".to_string()).unwrap());
        assert!(has_identity_evidence(&o));
    }
}
