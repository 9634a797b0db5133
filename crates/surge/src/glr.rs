//! Negative-binomial GLR (generalised likelihood ratio) CUSUM for sustained increases
//! (Höhle & Paul 2008, Comput Stat Data Anal 52:4357), after R `surveillance::glrnb` with
//! `change = "intercept"`: the in-control mean `mu0_t` comes from a negative binomial GLM with
//! a linear trend and `harmonics` sine/cosine pairs fitted to the training weeks before the
//! monitored period (`glm.nb`, dispersion by maximum likelihood); then at each week `n`
//!
//! `GLR_n = max_{n-M <= k <= n} max_{kappa >= 0} sum_{t=k..n} log f(x_t; mu0_t e^kappa) / f(x_t; mu0_t)`
//!
//! and an alarm is raised when `GLR_n >= c`. After an alarm the statistic restarts at the next
//! week (as in R). The maximising `k` and `kappa` explain the alarm: "counts have been
//! `e^kappa` times the expected level since week k". Knows nothing about encounters.

use crate::glm::fit_loglinear;
use crate::stats::{digamma, trigamma};
use serde::{Deserialize, Serialize};

/// Parameters of the NB GLR detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlrConfig {
    /// Alarm threshold on the GLR statistic (R's `c.ARL`).
    pub c_arl: f64,
    /// Harmonic pairs of the in-control model (R's `mu0$S`).
    pub harmonics: usize,
    pub trend: bool,
    /// Weeks per year.
    pub period: usize,
    /// Maximum look-back for the change point (`None` = since the start or the last alarm; R's M = -1).
    pub window: Option<usize>,
    /// Fixed NB dispersion `alpha` (variance `mu + alpha mu^2`); `None` = estimated by ML.
    pub alpha: Option<f64>,
    /// Training weeks before the monitored period used for the in-control model (`None` = all).
    pub train_weeks: Option<usize>,
}

impl Default for GlrConfig {
    fn default() -> Self {
        GlrConfig { c_arl: 3.0, harmonics: 2, trend: true, period: 52, window: None, alpha: None, train_weeks: None }
    }
}

impl GlrConfig {
    pub fn describe(&self) -> String {
        format!(
            "c.ARL={} S={} trend={} window={} alpha={} train_weeks={}",
            self.c_arl,
            self.harmonics,
            self.trend,
            self.window.map(|w| w.to_string()).unwrap_or_else(|| "all".into()),
            self.alpha.map(|a| format!("{a}")).unwrap_or_else(|| "ML".into()),
            self.train_weeks.map(|w| w.to_string()).unwrap_or_else(|| "all".into()),
        )
    }
}

/// The fitted in-control model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InControl {
    /// In-control means for the monitored weeks.
    pub mu0: Vec<f64>,
    /// NB dispersion alpha (0 = Poisson).
    pub alpha: f64,
    pub train_first: usize,
    pub train_last: usize,
}

/// Result of the GLR for one monitored week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlrWeek {
    pub index: usize,
    pub observed: f64,
    pub expected: f64,
    /// GLR statistic.
    pub stat: f64,
    /// Estimated start of the change (0-based week index) and multiplicative increase.
    pub change_start: usize,
    pub rate_ratio: f64,
    /// Smallest count this week that would have raised an alarm given the preceding weeks
    /// (an "upper bound" on the count scale); `None` if not computed.
    pub threshold_count: Option<f64>,
    pub alarm: bool,
}

/// Why the detector could not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GlrError {
    TooFewTrainingWeeks,
    FitFailed,
}

fn design_row(t: f64, cfg: &GlrConfig, center: f64, out: &mut Vec<f64>) {
    out.push(1.0);
    if cfg.trend {
        out.push((t - center) / 100.0);
    }
    for s in 1..=cfg.harmonics {
        let a = 2.0 * std::f64::consts::PI * s as f64 * t / cfg.period as f64;
        out.push(a.cos());
        out.push(a.sin());
    }
}

