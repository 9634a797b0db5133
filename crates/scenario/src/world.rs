//! The world: configuration, the encounter plan (who crosses when, new or repeat, with whom),
//! persons (a pure function of the seed and person id, regenerated on demand so memory stays
//! bounded), smuggling networks, the network of concern and the planted watchlist persons.
//!
//! Knows no file format and does no I/O; `crate::output` turns the world into records.

use crate::geo;
use crate::names::{self, Culture, NativeName, Style};
use crate::nat::{self, Nat, Region, CONCERN_MIX, NATS, SURGE_MIX};
use crate::rng::{rng_for, unit, Stream};
use crate::time::Timeline;
use chrono::{Datelike, Duration, NaiveDate};
use linkwatch_model::{Address, Country, Document, DocumentKind, Sex};
use rand::seq::SliceRandom;
use rand::Rng;

/// Parameters of a scenario.
#[derive(Clone, Debug)]
pub struct Config {
    pub encounters: u64,
    pub seed: u64,
    pub watchlist_size: u64,
    pub start: NaiveDate,
    pub years: u32,
    /// Target share of encounters that are repeat encounters of an earlier person.
    pub repeat_share: f64,
    /// Size of the network of concern (fixed whatever `encounters` is).
    pub concern_size: usize,
    /// One true watchlist match per this many encounters.
    pub match_every: f64,
    /// Extra Central Asian surge encounters as a share of all encounters.
    pub surge_share: f64,
}

impl Config {
    pub fn new(encounters: u64, seed: u64) -> Config {
        Config {
            encounters,
            seed,
            watchlist_size: 1_000_000,
            start: NaiveDate::from_ymd_opt(2021, 10, 1).unwrap_or_default(),
            years: 3,
            repeat_share: 0.20,
            concern_size: 432,
            match_every: 7_000.0,
            surge_share: 0.004,
        }
    }
}

/// Minimum number of encounters (the network of concern alone needs hundreds of persons).
pub const MIN_ENCOUNTERS: u64 = 2_000;

pub const EV_PHONE: u8 = 1;
pub const EV_ACCOUNT: u8 = 2;
pub const EV_SAFE_HOUSE: u8 = 4;
pub const EV_FACILITATOR: u8 = 8;
pub const EV_CO_TRAVELLER: u8 = 16;

pub fn evidence_label(ev: u8) -> String {
    let mut v = Vec::new();
    for (bit, name) in [
        (EV_PHONE, "phone"),
        (EV_ACCOUNT, "account"),
        (EV_SAFE_HOUSE, "safe_house"),
        (EV_FACILITATOR, "facilitator_name"),
        (EV_CO_TRAVELLER, "co-traveller"),
    ] {
        if ev & bit != 0 {
            v.push(name);
        }
    }
    v.join(";")
}

/// A facilitator of a network.
#[derive(Clone, Debug)]
pub struct Facilitator {
    pub id: String,
    pub name: NativeName,
    pub phone: String,
    pub nationality: &'static str,
}

/// A smuggling network.
#[derive(Clone, Debug)]
pub struct Network {
    pub id: String,
    pub concern: bool,
    pub region: Region,
    pub facilitators: Vec<Facilitator>,
    pub phones: Vec<String>,
    pub accounts: Vec<String>,
    pub safe_houses: Vec<Address>,
    pub routes: Vec<&'static [geo::Stop]>,
    /// Fee in USD per person.
    pub fee: u32,
}

/// One encounter slot of the plan.
#[derive(Clone, Copy, Debug)]
pub struct Slot {
    pub pid: u64,
    pub new: bool,
    /// First slot index (within the chunk) of the group this slot crosses with; itself if alone.
    pub group_start: u32,
    pub group_len: u32,
    /// The group is a family unit (same household).
    pub family: bool,
}

/// A person of the world (regenerated from its id whenever needed).
#[derive(Clone, Debug)]
pub struct Person {
    pub pid: u64,
    pub head: u64,
    pub nat: &'static Nat,
    pub sex: Sex,
    pub dob: NaiveDate,
    /// Only the birth year is known: documents carry 1 January.
    pub dob_year_only: bool,
    pub name: NativeName,
    pub doc_style: Style,
    pub passport: Option<Document>,
    pub national_id: Option<Document>,
    /// A second document that shows up at some later encounters.
    pub other_doc: Option<Document>,
    pub fingerprint_id: String,
    pub phone: String,
    pub email: Option<String>,
    pub dest: Address,
    pub sponsor_name: Option<NativeName>,
    pub sponsor_phone: String,
    pub network: Option<(usize, u8)>,
    pub place_of_birth: Option<&'static str>,
    pub surge: bool,
    pub child: bool,
    pub family_group: bool,
}

