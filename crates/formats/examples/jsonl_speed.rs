//! Parse speed of linkwatch JSON Lines (encounters or watchlist entries), one thread, lines
//! already in memory: `jsonl::parse_line` (what `linkwatch screen` calls) against plain
//! `serde_json` without path tracking, and the screening view of an encounter
//! (`jsonl::parse_encounter_for_screening`). Measurement tool only (reads one file).
//!
//! `cargo run --release -p linkwatch-formats --example jsonl_speed -- FILE.jsonl [LINES] [entries]`
#![allow(clippy::unwrap_used)]

use linkwatch_formats::jsonl::{parse_encounter_for_screening, parse_line};
use linkwatch_formats::reject::Event;
use linkwatch_model::{Encounter, WatchlistEntry};
use std::io::BufRead;
use std::time::Instant;

fn time<F: FnMut(&str) -> bool>(what: &str, lines: &[String], mut f: F) {
    let mut best = f64::MAX;
    let mut ok = 0;
    for _ in 0..3 {
        let t = Instant::now();
        ok = lines.iter().filter(|l| f(l)).count();
        best = best.min(t.elapsed().as_secs_f64());
    }
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    println!(
        "{what:<40} {ok:>8} ok  {:>7.2} µs/line  {:>6.0} MB/s",
        best / lines.len() as f64 * 1e6,
        bytes as f64 / best / 1e6
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("FILE.jsonl");
    let n: usize = args.next().map(|s| s.parse().unwrap()).unwrap_or(100_000);
    let entries = args.next().as_deref() == Some("entries");
    let f = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let lines: Vec<String> = f.lines().take(n).map(|l| l.unwrap()).collect();
    if entries {
        time("parse_line::<WatchlistEntry>", &lines, |l| {
            matches!(
                parse_line::<WatchlistEntry>("x", 1, l.as_bytes()),
                Some(Event::Record(_))
            )
        });
        time("serde_json::from_str::<WatchlistEntry>", &lines, |l| {
            serde_json::from_str::<WatchlistEntry>(l).is_ok()
        });
    } else {
        time("parse_line::<Encounter>", &lines, |l| {
            matches!(
                parse_line::<Encounter>("x", 1, l.as_bytes()),
                Some(Event::Record(_))
            )
        });
        time("serde_json::from_str::<Encounter>", &lines, |l| {
            serde_json::from_str::<Encounter>(l).is_ok()
        });
        time("parse_encounter_for_screening", &lines, |l| {
            matches!(
                parse_encounter_for_screening("x", 1, l.as_bytes()),
                Some(Event::Record(_))
            )
        });
        time("serde_json::from_str::<IgnoredAny>", &lines, |l| {
            serde_json::from_str::<serde::de::IgnoredAny>(l).is_ok()
        });
    }
}
