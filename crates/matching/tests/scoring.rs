//! Properties of the scorer: probability in [0, 1], symmetry, monotonicity in evidence (adding
//! agreeing evidence never lowers the score, adding disagreeing evidence never raises it), the
//! explanation summing to the score, and the embedded model being valid and round-tripping.

use linkwatch_matching::{Context, Identity, Model, Scorer};
use linkwatch_model::{Country, DateSpec, DocumentKind, PartialDate, Sex};
use proptest::prelude::*;
use std::sync::OnceLock;

fn scorer() -> &'static Scorer {
    static S: OnceLock<Scorer> = OnceLock::new();
    S.get_or_init(Scorer::default)
}

fn name_strategy() -> impl Strategy<Value = String> {
    let parts = prop::sample::select(vec![
        "Abdulla",
        "Karimov",
        "KARIMOV",
        "Muhammad",
        "Mohammed",
        "Rustam",
        "Shavkat",
        "Mirziyoyev",
        "Ali",
        "al-Rahman",
        "Abdurrahman",
        "Olga",
        "Petrova",
        "Ivanov",
        "Jose",
        "GARCIA",
        "Lopez",
        "bin",
        "Usmonov",
        "Ахмед",
        "Каримов",
        "محمد",
        "علي",
    ]);
    prop::collection::vec(parts, 1..4).prop_map(|v| v.join(" "))
}

fn date_strategy() -> impl Strategy<Value = Option<PartialDate>> {
    prop_oneof![
        Just(None),
        (1950i16..2005, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| PartialDate::ymd(y, m, d).ok()),
        (1950i16..2005).prop_map(|y| Some(PartialDate::year(y))),
    ]
}

fn identity_strategy() -> impl Strategy<Value = Identity> {
    (
        name_strategy(),
        date_strategy(),
        prop::sample::select(vec![None, Some("UZ"), Some("RU"), Some("AF")]),
        prop::sample::select(vec![Sex::Unknown, Sex::Male, Sex::Female]),
    )
        .prop_map(|(n, d, c, s)| Identity::from_parts(&n, d, c.and_then(Country::from_alpha2), s))
}

#[test]
fn embedded_model_is_valid_and_round_trips() {
    let m = Model::default_model();
    let back = Model::from_toml(&m.to_toml()).expect("round trip");
    assert_eq!(back.levels, m.levels);
    assert_eq!(back.name, m.name);
}

#[test]
fn obvious_cases() {
    let s = scorer();
    let a = Identity::from_parts(
        "KARIMOV, Abdulla",
        PartialDate::parse("1981-03-07").ok(),
        Country::from_alpha2("UZ"),
        Sex::Male,
    );
    let b = Identity::from_parts(
        "Abdulla Karimov",
        PartialDate::parse("07/03/1981").ok(),
        Country::from_alpha2("UZ"),
        Sex::Male,
    );
    let c = Identity::from_parts(
        "Olga Petrova",
        PartialDate::parse("1990-01-01").ok(),
        Country::from_alpha2("RU"),
        Sex::Female,
    );
    let ab = s.score(&a, &b, Context::Pairs);
    let ac = s.score(&a, &c, Context::Pairs);
    assert!(ab.probability > 0.99, "{}", ab.explanation.compact());
    assert!(ac.probability < 0.01, "{}", ac.explanation.compact());
    let text = ab.explanation.compact();
    assert!(
        text.contains("dob[exact]") && text.contains("name["),
        "{text}"
    );
    let json = serde_json::to_string(&ab.explanation).expect("json");
    assert!(json.contains("\"feature\":\"name\""));
}