pub struct World {
    pub cfg: Config,
    pub timeline: Timeline,
    pub chunk: u64,
    pub n_chunks: u64,
    /// First new person id of each chunk (plus the total at the end).
    pub chunk_first_pid: Vec<u64>,
    pub persons: u64,
    /// Members of the network of concern: (pid, evidence), sorted by pid.
    pub concern: Vec<(u64, u8)>,
    pub networks: Vec<Network>,
    /// Per region: (network index, cumulative weight).
    region_nets: Vec<Vec<(usize, f64)>>,
    /// Planted watchlist persons: (pid, entry position), sorted by pid.
    pub planted: Vec<(u64, u64)>,
    repeat_event_p: f64,
    nat_cum: [Vec<f64>; 3],
}

const GROUP_BLOCK: u64 = 8;
const GROUP_START_P: f64 = 0.74;

fn weighted<T: Copy>(items: &[(T, f64)], u: f64) -> T {
    let total: f64 = items.iter().map(|x| x.1).sum();
    let mut acc = 0.0;
    for &(t, w) in items {
        acc += w / total;
        if u < acc {
            return t;
        }
    }
    items[items.len() - 1].0
}

impl World {
    /// Plan the world: a cheap sequential pass over chunks fixes how many new persons each
    /// chunk introduces; then the network of concern and the planted watchlist persons are
    /// chosen. Memory is O(chunks + networks), not O(encounters).
    pub fn new(cfg: Config) -> World {
        let n = cfg.encounters.max(1);
        let timeline = Timeline::new(cfg.start, cfg.years, n, cfg.surge_share);
        let chunk = (n / 512).clamp(256, 4096);
        let n_chunks = n.div_ceil(chunk);
        // Mean size of a crossing group under the block rule.
        let mean_group = mean_group_size();
        let r = cfg.repeat_share.clamp(0.0, 0.9);
        // Share of events that are repeats so that `r` of encounters are.
        let q = r * mean_group / (1.0 - r + r * mean_group);
        let mut nat_cum: [Vec<f64>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for (y, cum) in nat_cum.iter_mut().enumerate() {
            let mut acc = 0.0;
            for nt in NATS {
                acc += nt.share * nt.trend[y];
                cum.push(acc);
            }
        }
        let mut w = World {
            cfg,
            timeline,
            chunk,
            n_chunks,
            chunk_first_pid: Vec::with_capacity(n_chunks as usize + 1),
            persons: 0,
            concern: Vec::new(),
            networks: Vec::new(),
            region_nets: vec![Vec::new(); Region::ALL.len()],
            planted: Vec::new(),
            repeat_event_p: q,
            nat_cum,
        };
        let mut pid = 0;
        for c in 0..n_chunks {
            w.chunk_first_pid.push(pid);
            let (_, next) = w.plan_chunk(c, pid);
            pid = next;
        }
        w.chunk_first_pid.push(pid);
        w.persons = pid;
        w.choose_concern();
        w.build_networks();
        w.choose_planted();
        w
    }

    pub fn seed(&self) -> u64 {
        self.cfg.seed
    }

    fn chunk_range(&self, c: u64) -> (u64, u64) {
        let s = c * self.chunk;
        (s, (s + self.chunk).min(self.cfg.encounters))
    }

    /// Encounter index range of chunk `c`.
    pub fn chunk_bounds(&self, c: u64) -> (u64, u64) {
        self.chunk_range(c)
    }

    /// Whether person `p` starts a crossing group (pure function of the id).
    fn group_start(&self, p: u64) -> bool {
        p & (GROUP_BLOCK - 1) == 0 || unit(self.cfg.seed, Stream::Household, p) < GROUP_START_P
    }

    /// Head of the crossing group of `p`.
    pub fn head_of(&self, p: u64) -> u64 {
        let mut q = p;
        while !self.group_start(q) {
            q -= 1;
        }
        q
    }

    /// One past the last member of the group starting at head `h`.
    fn group_end(&self, h: u64) -> u64 {
        let mut q = h + 1;
        while !self.group_start(q) {
            q += 1;
        }
        q
    }

    fn is_family(&self, head: u64) -> bool {
        unit(self.cfg.seed, Stream::Family, head) < 0.7
    }

    /// The plan of chunk `c` given its first new person id. Pure: the same inputs always give
    /// the same slots. Returns the slots and the next new person id.
    pub fn plan_chunk(&self, c: u64, first_pid: u64) -> (Vec<Slot>, u64) {
        let (s, e) = self.chunk_range(c);
        let len = (e - s) as usize;
        let mut rng = rng_for(self.cfg.seed, Stream::Plan, c);
        let mut slots = Vec::with_capacity(len);
        let mut pid = first_pid;
        while slots.len() < len {
            let here = slots.len() as u32;
            if pid > 0 && rng.gen_bool(self.repeat_event_p) {
                let p = self.pick_repeat(pid, &mut rng);
                slots.push(Slot {
                    pid: p,
                    new: false,
                    group_start: here,
                    group_len: 1,
                    family: false,
                });
                continue;
            }
            let head = self.head_of(pid);
            let end = self.group_end(head);
            let take = ((end - pid) as usize).min(len - slots.len());
            let family = take > 1 && self.is_family(head);
            for k in 0..take {
                slots.push(Slot {
                    pid: pid + k as u64,
                    new: true,
                    group_start: here,
                    group_len: take as u32,
                    family,
                });
            }
            pid += take as u64;
        }
        // Larger groups apprehended together (several households and repeaters).
        let mut i = 0;
        while i < slots.len() {
            if slots[i].group_len == 1 && rng.gen_bool(0.01) {
                let mut end = (i + rng.gen_range(6..30)).min(slots.len());
                // Never cut a household in two.
                while end < slots.len() && slots[end].group_start as usize != end {
                    end += 1;
                }
                let size = end - i;
                let start = i as u32;
                for s in &mut slots[i..end] {
                    s.group_start = start;
                    s.group_len = size as u32;
                }
                i += size;
            } else {
                i += slots[i].group_len.max(1) as usize - (i - slots[i].group_start as usize);
            }
        }
        (slots, pid)
    }

    fn pick_repeat(&self, pid: u64, rng: &mut impl Rng) -> u64 {
        let mut p = 0;
        for _ in 0..4 {
            p = if rng.gen_bool(0.75) {
                let mean = (pid as f64 * 0.04).max(30.0);
                let off = (-mean * (1.0 - rng.gen::<f64>()).ln()) as u64;
                pid.saturating_sub(1 + off)
            } else {
                rng.gen_range(0..pid)
            };
            if rng.gen_bool(
                self.base_nationality(self.head_of(p))
                    .repeat
                    .clamp(0.0, 1.0),
            ) {
                break;
            }
        }
        p
    }

    /// Day (index from start) around which person `p` first crosses.
    pub fn nominal_day(&self, p: u64) -> usize {
        let c = self
            .chunk_first_pid
            .partition_point(|&f| f <= p)
            .saturating_sub(1) as u64;
        let c = c.min(self.n_chunks.saturating_sub(1));
        let (s, e) = self.chunk_range(c);
        self.timeline.day_of(self.timeline.time_of((s + e) / 2))
    }

    pub fn concern_evidence(&self, p: u64) -> Option<u8> {
        self.concern
            .binary_search_by_key(&p, |x| x.0)
            .ok()
            .map(|i| self.concern[i].1)
    }

    /// The surge draw of a group head (independent of the network of concern).
    fn surge_draw(&self, head: u64) -> bool {
        // The surge share is of encounters; only first arrivals can be surge persons.
        let p = self.timeline.surge_prob(self.nominal_day(head))
            / (1.0 - self.cfg.repeat_share).max(0.1);
        unit(self.cfg.seed, Stream::Person, head ^ 0x5u64.rotate_left(60)) < p
    }

    /// Whether person `p` is one of the planted Central Asian surge arrivals.
    pub fn is_surge(&self, p: u64) -> bool {
        let head = self.head_of(p);
        self.concern_evidence(head).is_none() && self.surge_draw(head)
    }

    /// Nationality ignoring the network of concern (used while planning, before the network
    /// is chosen, so the plan never depends on it).
    fn base_nationality(&self, head: u64) -> &'static Nat {
        let u = unit(self.cfg.seed, Stream::Person, head);
        if self.surge_draw(head) {
            return nat::nat(weighted(&SURGE_MIX, u));
        }
        let y = self.timeline.year_of(self.nominal_day(head));
        let cum = &self.nat_cum[y];
        let x = u * cum[cum.len() - 1];
        let i = cum.partition_point(|&c| c <= x).min(NATS.len() - 1);
        &NATS[i]
    }

