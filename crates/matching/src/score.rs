//! The scorer: sums the prior and every feature's log-likelihood ratio (bits) into total log2 odds,
//! calibrates it into a probability, and records an [`Explanation`] (per feature: the two values
//! compared, the level reached, the weight) whose weights sum exactly to the total log odds.
//!
//! Knows identities, features and the model; knows nothing of indexes, files or lists.

use crate::features::{self, LevelOutcome, NameOutcome};
use crate::identity::Identity;
use crate::model::Model;
use crate::tf::TermFrequencies;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Which prior applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Context {
    /// A pair someone chose to compare (`match-names`).
    #[default]
    Pairs,
    /// A candidate from the screening index.
    Screening,
}

/// One evidence term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// `name`, `dob`, `nationality`, `place_of_birth`, `sex`, `document`, `biometric`, `contact`.
    pub feature: String,
    /// Comparison level reached (e.g. `exact`, `year`, `shorter_name_covered`).
    pub level: String,
    /// Value compared on side A.
    pub a: String,
    /// Value compared on side B.
    pub b: String,
    /// Log-likelihood ratio in bits (log2 m/u): > 0 is evidence for, < 0 against.
    pub weight: f64,
    /// Further detail (name token alignment), may be empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// Why a pair scored what it scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Prior log2 odds.
    pub prior: f64,
    pub terms: Vec<Term>,
    /// `prior + Σ terms.weight`.
    pub log2_odds: f64,
    /// Calibrated probability (a monotone function of `log2_odds`).
    pub probability: f64,
}

impl Explanation {
    /// Compact one-line text (for CSV):
    /// `name[all_parts_agree] "A"~"B" +21.3; dob[exact] 1981-03-07~1981-03-07 +11.8; prior -1.0 => 0.9999`.
    pub fn compact(&self) -> String {
        let mut s = String::new();
        for t in &self.terms {
            let _ = write!(
                s,
                "{}[{}] {}~{} {:+.1}",
                t.feature, t.level, t.a, t.b, t.weight
            );
            if !t.detail.is_empty() {
                let _ = write!(s, " ({})", t.detail);
            }
            s.push_str("; ");
        }
        let _ = write!(
            s,
            "prior {:+.1} => {:.1} bits, p={:.4}",
            self.prior, self.log2_odds, self.probability
        );
        s
    }

    /// Sum of the prior and the term weights (equals `log2_odds`).
    pub fn sum(&self) -> f64 {
        self.prior + self.terms.iter().map(|t| t.weight).sum::<f64>()
    }
}

/// A scored pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub probability: f64,
    pub log2_odds: f64,
    pub explanation: Explanation,
}

/// Scores identity pairs with a model and a term-frequency table.
#[derive(Debug, Clone)]
pub struct Scorer {
    model: Model,
    tf: TermFrequencies,
    name_levels: features::NameLevels,
}

/// The raw outcome of every feature (no strings): what the fast path computes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    pub name: Option<NameOutcome>,
    pub dob: Option<LevelOutcome>,
    pub nationality: Option<LevelOutcome>,
    pub place_of_birth: Option<LevelOutcome>,
    pub sex: Option<LevelOutcome>,
    pub document: Option<LevelOutcome>,
    pub biometric: Option<LevelOutcome>,
    pub contact: Option<LevelOutcome>,
}

impl Default for Scorer {
    fn default() -> Self {
        Scorer::new(Model::default_model(), TermFrequencies::default_table())
    }
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "'"))
}

