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

use crate::bound::{Packed, SlotInfo};
use crate::identity::{IdName, Identity};
use linkwatch_names::PartRole;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;
use std::fmt;
use std::hash::Hash;

/// Kind of a blocking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// Romanised text of a name part.
    Token,
    /// The analyser's phonetic key of a part (or the vowelled guess of an Arabic-script part,
    /// which the comparison equates with a phonetic key), or of two adjacent parts joined.
    Phonetic,
    /// Consonant skeleton of a part or join.
    Skeleton,
    /// Raw consonant skeleton (vowel-less scripts against romanisations).
    RawSkeleton,
    /// Loose key (voicing merged).
    Loose,
    /// Equivalence group of the name table (cross-script and spelling variants).
    Group,
    /// Folded key (vowels and `h` dropped, consonant classes merged).
    Fold,
    /// The phonetic key with one letter deleted (one-edit typos; keys of 5+ letters).
    Deletion,
    /// First three letters of the phonetic key (Jaro-Winkler agreements mostly share them).
    Prefix,
    /// Two parts of one name (folded keys, skeletons, or groups): recall when each part alone is
    /// too common.
    Pair,
    /// A name part with a two-year birth bucket: recall for one common part plus date of birth.
    PartYear,
    Dob,
    Document,
    /// A document number with one character deleted (one-edit numbers).
    DocumentDeletion,
    Biometric,
    Contact,
}

impl KeyKind {
    fn label(self) -> &'static str {
        match self {
            KeyKind::Token => "tok",
            KeyKind::Phonetic => "ph",
            KeyKind::Skeleton => "skel",
            KeyKind::RawSkeleton => "raw",
            KeyKind::Loose => "loose",
            KeyKind::Group => "grp",
            KeyKind::Fold => "fold",
            KeyKind::Deletion => "del",
            KeyKind::Prefix => "pre",
            KeyKind::Pair => "pair",
            KeyKind::PartYear => "part+year",
            KeyKind::Dob => "dob",
            KeyKind::Document => "doc",
            KeyKind::DocumentDeletion => "doc-del",
            KeyKind::Biometric => "bio",
            KeyKind::Contact => "contact",
        }
    }

    /// Which cap applies at query time: 0 = stop cap (single-part name keys), 1 = fuzzy cap
    /// (one-edit and prefix keys, which only serve weak agreements), 2 = hard cap (everything
    /// else: pairs, part + birth year, identifiers).
    pub fn cap_class(self) -> u8 {
        match self {
            KeyKind::Token
            | KeyKind::Phonetic
            | KeyKind::Skeleton
            | KeyKind::RawSkeleton
            | KeyKind::Loose
            | KeyKind::Group
            | KeyKind::Fold => 0,
            KeyKind::Deletion | KeyKind::Prefix => 1,
            _ => 2,
        }
    }
}

/// A blocking key in readable form (the index stores only its 64-bit hash).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub kind: KeyKind,
    pub text: String,
    pub hash: u64,
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.label(), self.text)
    }
}

#[inline]
fn mix(kind: KeyKind, h: u64) -> u64 {
    let x = h ^ ((kind as u64) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let x = (x ^ (x >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

#[inline]
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[inline]
fn combine(a: u64, b: u64) -> u64 {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    mix(
        KeyKind::Pair,
        a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.rotate_left(23),
    )
}

/// Receives keys as they are generated: the index hashes only, `debug` wants text.
trait KeySink {
    const TEXT: bool;
    fn key(&mut self, kind: KeyKind, hash: u64, text: &dyn Fn() -> String);
    /// The keys that follow belong to name `name`'s tokens `mask` (bit = token index), or,
    /// with `name == u32::MAX`, to no name part (dates, identifiers).
    #[inline]
    fn group(&mut self, _name: u32, _mask: u64) {}
}

struct Hashes<'a>(&'a mut Vec<(u64, u8)>);

impl KeySink for Hashes<'_> {
    const TEXT: bool = false;
    #[inline]
    fn key(&mut self, kind: KeyKind, hash: u64, _text: &dyn Fn() -> String) {
        self.0.push((mix(kind, hash), kind.cap_class()));
    }
}

/// Query keys: hash, cap class and whether the key is a contact (phone, e-mail).
struct QueryHashes<'a>(&'a mut Vec<(u64, u8)>);

/// Bit of [`QueryHashes`]' class byte marking a contact key.
const CONTACT_KEY: u8 = 0x80;
/// Bit of [`QueryHashes`]' class byte marking a document key (number or one-deletion variant).
const DOCUMENT_KEY: u8 = 0x40;
/// Bit of [`QueryHashes`]' class byte marking a biometric key.
const BIOMETRIC_KEY: u8 = 0x20;
/// Identifier keys: their lists are read whole (never by birth-year window).
const IDENTIFIER_KEY: u8 = CONTACT_KEY | DOCUMENT_KEY | BIOMETRIC_KEY;

impl KeySink for QueryHashes<'_> {
    const TEXT: bool = false;
    #[inline]
    fn key(&mut self, kind: KeyKind, hash: u64, _text: &dyn Fn() -> String) {
        let c = match kind {
            KeyKind::Contact => CONTACT_KEY,
            KeyKind::Document | KeyKind::DocumentDeletion => DOCUMENT_KEY,
            KeyKind::Biometric => BIOMETRIC_KEY,
            _ => 0,
        };
        self.0.push((mix(kind, hash), kind.cap_class() | c));
    }
}

/// Query keys with the name part they stand for ([`CandidateIndex::query_key_groups`]).
struct Grouped<'a> {
    out: &'a mut Vec<(u32, u64, KeyKind, u64, u8)>,
    name: u32,
    mask: u64,
}

impl KeySink for Grouped<'_> {
    const TEXT: bool = false;
    fn key(&mut self, kind: KeyKind, hash: u64, text: &dyn Fn() -> String) {
        let (name, mask) = match kind {
            KeyKind::Dob
            | KeyKind::Document
            | KeyKind::DocumentDeletion
            | KeyKind::Biometric
            | KeyKind::Contact => (u32::MAX, 0),
            _ => (self.name, self.mask),
        };
        // Which part + year variant (text: `fold@year`, `pre..@year`, `grpN@year`).
        let variant = if kind == KeyKind::PartYear {
            let t = text();
            if t.starts_with("grp") {
                3
            } else if t.contains("..@") {
                2
            } else {
                1
            }
        } else {
            0
        };
        self.out.push((name, mask, kind, mix(kind, hash), variant));
    }
    fn group(&mut self, name: u32, mask: u64) {
        self.name = name;
        self.mask = mask;
    }
}

/// One query key, the name part it stands for and the postings a windowed scan reads of its
/// list (an analysis of where the scan's work comes from: `examples/screen_bench.rs`).
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct GroupedKey {
    /// Index of the query name, `u32::MAX` for dates and identifiers.
    pub name: u32,
    /// Tokens of that name the key stands for (bit = token index; two for joins and pairs).
    pub mask: u64,
    pub kind: KeyKind,
    /// For part + birth-year keys, the part's key it combines: 1 folded key, 2 three-letter
    /// prefix of the phonetic key, 3 first equivalence group; 0 for other kinds.
    pub variant: u8,
    pub hash: u64,
    /// Length of the whole list (0: no list).
    pub len: usize,
    /// Whether the list is over its query-time cap (never read).
    pub capped: bool,
    /// The slots the scan reads (within the window, unless an identifier key).
    pub slots: Vec<u32>,
}

