//! Statistics of a generated world against the spec (issue 2, section 4), on small worlds.

use linkwatch_model::{Encounter, Indicator, PartnerAlert, Script, WatchlistEntry};
use linkwatch_scenario::{generate, Config, MemorySink, OutFile, Summary};
use std::collections::{HashMap, HashSet};

fn world(n: u64, seed: u64, wl: u64) -> (MemorySink, Summary) {
    let mut cfg = Config::new(n, seed);
    cfg.watchlist_size = wl;
    let mut sink = MemorySink::default();
    let s = generate(&cfg, &mut sink, &mut |_, _, _| {}).expect("generate");
    (sink, s)
}

fn shared() -> &'static (MemorySink, Summary) {
    static W: std::sync::OnceLock<(MemorySink, Summary)> = std::sync::OnceLock::new();
    W.get_or_init(|| world(20_000, 42, 20_000))
}

#[test]
fn deterministic_by_seed_and_thread_count() {
    let (a, _) = world(4_000, 7, 3_000);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let (b, _) = pool.install(|| world(4_000, 7, 3_000));
    for f in OutFile::ALL {
        assert!(
            a.files.get(&f) == b.files.get(&f),
            "{f:?} differs between runs"
        );
    }
    let (c, _) = world(4_000, 8, 3_000);
    assert!(a.files.get(&OutFile::Encounters) != c.files.get(&OutFile::Encounters));
    assert!(a.files.get(&OutFile::Watchlist) != c.files.get(&OutFile::Watchlist));
}

#[test]
fn every_line_parses_into_model_types() {
    let (sink, s) = shared();
    let enc: Vec<Encounter> = sink
        .text(OutFile::Encounters)
        .lines()
        .map(|l| serde_json::from_str(l).expect("encounter"))
        .collect();
    assert_eq!(enc.len() as u64, s.encounters);
    let wl: Vec<WatchlistEntry> = sink
        .text(OutFile::Watchlist)
        .lines()
        .map(|l| serde_json::from_str(l).expect("entry"))
        .collect();
    assert_eq!(wl.len(), 20_000);
    assert!(wl.iter().all(|e| e.list.list_id == "tsdb-synthetic"));
    let ind: Vec<Indicator> = sink
        .text(OutFile::Indicators)
        .lines()
        .map(|l| serde_json::from_str(l).expect("indicator"))
        .collect();
    assert!(!ind.is_empty());
    let al: Vec<PartnerAlert> = sink
        .text(OutFile::PartnerAlerts)
        .lines()
        .map(|l| serde_json::from_str(l).expect("alert"))
        .collect();
    assert!(!al.is_empty());
    // Times are in order and inside the period.
    assert!(enc.windows(2).all(|w| w[0].time <= w[1].time));
    assert!(enc[0].time.date_naive().to_string() >= s.start);
    // Phones are E.164.
    for e in &enc {
        for p in &e.contacts.phones {
            assert!(
                p.starts_with('+') && p[1..].bytes().all(|b| b.is_ascii_digit()) && p.len() <= 16,
                "{p}"
            );
        }
    }
    // US destinations cover all 50 states at this scale? At least 45.
    let states: HashSet<String> = enc
        .iter()
        .filter_map(|e| e.us_address.as_ref()?.region.clone())
        .collect();
    assert!(states.len() >= 45, "{}", states.len());
    let summary: Summary = serde_json::from_str(sink.text(OutFile::TruthSummary)).expect("summary");
    assert_eq!(summary.encounters, s.encounters);
}

#[test]
fn nationality_mix_within_tolerance() {
    let (_, s) = shared();
    let share =
        |c: &str| *s.by_nationality.get(c).unwrap_or(&0) as f64 / s.encounters as f64 * 100.0;
    // Spec shares (percent of encounters over 3 years); relative tolerance for the big ones.
    for (c, want, tol) in [
        ("MX", 37.0, 0.15),
        ("GT", 8.0, 0.3),
        ("HN", 7.0, 0.3),
        ("VE", 8.5, 0.3),
        ("CU", 5.5, 0.35),
        ("CO", 4.5, 0.35),
    ] {
        let got = share(c);
        assert!(
            (got - want).abs() <= want * tol,
            "{c}: {got:.2}% vs {want}%"
        );
    }
    for c in [
        "UZ", "TJ", "KG", "KZ", "RU", "TR", "GE", "MD", "AF", "MR", "SN", "CN", "IN", "HT", "NI",
        "EC", "PE", "SV", "BR",
    ] {
        assert!(
            s.by_nationality.get(c).copied().unwrap_or(0) > 0,
            "{c} missing"
        );
    }
    assert_eq!(s.by_sector.len(), 9);
}

