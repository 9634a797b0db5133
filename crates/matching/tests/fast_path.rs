//! The scorer's fast path (`Scorer::outcome` / `log2_odds`: prepared names, allocation-free
//! alignment, weights from arrays) must give exactly the same log2 odds as the reference path
//! (`Scorer::log2_odds_reference`) and as a frozen copy of the original implementation kept in
//! this file (full allocating comparisons, rarities looked up by token key, weights by label):
//! on every pair of `names/pairs_sdn_un.csv` (skipped when the shared data is absent) and on
//! generated identities with several names in mixed scripts, dates, documents and contacts.

use linkwatch_matching::features::NameFeatures;
use linkwatch_matching::identity::IdName;
use linkwatch_matching::{Context, Identity, Model, Scorer, TermFrequencies};
use linkwatch_model::{
    Country, DateSpec, DocumentKind, EntityKind, Name, NameQuality, PartialDate, Sex,
    WatchlistEntry,
};
use linkwatch_names::{TokenMatchKind, TokenWeights};
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

fn scorer() -> &'static Scorer {
    static S: OnceLock<Scorer> = OnceLock::new();
    S.get_or_init(Scorer::default)
}

// ---- frozen copy of the original (pre-fast-path) name evidence ---------------------------

fn bit(mask: u64, i: usize) -> bool {
    i < 64 && mask & (1 << i) != 0
}

fn frozen_token_bits(tf: &TermFrequencies, min: f64, max: f64, a: &str, b: &str) -> f64 {
    let f = tf.frequency(a).max(tf.frequency(b));
    (-f.log2()).clamp(min, max)
}

