//! `linkwatch lists`: inspect watchlists (counts per list) and convert them to linkwatch JSONL.
//!
//! This file opens files and writes files; parsing, normalisation and counting live in
//! linkwatch-formats. [`load_list`] is the one place that turns a [`ListSpec`] into entries and
//! rejects, and other commands (`screen --list`) call it.

use anyhow::{bail, Context};
use linkwatch_formats::{
    CsvListReader, Event, JsonlReader, JsonlWriter, ListSpec, ListSummary, OfacSdn, Reject,
    RejectWriter, UnXml,
};
use linkwatch_model::WatchlistEntry;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Load one or more lists and print what they contain: entries, persons, aliases, DOBs,
    /// documents, nationalities, rejects.
    ///
    /// LIST is KIND:PATH with KIND one of
    ///   ofac-sdn:DIR   OFAC legacy CSV directory (sdn.csv [+ alt.csv, add.csv, sdn_comments.csv])
    ///   un-xml:FILE    UN Security Council consolidated list XML
    ///   jsonl:FILE     linkwatch watchlist JSON Lines
    ///   csv:FILE       custom list CSV (entry_id,name,aliases,dob,nationality,document,...)
    ///
    /// Bad records and unreadable values are written to the rejects file (JSON Lines naming
    /// file, line, entry, field and reason); good records are always kept.
    #[command(verbatim_doc_comment)]
    Inspect(InspectArgs),
    /// Convert one or more lists to linkwatch watchlist JSON Lines (one WatchlistEntry per line),
    /// or to the custom-list CSV layout when the output file ends in `.csv`.
    Convert(ConvertArgs),
}

#[derive(clap::Args, Debug)]
pub struct InspectArgs {
    /// Lists to load (ofac-sdn:DIR, un-xml:FILE, jsonl:FILE, csv:FILE).
    #[arg(required = true, value_name = "LIST")]
    pub lists: Vec<ListSpec>,
    /// Print machine-readable JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Where to write rejects and warnings (JSON Lines).
    #[arg(
        long,
        value_name = "FILE",
        default_value = "linkwatch-lists.rejects.jsonl"
    )]
    pub rejects: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct ConvertArgs {
    /// Lists to convert (ofac-sdn:DIR, un-xml:FILE, jsonl:FILE, csv:FILE).
    #[arg(required = true, value_name = "LIST")]
    pub lists: Vec<ListSpec>,
    /// Output file: `.jsonl` (linkwatch JSON Lines) or `.csv` (custom-list CSV layout; names,
    /// DOBs, nationalities, places of birth, documents, programs, remarks only).
    #[arg(long, short, value_name = "FILE.jsonl")]
    pub output: PathBuf,
    /// Where to write rejects and warnings [default: <output>.rejects.jsonl].
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
}

pub fn run(c: Command) -> anyhow::Result<()> {
    match c {
        Command::Inspect(a) => inspect(a),
        Command::Convert(a) => convert(a),
    }
}

fn open(p: &Path) -> anyhow::Result<BufReader<File>> {
    Ok(BufReader::new(
        File::open(p).with_context(|| format!("cannot open {}", p.display()))?,
    ))
}

/// Load one list: all good entries and every reject / warning, in input order.
///
/// Fails only when the input cannot be opened at all; bad records inside it are rejects.
pub fn load_list(spec: &ListSpec) -> anyhow::Result<(Vec<WatchlistEntry>, Vec<Reject>)> {
    let pb = crate::progress::spinner(spec.kind());
    let mut entries = Vec::new();
    let mut rejects = Vec::new();
    let mut sink = |ev: Event<WatchlistEntry>| {
        match ev {
            Event::Record(e) => {
                entries.push(e);
                pb.inc(1);
            }
            Event::Reject(r) => rejects.push(r),
        };
    };
    match spec {
        ListSpec::OfacSdn(p) => {
            let dir = if p.is_file() {
                p.parent().unwrap_or(Path::new(".")).to_path_buf()
            } else {
                p.clone()
            };
            let sdn = dir.join("sdn.csv");
            if !sdn.is_file() {
                bail!("{}: no sdn.csv in {}", spec, dir.display());
            }
            let version = dir
                .canonicalize()
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_default();
            let mut imp = OfacSdn::new(&version);
            let side = |name: &str| {
                let f = dir.join(name);
                f.is_file().then_some(f)
            };
            if let Some(f) = side("alt.csv") {
                imp = imp.aliases(open(&f)?, &f.display().to_string());
            }
            if let Some(f) = side("add.csv") {
                imp = imp.addresses(open(&f)?, &f.display().to_string());
            }
            if let Some(f) = side("sdn_comments.csv") {
                imp = imp.comments(open(&f)?, &f.display().to_string());
            }
            imp.entries(open(&sdn)?, &sdn.display().to_string())
                .for_each(&mut sink);
        }
        ListSpec::UnXml(p) => {
            UnXml::new(open(p)?, &p.display().to_string(), "").for_each(&mut sink)
        }
        ListSpec::Jsonl(p) => {
            JsonlReader::<_, WatchlistEntry>::new(open(p)?, &p.display().to_string())
                .for_each(&mut sink)
        }
        ListSpec::Csv(p) => {
            let list_id = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "custom".into());
            CsvListReader::new(open(p)?, &p.display().to_string(), &list_id, "").for_each(&mut sink)
        }
    }
    pb.finish_and_clear();
    Ok((entries, rejects))
}

