//! Blocking keys for candidate indexes: stable 64-bit keys derived from an analysed name
//! (phonetic key per token, consonant skeleton, equivalence-group ids, vowelled guesses, joined
//! adjacent tokens). Two names that [`crate::compare`] can match at a strong level share at
//! least one key. Hashes are FNV-1a, stable across runs and platforms (safe to persist).
//! Knows nothing about the index structure.

use crate::{AnalyzedName, PartRole, Token};

/// Kind tags mixed into keys so that different key kinds never collide by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum KeyKind {
    Phonetic = 1,
    Skeleton = 2,
    Group = 3,
    Guess = 4,
}

#[inline]
fn tag(kind: KeyKind, h: u64) -> u64 {
    // mix the tag with a multiply-xorshift so tags spread over all bits
    let x = h ^ (kind as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let x = (x ^ (x >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

fn token_keys(t: &Token) -> impl Iterator<Item = u64> + '_ {
    let useful = !matches!(t.role, PartRole::Particle | PartRole::Initial) && !t.key.is_empty();
    let phon = useful.then(|| tag(KeyKind::Phonetic, t.key_hash));
    let skel = (useful && t.skeleton.len() >= 2).then(|| tag(KeyKind::Skeleton, t.skeleton_hash));
    let guess = (useful && t.guess_hash != 0).then(|| tag(KeyKind::Phonetic, t.guess_hash));
    let groups = t
        .groups
        .iter()
        .filter(move |_| useful)
        .map(|g| tag(KeyKind::Group, *g as u64));
    phon.into_iter().chain(skel).chain(guess).chain(groups)
}

/// Blocking keys of a name: for every non-particle, non-initial token its phonetic key,
/// consonant skeleton (if at least 2 letters), vowelled guess (Arabic script) and equivalence
/// groups; for every join of two adjacent tokens its phonetic key and skeleton (so that
/// `Shamsurrahman` and `Shams ur-Rahman` share keys). May repeat a key.
pub fn keys(name: &AnalyzedName) -> impl Iterator<Item = u64> + '_ {
    let tok = name.tokens.iter().flat_map(token_keys);
    let joins = name.joins.iter().flat_map(|j| {
        [
            tag(KeyKind::Phonetic, j.key_hash),
            tag(KeyKind::Skeleton, j.skeleton_hash),
        ]
    });
    tok.chain(joins)
}

/// The blocking keys of one token (see [`keys`]).
pub fn keys_of_token(t: &Token) -> impl Iterator<Item = u64> + '_ {
    token_keys(t)
}
