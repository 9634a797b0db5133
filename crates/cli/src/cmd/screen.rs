//! `linkwatch screen`: screen encounters (JSON Lines) or one query against watchlists, writing
//! explained hits. Loads lists (via `lists::load_list`), builds the candidate index, streams the
//! encounters through the screening API in parallel chunks, writes JSONL. No algorithms here.

use anyhow::{bail, Context as _};
use linkwatch_formats::ListSpec;
use linkwatch_matching::index::{CandidateIndex, IndexConfig};
use linkwatch_matching::screen::{Hit, ScreenOptions, Screener};
use linkwatch_matching::{Context, Identity, Scorer};
use linkwatch_model::{normalize_country, Encounter, EntityKind, PartialDate};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;

/// Arguments of `linkwatch screen`.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("query").required(true).args(["encounters", "name"])))]
pub struct Args {
    /// Watchlists to screen against: ofac-sdn:DIR, un-xml:FILE, jsonl:FILE, csv:FILE (repeatable).
    #[arg(long = "list", required = true, value_name = "LIST")]
    pub lists: Vec<ListSpec>,
    /// Encounters to screen (JSON Lines of linkwatch Encounter records).
    #[arg(long, value_name = "FILE.jsonl")]
    pub encounters: Option<PathBuf>,
    /// Where to write hits (JSON Lines) [default: hits.jsonl]; with --encounters.
    #[arg(long, short, value_name = "FILE.jsonl")]
    pub output: Option<PathBuf>,
    /// One query: a name as written.
    #[arg(long)]
    pub name: Option<String>,
    /// Date of birth of the query (1981-03-07, 07/03/1981, 1981...).
    #[arg(long)]
    pub dob: Option<String>,
    /// Nationality of the query (UZ, UZB, Uzbekistan...).
    #[arg(long)]
    pub country: Option<String>,
    /// Sex of the query (m/f).
    #[arg(long)]
    pub sex: Option<String>,
    /// Minimum calibrated probability of a hit.
    #[arg(long, default_value_t = 0.5)]
    pub threshold: f64,
    /// Keep the model's screening prior whatever the list's size (by default every doubling of
    /// the list beyond ~12,000 entries takes one bit off the prior; see docs/matching.md).
    #[arg(long)]
    pub no_list_size_prior: bool,
    /// At most this many hits per query (best first; 0 = all).
    #[arg(long, default_value_t = 10)]
    pub max_hits: usize,
    /// Model file (TOML) instead of the embedded default.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Prior log2 odds of a candidate pair instead of the model's screening prior.
    #[arg(long, allow_hyphen_values = true)]
    pub prior: Option<f64>,
    /// Also screen against organisations, vessels and aircraft (default: person entries only).
    #[arg(long)]
    pub all_kinds: bool,
    /// Single-part name keys with more postings than this are skipped (pair keys keep recall).
    #[arg(long, default_value_t = IndexConfig::default().stop_cap)]
    pub stop_cap: usize,
    /// Where to write list rejects (JSON Lines) [default: <output>.rejects.jsonl, or none].
    #[arg(long)]
    pub rejects: Option<PathBuf>,
}

type EntryKey = (String, String);

/// One hit as written to hits.jsonl.
#[derive(serde::Serialize)]
struct HitRecord<'a> {
    encounter_id: &'a str,
    list_id: &'a str,
    entry_id: &'a str,
    entry_name: &'a str,
    probability: f64,
    log2_odds: f64,
    rank: usize,
    explanation: &'a linkwatch_matching::Explanation,
}

struct Loaded {
    index: CandidateIndex<EntryKey>,
    /// Primary name of every entry.
    entries: HashMap<EntryKey, String>,
    scorer: Scorer,
}