struct Readable<'a>(&'a mut Vec<Key>);

impl KeySink for Readable<'_> {
    const TEXT: bool = true;
    fn key(&mut self, kind: KeyKind, hash: u64, text: &dyn Fn() -> String) {
        self.0.push(Key {
            kind,
            text: text(),
            hash: mix(kind, hash),
        });
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

/// Birth-year buckets: two years at most one apart share a bucket.
fn year_buckets(y: i32) -> [i32; 2] {
    [y.div_euclid(2), (y + 1).div_euclid(2)]
}

/// Years of birth of an identity (every year of a range or an approximate date, at most 7).
fn birth_years(id: &Identity) -> SmallVec<[i32; 4]> {
    let mut ys: SmallVec<[i32; 4]> = SmallVec::new();
    for d in &id.dobs {
        let (lo, hi) = d.year_bounds();
        let (lo, hi) = (lo as i32, hi as i32);
        if lo <= 0 || hi < lo || hi - lo > 6 {
            continue;
        }
        for y in lo..=hi {
            if !ys.contains(&y) {
                ys.push(y);
            }
        }
    }
    ys
}

fn emit_name<S: KeySink>(n: &IdName, ni: u32, years: &[i32], sink: &mut S) {
    let a = &n.analyzed;
    // Per useful part: (folded key hash, skeleton hash, first group, token bit) for pair keys.
    let mut parts: SmallVec<[(u64, u64, u64, u64); 8]> = SmallVec::new();
    let bit = |i: usize| if i < 64 { 1u64 << i } else { 0 };
    for (i, t) in a.tokens.iter().enumerate() {
        if i < 64 && n.particles & (1 << i) != 0 {
            continue;
        }
        if t.role == PartRole::Particle || t.role == PartRole::Initial {
            continue;
        }
        if t.text.is_ascii() && t.text.len() < 2 {
            continue; // initials (a single Han or Hangul character is a name part)
        }
        sink.group(ni, bit(i));
        sink.key(KeyKind::Token, fnv(t.text.as_bytes()), &|| t.text.clone());
        let mut prefix = 0u64;
        if !t.key.is_empty() {
            sink.key(KeyKind::Phonetic, t.key_hash, &|| t.key.clone());
            let kb = t.key.as_bytes();
            if kb.len() >= 3 && t.key.is_ascii() {
                prefix = fnv(&kb[..3]);
                sink.key(KeyKind::Prefix, prefix, &|| t.key[..3].to_string());
            }
            if kb.len() >= 5 && t.key.is_ascii() {
                let mut buf: SmallVec<[u8; 32]> = SmallVec::new();
                for d in 0..kb.len() {
                    if d > 0 && kb[d] == kb[d - 1] {
                        continue; // same deletion as the previous one
                    }
                    buf.clear();
                    buf.extend_from_slice(&kb[..d]);
                    buf.extend_from_slice(&kb[d + 1..]);
                    let h = fnv(&buf);
                    if S::TEXT {
                        let s = String::from_utf8_lossy(&buf).into_owned();
                        sink.key(KeyKind::Deletion, h, &|| s.clone());
                    } else {
                        sink.key(KeyKind::Deletion, h, &String::new);
                    }
                }
            }
        }
        if let Some(g) = &t.guess {
            sink.key(KeyKind::Phonetic, t.guess_hash, &|| g.clone());
        }
        if t.skeleton.len() >= 2 {
            sink.key(KeyKind::Skeleton, t.skeleton_hash, &|| t.skeleton.clone());
        }
        if t.raw_skeleton_hash != 0 {
            sink.key(KeyKind::RawSkeleton, t.raw_skeleton_hash, &|| {
                format!("{:x}", t.raw_skeleton_hash)
            });
        }
        if t.loose_hash != 0 {
            sink.key(KeyKind::Loose, t.loose_hash, &|| {
                format!("{:x}", t.loose_hash)
            });
        }
        for g in &t.groups {
            sink.key(KeyKind::Group, *g as u64, &|| g.to_string());
        }
        let fold = phonetic(&t.text);
        let fh = fnv(fold.as_bytes());
        if fold.chars().count() >= 2 {
            sink.key(KeyKind::Fold, fh, &|| fold.clone());
        }
        let group = t.groups.first().map(|&g| g as u64 | (1 << 40)).unwrap_or(0);
        for &y in years {
            for b in year_buckets(y) {
                let yb = (b as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93);
                sink.key(KeyKind::PartYear, fh ^ yb, &|| format!("{fold}@{}", b * 2));
                if prefix != 0 {
                    sink.key(
                        KeyKind::PartYear,
                        mix(KeyKind::Prefix, prefix) ^ yb,
                        &|| format!("{}..@{}", &t.key[..3], b * 2),
                    );
                }
                if group != 0 {
                    sink.key(KeyKind::PartYear, mix(KeyKind::Group, group) ^ yb, &|| {
                        format!("grp{}@{}", group & 0xffff_ffff, b * 2)
                    });
                }
            }
        }
        if let Some(p) = parts.iter_mut().find(|p| p.0 == fh) {
            p.3 |= bit(i);
        } else {
            parts.push((fh, t.skeleton_hash, group, bit(i)));
        }
    }
    for j in &a.joins {
        sink.group(ni, bit(j.first) | bit(j.second));
        sink.key(KeyKind::Phonetic, j.key_hash, &|| j.key.clone());
        if j.skeleton.len() >= 2 {
            sink.key(KeyKind::Skeleton, j.skeleton_hash, &|| j.skeleton.clone());
        }
    }
    for i in 0..parts.len() {
        for k in i + 1..parts.len() {
            let (x, y) = (parts[i], parts[k]);
            sink.group(ni, x.3 | y.3);
            sink.key(KeyKind::Pair, combine(x.0, y.0), &|| "fold+fold".into());
            sink.key(KeyKind::Pair, combine(x.1, y.1) ^ 1, &|| "skel+skel".into());
            if x.2 != 0 || y.2 != 0 {
                let (gx, gy) = (
                    if x.2 != 0 { x.2 } else { x.0 },
                    if y.2 != 0 { y.2 } else { y.0 },
                );
                sink.key(KeyKind::Pair, combine(gx, gy) ^ 2, &|| "grp+grp".into());
            }
        }
    }
}

/// Every distinct string made by deleting one byte of `b` (a run of equal bytes gives one), in
/// order: the one-edit document keys at insertion and the probes at query time use this same
/// enumeration, so they always meet.
fn for_each_deletion(b: &[u8], mut f: impl FnMut(&[u8])) {
    let mut buf: SmallVec<[u8; 32]> = SmallVec::new();
    for d in 0..b.len() {
        if d > 0 && b[d] == b[d - 1] {
            continue;
        }
        buf.clear();
        buf.extend_from_slice(&b[..d]);
        buf.extend_from_slice(&b[d + 1..]);
        f(&buf);
    }
}

fn emit_identity<S: KeySink>(id: &Identity, sink: &mut S) {
    let years = birth_years(id);
    for (ni, n) in id.names.iter().enumerate() {
        emit_name(n, ni as u32, &years, sink);
    }
    sink.group(u32::MAX, 0);
    for d in &id.dobs {
        if let linkwatch_model::DateSpec::Date(d) = d {
            if d.day != 0 && !d.approximate {
                let s = d.to_string();
                sink.key(KeyKind::Dob, fnv(s.as_bytes()), &|| s.clone());
            }
        }
    }
    for (_, num) in &id.documents {
        let b = num.as_bytes();
        sink.key(KeyKind::Document, fnv(b), &|| num.clone());
        if b.len() >= 5 && num.is_ascii() {
            for_each_deletion(b, |del| {
                let h = fnv(del);
                if S::TEXT {
                    let s = String::from_utf8_lossy(del).into_owned();
                    sink.key(KeyKind::DocumentDeletion, h, &|| s.clone());
                } else {
                    sink.key(KeyKind::DocumentDeletion, h, &String::new);
                }
            });
        }
    }
    if let Some(f) = &id.fingerprint_id {
        sink.key(KeyKind::Biometric, fnv(f.as_bytes()), &|| f.clone());
    }
    for c in id.phones.iter().chain(&id.emails) {
        sink.key(KeyKind::Contact, fnv(c.as_bytes()), &|| c.clone());
    }
}

/// Blocking keys of one analysed name in readable form (particles and initials skipped; no
/// date-of-birth combinations).
pub fn name_keys(n: &IdName) -> Vec<Key> {
    let mut v = Vec::new();
    emit_name(n, 0, &[], &mut Readable(&mut v));
    v.sort_by(|a, b| (a.kind as u8, &a.text, a.hash).cmp(&(b.kind as u8, &b.text, b.hash)));
    v.dedup();
    v
}

/// Every blocking key of an identity in readable form, deduplicated.
pub fn identity_keys(id: &Identity) -> Vec<Key> {
    let mut v = Vec::new();
    emit_identity(id, &mut Readable(&mut v));
    v.sort_by(|a, b| (a.kind as u8, &a.text, a.hash).cmp(&(b.kind as u8, &b.text, b.hash)));
    v.dedup();
    v
}

/// Every blocking key of an identity as (hash, cap class; see [`KeyKind::cap_class`]),
/// deduplicated.
pub fn key_hashes(id: &Identity) -> Vec<(u64, u8)> {
    let mut v = Vec::with_capacity(64);
    emit_identity(id, &mut Hashes(&mut v));
    v.sort_unstable();
    v.dedup_by_key(|k| k.0);
    v
}

/// Per-thread scratch of a query (see [`CandidateIndex::candidates_into`]): a slot-indexed
/// bitset (cleared per query; 128 KB at a million slots, so it stays in the core's cache)
/// replaces sorting and deduplicating the postings; epoch arrays mark contact and document
/// sharers (read only for the few kept candidates).
#[derive(Debug, Default)]
pub struct Scratch {
    seen: Vec<u64>,
    contact: Vec<u32>,
    doc: Vec<u32>,
    epoch: u32,
    /// Distinct candidate slots of the last query, in first-seen order.
    pub cands: Vec<u32>,
    keys: Vec<(u64, u8)>,
    /// Whether every contact key of the last query was read (none above its cap).
    pub contact_complete: bool,
    /// Whether every document probe of the last query was read (see
    /// [`Scratch::may_share_document`]).
    pub docs_complete: bool,
    /// Whether the last query marked any slot as sharing a document or a contact key (when
    /// not, the slot-indexed marks are not read: one cache miss less per candidate).
    doc_marked: bool,
    contact_marked: bool,
}

impl Scratch {
    fn begin(&mut self, slots: usize) {
        if self.contact.len() < slots {
            self.contact.resize(slots, 0);
            self.doc.resize(slots, 0);
        }
        let words = slots.div_ceil(64);
        self.seen.clear();
        self.seen.resize(words, 0);
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.contact.iter_mut().for_each(|m| *m = 0);
            self.doc.iter_mut().for_each(|m| *m = 0);
            self.epoch = 1;
        }
        self.cands.clear();
        self.doc_marked = false;
        self.contact_marked = false;
    }

    /// Marks `slot` seen; true the first time in this query.
    #[inline]
    fn first_seen(&mut self, slot: u32) -> bool {
        let (w, b) = ((slot >> 6) as usize, 1u64 << (slot & 63));
        let word = &mut self.seen[w];
        let first = *word & b == 0;
        *word |= b;
        first
    }

    /// Whether `slot` may hold a document equal to or one edit from one of the last query's
    /// (false only when known not to).
    #[inline]
    pub fn may_share_document(&self, slot: u32) -> bool {
        !self.docs_complete || (self.doc_marked && self.doc.get(slot as usize) == Some(&self.epoch))
    }

    /// Whether `slot` shares a contact key with the last query.
    #[inline]
    pub fn shares_contact(&self, slot: u32) -> bool {
        self.contact_marked && self.contact.get(slot as usize) == Some(&self.epoch)
    }
}

