//! The [`Identity`] view: everything the scorer compares about one side of a pair, built once from
//! any model type (encounter, watchlist entry, subject, partner alert) and pre-analysed (names
//! analysed with linkwatch-names, dates, countries, documents, phones, e-mails).
//!
//! Knows the model types and the name analyser; knows nothing of weights or scoring.

use linkwatch_model::{
    Biometrics, Contacts, Country, DateSpec, Document, DocumentKind, Encounter, EntityKind, Name,
    NameQuality, PartialDate, PartnerAlert, Sex, Subject, WatchlistEntry,
};
use linkwatch_names::{AnalyzedName, PreparedName, TokenWeights as _};
use smallvec::SmallVec;

/// One analysed name of an identity. Aligned to a cache line: the scorer reads the whole
/// `IdName` of both sides of every pair (its five lines, not the six or seven an unaligned
/// 336-byte element of a `Vec` straddles; pinned by `id_name_stays_compact`).
#[derive(Debug, Clone, PartialEq)]
#[repr(align(64))]
pub struct IdName {
    pub analyzed: AnalyzedName,
    pub quality: NameQuality,
    /// Bit `i` set when token `i` is a family name (from the analyser's roles, else from the
    /// writing conventions "FAMILY, Given" and upper-case family names in mixed-case text).
    pub family: u64,
    /// Bit `i` set when token `i` is a particle (al, bin, abu, de...): neither for nor against.
    pub particles: u64,
    /// What the scorer's fast path precomputes per name (see [`Identity::prepare_tf`]); `None`
    /// until prepared. Scoring is the same without it, only slower.
    pub prep: Option<NamePrep>,
}

/// Per-name data for the scorer's fast path, computed once: the analyser's prepared side (core
/// tokens, frequencies, information weights, joins) and every token's frequency and rarity.
#[derive(Debug, Clone, PartialEq)]
pub struct NamePrep {
    /// [`crate::TermFrequencies::stamp`] of the table it was built with (0: unknown table, never
    /// used by the scorer).
    pub stamp: u64,
    pub side: PreparedName,
    /// `-log2 frequency` of every token, in token order. Four inline (names of five tokens or
    /// more keep theirs in a block of their own): every `IdName` of an index holds this
    /// inline, and the scorer reads the whole `IdName` of every pair, so each inline entry
    /// costs every pair its bytes of memory traffic. The frequencies themselves are not kept:
    /// the rarer of two tokens is the one with more bits (see
    /// [`crate::features::pair_bits_prepared`]).
    pub rarity: SmallVec<[f64; 4]>,
    /// Bit `i` (`i < 64`) set when token `i`'s key occurs more than once in the name (what the
    /// leading-name rule asks of aligned tokens; tokens beyond 64 are looked up in the name).
    pub repeated: u64,
}

impl NamePrep {
    /// Build for `name` with token frequencies from `tf` (looked up by each token's key).
    pub fn new(name: &AnalyzedName, tf: &crate::TermFrequencies, stamp: u64) -> NamePrep {
        // TermFrequencies looks tokens up by key: the same frequencies the analyser would ask for
        let freqs: SmallVec<[f64; 6]> = name.tokens.iter().map(|t| tf.frequency(&t.key)).collect();
        NamePrep {
            stamp,
            side: PreparedName::from_frequencies(name, &freqs),
            rarity: freqs.iter().map(|f| -f.log2()).collect(),
            repeated: repeated_keys(name),
        }
    }

    /// Whether this preparation was built for `name` with the table of stamp `stamp`.
    pub fn valid_for(&self, name: &AnalyzedName, stamp: u64) -> bool {
        self.stamp == stamp
            && stamp != 0
            && self.side.fits(name)
            && self.rarity.len() == name.tokens.len()
    }
}

/// Bit `i` (`i < 64`) set when the key of token `i` occurs more than once among the name's
/// tokens (see [`NamePrep::repeated`]).
pub fn repeated_keys(name: &AnalyzedName) -> u64 {
    let toks = &name.tokens;
    let mut mask = 0u64;
    for (i, t) in toks.iter().enumerate().take(64) {
        if toks.iter().filter(|u| u.key == t.key).count() > 1 {
            mask |= 1 << i;
        }
    }
    mask
}

