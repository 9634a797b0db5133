//! End-to-end: `linkwatch generate` and `linkwatch demo` on small worlds — files present,
//! byte-identical for the same seed, records parse into the model types, truth files have the
//! documented headers, and bad flags give a clear error.

use linkwatch_model::{Encounter, Indicator, PartnerAlert, WatchlistEntry};
use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkwatch"))
}

fn generate(out: &Path, seed: u64) {
    let st = bin()
        .args([
            "--quiet",
            "generate",
            "--encounters",
            "3000",
            "--watchlist-size",
            "2500",
            "--seed",
        ])
        .arg(seed.to_string())
        .arg("--out")
        .arg(out)
        .status()
        .expect("run linkwatch");
    assert!(st.success());
}

const FILES: [&str; 10] = [
    "encounters.jsonl",
    "watchlist.jsonl",
    "indicators.jsonl",
    "partner_alerts.jsonl",
    "truth/persons.csv",
    "truth/watchlist_matches.csv",
    "truth/networks.csv",
    "truth/partner_alerts.csv",
    "truth/surge.json",
    "truth/summary.json",
];

#[test]
fn generate_writes_all_files_deterministically() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    generate(&a, 9);
    generate(&b, 9);
    generate(&c, 10);
    for f in FILES {
        let x = std::fs::read(a.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        let y = std::fs::read(b.join(f)).expect("same file");
        assert!(x == y, "{f} differs for the same seed");
    }
    assert!(
        std::fs::read(a.join("encounters.jsonl")).ok()
            != std::fs::read(c.join("encounters.jsonl")).ok()
    );

    let text = |f: &str| std::fs::read_to_string(a.join(f)).expect("read");
    let enc = text("encounters.jsonl");
    let n = enc
        .lines()
        .filter(|l| serde_json::from_str::<Encounter>(l).is_ok())
        .count();
    assert_eq!(n, 3000);
    let wl = text("watchlist.jsonl");
    assert_eq!(
        wl.lines()
            .filter(|l| serde_json::from_str::<WatchlistEntry>(l).is_ok())
            .count(),
        2500
    );
    text("indicators.jsonl")
        .lines()
        .for_each(|l| drop(serde_json::from_str::<Indicator>(l).expect("indicator")));
    text("partner_alerts.jsonl")
        .lines()
        .for_each(|l| drop(serde_json::from_str::<PartnerAlert>(l).expect("alert")));
    assert!(text("truth/persons.csv").starts_with("encounter_id,person_id\n"));
    assert_eq!(text("truth/persons.csv").lines().count(), 3001);
    assert!(text("truth/watchlist_matches.csv")
        .starts_with("encounter_id,person_id,list_id,entry_id\n"));
    assert!(text("truth/networks.csv").starts_with("person_id,network_id,role,link_evidence\n"));
    let surge: serde_json::Value = serde_json::from_str(&text("truth/surge.json")).expect("surge");
    for k in [
        "region",
        "countries",
        "sectors",
        "start_week",
        "end_week",
        "extra",
    ] {
        assert!(surge.get(k).is_some(), "surge.json lacks {k}");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&text("truth/summary.json")).expect("summary");
    assert_eq!(summary["encounters"], 3000);
    assert!(summary["concern_network_size"].as_u64().unwrap_or(0) >= 400);
}

#[test]
fn demo_prints_a_summary() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = bin()
        .args([
            "--quiet",
            "demo",
            "--encounters",
            "4000",
            "--watchlist-size",
            "1000",
            "--out",
        ])
        .arg(tmp.path().join("demo"))
        .output()
        .expect("run demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    for want in [
        "ENCOUNTERS",
        "BY NATIONALITY",
        "BY BORDER PATROL SECTOR",
        "NAMES ACROSS SCRIPTS",
        "SMUGGLING NETWORKS",
        "WATCHLIST",
        "SURGE",
        "FILES",
    ] {
        assert!(s.contains(want), "demo output lacks {want}:\n{s}");
    }
}

#[test]
fn too_small_is_rejected_clearly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = bin()
        .args(["generate", "--encounters", "10", "--out"])
        .arg(tmp.path())
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("too small"));
}