/// Tuning of the index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexConfig {
    /// Single-part name keys with more postings than this are skipped at query time.
    pub stop_cap: usize,
    /// One-edit and prefix keys (weak, fuzzy agreements) with more postings than this are
    /// skipped at query time.
    pub fuzzy_cap: usize,
    /// Any key with more postings than this is skipped at query time (pairs, DOBs...).
    pub hard_cap: usize,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            stop_cap: 2_000,
            fuzzy_cap: 500,
            hard_cap: 20_000,
        }
    }
}

/// The candidate index. Slots are reused after removal.
#[derive(Debug, Clone)]
pub struct CandidateIndex<K> {
    config: IndexConfig,
    records: Vec<Option<(K, Identity)>>,
    /// Compact summary of every slot's non-name attributes, for the screening bound (kept in
    /// step with `records`; a free slot holds the default).
    info: Vec<SlotInfo>,
    /// Eight-byte summaries of the same (the coarse bound read while scanning postings).
    packed: Vec<Packed>,
    free: Vec<u32>,
    by_key: FxHashMap<K, u32>,
    /// Posting lists by key hash, sharded by [`shard_of`] (one map per shard).
    postings: Vec<FxHashMap<u64, Vec<Posting>>>,
    /// One copy of every distinct analysed token of the indexed names (the compact name
    /// bound's token table; see `bound::encode_name`). Counted once per slot name using it.
    tokens: Interner<linkwatch_names::Token>,
    /// Every distinct name in compact form (`bound::encode_name`), counted per slot name.
    names: Interner<Box<[u32]>>,
    /// Per slot, the ids of its names in `names` (in the identity's name order).
    slot_names: Vec<Box<[u32]>>,
    /// Posting lists of at most this many postings are kept ordered by (birth-year key, slot)
    /// ([`Packed::year_key`]); longer ones are in insertion order (see [`ORDERED_MAX`]).
    ordered_max: usize,
}

/// Posting lists of at most this many postings are kept ordered by (birth-year key, slot), so
/// that a query with a date of birth reads the identities read by every query (key 0) and only
/// the birth years its bound leaves possible ([`crate::bound::QueryBound::year_window`]).
/// Longer lists (above every query-time cap by default: they are never read) keep insertion
/// order, so inserting into them stays O(1); a list that shrinks back to this size is sorted
/// once. Invariant: a list is ordered if and only if its length is at most the limit.
pub const ORDERED_MAX: usize = 32_768;

/// The order of a list of at most `ordered_max` postings.
#[inline]
fn order_key(e: &Posting) -> (u16, u32) {
    (e.packed().year_key(), e.slot)
}

