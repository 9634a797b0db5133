//! Bulk screening ([`BatchScreener`]) returns, for every query, exactly the hits of screening
//! that query alone with [`Screener::screen`] (same entries, scores, explanations and order),
//! in input order, on a generated world with namesakes, repeated queries (identical names,
//! same or near dates of birth), several scripts, documents and contacts; its order is a
//! permutation of the queries.

use linkwatch_matching::batch::{locality_key, BatchScreener};
use linkwatch_matching::index::{CandidateIndex, IndexConfig};
use linkwatch_matching::screen::{ScreenOptions, Screener};
use linkwatch_matching::{Context, Identity, Scorer};
use linkwatch_model::{Country, DocumentKind, PartialDate, Sex};
use rand::{Rng, SeedableRng};

const GIVEN: &[&str] = &[
    "Abdulla",
    "Abdullah",
    "Абдулла",
    "عبدالله",
    "Muhammad",
    "Mohammed",
    "Мухаммад",
    "Juan",
    "Jose",
    "María",
    "Jean",
    "Pierre",
    "Olga",
    "Rustam",
    "Shams ur-Rahman",
    "A.",
];
const FAMILY: &[&str] = &[
    "Karimov",
    "Каримов",
    "Karimova",
    "Rahimi",
    "رحیمی",
    "Garcia",
    "García",
    "Saint-Louis",
    "Jean",
    "Petrova",
    "Abdurrahman",
    "Loera",
];

fn identity(rng: &mut impl Rng) -> Identity {
    let n = rng.gen_range(1..=3);
    let mut parts: Vec<&str> = (0..n - 1)
        .map(|_| GIVEN[rng.gen_range(0..GIVEN.len())])
        .collect();
    parts.push(FAMILY[rng.gen_range(0..FAMILY.len())]);
    let dob = if rng.gen_bool(0.8) {
        PartialDate::ymd(
            rng.gen_range(1970..1976),
            rng.gen_range(1..=2),
            rng.gen_range(1..=3),
        )
        .ok()
    } else {
        None
    };
    let country = Country::from_alpha2(["UZ", "RU", "MX", "HT"][rng.gen_range(0..4)]);
    let sex = [Sex::Unknown, Sex::Male, Sex::Female][rng.gen_range(0..3)];
    let mut id = Identity::from_parts(&parts.join(" "), dob, country, sex);
    if rng.gen_bool(0.2) {
        id.documents.push((
            DocumentKind::Passport,
            format!("FA6756{}", rng.gen_range(0..30)),
        ));
    }
    if rng.gen_bool(0.1) {
        id.phones.push(format!("+99899{}", rng.gen_range(0..20)));
    }
    id
}

#[test]
fn batch_screening_equals_one_query_at_a_time() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let scorer = Scorer::default();
    let mut ix: CandidateIndex<u32> = CandidateIndex::new(IndexConfig::default());
    ix.insert_many(
        (0..3_000)
            .map(|i| {
                let mut id = identity(&mut rng);
                scorer.prepare(&mut id);
                (i, id)
            })
            .collect(),
    );
    let mut queries: Vec<Identity> = (0..600)
        .map(|_| {
            let mut q = identity(&mut rng);
            scorer.prepare(&mut q);
            q
        })
        .collect();
    // Repeat encounters: the same identity again, and the same names with another date.
    for k in (0..600).step_by(7) {
        let mut again = queries[k].clone();
        queries.push(again.clone());
        again.dobs.clear();
        queries.push(again);
    }
    let mut total = 0;
    for threshold in [0.5, 0.1] {
        let opts = ScreenOptions {
            threshold,
            max_hits: 5,
            context: Context::Screening,
            prior_adjust: -1.0,
        };
        let s = Screener::new(&ix, &scorer, &opts);
        let one: Vec<_> = queries.iter().map(|q| s.screen(q)).collect();
        let batch = BatchScreener::new(&s, scorer.tf());
        let mut order = batch.order(&queries);
        let keys: Vec<_> = order
            .iter()
            .map(|&i| locality_key(&queries[i as usize], scorer.tf()))
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] <= w[1]),
            "not in locality order"
        );
        order.sort_unstable();
        assert!(order.iter().enumerate().all(|(i, &o)| i as u32 == o));
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let all = batch.screen_with(&queries, |i, h| {
            assert_eq!(h, one[i].as_slice());
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        assert_eq!(calls.into_inner(), queries.len());
        assert_eq!(all, one, "threshold {threshold}");
        assert_eq!(
            BatchScreener::new(&s, scorer.tf())
                .in_input_order()
                .screen(&queries),
            one
        );
        total += one.iter().map(Vec::len).sum::<usize>();
    }
    assert!(total > 200, "too few hits to compare: {total}");
}
