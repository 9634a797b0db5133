//! `linkwatch surge`: detect surges in aggregate encounter counts. Reads a counts CSV
//! (series, week, count) or encounters (JSON Lines) and aggregates them into series, runs the
//! surge engine (`linkwatch-surge`), and writes alarms (CSV and JSON, each explained), the
//! region roll-ups, per-period alarm volume with Benjamini–Hochberg counts, and one SVG chart
//! per alarmed series. No algorithms here: parsing flags, reading and writing files.

use anyhow::{bail, Context as _};
use linkwatch_model::Encounter;
use linkwatch_surge::series::{CountBuilder, Granularity};
use linkwatch_surge::{
    aggregate, analyze, parse_by, CountTable, EarsConfig, EarsMethod, FarringtonConfig, SurgeConfig,
};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

/// Arguments of `linkwatch surge`.
///
/// Aggregate statistics only: series are counts of encounters per group and period; nothing
/// here flags a person. Reading counts directly from the linkwatch store (`--db FILE`) will be
/// added when the store exists; until then export counts to CSV or pass encounters.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["counts", "encounters", "db"])))]
pub struct Args {
    /// Counts CSV with columns series, week, count. `week` is an ISO week (2024-W05), a date
    /// (2024-01-29, the week holding it) or a week number 1, 2, ... (week 1 = 2000-W01).
    #[arg(long, value_name = "FILE.csv")]
    pub counts: Option<PathBuf>,
    /// Encounters (JSON Lines of linkwatch Encounter records), aggregated with --by.
    #[arg(long, value_name = "FILE.jsonl")]
    pub encounters: Option<PathBuf>,
    /// The linkwatch store (future: not available in this build).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Groupings for --encounters: dimensions joined by ',' (combination), groupings by '|'.
    /// Dimensions: nationality, region, sector (sector or port of entry).
    #[arg(long, default_value = "nationality|region|sector|region,sector")]
    pub by: String,
    /// Also count the total of all encounters (series "all").
    #[arg(long)]
    pub total: bool,
    /// Daily series instead of ISO weeks.
    #[arg(long)]
    pub daily: bool,
    /// Analyse the last N periods (1 = the latest week only, the weekly run).
    #[arg(long, default_value_t = 1)]
    pub weeks: usize,
    /// Output directory for alarms.csv, report.json and charts/*.svg.
    #[arg(long, short, default_value = "surge-out")]
    pub out: PathBuf,
    /// Farrington settings: noufaily (improved, 2013), original (1996) or off.
    #[arg(long, default_value = "noufaily")]
    pub farrington: String,
    /// One-sided alpha of the Farrington upper bound [default: 0.001 in the combined default].
    #[arg(long)]
    pub alpha: Option<f64>,
    /// Reproduce R surveillance's weight-overwriting quirk in Farrington (for comparisons).
    #[arg(long)]
    pub r_quirk: bool,
    /// Fixed CUSUM threshold h for every series (overrides the default per-series calibration);
    /// --no-cusum disables the sustained-surge detector.
    #[arg(long, conflicts_with = "cusum_alpha")]
    pub cusum_h: Option<f64>,
    /// In-control false-alarm probability per period of the CUSUM (e.g. 0.007): its threshold h
    /// is then calibrated per series to this (Brook & Evans Markov chain of the series' own
    /// fitted negative-binomial model, tail-gated robust fit) instead of the default fixed h 3.4.
    #[arg(long)]
    pub cusum_alpha: Option<f64>,
    #[arg(long)]
    pub no_cusum: bool,
    /// Also run EARS: c1, c2 or c3 (C3 as Fricker et al.), at --ears-alpha.
    #[arg(long)]
    pub ears: Option<String>,
    #[arg(long, default_value_t = 0.01)]
    pub ears_alpha: f64,
    /// False-discovery level for the Benjamini–Hochberg report.
    #[arg(long, default_value_t = 0.05)]
    pub fdr: f64,
    /// Print the N top-ranked alarms.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
}

