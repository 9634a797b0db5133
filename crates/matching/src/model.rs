//! The matching model: prior, calibration, name-evidence coefficients and, per feature, the
//! comparison levels with their m and u probabilities (Fellegi–Sunter weight = log2(m/u)).
//!
//! The model is data: a readable TOML file (`model/default.toml`, embedded as the default) that
//! `examples/train.rs` regenerates from data. This module parses and validates it; it knows no
//! scoring logic beyond turning m/u into weights.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The embedded default model (see `docs/matching.md` for how it is trained).
pub const DEFAULT_MODEL_TOML: &str = include_str!("../model/default.toml");

/// One comparison level: P(level | match) and P(level | non-match).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub m: f64,
    pub u: f64,
    /// Optional explicit weight in bits, overriding log2(m/u) (used for decisive evidence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

impl Level {
    /// Weight in bits (log2 m/u).
    pub fn bits(&self) -> f64 {
        self.weight
            .unwrap_or_else(|| (self.m.max(1e-12) / self.u.max(1e-12)).log2())
    }
}

/// Priors, as log2 odds of a match before any evidence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prior {
    /// For a pair someone chose to compare (`match-names`): the base rate of the training pairs.
    pub pairs_log2_odds: f64,
    /// For a candidate returned by the screening index.
    pub screening_log2_odds: f64,
}

/// Platt calibration of the name evidence: raw name bits `N` count as `a·N + b` (the summed name
/// levels are not independent, so their raw sum is over-confident). The probability is then
/// `1 / (1 + 2^-L)` of the total `L` (prior + calibrated name + other features).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub a: f64,
    pub b: f64,
}

/// Parameters of the name evidence besides its level tables (`levels.name`, `levels.name_long`,
/// `levels.name_family`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NameParams {
    /// TF adjustment: bits added per bit of rarity of strongly agreeing parts above the reference.
    pub tf_gamma: f64,
    /// Average rarity (bits) of a strongly agreeing name part in the training positives.
    pub tf_reference_bits: f64,
    /// Bits per unit of the analyser's overall name similarity above 0.5 (orders names within a level).
    #[serde(default)]
    pub similarity_gamma: f64,
    /// Rarity clamp, bits.
    pub min_token_bits: f64,
    pub max_token_bits: f64,
    /// Bits subtracted when the best-aligned name is a weak alias (nickname, nom de guerre).
    pub weak_alias_penalty: f64,
    /// Information term: bits added per bit of the strongly agreeing parts' summed rarity
    /// beyond [`Self::info_reference_bits`]. The chance that a different person agrees on parts
    /// carrying `I` bits falls as `2^-(δ·I)` (δ the dependence discount: 1 for independent
    /// parts); the level tables price agreement up to the reference, so the rest counts here.
    /// 0 (the default of older model files) turns it off.
    #[serde(default)]
    pub info_gamma: f64,
    /// Summed rarity (bits) of the strongly agreeing parts up to which the level tables alone
    /// weigh the agreement.
    #[serde(default)]
    pub info_reference_bits: f64,
    /// Largest information (bits beyond the reference) the term counts: past it a shared name
    /// is as likely a namesake listed twice or a copied record as a coincidence, and the
    /// screener's bound stays a constant per query instead of growing with its name parts.
    #[serde(default = "default_info_cap_bits")]
    pub info_cap_bits: f64,
}

/// [`NameParams::info_cap_bits`] of a model file that does not give it.
fn default_info_cap_bits() -> f64 {
    32.0
}

/// The whole model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub version: u32,
    pub description: String,
    pub prior: Prior,
    pub calibration: Calibration,
    pub name: NameParams,
    /// `feature -> level -> {m, u}`.
    pub levels: BTreeMap<String, BTreeMap<String, Level>>,
    /// Free-form provenance (training data, date, metrics on dev/test).
    #[serde(default)]
    pub provenance: BTreeMap<String, String>,
}

/// Errors loading a model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model file is not valid TOML: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("model is missing level {feature}.{level}")]
    MissingLevel { feature: String, level: String },
    #[error("model parameter {0} has the wrong sign or is not finite")]
    BadParameter(&'static str),
}

/// Levels every model must define, per feature.
pub const REQUIRED_LEVELS: &[(&str, &[&str])] = &[
    ("name", crate::features::NAME_LEVELS),
    ("name_long", crate::features::NAME_LONG_LEVELS),
    ("name_family", crate::features::NAME_FAMILY_LEVELS),
    (
        "dob",
        &[
            "exact",
            "exact_jan1",
            "day_month_swap",
            "year_month",
            "year",
            "in_range",
            "one_year",
            "different",
            "far",
            "in_range_wide",
            "in_range_very_wide",
        ],
    ),
    ("nationality", &["same", "different"]),
    ("place_of_birth", &["same", "different"]),
    ("sex", &["same", "different"]),
    (
        "document",
        &["exact", "one_edit", "one_edit_short", "different"],
    ),
    ("biometric", &["same", "different"]),
    ("contact", &["same", "different"]),
];