fn frozen_name_features(
    na: &IdName,
    nb: &IdName,
    cmp: &linkwatch_names::NameComparison,
    tf: &TermFrequencies,
    min: f64,
    max: f64,
) -> NameFeatures {
    let (a, b) = (&na.analyzed, &nb.analyzed);
    let mut f = NameFeatures {
        similarity: cmp.similarity.clamp(0.0, 1.0) as f64,
        ..Default::default()
    };
    // (session 8) an initial standing for one side's leading given name while the other
    // side's leading given name is not aligned by a written-out part is not counted
    let first_given = |n: &IdName| {
        n.analyzed
            .tokens
            .iter()
            .take(64)
            .enumerate()
            .position(|(i, t)| {
                !bit(n.particles, i)
                    && !bit(n.family, i)
                    && !matches!(
                        t.role,
                        linkwatch_names::PartRole::Family
                            | linkwatch_names::PartRole::Initial
                            | linkwatch_names::PartRole::Particle
                    )
            })
    };
    let (lx, ly) = (first_given(na), first_given(nb));
    let written = |on_a: bool, i: usize| {
        cmp.pairs
            .iter()
            .any(|p| p.kind != TokenMatchKind::Initial && (if on_a { p.a } else { p.b }) == i)
    };
    let kept: Vec<linkwatch_names::AlignedPair> = cmp
        .pairs
        .iter()
        .filter(|p| match (p.kind, lx, ly) {
            (TokenMatchKind::Initial, Some(x), Some(y)) => {
                (p.a != x || written(false, y)) && (p.b != y || written(true, x))
            }
            _ => true,
        })
        .cloned()
        .collect();
    let mut fam_aligned = false;
    for pair in &kept {
        let (Some(ta), Some(tb)) = (a.tokens.get(pair.a), b.tokens.get(pair.b)) else {
            continue;
        };
        if bit(na.family, pair.a) && bit(nb.family, pair.b) {
            fam_aligned = true;
        }
        if bit(na.particles, pair.a) || bit(nb.particles, pair.b) {
            continue;
        }
        let bits = frozen_token_bits(tf, min, max, &ta.key, &tb.key);
        if pair.kind != TokenMatchKind::Initial {
            f.extra_matches += 1.0;
        }
        if matches!(
            pair.kind,
            TokenMatchKind::Exact | TokenMatchKind::Equivalent | TokenMatchKind::Phonetic
        ) {
            f.strong = f.strong.saturating_add(1);
            f.strong_bits += bits;
        } else {
            f.weak = f.weak.saturating_add(1);
        }
        match pair.kind {
            TokenMatchKind::Exact => f.exact += bits,
            TokenMatchKind::Equivalent | TokenMatchKind::Phonetic => f.equivalent += bits,
            TokenMatchKind::Skeleton => f.skeleton += bits,
            TokenMatchKind::Fuzzy => f.fuzzy += bits * pair.similarity.clamp(0.0, 1.0) as f64,
            TokenMatchKind::Initial => f.initial += 1.0,
        }
    }
    f.extra_matches = (f.extra_matches - 1.0).max(0.0);
    let mut aligned_a = 0u64;
    let mut aligned_b = 0u64;
    for pair in &kept {
        if pair.a < 64 {
            aligned_a |= 1 << pair.a;
        }
        if pair.b < 64 {
            aligned_b |= 1 << pair.b;
        }
    }
    let unaligned = |n: usize, aligned: u64, particles: u64| -> Vec<usize> {
        (0..n.min(64))
            .filter(|&i| aligned & (1 << i) == 0 && particles & (1 << i) == 0)
            .collect()
    };
    let un_a = unaligned(a.tokens.len(), aligned_a, na.particles);
    let un_b = unaligned(b.tokens.len(), aligned_b, nb.particles);
    let (ua, ub) = (un_a.len() as f64, un_b.len() as f64);
    let (la, lb) = (
        a.tokens.len() - na.particles.count_ones() as usize,
        b.tokens.len() - nb.particles.count_ones() as usize,
    );
    let a_short = la <= lb;
    let (short, long) = if la == lb {
        (ua.min(ub), ua.max(ub))
    } else if a_short {
        (ua, ub)
    } else {
        (ub, ua)
    };
    f.unmatched_short = short;
    f.unmatched_long = long;
    let (short_name, short_unmatched) = if (la == lb && ua <= ub) || (la != lb && a_short) {
        (a, &un_a)
    } else {
        (b, &un_b)
    };
    f.unmatched_short_bits = short_unmatched
        .iter()
        .filter_map(|&i| short_name.tokens.get(i))
        .map(|t| frozen_token_bits(tf, min, max, &t.key, &t.key))
        .sum();
    let n_short = la.min(lb).max(1) as f64;
    f.matched_fraction = ((n_short - short) / n_short).clamp(0.0, 1.0);
    if na.family != 0 && nb.family != 0 {
        if fam_aligned {
            f.family_agree = 1.0;
            f.family = 1;
        } else {
            f.family_disagree = 1.0;
            f.family = 2;
        }
    }
    // leading given names (added with the `*_lead_differs` levels): first token that is not a
    // particle, family name or initial; agree when aligned with each other or both aligned
    let lead = first_given;
    if let (Some(x), Some(y)) = (lead(na), lead(nb)) {
        let to_each_other = cmp.pairs.iter().any(|q| q.a == x && q.b == y);
        // one aligned, the other not: agreement only if the alignment crosses (a reordered
        // alias), parts written twice in one name left out
        let twice = |n: &linkwatch_names::AnalyzedName, i: usize| {
            n.tokens.iter().filter(|t| t.key == n.tokens[i].key).count() > 1
        };
        let firm: Vec<_> = kept
            .iter()
            .filter(|p| {
                p.a < a.tokens.len() && p.b < b.tokens.len() && !twice(a, p.a) && !twice(b, p.b)
            })
            .collect();
        let crossing = bit(aligned_a, x) != bit(aligned_b, y)
            && firm.iter().any(|p| {
                firm.iter()
                    .any(|q| (p.a < q.a) != (p.b < q.b) && p.a != q.a && p.b != q.b)
            });
        f.lead = if to_each_other || (bit(aligned_a, x) && bit(aligned_b, y)) || crossing {
            1
        } else {
            2
        };
        // two one-syllable given parts in a row are one given name (session 8): the next
        // non-particle token after the lead, when it is a given name too
        let second = |n: &IdName, x: usize| {
            let next = (x + 1..n.analyzed.tokens.len().min(64)).find(|&i| !bit(n.particles, i))?;
            let t = &n.analyzed.tokens[next];
            let given = !bit(n.family, next)
                && !matches!(
                    t.role,
                    linkwatch_names::PartRole::Family
                        | linkwatch_names::PartRole::Initial
                        | linkwatch_names::PartRole::Particle
                );
            given.then_some(next)
        };
        // one vowel group in at most 6 letters
        let syl = |k: &str| {
            let v: Vec<bool> = k.bytes().map(|c| b"aeiouy".contains(&c)).collect();
            let groups = (0..v.len())
                .filter(|&i| v[i] && (i == 0 || !v[i - 1]))
                .count();
            k.len() <= 6 && groups == 1
        };
        if let (1, Some(xs), Some(ys)) = (f.lead, second(na, x), second(nb, y)) {
            let all = [
                (aligned_a, x),
                (aligned_a, xs),
                (aligned_b, y),
                (aligned_b, ys),
            ]
            .iter()
            .all(|&(m, i)| bit(m, i));
            if !all
                && syl(&a.tokens[x].key)
                && syl(&a.tokens[xs].key)
                && syl(&b.tokens[y].key)
                && syl(&b.tokens[ys].key)
            {
                f.lead = 2;
            }
        }
    }
    if f.strong == 0 && f.weak == 0 {
        f.none = 1.0;
    } else if short == 0.0 {
        f.covered = 1.0;
    }
    f
}

