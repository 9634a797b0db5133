//! The screening bound is admissible: on generated identity pairs the full score never exceeds
//! the bound, "no name evidence possible" never meets a pair with name evidence, and screening
//! with pruning returns exactly the hits of scoring every candidate, on a generated world
//! (several scripts, spelling variants, segmentation joins, initials, partial and ranged dates,
//! documents one edit apart, biometrics, contacts, places of birth).

use linkwatch_matching::bound::{
    name_evidence_possible, Bounds, CompactMemo, ExactMemo, NameMemo, Packed, QueryNames, SlotInfo,
};
use linkwatch_matching::index::{CandidateIndex, IndexConfig};
use linkwatch_matching::screen::{
    has_identity_evidence, screen_one_unpruned, ScreenOptions, ScreenStats, Screener,
};
use linkwatch_matching::{Context, Identity, Scorer};
use linkwatch_model::{Country, DateSpec, DocumentKind, NameQuality, PartialDate, Sex};
use rand::{Rng, SeedableRng};

const GIVEN: &[&str] = &[
    "Abdulla",
    "Abdullah",
    "Абдулла",
    "عبدالله",
    "Muhammad",
    "Mohammed",
    "Мухаммад",
    "محمد",
    "Juan",
    "Juana",
    "Maria",
    "María",
    "Jose",
    "José",
    "Olga",
    "Ольга",
    "Shams",
    "Abdul",
    "Abu",
    "Rahman",
    "Ali",
    "Ala",
    "Eva",
    "Ana",
    "Kim",
    "Yong",
    "Chol",
    "Bakhtiyor",
    "Baxtiyor",
    "J.",
    "R.",
    "Gul",
    "Agha",
    "Usama",
    "Osama",
    "Hassan",
    "Husein",
    "Ivan",
    "Иван",
    "Fatima",
];
const FAMILY: &[&str] = &[
    "Karimov",
    "Каримов",
    "Karimova",
    "Garcia",
    "García",
    "Garsia",
    "Lopez",
    "López",
    "Loera",
    "Guzman",
    "Guman",
    "Petrova",
    "Петрова",
    "Qaddafi",
    "Gaddafi",
    "القذافي",
    "Shamsurrahman",
    "Abdurrahman",
    "Abubakr",
    "Bakr",
    "Ishakzai",
    "اسحاقزی",
    "Mirziyoyev",
    "Мирзиёев",
    "Hernandez",
    "Fernandez",
    "Al-Nuaymi",
    "Mahfouz",
    "Mahfuz",
    "Ermakova",
    "Ермакова",
    "Dorvil",
    "Cano",
    "Duarte",
    "Lee",
    "Li",
    "O'Brien",
    "Obrien",
    "Zhang",
    "Nguyen",
];
const COUNTRIES: &[&str] = &["UZ", "RU", "MX", "SY", "CU", "AF", "KP", "US"];
const PLACES: &[&str] = &[
    "tashkent",
    "tashkent uzbekistan",
    "havana",
    "kabul",
    "moscow",
    "",
];

fn name(rng: &mut impl Rng) -> String {
    let n = rng.gen_range(1..=4);
    let mut parts: Vec<&str> = Vec::new();
    for k in 0..n {
        let pool = if k + 1 == n && n > 1 { FAMILY } else { GIVEN };
        parts.push(pool[rng.gen_range(0..pool.len())]);
    }
    let mut owned: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    if rng.gen_bool(0.3) {
        // A typo: one letter replaced, doubled or dropped.
        let k = rng.gen_range(0..owned.len());
        let mut c: Vec<char> = owned[k].chars().collect();
        if c.len() > 3 {
            let i = rng.gen_range(1..c.len());
            match rng.gen_range(0..3) {
                0 => c[i] = ['a', 'e', 'o', 'h', 'y'][rng.gen_range(0..5)],
                1 => c.insert(i, c[i]),
                _ => {
                    c.remove(i);
                }
            }
            owned[k] = c.into_iter().collect();
        }
    }
    let parts: Vec<&str> = owned.iter().map(String::as_str).collect();
    let s = parts.join(" ");
    match rng.gen_range(0..4) {
        0 if n > 1 => {
            // "FAMILY, Given"
            let last = parts[n - 1].to_uppercase();
            format!("{last}, {}", parts[..n - 1].join(" "))
        }
        1 => s.replace(' ', if rng.gen_bool(0.5) { "" } else { "-" }),
        _ => s,
    }
}

