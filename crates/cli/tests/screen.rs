//! End-to-end tests of `linkwatch screen`: a JSONL watchlist and encounters in a temporary
//! directory, bulk mode (hits.jsonl with explanations) and one-query mode.

use linkwatch_model::{
    Biometrics, Contacts, Disposition, Encounter, EntityKind, ListRef, Name, PartialDate, Place,
    PlaceKind, Sex, SourceRef, Subject, WatchlistEntry,
};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkwatch"))
}

/// `linkwatch --quiet screen --list jsonl:LIST --encounters ENCS --output HITS`.
fn screen_bulk(
    list: &std::path::Path,
    encs: &std::path::Path,
    hits: &std::path::Path,
) -> std::process::Output {
    bin()
        .args(["--quiet", "screen", "--list"])
        .arg(format!("jsonl:{}", list.display()))
        .arg("--encounters")
        .arg(encs)
        .arg("--output")
        .arg(hits)
        .output()
        .expect("run")
}

fn entry(id: &str, names: &[&str], dob: &str) -> WatchlistEntry {
    WatchlistEntry {
        list: ListRef {
            list_id: "test-list".into(),
            version: "1".into(),
        },
        entry_id: id.into(),
        kind: EntityKind::Person,
        names: names.iter().map(|n| Name::full(*n)).collect(),
        dobs: vec![linkwatch_model::DateSpec::Date(
            PartialDate::parse(dob).expect("date"),
        )],
        ..Default::default()
    }
}

fn encounter(id: &str, name: &str, dob: &str) -> Encounter {
    Encounter {
        id: id.into(),
        time: chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("time"),
        place: Place {
            kind: PlaceKind::BorderSector,
            code: "SDC".into(),
            name: "San Diego".into(),
            lat: 32.5,
            lon: -117.0,
        },
        agency: "USBP".into(),
        subject: Subject {
            names: vec![Name::full(name)],
            sex: Sex::Male,
            dob: PartialDate::parse(dob).ok(),
            nationalities: vec![],
            place_of_birth: None,
        },
        documents: vec![],
        biometrics: Biometrics::default(),
        contacts: Contacts::default(),
        us_address: None,
        sponsor: None,
        travel: vec![],
        group: None,
        facilitator: None,
        disposition: Disposition::Detained,
        source: SourceRef {
            system: "test".into(),
            record_id: id.into(),
        },
    }
}

fn write_jsonl<T: serde::Serialize>(path: &std::path::Path, items: &[T]) {
    let mut s = String::new();
    for i in items {
        s.push_str(&serde_json::to_string(i).expect("json"));
        s.push('\n');
    }
    std::fs::write(path, s).expect("write");
}

#[test]
fn bulk_screening_writes_explained_hits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("list.jsonl");
    let encs = dir.path().join("encounters.jsonl");
    let hits = dir.path().join("hits.jsonl");
    write_jsonl(
        &list,
        &[
            entry(
                "E1",
                &["KARIMOV, Abdulla Rustamovich", "Абдулла Каримов"],
                "1981-03-07",
            ),
            entry("E2", &["Olga PETROVA"], "1990-05-05"),
        ],
    );
    write_jsonl(
        &encs,
        &[
            encounter("X1", "Abdulla Karimov", "07/03/1981"),
            encounter("X2", "John Smith", "1970-01-01"),
        ],
    );
    // A broken line is reported and skipped; the others are still screened.
    let mut text = std::fs::read_to_string(&encs).expect("read");
    text.push_str("{not json}\n");
    std::fs::write(&encs, text).expect("write");
    let out = screen_bulk(&list, &encs, &hits);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("line 3"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&hits)
        .expect("hits")
        .lines()
        .map(|l| serde_json::from_str(l).expect("hit json"))
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let h = &lines[0];
    assert_eq!(h["encounter_id"], "X1");
    assert_eq!(h["entry_id"], "E1");
    assert!(h["probability"].as_f64().expect("p") >= 0.5);
    let terms = h["explanation"]["terms"].as_array().expect("terms");
    assert!(
        terms
            .iter()
            .any(|t| t["feature"] == "dob" && t["level"] == "exact"),
        "{h}"
    );
}