#[test]
fn biometrics_and_documents_are_decisive() {
    let s = scorer();
    let mut a = Identity::from_parts("Rustam Usmonov", None, None, Sex::Unknown);
    let mut b = Identity::from_parts("Shavkat Mirziyoyev", None, None, Sex::Unknown);
    let base = s.log2_odds(&a, &b, Context::Pairs);
    a.fingerprint_id = Some("FIN-1".into());
    b.fingerprint_id = Some("FIN-1".into());
    assert!(s.probability(&a, &b, Context::Screening) > 0.999);
    b.fingerprint_id = Some("FIN-2".into());
    assert!(s.log2_odds(&a, &b, Context::Pairs) < base);
    a.fingerprint_id = None;
    a.documents
        .push((DocumentKind::Passport, "AB1234567".into()));
    b.documents
        .push((DocumentKind::Passport, "AB1234576".into()));
    let sc = s.score(&a, &b, Context::Pairs);
    assert!(sc
        .explanation
        .terms
        .iter()
        .any(|t| t.feature == "document" && t.level == "one_edit"));
}

#[test]
fn ranges_and_placeholders() {
    let s = scorer();
    let mut a = Identity::from_parts("Abdulla Karimov", None, None, Sex::Unknown);
    let b = Identity::from_parts(
        "Abdulla Karimov",
        PartialDate::parse("1961-04-04").ok(),
        None,
        Sex::Unknown,
    );
    a.dobs.push(DateSpec::Range {
        from: PartialDate::year(1960),
        to: PartialDate::year(1962),
    });
    let sc = s.score(&a, &b, Context::Pairs);
    assert!(
        sc.explanation
            .terms
            .iter()
            .any(|t| t.feature == "dob" && t.level == "in_range"),
        "{}",
        sc.explanation.compact()
    );
}

/// The level and weight of `feature`'s term in a score's explanation.
fn level_and_weight(sc: &linkwatch_matching::score::Score, feature: &str) -> (String, f64) {
    let t = sc
        .explanation
        .terms
        .iter()
        .find(|t| t.feature == feature)
        .unwrap_or_else(|| panic!("{feature} term"));
    (t.level.clone(), t.weight)
}