fn frozen_main_level(f: &NameFeatures) -> &'static str {
    let (s, w, u) = (f.strong, f.weak, f.unmatched_short as u32);
    if s == 0 && w == 0 {
        return "none";
    }
    // one agreeing part rarer than 2^12.5 (added with the `*_1_rare` levels)
    let rare = s == 1 && f.strong_bits >= 12.5;
    match (u, s, w) {
        (0, 3.., 0) => "all_strong_3",
        (0, 2, 0) => "all_strong_2",
        (0, 1, 0) if rare => "all_strong_1_rare",
        (0, 1, 0) => "all_strong_1",
        (0, 2.., _) => "covered_mixed_2",
        (0, 1, _) => "covered_mixed_1",
        (0, 0, _) => "covered_weak",
        (1, 3.., _) if f.lead == 2 => "one_missing_strong_3+_lead_differs",
        (1, 3.., _) => "one_missing_strong_3+",
        (1, 2, _) if f.lead == 2 => "one_missing_strong_2_lead_differs",
        (1, 2, _) => "one_missing_strong_2",
        (1, 1, 1..) => "one_missing_mixed",
        (1, 1, 0) if rare => "one_missing_strong_1_rare",
        (1, 1, 0) => "one_missing_strong_1",
        (1, 0, _) => "one_missing_weak",
        (_, 2.., _) => "partial_strong_2",
        (_, 1, 1..) => "partial_mixed",
        (_, 1, 0) if rare => "partial_strong_1_rare",
        (_, 1, 0) => "partial_strong_1",
        _ => "partial_weak",
    }
}

fn frozen_level(f: &NameFeatures) -> String {
    let j = ["0", "1", "2+"][(f.unmatched_long as usize).min(2)];
    format!("{}/{}", frozen_main_level(f), j)
}

fn frozen_long_level(f: &NameFeatures) -> &'static str {
    match f.unmatched_long as u32 {
        0 => "none_left",
        1 => "one_left",
        2 => "two_left",
        _ => "three_plus_left",
    }
}