    /// Nationality of person `p` (group members share the head's).
    pub fn nationality(&self, p: u64) -> &'static Nat {
        let head = self.head_of(p);
        if self.concern_evidence(head).is_some() {
            let u = unit(self.cfg.seed, Stream::Person, head);
            return nat::nat(weighted(&CONCERN_MIX, u));
        }
        self.base_nationality(head)
    }

    fn choose_concern(&mut self) {
        let mut rng = rng_for(self.cfg.seed, Stream::Concern, 0);
        let target = self.cfg.concern_size.min(self.persons as usize / 3);
        let mut set: Vec<(u64, u8)> = Vec::with_capacity(target + 8);
        let mut seen = std::collections::HashSet::new();
        let mut guard = 0;
        while set.len() < target && guard < target * 50 {
            guard += 1;
            let head = self.head_of(rng.gen_range(0..self.persons));
            if !seen.insert(head) {
                continue;
            }
            let end = self.group_end(head).min(self.persons);
            for p in head..end {
                if set.len() >= target {
                    break;
                }
                let ev = if p == head || rng.gen_bool(0.35) {
                    draw_evidence(&mut rng)
                } else {
                    EV_CO_TRAVELLER
                };
                set.push((p, ev));
            }
        }
        set.sort_unstable_by_key(|x| x.0);
        self.concern = set;
    }

    fn build_networks(&mut self) {
        let seed = self.cfg.seed;
        let mut nets = vec![make_network(seed, 0, Region::CentralAsia, true)];
        let region_share: Vec<f64> = Region::ALL
            .iter()
            .map(|r| {
                NATS.iter()
                    .filter(|n| n.region == *r)
                    .map(|n| n.share)
                    .sum::<f64>()
                    / 100.0
            })
            .collect();
        for (ri, r) in Region::ALL.iter().enumerate() {
            let members = self.persons as f64 * region_share[ri] * member_prob(*r);
            // Networks of different sizes: mean ~50 persons, log-normal spread (a few dozen
            // to several hundred), so the network of concern is large but not unique in kind.
            let k = ((members / 50.0).round() as usize).clamp(2, 200_000);
            let mut list = Vec::with_capacity(k);
            let mut acc = 0.0;
            let mut rng = rng_for(seed, Stream::Network, u64::MAX - ri as u64);
            for _ in 0..k {
                let idx = nets.len();
                nets.push(make_network(seed, idx as u64, *r, false));
                let (u1, u2): (f64, f64) = (rng.gen::<f64>().max(1e-12), rng.gen());
                let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
                acc += (0.7 * z).exp();
                list.push((idx, acc));
            }
            self.region_nets[ri] = list;
        }
        self.networks = nets;
    }

    fn choose_planted(&mut self) {
        let mut rng = rng_for(self.cfg.seed, Stream::WatchlistPick, 0);
        let per_person = self.cfg.encounters as f64 / self.persons.max(1) as f64;
        let k = planted_count(self.cfg.encounters, self.persons, self.cfg.match_every);
        let m = self.cfg.watchlist_size.max(k as u64);
        let mut pids = std::collections::BTreeSet::new();
        while pids.len() < k && pids.len() < self.persons as usize {
            pids.insert(rng.gen_range(0..self.persons));
        }
        let mut positions = std::collections::BTreeSet::new();
        while positions.len() < pids.len() {
            positions.insert(rng.gen_range(0..m));
        }
        let mut pos: Vec<u64> = positions.into_iter().collect();
        pos.shuffle(&mut rng);
        self.planted = pids.into_iter().zip(pos).collect();
        let _ = per_person;
    }

    pub fn planted_entry(&self, p: u64) -> Option<u64> {
        self.planted
            .binary_search_by_key(&p, |x| x.0)
            .ok()
            .map(|i| self.planted[i].1)
    }

    /// Network membership of person `p`: (network index, evidence bits).
    pub fn membership(&self, p: u64, nat: &Nat) -> Option<(usize, u8)> {
        if let Some(ev) = self.concern_evidence(p) {
            return Some((0, ev));
        }
        let u = unit(self.cfg.seed, Stream::Network, p);
        if u >= member_prob(nat.region) {
            return None;
        }
        let list = &self.region_nets[nat.region.index()];
        let total = list.last().map(|x| x.1).unwrap_or(1.0);
        let v = unit(self.cfg.seed, Stream::Network, p ^ (1 << 62)) * total;
        let i = list
            .partition_point(|x| x.1 <= v)
            .min(list.len().saturating_sub(1));
        let mut rng = rng_for(self.cfg.seed, Stream::Network, p ^ (1 << 61));
        list.get(i).map(|x| (x.0, draw_evidence(&mut rng)))
    }

    /// Build person `p`.
    pub fn person(&self, p: u64) -> Person {
        let seed = self.cfg.seed;
        let head = self.head_of(p);
        let nat = self.nationality(p);
        let culture = nat.culture;
        let family_group = p != head && self.is_family(head);
        let mut rng = rng_for(seed, Stream::Person, p);
        let day = self.nominal_day(head);
        let ref_date = self.timeline.start + Duration::days(day as i64);
        let (sex, age, child) = if family_group {
            // Spouse or child of the head.
            let pos = p - head;
            if pos == 1 && rng.gen_bool(0.6) {
                (
                    if self.head_sex(head) == Sex::Male {
                        Sex::Female
                    } else {
                        Sex::Male
                    },
                    rng.gen_range(20..45),
                    false,
                )
            } else {
                let a = rng.gen_range(0..17);
                (
                    if rng.gen_bool(0.5) {
                        Sex::Male
                    } else {
                        Sex::Female
                    },
                    a,
                    a < 14,
                )
            }
        } else {
            let sex = self.head_sex(p);
            // Unaccompanied minors (13–17), mostly from northern Central America and Mexico.
            let uac_p = match nat.region {
                Region::NorthCentralAmerica => 0.14,
                Region::Mexico => 0.05,
                _ => 0.01,
            };
            if p == head && self.group_end(head) - head == 1 && rng.gen_bool(uac_p) {
                let a = rng.gen_range(13..18);
                (sex, a, a < 14)
            } else {
                let age = 18 + (rng.gen::<f64>().powf(1.6) * 42.0) as i32;
                (sex, age, false)
            }
        };
        let birth_year = ref_date.year() - age;
        let doy = rng.gen_range(0..365);
        let dob = NaiveDate::from_yo_opt(birth_year, doy + 1).unwrap_or(ref_date);
        let dob_year_only = rng.gen_bool(if nat.region.extra_continental() {
            0.04
        } else {
            0.02
        });
        let dob = if dob_year_only {
            NaiveDate::from_ymd_opt(birth_year, 1, 1).unwrap_or(dob)
        } else {
            dob
        };
        // Everyone in a family unit (head included) carries the household's family name.
        let family_name = if self.is_family(head) && self.group_end(head) - head > 1 {
            Some(self.head_name(head))
        } else {
            None
        };
        let name = names::draw(culture, sex, family_name.as_deref(), &mut rng);
        let doc_style = names::document_style(culture, &mut rng);
        let issuer = Country::from_alpha2(nat.code);
        let expiry = ref_date + Duration::days(rng.gen_range(200..3000));
        let passport = if rng.gen_bool(nat.passport_rate) {
            Some(Document {
                kind: DocumentKind::Passport,
                number: doc_number(nat.passport.0, nat.passport.1, &mut rng),
                issuer,
                expiry: Some(expiry),
            })
        } else {
            None
        };
        let national_id = if passport.is_none() || rng.gen_bool(0.25) {
            Some(Document {
                kind: DocumentKind::NationalId,
                number: doc_number("", 10 + (rng.gen_range(0..4)), &mut rng),
                issuer,
                expiry: None,
            })
        } else {
            None
        };
        let other_doc = if rng.gen_bool(0.15) {
            Some(Document {
                kind: DocumentKind::Passport,
                number: doc_number(nat.passport.0, nat.passport.1, &mut rng),
                issuer,
                expiry: Some(expiry + Duration::days(1800)),
            })
        } else {
            None
        };
        // A unique 10-digit fingerprint identification number (bijective in p).
        let fin = ((p as u32) ^ (crate::rng::hash3(seed, Stream::Person, u64::MAX) as u32))
            .wrapping_mul(0x9E37_79B1) as u64;
        let fingerprint_id = format!("FIN{:010}", fin % 10_000_000_000);
        let phone = if rng.gen_bool(0.15) {
            phone_number("52", 10, "55", &mut rng)
        } else {
            phone_number(nat.phone.0, nat.phone.1, nat.phone.2, &mut rng)
        };
        let email = if !child && rng.gen_bool(0.45) {
            Some(email_for(&name, nat, &mut rng))
        } else {
            None
        };
        let dest = if family_group {
            self.address_for(head)
        } else {
            self.address_for(p)
        };
        let sponsor_name = if !child && rng.gen_bool(0.5) {
            Some(names::draw(
                culture,
                if rng.gen_bool(0.5) {
                    Sex::Male
                } else {
                    Sex::Female
                },
                None,
                &mut rng,
            ))
        } else {
            None
        };
        let sponsor_phone = phone_number("1", 10, "2", &mut rng);
        let network = self.membership(p, nat);
        let place_of_birth = nat::birth_places(nat.code).choose(&mut rng).copied();
        Person {
            pid: p,
            head,
            nat,
            sex,
            dob,
            dob_year_only,
            name,
            doc_style,
            passport,
            national_id,
            other_doc,
            fingerprint_id,
            phone,
            email,
            dest,
            sponsor_name,
            sponsor_phone,
            network,
            place_of_birth,
            surge: self.is_surge(p),
            child,
            family_group,
        }
    }

    fn head_sex(&self, p: u64) -> Sex {
        if unit(self.cfg.seed, Stream::Person, p ^ (1 << 59)) < 0.68 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The head's family name (male form, native), for relatives.
    fn head_name(&self, head: u64) -> String {
        let nat = self.nationality(head);
        let mut rng = rng_for(self.cfg.seed, Stream::Family, head);
        let n = names::draw(nat.culture, Sex::Male, None, &mut rng);
        n.family
    }

    /// The US destination address of a household.
    pub fn address_for(&self, key: u64) -> Address {
        let mut rng = rng_for(self.cfg.seed, Stream::Household, key ^ (1 << 58));
        us_address(&mut rng)
    }

    pub fn network_of_concern(&self) -> &Network {
        &self.networks[0]
    }
}

