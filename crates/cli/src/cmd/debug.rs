//! `linkwatch debug`.

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Placeholder until the command lands.
    Help,
}

pub fn run(_c: Command) -> anyhow::Result<()> {
    anyhow::bail!("`linkwatch debug` is not available in this build yet")
}
