//! Batch entity resolution end to end on an in-memory [`Dataset`]: block, estimate (or take a
//! given model), score, cluster (dedupe) or list matched pairs (link). Progress is reported
//! through a callback; nothing here does I/O.

use rayon::prelude::*;

use crate::blocking::{candidate_pairs, compile_rules, BlockingStats};
use crate::cluster::{cluster, ClusterParams, Clustering, Link};
use crate::data::{Column, Dataset};
use crate::model::{
    estimate_m_loo, estimate_u, pattern_counts_from, probability, random_pairs, Comparator, Model,
    Scorer,
};
use crate::schema::FieldKind;
use crate::ResolveError;

/// Progress callback: `(stage, done, total)`; `total` 0 when unknown.
pub type Progress<'a> = &'a (dyn Fn(&str, u64, u64) + Sync);

/// Everything a batch run produced.
pub struct BatchResult {
    pub model: Model,
    pub blocking: BlockingStats,
    /// Candidate pairs at or above the threshold.
    pub links: Vec<Link>,
    /// Clusters (dedupe only).
    pub clustering: Option<Clustering>,
    pub comparator: Comparator,
    pub scorer: Scorer,
}

/// Total possible pairs (within one file, or across two for link).
pub fn total_pairs(ds: &Dataset, cross_only: bool) -> f64 {
    let n = ds.len() as f64;
    if cross_only {
        let l = ds.source.iter().filter(|&&s| s == 0).count() as f64;
        l * (n - l)
    } else {
        n * (n - 1.0) / 2.0
    }
}

/// Estimate a model without labels on the dataset.
pub fn estimate(
    ds: &Dataset,
    cross_only: bool,
    pairs: &[(u32, u32)],
    gammas: &[u64],
    progress: Progress,
) -> Model {
    let cmp = Comparator::new(ds);
    let mut model = Model::skeleton(ds);
    progress("estimate u", 0, 0);
    let sample = random_pairs(ds, ds.schema.u_sample_pairs, ds.schema.seed, cross_only);
    estimate_u(&mut model, ds, &cmp, &sample);
    progress("estimate m", 0, 0);
    let patterns = pattern_counts_from(gammas);
    estimate_m_loo(
        &mut model,
        &patterns,
        total_pairs(ds, cross_only),
        ds.len() as f64,
        pairs.len() as f64,
    );
    model.report.records = ds.len() as u64;
    model.report.u_sample_pairs = sample.len() as u64;
    model
}

/// Run blocking, estimation (unless `model` is given), scoring and — for dedupe — clustering.
pub fn run(
    ds: &Dataset,
    cross_only: bool,
    model: Option<Model>,
    threshold: Option<f64>,
    progress: Progress,
) -> Result<BatchResult, ResolveError> {
    let rules = compile_rules(&ds.schema)?;
    progress("blocking", 0, 0);
    let (pairs, blocking) = candidate_pairs(ds, &rules, cross_only);
    let cmp = Comparator::new(ds);
    progress("comparing", 0, pairs.len() as u64);
    let gammas: Vec<u64> = pairs
        .par_iter()
        .map(|&(i, j)| cmp.gamma(ds, i as usize, j as usize))
        .collect();
    let mut model = match model {
        Some(m) => {
            m.check_fits(ds)?;
            m
        }
        None => estimate(ds, cross_only, &pairs, &gammas, progress),
    };
    if let Some(t) = threshold {
        if !(t > 0.0 && t <= 1.0) {
            return Err(ResolveError::Schema(format!(
                "threshold {t} must be in (0, 1]"
            )));
        }
        model.threshold = t;
    }
    let scorer = Scorer::new(&model);
    progress("scoring", 0, pairs.len() as u64);
    let min_w = crate::model::logit2(model.threshold);
    let links: Vec<Link> = pairs
        .par_iter()
        .zip(gammas.par_iter())
        .filter_map(|(&(i, j), &g)| {
            let bio = scorer.biometric(g);
            if bio == Some(false) {
                return None;
            }
            let w = scorer.weight(ds, g, i as usize);
            if w >= min_w || bio == Some(true) {
                Some(Link {
                    a: i,
                    b: j,
                    probability: probability(w),
                    decisive: bio == Some(true),
                })
            } else {
                None
            }
        })
        .collect();
    drop(gammas);
    let clustering = if cross_only {
        None
    } else {
        progress("clustering", 0, links.len() as u64);
        Some(cluster_links(
            ds,
            &cmp,
            &scorer,
            &links,
            ds.schema.linkage_threshold.unwrap_or(model.threshold),
        ))
    };
    Ok(BatchResult {
        model,
        blocking,
        links,
        clustering,
        comparator: cmp,
        scorer,
    })
}

/// Rank of each record by id (string order): decides person ids and tie-breaks.
pub fn id_ranks(ds: &Dataset) -> Vec<u32> {
    let mut order: Vec<u32> = (0..ds.len() as u32).collect();
    order
        .par_sort_unstable_by(|&a, &b| ds.ids[a as usize].cmp(&ds.ids[b as usize]).then(a.cmp(&b)));
    let mut rank = vec![0u32; ds.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    rank
}

/// Biometric code per record (the first biometric field's value id), 0 when none.
pub fn biometric_codes(ds: &Dataset) -> Vec<u32> {
    for (f, spec) in ds.schema.fields.iter().enumerate() {
        if spec.kind == FieldKind::Biometric {
            if let Column::Text { ids, .. } = &ds.columns[f] {
                return ids.clone();
            }
        }
    }
    vec![0; ds.len()]
}

/// Cluster links of a dataset with the average-linkage guard.
pub fn cluster_links(
    ds: &Dataset,
    cmp: &Comparator,
    scorer: &Scorer,
    links: &[Link],
    linkage: f64,
) -> Clustering {
    let rank = id_ranks(ds);
    let bio = biometric_codes(ds);
    let score = |a: u32, b: u32| -> f64 {
        let g = cmp.gamma(ds, a as usize, b as usize);
        match scorer.biometric(g) {
            Some(true) => 1.0,
            Some(false) => 0.0,
            None => probability(scorer.weight(ds, g, a as usize)),
        }
    };
    cluster(
        ds.len(),
        &rank,
        links,
        &bio,
        score,
        ClusterParams {
            linkage,
            ..Default::default()
        },
    )
}
