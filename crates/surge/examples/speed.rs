//! Speed measurements for docs/bench-surge.md (release build, 2 cores):
//!  1. Farrington Flexible per series-week (original and Noufaily settings), single thread;
//!  2. a weekly run over 4,000 series (the latest week, default combined detector);
//!  3. a 10-year retrospective (520 weeks) over 4,000 series.
//!
//! Series are simulated here (negative binomial, trend + season, 11 years), deterministic.
//! Every phase prints wall time, CPU time of the process (user + sys, from /proc/self/stat) and
//! the load average, because the machine is shared; the weekly run and the retrospective are
//! also split into their Farrington-only and CUSUM-only parts.
//! usage: cargo run --release -p linkwatch-surge --example speed -- [series=4000] [retro_series=4000]
//! (a retrospective over fewer series than 4,000 is extrapolated linearly and says so)

use linkwatch_surge::series::{CountBuilder, CountTable, Granularity};
use linkwatch_surge::{analyze, Farrington, FarringtonConfig, SurgeConfig};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

fn rpois(rng: &mut ChaCha8Rng, lambda: f64) -> f64 {
    if lambda > 200.0 {
        let u1: f64 = rng.gen::<f64>().max(1e-300);
        let u2: f64 = rng.gen();
        return (lambda
            + lambda.sqrt() * (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos())
        .round()
        .max(0.0);
    }
    let u: f64 = rng.gen();
    let (mut p, mut k) = ((-lambda).exp(), 0.0);
    let mut f = p;
    while u > f && k < 5000.0 {
        k += 1.0;
        p *= lambda / k;
        f += p;
    }
    k
}

fn simulate(n_series: usize, weeks: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n_series)
        .map(|s| {
            let level = (0.1f64).max(rng.gen::<f64>() * 5.0 - 1.0); // log mean in (-1, 4)
            let amp = rng.gen::<f64>() * 0.6;
            let trend = (rng.gen::<f64>() - 0.5) * 0.002;
            (0..weeks)
                .map(|t| {
                    let mu = (level
                        + trend * t as f64
                        + amp * (2.0 * std::f64::consts::PI * t as f64 / 52.0 + s as f64).sin())
                    .exp();
                    // gamma-Poisson with phi ~ 1.5 via a crude gamma(2) mixing
                    let g = (-(rng.gen::<f64>().max(1e-300)).ln()
                        - (rng.gen::<f64>().max(1e-300)).ln())
                        / 2.0;
                    rpois(&mut rng, mu * (0.5 + 0.5 * g))
                })
                .collect()
        })
        .collect()
}

/// CPU seconds (user + sys) of this process so far, from /proc/self/stat (Linux; 0 elsewhere).
fn cpu_secs() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // fields after the command name (which may contain spaces) start after the last ')'
    let Some(rest) = s.rsplit_once(')').map(|x| x.1) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the ')'
    (ticks(11) + ticks(12)) / 100.0
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// Runs `f`, prints `label: wall, cpu, load`, returns (result, wall seconds, cpu seconds).
fn timed<T>(label: &str, f: impl FnOnce() -> T) -> (T, f64, f64) {
    let (c0, t0) = (cpu_secs(), Instant::now());
    let r = f();
    let (wall, cpu) = (t0.elapsed().as_secs_f64(), cpu_secs() - c0);
    println!(
        "{label}: {wall:.3} s wall, {cpu:.2} s CPU (user+sys), load average {}",
        loadavg()
    );
    (r, wall, cpu)
}

fn table_of(data: &[Vec<f64>], n: usize) -> CountTable {
    let mut b = CountBuilder::new(Granularity::Weekly);
    let d0 = chrono::NaiveDate::from_ymd_opt(2015, 1, 5).expect("date");
    for (s, y) in data.iter().enumerate().take(n) {
        let name = format!("s{s:05}");
        for (t, c) in y.iter().enumerate() {
            b.add(&name, d0 + chrono::Duration::days(7 * t as i64), *c);
        }
    }
    b.build(None, None)
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(4000);
    let n_retro = args.get(1).copied().unwrap_or(n);
    let weeks = 572; // 11 years
    let data = simulate(n.max(n_retro), weeks, 42);
    println!(
        "threads: {} (rayon), load average at start {}",
        rayon::current_num_threads(),
        loadavg()
    );

    // 1. Farrington per series-week (single thread)
    for (name, cfg) in [
        ("original", FarringtonConfig::original()),
        ("noufaily", FarringtonConfig::noufaily()),
    ] {
        let f = Farrington::new(cfg);
        let mut k = 0usize;
        let mut alarms = 0usize;
        let (_, wall, cpu) = timed(
            &format!("phase 1 farrington {name}, 200 series x 49 weeks"),
            || {
                for y in data.iter().take(200) {
                    for i in (weeks - 49)..weeks {
                        if let Ok(w) = f.test_week(y, i) {
                            alarms += w.alarm as usize;
                        }
                        k += 1;
                    }
                }
            },
        );
        println!(
            "  farrington {name}: {k} series-weeks, {:.4} ms per series-week wall ({:.4} ms CPU, 1 thread), {alarms} alarms",
            wall * 1000.0 / k as f64,
            cpu * 1000.0 / k as f64
        );
    }

    let full = SurgeConfig::default();
    let farr_only = SurgeConfig {
        cusum: None,
        ..SurgeConfig::default()
    };
    let cusum_only = SurgeConfig {
        farrington: None,
        ..SurgeConfig::default()
    };
    // the per-series calibrated CUSUM (Brook & Evans Markov chain, tail-gated robust fit):
    // what the calibration costs on top of the fixed-h CUSUM
    let cusum_markov = SurgeConfig {
        farrington: None,
        cusum: Some(linkwatch_surge::detect::calibrated_cusum(0.007)),
        ..SurgeConfig::default()
    };

    // 2. weekly run (the latest week of every series)
    let (table, _, _) = timed(
        &format!("phase 2 build the count table ({n} series)"),
        || table_of(&data, n),
    );
    let last = table.len;
    for (name, cfg) in [
        ("farrington part only", &farr_only),
        ("cusum part only", &cusum_only),
        ("cusum part only, Markov-calibrated h", &cusum_markov),
        ("default combined detector", &full),
    ] {
        let (r, _, _) = timed(
            &format!("phase 2 weekly run, {n} series, latest week, {name}"),
            || analyze(&table, last - 1, last, cfg),
        );
        println!("  {} alarms", r.alarms.len());
    }

    // 3. 10-year retrospective
    let table = if n_retro == n {
        table
    } else {
        table_of(&data, n_retro)
    };
    let sw = (n_retro * 520) as f64;
    for (name, cfg) in [
        ("farrington part only", &farr_only),
        ("cusum part only", &cusum_only),
        ("cusum part only, Markov-calibrated h", &cusum_markov),
        ("default combined detector", &full),
    ] {
        let (r, wall, cpu) = timed(
            &format!("phase 3 retrospective, {n_retro} series x 520 weeks, {name}"),
            || analyze(&table, last - 520, last, cfg),
        );
        let scale = 4000.0 / n_retro.max(1) as f64;
        println!(
            "  {:.4} ms wall per series-week; {} alarms ({:.2}% of series-weeks){}",
            wall * 1000.0 / sw,
            r.alarms.len(),
            100.0 * r.alarms.len() as f64 / sw,
            if n_retro == 4000 {
                String::new()
            } else {
                format!(
                    "; extrapolated to 4,000 series: {:.0} s wall, {:.0} s CPU",
                    wall * scale,
                    cpu * scale
                )
            }
        );
    }
}
