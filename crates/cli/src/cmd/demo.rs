//! `linkwatch demo`: generate the default (small) scenario and print a readable summary of the
//! world — who crosses where, repeats, names across scripts, networks, watchlist, surge.
//! Statistics come from `linkwatch-scenario` (the summary and `stats::name_variety`).

use super::generate::generate_into;
use anyhow::Context;
use linkwatch_scenario::{Config, OutFile, Summary};
use std::io::BufReader;
use std::path::PathBuf;

/// Arguments of `linkwatch demo`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output directory.
    #[arg(long, default_value = "out/demo")]
    pub out: PathBuf,
    /// Number of encounters.
    #[arg(long, default_value_t = 200_000)]
    pub encounters: u64,
    /// Watchlist entries.
    #[arg(long, default_value_t = 100_000)]
    pub watchlist_size: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

fn pct(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 * 100.0 / b as f64
    }
}

fn top(map: &std::collections::BTreeMap<String, u64>, total: u64, n: usize) -> Vec<String> {
    let mut v: Vec<(&String, &u64)> = map.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.into_iter()
        .take(n)
        .map(|(k, c)| format!("{k:<34} {c:>9}  {:>5.1}%", pct(*c, total)))
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut cfg = Config::new(args.encounters, args.seed);
    cfg.watchlist_size = args.watchlist_size;
    let t0 = std::time::Instant::now();
    let s: Summary = generate_into(&cfg, &args.out)?;
    let secs = t0.elapsed().as_secs_f64();
    let open = |f: OutFile| -> anyhow::Result<BufReader<std::fs::File>> {
        let p = args.out.join(f.path());
        Ok(BufReader::new(
            std::fs::File::open(&p).with_context(|| format!("opening {}", p.display()))?,
        ))
    };
    let variety = linkwatch_scenario::stats::name_variety(
        open(OutFile::Encounters)?,
        open(OutFile::TruthPersons)?,
    )
    .map_err(anyhow::Error::msg)?;
    let n = s.encounters;
    println!(
        "linkwatch demo — synthetic southwest-border world (seed {}, {} .. {})",
        s.seed, s.start, s.end
    );
    println!("generated in {secs:.1}s into {}\n", args.out.display());
    println!(
        "ENCOUNTERS  {n}  of {} distinct persons",
        s.persons_encountered
    );
    println!(
        "  repeat encounters          {:>9}  {:>5.1}%",
        s.repeat_encounters,
        s.repeat_rate * 100.0
    );
    println!(
        "  with fingerprint id        {:>9}  {:>5.1}%",
        s.with_fingerprint,
        pct(s.with_fingerprint, n)
    );
    println!(
        "  at ports of entry          {:>9}  {:>5.1}%",
        s.at_ports_of_entry,
        pct(s.at_ports_of_entry, n)
    );
    println!(
        "  in family units            {:>9}  {:>5.1}%",
        s.family_unit_encounters,
        pct(s.family_unit_encounters, n)
    );
    println!(
        "  in groups                  {:>9}  {:>5.1}%",
        s.group_encounters,
        pct(s.group_encounters, n)
    );
    println!("\nBY REGION");
    for l in top(&s.by_region, n, 12) {
        println!("  {l}");
    }
    println!("\nBY NATIONALITY (top 15 of {})", s.by_nationality.len());
    for l in top(&s.by_nationality, n, 15) {
        println!("  {l}");
    }
    println!("\nBY BORDER PATROL SECTOR");
    for l in top(&s.by_sector, n, 9) {
        println!("  {l}");
    }
    println!("\nNAMES ACROSS SCRIPTS");
    println!(
        "  persons with a non-Latin native script  {:>5.1}% of encounters",
        pct(s.non_latin_native, n)
    );
    println!(
        "  encounters recording the native script  {:>5.1}%",
        pct(s.with_native_script_name, n)
    );
    let mut scripts: Vec<_> = variety.native_script_names.iter().collect();
    scripts.sort();
    println!(
        "  native-script names by script           {}",
        scripts
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  repeat persons with variant spellings   {} of {} ({:.1}%), mean {:.2} spellings, max {}",
        variety.persons_with_variant_spellings,
        variety.persons_with_repeats,
        pct(
            variety.persons_with_variant_spellings,
            variety.persons_with_repeats
        ),
        variety.mean_distinct_spellings,
        variety.max_distinct_spellings
    );
    if let Some((pid, names)) = &variety.example {
        println!("  e.g. {pid}: {}", names.join(" | "));
    }
    println!(
        "  romanization conventions used: {}",
        s.romanization_styles_used.len()
    );
    println!("\nSMUGGLING NETWORKS  {}", s.networks);
    println!(
        "  persons moved by a network  {} ({} encounters)",
        s.network_member_persons, s.network_member_encounters
    );
    println!(
        "  network size histogram      {:?}",
        s.network_size_histogram
    );
    println!("  largest other network       {}", s.largest_other_network);
    println!(
        "  network of concern {}: {} persons; evidence {:?}; {} linked only as co-travellers",
        s.concern_network_id,
        s.concern_network_size,
        s.concern_evidence,
        s.concern_only_co_traveller
    );
    println!(
        "  indicators {} ({} about the network of concern, received late); partner alerts {}",
        s.indicators, s.indicators_about_concern, s.partner_alerts
    );
    println!(
        "\nWATCHLIST  {} entries, {} planted persons who cross",
        s.watchlist_entries, s.watchlist_planted_persons
    );
    println!(
        "  true-match encounters {} → 1 per {:.0} encounters",
        s.watchlist_true_match_encounters, s.encounters_per_true_match
    );
    println!(
        "\nSURGE (planted)  Central Asia, {} .. {}",
        s.surge_window_start, s.surge_window_end
    );
    println!(
        "  expected extra {:.0}, surge-person encounters {}, Central Asian encounters in window {} vs same weeks other years {}",
        s.surge_expected_extra, s.surge_person_encounters, s.central_asian_in_surge_window, s.central_asian_same_weeks_other_years
    );
    println!("\nFILES");
    for f in &s.files {
        let p = args.out.join(f);
        let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        println!("  {:<34} {:>10.1} MB", p.display(), size as f64 / 1e6);
    }
    Ok(())
}