fn frozen_family_level(f: &NameFeatures) -> String {
    let fam = ["family_unknown", "family_agree", "family_disagree"][f.family.min(2) as usize];
    // the leading given name counts in the joint level only, but for an agreeing family
    // name beside differing leading given names
    if f.family == 1 && f.lead == 2 {
        return "family_agree/lead_disagree".into();
    }
    format!("{fam}/lead_unknown")
}

fn frozen_name_bits(m: &Model, f: &NameFeatures) -> f64 {
    let p = &m.name;
    let tf = if f.strong > 0 {
        p.tf_gamma * (f.strong_bits - p.tf_reference_bits * f.strong as f64)
    } else {
        0.0
    };
    let tf = tf + p.similarity_gamma * (f.similarity - 0.5);
    // information term (session 7): info_gamma · min(cap, max(0, Σ strong bits − reference))
    let info = if f.strong > 0 && p.info_gamma > 0.0 {
        p.info_gamma
            * (f.strong_bits - p.info_reference_bits)
                .max(0.0)
                .min(p.info_cap_bits)
    } else {
        0.0
    };
    let main = m.bits("name", &frozen_level(f));
    let long = m.bits("name_long", frozen_long_level(f));
    let family = m.bits("name_family", &frozen_family_level(f));
    main + long + family + tf + info
}

/// The original scorer: best name combination by full comparison, every weight by label.
fn frozen_log2_odds(s: &Scorer, a: &Identity, b: &Identity, ctx: Context) -> f64 {
    let m = s.model();
    let tf = s.tf();
    let mut best: Option<f64> = None;
    for na in &a.names {
        for nb in &b.names {
            let cmp = linkwatch_names::compare_full(&na.analyzed, &nb.analyzed, tf);
            let f = frozen_name_features(
                na,
                nb,
                &cmp,
                tf,
                m.name.min_token_bits,
                m.name.max_token_bits,
            );
            let mut bits = m.calibration.a * frozen_name_bits(m, &f) + m.calibration.b;
            if na.quality == NameQuality::Weak || nb.quality == NameQuality::Weak {
                bits -= m.name.weak_alias_penalty;
            }
            if best.is_none_or(|x| bits > x) {
                best = Some(bits);
            }
        }
    }
    let mut l = s.prior(ctx) + best.unwrap_or(0.0);
    let o = s.outcome_reference(a, b);
    // the non-name features' levels come from the (unchanged) feature functions
    for (f, lv) in [
        ("dob", o.dob),
        ("nationality", o.nationality),
        ("place_of_birth", o.place_of_birth),
        ("sex", o.sex),
        ("document", o.document),
        ("biometric", o.biometric),
        ("contact", o.contact),
    ] {
        if let Some(lv) = lv {
            l += m.bits(f, lv.level);
        }
    }
    l
}

