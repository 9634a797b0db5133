//! `linkwatch generate`.

/// Arguments of `linkwatch generate`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`linkwatch generate` is not available in this build yet")
}
