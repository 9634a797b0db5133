//! The records linkwatch ingests: encounters, watchlist entries, intelligence indicators and
//! partner alerts, and the pieces they share (names, documents, places, contacts).
//!
//! These are plain data. They know nothing of files, scoring or storage. Identifiers inside them
//! are already normalised (see [`crate::ident`], [`crate::country`], [`crate::date`]).

use crate::country::Country;
use crate::date::{DateSpec, PartialDate};
use crate::ident::DocumentKind;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Writing system of a name as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    #[default]
    Latin,
    Cyrillic,
    Arabic,
    Han,
    Devanagari,
    Georgian,
    Armenian,
    Other,
}

/// How much a list trusts a name. Encounters record names as `Recorded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NameQuality {
    /// The primary name of a list entry.
    Primary,
    /// A strong / good-quality alias.
    Strong,
    /// A weak / low-quality alias (nickname, nom de guerre).
    Weak,
    /// A name written down at an encounter (or in a partner alert).
    #[default]
    Recorded,
}

/// A person's or organisation's name as a source gave it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Name {
    /// The whole name as written (`"Abdulla Karimov"`, `"KARIMOV, Abdulla"`, `"Абдулла Каримов"`).
    pub full: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Patronymic or nasab (`"Rustamovich"`, `"bin Ahmad"`, `"Rustam o‘g‘li"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
    #[serde(default)]
    pub script: Script,
    #[serde(default)]
    pub quality: NameQuality,
}

impl Name {
    pub fn full(full: impl Into<String>) -> Self {
        Name {
            full: full.into(),
            ..Default::default()
        }
    }
}

/// Sex as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
    #[default]
    Unknown,
}

/// An identity document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocumentKind,
    /// Normalised: upper case, no separators.
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Country>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<NaiveDate>,
}

/// Biometric identifiers. The fingerprint id is the system-assigned identification number of an
/// enrolled ten-print set (as IDENT/HART FINs): equal ids mean the same person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Biometrics {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_template_ref: Option<String>,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State, province or region (two-letter USPS code for US addresses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
}

/// Where an encounter happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub kind: PlaceKind,
    /// Stable code (`"SDC"` for San Diego sector, `"POE-SYS"` for San Ysidro).
    pub code: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    BorderSector,
    PortOfEntry,
    Interior,
}

/// Mode of a travel leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TravelMode {
    Air,
    Land,
    Sea,
    Foot,
}

/// One leg of a declared or reconstructed route.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RouteLeg {
    /// City or place name as recorded (`"Istanbul"`).
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<TravelMode>,
}

/// Phones (E.164) and e-mails (lower case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Contacts {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
}

/// A US sponsor or contact person given at the encounter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Sponsor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

/// People crossing together.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Group {
    /// Family unit id assigned at the encounter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_unit_id: Option<String>,
    /// Group apprehended together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Encounter ids of the companions, when known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub companions: Vec<String>,
}

/// What the subject declared about whoever arranged the journey.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Facilitator {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Payment account, wallet or transfer reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_usd: Option<u32>,
}

/// Outcome of an encounter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Disposition {
    /// Released with a notice to appear.
    ReleasedPendingCourt {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        court_date: Option<NaiveDate>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address: Option<Address>,
    },
    Detained,
    Removed,
    /// Expelled / returned to the neighbouring country.
    Returned,
    Paroled {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<NaiveDate>,
    },
    Other {
        text: String,
    },
}

/// Biographic identity of a person as one source describes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Subject {
    pub names: Vec<Name>,
    #[serde(default)]
    pub sex: Sex,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dob: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<Country>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_of_birth: Option<String>,
}

/// Reference to the system and record an item came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct SourceRef {
    pub system: String,
    pub record_id: String,
}

/// One processing of one person at the border.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Encounter {
    pub id: String,
    pub time: DateTime<Utc>,
    pub place: Place,
    /// `"USBP"` (Border Patrol, between ports) or `"OFO"` (Field Operations, at ports).
    pub agency: String,
    pub subject: Subject,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    #[serde(default)]
    pub biometrics: Biometrics,
    #[serde(default)]
    pub contacts: Contacts,
    /// Declared US destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub us_address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsor: Option<Sponsor>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub travel: Vec<RouteLeg>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilitator: Option<Facilitator>,
    pub disposition: Disposition,
    pub source: SourceRef,
}

/// Person or organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    #[default]
    Person,
    Organization,
    Vessel,
    Aircraft,
    Other,
}

/// Which list and which version of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct ListRef {
    /// `"ofac-sdn"`, `"un-sc"`, `"tsdb-synthetic"`, ...
    pub list_id: String,
    /// Publication date or label.
    pub version: String,
}

/// One entry on a watchlist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WatchlistEntry {
    pub list: ListRef,
    pub entry_id: String,
    pub kind: EntityKind,
    /// Primary name first, then aliases; each with its quality and script.
    pub names: Vec<Name>,
    #[serde(default)]
    pub sex: Sex,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dobs: Vec<DateSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<Country>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places_of_birth: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    #[serde(default)]
    pub biometrics: Biometrics,
    #[serde(default, skip_serializing_if = "Contacts::is_empty")]
    pub contacts: Contacts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    /// Handling caveat (e.g. `"LES"`, `"partner-originated: no further dissemination"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<NaiveDate>,
}

impl Contacts {
    pub fn is_empty(&self) -> bool {
        self.phones.is_empty() && self.emails.is_empty()
    }
}

/// What an intelligence selector is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    Phone,
    Email,
    /// Payment account, wallet, transfer reference.
    Account,
    Document,
    Address,
    /// A person identity (value is a name; `subject` carries details).
    PersonIdentity,
    Vehicle,
    /// A route leg, value `"Istanbul>Dubai"` style or a single place.
    RouteLeg,
}

/// An intelligence selector tied to a network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: String,
    pub kind: IndicatorKind,
    /// Normalised value (E.164 phone, lower-case e-mail, document number without separators...).
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_id: Option<String>,
    /// 0..=1, as assessed by the source.
    pub confidence: f32,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
    /// When the indicator became known to us (drives "arrives late" re-vetting).
    pub received: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
}

/// An identity sent by a partner country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerAlert {
    pub id: String,
    pub partner: Country,
    /// Partner's reference number.
    pub reference: String,
    pub reason: String,
    pub subject: Subject,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    #[serde(default)]
    pub contacts: Contacts,
    pub received: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
}