fn read_counts(path: &PathBuf, g: Granularity) -> anyhow::Result<CountTable> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(file);
    let headers = rd
        .headers()
        .with_context(|| format!("{}: cannot read the header", path.display()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(cs), Some(cw), Some(cc)) = (
        col("series"),
        col("week")
            .or_else(|| col("period"))
            .or_else(|| col("date")),
        col("count"),
    ) else {
        bail!(
            "{}: header must have columns series, week, count (found: {})",
            path.display(),
            headers.iter().collect::<Vec<_>>().join(", ")
        );
    };
    let origin = chrono::NaiveDate::from_ymd_opt(2000, 1, 3).context("origin date")?; // Monday of 2000-W01
    let mut b = CountBuilder::new(g);
    let (mut good, mut bad) = (0usize, 0usize);
    for (i, rec) in rd.records().enumerate() {
        let line = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                bad += 1;
                eprintln!(
                    "warning: {} line {line}: unreadable record: {e}",
                    path.display()
                );
                continue;
            }
        };
        let series = rec.get(cs).unwrap_or("").trim();
        let week = rec.get(cw).unwrap_or("").trim();
        let count = rec.get(cc).unwrap_or("").trim();
        if series.is_empty() {
            bad += 1;
            eprintln!(
                "warning: {} line {line}: field series is empty; record skipped",
                path.display()
            );
            continue;
        }
        let date = if let Ok(n) = week.parse::<i64>() {
            if n < 1 {
                bad += 1;
                eprintln!(
                    "warning: {} line {line}: field week {week:?} must be >= 1; record skipped",
                    path.display()
                );
                continue;
            }
            origin + g.step() * (n - 1) as i32
        } else {
            match g.parse_label(week) {
                Ok(d) => d,
                Err(e) => {
                    bad += 1;
                    eprintln!(
                        "warning: {} line {line}: field week: {e}; record skipped",
                        path.display()
                    );
                    continue;
                }
            }
        };
        let c: f64 = match count.parse::<f64>() {
            Ok(c) if c.is_finite() && c >= 0.0 => c,
            _ => {
                bad += 1;
                eprintln!("warning: {} line {line}: field count {count:?} is not a non-negative number; record skipped", path.display());
                continue;
            }
        };
        b.add(series, date, c);
        good += 1;
    }
    if good == 0 {
        bail!("{}: no usable rows ({bad} rejected)", path.display());
    }
    if bad > 0 {
        eprintln!("{}: {good} rows read, {bad} rejected", path.display());
    }
    Ok(b.build(None, None))
}

fn read_encounters(
    path: &PathBuf,
    by: &str,
    total: bool,
    g: Granularity,
) -> anyhow::Result<CountTable> {
    let dims = parse_by(by).map_err(|e| anyhow::anyhow!("--by: {e}"))?;
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let pb = crate::progress::spinner("encounters");
    let mut encs = Vec::new();
    let mut bad = 0usize;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line =
            line.with_context(|| format!("{}: read error at line {}", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Encounter>(&line) {
            Ok(e) => encs.push(e),
            Err(e) => {
                bad += 1;
                if bad <= 20 {
                    eprintln!(
                        "warning: {} line {}: not an encounter record: {e}; skipped",
                        path.display(),
                        i + 1
                    );
                }
            }
        }
        pb.inc(1);
    }
    pb.finish_and_clear();
    if encs.is_empty() {
        bail!(
            "{}: no usable encounter records ({bad} rejected)",
            path.display()
        );
    }
    if bad > 0 {
        eprintln!(
            "{}: {} encounters read, {bad} rejected",
            path.display(),
            encs.len()
        );
    }
    Ok(aggregate(encs.iter(), &dims, g, total))
}

fn config(a: &Args, period: usize) -> anyhow::Result<SurgeConfig> {
    let mut cfg = SurgeConfig::default();
    cfg.farrington = match a.farrington.to_ascii_lowercase().as_str() {
        "noufaily" | "improved" => cfg.farrington.take(),
        "original" | "farrington" => Some(FarringtonConfig::original()),
        "off" | "none" => None,
        other => bail!("--farrington: unknown setting {other:?} (noufaily, original, off)"),
    };
    if let Some(f) = cfg.farrington.as_mut() {
        if let Some(al) = a.alpha {
            if !(al > 0.0 && al < 0.5) {
                bail!("--alpha must be in (0, 0.5)");
            }
            f.alpha = al;
        }
        f.r_weights_quirk = a.r_quirk;
    }
    if a.no_cusum {
        cfg.cusum = None;
    } else if let Some(c) = cfg.cusum.as_mut() {
        if let Some(h) = a.cusum_h {
            if !(h > 0.0 && h.is_finite()) {
                bail!("--cusum-h must be a positive number");
            }
            c.c_arl = h;
            c.markov = None;
        }
        if let Some(al) = a.cusum_alpha {
            if !(al > 0.0 && al < 0.5) {
                bail!("--cusum-alpha must be in (0, 0.5)");
            }
            let period = c.period;
            *c = linkwatch_surge::detect::calibrated_cusum(al);
            c.period = period;
        }
    }
    if let Some(m) = &a.ears {
        let method = match m.to_ascii_lowercase().as_str() {
            "c1" => EarsMethod::C1,
            "c2" => EarsMethod::C2,
            "c3" => EarsMethod::C3,
            other => bail!("--ears: unknown method {other:?} (c1, c2, c3)"),
        };
        cfg.ears = Some(EarsConfig::new(method, a.ears_alpha));
    }
    cfg.fdr_q = a.fdr;
    Ok(cfg.for_period(period))
}

fn safe_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '=' {
                c
            } else {
                '_'
            }
        })
        .collect();
    out.truncate(120);
    out
}

