//! Farrington Flexible outbreak detection for one count series (Farrington et al. 1996, JRSS A
//! 159:547; Noufaily et al. 2013, Stat Med 32:1206), reimplemented after the algorithm of R
//! `surveillance::farringtonFlexible` (1.20.3).
//!
//! For the week under test, a quasi-Poisson GLM is fitted to the same weeks of the `b` previous
//! years (windows of `±w` weeks), optionally with a linear trend and, with `no_periods > 1`, a
//! seasonal factor splitting the rest of each year into `no_periods - 1` blocks. Past outbreaks
//! are down-weighted by their Anscombe residuals; the most recent `past_weeks_not_included`
//! weeks are left out so a growing outbreak does not hide itself. The trend is kept only if
//! significant (`p < p_threshold_trend`), `b >= 3`, and the prediction does not exceed the
//! largest baseline count. The upper bound is the `1 - alpha` quantile of either the 2/3-power
//! transformed normal approximation (delta method, 1996) or a negative binomial with the fitted
//! mean and dispersion (plug-in, 2013). An alarm needs at least `limit54.0` cases in the last
//! `limit54.1` weeks (the current one included).
//!
//! R quirk (switch `r_weights_quirk`): after refitting with the outbreak weights, R overwrites
//! the model's IRLS working weights with the outbreak weights, so the dispersion behind the trend
//! test and the prediction standard error is `sum(omega r^2) / df` with working residuals
//! `r = (y - mu)/mu` instead of `sum(omega mu r^2) / df`. The default computes it correctly.
//! Knows nothing about nationalities or encounters: counts in, statistics out.

use crate::glm::{fit_quasipoisson, GlmFit};
use crate::stats;
use serde::{Deserialize, Serialize};

/// How the upper bound is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdMethod {
    /// 2/3-power transformation and delta method (Farrington 1996).
    Delta,
    /// Negative binomial quantile with plug-in mean and dispersion (Noufaily 2013).
    NbPlugin,
}

/// Parameters of Farrington Flexible (names follow R's `control` list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FarringtonConfig {
    /// Years of history.
    pub b: usize,
    /// Half-width of the reference windows, in weeks.
    pub w: usize,
    /// Weeks per year (52 for ISO weeks; 365 for daily series).
    pub period: usize,
    pub reweight: bool,
    /// Anscombe residuals above this are down-weighted.
    pub weights_threshold: f64,
    pub past_weeks_not_included: usize,
    /// Try a linear time trend.
    pub trend: bool,
    /// The trend is kept if its p-value is below this.
    pub p_threshold_trend: f64,
    pub threshold: ThresholdMethod,
    /// One-sided level of the prediction interval.
    pub alpha: f64,
    /// Number of seasonal-factor levels (1 = reference windows only).
    pub no_periods: usize,
    /// (cases, weeks): no alarm unless the last `weeks` weeks hold at least `cases` counts.
    pub limit54: (f64, usize),
    /// Reproduce R surveillance's overwriting of the GLM weights after reweighting.
    pub r_weights_quirk: bool,
}

impl FarringtonConfig {
    /// The original Farrington et al. (1996) settings as used in `surveillance` (alpha 0.01).
    pub fn original() -> Self {
        FarringtonConfig {
            b: 5,
            w: 3,
            period: 52,
            reweight: true,
            weights_threshold: 1.0,
            past_weeks_not_included: 3,
            trend: true,
            p_threshold_trend: 0.05,
            threshold: ThresholdMethod::Delta,
            alpha: 0.01,
            no_periods: 1,
            limit54: (5.0, 4),
            r_weights_quirk: false,
        }
    }

    /// The improved settings of Noufaily et al. (2013) (alpha 0.01).
    pub fn noufaily() -> Self {
        FarringtonConfig {
            weights_threshold: 2.58,
            past_weeks_not_included: 26,
            p_threshold_trend: 1.0,
            threshold: ThresholdMethod::NbPlugin,
            no_periods: 10,
            ..Self::original()
        }
    }

    /// Same settings with R's weight-overwriting quirk switched on or off.
    pub fn with_r_quirk(mut self, on: bool) -> Self {
        self.r_weights_quirk = on;
        self
    }

    /// Weeks of history needed before the first testable week.
    pub fn min_history(&self) -> usize {
        self.period * self.b + self.w
    }

