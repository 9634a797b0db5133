//! Admissible upper bounds on a candidate's screening score, for threshold-aware retrieval
//! (MaxScore/WAND style): screening fully scores only the candidates whose bound reaches the
//! threshold, and skips the rest — with exactly the same hits as scoring every candidate.
//!
//! The bound of a pair (query `q`, candidate `c`) is
//!
//! ```text
//!   prior + name_max(q) + Σ_{dob, nationality, place of birth, sex, document, biometric, contact} ub_f(q, c)
//! ```
//!
//! and a second, independent test says whether the pair can carry identity evidence at all
//! ([`crate::screen::has_identity_evidence`]: a strongly agreeing or skeleton-agreeing name part,
//! or an agreeing identifier). Invariants (each proved at its function, tested in
//! `tests/bound.rs` and the unit tests below):
//!
//! 1. `name_max(q)` ≥ the name bits of *any* pair: it is the calibrated maximum over every level
//!    of the model's name tables, the largest term-frequency and similarity adjustment and the
//!    weak-alias penalty's best case. It depends on the model only (and on the query's token
//!    count for a non-zero `tf_gamma`), never on which keys matched: names that agree fuzzily
//!    without sharing any key are covered.
//! 2. `ub_f(q, c)` ≥ the weight the scorer gives feature `f` (0 when the feature is absent): exact
//!    for sex, nationality (≤ 3 values per side), date of birth (≤ 2 specs per side), biometric id
//!    and documents (computed by the scorer's own feature function); the maximum of the feature's
//!    possible levels otherwise (more values than the compact slot holds, place of birth when the
//!    token blooms intersect, a contact whose key posting was not read).
//! 3. [`name_evidence_possible`] is false only when no token of any query name can agree with a
//!    token of any candidate name exactly, by equivalence, phonetically or on a skeleton, and no
//!    segmentation join can align: a superset of the analyser's conditions for those kinds
//!    (`linkwatch_names::compare`), so `false` implies `features.strong == 0 && skeleton == 0`.
//!
//! Summaries of the candidate side live in [`SlotInfo`], one compact record per index slot
//! (contiguous, one cache line), so the bound of a candidate costs one memory access.
//!
//! Knows identities, the model's weights and the analyser's token fields; knows nothing of
//! postings, files or threads.

use crate::features::{self, NameTables};
use crate::identity::{IdName, Identity};
use crate::score::{Context, FieldWeights, Scorer};
use linkwatch_model::{Country, DateSpec, NameQuality, Sex};
use linkwatch_names::PartRole;

/// Slot flags.
const HAS_DOCS: u8 = 1;
const HAS_PHONES: u8 = 2;
const HAS_EMAILS: u8 = 4;
const DOB_MORE: u8 = 8;
const NAT_MORE: u8 = 16;
const HAS_POB: u8 = 32;

/// Compact summary of one identity's non-name attributes (what the bound reads per candidate).
#[derive(Debug, Clone, PartialEq)]
pub struct SlotInfo {
    /// Up to two date-of-birth specs (`n_dob` of them; `DOB_MORE` when there are more).
    dobs: [Option<DateSpec>; 2],
    /// Up to three nationalities (`n_nat`; `NAT_MORE` when there are more).
    nats: [[u8; 2]; 3],
    /// One bit per token (hash mod 64) of every place of birth.
    pob_bloom: u64,
    /// FNV hash of the fingerprint id, 0 when none.
    bio: u64,
    n_dob: u8,
    n_nat: u8,
    flags: u8,
    sex: Sex,
}

impl Default for SlotInfo {
    fn default() -> Self {
        SlotInfo {
            dobs: [None, None],
            nats: [[0; 2]; 3],
            pob_bloom: 0,
            bio: 0,
            n_dob: 0,
            n_nat: 0,
            flags: 0,
            sex: Sex::Unknown,
        }
    }
}

fn code(c: &Country) -> [u8; 2] {
    let b = c.as_str().as_bytes();
    [
        b.first().copied().unwrap_or(0),
        b.get(1).copied().unwrap_or(0),
    ]
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h | 1
}

/// Bloom of the space-separated tokens of places of birth (the empty string is a token too, so
/// two equal strings always intersect).
fn pob_bloom(places: &[String]) -> u64 {
    let mut m = 0u64;
    for p in places {
        for t in p.split(' ') {
            m |= 1 << (fnv(t.as_bytes()) % 64);
        }
    }
    m
}

impl SlotInfo {
    /// Summarise an identity.
    pub fn of(id: &Identity) -> SlotInfo {
        let mut s = SlotInfo {
            sex: id.sex,
            ..Default::default()
        };
        for (k, d) in id.dobs.iter().enumerate() {
            if k < 2 {
                s.dobs[k] = Some(d.clone());
                s.n_dob += 1;
            } else {
                s.flags |= DOB_MORE;
            }
        }
        for (k, c) in id.nationalities.iter().enumerate() {
            if k < 3 {
                s.nats[k] = code(c);
                s.n_nat += 1;
            } else {
                s.flags |= NAT_MORE;
            }
        }
        if !id.places_of_birth.is_empty() {
            s.flags |= HAS_POB;
            s.pob_bloom = pob_bloom(&id.places_of_birth);
        }
        if let Some(f) = &id.fingerprint_id {
            s.bio = fnv(f.as_bytes());
        }
        if !id.documents.is_empty() {
            s.flags |= HAS_DOCS;
        }
        if !id.phones.is_empty() {
            s.flags |= HAS_PHONES;
        }
        if !id.emails.is_empty() {
            s.flags |= HAS_EMAILS;
        }
        s
    }

    /// Whether the identity holds a document number.
    pub fn has_documents(&self) -> bool {
        self.flags & HAS_DOCS != 0
    }
}

/// Eight bytes per slot, for the first, coarse bound read while scanning postings (one small
/// contiguous array, so the scan stays in cache): birth-year hull, nationality bloom, sex, a
/// fingerprint byte and presence flags. [`QueryBound::coarse`] is admissible on its own: every
/// feature's term is the largest weight of the levels the summary leaves possible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Packed(pub u64);

const P_DOB: u64 = 1 << 40;
const P_DOB_WIDE: u64 = 1 << 41;
const P_DOCS: u64 = 1 << 42;
const P_CONTACT: u64 = 1 << 43;
const P_POB: u64 = 1 << 44;
const P_BIO: u64 = 1 << 45;
/// The identity has exactly one date of birth, a plain (not approximate) date: its year is the
/// hull (`lo == hi`), its month and day are in bits 18–21 and 22–26, so two such summaries give
/// the scorer's date-of-birth level exactly.
const P_SINGLE: u64 = 1 << 27;
/// The identity has exactly one nationality, of two letters A–Z: its 10-bit code
/// ([`nat_code`]) is in bits 28–31 (low four) and 50–55 (high six).
const P_NAT1: u64 = 1 << 47;
/// Every date-of-birth spec of the identity is a range or an approximate date: against any
/// spec of the other side the scorer's level is then the year-interval level
/// (`features::spec_code` falls to `range_code`: in_range, one_year, different or far), never
/// an exact or partial-date level.
const P_RANGELIKE: u64 = 1 << 46;
const YEAR_BASE: i32 = 1800;
/// Years are stored as 9-bit offsets from `YEAR_BASE` (outside: `P_DOB_WIDE`).
const YEAR_MAX: i32 = YEAR_BASE + 0x1ff;

impl Packed {
    /// Summarise an identity: bits 0–8 first birth year of the hull − 1800, 9–17 last, 18–26
    /// month and day of a single plain date (`P_SINGLE`), 32–39 nationality bloom (bit
    /// `code % 8`), 48–49 sex, 56–63 fingerprint byte, flags between.
    pub fn of(id: &Identity) -> Packed {
        let mut v = 0u64;
        let (mut lo, mut hi) = (i32::MAX, i32::MIN);
        for d in &id.dobs {
            let (a, b) = d.year_bounds();
            lo = lo.min(a as i32);
            hi = hi.max(b as i32);
        }
        if !id.dobs.is_empty() {
            v |= P_DOB;
            if lo < YEAR_BASE || hi > YEAR_MAX || lo > hi {
                v |= P_DOB_WIDE;
            } else {
                v |= (lo - YEAR_BASE) as u64 | (((hi - YEAR_BASE) as u64) << 9);
                if let [DateSpec::Date(d)] = &id.dobs[..] {
                    if !d.approximate && d.month <= 15 && d.day <= 31 {
                        v |= P_SINGLE | (d.month as u64) << 18 | (d.day as u64) << 22;
                    }
                }
                if id.dobs.iter().all(|d| match d {
                    DateSpec::Range { .. } => true,
                    DateSpec::Date(d) => d.approximate,
                }) {
                    v |= P_RANGELIKE;
                }
            }
        }
        for c in &id.nationalities {
            v |= 1 << (32 + nat_bit(c));
        }
        if let [c] = &id.nationalities[..] {
            if let Some(k) = nat_code(c) {
                v |= P_NAT1 | ((k & 0xf) as u64) << 28 | ((k >> 4) as u64) << 50;
            }
        }
        v |= (sex_code(id.sex) as u64) << 48;
        if !id.documents.is_empty() {
            v |= P_DOCS;
        }
        if !id.phones.is_empty() || !id.emails.is_empty() {
            v |= P_CONTACT;
        }
        if !id.places_of_birth.is_empty() {
            v |= P_POB;
        }
        if let Some(f) = &id.fingerprint_id {
            v |= P_BIO | ((fnv(f.as_bytes()) >> 56) << 56);
        }
        Packed(v)
    }
}