fn load(args: &Args) -> anyhow::Result<Loaded> {
    let scorer0 = super::match_names::load_scorer(args.model.as_ref(), None)?;
    let mut model = scorer0.model().clone();
    if let Some(p) = args.prior {
        model.prior.screening_log2_odds = p;
    }
    let mut all = Vec::new();
    let mut rejects = Vec::new();
    for spec in &args.lists {
        let (entries, rej) =
            super::lists::load_list(spec).with_context(|| format!("loading {spec}"))?;
        eprintln!(
            "{spec}: {} entries, {} rejects/warnings",
            entries.len(),
            rej.len()
        );
        all.extend(entries);
        rejects.extend(rej);
    }
    let rejects_path = args.rejects.clone().or_else(|| {
        args.output
            .as_ref()
            .map(|o| o.with_extension("rejects.jsonl"))
    });
    if let (Some(p), false) = (&rejects_path, rejects.is_empty()) {
        let mut w = BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        );
        for r in &rejects {
            serde_json::to_writer(&mut w, r)?;
            w.write_all(b"\n")?;
        }
        w.flush()?;
        eprintln!("list rejects and warnings written to {}", p.display());
    }
    let before = all.len();
    if !args.all_kinds {
        all.retain(|e| e.kind == EntityKind::Person);
    }
    if all.is_empty() {
        bail!(
            "no {}entries loaded from the lists",
            if args.all_kinds { "" } else { "person " }
        );
    }
    let pb = crate::progress::bar(all.len() as u64, "analysing");
    let ids: Vec<Identity> = all
        .par_iter()
        .map(|e| {
            pb.inc(1);
            Identity::from_entry(e)
        })
        .collect();
    pb.finish_and_clear();
    let mut tf = scorer0.tf().clone();
    let mut list_tf = linkwatch_matching::TermFrequencies::new();
    for id in &ids {
        for n in &id.names {
            list_tf.add_name(&n.analyzed);
        }
    }
    // Only what the hits report is kept of each entry (its primary name), not the entry.
    let mut entries = HashMap::with_capacity(all.len());
    let items: Vec<(EntryKey, Identity)> = all
        .into_iter()
        .zip(ids)
        .map(|(e, id)| {
            let key = (e.list.list_id, e.entry_id);
            let primary = e
                .names
                .into_iter()
                .next()
                .map(|n| n.full)
                .unwrap_or_default();
            entries.insert(key.clone(), primary);
            (key, id)
        })
        .collect();
    let sp = crate::progress::spinner("indexing");
    let mut index = CandidateIndex::new(IndexConfig {
        stop_cap: args.stop_cap,
        ..IndexConfig::default()
    });
    index.insert_many(items);
    sp.finish_and_clear();
    tf.merge(&list_tf);
    let scorer = Scorer::new(model, tf);
    // Names prepared once per entry for the scorer's fast path (frequencies, rarities, the
    // analyser's compact token records).
    index.prepare_all_tf(scorer.tf());
    eprintln!(
        "indexed {} {}entries ({} skipped by kind), {} keys",
        index.len(),
        if args.all_kinds { "" } else { "person " },
        before - index.len(),
        index.key_count()
    );
    Ok(Loaded {
        index,
        entries,
        scorer,
    })
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!(
            "--threshold must be a probability in [0, 1], got {}",
            args.threshold
        );
    }
    let loaded = load(&args)?;
    let opts = ScreenOptions {
        threshold: args.threshold,
        max_hits: args.max_hits,
        context: Context::Screening,
        // The chance that an encounter is one given entry falls with the list's size.
        prior_adjust: if args.no_list_size_prior {
            0.0
        } else {
            linkwatch_matching::screen::list_size_prior_adjust(loaded.index.len())
        },
    };
    if let Some(name) = &args.name {
        return one(&args, &loaded, name, &opts);
    }
    let Some(input) = &args.encounters else {
        bail!("give --encounters FILE or --name NAME")
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("hits.jsonl"));
    let file =
        std::fs::File::open(input).with_context(|| format!("opening {}", input.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut out = BufWriter::new(
        std::fs::File::create(&output).with_context(|| format!("creating {}", output.display()))?,
    );
    let screener = Screener::new(&loaded.index, &loaded.scorer, &opts);
    let pb = crate::progress::bar(size, "screening");
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg:>12} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let (mut n_enc, mut n_bad, mut n_hits, mut n_with_hits) = (0u64, 0u64, 0u64, 0u64);
    let mut line_no = 0u64;
    let chunk = 20_000;
    let mut buf = String::new();
    loop {
        // Read a chunk of lines.
        let mut lines: Vec<(u64, String)> = Vec::with_capacity(chunk);
        while lines.len() < chunk {
            buf.clear();
            let n = reader
                .read_line(&mut buf)
                .with_context(|| format!("reading {}", input.display()))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            pb.inc(n as u64);
            if !buf.trim().is_empty() {
                lines.push((line_no, std::mem::take(&mut buf)));
            }
        }
        if lines.is_empty() {
            break;
        }
        let parsed: Vec<Result<Encounter, (u64, String)>> = lines
            .par_iter()
            .map(|(ln, l)| serde_json::from_str::<Encounter>(l).map_err(|e| (*ln, e.to_string())))
            .collect();
        let mut encs = Vec::with_capacity(parsed.len());
        for p in parsed {
            match p {
                Ok(e) => encs.push(e),
                Err((ln, e)) => {
                    n_bad += 1;
                    if n_bad <= 20 {
                        pb.suspend(|| {
                            eprintln!(
                                "warning: {} line {ln}: not a valid encounter, skipped: {e}",
                                input.display()
                            )
                        });
                    }
                }
            }
        }
        let ids: Vec<Identity> = encs
            .par_iter()
            .map(|e| {
                let mut id = Identity::from_encounter(e);
                loaded.scorer.prepare(&mut id);
                id
            })
            .collect();
        let hits: Vec<Vec<Hit<EntryKey>>> = ids.par_iter().map(|q| screener.screen(q)).collect();
        for (e, hs) in encs.iter().zip(&hits) {
            n_enc += 1;
            if !hs.is_empty() {
                n_with_hits += 1;
            }
            for (rank, h) in hs.iter().enumerate() {
                n_hits += 1;
                let name = loaded.entries.get(&h.key).map(String::as_str).unwrap_or("");
                let rec = HitRecord {
                    encounter_id: &e.id,
                    list_id: &h.key.0,
                    entry_id: &h.key.1,
                    entry_name: name,
                    probability: (h.probability * 1e6).round() / 1e6,
                    log2_odds: (h.log2_odds * 1e3).round() / 1e3,
                    rank: rank + 1,
                    explanation: &h.explanation,
                };
                serde_json::to_writer(&mut out, &rec)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    pb.finish_and_clear();
    eprintln!(
        "screened {n_enc} encounters: {n_hits} hits for {n_with_hits} encounters at p >= {} -> {}",
        args.threshold,
        output.display()
    );
    if n_bad > 0 {
        eprintln!(
            "warning: {n_bad} lines of {} were not valid encounters and were skipped",
            input.display()
        );
    }
    Ok(())
}

fn one(args: &Args, loaded: &Loaded, name: &str, opts: &ScreenOptions) -> anyhow::Result<()> {
    let dob = args
        .dob
        .as_deref()
        .map(PartialDate::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--dob: {e}"))?;
    let country = match &args.country {
        None => None,
        Some(c) => Some(
            normalize_country(c)
                .ok_or_else(|| anyhow::anyhow!("--country: unknown country {c:?}"))?,
        ),
    };
    let sex = match &args.sex {
        None => linkwatch_model::Sex::Unknown,
        Some(s) => super::match_names::parse_sex(s)
            .ok_or_else(|| anyhow::anyhow!("--sex: expected m or f, got {s:?}"))?,
    };
    let mut q = Identity::from_parts(name, dob, country, sex);
    loaded.scorer.prepare(&mut q);
    let (hits, stats) = Screener::new(&loaded.index, &loaded.scorer, opts).screen_with_stats(&q);
    println!(
        "query {name:?}{}{}: {} candidates from {} keys ({} frequent keys skipped), {} scored ({} below the score bound, {} without identity evidence), {} hits at p >= {}",
        dob.map(|d| format!(" dob {d}")).unwrap_or_default(),
        country.map(|c| format!(" country {c}")).unwrap_or_default(),
        stats.candidates,
        stats.keys,
        stats.keys_skipped,
        stats.scored,
        stats.pruned_by_bound,
        stats.pruned_by_evidence,
        hits.len(),
        opts.threshold
    );
    for (i, h) in hits.iter().enumerate() {
        let e = loaded.entries.get(&h.key);
        println!(
            "\n#{} p={:.4} ({:+.1} bits)  {}:{}  {}",
            i + 1,
            h.probability,
            h.log2_odds,
            h.key.0,
            h.key.1,
            e.map(String::as_str).unwrap_or("")
        );
        println!(
            "    {:<15} {:<32} {:>7}",
            "prior",
            "screening",
            format!("{:+.2}", h.explanation.prior)
        );
        for t in &h.explanation.terms {
            println!(
                "    {:<15} {:<32} {:>7}  {} ~ {}",
                t.feature,
                t.level,
                format!("{:+.2}", t.weight),
                t.a,
                t.b
            );
            if !t.detail.is_empty() {
                println!("    {:<15} {:<32} {:>7}  {}", "", "", "", t.detail);
            }
        }
    }
    Ok(())
}
