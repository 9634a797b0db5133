//! Incremental-resolution latency: resolve N synthetic people in batch, keep the result in a
//! `Resolver`, then resolve K new records one at a time (half of them new records of existing
//! persons) and print p50/p99/max latency.
//! `cargo run --release -p linkwatch-resolve --example incremental_bench -- 5000000 2000`
//!
//! Besides wall-clock latency it reports on-CPU latency (the thread's run time from
//! `/proc/thread-self/schedstat`, Linux): on a shared machine, wall-clock tails include time
//! the thread was preempted by other processes, on-CPU time does not.

use std::time::Instant;

use linkwatch_resolve::data::RecordSource;
use linkwatch_resolve::incremental::Resolver;
use linkwatch_resolve::synth::{generate_people, PersonRow};
use linkwatch_resolve::{pipeline, Dataset, Schema};

struct Rows<'a>(&'a [PersonRow]);

impl RecordSource for Rows<'_> {
    fn record_count(&self) -> usize {
        self.0.len()
    }
    fn record_id(&self, i: usize) -> &str {
        &self.0[i].unique_id
    }
    fn value(&self, i: usize, f: usize) -> Option<&str> {
        let r = &self.0[i];
        Some(match f {
            0 => &r.first_name,
            1 => &r.surname,
            2 => &r.dob,
            3 => &r.city,
            4 => &r.postcode,
            _ => &r.email,
        })
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(5_000_000);
    let k: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(2000);
    let schema = Schema::from_toml(&std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/schemas/people.toml"
    ))?)?;
    let t = Instant::now();
    let mut rows = generate_people(n + k, 0.1, 7);
    let new: Vec<PersonRow> = rows.split_off(n);
    let mut ds = Dataset::new(schema);
    let issues = ds.extend_from_source(&Rows(&rows), 0);
    drop(rows);
    eprintln!(
        "loaded {} records ({} issues) in {:.1}s",
        ds.len(),
        issues.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let res = pipeline::run(&ds, false, None, None, &|_, _, _| {})?;
    eprintln!("batch resolved in {:.1}s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let cl = res.clustering.clone().ok_or("no clustering")?;
    let mut r = Resolver::new(ds, res.model.clone(), Some(&cl))?;
    eprintln!(
        "resolver built in {:.1}s ({} persons)",
        t.elapsed().as_secs_f64(),
        r.persons().len()
    );
    let mut lat = Vec::with_capacity(k);
    let mut cpu: Vec<f64> = Vec::with_capacity(k);
    let mut issues = Vec::new();
    let (mut joined, mut created, mut proposed) = (0, 0, 0);
    for row in &new {
        let vals = [
            Some(row.first_name.as_str()),
            Some(&row.surname),
            Some(&row.dob),
            Some(&row.city),
            Some(&row.postcode),
            Some(&row.email),
        ];
        let c0 = on_cpu_ns();
        let t = Instant::now();
        let o = r.resolve(&row.unique_id, &vals, &mut issues);
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        if let (Some(a), Some(b)) = (c0, on_cpu_ns()) {
            cpu.push(b.saturating_sub(a) as f64 / 1e6);
        }
        match o {
            Ok(linkwatch_resolve::incremental::Outcome::Joined { .. }) => joined += 1,
            Ok(linkwatch_resolve::incremental::Outcome::Created { .. }) => created += 1,
            Ok(linkwatch_resolve::incremental::Outcome::ProposedMerge { .. }) => proposed += 1,
            _ => {}
        }
    }
    lat.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize];
    println!(
        "incremental: {k} records against {n} resolved: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms (joined {joined}, created {created}, merge proposed {proposed})",
        q(0.5),
        q(0.99),
        q(1.0)
    );
    if cpu.len() == lat.len() && !cpu.is_empty() {
        cpu.sort_by(|a, b| a.total_cmp(b));
        let c = |p: f64| cpu[((cpu.len() as f64 - 1.0) * p) as usize];
        println!(
            "on-CPU time per record (excludes preemption; only as fine as the kernel's run-time accounting, which can be a 4 ms tick): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            c(0.5),
            c(0.99),
            c(1.0)
        );
    }
    Ok(())
}

/// Nanoseconds this thread has run on a CPU (Linux `/proc/thread-self/schedstat`).
fn on_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