fn write_rejects(path: &Path, all: &[Reject]) -> anyhow::Result<()> {
    let f = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = RejectWriter::new(BufWriter::new(f));
    for r in all {
        w.write(r)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    w.finish()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn inspect(a: InspectArgs) -> anyhow::Result<()> {
    let mut summaries = Vec::new();
    let mut all_rejects = Vec::new();
    for spec in &a.lists {
        let (entries, rejects) = load_list(spec)?;
        summaries.push(ListSummary::of(&spec.to_string(), &entries, &rejects));
        all_rejects.extend(rejects);
    }
    let rejects_file = if all_rejects.is_empty() {
        None
    } else {
        write_rejects(&a.rejects, &all_rejects)?;
        Some(a.rejects.display().to_string())
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if a.json {
        let v = serde_json::json!({ "lists": summaries, "rejects_file": rejects_file });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        print_table(&mut out, &summaries)?;
        if let Some(f) = &rejects_file {
            let rec = all_rejects.iter().filter(|r| r.is_record_level()).count();
            writeln!(
                out,
                "\n{rec} rejected records and {} warnings written to {f}",
                all_rejects.len() - rec
            )?;
        }
    }
    Ok(())
}

fn print_table(out: &mut impl Write, s: &[ListSummary]) -> std::io::Result<()> {
    for (i, x) in s.iter().enumerate() {
        writeln!(out, "[{}] {}", i + 1, x.label)?;
    }
    writeln!(out)?;
    write!(out, "{:<22}", "")?;
    for i in 0..s.len() {
        write!(out, "{:>12}", format!("[{}]", i + 1))?;
    }
    writeln!(out)?;
    let Some(first) = s.first() else {
        return Ok(());
    };
    for (row, (label, _)) in first.rows().iter().enumerate() {
        write!(out, "{label:<22}")?;
        for x in s {
            let v = x.rows().get(row).map(|r| r.1).unwrap_or(0);
            write!(out, "{v:>12}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `out.jsonl` → `out.rejects.jsonl`.
pub fn default_rejects_path(output: &Path) -> PathBuf {
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    output.with_file_name(format!("{stem}.rejects.jsonl"))
}

/// The two output layouts of `lists convert`.
enum Out {
    Jsonl(JsonlWriter<BufWriter<File>>),
    Csv(Box<csv::Writer<BufWriter<File>>>),
}

fn convert(a: ConvertArgs) -> anyhow::Result<()> {
    let rejects_path = a
        .rejects
        .clone()
        .unwrap_or_else(|| default_rejects_path(&a.output));
    let as_csv = a
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let f = BufWriter::new(
        File::create(&a.output).with_context(|| format!("cannot create {}", a.output.display()))?,
    );
    let mut out = if as_csv {
        let mut w = csv::Writer::from_writer(f);
        linkwatch_formats::csvlist::write_header(&mut w)?;
        Out::Csv(Box::new(w))
    } else {
        Out::Jsonl(JsonlWriter::new(f))
    };
    let mut all_rejects = Vec::new();
    let mut summaries = Vec::new();
    let mut written = 0u64;
    for spec in &a.lists {
        let (entries, rejects) = load_list(spec)?;
        for e in &entries {
            match &mut out {
                Out::Jsonl(w) => w.write(e).map_err(anyhow::Error::from),
                Out::Csv(w) => {
                    linkwatch_formats::csvlist::write_entry(w, e).map_err(anyhow::Error::from)
                }
            }
            .with_context(|| format!("writing {}", a.output.display()))?;
            written += 1;
        }
        summaries.push(ListSummary::of(&spec.to_string(), &entries, &rejects));
        all_rejects.extend(rejects);
    }
    match out {
        Out::Jsonl(w) => w.finish().map(|_| ()),
        Out::Csv(mut w) => w.flush(),
    }
    .with_context(|| format!("writing {}", a.output.display()))?;
    write_rejects(&rejects_path, &all_rejects)?;
    for s in &summaries {
        eprintln!(
            "{}: {} entries, {} rejected, {} warnings",
            s.label, s.entries, s.rejects, s.warnings
        );
    }
    eprintln!(
        "wrote {written} entries to {} and {} rejects/warnings to {}",
        a.output.display(),
        all_rejects.len(),
        rejects_path.display()
    );
    Ok(())
}
