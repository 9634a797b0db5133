//! End-to-end test of the CUSUM threshold options of `linkwatch surge`: the per-series
//! threshold calibrated to an in-control false-alarm probability (`--cusum-alpha`) is explained
//! in every CUSUM alarm (detector, shift, target probability, the series' own h), and a fixed
//! `--cusum-h` says so. Synthetic counts only.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkwatch"))
}

/// Deterministic weekly counts around 30 (LCG) with a sustained step in the last 6 weeks.
fn counts_csv() -> String {
    let mut s = String::from("series,week,count\n");
    let mut x = 99u64;
    let weeks = 330;
    for w in 0..weeks {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let u = (x >> 11) as f64 / (1u64 << 53) as f64;
        let season = 1.0 + 0.15 * (2.0 * std::f64::consts::PI * w as f64 / 52.0).sin();
        let mut c = (30.0 * season + (u - 0.5) * 12.0).round().max(0.0);
        if w + 6 >= weeks {
            c += 16.0;
        }
        s += &format!("kg-step,{},{}\n", w + 1, c);
    }
    s
}

fn run(extra: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let counts = dir.path().join("counts.csv");
    std::fs::write(&counts, counts_csv()).expect("write counts");
    let out = dir.path().join("out");
    let o = bin()
        .args(["--quiet", "surge", "--counts"])
        .arg(&counts)
        .args(["--weeks", "6", "--farrington", "off", "--out"])
        .arg(&out)
        .args(extra)
        .output()
        .expect("run linkwatch");
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let csv = std::fs::read_to_string(out.join("alarms.csv")).expect("alarms.csv");
    let json = std::fs::read_to_string(out.join("report.json")).expect("report.json");
    (csv, json)
}

#[test]
fn calibrated_cusum_threshold_is_explained_per_alarm() {
    let (csv, json) = run(&["--cusum-alpha", "0.004"]);
    assert!(csv.contains("cusum"), "a CUSUM alarm on the step: {csv}");
    assert!(
        csv.contains("calibrated for this series") && csv.contains("0.004"),
        "{csv}"
    );
    assert!(csv.contains("this series: h="), "{csv}");
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    let target = &report["config"]["cusum"]["markov"]["target"];
    assert_eq!(target.as_f64(), Some(0.004), "{}", report["config"]);

    let (csv_fixed, _) = run(&["--cusum-h", "3.6"]);
    assert!(csv_fixed.contains("fixed h"), "{csv_fixed}");
    assert!(
        !csv_fixed.contains("calibrated for this series"),
        "{csv_fixed}"
    );
}

#[test]
fn cusum_alpha_and_h_are_validated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let counts = dir.path().join("counts.csv");
    std::fs::write(&counts, counts_csv()).expect("write counts");
    for (flag, value) in [("--cusum-alpha", "2"), ("--cusum-h", "0")] {
        let o = bin()
            .args(["--quiet", "surge", "--counts"])
            .arg(&counts)
            .args([flag, value, "--out"])
            .arg(dir.path().join("out"))
            .output()
            .expect("run linkwatch");
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(flag), "{flag}: {err}");
    }
}
