//! The generation driver: runs the plan chunk by chunk in parallel (rayon; every chunk's RNG
//! is seeded from `(seed, chunk)`), serialises records to JSON Lines and truth rows to CSV, and
//! hands the bytes to a [`Sink`] strictly in chunk order, so the output is byte-identical at
//! any thread count. Memory is bounded by one batch of chunks. Does no I/O itself.

use crate::encounter::{self, Crossing};
use crate::names::{self, Culture, Noise};
use crate::nat::{self, Region, NATS};
use crate::rng::{rng_for, Stream};
use crate::world::{self, evidence_label, Config, Person, World};
use crate::{GenerateError, OutFile, Phase, Sink};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use linkwatch_model::{
    Contacts, Country, DateSpec, Document, DocumentKind, EntityKind, Group, Indicator,
    IndicatorKind, ListRef, NameQuality, PartialDate, PartnerAlert, Sex, Subject, WatchlistEntry,
};
use rand::seq::SliceRandom;
use rand::Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

pub const LIST_ID: &str = "tsdb-synthetic";

/// Headline statistics of a generated world (written to `truth/summary.json`).
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize)]
pub struct Summary {
    pub seed: u64,
    pub start: String,
    pub end: String,
    pub encounters: u64,
    pub persons: u64,
    pub persons_encountered: u64,
    pub repeat_encounters: u64,
    pub repeat_rate: f64,
    pub by_nationality: BTreeMap<String, u64>,
    pub by_region: BTreeMap<String, u64>,
    pub by_sector: BTreeMap<String, u64>,
    pub at_ports_of_entry: u64,
    pub by_month: BTreeMap<String, u64>,
    pub with_fingerprint: u64,
    pub with_native_script_name: u64,
    /// Encounters of persons whose native name is not in Latin script.
    pub non_latin_native: u64,
    pub romanization_styles_used: BTreeMap<String, u64>,
    pub family_unit_encounters: u64,
    pub group_encounters: u64,
    pub networks: u64,
    pub network_member_persons: u64,
    pub network_member_encounters: u64,
    pub concern_network_id: String,
    pub concern_network_size: u64,
    pub concern_only_co_traveller: u64,
    pub concern_evidence: BTreeMap<String, u64>,
    pub largest_other_network: u64,
    pub network_size_histogram: BTreeMap<String, u64>,
    pub watchlist_entries: u64,
    pub watchlist_planted_persons: u64,
    pub watchlist_true_match_encounters: u64,
    pub encounters_per_true_match: f64,
    pub indicators: u64,
    pub indicators_about_concern: u64,
    pub partner_alerts: u64,
    pub surge_window_start: String,
    pub surge_window_end: String,
    pub surge_expected_extra: f64,
    pub surge_person_encounters: u64,
    pub central_asian_in_surge_window: u64,
    pub central_asian_same_weeks_other_years: u64,
    pub files: Vec<String>,
}

#[derive(Default)]
struct ChunkOut {
    encounters: Vec<u8>,
    persons: Vec<u8>,
    matches: Vec<u8>,
    networks: Vec<u8>,
    stats: Summary,
    net_sizes: BTreeMap<usize, u64>,
}

fn add_map(a: &mut BTreeMap<String, u64>, b: &BTreeMap<String, u64>) {
    for (k, v) in b {
        *a.entry(k.clone()).or_default() += v;
    }
}

fn merge(total: &mut Summary, c: &Summary) {
    total.repeat_encounters += c.repeat_encounters;
    total.persons_encountered += c.persons_encountered;
    add_map(&mut total.by_nationality, &c.by_nationality);
    add_map(&mut total.by_region, &c.by_region);
    add_map(&mut total.by_sector, &c.by_sector);
    add_map(&mut total.by_month, &c.by_month);
    add_map(
        &mut total.romanization_styles_used,
        &c.romanization_styles_used,
    );
    add_map(&mut total.concern_evidence, &c.concern_evidence);
    total.at_ports_of_entry += c.at_ports_of_entry;
    total.with_fingerprint += c.with_fingerprint;
    total.with_native_script_name += c.with_native_script_name;
    total.non_latin_native += c.non_latin_native;
    total.family_unit_encounters += c.family_unit_encounters;
    total.group_encounters += c.group_encounters;
    total.network_member_persons += c.network_member_persons;
    total.network_member_encounters += c.network_member_encounters;
    total.concern_only_co_traveller += c.concern_only_co_traveller;
    total.watchlist_true_match_encounters += c.watchlist_true_match_encounters;
    total.surge_person_encounters += c.surge_person_encounters;
    total.central_asian_in_surge_window += c.central_asian_in_surge_window;
    total.central_asian_same_weeks_other_years += c.central_asian_same_weeks_other_years;
}

