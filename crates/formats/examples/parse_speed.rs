//! Parse speed of the list importers on the real public lists, data already in memory (so the
//! figure is parsing + normalisation, not disk): OFAC SDN 2021 (sdn+alt+add+comments), OFAC SDN
//! 2023 and the UN consolidated XML. Also times JSONL write + read of the OFAC 2021 entries.
//!
//! `cargo run --release -p linkwatch-formats --example parse_speed -- [WATCHLISTS_DIR] [ROUNDS]`
//! (default `../shared/data/watchlists`, 5 rounds; the best round is reported).
#![allow(clippy::unwrap_used)]

use linkwatch_formats::{collect, JsonlReader, JsonlWriter, OfacSdn, UnXml};
use linkwatch_model::WatchlistEntry;
use std::path::Path;
use std::time::Instant;

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_default()
}

fn best<F: FnMut() -> usize>(rounds: usize, mut f: F) -> (usize, f64) {
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        n = f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (n, best)
}

fn report(what: &str, n: usize, secs: f64, bytes: usize) {
    println!(
        "{what:<28} {n:>7} entries  {:>8.1} ms  {:>10.0} entries/s  {:>6.1} MB/s",
        secs * 1e3,
        n as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(1)
        .map(String::as_str)
        .unwrap_or("../shared/data/watchlists");
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let dir = Path::new(dir);
    for year in ["ofac_sdn_2021", "ofac_sdn_2023"] {
        let d = dir.join(year);
        let (sdn, alt, add, com) = (
            read(&d.join("sdn.csv")),
            read(&d.join("alt.csv")),
            read(&d.join("add.csv")),
            read(&d.join("sdn_comments.csv")),
        );
        let bytes = sdn.len() + alt.len() + add.len() + com.len();
        let (n, s) = best(rounds, || {
            let (e, _) = OfacSdn::new(year)
                .aliases(&alt[..], "alt.csv")
                .addresses(&add[..], "add.csv")
                .comments(&com[..], "sdn_comments.csv")
                .collect(&sdn[..], "sdn.csv");
            e.len()
        });
        report(year, n, s, bytes);
    }
    let un = read(&dir.join("un/consolidated.xml"));
    let (n, s) = best(rounds, || {
        UnXml::new(&un[..], "un.xml", "").collect().0.len()
    });
    report("un consolidated xml", n, s, un.len());

    let d = dir.join("ofac_sdn_2021");
    let (entries, _) = OfacSdn::new("2021")
        .aliases(&read(&d.join("alt.csv"))[..], "alt.csv")
        .addresses(&read(&d.join("add.csv"))[..], "add.csv")
        .collect(&read(&d.join("sdn.csv"))[..], "sdn.csv");
    let mut buf = Vec::new();
    let (n, s) = best(rounds, || {
        let mut w = JsonlWriter::new(Vec::with_capacity(buf.capacity()));
        for e in &entries {
            w.write(e).unwrap();
        }
        buf = w.finish().unwrap();
        entries.len()
    });
    report("jsonl write (ofac 2021)", n, s, buf.len());
    let (n, s) = best(rounds, || {
        collect(JsonlReader::<_, WatchlistEntry>::new(&buf[..], "w"))
            .0
            .len()
    });
    report("jsonl read (ofac 2021)", n, s, buf.len());
}