/// Widest birth-year hull (last year − first year) of a summary ordered by birth year in the
/// posting lists ([`Packed::year_key`]); wider hulls are read with every query.
pub const YEAR_SPAN: i32 = 3;

impl Packed {
    /// Where the summary sorts in a posting list ordered by birth year: 0 for an identity read
    /// by every query (no date of birth, a year out of range, or a hull wider than
    /// [`YEAR_SPAN`]), else 1 + the hull's first year − 1800 (1..=512).
    #[inline]
    pub fn year_key(self) -> u16 {
        let v = self.0;
        if v & P_DOB == 0 || v & P_DOB_WIDE != 0 {
            return 0;
        }
        let (lo, hi) = (v & 0x1ff, (v >> 9) & 0x1ff);
        if hi < lo || hi - lo > YEAR_SPAN as u64 {
            return 0;
        }
        lo as u16 + 1
    }
}

/// A nationality of two letters A–Z as a number below 676 (one value per code).
fn nat_code(c: &Country) -> Option<u16> {
    match code(c) {
        [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => Some((a - b'A') as u16 * 26 + (b - b'A') as u16),
        _ => None,
    }
}

fn nat_bit(c: &Country) -> u32 {
    let b = code(c);
    ((b[0] as u32).wrapping_mul(31) ^ (b[1] as u32).wrapping_mul(7)) % 8
}

fn sex_code(s: Sex) -> u8 {
    match s {
        Sex::Unknown => 0,
        Sex::Male => 1,
        Sex::Female => 2,
    }
}

/// Per-query part of the bound, resolved once: the coarse test on [`Packed`] needs only
/// integer work and a few table look-ups.
#[derive(Debug, Clone)]
pub struct QueryBound {
    /// The bound less every non-name feature: prior (+ adjustment) + name maximum + slack.
    pub base: f64,
    /// The name maximum included in `base` ([`Bounds::name_max`]).
    pub name_max: f64,
    /// Minimum total log2 odds of a hit.
    pub min_l: f64,
    packed: u64,
    /// Query's birth-year hull (when it has dates).
    ylo: i32,
    yhi: i32,
    /// Largest date-of-birth weight reachable at a hull gap of 0, 1, 2..=5, 6+.
    dob_by_gap: [f64; 4],
    /// The same when either side is range-like (`P_RANGELIKE`: year-interval levels only).
    range_by_gap: [f64; 4],
    /// Date-of-birth weight by level code (two single plain dates: the exact level).
    dob_w: [f64; features::DOB_LEVEL_COUNT],
    nat_same_max: f64,
    nat_diff: f64,
    /// Every nationality code of the query ([`nat_code`]; `nat_n` of them), when all are two
    /// letters and there are at most four: a candidate with one nationality (`P_NAT1`) is then
    /// `same` exactly when its code is among them.
    nat_codes: [u16; 4],
    nat_n: u8,
    nat_exact: bool,
    pob_max: f64,
    sex: [f64; 2],
    doc_max: f64,
    /// Largest document weight when no number can be equal or one edit away: `different`
    /// (same kind) or absent (0).
    doc_other: f64,
    bio_max: f64,
    bio_diff: f64,
    contact_max: f64,
    contact_diff: f64,
}

impl QueryBound {
    /// The birth-year windows of this query, `[any, unshared]`: `Some((lo, hi))` when every
    /// candidate whose summary's [`Packed::year_key`] is non-zero and outside `lo..=hi` scores
    /// below `min_l` — `any`: whatever it shares with the query (its coarse bound is below
    /// `min_l` for either document flag); `unshared`: when it shares no document number (equal
    /// or one edit away), biometric identifier or contact with the query. A posting list
    /// ordered by year key can then skip those postings unread (the caller reads the
    /// identifier keys' lists whole, so sharers are never skipped). Proof: such a summary's
    /// hull `[a, b]` has `b − a ≤ YEAR_SPAN`; its key is outside the window exactly when `a ≥
    /// yhi + G` or `a ≤ ylo − G − YEAR_SPAN` (then `b ≤ ylo − G`), i.e. when its gap to the
    /// query's hull is at least `G`, where `G` is the least of 1, 2, 6 at which `base +
    /// dob_by_gap[G] + rest < min_l`; `rest` is the largest value every other term of
    /// [`Self::coarse`] (itself admissible) can add, 0 when the candidate lacks the field —
    /// for `unshared`, a document, biometric or contact that is not shared weighs at most its
    /// `different` level or 0 (the scorer's levels: `exact`/`one_edit`/`same` need a shared
    /// value). The date-of-birth term only falls as the gap grows. `None` when the query has
    /// no date of birth, a date out of range, or no such `G` exists.
    pub fn year_windows(&self) -> [Option<(u16, u16)>; 2] {
        [self.year_window(false), self.year_window(true)]
    }

    fn year_window(&self, unshared: bool) -> Option<(u16, u16)> {
        let q = self.packed;
        if q & P_DOB == 0 || q & P_DOB_WIDE != 0 {
            return None;
        }
        let rest = self.rest(unshared);
        let g = [(1, 1usize), (2, 2), (6, 3)]
            .into_iter()
            .find(|&(_, class)| self.base + self.dob_by_gap[class] + rest < self.min_l)?
            .0;
        let key = |y: i32| (y - YEAR_BASE + 1).clamp(1, 0x200) as u16;
        Some((key(self.ylo - g - YEAR_SPAN + 1), key(self.yhi + g - 1)))
    }

    /// The largest value every term of [`Self::coarse`] but the name and the date of birth can
    /// add (0 when the candidate lacks the field); `unshared`: for a candidate sharing no
    /// document number (equal or one edit away), biometric identifier or contact.
    fn rest(&self, unshared: bool) -> f64 {
        let q = self.packed;
        let pos = |x: f64| x.max(0.0);
        let mut rest = 0.0;
        if (q >> 32) & 0xff != 0 {
            rest += pos(self.nat_same_max.max(self.nat_diff));
        }
        if q & P_POB != 0 {
            rest += pos(self.pob_max);
        }
        if (q >> 48) & 3 != 0 {
            rest += pos(self.sex[0].max(self.sex[1]));
        }
        if q & P_DOCS != 0 {
            rest += pos(if unshared {
                self.doc_other
            } else {
                self.doc_max.max(self.doc_other)
            });
        }
        if q & P_BIO != 0 {
            rest += pos(if unshared {
                self.bio_diff
            } else {
                self.bio_max.max(self.bio_diff)
            });
        }
        if q & P_CONTACT != 0 {
            rest += pos(if unshared {
                self.contact_diff
            } else {
                self.contact_max
            });
        }
        rest
    }

    /// Upper bound of every non-name term of a candidate sharing no identifier with the query
    /// (see [`Self::rest`]), the date of birth at its largest level.
    pub fn non_name_max_unshared(&self) -> f64 {
        let dob = if self.packed & P_DOB != 0 {
            self.dob_by_gap[0].max(self.range_by_gap[0]).max(0.0)
        } else {
            0.0
        };
        self.rest(true) + dob
    }

    /// The coarse upper bound of a candidate's total log2 odds from its packed summary. Per
    /// feature: date of birth — every pair of specs is at least the hulls' gap apart, and the
    /// levels are functions of that gap (same year or overlap: any level; 1: one_year or worse;
    /// 2–5: different or far; 6+: far); nationality — no common bloom bit, no common value;
    /// sex and fingerprint byte — exact; documents, contacts, place of birth — the largest level
    /// (or 0, for documents of different kinds and contacts of different kinds). Monotone in
    /// `doc_possible` (the document maximum is at least the `different`-or-nothing weight), as
    /// [`crate::index::CandidateIndex::candidates_filtered`] requires.
    #[inline]
    pub fn coarse(&self, c: Packed, doc_possible: bool) -> f64 {
        let (q, c) = (self.packed, c.0);
        let mut ub = self.base;
        if q & c & P_DOB != 0 {
            ub += if (q | c) & P_DOB_WIDE != 0 {
                self.dob_by_gap[0]
            } else {
                let (lo, hi) = (
                    (c & 0x1ff) as i32 + YEAR_BASE,
                    ((c >> 9) & 0x1ff) as i32 + YEAR_BASE,
                );
                let gap = (lo - self.yhi).max(self.ylo - hi).max(0);
                if (q | c) & P_RANGELIKE != 0 {
                    // Every pair of specs is compared on year intervals, each at least the
                    // hulls' gap apart.
                    self.range_by_gap[match gap {
                        0 => 0,
                        1 => 1,
                        2..=5 => 2,
                        _ => 3,
                    }]
                } else if gap == 0 && q & c & P_SINGLE != 0 {
                    // One plain date on each side, same year: the scorer's level exactly.
                    let date = |p: u64, year: i32| linkwatch_model::PartialDate {
                        year: year as i16,
                        month: ((p >> 18) & 0xf) as u8,
                        day: ((p >> 22) & 0x1f) as u8,
                        approximate: false,
                    };
                    self.dob_w[features::date_code(&date(q, self.ylo), &date(c, lo)) as usize]
                } else {
                    self.dob_by_gap[match gap {
                        0 => 0,
                        1 => 1,
                        2..=5 => 2,
                        _ => 3,
                    }]
                }
            };
        }
        let (qn, cn) = ((q >> 32) & 0xff, (c >> 32) & 0xff);
        if qn != 0 && cn != 0 {
            let same = if c & P_NAT1 != 0 && self.nat_exact {
                let k = ((c >> 28) & 0xf) as u16 | (((c >> 50) & 0x3f) as u16) << 4;
                self.nat_codes[..self.nat_n as usize].contains(&k)
            } else {
                qn & cn != 0
            };
            ub += if same {
                self.nat_same_max
            } else {
                self.nat_diff
            };
        }
        if q & c & P_POB != 0 {
            ub += self.pob_max;
        }
        let (qs, cs) = ((q >> 48) & 3, (c >> 48) & 3);
        if qs != 0 && cs != 0 {
            ub += self.sex[if qs == cs { 0 } else { 1 }];
        }
        if q & c & P_DOCS != 0 {
            ub += if doc_possible {
                self.doc_max
            } else {
                self.doc_other
            };
        }
        if q & c & P_BIO != 0 {
            ub += if (q ^ c) >> 56 == 0 {
                self.bio_max
            } else {
                self.bio_diff
            };
        }
        if q & c & P_CONTACT != 0 {
            ub += self.contact_max;
        }
        ub
    }
}

/// The model's weights as the bound needs them.
#[derive(Debug, Clone)]
pub struct Bounds {
    /// The scorer's own non-name weights.
    fields: FieldWeights,
    /// Calibrated name bits can never exceed `name_base + name_per_token · tokens`.
    name_base: f64,
    name_per_token: f64,
    /// Per-pair name bound tables (see [`Bounds::name_pair`]): `level[short][long][s]` is the
    /// largest `main + long + family + tf` of any level with `unmatched_short` (0, 1, 2+),
    /// `unmatched_long` (0, 1, 2, 3+) and at most `s` (0, 1, 2, 3+) strong pairs.
    /// `[0]`: at least one name without family marks (the family state is then unknown);
    /// `[1]`: both marked (agree or disagree).
    level: [[[[f64; 4]; 4]; 3]; 2],
    name_sim: f64,
    cal: (f64, f64),
    weak_penalty: f64,
    /// Largest tf adjustment per strong pair (the information term is in the table at its cap).
    tf_pair: f64,
    prior_pairs: f64,
    prior_screening: f64,
    /// The scorer's name level tables and parameters, for the exact name term of one candidate
    /// name ([`Bounds::exact_name_memo`]).
    tables: NameTables,
    params: crate::model::NameParams,
    /// The calibrated information term at its cap, as included in `name_base` (0 when the
    /// calibration slope is negative: the term then only lowers the bound's end).
    info_cal_cap: f64,
    /// Content stamp of the scorer's term-frequency table: a query name's preparation with this
    /// stamp carries the very rarities the scorer uses ([`Bounds::name_max`]).
    tf_stamp: u64,
}

fn max_of(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

fn min_of(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

/// A contact's exact level when known: `Some(true)` when a contact key was shared, `Some(false)`
/// when every contact key of the query was read and none was shared, `None` when unknown.
pub type ContactKnown = Option<bool>;

/// What the bound knows about a candidate beyond its [`SlotInfo`].
#[derive(Debug, Clone, Copy, Default)]
pub struct PairBound {
    /// Upper bound of the total log2 odds (prior included, no list-size adjustment).
    pub log2_odds: f64,
    /// Whether an identifier (document exact or one edit, biometric, contact) can agree.
    pub identifier_evidence: bool,
}

impl Bounds {
    pub fn new(scorer: &Scorer) -> Bounds {
        let m = scorer.model();
        // Name bits (features::best_names_fast):
        //   cal.a · (main[level] + long[level] + family[level] + tf + sim) + cal.b − penalty·weak
        // with tf = tf_gamma · Σ_{strong pairs} (bits_k − ref), bits_k ∈ [min_bits, max_bits],
        // sim = similarity_gamma · (s − 0.5), s ∈ [0, 1]. Every level index is one of the
        // table entries (absent labels weigh 0: NameTables::new), so
        //   raw ∈ [Σ min tables − |sim|/2 − tf_lo·P, Σ max tables + |sim|/2 + tf_hi·P]
        // where P is the number of strong pairs, at most twice the query's core tokens (each
        // query token is in at most one aligned unit; a unit pairs it with at most two tokens).
        let t = NameTables::new(&m.name_levels());
        let p = &m.name;
        let sim = p.similarity_gamma.abs() * 0.5;
        let per_pair_hi = (p.tf_gamma * (p.max_token_bits - p.tf_reference_bits))
            .max(p.tf_gamma * (p.min_token_bits - p.tf_reference_bits))
            .max(0.0);
        let per_pair_lo = (p.tf_gamma * (p.max_token_bits - p.tf_reference_bits))
            .min(p.tf_gamma * (p.min_token_bits - p.tf_reference_bits))
            .min(0.0);
        // Information term (features::information_bits):
        // info_gamma · min(cap, max(0, Σ bits_k − ref)) over the strong pairs, in
        // [0, info_gamma · cap]; with s strong pairs at most
        // `info_hi(s) = info_gamma · min(cap, max(0, s · max_bits − ref))`. The per-pair table's
        // "3 or more" cell and the per-query bound take the cap itself (a constant per query:
        // the term never grows with the query's parts past it).
        let info_gamma = p.info_gamma.max(0.0);
        let info_cap = info_gamma * p.info_cap_bits.max(0.0);
        let info_hi = |s: f64| {
            if s >= 3.0 {
                info_cap
            } else {
                info_gamma
                    * (s * p.max_token_bits - p.info_reference_bits)
                        .max(0.0)
                        .min(p.info_cap_bits.max(0.0))
            }
        };
        let hi = max_of(&t.main) + max_of(&t.long) + max_of(&t.family) + sim;
        let lo = min_of(&t.main) + min_of(&t.long) + min_of(&t.family) - sim;
        let c = m.calibration;
        // cal.a · raw is largest at the end of the interval the sign of cal.a picks.
        let (name_base, name_per_token) = if c.a >= 0.0 {
            (c.a * (hi + info_cap) + c.b, c.a * 2.0 * per_pair_hi)
        } else {
            (c.a * lo + c.b, -c.a * 2.0 * -per_pair_lo)
        };
        // The weak-alias penalty is subtracted; a negative one would add.
        let name_base = name_base + (-p.weak_alias_penalty).max(0.0);
        // Per-pair table: enumerate every input the level functions read (strong and weak
        // pair counts, unmatched parts on each side, leading-name and family states, rarity of
        // the strong parts on either side of any threshold) and keep the largest weight.
        let mut level = [[[[f64::NEG_INFINITY; 4]; 4]; 3]; 2];
        for (marked, table) in level.iter_mut().enumerate() {
            // features::measure sets `family` (1 agree, 2 disagree) only when both names mark a
            // family name; otherwise it stays 0.
            let families: &[u8] = if marked == 1 { &[1, 2] } else { &[0] };
            for (short, row) in table.iter_mut().enumerate() {
                for (long, cell) in row.iter_mut().enumerate() {
                    for (s_cap, out) in cell.iter_mut().enumerate() {
                        let mut best = f64::NEG_INFINITY;
                        for s in 0..=s_cap as u8 {
                            for w in 0..=1u8 {
                                for lead in 0..=2u8 {
                                    for &family in families {
                                        for sb in [0.0, 1e3] {
                                            let f = features::NameFeatures {
                                                strong: s,
                                                weak: w,
                                                unmatched_short: short as f64,
                                                unmatched_long: long as f64,
                                                strong_bits: if s == 0 { 0.0 } else { sb },
                                                lead,
                                                family,
                                                ..Default::default()
                                            };
                                            let v = t.main[f.level_index()]
                                                + t.long[f.long_level_index()]
                                                + t.family[f.family_level_index()]
                                                + s as f64 * per_pair_hi
                                                + info_hi(s as f64);
                                            best = best.max(v);
                                        }
                                    }
                                }
                            }
                        }
                        *out = best;
                    }
                }
            }
        }
        // s = 3 stands for "3 or more": the tf term grows with s, so allow for up to twice
        // the longest name's tokens there at run time (see name_pair).
        Bounds {
            fields: *scorer.field_weights(),
            name_base,
            name_per_token,
            level,
            name_sim: sim,
            cal: (c.a, c.b),
            weak_penalty: p.weak_alias_penalty,
            tf_pair: per_pair_hi,
            prior_pairs: scorer.prior(Context::Pairs),
            prior_screening: scorer.prior(Context::Screening),
            tables: t,
            params: *p,
            info_cal_cap: if c.a >= 0.0 { c.a * info_cap } else { 0.0 },
            tf_stamp: scorer.tf().stamp(),
        }
    }

    /// Upper bound of the name bits of any pair involving `q` (0 counts too: a pair without
    /// names has no name term).
    ///
    /// The information term (`features::information_bits`) is bounded per query: a strong
    /// pair's rarity is the smaller of its two tokens' clamped `-log2 f`, so at most the query
    /// token's, and each query token is in at most one aligned unit pairing it with at most two
    /// tokens; the summed rarity of any pair's strong parts is at most twice the query name's
    /// summed clamped rarities. A common name (`Muhammad Ali`) then gets no information term in
    /// its bound at all. Names without a preparation for the scorer's table take the cap.
    pub fn name_max(&self, q: &Identity) -> f64 {
        let tokens = q
            .names
            .iter()
            .map(|n| n.analyzed.tokens.len())
            .max()
            .unwrap_or(0);
        let info = q
            .names
            .iter()
            .map(|n| self.query_info_cal(n))
            .fold(0.0, f64::max);
        (self.name_base - self.info_cal_cap + info + self.name_per_token * tokens as f64).max(0.0)
    }

    /// Calibrated upper bound of the information term of any pair with query name `n`, at most
    /// `info_cal_cap` (see [`Bounds::name_max`]).
    fn query_info_cal(&self, n: &IdName) -> f64 {
        if self.info_cal_cap <= 0.0 {
            return 0.0;
        }
        let p = &self.params;
        match &n.prep {
            Some(prep) if prep.valid_for(&n.analyzed, self.tf_stamp) => {
                let sum: f64 = prep
                    .rarity
                    .iter()
                    .map(|&r| r.clamp(p.min_token_bits, p.max_token_bits))
                    .sum();
                let raw = p.info_gamma.max(0.0)
                    * (2.0 * sum - p.info_reference_bits)
                        .max(0.0)
                        .min(p.info_cap_bits.max(0.0));
                (self.cal.0 * raw).min(self.info_cal_cap)
            }
            _ => self.info_cal_cap,
        }
    }

    /// Resolve the per-query part of the bound: `prior_adjust` is added to the prior, `min_l`
    /// is the least total log2 odds of a hit.
    pub fn query(&self, q: &Identity, ctx: Context, prior_adjust: f64, min_l: f64) -> QueryBound {
        let packed = Packed::of(q).0;
        let (mut ylo, mut yhi) = (i32::MAX, i32::MIN);
        for d in &q.dobs {
            let (a, b) = d.year_bounds();
            ylo = ylo.min(a as i32);
            yhi = yhi.max(b as i32);
        }
        // Levels reachable when every combination of dates is at least `gap` years apart:
        // gap 0 anything; 1 one_year, different, far; 2–5 different, far; 6+ far.
        let w = &self.fields.dob;
        let (one, diff, far) = (w[6], w[7], w[8]);
        let dob_by_gap = [max_of(w), one.max(diff).max(far), diff.max(far), far];
        // Year-interval levels only (features::range_code): overlap in_range, 1 one_year,
        // 2–5 different, 6+ far.
        let in_range = w[5].max(w[9]).max(w[10]); // in_range by its width
        let range_by_gap = [
            in_range.max(one).max(diff).max(far),
            one.max(diff).max(far),
            diff.max(far),
            far,
        ];
        let (mut nat_codes, mut nat_n, mut nat_exact) =
            ([0u16; 4], 0u8, q.nationalities.len() <= 4);
        for c in &q.nationalities {
            match (nat_code(c), nat_codes.get_mut(nat_n as usize)) {
                (Some(k), Some(slot)) => {
                    *slot = k;
                    nat_n += 1;
                }
                _ => nat_exact = false,
            }
        }
        QueryBound {
            base: self.prior(ctx) + prior_adjust + self.name_max(q) + 1e-6,
            name_max: self.name_max(q),
            min_l,
            packed,
            ylo,
            yhi,
            dob_by_gap,
            range_by_gap,
            dob_w: *w,
            nat_same_max: max_of(&self.fields.nationality),
            nat_diff: self.fields.nationality[1],
            nat_codes,
            nat_n,
            nat_exact,
            pob_max: max_of(&self.fields.place_of_birth),
            sex: self.fields.sex,
            doc_max: max_of(&self.fields.document).max(0.0),
            doc_other: self.fields.document[2].max(0.0),
            bio_max: max_of(&self.fields.biometric),
            bio_diff: self.fields.biometric[1],
            contact_max: max_of(&self.fields.contact).max(0.0),
            contact_diff: self.fields.contact[1],
        }
    }

    pub fn prior(&self, ctx: Context) -> f64 {
        match ctx {
            Context::Pairs => self.prior_pairs,
            Context::Screening => self.prior_screening,
        }
    }

    /// Upper bound of the non-name evidence of a pair, and whether identifier evidence is
    /// possible. `cand`'s own fields are read only when both sides hold documents (the document
    /// feature is then computed exactly). `contact` says what the caller knows from the contact keys.
    pub fn non_name<'c>(
        &self,
        q: &Identity,
        qi: &SlotInfo,
        ci: &SlotInfo,
        cand: impl FnOnce() -> Option<&'c Identity>,
        contact: ContactKnown,
        doc_possible: bool,
    ) -> PairBound {
        let mut ub = 0.0;
        let mut ident = false;
        // Date of birth: the scorer keeps the best-weighted combination of specs, so with every
        // spec of both sides at hand the maximum below is the scorer's weight; with more specs
        // than the slot holds, the largest level weight bounds it.
        if qi.n_dob > 0 && ci.n_dob > 0 {
            if ci.flags & DOB_MORE != 0 {
                ub += max_of(&self.fields.dob);
            } else {
                let mut best = f64::NEG_INFINITY;
                for x in &q.dobs {
                    for y in ci.dobs.iter().flatten() {
                        best = best.max(self.fields.dob[features::spec_code(x, y) as usize]);
                    }
                }
                ub += best;
            }
        }
        // Nationality: `same` iff a value is shared (features::nationality).
        if qi.n_nat > 0 && ci.n_nat > 0 {
            if ci.flags & NAT_MORE != 0 {
                ub += max_of(&self.fields.nationality);
            } else {
                let cn = &ci.nats[..ci.n_nat as usize];
                let same = q.nationalities.iter().any(|c| cn.contains(&code(c)));
                ub += self.fields.nationality[if same { 0 } else { 1 }];
            }
        }
        // Place of birth: `same` needs two equal strings or a first token (3+ letters) of one
        // among the tokens of the other — either way a shared token, hence a shared bloom bit.
        if qi.flags & HAS_POB != 0 && ci.flags & HAS_POB != 0 {
            ub += if qi.pob_bloom & ci.pob_bloom != 0 {
                max_of(&self.fields.place_of_birth)
            } else {
                self.fields.place_of_birth[1]
            };
        }
        // Sex: exact.
        if qi.sex != Sex::Unknown && ci.sex != Sex::Unknown {
            ub += self.fields.sex[if qi.sex == ci.sex { 0 } else { 1 }];
        }
        // Documents: exact (the scorer's own function) when both sides hold some.
        if qi.flags & HAS_DOCS != 0 && ci.flags & HAS_DOCS != 0 && !doc_possible {
            // Known: no number equal or one edit away, so `different` or nothing.
            ub += self.fields.document[2].max(0.0);
        } else if qi.flags & HAS_DOCS != 0 && ci.flags & HAS_DOCS != 0 {
            match cand() {
                Some(c) => {
                    if let Some(lv) = features::document(q, c) {
                        ub += self.fields.document[lv.code as usize];
                        ident |= lv.code <= 1;
                    }
                }
                None => {
                    ub += max_of(&self.fields.document).max(0.0);
                    ident = true;
                }
            }
        }
        // Biometric: equal ids have equal hashes; different hashes mean different ids.
        if qi.bio != 0 && ci.bio != 0 {
            if qi.bio == ci.bio {
                ub += max_of(&self.fields.biometric);
                ident = true;
            } else {
                ub += self.fields.biometric[1];
            }
        }
        // Contact: `same` iff a phone or e-mail is shared; `different` when both have phones or
        // both have e-mails and none is shared.
        let both = (qi.flags & ci.flags & (HAS_PHONES | HAS_EMAILS)) != 0;
        let any =
            qi.flags & (HAS_PHONES | HAS_EMAILS) != 0 && ci.flags & (HAS_PHONES | HAS_EMAILS) != 0;
        match contact {
            Some(true) => {
                ub += self.fields.contact[0];
                ident = true;
            }
            Some(false) => {
                if both {
                    ub += self.fields.contact[1];
                }
            }
            None => {
                if any {
                    ub +=
                        self.fields.contact[0].max(if both { self.fields.contact[1] } else { 0.0 });
                    ident = true;
                }
            }
        }
        PairBound {
            log2_odds: ub,
            identifier_evidence: ident,
        }
    }
}

/// Whether token `x` of one name and token `y` of the other can agree exactly, by equivalence,
/// phonetically or on a consonant skeleton (a superset of the analyser's conditions in
/// `token_similarity_fast`: every branch returning one of those kinds requires one of the
/// equalities tested here).
#[inline]
fn tokens_can_agree(x: &linkwatch_names::Token, y: &linkwatch_names::Token) -> bool {
    let xi = x.role == PartRole::Initial;
    let yi = y.role == PartRole::Initial;
    if xi || yi {
        // Initial vs initial of the same letter is Exact; initial vs full token is `Initial`.
        return xi && yi;
    }
    // Hashes first (cheap); equal texts last (Exact: the key may differ, e.g. a Latin
    // abbreviation's expansion).
    (x.key_hash == y.key_hash)
        || x.skeleton_hash == y.skeleton_hash
        || x.loose_hash == y.loose_hash
        || (x.guess_hash != 0 && (x.guess_hash == y.key_hash || x.guess_hash == y.guess_hash))
        || (y.guess_hash != 0 && y.guess_hash == x.key_hash)
        || (x.raw_skeleton_hash != 0 && x.raw_skeleton_hash == y.raw_skeleton_hash)
        || (!x.groups.is_empty() && x.groups.iter().any(|g| y.groups.contains(g)))
        || x.text == y.text
}

/// Tokens of `n` (bit = token index) that can agree strongly or on a skeleton with some token
/// without the two sharing a strong name key of the index (token, phonetic, skeleton, raw
/// skeleton, loose or group key: `index::KeyKind::cap_class` 0): initials, tokens the index
/// emits no key for (particles, one ASCII letter), and tokens whose empty phonetic key, short
/// skeleton (under two letters, no skeleton key) or missing loose key (hash 0) can equal the
/// other's. Not covered: a token against a join of the other name (`join_similarity`'s fuzzy
/// branch labels such a unit phonetic without any shared key).
pub fn keyless_agreement_mask(n: &IdName) -> u64 {
    let mut m = 0u64;
    for (i, t) in n.analyzed.tokens.iter().enumerate().take(64) {
        let keyless = (n.particles >> i) & 1 != 0
            || matches!(t.role, PartRole::Particle | PartRole::Initial)
            || (t.text.is_ascii() && t.text.len() < 2)
            || t.key.is_empty()
            || t.skeleton.len() < 2
            || t.loose_hash == 0;
        if keyless {
            m |= 1 << i;
        }
    }
    m
}

/// Whether token `x` can align with a join `j` of the other name (a segmentation unit, which
/// the analyser always labels phonetic): `join_similarity` is 0 unless the keys are equal or
/// the lengths (of keys, or of skeletons for a vowel-less token) differ by at most one and the
/// last letters agree.
#[inline]
fn token_can_join(x: &linkwatch_names::Token, j: &linkwatch_names::Join) -> bool {
    if x.role == PartRole::Initial {
        return false;
    }
    if x.key_hash == j.key_hash {
        return true;
    }
    let (xs, js) = if x.vowelless {
        (x.skeleton.as_bytes(), j.skeleton.as_bytes())
    } else {
        (x.key.as_bytes(), j.key.as_bytes())
    };
    xs.len().abs_diff(js.len()) <= 1 && xs.last() == js.last()
}

fn names_can_agree(a: &IdName, b: &IdName) -> bool {
    let (ta, tb) = (&a.analyzed.tokens, &b.analyzed.tokens);
    ta.iter().any(|x| tb.iter().any(|y| tokens_can_agree(x, y)))
        || ta
            .iter()
            .any(|x| b.analyzed.joins.iter().any(|j| token_can_join(x, j)))
        || tb
            .iter()
            .any(|y| a.analyzed.joins.iter().any(|j| token_can_join(y, j)))
}

/// Whether tokens `x` and `y`, known not to satisfy [`tokens_can_agree`], can still align (any
/// kind, fuzzy and initials included): together with [`tokens_can_agree`], a superset of the
/// analyser's conditions for a non-zero cell similarity. An initial aligns (Exact or Initial)
/// only with a token of the same first letter; full tokens need the analyser's vowel-less
/// similarity or its letter-set gate of Jaro-Winkler to reach the fuzzy floor.
#[inline]
fn tokens_can_align_weakly(x: &linkwatch_names::Token, y: &linkwatch_names::Token) -> bool {
    if x.role == PartRole::Initial || y.role == PartRole::Initial {
        // Exact (two initials) or Initial: the first letters of the texts agree.
        return x.text.as_bytes().first() == y.text.as_bytes().first();
    }
    let floor = linkwatch_names::DEFAULT_PARAMS.fuzzy_floor;
    if x.vowelless || y.vowelless {
        // The analyser's vowel-less similarity, recomputed (skeletons, vowelled guesses).
        let jw = |a: &str, b: &str| linkwatch_names::jaro_winkler_bytes(a.as_bytes(), b.as_bytes());
        let mut v = jw(&x.skeleton, &y.skeleton) * 0.97;
        if let Some(g) = &x.guess {
            v = v.max(jw(g, &y.key));
        }
        if let Some(g) = &y.guess {
            v = v.max(jw(&x.key, g));
        }
        return v >= floor;
    }
    // The analyser's gate: below this letter-set bound of Jaro-Winkler on the phonetic keys
    // (and no skeleton agreement, covered above) the cell is 0.
    linkwatch_names::compare::jw_upper_bound(
        x.key.as_bytes(),
        y.key.as_bytes(),
        x.letters,
        y.letters,
    ) >= floor
}

/// What can align between two names: per side, the non-particle tokens that can align with
/// anything of the other name (`any`) and those that can align strongly or on a skeleton
/// (`strong`; joins always count, the analyser labels them phonetic).
fn name_capabilities(a: &IdName, b: &IdName) -> (u32, u32, u32, u32) {
    let (ta, tb) = (&a.analyzed.tokens, &b.analyzed.tokens);
    let (mut any_a, mut strong_a, mut any_b, mut strong_b) = (0u64, 0u64, 0u64, 0u64);
    // A pair whose two tokens are already in the masks it could set adds nothing: it is
    // skipped (the masks are unions, so the result is that of testing every pair).
    for (i, x) in ta.iter().enumerate().take(64) {
        let bi = 1u64 << i;
        for (k, y) in tb.iter().enumerate().take(64) {
            let bk = 1u64 << k;
            if strong_a & bi != 0 && strong_b & bk != 0 {
                continue;
            }
            if tokens_can_agree(x, y) {
                strong_a |= bi;
                strong_b |= bk;
                any_a |= bi;
                any_b |= bk;
            } else if (any_a & bi == 0 || any_b & bk == 0) && tokens_can_align_weakly(x, y) {
                any_a |= bi;
                any_b |= bk;
            }
        }
    }
    // Segmentation joins: a token with a join of the other side (both join tokens take part).
    for (joins, toks, jside_a) in [
        (&b.analyzed.joins, ta, false),
        (&a.analyzed.joins, tb, true),
    ] {
        for j in joins.iter() {
            for (i, x) in toks.iter().enumerate().take(64) {
                if token_can_join(x, j) {
                    let jm = (1u64 << j.first.min(63)) | (1u64 << j.second.min(63));
                    if jside_a {
                        strong_a |= jm;
                        any_a |= jm;
                        strong_b |= 1 << i;
                        any_b |= 1 << i;
                    } else {
                        strong_b |= jm;
                        any_b |= jm;
                        strong_a |= 1 << i;
                        any_a |= 1 << i;
                    }
                }
            }
        }
    }
    let (pa, pb) = (!a.particles, !b.particles);
    (
        (any_a & pa).count_ones(),
        (strong_a & pa).count_ones(),
        (any_b & pb).count_ones(),
        (strong_b & pb).count_ones(),
    )
}

impl Bounds {
    /// Upper bound of the calibrated name bits of the combination `(a, b)` and whether it can
    /// carry name evidence (a strong or skeleton agreement). Every level input is relaxed to
    /// the range the token capabilities leave: unmatched parts on each side at least the
    /// non-particle tokens that can align with nothing, strong pairs at most twice the
    /// strongly-capable tokens of either side (a unit pairs a token with at most two), weak
    /// pairs, leading-name, family and rarity states free; then the largest table weight.
    pub fn name_pair(&self, a: &IdName, b: &IdName) -> (f64, bool) {
        if a.analyzed.tokens.len() > 64 || b.analyzed.tokens.len() > 64 {
            // Token masks hold 64 tokens: no per-token reasoning beyond.
            return (self.name_base + self.name_per_token * 64.0, true);
        }
        let caps = name_capabilities(a, b);
        let la = a.analyzed.tokens.len() as u32
            - a.particles.count_ones().min(a.analyzed.tokens.len() as u32);
        let lb = b.analyzed.tokens.len() as u32
            - b.particles.count_ones().min(b.analyzed.tokens.len() as u32);
        let marked = usize::from(a.family != 0 && b.family != 0);
        let weak = a.quality == NameQuality::Weak || b.quality == NameQuality::Weak;
        self.pair_from_caps(caps, la, lb, marked, weak)
    }

    /// The level part of [`Self::name_pair`], from the token capabilities (`any_a, strong_a,
    /// any_b, strong_b`: counts of non-particle tokens), the non-particle token counts, whether
    /// both names mark a family name and whether either is a weak alias. Shared by the pair
    /// bound on analysed names and the compact one ([`Self::name_bound_ids`]).
    fn pair_from_caps(
        &self,
        (any_a, strong_a, any_b, strong_b): (u32, u32, u32, u32),
        la: u32,
        lb: u32,
        marked: usize,
        weak: bool,
    ) -> (f64, bool) {
        let s_max = (2 * strong_a.min(strong_b)) as usize;
        let evidence = s_max > 0;
        let s_idx = s_max.min(3);
        let mut best = f64::NEG_INFINITY;
        for ua in la.saturating_sub(any_a)..=la {
            for ub in lb.saturating_sub(any_b)..=lb {
                let (short, long) = if la == lb {
                    (ua.min(ub), ua.max(ub))
                } else if la < lb {
                    (ua, ub)
                } else {
                    (ub, ua)
                };
                let v = self.level[marked][short.min(2) as usize][long.min(3) as usize][s_idx];
                best = best.max(v);
            }
        }
        // Beyond 3 strong pairs the table's tf term stops growing; add the rest.
        if s_max > 3 {
            best += (s_max - 3) as f64 * self.tf_pair;
        }
        let raw = best + self.name_sim;
        let mut bits = self.cal.0 * raw + self.cal.1;
        if weak {
            bits -= self.weak_penalty;
        }
        (bits, evidence)
    }

    /// Upper bound of the name bits of any pair of `q` with a candidate whose tokens can agree
    /// strongly (or on a skeleton) only with the tokens of `q.names[i]` in `may[i]` (bit =
    /// token index; a name without an entry: none), whatever the candidate's names: every
    /// token may still align weakly, and the candidate's shape (tokens, family marks, weak
    /// alias) is free. `None` when no name can carry name evidence (no token may agree).
    /// Never above [`Self::name_max`].
    pub fn name_bound_restricted(&self, q: &Identity, may: &[u64]) -> Option<f64> {
        let max = self.name_max(q);
        let mut best: Option<f64> = None;
        for (i, a) in q.names.iter().enumerate() {
            let n = a.analyzed.tokens.len();
            let m = may.get(i).copied().unwrap_or(0);
            if n > 64 || self.cal.0 < 0.0 {
                best = Some(max);
                continue;
            }
            let all = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
            let la = (all & !a.particles).count_ones();
            let sa = (m & all & !a.particles).count_ones();
            if sa == 0 {
                continue;
            }
            for lb in 1..=(la + 4).min(64) {
                for marked in 0..2 {
                    for weak in [false, true] {
                        let (v, _) = self.pair_from_caps((la, sa, lb, lb), la, lb, marked, weak);
                        best = Some(best.map_or(v, |b: f64| b.max(v)));
                    }
                }
            }
        }
        best.map(|b| b.min(max))
    }

    /// Upper bound of the name bits of the pair `(q, c)` (the best combination of names, as the
    /// scorer keeps) and whether any combination can carry name evidence. Falls back to
    /// [`Self::name_max`] when the calibration slope is negative.
    pub fn name_bound(&self, q: &Identity, c: &Identity) -> (f64, bool) {
        if q.names.is_empty() || c.names.is_empty() {
            return (0.0, false);
        }
        let mut best = f64::NEG_INFINITY;
        let mut evidence = false;
        for a in &q.names {
            for b in &c.names {
                let (v, e) = self.name_pair(a, b);
                best = best.max(v);
                evidence |= e;
            }
        }
        if self.cal.0 < 0.0 {
            best = self.name_max(q);
        }
        (best, evidence)
    }
}

/// Per-query memo of the pair name bound by candidate name ([`Bounds::name_bound_memo`]).
/// Screening a common name meets the same entry name thousands of times (namesakes); the
/// bound of `(query, entry name)` is computed once per query. An entry name is identified by
/// its original text, quality and family and particle marks — everything `name_pair` reads
/// of it besides its analysis, which is a function of the original text
/// (`identity::id_names` analyses `Name::full`) — compared in full on every hit, so a hash
/// collision never mixes two names.
#[derive(Debug, Default)]
pub struct NameMemo {
    map: rustc_hash::FxHashMap<u64, Vec<MemoEntry>>,
    /// Look-ups answered from the memo (statistics).
    pub hits: usize,
}

#[derive(Debug)]
struct MemoEntry {
    original: String,
    tokens: usize,
    quality: NameQuality,
    family: u64,
    particles: u64,
    value: f64,
    evidence: bool,
}

impl NameMemo {
    /// Forget every entry (start of a query); keeps the table's capacity.
    pub fn clear(&mut self) {
        self.map.clear();
        self.hits = 0;
    }
}

fn memo_hash(b: &IdName) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    b.analyzed.original.hash(&mut h);
    b.quality.hash(&mut h);
    b.family.hash(&mut h);
    b.particles.hash(&mut h);
    h.finish()
}

impl Bounds {
    /// [`Self::name_bound`] with a per-query memo of each candidate name's bound against every
    /// query name: the same value and evidence flag (`memo` must be cleared between queries).
    pub fn name_bound_memo(&self, q: &Identity, c: &Identity, memo: &mut NameMemo) -> (f64, bool) {
        if q.names.is_empty() || c.names.is_empty() {
            return (0.0, false);
        }
        let mut best = f64::NEG_INFINITY;
        let mut evidence = false;
        for b in &c.names {
            let h = memo_hash(b);
            let bucket = memo.map.entry(h).or_default();
            let found = bucket.iter().find(|m| {
                m.tokens == b.analyzed.tokens.len()
                    && m.quality == b.quality
                    && m.family == b.family
                    && m.particles == b.particles
                    && m.original == b.analyzed.original
            });
            let (v, e) = match found {
                Some(m) => {
                    memo.hits += 1;
                    (m.value, m.evidence)
                }
                None => {
                    let (mut v, mut e) = (f64::NEG_INFINITY, false);
                    for a in &q.names {
                        let (x, y) = self.name_pair(a, b);
                        v = v.max(x);
                        e |= y;
                    }
                    bucket.push(MemoEntry {
                        original: b.analyzed.original.clone(),
                        tokens: b.analyzed.tokens.len(),
                        quality: b.quality,
                        family: b.family,
                        particles: b.particles,
                        value: v,
                        evidence: e,
                    });
                    (v, e)
                }
            };
            best = best.max(v);
            evidence |= e;
        }
        if self.cal.0 < 0.0 {
            best = self.name_max(q);
        }
        (best, evidence)
    }
}

/// Whether any name of `q` can strongly or skeleton-agree with any name of `c` (invariant 3 of
/// the module). `false` means no combination of names has `strong > 0` or `skeleton > 0`, so
/// the pair carries no name evidence.
pub fn name_evidence_possible(q: &Identity, c: &Identity) -> bool {
    q.names
        .iter()
        .any(|a| c.names.iter().any(|b| names_can_agree(a, b)))
}

// ---- Compact name bound: interned tokens and names, per-query token capabilities ----
//
// The pair name bound above reads each candidate's analysed names (token records, their group,
// key and join heaps: several dependent cache misses per name). The index keeps instead, per
// distinct token, one copy of the token ([`crate::index::CandidateIndex::token`]) and, per
// distinct name, a few words ([`encode_name`]: token ids, particle mask, family and weak flags,
// joins), and each slot lists its names' ids. Within one query, what a candidate token can do
// against the query's tokens ([`TokCaps`]) is computed once per distinct token, and the bound
// of a candidate name once per distinct name ([`Bounds::name_bound_ids`]): namesakes are a
// table look-up, and other names never touch the identity. The value is exactly
// [`Bounds::name_bound`]'s (the same capability masks, the same level tail), except that a
// name the words cannot describe exactly (more than 64 tokens, joins longer than 65,534 bytes)
// gets the bound of a 64-token name, which is never lower.

/// Flag bits of a compact name's first word (above the 16-bit token count).
const W_FAMILY: u32 = 1 << 16;
const W_WEAK: u32 = 1 << 17;
/// Token count stored when the name is not described token by token (see above).
const W_OVERFLOW: u32 = 0xffff;
/// Words before the token ids: count and flags, join count, particle mask (two words).
const W_HEAD: usize = 4;
/// Words per join: key hash (two), key and skeleton lengths, last bytes, first and second.
const W_JOIN: usize = 5;

fn last_code(b: &[u8]) -> u32 {
    b.last().map(|&c| c as u32).unwrap_or(0x100)
}

/// The compact form of an analysed name, for [`Bounds::name_bound_ids`]: `token_id` interns
/// each token (called once per token, in order, unless the name has more than 64 tokens).
/// Two names with equal words have equal pair bounds against any query name.
pub fn encode_name(
    n: &IdName,
    mut token_id: impl FnMut(&linkwatch_names::Token) -> u32,
) -> Vec<u32> {
    let a = &n.analyzed;
    let long_join = a
        .joins
        .iter()
        .any(|j| j.key.len() >= 0xffff || j.skeleton.len() >= 0xffff);
    let mut count = if a.tokens.len() > 64 || long_join {
        W_OVERFLOW
    } else {
        a.tokens.len() as u32
    };
    if n.family != 0 {
        count |= W_FAMILY;
    }
    if n.quality == NameQuality::Weak {
        count |= W_WEAK;
    }
    if count & 0xffff == W_OVERFLOW {
        return vec![count, 0, n.particles as u32, (n.particles >> 32) as u32];
    }
    let mut w = Vec::with_capacity(W_HEAD + a.tokens.len() + W_JOIN * a.joins.len());
    w.extend([
        count,
        a.joins.len() as u32,
        n.particles as u32,
        (n.particles >> 32) as u32,
    ]);
    w.extend(a.tokens.iter().map(&mut token_id));
    for j in &a.joins {
        w.extend([
            j.key_hash as u32,
            (j.key_hash >> 32) as u32,
            j.key.len() as u32 | (j.skeleton.len() as u32) << 16,
            last_code(j.key.as_bytes()) | last_code(j.skeleton.as_bytes()) << 16,
            j.first.min(63) as u32 | (j.second.min(63) as u32) << 8,
        ]);
    }
    w
}

/// The token ids of a compact name (none for a name not described token by token).
pub fn encoded_token_ids(w: &[u32]) -> &[u32] {
    let n = w.first().map(|c| c & 0xffff).unwrap_or(0);
    if n == W_OVERFLOW {
        return &[];
    }
    w.get(W_HEAD..W_HEAD + n as usize).unwrap_or(&[])
}

/// The query's names for the compact bound: every token and join of every name in one list
/// (at most 64 of each, so one bit per query token or join).
#[derive(Debug)]
pub struct QueryNames<'q> {
    toks: smallvec::SmallVec<[&'q linkwatch_names::Token; 16]>,
    joins: smallvec::SmallVec<[&'q linkwatch_names::Join; 16]>,
    /// Per query name: the name, its first token and first join in the lists.
    names: smallvec::SmallVec<[(&'q IdName, u32, u32); 4]>,
}

impl<'q> QueryNames<'q> {
    /// `None` when the query holds more than 64 tokens or 64 joins in all (the caller then
    /// uses [`Bounds::name_bound`]).
    pub fn new(q: &'q Identity) -> Option<QueryNames<'q>> {
        let mut out = QueryNames {
            toks: Default::default(),
            joins: Default::default(),
            names: Default::default(),
        };
        for n in &q.names {
            out.names
                .push((n, out.toks.len() as u32, out.joins.len() as u32));
            out.toks.extend(n.analyzed.tokens.iter());
            out.joins.extend(n.analyzed.joins.iter());
        }
        (out.toks.len() <= 64 && out.joins.len() <= 64).then_some(out)
    }
}

/// What one candidate token can do against the query's tokens and joins: bit `g` of `agree`
/// when it can agree strongly (or on a skeleton) with query token `g` ([`tokens_can_agree`]),
/// of `align` when it can align at all, of `join` when it can align with query join `g`.
#[derive(Debug, Clone, Copy)]
pub struct TokCaps {
    agree: u64,
    align: u64,
    join: u64,
}

/// Capabilities of an unknown token: everything (a looser bound, never a lower one).
const ALL_CAPS: TokCaps = TokCaps {
    agree: !0,
    align: !0,
    join: !0,
};

fn token_caps(qn: &QueryNames, y: &linkwatch_names::Token) -> TokCaps {
    let mut c = TokCaps {
        agree: 0,
        align: 0,
        join: 0,
    };
    for (g, x) in qn.toks.iter().enumerate() {
        if tokens_can_agree(x, y) {
            c.agree |= 1 << g;
            c.align |= 1 << g;
        } else if tokens_can_align_weakly(x, y) {
            c.align |= 1 << g;
        }
    }
    for (g, j) in qn.joins.iter().enumerate() {
        if token_can_join(y, j) {
            c.join |= 1 << g;
        }
    }
    c
}

/// [`token_can_join`] of a query token against a candidate join in compact form.
#[inline]
fn token_can_join_compact(x: &linkwatch_names::Token, j: &[u32]) -> bool {
    if x.role == PartRole::Initial {
        return false;
    }
    if x.key_hash == (j[0] as u64 | (j[1] as u64) << 32) {
        return true;
    }
    let (xs, jl, jlast) = if x.vowelless {
        (x.skeleton.as_bytes(), j[2] >> 16, j[3] >> 16)
    } else {
        (x.key.as_bytes(), j[2] & 0xffff, j[3] & 0xffff)
    };
    xs.len().abs_diff(jl as usize) <= 1 && last_code(xs) == jlast
}

/// Per-query memo of the compact bound: token capabilities by token id, name bounds by name id.
#[derive(Debug, Default)]
pub struct CompactMemo {
    toks: rustc_hash::FxHashMap<u32, TokCaps>,
    names: rustc_hash::FxHashMap<u32, (f64, bool)>,
    /// Name bounds answered from the memo (statistics).
    pub hits: usize,
}

impl CompactMemo {
    /// Forget everything (start of a query); keeps the tables' capacity.
    pub fn clear(&mut self) {
        self.toks.clear();
        self.names.clear();
        self.hits = 0;
    }

    /// The pair name bound of name id `id` against the query and its evidence flag, when
    /// [`Bounds::name_bound_ids`] has met that name in this query.
    #[inline]
    pub fn name(&self, id: u32) -> Option<(f64, bool)> {
        self.names.get(&id).copied()
    }
}

fn bits(m: u64) -> impl Iterator<Item = usize> {
    let mut m = m;
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let i = m.trailing_zeros() as usize;
            m &= m - 1;
            i
        })
    })
}

impl Bounds {
    /// [`Self::name_pair`] of query name `ai` of `qn` against a compact name `w`
    /// ([`encode_name`]); `caps` gives a candidate token's capabilities by id.
    fn name_pair_compact(
        &self,
        qn: &QueryNames,
        ai: usize,
        w: &[u32],
        mut caps: impl FnMut(u32) -> TokCaps,
    ) -> (f64, bool) {
        let Some(&(a, toff, joff)) = qn.names.get(ai) else {
            return (self.name_base + self.name_per_token * 64.0, true);
        };
        let ntb = (w[0] & 0xffff) as usize;
        let ta = &a.analyzed.tokens;
        if ta.len() > 64 || ntb > 64 || w.len() < W_HEAD + ntb {
            return (self.name_base + self.name_per_token * 64.0, true);
        }
        let njb = w[1] as usize;
        let ids = &w[W_HEAD..W_HEAD + ntb];
        let joins_b = &w[W_HEAD + ntb..];
        if joins_b.len() < W_JOIN * njb {
            return (self.name_base + self.name_per_token * 64.0, true);
        }
        let mask = |n: usize| if n >= 64 { !0u64 } else { (1u64 << n) - 1 };
        let (amask, jamask) = (mask(ta.len()), mask(a.analyzed.joins.len()));
        let (mut any_a, mut strong_a, mut any_b, mut strong_b) = (0u64, 0u64, 0u64, 0u64);
        for (k, &id) in ids.iter().enumerate() {
            let c = caps(id);
            let bk = 1u64 << k;
            let ag = c.agree.checked_shr(toff).unwrap_or(0) & amask;
            let al = c.align.checked_shr(toff).unwrap_or(0) & amask;
            if ag != 0 {
                strong_a |= ag;
                strong_b |= bk;
            }
            if al != 0 {
                any_a |= al;
                any_b |= bk;
            }
            // This token with a join of the query name (both join tokens take part).
            for g in bits(c.join.checked_shr(joff).unwrap_or(0) & jamask) {
                if let Some(j) = qn.joins.get(joff as usize + g) {
                    let jm = (1u64 << j.first.min(63)) | (1u64 << j.second.min(63));
                    strong_a |= jm;
                    any_a |= jm;
                    strong_b |= bk;
                    any_b |= bk;
                }
            }
        }
        // Joins of the candidate name with the query name's tokens.
        for j in joins_b.chunks_exact(W_JOIN).take(njb) {
            for (i, x) in ta.iter().enumerate() {
                if token_can_join_compact(x, j) {
                    let jm = (1u64 << (j[4] & 0xff)) | (1u64 << ((j[4] >> 8) & 0xff));
                    strong_b |= jm;
                    any_b |= jm;
                    strong_a |= 1 << i;
                    any_a |= 1 << i;
                }
            }
        }
        let pb = !(w[2] as u64 | (w[3] as u64) << 32);
        let pa = !a.particles;
        let caps4 = (
            (any_a & pa).count_ones(),
            (strong_a & pa).count_ones(),
            (any_b & pb).count_ones(),
            (strong_b & pb).count_ones(),
        );
        let la = ta.len() as u32 - a.particles.count_ones().min(ta.len() as u32);
        let lb = ntb as u32 - (!pb).count_ones().min(ntb as u32);
        let marked = usize::from(a.family != 0 && w[0] & W_FAMILY != 0);
        let weak = a.quality == NameQuality::Weak || w[0] & W_WEAK != 0;
        self.pair_from_caps(caps4, la, lb, marked, weak)
    }

    /// [`Self::name_bound`] of the query against a candidate given by the ids of its names in
    /// an index: `name_words` gives a name's compact words ([`encode_name`]), `token` an
    /// interned token. Memoised per query in `memo` (cleared between queries): each distinct
    /// token's capabilities and each distinct name's bound are computed once. The same value
    /// and evidence flag as [`Self::name_bound`] on the identities (tested).
    pub fn name_bound_ids<'t>(
        &self,
        qn: &QueryNames,
        q: &Identity,
        names: &[u32],
        memo: &mut CompactMemo,
        name_words: impl Fn(u32) -> Option<&'t [u32]>,
        token: impl Fn(u32) -> Option<&'t linkwatch_names::Token>,
    ) -> (f64, bool) {
        if q.names.is_empty() || names.is_empty() {
            return (0.0, false);
        }
        let mut best = f64::NEG_INFINITY;
        let mut evidence = false;
        for &nid in names {
            let (v, e) = if let Some(&hit) = memo.names.get(&nid) {
                memo.hits += 1;
                hit
            } else {
                let r = match name_words(nid) {
                    Some(w) if !w.is_empty() => {
                        let toks = &mut memo.toks;
                        let mut caps = |id: u32| {
                            *toks.entry(id).or_insert_with(|| match token(id) {
                                Some(y) => token_caps(qn, y),
                                None => ALL_CAPS,
                            })
                        };
                        let (mut v, mut e) = (f64::NEG_INFINITY, false);
                        for ai in 0..qn.names.len() {
                            let (x, y) = self.name_pair_compact(qn, ai, w, &mut caps);
                            v = v.max(x);
                            e |= y;
                        }
                        (v, e)
                    }
                    _ => (self.name_base + self.name_per_token * 64.0, true),
                };
                memo.names.insert(nid, r);
                r
            };
            best = best.max(v);
            evidence |= e;
        }
        if self.cal.0 < 0.0 {
            best = self.name_max(q);
        }
        (best, evidence)
    }
}

