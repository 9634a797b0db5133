//! Tidy checks run by `cargo test`: they enforce the architecture invariants that a compiler
//! cannot (see ARCHITECTURE.md, "Invariants"). Each failure message names the file and the rule.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every Rust file opens with a `//!` header saying what it does (after any `#![...]` lines).
#[test]
fn every_file_has_a_module_doc() {
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    rust_files(&root().join("fuzz/fuzz_targets"), &mut files);
    let mut bad = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let first = text
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with("#!["))
            .unwrap_or("");
        if !first.starts_with("//!") {
            bad.push(f.strip_prefix(root()).unwrap_or(f).display().to_string());
        }
    }
    assert!(
        bad.is_empty(),
        "files without a leading //! doc comment:\n{}",
        bad.join("\n")
    );
}

/// Engine crates do no I/O: no files, environment, network, clock or global RNG in `src/`.
/// Time and seeds are arguments; readers take `impl Read`. Only `cli` touches the outside world.
#[test]
fn engines_do_no_io() {
    const ENGINES: &[&str] = &[
        "model", "names", "matching", "resolve", "surge", "eval", "scenario", "formats",
    ];
    const FORBIDDEN: &[&str] = &[
        "std::fs",
        "File::open",
        "File::create",
        "std::env::var",
        "std::net",
        "SystemTime::now",
        "Instant::now",
        "Utc::now",
        "Local::now",
        "thread_rng",
        "from_entropy",
        "std::process::Command",
    ];
    let mut bad = Vec::new();
    for c in ENGINES {
        let mut files = Vec::new();
        rust_files(&root().join("crates").join(c).join("src"), &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            // Unit-test modules may read fixtures; only product code is held to the rule.
            let product = text.split("#[cfg(test)]").next().unwrap_or("");
            for pat in FORBIDDEN {
                if product.contains(pat) {
                    bad.push(format!(
                        "{}: uses {pat}",
                        f.strip_prefix(root()).unwrap_or(&f).display()
                    ));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "I/O in engine crates (move it to crates/cli):\n{}",
        bad.join("\n")
    );
}

/// Engines never depend on the terminal, HTTP or SQL layers.
#[test]
fn engine_dependencies_stay_low() {
    const ENGINES: &[&str] = &[
        "model", "names", "matching", "resolve", "surge", "eval", "scenario", "formats",
    ];
    const FORBIDDEN: &[&str] = &[
        "clap",
        "indicatif",
        "anyhow",
        "tokio",
        "axum",
        "rusqlite",
        "sqlx",
        "tracing-subscriber",
    ];
    let mut bad = Vec::new();
    for c in ENGINES {
        let path = root().join("crates").join(c).join("Cargo.toml");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let deps = text.split("[dependencies]").nth(1).unwrap_or("");
        let deps = deps.split("\n[").next().unwrap_or("");
        for line in deps.lines() {
            let name = line.split(['=', '.', ' ']).next().unwrap_or("").trim();
            if FORBIDDEN.contains(&name) {
                bad.push(format!("crates/{c} depends on {name}"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
