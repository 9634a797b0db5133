//! `linkwatch screen`: screen encounters (JSON Lines) or one query against watchlists, writing
//! explained hits. Loads lists (JSON Lines lists streamed by chunks: a reader thread cuts
//! lines while the previous chunk is parsed and analysed in parallel; other formats via
//! `lists::load_list`, each parsed on its own thread from the start), builds the candidate
//! index, and runs the encounters through three overlapping stages: a producer thread reads
//! batches of lines and parses (the screening view of each record), analyses and prepares
//! them in parallel — starting while the index is still being built —, the main thread screens
//! each batch with `BatchScreener`, and a writer thread writes hits and rejects in input
//! order. Bad lines become rejects naming line and field. Phase timings go through `tracing`
//! (`-v`). No algorithms here.

use anyhow::{bail, Context as _};
use linkwatch_formats::jsonl::{
    parse_encounter_for_screening, parse_line, ScreeningEncounter, MAX_LINE_BYTES,
};
use linkwatch_formats::reject::{Event, Reject};
use linkwatch_formats::ListSpec;
use linkwatch_matching::batch::BatchScreener;
use linkwatch_matching::index::{CandidateIndex, IndexConfig};
use linkwatch_matching::screen::{Hit, ScreenOptions, Screener};
use linkwatch_matching::{Context, Identity, Scorer};
use linkwatch_model::{
    normalize_country, Disposition, Encounter, EntityKind, PartialDate, Place, PlaceKind,
    WatchlistEntry,
};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, BufWriter, Read as _, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

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
    /// Encounters screened together (read, analysed, then screened in locality order; larger
    /// batches share more cache between neighbours and hold more encounters in memory).
    #[arg(long, default_value_t = 1 << 16, value_name = "N")]
    pub batch: usize,
    /// Screen each batch in input order instead of locality order (same hits; for benchmarks).
    #[arg(long, hide = true)]
    pub input_order: bool,
    /// Where to write list rejects (JSON Lines) [default: <output>.rejects.jsonl, or none].
    #[arg(long)]
    pub rejects: Option<PathBuf>,
}

/// Index key of an entry: its position in [`Loaded::entries`] (a later entry with the same list
/// and entry id takes the earlier one's key, so the index replaces it, as before).
type EntryKey = u32;

/// What the hits report of an indexed entry (the entry itself is not kept).
struct EntryMeta {
    list: u32,
    entry_id: Box<str>,
    /// Primary name.
    name: Box<str>,
}

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

impl Lists {
    fn entry(&self, k: EntryKey) -> (&str, &str, &str) {
        match self.entries.get(k as usize) {
            Some(m) => (
                self.list_ids
                    .get(m.list as usize)
                    .map(String::as_str)
                    .unwrap_or(""),
                &m.entry_id,
                &m.name,
            ),
            None => ("", "", ""),
        }
    }
}

/// Seconds since `t`.
fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

/// Busy time summed over rayon workers (wall time inside a phase, per item), in nanoseconds:
/// per-phase figures of fused parallel loops. Equals CPU time on an idle machine; time a worker
/// spends descheduled under load counts too.
#[derive(Default)]
struct CpuClock(AtomicU64);

impl CpuClock {
    fn add(&self, since: Instant) -> Instant {
        let now = Instant::now();
        self.0
            .fetch_add((now - since).as_nanos() as u64, Ordering::Relaxed);
        now
    }
    fn secs(&self) -> f64 {
        self.0.load(Ordering::Relaxed) as f64 / 1e9
    }
}

/// Lines read for one parallel chunk: one buffer, line spans and 1-based line numbers.
struct LineChunk {
    buf: Vec<u8>,
    lines: Vec<(u64, std::ops::Range<usize>)>,
    bytes: u64,
}