/// Declared order of evidence of the other features, `(feature, stronger, weaker)`: a pair at
/// `stronger` shows at least the evidence of a pair at `weaker`, so its weight must not be lower.
/// A full date beats its year and month, which beat the year, which beats a year off by one;
/// a date that is 1 January (a common placeholder) or has day and month swapped is weaker than
/// the same date exact; "different" beats "far"; a date inside a narrow range beats one inside a
/// wider range; a long document number one edit away beats a short one (short numbers have more
/// neighbours). Name orders: [`crate::features::NAME_MAIN_LEVEL_ORDER`],
/// [`crate::features::NAME_FAMILY_LEVEL_ORDER`]. Unordered on purpose: `dob.in_range*` (a range
/// says how wide, not how close) against the point levels.
pub const FEATURE_LEVEL_ORDER: &[(&str, &str, &str)] = &[
    ("dob", "exact", "year_month"),
    ("dob", "exact", "exact_jan1"),
    ("dob", "exact", "day_month_swap"),
    ("dob", "year_month", "year"),
    ("dob", "year", "one_year"),
    ("dob", "one_year", "different"),
    ("dob", "different", "far"),
    ("dob", "in_range", "in_range_wide"),
    ("dob", "in_range_wide", "in_range_very_wide"),
    ("document", "exact", "one_edit"),
    ("document", "one_edit", "one_edit_short"),
    ("document", "one_edit_short", "different"),
    ("nationality", "same", "different"),
    ("place_of_birth", "same", "different"),
    ("sex", "same", "different"),
    ("biometric", "same", "different"),
    ("contact", "same", "different"),
];

/// Every declared order of evidence, `(feature, stronger level, weaker level)`: the name levels
/// ([`crate::features::name_level_order`], table `name`), the family table (`name_family`) and
/// [`FEATURE_LEVEL_ORDER`].
pub fn declared_orders() -> Vec<(&'static str, &'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str, &'static str)> =
        crate::features::name_level_order()
            .into_iter()
            .map(|(s, w)| ("name", s, w))
            .collect();
    out.extend(
        crate::features::NAME_FAMILY_LEVEL_ORDER
            .iter()
            .map(|(s, w)| ("name_family", *s, *w)),
    );
    out.extend(FEATURE_LEVEL_ORDER.iter().copied());
    out
}

impl Model {
    /// The embedded default model.
    pub fn default_model() -> Model {
        // The embedded file is validated by a unit test; fall back loudly if that ever fails.
        Model::from_toml(DEFAULT_MODEL_TOML)
            .unwrap_or_else(|e| panic!("embedded model invalid: {e}"))
    }

    /// Parse and validate a model file.
    pub fn from_toml(text: &str) -> Result<Model, ModelError> {
        let mut m: Model = toml::from_str(text)?;
        m.upgrade();
        m.validate()?;
        Ok(m)
    }

    /// Fill levels that later versions split off an older level with the older level's m and
    /// u, so a model file written before the split scores exactly as it did: the
    /// `one_missing_strong_3+*` and `*_lead_differs` name levels (split from
    /// `one_missing_strong_2`) and the `*_1_rare` levels (split from `*_1`); `dob.in_range_wide`
    /// and `dob.in_range_very_wide` (split from `dob.in_range` by the range's width) and
    /// `document.one_edit_short` (split from `document.one_edit` by the number's length).
    pub fn upgrade(&mut self) {
        for (feature, level, parent) in [
            ("dob", "in_range_wide", "in_range"),
            ("dob", "in_range_very_wide", "in_range"),
            ("document", "one_edit_short", "one_edit"),
        ] {
            if let Some(t) = self.levels.get_mut(feature) {
                if let (false, Some(old)) = (t.contains_key(level), t.get(parent).copied()) {
                    t.insert(level.to_string(), old);
                }
            }
        }
        let Some(t) = self.levels.get_mut("name") else {
            return;
        };
        for l in crate::features::NAME_LEVELS.iter() {
            if t.contains_key(*l) {
                continue;
            }
            let parent = l
                .replace("_3+", "_2")
                .replace("_lead_differs", "")
                .replace("_rare", "");
            if let Some(old) = t.get(&parent).cloned() {
                t.insert(l.to_string(), old);
            }
        }
    }

