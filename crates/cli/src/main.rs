//! The `linkwatch` binary: parses flags, sets up logging and progress bars, reads and writes
//! files, and calls the library crates. It holds no algorithms.

/// mimalloc instead of the system allocator: the bulk commands allocate millions of small
/// strings and vectors (see docs/bench-matching.md, "Session 4: bulk pipeline").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

mod cmd;
mod progress;

/// linkwatch: identity screening, vetting and smuggling-network analysis.
///
/// Matches identities across scripts against watchlists and explains every hit, resolves
/// repeated encounters into persons, and detects surges in encounter flows. All test and demo
/// data is synthetic or from public government lists.
#[derive(Parser, Debug)]
#[command(
    name = "linkwatch",
    version,
    propagate_version = true,
    max_term_width = 100
)]
struct Cli {
    /// Log verbosity (-v info, -vv debug, -vvv trace). RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// Hide progress bars.
    #[arg(long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate the default synthetic scenario and print its summary.
    Demo(cmd::demo::Args),
    /// Generate a synthetic world: encounters, watchlist, indicators, partner alerts, truth.
    Generate(cmd::generate::Args),
    /// Inspect and convert watchlists (OFAC SDN CSV, UN XML, linkwatch JSONL).
    #[command(subcommand)]
    Lists(cmd::lists::Command),
    /// Score name pairs from a CSV file (name1,name2[,dob1,dob2,country1,country2,sex1,sex2]).
    MatchNames(cmd::match_names::Args),
    /// Screen encounters (or one query) against watchlists; every hit explained.
    Screen(cmd::screen::Args),
    /// Evaluate matchers on labelled data.
    #[command(subcommand)]
    Eval(cmd::eval::Command),
    /// Deduplicate a person file into clusters (entity resolution).
    Dedupe(cmd::dedupe::DedupeArgs),
    /// Link two person files (entity resolution across files).
    Link(cmd::dedupe::LinkArgs),
    /// Resolve linkwatch encounters (JSONL) into persons.
    Resolve(cmd::dedupe::ResolveArgs),
    /// Detect surges in encounter counts (aggregate statistics only; never flags a person).
    Surge(cmd::surge::Args),
    /// Print the internals of name analysis and scoring, for developers.
    #[command(subcommand)]
    Debug(cmd::debug::Command),
}

fn main() {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    progress::set_quiet(cli.quiet);
    let result = match cli.command {
        Command::Demo(a) => cmd::demo::run(a),
        Command::Generate(a) => cmd::generate::run(a),
        Command::Lists(c) => cmd::lists::run(c),
        Command::MatchNames(a) => cmd::match_names::run(a),
        Command::Screen(a) => cmd::screen::run(a),
        Command::Eval(c) => cmd::eval::run(c),
        Command::Dedupe(a) => cmd::dedupe::run_dedupe(a),
        Command::Link(a) => cmd::dedupe::run_link(a),
        Command::Resolve(a) => cmd::dedupe::run_resolve(a),
        Command::Surge(a) => cmd::surge::run(a),
        Command::Debug(c) => cmd::debug::run(c),
    };
    if let Err(err) = result {
        // A closed pipe (`linkwatch ... | head`) is not a failure.
        if err.chain().any(|e| {
            e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        }) {
            std::process::exit(0);
        }
        eprintln!("error: {err:#}");
        std::process::exit(2);
    }
}

fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