/// A date inside a range weighs less the wider the range (a different person's date falls
/// inside a wide range more often), and a document number one edit away weighs less when it is
/// short (short numbers have more one-edit neighbours among other people's numbers).
#[test]
fn range_width_and_number_length_lower_the_evidence() {
    let s = scorer();
    let b = Identity::from_parts(
        "Abdulla Karimov",
        PartialDate::parse("1961-04-04").ok(),
        None,
        Sex::Unknown,
    );
    let dob_term = |from: i16, to: i16| {
        let mut a = Identity::from_parts("Abdulla Karimov", None, None, Sex::Unknown);
        a.dobs.push(DateSpec::Range {
            from: PartialDate::year(from),
            to: PartialDate::year(to),
        });
        level_and_weight(&s.score(&a, &b, Context::Pairs), "dob")
    };
    let (l3, w3) = dob_term(1960, 1962);
    let (l7, w7) = dob_term(1958, 1964);
    let (l21, w21) = dob_term(1950, 1970);
    assert_eq!(
        (l3.as_str(), l7.as_str(), l21.as_str()),
        ("in_range", "in_range_wide", "in_range_very_wide")
    );
    assert!(w3 > w7 && w7 > w21 && w21 >= 0.0, "{w3} {w7} {w21}");

    let doc_term = |x: &str, y: &str| {
        let mut a = Identity::from_parts("Rustam Usmonov", None, None, Sex::Unknown);
        let mut c = Identity::from_parts("Rustam Usmonov", None, None, Sex::Unknown);
        a.documents.push((DocumentKind::Passport, x.into()));
        c.documents.push((DocumentKind::Passport, y.into()));
        level_and_weight(&s.score(&a, &c, Context::Pairs), "document")
    };
    let (ll, wl) = doc_term("AB1234567", "AB1234576");
    let (ls, ws) = doc_term("K021291", "K041291");
    let (le, we) = doc_term("K021291", "K021291");
    assert_eq!(
        (ll.as_str(), ls.as_str(), le.as_str()),
        ("one_edit", "one_edit_short", "exact")
    );
    assert!(we > wl && wl > ws && ws > 0.0, "{we} {wl} {ws}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn probability_in_unit_interval_and_symmetric(a in identity_strategy(), b in identity_strategy()) {
        let s = scorer();
        let ab = s.score(&a, &b, Context::Pairs);
        let ba = s.score(&b, &a, Context::Pairs);
        prop_assert!((0.0..=1.0).contains(&ab.probability));
        prop_assert!((ab.log2_odds - ba.log2_odds).abs() < 1e-9, "{} vs {}", ab.explanation.compact(), ba.explanation.compact());
        // The explanation sums to the score.
        prop_assert!((ab.explanation.sum() - ab.log2_odds).abs() < 1e-9);
        prop_assert!((s.log2_odds(&a, &b, Context::Pairs) - ab.log2_odds).abs() < 1e-9);
    }

    #[test]
    fn agreeing_evidence_never_lowers(a in identity_strategy(), b in identity_strategy(), fin in "[A-Z]{4}", doc in "[A-Z0-9]{8}") {
        let s = scorer();
        let base = s.log2_odds(&a, &b, Context::Pairs);
        // An agreeing biometric, document or alias on both sides.
        let (mut a2, mut b2) = (a.clone(), b.clone());
        a2.fingerprint_id = Some(fin.clone());
        b2.fingerprint_id = Some(fin);
        prop_assert!(s.log2_odds(&a2, &b2, Context::Pairs) >= base);
        let (mut a3, mut b3) = (a.clone(), b.clone());
        a3.documents.push((DocumentKind::Passport, doc.clone()));
        b3.documents.push((DocumentKind::Passport, doc));
        prop_assert!(s.log2_odds(&a3, &b3, Context::Pairs) >= base);
        let mut a4 = a.clone();
        if let Some(n) = b.names.first() {
            a4.add_name(&n.analyzed.original, linkwatch_model::NameQuality::Strong);
        }
        prop_assert!(s.log2_odds(&a4, &b, Context::Pairs) >= base - 1e-9);
    }

    #[test]
    fn disagreeing_evidence_never_raises(a in identity_strategy(), b in identity_strategy()) {
        let s = scorer();
        let base = s.log2_odds(&a, &b, Context::Pairs);
        let (mut a2, mut b2) = (a.clone(), b.clone());
        a2.fingerprint_id = Some("FIN-A".into());
        b2.fingerprint_id = Some("FIN-B".into());
        prop_assert!(s.log2_odds(&a2, &b2, Context::Pairs) <= base);
        // Sex known on both sides and different.
        let (mut a3, mut b3) = (a.clone(), b.clone());
        if a3.sex == Sex::Unknown && b3.sex == Sex::Unknown {
            a3.sex = Sex::Male;
            b3.sex = Sex::Female;
            prop_assert!(s.log2_odds(&a3, &b3, Context::Pairs) <= base);
        }
    }
}

/// The default model with the name evidence's information term turned on (the shipped model
/// fits it to 0 on the generated world; these tests keep the term's invariants whatever its
/// value).
fn scorer_with_information(gamma: f64, reference: f64) -> Scorer {
    let base = Scorer::default();
    let mut m = base.model().clone();
    m.name.info_gamma = gamma;
    m.name.info_reference_bits = reference;
    Scorer::new(m, base.tf().clone())
}

