//! Simulation study in the Noufaily design: runs every linkwatch detector over the test weeks
//! (576..624) of the shared reference series and tabulates FPR, POD, POD in the first week and
//! median delay with the definitions of the shared `metrics.py`.
//! usage: cargo run --release -p linkwatch-surge --example study -- [DIR] [--rust-only] [--calibrated]
//! DIR defaults to /work/shared/data/surge (series.csv.gz, outbreaks.csv.gz[, alarms_r*.csv.gz]).

use flate2::read::GzDecoder;
use linkwatch_surge::{
    ears_week, fit_in_control, glr_monitor, EarsConfig, EarsMethod, Farrington, FarringtonConfig,
    GlrConfig, GlrLikelihood,
};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

const LO: usize = 576;
const HI: usize = 624;

fn reader(path: &Path) -> Option<csv::Reader<GzDecoder<File>>> {
    File::open(path)
        .ok()
        .map(|f| csv::Reader::from_reader(GzDecoder::new(f)))
}

struct Outbreak {
    start: usize,
    end: usize,
    variant: String,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "/work/shared/data/surge".into());
    let dir = Path::new(&dir);
    let mut series: BTreeMap<String, (String, String, Vec<f64>)> = BTreeMap::new();
    let mut rd = reader(&dir.join("series.csv.gz")).expect("series.csv.gz");
    for r in rd.records() {
        let r = r.expect("rec");
        let e = series
            .entry(r[0].to_string())
            .or_insert_with(|| (r[1].to_string(), r[3].to_string(), Vec::new()));
        let w: usize = r[4].parse().expect("week");
        if e.2.len() < w {
            e.2.resize(w, 0.0);
        }
        e.2[w - 1] = r[5].parse().expect("count");
    }
    let mut obs: BTreeMap<String, Outbreak> = BTreeMap::new();
    let mut rd = reader(&dir.join("outbreaks.csv.gz")).expect("outbreaks.csv.gz");
    for r in rd.records() {
        let r = r.expect("rec");
        obs.insert(
            r[0].to_string(),
            Outbreak {
                start: r[4].parse().expect("s"),
                end: r[5].parse().expect("e"),
                variant: r[3].to_string(),
            },
        );
    }
    // alarms[method][series] = weeks LO..=HI
    type Alarms = BTreeMap<String, BTreeMap<String, Vec<bool>>>;
    let ids: Vec<&String> = series.keys().collect();
    let t0 = std::time::Instant::now();
    type PerSeries = (String, Vec<(String, Vec<bool>)>);
    let per_series: Vec<PerSeries> = ids
        .par_iter()
        .map(|sid| {
            let y = &series[*sid].2;
            let mut out: Vec<(String, Vec<bool>)> = Vec::new();
            let ff = |cfg: FarringtonConfig| -> Vec<bool> {
                let f = Farrington::new(cfg);
                (LO..=HI)
                    .map(|w| f.test_week(y, w - 1).map(|r| r.alarm).unwrap_or(false))
                    .collect()
            };
            // linkwatch's default combined detector, run exactly as the product runs it
            let def = linkwatch_surge::analyze_series(
                sid,
                None,
                y,
                LO - 1,
                HI,
                &linkwatch_surge::SurgeConfig::default(),
            );
            out.push((
                "LINKWATCH_DEFAULT".into(),
                def.periods.iter().map(|p| p.alarm).collect(),
            ));
            out.push((
                "LINKWATCH_DEFAULT_farrington_part".into(),
                def.periods
                    .iter()
                    .map(|p| p.farrington.as_ref().is_some_and(|f| f.alarm))
                    .collect(),
            ));
            out.push((
                "LINKWATCH_DEFAULT_cusum_part".into(),
                def.periods
                    .iter()
                    .map(|p| p.cusum.as_ref().is_some_and(|c| c.alarm))
                    .collect(),
            ));
            if args.iter().any(|a| a == "--calibrated") {
                // the per-series calibrated CUSUM option (session 3), as analyze_series runs it
                let cfg = linkwatch_surge::SurgeConfig {
                    cusum: Some(linkwatch_surge::detect::calibrated_cusum(0.007)),
                    ..linkwatch_surge::SurgeConfig::default()
                };
                let v = linkwatch_surge::analyze_series(sid, None, y, LO - 1, HI, &cfg);
                out.push((
                    "LINKWATCH_CALIBRATED_0.007".into(),
                    v.periods.iter().map(|p| p.alarm).collect(),
                ));
            }
            if args.iter().any(|a| a == "--variants") {
                for (fa, h) in [
                    (0.001, 3.0),
                    (0.001, 3.2),
                    (0.001, 3.4),
                    (0.001, 3.6),
                    (0.002, 3.2),
                ] {
                    let mut cfg = linkwatch_surge::SurgeConfig::default();
                    if let Some(f) = cfg.farrington.as_mut() {
                        f.alpha = fa;
                    }
                    if let Some(c) = cfg.cusum.as_mut() {
                        c.c_arl = h;
                        c.likelihood = GlrLikelihood::Nb1;
                    }
                    let v = linkwatch_surge::analyze_series(sid, None, y, LO - 1, HI, &cfg);
                    out.push((
                        format!("VARIANT_ff{fa}_h{h}"),
                        v.periods.iter().map(|p| p.alarm).collect(),
                    ));
                }
            }
            let c3r = EarsConfig {
                r_c3_compat: true,
                ..EarsConfig::new(EarsMethod::C3, 0.025)
            };
            out.push((
                "EARS_C3_Rcompat".into(),
                (LO..=HI)
                    .map(|w| ears_week(y, w - 1, &c3r).map(|r| r.alarm).unwrap_or(false))
                    .collect(),
            ));
            out.push(("FF_orig".into(), ff(FarringtonConfig::original())));
            out.push((
                "FF_orig_Rquirk".into(),
                ff(FarringtonConfig::original().with_r_quirk(true)),
            ));
            let nouf = ff(FarringtonConfig::noufaily());
            out.push(("FF_noufaily".into(), nouf.clone()));
            out.push((
                "FF_noufaily_Rquirk".into(),
                ff(FarringtonConfig::noufaily().with_r_quirk(true)),
            ));
            for a in [0.005, 0.002, 0.001] {
                out.push((
                    format!("FF_noufaily_a{a}"),
                    ff(FarringtonConfig {
                        alpha: a,
                        ..FarringtonConfig::noufaily()
                    }),
                ));
            }
            for (m, name, alpha) in [
                (EarsMethod::C1, "EARS_C1", 0.01),
                (EarsMethod::C2, "EARS_C2", 0.01),
                (EarsMethod::C3, "EARS_C3", 0.025),
            ] {
                let cfg = EarsConfig::new(m, alpha);
                out.push((
                    name.into(),
                    (LO..=HI)
                        .map(|w| ears_week(y, w - 1, &cfg).map(|r| r.alarm).unwrap_or(false))
                        .collect(),
                ));
            }
            let qp = GlrLikelihood::QuasiPoisson;
            let nb = GlrLikelihood::NegBin;
            let grid = args.iter().any(|a| a == "--grid");
            let mut cfgs: Vec<(f64, bool, GlrLikelihood, Option<usize>)> = vec![
                (3.0, false, nb, None),
                (3.5, false, nb, None),
                (4.0, false, nb, None),
                (5.0, false, nb, None),
            ];
            if grid {
                for c in [4.0, 4.5, 5.0, 5.5, 6.0] {
                    for win in [None, Some(12), Some(8)] {
                        cfgs.push((c, true, qp, win));
                    }
                }
                for d in [0.75, 1.0, 1.25] {
                    for h in [3.3, 3.5, 3.7, 3.9] {
                        cfgs.push((100.0 * (d * 4.0) + h, true, qp, None));
                    }
                }
            } else {
                cfgs.push((4.0, true, qp, None));
            }
            let ffs: Vec<(String, Vec<bool>)> = if grid {
                vec![
                    ("nouf01".into(), nouf.clone()),
                    (
                        "nouf005".into(),
                        out.iter()
                            .find(|o| o.0 == "FF_noufaily_a0.005")
                            .map(|o| o.1.clone())
                            .unwrap_or_default(),
                    ),
                    (
                        "nouf002".into(),
                        out.iter()
                            .find(|o| o.0 == "FF_noufaily_a0.002")
                            .map(|o| o.1.clone())
                            .unwrap_or_default(),
                    ),
                    (
                        "nouf001".into(),
                        out.iter()
                            .find(|o| o.0 == "FF_noufaily_a0.001")
                            .map(|o| o.1.clone())
                            .unwrap_or_default(),
                    ),
                ]
            } else {
                vec![("noufaily".into(), nouf.clone())]
            };
            for (c, robust, lik, win) in cfgs {
                let mut cfg = GlrConfig {
                    c_arl: c,
                    robust,
                    likelihood: lik,
                    window: win,
                    ..Default::default()
                };
                if c > 100.0 {
                    let d4 = (c / 100.0).floor();
                    cfg.c_arl = c - 100.0 * d4;
                    cfg.shift_sd = Some(d4 / 4.0);
                }
                if c < 0.0 {
                    cfg.c_arl = 2.0;
                    cfg.calibrate = Some(linkwatch_surge::glr::Calibration {
                        target: -c,
                        sims: 100,
                        weeks: 49,
                        seed: 1,
                    });
                }
                let a: Vec<bool> = match fit_in_control(y, 0, LO - 1, HI, &cfg) {
                    Ok(ic) => glr_monitor(y, LO - 1, &ic, &cfg, false)
                        .iter()
                        .map(|w| w.alarm)
                        .collect(),
                    Err(_) => vec![false; HI - LO + 1],
                };
                let name = format!(
                    "GLR{}_c{c}{}{}",
                    if lik == qp { "QP" } else { "NB" },
                    if robust { "_robust" } else { "" },
                    win.map(|w| format!("_M{w}")).unwrap_or_default()
                );
                for (nm, base) in &ffs {
                    out.push((
                        format!("COMB_{nm}+{name}"),
                        base.iter().zip(&a).map(|(x, y)| *x || *y).collect(),
                    ));
                }
                out.push((name, a));
            }
            ((*sid).clone(), out)
        })
        .collect();
    let secs = t0.elapsed().as_secs_f64();
    let mut alarms: Alarms = BTreeMap::new();
    for (sid, v) in per_series {
        for (m, a) in v {
            alarms.entry(m).or_default().insert(sid.clone(), a);
        }
    }
    // R alarms for comparison
    for f in ["alarms_r.csv.gz", "alarms_r2.csv.gz"] {
        if args.iter().any(|a| a == "--rust-only") {
            break;
        }
        if let Some(mut rd) = reader(&dir.join(f)) {
            for r in rd.records() {
                let r = r.expect("rec");
                let w: usize = r[2].parse().expect("w");
                let a = r[3].parse::<f64>().map(|v| v > 0.5).unwrap_or(false);
                let v = alarms
                    .entry(r[1].to_string())
                    .or_default()
                    .entry(r[0].to_string())
                    .or_insert_with(|| vec![false; HI - LO + 1]);
                v[w - LO] = a;
            }
        }
    }
    println!(
        "{} series, {} outbreaks; linkwatch detectors computed in {secs:.1} s wall",
        series.len(),
        obs.len()
    );
    println!("| detector | FPR | POD spike | POD1 spike | median delay spike | POD step | POD1 step | median delay step |");
    println!("|---|---|---|---|---|---|---|---|");
    for (m, by) in &alarms {
        let mut fp = 0usize;
        let mut nw = 0usize;
        for (sid, (_, variant, _)) in &series {
            if variant == "null" {
                if let Some(a) = by.get(sid) {
                    fp += a.iter().filter(|x| **x).count();
                    nw += a.len();
                }
            }
        }
        let mut row = format!("| {m} | {:.2}% ", 100.0 * fp as f64 / nw.max(1) as f64);
        for v in ["spike", "step"] {
            let mut det = 0;
            let mut first = 0;
            let mut n = 0;
            let mut delays = Vec::new();
            for (sid, o) in obs.iter().filter(|(_, o)| o.variant == v) {
                n += 1;
                let Some(a) = by.get(sid) else { continue };
                let hit: Vec<usize> = (o.start..=o.end.min(HI)).filter(|w| a[w - LO]).collect();
                if let Some(f) = hit.first() {
                    det += 1;
                    delays.push(f - o.start);
                    if *f == o.start {
                        first += 1;
                    }
                }
            }
            delays.sort();
            let med = if delays.is_empty() {
                f64::NAN
            } else if delays.len() % 2 == 1 {
                delays[delays.len() / 2] as f64
            } else {
                (delays[delays.len() / 2 - 1] + delays[delays.len() / 2]) as f64 / 2.0
            };
            row += &format!(
                "| {:.1}% | {:.1}% | {med} ",
                100.0 * det as f64 / n as f64,
                100.0 * first as f64 / n as f64
            );
        }
        println!("{row}|");
    }
    if args.iter().any(|a| a == "--by-scenario") {
        println!("\nper scenario: FPR / POD spike / POD step");
        for (m, by) in &alarms {
            let mut row = format!("{m:32}");
            for sc in ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"] {
                let (mut fp, mut nw) = (0, 0);
                let (mut ds, mut ns, mut dt, mut nt) = (0, 0, 0, 0);
                for (sid, (scen, variant, _)) in &series {
                    if scen != sc {
                        continue;
                    }
                    let Some(a) = by.get(sid) else { continue };
                    if variant == "null" {
                        fp += a.iter().filter(|x| **x).count();
                        nw += a.len();
                    } else if let Some(o) = obs.get(sid) {
                        let hit = (o.start..=o.end.min(HI)).any(|w| a[w - LO]);
                        if variant == "spike" {
                            ns += 1;
                            ds += hit as usize;
                        } else {
                            nt += 1;
                            dt += hit as usize;
                        }
                    }
                }
                row += &format!(
                    " {sc} {:.1}/{:.0}/{:.0}",
                    100.0 * fp as f64 / nw.max(1) as f64,
                    100.0 * ds as f64 / ns.max(1) as f64,
                    100.0 * dt as f64 / nt.max(1) as f64
                );
            }
            println!("{row}");
        }
    }
}