fn push_json<T: Serialize>(buf: &mut Vec<u8>, v: &T) -> Result<(), GenerateError> {
    serde_json::to_writer(&mut *buf, v).map_err(|e| GenerateError::Serialize(e.to_string()))?;
    buf.push(b'\n');
    Ok(())
}

fn in_window(d: NaiveDate, s: NaiveDate, e: NaiveDate) -> bool {
    d >= s && d <= e
}

fn gen_chunk(w: &World, c: u64) -> Result<ChunkOut, GenerateError> {
    let (s, _) = w.chunk_bounds(c);
    let (slots, _) = w.plan_chunk(c, w.chunk_first_pid[c as usize]);
    let mut out = ChunkOut {
        encounters: Vec::with_capacity(slots.len() * 1400),
        ..Default::default()
    };
    let st = &mut out.stats;
    let sw = &w.timeline.surge_window;
    let mut cross: Option<(u32, Crossing)> = None;
    let mut companions_cache: Vec<String> = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        let idx = s + i as u64;
        let p = w.person(slot.pid);
        // The crossing (time, site) is shared by the group.
        let c = match cross {
            Some((g, c)) if g == slot.group_start && slot.group_len > 1 => c,
            _ => {
                let anchor = s + slot.group_start as u64;
                let lead = if slot.group_start as usize == i {
                    p.clone()
                } else {
                    w.person(slots[slot.group_start as usize].pid)
                };
                let c = encounter::crossing(w, anchor, &lead, w.timeline.time_of(anchor));
                cross = Some((slot.group_start, c));
                if slot.group_len > 1 {
                    let g0 = slot.group_start as usize;
                    companions_cache = (g0..g0 + slot.group_len as usize)
                        .map(|k| format!("ENC-{:08}", s + k as u64))
                        .collect();
                }
                c
            }
        };
        let group = if slot.group_len > 1 {
            let me = format!("ENC-{idx:08}");
            Some(Group {
                family_unit_id: slot
                    .family
                    .then(|| format!("FAM-{:08}", w.head_of(slot.pid))),
                group_id: Some(format!("GRP-{:08}", s + slot.group_start as u64)),
                companions: companions_cache
                    .iter()
                    .filter(|x| **x != me)
                    .take(12)
                    .cloned()
                    .collect(),
            })
        } else {
            None
        };
        let (e, style) = encounter::build(w, idx, &p, slot.new, c, group);
        *st.romanization_styles_used
            .entry(style.label())
            .or_default() += 1;
        push_json(&mut out.encounters, &e)?;
        // Truth rows.
        out.persons
            .extend_from_slice(format!("{},P{:08}\n", e.id, p.pid).as_bytes());
        if let Some(pos) = w.planted_entry(p.pid) {
            out.matches.extend_from_slice(
                format!("{},P{:08},{LIST_ID},{}\n", e.id, p.pid, entry_id(pos)).as_bytes(),
            );
            st.watchlist_true_match_encounters += 1;
        }
        if let Some((n, ev)) = p.network {
            st.network_member_encounters += 1;
            if slot.new {
                st.network_member_persons += 1;
                *out.net_sizes.entry(n).or_default() += 1;
                out.networks.extend_from_slice(
                    format!(
                        "P{:08},{},migrant,{}\n",
                        p.pid,
                        w.networks[n].id,
                        evidence_label(ev)
                    )
                    .as_bytes(),
                );
                if n == 0 {
                    for part in evidence_label(ev).split(';') {
                        *st.concern_evidence.entry(part.to_string()).or_default() += 1;
                    }
                    if ev == world::EV_CO_TRAVELLER {
                        st.concern_only_co_traveller += 1;
                    }
                }
            }
        }
        // Statistics.
        if slot.new {
            st.persons_encountered += 1;
        } else {
            st.repeat_encounters += 1;
        }
        *st.by_nationality.entry(p.nat.code.to_string()).or_default() += 1;
        *st.by_region
            .entry(p.nat.region.label().to_string())
            .or_default() += 1;
        *st.by_sector
            .entry(crate::geo::SECTORS[c.sector()].code.to_string())
            .or_default() += 1;
        let d = e.time.date_naive();
        *st.by_month
            .entry(format!("{:04}-{:02}", d.year(), d.month()))
            .or_default() += 1;
        if c.is_port() {
            st.at_ports_of_entry += 1;
        }
        if e.biometrics.fingerprint_id.is_some() {
            st.with_fingerprint += 1;
        }
        if e.subject
            .names
            .iter()
            .any(|n| n.script != linkwatch_model::Script::Latin)
        {
            st.with_native_script_name += 1;
        }
        if p.name.culture.system() != names::System::Latin {
            st.non_latin_native += 1;
        }
        if slot.family {
            st.family_unit_encounters += 1;
        }
        if slot.group_len > 1 {
            st.group_encounters += 1;
        }
        if p.surge {
            st.surge_person_encounters += 1;
        }
        if p.nat.region == Region::CentralAsia {
            if in_window(d, sw.start, sw.end) {
                st.central_asian_in_surge_window += 1;
            } else {
                for y in [-2i32, -1, 1, 2] {
                    let a = sw.start.with_year(sw.start.year() + y);
                    let b = sw.end.with_year(sw.end.year() + y);
                    if let (Some(a), Some(b)) = (a, b) {
                        if in_window(d, a, b) {
                            st.central_asian_same_weeks_other_years += 1;
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

pub fn entry_id(pos: u64) -> String {
    format!("TSDB-{:08}", pos + 1)
}

/// Watchlist nationalities: the encounter mix flattened, plus countries rarely seen at the
/// border (lists are global).
const WL_EXTRA: [(&str, Culture, f64); 6] = [
    ("SY", Culture::Mauritanian, 3.0),
    ("IQ", Culture::Mauritanian, 3.0),
    ("YE", Culture::Mauritanian, 2.0),
    ("SA", Culture::Mauritanian, 1.5),
    ("PK", Culture::Afghan, 3.0),
    ("IR", Culture::Afghan, 2.0),
];

fn wl_nat(u: f64) -> (&'static str, Culture) {
    let mut items: Vec<(&'static str, Culture, f64)> = NATS
        .iter()
        .map(|n| (n.code, n.culture, n.share.sqrt()))
        .collect();
    items.extend(WL_EXTRA);
    let total: f64 = items.iter().map(|x| x.2).sum();
    let mut acc = 0.0;
    for (c, cul, wt) in &items {
        acc += wt / total;
        if u < acc {
            return (c, *cul);
        }
    }
    ("MX", Culture::Mexican)
}

fn dob_spec(y: i16, m: u8, d: u8, rng: &mut impl Rng) -> Vec<DateSpec> {
    let u: f64 = rng.gen();
    let exact = PartialDate::ymd(y, m, d).unwrap_or(PartialDate::year(y));
    if u < 0.30 {
        vec![DateSpec::Date(exact)]
    } else if u < 0.60 {
        vec![DateSpec::Date(PartialDate::year(y))]
    } else if u < 0.72 {
        vec![DateSpec::Date(
            PartialDate::year_month(y, m).unwrap_or(PartialDate::year(y)),
        )]
    } else if u < 0.84 {
        vec![DateSpec::Range {
            from: PartialDate::year(y - 1),
            to: PartialDate::year(y + 1),
        }]
    } else if u < 0.92 {
        vec![DateSpec::Date(
            PartialDate::ymd(y, 1, 1).unwrap_or(PartialDate::year(y)),
        )]
    } else {
        vec![
            DateSpec::Date(exact),
            DateSpec::Date(PartialDate::year(y + 1)),
        ]
    }
}

const CATEGORIES: [&str; 5] = [
    "transnational-criminal-organization",
    "human-smuggling",
    "identity-fraud",
    "wanted-person",
    "sanctions-related",
];

fn wl_names(
    n: &names::NativeName,
    exclude: Option<names::Style>,
    rng: &mut impl Rng,
) -> Vec<linkwatch_model::Name> {
    let mut out = Vec::new();
    let mut style = names::any_style(n.culture, rng);
    for _ in 0..3 {
        if Some(style) != exclude {
            break;
        }
        style = names::any_style(n.culture, rng);
    }
    let mut nz = Noise::draw(rng, 0.0);
    nz.upper = true;
    nz.comma = true;
    nz.family_first = true;
    nz.swap_order = false;
    out.push(names::record(n, style, nz, NameQuality::Primary, rng));
    for _ in 0..rng.gen_range(0..3) {
        let s = names::any_style(n.culture, rng);
        let mut nz = Noise::draw(rng, 0.03);
        nz.swap_order = false;
        out.push(names::record(n, s, nz, NameQuality::Strong, rng));
    }
    if rng.gen_bool(0.5) {
        if let Some(mut nat) = names::native_script(n) {
            nat.quality = NameQuality::Strong;
            out.push(nat);
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|x| seen.insert(x.full.clone()));
    out
}

fn wl_entry(w: &World, pos: u64, planted: Option<u64>) -> WatchlistEntry {
    let mut rng = rng_for(w.seed(), Stream::Watchlist, pos);
    let start = w.cfg.start;
    let list = ListRef {
        list_id: LIST_ID.into(),
        version: (start + Duration::days(365 * w.cfg.years as i64)).to_string(),
    };
    let listed = start + Duration::days(rng.gen_range(-1500..(365 * w.cfg.years as i64 - 30)));
    let programs = vec![CATEGORIES[rng.gen_range(0..CATEGORIES.len())].to_string()];
    // What every synthetic entry shares; the person's fields are drawn below.
    let base = WatchlistEntry {
        list,
        entry_id: entry_id(pos),
        kind: EntityKind::Person,
        remarks: Some("Synthetic record (linkwatch scenario); not a real person.".into()),
        programs,
        caveat: Some("LES".into()),
        listed: Some(listed),
        ..Default::default()
    };
    if let Some(pid) = planted {
        let p: Person = w.person(pid);
        let names = wl_names(&p.name, Some(p.doc_style), &mut rng);
        let (y, m, d) = (p.dob.year() as i16, p.dob.month() as u8, p.dob.day() as u8);
        let documents: Vec<Document> = if rng.gen_bool(0.3) {
            p.passport.clone().into_iter().collect()
        } else {
            Vec::new()
        };
        return WatchlistEntry {
            names,
            sex: p.sex,
            dobs: dob_spec(y, m, d, &mut rng),
            nationalities: Country::from_alpha2(p.nat.code).into_iter().collect(),
            places_of_birth: p
                .place_of_birth
                .filter(|_| rng.gen_bool(0.5))
                .map(str::to_string)
                .into_iter()
                .collect(),
            documents,
            ..base
        };
    }
    let (cc, culture) = wl_nat(rng.gen());
    let sex = if rng.gen_bool(0.8) {
        Sex::Male
    } else {
        Sex::Female
    };
    let n = names::draw(culture, sex, None, &mut rng);
    let y = rng.gen_range(1950..2004) as i16;
    let (m, d) = (rng.gen_range(1..13) as u8, rng.gen_range(1..29) as u8);
    let nat = nat::NATS.iter().find(|x| x.code == cc);
    let documents = match nat {
        Some(nt) if rng.gen_bool(0.25) => vec![Document {
            kind: DocumentKind::Passport,
            number: world::doc_number(nt.passport.0, nt.passport.1, &mut rng),
            issuer: Country::from_alpha2(cc),
            expiry: None,
        }],
        _ => Vec::new(),
    };
    WatchlistEntry {
        names: wl_names(&n, None, &mut rng),
        sex,
        dobs: if rng.gen_bool(0.9) {
            dob_spec(y, m, d, &mut rng)
        } else {
            Vec::new()
        },
        nationalities: Country::from_alpha2(cc).into_iter().collect(),
        documents,
        updated: if rng.gen_bool(0.2) {
            Some(listed + Duration::days(rng.gen_range(30..900)))
        } else {
            None
        },
        ..base
    }
}

fn ts(d: NaiveDate, rng: &mut impl Rng) -> DateTime<Utc> {
    let n = d
        .and_hms_opt(rng.gen_range(6..20), rng.gen_range(0..60), 0)
        .unwrap_or_default();
    Utc.from_utc_datetime(&n)
}

fn addr_value(a: &linkwatch_model::Address) -> String {
    format!(
        "{}, {}, {} {}",
        a.line.as_deref().unwrap_or(""),
        a.city.as_deref().unwrap_or(""),
        a.region.as_deref().unwrap_or(""),
        a.postal_code.as_deref().unwrap_or("")
    )
}

fn facilitator_subject(f: &world::Facilitator, rng: &mut impl Rng) -> Subject {
    let s = names::any_style(f.name.culture, rng);
    let mut names_v = vec![names::record(
        &f.name,
        s,
        Noise::default(),
        NameQuality::Recorded,
        rng,
    )];
    names_v.extend(names::native_script(&f.name));
    Subject {
        names: names_v,
        sex: Sex::Male,
        dob: None,
        nationalities: Country::from_alpha2(f.nationality).into_iter().collect(),
        place_of_birth: None,
    }
}

/// The partner country that sends an alert about `subj`: its first nationality, else `default`.
fn partner_of(subj: &Subject, default: &str) -> String {
    subj.nationalities
        .first()
        .map(|c| c.as_str().to_string())
        .unwrap_or_else(|| default.to_string())
}

/// Indicators and partner alerts (small; generated single-threaded). Returns
/// (indicators, alerts, alert truth rows, count of indicators about the network of concern).
struct Intel {
    indicators: Vec<u8>,
    alerts: Vec<u8>,
    alert_truth: Vec<u8>,
    about_concern: u64,
    n_indicators: u64,
    n_alerts: u64,
}

fn intel(w: &World) -> Result<Intel, GenerateError> {
    let mut rng = rng_for(w.seed(), Stream::Intel, 0);
    let start = w.cfg.start;
    let days = w.timeline.days as i64;
    let mut inds: Vec<Indicator> = Vec::new();
    let concern = w.network_of_concern();
    // Intelligence on the network of concern arrives late: in the last third of the period.
    let late = |rng: &mut rand_chacha::ChaCha8Rng| {
        start + Duration::days(rng.gen_range(days * 2 / 3..days - 14))
    };
    let push = |inds: &mut Vec<Indicator>,
                kind,
                value: String,
                subject,
                net: &world::Network,
                conf: f32,
                source: &str,
                received: NaiveDate,
                rng: &mut rand_chacha::ChaCha8Rng| {
        let id = format!("IND-{:06}", inds.len() + 1);
        inds.push(Indicator {
            id,
            kind,
            value,
            subject,
            network_id: Some(net.id.clone()),
            confidence: conf,
            source: source.into(),
            caveat: Some("LES".into()),
            received: ts(received, rng),
            valid_from: Some(start),
            valid_to: None,
        });
    };
    // The network of concern's selectors, in the order they are drawn: (kind, value, confidence,
    // source); a facilitator's identity is drawn when its turn comes.
    enum Value<'a> {
        Text(String),
        Facilitator(&'a world::Facilitator),
    }
    let text = |kind, v: String, conf, source| (kind, Value::Text(v), conf, source);
    let selectors = (concern.phones.iter().take(4))
        .map(|ph| text(IndicatorKind::Phone, ph.clone(), 0.8, "HSI case file"))
        .chain(
            concern
                .accounts
                .iter()
                .take(3)
                .map(|a| text(IndicatorKind::Account, a.clone(), 0.7, "FinCEN referral")),
        )
        .chain(
            concern
                .safe_houses
                .iter()
                .take(2)
                .map(|sh| text(IndicatorKind::Address, addr_value(sh), 0.6, "HSI case file")),
        )
        .chain(concern.facilitators.iter().take(4).map(|f| {
            let v = Value::Facilitator(f);
            (IndicatorKind::PersonIdentity, v, 0.75, "partner liaison")
        }))
        .chain(
            [
                "Istanbul>Dubai",
                "Dubai>Mexico City",
                "Madrid>Mexico City",
                "Tapachula>Mexicali",
            ]
            .map(|leg| text(IndicatorKind::RouteLeg, leg.into(), 0.4, "open source")),
        );
    for (kind, value, conf, source) in selectors {
        let (value, subject) = match value {
            Value::Text(v) => (v, None),
            Value::Facilitator(f) => {
                let subj = facilitator_subject(f, &mut rng);
                (subj.names[0].full.clone(), Some(subj))
            }
        };
        let d = late(&mut rng);
        push(
            &mut inds, kind, value, subject, concern, conf, source, d, &mut rng,
        );
    }
    let concern_count = inds.len() as u64;
    for net in w.networks.iter().skip(1) {
        if !rng.gen_bool(0.15) {
            continue;
        }
        for _ in 0..rng.gen_range(1..4) {
            let d = start + Duration::days(rng.gen_range(30..days));
            let (kind, pool, conf, source) = if rng.gen_bool(0.6) {
                (IndicatorKind::Phone, &net.phones, 0.6, "HSI case file")
            } else {
                (
                    IndicatorKind::Account,
                    &net.accounts,
                    0.5,
                    "FinCEN referral",
                )
            };
            let v = pool.choose(&mut rng).cloned().unwrap_or_default();
            push(&mut inds, kind, v, None, net, conf, source, d, &mut rng);
        }
    }
    let mut ind_buf = Vec::new();
    for i in &inds {
        push_json(&mut ind_buf, i)?;
    }
    // Partner alerts.
    let mut alerts: Vec<(PartnerAlert, String)> = Vec::new();
    let mut alert = |rng: &mut rand_chacha::ChaCha8Rng,
                     partner: &str,
                     reason: &str,
                     subject: Subject,
                     docs: Vec<Document>,
                     contacts: Contacts,
                     truth: String,
                     when: NaiveDate| {
        let n = alerts.len() + 1;
        let Some(pc) = Country::from_alpha2(partner).or_else(|| Country::from_alpha2("MX")) else {
            return;
        };
        alerts.push((
            PartnerAlert {
                id: format!("PA-{n:05}"),
                partner: pc,
                reference: format!("{partner}-{}-{:05}", when.year(), rng.gen_range(1..99999)),
                reason: reason.into(),
                subject,
                documents: docs,
                contacts,
                received: ts(when, rng),
                caveat: Some("partner-originated: no further dissemination".into()),
            },
            truth,
        ));
    };
    for f in concern.facilitators.iter().take(3) {
        let subj = facilitator_subject(f, &mut rng);
        let partner = if f.nationality == "MX" {
            "MX"
        } else if f.nationality == "TR" {
            "TR"
        } else {
            "UZ"
        };
        let d = late(&mut rng);
        alert(
            &mut rng,
            partner,
            "organiser of irregular migration (human smuggling)",
            subj,
            Vec::new(),
            Contacts {
                phones: vec![f.phone.clone()],
                emails: Vec::new(),
            },
            format!("{},{},facilitator", f.id, concern.id),
            d,
        );
    }
    // Persons who do cross: some network-of-concern members and some planted watchlist persons.
    let person_alert =
        |w: &World, pid: u64, rng: &mut rand_chacha::ChaCha8Rng| -> (Subject, Vec<Document>) {
            let p = w.person(pid);
            let s = names::any_style(p.name.culture, rng);
            let mut nz = Noise::draw(rng, 0.05);
            nz.swap_order = false;
            let mut nm = vec![names::record(&p.name, s, nz, NameQuality::Recorded, rng)];
            if rng.gen_bool(0.5) {
                nm.extend(names::native_script(&p.name));
            }
            let dob = if rng.gen_bool(0.7) {
                Some(PartialDate::from_naive(p.dob))
            } else {
                Some(PartialDate::year(p.dob.year() as i16))
            };
            (
                Subject {
                    names: nm,
                    sex: p.sex,
                    dob,
                    nationalities: Country::from_alpha2(p.nat.code).into_iter().collect(),
                    place_of_birth: None,
                },
                p.passport.clone().into_iter().collect(),
            )
        };
    let members: Vec<u64> = w.concern.iter().map(|x| x.0).collect();
    for _ in 0..12.min(members.len()) {
        let pid = *members.choose(&mut rng).unwrap_or(&0);
        let (subj, docs) = person_alert(w, pid, &mut rng);
        let partner = partner_of(&subj, "UZ");
        let d = late(&mut rng);
        alert(
            &mut rng,
            &partner,
            "departed via organised smuggling route; suspected use of network services",
            subj,
            docs,
            Contacts::default(),
            format!("P{pid:08},{},migrant", concern.id),
            d,
        );
    }
    for (pid, _) in w.planted.iter().take(w.planted.len().div_ceil(3)) {
        let (subj, docs) = person_alert(w, *pid, &mut rng);
        let partner = partner_of(&subj, "MX");
        let d = start + Duration::days(rng.gen_range(0..days));
        alert(
            &mut rng,
            &partner,
            "wanted for serious crime in partner country",
            subj,
            docs,
            Contacts::default(),
            format!("P{pid:08},,watchlisted"),
            d,
        );
    }
    // Alerts about people who never cross.
    for k in 0..20u64 {
        let (cc, cul) = wl_nat(rng.gen());
        let n = names::draw(cul, Sex::Male, None, &mut rng);
        let s = names::any_style(cul, &mut rng);
        let subj = Subject {
            names: vec![names::record(
                &n,
                s,
                Noise::default(),
                NameQuality::Recorded,
                &mut rng,
            )],
            sex: Sex::Male,
            dob: Some(PartialDate::year(rng.gen_range(1960..2000))),
            nationalities: Country::from_alpha2(cc).into_iter().collect(),
            place_of_birth: None,
        };
        let partner = if NATS.iter().any(|x| x.code == cc) {
            cc
        } else {
            "MX"
        };
        let d = start + Duration::days(rng.gen_range(0..days));
        alert(
            &mut rng,
            partner,
            "person of interest (no encounter expected)",
            subj,
            Vec::new(),
            Contacts::default(),
            format!("none-{k},,none"),
            d,
        );
    }
    let mut al_buf = Vec::new();
    let mut truth = b"alert_id,person_id,network_id,role\n".to_vec();
    for (a, t) in &alerts {
        push_json(&mut al_buf, a)?;
        let mut parts = t.splitn(3, ',');
        let pid = parts.next().unwrap_or("");
        let pid = if pid.starts_with("none") { "" } else { pid };
        let net = parts.next().unwrap_or("");
        let role = parts.next().unwrap_or("");
        truth.extend_from_slice(format!("{},{pid},{net},{role}\n", a.id).as_bytes());
    }
    Ok(Intel {
        indicators: ind_buf,
        alerts: al_buf,
        alert_truth: truth,
        about_concern: concern_count,
        n_indicators: inds.len() as u64,
        n_alerts: alerts.len() as u64,
    })
}

/// Make chunks `0..n` in parallel, `batch` at a time, and hand each to `emit` strictly in chunk
/// order (so the output does not depend on the thread count); `done(end)` after each batch.
/// The first error in chunk order stops the run.
fn in_order<T: Send>(
    n: u64,
    batch: u64,
    make: impl Fn(u64) -> Result<T, GenerateError> + Sync,
    mut emit: impl FnMut(T) -> Result<(), GenerateError>,
    mut done: impl FnMut(u64),
) -> Result<(), GenerateError> {
    let mut c0 = 0;
    while c0 < n {
        let c1 = (c0 + batch).min(n);
        let outs: Vec<Result<T, GenerateError>> = (c0..c1).into_par_iter().map(&make).collect();
        for o in outs {
            emit(o?)?;
        }
        done(c1);
        c0 = c1;
    }
    Ok(())
}

/// Write `v` as pretty JSON plus a final newline.
fn write_pretty<T: Serialize>(
    sink: &mut dyn Sink,
    file: OutFile,
    v: &T,
) -> Result<(), GenerateError> {
    let mut buf =
        serde_json::to_vec_pretty(v).map_err(|e| GenerateError::Serialize(e.to_string()))?;
    buf.push(b'\n');
    sink.write(file, &buf)
}

/// Generate the world described by `cfg` into `sink`, reporting progress through `progress`.
pub fn generate(
    cfg: &Config,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(Phase, u64, u64),
) -> Result<Summary, GenerateError> {
    if cfg.encounters < world::MIN_ENCOUNTERS {
        return Err(GenerateError::TooSmall {
            encounters: cfg.encounters,
            min: world::MIN_ENCOUNTERS,
        });
    }
    progress(Phase::Planning, 0, 1);
    let w = World::new(cfg.clone());
    progress(Phase::Planning, 1, 1);
    let mut total = Summary {
        seed: cfg.seed,
        start: cfg.start.to_string(),
        end: (cfg.start + Duration::days(w.timeline.days as i64 - 1)).to_string(),
        encounters: cfg.encounters,
        persons: w.persons,
        ..Default::default()
    };
    // Network truth: facilitators first.
    let mut nets = b"person_id,network_id,role,link_evidence\n".to_vec();
    for n in &w.networks {
        for f in &n.facilitators {
            nets.extend_from_slice(format!("{},{},facilitator,identity\n", f.id, n.id).as_bytes());
        }
    }
    sink.write(OutFile::TruthNetworks, &nets)?;
    sink.write(OutFile::TruthPersons, b"encounter_id,person_id\n")?;
    sink.write(
        OutFile::TruthWatchlistMatches,
        b"encounter_id,person_id,list_id,entry_id\n",
    )?;
    let batch = (rayon::current_num_threads() * 4).max(4) as u64;
    let mut net_sizes: BTreeMap<usize, u64> = BTreeMap::new();
    in_order(
        w.n_chunks,
        batch,
        |c| gen_chunk(&w, c),
        |o| {
            sink.write(OutFile::Encounters, &o.encounters)?;
            sink.write(OutFile::TruthPersons, &o.persons)?;
            sink.write(OutFile::TruthWatchlistMatches, &o.matches)?;
            sink.write(OutFile::TruthNetworks, &o.networks)?;
            merge(&mut total, &o.stats);
            for (k, v) in o.net_sizes {
                *net_sizes.entry(k).or_default() += v;
            }
            Ok(())
        },
        |c1| progress(Phase::Encounters, w.chunk_bounds(c1 - 1).1, cfg.encounters),
    )?;
    // Watchlist.
    let m = cfg.watchlist_size.max(w.planted.len() as u64);
    let mut by_pos: Vec<(u64, u64)> = w.planted.iter().map(|&(p, pos)| (pos, p)).collect();
    by_pos.sort_unstable();
    let wl_chunk = 4096u64;
    in_order(
        m.div_ceil(wl_chunk),
        batch,
        |c| {
            let mut buf = Vec::with_capacity(wl_chunk as usize * 500);
            for pos in c * wl_chunk..((c + 1) * wl_chunk).min(m) {
                let planted = by_pos
                    .binary_search_by_key(&pos, |x| x.0)
                    .ok()
                    .map(|i| by_pos[i].1);
                push_json(&mut buf, &wl_entry(&w, pos, planted))?;
            }
            Ok(buf)
        },
        |buf| sink.write(OutFile::Watchlist, &buf),
        |c1| progress(Phase::Watchlist, (c1 * wl_chunk).min(m), m),
    )?;
    // Intelligence.
    let it = intel(&w)?;
    sink.write(OutFile::Indicators, &it.indicators)?;
    sink.write(OutFile::PartnerAlerts, &it.alerts)?;
    sink.write(OutFile::TruthPartnerAlerts, &it.alert_truth)?;
    let (concern_inds, n_inds, n_alerts) = (it.about_concern, it.n_indicators, it.n_alerts);
    // Summary and surge truth.
    total.repeat_rate = total.repeat_encounters as f64 / cfg.encounters as f64;
    total.networks = w.networks.len() as u64;
    total.concern_network_id = w.network_of_concern().id.clone();
    total.concern_network_size = net_sizes.get(&0).copied().unwrap_or(0);
    total.largest_other_network = net_sizes
        .iter()
        .filter(|(k, _)| **k != 0)
        .map(|x| *x.1)
        .max()
        .unwrap_or(0);
    for (k, v) in &net_sizes {
        if *k == 0 {
            continue;
        }
        let b = match v {
            1..=4 => "001-004",
            5..=19 => "005-019",
            20..=99 => "020-099",
            100..=399 => "100-399",
            _ => "400+",
        };
        *total
            .network_size_histogram
            .entry(b.to_string())
            .or_default() += 1;
    }
    total.watchlist_entries = m;
    total.watchlist_planted_persons = w.planted.len() as u64;
    total.encounters_per_true_match = if total.watchlist_true_match_encounters > 0 {
        cfg.encounters as f64 / total.watchlist_true_match_encounters as f64
    } else {
        0.0
    };
    total.indicators = n_inds;
    total.indicators_about_concern = concern_inds;
    total.partner_alerts = n_alerts;
    let sw = &w.timeline.surge_window;
    total.surge_window_start = sw.start.to_string();
    total.surge_window_end = sw.end.to_string();
    total.surge_expected_extra = (sw.extra * 10.0).round() / 10.0;
    total.files = OutFile::ALL.iter().map(|f| f.path().to_string()).collect();
    let surge = serde_json::json!({
        "region": "Central Asia",
        "countries": nat::SURGE_MIX.iter().map(|x| x.0).collect::<Vec<_>>(),
        "country_shares": nat::SURGE_MIX.iter().map(|x| serde_json::json!({"country": x.0, "share": x.1})).collect::<Vec<_>>(),
        "sectors": ["SDC", "TCA", "ELC"],
        "start_week": sw.start.to_string(),
        "end_week": (sw.end - Duration::days(6)).to_string(),
        "last_day": sw.end.to_string(),
        "extra": total.surge_expected_extra,
        "extra_realised": total.surge_person_encounters,
        "central_asian_in_window": total.central_asian_in_surge_window,
    });
    write_pretty(sink, OutFile::TruthSurge, &surge)?;
    write_pretty(sink, OutFile::TruthSummary, &total)?;
    progress(Phase::Done, 1, 1);
    let _ = NaiveDate::from_ymd_opt(2000, 1, 1);
    Ok(total)
}