fn opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x}")).unwrap_or_default()
}

pub fn run(a: Args) -> anyhow::Result<()> {
    if let Some(db) = &a.db {
        bail!("--db {}: reading counts from the linkwatch store is not available yet; use --counts or --encounters", db.display());
    }
    let g = if a.daily {
        Granularity::Daily
    } else {
        Granularity::Weekly
    };
    let table = match (&a.counts, &a.encounters) {
        (Some(p), _) => read_counts(p, g)?,
        (None, Some(p)) => read_encounters(p, &a.by, a.total, g)?,
        _ => bail!("give --counts or --encounters"),
    };
    if table.len == 0 || table.series.is_empty() {
        bail!("no series to analyse");
    }
    let cfg = config(&a, g.periods_per_year())?;
    let weeks = a.weeks.max(1).min(table.len);
    let from = table.len - weeks;
    let pb = crate::progress::spinner("analysing");
    let t0 = std::time::Instant::now();
    let report = analyze(&table, from, table.len, &cfg);
    pb.finish_and_clear();
    let secs = t0.elapsed().as_secs_f64();

    std::fs::create_dir_all(a.out.join("charts"))
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    let csv_path = a.out.join("alarms.csv");
    let mut w = csv::Writer::from_path(&csv_path)
        .with_context(|| format!("cannot write {}", csv_path.display()))?;
    w.write_record([
        "rank",
        "series",
        "region",
        "period",
        "detector",
        "observed",
        "expected",
        "upper",
        "p_value",
        "q_value",
        "priority",
        "exceedance",
        "baseline_periods",
        "baseline_from",
        "baseline_to",
        "trend_kept",
        "overdispersion",
        "change_start",
        "run_observed",
        "run_expected",
        "parameters",
        "explanation",
    ])?;
    for (i, al) in report.alarms.iter().enumerate() {
        w.write_record([
            (i + 1).to_string(),
            al.series.clone(),
            al.region.clone().unwrap_or_default(),
            al.period.clone(),
            al.detector.clone(),
            format!("{}", al.observed),
            format!("{:.3}", al.expected),
            opt(al.upper),
            opt(al.p_value),
            opt(al.q_value),
            al.priority.to_string(),
            format!("{:.3}", al.exceedance),
            al.baseline_periods
                .map(|v| v.to_string())
                .unwrap_or_default(),
            al.baseline_from.clone().unwrap_or_default(),
            al.baseline_to.clone().unwrap_or_default(),
            al.trend_kept.map(|v| v.to_string()).unwrap_or_default(),
            opt(al.overdispersion),
            al.change_start.clone().unwrap_or_default(),
            opt(al.run_observed),
            opt(al.run_expected),
            al.parameters.clone(),
            al.explanation.clone(),
        ])?;
    }
    w.flush()?;
    // JSON report without the bulky per-period results
    let json_path = a.out.join("report.json");
    let summary = serde_json::json!({
        "note": "aggregate counts only; an alarm concerns a group's count, never a person",
        "series": report.series_count,
        "periods": {"from": report.from_period, "to": report.to_period},
        "config": report.config,
        "alarms": report.alarms,
        "regions": report.regions,
        "volume": report.volume,
        "fdr": {"q": report.fdr_q, "tests": report.bh_tests, "discoveries": report.bh_discoveries},
        "analyst_list": {
            "rule": "alarms whose Benjamini-Hochberg q-value across the series of their period (per detector) is <= fdr q",
            "alarms": report.priority_alarms,
        },
        "seconds": secs,
    });
    let f = std::fs::File::create(&json_path)
        .with_context(|| format!("cannot write {}", json_path.display()))?;
    serde_json::to_writer_pretty(std::io::BufWriter::new(f), &summary)?;
    // charts for alarmed series (with up to two years of context)
    let mut charted = 0;
    let ctx_from = table.len.saturating_sub(weeks.max(104));
    let alarmed: std::collections::BTreeSet<&str> =
        report.alarms.iter().map(|a| a.series.as_str()).collect();
    for name in &alarmed {
        let Some(counts) = table.series.get(*name) else {
            continue;
        };
        let r = linkwatch_surge::analyze_series(
            name,
            table.region(name),
            counts,
            ctx_from,
            table.len,
            &cfg,
        );
        let svg = linkwatch_surge::chart::series_svg(&r, &table);
        let p = a
            .out
            .join("charts")
            .join(format!("{}.svg", safe_name(name)));
        std::fs::write(&p, svg).with_context(|| format!("cannot write {}", p.display()))?;
        charted += 1;
    }
    let stdout = std::io::stdout();
    let mut o = stdout.lock();
    writeln!(
        o,
        "{} series x {} period(s) {}..{} analysed in {secs:.2} s: {} alarm(s) in {} series; BH at q={}: {} of {} Farrington tests",
        report.series_count,
        weeks,
        report.from_period,
        report.to_period,
        report.alarms.len(),
        alarmed.len(),
        report.fdr_q,
        report.bh_discoveries,
        report.bh_tests
    )?;
    let weeks_with = report.volume.len().max(1);
    let mut per_week: Vec<usize> = report.volume.iter().map(|v| v.alarms).collect();
    let mut per_week_p: Vec<usize> = report.volume.iter().map(|v| v.priority_series).collect();
    per_week.sort_unstable();
    per_week_p.sort_unstable();
    writeln!(
        o,
        "analyst list (marked *; BH q <= {} across series, per detector): {} of {} alarm(s); alarmed series per period: median {} on the list of {} alarmed, max {} of {}",
        report.fdr_q,
        report.priority_alarms,
        report.alarms.len(),
        per_week_p.get(weeks_with / 2).copied().unwrap_or(0),
        per_week.get(weeks_with / 2).copied().unwrap_or(0),
        per_week_p.last().copied().unwrap_or(0),
        per_week.last().copied().unwrap_or(0),
    )?;
    for r in report.regions.iter().take(10) {
        writeln!(
            o,
            "  region {:<36} {:>4} alarm(s) in {} series",
            r.region, r.alarms, r.series_alarmed
        )?;
    }
    for (i, al) in report.alarms.iter().take(a.top).enumerate() {
        writeln!(
            o,
            "{:>3}.{} {} {} [{}] {}",
            i + 1,
            if al.priority { "*" } else { " " },
            al.period,
            al.series,
            al.detector,
            al.explanation
        )?;
    }
    writeln!(
        o,
        "wrote {}, {} and {charted} chart(s) in {}",
        csv_path.display(),
        json_path.display(),
        a.out.join("charts").display()
    )?;
    Ok(())
}