/// Planted watchlist persons so that true matches occur about once per `every` encounters:
/// `round(N / every / (N / P))` = `round(P / every)`, at least 1.
pub fn planted_count(encounters: u64, persons: u64, every: f64) -> usize {
    let per_person = encounters as f64 / persons.max(1) as f64;
    ((encounters as f64 / every / per_person).round() as usize).max(1)
}

fn mean_group_size() -> f64 {
    // Expected group size under "offset 0 of a block of 8 always starts, others start with
    // probability p": simulate analytically by summing over the block.
    let p = GROUP_START_P;
    let mut starts = 1.0;
    for _ in 1..GROUP_BLOCK {
        starts += p;
    }
    GROUP_BLOCK as f64 / starts
}

fn member_prob(r: Region) -> f64 {
    match r {
        Region::Mexico => 0.12,
        Region::NorthCentralAmerica => 0.30,
        Region::SouthAmerica => 0.22,
        Region::Caribbean => 0.18,
        _ => 0.45,
    }
}

fn draw_evidence(rng: &mut impl Rng) -> u8 {
    let k = match rng.gen_range(0..100) {
        0..=54 => 1,
        55..=87 => 2,
        _ => 3,
    };
    let mut kinds = [EV_PHONE, EV_ACCOUNT, EV_SAFE_HOUSE, EV_FACILITATOR];
    kinds.shuffle(rng);
    kinds[..k].iter().fold(0, |a, b| a | b)
}

