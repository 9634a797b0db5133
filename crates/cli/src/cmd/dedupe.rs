//! `linkwatch dedupe`, `linkwatch link`, `linkwatch resolve`: read the schema and input files,
//! call `linkwatch-resolve`, write clusters / links / persons. No algorithms here.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use linkwatch_resolve::data::RowIssue;
use linkwatch_resolve::pipeline::{self, BatchResult};
use linkwatch_resolve::{Dataset, Model, Schema};

use crate::progress;

/// Options shared by `dedupe`, `link` and `resolve`.
#[derive(clap::Args, Debug)]
pub struct RunOpts {
    /// Add the evidence of each link: linked record, probability, per-field contributions.
    #[arg(long)]
    pub explain: bool,
    /// Match-probability threshold (overrides the schema's).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Use this model (JSON, as written by --model-out) instead of estimating one.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Write the estimated model (JSON) here.
    #[arg(long)]
    pub model_out: Option<PathBuf>,
    /// Write every skipped row / unusable value here (CSV) instead of only summarising.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct DedupeArgs {
    /// Person file (CSV with a header row).
    #[arg(long)]
    pub input: PathBuf,
    /// Schema (TOML): id column, fields and their kinds, blocking rules.
    #[arg(long)]
    pub schema: PathBuf,
    /// Output CSV: the input's id column and `cluster_id` (the smallest record id of the cluster).
    #[arg(long)]
    pub output: PathBuf,
    #[command(flatten)]
    pub opts: RunOpts,
}

#[derive(clap::Args, Debug)]
pub struct LinkArgs {
    /// Left person file (CSV).
    #[arg(long)]
    pub left: PathBuf,
    /// Right person file (CSV, same layout).
    #[arg(long)]
    pub right: PathBuf,
    /// Schema (TOML): id column, fields and their kinds, blocking rules.
    #[arg(long)]
    pub schema: PathBuf,
    /// Output CSV: left id, right id, match probability (and explanation with --explain).
    #[arg(long)]
    pub output: PathBuf,
    #[command(flatten)]
    pub opts: RunOpts,
}

#[derive(clap::Args, Debug)]
pub struct ResolveArgs {
    /// linkwatch encounters, one JSON object per line.
    #[arg(long)]
    pub encounters: PathBuf,
    /// Output CSV: encounter_id, person_id.
    #[arg(long)]
    pub output: PathBuf,
    /// Truth (CSV encounter_id,person_id) to score the result against.
    #[arg(long)]
    pub truth: Option<PathBuf>,
    #[command(flatten)]
    pub opts: RunOpts,
}

fn read_schema(path: &Path) -> Result<Schema> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading schema {}", path.display()))?;
    Schema::from_toml(&text).with_context(|| format!("schema {}", path.display()))
}

fn read_model(path: &Option<PathBuf>) -> Result<Option<Model>> {
    match path {
        None => Ok(None),
        Some(p) => {
            let t = std::fs::read_to_string(p)
                .with_context(|| format!("reading model {}", p.display()))?;
            Ok(Some(
                Model::from_json(&t).with_context(|| format!("model {}", p.display()))?,
            ))
        }
    }
}

fn load_csv(
    ds: &mut Dataset,
    path: &Path,
    source: u8,
    issues: &mut Vec<(String, RowIssue)>,
) -> Result<()> {
    let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let pb = progress::bar(len, "reading");
    let r = pb.wrap_read(BufReader::with_capacity(1 << 20, f));
    let found = ds
        .read_csv(r, source)
        .with_context(|| format!("reading {}", path.display()))?;
    pb.finish_and_clear();
    let name = path.display().to_string();
    issues.extend(found.into_iter().map(|i| (name.clone(), i)));
    Ok(())
}

