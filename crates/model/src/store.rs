//! Storage seams. Engines read and write records only through these traits; the SQLite and
//! PostgreSQL stores of later waves implement them, and [`MemoryStore`] is the in-memory twin
//! used by tests, benchmarks and one-shot CLI runs.
//!
//! Nothing here knows SQL, files or the network.

use crate::types::{Encounter, Indicator, PartnerAlert, WatchlistEntry};

/// Read access to encounter history, in insertion order.
pub trait EncounterSource {
    fn encounter_count(&self) -> usize;
    fn encounter(&self, id: &str) -> Option<&Encounter>;
    fn encounters(&self) -> Box<dyn Iterator<Item = &Encounter> + '_>;
}

/// Read access to the watchlist entries currently in force (all lists, all versions loaded).
pub trait WatchlistSource {
    fn entry_count(&self) -> usize;
    fn entry(&self, list_id: &str, entry_id: &str) -> Option<&WatchlistEntry>;
    fn entries(&self) -> Box<dyn Iterator<Item = &WatchlistEntry> + '_>;
}

/// Append-only sink for the ground truth a store keeps.
pub trait RecordSink {
    /// Add an encounter. Returns `false` when a record with the same id is already present (an
    /// interrupted ingest re-run must not duplicate).
    fn put_encounter(&mut self, e: Encounter) -> bool;
    fn put_entry(&mut self, e: WatchlistEntry) -> bool;
    fn put_indicator(&mut self, i: Indicator) -> bool;
    fn put_alert(&mut self, a: PartnerAlert) -> bool;
}

/// Everything in memory, keyed for idempotent insertion.
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    encounters: Vec<Encounter>,
    encounter_ix: std::collections::HashMap<String, usize>,
    entries: Vec<WatchlistEntry>,
    entry_ix: std::collections::HashMap<(String, String), usize>,
    pub indicators: Vec<Indicator>,
    pub alerts: Vec<PartnerAlert>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl EncounterSource for MemoryStore {
    fn encounter_count(&self) -> usize {
        self.encounters.len()
    }
    fn encounter(&self, id: &str) -> Option<&Encounter> {
        self.encounter_ix.get(id).map(|&i| &self.encounters[i])
    }
    fn encounters(&self) -> Box<dyn Iterator<Item = &Encounter> + '_> {
        Box::new(self.encounters.iter())
    }
}

impl WatchlistSource for MemoryStore {
    fn entry_count(&self) -> usize {
        self.entries.len()
    }
    fn entry(&self, list_id: &str, entry_id: &str) -> Option<&WatchlistEntry> {
        self.entry_ix
            .get(&(list_id.to_string(), entry_id.to_string()))
            .map(|&i| &self.entries[i])
    }
    fn entries(&self) -> Box<dyn Iterator<Item = &WatchlistEntry> + '_> {
        Box::new(self.entries.iter())
    }
}

impl RecordSink for MemoryStore {
    fn put_encounter(&mut self, e: Encounter) -> bool {
        if self.encounter_ix.contains_key(&e.id) {
            return false;
        }
        self.encounter_ix
            .insert(e.id.clone(), self.encounters.len());
        self.encounters.push(e);
        true
    }
    fn put_entry(&mut self, e: WatchlistEntry) -> bool {
        let key = (e.list.list_id.clone(), e.entry_id.clone());
        if self.entry_ix.contains_key(&key) {
            return false;
        }
        self.entry_ix.insert(key, self.entries.len());
        self.entries.push(e);
        true
    }
    fn put_indicator(&mut self, i: Indicator) -> bool {
        if self.indicators.iter().any(|x| x.id == i.id) {
            return false;
        }
        self.indicators.push(i);
        true
    }
    fn put_alert(&mut self, a: PartnerAlert) -> bool {
        if self.alerts.iter().any(|x| x.id == a.id) {
            return false;
        }
        self.alerts.push(a);
        true
    }
}