/// Every path agrees, within 1e-9, prepared or not, in both orders; and the fast outcome is
/// the reference outcome.
fn check(a: &Identity, b: &Identity) -> Result<(), String> {
    let s = scorer();
    let (mut pa, mut pb) = (a.clone(), b.clone());
    s.prepare(&mut pa);
    s.prepare(&mut pb);
    for ctx in [Context::Pairs, Context::Screening] {
        let frozen = frozen_log2_odds(s, a, b, ctx);
        let reference = s.log2_odds_reference(a, b, ctx);
        let fast_unprepared = s.log2_odds(a, b, ctx);
        let fast = s.log2_odds(&pa, &pb, ctx);
        let fast_ba = s.log2_odds(&pb, &pa, ctx);
        let explained = s.score(&pa, &pb, ctx).log2_odds;
        for (what, v) in [
            ("reference", reference),
            ("fast (unprepared)", fast_unprepared),
            ("fast", fast),
            ("fast, reversed", fast_ba),
            ("explained", explained),
        ] {
            if (v - frozen).abs() > 1e-9 {
                return Err(format!(
                    "{what} {v} != frozen {frozen} for {:?} / {:?}",
                    a.names
                        .iter()
                        .map(|n| &n.analyzed.original)
                        .collect::<Vec<_>>(),
                    b.names
                        .iter()
                        .map(|n| &n.analyzed.original)
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    // `score` explains with the alignment its outcome kept; `explain` aligns the winning
    // combination again: the same explanation, term for term
    for ctx in [Context::Pairs, Context::Screening] {
        let kept = s.score(&pa, &pb, ctx);
        let again = s.explain(&pa, &pb, &s.outcome(&pa, &pb), ctx);
        if kept != again {
            return Err(format!(
                "score {:?} != explain {:?}",
                kept.explanation.compact(),
                again.explanation.compact()
            ));
        }
    }
    let (fast, reference) = (s.outcome(&pa, &pb), s.outcome_reference(a, b));
    if fast.name != reference.name || fast.dob != reference.dob {
        return Err(format!("outcomes differ: {fast:?} vs {reference:?}"));
    }
    Ok(())
}

#[test]
fn fast_path_equals_reference_on_the_pairs_file() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/names/pairs_sdn_un.csv");
    let Ok(mut r) = csv::Reader::from_path(&path) else {
        eprintln!("note: {} not found; skipping", path.display());
        return;
    };
    let mut n = 0;
    for (i, rec) in r.records().enumerate() {
        let rec = rec.expect("pairs file row");
        let dob = |k: usize| {
            PartialDate::ymd(
                1950 + (k % 50) as i16,
                1 + (k % 12) as u8,
                1 + (k % 28) as u8,
            )
            .ok()
        };
        let a = Identity::from_parts(&rec[3], dob(i), Country::from_alpha2("UZ"), Sex::Male);
        let b = Identity::from_parts(&rec[4], dob(i / 2), Country::from_alpha2("AF"), Sex::Male);
        if let Err(e) = check(&a, &b) {
            panic!("row {}: {e}", i + 2);
        }
        n += 1;
    }
    assert!(n > 20_000, "{n} pairs");
}

#[test]
fn a_table_change_invalidates_preparations() {
    let s = scorer();
    let mut tf = s.tf().clone();
    let mut a = Identity::from_parts("Abdulla KARIMOV", None, None, Sex::Unknown);
    let b = Identity::from_parts("Abdullah Karimov", None, None, Sex::Unknown);
    s.prepare(&mut a);
    // a preparation made with another table is ignored, not trusted
    for _ in 0..1000 {
        tf.add("karimov");
    }
    a.prepare_tf(&tf);
    let fast = s.log2_odds(&a, &b, Context::Pairs);
    let reference = s.log2_odds_reference(&a, &b, Context::Pairs);
    assert!((fast - reference).abs() < 1e-9, "{fast} vs {reference}");
    // a name added after preparation is compared too
    a.add_name("Abdulla Rustamovich", NameQuality::Strong);
    let fast = s.log2_odds(&a, &b, Context::Pairs);
    let reference = s.log2_odds_reference(&a, &b, Context::Pairs);
    assert!((fast - reference).abs() < 1e-9, "{fast} vs {reference}");
}

/// The batch entry point gives the pair-by-pair fast-path values, bit for bit, in order (groups
/// of every size, prepared and unprepared identities, several names each).
#[test]
fn many_pairs_at_once_equal_one_by_one() {
    let s = scorer();
    let names = [
        "Abdulla KARIMOV",
        "Abdullah Karimov",
        "Muammar QADHAFI",
        "Muammar GADDAFI",
        "Шавкат Мирзиёев",
        "Shavkat MIRZIYOYEV",
        "Olga Petrova",
        "Ivan Petrov",
        "Shams ur-Rahman",
        "Shamsurrahman",
        "محمد جمال",
    ];
    let mut ids: Vec<Identity> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut id = Identity::from_parts(
                n,
                PartialDate::ymd(1960 + i as i16, 3, 7).ok(),
                Country::from_alpha2(["UZ", "AF", "RU"][i % 3]),
                Sex::Male,
            );
            if i % 3 == 0 {
                id.add_name(names[(i + 5) % names.len()], NameQuality::Weak);
            }
            if i % 4 != 1 {
                s.prepare(&mut id);
            }
            id
        })
        .collect();
    ids.push(Identity::default());
    let pairs: Vec<(&Identity, &Identity)> = ids
        .iter()
        .flat_map(|a| ids.iter().map(move |b| (a, b)))
        .collect();
    assert!(pairs.len() > 2 * linkwatch_matching::score::AHEAD_IDENTITY);
    let mut out = vec![1.0; 3];
    for ctx in [Context::Pairs, Context::Screening] {
        for len in [0, 1, 7, 8, 9, pairs.len()] {
            s.log2_odds_many(&pairs[..len], ctx, &mut out);
            assert_eq!(out.len(), len);
            for (k, (a, b)) in pairs[..len].iter().enumerate() {
                assert_eq!(
                    out[k].to_bits(),
                    s.log2_odds(a, b, ctx).to_bits(),
                    "pair {k}"
                );
            }
            // the outcomes themselves (Debug prints every float to the last bit)
            let mut outcomes = Vec::new();
            s.outcome_many(&pairs[..len], &mut outcomes);
            assert_eq!(outcomes.len(), len);
            for (k, (a, b)) in pairs[..len].iter().enumerate() {
                assert_eq!(
                    format!("{:?}", outcomes[k]),
                    format!("{:?}", s.outcome(a, b)),
                    "pair {k}"
                );
            }
        }
    }
}

// ---- generated identities -----------------------------------------------------------------

fn part() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Abdulla",
        "Abdullah",
        "Karimov",
        "KARIMOV",
        "Karimova",
        "Muhammad",
        "Mohammed",
        "Mukhammad",
        "Magomed",
        "Rustam",
        "Rustamovich",
        "Shavkat",
        "Mirziyoyev",
        "Ali",
        "al-Rahman",
        "Abdurrahman",
        "Abd",
        "Rahman",
        "Shams",
        "ur",
        "Shamsurrahman",
        "Olga",
        "Petrova",
        "Ivanov",
        "Jose",
        "GARCIA",
        "Lopez",
        "bin",
        "ibn",
        "Usmonov",
        "O'g'li",
        "qizi",
        "A.",
        "M",
        "Kim",
        "Yong",
        "Chol",
        "Gul",
        "Agha",
        "ISHAKZAI",
        "Ахмед",
        "Каримов",
        "Абдулла",
        "Шавкат",
        "Мирзиёев",
        "محمد",
        "علي",
        "عبد",
        "الرحمن",
        "اسحاقزی",
        "كُل",
        "آغا",
        "Şükrü",
        "Öz",
        "金",
    ])
}