/// Read up to `max` lines (at most `MAX_LINE_BYTES` + 1 bytes each: a longer line is cut and
/// rejected by the parser as not JSON, and its rest is skipped) after line `*line_no`.
fn read_chunk(
    r: &mut impl BufRead,
    max: usize,
    line_no: &mut u64,
    label: &str,
) -> anyhow::Result<LineChunk> {
    let mut c = LineChunk {
        buf: Vec::with_capacity(max * 512),
        lines: Vec::with_capacity(max),
        bytes: 0,
    };
    while c.lines.len() < max {
        let start = c.buf.len();
        let n = r
            .by_ref()
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut c.buf)
            .with_context(|| format!("reading {label}"))?;
        if n == 0 {
            break;
        }
        *line_no += 1;
        c.bytes += n as u64;
        if n > MAX_LINE_BYTES && !c.buf.ends_with(b"\n") {
            // Skip the rest of an overlong line; keep its head for the reject.
            let mut sink = Vec::new();
            loop {
                sink.clear();
                let k = r
                    .by_ref()
                    .take(1 << 20)
                    .read_until(b'\n', &mut sink)
                    .with_context(|| format!("reading {label}"))?;
                c.bytes += k as u64;
                if k == 0 || sink.ends_with(b"\n") {
                    break;
                }
            }
            c.buf.truncate(start + 200);
        }
        c.lines.push((*line_no, start..c.buf.len()));
    }
    Ok(c)
}

/// Where list and encounter rejects go: created on the first reject.
struct RejectSink {
    path: Option<PathBuf>,
    out: Option<BufWriter<std::fs::File>>,
    written: u64,
}

impl RejectSink {
    fn write(&mut self, r: &Reject) -> anyhow::Result<()> {
        let Some(p) = &self.path else {
            return Ok(());
        };
        if self.out.is_none() {
            self.out = Some(BufWriter::new(
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
            ));
        }
        if let Some(w) = &mut self.out {
            serde_json::to_writer(&mut *w, r)?;
            w.write_all(b"\n")?;
            self.written += 1;
        }
        Ok(())
    }
    fn finish(&mut self) -> anyhow::Result<()> {
        if let Some(w) = &mut self.out {
            w.flush()?;
        }
        Ok(())
    }
}

/// Entries of the lists as identities, in input order.
#[derive(Default)]
struct Entries {
    items: Vec<(EntryKey, Identity)>,
    meta: Vec<EntryMeta>,
    list_ids: Vec<String>,
    ordinal: HashMap<(u32, String), u32>,
    skipped_by_kind: usize,
}

impl Entries {
    fn list_index(&mut self, id: &str) -> u32 {
        match self.list_ids.iter().position(|l| l == id) {
            Some(i) => i as u32,
            None => {
                self.list_ids.push(id.to_string());
                (self.list_ids.len() - 1) as u32
            }
        }
    }

    /// Add analysed entries (in input order).
    fn push(&mut self, e: WatchlistEntry, id: Identity) {
        let list = self.list_index(&e.list.list_id);
        let name: Box<str> = e
            .names
            .into_iter()
            .next()
            .map(|n| n.full.into_boxed_str())
            .unwrap_or_default();
        let next = self.meta.len() as u32;
        let k = *self
            .ordinal
            .entry((list, e.entry_id.clone()))
            .or_insert(next);
        let meta = EntryMeta {
            list,
            entry_id: e.entry_id.into_boxed_str(),
            name,
        };
        if k == next {
            self.meta.push(meta);
        } else {
            // Same list and entry id again: the index replaces the earlier record.
            self.meta[k as usize] = meta;
        }
        self.items.push((k, id));
    }
}