fn report_issues(issues: &[(String, RowIssue)], rejects: &Option<PathBuf>) -> Result<()> {
    if issues.is_empty() {
        return Ok(());
    }
    let skipped = issues.iter().filter(|(_, i)| i.skipped).count();
    for (file, i) in issues.iter().take(20) {
        eprintln!("warning: {file}: {i}");
    }
    if issues.len() > 20 {
        eprintln!("warning: ... {} more", issues.len() - 20);
    }
    eprintln!(
        "{} rows skipped, {} values treated as missing",
        skipped,
        issues.len() - skipped
    );
    if let Some(p) = rejects {
        let mut w =
            csv::Writer::from_path(p).with_context(|| format!("writing {}", p.display()))?;
        w.write_record(["file", "line", "record", "field", "reason", "row_skipped"])?;
        for (file, i) in issues {
            w.write_record([
                file.as_str(),
                &i.line.to_string(),
                i.record.as_deref().unwrap_or(""),
                i.field.as_deref().unwrap_or(""),
                &i.reason,
                if i.skipped { "true" } else { "false" },
            ])?;
        }
        w.flush()?;
    }
    Ok(())
}

fn run_batch(
    ds: &Dataset,
    cross_only: bool,
    model: Option<Model>,
    threshold: Option<f64>,
) -> Result<BatchResult> {
    let sp = progress::spinner("resolving");
    let t0 = Instant::now();
    let cb = |stage: &str, _done: u64, _total: u64| {
        tracing::info!("{:>8.3}s  {stage}", t0.elapsed().as_secs_f64());
        sp.set_message(stage.to_string());
        sp.tick();
    };
    let res = pipeline::run(ds, cross_only, model, threshold, &cb)?;
    tracing::info!("{:>8.3}s  done", t0.elapsed().as_secs_f64());
    sp.finish_and_clear();
    Ok(res)
}

fn write_model(res: &BatchResult, path: &Option<PathBuf>) -> Result<()> {
    if let Some(p) = path {
        std::fs::write(p, res.model.to_json())
            .with_context(|| format!("writing {}", p.display()))?;
    }
    Ok(())
}

fn summary(ds: &Dataset, res: &BatchResult, t0: Instant) {
    for r in &res.blocking.rules {
        tracing::info!(
            "blocking rule [{}]: {} new pairs, {} blocks, {} blocks over the size limit skipped ({} pairs)",
            r.rule,
            r.new_pairs,
            r.blocks,
            r.skipped_blocks,
            r.skipped_pairs
        );
    }
    tracing::info!("model: {}", res.model.to_json());
    eprintln!(
        "{} records, {} candidate pairs, {} links at p >= {}, {} clusters; prior {:.3e}, EM {} iterations{} ({:.2}s)",
        ds.len(),
        res.blocking.candidate_pairs,
        res.links.len(),
        res.model.threshold,
        res.clustering.as_ref().map(|c| c.cluster_count()).unwrap_or(0),
        res.model.prior,
        res.model.report.em_iterations,
        if res.model.report.rejected_fields.is_empty() {
            String::new()
        } else {
            format!(", EM estimate rejected for {:?}", res.model.report.rejected_fields)
        },
        t0.elapsed().as_secs_f64()
    );
}