fn name() -> impl Strategy<Value = String> {
    (prop::collection::vec(part(), 1..6), any::<bool>()).prop_map(|(v, comma)| {
        if comma && v.len() > 1 {
            format!("{}, {}", v[0], v[1..].join(" "))
        } else {
            v.join(" ")
        }
    })
}

fn date() -> impl Strategy<Value = DateSpec> {
    prop_oneof![
        (1950i16..1960, 1u8..=12, 1u8..=28)
            .prop_filter_map("date", |(y, m, d)| PartialDate::ymd(y, m, d).ok())
            .prop_map(DateSpec::Date),
        (1950i16..1960, 1u8..=12)
            .prop_filter_map("month", |(y, m)| PartialDate::parse(&format!("{y}-{m:02}"))
                .ok())
            .prop_map(DateSpec::Date),
        (1950i16..1960).prop_map(|y| DateSpec::Date(PartialDate::year(y))),
        (1950i16..1960).prop_map(|y| DateSpec::Date(PartialDate::ymd(y, 1, 1).expect("jan 1"))),
        (1950i16..1960)
            .prop_filter_map("circa", |y| PartialDate::parse(&format!("circa {y}")).ok())
            .prop_map(DateSpec::Date),
        (1950i16..1958, 1i16..4).prop_map(|(y, d)| DateSpec::Range {
            from: PartialDate::year(y),
            to: PartialDate::year(y + d),
        }),
    ]
}

