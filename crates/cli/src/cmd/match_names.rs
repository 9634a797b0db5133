//! `linkwatch match-names`.

/// Arguments of `linkwatch match-names`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`linkwatch match-names` is not available in this build yet")
}
