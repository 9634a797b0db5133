//! Turning a planned slot and its person into an [`Encounter`] as an officer would record it:
//! place and agency, the name in some romanization with noise, the date of birth with the usual
//! recording errors, documents, fingerprints, contacts, destination, route, group, declared
//! facilitator and disposition. Knows no file format.

use crate::geo::{self, PORTS, SECTORS};
use crate::names::{self, Noise};
use crate::nat::Region;
use crate::world::{self, Person, World, EV_ACCOUNT, EV_FACILITATOR, EV_PHONE, EV_SAFE_HOUSE};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use linkwatch_model::{
    Address, Biometrics, Contacts, Country, Disposition, Encounter, Facilitator, Group,
    NameQuality, PartialDate, RouteLeg, SourceRef, Sponsor, Subject, TravelMode,
};
use rand::seq::SliceRandom;
use rand::Rng;

/// Where and when a group crosses.
#[derive(Clone, Copy, Debug)]
pub struct Crossing {
    pub time: DateTime<Utc>,
    /// Index into SECTORS, or 100 + index into PORTS.
    pub site: usize,
}

impl Crossing {
    pub fn sector(&self) -> usize {
        if self.site >= 100 {
            PORTS[self.site - 100].1
        } else {
            self.site
        }
    }
    pub fn is_port(&self) -> bool {
        self.site >= 100
    }
}

/// Fictional respite shelters near the border (synthetic addresses).
const SHELTERS: [(&str, &str, &str, &str); 4] = [
    ("100 Respite Center Way", "San Diego", "CA", "92101"),
    ("250 Welcome House Rd", "El Paso", "TX", "79901"),
    ("75 Humanitarian Center Ave", "McAllen", "TX", "78501"),
    ("12 Shelter Ln", "Tucson", "AZ", "85701"),
];

const SURGE_SECTORS: [(usize, f64); 3] = [(0, 0.6), (3, 0.25), (1, 0.15)];

/// Choose the crossing site for a group led by `p` at `time`.
pub fn crossing(w: &World, anchor_idx: u64, p: &Person, time: DateTime<Utc>) -> Crossing {
    let mut rng = crate::rng::rng_for(
        w.seed(),
        crate::rng::Stream::Encounter,
        anchor_idx ^ (1 << 60),
    );
    let sector = if p.surge || w.concern_evidence(p.pid).is_some() {
        let u: f64 = rng.gen();
        let mut acc = 0.0;
        let mut s = 0;
        for (i, wt) in SURGE_SECTORS {
            acc += wt;
            if u < acc {
                s = i;
                break;
            }
        }
        s
    } else {
        let wts = p.nat.region.sector_weights();
        let u: f64 = rng.gen();
        let mut acc = 0.0;
        let mut s = 8;
        for (i, wt) in wts.iter().enumerate() {
            acc += wt;
            if u < acc {
                s = i;
                break;
            }
        }
        s
    };
    // Ports of entry: more after May 2023 (appointments at ports).
    let cbp_one = time.date_naive() >= NaiveDate::from_ymd_opt(2023, 5, 12).unwrap_or_default();
    let port_p = if cbp_one { 0.35 } else { 0.18 };
    if rng.gen_bool(port_p) {
        let ports: Vec<usize> = PORTS
            .iter()
            .enumerate()
            .filter(|(_, x)| x.1 == sector)
            .map(|(i, _)| i)
            .collect();
        if let Some(&pi) = ports.choose(&mut rng) {
            return Crossing {
                time,
                site: 100 + pi,
            };
        }
    }
    Crossing { time, site: sector }
}

