//! Helpers shared by the screening benchmarks (`screen_bench`, `batch_bench`, `planted_recall`):
//! reading JSON Lines files, the process's CPU time and peak memory from /proc, and the list
//! scorer and index built as `linkwatch screen` builds them. Benchmark plumbing only.
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

/// The scorer with the list's own term frequencies merged into the model's, and the candidate
/// index over `ids` (keys are positions in `ids`), prepared for that scorer: what `linkwatch
/// screen` builds before screening. Returns the seconds spent inserting and preparing.
pub fn list_scorer_and_index(
    model: linkwatch_matching::Model,
    ids: Vec<linkwatch_matching::Identity>,
) -> (
    linkwatch_matching::Scorer,
    linkwatch_matching::index::CandidateIndex<u32>,
    f64,
    f64,
) {
    use linkwatch_matching::index::{CandidateIndex, IndexConfig};
    let mut tf = linkwatch_matching::Scorer::default().tf().clone();
    tf.merge(&linkwatch_matching::TermFrequencies::of_identities(&ids));
    let scorer = linkwatch_matching::Scorer::new(model, tf);
    let t = std::time::Instant::now();
    let mut ix: CandidateIndex<u32> = CandidateIndex::new(IndexConfig::default());
    ix.insert_many(
        ids.into_iter()
            .enumerate()
            .map(|(i, id)| (i as u32, id))
            .collect(),
    );
    let t_insert = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    ix.prepare_all_tf(scorer.tf());
    (scorer, ix, t_insert, t.elapsed().as_secs_f64())
}