/// Entries kept by `--all-kinds`, analysed in parallel.
fn analyse_entries(
    out: &mut Entries,
    entries: Vec<WatchlistEntry>,
    all_kinds: bool,
    clock: &CpuClock,
) {
    let before = entries.len();
    let entries: Vec<WatchlistEntry> = entries
        .into_iter()
        .filter(|e| all_kinds || e.kind == EntityKind::Person)
        .collect();
    out.skipped_by_kind += before - entries.len();
    let ids: Vec<Identity> = entries
        .par_iter()
        .map(|e| {
            let t = Instant::now();
            let id = Identity::from_entry(e);
            clock.add(t);
            id
        })
        .collect();
    for (e, id) in entries.into_iter().zip(ids) {
        out.push(e, id);
    }
}

/// Read a JSON Lines list by chunks, parsing and analysing each chunk in parallel; entries are
/// dropped once analysed. Same records and rejects as `lists::load_list`.
fn stream_jsonl_list(
    p: &std::path::Path,
    out: &mut Entries,
    rejects: &mut Vec<Reject>,
    all_kinds: bool,
    clock: &CpuClock,
) -> anyhow::Result<usize> {
    let label = p.display().to_string();
    let file = std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut r = BufReader::with_capacity(1 << 20, file);
    let label = &label;
    let pb = crate::progress::bar(size, "reading list");
    pb.set_style(bytes_style());
    // A reader thread cuts the next chunk of lines while this one is parsed and analysed.
    let (tx, rx) = std::sync::mpsc::sync_channel::<LineChunk>(1);
    let n = std::thread::scope(|s| {
        let reader = s.spawn(move || -> anyhow::Result<()> {
            let mut line_no = 0u64;
            loop {
                let chunk = read_chunk(&mut r, 1 << 16, &mut line_no, label)?;
                if chunk.lines.is_empty() || tx.send(chunk).is_err() {
                    return Ok(());
                }
            }
        });
        let mut n = 0usize;
        for chunk in rx {
            pb.inc(chunk.bytes);
            let parsed: Vec<Option<Event<WatchlistEntry>>> = chunk
                .lines
                .par_iter()
                .map(|(ln, span)| parse_line(label, *ln, &chunk.buf[span.clone()]))
                .collect();
            drop(chunk);
            let mut good = Vec::with_capacity(parsed.len());
            for ev in parsed.into_iter().flatten() {
                match ev {
                    Event::Record(e) => good.push(e),
                    Event::Reject(rj) => rejects.push(rj),
                }
            }
            n += good.len();
            analyse_entries(out, good, all_kinds, clock);
        }
        reader
            .join()
            .map_err(|_| anyhow::anyhow!("list reader panicked"))??;
        anyhow::Ok(n)
    })?;
    pb.finish_and_clear();
    Ok(n)
}

fn bytes_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(
        "{msg:>12} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
}

/// The lists read and analysed, with the scorer their term frequencies give (the index is
/// built from `items` afterwards).
struct Lists {
    items: Vec<(EntryKey, Identity)>,
    entries: Vec<EntryMeta>,
    list_ids: Vec<String>,
    skipped_by_kind: usize,
    scorer: Scorer,
}