pub fn doc_number(prefix: &str, digits: usize, rng: &mut impl Rng) -> String {
    let mut s = String::with_capacity(prefix.len() + digits);
    s.push_str(prefix);
    for _ in 0..digits {
        s.push((b'0' + rng.gen_range(0..10)) as char);
    }
    s
}

pub fn phone_number(cc: &str, digits: usize, first: &str, rng: &mut impl Rng) -> String {
    let mut s = String::with_capacity(1 + cc.len() + digits);
    s.push('+');
    s.push_str(cc);
    s.push_str(first);
    for _ in first.len()..digits {
        s.push((b'0' + rng.gen_range(0..10)) as char);
    }
    s
}

fn email_for(n: &NativeName, nat: &Nat, rng: &mut impl Rng) -> String {
    let style = names::any_style(n.culture, rng);
    let r = names::record(
        n,
        style,
        names::Noise::default(),
        linkwatch_model::NameQuality::Recorded,
        rng,
    );
    let clean = |s: &str| -> String {
        names::latin::fold_ascii(s)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase()
    };
    let g = clean(r.given.as_deref().unwrap_or("x"));
    let f = clean(r.family.as_deref().unwrap_or("y"));
    let sep = ["", ".", "_"][rng.gen_range(0..3)];
    let dom = nat.email.choose(rng).copied().unwrap_or("gmail.com");
    format!("{g}{sep}{f}{}@{dom}", rng.gen_range(1..999))
}