/// ML estimate of the NB size `theta` given means (MASS::theta.ml).
fn theta_ml(y: &[f64], mu: &[f64]) -> f64 {
    let n = y.len() as f64;
    let s: f64 = y.iter().zip(mu).map(|(y, m)| (y / m - 1.0).powi(2)).sum();
    let mut th = if s > 0.0 { n / s } else { 1e6 };
    for _ in 0..25 {
        let mut sc = 0.0;
        let mut info = 0.0;
        for (y, m) in y.iter().zip(mu) {
            sc += digamma(th + y) - digamma(th) + th.ln() + 1.0 - (th + m).ln() - (y + th) / (m + th);
            info += -trigamma(th + y) + trigamma(th) - 1.0 / th + 2.0 / (m + th) - (y + th) / (m + th).powi(2);
        }
        if !(info.is_finite() && sc.is_finite()) || info == 0.0 {
            break;
        }
        let step = sc / info;
        let new = (th + step).abs();
        if !new.is_finite() || new > 1e8 {
            return 1e8;
        }
        let done = (new - th).abs() < 1e-7 * th;
        th = new.max(1e-6);
        if done {
            break;
        }
    }
    th
}

/// Fit the in-control NB model on weeks `[train_lo, train_hi)` and predict weeks `[train_hi, end)`.
pub fn fit_in_control(counts: &[f64], train_lo: usize, train_hi: usize, end: usize, cfg: &GlrConfig) -> Result<InControl, GlrError> {
    let ncoef = 1 + cfg.trend as usize + 2 * cfg.harmonics;
    if train_hi <= train_lo || train_hi - train_lo < ncoef + 2 || end > counts.len() {
        return Err(GlrError::TooFewTrainingWeeks);
    }
    let y: Vec<f64> = counts[train_lo..train_hi].iter().map(|v| v.max(0.0)).collect();
    let center = train_hi as f64;
    let mut x = Vec::with_capacity(y.len() * ncoef);
    for i in train_lo..train_hi {
        design_row(i as f64 + 1.0, cfg, center, &mut x);
    }
    let mut fit = fit_loglinear(&x, ncoef, &y, None, 0.0, None).map_err(|_| GlrError::FitFailed)?;
    let mut alpha = match cfg.alpha {
        Some(a) => a,
        None => 1.0 / theta_ml(&y, &fit.mu),
    };
    if cfg.alpha.is_some() || alpha > 1e-7 {
        for _ in 0..20 {
            let f2 = fit_loglinear(&x, ncoef, &y, None, alpha, Some(&fit.mu)).map_err(|_| GlrError::FitFailed)?;
            let change: f64 = f2.coef.iter().zip(&fit.coef).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
            fit = f2;
            if cfg.alpha.is_some() {
                break;
            }
            let a2 = 1.0 / theta_ml(&y, &fit.mu);
            let da = (a2 - alpha).abs();
            alpha = a2;
            if change < 1e-8 && da < 1e-8 * (1.0 + alpha) {
                break;
            }
        }
    }
    let mut mu0 = Vec::with_capacity(end - train_hi);
    let mut row = Vec::with_capacity(ncoef);
    for i in train_hi..end {
        row.clear();
        design_row(i as f64 + 1.0, cfg, center, &mut row);
        mu0.push(fit.eta_at(&row).exp().max(f64::EPSILON));
    }
    Ok(InControl { mu0, alpha: alpha.max(0.0), train_first: train_lo, train_last: train_hi - 1 })
}

fn nb_lnk(kappa: f64, x: &[f64], mu0: &[f64], alpha: f64) -> f64 {
    let ek = kappa.exp();
    let mut l = 0.0;
    for (x, m) in x.iter().zip(mu0) {
        if alpha > 0.0 {
            l += kappa * x + (x + 1.0 / alpha) * ((1.0 + alpha * m) / (1.0 + alpha * m * ek)).ln();
        } else {
            l += kappa * x - m * (ek - 1.0);
        }
    }
    l
}

