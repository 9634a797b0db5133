//! Property tests: no reader panics on arbitrary or mangled input, every good record survives
//! alongside the rejects, and linkwatch JSONL write → read is the identity.
#![allow(clippy::unwrap_used)]

use linkwatch_formats::{collect, CsvListReader, JsonlReader, JsonlWriter, OfacSdn, UnXml};
use linkwatch_model::{
    country::COUNTRIES, Country, DateSpec, Document, DocumentKind, EntityKind, ListRef, Name,
    NameQuality, PartialDate, Script, Sex, WatchlistEntry,
};
use proptest::prelude::*;

const UN_SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z"><INDIVIDUALS>
<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ERIC</FIRST_NAME><SECOND_NAME>BADEGE</SECOND_NAME>
<NATIONALITY><VALUE>Democratic Republic of the Congo</VALUE></NATIONALITY>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>E. BADEGE</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1970</FROM_YEAR><TO_YEAR>1972</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>A 1</NUMBER></INDIVIDUAL_DOCUMENT>
</INDIVIDUAL>
<INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>SECOND</FIRST_NAME><NAME_ORIGINAL_SCRIPT>Второй</NAME_ORIGINAL_SCRIPT></INDIVIDUAL>
</INDIVIDUALS><ENTITIES><ENTITY><DATAID>3</DATAID><FIRST_NAME>ACME</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>"#;

const SDN_SAMPLE: &str = "1,\"KARIMOV, Abdulla\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1960; alt. DOB circa 1961 to 1963; nationality Uzbekistan; Passport A1 (Uzbekistan) expires Jan 2020; a.k.a. 'ABU'.\"\n2,\"ACME\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n3,\"SHIP\",\"vessel\",\"IRAN\",-0- ,\"X\",\"Tanker\",-0- ,-0- ,\"Malta\",-0- ,-0- \n";

/// Replace a slice of `s` (by byte offsets clamped to char boundaries) with `junk`.
fn mangle(s: &str, at: usize, len: usize, junk: &str) -> String {
    let mut a = at.min(s.len());
    while !s.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (a + len).min(s.len());
    while !s.is_char_boundary(b) {
        b -= 1;
    }
    format!("{}{}{}", &s[..a], junk, &s[b..])
}

fn arb_date() -> impl Strategy<Value = PartialDate> {
    (1900i16..2020, 0u8..=12, 1u8..=28, any::<bool>()).prop_map(|(y, m, d, approx)| {
        let mut p = match m {
            0 => PartialDate::year(y),
            m if d % 2 == 0 => PartialDate::ymd(y, m, d).unwrap_or(PartialDate::year(y)),
            m => PartialDate::year_month(y, m).unwrap_or(PartialDate::year(y)),
        };
        p.approximate = approx;
        p
    })
}

fn arb_dob() -> impl Strategy<Value = DateSpec> {
    prop_oneof![
        arb_date().prop_map(DateSpec::Date),
        (1900i16..1990, 0i16..10).prop_map(|(a, w)| DateSpec::Range {
            from: PartialDate::year(a),
            to: PartialDate::year(a + w)
        }),
    ]
}

fn arb_country() -> impl Strategy<Value = Country> {
    (0..COUNTRIES.len())
        .prop_map(|i| Country::from_alpha2(COUNTRIES[i].0).unwrap_or_else(|| unreachable!()))
}

fn arb_name() -> impl Strategy<Value = Name> {
    (
        "[A-Za-zА-Яа-яء-ي][A-Za-zА-Яа-яء-ي ,'-]{0,30}",
        prop::option::of("[A-Za-z]{1,10}"),
        prop::option::of("[A-Za-z]{1,10}"),
        prop_oneof![
            Just(NameQuality::Primary),
            Just(NameQuality::Strong),
            Just(NameQuality::Weak)
        ],
        prop_oneof![
            Just(Script::Latin),
            Just(Script::Cyrillic),
            Just(Script::Arabic)
        ],
    )
        .prop_map(|(full, given, family, quality, script)| Name {
            full,
            given,
            family,
            quality,
            script,
            ..Default::default()
        })
}