fn load_lists(args: &Args, rejects_out: &mut RejectSink) -> anyhow::Result<Lists> {
    let scorer0 = super::match_names::load_scorer(args.model.as_ref(), None)?;
    let mut model = scorer0.model().clone();
    if let Some(p) = args.prior {
        model.prior.screening_log2_odds = p;
    }
    let t_load = Instant::now();
    let analysis = CpuClock::default();
    let mut all = Entries::default();
    let mut n_rejects = 0usize;
    // Lists other than JSON Lines are parsed whole (`lists::load_list`), each on its own
    // thread from the start, while earlier lists are read and analysed; entries are analysed
    // and numbered in the order of the --list flags, as before.
    type ListRead = anyhow::Result<(Vec<WatchlistEntry>, Vec<Reject>)>;
    let mut pending: Vec<Option<std::thread::JoinHandle<ListRead>>> = args
        .lists
        .iter()
        .map(|spec| match spec {
            ListSpec::Jsonl(_) => None,
            _ => {
                let spec = spec.clone();
                Some(std::thread::spawn(move || super::lists::load_list(&spec)))
            }
        })
        .collect();
    for (k, spec) in args.lists.iter().enumerate() {
        let mut rej = Vec::new();
        let n = match (spec, pending.get_mut(k).and_then(Option::take)) {
            (_, Some(h)) => {
                let (entries, r) = h
                    .join()
                    .map_err(|_| anyhow::anyhow!("list reader panicked"))?
                    .with_context(|| format!("loading {spec}"))?;
                rej = r;
                let n = entries.len();
                analyse_entries(&mut all, entries, args.all_kinds, &analysis);
                n
            }
            (ListSpec::Jsonl(p), None) => {
                stream_jsonl_list(p, &mut all, &mut rej, args.all_kinds, &analysis)
                    .with_context(|| format!("loading {spec}"))?
            }
            (_, None) => bail!("internal: list {spec} was not read"),
        };
        eprintln!("{spec}: {n} entries, {} rejects/warnings", rej.len());
        for r in &rej {
            rejects_out.write(r)?;
        }
        n_rejects += rej.len();
    }
    if n_rejects > 0 {
        if let Some(p) = &rejects_out.path {
            eprintln!("list rejects and warnings written to {}", p.display());
        }
    }
    let load_secs = secs(t_load);
    tracing::info!(
        phase = "read+analyse lists",
        wall_s = load_secs,
        analysis_thread_s = analysis.secs(),
        entries = all.items.len(),
        "lists read and analysed"
    );
    eprintln!(
        "lists read and analysed in {load_secs:.1} s ({:.1} thread-s of analysis)",
        analysis.secs()
    );
    if all.items.is_empty() {
        bail!(
            "no {}entries loaded from the lists",
            if args.all_kinds { "" } else { "person " }
        );
    }
    let t_tf = Instant::now();
    let mut tf = scorer0.tf().clone();
    let list_tf =
        linkwatch_matching::TermFrequencies::of_identities(all.items.par_iter().map(|(_, id)| id));
    tf.merge(&list_tf);
    let scorer = Scorer::new(model, tf);
    tracing::info!(
        phase = "term frequencies",
        wall_s = secs(t_tf),
        "list term frequencies"
    );
    let Entries {
        items,
        meta,
        list_ids,
        ordinal,
        skipped_by_kind,
    } = all;
    drop(ordinal);
    Ok(Lists {
        items,
        entries: meta,
        list_ids,
        skipped_by_kind,
        scorer,
    })
}

/// Build the candidate index over the lists' entries and prepare their names for `scorer`.
fn build_index(
    args: &Args,
    items: Vec<(EntryKey, Identity)>,
    skipped_by_kind: usize,
    scorer: &Scorer,
) -> CandidateIndex<EntryKey> {
    let n_items = items.len();
    let t_index = Instant::now();
    let sp = crate::progress::spinner("indexing");
    let mut index = CandidateIndex::new(IndexConfig {
        stop_cap: args.stop_cap,
        ..IndexConfig::default()
    });
    index.insert_many(items);
    sp.finish_and_clear();
    let index_secs = secs(t_index);
    // Names prepared once per entry for the scorer's fast path (frequencies, rarities, the
    // analyser's compact token records).
    let t_prep = Instant::now();
    index.prepare_all_tf(scorer.tf());
    let prep_secs = secs(t_prep);
    tracing::info!(
        phase = "index",
        postings_s = index_secs,
        prepare_s = prep_secs,
        keys = index.key_count(),
        "index built"
    );
    eprintln!(
        "indexed {} {}entries ({} skipped by kind, {} replaced by a later record with the same list and entry id), {} keys; index {index_secs:.1} s, preparation {prep_secs:.1} s",
        index.len(),
        if args.all_kinds { "" } else { "person " },
        skipped_by_kind,
        n_items - index.len(),
        index.key_count(),
    );
    index
}