#[test]
fn repeat_rate_and_fingerprints() {
    let (sink, s) = shared();
    assert!(
        (0.15..=0.25).contains(&s.repeat_rate),
        "repeat rate {}",
        s.repeat_rate
    );
    let fp = s.with_fingerprint as f64 / s.encounters as f64;
    assert!((0.75..0.97).contains(&fp), "{fp}");
    // Fingerprint ids are stable per person: one person → one FIN, one FIN → one person.
    let persons: Vec<&str> = sink
        .text(OutFile::TruthPersons)
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap_or(""))
        .collect();
    let mut fin_of: HashMap<&str, String> = HashMap::new();
    let mut person_of: HashMap<String, &str> = HashMap::new();
    for (line, pid) in sink.text(OutFile::Encounters).lines().zip(&persons) {
        let e: Encounter = serde_json::from_str(line).expect("encounter");
        if let Some(f) = e.biometrics.fingerprint_id {
            assert_eq!(fin_of.entry(pid).or_insert_with(|| f.clone()), &f);
            assert_eq!(*person_of.entry(f).or_insert(pid), *pid);
        }
    }
}

#[test]
fn network_of_concern_has_fixed_size() {
    let (sink, s) = shared();
    assert!(s.concern_network_size >= 400, "{}", s.concern_network_size);
    let (_, s2) = world(6_000, 42, 1_000);
    assert_eq!(s.concern_network_size, s2.concern_network_size);
    assert!(s.concern_only_co_traveller > 10);
    // truth/networks.csv lists the members with their evidence.
    let rows: Vec<&str> = sink
        .text(OutFile::TruthNetworks)
        .lines()
        .filter(|l| l.contains(&format!(",{},migrant,", s.concern_network_id)))
        .collect();
    assert_eq!(rows.len() as u64, s.concern_network_size);
    assert!(s.networks > 10);
    assert!(s.indicators_about_concern > 5);
}

#[test]
fn watchlist_true_match_rate() {
    // Formula: planted persons = round(P / 7000): at the 7M scale, about 1 per 7000 encounters.
    assert_eq!(
        linkwatch_scenario::planted_count(7_000_000, 5_600_000, 7000.0),
        800
    );
    let (sink, s) = shared();
    assert_eq!(
        s.watchlist_planted_persons,
        linkwatch_scenario::planted_count(s.encounters, s.persons, 7000.0) as u64
    );
    let rows = sink.text(OutFile::TruthWatchlistMatches).lines().count() as u64 - 1;
    assert_eq!(rows, s.watchlist_true_match_encounters);
    assert!(rows >= 1);
    let rate = s.encounters as f64 / rows as f64;
    assert!((1500.0..=20_000.0).contains(&rate), "1 per {rate}");
}

#[test]
fn names_vary_across_scripts_and_romanizations() {
    let (sink, s) = shared();
    let v = linkwatch_scenario::stats::name_variety(
        sink.text(OutFile::Encounters).as_bytes(),
        sink.text(OutFile::TruthPersons).as_bytes(),
    )
    .expect("variety");
    assert!(v.native_script_names.contains_key("cyrillic"));
    assert!(v.native_script_names.contains_key("arabic"));
    assert!(
        v.persons_with_variant_spellings * 2 > v.persons_with_repeats,
        "{v:?}"
    );
    assert!(v.max_distinct_spellings >= 4);
    assert!(
        s.romanization_styles_used.len() >= 15,
        "{:?}",
        s.romanization_styles_used
    );
    let non_latin = s.non_latin_native as f64 / s.encounters as f64;
    assert!(non_latin > 0.02, "{non_latin}");
    // Uzbek persons are recorded in several systems (Latin o‘ / ICAO kh / ...).
    let texts = sink.text(OutFile::Encounters);
    assert!(
        texts.contains("o‘")
            || texts.contains("O‘")
            || texts.contains("o'")
            || texts.contains("O'")
    );
    let enc: Vec<Encounter> = texts
        .lines()
        .map(|l| serde_json::from_str(l).expect("e"))
        .collect();
    assert!(enc
        .iter()
        .any(|e| e.subject.names.iter().any(|n| n.script == Script::Han)));
}

#[test]
fn surge_is_in_truth_and_visible() {
    let (sink, s) = shared();
    let surge: serde_json::Value =
        serde_json::from_str(sink.text(OutFile::TruthSurge)).expect("surge.json");
    assert_eq!(surge["region"], "Central Asia");
    assert!(surge["start_week"].as_str().is_some_and(|d| d.len() == 10));
    assert!(s.surge_expected_extra > 40.0);
    // Central Asian encounters in the 10-week window far exceed the same weeks in other years.
    let other = s.central_asian_same_weeks_other_years as f64 / 2.0;
    assert!(
        s.central_asian_in_surge_window as f64 > 2.0 * other.max(5.0),
        "{} vs {}",
        s.central_asian_in_surge_window,
        other
    );
}

#[test]
fn too_small_is_a_clear_error() {
    let mut sink = MemorySink::default();
    let err = generate(&Config::new(100, 1), &mut sink, &mut |_, _, _| {}).expect_err("too small");
    assert!(err.to_string().contains("too small"));
}
