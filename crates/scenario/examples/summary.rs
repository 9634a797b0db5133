//! Print the summary of a generated world without writing files (calibration aid):
//! `cargo run --release -p linkwatch-scenario --example summary -- 200000 1`.

use linkwatch_scenario::{generate, Config, Sink};

struct Null;
impl Sink for Null {
    fn write(
        &mut self,
        _: linkwatch_scenario::OutFile,
        _: &[u8],
    ) -> Result<(), linkwatch_scenario::GenerateError> {
        Ok(())
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut cfg = Config::new(n, seed);
    cfg.watchlist_size = 1_000;
    match generate(&cfg, &mut Null, &mut |_, _, _| {}) {
        Ok(s) => {
            let mut v: Vec<_> = s
                .by_nationality
                .iter()
                .map(|(k, c)| (*c, k.clone()))
                .collect();
            v.sort_by(|a, b| b.cmp(a));
            for (c, k) in v {
                println!("{k} {:.2}%", c as f64 * 100.0 / n as f64);
            }
            println!("{}", serde_json::to_string_pretty(&s).unwrap_or_default());
        }
        Err(e) => eprintln!("error: {e}"),
    }
}