    /// Short human-readable parameter string for alarm explanations.
    pub fn describe(&self) -> String {
        format!(
            "b={} w={} noPeriods={} reweight={} weightsThreshold={} pastWeeksNotIncluded={} trend={} pThresholdTrend={} threshold={} alpha={} limit54={}/{}{}",
            self.b,
            self.w,
            self.no_periods,
            self.reweight,
            self.weights_threshold,
            self.past_weeks_not_included,
            self.trend,
            self.p_threshold_trend,
            match self.threshold {
                ThresholdMethod::Delta => "delta(2/3-power)",
                ThresholdMethod::NbPlugin => "nbPlugin",
            },
            self.alpha,
            self.limit54.0,
            self.limit54.1,
            if self.r_weights_quirk { " r_weights_quirk" } else { "" }
        )
    }
}

/// Why a week could not be tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotTested {
    /// Fewer than `b` years (+ `w` weeks) of history before this week.
    InsufficientHistory,
    /// The GLM did not converge with or without trend (e.g. all-zero baseline).
    NoConvergence,
    /// Invalid configuration (e.g. too many seasonal periods for the window).
    BadConfig,
}

/// Result of Farrington Flexible for one week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FarringtonWeek {
    /// Index of the week in the series (0-based).
    pub index: usize,
    pub observed: f64,
    /// Predicted count (baseline expectation).
    pub expected: f64,
    /// Upper bound of the prediction interval (alarm threshold: observed > upper).
    pub upper: f64,
    /// Probability of observing at least this count under the baseline model.
    pub p_value: f64,
    /// Exceedance score `(observed - expected) / (upper - expected)` (> 1 means above bound).
    pub score: f64,
    /// Over-dispersion used (>= 1).
    pub phi: f64,
    /// Whether the linear trend was kept, and its coefficient (log scale per week).
    pub trend_kept: bool,
    pub trend_coef: Option<f64>,
    /// Years of history used (`b`).
    pub years: usize,
    /// Number of baseline weeks in the fit, and the first / last of them (0-based indices).
    pub baseline_weeks: usize,
    pub baseline_first: usize,
    pub baseline_last: usize,
    /// Number of baseline weeks down-weighted as past outbreaks (Anscombe residual above threshold).
    pub downweighted_weeks: usize,
    /// The `limit54` rule allows an alarm.
    pub enough_cases: bool,
    pub alarm: bool,
}

struct Fitted {
    fit: GlmFit,
    phi: f64,
    /// dispersion that R's summary() would report for this object
    summary_disp: f64,
    has_trend: bool,
    downweighted: usize,
}

/// Reusable workspace for repeated Farrington evaluations.
pub struct Farrington {
    pub config: FarringtonConfig,
}

impl Farrington {
    pub fn new(config: FarringtonConfig) -> Self {
        Farrington { config }
    }

    /// Baseline design for the week at 0-based `index`: (0-based week index, seasonal level).
    fn baseline(&self, index: usize) -> Result<Vec<(usize, usize)>, NotTested> {
        let c = &self.config;
        let k = index as i64 + 1; // 1-based like R
        let (b, w, per, p) = (c.b as i64, c.w as i64, c.period as i64, c.no_periods as i64);
        if p < 1 || b < 1 || per < 2 * w + 2 {
            return Err(NotTested::BadConfig);
        }
        if k - per * b - w < 1 {
            return Err(NotTested::InsufficientHistory);
        }
        let start = k - per * b - w;
        let mut lev: Vec<i64> = vec![0; (k - start + 1) as usize];
        let mut set = |pos: i64, v: i64| {
            if pos >= start && pos <= k {
                lev[(pos - start) as usize] = v;
            }
        };
        for t in (k - w)..=k {
            set(t, p);
        }
        for i in 1..=b {
            let ref_week = k - per * i;
            for t in (ref_week - w)..=(ref_week + w) {
                set(t, p);
            }
            if p != 1 {
                let period = (k - per * (i - 1)) - 2 * w - 1 - ref_week;
                if period < p - (2 * w + 1) {
                    return Err(NotTested::BadConfig);
                }
                let len = period / (p - 1);
                let rest = period % (p - 1);
                let mut pos = ref_week + w + 1;
                for j in 1..p {
                    let l = len + if j <= rest { 1 } else { 0 };
                    for t in pos..pos + l {
                        set(t, j);
                    }
                    pos += l;
                }
            }
        }
        let excl_from = k - c.past_weeks_not_included as i64;
        Ok(lev
            .iter()
            .enumerate()
            .filter_map(|(i, &l)| {
                let t = start + i as i64;
                if l > 0 && t < excl_from {
                    Some(((t - 1) as usize, l as usize))
                } else {
                    None
                }
            })
            .collect())
    }

