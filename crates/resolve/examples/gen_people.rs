//! Write a synthetic person file in the `people.toml` layout with a `cluster` truth column:
//! `cargo run --release -p linkwatch-resolve --example gen_people -- 1000000 people_1m.csv [seed] [dup_share]`.
//! Every person is invented (see `linkwatch_resolve::synth`).

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let out = args.get(2).cloned().unwrap_or_else(|| "people.csv".into());
    let seed: u64 = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let dup: f64 = args.get(4).map(|s| s.parse()).transpose()?.unwrap_or(0.1);
    let rows = linkwatch_resolve::synth::generate_people(n, dup, seed);
    let mut w = std::io::BufWriter::new(std::fs::File::create(&out)?);
    writeln!(w, "{}", linkwatch_resolve::synth::PEOPLE_HEADER)?;
    for r in &rows {
        writeln!(w, "{}", r.csv_line())?;
    }
    w.flush()?;
    eprintln!("wrote {} records to {out}", rows.len());
    Ok(())
}
