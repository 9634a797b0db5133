//! Dumps, for every series of one simulation seed (the shared `sim.py` layout), the pieces of
//! the default detector that are expensive to compute — the CUSUM in-control model of the block
//! that holds the test weeks (means and dispersion, exactly as `analyze_series` fits them) and
//! the Farrington Flexible (Noufaily) p-value and expected count of each test week — as one
//! CSV line per series, so that statistics built on them can be explored offline
//! (`bench/surge/score_explore.py`). Benchmark harness: knows the simulation layout, nothing else.
//!
//! usage: cargo run --release -p linkwatch-surge --example dump -- DIR OUT.csv [ROBUST_TAIL_P]

use flate2::read::GzDecoder;
use linkwatch_surge::{fit_in_control, Farrington, FarringtonConfig};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::Path;

const LO: usize = 576; // first test week (1-based)
const HI: usize = 624;

fn reader(path: &Path) -> csv::Reader<GzDecoder<File>> {
    let f = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    csv::Reader::from_reader(GzDecoder::new(f))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: dump DIR OUT.csv");
        std::process::exit(2);
    }
    let dir = Path::new(&args[1]);
    let mut raw: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for r in reader(&dir.join("series.csv.gz")).records() {
        let r = r.expect("series record");
        let e = raw.entry(r[0].to_string()).or_default();
        let w: usize = r[4].parse().expect("week");
        if e.len() < w {
            e.resize(w, 0.0);
        }
        e[w - 1] = r[5].parse().expect("count");
    }
    let items: Vec<(String, Vec<f64>)> = raw.into_iter().collect();
    let fcfg = FarringtonConfig {
        alpha: 0.001,
        ..FarringtonConfig::noufaily()
    };
    // optional: the tail-gated robust in-control fit (`GlrConfig::robust_tail_p`)
    let tail: Option<f64> = args.get(3).and_then(|v| v.parse().ok());
    let gc = linkwatch_surge::GlrConfig {
        robust_tail_p: tail,
        ..linkwatch_surge::detect::default_cusum()
    };
    let (b0, b1) = (572usize, 624usize);
    let lines: Vec<String> = items
        .par_iter()
        .map(|(sid, y)| {
            let f = Farrington::new(fcfg.clone());
            let mut s = sid.clone();
            match fit_in_control(y, b0 - 520, b0, b1, &gc) {
                Ok(ic) => {
                    s += &format!(",{:.6}", ic.phi);
                    for m in &ic.mu0 {
                        s += &format!(",{m:.6}");
                    }
                }
                Err(_) => {
                    s += ",nan";
                    for _ in b0..b1 {
                        s += ",nan";
                    }
                }
            }
            for w in LO..=HI {
                match f.test_week(y, w - 1) {
                    Ok(r) => {
                        let p = if r.enough_cases { r.p_value } else { f64::NAN };
                        s += &format!(",{p:.6e},{:.6},{:.6}", r.expected, r.phi);
                    }
                    Err(_) => s += ",nan,nan,nan",
                }
            }
            s
        })
        .collect();
    let mut out = File::create(&args[2]).expect("create output");
    for l in lines {
        writeln!(out, "{l}").expect("write");
    }
}