/// Maximise over kappa >= 0 for the segment; Newton-Raphson as in R's C code.
fn kappa_ml(x: &[f64], mu0: &[f64], alpha: f64, start: f64) -> f64 {
    let mut k_old = 0.4;
    let mut k_new = start;
    let mut iter = 0;
    while k_new > -18.0 && (k_new - k_old).abs() > 1e-6 && iter < 1000 {
        iter += 1;
        k_old = k_new;
        let ek = k_old.exp();
        let mut score = 0.0;
        let mut fisher = 0.0;
        for (x, m) in x.iter().zip(mu0) {
            let d = 1.0 + alpha * ek * m;
            score += (x - ek * m) / d;
            fisher += m * (alpha * x + 1.0) / (d * d);
        }
        fisher *= ek;
        if fisher <= 0.0 || !fisher.is_finite() {
            break;
        }
        k_new = k_old + score / fisher;
        if !k_new.is_finite() {
            k_new = 0.0;
            break;
        }
    }
    k_new.max(0.0)
}

/// GLR statistic at the end of `x` (with look-back `window`): (stat, change start offset, kappa).
fn glr_at(x: &[f64], mu0: &[f64], alpha: f64, window: Option<usize>) -> (f64, usize, f64) {
    let n = x.len() - 1;
    let low = match window {
        Some(m) => n.saturating_sub(m),
        None => 0,
    };
    let mut best = (f64::NEG_INFINITY, n, 0.0);
    let mut kap = 0.5;
    for k in low..=n {
        kap = kappa_ml(&x[k..], &mu0[k..], alpha, kap);
        let l = nb_lnk(kap, &x[k..], &mu0[k..], alpha);
        if l > best.0 {
            best = (l, k, kap);
        }
    }
    best
}

/// Run the GLR over the monitored weeks `[start, start + mu0.len())` of `counts`.
pub fn glr_monitor(counts: &[f64], start: usize, ic: &InControl, cfg: &GlrConfig, with_threshold: bool) -> Vec<GlrWeek> {
    let end = (start + ic.mu0.len()).min(counts.len());
    let mut out = Vec::with_capacity(end.saturating_sub(start));
    let mut seg_start = start;
    for n in start..end {
        let x: Vec<f64> = counts[seg_start..=n].iter().map(|v| v.max(0.0)).collect();
        let m = &ic.mu0[seg_start - start..=n - start];
        let (stat, k, kappa) = glr_at(&x, m, ic.alpha, cfg.window);
        let alarm = stat >= cfg.c_arl;
        let threshold_count = if with_threshold {
            let mut xx = x.clone();
            let last = xx.len() - 1;
            let mut c = 0.0;
            let mut found = None;
            while c <= 1e5 {
                xx[last] = c;
                if glr_at(&xx, m, ic.alpha, cfg.window).0 >= cfg.c_arl {
                    found = Some(c);
                    break;
                }
                c += (c * 0.05).floor().max(1.0);
            }
            found
        } else {
            None
        };
        out.push(GlrWeek {
            index: n,
            observed: x[x.len() - 1],
            expected: ic.mu0[n - start],
            stat,
            change_start: seg_start + k,
            rate_ratio: kappa.exp(),
            threshold_count,
            alarm,
        });
        if alarm {
            seg_start = n + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sustained_step_is_detected() {
        let mut y: Vec<f64> = (0..400).map(|i| 20.0 + 4.0 * ((i as f64) * 0.7).sin()).map(|v: f64| v.round()).collect();
        for v in y.iter_mut().skip(380).take(8) {
            *v += 12.0;
        }
        let cfg = GlrConfig { c_arl: 5.0, ..Default::default() };
        let ic = fit_in_control(&y, 0, 370, 400, &cfg).expect("fit");
        let r = glr_monitor(&y, 370, &ic, &cfg, false);
        assert!(r.iter().take(10).all(|w| !w.alarm));
        let first = r.iter().find(|w| w.alarm).expect("alarm");
        assert!(first.index >= 380 && first.index <= 383, "{first:?}");
        assert!(first.rate_ratio > 1.2);
    }
}