fn date(rng: &mut impl Rng) -> Option<DateSpec> {
    let y: i16 = rng.gen_range(1975..1985);
    let d = match rng.gen_range(0..6) {
        0 => PartialDate::parse(&y.to_string()).ok()?,
        1 => PartialDate::parse(&format!("circa {y}")).ok()?,
        2 => PartialDate::parse(&format!("{y}-01-01")).ok()?,
        3 => {
            let from = PartialDate::parse(&y.to_string()).ok()?;
            let to = PartialDate::parse(&(y + 2).to_string()).ok()?;
            return Some(DateSpec::Range { from, to });
        }
        _ => PartialDate::ymd(y, rng.gen_range(1..=3), rng.gen_range(1..=3)).ok()?,
    };
    Some(DateSpec::Date(d))
}

fn identity(rng: &mut impl Rng) -> Identity {
    let mut id = Identity::from_parts(&name(rng), None, None, Sex::Unknown);
    for _ in 0..rng.gen_range(0..3) {
        let q = if rng.gen_bool(0.2) {
            NameQuality::Weak
        } else {
            NameQuality::Strong
        };
        id.add_name(&name(rng), q);
    }
    id.sex = [Sex::Unknown, Sex::Male, Sex::Female][rng.gen_range(0..3)];
    for _ in 0..rng.gen_range(0..4) {
        if let Some(d) = date(rng) {
            id.dobs.push(d);
        }
    }
    for _ in 0..rng.gen_range(0..5) {
        if let Some(c) = Country::from_alpha2(COUNTRIES[rng.gen_range(0..COUNTRIES.len())]) {
            id.nationalities.push(c);
        }
    }
    if rng.gen_bool(0.3) {
        id.places_of_birth
            .push(PLACES[rng.gen_range(0..PLACES.len())].to_string());
    }
    if rng.gen_bool(0.3) {
        let kind = if rng.gen_bool(0.7) {
            DocumentKind::Passport
        } else {
            DocumentKind::NationalId
        };
        let base = ["FA675671", "FA675617", "FA67567", "AB1234", "N0"][rng.gen_range(0..5)];
        id.documents
            .push((kind, format!("{base}{}", rng.gen_range(0..3))));
    }
    if rng.gen_bool(0.2) {
        id.fingerprint_id = Some(format!("FIN{}", rng.gen_range(0..4)));
    }
    if rng.gen_bool(0.2) {
        id.phones.push(format!("+99899{}", rng.gen_range(0..4)));
    }
    if rng.gen_bool(0.1) {
        id.emails
            .push(format!("x{}@example.org", rng.gen_range(0..3)));
    }
    id
}

