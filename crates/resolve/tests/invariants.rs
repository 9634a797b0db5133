//! Clustering and incremental-resolution invariants on generated people: stable person ids on
//! re-runs and reordered input, no two fingerprint ids in one person, idempotent incremental
//! resolution, merge proposals for records bridging two persons, quality on a small file.

use linkwatch_resolve::incremental::{Outcome, Resolver};
use linkwatch_resolve::pipeline;
use linkwatch_resolve::synth::{generate_people, PEOPLE_HEADER};
use linkwatch_resolve::{Dataset, Schema};

fn people_schema() -> Schema {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/schemas/people.toml"
    ))
    .expect("schema");
    Schema::from_toml(&text).expect("valid schema")
}

fn dataset(rows: &[linkwatch_resolve::synth::PersonRow]) -> Dataset {
    let mut csv = String::from(PEOPLE_HEADER);
    csv.push('\n');
    for r in rows {
        csv.push_str(&r.csv_line());
        csv.push('\n');
    }
    let mut ds = Dataset::new(people_schema());
    let issues = ds.read_csv(csv.as_bytes(), 0).expect("read");
    assert!(issues.iter().all(|i| !i.skipped));
    ds
}

fn quiet(_: &str, _: u64, _: u64) {}

fn person_ids(ds: &Dataset) -> std::collections::HashMap<String, String> {
    let res = pipeline::run(ds, false, None, None, &quiet).expect("run");
    let c = res.clustering.expect("clusters");
    (0..ds.len())
        .map(|i| {
            (
                ds.ids[i].to_string(),
                ds.ids[c.cluster_of[i] as usize].to_string(),
            )
        })
        .collect()
}

#[test]
fn stable_ids_across_reruns_and_input_order_and_good_quality() {
    let rows = generate_people(6000, 0.1, 11);
    let ds = dataset(&rows);
    let a = person_ids(&ds);
    let b = person_ids(&ds);
    assert_eq!(a, b, "same input, same persons and ids");
    let mut rev = rows.clone();
    rev.reverse();
    let c = person_ids(&dataset(&rev));
    let same = a.iter().filter(|(k, v)| c.get(*k) == Some(v)).count();
    assert!(
        same as f64 >= 0.999 * a.len() as f64,
        "ids stable under reordering: {same}/{}",
        a.len()
    );
    // quality
    let truth: Vec<u32> = rows.iter().map(|r| r.cluster).collect();
    let pred: Vec<&String> = rows.iter().map(|r| &a[&r.unique_id]).collect();
    let (prf, ..) = linkwatch_resolve::metrics::pairwise(&pred, &truth);
    assert!(prf.f1 > 0.85, "{prf:?}");
}

fn fp_schema() -> Schema {
    Schema::from_toml(
        r#"
id = "id"
[[field]]
name = "name"
kind = "full_name"
[[field]]
name = "dob"
kind = "date"
[[field]]
name = "fp"
kind = "biometric"
[blocking]
rules = [["name:sorted_tokens"], ["fp"], ["dob"]]
"#,
    )
    .expect("schema")
}

