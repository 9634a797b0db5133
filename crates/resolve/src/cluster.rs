//! From scored pairs to persons. Links (pairs at or above the threshold) define connected
//! components; inside each component, links are taken strongest first and two clusters merge
//! only when the *average* match probability over all their cross pairs (scored on demand,
//! including pairs blocking never proposed) reaches the linkage threshold — so one weak link
//! cannot chain two strong clusters together. Two different biometric ids never end up in one
//! cluster (hard constraint); biometric agreement merges regardless of the average.
//!
//! Person ids are the smallest member record id, so they do not depend on input order or run.
//! Every member keeps its evidence: its strongest link to another member.
//!
//! Knows nothing of records or models: it sees record ranks, links and a pair scorer.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// A scored link between two records (indexes into the dataset).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub a: u32,
    pub b: u32,
    pub probability: f64,
    /// Biometric agreement (decisive).
    pub decisive: bool,
}

/// Clustering parameters.
#[derive(Debug, Clone, Copy)]
pub struct ClusterParams {
    /// Average cross-pair probability needed to merge two clusters of two or more records.
    pub linkage: f64,
    /// Above this many cross pairs, the average is taken over a deterministic subset.
    pub max_cross_pairs: usize,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            linkage: 0.5,
            max_cross_pairs: 4096,
        }
    }
}

/// The result: a representative per record and the evidence of each membership.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// Representative record of each record's cluster (the member with the smallest id).
    pub cluster_of: Vec<u32>,
    /// Strongest link of each record to another member of its cluster (`None` for singletons).
    pub evidence: Vec<Option<Link>>,
    /// Merges refused by the average-linkage check or the biometric constraint.
    pub refused_merges: u64,
}

impl Clustering {
    pub fn cluster_count(&self) -> usize {
        self.cluster_of
            .iter()
            .enumerate()
            .filter(|(i, &c)| *i as u32 == c)
            .count()
    }
}

struct Dsu {
    p: Vec<u32>,
}
impl Dsu {
    fn new(n: usize) -> Self {
        Dsu {
            p: (0..n as u32).collect(),
        }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.p[x as usize] != x {
            let g = self.p[self.p[x as usize] as usize];
            self.p[x as usize] = g;
            x = g;
        }
        x
    }
}

/// Cluster `n` records.
///
/// - `rank[i]`: order of record ids (smaller = earlier/smaller id) — decides representatives and
///   breaks ties, so results do not depend on input order;
/// - `links`: pairs at or above the link threshold;
/// - `biometric[i]`: biometric id code of record `i` (0 = none);
/// - `score(i, j)`: match probability of any pair, for the average-linkage check.
pub fn cluster<F>(
    n: usize,
    rank: &[u32],
    links: &[Link],
    biometric: &[u32],
    score: F,
    params: ClusterParams,
) -> Clustering
where
    F: Fn(u32, u32) -> f64 + Sync,
{
    // 1. connected components of the link graph
    let mut dsu = Dsu::new(n);
    for l in links {
        let (a, b) = (dsu.find(l.a), dsu.find(l.b));
        if a != b {
            dsu.p[a.max(b) as usize] = a.min(b);
        }
    }
    let mut comp_links: FxHashMap<u32, Vec<Link>> = FxHashMap::default();
    for l in links {
        let c = dsu.find(l.a);
        comp_links.entry(c).or_default().push(*l);
    }
    let mut comps: Vec<(u32, Vec<Link>)> = comp_links.into_iter().collect();
    comps.sort_unstable_by_key(|c| c.0);

    // 2. constrained average-linkage agglomeration inside each component
    let results: Vec<Assignments> = comps
        .par_iter_mut()
        .map(|(_, cl)| agglomerate(cl, rank, biometric, &score, params))
        .collect();

    let mut cluster_of: Vec<u32> = (0..n as u32).collect();
    let mut evidence: Vec<Option<Link>> = vec![None; n];
    let mut refused = 0;
    for (assign, ev, r) in results {
        refused += r;
        for (rec, rep) in assign {
            cluster_of[rec as usize] = rep;
        }
        for (rec, l) in ev {
            evidence[rec as usize] = Some(l);
        }
    }
    Clustering {
        cluster_of,
        evidence,
        refused_merges: refused,
    }
}

