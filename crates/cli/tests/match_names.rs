//! End-to-end tests of `linkwatch match-names`, `linkwatch eval names` and `linkwatch debug`:
//! run the built binary on files in a temporary directory.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linkwatch"))
}

#[test]
fn scores_pairs_and_passes_columns_through() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("pairs.csv");
    let output = dir.path().join("scored.csv");
    std::fs::write(
        &input,
        "id,name1,name2,dob1,dob2,country1,country2,sex1,sex2\n\
         1,\"KARIMOV, Abdulla\",Абдулла Каримов,1981-03-07,07/03/1981,UZ,Uzbekistan,m,M\n\
         2,Olga Petrova,Muammar QADHAFI,,,,,,\n\
         3,Ayman al-Zawahiri,Aiman Muhammad AL-ZAWAHIRI,not a date,1951,XX,EG,,\n",
    )
    .expect("write");
    let out = bin()
        .args(["--quiet", "match-names", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 4 field dob1"),
        "bad values are reported with line and field: {stderr}"
    );
    let mut r = csv::Reader::from_path(&output).expect("read output");
    let h = r.headers().expect("headers").clone();
    assert_eq!(h.iter().next_back(), Some("explanation"));
    assert!(h.iter().any(|c| c == "score") && h.iter().next() == Some("id"));
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(rows.len(), 3, "no row is lost");
    let score = |i: usize| -> f64 { rows[i][9].parse().expect("score") };
    for i in 0..3 {
        assert!((0.0..=1.0).contains(&score(i)));
    }
    assert!(score(0) > 0.99, "{:?}", rows[0]);
    assert!(score(1) < 0.1, "{:?}", rows[1]);
    assert!(score(2) > 0.5, "{:?}", rows[2]);
    assert!(rows[0][10].contains("dob[exact]"), "{}", &rows[0][10]);
}

#[test]
fn missing_columns_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("pairs.csv");
    std::fs::write(&input, "a,b\nx,y\n").expect("write");
    let out = bin()
        .args(["match-names", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(dir.path().join("o.csv"))
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("name1 and name2"));
}

#[test]
fn eval_names_prints_metrics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("labelled.csv");
    std::fs::write(
        &input,
        "src,name1,name2,label\n\
         aka,Abdulla Karimov,KARIMOV Abdullah,1\n\
         aka,Muammar QADHAFI,Muammar GADDAFI,1\n\
         neg,Abdulla Karimov,Rustam Karimov,0\n\
         neg,Olga Petrova,Muammar Gaddafi,0\n\
         neg,Ivan Petrov,Ivan Sidorov,0\n",
    )
    .expect("write");
    let out = bin()
        .args(["eval", "names", "--input"])
        .arg(&input)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("ROC AUC") && s.contains("R@1%FPR") && s.contains("aka"),
        "{s}"
    );
}

#[test]
fn debug_commands() {
    let out = bin()
        .args(["debug", "name", "Shams ur-Rahman AL-ZAWAHIRI"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("zawahiri") && s.contains("index keys"), "{s}");
    let out = bin()
        .args([
            "debug",
            "pair",
            "Abdulla Karimov",
            "Абдулла Каримов",
            "--json",
        ])
        .output()
        .expect("run");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v["terms"][0]["feature"] == "name");
}
