#![no_main]
//! UN consolidated XML importer on arbitrary bytes: must not panic or loop, every kept entry has
//! an id and a name, and every reject names its field.
use libfuzzer_sys::fuzz_target;
use linkwatch_formats::UnXml;

fuzz_target!(|data: &[u8]| {
    let (entries, rejects) = UnXml::new(data, "un.xml", "").collect();
    for e in &entries {
        assert!(!e.entry_id.is_empty());
        assert!(!e.names.is_empty() && !e.names[0].full.is_empty());
    }
    for r in &rejects {
        assert!(!r.field.is_empty());
    }
});
