//! `linkwatch eval`: accuracy of the matcher on labelled pairs (`eval names`), and the model
//! training entry point (`eval train` points to the committed training example). Reads files,
//! calls the scorer and linkwatch-eval, prints tables. No algorithms here.

use anyhow::{bail, Context as _};
use linkwatch_matching::{Context, Identity};
use linkwatch_model::{normalize_country, PartialDate, Sex};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Score labelled name pairs (name1,name2,label[,src][,dob1,...]) and print ROC AUC, recall at
    /// 0.1% and 1% FPR, best F1, overall and per `src`/script slice.
    Names(NamesArgs),
}

#[derive(clap::Args, Debug)]
pub struct NamesArgs {
    /// CSV with name1,name2,label (1 = same person) and optional src, dob1/dob2, country1/2, sex1/2.
    #[arg(long, short)]
    pub input: PathBuf,
    /// Slice whose negatives fix the threshold for "recall at FPR" (default: `ofac_shared_token_neg`
    /// when present, else all negatives).
    #[arg(long)]
    pub negatives: Option<String>,
    /// Model file (TOML) instead of the embedded default.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Only rows of this split: `dev` or `test` (hash of id1, as in the training example), or `all`.
    #[arg(long, default_value = "all")]
    pub split: String,
    /// Write per-pair scores to this CSV.
    #[arg(long)]
    pub scores: Option<PathBuf>,
}

pub fn run(c: Command) -> anyhow::Result<()> {
    match c {
        Command::Names(a) => names(a),
    }
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn script_of(s: &str) -> &'static str {
    let mut latin = false;
    for c in s.chars() {
        match c as u32 {
            0x0400..=0x04FF => return "cyrillic",
            0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
                return "arabic"
            }
            0x4E00..=0x9FFF => return "han",
            _ if c.is_alphabetic() => latin = true,
            _ => {}
        }
    }
    if latin {
        "latin"
    } else {
        "other"
    }
}

struct Row {
    slice: String,
    scripts: String,
    label: bool,
    score: f64,
}

