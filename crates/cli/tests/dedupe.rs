//! End-to-end tests of `linkwatch dedupe`, `link` and `resolve` through the real binary in a
//! temporary directory: outputs keep the id column, malformed rows are reported and skipped,
//! the FEBRL schema works on the shared FEBRL files (skipped when the data is absent).

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_linkwatch")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const PEOPLE: &str = "unique_id,first_name,surname,dob,city,postcode,email,cluster
1,Shavkat,Karimov,1985-03-07,Springfield,10001,shavkat.k@mail.ru,a
2,Shovkat,Karimov,1985-03-07,Springfield,10001,,a
3,Karimov,Shavkat,1985-07-03,Springfield,10001,shavkat.k@mail.ru,a
4,Ayse,Yilmaz,1990-11-02,Rivertown,20002,ayse.y@gmail.com,b
5,Ayşe,Yılmaz,1990-11-02,Rivertown,20002,ayse.y@gmail.com,b
6,Maria,Garcia Lopez,1970-01-20,Oakdale,30003,mgl70@yahoo.com,c
7,Maria,Garcia,1970-01-20,Oakdale,30003,mgl70@yahoo.com,c
8,Rahul,Sharma,1992-05-05,Pinecity,40004,,d
9,Priya,Sharma,1994-08-09,Pinecity,40004,,e
10,John,Smith,1960-02-02,Elmton,50005,js60@aol.com,f
this row,is broken
11,Jose,Hernandez,1955-12-12,Ashville,60006,,g
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

fn read_csv(p: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(p)
        .expect("open output");
    r.records()
        .map(|x| x.expect("row").iter().map(|s| s.to_string()).collect())
        .collect()
}

#[test]
fn dedupe_clusters_keeps_ids_and_reports_bad_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = write(dir.path(), "people.csv", PEOPLE);
    let out = dir.path().join("clusters.csv");
    let rejects = dir.path().join("rejects.csv");
    let o = Command::new(bin())
        .args(["--quiet", "dedupe", "--input"])
        .arg(&input)
        .arg("--schema")
        .arg(repo().join("examples/schemas/people.toml"))
        .arg("--output")
        .arg(&out)
        .arg("--rejects")
        .arg(&rejects)
        .arg("--explain")
        .output()
        .expect("run linkwatch");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    // the malformed row is reported with file and line, and skipped
    assert!(stderr.contains("people.csv: line 12"), "{stderr}");
    assert!(stderr.contains("1 rows skipped"), "{stderr}");
    let rows = read_csv(&out);
    assert_eq!(
        rows[0][..2],
        ["unique_id".to_string(), "cluster_id".to_string()]
    );
    assert_eq!(rows.len(), 1 + 11, "every good record is resolved");
    let cid = |id: &str| {
        rows.iter()
            .find(|r| r[0] == id)
            .map(|r| r[1].clone())
            .expect("id present")
    };
    // cluster ids are the smallest member id
    assert_eq!(cid("4"), "4");
    assert_eq!(cid("5"), "4");
    assert_eq!(cid("2"), cid("1"));
    assert_ne!(
        cid("8"),
        cid("9"),
        "relatives sharing surname and address stay apart"
    );
    assert_ne!(cid("10"), cid("11"));
    // evidence per membership
    let r5 = rows.iter().find(|r| r[0] == "5").expect("row 5");
    assert_eq!(r5[3], "4");
    assert!(r5[4].contains("surname=exact"), "{}", r5[4]);
    let rej = std::fs::read_to_string(&rejects).expect("rejects");
    assert!(rej.contains(",12,") && rej.contains("true"), "{rej}");
}

#[test]
fn link_two_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut left = String::from("unique_id,first_name,surname,dob,city,postcode,email\n");
    let mut right = left.clone();
    for (i, line) in PEOPLE.lines().skip(1).enumerate() {
        let cols: Vec<&str> = line.split(',').collect();
        if cols.len() != 8 {
            continue;
        }
        let row = cols[..7].join(",");
        if i % 2 == 0 {
            left.push_str(&row);
            left.push('\n');
        } else {
            right.push_str(&row);
            right.push('\n');
        }
    }
    let l = write(dir.path(), "l.csv", &left);
    let r = write(dir.path(), "r.csv", &right);
    let out = dir.path().join("links.csv");
    let o = Command::new(bin())
        .args(["--quiet", "link", "--left"])
        .arg(&l)
        .arg("--right")
        .arg(&r)
        .arg("--schema")
        .arg(repo().join("examples/schemas/people.toml"))
        .arg("--output")
        .arg(&out)
        .arg("--explain")
        .output()
        .expect("run linkwatch");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = read_csv(&out);
    assert_eq!(
        rows[0][..3],
        [
            "unique_id_l".to_string(),
            "unique_id_r".to_string(),
            "match_probability".to_string()
        ]
    );
    // 1|2 (left 1, right 2), 4|5... pairs across files of the same person
    let has = |a: &str, b: &str| rows.iter().any(|r| r[0] == a && r[1] == b);
    assert!(has("1", "2") || has("3", "2"), "{rows:?}");
    assert!(
        has("5", "4") || has("4", "5") || rows.iter().any(|r| r[0] == "5" && r[1] == "4"),
        "{rows:?}"
    );
    assert!(!has("9", "8") && !has("8", "9"));
    for r in &rows[1..] {
        let p: f64 = r[2].parse().expect("probability");
        assert!((0.5..=1.0).contains(&p));
    }
}