#[test]
fn bound_is_admissible_on_generated_pairs() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let scorer = Scorer::default();
    let b = Bounds::new(&scorer);
    let mut with_evidence = 0;
    let mut outside_window = 0;
    for i in 0..(std::env::var("BOUND_PAIRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4_000))
    {
        let mut q = identity(&mut rng);
        let mut c = identity(&mut rng);
        if i % 2 == 0 {
            scorer.prepare(&mut q);
            scorer.prepare(&mut c);
        }
        let o = scorer.outcome(&q, &c);
        let l = scorer.log2_odds_of(&o, Context::Screening);
        let nb = b.non_name(
            &q,
            &SlotInfo::of(&q),
            &SlotInfo::of(&c),
            || Some(&c),
            None,
            true,
        );
        let ub = b.prior(Context::Screening) + b.name_max(&q) + nb.log2_odds;
        // The coarse bound (packed summaries, read while scanning postings) is admissible too.
        let qb = b.query(&q, Context::Screening, 0.0, 0.0);
        let coarse = qb.coarse(Packed::of(&c), true);
        // The birth-year windows: a candidate whose year key is outside the first has a
        // coarse bound (hence a score) below the threshold; outside the second, a score below
        // it unless it shares a document, biometric id or contact (also with a large list's
        // prior adjustment).
        let shares = o.document.is_some_and(|d| d.code <= 1)
            || o.biometric.is_some_and(|x| x.level == "same")
            || o.contact.is_some_and(|x| x.level == "same");
        for adjust in [0.0, -3.0, -6.0] {
            let qb = b.query(&q, Context::Screening, adjust, 0.0);
            let k = Packed::of(&c).year_key();
            let [any, unshared] = qb.year_windows();
            if let Some((lo, hi)) = any {
                if k != 0 && !(lo..=hi).contains(&k) {
                    outside_window += 1;
                    let coarse = qb.coarse(Packed::of(&c), true);
                    assert!(
                        coarse < 0.0 && l + adjust < 0.0,
                        "year key {k} outside {lo}..={hi} but coarse {coarse}, score {l}: {:?} / {:?}",
                        q.dobs,
                        c.dobs
                    );
                }
            }
            if let Some((lo, hi)) = unshared {
                if k != 0 && !(lo..=hi).contains(&k) && !shares {
                    outside_window += 1;
                    assert!(
                        l + adjust < 0.0,
                        "year key {k} outside {lo}..={hi} (nothing shared) but score {l}: {:?} / {:?}",
                        q.dobs,
                        c.dobs
                    );
                }
            }
        }
        assert!(
            l <= coarse + 1e-9,
            "score {l} above coarse bound {coarse}: {:?} {:?} / {:?} {:?} / {:?} {:?}",
            q.dobs,
            c.dobs,
            q.nationalities,
            c.nationalities,
            q.sex,
            c.sex
        );
        let names = |x: &Identity| {
            x.names
                .iter()
                .map(|n| n.analyzed.original.clone())
                .collect::<Vec<_>>()
        };
        assert!(
            l <= ub + 1e-9,
            "score {l} above bound {ub}: {:?} ~ {:?}",
            names(&q),
            names(&c)
        );
        // The per-pair name bound, and its evidence flag.
        let (nub, nev) = b.name_bound(&q, &c);
        let ub2 = b.prior(Context::Screening) + nub.max(0.0) + nb.log2_odds;
        assert!(
            l <= ub2 + 1e-6,
            "score {l} above pair bound {ub2} (name {:?} vs bound {nub}): {:?} ~ {:?}",
            o.name.map(|n| (n.bits, n.features.level())),
            names(&q),
            names(&c)
        );
        if let Some(n) = o.name {
            assert!(
                n.bits <= nub + 1e-6,
                "name bits {} above name bound {nub} ({}): {:?} ~ {:?}",
                n.bits,
                n.features.level(),
                names(&q),
                names(&c)
            );
            if n.features.strong > 0 || n.features.skeleton > 0.0 {
                assert!(
                    nev,
                    "pair-bound evidence missed: {:?} ~ {:?}",
                    names(&q),
                    names(&c)
                );
            }
        }
        if let Some(n) = o.name {
            if n.features.strong > 0 || n.features.skeleton > 0.0 {
                with_evidence += 1;
                assert!(
                    name_evidence_possible(&q, &c),
                    "name evidence missed: {:?} ~ {:?}",
                    names(&q),
                    names(&c)
                );
            }
        }
        if has_identity_evidence(&o)
            && !o.name.is_some_and(|n| {
                n.bits > 0.0 && (n.features.strong > 0 || n.features.skeleton > 0.0)
            })
        {
            assert!(nb.identifier_evidence, "identifier evidence missed");
        }
    }
    assert!(
        with_evidence > 200,
        "too few pairs with name evidence: {with_evidence}"
    );
    assert!(
        outside_window > 100,
        "too few pairs outside the year window: {outside_window}"
    );
}

#[test]
fn pruned_screening_equals_unpruned_on_a_generated_world() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let scorer = Scorer::default();
    let config = IndexConfig {
        stop_cap: 400,
        fuzzy_cap: 200,
        hard_cap: 2_000,
    };
    let mut ix: CandidateIndex<u32> = CandidateIndex::new(config);
    // The same world with posting lists ordered by birth year only up to 60 postings (longer
    // ones in insertion order, read whole; removals bring some back under the limit).
    let mut short: CandidateIndex<u32> = CandidateIndex::with_ordered_max(config, 60);
    let items: Vec<(u32, Identity)> = (0..2_500)
        .map(|i| {
            let mut id = identity(&mut rng);
            scorer.prepare(&mut id);
            (i, id)
        })
        .collect();
    ix.insert_many(items.clone());
    short.insert_many(items);
    // Removal and reuse of slots keep the summaries in step.
    for k in 0..50 {
        ix.remove(&(k * 7));
        short.remove(&(k * 7));
    }
    for k in 0..20 {
        let mut id = identity(&mut rng);
        scorer.prepare(&mut id);
        ix.insert(10_000 + k, id.clone());
        short.insert(10_000 + k, id);
    }
    let queries: Vec<Identity> = (0..160)
        .map(|_| {
            let mut q = identity(&mut rng);
            scorer.prepare(&mut q);
            q
        })
        .collect();
    let mut total_hits = 0;
    let mut pruned = 0;
    let mut memo_hits = 0;
    let mut by_rank = 0;
    let mut exact_pruned = 0;
    let mut year_skipped = 0;
    for (threshold, adjust, max_hits) in [
        (0.5, 0.0, 0),
        (0.05, 0.0, 0),
        (0.5, -4.0, 0),
        (0.9, 2.0, 0),
        // A cap on hits: best bound first, stop once the cap's worst hit beats every bound left.
        (0.05, 0.0, 2),
        (0.5, 2.0, 1),
    ] {
        let opts = ScreenOptions {
            threshold,
            max_hits,
            context: Context::Screening,
            prior_adjust: adjust,
        };
        let s = Screener::new(&ix, &scorer, &opts);
        let no_read_ahead = Screener::new(&ix, &scorer, &opts).without_read_ahead();
        let analysed = Screener::new(&ix, &scorer, &opts).with_analysed_names();
        let no_exact = Screener::new(&ix, &scorer, &opts).without_exact_names();
        let no_window = Screener::new(&ix, &scorer, &opts).without_year_window();
        let on_short = Screener::new(&short, &scorer, &opts);
        for q in &queries {
            let (fast, st) = s.screen_with_stats(q);
            let slow = screen_one_unpruned(&ix, &scorer, q, &opts);
            assert_eq!(
                fast, slow,
                "threshold {threshold}, adjust {adjust}, max_hits {max_hits}"
            );
            year_skipped += st.year_skipped;
            // Reading every year: the same hits, from at least as many candidates.
            let (h, st4) = no_window.screen_with_stats(q);
            assert_eq!(h, fast);
            assert_eq!(st4.year_skipped, 0);
            assert!(st4.candidates - st4.pruned_in_scan >= st.candidates - st.pruned_in_scan);
            assert_eq!(on_short.screen(q), fast);
            by_rank += st.pruned_by_rank;
            assert_eq!(no_read_ahead.screen_with_stats(q), (fast.clone(), st));
            // Session 4's name bound from the analysed names: same hits, same pruning (the
            // exact name stage then computes every name's term, not only those the per-name
            // pair bounds leave).
            let (h, st2) = analysed.screen_with_stats(q);
            assert_eq!(h, fast);
            let memo_free = |s: ScreenStats| ScreenStats {
                name_memo_hits: 0,
                exact_names: 0,
                exact_name_memo_hits: 0,
                ..s
            };
            assert_eq!(memo_free(st2), memo_free(st));
            // Without the exact name stage: same hits, everything it dropped is scored.
            let (h, st3) = no_exact.screen_with_stats(q);
            assert_eq!(h, fast);
            assert_eq!(st3.pruned_by_exact_name, 0);
            if max_hits == 0 {
                assert_eq!(st3.scored, st.scored + st.pruned_by_exact_name);
            }
            total_hits += fast.len();
            pruned += st.pruned_by_bound + st.pruned_by_evidence;
            memo_hits += st.name_memo_hits;
            exact_pruned += st.pruned_by_exact_name;
        }
    }
    assert!(total_hits > 100, "too few hits to compare: {total_hits}");
    assert!(memo_hits > 0, "the name-bound memo was never used");
    assert!(by_rank > 0, "the cap on hits never stopped scoring early");
    assert!(pruned > 0, "nothing pruned");
    assert!(
        exact_pruned > 0,
        "the exact name term never dropped a candidate"
    );
    assert!(
        year_skipped > 0,
        "the birth-year window never skipped a posting"
    );
}