    fn design(&self, rows: &[(usize, usize)], index: usize, trend: bool) -> (Vec<f64>, usize) {
        let p_lev = self.config.no_periods;
        let mut present = vec![false; p_lev + 1];
        for &(_, l) in rows {
            present[l] = true;
        }
        let dummies: Vec<usize> = if p_lev > 1 {
            (1..p_lev).filter(|l| present[*l]).collect()
        } else {
            Vec::new()
        };
        let ncol = 1 + trend as usize + dummies.len();
        let mut x = Vec::with_capacity(rows.len() * ncol);
        for &(t, l) in rows {
            x.push(1.0);
            if trend {
                x.push(t as f64 - index as f64);
            }
            for &d in &dummies {
                x.push(if d == l { 1.0 } else { 0.0 });
            }
        }
        (x, ncol)
    }

    /// R's algo.farrington.fitGLM.flexible.
    fn fit_flexible(
        &self,
        rows: &[(usize, usize)],
        y: &[f64],
        index: usize,
        trend: bool,
    ) -> Option<Fitted> {
        let c = &self.config;
        let (mut x, mut p) = self.design(rows, index, trend);
        let mut has_trend = trend;
        let mut fit = fit_quasipoisson(&x, p, y, None)
            .ok()
            .filter(|f| f.converged);
        if fit.is_none() && trend {
            let (x2, p2) = self.design(rows, index, false);
            x = x2;
            p = p2;
            has_trend = false;
            fit = fit_quasipoisson(&x, p, y, None)
                .ok()
                .filter(|f| f.converged);
        }
        let fit = fit?;
        let mut phi = fit.dispersion_with(None).max(1.0);
        if !phi.is_finite() {
            phi = 1.0;
        }
        if !c.reweight {
            let summary_disp = fit.dispersion_with(None);
            return Some(Fitted {
                fit,
                phi,
                summary_disp,
                has_trend,
                downweighted: 0,
            });
        }
        let h = fit.hat_values(&x);
        let s: Vec<f64> = (0..y.len())
            .map(|i| {
                let mu = fit.mu[i];
                let a = 1.5 * (y[i].powf(2.0 / 3.0) * mu.powf(-1.0 / 6.0) - mu.sqrt());
                a / (phi * (1.0 - h[i])).sqrt()
            })
            .collect();
        let thr = c.weights_threshold;
        let big = |v: f64| v > thr; // NaN compares false: treated as not an outlier
        let denom: f64 = s
            .iter()
            .map(|&v| if big(v) { v.powi(-2) } else { 1.0 })
            .sum();
        let gamma = s.len() as f64 / denom;
        let omega: Vec<f64> = s
            .iter()
            .map(|&v| if big(v) { gamma * v.powi(-2) } else { gamma })
            .collect();
        let downweighted = s.iter().filter(|v| big(**v)).count();
        let fit2 = fit_quasipoisson(&x, p, y, Some(&omega)).ok()?;
        let mut phi2 = fit2.dispersion_with(None).max(1.0);
        if !phi2.is_finite() {
            phi2 = 1.0;
        }
        let summary_disp = if c.r_weights_quirk {
            fit2.dispersion_with(Some(&omega))
        } else {
            fit2.dispersion_with(None)
        };
        Some(Fitted {
            fit: fit2,
            phi: phi2,
            summary_disp,
            has_trend,
            downweighted,
        })
    }

