//! Property tests: the detectors never panic on any counts (zeros, huge values, spikes, short
//! series), expected counts are never negative, and alarms only occur on positive counts.

use linkwatch_surge::{
    analyze_series, ears_week, EarsConfig, EarsMethod, Farrington, FarringtonConfig, SurgeConfig,
};
use proptest::prelude::*;

fn counts_strategy() -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        proptest::collection::vec(0u32..3, 280..330)
            .prop_map(|v| v.into_iter().map(f64::from).collect()),
        proptest::collection::vec(0u32..200, 280..330)
            .prop_map(|v| v.into_iter().map(f64::from).collect()),
        proptest::collection::vec(prop_oneof![Just(0u32), 0u32..1_000_000], 280..330)
            .prop_map(|v| v.into_iter().map(f64::from).collect()),
        proptest::collection::vec(0u32..50, 0..120)
            .prop_map(|v| v.into_iter().map(f64::from).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn farrington_never_panics(y in counts_strategy()) {
        for cfg in [FarringtonConfig::original(), FarringtonConfig::noufaily(), FarringtonConfig::noufaily().with_r_quirk(true)] {
            let f = Farrington::new(cfg);
            for i in y.len().saturating_sub(2)..y.len() {
                if let Ok(w) = f.test_week(&y, i) {
                    prop_assert!(w.expected >= 0.0);
                    prop_assert!(!w.alarm || w.observed > 0.0);
                    prop_assert!(w.p_value.is_nan() || (0.0..=1.0).contains(&w.p_value));
                }
            }
        }
    }

    #[test]
    fn ears_never_panics(y in counts_strategy()) {
        for m in [EarsMethod::C1, EarsMethod::C2, EarsMethod::C3] {
            for compat in [false, true] {
                let cfg = EarsConfig { r_c3_compat: compat, ..EarsConfig::new(m, 0.01) };
                for i in 0..y.len() {
                    let _ = ears_week(&y, i, &cfg);
                }
            }
        }
    }

    #[test]
    fn engine_never_panics(y in counts_strategy()) {
        let n = y.len();
        let r = analyze_series("s", None, &y, n.saturating_sub(3), n, &SurgeConfig::default());
        prop_assert_eq!(r.periods.len(), n.min(3));
        for p in &r.periods {
            if let Some(e) = p.expected() {
                prop_assert!(e >= 0.0);
            }
            prop_assert!(!p.alarm || p.observed > 0.0);
        }
    }
}

#[test]
fn non_finite_and_negative_inputs_are_tolerated() {
    let mut y: Vec<f64> = (0..320).map(|i| (10 + i % 7) as f64).collect();
    y[100] = f64::NAN;
    y[200] = -5.0;
    y[310] = f64::INFINITY;
    let r = analyze_series("s", None, &y, 300, 320, &SurgeConfig::default());
    assert_eq!(r.periods.len(), 20);
    for p in &r.periods {
        assert!(p.observed.is_finite() && p.observed >= 0.0);
    }
}