#[test]
fn one_query_pretty_prints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("list.jsonl");
    write_jsonl(
        &list,
        &[entry("E1", &["KARIMOV, Abdulla Rustamovich"], "1981-03-07")],
    );
    let out = bin()
        .args(["--quiet", "screen", "--list"])
        .arg(format!("jsonl:{}", list.display()))
        .args(["--name", "Абдулла Каримов", "--dob", "1981-03-07"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("test-list:E1") && s.contains("dob"), "{s}");
    let out = bin()
        .args(["screen", "--list"])
        .arg(format!("jsonl:{}", list.display()))
        .args(["--name", "x", "--dob", "31/02/1981"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--dob"));
}

#[test]
fn bad_list_and_encounter_lines_become_rejects_naming_line_and_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("list.jsonl");
    let encs = dir.path().join("encounters.jsonl");
    let hits = dir.path().join("hits.jsonl");
    // Line 2: an entry without names; line 3: E1 again (a later version replaces line 1).
    write_jsonl(
        &list,
        &[
            entry("E1", &["Olga PETROVA"], "1990-05-05"),
            entry("E2", &[], "1990-05-05"),
            entry("E1", &["KARIMOV, Abdulla Rustamovich"], "1981-03-07"),
        ],
    );
    write_jsonl(
        &encs,
        &[
            encounter("X1", "Abdulla Karimov", "07/03/1981"),
            encounter("X2", "Olga Petrova", "1990-05-05"),
        ],
    );
    let mut text = std::fs::read_to_string(&encs).expect("read");
    let bad = text
        .lines()
        .next()
        .expect("line")
        .replace("\"X1\"", "\"X3\"")
        .replace("1981-03-07", "1981-02-30");
    text = format!("{text}\n{bad}\n");
    std::fs::write(&encs, text).expect("write");
    let out = screen_bulk(&list, &encs, &hits);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("line 4") && stderr.contains("subject.dob"),
        "{stderr}"
    );
    assert!(stderr.contains("1 replaced"), "{stderr}");
    let rejects: Vec<serde_json::Value> =
        std::fs::read_to_string(dir.path().join("hits.rejects.jsonl"))
            .expect("rejects file")
            .lines()
            .map(|l| serde_json::from_str(l).expect("reject json"))
            .collect();
    let summary: Vec<(u64, &str, &str)> = rejects
        .iter()
        .map(|r| {
            (
                r["record"].as_u64().unwrap_or(0),
                r["field"].as_str().unwrap_or(""),
                r["entry_id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(summary, [(2, "names", "E2"), (4, "subject.dob", "X3")]);
    // Good records are kept: the later E1 is screened (its name reported), Olga's E1 is gone.
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&hits)
        .expect("hits")
        .lines()
        .map(|l| serde_json::from_str(l).expect("hit json"))
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["encounter_id"], "X1");
    assert_eq!(lines[0]["entry_id"], "E1");
    assert_eq!(lines[0]["entry_name"], "KARIMOV, Abdulla Rustamovich");
}

/// Bulk screening in locality order (batches of encounters) writes exactly the hits of one
/// query per encounter in input order: same lines, same order, same scores and explanations;
/// rejects and blank lines between batches are handled as before.
#[test]
fn batched_screening_equals_one_query_per_encounter_on_a_generated_world() {
    let dir = tempfile::tempdir().expect("tempdir");
    let world = dir.path().join("world");
    let o = bin()
        .args(["--quiet", "generate", "--encounters", "2500"])
        .args(["--watchlist-size", "2500", "--seed", "7", "--out"])
        .arg(&world)
        .output()
        .expect("run generate");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Repeat some encounters (same names: they share work in a batch) and add a blank and a
    // bad line in the middle.
    let text = std::fs::read_to_string(world.join("encounters.jsonl")).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    let mut mixed: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    for (k, l) in lines.iter().enumerate().step_by(97) {
        mixed.push(l.replacen("\"id\":\"", &format!("\"id\":\"R{k}-"), 1));
    }
    mixed.insert(1_000, String::new());
    mixed.insert(1_500, "{\"id\": \"broken\"".into());
    let encs = dir.path().join("encounters.jsonl");
    std::fs::write(&encs, mixed.join("\n") + "\n").expect("write");
    let list = format!("jsonl:{}", world.join("watchlist.jsonl").display());
    let run = |out: &str, extra: &[&str]| {
        let out = dir.path().join(out);
        let o = bin()
            .args(["--quiet", "screen", "--list", &list, "--threshold", "0.3"])
            .arg("--encounters")
            .arg(&encs)
            .arg("--output")
            .arg(&out)
            .args(extra)
            .output()
            .expect("run screen");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let rejects = std::fs::read_to_string(out.with_extension("rejects.jsonl")).expect("rj");
        (std::fs::read_to_string(&out).expect("hits"), rejects)
    };
    let (one_by_one, rj1) = run("one.jsonl", &["--input-order", "--batch", "1"]);
    let (batched, rj2) = run("batched.jsonl", &["--batch", "700"]);
    let (whole, rj3) = run("whole.jsonl", &[]);
    assert!(
        one_by_one.lines().count() > 50,
        "too few hits to compare: {}",
        one_by_one.lines().count()
    );
    assert_eq!(one_by_one, batched);
    assert_eq!(one_by_one, whole);
    assert_eq!(rj1, rj2);
    assert_eq!(rj1, rj3);
    assert_eq!(rj1.lines().count(), 1, "{rj1}");
}

/// `screen` parses what screening reads (`formats::jsonl::ScreeningEncounter`): a line whose
/// unread fields hold a wrong type (a travel date "someday", an unknown disposition) is still
/// screened, while a bad field that screening reads, a missing required field or a line that
/// is not JSON is a reject naming line and field, as before.
#[test]
fn lines_are_judged_on_what_screening_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("list.jsonl");
    let encs = dir.path().join("encounters.jsonl");
    let hits = dir.path().join("hits.jsonl");
    write_jsonl(
        &list,
        &[entry("E1", &["KARIMOV, Abdulla Rustamovich"], "1981-03-07")],
    );
    let good =
        serde_json::to_string(&encounter("X1", "Abdulla Karimov", "1981-03-07")).expect("json");
    let odd_travel = good.replace("\"X1\"", "\"X2\"").replace(
        "\"disposition\":",
        "\"travel\":[{\"place\":\"Tbilisi\",\"date\":\"someday\"}],\"disposition\":",
    );
    let odd_disposition = good
        .replace("\"X1\"", "\"X3\"")
        .replace("\"kind\":\"detained\"", "\"kind\":\"teleported\"");
    let bad_dob = good
        .replace("\"X1\"", "\"X4\"")
        .replace("1981-03-07", "1981-02-30");
    let no_time = good
        .replace("\"X1\"", "\"X5\"")
        .replacen("\"time\":", "\"when\":", 1);
    let lines = [
        good,
        odd_travel,
        odd_disposition,
        bad_dob,
        no_time,
        "not json".into(),
    ];
    std::fs::write(&encs, lines.join("\n") + "\n").expect("write");
    let out = screen_bulk(&list, &encs, &hits);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let screened: Vec<String> = std::fs::read_to_string(&hits)
        .expect("hits")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("hit json");
            v["encounter_id"].as_str().unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(screened, ["X1", "X2", "X3"]);
    let rejects: Vec<(u64, String)> =
        std::fs::read_to_string(dir.path().join("hits.rejects.jsonl"))
            .expect("rejects")
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("reject json");
                (
                    v["record"].as_u64().unwrap_or(0),
                    v["field"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
    assert_eq!(
        rejects,
        [
            (4, "subject.dob".to_string()),
            (5, "time".to_string()),
            (6, "record".to_string())
        ]
    );
}
