//! linkwatch encounters as entity-resolution records: the built-in encounter schema (names,
//! date of birth, sex, nationality, document, fingerprint id, phone, e-mail, destination) and a
//! [`RecordSource`] over any `linkwatch_model::EncounterSource`.
//!
//! Knows the domain model; knows nothing of files. Nationality is compared as one attribute of
//! identity among others; it is never a signal about a person by itself.

use linkwatch_model::{Encounter, EncounterSource};

use crate::data::RecordSource;
use crate::schema::Schema;

/// The schema used for encounters (`linkwatch resolve`).
pub const ENCOUNTER_SCHEMA: &str = r#"
id = "encounter_id"
threshold = 0.5
[[field]]
name = "given"
kind = "given_name"
swap_with = "family"
group = "name"
[[field]]
name = "family"
kind = "family_name"
swap_with = "given"
group = "name"
[[field]]
name = "full_name"
kind = "full_name"
group = "name"
[[field]]
name = "dob"
kind = "date"
[[field]]
name = "sex"
kind = "categorical"
[[field]]
name = "nationality"
kind = "categorical"
[[field]]
name = "document"
kind = "id_number"
[[field]]
name = "fingerprint"
kind = "biometric"
[[field]]
name = "phone"
kind = "phone"
[[field]]
name = "email"
kind = "email"
[[field]]
name = "destination"
kind = "postcode"
[blocking]
rules = [
  ["fingerprint"],
  ["document"],
  ["phone"],
  ["email"],
  ["full_name:sorted_tokens"],
  ["family:phonetic", "dob:year"],
  ["given:phonetic", "dob"],
  ["full_name:first_token", "dob"],
  ["full_name:last_token", "dob:month_day"],
]
max_block_size = 3000
"#;

pub fn encounter_schema() -> Schema {
    // The constant is tested; parsing cannot fail at run time.
    Schema::from_toml(ENCOUNTER_SCHEMA).unwrap_or_else(|e| panic!("built-in encounter schema: {e}"))
}

/// Field values of an encounter in [`ENCOUNTER_SCHEMA`] order.
pub fn encounter_values(e: &Encounter) -> [Option<String>; 11] {
    let name = e.subject.names.first();
    let (given, family) = match name {
        Some(n) => (n.given.clone(), n.family.clone()),
        None => (None, None),
    };
    let sex = match e.subject.sex {
        linkwatch_model::Sex::Male => Some("m".to_string()),
        linkwatch_model::Sex::Female => Some("f".to_string()),
        linkwatch_model::Sex::Unknown => None,
    };
    [
        given,
        family,
        name.map(|n| n.full.clone()),
        e.subject
            .dob
            .map(|d| d.to_string().trim_end_matches('~').to_string()),
        sex,
        e.subject
            .nationalities
            .first()
            .map(|c| c.as_str().to_string()),
        e.documents.first().map(|d| d.number.clone()),
        e.biometrics.fingerprint_id.clone(),
        e.contacts.phones.first().cloned(),
        e.contacts.emails.first().cloned(),
        e.us_address.as_ref().and_then(|a| a.postal_code.clone()),
    ]
}

/// Encounters of a store as records.
pub struct EncounterRecords<'a> {
    ids: Vec<&'a str>,
    values: Vec<[Option<String>; 11]>,
}

impl<'a> EncounterRecords<'a> {
    pub fn new(src: &'a dyn EncounterSource) -> Self {
        let mut ids = Vec::with_capacity(src.encounter_count());
        let mut values = Vec::with_capacity(src.encounter_count());
        for e in src.encounters() {
            ids.push(e.id.as_str());
            values.push(encounter_values(e));
        }
        EncounterRecords { ids, values }
    }
}

impl RecordSource for EncounterRecords<'_> {
    fn record_count(&self) -> usize {
        self.ids.len()
    }
    fn record_id(&self, i: usize) -> &str {
        self.ids[i]
    }
    fn value(&self, i: usize, field: usize) -> Option<&str> {
        self.values[i].get(field).and_then(|v| v.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_parses() {
        let s = encounter_schema();
        assert_eq!(s.fields.len(), encounter_values_len());
    }

    #[test]
    fn name_fields_are_one_evidence_group() {
        // The full name contains the given and family names: counting all three would
        // triple-count one agreement (false merges of namesakes).
        let s = encounter_schema();
        for f in ["given", "family", "full_name"] {
            let i = s.field_index(f).unwrap();
            assert_eq!(s.fields[i].group.as_deref(), Some("name"), "{f}");
        }
    }

    fn encounter_values_len() -> usize {
        11
    }
}
