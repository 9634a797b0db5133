//! Write a small world to a directory (inspection aid):
//! `cargo run --release -p linkwatch-scenario --example dump -- 20000 1 /tmp/w`.

use linkwatch_scenario::{generate, Config, MemorySink, OutFile};

fn main() {
    let mut args = std::env::args().skip(1);
    let n = args.next().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "/tmp/lw-world".into()));
    let mut cfg = Config::new(n, seed);
    cfg.watchlist_size = n;
    let mut sink = MemorySink::default();
    if let Err(e) = generate(&cfg, &mut sink, &mut |_, _, _| {}) {
        eprintln!("error: {e}");
        return;
    }
    let _ = std::fs::create_dir_all(dir.join("truth"));
    for f in OutFile::ALL {
        if let Some(b) = sink.files.get(&f) {
            let _ = std::fs::write(dir.join(f.path()), b);
        }
    }
}
