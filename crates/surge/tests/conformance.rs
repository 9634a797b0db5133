//! Conformance with R `surveillance` 1.20.3: farringtonFlexible (original and Noufaily
//! settings, with the R weights quirk switched on) and earsC C1/C2 must give R's alarm week by
//! week. Runs on the shared reference set (`/work/shared/data/surge`, skipped when absent) and
//! on the committed golden files in `tests/golden/seed*/` (other random seeds of the same
//! simulator; see `tests/golden/README.md`). Also checks that expected counts / upper bounds /
//! p-values agree numerically where R reports them.

use flate2::read::GzDecoder;
use linkwatch_surge::{ears_week, EarsConfig, EarsMethod, Farrington, FarringtonConfig};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

fn reader(path: &Path) -> csv::Reader<GzDecoder<File>> {
    let f = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    csv::Reader::from_reader(GzDecoder::new(f))
}

fn num(s: &str) -> Option<f64> {
    if s == "NA" || s.is_empty() {
        None
    } else {
        s.parse().ok()
    }
}

struct RRow {
    week: usize,
    alarm: bool,
    stat: Option<f64>,
    ub: Option<f64>,
}

fn check_dir(dir: &Path) {
    let mut series: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut rd = reader(&dir.join("series.csv.gz"));
    let h = rd.headers().expect("header").clone();
    let (ci, cw, cc) = (
        h.iter().position(|c| c == "series_id").expect("series_id"),
        h.iter().position(|c| c == "week").expect("week"),
        h.iter().position(|c| c == "count").expect("count"),
    );
    for r in rd.records() {
        let r = r.expect("record");
        let v = series.entry(r[ci].to_string()).or_default();
        let w: usize = r[cw].parse().expect("week");
        if v.len() < w {
            v.resize(w, 0.0);
        }
        v[w - 1] = r[cc].parse().expect("count");
    }
    let mut rows: BTreeMap<(String, String), Vec<RRow>> = BTreeMap::new();
    let mut rd = reader(&dir.join("alarms_r.csv.gz"));
    for r in rd.records() {
        let r = r.expect("record");
        let method = &r[1];
        if !matches!(
            method,
            "R_FF_orig" | "R_FF_noufaily" | "R_EARS_C1" | "R_EARS_C2"
        ) {
            continue;
        }
        rows.entry((r[0].to_string(), method.to_string()))
            .or_default()
            .push(RRow {
                week: r[2].parse().expect("week"),
                alarm: num(&r[3]).map(|a| a > 0.5).unwrap_or(false),
                stat: num(&r[4]),
                ub: num(&r[5]),
            });
    }
    assert!(!rows.is_empty(), "no R rows in {}", dir.display());
    let orig = Farrington::new(FarringtonConfig::original().with_r_quirk(true));
    let nouf = Farrington::new(FarringtonConfig::noufaily().with_r_quirk(true));
    let c1 = EarsConfig::new(EarsMethod::C1, 0.01);
    let c2 = EarsConfig::new(EarsMethod::C2, 0.01);
    let work: Vec<_> = rows.iter().collect();
    let results: Vec<(usize, usize, Vec<String>, f64)> = work
        .par_iter()
        .map(|((sid, method), rr)| {
            let y = &series[sid];
            let mut n = 0;
            let mut bad = Vec::new();
            let mut maxdiff: f64 = 0.0;
            for r in rr.iter() {
                let idx = r.week - 1;
                n += 1;
                let (alarm, ub, stat) = match method.as_str() {
                    "R_FF_orig" | "R_FF_noufaily" => {
                        let f = if method == "R_FF_orig" { &orig } else { &nouf };
                        match f.test_week(y, idx) {
                            Ok(w) => (w.alarm, Some(w.upper), Some(w.p_value)),
                            Err(_) => (false, None, None),
                        }
                    }
                    _ => {
                        let cfg = if method == "R_EARS_C1" { &c1 } else { &c2 };
                        let w = ears_week(y, idx, cfg).expect("EARS testable");
                        (w.alarm, Some(w.upper), None)
                    }
                };
                if alarm != r.alarm {
                    bad.push(format!(
                        "{sid} {method} week {}: ours {alarm} (ub {ub:?}, p {stat:?}) R {} (ub {:?}, p {:?}) y={}",
                        r.week, r.alarm, r.ub, r.stat, y[idx]
                    ));
                }
                if let (Some(a), Some(b)) = (ub, r.ub) {
                    if a.is_finite() && b.is_finite() {
                        maxdiff = maxdiff.max((a - b).abs() / (1.0 + b.abs()));
                    }
                }
                if let (Some(a), Some(b)) = (stat, r.stat) {
                    if a.is_finite() && b.is_finite() {
                        maxdiff = maxdiff.max((a - b).abs());
                    }
                }
            }
            (n, bad.len(), bad, maxdiff)
        })
        .collect();
    let total: usize = results.iter().map(|r| r.0).sum();
    let nbad: usize = results.iter().map(|r| r.1).sum();
    let maxdiff = results.iter().map(|r| r.3).fold(0.0, f64::max);
    let bad: Vec<&String> = results.iter().flat_map(|r| r.2.iter()).collect();
    println!(
        "{}: {total} series-weeks compared, {nbad} disagreements, max numeric diff {maxdiff:.2e}",
        dir.display()
    );
    for b in bad.iter().take(20) {
        println!("  {b}");
    }
    assert_eq!(
        nbad, 0,
        "alarms differ from R in {nbad} of {total} series-weeks"
    );
    assert!(
        maxdiff < 1e-4,
        "numeric difference to R too large: {maxdiff}"
    );
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn shared_reference_set_agrees_with_r() {
    let dir = manifest().join("../../../shared/data/surge");
    if !dir.join("alarms_r.csv.gz").exists() {
        eprintln!("shared surge data not found at {}: skipped", dir.display());
        return;
    }
    check_dir(&dir);
}

#[test]
fn golden_seed7_agrees_with_r() {
    check_dir(&manifest().join("tests/golden/seed7"));
}

#[test]
fn golden_seed11_agrees_with_r() {
    check_dir(&manifest().join("tests/golden/seed11"));
}