/// Screening options of a run over an index of `n` entries.
fn screen_options(args: &Args, n: usize) -> ScreenOptions {
    ScreenOptions {
        threshold: args.threshold,
        max_hits: args.max_hits,
        context: Context::Screening,
        // The chance that an encounter is one given entry falls with the list's size.
        prior_adjust: if args.no_list_size_prior {
            0.0
        } else {
            linkwatch_matching::screen::list_size_prior_adjust(n)
        },
    }
}

/// What became of one input line before screening.
enum Parsed {
    Blank,
    Rejected(Reject),
    /// Encounter id (its prepared identity is in [`Batch::ids`]).
    Good(String),
}

/// One batch of encounter lines, parsed, analysed and prepared.
struct Batch {
    parsed: Vec<Parsed>,
    /// Prepared identities of the good lines, in input order.
    ids: Vec<Identity>,
    /// Bytes of the line of each identity (progress).
    bytes: Vec<u32>,
}

/// The identity screening reads of an encounter line: [`Identity::from_encounter`] of a record
/// holding the view's fields (the fields screening never reads are not in the view; the
/// record's are placeholders no one reads).
fn screening_identity(v: ScreeningEncounter) -> (String, Identity) {
    let e = Encounter {
        id: String::new(),
        time: Default::default(),
        place: Place {
            kind: PlaceKind::BorderSector,
            code: String::new(),
            name: String::new(),
            lat: 0.0,
            lon: 0.0,
        },
        agency: String::new(),
        subject: v.subject,
        documents: v.documents,
        biometrics: v.biometrics,
        contacts: v.contacts,
        us_address: None,
        sponsor: None,
        travel: Vec::new(),
        group: None,
        facilitator: None,
        disposition: Disposition::Detained,
        source: Default::default(),
    };
    (v.id, Identity::from_encounter(&e))
}

/// Counters of the encounter phase.
#[derive(Default)]
struct Clocks {
    parse: CpuClock,
    analyse: CpuClock,
    read_ns: AtomicU64,
}

/// Read the encounters by batches of `chunk_lines` lines, parse, analyse and prepare each
/// batch in parallel and send it on; stops early when the receiver is gone.
fn produce_batches(
    reader: &mut impl BufRead,
    label: &str,
    chunk_lines: usize,
    scorer: &Scorer,
    clocks: &Clocks,
    tx: std::sync::mpsc::SyncSender<Batch>,
) -> anyhow::Result<()> {
    let mut line_no = 0u64;
    loop {
        let t = Instant::now();
        let chunk = read_chunk(reader, chunk_lines, &mut line_no, label)?;
        clocks
            .read_ns
            .fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
        if chunk.lines.is_empty() {
            return Ok(());
        }
        let prepared: Vec<(Parsed, Option<Identity>, u32)> = chunk
            .lines
            .par_iter()
            .map(|(ln, span)| {
                let t = Instant::now();
                let line = &chunk.buf[span.clone()];
                let v = match parse_encounter_for_screening(label, *ln, line) {
                    None => return (Parsed::Blank, None, 0),
                    Some(Event::Reject(r)) => return (Parsed::Rejected(r), None, 0),
                    Some(Event::Record(v)) => v,
                };
                let t = clocks.parse.add(t);
                let (enc_id, mut id) = screening_identity(v);
                scorer.prepare(&mut id);
                clocks.analyse.add(t);
                (Parsed::Good(enc_id), Some(id), span.len() as u32)
            })
            .collect();
        drop(chunk);
        let mut b = Batch {
            parsed: Vec::with_capacity(prepared.len()),
            ids: Vec::with_capacity(prepared.len()),
            bytes: Vec::with_capacity(prepared.len()),
        };
        for (p, id, n) in prepared {
            b.parsed.push(p);
            if let Some(id) = id {
                b.ids.push(id);
                b.bytes.push(n);
            }
        }
        if tx.send(b).is_err() {
            return Ok(());
        }
    }
}

