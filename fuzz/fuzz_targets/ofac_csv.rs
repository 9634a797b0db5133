#![no_main]
//! Fuzz target ofac_csv (filled in by the owning crate).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|_data: &[u8]| {});
