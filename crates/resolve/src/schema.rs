//! The declarative schema: which input column is which kind of field, how each kind is compared
//! (comparison levels and their parameters), how records are blocked, and the decision
//! thresholds. Parsed from TOML; knows nothing of files or of the data itself.

use serde::{Deserialize, Serialize};

use crate::ResolveError;

/// What a field holds, which decides its normalisation and comparison levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    GivenName,
    FamilyName,
    FullName,
    Date,
    Postcode,
    Address,
    IdNumber,
    Phone,
    Email,
    Categorical,
    /// Biometric identifier (fingerprint id): agreement is decisive, disagreement forbids
    /// putting two records into one person.
    Biometric,
}

impl FieldKind {
    /// Labels of the comparison levels, best first. Model level `k + 1` is `labels()[k]`;
    /// model level 0 is "null" (one side missing) and carries no weight.
    pub fn labels(&self, swap: bool) -> Vec<&'static str> {
        match self {
            FieldKind::GivenName | FieldKind::FamilyName => {
                if swap {
                    vec!["exact", "swapped", "fuzzy_high", "fuzzy_low", "different"]
                } else {
                    vec!["exact", "fuzzy_high", "fuzzy_low", "different"]
                }
            }
            FieldKind::FullName => vec!["exact", "fuzzy_high", "fuzzy_low", "different"],
            FieldKind::Date => crate::compare::DATE_LEVELS.to_vec(),
            FieldKind::Postcode => vec!["exact", "same_district", "different"],
            FieldKind::Address => vec!["exact", "fuzzy_high", "fuzzy_low", "different"],
            FieldKind::IdNumber => vec!["exact", "one_edit", "different"],
            FieldKind::Phone => vec!["exact", "same_last7", "different"],
            FieldKind::Email => vec!["exact", "same_local_part", "different"],
            FieldKind::Categorical | FieldKind::Biometric => vec!["exact", "different"],
        }
    }

    pub fn is_name(&self) -> bool {
        matches!(
            self,
            FieldKind::GivenName | FieldKind::FamilyName | FieldKind::FullName
        )
    }

    /// Whether term-frequency adjustment is on unless the schema says otherwise.
    pub fn default_tf(&self) -> bool {
        matches!(
            self,
            FieldKind::GivenName
                | FieldKind::FamilyName
                | FieldKind::FullName
                | FieldKind::Postcode
                | FieldKind::Address
                | FieldKind::Categorical
                | FieldKind::Date
        )
    }

    /// Default similarity thresholds of the two fuzzy levels, where the kind has them.
    pub fn default_similarity(&self) -> [f64; 2] {
        match self {
            FieldKind::Address => [0.90, 0.75],
            FieldKind::FullName => [0.90, 0.75],
            _ => [0.92, 0.80],
        }
    }
}

/// One field of the schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Name used in blocking rules, models and explanations.
    pub name: String,
    /// Input column (defaults to `name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub kind: FieldKind,
    /// Term-frequency adjustment of the exact level (default by kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tf: Option<bool>,
    /// For given/family names: the other name field, to detect first/last swaps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap_with: Option<String>,
    /// Thresholds of the `fuzzy_high` / `fuzzy_low` levels (names, addresses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<[f64; 2]>,
    /// Postcode district length (`same_district` = same first N characters). Default: len - 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district_len: Option<usize>,
    /// Date order for ambiguous numeric dates: "dmy" (default, as `PartialDate::parse`) or "mdy".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_order: Option<String>,
    /// Fields of one group describe one fact (city and postcode both say "same address"):
    /// only the strongest agreement in a group counts, disagreements still add up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Values treated as missing in this column (besides empty), e.g. `["-0-", "unknown"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub null_values: Vec<String>,
}

impl FieldSpec {
    pub fn column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.name)
    }
    pub fn tf(&self) -> bool {
        self.tf.unwrap_or(self.kind.default_tf())
    }
    pub fn similarity(&self) -> [f64; 2] {
        self.similarity.unwrap_or(self.kind.default_similarity())
    }
}

/// Blocking configuration: records are compared only when they agree on every key of at least
/// one rule. Rules are combined by union; a pair found by several rules is scored once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingSpec {
    /// Each rule is a list of keys `field` or `field:transform`; transforms: `exact` (default),
    /// `prefixN` (first N characters), `phonetic`, `year`, `month_day`, `first_token`,
    /// `last_token`, `sorted_tokens`, `initial`.
    pub rules: Vec<Vec<String>>,
    /// Blocks larger than this are skipped (and counted in the statistics): they would
    /// generate a quadratic number of pairs while carrying little evidence.
    #[serde(default = "default_max_block")]
    pub max_block_size: usize,
}

