#![no_main]
//! Fuzz target names_analyze: `analyze` and `compare` must never panic on any input, and the
//! comparison must stay symmetric and within [0, 1]. Knows nothing about list formats.
use libfuzzer_sys::fuzz_target;
use linkwatch_names::{analyze, compare, compare_score, keys, normalize, split_variants, UniformWeights};

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    // split the input in two names at the first NUL or in the middle
    let (x, y) = match s.find('\0') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => {
            let mid = s.char_indices().nth(s.chars().count() / 2).map_or(s.len(), |(i, _)| i);
            (&s[..mid], &s[mid..])
        }
    };
    let n = normalize(x);
    assert_eq!(normalize(&n), n);
    let a = analyze(x);
    let b = analyze(y);
    let _ = keys(&a).count();
    let _ = split_variants(x);
    let ab = compare(&a, &b, &UniformWeights);
    let ba = compare_score(&b, &a, &UniformWeights);
    assert!((0.0..=1.0).contains(&ab.similarity));
    assert_eq!(ab.similarity, ba.similarity);
});
