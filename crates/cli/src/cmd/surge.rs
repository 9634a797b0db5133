//! `linkwatch surge`.

/// Arguments of `linkwatch surge`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`linkwatch surge` is not available in this build yet")
}
