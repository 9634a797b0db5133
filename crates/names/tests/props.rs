//! Property tests: normalisation is idempotent, transliteration is stable, analysis never
//! panics, comparison is symmetric, bounded and gives 1.0 on identical names.

use linkwatch_names::{analyze, compare, compare_score, normalize, UniformWeights};
use proptest::prelude::*;

fn name_strategy() -> impl Strategy<Value = String> {
    let parts = prop::sample::select(vec![
        "Muhammad",
        "Шавкат",
        "Мирзиёев",
        "محمد",
        "عبد الرحمن",
        "o‘g‘li",
        "Abdul",
        "Rahman",
        "AL-",
        "bin",
        "Dr.",
        "Şükrü",
        "Ахмедова",
        "Yusuf",
        "Ko",
        "K.",
        ",",
        "Ҳасан",
        "ګل",
        "ǅ",
        "İ",
        "ß",
        "x",
        "e\u{301}",
        "  ",
        "-",
        "'",
        "毛泽东",
        "Σωκράτης",
        "ქართლი",
    ]);
    prop::collection::vec(parts, 0..6).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn normalize_idempotent(s in "\\PC{0,40}") {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn normalize_idempotent_names(s in name_strategy()) {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn analyze_never_panics(s in "\\PC{0,60}") {
        let a = analyze(&s);
        for t in &a.tokens {
            prop_assert!(t.text.is_ascii() || t.script != linkwatch_names::Script::Latin);
        }
    }

    #[test]
    fn transliteration_stable(s in name_strategy()) {
        // analysing the romanised text again gives the same keys (romanisation is a fixed point)
        let a = analyze(&s);
        let latin: Vec<&str> = a.tokens.iter()
            .filter(|t| t.script == linkwatch_names::Script::Latin
                || t.script == linkwatch_names::Script::Cyrillic)
            .map(|t| t.text.as_str()).collect();
        for t in latin {
            let b = analyze(t);
            if let Some(bt) = b.tokens.first() {
                prop_assert_eq!(&bt.text, &t.to_string());
            }
        }
    }

    #[test]
    fn compare_symmetric_bounded(x in name_strategy(), y in name_strategy()) {
        let (a, b) = (analyze(&x), analyze(&y));
        let ab = compare(&a, &b, &UniformWeights);
        let ba = compare(&b, &a, &UniformWeights);
        prop_assert_eq!(ab.similarity, ba.similarity);
        prop_assert!((0.0..=1.0).contains(&ab.similarity));
        prop_assert_eq!(ab.pairs.len(), ba.pairs.len());
        prop_assert_eq!(compare_score(&a, &b, &UniformWeights).similarity, ab.similarity);
    }

    #[test]
    fn self_similarity_is_one(x in name_strategy()) {
        let a = analyze(&x);
        if a.core_tokens().next().is_some() {
            let s = compare(&a, &a, &UniformWeights).similarity;
            prop_assert!((s - 1.0).abs() < 1e-6, "{} -> {}", x, s);
        }
    }

    #[test]
    fn more_agreement_never_lowers(x in name_strategy()) {
        // appending a token both names share does not lower similarity when the pair already agreed
        let a = analyze(&x);
        if a.core_tokens().next().is_some() {
            let aa = analyze(&format!("{x} Qwertyuiop"));
            let s1 = compare(&a, &a, &UniformWeights).similarity;
            let s2 = compare(&aa, &aa, &UniformWeights).similarity;
            prop_assert!(s2 >= s1 - 1e-6);
        }
    }
}

/// Names in the spelling systems the analyser folds (Indonesian `sy`, Somali `x`/`c`, French
/// `-eddine`, `-ane`, soft `c`, `ei`/`ey` diphthongs, Dutch `chw`, Korean syllables), mixed
/// with their counterparts and unrelated parts.
fn spelling_strategy() -> impl Strategy<Value = String> {
    let parts = prop::sample::select(vec![
        "Syarif",
        "Sharif",
        "Ba'asyir",
        "Bashir",
        "Kusyuk",
        "Vasya",
        "Syed",
        "Xasan",
        "Hasan",
        "Maxamed",
        "Cabdi",
        "Cali",
        "Cumar",
        "Ali",
        "Carmen",
        "Alexander",
        "Xu",
        "Nasreddine",
        "Ghiassouddine",
        "Mochammad",
        "Cc",
        "Sy",
        "X",
        "Seifallah",
        "Sayf",
        "Hussein",
        "Sergeyev",
        "Abdarrahmane",
        "Ousmane",
        "Achwan",
        "Lounici",
        "Houcine",
        "Kwang Ho",
        "Hun",
        "Ryu",
    ]);
    prop::collection::vec(parts, 1..5).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Re-analysing the analysed token texts gives the same keys (the rules are idempotent).
    #[test]
    fn spelling_rules_idempotent(s in spelling_strategy()) {
        let a = analyze(&s);
        let again = analyze(&a.tokens.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" "));
        let keys = |n: &linkwatch_names::AnalyzedName| n.tokens.iter().map(|t| t.key.clone()).collect::<Vec<_>>();
        prop_assert_eq!(keys(&again), keys(&a));
    }

    /// Comparison stays symmetric on names the spelling rules rewrite.
    #[test]
    fn spelling_rules_symmetric(x in spelling_strategy(), y in spelling_strategy()) {
        let (a, b) = (analyze(&x), analyze(&y));
        let ab = compare(&a, &b, &UniformWeights).similarity;
        let ba = compare(&b, &a, &UniformWeights).similarity;
        prop_assert!((ab - ba).abs() < 1e-5, "{} vs {}: {} {}", x, y, ab, ba);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// `ei`, `ey` and `ai` between consonants spell one diphthong: the key does not tell them
    /// apart, whatever surrounds them (a preceding `c` is left out: `ce` is a soft c).
    #[test]
    fn diphthong_spellings_share_a_key(
        x in "[a-z]{0,5}[bdfgjklmnprstvz]",
        y in "[bdfgjklmnprstvz][a-z]{0,5}",
    ) {
        use linkwatch_names::phonetic::key;
        let ai = key(&format!("{x}ai{y}"));
        prop_assert_eq!(key(&format!("{x}ei{y}")), ai.clone());
        prop_assert_eq!(key(&format!("{x}ey{y}")), ai);
    }

    /// The French silent final `e` after `-an` drops: `Xane` and `Xan` share a key.
    #[test]
    fn french_final_e_after_an(x in "[b-z][a-z]{1,7}") {
        use linkwatch_names::phonetic::key;
        prop_assert_eq!(key(&format!("{x}ane")), key(&format!("{x}an")));
    }
}