fn names(a: NamesArgs) -> anyhow::Result<()> {
    let scorer = super::match_names::load_scorer(a.model.as_ref(), None)?;
    let mut rdr = csv::Reader::from_path(&a.input)
        .with_context(|| format!("opening {}", a.input.display()))?;
    let h = rdr.headers()?.clone();
    let col = |n: &str| h.iter().position(|x| x.trim() == n);
    let (Some(c1), Some(c2), Some(cl)) = (col("name1"), col("name2"), col("label")) else {
        bail!("{}: header needs name1, name2 and label", a.input.display());
    };
    let csrc = col("src");
    let cid = col("id1");
    let opt = [
        (col("dob1"), col("dob2")),
        (col("country1"), col("country2")),
        (col("sex1"), col("sex2")),
    ];
    let mut recs = Vec::new();
    for (i, r) in rdr.records().enumerate() {
        let r = r.with_context(|| format!("{} line {}", a.input.display(), i + 2))?;
        let label = match r.get(cl).map(str::trim) {
            Some("1") | Some("true") => true,
            Some("0") | Some("false") => false,
            other => {
                eprintln!(
                    "warning: {} line {}: field label {:?} is not 0/1; row skipped",
                    a.input.display(),
                    i + 2,
                    other
                );
                continue;
            }
        };
        if a.split != "all" {
            let id = cid.and_then(|c| r.get(c)).unwrap_or("");
            let dev = fnv(id).is_multiple_of(2);
            if (a.split == "dev") != dev {
                continue;
            }
        }
        recs.push((r, label));
    }
    let rows: Vec<Row> = recs
        .par_iter()
        .map(|(r, label)| {
            let get = |c: Option<usize>| c.and_then(|c| r.get(c)).map(str::trim).unwrap_or("");
            let mk = |nc: usize, k: usize| {
                let pick = |p: (Option<usize>, Option<usize>)| if k == 0 { p.0 } else { p.1 };
                Identity::from_parts(
                    get(Some(nc)),
                    PartialDate::parse(get(pick(opt[0]))).ok(),
                    normalize_country(get(pick(opt[1]))),
                    super::match_names::parse_sex(get(pick(opt[2]))).unwrap_or(Sex::Unknown),
                )
            };
            let (ia, ib) = (mk(c1, 0), mk(c2, 1));
            let score = scorer.log2_odds(&ia, &ib, Context::Pairs);
            let (s1, s2) = (script_of(get(Some(c1))), script_of(get(Some(c2))));
            let scripts = if s1 <= s2 {
                format!("{s1}-{s2}")
            } else {
                format!("{s2}-{s1}")
            };
            Row {
                slice: get(csrc).to_string(),
                scripts,
                label: *label,
                score,
            }
        })
        .collect();
    if let Some(p) = &a.scores {
        let mut w = csv::Writer::from_path(p)?;
        w.write_record(["slice", "label", "log2_odds", "probability"])?;
        for r in &rows {
            w.write_record([
                r.slice.clone(),
                (r.label as u8).to_string(),
                format!("{:.4}", r.score),
                format!("{:.6}", scorer.model().probability(r.score)),
            ])?;
        }
        w.flush()?;
    }
    let neg_slice = a.negatives.clone().or_else(|| {
        rows.iter()
            .any(|r| r.slice == "ofac_shared_token_neg")
            .then(|| "ofac_shared_token_neg".to_string())
    });
    let negs: Vec<f64> = rows
        .iter()
        .filter(|r| !r.label && neg_slice.as_ref().is_none_or(|s| &r.slice == s))
        .map(|r| r.score)
        .collect();
    if negs.is_empty() {
        bail!(
            "no negatives{} in {}",
            neg_slice
                .map(|s| format!(" in slice {s}"))
                .unwrap_or_default(),
            a.input.display()
        );
    }
    let all: Vec<(f64, bool)> = rows.iter().map(|r| (r.score, r.label)).collect();
    // The report is written in one piece so a closed pipe (`| head`) ends quietly.
    let mut out = String::new();
    let _ = writeln!(
        out,
        "input: {} ({} pairs, split {})",
        a.input.display(),
        rows.len(),
        a.split
    );
    let _ = writeln!(
        out,
        "false-positive rate measured on negatives: {} ({} pairs)",
        neg_slice.as_deref().unwrap_or("all"),
        negs.len()
    );
    let auc = linkwatch_eval::roc_auc(&all);
    let (bf1, bt) = linkwatch_eval::best_f1(&all);
    let _ = writeln!(
        out,
        "overall: ROC AUC {}  best F1 {:.3} (P {:.3} R {:.3} at p>={:.4})",
        auc.map(|x| format!("{x:.4}")).unwrap_or("-".into()),
        bf1.f1,
        bf1.precision,
        bf1.recall,
        scorer.model().probability(bt)
    );
    let (t1, t01) = (
        linkwatch_eval::threshold_at_fpr(&negs, 0.01),
        linkwatch_eval::threshold_at_fpr(&negs, 0.001),
    );
    let _ = writeln!(
        out,
        "thresholds: FPR 1% at p>={:.4} ({:.2} bits); FPR 0.1% at p>={:.4} ({:.2} bits)",
        scorer.model().probability(t1),
        t1,
        scorer.model().probability(t01),
        t01
    );
    let print_slices = |out: &mut String, title: &str, key: &dyn Fn(&Row) -> String| {
        let mut groups: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
        for r in &rows {
            groups.entry(key(r)).or_default().push(r);
        }
        let _ = writeln!(
            out,
            "\n{:<28} {:>6} {:>6} {:>9} {:>11} {:>10}",
            title, "pos", "neg", "ROC AUC", "R@0.1%FPR", "R@1%FPR"
        );
        for (g, rs) in groups {
            let pos: Vec<f64> = rs.iter().filter(|r| r.label).map(|r| r.score).collect();
            let nn = rs.iter().filter(|r| !r.label).count();
            let sl: Vec<(f64, bool)> = rs
                .iter()
                .map(|r| (r.score, r.label))
                .chain(negs.iter().map(|&s| (s, false)))
                .collect();
            let auc = if pos.is_empty() {
                None
            } else {
                linkwatch_eval::roc_auc(&sl)
            };
            let fmt = |x: f64| {
                if pos.is_empty() {
                    "-".to_string()
                } else {
                    format!("{x:.3}")
                }
            };
            let _ = writeln!(
                out,
                "{:<28} {:>6} {:>6} {:>9} {:>11} {:>10}",
                g,
                pos.len(),
                nn,
                auc.map(|x| format!("{x:.4}")).unwrap_or("-".into()),
                fmt(linkwatch_eval::recall_at(&pos, t01)),
                fmt(linkwatch_eval::recall_at(&pos, t1)),
            );
        }
    };
    if csrc.is_some() {
        print_slices(&mut out, "slice (src)", &|r: &Row| r.slice.clone());
    }
    print_slices(&mut out, "scripts", &|r: &Row| r.scripts.clone());
    let _ = writeln!(
        out,
        "\n(slice ROC AUC: the slice's positives against the threshold negatives)"
    );
    std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes())?;
    Ok(())
}