type Assignments = (Vec<(u32, u32)>, Vec<(u32, Link)>, u64);

fn agglomerate<F>(
    links: &mut [Link],
    rank: &[u32],
    biometric: &[u32],
    score: &F,
    params: ClusterParams,
) -> Assignments
where
    F: Fn(u32, u32) -> f64 + Sync,
{
    // strongest first; decisive links before everything; ties by id order
    links.sort_by(|x, y| {
        y.decisive
            .cmp(&x.decisive)
            .then(y.probability.total_cmp(&x.probability))
            .then_with(|| {
                let kx = (
                    rank[x.a as usize].min(rank[x.b as usize]),
                    rank[x.a as usize].max(rank[x.b as usize]),
                );
                let ky = (
                    rank[y.a as usize].min(rank[y.b as usize]),
                    rank[y.a as usize].max(rank[y.b as usize]),
                );
                kx.cmp(&ky)
            })
    });
    // local membership
    let mut root: FxHashMap<u32, u32> = FxHashMap::default();
    let mut members: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    let mut bio: FxHashMap<u32, u32> = FxHashMap::default();
    for l in links.iter() {
        for r in [l.a, l.b] {
            root.entry(r).or_insert(r);
            members.entry(r).or_insert_with(|| vec![r]);
            if biometric[r as usize] != 0 {
                bio.insert(r, biometric[r as usize]);
            }
        }
    }
    let mut refused_keys: FxHashSet<(u32, u32, usize, usize)> = FxHashSet::default();
    let mut cache: FxHashMap<(u32, u32), f64> = FxHashMap::default();
    for l in links.iter() {
        cache.insert((l.a.min(l.b), l.a.max(l.b)), l.probability);
    }
    let mut refused = 0u64;
    for l in links.iter() {
        let (ra, rb) = (root[&l.a], root[&l.b]);
        if ra == rb {
            continue;
        }
        let (ba, bb) = (bio.get(&ra).copied(), bio.get(&rb).copied());
        if let (Some(x), Some(y)) = (ba, bb) {
            if x != y {
                refused += 1;
                continue;
            }
        }
        let (na, nb) = (members[&ra].len(), members[&rb].len());
        let ok = if l.decisive || (na == 1 && nb == 1) {
            true
        } else {
            let key = (ra.min(rb), ra.max(rb), na, nb);
            if refused_keys.contains(&key) {
                false
            } else {
                let avg = average_linkage(
                    &members[&ra],
                    &members[&rb],
                    score,
                    &mut cache,
                    params.max_cross_pairs,
                );
                if avg >= params.linkage {
                    true
                } else {
                    refused_keys.insert(key);
                    refused += 1;
                    false
                }
            }
        };
        if !ok {
            continue;
        }
        // merge the smaller into the larger
        let (keep, gone) = if na >= nb { (ra, rb) } else { (rb, ra) };
        let moved = members.remove(&gone).unwrap_or_default();
        for &r in &moved {
            root.insert(r, keep);
        }
        if let Some(m) = members.get_mut(&keep) {
            m.extend(moved);
        }
        if let Some(b) = bio.remove(&gone) {
            bio.insert(keep, b);
        }
    }
    // representatives and evidence
    let mut rep_of: FxHashMap<u32, u32> = FxHashMap::default();
    for (r, ms) in &members {
        let rep = ms
            .iter()
            .copied()
            .min_by_key(|&m| rank[m as usize])
            .unwrap_or(*r);
        rep_of.insert(*r, rep);
    }
    let mut assign = Vec::with_capacity(root.len());
    for (&rec, &r) in &root {
        assign.push((rec, rep_of[&r]));
    }
    let mut best: FxHashMap<u32, Link> = FxHashMap::default();
    for l in links.iter() {
        if root[&l.a] != root[&l.b] {
            continue;
        }
        for rec in [l.a, l.b] {
            let e = best.entry(rec).or_insert(*l);
            if l.probability > e.probability {
                *e = *l;
            }
        }
    }
    let mut ev: Vec<(u32, Link)> = best.into_iter().collect();
    ev.sort_unstable_by_key(|e| e.0);
    assign.sort_unstable();
    (assign, ev, refused)
}