pub fn us_address(rng: &mut impl Rng) -> Address {
    let total: u32 = geo::US_CITIES.iter().map(|c| c.3).sum();
    let mut x = rng.gen_range(0..total);
    let mut city = &geo::US_CITIES[0];
    for c in geo::US_CITIES {
        if x < c.3 {
            city = c;
            break;
        }
        x -= c.3;
    }
    let street = geo::STREETS.choose(rng).copied().unwrap_or("Main St");
    let apt = if rng.gen_bool(0.4) {
        format!(" Apt {}", rng.gen_range(1..40))
    } else {
        String::new()
    };
    Address {
        line: Some(format!("{} {street}{apt}", rng.gen_range(10..9999))),
        city: Some(city.1.to_string()),
        region: Some(city.0.to_string()),
        postal_code: Some(format!("{}{:02}", city.2, rng.gen_range(0..100))),
        country: Country::from_alpha2("US"),
    }
}

fn region_cultures(r: Region) -> &'static [(&'static str, Culture)] {
    match r {
        Region::Mexico => &[("MX", Culture::Mexican)],
        Region::NorthCentralAmerica => &[
            ("GT", Culture::Mexican),
            ("HN", Culture::Mexican),
            ("MX", Culture::Mexican),
        ],
        Region::SouthAmerica => &[
            ("CO", Culture::Andean),
            ("VE", Culture::Andean),
            ("EC", Culture::Andean),
            ("MX", Culture::Mexican),
        ],
        Region::Caribbean => &[
            ("NI", Culture::Mexican),
            ("CU", Culture::Spanish),
            ("MX", Culture::Mexican),
        ],
        Region::CentralAsia => &[
            ("UZ", Culture::Uzbek),
            ("TJ", Culture::Tajik),
            ("TR", Culture::Turkish),
            ("MX", Culture::Mexican),
        ],
        Region::EasternEurope => &[
            ("TR", Culture::Turkish),
            ("RU", Culture::Russian),
            ("GE", Culture::Georgian),
            ("MX", Culture::Mexican),
        ],
        Region::SouthAsia => &[
            ("IN", Culture::Indian),
            ("AF", Culture::Afghan),
            ("MX", Culture::Mexican),
        ],
        Region::EastAsia => &[
            ("CN", Culture::Chinese),
            ("EC", Culture::Andean),
            ("MX", Culture::Mexican),
        ],
        Region::Africa => &[
            ("MR", Culture::Mauritanian),
            ("SN", Culture::Senegalese),
            ("MX", Culture::Mexican),
        ],
    }
}

