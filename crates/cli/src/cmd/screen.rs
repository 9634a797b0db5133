//! `linkwatch screen`.

/// Arguments of `linkwatch screen`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`linkwatch screen` is not available in this build yet")
}