fn average_linkage<F>(
    a: &[u32],
    b: &[u32],
    score: &F,
    cache: &mut FxHashMap<(u32, u32), f64>,
    max_pairs: usize,
) -> f64
where
    F: Fn(u32, u32) -> f64,
{
    let (mut sa, mut sb) = (a, b);
    let limit = (max_pairs as f64).sqrt() as usize;
    if a.len() * b.len() > max_pairs {
        sa = &a[..a.len().min(limit.max(1))];
        sb = &b[..b.len().min(limit.max(1))];
    }
    let mut s = 0.0;
    let mut k = 0usize;
    for &x in sa {
        for &y in sb {
            let key = (x.min(y), x.max(y));
            let p = *cache.entry(key).or_insert_with(|| score(key.0, key.1));
            s += p;
            k += 1;
        }
    }
    if k == 0 {
        0.0
    } else {
        s / k as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(a: u32, b: u32, p: f64) -> Link {
        Link {
            a,
            b,
            probability: p,
            decisive: false,
        }
    }

    /// Two tight groups {0,1,2} and {3,4,5}, one weak-but-above-threshold link 2–3.
    fn chain_case() -> (Vec<Link>, impl Fn(u32, u32) -> f64 + Sync) {
        let links = vec![
            link(0, 1, 0.99),
            link(1, 2, 0.98),
            link(0, 2, 0.97),
            link(3, 4, 0.99),
            link(4, 5, 0.99),
            link(3, 5, 0.96),
            link(2, 3, 0.6),
        ];
        let score = |a: u32, b: u32| -> f64 {
            let g = |x: u32| x / 3;
            if g(a) == g(b) {
                0.97
            } else if (a, b) == (2, 3) {
                0.6
            } else {
                0.01
            }
        };
        (links, score)
    }

    #[test]
    fn weak_link_does_not_chain_strong_clusters() {
        let (links, score) = chain_case();
        let rank: Vec<u32> = (0..6).collect();
        let c = cluster(6, &rank, &links, &[0; 6], score, ClusterParams::default());
        assert_eq!(c.cluster_of, vec![0, 0, 0, 3, 3, 3]);
        assert!(c.refused_merges >= 1);
        // plain connected components would have chained them
        assert_eq!(c.cluster_count(), 2);
    }

    #[test]
    fn different_biometrics_never_share_a_cluster() {
        let links = vec![link(0, 1, 0.999), link(1, 2, 0.999), link(0, 2, 0.999)];
        let bio = [7, 0, 9];
        let rank: Vec<u32> = (0..3).collect();
        let c = cluster(
            3,
            &rank,
            &links,
            &bio,
            |_, _| 0.999,
            ClusterParams::default(),
        );
        assert_ne!(c.cluster_of[0], c.cluster_of[2]);
    }

    #[test]
    fn ids_stable_under_reordering_and_evidence_kept() {
        let (links, score) = chain_case();
        let rank: Vec<u32> = (0..6).collect();
        let c1 = cluster(6, &rank, &links, &[0; 6], &score, ClusterParams::default());
        // same records in reverse order: record k is now at index 5-k
        let rev = |x: u32| 5 - x;
        let links2: Vec<Link> = links
            .iter()
            .rev()
            .map(|l| link(rev(l.b), rev(l.a), l.probability))
            .collect();
        let rank2: Vec<u32> = (0..6).map(|i| 5 - i).collect();
        let c2 = cluster(
            6,
            &rank2,
            &links2,
            &[0; 6],
            |a, b| score(rev(a).min(rev(b)), rev(a).max(rev(b))),
            ClusterParams::default(),
        );
        for k in 0..6u32 {
            assert_eq!(
                rev(c2.cluster_of[rev(k) as usize]),
                c1.cluster_of[k as usize]
            );
        }
        for k in 0..6 {
            let e = c1.evidence[k].expect("member has evidence");
            assert!(e.a == k as u32 || e.b == k as u32);
            assert!(e.probability > 0.9);
        }
    }
}
