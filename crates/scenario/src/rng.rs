//! Seed derivation: every random stream in the generator is a ChaCha8 RNG seeded from
//! `(seed, stream, index)` through SplitMix64, so any record can be regenerated alone and
//! the output does not depend on thread count or scheduling. Knows nothing of the world model.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Independent random streams (one per kind of record).
#[derive(Clone, Copy, Debug)]
#[repr(u64)]
pub enum Stream {
    Plan = 1,
    Person = 2,
    Encounter = 3,
    Network = 4,
    Watchlist = 5,
    WatchlistPick = 6,
    Concern = 7,
    Intel = 8,
    Household = 9,
    Family = 10,
}

#[inline]
pub fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A 64-bit hash of `(seed, stream, index)`.
#[inline]
pub fn hash3(seed: u64, stream: Stream, index: u64) -> u64 {
    splitmix(splitmix(splitmix(seed) ^ (stream as u64).wrapping_mul(0xA24B_AED4_963E_E407)) ^ index)
}

/// Uniform in [0, 1) from a hash.
#[inline]
pub fn unit(seed: u64, stream: Stream, index: u64) -> f64 {
    (hash3(seed, stream, index) >> 11) as f64 / (1u64 << 53) as f64
}

/// The RNG for record `index` of `stream`.
pub fn rng_for(seed: u64, stream: Stream, index: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(hash3(seed, stream, index))
}