// ---- Exact name term per candidate name (the last test before full scoring) ----
//
// For a common name, hundreds of candidates pass every bound above and are fully scored without
// becoming hits: the pair bound relaxes the alignment (any token that could align weakly may
// cover a part; every strong-capable token may pair twice; similarity and rarity at their best),
// which leaves it ~6 bits above the scorer's name term. The scorer's name term of a pair is the
// largest, over every query name × candidate name, of that combination's bits, and a
// combination's bits depend only on the two names (their analyses, quality, family and particle
// marks) and the term-frequency table. So the term is computed per candidate *name*, memoised per
// query by the name's text and marks (namesakes and repeated aliases are one look-up), and only
// for the names whose pair bound still reaches the bits the candidate needs.

/// Per-query memo of [`Bounds::exact_name_memo`]: exact name bits by candidate name. An entry
/// keeps where its name lives (slot and name index), so that equality is checked in full against
/// the indexed name on every hit; a hash collision never mixes two names.
#[derive(Debug, Default)]
pub struct ExactMemo {
    map: rustc_hash::FxHashMap<u64, smallvec::SmallVec<[ExactEntry; 1]>>,
    /// Preparations built for query names that lack a valid one (built at the first call of a
    /// query; `ready` says whether they are).
    own: Vec<Option<crate::identity::NamePrep>>,
    ready: bool,
    buf: linkwatch_names::PairBuf,
    /// Name terms computed (distinct candidate names), and answered from the memo.
    pub computed: usize,
    pub hits: usize,
}