#[test]
fn exact_name_term_per_candidate_name_equals_the_scorers() {
    // The scorer's name term of a pair is the largest exact term over the candidate's names,
    // bit for bit, and a pair with name evidence has a name whose term says so.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(23);
    let scorer = Scorer::default();
    let b = Bounds::new(&scorer);
    let mut memo = ExactMemo::default();
    let mut compared = 0;
    for i in 0..3_000 {
        let mut q = identity(&mut rng);
        let mut c = identity(&mut rng);
        if i % 3 != 0 {
            scorer.prepare(&mut q);
        }
        if i % 2 == 0 {
            scorer.prepare(&mut c);
        }
        let o = scorer.outcome(&q, &c);
        memo.clear();
        let (mut best, mut evidence) = (f64::NEG_INFINITY, false);
        // Twice over: the second pass is answered from the memo, with the same values.
        for pass in 0..2 {
            for (j, n) in c.names.iter().enumerate() {
                let (bits, e) =
                    b.exact_name_memo(&q, scorer.tf(), 7, j as u32, n, &mut memo, |s, k| {
                        assert_eq!(s, 7);
                        c.names.get(k as usize)
                    });
                if pass == 0 {
                    best = best.max(bits);
                    evidence |= e;
                }
            }
        }
        assert!(memo.computed <= c.names.len());
        assert!(
            memo.hits >= c.names.len(),
            "the memo answered the second pass"
        );
        match o.name {
            Some(n) => {
                compared += 1;
                assert_eq!(
                    best.to_bits(),
                    n.bits.to_bits(),
                    "exact {best} vs scorer {}",
                    n.bits
                );
                if n.bits > 0.0 && (n.features.strong > 0 || n.features.skeleton > 0.0) {
                    assert!(evidence, "name evidence missed");
                }
            }
            None => assert!(q.names.is_empty() || c.names.is_empty() || best == f64::NEG_INFINITY),
        }
    }
    assert!(compared > 2_000, "too few pairs with names: {compared}");
}

