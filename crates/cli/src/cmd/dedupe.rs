//! `linkwatch dedupe`, `linkwatch link`, `linkwatch resolve`.

#[derive(clap::Args, Debug)]
pub struct DedupeArgs {}
#[derive(clap::Args, Debug)]
pub struct LinkArgs {}
#[derive(clap::Args, Debug)]
pub struct ResolveArgs {}

pub fn run_dedupe(_a: DedupeArgs) -> anyhow::Result<()> {
    anyhow::bail!("`linkwatch dedupe` is not available in this build yet")
}
pub fn run_link(_a: LinkArgs) -> anyhow::Result<()> {
    anyhow::bail!("`linkwatch link` is not available in this build yet")
}
pub fn run_resolve(_a: ResolveArgs) -> anyhow::Result<()> {
    anyhow::bail!("`linkwatch resolve` is not available in this build yet")
}
