#![no_main]
//! linkwatch JSONL readers on arbitrary bytes: must not panic, and every record they accept must
//! write back and re-read to the same value (WatchlistEntry, Encounter, Indicator, PartnerAlert).
use libfuzzer_sys::fuzz_target;
use linkwatch_formats::{collect, JsonlReader, JsonlRecord, JsonlWriter};
use linkwatch_model::{Encounter, Indicator, PartnerAlert, WatchlistEntry};

fn round_trip<T: JsonlRecord + PartialEq + std::fmt::Debug>(data: &[u8]) {
    let (good, _rejects) = collect(JsonlReader::<_, T>::new(data, "in.jsonl"));
    let mut w = JsonlWriter::new(Vec::new());
    for g in &good {
        w.write(g).expect("write to memory");
    }
    let buf = w.finish().expect("flush to memory");
    let (again, rejects) = collect(JsonlReader::<_, T>::new(&buf[..], "out.jsonl"));
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(again, good);
}

fuzz_target!(|data: &[u8]| {
    round_trip::<WatchlistEntry>(data);
    round_trip::<Encounter>(data);
    round_trip::<Indicator>(data);
    round_trip::<PartnerAlert>(data);
});
