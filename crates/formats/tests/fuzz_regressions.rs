//! Replays every input kept in `fuzz/regressions/<target>/` (crashes found by cargo-fuzz, see
//! fuzz/README.md) through the same invariants the fuzz targets check, so they stay fixed
//! without needing cargo-fuzz.
#![allow(clippy::unwrap_used)]

use linkwatch_formats::{collect, JsonlReader, JsonlWriter, OfacSdn, Reject, UnXml};
use linkwatch_model::{Encounter, Indicator, PartnerAlert, WatchlistEntry};
use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = rd
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn check_rejects(name: &str, rejects: &[Reject]) {
    for r in rejects {
        assert!(!r.source.is_empty(), "{name}: {r:?}");
        assert!(!r.field.is_empty(), "{name}: {r:?}");
        assert!(
            r.raw.chars().count() <= linkwatch_formats::reject::EXCERPT_CHARS + 1,
            "{name}"
        );
    }
}

fn check_entries(name: &str, entries: &[WatchlistEntry]) {
    for e in entries {
        assert!(!e.entry_id.is_empty(), "{name}");
        assert!(!e.names.is_empty() && !e.names[0].full.is_empty(), "{name}");
    }
}

#[test]
fn ofac_csv_regressions() {
    for (name, data) in inputs("ofac_csv") {
        let (sdn, side) = match data.iter().position(|b| *b == 0) {
            Some(i) => (&data[..i], &data[i + 1..]),
            None => (&data[..], &data[..0]),
        };
        let (entries, rejects) = OfacSdn::new("fuzz")
            .aliases(side, "alt.csv")
            .addresses(side, "add.csv")
            .comments(side, "sdn_comments.csv")
            .collect(sdn, "sdn.csv");
        check_entries(&name, &entries);
        check_rejects(&name, &rejects);
    }
}

#[test]
fn un_xml_regressions() {
    for (name, data) in inputs("un_xml") {
        let (entries, rejects) = UnXml::new(&data[..], "un.xml", "").collect();
        check_entries(&name, &entries);
        check_rejects(&name, &rejects);
    }
}

fn round_trip<T: linkwatch_formats::JsonlRecord + PartialEq + std::fmt::Debug>(
    name: &str,
    data: &[u8],
) {
    let (good, rejects) = collect(JsonlReader::<_, T>::new(data, "in.jsonl"));
    check_rejects(name, &rejects);
    let mut w = JsonlWriter::new(Vec::new());
    for g in &good {
        w.write(g).unwrap();
    }
    let buf = w.finish().unwrap();
    let (again, rejects) = collect(JsonlReader::<_, T>::new(&buf[..], "out.jsonl"));
    assert!(rejects.is_empty(), "{name}: {rejects:?}");
    assert_eq!(again, good, "{name}");
}

#[test]
fn jsonl_regressions() {
    for (name, data) in inputs("jsonl") {
        round_trip::<WatchlistEntry>(&name, &data);
        round_trip::<Encounter>(&name, &data);
        round_trip::<Indicator>(&name, &data);
        round_trip::<PartnerAlert>(&name, &data);
    }
}