fn record_dob(p: &Person, rng: &mut impl Rng) -> Option<PartialDate> {
    let d = p.dob;
    let (y, m, day) = (d.year() as i16, d.month() as u8, d.day() as u8);
    let u: f64 = rng.gen();
    if p.dob_year_only {
        return if u < 0.8 {
            PartialDate::ymd(y, 1, 1).ok()
        } else {
            Some(PartialDate::year(y))
        };
    }
    if u < 0.86 {
        PartialDate::ymd(y, m, day).ok()
    } else if u < 0.89 {
        // Day and month swapped (US vs. rest-of-world order).
        PartialDate::ymd(y, day, m)
            .ok()
            .or_else(|| PartialDate::ymd(y, m, day).ok())
    } else if u < 0.92 {
        // Placeholder 1 January when unsure.
        PartialDate::ymd(y, 1, 1).ok()
    } else if u < 0.94 {
        Some(PartialDate::year(y))
    } else if u < 0.96 {
        PartialDate::ymd(y + if rng.gen_bool(0.5) { 1 } else { -1 }, m, day.min(28)).ok()
    } else if u < 0.98 {
        None
    } else {
        // Digit typo in the day.
        PartialDate::ymd(y, m, ((day + 9) % 28) + 1).ok()
    }
}

fn legs(route: &[geo::Stop], arrive: NaiveDate, rng: &mut impl Rng) -> Vec<RouteLeg> {
    let mut out = Vec::with_capacity(route.len());
    let mut d = arrive - Duration::days(rng.gen_range(0..4));
    let mut dates = Vec::with_capacity(route.len());
    for _ in route {
        dates.push(d);
        d -= Duration::days(rng.gen_range(1..20));
    }
    dates.reverse();
    for (i, (place, cc)) in route.iter().enumerate() {
        let prev_cc = if i == 0 { None } else { Some(route[i - 1].1) };
        let mode = match prev_cc {
            None => TravelMode::Air,
            Some(pc)
                if pc != *cc
                    && !matches!(pc, "MX" | "GT" | "HN" | "NI" | "CR" | "PA" | "CO" | "SV") =>
            {
                TravelMode::Air
            }
            Some(_) if i + 1 == route.len() => TravelMode::Land,
            Some(_) => TravelMode::Land,
        };
        out.push(RouteLeg {
            place: place.to_string(),
            country: Country::from_alpha2(cc),
            date: Some(dates[i]),
            mode: Some(mode),
        });
    }
    out.push(RouteLeg {
        place: "border".into(),
        country: Country::from_alpha2("US"),
        date: Some(arrive),
        mode: Some(TravelMode::Foot),
    });
    out
}

fn disposition(
    p: &Person,
    w: &World,
    at: NaiveDate,
    is_port: bool,
    dest: &Option<Address>,
    rng: &mut impl Rng,
) -> Disposition {
    let t42_end = NaiveDate::from_ymd_opt(2023, 5, 12).unwrap_or_default();
    let t42_nats: &[&str] = if at >= NaiveDate::from_ymd_opt(2023, 1, 5).unwrap_or_default() {
        &["MX", "GT", "HN", "SV", "VE", "CU", "HT", "NI"]
    } else if at >= NaiveDate::from_ymd_opt(2022, 10, 12).unwrap_or_default() {
        &["MX", "GT", "HN", "SV", "VE"]
    } else {
        &["MX", "GT", "HN", "SV"]
    };
    let _ = w;
    if at < t42_end
        && !is_port
        && t42_nats.contains(&p.nat.code)
        && !p.family_group
        && rng.gen_bool(0.65)
    {
        return Disposition::Returned;
    }
    let u: f64 = rng.gen();
    let near = matches!(p.nat.region, Region::Mexico | Region::NorthCentralAmerica);
    if near && u < 0.35 {
        return Disposition::Removed;
    }
    if u < 0.50 || is_port && u < 0.7 {
        let court_date = at + Duration::days(rng.gen_range(300..1500));
        let state = dest
            .as_ref()
            .and_then(|a| a.region.clone())
            .unwrap_or_else(|| "IL".into());
        let city = geo::court_city(&state);
        return Disposition::ReleasedPendingCourt {
            court_date: Some(court_date),
            address: Some(Address {
                line: Some("Immigration Court".into()),
                city: Some(city.into()),
                region: Some(state),
                postal_code: None,
                country: Country::from_alpha2("US"),
            }),
        };
    }
    if u < 0.68 {
        return Disposition::Paroled {
            until: Some(at + Duration::days(rng.gen_range(365..730))),
        };
    }
    if u < 0.86 {
        return Disposition::Detained;
    }
    Disposition::Removed
}

