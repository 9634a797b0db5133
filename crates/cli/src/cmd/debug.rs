//! `linkwatch debug`: prints the internals of name analysis and pair scoring, for developers and
//! analysts checking why a pair scored what it scored. Calls the libraries; holds no algorithms.

use linkwatch_matching::{Context, Identity};
use linkwatch_model::{normalize_country, PartialDate};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Analyse one name: tokens, scripts, skeletons, roles, term frequencies, index keys.
    Name {
        /// The name as written.
        name: String,
    },
    /// Score two names (optionally with DOBs and countries) and print every evidence term.
    Pair {
        a: String,
        b: String,
        #[arg(long)]
        dob_a: Option<String>,
        #[arg(long)]
        dob_b: Option<String>,
        #[arg(long)]
        country_a: Option<String>,
        #[arg(long)]
        country_b: Option<String>,
        /// Model file (TOML) instead of the embedded default.
        #[arg(long)]
        model: Option<std::path::PathBuf>,
        /// Print the explanation as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(c: Command) -> anyhow::Result<()> {
    match c {
        Command::Name { name } => {
            let scorer = super::match_names::load_scorer(None, None)?;
            let id = Identity::from_parts(&name, None, None, linkwatch_model::Sex::Unknown);
            println!("input:      {name:?}");
            println!("normalized: {:?}", linkwatch_names::normalize(&name));
            let Some(n) = id.names.first() else {
                println!("(no name tokens)");
                return Ok(());
            };
            println!(
                "{:<4} {:<20} {:<14} {:<9} {:<9} {:>7} {:>6}  flags",
                "#", "token", "skeleton", "script", "role", "count", "bits"
            );
            for (i, t) in n.analyzed.tokens.iter().enumerate() {
                use linkwatch_names::TokenWeights;
                let f = scorer.tf().frequency(&t.text);
                let mut flags = Vec::new();
                if i < 64 && n.family & (1 << i) != 0 {
                    flags.push("family");
                }
                if i < 64 && n.particles & (1 << i) != 0 {
                    flags.push("particle");
                }
                println!(
                    "{:<4} {:<20} {:<14} {:<9} {:<9} {:>7} {:>6.1}  {}",
                    i,
                    t.text,
                    t.skeleton,
                    format!("{:?}", t.script).to_lowercase(),
                    format!("{:?}", t.role).to_lowercase(),
                    scorer.tf().count(&t.text),
                    -f.log2(),
                    flags.join(",")
                );
            }
            let keys = linkwatch_matching::index::name_keys(n);
            println!(
                "index keys: {}",
                keys.iter()
                    .map(|k| k.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            Ok(())
        }
        Command::Pair {
            a,
            b,
            dob_a,
            dob_b,
            country_a,
            country_b,
            model,
            json,
        } => {
            let scorer = super::match_names::load_scorer(model.as_ref(), None)?;
            let parse_dob = |s: &Option<String>| -> anyhow::Result<Option<PartialDate>> {
                s.as_deref()
                    .map(PartialDate::parse)
                    .transpose()
                    .map_err(|e| anyhow::anyhow!("date of birth: {e}"))
            };
            let parse_c = |s: &Option<String>| -> anyhow::Result<Option<linkwatch_model::Country>> {
                match s {
                    None => Ok(None),
                    Some(c) => normalize_country(c)
                        .map(Some)
                        .ok_or_else(|| anyhow::anyhow!("unknown country {c:?}")),
                }
            };
            let ia = Identity::from_parts(
                &a,
                parse_dob(&dob_a)?,
                parse_c(&country_a)?,
                linkwatch_model::Sex::Unknown,
            );
            let ib = Identity::from_parts(
                &b,
                parse_dob(&dob_b)?,
                parse_c(&country_b)?,
                linkwatch_model::Sex::Unknown,
            );
            let s = scorer.score(&ia, &ib, Context::Pairs);
            if json {
                println!("{}", serde_json::to_string_pretty(&s.explanation)?);
                return Ok(());
            }
            println!("{:<15} {:<24} {:>8}  values", "feature", "level", "bits");
            println!(
                "{:<15} {:<24} {:>+8.2}",
                "prior", "pairs", s.explanation.prior
            );
            for t in &s.explanation.terms {
                println!(
                    "{:<15} {:<24} {:>+8.2}  {} ~ {}",
                    t.feature, t.level, t.weight, t.a, t.b
                );
                if !t.detail.is_empty() {
                    println!("{:<15} {:<24} {:>8}  {}", "", "", "", t.detail);
                }
            }
            println!(
                "{:<15} {:<24} {:>+8.2}  probability {:.4}",
                "total", "", s.log2_odds, s.probability
            );
            Ok(())
        }
    }
}