/// Particles of names (local adapter until linkwatch-names marks them with `PartRole::Particle`).
/// `sayed`/`sayyid`/`seyed` are not here: the lineage title is carried consistently by the
/// person and is often a given or family name in its own right (`SADUDDIN SAYYED`, `El Sayed`).
pub const PARTICLES: &[&str] = &[
    "al", "el", "ul", "ur", "ud", "ad", "ar", "as", "ash", "at", "az", "bin", "ibn", "ben", "bint",
    "abu", "abou", "bu", "ould", "de", "del", "della", "der", "di", "da", "das", "do", "dos", "du",
    "la", "le", "van", "von", "y", "e", "jr", "sr", "mr", "mrs", "dr", "haji", "hajji", "sheikh",
    "shaykh", "mullah", "mulla",
];

/// Titles of [`PARTICLES`] that are family names after the Arabic article (`AL-SHAYKH`,
/// `Al-Mulla`, `al-Haji`).
const TITLES_AS_NAMES: &[&str] = &["haji", "hajji", "sheikh", "shaykh", "mullah", "mulla"];

/// Which tokens are particles: the analyser's roles, else the [`PARTICLES`] list, plus a bare
/// `abd` ("servant of") that opens a compound written apart (`'Abd al-Amir`, `Abd al Hadi`):
/// the compound's second part names the person, so `abd` neither agrees nor disagrees (two
/// different `Abd al-X` names share only it). After the article (`AL-'ABD`) or as the last
/// part it is a family name. Never all tokens.
pub fn particle_mask(n: &AnalyzedName) -> u64 {
    use linkwatch_names::PartRole;
    let toks = &n.tokens[..n.tokens.len().min(64)];
    let article = |i: usize| i > 0 && matches!(toks[i - 1].text.as_str(), "al" | "el");
    let mut mask = 0u64;
    for (i, t) in toks.iter().enumerate() {
        let listed = t.role == PartRole::Particle || PARTICLES.contains(&t.text.as_str());
        let name_after_article = article(i) && TITLES_AS_NAMES.contains(&t.text.as_str());
        let compound_head = t.text == "abd"
            && !article(i)
            && toks[i + 1..]
                .iter()
                .any(|u| u.role != PartRole::Particle && !PARTICLES.contains(&u.text.as_str()));
        if (listed && !name_after_article) || compound_head {
            mask |= 1 << i;
        }
    }
    if mask.count_ones() as usize >= n.tokens.len() {
        0
    } else {
        mask
    }
}

/// Local adapter until linkwatch-names marks family names everywhere: which tokens are family
/// names, from the analyser's roles or the way the name is written.
pub fn family_mask(n: &AnalyzedName) -> u64 {
    use linkwatch_names::PartRole;
    let mut mask = 0u64;
    for (i, t) in n.tokens.iter().enumerate().take(64) {
        if t.role == PartRole::Family {
            mask |= 1 << i;
        }
    }
    if mask != 0 || n.tokens.len() < 2 {
        return mask;
    }
    let orig = n.original.as_str();
    // Words written in capitals inside a mixed-case name ("Abdulla KARIMOV"), or before a comma.
    let has_lower = orig.chars().any(|c| c.is_lowercase());
    let has_upper = orig.chars().any(|c| c.is_uppercase());
    let mut fam_words: Vec<String> = Vec::new();
    if let Some((before, after)) = orig.split_once(',') {
        if !before.trim().is_empty() && !after.trim().is_empty() {
            fam_words.extend(
                linkwatch_names::normalize(before)
                    .split(' ')
                    .map(str::to_string),
            );
        }
    } else if has_lower && has_upper {
        for w in orig.split(|c: char| c.is_whitespace()) {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
                fam_words.extend(linkwatch_names::normalize(w).split(' ').map(str::to_string));
            }
        }
    }
    if fam_words.is_empty() {
        return 0;
    }
    for (i, t) in n.tokens.iter().enumerate().take(64) {
        if fam_words.contains(&t.text) {
            mask |= 1 << i;
        }
    }
    // A name that is all family is no information.
    if mask.count_ones() as usize >= n.tokens.len() {
        0
    } else {
        mask
    }
}

/// A comparable identity, pre-analysed once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Identity {
    pub kind: EntityKind,
    pub names: Vec<IdName>,
    pub sex: Sex,
    pub dobs: Vec<DateSpec>,
    pub nationalities: Vec<Country>,
    /// Places of birth, normalised (lower case, no marks, single spaces).
    pub places_of_birth: Vec<String>,
    /// `(kind, normalised number)`.
    pub documents: Vec<(DocumentKind, String)>,
    pub fingerprint_id: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
}

