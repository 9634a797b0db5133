//! Score a clusters CSV (`id,cluster_id`, as written by `linkwatch dedupe`) against the truth:
//! pairwise precision/recall/F1 and B-cubed. Truth comes from FEBRL record ids
//! (`rec-N-org` / `rec-N-dup-k`, with `--febrl`) or from a column of a CSV file
//! (`--truth FILE --id COL --truth-col COL`). Benchmark helper: reads files, no algorithms
//! beyond the metrics in `linkwatch_resolve::metrics`.
//!
//! cargo run --release -p linkwatch-resolve --example score_clusters -- clusters.csv --febrl
//! cargo run --release -p linkwatch-resolve --example score_clusters -- clusters.csv --truth people.csv --id unique_id --truth-col cluster

use std::collections::HashMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let clusters = args.get(1).ok_or(
        "usage: score_clusters CLUSTERS.csv (--febrl | --truth FILE --id COL --truth-col COL)",
    )?;
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let febrl = args.iter().any(|a| a == "--febrl");
    let mut truth: HashMap<String, String> = HashMap::new();
    if let Some(tf) = opt("--truth") {
        let idc = opt("--id").unwrap_or_else(|| "unique_id".into());
        let tc = opt("--truth-col").unwrap_or_else(|| "cluster".into());
        let mut r = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_path(&tf)?;
        let h = r.headers()?.clone();
        let ii = h
            .iter()
            .position(|x| x == idc)
            .ok_or("id column not in truth file")?;
        let ti = h
            .iter()
            .position(|x| x == tc)
            .ok_or("truth column not in truth file")?;
        for rec in r.records() {
            let rec = rec?;
            truth.insert(rec[ii].to_string(), rec[ti].to_string());
        }
    }
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(clusters)?;
    let (mut pred, mut tru) = (Vec::new(), Vec::new());
    for rec in r.records() {
        let rec = rec?;
        let id = rec[0].to_string();
        let t = if febrl {
            // rec-123-org / rec-123-dup-0
            id.split('-').nth(1).map(|s| s.to_string())
        } else {
            truth.get(&id).cloned()
        };
        if let Some(t) = t {
            pred.push(rec[1].to_string());
            tru.push(t);
        }
    }
    let (pw, tp, pp, tt) = linkwatch_resolve::metrics::pairwise(&pred, &tru);
    let b3 = linkwatch_resolve::metrics::bcubed(&pred, &tru);
    println!(
        "records {} | pairwise precision {:.4} recall {:.4} F1 {:.4} (tp {} predicted {} true {}) | B-cubed P {:.4} R {:.4} F1 {:.4}",
        pred.len(), pw.precision, pw.recall, pw.f1, tp, pp, tt, b3.precision, b3.recall, b3.f1
    );
    Ok(())
}
