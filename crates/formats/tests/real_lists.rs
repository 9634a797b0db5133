//! Counts on the real public lists in `shared/data/watchlists` (skipped when the data is absent):
//! OFAC SDN 2021 (with alt.csv), OFAC SDN 2023 (no alt.csv) and the UN consolidated list.
//! Tests may read files; the library under test does not.
#![allow(clippy::unwrap_used)]

use linkwatch_formats::{ListSummary, OfacSdn, Reject, UnXml};
use linkwatch_model::WatchlistEntry;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

fn data() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/watchlists");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("shared data not found at {}; skipping", p.display());
        None
    }
}

fn load_ofac(dir: &Path) -> (Vec<WatchlistEntry>, Vec<Reject>) {
    let mut imp = OfacSdn::new(
        &dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    let side = |name: &str| File::open(dir.join(name)).ok().map(BufReader::new);
    if let Some(f) = side("alt.csv") {
        imp = imp.aliases(f, "alt.csv");
    }
    if let Some(f) = side("add.csv") {
        imp = imp.addresses(f, "add.csv");
    }
    if let Some(f) = side("sdn_comments.csv") {
        imp = imp.comments(f, "sdn_comments.csv");
    }
    let sdn = BufReader::new(File::open(dir.join("sdn.csv")).expect("sdn.csv"));
    imp.collect(sdn, "sdn.csv")
}

fn show(s: &ListSummary, rejects: &[Reject]) {
    eprintln!("{s:#?}");
    for r in rejects.iter().take(40) {
        eprintln!("{r}");
    }
}

#[test]
fn ofac_sdn_2021_counts() {
    let Some(d) = data() else { return };
    let (entries, rejects) = load_ofac(&d.join("ofac_sdn_2021"));
    let s = ListSummary::of("ofac-sdn-2021", &entries, &rejects);
    show(&s, &rejects);
    assert_eq!(s.persons, 4620, "individuals");
    assert_eq!(
        s.person_aliases_strong, 6272,
        "aliases of individuals from alt.csv"
    );
    assert_eq!(s.entries, 8976);
    assert_eq!(s.rejects, 0);
    assert!(
        s.dobs > 4000 && s.documents > 2000 && s.nationalities > 2000,
        "{s:?}"
    );
}

#[test]
fn ofac_sdn_2023_counts() {
    let Some(d) = data() else { return };
    let (entries, rejects) = load_ofac(&d.join("ofac_sdn_2023"));
    let s = ListSummary::of("ofac-sdn-2023", &entries, &rejects);
    show(&s, &rejects);
    assert_eq!(s.persons, 5890, "individuals");
    assert_eq!(s.entries, 11443);
    assert_eq!(s.rejects, 0);
    assert!(s.person_aliases_weak > 1000, "remark a.k.a.s: {s:?}");
}

#[test]
fn un_consolidated_counts() {
    let Some(d) = data() else { return };
    let f = BufReader::new(File::open(d.join("un/consolidated.xml")).expect("consolidated.xml"));
    let (entries, rejects) = UnXml::new(f, "consolidated.xml", "").collect();
    let s = ListSummary::of("un", &entries, &rejects);
    show(&s, &rejects);
    assert_eq!(s.persons, 730, "individuals");
    assert_eq!(s.organizations, 273, "entities");
    assert_eq!(s.rejects, 0);
    assert!(s.original_script_names > 300, "{s:?}");
    assert!(s.dob_ranges >= 31, "{s:?}");
}