#[derive(Debug, Clone, Copy)]
struct ExactEntry {
    slot: u32,
    name: u32,
    bits: f64,
    evidence: bool,
}

impl ExactMemo {
    /// Forget every entry (start of a query); keeps the table's capacity.
    pub fn clear(&mut self) {
        self.map.clear();
        self.own.clear();
        self.ready = false;
        self.computed = 0;
        self.hits = 0;
    }
}

/// Whether two candidate names have equal name terms against any query: equal original text
/// (the analysis is a function of it) and equal marks.
fn same_name(a: &IdName, b: &IdName) -> bool {
    a.analyzed.tokens.len() == b.analyzed.tokens.len()
        && a.quality == b.quality
        && a.family == b.family
        && a.particles == b.particles
        && a.analyzed.original == b.analyzed.original
}

impl Bounds {
    /// Whether the pair name bounds of single candidate names ([`CompactMemo::name`]) bound
    /// those names' bits (a negative calibration slope makes every name's bound the query's
    /// [`Self::name_max`] instead, which only [`Self::name_bound_ids`] applies).
    pub fn per_name_bounds(&self) -> bool {
        self.cal.0 >= 0.0
    }

    /// The scorer's name bits of candidate name `b` with its best name of `q` — the largest,
    /// over `q`'s names, of what [`features::best_names_fast`] computes for that combination
    /// (the same functions in the same orientation: query first) — and whether a combination
    /// with positive bits has a strong or skeleton agreement. The scorer's name term of a pair
    /// is the largest of these over the candidate's names, and its winning combination is one
    /// of them, so a candidate none of whose names reaches the bits it needs cannot be a hit
    /// (tested: `tests/bound.rs`). Memoised per query in `memo` (cleared between queries) by
    /// the name's text and marks; `(slot, name)` says where `b` lives, and `name_of` resolves
    /// such a place for the equality check.
    #[allow(clippy::too_many_arguments)]
    pub fn exact_name_memo<'c>(
        &self,
        q: &Identity,
        tf: &crate::TermFrequencies,
        slot: u32,
        name: u32,
        b: &IdName,
        memo: &mut ExactMemo,
        name_of: impl Fn(u32, u32) -> Option<&'c IdName>,
    ) -> (f64, bool) {
        let h = memo_hash(b);
        if let Some(bucket) = memo.map.get(&h) {
            for e in bucket {
                if name_of(e.slot, e.name).is_some_and(|x| same_name(x, b)) {
                    memo.hits += 1;
                    return (e.bits, e.evidence);
                }
            }
        }
        if !memo.ready {
            let stamp = tf.stamp();
            memo.own.clear();
            memo.own.extend(q.names.iter().map(|n| {
                let valid = n
                    .prep
                    .as_ref()
                    .is_some_and(|p| p.valid_for(&n.analyzed, stamp));
                (!valid).then(|| crate::identity::NamePrep::new(&n.analyzed, tf, stamp))
            }));
            memo.ready = true;
        }
        let r = self.exact_name(q, &memo.own, b, tf, &mut memo.buf);
        memo.computed += 1;
        memo.map.entry(h).or_default().push(ExactEntry {
            slot,
            name,
            bits: r.0,
            evidence: r.1,
        });
        r
    }

    /// [`Self::exact_name_memo`] without the memo; `own[i]` is the preparation of query name
    /// `i` when its own is missing or made with another table.
    fn exact_name(
        &self,
        q: &Identity,
        own: &[Option<crate::identity::NamePrep>],
        b: &IdName,
        tf: &crate::TermFrequencies,
        buf: &mut linkwatch_names::PairBuf,
    ) -> (f64, bool) {
        let mut slot_b = None;
        let rb = features::prep_of(b, tf, &mut slot_b);
        let (mut best, mut evidence) = (f64::NEG_INFINITY, false);
        for (ia, na) in q.names.iter().enumerate() {
            let Some(ra) = own.get(ia).and_then(Option::as_ref).or(na.prep.as_ref()) else {
                continue;
            };
            let (f, bits) =
                features::name_pair_bits(na, ra, b, rb, buf, &self.params, &self.tables, self.cal);
            best = best.max(bits);
            evidence |= bits > 0.0 && (f.strong > 0 || f.skeleton > 0.0);
        }
        (best, evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linkwatch_model::PartialDate;

    #[test]
    fn pob_bloom_shares_equal_strings() {
        let a = pob_bloom(&["tashkent".into()]);
        let b = pob_bloom(&["tashkent uzbekistan".into()]);
        assert_ne!(a & b, 0);
        assert_ne!(pob_bloom(&[String::new()]) & pob_bloom(&[String::new()]), 0);
    }

    #[test]
    fn bound_exceeds_score_on_simple_pairs() {
        let s = Scorer::default();
        let b = Bounds::new(&s);
        let d = |x: &str| PartialDate::parse(x).ok();
        let pairs = [
            ("Abdulla Karimov", "KARIMOV, Abdulla Rustamovich"),
            ("Juan Garcia", "Juana Garcia Lopez"),
            ("Shams ur-Rahman", "Shamsurrahman"),
            ("Muammar Gaddafi", "معمر القذافي"),
        ];
        for (x, y) in pairs {
            let q = Identity::from_parts(x, d("1981-03-07"), None, Sex::Male);
            let c = Identity::from_parts(y, d("1981-03-07"), None, Sex::Male);
            let o = s.outcome(&q, &c);
            let l = s.log2_odds_of(&o, Context::Screening);
            let nb = b.non_name(
                &q,
                &SlotInfo::of(&q),
                &SlotInfo::of(&c),
                || Some(&c),
                None,
                true,
            );
            let ub = b.prior(Context::Screening) + b.name_max(&q) + nb.log2_odds;
            assert!(l <= ub + 1e-9, "{x} ~ {y}: {l} > {ub}");
            assert!(name_evidence_possible(&q, &c));
        }
    }
}
