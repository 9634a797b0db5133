//! One module per subcommand; each defines its clap `Args` and a `run` function.

pub mod debug;
pub mod dedupe;
pub mod demo;
pub mod eval;
pub mod generate;
pub mod lists;
pub mod match_names;
pub mod screen;
pub mod surge;