/// Write `id,cluster_id[,match_probability,linked_to,evidence]`.
fn write_clusters(
    ds: &Dataset,
    res: &BatchResult,
    out: &Path,
    id_header: &str,
    cluster_header: &str,
    explain: bool,
) -> Result<()> {
    let Some(cl) = &res.clustering else {
        bail!("no clustering")
    };
    let f = File::create(out).with_context(|| format!("writing {}", out.display()))?;
    let mut w = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, f));
    if explain {
        w.write_record([
            id_header,
            cluster_header,
            "match_probability",
            "linked_to",
            "evidence",
        ])?;
    } else {
        w.write_record([id_header, cluster_header])?;
    }
    if !explain {
        // Plain output: format chunks of rows in parallel, write them in order.
        use rayon::prelude::*;
        w.flush()?;
        let mut inner = w
            .into_inner()
            .map_err(|e| anyhow::anyhow!("writing {}: {}", out.display(), e.error()))?;
        let chunks: Vec<Vec<u8>> = (0..ds.len())
            .collect::<Vec<_>>()
            .par_chunks(65_536)
            .map(|rows| -> Result<Vec<u8>> {
                let mut cw = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 24));
                for &i in rows {
                    cw.write_record([&*ds.ids[i], &*ds.ids[cl.cluster_of[i] as usize]])?;
                }
                cw.into_inner()
                    .map_err(|e| anyhow::anyhow!("{}", e.error()))
            })
            .collect::<Result<_>>()?;
        for c in chunks {
            inner.write_all(&c)?;
        }
        inner.flush()?;
        return Ok(());
    }
    for i in 0..ds.len() {
        let id = &*ds.ids[i];
        let cid = &*ds.ids[cl.cluster_of[i] as usize];
        {
            match cl.evidence[i] {
                Some(l) => {
                    let other = if l.a as usize == i { l.b } else { l.a };
                    let ex = res
                        .model
                        .explain(ds, &res.comparator, &res.scorer, i, other as usize);
                    w.write_record([
                        id,
                        cid,
                        &format!("{:.6}", l.probability),
                        &ds.ids[other as usize],
                        &ex.compact(),
                    ])?;
                }
                None => w.write_record([id, cid, "", "", ""])?,
            }
        }
    }
    w.flush()?;
    Ok(())
}

pub fn run_dedupe(a: DedupeArgs) -> Result<()> {
    let t0 = Instant::now();
    let schema = read_schema(&a.schema)?;
    tracing::info!("reading {}", a.input.display());
    let id_header = schema.id.clone();
    let mut ds = Dataset::new(schema);
    let mut issues = Vec::new();
    load_csv(&mut ds, &a.input, 0, &mut issues)?;
    report_issues(&issues, &a.opts.rejects)?;
    let res = run_batch(&ds, false, read_model(&a.opts.model)?, a.opts.threshold)?;
    write_model(&res, &a.opts.model_out)?;
    write_clusters(
        &ds,
        &res,
        &a.output,
        &id_header,
        "cluster_id",
        a.opts.explain,
    )?;
    summary(&ds, &res, t0);
    release_at_exit(ds, res);
    Ok(())
}

/// The process ends after this command: leave millions of small allocations (ids, values,
/// indexes) to the operating system instead of freeing them one by one (~0.5 s at 1 M).
fn release_at_exit(ds: Dataset, res: BatchResult) {
    std::mem::forget(ds);
    std::mem::forget(res);
}