fn identity() -> impl Strategy<Value = Identity> {
    (
        prop::collection::vec((name(), any::<bool>()), 1..4),
        prop::collection::vec(date(), 0..3),
        prop::collection::vec(prop::sample::select(vec!["UZ", "RU", "AF", "TJ"]), 0..3),
        prop::collection::vec(
            prop::sample::select(vec!["tashkent", "kabul", "tashkent uzbekistan"]),
            0..2,
        ),
        prop::sample::select(vec![Sex::Unknown, Sex::Male, Sex::Female]),
        prop::collection::vec(
            prop::sample::select(vec![
                "AB1234567",
                "AB1234576",
                "AB1234568",
                "XY99",
                "CD7654321",
            ]),
            0..3,
        ),
        prop::option::of(prop::sample::select(vec!["FIN-1", "FIN-2"])),
        prop::collection::vec(
            prop::sample::select(vec!["+998901234567", "+93700000000"]),
            0..2,
        ),
        prop::collection::vec(
            prop::sample::select(vec!["a@example.org", "b@example.org"]),
            0..2,
        ),
    )
        .prop_map(
            |(names, dobs, nats, pobs, sex, docs, fin, phones, emails)| {
                let e = WatchlistEntry {
                    kind: EntityKind::Person,
                    names: names
                        .iter()
                        .map(|(n, weak)| Name {
                            full: n.clone(),
                            quality: if *weak {
                                NameQuality::Weak
                            } else {
                                NameQuality::Strong
                            },
                            ..Default::default()
                        })
                        .collect(),
                    sex,
                    dobs,
                    nationalities: nats
                        .iter()
                        .filter_map(|c| Country::from_alpha2(c))
                        .collect(),
                    places_of_birth: pobs.iter().map(|p| p.to_string()).collect(),
                    ..Default::default()
                };
                let mut id = Identity::from_entry(&e);
                id.documents = docs
                    .iter()
                    .enumerate()
                    .map(|(i, d)| {
                        (
                            if i % 2 == 0 {
                                DocumentKind::Passport
                            } else {
                                DocumentKind::NationalId
                            },
                            d.to_string(),
                        )
                    })
                    .collect();
                id.fingerprint_id = fin.map(str::to_string);
                id.phones = phones.iter().map(|p| p.to_string()).collect();
                id.emails = emails.iter().map(|p| p.to_string()).collect();
                id
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn fast_path_equals_reference_on_generated_identities(a in identity(), b in identity()) {
        if let Err(e) = check(&a, &b) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// The scorer reads the whole `IdName` of both sides of every pair (analysed name, masks,
/// preparation header, inline rarities): its size is memory traffic per pair. Session 6 cut it
/// from 416 bytes (dead per-name frequency vector, six inline rarities, vector headers) to 336;
/// session 7 to five whole cache lines (rarities as `-log2` only, cache-line aligned, so that no
/// element of a `Vec` straddles a sixth or seventh line); a field added here costs every pair.
#[test]
fn id_name_stays_compact() {
    let size = std::mem::size_of::<IdName>();
    eprintln!("IdName: {size} bytes");
    assert!(size <= 320, "IdName grew to {size} bytes");
    assert_eq!(
        std::mem::align_of::<IdName>(),
        64,
        "IdName is cache-line aligned"
    );
}
