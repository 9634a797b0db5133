#![no_main]
//! Fuzz target un_xml (filled in by the owning crate).
use libfuzzer_sys::fuzz_target;

fuzz_target!(|_data: &[u8]| {});