    /// Readable TOML: scalar sections first, then one line per level with its weight as a comment.
    pub fn to_toml(&self) -> String {
        use std::fmt::Write as _;
        #[derive(Serialize)]
        struct Head<'a> {
            version: u32,
            description: &'a str,
            prior: &'a Prior,
            calibration: &'a Calibration,
            name: &'a NameParams,
            provenance: &'a BTreeMap<String, String>,
        }
        let head = Head {
            version: self.version,
            description: &self.description,
            prior: &self.prior,
            calibration: &self.calibration,
            name: &self.name,
            provenance: &self.provenance,
        };
        let mut s = toml::to_string_pretty(&head).unwrap_or_default();
        s.push_str(
            "\n# Comparison levels: m = P(level | same person), u = P(level | different people);\n",
        );
        s.push_str("# weight = log2(m/u) bits unless given explicitly.\n");
        for (feature, levels) in &self.levels {
            let _ = writeln!(s, "\n[levels.{feature}]");
            for (name, l) in levels {
                let key = if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    name.clone()
                } else {
                    format!("\"{name}\"")
                };
                let w = l
                    .weight
                    .map(|w| format!(", weight = {w:?}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    "{key} = {{ m = {:?}, u = {:?}{w} }}  # {:+.2} bits",
                    l.m,
                    l.u,
                    l.bits()
                );
            }
        }
        s
    }

    pub fn validate(&self) -> Result<(), ModelError> {
        for (f, lv) in REQUIRED_LEVELS {
            for l in *lv {
                let ok = self
                    .levels
                    .get(*f)
                    .and_then(|x| x.get(*l))
                    .is_some_and(|x| x.bits().is_finite());
                if !ok {
                    return Err(ModelError::MissingLevel {
                        feature: f.to_string(),
                        level: l.to_string(),
                    });
                }
            }
        }
        let n = &self.name;
        for (k, v) in [
            ("name.tf_gamma", n.tf_gamma),
            ("name.similarity_gamma", n.similarity_gamma),
            ("name.weak_alias_penalty", n.weak_alias_penalty),
            ("name.min_token_bits", n.min_token_bits),
            ("name.info_gamma", n.info_gamma),
            ("name.info_reference_bits", n.info_reference_bits),
            ("name.info_cap_bits", n.info_cap_bits),
            ("calibration.a", self.calibration.a),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(ModelError::BadParameter(k));
            }
        }
        if !(n.max_token_bits.is_finite() && n.max_token_bits >= n.min_token_bits) {
            return Err(ModelError::BadParameter("name.max_token_bits"));
        }
        Ok(())
    }

    /// Declared orders of evidence ([`declared_orders`]) this model breaks: `stronger < weaker`
    /// by more than `tolerance` bits, as readable lines (empty when the model is monotone).
    pub fn order_violations(&self, tolerance: f64) -> Vec<String> {
        declared_orders()
            .into_iter()
            .filter_map(|(f, s, w)| {
                let (bs, bw) = (self.bits(f, s), self.bits(f, w));
                (bs < bw - tolerance)
                    .then(|| format!("{f}.{s} ({bs:+.3} bits) < {f}.{w} ({bw:+.3} bits)"))
            })
            .collect()
    }

    /// The name level tables in lookup form.
    pub fn name_levels(&self) -> crate::features::NameLevels {
        let table = |f: &str, labels: &[&'static str]| {
            labels.iter().map(|l| (*l, self.bits(f, l))).collect()
        };
        crate::features::NameLevels {
            main: table("name", crate::features::NAME_LEVELS),
            long: table("name_long", crate::features::NAME_LONG_LEVELS),
            family: table("name_family", crate::features::NAME_FAMILY_LEVELS),
        }
    }

    /// Weight in bits of `feature.level` (0 when absent, which validation prevents for required ones).
    pub fn bits(&self, feature: &str, level: &str) -> f64 {
        self.levels
            .get(feature)
            .and_then(|l| l.get(level))
            .map(|l| l.bits())
            .unwrap_or(0.0)
    }

    /// Probability of total log2 odds `l` (the name part already calibrated).
    pub fn probability(&self, l: f64) -> f64 {
        let p = 1.0 / (1.0 + (-l).exp2());
        if p.is_nan() {
            0.0
        } else {
            p.clamp(0.0, 1.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_written_before_the_level_split_still_loads() {
        // Drop the levels split off `one_missing_strong_2` (three or more parts, leading given
        // name differs): they are filled from `one_missing_strong_2/*`.
        let old: String = DEFAULT_MODEL_TOML
            .lines()
            .filter(|l| {
                !l.contains("one_missing_strong_3+")
                    && !l.contains("_lead_differs")
                    && !l.contains("_rare")
                    && !l.contains("in_range_")
                    && !l.contains("one_edit_short")
            })
            .collect::<Vec<_>>()
            .join("\n");
        let m = Model::from_toml(&old).expect("old model loads");
        for j in ["0", "1", "2+"] {
            let parent = m.bits("name", &format!("one_missing_strong_2/{j}"));
            for l in [
                "one_missing_strong_3+",
                "one_missing_strong_3+_lead_differs",
                "one_missing_strong_2_lead_differs",
            ] {
                assert_eq!(m.bits("name", &format!("{l}/{j}")), parent, "{l}/{j}");
            }
            assert_eq!(m.bits("dob", "in_range_wide"), m.bits("dob", "in_range"));
            assert_eq!(
                m.bits("dob", "in_range_very_wide"),
                m.bits("dob", "in_range")
            );
            assert_eq!(
                m.bits("document", "one_edit_short"),
                m.bits("document", "one_edit")
            );
            for l in ["all_strong_1", "one_missing_strong_1", "partial_strong_1"] {
                let parent = m.bits("name", &format!("{l}/{j}"));
                assert_eq!(
                    m.bits("name", &format!("{l}_rare/{j}")),
                    parent,
                    "{l}_rare/{j}"
                );
            }
        }
    }
}