    /// Test the week at 0-based `index` of `counts` (only earlier weeks are used as baseline).
    pub fn test_week(&self, counts: &[f64], index: usize) -> Result<FarringtonWeek, NotTested> {
        let c = &self.config;
        if index >= counts.len() {
            return Err(NotTested::InsufficientHistory);
        }
        let rows = self.baseline(index)?;
        let y: Vec<f64> = rows.iter().map(|&(t, _)| counts[t].max(0.0)).collect();
        if y.iter().any(|v| !v.is_finite()) {
            return Err(NotTested::NoConvergence);
        }
        let mut m = self
            .fit_flexible(&rows, &y, index, c.trend)
            .ok_or(NotTested::NoConvergence)?;
        let mut trend_kept = false;
        if m.has_trend {
            let mu_k = m.fit.coef[0].exp().max(f64::EPSILON); // trend column is centred at `index`
            let var = m.summary_disp * m.fit.cov_unscaled[m.fit.p + 1];
            let tval = m.fit.coef[1] / var.sqrt();
            let pval = stats::pt_two_sided(tval, m.fit.df_resid as f64);
            let significant = pval < c.p_threshold_trend;
            let max_y = y.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            trend_kept = c.b >= 3 && significant && mu_k <= max_y;
            if !trend_kept {
                m = self
                    .fit_flexible(&rows, &y, index, false)
                    .ok_or(NotTested::NoConvergence)?;
            }
        }
        let mut x0 = vec![0.0; m.fit.p];
        x0[0] = 1.0;
        let eta0 = m.fit.eta_at(&x0);
        let se_eta = (m.fit.quad(&x0) * m.summary_disp).sqrt();
        let mu0 = eta0.exp().max(f64::EPSILON);
        let phi = m.phi;
        let yk = counts[index].max(0.0);
        let (upper, p_value) = match c.threshold {
            ThresholdMethod::Delta => {
                let se_mu = se_eta * mu0;
                let tau = phi + se_mu * se_mu / mu0;
                let se = (4.0 / 9.0 * mu0.powf(1.0 / 3.0) * tau).sqrt();
                let z = stats::qnorm(1.0 - c.alpha);
                let up = (mu0.powf(2.0 / 3.0) + z * se).powf(1.5);
                let pv = stats::pnorm_upper((yk.powf(2.0 / 3.0) - mu0.powf(2.0 / 3.0)) / se);
                (up, pv)
            }
            ThresholdMethod::NbPlugin => {
                if phi > 1.0 {
                    let size = mu0 / (phi - 1.0);
                    (
                        stats::qnbinom(1.0 - c.alpha, size, 1.0 / phi),
                        stats::pnbinom_ge(yk, size, 1.0 / phi),
                    )
                } else {
                    (stats::qpois(1.0 - c.alpha, mu0), stats::ppois_ge(yk, mu0))
                }
            }
        };
        // R computes the nbPlugin score on the link scale; it only matters for the sign check.
        let pred_fit = match (c.threshold, c.r_weights_quirk) {
            (ThresholdMethod::NbPlugin, true) => eta0,
            _ => mu0,
        };
        let score = (yk - pred_fit) / (upper - pred_fit);
        let lw = c.limit54.1.max(1);
        let lo = (index + 1).saturating_sub(lw);
        let recent: f64 = counts[lo..=index].iter().map(|v| v.max(0.0)).sum();
        let enough_cases = recent >= c.limit54.0;
        let alarm = if c.r_weights_quirk {
            enough_cases && score > 1.0 && yk != 0.0
        } else {
            enough_cases && upper.is_finite() && yk > upper && yk != 0.0
        };
        let trend_coef = if trend_kept {
            Some(m.fit.coef[1])
        } else {
            None
        };
        Ok(FarringtonWeek {
            index,
            observed: yk,
            expected: mu0,
            upper,
            p_value,
            score,
            phi,
            trend_kept,
            trend_coef,
            years: c.b,
            baseline_weeks: rows.len(),
            baseline_first: rows.first().map(|r| r.0).unwrap_or(0),
            baseline_last: rows.last().map(|r| r.0).unwrap_or(0),
            downweighted_weeks: m.downweighted,
            enough_cases,
            alarm,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_series_no_alarm_then_spike_alarms() {
        let mut y: Vec<f64> = (0..330)
            .map(|i| 10.0 + ((i * 7919) % 5) as f64 - 2.0)
            .collect();
        let f = Farrington::new(FarringtonConfig::original());
        let r = f.test_week(&y, 320).expect("tested");
        assert!(!r.alarm);
        assert!((r.expected - 10.0).abs() < 1.0);
        y[320] = 40.0;
        let r = f.test_week(&y, 320).expect("tested");
        assert!(r.alarm, "{r:?}");
        assert!(r.p_value < 1e-4);
        let g = Farrington::new(FarringtonConfig::noufaily());
        let r = g.test_week(&y, 320).expect("tested");
        assert!(r.alarm, "{r:?}");
    }

    #[test]
    fn short_history_is_reported() {
        let y = vec![1.0; 100];
        let f = Farrington::new(FarringtonConfig::original());
        assert_eq!(f.test_week(&y, 99), Err(NotTested::InsufficientHistory));
    }

    #[test]
    fn noufaily_baseline_shape() {
        let f = Farrington::new(FarringtonConfig::noufaily());
        let rows = f.baseline(600).expect("rows");
        // 5 years of 52 weeks + w, minus the 27 excluded recent weeks
        assert_eq!(rows.len(), 52 * 5 + 3 + 1 - 27);
        let o = Farrington::new(FarringtonConfig::original());
        assert_eq!(o.baseline(600).expect("rows").len(), 35);
    }
}
