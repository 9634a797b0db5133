//! `linkwatch generate`: flags → [`linkwatch_scenario::Config`], a file sink writing the world
//! under `--out`, and a progress bar. The generation itself lives in `linkwatch-scenario`.

use crate::progress;
use anyhow::Context;
use chrono::NaiveDate;
use linkwatch_scenario::{Config, GenerateError, OutFile, Phase, Sink, Summary};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Arguments of `linkwatch generate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Number of encounters (7000000 ≈ the full three years at the real scale).
    #[arg(long, default_value_t = 1_000_000)]
    pub encounters: u64,
    /// Random seed: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output directory (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Number of watchlist entries (mostly people who never cross).
    #[arg(long, default_value_t = 1_000_000)]
    pub watchlist_size: u64,
    /// First day of the period (ISO date).
    #[arg(long, default_value = "2021-10-01")]
    pub start: NaiveDate,
    /// Length of the period in years.
    #[arg(long, default_value_t = 3)]
    pub years: u32,
}

/// Writes each output file under a directory, buffered.
pub struct DirSink {
    dir: PathBuf,
    files: HashMap<OutFile, BufWriter<File>>,
}

impl DirSink {
    pub fn new(dir: &Path) -> anyhow::Result<DirSink> {
        std::fs::create_dir_all(dir.join("truth"))
            .with_context(|| format!("creating {}", dir.display()))?;
        Ok(DirSink {
            dir: dir.to_path_buf(),
            files: HashMap::new(),
        })
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        for (f, mut w) in self.files.drain() {
            w.flush().with_context(|| format!("writing {}", f.path()))?;
        }
        Ok(())
    }
}

impl Sink for DirSink {
    fn write(&mut self, file: OutFile, bytes: &[u8]) -> Result<(), GenerateError> {
        let err = |e: std::io::Error| GenerateError::Sink {
            file: file.path(),
            message: e.to_string(),
        };
        if !self.files.contains_key(&file) {
            let f = File::create(self.dir.join(file.path())).map_err(err)?;
            self.files
                .insert(file, BufWriter::with_capacity(1 << 20, f));
        }
        match self.files.get_mut(&file) {
            Some(w) => w.write_all(bytes).map_err(err),
            None => Ok(()),
        }
    }
}

/// Generate into `out` with a progress bar; returns the summary.
pub fn generate_into(cfg: &Config, out: &Path) -> anyhow::Result<Summary> {
    let mut sink = DirSink::new(out)?;
    // One bar at a time: a spinner while planning, then encounters, then the watchlist.
    let mut current: Option<(Phase, indicatif::ProgressBar)> = None;
    let mut cb = |phase: Phase, done: u64, total: u64| {
        if current.as_ref().map(|c| c.0) != Some(phase) {
            if let Some((_, bar)) = current.take() {
                bar.finish();
            }
            current = match phase {
                Phase::Planning => Some((phase, progress::spinner("planning"))),
                Phase::Encounters => Some((phase, progress::bar(total, "encounters"))),
                Phase::Watchlist => Some((phase, progress::bar(total, "watchlist"))),
                Phase::Done => None,
            };
        }
        if let Some((_, bar)) = &current {
            bar.set_position(done);
        }
    };
    let summary =
        linkwatch_scenario::generate(cfg, &mut sink, &mut cb).context("generating the scenario")?;
    sink.finish()?;
    Ok(summary)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut cfg = Config::new(args.encounters, args.seed);
    cfg.watchlist_size = args.watchlist_size;
    cfg.start = args.start;
    anyhow::ensure!(
        args.years >= 1 && args.years <= 10,
        "--years must be between 1 and 10"
    );
    cfg.years = args.years;
    let t0 = std::time::Instant::now();
    let s = generate_into(&cfg, &args.out)?;
    eprintln!(
        "generated {} encounters of {} persons ({:.1}% repeats), {} watchlist entries ({} planted, 1 true match per {:.0} encounters), {} indicators, {} partner alerts in {:.1}s → {}",
        s.encounters,
        s.persons_encountered,
        s.repeat_rate * 100.0,
        s.watchlist_entries,
        s.watchlist_planted_persons,
        s.encounters_per_true_match,
        s.indicators,
        s.partner_alerts,
        t0.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(())
}
