//! CDC EARS C1, C2 and C3 (Hutwagner et al. 2003; C3 as defined by Fricker, Hegler & Dunfee
//! 2008, Stat Med 27:3407) for one count series.
//!
//! C1 compares the week with the mean and standard deviation of the 7 previous weeks; C2 with
//! weeks t-9..t-3 (a 2-week guard band); C3 sums the positive parts of `C2 - 1` over the current
//! and the two previous weeks and alarms when the sum exceeds `z_{1-alpha}`.
//! R `surveillance` 1.20.3's `earsC` adds its C3 threshold to the observed count, so the current
//! week drops out of its C3; `r_c3_compat` reproduces that, the default follows Fricker et al.
//! Knows nothing about encounters: counts in, statistics out.

use crate::stats;
use serde::{Deserialize, Serialize};

/// Which EARS statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EarsMethod {
    C1,
    C2,
    C3,
}

/// Parameters of EARS (names follow R's `earsC` control list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarsConfig {
    pub method: EarsMethod,
    /// Number of baseline weeks (7 in EARS).
    pub baseline: usize,
    /// Floor on the standard deviation (0 = none).
    pub min_sigma: f64,
    pub alpha: f64,
    /// C3 only: reproduce R surveillance 1.20.3 (current week ignored).
    pub r_c3_compat: bool,
}

impl EarsConfig {
    pub fn new(method: EarsMethod, alpha: f64) -> Self {
        EarsConfig {
            method,
            baseline: 7,
            min_sigma: 0.0,
            alpha,
            r_c3_compat: false,
        }
    }

    /// Weeks of history needed before the first testable week.
    pub fn min_history(&self) -> usize {
        match self.method {
            EarsMethod::C1 => self.baseline,
            EarsMethod::C2 => self.baseline + 2,
            EarsMethod::C3 => self.baseline + 4,
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "method={:?} baseline={} minSigma={} alpha={}{}",
            self.method,
            self.baseline,
            self.min_sigma,
            self.alpha,
            if self.r_c3_compat { " r_c3_compat" } else { "" }
        )
    }
}

/// Result of EARS for one week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarsWeek {
    pub index: usize,
    pub observed: f64,
    /// Baseline mean.
    pub expected: f64,
    pub sd: f64,
    /// Alarm threshold on the count.
    pub upper: f64,
    /// Statistic: z-score for C1/C2, cumulative C3 sum for C3.
    pub stat: f64,
    /// Normal-approximation p-value of the z-score (C1/C2), NaN for C3.
    pub p_value: f64,
    pub alarm: bool,
}

fn mean_sd(counts: &[f64], lo: usize, hi: usize) -> (f64, f64) {
    let v = &counts[lo..hi];
    (stats::mean(v), stats::sd(v))
}

/// (mean, sd) of the C2 baseline for week `i` (weeks i-baseline-2 .. i-3).
fn c2_base(counts: &[f64], i: usize, baseline: usize) -> Option<(f64, f64)> {
    if i < baseline + 2 {
        return None;
    }
    Some(mean_sd(counts, i - baseline - 2, i - 2))
}

/// Test the week at 0-based `index`; `None` when there is not enough history.
pub fn ears_week(counts: &[f64], index: usize, cfg: &EarsConfig) -> Option<EarsWeek> {
    if index >= counts.len() || index < cfg.min_history() || cfg.baseline < 2 {
        return None;
    }
    let z = stats::qnorm(1.0 - cfg.alpha);
    let y = counts[index];
    match cfg.method {
        EarsMethod::C1 | EarsMethod::C2 => {
            let (m, s) = if cfg.method == EarsMethod::C1 {
                mean_sd(counts, index - cfg.baseline, index)
            } else {
                c2_base(counts, index, cfg.baseline)?
            };
            let sig = s.max(cfg.min_sigma);
            let upper = m + z * sig;
            let stat = (y - m) / sig;
            let p_value = if stat.is_nan() {
                f64::NAN
            } else {
                stats::pnorm_upper(stat)
            };
            Some(EarsWeek {
                index,
                observed: y,
                expected: m,
                sd: s,
                upper,
                stat,
                p_value,
                alarm: y > upper,
            })
        }
        EarsMethod::C3 => {
            // C2 of an earlier week, and its positive part over 1. R propagates NaN / Inf
            // (sd = 0) through pmax; the compat mode does the same, the default counts 0.
            let part = |i: usize| -> f64 {
                match c2_base(counts, i, cfg.baseline) {
                    Some((m, s)) => {
                        let c2 = (counts[i] - m) / s.max(cfg.min_sigma);
                        if c2.is_nan() {
                            if cfg.r_c3_compat {
                                f64::NAN
                            } else {
                                0.0
                            }
                        } else if c2.is_infinite() && !cfg.r_c3_compat {
                            if c2 > 0.0 {
                                f64::INFINITY
                            } else {
                                0.0
                            }
                        } else {
                            (c2 - 1.0).max(0.0)
                        }
                    }
                    None => 0.0,
                }
            };
            let lags = part(index - 1) + part(index - 2);
            let (m, s) = c2_base(counts, index, cfg.baseline)?;
            let sig = s.max(cfg.min_sigma);
            if cfg.r_c3_compat {
                let ub = y + sig * (z - lags);
                let upper = if ub.is_nan() { f64::NAN } else { ub.max(0.0) };
                let stat = lags;
                return Some(EarsWeek {
                    index,
                    observed: y,
                    expected: m,
                    sd: s,
                    upper,
                    stat,
                    p_value: f64::NAN,
                    alarm: y > upper,
                });
            }
            let stat = part(index) + lags;
            // alarm <=> part(index) + lags > z <=> y > m + sig * (1 + z - lags) (when z > lags)
            let upper = if lags >= z {
                f64::NEG_INFINITY
            } else {
                m + sig * (1.0 + z - lags)
            };
            let alarm = stat > z;
            Some(EarsWeek {
                index,
                observed: y,
                expected: m,
                sd: s,
                upper: upper.max(0.0),
                stat,
                p_value: f64::NAN,
                alarm,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_known_values() {
        // baseline 1..7: mean 4, sd 2.160247
        let mut y = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 9.0];
        let r = ears_week(&y, 7, &EarsConfig::new(EarsMethod::C1, 0.001)).expect("tested");
        assert!((r.expected - 4.0).abs() < 1e-12);
        assert!((r.upper - (4.0 + 3.090_232_306_167_813_5 * 2.160_246_899_469_286_7)).abs() < 1e-9);
        assert!(!r.alarm);
        y[7] = 11.0;
        assert!(
            ears_week(&y, 7, &EarsConfig::new(EarsMethod::C1, 0.001))
                .expect("t")
                .alarm
        );
    }

    #[test]
    fn c3_uses_current_week_unlike_r() {
        let mut y = vec![5.0, 6.0, 4.0, 5.0, 6.0, 4.0, 5.0, 6.0, 4.0, 5.0, 5.0, 5.0];
        y.push(30.0);
        let cfg = EarsConfig::new(EarsMethod::C3, 0.025);
        let r = ears_week(&y, 12, &cfg).expect("tested");
        assert!(r.alarm);
        let rc = ears_week(
            &y,
            12,
            &EarsConfig {
                r_c3_compat: true,
                ..cfg
            },
        )
        .expect("tested");
        assert!(!rc.alarm, "R's C3 ignores the current week");
    }

    #[test]
    fn too_short() {
        assert!(ears_week(&[1.0, 2.0], 1, &EarsConfig::new(EarsMethod::C1, 0.01)).is_none());
    }
}
