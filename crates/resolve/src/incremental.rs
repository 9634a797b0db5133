//! Incremental resolution: resolved persons and their block indexes stay in memory, and one new
//! record at a time is blocked, scored against its candidates and then joins a person, creates
//! one, or — when it links strongly to two or more persons — joins the best and proposes a merge
//! of the others (never merges on its own). Resolving a record id already seen changes nothing.
//!
//! Knows datasets, models and block indexes; knows nothing of files or of the batch pipeline
//! beyond taking its result.

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::blocking::{compile_rules, BlockIndex, Rule};
use crate::cluster::{Clustering, Link};
use crate::data::{Dataset, RowIssue};
use crate::model::{probability, Comparator, Explanation, Model, Scorer};
use crate::pipeline::biometric_codes;
use crate::ResolveError;

/// A resolved person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    /// Stable id: the id of the person's smallest (batch) or first (incremental) record.
    pub id: String,
    pub members: Vec<u32>,
    /// Biometric code of the person (0 = none).
    pub biometric: u32,
}

/// What happened to a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The record id was resolved before; nothing changed.
    AlreadyResolved { person: String },
    /// Joined an existing person.
    Joined {
        person: String,
        via: String,
        probability: f64,
    },
    /// No person matched: a new person.
    Created { person: String },
    /// Joined `person`, and also links strongly to `others`: a merge is proposed for review.
    ProposedMerge {
        person: String,
        via: String,
        probability: f64,
        others: Vec<MergeCandidate>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeCandidate {
    pub person: String,
    pub via: String,
    pub probability: f64,
    pub average: f64,
}

impl Outcome {
    pub fn person(&self) -> &str {
        match self {
            Outcome::AlreadyResolved { person }
            | Outcome::Joined { person, .. }
            | Outcome::Created { person }
            | Outcome::ProposedMerge { person, .. } => person,
        }
    }
}

/// In-memory resolver over a dataset whose records are all assigned to persons.
pub struct Resolver {
    ds: Dataset,
    model: Model,
    cmp: Comparator,
    scorer: Scorer,
    rules: Vec<Rule>,
    index: BlockIndex,
    person_of: Vec<u32>,
    persons: Vec<Person>,
    person_ix: FxHashMap<String, u32>,
    bio: Vec<u32>,
    linkage: f64,
    max_block: usize,
    scratch: Vec<u32>,
}

impl Resolver {
    /// Start from a batch result (or from an empty dataset with a trained model and
    /// `clustering = None`, every record its own person).
    pub fn new(
        ds: Dataset,
        model: Model,
        clustering: Option<&Clustering>,
    ) -> Result<Resolver, ResolveError> {
        model.check_fits(&ds)?;
        let rules = compile_rules(&ds.schema)?;
        let index = BlockIndex::build(&ds, &rules);
        let cmp = Comparator::new(&ds);
        let scorer = Scorer::new(&model);
        let bio = biometric_codes(&ds);
        let n = ds.len();
        let mut persons: Vec<Person> = Vec::new();
        let mut person_ix: FxHashMap<String, u32> = FxHashMap::default();
        let mut rep_person: FxHashMap<u32, u32> = FxHashMap::default();
        let mut person_of = vec![0u32; n];
        for (i, po) in person_of.iter_mut().enumerate() {
            let rep = clustering.map(|c| c.cluster_of[i]).unwrap_or(i as u32);
            let p = *rep_person.entry(rep).or_insert_with(|| {
                let id = ds.ids[rep as usize].to_string();
                person_ix.insert(id.clone(), persons.len() as u32);
                persons.push(Person {
                    id,
                    members: Vec::new(),
                    biometric: 0,
                });
                (persons.len() - 1) as u32
            });
            persons[p as usize].members.push(i as u32);
            if bio[i] != 0 {
                persons[p as usize].biometric = bio[i];
            }
            *po = p;
        }
        let linkage = ds.schema.linkage_threshold.unwrap_or(model.threshold);
        let max_block = ds.schema.blocking.max_block_size;
        let mut r = Resolver {
            ds,
            model,
            cmp,
            scorer,
            rules,
            index,
            person_of,
            persons,
            person_ix,
            bio,
            linkage,
            max_block,
            scratch: Vec::new(),
        };
        r.reserve((n / 4).max(1 << 16));
        Ok(r)
    }

    /// Reserve room for `additional` more records: resolving them then never reallocates the
    /// per-record arrays (each reallocation copies them, a latency spike). [`Resolver::new`]
    /// reserves a quarter of the initial size.
    pub fn reserve(&mut self, additional: usize) {
        self.ds.reserve(additional);
        self.person_of.reserve(additional);
        self.bio.reserve(additional);
        self.persons.reserve(additional);
        self.person_ix.reserve(additional);
    }

    pub fn dataset(&self) -> &Dataset {
        &self.ds
    }
    pub fn persons(&self) -> &[Person] {
        &self.persons
    }
    pub fn person_of_record(&self, id: &str) -> Option<&Person> {
        self.ds
            .index_of(id)
            .map(|i| &self.persons[self.person_of[i as usize] as usize])
    }
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.person_ix.get(id).map(|&p| &self.persons[p as usize])
    }

    /// Explanation of the pair of records with ids `a`, `b`.
    pub fn explain(&self, a: &str, b: &str) -> Option<Explanation> {
        let (i, j) = (self.ds.index_of(a)?, self.ds.index_of(b)?);
        Some(
            self.model
                .explain(&self.ds, &self.cmp, &self.scorer, i as usize, j as usize),
        )
    }

    fn pair_probability(&self, i: usize, j: usize) -> (f64, Option<bool>) {
        let g = self.cmp.gamma(&self.ds, i, j);
        let bio = self.scorer.biometric(g);
        let p = match bio {
            Some(true) => 1.0,
            Some(false) => 0.0,
            None => probability(self.scorer.weight(&self.ds, g, i)),
        };
        (p, bio)
    }

    /// Resolve one record (values in schema field order). Unusable values are reported in
    /// `issues` and treated as missing; a rejected row (empty id) is an `Err`.
    pub fn resolve(
        &mut self,
        id: &str,
        values: &[Option<&str>],
        issues: &mut Vec<RowIssue>,
    ) -> Result<Outcome, RowIssue> {
        if let Some(i) = self.ds.index_of(id) {
            let p = &self.persons[self.person_of[i as usize] as usize];
            return Ok(Outcome::AlreadyResolved {
                person: p.id.clone(),
            });
        }
        let i = self.ds.push(id, values, 0, 0, issues)?;
        let keys = BlockIndex::record_keys(&self.ds, &self.rules, i as usize);
        let bio_code = biometric_codes_one(&self.ds, i as usize);
        self.bio.push(bio_code);
        let mut cands = std::mem::take(&mut self.scratch);
        self.index.candidates(&keys, self.max_block, &mut cands);
        // best link per person
        let mut best: FxHashMap<u32, (f64, u32, bool)> = FxHashMap::default();
        for &c in &cands {
            let (p, bio) = self.pair_probability(c as usize, i as usize);
            if p >= self.model.threshold || bio == Some(true) {
                let person = self.person_of[c as usize];
                let e = best.entry(person).or_insert((p, c, bio == Some(true)));
                if p > e.0 {
                    *e = (p, c, bio == Some(true));
                }
            }
        }
        self.scratch = cands;
        // qualify persons by average linkage and the biometric constraint
        let mut qualified: Vec<(f64, u32, f64, u32, bool)> = Vec::new(); // (avg, person, p, via, decisive)
        for (&person, &(p, via, decisive)) in &best {
            let pr = &self.persons[person as usize];
            if bio_code != 0 && pr.biometric != 0 && pr.biometric != bio_code {
                continue;
            }
            let avg = if decisive {
                1.0
            } else {
                let take = pr.members.len().min(64);
                let s: f64 = pr.members[..take]
                    .iter()
                    .map(|&m| self.pair_probability(m as usize, i as usize).0)
                    .sum();
                s / take as f64
            };
            if decisive || avg >= self.linkage {
                qualified.push((avg, person, p, via, decisive));
            }
        }
        qualified.sort_by(|x, y| {
            y.4.cmp(&x.4).then(y.0.total_cmp(&x.0)).then_with(|| {
                self.persons[x.1 as usize]
                    .id
                    .cmp(&self.persons[y.1 as usize].id)
            })
        });
        let outcome = match qualified.first().copied() {
            None => {
                let pid = id.to_string();
                self.person_ix
                    .insert(pid.clone(), self.persons.len() as u32);
                self.persons.push(Person {
                    id: pid.clone(),
                    members: vec![i],
                    biometric: bio_code,
                });
                self.person_of.push((self.persons.len() - 1) as u32);
                Outcome::Created { person: pid }
            }
            Some((_, person, p, via, _)) => {
                let pr = &mut self.persons[person as usize];
                pr.members.push(i);
                if pr.biometric == 0 {
                    pr.biometric = bio_code;
                }
                self.person_of.push(person);
                let pid = pr.id.clone();
                let via_id = self.ds.ids[via as usize].to_string();
                if qualified.len() == 1 {
                    Outcome::Joined {
                        person: pid,
                        via: via_id,
                        probability: p,
                    }
                } else {
                    let others = qualified[1..]
                        .iter()
                        .map(|&(avg, op, p, v, _)| MergeCandidate {
                            person: self.persons[op as usize].id.clone(),
                            via: self.ds.ids[v as usize].to_string(),
                            probability: p,
                            average: avg,
                        })
                        .collect();
                    Outcome::ProposedMerge {
                        person: pid,
                        via: via_id,
                        probability: p,
                        others,
                    }
                }
            }
        };
        self.index.insert(&keys, i);
        Ok(outcome)
    }

    /// The link that attaches a record to its person (strongest link to another member).
    pub fn evidence(&self, id: &str) -> Option<Link> {
        let i = self.ds.index_of(id)?;
        let p = &self.persons[self.person_of[i as usize] as usize];
        p.members
            .iter()
            .filter(|&&m| m != i)
            .map(|&m| {
                let (pr, bio) = self.pair_probability(m as usize, i as usize);
                Link {
                    a: m.min(i),
                    b: m.max(i),
                    probability: pr,
                    decisive: bio == Some(true),
                }
            })
            .max_by(|x, y| x.probability.total_cmp(&y.probability))
    }
}

fn biometric_codes_one(ds: &Dataset, i: usize) -> u32 {
    for (f, spec) in ds.schema.fields.iter().enumerate() {
        if spec.kind == crate::schema::FieldKind::Biometric {
            return ds.columns[f].code(i);
        }
    }
    0
}
