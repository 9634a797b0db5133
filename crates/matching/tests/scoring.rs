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