/// Build the encounter at index `idx`.
#[allow(clippy::too_many_arguments)]
pub fn build(
    w: &World,
    idx: u64,
    p: &Person,
    first: bool,
    cross: Crossing,
    group: Option<Group>,
) -> (Encounter, names::Style) {
    let mut rng = crate::rng::rng_for(w.seed(), crate::rng::Stream::Encounter, idx);
    let site = if cross.is_port() {
        &PORTS[cross.site - 100].0
    } else {
        &SECTORS[cross.site]
    };
    let at = cross.time.date_naive();
    // Name as recorded.
    let style = if rng.gen_bool(0.5) {
        p.doc_style
    } else {
        names::any_style(p.name.culture, &mut rng)
    };
    let noise = Noise::draw(&mut rng, 0.07);
    let mut subject_names = vec![names::record(
        &p.name,
        style,
        noise,
        NameQuality::Recorded,
        &mut rng,
    )];
    let native_p = if p.nat.code == "UZ" { 0.3 } else { 0.4 };
    if rng.gen_bool(native_p) {
        if let Some(n) = names::native_script(&p.name) {
            subject_names.push(n);
        }
    }
    if rng.gen_bool(0.08) {
        let s2 = names::any_style(p.name.culture, &mut rng);
        subject_names.push(names::record(
            &p.name,
            s2,
            Noise::draw(&mut rng, 0.05),
            NameQuality::Recorded,
            &mut rng,
        ));
    }
    let subject = Subject {
        names: subject_names,
        sex: if rng.gen_bool(0.995) {
            p.sex
        } else {
            linkwatch_model::Sex::Unknown
        },
        dob: record_dob(p, &mut rng),
        nationalities: Country::from_alpha2(p.nat.code).into_iter().collect(),
        place_of_birth: p
            .place_of_birth
            .filter(|_| rng.gen_bool(0.4))
            .map(str::to_string),
    };
    // Documents: the usual one(s), sometimes a different one at a repeat, sometimes none.
    let mut documents = Vec::new();
    let u: f64 = rng.gen();
    if !first && u < 0.12 && p.other_doc.is_some() {
        documents.extend(p.other_doc.clone());
    } else if u < 0.88 {
        documents.extend(p.passport.clone());
        if p.passport.is_none() || rng.gen_bool(0.3) {
            documents.extend(p.national_id.clone());
        }
    }
    let fingerprint = !p.child && rng.gen_bool(if cross.is_port() { 0.85 } else { 0.95 });
    let biometrics = Biometrics {
        fingerprint_id: fingerprint.then(|| p.fingerprint_id.clone()),
        face_template_ref: if cross.is_port() && rng.gen_bool(0.5) {
            Some(format!("FACE-{idx:09}"))
        } else {
            None
        },
    };
    let (net, ev) = match p.network {
        Some((n, e)) => (Some(&w.networks[n]), e),
        None => (None, 0),
    };
    // Evidence shows at the first encounter, and at half of the repeats.
    let show = first || rng.gen_bool(0.5);
    let mut contacts = Contacts::default();
    if rng.gen_bool(0.82) {
        contacts.phones.push(p.phone.clone());
    }
    let pick = |v: &Vec<String>, salt: u64| -> Option<String> {
        if v.is_empty() {
            None
        } else {
            Some(
                v[(crate::rng::hash3(w.seed(), crate::rng::Stream::Network, p.pid ^ salt)
                    % v.len() as u64) as usize]
                    .clone(),
            )
        }
    };
    let mut fac = Facilitator::default();
    if let (Some(n), true) = (net, show) {
        if ev & EV_PHONE != 0 {
            let ph = pick(&n.phones, 11);
            if rng.gen_bool(0.5) {
                contacts.phones.extend(ph);
            } else {
                fac.phone = ph;
            }
        }
        if ev & EV_ACCOUNT != 0 {
            fac.account = pick(&n.accounts, 12);
            fac.amount_usd = Some(n.fee + 500 * rng.gen_range(0..6));
        }
        if ev & EV_FACILITATOR != 0 && !n.facilitators.is_empty() {
            let f = &n.facilitators[(crate::rng::hash3(
                w.seed(),
                crate::rng::Stream::Network,
                p.pid ^ 13,
            ) % n.facilitators.len() as u64) as usize];
            let fs = names::any_style(f.name.culture, &mut rng);
            let mut noise = Noise::draw(&mut rng, 0.1);
            noise.drop_patronymic = true;
            noise.comma = false;
            let r = names::record(&f.name, fs, noise, NameQuality::Recorded, &mut rng);
            // Migrants often know only a first name or a nickname.
            fac.name = Some(if rng.gen_bool(0.35) {
                r.given.unwrap_or(r.full)
            } else {
                r.full
            });
        }
    } else if rng.gen_bool(0.2) {
        // An unconnected guide ("coyote") with a one-off number.
        fac.phone = Some(world::phone_number("52", 10, "6", &mut rng));
        if rng.gen_bool(0.4) {
            fac.amount_usd = Some(rng.gen_range(2..15) * 500);
        }
        if rng.gen_bool(0.3) {
            let n = names::draw(
                names::Culture::Mexican,
                linkwatch_model::Sex::Male,
                None,
                &mut rng,
            );
            fac.name = Some(n.given);
        }
    }
    let facilitator = if fac == Facilitator::default() {
        None
    } else {
        Some(fac)
    };
    if let Some(e) = &p.email {
        if rng.gen_bool(0.7) {
            contacts.emails.push(e.clone());
        }
    }
    let mut us_address = if rng.gen_bool(0.85) {
        Some(p.dest.clone())
    } else {
        None
    };
    // Shared by many unrelated people: respite shelters given as first US address (a source of
    // false links that network analysis must not over-weight).
    if rng.gen_bool(0.02) {
        let (line, city, st, zip) = SHELTERS[rng.gen_range(0..SHELTERS.len())];
        us_address = Some(Address {
            line: Some(line.into()),
            city: Some(city.into()),
            region: Some(st.into()),
            postal_code: Some(zip.into()),
            country: Country::from_alpha2("US"),
        });
    }
    if let (Some(n), true) = (net, show && ev & EV_SAFE_HOUSE != 0) {
        let i = (crate::rng::hash3(w.seed(), crate::rng::Stream::Network, p.pid ^ 14)
            % n.safe_houses.len().max(1) as u64) as usize;
        us_address = n.safe_houses.get(i).cloned();
    }
    let sponsor = p
        .sponsor_name
        .as_ref()
        .filter(|_| rng.gen_bool(0.8))
        .map(|sn| {
            let st = names::any_style(sn.culture, &mut rng);
            let mut nz = Noise::draw(&mut rng, 0.05);
            nz.drop_patronymic = true;
            Sponsor {
                name: Some(names::record(sn, st, nz, NameQuality::Recorded, &mut rng).full),
                relationship: Some(
                    [
                        "brother", "sister", "cousin", "uncle", "friend", "spouse", "aunt",
                    ][rng.gen_range(0..7)]
                    .into(),
                ),
                phone: Some(p.sponsor_phone.clone()),
                address: us_address.clone(),
            }
        });
    let travel = if rng.gen_bool(0.7) {
        let route: &[geo::Stop] = match net {
            Some(n) => n.routes[(p.pid % n.routes.len().max(1) as u64) as usize],
            None => {
                let rs = world::region_routes(p.nat.region);
                rs[(p.pid % rs.len() as u64) as usize]
            }
        };
        legs(route, at, &mut rng)
    } else {
        Vec::new()
    };
    let disposition = disposition(p, w, at, cross.is_port(), &us_address, &mut rng);
    let (agency, system) = if cross.is_port() {
        ("OFO", "OFO-UIP")
    } else {
        ("USBP", "USBP-E3")
    };
    let id = format!("ENC-{idx:08}");
    let e = Encounter {
        id: id.clone(),
        time: cross.time,
        place: site.place(),
        agency: agency.into(),
        subject,
        documents,
        biometrics,
        contacts,
        us_address,
        sponsor,
        travel,
        group,
        facilitator,
        disposition,
        source: SourceRef {
            system: system.into(),
            record_id: format!("{}{:09}", if cross.is_port() { "U" } else { "B" }, idx),
        },
    };
    (e, style)
}
