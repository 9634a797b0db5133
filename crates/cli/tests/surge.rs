//! End-to-end tests of `linkwatch surge`: counts CSV and encounters JSONL in a temp dir,
//! alarms CSV / JSON report / SVG charts out; bad rows are reported and skipped; `--db` is
//! refused until the store exists. Synthetic counts only.

use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkwatch"))
}

/// Deterministic pseudo-random weekly counts around `mean` (LCG; no RNG crate needed).
fn series(mean: f64, weeks: usize, seed: u64) -> Vec<u64> {
    let mut s = seed;
    (0..weeks)
        .map(|i| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (s >> 11) as f64 / (1u64 << 53) as f64;
            let season = 1.0 + 0.2 * (2.0 * std::f64::consts::PI * i as f64 / 52.0).sin();
            (mean * season + (u - 0.5) * 2.0 * mean.sqrt() * 1.5)
                .round()
                .max(0.0) as u64
        })
        .collect()
}

fn write_counts(path: &Path) {
    let mut s = String::from("series,week,count\n");
    let weeks = 330;
    let a = series(40.0, weeks, 1);
    let b = series(12.0, weeks, 2);
    for w in 0..weeks {
        let mut ca = a[w];
        if w == weeks - 1 {
            ca += 90; // a planted surge in the last week of series "uz-sdc"
        }
        s += &format!("uz-sdc,{},{}\n", w + 1, ca);
        s += &format!("gt-tca,{},{}\n", w + 1, b[w]);
    }
    s += "gt-tca,12,abc\n"; // bad count: reported and skipped
    s += ",13,4\n"; // missing series
    std::fs::write(path, s).expect("write counts");
}

#[test]
fn counts_csv_to_alarms_and_charts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let counts = dir.path().join("counts.csv");
    write_counts(&counts);
    let out = dir.path().join("out");
    let o = bin()
        .args(["--quiet", "surge", "--counts"])
        .arg(&counts)
        .args(["--weeks", "4", "--out"])
        .arg(&out)
        .output()
        .expect("run linkwatch");
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "stdout {stdout}\nstderr {stderr}");
    assert!(
        stderr.contains("line 662") && stderr.contains("count"),
        "bad row reported: {stderr}"
    );
    assert!(stderr.contains("series is empty"), "{stderr}");
    let csv = std::fs::read_to_string(out.join("alarms.csv")).expect("alarms.csv");
    let first_alarm = csv.lines().nth(1).expect("at least one alarm");
    assert!(first_alarm.contains("uz-sdc"), "{csv}");
    assert!(
        first_alarm.contains("2006-W17"),
        "week 330 from 2000-W01: {first_alarm}"
    );
    assert!(
        csv.contains("Farrington Flexible: observed"),
        "explained: {csv}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("json"))
            .expect("parse");
    assert_eq!(report["series"], 2);
    assert!(report["alarms"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(report["fdr"]["tests"].as_u64().unwrap_or(0) >= 2);
    // the planted surge heads the analyst list (BH q <= 0.05 across series)
    assert!(
        csv.lines().next().is_some_and(|h| h.contains(",priority,")),
        "{csv}"
    );
    assert!(
        first_alarm.contains(",true,"),
        "priority flag: {first_alarm}"
    );
    assert!(report["analyst_list"]["alarms"].as_u64().unwrap_or(0) >= 1);
    assert!(stdout.contains("analyst list"), "{stdout}");
    let svg = std::fs::read_to_string(out.join("charts").join("uz-sdc.svg")).expect("chart");
    assert!(svg.starts_with("<svg") && svg.contains("alarm"));
    assert!(!out.join("charts").join("gt-tca.svg").exists() || csv.contains("gt-tca"));
}

#[test]
fn encounters_jsonl_by_region_and_sector() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("enc.jsonl");
    let mut s = String::new();
    let start = chrono::NaiveDate::from_ymd_opt(2021, 1, 4).expect("date");
    let base = series(6.0, 160, 7);
    let mut id = 0;
    for (w, n) in base.iter().enumerate() {
        let extra = if w >= 156 { 12 } else { 0 };
        for k in 0..(*n + extra) {
            id += 1;
            let day = start + chrono::Duration::days(7 * w as i64 + (k % 7) as i64);
            let nat = if k % 3 == 0 { "UZ" } else { "TJ" };
            s += &serde_json::json!({
                "id": format!("E{id}"),
                "time": format!("{day}T10:00:00Z"),
                "place": {"kind": "border_sector", "code": "SDC", "name": "San Diego", "lat": 32.5, "lon": -117.0},
                "agency": "USBP",
                "subject": {"names": [{"full": "Synthetic Person"}], "nationalities": [nat]},
                "disposition": {"kind": "detained"},
                "source": {"system": "test", "record_id": format!("R{id}")}
            })
            .to_string();
            s.push('\n');
        }
    }
    s += "{not json}\n";
    std::fs::write(&path, s).expect("write");
    let out = dir.path().join("out");
    let o = bin()
        .args(["--quiet", "surge", "--encounters"])
        .arg(&path)
        .args(["--by", "region|nationality,sector", "--weeks", "4", "--out"])
        .arg(&out)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("not an encounter record"), "{stderr}");
    let csv = std::fs::read_to_string(out.join("alarms.csv")).expect("alarms");
    assert!(csv.contains("region=Central Asia"), "{stdout}\n{csv}");
    assert!(stdout.contains("region Central Asia"), "{stdout}");
}

#[test]
fn db_is_not_available_yet() {
    let o = bin()
        .args(["--quiet", "surge", "--db", "x.db"])
        .output()
        .expect("run");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not available yet"));
}
