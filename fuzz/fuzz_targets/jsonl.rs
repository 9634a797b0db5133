#![no_main]
//! linkwatch JSONL readers on arbitrary bytes: must not panic, and every record they accept must
//! write back and re-read to the same value (WatchlistEntry, Encounter, Indicator, PartnerAlert).
//! The screening view of an encounter line agrees with the full record wherever screening reads.
use libfuzzer_sys::fuzz_target;
use linkwatch_formats::jsonl::{parse_encounter_for_screening, parse_line, ScreeningEncounter};
use linkwatch_formats::{collect, Event, JsonlReader, JsonlRecord, JsonlWriter};
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

fn screening_view(data: &[u8]) {
    for (k, line) in data.split(|&b| b == b'\n').enumerate() {
        let view = parse_encounter_for_screening("in.jsonl", k as u64 + 1, line);
        match parse_line::<Encounter>("in.jsonl", k as u64 + 1, line) {
            Some(Event::Record(e)) => match view {
                Some(Event::Record(v)) => assert_eq!(ScreeningEncounter::from(e), v),
                other => panic!("full record accepted, view gave {other:?}"),
            },
            None => assert!(view.is_none()),
            Some(Event::Reject(_)) => {}
        }
    }
}

fuzz_target!(|data: &[u8]| {
    screening_view(data);
    round_trip::<WatchlistEntry>(data);
    round_trip::<Encounter>(data);
    round_trip::<Indicator>(data);
    round_trip::<PartnerAlert>(data);
});