fn default_max_block() -> usize {
    5000
}

/// A whole schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// The record id column (kept in every output).
    pub id: String,
    /// Match probability at or above which a pair is a link (default 0.5).
    #[serde(default = "default_threshold")]
    pub threshold: f64,
    /// Clusters are merged only when the average match probability over all their cross
    /// pairs reaches this (default: `threshold`). Guards against chaining.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linkage_threshold: Option<f64>,
    /// Seed of the deterministic random-pair sample that estimates u.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Random pairs sampled to estimate u.
    #[serde(default = "default_u_pairs")]
    pub u_sample_pairs: usize,
    #[serde(rename = "field")]
    pub fields: Vec<FieldSpec>,
    pub blocking: BlockingSpec,
}

fn default_threshold() -> f64 {
    0.5
}
fn default_seed() -> u64 {
    42
}
fn default_u_pairs() -> usize {
    400_000
}

impl Schema {
    /// Parse and validate a TOML schema.
    pub fn from_toml(text: &str) -> Result<Schema, ResolveError> {
        let s: Schema = toml::from_str(text).map_err(|e| ResolveError::Schema(e.to_string()))?;
        s.validate()?;
        Ok(s)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    pub fn linkage_threshold(&self) -> f64 {
        self.linkage_threshold.unwrap_or(self.threshold)
    }

    /// Check names, references and limits.
    pub fn validate(&self) -> Result<(), ResolveError> {
        let err = |m: String| Err(ResolveError::Schema(m));
        if self.fields.is_empty() {
            return err("schema has no [[field]]".into());
        }
        if self.fields.len() > 16 {
            return err("at most 16 fields can be compared".into());
        }
        if !(0.0..=1.0).contains(&self.threshold) || self.threshold == 0.0 {
            return err(format!("threshold {} must be in (0, 1]", self.threshold));
        }
        for (i, f) in self.fields.iter().enumerate() {
            if self.fields[..i].iter().any(|g| g.name == f.name) {
                return err(format!("field {:?} declared twice", f.name));
            }
            if let Some(w) = &f.swap_with {
                match self.field_index(w) {
                    Some(j) if j != i && self.fields[j].kind.is_name() => {}
                    _ => {
                        return err(format!(
                            "field {:?}: swap_with {:?} is not another name field",
                            f.name, w
                        ))
                    }
                }
                if !matches!(f.kind, FieldKind::GivenName | FieldKind::FamilyName) {
                    return err(format!(
                        "field {:?}: swap_with only applies to given/family names",
                        f.name
                    ));
                }
            }
            if let Some(o) = &f.date_order {
                if o != "dmy" && o != "mdy" {
                    return err(format!(
                        "field {:?}: date_order must be \"dmy\" or \"mdy\"",
                        f.name
                    ));
                }
            }
            if let Some([hi, lo]) = f.similarity {
                if !(0.0..=1.0).contains(&hi) || !(0.0..=1.0).contains(&lo) || lo > hi {
                    return err(format!(
                        "field {:?}: similarity must be [high, low] in [0, 1]",
                        f.name
                    ));
                }
            }
        }
        if self.blocking.rules.is_empty() {
            return err("[blocking] needs at least one rule".into());
        }
        for rule in &self.blocking.rules {
            if rule.is_empty() {
                return err("empty blocking rule".into());
            }
            for key in rule {
                crate::blocking::KeySpec::parse(key, self)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = r#"
id = "rec_id"
[[field]]
name = "given_name"
kind = "given_name"
swap_with = "surname"
[[field]]
name = "surname"
kind = "family_name"
[[field]]
name = "dob"
kind = "date"
[blocking]
rules = [["given_name", "surname"], ["surname:phonetic", "dob:year"]]
"#;

    #[test]
    fn parses_and_round_trips() {
        let s = Schema::from_toml(S).unwrap();
        assert_eq!(s.fields.len(), 3);
        assert_eq!(s.threshold, 0.5);
        let back = Schema::from_toml(&s.to_toml()).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn rejects_bad_references() {
        let bad = S.replace("\"surname:phonetic\"", "\"nosuch\"");
        assert!(matches!(
            Schema::from_toml(&bad),
            Err(ResolveError::Schema(_))
        ));
        let bad = S.replace("swap_with = \"surname\"", "swap_with = \"dob\"");
        assert!(Schema::from_toml(&bad).is_err());
        let bad = S.replace("kind = \"date\"", "kind = \"banana\"");
        assert!(Schema::from_toml(&bad).is_err());
    }
}