pub fn region_routes(r: Region) -> Vec<&'static [geo::Stop]> {
    match r {
        Region::Mexico => vec![geo::ROUTE_MEXICO],
        Region::NorthCentralAmerica => vec![geo::ROUTE_CENTRAL_AMERICA],
        Region::SouthAmerica => vec![geo::ROUTE_SOUTH_AMERICA],
        Region::Caribbean => vec![geo::ROUTE_CARIBBEAN],
        Region::CentralAsia => vec![
            geo::ROUTE_CENTRAL_ASIA_DUBAI,
            geo::ROUTE_CENTRAL_ASIA_MADRID,
            geo::ROUTE_CENTRAL_ASIA_MOSCOW,
        ],
        Region::EasternEurope => vec![geo::ROUTE_CAUCASUS, geo::ROUTE_CENTRAL_ASIA_MADRID],
        Region::SouthAsia => vec![geo::ROUTE_SOUTH_ASIA],
        Region::EastAsia => vec![geo::ROUTE_CHINA],
        Region::Africa => vec![geo::ROUTE_AFRICA],
    }
}

fn account(rng: &mut impl Rng) -> String {
    match rng.gen_range(0..5) {
        0 => format!("UZCARD:8600{}", doc_number("", 12, rng)),
        1 => format!("HUMO:9860{}", doc_number("", 12, rng)),
        2 => format!("WU-MTCN:{}", doc_number("", 10, rng)),
        3 => format!(
            "USDT-TRC20:T{}",
            (0..33)
                .map(
                    |_| b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789"
                        [rng.gen_range(0..58)] as char
                )
                .collect::<String>()
        ),
        _ => format!("IBAN:TR{}", doc_number("", 24, rng)),
    }
}

