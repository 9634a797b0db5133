#![no_main]
//! Dates of birth come from every source in every shape: parsing must never panic, and what it
//! accepts must print and re-parse to the same value.
use libfuzzer_sys::fuzz_target;
use linkwatch_model::PartialDate;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(d) = PartialDate::parse(s) {
            let again = PartialDate::parse(&d.to_string()).expect("printed date re-parses");
            assert_eq!(again, d);
        }
    }
});