#[test]
fn memoised_name_bound_equals_the_pair_bound() {
    // One query against many candidates that repeat each other's names (namesakes, as common
    // names give at 1 M entries): the memo answers the repeats with exactly the pair bound.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
    let scorer = Scorer::default();
    let b = Bounds::new(&scorer);
    let mut memo = NameMemo::default();
    for _ in 0..40 {
        let q = identity(&mut rng);
        memo.clear();
        let pool: Vec<Identity> = (0..12).map(|_| identity(&mut rng)).collect();
        for k in 0..60 {
            let mut c = pool[k % pool.len()].clone();
            // A namesake: same names, other attributes.
            c.dobs.clear();
            if k % 3 == 0 {
                scorer.prepare(&mut c);
            }
            let direct = b.name_bound(&q, &c);
            let memoised = b.name_bound_memo(&q, &c, &mut memo);
            assert_eq!(direct.1, memoised.1);
            assert!(
                direct.0 == memoised.0 || (direct.0.is_nan() && memoised.0.is_nan()),
                "memo {memoised:?} vs pair bound {direct:?}"
            );
        }
        assert!(memo.hits > 0);
    }
}

#[test]
fn compact_name_bound_equals_the_pair_bound() {
    // The index's interned names and tokens give exactly the pair bound of the analysed names,
    // for every query against every slot (namesakes, removals and reused slots included).
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(23);
    let scorer = Scorer::default();
    let b = Bounds::new(&scorer);
    let mut ix: CandidateIndex<u32> = CandidateIndex::default();
    let pool: Vec<Identity> = (0..300).map(|_| identity(&mut rng)).collect();
    let items: Vec<(u32, Identity)> = (0..600u32)
        .map(|i| {
            // Every other record a namesake of a pool identity (same names, other fields).
            let id = if i % 2 == 0 {
                let mut c = pool[rng.gen_range(0..pool.len())].clone();
                c.dobs.clear();
                c
            } else {
                identity(&mut rng)
            };
            (i, id)
        })
        .collect();
    ix.insert_many(items);
    for k in 0..60 {
        ix.remove(&(k * 9));
    }
    for k in 0..40 {
        ix.insert(1_000 + k, pool[k as usize].clone());
    }
    let (names, tokens) = ix.interned();
    assert!(names > 0 && tokens > 0);
    let mut memo = CompactMemo::default();
    let mut hits = 0;
    for _ in 0..60 {
        let q = identity(&mut rng);
        let Some(qn) = QueryNames::new(&q) else {
            continue;
        };
        memo.clear();
        for slot in 0..(ix.len() + 100) as u32 {
            let Some((_, c)) = ix.slot(slot) else {
                assert!(ix.name_ids(slot).is_empty());
                continue;
            };
            let direct = b.name_bound(&q, c);
            let compact = b.name_bound_ids(
                &qn,
                &q,
                ix.name_ids(slot),
                &mut memo,
                |n| ix.name_words(n),
                |t| ix.token(t),
            );
            assert_eq!(direct.1, compact.1);
            assert!(
                direct.0 == compact.0,
                "compact {compact:?} vs pair bound {direct:?}: {:?} ~ {:?}",
                q.names
                    .iter()
                    .map(|n| &n.analyzed.original)
                    .collect::<Vec<_>>(),
                c.names
                    .iter()
                    .map(|n| &n.analyzed.original)
                    .collect::<Vec<_>>()
            );
        }
        hits += memo.hits;
    }
    assert!(hits > 0, "the compact memo was never used");
    // Removing everything gives every interned name and token back.
    for k in 0..600u32 {
        ix.remove(&k);
    }
    for k in 0..40 {
        ix.remove(&(1_000 + k));
    }
    assert_eq!(ix.interned(), (0, 0));
}

