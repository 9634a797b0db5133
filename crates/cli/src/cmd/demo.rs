//! `linkwatch demo`.

/// Arguments of `linkwatch demo`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`linkwatch demo` is not available in this build yet")
}
