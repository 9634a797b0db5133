//! `linkwatch match-names`: score name pairs from a CSV file. Reads the file, builds identities,
//! calls the scorer, writes the input columns plus `score` and `explanation`. No algorithms here.

use anyhow::{bail, Context as _};
use linkwatch_matching::{Context, Identity, Model, Scorer, TermFrequencies};
use linkwatch_model::{normalize_country, PartialDate, Sex};
use rayon::prelude::*;
use std::path::PathBuf;

/// Arguments of `linkwatch match-names`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// CSV with header name1,name2 and optionally dob1,dob2,country1,country2,sex1,sex2; other
    /// columns are passed through.
    #[arg(long, short)]
    pub input: PathBuf,
    /// Output CSV: the input plus `score` (calibrated probability) and `explanation`.
    #[arg(long, short)]
    pub output: PathBuf,
    /// Model file (TOML) instead of the embedded default.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Prior log2 odds instead of the model's pair prior.
    #[arg(long, allow_hyphen_values = true)]
    pub prior: Option<f64>,
    /// Leave out the explanation column (faster).
    #[arg(long)]
    pub no_explanation: bool,
}

/// Load the model from `path` or the embedded default, with an optional pair-prior override.
pub fn load_scorer(path: Option<&PathBuf>, prior: Option<f64>) -> anyhow::Result<Scorer> {
    let mut model = match path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("reading model {}", p.display()))?;
            Model::from_toml(&text).with_context(|| format!("model {}", p.display()))?
        }
        None => Model::default_model(),
    };
    if let Some(p) = prior {
        model.prior.pairs_log2_odds = p;
        model.prior.screening_log2_odds = p;
    }
    Ok(Scorer::new(model, TermFrequencies::default_table()))
}

pub fn parse_sex(s: &str) -> Option<Sex> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "u" | "unknown" => Some(Sex::Unknown),
        "m" | "male" => Some(Sex::Male),
        "f" | "female" => Some(Sex::Female),
        _ => None,
    }
}

struct Side {
    name: String,
    dob: Option<PartialDate>,
    country: Option<linkwatch_model::Country>,
    sex: Sex,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let scorer = load_scorer(args.model.as_ref(), args.prior)?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(&args.input)
        .with_context(|| format!("opening {}", args.input.display()))?;
    let headers = rdr
        .headers()
        .with_context(|| format!("reading header of {}", args.input.display()))?
        .clone();
    let col = |n: &str| headers.iter().position(|h| h.trim() == n);
    let (Some(c1), Some(c2)) = (col("name1"), col("name2")) else {
        bail!(
            "{}: header must have name1 and name2 columns (found: {})",
            args.input.display(),
            headers.iter().collect::<Vec<_>>().join(",")
        );
    };
    let cols = [
        (col("dob1"), col("dob2")),
        (col("country1"), col("country2")),
        (col("sex1"), col("sex2")),
    ];
    let mut records = Vec::new();
    let mut bad = 0usize;
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        match rec {
            Ok(r) => records.push((line, r)),
            Err(e) => {
                bad += 1;
                eprintln!(
                    "warning: {} line {line}: skipped: {e}",
                    args.input.display()
                );
            }
        }
    }
    let pb = crate::progress::bar(records.len() as u64, "scoring");
    let side =
        |r: &csv::StringRecord, line: usize, name_col: usize, k: usize| -> (Side, Vec<String>) {
            let mut warns = Vec::new();
            let get = |c: Option<usize>| c.and_then(|c| r.get(c)).map(str::trim).unwrap_or("");
            let pick = |pair: (Option<usize>, Option<usize>)| if k == 0 { pair.0 } else { pair.1 };
            let dob_s = get(pick(cols[0]));
            let dob = if dob_s.is_empty() {
                None
            } else {
                match PartialDate::parse(dob_s) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        warns.push(format!("line {line} field dob{}: {e}; ignored", k + 1));
                        None
                    }
                }
            };
            let c_s = get(pick(cols[1]));
            let country = if c_s.is_empty() {
                None
            } else {
                let c = normalize_country(c_s);
                if c.is_none() {
                    warns.push(format!(
                        "line {line} field country{}: unknown country {c_s:?}; ignored",
                        k + 1
                    ));
                }
                c
            };
            let s_s = get(pick(cols[2]));
            let sex = parse_sex(s_s).unwrap_or_else(|| {
                warns.push(format!(
                    "line {line} field sex{}: unknown sex {s_s:?}; ignored",
                    k + 1
                ));
                Sex::Unknown
            });
            (
                Side {
                    name: r.get(name_col).unwrap_or("").to_string(),
                    dob,
                    country,
                    sex,
                },
                warns,
            )
        };
    let results: Vec<(f64, String, Vec<String>)> = records
        .par_iter()
        .map(|(line, r)| {
            let (a, mut w1) = side(r, *line, c1, 0);
            let (b, w2) = side(r, *line, c2, 1);
            w1.extend(w2);
            let ia = Identity::from_parts(&a.name, a.dob, a.country, a.sex);
            let ib = Identity::from_parts(&b.name, b.dob, b.country, b.sex);
            let out = if args.no_explanation {
                (
                    scorer.probability(&ia, &ib, Context::Pairs),
                    String::new(),
                    w1,
                )
            } else {
                let s = scorer.score(&ia, &ib, Context::Pairs);
                (s.probability, s.explanation.compact(), w1)
            };
            pb.inc(1);
            out
        })
        .collect();
    pb.finish_and_clear();
    let mut w = csv::Writer::from_path(&args.output)
        .with_context(|| format!("creating {}", args.output.display()))?;
    let mut h = headers.clone();
    h.push_field("score");
    if !args.no_explanation {
        h.push_field("explanation");
    }
    w.write_record(&h)?;
    let mut nwarn = 0;
    for ((_, r), (score, expl, warns)) in records.iter().zip(results) {
        for wmsg in warns {
            nwarn += 1;
            if nwarn <= 20 {
                eprintln!("warning: {}: {wmsg}", args.input.display());
            }
        }
        let mut out = r.clone();
        out.push_field(&format!("{score:.6}"));
        if !args.no_explanation {
            out.push_field(&expl);
        }
        w.write_record(&out)?;
    }
    w.flush()?;
    if nwarn > 20 {
        eprintln!("warning: {} more field warnings", nwarn - 20);
    }
    eprintln!(
        "scored {} pairs -> {}{}",
        records.len(),
        args.output.display(),
        if bad > 0 {
            format!(" ({bad} unreadable lines skipped)")
        } else {
            String::new()
        }
    );
    Ok(())
}