/// The premise of list-level pruning ("essential lists", see `examples/screen_bench.rs`,
/// `BENCH_ESSENTIAL=1`): when a query token agrees with a candidate token exactly, by
/// equivalence, phonetically or on a skeleton (the kinds that make name evidence), the two
/// share a strong name key of that query token's group (`KeyKind::cap_class` 0: token,
/// phonetic, skeleton, raw skeleton, loose, group; or a join key it takes part in), unless the
/// query token is one that can agree without a key (`keyless_agreement_mask`). Checked on
/// generated name pairs against a one-record index, so the index's real keys are tested.
/// Known exception, counted and not asserted: a token aligned with two adjacent tokens joined
/// (`joined` pairs) is labelled phonetic whatever its Jaro–Winkler similarity, with no key in
/// common — list-level pruning is not sound while that holds.
#[test]
fn strong_token_agreement_shares_a_strong_key() {
    use linkwatch_matching::bound::keyless_agreement_mask;
    use linkwatch_names::TokenMatchKind as K;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(81);
    let (mut checked, mut joined_keyless) = (0usize, 0usize);
    for _ in 0..1500 {
        let q = identity(&mut rng);
        let c = identity(&mut rng);
        let mut ix: CandidateIndex<u32> = CandidateIndex::new(IndexConfig::default());
        ix.insert(0, c.clone());
        let groups = ix.query_key_groups(&q, None);
        for (ai, a) in q.names.iter().enumerate() {
            let mut shared = 0u64;
            for g in &groups {
                if g.name == ai as u32 && g.kind.cap_class() == 0 && !g.slots.is_empty() {
                    shared |= g.mask;
                }
            }
            let keyless = keyless_agreement_mask(a);
            for b in &c.names {
                let cmp = linkwatch_names::compare(
                    &a.analyzed,
                    &b.analyzed,
                    &linkwatch_names::UniformWeights,
                );
                for p in &cmp.pairs {
                    if !matches!(p.kind, K::Exact | K::Equivalent | K::Phonetic | K::Skeleton) {
                        continue;
                    }
                    let bit = 1u64 << p.a.min(63);
                    if (shared | keyless) & bit != 0 {
                        checked += 1;
                    } else if p.joined {
                        joined_keyless += 1;
                    } else {
                        panic!(
                            "{:?} token {} agrees ({:?}) with {:?} token {} without a shared strong key",
                            a.analyzed.original, p.a, p.kind, b.analyzed.original, p.b
                        );
                    }
                }
            }
        }
    }
    assert!(checked > 500, "{checked}");
    eprintln!("{checked} strong token agreements share a key; {joined_keyless} joined ones do not");
}

/// The key groups the list-level analysis reads (`CandidateIndex::query_key_groups`) are the
/// index's own keys: the same hashes as `index::key_hashes`, every name key attributed to a
/// name and at least one of its tokens, identifiers to none.
#[test]
fn query_key_groups_are_the_index_keys() {
    use linkwatch_matching::index::{key_hashes, KeyKind};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(82);
    let ix: CandidateIndex<u32> = CandidateIndex::new(IndexConfig::default());
    for _ in 0..300 {
        let q = identity(&mut rng);
        let groups = ix.query_key_groups(&q, None);
        let mut a: Vec<u64> = groups.iter().map(|g| g.hash).collect();
        a.sort_unstable();
        a.dedup();
        let b: Vec<u64> = key_hashes(&q).into_iter().map(|k| k.0).collect();
        assert_eq!(a, b);
        for g in &groups {
            let ident = matches!(
                g.kind,
                KeyKind::Dob
                    | KeyKind::Document
                    | KeyKind::DocumentDeletion
                    | KeyKind::Biometric
                    | KeyKind::Contact
            );
            if ident {
                assert_eq!(g.name, u32::MAX, "{g:?}");
            } else {
                assert!((g.name as usize) < q.names.len() && g.mask != 0, "{g:?}");
            }
        }
    }
}