/// Add a posting, keeping the list's order (see [`ORDERED_MAX`]).
fn insert_posting(list: &mut Vec<Posting>, p: Posting, ordered_max: usize) {
    if list.len() < ordered_max {
        let k = order_key(&p);
        let at = list.partition_point(|e| order_key(e) < k);
        list.insert(at, p);
    } else {
        list.push(p);
    }
}

/// Remove the posting of `slot` (summary `packed`), keeping the list's order (see
/// [`ORDERED_MAX`]).
fn remove_posting(list: &mut Vec<Posting>, slot: u32, packed: Packed, ordered_max: usize) {
    if list.len() <= ordered_max {
        let k = (packed.year_key(), slot);
        let at = list.partition_point(|e| order_key(e) < k);
        if list.get(at).is_some_and(|e| e.slot == slot) {
            list.remove(at);
        } else if let Some(pos) = list.iter().position(|e| e.slot == slot) {
            list.remove(pos);
        }
    } else {
        if let Some(pos) = list.iter().position(|e| e.slot == slot) {
            list.swap_remove(pos);
        }
        if list.len() == ordered_max {
            list.sort_unstable_by_key(order_key);
        }
    }
}

/// Values stored once with a reference count, addressed by a dense `u32` id (ids of freed
/// values are reused). Looked up by a caller-given hash and full equality, so a hash collision
/// never merges two values.
#[derive(Debug, Clone)]
struct Interner<T> {
    map: FxHashMap<u64, SmallVec<[u32; 1]>>,
    items: Vec<Option<(T, u32)>>,
    free: Vec<u32>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            map: FxHashMap::default(),
            items: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T> Interner<T> {
    /// The id of the value equal to `eq`'s (one more reference), or of a new one `make`s.
    fn acquire(&mut self, h: u64, eq: impl Fn(&T) -> bool, make: impl FnOnce() -> T) -> u32 {
        let Interner { map, items, free } = self;
        let bucket = map.entry(h).or_default();
        for &id in bucket.iter() {
            if let Some(Some((v, rc))) = items.get_mut(id as usize) {
                if eq(v) {
                    *rc += 1;
                    return id;
                }
            }
        }
        let id = match free.pop() {
            Some(id) => {
                items[id as usize] = Some((make(), 1));
                id
            }
            None => {
                items.push(Some((make(), 1)));
                (items.len() - 1) as u32
            }
        };
        bucket.push(id);
        id
    }

    /// Drop one reference to `id`; the value is freed with the last (`hash` recomputes the
    /// hash it was acquired with).
    fn release(&mut self, id: u32, hash: impl Fn(&T) -> u64) {
        let Some(Some((v, rc))) = self.items.get_mut(id as usize) else {
            return;
        };
        *rc -= 1;
        if *rc > 0 {
            return;
        }
        let h = hash(v);
        if let Some(b) = self.map.get_mut(&h) {
            b.retain(|x| *x != id);
            if b.is_empty() {
                self.map.remove(&h);
            }
        }
        self.items[id as usize] = None;
        self.free.push(id);
    }

    #[inline]
    fn get(&self, id: u32) -> Option<&T> {
        self.items
            .get(id as usize)
            .and_then(|x| x.as_ref())
            .map(|x| &x.0)
    }

    fn live(&self) -> usize {
        self.items.iter().filter(|x| x.is_some()).count()
    }
}

/// Hash of an interned token: fields that equal tokens share (equality is checked in full).
fn token_hash(t: &linkwatch_names::Token) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    t.text.hash(&mut h);
    t.key_hash.hash(&mut h);
    t.skeleton_hash.hash(&mut h);
    t.role.hash(&mut h);
    h.finish()
}

fn words_hash(w: &[u32]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    w.hash(&mut h);
    h.finish()
}

/// Statistics of one query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryStats {
    pub keys: usize,
    pub stop_keys_skipped: usize,
    /// Distinct candidate slots.
    pub candidates: usize,
    /// Postings read (a slot counts once per list it is read from).
    pub postings: usize,
    /// Distinct candidates the filter's document-free test dropped while scanning
    /// ([`CandidateIndex::candidates_filtered`]).
    pub filtered_postings: usize,
    /// Postings left unread because their birth years are outside the query's window
    /// ([`CandidateIndex::candidates_windowed`]).
    pub year_skipped: usize,
}

/// One posting: the slot and, inline, its coarse summary ([`Packed`], 8 bytes as two halves so
/// a posting is 12 bytes), so the coarse filter reads each list sequentially instead of one
/// random access into a slot-indexed array per posting. The copy is written when the record is
/// inserted and dropped with its postings on removal; a slot's summary never changes while the
/// slot is occupied, so every copy always equals the slot's [`Packed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    slot: u32,
    lo: u32,
    hi: u32,
}

impl Posting {
    #[inline]
    fn new(slot: u32, p: Packed) -> Posting {
        Posting {
            slot,
            lo: p.0 as u32,
            hi: (p.0 >> 32) as u32,
        }
    }

    #[inline]
    fn packed(self) -> Packed {
        Packed(self.lo as u64 | (self.hi as u64) << 32)
    }
}

/// A record's keys and summaries, computed before it is stored ([`CandidateIndex::insert_many`]).
type Prepared = (Vec<(u64, u8)>, SlotInfo, Packed);

/// Number of shards of the posting map (by key hash): the bulk build fills them in parallel.
const SHARDS: usize = 16;