pub fn run_link(a: LinkArgs) -> Result<()> {
    let t0 = Instant::now();
    let schema = read_schema(&a.schema)?;
    let id = schema.id.clone();
    let mut ds = Dataset::new(schema);
    let mut issues = Vec::new();
    load_csv(&mut ds, &a.left, 0, &mut issues)?;
    load_csv(&mut ds, &a.right, 1, &mut issues)?;
    report_issues(&issues, &a.opts.rejects)?;
    let res = run_batch(&ds, true, read_model(&a.opts.model)?, a.opts.threshold)?;
    write_model(&res, &a.opts.model_out)?;
    let f = File::create(&a.output).with_context(|| format!("writing {}", a.output.display()))?;
    let mut w = csv::Writer::from_writer(BufWriter::new(f));
    let (l, r) = (format!("{id}_l"), format!("{id}_r"));
    if a.opts.explain {
        w.write_record([
            l.as_str(),
            &r,
            "match_probability",
            "match_weight",
            "evidence",
        ])?;
    } else {
        w.write_record([l.as_str(), &r, "match_probability"])?;
    }
    let mut links = res.links.clone();
    links.sort_by(|x, y| {
        y.probability
            .total_cmp(&x.probability)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    for lk in &links {
        // left record first
        let (li, ri) = if ds.source[lk.a as usize] == 0 {
            (lk.a, lk.b)
        } else {
            (lk.b, lk.a)
        };
        let (lid, rid) = (&*ds.ids[li as usize], &*ds.ids[ri as usize]);
        if a.opts.explain {
            let ex = res
                .model
                .explain(&ds, &res.comparator, &res.scorer, li as usize, ri as usize);
            w.write_record([
                lid,
                rid,
                &format!("{:.6}", lk.probability),
                &format!("{:.3}", ex.total_weight),
                &ex.compact(),
            ])?;
        } else {
            w.write_record([lid, rid, &format!("{:.6}", lk.probability)])?;
        }
    }
    w.flush()?;
    summary(&ds, &res, t0);
    Ok(())
}

pub fn run_resolve(a: ResolveArgs) -> Result<()> {
    let t0 = Instant::now();
    let f =
        File::open(&a.encounters).with_context(|| format!("opening {}", a.encounters.display()))?;
    let name = a.encounters.display().to_string();
    let mut ds = Dataset::new(linkwatch_resolve::encounter::encounter_schema());
    let mut issues: Vec<(String, RowIssue)> = Vec::new();
    let sp = progress::spinner("reading");
    let mut row_issues = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("reading {name}"))?;
        if line.trim().is_empty() {
            continue;
        }
        sp.inc(1);
        let lineno = n as u64 + 1;
        let e: linkwatch_model::Encounter = match serde_json::from_str(&line) {
            Ok(e) => e,
            Err(err) => {
                issues.push((
                    name.clone(),
                    RowIssue {
                        line: lineno,
                        record: None,
                        field: None,
                        reason: format!("not an encounter: {err}"),
                        skipped: true,
                    },
                ));
                continue;
            }
        };
        let vals = linkwatch_resolve::encounter::encounter_values(&e);
        let refs: Vec<Option<&str>> = vals.iter().map(|v| v.as_deref()).collect();
        if let Err(i) = ds.push(&e.id, &refs, 0, lineno, &mut row_issues) {
            issues.push((name.clone(), i));
        }
    }
    sp.finish_and_clear();
    issues.extend(row_issues.into_iter().map(|i| (name.clone(), i)));
    report_issues(&issues, &a.opts.rejects)?;
    let res = run_batch(&ds, false, read_model(&a.opts.model)?, a.opts.threshold)?;
    write_model(&res, &a.opts.model_out)?;
    write_clusters(
        &ds,
        &res,
        &a.output,
        "encounter_id",
        "person_id",
        a.opts.explain,
    )?;
    summary(&ds, &res, t0);
    if let Some(tp) = &a.truth {
        let mut truth = std::collections::HashMap::new();
        let mut r = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_path(tp)
            .with_context(|| format!("reading {}", tp.display()))?;
        for rec in r.records() {
            let rec = rec?;
            if let (Some(e), Some(p)) = (rec.get(0), rec.get(1)) {
                truth.insert(e.to_string(), p.to_string());
            }
        }
        let cl = res.clustering.as_ref().map(|c| &c.cluster_of);
        let (mut pred, mut tru) = (Vec::new(), Vec::new());
        for i in 0..ds.len() {
            if let (Some(t), Some(c)) = (truth.get(&*ds.ids[i]), cl) {
                pred.push(c[i]);
                tru.push(t.clone());
            }
        }
        let (pw, ..) = linkwatch_resolve::metrics::pairwise(&pred, &tru);
        let b3 = linkwatch_resolve::metrics::bcubed(&pred, &tru);
        let (cands, _) = linkwatch_resolve::blocking::candidate_pairs(
            &ds,
            &linkwatch_resolve::blocking::compile_rules(&ds.schema)?,
            false,
        );
        let tr_idx: Vec<String> = (0..ds.len())
            .map(|i| {
                truth
                    .get(&*ds.ids[i])
                    .cloned()
                    .unwrap_or_else(|| format!("\u{0}unlabelled-{i}"))
            })
            .collect();
        let br = linkwatch_resolve::metrics::blocking_recall(&cands, &tr_idx);
        println!(
            "pairwise precision {:.4} recall {:.4} F1 {:.4}; B-cubed precision {:.4} recall {:.4} F1 {:.4}; blocking recall {:.4} ({} of {} encounters in truth)",
            pw.precision, pw.recall, pw.f1, b3.precision, b3.recall, b3.f1, br, pred.len(), ds.len()
        );
    }
    let _ = std::io::stdout().flush();
    Ok(())
}