#[test]
fn incremental_is_idempotent_and_respects_fingerprints() {
    let mut csv = String::from("id,name,dob,fp\n");
    for k in 0..200 {
        csv.push_str(&format!(
            "p{k}a,person{k} family{},19{:02}-0{}-1{},\n",
            k % 17,
            40 + k % 50,
            1 + k % 9,
            k % 10
        ));
        csv.push_str(&format!(
            "p{k}b,person{k} family{},19{:02}-0{}-1{},F{k}\n",
            k % 17,
            40 + k % 50,
            1 + k % 9,
            k % 10
        ));
    }
    let mut ds = Dataset::new(fp_schema());
    ds.read_csv(csv.as_bytes(), 0).expect("read");
    let res = pipeline::run(&ds, false, None, None, &quiet).expect("run");
    let cl = res.clustering.clone().expect("clusters");
    let model = res.model.clone();
    let mut r = Resolver::new(ds, model, Some(&cl)).expect("resolver");
    let before = r.persons().len();
    let mut issues = Vec::new();
    // a new record of person 7 joins it
    let o = r
        .resolve(
            "new1",
            &[Some("person7 family7"), Some("1947-08-17"), None],
            &mut issues,
        )
        .expect("ok");
    assert!(matches!(o, Outcome::Joined { .. }), "{o:?}");
    let pid = o.person().to_string();
    assert_eq!(r.persons().len(), before);
    // resolving it again changes nothing
    let o2 = r
        .resolve(
            "new1",
            &[Some("person7 family7"), Some("1947-08-17"), None],
            &mut issues,
        )
        .expect("ok");
    assert_eq!(
        o2,
        Outcome::AlreadyResolved {
            person: pid.clone()
        }
    );
    assert_eq!(r.persons().len(), before);
    // same name and dob but a different fingerprint: a new person, never the same one
    let o3 = r
        .resolve(
            "new2",
            &[Some("person7 family7"), Some("1947-08-17"), Some("FX")],
            &mut issues,
        )
        .expect("ok");
    assert!(matches!(o3, Outcome::Created { .. }), "{o3:?}");
    for p in r.persons() {
        let fps: std::collections::HashSet<u32> = p
            .members
            .iter()
            .map(|&m| r.dataset().code(m as usize, 2))
            .filter(|&c| c != 0)
            .collect();
        assert!(fps.len() <= 1, "person {} has fingerprints {fps:?}", p.id);
    }
    // a record with person 3's fingerprint joins person 3 whatever its name says
    let o4 = r
        .resolve(
            "new3",
            &[Some("someone else"), None, Some("F3")],
            &mut issues,
        )
        .expect("ok");
    assert_eq!(o4.person(), r.person_of_record("p3a").expect("p3a").id);
    // the evidence of a membership is available and explained
    let ev = r.evidence("new1").expect("evidence");
    assert!(ev.probability >= 0.5);
    let ex = r.explain("new1", "p7a").expect("explanation");
    assert!(ex
        .terms
        .iter()
        .any(|t| t.field == "name" && t.level == "exact"));
}

#[test]
fn bridging_record_proposes_a_merge_instead_of_merging() {
    let schema = Schema::from_toml(
        r#"
id = "id"
[[field]]
name = "first"
kind = "given_name"
[[field]]
name = "last"
kind = "family_name"
[[field]]
name = "dob"
kind = "date"
[[field]]
name = "email"
kind = "email"
[blocking]
rules = [["last"], ["email"]]
"#,
    )
    .expect("schema");
    let mut csv = String::from("id,first,last,dob,email\n");
    for k in 0..300 {
        csv.push_str(&format!(
            "r{k},first{},last{},19{:02}-01-1{},e{k}@x.com\n",
            k % 23,
            k % 40,
            30 + k % 60,
            k % 9
        ));
    }
    // two persons: A (a1,a2) and B (b1,b2) that differ in first name and email
    csv.push_str("a1,zebulon,quartermaine,1981-04-05,zq@x.com\na2,zebulon,quartermaine,1981-04-05,zq@x.com\n");
    csv.push_str(
        "b1,xavier,quartermaine,1981-04-05,xq@y.com\nb2,xavier,quartermaine,1981-04-05,xq@y.com\n",
    );
    let mut ds = Dataset::new(schema);
    ds.read_csv(csv.as_bytes(), 0).expect("read");
    let res = pipeline::run(&ds, false, None, None, &quiet).expect("run");
    let cl = res.clustering.clone().expect("clusters");
    let mut r = Resolver::new(ds, res.model.clone(), Some(&cl)).expect("resolver");
    assert_ne!(
        r.person_of_record("a1").expect("a1").id,
        r.person_of_record("b1").expect("b1").id
    );
    let mut issues = Vec::new();
    // has A's e-mail and B's first name
    let o = r
        .resolve(
            "n",
            &[
                Some("xavier"),
                Some("quartermaine"),
                Some("1981-04-05"),
                Some("zq@x.com"),
            ],
            &mut issues,
        )
        .expect("ok");
    match o {
        Outcome::ProposedMerge { others, .. } => assert_eq!(others.len(), 1),
        other => panic!("expected a merge proposal, got {other:?}"),
    }
    assert_ne!(
        r.person_of_record("a1").expect("a1").id,
        r.person_of_record("b1").expect("b1").id,
        "no automatic merge"
    );
}
