//! Speed measurements for docs/bench-surge.md (release build, 2 cores):
//!  1. Farrington Flexible per series-week (original and Noufaily settings), single thread;
//!  2. a weekly run over 4,000 series (the latest week, default combined detector);
//!  3. a 10-year retrospective (520 weeks) over 4,000 series.
//!
//! Series are simulated here (negative binomial, trend + season, 11 years), deterministic.
//! usage: cargo run --release -p linkwatch-surge --example speed -- [series=4000] [retro_series=4000]

use linkwatch_surge::series::{CountBuilder, Granularity};
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

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(4000);
    let n_retro = args.get(1).copied().unwrap_or(n);
    let weeks = 572; // 11 years
    let data = simulate(n.max(n_retro), weeks, 42);
    println!("threads: {}", rayon::current_num_threads());

    // 1. Farrington per series-week (single thread)
    for (name, cfg) in [
        ("original", FarringtonConfig::original()),
        ("noufaily", FarringtonConfig::noufaily()),
    ] {
        let f = Farrington::new(cfg);
        let t0 = Instant::now();
        let mut k = 0usize;
        let mut alarms = 0usize;
        for y in data.iter().take(200) {
            for i in (weeks - 49)..weeks {
                if let Ok(w) = f.test_week(y, i) {
                    alarms += w.alarm as usize;
                }
                k += 1;
            }
        }
        let ms = t0.elapsed().as_secs_f64() * 1000.0 / k as f64;
        println!("farrington {name}: {k} series-weeks, {ms:.4} ms per series-week (1 thread), {alarms} alarms");
    }

    let mut b = CountBuilder::new(Granularity::Weekly);
    let d0 = chrono::NaiveDate::from_ymd_opt(2015, 1, 5).expect("date");
    for (s, y) in data.iter().enumerate().take(n) {
        let name = format!("s{s:05}");
        for (t, c) in y.iter().enumerate() {
            b.add(&name, d0 + chrono::Duration::days(7 * t as i64), *c);
        }
    }
    let table = b.build(None, None);
    let cfg = SurgeConfig::default();

    // 2. weekly run
    let t0 = Instant::now();
    let r = analyze(&table, table.len - 1, table.len, &cfg);
    println!(
        "weekly run: {} series, latest week, default combined detector: {:.3} s wall, {} alarms",
        r.series_count,
        t0.elapsed().as_secs_f64(),
        r.alarms.len()
    );

    // 3. 10-year retrospective
    let mut b = CountBuilder::new(Granularity::Weekly);
    for (s, y) in data.iter().enumerate().take(n_retro) {
        let name = format!("s{s:05}");
        for (t, c) in y.iter().enumerate() {
            b.add(&name, d0 + chrono::Duration::days(7 * t as i64), *c);
        }
    }
    let table = b.build(None, None);
    let t0 = Instant::now();
    let r = analyze(&table, table.len - 520, table.len, &cfg);
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "retrospective: {} series x 520 weeks, default combined detector: {:.1} s wall ({:.3} ms per series-week), {} alarms ({:.2}% of series-weeks)",
        r.series_count,
        secs,
        secs * 1000.0 / (r.series_count * 520) as f64,
        r.alarms.len(),
        100.0 * r.alarms.len() as f64 / (r.series_count * 520) as f64
    );
}