fn arb_entry() -> impl Strategy<Value = WatchlistEntry> {
    (
        "[A-Za-z0-9-]{1,12}",
        prop::collection::vec(arb_name(), 1..4),
        prop_oneof![
            Just(EntityKind::Person),
            Just(EntityKind::Organization),
            Just(EntityKind::Vessel)
        ],
        prop::collection::vec(arb_dob(), 0..3),
        prop::collection::vec(arb_country(), 0..3),
        prop::collection::vec(("[A-Z0-9]{1,12}", prop::option::of(arb_country())), 0..3),
        prop::option::of("\\PC{0,40}"),
        prop_oneof![Just(Sex::Male), Just(Sex::Female), Just(Sex::Unknown)],
    )
        .prop_map(
            |(entry_id, names, kind, dobs, nationalities, docs, remarks, sex)| WatchlistEntry {
                list: ListRef {
                    list_id: "prop".into(),
                    version: "1".into(),
                },
                entry_id,
                kind,
                names,
                sex,
                dobs,
                nationalities,
                documents: docs
                    .into_iter()
                    .map(|(number, issuer)| Document {
                        kind: DocumentKind::Passport,
                        number,
                        issuer,
                        expiry: None,
                    })
                    .collect(),
                remarks,
                ..Default::default()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn ofac_never_panics_on_bytes(b in prop::collection::vec(any::<u8>(), 0..1500)) {
        let _ = OfacSdn::new("p").aliases(&b[..], "alt").addresses(&b[..], "add").comments(&b[..], "c").collect(&b[..], "sdn");
    }

    #[test]
    fn ofac_mangled_keeps_untouched_rows(at in 0usize..400, len in 0usize..40, junk in "[\\PC\",\n;']{0,20}") {
        let s = mangle(SDN_SAMPLE, at, len, &junk);
        let (good, bad) = OfacSdn::new("p").collect(s.as_bytes(), "sdn");
        // Every row is either kept or rejected; nothing vanishes silently.
        prop_assert!(good.len() + bad.iter().filter(|r| r.is_record_level()).count() >= 1);
        for e in &good {
            prop_assert!(!e.names.is_empty());
            prop_assert!(!e.entry_id.is_empty());
        }
    }

    #[test]
    fn un_never_panics_on_text(s in "\\PC{0,600}") {
        let _ = UnXml::new(s.as_bytes(), "un", "").collect();
    }

    #[test]
    fn un_mangled_never_panics(at in 0usize..1200, len in 0usize..60, junk in "[<>/&;=\"a-zA-Z_ \n]{0,20}") {
        let s = mangle(UN_SAMPLE, at, len, &junk);
        let (good, _bad) = UnXml::new(s.as_bytes(), "un", "").collect();
        prop_assert!(good.len() <= 3);
        for e in &good {
            prop_assert!(!e.names.is_empty());
        }
    }

    #[test]
    fn jsonl_and_csv_never_panic(b in prop::collection::vec(any::<u8>(), 0..1500)) {
        let _ = collect(JsonlReader::<_, WatchlistEntry>::new(&b[..], "j"));
        let _ = collect(JsonlReader::<_, linkwatch_model::Encounter>::new(&b[..], "j"));
        let _ = collect(CsvListReader::new(&b[..], "c", "c", "1"));
    }

    #[test]
    fn jsonl_round_trip(entries in prop::collection::vec(arb_entry(), 0..8)) {
        let mut w = JsonlWriter::new(Vec::new());
        for e in &entries {
            w.write(e).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let buf = w.finish().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (back, rejects) = collect(JsonlReader::<_, WatchlistEntry>::new(&buf[..], "rt"));
        prop_assert!(rejects.is_empty(), "{:?}", rejects);
        prop_assert_eq!(back, entries);
    }
}

#[test]
fn samples_parse_cleanly() {
    let (good, bad) = UnXml::new(UN_SAMPLE.as_bytes(), "un", "").collect();
    assert_eq!(good.len(), 3);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(good[1].names[1].script, Script::Cyrillic);
    let (good, bad) = OfacSdn::new("p").collect(SDN_SAMPLE.as_bytes(), "sdn");
    assert_eq!(good.len(), 3);
    assert!(bad.is_empty(), "{bad:?}");
}
