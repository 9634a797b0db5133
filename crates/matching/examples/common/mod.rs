//! Helpers shared by the screening benchmarks (`screen_bench`, `batch_bench`): reading JSON
//! Lines files and the process's CPU time and peak memory from /proc. Benchmark plumbing only.
#![allow(dead_code)] // each benchmark uses a subset

use anyhow::Context as _;
use std::io::BufRead;
use std::path::PathBuf;

pub fn read_lines(path: &PathBuf, max: usize) -> anyhow::Result<Vec<String>> {
    let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut out = Vec::new();
    for l in std::io::BufReader::with_capacity(1 << 20, f).lines() {
        let l = l?;
        if !l.trim().is_empty() {
            out.push(l);
        }
        if out.len() >= max {
            break;
        }
    }
    Ok(out)
}

pub fn cpu_seconds() -> f64 {
    // user + system time of this process from /proc (Linux); 0 elsewhere.
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let f: Vec<&str> = s
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let t = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12)) / 100.0
}

pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|x| x.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}
