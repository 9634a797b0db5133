//! [`ListSummary`]: what a watchlist load produced (entries by kind, aliases of persons, DOBs,
//! documents, nationalities) and what it refused (record-level rejects, field-level warnings).
//! Pure counting over model types; no I/O.

use crate::reject::Reject;
use linkwatch_model::{EntityKind, NameQuality, Script, WatchlistEntry};
use serde::{Deserialize, Serialize};

/// Counts for one loaded list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSummary {
    /// The list spec or file label.
    pub label: String,
    pub entries: u64,
    pub persons: u64,
    pub organizations: u64,
    pub vessels: u64,
    pub aircraft: u64,
    pub other: u64,
    /// All names of all entries (primary + aliases + original-script names).
    pub names: u64,
    /// Names of persons beyond their primary name.
    pub person_aliases: u64,
    pub person_aliases_strong: u64,
    pub person_aliases_weak: u64,
    /// Names (any entry) written in a non-Latin script.
    pub original_script_names: u64,
    /// Date-of-birth statements of persons (an exact date, a partial date or a range each count 1).
    pub dobs: u64,
    pub dob_ranges: u64,
    pub persons_with_dob: u64,
    /// Identity documents (all kinds) of all entries.
    pub documents: u64,
    /// Identity documents of persons.
    pub person_documents: u64,
    pub passports: u64,
    /// Nationality / citizenship statements of all entries.
    pub nationalities: u64,
    pub persons_with_nationality: u64,
    pub places_of_birth: u64,
    pub addresses: u64,
    /// Records dropped.
    pub rejects: u64,
    /// Field values dropped, records kept.
    pub warnings: u64,
}

impl ListSummary {
    pub fn new(label: &str) -> Self {
        ListSummary {
            label: label.to_string(),
            ..Default::default()
        }
    }

    pub fn add_entry(&mut self, e: &WatchlistEntry) {
        self.entries += 1;
        let person = e.kind == EntityKind::Person;
        match e.kind {
            EntityKind::Person => self.persons += 1,
            EntityKind::Organization => self.organizations += 1,
            EntityKind::Vessel => self.vessels += 1,
            EntityKind::Aircraft => self.aircraft += 1,
            EntityKind::Other => self.other += 1,
        }
        self.names += e.names.len() as u64;
        for n in &e.names {
            if n.script != Script::Latin {
                self.original_script_names += 1;
            }
            if person && n.quality != NameQuality::Primary {
                self.person_aliases += 1;
                match n.quality {
                    NameQuality::Weak => self.person_aliases_weak += 1,
                    _ => self.person_aliases_strong += 1,
                }
            }
        }
        if person {
            self.dobs += e.dobs.len() as u64;
            self.dob_ranges += e
                .dobs
                .iter()
                .filter(|d| matches!(d, linkwatch_model::DateSpec::Range { .. }))
                .count() as u64;
            if !e.dobs.is_empty() {
                self.persons_with_dob += 1;
            }
            if !e.nationalities.is_empty() {
                self.persons_with_nationality += 1;
            }
        }
        self.documents += e.documents.len() as u64;
        if person {
            self.person_documents += e.documents.len() as u64;
        }
        self.passports += e
            .documents
            .iter()
            .filter(|d| d.kind == linkwatch_model::DocumentKind::Passport)
            .count() as u64;
        self.nationalities += e.nationalities.len() as u64;
        self.places_of_birth += e.places_of_birth.len() as u64;
        self.addresses += e.addresses.len() as u64;
    }

    pub fn add_reject(&mut self, r: &Reject) {
        if r.is_record_level() {
            self.rejects += 1;
        } else {
            self.warnings += 1;
        }
    }

    /// Summarise a finished load.
    pub fn of(label: &str, entries: &[WatchlistEntry], rejects: &[Reject]) -> Self {
        let mut s = ListSummary::new(label);
        entries.iter().for_each(|e| s.add_entry(e));
        rejects.iter().for_each(|r| s.add_reject(r));
        s
    }

    /// `(label, value)` rows in display order, for tables.
    pub fn rows(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("entries", self.entries),
            ("persons", self.persons),
            ("organizations", self.organizations),
            ("vessels", self.vessels),
            ("aircraft", self.aircraft),
            ("other", self.other),
            ("names", self.names),
            ("aliases of persons", self.person_aliases),
            ("  strong", self.person_aliases_strong),
            ("  weak", self.person_aliases_weak),
            ("non-Latin names", self.original_script_names),
            ("DOBs of persons", self.dobs),
            ("  ranges", self.dob_ranges),
            ("persons with DOB", self.persons_with_dob),
            ("documents", self.documents),
            ("  of persons", self.person_documents),
            ("  passports", self.passports),
            ("nationalities", self.nationalities),
            ("places of birth", self.places_of_birth),
            ("addresses", self.addresses),
            ("rejects", self.rejects),
            ("warnings", self.warnings),
        ]
    }
}