fn febrl_dir() -> Option<PathBuf> {
    let d = repo().join("../shared/data/febrl");
    if d.join("dataset3.csv").exists() {
        Some(d)
    } else {
        eprintln!("skipping: {} not found", d.display());
        None
    }
}

fn pairwise_f1(clusters: &Path) -> f64 {
    let rows = read_csv(clusters);
    let pred: Vec<String> = rows[1..].iter().map(|r| r[1].clone()).collect();
    let truth: Vec<String> = rows[1..]
        .iter()
        .map(|r| r[0].split('-').nth(1).unwrap_or("").to_string())
        .collect();
    linkwatch_resolve::metrics::pairwise(&pred, &truth).0.f1
}

/// Floor of issue 4: FEBRL dataset3 dedupe pairwise F1 >= 0.995 (unchanged schema).
#[test]
fn febrl_dataset3_dedupe_f1_floor() {
    let Some(d) = febrl_dir() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("c.csv");
    let o = Command::new(bin())
        .args(["--quiet", "dedupe", "--input"])
        .arg(d.join("dataset3.csv"))
        .arg("--schema")
        .arg(repo().join("examples/schemas/febrl.toml"))
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run linkwatch");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let f1 = pairwise_f1(&out);
    assert!(f1 >= 0.995, "FEBRL dataset3 pairwise F1 {f1}");
}

#[test]
fn resolve_encounters_jsonl() {
    let dir = tempfile::tempdir().expect("tempdir");
    let enc = |id: &str, name: &str, dob: &str, fp: Option<&str>, doc: &str| {
        let fp = fp
            .map(|f| format!(r#","biometrics":{{"fingerprint_id":"{f}"}}"#))
            .unwrap_or_default();
        format!(
            r#"{{"id":"{id}","time":"2023-01-01T00:00:00Z","place":{{"kind":"border_sector","code":"SDC","name":"San Diego","lat":32.5,"lon":-117.0}},"agency":"USBP","subject":{{"names":[{{"full":"{name}"}}],"dob":"{dob}"}},"documents":[{{"kind":"passport","number":"{doc}"}}]{fp},"disposition":{{"kind":"detained"}},"source":{{"system":"e3","record_id":"{id}"}}}}"#
        )
    };
    let names = [
        "Olim Tursunov",
        "Jose Ramirez",
        "Ayse Kaya",
        "Rahul Verma",
        "Li Wang",
        "Omar Haddad",
        "Ana Torres",
        "Dmitry Orlov",
        "Fatima Saleh",
        "Bekzod Nazarov",
    ];
    let mut lines: Vec<String> = (0..40)
        .map(|k| {
            enc(
                &format!("f{k}"),
                &format!("{} {}", names[k % 10], ["Sr", "Jr", "Ali", "Beg"][k / 10]),
                &format!("19{}-0{}-1{}", 50 + k, 1 + k % 9, k % 10),
                None,
                &format!("D{k:06}"),
            )
        })
        .collect();
    let named = [
        enc(
            "e1",
            "Abdulla Karimov",
            "1985-03-07",
            Some("FP1"),
            "AA123456",
        ),
        enc("e2", "Abdulla Karimov", "1985-03-07", None, "AA123456"),
        enc(
            "e3",
            "Abdulla Karimov",
            "1985-03-07",
            Some("FP2"),
            "ZZ999999",
        ),
        "{not json".to_string(),
        enc("e4", "Maria Lopez", "1990-01-01", Some("FP3"), "MX000001"),
        enc("e5", "Ivan Petrov", "1970-05-05", Some("FP3"), "RU555555"),
    ];
    lines.extend(named);
    let input = write(dir.path(), "enc.jsonl", &(lines.join("\n") + "\n"));
    let out = dir.path().join("persons.csv");
    let o = Command::new(bin())
        .args(["--quiet", "resolve", "--encounters"])
        .arg(&input)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run linkwatch");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("line 44"), "{stderr}");
    let rows = read_csv(&out);
    assert_eq!(
        rows[0][..2],
        ["encounter_id".to_string(), "person_id".to_string()]
    );
    let pid = |id: &str| {
        rows.iter()
            .find(|r| r[0] == id)
            .map(|r| r[1].clone())
            .expect("id")
    };
    assert_eq!(pid("e2"), pid("e1"), "same passport and name");
    assert_ne!(
        pid("e3"),
        pid("e1"),
        "different fingerprint ids never share a person"
    );
    assert_eq!(pid("e5"), pid("e4"), "biometric agreement is decisive");

    // The estimated model can be written and reused: the same persons come back.
    let model = dir.path().join("model.json");
    let out2 = dir.path().join("persons2.csv");
    let run = |extra: &[&std::ffi::OsStr], out: &std::path::Path| {
        let o = Command::new(bin())
            .args(["--quiet", "resolve", "--encounters"])
            .arg(&input)
            .arg("--output")
            .arg(out)
            .args(extra)
            .output()
            .expect("run linkwatch");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run(&["--model-out".as_ref(), model.as_os_str()], &out);
    run(&["--model".as_ref(), model.as_os_str()], &out2);
    assert_eq!(read_csv(&out), read_csv(&out2));
}