/// Build network `idx` (pure function of seed and index).
pub fn make_network(seed: u64, idx: u64, region: Region, concern: bool) -> Network {
    let mut rng = rng_for(seed, Stream::Network, idx | (1 << 63));
    let cultures: &[(&str, Culture)] = if concern {
        &[
            ("UZ", Culture::Uzbek),
            ("UZ", Culture::Uzbek),
            ("TR", Culture::Turkish),
            ("TJ", Culture::Tajik),
            ("MX", Culture::Mexican),
            ("MX", Culture::Mexican),
        ]
    } else {
        region_cultures(region)
    };
    let nf = if concern { 6 } else { rng.gen_range(1..4) };
    let facilitators: Vec<Facilitator> = (0..nf)
        .map(|k| {
            let (cc, cul) = if concern {
                cultures[k % cultures.len()]
            } else {
                *cultures
                    .choose(&mut rng)
                    .unwrap_or(&("MX", Culture::Mexican))
            };
            let n = nat::nat(cc);
            Facilitator {
                id: format!("F{idx:05}-{k}"),
                name: names::draw(
                    cul,
                    if rng.gen_bool(0.85) {
                        Sex::Male
                    } else {
                        Sex::Female
                    },
                    None,
                    &mut rng,
                ),
                phone: phone_number(n.phone.0, n.phone.1, n.phone.2, &mut rng),
                nationality: cc,
            }
        })
        .collect();
    let np = if concern { 5 } else { rng.gen_range(1..4) };
    let mut phones: Vec<String> = facilitators
        .iter()
        .map(|f| f.phone.clone())
        .take(np)
        .collect();
    while phones.len() < np {
        phones.push(phone_number("52", 10, "6", &mut rng));
    }
    let na = if concern { 4 } else { rng.gen_range(1..3) };
    let accounts = (0..na).map(|_| account(&mut rng)).collect();
    let ns = if concern { 3 } else { rng.gen_range(1..3) };
    let safe_houses = (0..ns).map(|_| us_address(&mut rng)).collect();
    let routes = if concern {
        vec![
            geo::ROUTE_CENTRAL_ASIA_DUBAI,
            geo::ROUTE_CENTRAL_ASIA_MADRID,
        ]
    } else {
        region_routes(region)
    };
    let fee = if region.extra_continental() {
        rng.gen_range(8..25) * 1000
    } else {
        rng.gen_range(3..12) * 1000
    };
    Network {
        id: format!("NET-{idx:04}"),
        concern,
        region,
        facilitators,
        phones,
        accounts,
        safe_houses,
        routes,
        fee,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_is_pure_and_consistent() {
        let w = World::new(Config::new(5_000, 3));
        for c in 0..w.n_chunks {
            let (a, na) = w.plan_chunk(c, w.chunk_first_pid[c as usize]);
            let (b, nb) = w.plan_chunk(c, w.chunk_first_pid[c as usize]);
            assert_eq!(na, nb);
            assert_eq!(na, w.chunk_first_pid[c as usize + 1]);
            assert_eq!(a.len(), b.len());
            for s in &a {
                assert!(s.pid < w.persons);
            }
        }
        assert_eq!(w.concern.len(), 432);
        assert_eq!(planted_count(7_000_000, 5_600_000, 7000.0), 800);
    }
}
