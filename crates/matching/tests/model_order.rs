//! The model is monotone in evidence: the shipped model file (`model/default.toml`, as it loads)
//! keeps every declared order of levels (`model::declared_orders`: the name levels'
//! `features::NAME_MAIN_LEVEL_ORDER` at every leftover count, the family table, dates,
//! documents and the same/different features), and a pair's name table weight never falls when
//! evidence is added to it (a further agreeing part in both names, strong or weak; a rarer
//! single part; leading given names that no longer differ).
//!
//! Knows the model and the name features; no I/O, no data files.

use linkwatch_matching::features::{self, NameFeatures, RARE_PART_BITS};
use linkwatch_matching::model::{declared_orders, Model, REQUIRED_LEVELS};
use proptest::prelude::*;

#[test]
fn every_declared_level_exists_and_no_pair_is_declared_both_ways() {
    let m = Model::default_model();
    let orders = declared_orders();
    assert!(orders.len() > 60, "{} pairs", orders.len());
    for (f, s, w) in &orders {
        for l in [s, w] {
            let required = REQUIRED_LEVELS
                .iter()
                .any(|(rf, ls)| rf == f && ls.contains(l));
            assert!(required, "{f}.{l} is not a required level");
            assert!(m.levels[*f].contains_key(*l), "{f}.{l} missing");
        }
        assert_ne!(s, w);
        assert!(
            !orders.contains(&(f, w, s)),
            "{f}: {s} and {w} declared both ways"
        );
    }
}

#[test]
fn shipped_model_keeps_every_declared_order() {
    let v = Model::default_model().order_violations(1e-9);
    assert!(v.is_empty(), "shipped model breaks:\n{}", v.join("\n"));
}

#[test]
fn an_old_violation_is_reported() {
    // `one_missing_mixed` (a strong and a weak part agree) below `one_missing_weak` (only the
    // weak part): the violation session 6 found in the model it started from.
    let mut m = Model::default_model();
    let t = m.levels.get_mut("name").expect("name table");
    for (l, w) in [("one_missing_mixed/1", -0.28), ("one_missing_weak/1", 2.54)] {
        t.get_mut(l).expect("level").weight = Some(w);
    }
    let v = m.order_violations(1e-9);
    assert!(
        v.iter()
            .any(|x| x.contains("one_missing_mixed/1") && x.contains("one_missing_weak/1")),
        "{v:?}"
    );
}

/// Name features with some agreement (the `none/*` levels are outside the declared order).
fn features_strategy() -> impl Strategy<Value = NameFeatures> {
    (
        0u8..5,
        0u8..4,
        0u8..4,
        0u8..4,
        0u8..3,
        0u8..3,
        2.0f64..16.0,
        0.0f64..1.0,
    )
        .prop_filter("some part agrees", |(s, w, ..)| s + w > 0)
        .prop_map(|(s, w, us, ul, lead, family, bits, sim)| NameFeatures {
            strong: s,
            weak: w,
            unmatched_short: us as f64,
            unmatched_long: ul as f64,
            lead,
            family,
            strong_bits: bits * s as f64,
            similarity: sim,
            ..Default::default()
        })
}

/// The table part of the name evidence (joint level, leftover and family tables): what the
/// declared orders constrain. The rarity and similarity terms are separately monotone
/// (non-negative coefficients, validated on load).
fn table_bits(m: &Model, f: &NameFeatures) -> f64 {
    let b = features::name_bits_parts(f, &m.name_levels(), &m.name);
    b.main + b.long + b.family
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn name_table_weight_never_falls_when_evidence_is_added(
        f in features_strategy(),
        part_bits in 2.0f64..16.0,
        mv in 0u8..4,
    ) {
        let m = Model::default_model();
        let mut g = f;
        match mv {
            // A further part agrees strongly in both names.
            0 => {
                g.strong += 1;
                g.strong_bits += part_bits;
            }
            // A further part agrees weakly in both names.
            1 => g.weak += 1,
            // The single agreeing part is rare.
            2 => {
                if g.strong == 1 {
                    g.strong_bits = g.strong_bits.max(RARE_PART_BITS + 0.5);
                }
            }
            // The leading given names no longer differ.
            _ => {
                if g.lead == 2 {
                    g.lead = 1;
                }
            }
        }
        let (a, b) = (table_bits(&m, &f), table_bits(&m, &g));
        prop_assert!(
            b >= a - 1e-9,
            "{} ({a:+.3}) -> {} ({b:+.3}) by move {mv}",
            f.level(),
            g.level()
        );
        // Rarer agreeing parts never count less through the rarity term either.
        let p = &m.name;
        let tf = |x: &NameFeatures| features::name_bits_parts(x, &m.name_levels(), p).tf;
        let mut r = f;
        r.strong_bits += part_bits;
        if f.strong > 0 {
            prop_assert!(tf(&r) >= tf(&f) - 1e-9);
        }
    }
}