impl Scorer {
    pub fn new(model: Model, tf: TermFrequencies) -> Self {
        let name_levels = model.name_levels();
        Scorer {
            model,
            tf,
            name_levels,
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn tf(&self) -> &TermFrequencies {
        &self.tf
    }

    /// Cache token frequencies in an identity for the hot path (see [`Identity::prepare`]).
    pub fn prepare(&self, id: &mut Identity) {
        id.prepare(&self.tf);
    }

    pub fn prior(&self, ctx: Context) -> f64 {
        match ctx {
            Context::Pairs => self.model.prior.pairs_log2_odds,
            Context::Screening => self.model.prior.screening_log2_odds,
        }
    }

    /// Evaluate every feature.
    pub fn outcome(&self, a: &Identity, b: &Identity) -> Outcome {
        let m = &self.model;
        Outcome {
            name: features::best_names(
                a,
                b,
                &self.tf,
                &m.name,
                &self.name_levels,
                (m.calibration.a, m.calibration.b),
            ),
            dob: features::dob(a, b, |l| m.bits("dob", l)),
            nationality: features::nationality(a, b),
            place_of_birth: features::place_of_birth(a, b),
            sex: features::sex(a, b),
            document: features::document(a, b),
            biometric: features::biometric(a, b),
            contact: features::contact(a, b),
        }
    }

    fn level_terms(o: &Outcome) -> [(&'static str, Option<LevelOutcome>); 7] {
        [
            ("dob", o.dob),
            ("nationality", o.nationality),
            ("place_of_birth", o.place_of_birth),
            ("sex", o.sex),
            ("document", o.document),
            ("biometric", o.biometric),
            ("contact", o.contact),
        ]
    }

    /// Total log2 odds of an outcome (prior included).
    pub fn log2_odds_of(&self, o: &Outcome, ctx: Context) -> f64 {
        let mut l = self.prior(ctx) + o.name.map(|n| n.bits).unwrap_or(0.0);
        for (f, lv) in Self::level_terms(o) {
            if let Some(lv) = lv {
                l += self.model.bits(f, lv.level);
            }
        }
        l
    }

    /// Fast path: total log2 odds, no explanation.
    pub fn log2_odds(&self, a: &Identity, b: &Identity, ctx: Context) -> f64 {
        self.log2_odds_of(&self.outcome(a, b), ctx)
    }

    /// Fast path: calibrated probability, no explanation.
    pub fn probability(&self, a: &Identity, b: &Identity, ctx: Context) -> f64 {
        self.model.probability(self.log2_odds(a, b, ctx))
    }

    /// Full score with explanation.
    pub fn score(&self, a: &Identity, b: &Identity, ctx: Context) -> Score {
        let o = self.outcome(a, b);
        self.explain(a, b, &o, ctx)
    }

    /// Build the explanation of an outcome already computed.
    pub fn explain(&self, a: &Identity, b: &Identity, o: &Outcome, ctx: Context) -> Score {
        let mut terms = Vec::with_capacity(4);
        if let Some(n) = o.name {
            let (na, nb) = (&a.names[n.ia], &b.names[n.ib]);
            terms.push(Term {
                feature: "name".into(),
                level: n.features.level().into(),
                a: q(&na.analyzed.original),
                b: q(&nb.analyzed.original),
                weight: n.bits,
                detail: self.name_detail(na, nb, &n),
            });
        }
        for (f, lv) in Self::level_terms(o) {
            let Some(lv) = lv else { continue };
            let (va, vb) = values(f, a, b, lv);
            terms.push(Term {
                feature: f.into(),
                level: lv.level.into(),
                a: va,
                b: vb,
                weight: self.model.bits(f, lv.level),
                detail: String::new(),
            });
        }
        let prior = self.prior(ctx);
        let log2_odds = prior + terms.iter().map(|t| t.weight).sum::<f64>();
        let probability = self.model.probability(log2_odds);
        Score {
            probability,
            log2_odds,
            explanation: Explanation {
                prior,
                terms,
                log2_odds,
                probability,
            },
        }
    }

    fn name_detail(
        &self,
        na: &crate::identity::IdName,
        nb: &crate::identity::IdName,
        n: &NameOutcome,
    ) -> String {
        let cmp = linkwatch_names::compare_full(&na.analyzed, &nb.analyzed, &self.tf);
        let p = &self.model.name;
        let parts = features::name_bits_parts(&n.features, &self.name_levels, p);
        let mut s = format!(
            "{} {:+.1}, {} {:+.1}, rarity/similarity {:+.1}",
            n.features.level(),
            parts.main + parts.long,
            n.features.family_level(),
            parts.family,
            parts.tf
        );
        let c = self.model.calibration;
        let penalty = n.bits - (c.a * parts.total() + c.b);
        let _ = write!(s, ", calibrated x{:.2} {:+.2}", c.a, c.b);
        if penalty.abs() > 1e-9 {
            let _ = write!(s, ", weak alias {penalty:+.1}");
        }
        s.push_str(": ");
        for pair in &cmp.pairs {
            let (Some(ta), Some(tb)) = (
                na.analyzed.tokens.get(pair.a),
                nb.analyzed.tokens.get(pair.b),
            ) else {
                continue;
            };
            let bits = features::token_bits(&self.tf, p, &ta.key, &tb.key);
            if !s.ends_with(": ") {
                s.push_str(", ");
            }
            let _ = write!(
                s,
                "{}={} {} {:.1}b",
                ta.text,
                tb.text,
                pair.kind.label(),
                bits
            );
        }
        let un: Vec<&str> = cmp
            .unmatched_a
            .iter()
            .filter_map(|&i| na.analyzed.tokens.get(i))
            .chain(
                cmp.unmatched_b
                    .iter()
                    .filter_map(|&j| nb.analyzed.tokens.get(j)),
            )
            .map(|t| t.text.as_str())
            .collect();
        if !un.is_empty() {
            let _ = write!(s, "; unmatched {}", un.join(" "));
        }
        s
    }
}

fn values(f: &str, a: &Identity, b: &Identity, lv: LevelOutcome) -> (String, String) {
    let (i, j) = (lv.ia, lv.ib);
    let list = |x: &Identity| -> String {
        match f {
            "dob" => x.dobs.iter().map(spec_str).collect::<Vec<_>>().join("|"),
            "nationality" => x
                .nationalities
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join("|"),
            "place_of_birth" => x.places_of_birth.join("|"),
            "document" => x
                .documents
                .iter()
                .map(|d| d.1.clone())
                .collect::<Vec<_>>()
                .join("|"),
            "contact" => x
                .phones
                .iter()
                .chain(&x.emails)
                .cloned()
                .collect::<Vec<_>>()
                .join("|"),
            _ => String::new(),
        }
    };
    let one = |x: &Identity, k: usize| -> Option<String> {
        match f {
            "dob" => x.dobs.get(k).map(spec_str),
            "nationality" => x.nationalities.get(k).map(|c| c.as_str().to_string()),
            "place_of_birth" => x.places_of_birth.get(k).cloned(),
            "document" => x.documents.get(k).map(|d| d.1.clone()),
            "contact" => x.phones.iter().chain(&x.emails).nth(k).cloned(),
            "sex" => Some(format!("{:?}", x.sex).to_lowercase()),
            "biometric" => x.fingerprint_id.clone(),
            _ => None,
        }
    };
    let agreeing = !matches!(lv.level, "different" | "far");
    if agreeing || matches!(f, "sex" | "biometric") {
        (one(a, i).unwrap_or_default(), one(b, j).unwrap_or_default())
    } else {
        (list(a), list(b))
    }
}

fn spec_str(d: &linkwatch_model::DateSpec) -> String {
    match d {
        linkwatch_model::DateSpec::Date(x) => x.to_string(),
        linkwatch_model::DateSpec::Range { from, to } => format!("{from}..{to}"),
    }
}