/// A screened batch: what became of each line, and the hits of its good lines.
type Screened = (Vec<Parsed>, Vec<Vec<Hit<EntryKey>>>);

/// Totals of the encounter phase.
#[derive(Default)]
struct Written {
    encounters: u64,
    bad: u64,
    hits: u64,
    with_hits: u64,
    write_s: f64,
}

/// Write the hits and rejects of each screened batch, in input order.
fn write_batches(
    rx: std::sync::mpsc::Receiver<Screened>,
    out: &mut impl Write,
    rejects: &mut RejectSink,
    lists: &Lists,
    pb: &indicatif::ProgressBar,
) -> anyhow::Result<Written> {
    let mut w = Written::default();
    for (parsed, hits) in rx {
        let t = Instant::now();
        let mut hits = hits.into_iter();
        for p in parsed {
            let (id, hs) = match p {
                Parsed::Blank => continue,
                Parsed::Rejected(r) => {
                    w.bad += 1;
                    if w.bad <= 20 {
                        pb.suspend(|| {
                            eprintln!(
                                "warning: {} line {}: not a valid encounter, skipped ({}: {})",
                                r.source, r.record, r.field, r.reason
                            )
                        });
                    }
                    rejects.write(&r)?;
                    continue;
                }
                Parsed::Good(id) => (id, hits.next().unwrap_or_default()),
            };
            w.encounters += 1;
            if !hs.is_empty() {
                w.with_hits += 1;
            }
            for (rank, h) in hs.iter().enumerate() {
                w.hits += 1;
                let (list_id, entry_id, name) = lists.entry(h.key);
                let rec = HitRecord {
                    encounter_id: &id,
                    list_id,
                    entry_id,
                    entry_name: name,
                    probability: (h.probability * 1e6).round() / 1e6,
                    log2_odds: (h.log2_odds * 1e3).round() / 1e3,
                    rank: rank + 1,
                    explanation: &h.explanation,
                };
                serde_json::to_writer(&mut *out, &rec)?;
                out.write_all(b"\n")?;
            }
        }
        w.write_s += secs(t);
    }
    out.flush()?;
    rejects.finish()?;
    Ok(w)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!(
            "--threshold must be a probability in [0, 1], got {}",
            args.threshold
        );
    }
    let t_all = Instant::now();
    let rejects_path = args.rejects.clone().or_else(|| {
        args.output
            .as_ref()
            .map(|o| o.with_extension("rejects.jsonl"))
    });
    let mut rejects = RejectSink {
        path: rejects_path,
        out: None,
        written: 0,
    };
    let mut lists = load_lists(&args, &mut rejects)?;
    let items = std::mem::take(&mut lists.items);
    if let Some(name) = &args.name {
        rejects.finish()?;
        let index = build_index(&args, items, lists.skipped_by_kind, &lists.scorer);
        let opts = screen_options(&args, index.len());
        return one(&args, &lists, &index, name, &opts);
    }
    let Some(input) = &args.encounters else {
        bail!("give --encounters FILE or --name NAME")
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("hits.jsonl"));
    let label = input.display().to_string();
    let file =
        std::fs::File::open(input).with_context(|| format!("opening {}", input.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut out = BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&output).with_context(|| format!("creating {}", output.display()))?,
    );
    let clocks = Clocks::default();
    let chunk_lines = args.batch.max(1);
    let lists = &lists;
    // Three stages overlap: encounters are read, parsed and prepared (one batch ahead) while
    // the index is built and while the previous batch is screened; hits are written while the
    // next batch is screened. Hits and rejects keep the input order.
    let (batch_tx, batch_rx) = std::sync::mpsc::sync_channel::<Batch>(1);
    let (hits_tx, hits_rx) = std::sync::mpsc::sync_channel(1);
    let (written, screen_s, wait_s, t_screen) = std::thread::scope(|s| {
        let producer = s.spawn(|| {
            produce_batches(
                &mut reader,
                &label,
                chunk_lines,
                &lists.scorer,
                &clocks,
                batch_tx,
            )
        });
        let index = build_index(&args, items, lists.skipped_by_kind, &lists.scorer);
        let opts = screen_options(&args, index.len());
        let pb = crate::progress::bar(size, "screening");
        pb.set_style(bytes_style());
        let writer = {
            let pb = pb.clone();
            let rejects = &mut rejects;
            let out = &mut out;
            s.spawn(move || write_batches(hits_rx, out, rejects, lists, &pb))
        };
        let screener = Screener::new(&index, &lists.scorer, &opts);
        let batch = BatchScreener::new(&screener, lists.scorer.tf());
        let batch = if args.input_order {
            batch.in_input_order()
        } else {
            batch
        };
        let t_screen = Instant::now();
        let (mut screen_s, mut wait_s) = (0.0, 0.0);
        loop {
            let t = Instant::now();
            let Ok(b) = batch_rx.recv() else { break };
            wait_s += secs(t);
            let t = Instant::now();
            let hits = batch.screen_with(&b.ids, |i, _| {
                if let Some(&n) = b.bytes.get(i) {
                    pb.inc(n as u64);
                }
            });
            screen_s += secs(t);
            drop(b.ids);
            if hits_tx.send((b.parsed, hits)).is_err() {
                break;
            }
        }
        drop(hits_tx);
        drop(batch_rx);
        let produced = producer
            .join()
            .map_err(|_| anyhow::anyhow!("encounter reader panicked"))?;
        let written = writer
            .join()
            .map_err(|_| anyhow::anyhow!("hit writer panicked"))?;
        pb.finish_and_clear();
        produced?;
        anyhow::Ok((written?, screen_s, wait_s, t_screen))
    })?;
    let screen_wall = secs(t_screen);
    let read_s = clocks.read_ns.load(Ordering::Relaxed) as f64 / 1e9;
    let write_s = written.write_s;
    tracing::info!(
        phase = "screen",
        wall_s = screen_wall,
        read_s,
        parse_thread_s = clocks.parse.secs(),
        analyse_thread_s = clocks.analyse.secs(),
        screen_s,
        wait_for_encounters_s = wait_s,
        write_s,
        encounters = written.encounters,
        "encounters screened"
    );
    eprintln!(
        "screened {} encounters: {} hits for {} encounters at p >= {} -> {}",
        written.encounters,
        written.hits,
        written.with_hits,
        args.threshold,
        output.display()
    );
    eprintln!(
        "encounters: {screen_wall:.1} s after the index (read {read_s:.1} s, parse {:.1} thread-s, analyse {:.1} thread-s, all overlapping; screen {screen_s:.1} s, waiting for encounters {wait_s:.1} s, write {write_s:.1} s on its own thread); whole run {:.1} s",
        clocks.parse.secs(),
        clocks.analyse.secs(),
        secs(t_all)
    );
    if written.bad > 0 {
        eprintln!(
            "warning: {} lines of {} were not valid encounters and were skipped{}",
            written.bad,
            input.display(),
            rejects
                .path
                .as_ref()
                .map(|p| format!(" (listed in {})", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(())
}

fn one(
    args: &Args,
    lists: &Lists,
    index: &CandidateIndex<EntryKey>,
    name: &str,
    opts: &ScreenOptions,
) -> anyhow::Result<()> {
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
    lists.scorer.prepare(&mut q);
    let (hits, stats) = Screener::new(index, &lists.scorer, opts).screen_with_stats(&q);
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
        let (list_id, entry_id, entry_name) = lists.entry(h.key);
        println!(
            "\n#{} p={:.4} ({:+.1} bits)  {list_id}:{entry_id}  {entry_name}",
            i + 1,
            h.probability,
            h.log2_odds,
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
