#![no_main]
//! OFAC SDN legacy CSV importer on arbitrary bytes: the input is split at the first 0x00 byte
//! into `sdn.csv` and a side file used as `alt.csv`, `add.csv` and `sdn_comments.csv`. The
//! importer must not panic, every kept entry must have an id and a name, and every reject must
//! name its source and field.
use libfuzzer_sys::fuzz_target;
use linkwatch_formats::OfacSdn;

fuzz_target!(|data: &[u8]| {
    let (sdn, side) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[..0]),
    };
    let (entries, rejects) = OfacSdn::new("fuzz")
        .aliases(side, "alt.csv")
        .addresses(side, "add.csv")
        .comments(side, "sdn_comments.csv")
        .collect(sdn, "sdn.csv");
    for e in &entries {
        assert!(!e.entry_id.is_empty());
        assert!(!e.names.is_empty() && !e.names[0].full.is_empty());
    }
    for r in &rejects {
        assert!(!r.source.is_empty() && !r.field.is_empty());
        assert!(r.raw.chars().count() <= linkwatch_formats::reject::EXCERPT_CHARS + 1);
    }
});