#[test]
fn information_term_grows_with_the_agreeing_parts_and_is_explained() {
    let on = scorer_with_information(0.5, 20.0);
    let off = Scorer::default();
    let list = Identity::from_parts(
        "DELGADO VANEGAS, JEFFERSON WILMAR",
        None,
        None,
        Sex::Unknown,
    );
    let four = Identity::from_parts("Jefferson Wilmar Delgado Vanegas", None, None, Sex::Unknown);
    let three = Identity::from_parts("Jefferson Wilmar Delgado", None, None, Sex::Unknown);
    let l = |s: &Scorer, q: &Identity| s.log2_odds(q, &list, Context::Screening);
    // The term only adds, and adds more for more agreeing information.
    assert!(l(&on, &four) > l(&off, &four) + 1.0);
    assert!(l(&on, &four) - l(&off, &four) > l(&on, &three) - l(&off, &three));
    // Reference path and fast path agree with the term on.
    for q in [&four, &three] {
        let (a, b) = (
            on.log2_odds(q, &list, Context::Screening),
            on.log2_odds_reference(q, &list, Context::Screening),
        );
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }
    // The explanation names it and still sums to the score.
    let s = on.score(&four, &list, Context::Screening);
    let name = s
        .explanation
        .terms
        .iter()
        .find(|t| t.feature == "name")
        .expect("name term");
    assert!(name.detail.contains("information +"), "{}", name.detail);
    assert!((s.explanation.sum() - s.log2_odds).abs() < 1e-6);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// With the information term on: fast path == reference, and the screener's name bound
    /// stays an upper bound of the name term.
    #[test]
    fn information_term_keeps_fast_path_and_bound(a in identity_strategy(), b in identity_strategy()) {
        let on = scorer_with_information(0.7, 18.0);
        let (mut a, mut b) = (a, b);
        let (x, y) = (
            on.log2_odds(&a, &b, Context::Screening),
            on.log2_odds_reference(&a, &b, Context::Screening),
        );
        prop_assert!((x - y).abs() < 1e-9, "{} vs {}", x, y);
        on.prepare(&mut a);
        on.prepare(&mut b);
        let bounds = linkwatch_matching::bound::Bounds::new(&on);
        let o = on.outcome(&a, &b);
        if let Some(n) = o.name {
            let (ub, _) = bounds.name_bound(&a, &b);
            prop_assert!(ub >= n.bits - 1e-9, "bound {} < name bits {}", ub, n.bits);
            prop_assert!(bounds.name_max(&a) >= n.bits - 1e-9);
        }
    }
}

#[test]
fn information_term_keeps_pruned_screening_equal_to_unpruned() {
    use linkwatch_matching::index::{CandidateIndex, IndexConfig};
    use linkwatch_matching::screen::{screen_one_unpruned, ScreenOptions, Screener};
    let on = scorer_with_information(0.7, 18.0);
    let given = [
        "Jefferson",
        "Wilmar",
        "Maria",
        "Elena",
        "Jose",
        "Manuel",
        "Dora",
    ];
    let family = [
        "Delgado",
        "Vanegas",
        "Jurado",
        "Pinzon",
        "Ballesteros",
        "Lucas",
    ];
    let mut ix: CandidateIndex<u32> = CandidateIndex::new(IndexConfig::default());
    let mut queries = Vec::new();
    let mut k = 0u32;
    for (i, g) in given.iter().enumerate() {
        for (j, f) in family.iter().enumerate() {
            let g2 = given[(i + j + 1) % given.len()];
            let f2 = family[(i + 2 * j + 1) % family.len()];
            let y = 1960 + ((i * 7 + j * 3) % 40) as i16;
            let dob = PartialDate::ymd(y, 1 + (i % 12) as u8, 1 + (j % 28) as u8).ok();
            for name in [
                format!("{f} {f2}, {g} {g2}"),
                format!("{g} {f}"),
                format!("{g} {g2} {f}"),
            ] {
                let mut id =
                    Identity::from_parts(&name, dob, Country::from_alpha2("MX"), Sex::Male);
                on.prepare(&mut id);
                ix.insert(k, id.clone());
                k += 1;
                if k.is_multiple_of(5) {
                    queries.push(id);
                }
            }
        }
    }
    let mut hits = 0;
    for threshold in [0.05, 0.5, 0.9] {
        let opts = ScreenOptions {
            threshold,
            max_hits: 0,
            context: Context::Screening,
            prior_adjust: -4.0,
        };
        let s = Screener::new(&ix, &on, &opts);
        for q in &queries {
            let fast = s.screen(q);
            assert_eq!(fast, screen_one_unpruned(&ix, &on, q, &opts));
            hits += fast.len();
        }
    }
    assert!(hits > 0);
}