#[inline]
fn shard_of(h: u64) -> usize {
    (h >> 60) as usize & (SHARDS - 1)
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
            info: Vec::new(),
            packed: Vec::new(),
            free: Vec::new(),
            by_key: FxHashMap::default(),
            postings: (0..SHARDS).map(|_| FxHashMap::default()).collect(),
            tokens: Interner::default(),
            names: Interner::default(),
            slot_names: Vec::new(),
            ordered_max: ORDERED_MAX,
        }
    }

    /// An empty index whose posting lists stay ordered up to `ordered_max` postings instead of
    /// [`ORDERED_MAX`] (for tests that cross the limit with few records; same candidates).
    #[doc(hidden)]
    pub fn with_ordered_max(config: IndexConfig, ordered_max: usize) -> Self {
        CandidateIndex {
            ordered_max,
            ..Self::new(config)
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
        self.postings.iter().map(|m| m.len()).sum()
    }

    /// Total number of postings (one per record and distinct key).
    pub fn posting_count(&self) -> usize {
        self.postings
            .iter()
            .flat_map(|m| m.values())
            .map(Vec::len)
            .sum()
    }

    #[inline]
    fn list(&self, h: u64) -> Option<&Vec<Posting>> {
        self.postings[shard_of(h)].get(&h)
    }

    /// Insert (or replace) a record.
    pub fn insert(&mut self, key: K, identity: Identity) {
        let keys = key_hashes(&identity);
        let info = SlotInfo::of(&identity);
        self.insert_prepared(key, identity, &keys, info);
    }

    fn insert_prepared(&mut self, key: K, identity: Identity, keys: &[(u64, u8)], info: SlotInfo) {
        self.remove(&key);
        let slot = self.take_slot();
        let packed = Packed::of(&identity);
        for &(h, _) in keys {
            insert_posting(
                self.postings[shard_of(h)].entry(h).or_default(),
                Posting::new(slot, packed),
                self.ordered_max,
            );
        }
        self.by_key.insert(key.clone(), slot);
        self.packed[slot as usize] = packed;
        self.slot_names[slot as usize] = self.intern_names(&identity);
        self.records[slot as usize] = Some((key, identity));
        self.info[slot as usize] = info;
    }

    /// Intern an identity's names (and their tokens) for the compact name bound: the ids of
    /// its names, in order. Every slot name holds one reference to its name and to each of
    /// its tokens ([`Self::release_names`] gives them back).
    fn intern_names(&mut self, id: &Identity) -> Box<[u32]> {
        let mut out = Vec::with_capacity(id.names.len());
        for n in &id.names {
            let tokens = &mut self.tokens;
            let w = crate::bound::encode_name(n, |t| {
                tokens.acquire(token_hash(t), |x| x == t, || t.clone())
            });
            out.push(
                self.names
                    .acquire(words_hash(&w), |x| x[..] == w[..], || w.clone().into()),
            );
        }
        out.into()
    }

    /// Give back the references a slot's names hold (removal or replacement).
    fn release_names(&mut self, slot: u32) {
        let Some(ids) = self.slot_names.get_mut(slot as usize).map(std::mem::take) else {
            return;
        };
        for &nid in ids.iter() {
            let toks: SmallVec<[u32; 8]> = self
                .names
                .get(nid)
                .map(|w| crate::bound::encoded_token_ids(w).iter().copied().collect())
                .unwrap_or_default();
            for t in toks {
                self.tokens.release(t, token_hash);
            }
            self.names.release(nid, |w| words_hash(w));
        }
    }

    /// The ids of a slot's names ([`Self::name_words`]); empty for a free slot.
    #[inline]
    pub fn name_ids(&self, slot: u32) -> &[u32] {
        self.slot_names.get(slot as usize).map_or(&[], |b| &b[..])
    }

    /// A name's compact form (`bound::encode_name`) by id.
    #[inline]
    pub fn name_words(&self, id: u32) -> Option<&[u32]> {
        self.names.get(id).map(|b| &b[..])
    }

    /// An interned token by id (the token ids of [`Self::name_words`]).
    #[inline]
    pub fn token(&self, id: u32) -> Option<&linkwatch_names::Token> {
        self.tokens.get(id)
    }

    /// Distinct names and tokens interned (for benchmarks).
    pub fn interned(&self) -> (usize, usize) {
        (self.names.live(), self.tokens.live())
    }

    /// Take a slot for a new record (a free one first).
    fn take_slot(&mut self) -> u32 {
        match self.free.pop() {
            Some(s) => s,
            None => {
                self.records.push(None);
                self.info.push(SlotInfo::default());
                self.packed.push(Packed::default());
                self.slot_names.push(Box::default());
                (self.records.len() - 1) as u32
            }
        }
    }

    /// Insert many records, in parallel (rayon), by chunks of 65,536: keys and summaries are
    /// computed in parallel; replacements and slot assignment then run in input order, exactly
    /// as inserting one by one; then every shard of the posting map receives its postings
    /// on its own thread, in input order; at the end each list short enough to be ordered
    /// ([`ORDERED_MAX`]) is sorted. The result holds the same records in the same slots
    /// with the same postings as inserting one by one (a key repeated within one chunk never
    /// gets the earlier record's postings, which one-by-one insertion would add and remove).
    pub fn insert_many(&mut self, items: Vec<(K, Identity)>)
    where
        K: Send + Sync,
    {
        use rayon::prelude::*;
        const CHUNK: usize = 1 << 16;
        self.records.reserve(items.len());
        self.slot_names.reserve(items.len());
        self.info.reserve(items.len());
        self.packed.reserve(items.len());
        self.by_key.reserve(items.len());
        let mut items = items.into_iter();
        loop {
            let chunk: Vec<(K, Identity)> = items.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let mut prepared: Vec<Prepared> = chunk
                .par_iter()
                .map(|(_, id)| (key_hashes(id), SlotInfo::of(id), Packed::of(id)))
                .collect();
            // In input order: replace, take a slot, store the record. `pending[j]` is the
            // (slot, chunk index) of a record whose postings are still to come; a later record
            // of the same key in this chunk cancels it.
            let mut pending: Vec<Option<(u32, usize)>> = Vec::with_capacity(chunk.len());
            let mut pending_of_slot: FxHashMap<u32, usize> = FxHashMap::default();
            for (i, (k, id)) in chunk.into_iter().enumerate() {
                if let Some(&old) = self.by_key.get(&k) {
                    if let Some(j) = pending_of_slot.remove(&old) {
                        pending[j] = None;
                        self.by_key.remove(&k);
                        self.records[old as usize] = None;
                        self.info[old as usize] = SlotInfo::default();
                        self.packed[old as usize] = Packed::default();
                        self.release_names(old);
                        self.free.push(old);
                    } else {
                        self.remove(&k);
                    }
                }
                let slot = self.take_slot();
                self.by_key.insert(k.clone(), slot);
                self.slot_names[slot as usize] = self.intern_names(&id);
                self.packed[slot as usize] = prepared[i].2;
                self.info[slot as usize] = std::mem::take(&mut prepared[i].1);
                self.records[slot as usize] = Some((k, id));
                pending_of_slot.insert(slot, pending.len());
                pending.push(Some((slot, i)));
            }
            let live: Vec<(u32, &Prepared)> = pending
                .iter()
                .flatten()
                .map(|&(slot, i)| (slot, &prepared[i]))
                .collect();
            self.postings
                .par_iter_mut()
                .enumerate()
                .for_each(|(shard, map)| {
                    for &(slot, (keys, _, packed)) in &live {
                        for &(h, _) in keys {
                            if shard_of(h) == shard {
                                map.entry(h).or_default().push(Posting::new(slot, *packed));
                            }
                        }
                    }
                });
        }
        // The postings were appended; restore the order of every list short enough to be
        // ordered (once, at the end: removals in between find their posting either way).
        let ordered_max = self.ordered_max;
        self.postings.par_iter_mut().for_each(|map| {
            for l in map.values_mut() {
                if l.len() <= ordered_max && !l.is_sorted_by_key(order_key) {
                    l.sort_unstable_by_key(order_key);
                }
            }
        });
    }

    /// Remove a record; returns whether it was present.
    pub fn remove(&mut self, key: &K) -> bool {
        let Some(slot) = self.by_key.remove(key) else {
            return false;
        };
        if let Some((_, id)) = self.records[slot as usize].take() {
            let packed = self.packed[slot as usize];
            for (h, _) in key_hashes(&id) {
                let map = &mut self.postings[shard_of(h)];
                if let Some(p) = map.get_mut(&h) {
                    remove_posting(p, slot, packed, self.ordered_max);
                    if p.is_empty() {
                        map.remove(&h);
                    }
                }
            }
        }
        self.info[slot as usize] = SlotInfo::default();
        self.packed[slot as usize] = Packed::default();
        self.release_names(slot);
        self.free.push(slot);
        true
    }

    /// Prepare every record for the scorer's fast path under `tf` (see
    /// [`Identity::prepare_tf`]: frequencies, rarities and the analyser's prepared side), in
    /// parallel. Keys do not depend on it, so postings stay valid.
    pub fn prepare_all_tf(&mut self, tf: &crate::TermFrequencies)
    where
        K: Send,
    {
        use rayon::prelude::*;
        self.records.par_iter_mut().for_each(|r| {
            if let Some((_, id)) = r {
                id.prepare_tf(tf);
            }
        });
    }

    /// The compact summary of a slot (see [`SlotInfo`]).
    #[inline]
    pub fn info(&self, slot: u32) -> Option<&SlotInfo> {
        self.info.get(slot as usize)
    }

    /// Candidate slots for a query, into a reusable scratch (no allocation once warm): fills
    /// `scratch.cands` with every distinct slot sharing a key within the caps (the same set as
    /// [`Self::candidates`], in first-seen order) and marks those sharing a contact key
    /// ([`Scratch::shares_contact`]).
    pub fn candidates_into(&self, query: &Identity, scratch: &mut Scratch) -> QueryStats {
        self.candidates_filtered(query, scratch, |_, _| true)
    }

    /// [`Self::candidates_into`] keeping only the candidates whose [`Packed`] summary passes
    /// `keep(packed, may_share_document)`, tested once per distinct candidate from the summary
    /// stored in the posting (a sequential read, no random access per candidate). `keep` must
    /// be a function of its arguments and monotone in the second (`keep(p, false)` implies
    /// `keep(p, true)`): it is tested with `true` first and, only when that passes, with the
    /// slot's actual document flag (one read of the document marks). `Scratch::cands` holds the
    /// kept slots in first-seen order: the same set as filtering [`Self::candidates`] by `keep`
    /// with the document flag.
    pub fn candidates_filtered(
        &self,
        query: &Identity,
        scratch: &mut Scratch,
        keep: impl Fn(Packed, bool) -> bool,
    ) -> QueryStats {
        self.candidates_windowed(query, scratch, [None, None], keep)
    }

    /// [`Self::candidates_filtered`] reading, of each ordered name-key list (see
    /// [`ORDERED_MAX`]; identifier keys' lists are read whole), only the postings whose
    /// birth-year key ([`Packed::year_key`]) is 0 or within a window (inclusive):
    /// `windows[1]` when no candidate can share an identifier with the query (no slot is
    /// marked as sharing a document and every document, biometric and contact list is within
    /// its cap), else `windows[0]`. The caller vouches (as
    /// [`crate::bound::QueryBound::year_windows`] proves) that a candidate with a non-zero key
    /// outside `windows[0]` fails `keep`, and one outside `windows[1]` that shares no
    /// identifier cannot be a hit. Postings left unread are counted in
    /// [`QueryStats::year_skipped`]; a slot none of whose postings is read is not a candidate.
    pub fn candidates_windowed(
        &self,
        query: &Identity,
        scratch: &mut Scratch,
        windows: [Option<(u16, u16)>; 2],
        keep: impl Fn(Packed, bool) -> bool,
    ) -> QueryStats {
        scratch.keys.clear();
        emit_identity(query, &mut QueryHashes(&mut scratch.keys));
        scratch.keys.sort_unstable();
        scratch.keys.dedup_by_key(|k| k.0);
        scratch.begin(self.records.len());
        let mut stats = QueryStats {
            keys: scratch.keys.len(),
            ..Default::default()
        };
        scratch.contact_complete = true;
        // Documents first, so that the filter knows which candidates may hold a document equal
        // to or one edit from one of the query's: `one_edit` (substitution, transposition,
        // insertion, deletion) of numbers of 5+ ASCII characters always leaves a common
        // one-deletion variant or makes one number a deletion of the other. The query's own
        // document keys cover equality, substitution and transposition; two cross probes cover
        // insertion and deletion (flags only: they add no candidate).
        scratch.docs_complete = true;
        for (_, num) in &query.documents {
            let b = num.as_bytes();
            if !num.is_ascii() {
                scratch.docs_complete = false;
                continue;
            }
            // The query's own keys (number, deletions) come through the key loop below; here
            // the cross probes: a listed number that is this one with a character inserted
            // (its deletion key is this number), or with one deleted (its number key is one of
            // this number's deletions).
            if b.len() >= 4 {
                self.flag_docs(mix(KeyKind::DocumentDeletion, fnv(b)), scratch);
            }
            if b.len() >= 6 {
                for_each_deletion(b, |del| {
                    self.flag_docs(mix(KeyKind::Document, fnv(del)), scratch)
                });
            }
        }
        for i in 0..scratch.keys.len() {
            let (h, class) = scratch.keys[i];
            if class & DOCUMENT_KEY != 0 {
                self.flag_docs(h, scratch);
            }
        }
        // Which window: the narrow one only when no candidate can share an identifier.
        let mut unshared = scratch.docs_complete && !scratch.doc_marked;
        for &(h, class) in &scratch.keys {
            if class & (CONTACT_KEY | BIOMETRIC_KEY) != 0 {
                unshared &= self.list(h).is_none_or(|p| p.len() <= self.config.hard_cap);
            }
        }
        let window = windows[usize::from(unshared)];
        for i in 0..scratch.keys.len() {
            let (h, class) = scratch.keys[i];
            let Some(p) = self.list(h) else {
                continue;
            };
            let cap = match class & 3 {
                0 => self.config.stop_cap,
                1 => self.config.fuzzy_cap,
                _ => self.config.hard_cap,
            };
            let contact = class & CONTACT_KEY != 0;
            if p.len() > cap {
                stats.stop_keys_skipped += 1;
                if contact {
                    scratch.contact_complete = false;
                }
                continue;
            }
            // The postings to read: all, or (ordered list and a window) the always-read
            // prefix and the window's years.
            let (head, tail): (&[Posting], &[Posting]) = match window {
                Some((lo, hi)) if p.len() <= self.ordered_max && class & IDENTIFIER_KEY == 0 => {
                    let n0 = p.partition_point(|e| e.packed().year_key() == 0);
                    let rest = &p[n0..];
                    let a = rest.partition_point(|e| e.packed().year_key() < lo);
                    let b = rest.partition_point(|e| e.packed().year_key() <= hi);
                    (&p[..n0], &rest[a..b.max(a)])
                }
                _ => (&p[..], &[]),
            };
            let read = head.len() + tail.len();
            stats.postings += read;
            stats.year_skipped += p.len() - read;
            for &e in head.iter().chain(tail) {
                let s = e.slot;
                if scratch.first_seen(s) {
                    stats.candidates += 1;
                    // Document-free test first (no read of the document marks), from the
                    // summary stored in the posting.
                    let packed = e.packed();
                    if !keep(packed, true) {
                        stats.filtered_postings += 1;
                    } else if keep(packed, scratch.may_share_document(s)) {
                        scratch.cands.push(s);
                    }
                }
                if contact {
                    scratch.contact[s as usize] = scratch.epoch;
                    scratch.contact_marked = true;
                }
            }
        }
        stats
    }

    /// Every key of `query` with its name part and what a scan with birth-year `window`
    /// reads of its list (see [`GroupedKey`]; a key standing for several parts appears once
    /// per part group). For analyses only: the scan itself is [`Self::candidates_windowed`].
    #[doc(hidden)]
    pub fn query_key_groups(
        &self,
        query: &Identity,
        window: Option<(u16, u16)>,
    ) -> Vec<GroupedKey> {
        let mut raw = Vec::new();
        emit_identity(
            query,
            &mut Grouped {
                out: &mut raw,
                name: u32::MAX,
                mask: 0,
            },
        );
        raw.sort_unstable_by_key(|k| (k.3, k.0, k.1));
        raw.dedup();
        raw.into_iter()
            .map(|(name, mask, kind, h, variant)| {
                let cap = match kind.cap_class() {
                    0 => self.config.stop_cap,
                    1 => self.config.fuzzy_cap,
                    _ => self.config.hard_cap,
                };
                let ident = matches!(
                    kind,
                    KeyKind::Document
                        | KeyKind::DocumentDeletion
                        | KeyKind::Biometric
                        | KeyKind::Contact
                );
                let (len, capped, slots) = match self.list(h) {
                    None => (0, false, Vec::new()),
                    Some(p) if p.len() > cap => (p.len(), true, Vec::new()),
                    Some(p) => {
                        let slots = match window {
                            Some((lo, hi)) if p.len() <= self.ordered_max && !ident => p
                                .iter()
                                .filter(|e| {
                                    let k = e.packed().year_key();
                                    k == 0 || (lo..=hi).contains(&k)
                                })
                                .map(|e| e.slot)
                                .collect(),
                            _ => p.iter().map(|e| e.slot).collect(),
                        };
                        (p.len(), false, slots)
                    }
                };
                GroupedKey {
                    name,
                    mask,
                    kind,
                    variant,
                    hash: h,
                    len,
                    capped,
                    slots,
                }
            })
            .collect()
    }

    /// The slot of a record (for analyses).
    #[doc(hidden)]
    pub fn slot_of(&self, key: &K) -> Option<u32> {
        self.by_key.get(key).copied()
    }

    /// Flag the slots of a document posting (all of it: flags are cheap; a list longer than
    /// the hard cap makes the document knowledge incomplete instead).
    fn flag_docs(&self, h: u64, scratch: &mut Scratch) {
        if let Some(p) = self.list(h) {
            if p.len() > self.config.hard_cap {
                scratch.docs_complete = false;
                return;
            }
            for e in p {
                scratch.doc[e.slot as usize] = scratch.epoch;
                scratch.doc_marked = true;
            }
        }
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
        let keys = key_hashes(query);
        let mut stats = QueryStats {
            keys: keys.len(),
            ..Default::default()
        };
        let mut out: Vec<u32> = Vec::new();
        for &(h, class) in &keys {
            let Some(p) = self.list(h) else {
                continue;
            };
            let cap = match class {
                0 => self.config.stop_cap,
                1 => self.config.fuzzy_cap,
                _ => self.config.hard_cap,
            };
            if p.len() > cap {
                stats.stop_keys_skipped += 1;
                continue;
            }
            stats.postings += p.len();
            out.extend(p.iter().map(|e| e.slot));
        }
        out.sort_unstable();
        out.dedup();
        stats.candidates = out.len();
        (out, stats)
    }

    /// Read-ahead for screening: an ordinary load of what a later test will read of `slot`,
    /// its value discarded (through `black_box`), so that the cache misses of several
    /// candidates overlap. `stage` 0: the record and its summary; 1: the first analysed name
    /// (reads the record); 2: the first two tokens of each of the first two names (reads the
    /// names). Issued a few candidates apart (2 far ahead, 0 just ahead), each stage finds the
    /// memory the previous one brought in. For the compact name bound: 3: the summary and the
    /// slot's entry in the name-id table; 4: the slot's name ids; 5: the compact words of its
    /// names. No effect on any result.
    #[inline]
    pub fn read_ahead(&self, slot: u32, stage: u8) {
        let s = slot as usize;
        match stage {
            3 => {
                if let Some(i) = self.info.get(s) {
                    std::hint::black_box(i.has_documents());
                }
                if let Some(n) = self.slot_names.get(s) {
                    std::hint::black_box(n.len());
                }
                return;
            }
            4 => {
                if let Some(n) = self.slot_names.get(s) {
                    std::hint::black_box(n.first());
                }
                return;
            }
            5 => {
                for &n in self.name_ids(slot) {
                    std::hint::black_box(self.name_words(n).map(|w| w.first()));
                }
                return;
            }
            _ => {}
        }
        let Some(r) = self.records.get(s) else {
            return;
        };
        match stage {
            0 => {
                std::hint::black_box(r.is_some());
                if let Some(i) = self.info.get(s) {
                    std::hint::black_box(i.has_documents());
                }
            }
            1 => {
                if let Some((_, id)) = r {
                    for n in id.names.iter().take(2) {
                        std::hint::black_box(n.analyzed.tokens.len());
                    }
                }
            }
            _ => {
                if let Some((_, id)) = r {
                    for n in id.names.iter().take(2) {
                        for t in n.analyzed.tokens.iter().take(2) {
                            std::hint::black_box((t.key_hash, t.role));
                        }
                    }
                }
            }
        }
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
        let mut v: Vec<usize> = self
            .postings
            .iter()
            .flat_map(|m| m.values())
            .map(Vec::len)
            .collect();
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
    fn every_field_gives_keys() {
        use linkwatch_model::{DocumentKind, PartialDate};
        let mut ix: CandidateIndex<u32> = CandidateIndex::default();
        let dob = PartialDate::parse("1981-03-07").ok();
        let mut e = Identity::from_parts("Abdulla Karimov", dob, None, Sex::Male);
        e.documents = vec![(DocumentKind::Passport, "FA6756713".into())];
        e.fingerprint_id = Some("FIN3205013499".into());
        e.phones = vec!["+998997897751".into()];
        ix.insert(1, e);
        ix.insert(2, id("Olga Petrova"));
        let found = |q: Identity| ix.candidates(&q).0 == vec![0];
        // No name: a document one edit away, a fingerprint, a phone.
        let q = Identity {
            documents: vec![(DocumentKind::Passport, "FA6756718".into())],
            ..Default::default()
        };
        assert!(found(q), "one-edit document");
        let q = Identity {
            fingerprint_id: Some("FIN3205013499".into()),
            ..Default::default()
        };
        assert!(found(q), "fingerprint");
        let q = Identity {
            phones: vec!["+998997897751".into()],
            ..Default::default()
        };
        assert!(found(q), "phone");
        // Names in another script, and a typo.
        assert!(found(id("Абдулла Каримов")), "Cyrillic");
        assert!(found(id("Abdula Karimow")), "spelling");
    }

    #[test]
    fn frequent_part_plus_birth_year_keeps_recall() {
        use linkwatch_model::PartialDate;
        let mut ix: CandidateIndex<u32> = CandidateIndex::new(IndexConfig {
            stop_cap: 3,
            fuzzy_cap: 3,
            hard_cap: 100,
        });
        for i in 0..10 {
            ix.insert(
                i,
                id(&format!("Muhammad Person{}", (b'a' + i as u8) as char)),
            );
        }
        let d = |s: &str| PartialDate::parse(s).ok();
        ix.insert(
            99,
            Identity::from_parts("Muhammad Zzzz", d("1980-05-05"), None, Sex::Unknown),
        );
        // One year apart: same two-year bucket.
        let q = Identity::from_parts("Mohammed", d("1981-02-02"), None, Sex::Unknown);
        let (c, _) = ix.candidates(&q);
        assert_eq!(c.len(), 1);
        assert_eq!(ix.slot(c[0]).map(|s| *s.0), Some(99));
        // Removal leaves nothing behind.
        assert!(ix.remove(&99));
        assert!(ix.candidates(&q).0.is_empty());
    }

    #[test]
    fn bulk_insertion_equals_one_by_one() {
        use linkwatch_model::PartialDate;
        let names = [
            "Abdulla Karimov",
            "Olga Petrova",
            "Muammar QADHAFI",
            "Абдулла Каримов",
            "Juan Garcia Lopez",
            "Maria Garcia",
            "Shams ur-Rahman",
        ];
        let d = |s: &str| PartialDate::parse(s).ok();
        let mk = |i: usize| {
            let dob = d(&format!("19{:02}-0{}-1{}", 50 + i % 40, 1 + i % 9, i % 10));
            let sex = if i.is_multiple_of(2) {
                Sex::Male
            } else {
                Sex::Female
            };
            Identity::from_parts(names[i % names.len()], dob, None, sex)
        };
        // Keys 0..40, then 10..30 again (replacements within the batch) and 5 already present.
        let batch: Vec<(u32, Identity)> = (0..40u32)
            .chain(10..30)
            .chain([5])
            .enumerate()
            .map(|(i, k)| (k, mk(i)))
            .collect();
        let mut bulk: CandidateIndex<u32> = CandidateIndex::default();
        let mut one: CandidateIndex<u32> = CandidateIndex::default();
        for k in [5u32, 77] {
            bulk.insert(k, mk(k as usize + 3));
            one.insert(k, mk(k as usize + 3));
        }
        bulk.remove(&77);
        one.remove(&77);
        bulk.insert_many(batch.clone());
        for (k, id) in batch {
            one.insert(k, id);
        }
        assert_eq!(bulk.len(), one.len());
        assert_eq!(bulk.key_count(), one.key_count());
        assert_eq!(bulk.posting_count(), one.posting_count());
        for i in 0..60 {
            let q = mk(i);
            assert_eq!(bulk.candidates(&q).0, one.candidates(&q).0);
            let (mut a, mut b) = (Scratch::default(), Scratch::default());
            bulk.candidates_into(&q, &mut a);
            one.candidates_into(&q, &mut b);
            a.cands.sort_unstable();
            b.cands.sort_unstable();
            assert_eq!(a.cands, b.cands);
        }
        for s in 0..bulk.records.len() as u32 {
            assert_eq!(bulk.slot(s).map(|r| *r.0), one.slot(s).map(|r| *r.0));
            assert_eq!(bulk.packed[s as usize], one.packed[s as usize]);
            assert_eq!(bulk.info(s), one.info(s));
            assert_eq!(bulk.name_ids(s), one.name_ids(s));
            for &n in bulk.name_ids(s) {
                assert_eq!(bulk.name_words(n), one.name_words(n));
            }
        }
        assert_eq!(bulk.interned(), one.interned());
    }

    /// Every list of at most `ordered_max` postings is ordered by (year key, slot).
    fn assert_ordered(ix: &CandidateIndex<u32>) {
        for m in &ix.postings {
            for l in m.values() {
                if l.len() <= ix.ordered_max {
                    assert!(
                        l.windows(2).all(|w| order_key(&w[0]) < order_key(&w[1])),
                        "list of {} not ordered",
                        l.len()
                    );
                }
            }
        }
    }

    #[test]
    fn posting_lists_stay_ordered_by_birth_year() {
        use linkwatch_model::{DateSpec, PartialDate};
        // Namesakes (long lists) with every kind of date: none, plain, year only, ranges,
        // approximate, several; lists ordered up to 9 postings, so inserts and removals cross
        // the limit both ways.
        let d = |s: &str| PartialDate::parse(s).ok();
        let mk = |i: usize| {
            let mut id = Identity::from_parts(
                ["Muhammad Karimov", "Muhammad Ali", "Ali Karimov"][i % 3],
                None,
                None,
                Sex::Unknown,
            );
            let y = 1950 + (i * 7) % 40;
            let spec = |s: String| d(&s).map(DateSpec::Date);
            let specs: Vec<Option<DateSpec>> = match i % 6 {
                0 => vec![],
                1 => vec![spec(format!("{y}-03-0{}", 1 + i % 9))],
                2 => vec![spec(format!("{y}"))],
                3 => vec![d(&format!("{y}"))
                    .zip(d(&format!("{}", y + 1 + i % 5)))
                    .map(|(from, to)| DateSpec::Range { from, to })],
                4 => vec![spec(format!("circa {y}"))],
                _ => vec![spec(format!("{y}")), spec(format!("{}", y + i % 9))],
            };
            id.dobs.extend(specs.into_iter().flatten());
            id
        };
        let config = IndexConfig::default();
        let mut one: CandidateIndex<u32> = CandidateIndex::with_ordered_max(config, 9);
        let mut bulk: CandidateIndex<u32> = CandidateIndex::with_ordered_max(config, 9);
        let batch: Vec<(u32, Identity)> = (0..60).map(|i| (i as u32, mk(i))).collect();
        for (k, id) in batch.clone() {
            one.insert(k, id);
            assert_ordered(&one);
        }
        bulk.insert_many(batch);
        assert_ordered(&bulk);
        let keys = |ix: &CandidateIndex<u32>| -> usize {
            ix.postings
                .iter()
                .flat_map(|m| m.values())
                .filter(|l| l.iter().any(|e| e.packed().year_key() != 0))
                .count()
        };
        assert!(keys(&one) > 10, "dated postings expected");
        for k in (0..60).step_by(3) {
            assert!(one.remove(&k));
            assert!(bulk.remove(&k));
            assert_ordered(&one);
            assert_ordered(&bulk);
        }
        for k in (0..60).step_by(5) {
            one.insert(k, mk(k as usize + 1));
            bulk.insert(k, mk(k as usize + 1));
            assert_ordered(&one);
            assert_ordered(&bulk);
        }
        // The same postings, in the same order wherever a list is ordered.
        for (m1, m2) in one.postings.iter().zip(&bulk.postings) {
            assert_eq!(m1.len(), m2.len());
            for (h, l1) in m1 {
                let l2 = &m2[h];
                if l1.len() <= 9 {
                    assert_eq!(l1, l2);
                } else {
                    let (mut a, mut b) = (l1.clone(), l2.clone());
                    a.sort_unstable_by_key(order_key);
                    b.sort_unstable_by_key(order_key);
                    assert_eq!(a, b);
                }
            }
        }
        // A fresh build of what is left holds the same lists, ordered the same way.
        let mut fresh: CandidateIndex<u32> = CandidateIndex::with_ordered_max(config, 9);
        for s in 0..one.records.len() as u32 {
            if let Some((k, id)) = one.slot(s) {
                fresh.insert(*k, id.clone());
            }
        }
        assert_eq!(fresh.posting_count(), one.posting_count());
        assert_eq!(fresh.key_count(), one.key_count());
        // Windowed scans keep exactly the candidates whose key is 0 or in the window.
        for (lo, hi) in [(150u16, 160u16), (1, 512), (300, 200)] {
            let q = mk(7);
            let (mut a, mut b) = (Scratch::default(), Scratch::default());
            let inside = |p: Packed| p.year_key() == 0 || (lo..=hi).contains(&p.year_key());
            let st = one.candidates_windowed(&q, &mut a, [Some((lo, hi)); 2], |p, _| inside(p));
            one.candidates_filtered(&q, &mut b, |p, _| inside(p));
            a.cands.sort_unstable();
            b.cands.sort_unstable();
            assert_eq!(a.cands, b.cands);
            if lo > hi {
                assert!(st.year_skipped > 0);
            }
        }
    }

    #[test]
    fn stop_keys_fall_back_to_pairs() {
        let mut ix: CandidateIndex<u32> = CandidateIndex::new(IndexConfig {
            stop_cap: 3,
            fuzzy_cap: 3,
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