fn id_names(names: &[Name]) -> Vec<IdName> {
    let mut out: Vec<IdName> = Vec::with_capacity(names.len());
    for n in names {
        if n.full.trim().is_empty() {
            continue;
        }
        let analyzed = linkwatch_names::analyze(&n.full);
        if analyzed.tokens.is_empty() {
            continue;
        }
        // Exact duplicates add nothing but time.
        if out.iter().any(|o| o.analyzed.tokens == analyzed.tokens) {
            continue;
        }
        let family = family_mask(&analyzed);
        let particles = particle_mask(&analyzed);
        out.push(IdName {
            analyzed,
            quality: n.quality,
            family: family & !particles,
            particles,
            prep: None,
        });
    }
    out
}

fn docs(d: &[Document]) -> Vec<(DocumentKind, String)> {
    let mut v: Vec<(DocumentKind, String)> = d
        .iter()
        .filter(|d| !d.number.is_empty())
        .map(|d| (d.kind, d.number.clone()))
        .collect();
    v.dedup();
    v
}

fn bio(b: &Biometrics) -> Option<String> {
    b.fingerprint_id
        .as_ref()
        .filter(|s| !s.trim().is_empty())
        .cloned()
}

impl Identity {
    /// From a biographic subject alone.
    pub fn from_subject(s: &Subject) -> Identity {
        Identity {
            kind: EntityKind::Person,
            names: id_names(&s.names),
            sex: s.sex,
            dobs: s.dob.map(DateSpec::Date).into_iter().collect(),
            nationalities: s.nationalities.clone(),
            places_of_birth: s
                .place_of_birth
                .iter()
                .map(|p| linkwatch_names::normalize(p))
                .filter(|p| !p.is_empty())
                .collect(),
            ..Default::default()
        }
    }

    fn with_contacts(mut self, docs_: &[Document], c: &Contacts) -> Identity {
        self.documents = docs(docs_);
        self.phones = c.phones.clone();
        self.emails = c.emails.clone();
        self
    }

    /// From an encounter: subject, documents, biometrics, contacts.
    pub fn from_encounter(e: &Encounter) -> Identity {
        let mut id = Identity::from_subject(&e.subject).with_contacts(&e.documents, &e.contacts);
        id.fingerprint_id = bio(&e.biometrics);
        id
    }

    /// From a watchlist entry: all names (primary and aliases), all DOBs, documents...
    pub fn from_entry(e: &WatchlistEntry) -> Identity {
        Identity {
            kind: e.kind,
            names: id_names(&e.names),
            sex: e.sex,
            dobs: e.dobs.clone(),
            nationalities: e.nationalities.clone(),
            places_of_birth: e
                .places_of_birth
                .iter()
                .map(|p| linkwatch_names::normalize(p))
                .filter(|p| !p.is_empty())
                .collect(),
            documents: docs(&e.documents),
            fingerprint_id: bio(&e.biometrics),
            phones: e.contacts.phones.clone(),
            emails: e.contacts.emails.clone(),
        }
    }

    /// From a partner alert.
    pub fn from_alert(a: &PartnerAlert) -> Identity {
        Identity::from_subject(&a.subject).with_contacts(&a.documents, &a.contacts)
    }

    /// A bare query: one name and optional DOB, country and sex (as `match-names` and
    /// `screen --name` take them). Unparseable optional values are the caller's to report.
    pub fn from_parts(
        name: &str,
        dob: Option<PartialDate>,
        country: Option<Country>,
        sex: Sex,
    ) -> Identity {
        Identity {
            kind: EntityKind::Person,
            names: id_names(&[Name::full(name)]),
            sex,
            dobs: dob.map(DateSpec::Date).into_iter().collect(),
            nationalities: country.into_iter().collect(),
            ..Default::default()
        }
    }

    /// Precompute everything the scorer's fast path needs per name under the table `tf` (its
    /// frequencies, rarities and the analyser's prepared side; see [`NamePrep`]). What
    /// [`crate::Scorer::prepare`] calls; scoring an unprepared identity gives the same result.
    pub fn prepare_tf(&mut self, tf: &crate::TermFrequencies) {
        let stamp = tf.stamp();
        for n in &mut self.names {
            n.prep = Some(NamePrep::new(&n.analyzed, tf, stamp));
        }
    }

    /// Add a name (as an alias) after construction.
    pub fn add_name(&mut self, name: &str, quality: NameQuality) {
        let mut v = id_names(&[Name {
            full: name.to_string(),
            quality,
            ..Default::default()
        }]);
        self.names.append(&mut v);
    }
}
