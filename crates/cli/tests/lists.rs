//! End-to-end: run the built `linkwatch` binary on a temporary directory holding malformed list
//! files and check that it exits 0, counts the good records, and writes a rejects file that names
//! the line and field of every bad one.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

fn linkwatch(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_linkwatch"))
        .args(args)
        .arg("--quiet")
        .current_dir(dir)
        .output()
        .expect("run linkwatch")
}

fn rejects(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).expect("rejects file");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("reject is JSON"))
        .collect()
}

#[test]
fn inspect_and_convert_malformed_ofac_dir() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let ofac = tmp.path().join("sdn");
    std::fs::create_dir(&ofac).expect("mkdir");
    // Line 2: wrong column count. Line 3: no name. Line 4: bad DOB (warning, entry kept).
    let sdn = b"1,\"KARIMOV, Abdulla\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1960; nationality Uzbekistan; a.k.a. 'ABU'.\"\n\
2,\"BROKEN\",-0- \n\
3,-0- ,\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\
4,\"DOE, J\xf6rg\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 31 Feb 1970.\"\n\
5,\"ACME LLC\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
    std::fs::write(ofac.join("sdn.csv"), sdn).expect("write sdn");
    std::fs::write(
        ofac.join("alt.csv"),
        b"1,10,\"aka\",\"KARIMOV, Abdullah\",-0- \n",
    )
    .expect("write alt");

    let out = linkwatch(tmp.path(), &["lists", "inspect", "ofac-sdn:sdn", "--json"]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    let s = &v["lists"][0];
    assert_eq!(s["entries"], 3);
    assert_eq!(s["persons"], 2);
    assert_eq!(s["person_aliases_strong"], 1);
    assert_eq!(s["person_aliases_weak"], 1);
    assert_eq!(s["rejects"], 2);
    assert_eq!(s["warnings"], 1);
    let rj = rejects(&tmp.path().join("linkwatch-lists.rejects.jsonl"));
    let got: Vec<(u64, String, String)> = rj
        .iter()
        .map(|r| {
            (
                r["record"].as_u64().unwrap_or(0),
                r["field"].as_str().unwrap_or("").to_string(),
                r["level"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (2, "record".to_string(), "record".to_string()),
            (3, "SDN_Name".to_string(), "record".to_string()),
            (4, "remarks.DOB".to_string(), "field".to_string()),
        ]
    );
    assert!(rj
        .iter()
        .all(|r| r["source"].as_str().unwrap_or("").ends_with("sdn.csv")));

    // Human table.
    let out = linkwatch(tmp.path(), &["lists", "inspect", "ofac-sdn:sdn"]);
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("persons") && table.contains("rejects"),
        "{table}"
    );

    // Convert, then inspect the JSONL we wrote: same good entries, no new rejects.
    let out = linkwatch(
        tmp.path(),
        &["lists", "convert", "ofac-sdn:sdn", "--output", "w.jsonl"],
    );
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(rejects(&tmp.path().join("w.rejects.jsonl")).len(), 3);
    let out = linkwatch(
        tmp.path(),
        &[
            "lists",
            "inspect",
            "jsonl:w.jsonl",
            "--json",
            "--rejects",
            "r2.jsonl",
        ],
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    assert_eq!(v["lists"][0]["entries"], 3);
    assert_eq!(v["lists"][0]["rejects"], 0);
    assert!(v["rejects_file"].is_null());

    // Convert to the custom-list CSV layout and read it back.
    let out = linkwatch(
        tmp.path(),
        &["lists", "convert", "jsonl:w.jsonl", "--output", "w.csv"],
    );
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = linkwatch(tmp.path(), &["lists", "inspect", "csv:w.csv", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    assert_eq!(v["lists"][0]["entries"], 3);
    assert_eq!(v["lists"][0]["persons"], 2);
    assert_eq!(v["lists"][0]["person_aliases"], 2);
    assert_eq!(v["lists"][0]["rejects"], 0);
}

#[test]
fn malformed_jsonl_and_missing_input() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let good = r#"{"list":{"list_id":"c","version":"1"},"entry_id":"E1","kind":"person","names":[{"full":"A B"}]}"#;
    let text = format!(
        "{good}\n{{\"entry_id\":\"E2\",\"names\":[]}}\n\n{}\n",
        good.replace("E1", "E3")
    );
    std::fs::write(tmp.path().join("w.jsonl"), text).expect("write");
    let out = linkwatch(
        tmp.path(),
        &[
            "lists",
            "inspect",
            "jsonl:w.jsonl",
            "--json",
            "--rejects",
            "bad.jsonl",
        ],
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    assert_eq!(v["lists"][0]["entries"], 2);
    let rj = rejects(&tmp.path().join("bad.jsonl"));
    assert_eq!(rj.len(), 1);
    assert_eq!(rj[0]["record"], 2);
    assert_eq!(rj[0]["field"], "list");
    assert_eq!(rj[0]["entry_id"], "E2");

    // A list that cannot be opened is an error (exit 2), not a silent empty list.
    let out = linkwatch(tmp.path(), &["lists", "inspect", "un-xml:nope.xml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = linkwatch(tmp.path(), &["lists", "inspect", "nokind"]);
    assert!(!out.status.success());
}
