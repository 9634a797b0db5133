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
use crate::markov::markov_threshold;
pub use crate::markov::MarkovCalibration;
use crate::stats::{digamma, ln_gamma, trigamma};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Likelihood of the GLR statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GlrLikelihood {
    /// Negative binomial with variance `mu + alpha mu^2` (Höhle & Paul 2008; R `glrnb`).
    NegBin,
    /// Quasi-Poisson with variance `phi mu`: the GLR is the Poisson GLR divided by `phi`, with
    /// closed-form maximiser `e^kappa = sum x / sum mu0` (linkwatch extension; the variance
    /// model Farrington uses).
    QuasiPoisson,
    /// Negative binomial with variance `phi mu` (NB1, the count model behind quasi-Poisson):
    /// exact log-likelihood ratios for the fixed-shift CUSUM, so sparse and heavy-tailed series
    /// are not over-alarmed. The in-control fit is the quasi-Poisson one; the GLR (unknown
    /// shift) falls back to the quasi-Poisson closed form.
    Nb1,
}

/// The alternative of the fixed-shift NB1 CUSUM (`shift_sd`): what an outbreak of `delta`
/// baseline standard deviations looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CusumAlternative {
    /// NB1 with the raised mean `mu1 = mu0 + delta sqrt(phi mu0)` and variance `phi mu1`: the
    /// whole count is scaled up, over-dispersion included (sessions 2-4 default).
    #[default]
    Scaled,
    /// The in-control count plus extra cases: mean `mu1 = mu0 + e`, variance `phi mu0 + e`
    /// (`e = delta sqrt(phi mu0)`; the extra cases are Poisson, as in Noufaily et al.'s outbreak
    /// model), as a moment-matched negative binomial. The log-likelihood ratio of this
    /// alternative falls again for counts far in the tail (its tail is lighter than the
    /// in-control one when `phi > 1`); the increment is made monotone (a count never weighs
    /// less than a smaller one), so huge counts always alarm.
    AddedCases,
}

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
    /// Down-weight past outbreaks in the in-control fit (Pearson residuals above
    /// `robust_threshold` get weight `(threshold / r)^2`), like Farrington's reweighting.
    /// R's glrnb does not do this (`false` reproduces R).
    pub robust: bool,
    pub robust_threshold: f64,
    pub likelihood: GlrLikelihood,
    /// Calibrate the threshold per series by parametric bootstrap: simulate in-control series
    /// from the fitted model (quasi-Poisson variance via gamma-Poisson mixing) and set `c` to
    /// the `1 - target` quantile of the weekly statistic (never below `c_arl`). `None` = fixed `c_arl`.
    pub calibrate: Option<Calibration>,
    /// If set, use a likelihood-ratio CUSUM for a fixed shift of this many baseline standard
    /// deviations (`mu1 = mu0 + delta sqrt(phi mu0)`) instead of maximising over the shift
    /// (quasi-Poisson likelihood only). R's `glrnb` with `theta` given is the NB analogue.
    pub shift_sd: Option<f64>,
    /// Per-series threshold of the fixed-shift NB1 CUSUM from the Brook & Evans Markov chain of
    /// the fitted in-control model (see [`crate::markov`]): `h` is set so that the long-run
    /// in-control alarm probability per period is `target` (`c_arl` is then ignored).
    /// `None` = fixed `c_arl`. Only with `shift_sd` and the NB1 likelihood.
    #[serde(default)]
    pub markov: Option<MarkovCalibration>,
    /// Correct the dispersion of the robust in-control fit for the down-weighting (NB1 /
    /// quasi-Poisson likelihoods with `robust`): the weighted Pearson dispersion of a robust fit
    /// underestimates `phi` because ordinary high counts are down-weighted too (badly so for
    /// sparse or very over-dispersed series). With this on, `phi` solves
    /// `E_phi[w(y) (y - mu)^2 / mu] = weighted Pearson dispersion` under the NB1 model at a few
    /// quantiles of the fitted means (a Fisher-consistency correction), and that `phi` is used by
    /// the CUSUM and its calibration.
    #[serde(default)]
    pub phi_correction: bool,
    /// Robust fit (NB1 / quasi-Poisson): down-weight a period only if, besides its Pearson
    /// residual exceeding `robust_threshold`, its count is also improbable under the current
    /// NB1 fit (upper tail `P(Y >= y) < robust_tail_p`). Without it, ordinary counts of 2 or 3
    /// in a sparse series (mean 0.1) or the long tail of a very over-dispersed one are
    /// down-weighted, which biases the in-control mean and dispersion down. `None` = off.
    #[serde(default)]
    pub robust_tail_p: Option<f64>,
    /// Alternative of the fixed-shift NB1 CUSUM (see [`CusumAlternative`]). The Markov-chain
    /// calibration (`markov`) always uses `Scaled`.
    #[serde(default)]
    pub cusum_alternative: CusumAlternative,
}

/// Parametric-bootstrap threshold calibration (see [`GlrConfig::calibrate`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Target per-week exceedance probability of the statistic under the in-control model.
    pub target: f64,
    /// Number of simulated series.
    pub sims: usize,
    /// Weeks per simulated series.
    pub weeks: usize,
    pub seed: u64,
}

impl Default for GlrConfig {
    fn default() -> Self {
        GlrConfig {
            c_arl: 3.0,
            harmonics: 2,
            trend: true,
            period: 52,
            window: None,
            alpha: None,
            train_weeks: None,
            robust: false,
            robust_threshold: 2.58,
            likelihood: GlrLikelihood::NegBin,
            calibrate: None,
            shift_sd: None,
            markov: None,
            phi_correction: false,
            robust_tail_p: None,
            cusum_alternative: CusumAlternative::Scaled,
        }
    }
}

impl GlrConfig {
    pub fn describe(&self) -> String {
        let mut s = self.describe_base();
        if let Some(d) = self.shift_sd {
            s += &format!(" shift={d}SD");
        }
        if let Some(m) = &self.markov {
            s += &format!(
                " h=per-series(Markov chain, in-control alarm prob/period {}, {} states, {} season points)",
                m.target, m.states, m.points
            );
        }
        s
    }

    /// True when the threshold is calibrated per series by the Markov chain.
    pub fn markov_active(&self) -> bool {
        self.markov.is_some() && self.shift_sd.is_some() && self.likelihood == GlrLikelihood::Nb1
    }

    fn describe_base(&self) -> String {
        format!(
            "likelihood={:?} c.ARL={} S={} trend={} window={} alpha={} train_weeks={} robust={}",
            self.likelihood,
            self.c_arl,
            self.harmonics,
            self.trend,
            self.window
                .map(|w| w.to_string())
                .unwrap_or_else(|| "all".into()),
            self.alpha
                .map(|a| format!("{a}"))
                .unwrap_or_else(|| "ML".into()),
            self.train_weeks
                .map(|w| w.to_string())
                .unwrap_or_else(|| "all".into()),
            self.robust,
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
    /// Quasi-Poisson dispersion phi (>= 1) of the in-control fit.
    pub phi: f64,
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
    /// Threshold applied to `stat` (c.ARL, or the calibrated value).
    pub threshold: f64,
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
fn theta_ml(y: &[f64], mu: &[f64], wt: Option<&[f64]>) -> f64 {
    let w = |i: usize| wt.map(|w| w[i]).unwrap_or(1.0);
    let n: f64 = (0..y.len()).map(w).sum();
    let s: f64 = y
        .iter()
        .zip(mu)
        .enumerate()
        .map(|(i, (y, m))| w(i) * (y / m - 1.0).powi(2))
        .sum();
    let mut th = if s > 0.0 { n / s } else { 1e6 };
    for _ in 0..25 {
        let mut sc = 0.0;
        let mut info = 0.0;
        for (i, (y, m)) in y.iter().zip(mu).enumerate() {
            let wi = w(i);
            sc += wi
                * (digamma(th + y) - digamma(th) + th.ln() + 1.0
                    - (th + m).ln()
                    - (y + th) / (m + th));
            info += wi
                * (-trigamma(th + y) + trigamma(th) - 1.0 / th + 2.0 / (m + th)
                    - (y + th) / (m + th).powi(2));
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
pub fn fit_in_control(
    counts: &[f64],
    train_lo: usize,
    train_hi: usize,
    end: usize,
    cfg: &GlrConfig,
) -> Result<InControl, GlrError> {
    let ncoef = 1 + cfg.trend as usize + 2 * cfg.harmonics;
    if train_hi <= train_lo || train_hi - train_lo < ncoef + 2 || end > counts.len() {
        return Err(GlrError::TooFewTrainingWeeks);
    }
    let y: Vec<f64> = counts[train_lo..train_hi]
        .iter()
        .map(|v| v.max(0.0))
        .collect();
    let center = train_hi as f64;
    let mut x = Vec::with_capacity(y.len() * ncoef);
    for i in train_lo..train_hi {
        design_row(i as f64 + 1.0, cfg, center, &mut x);
    }
    let mut weights: Option<Vec<f64>> = None;
    let mut fit: crate::glm::GlmFit;
    let mut prev_mu: Option<Vec<f64>> = None;
    let mut alpha;
    let mut round = 0;
    let mut phi_weights = f64::NAN;
    loop {
        let wt = weights.as_deref();
        // robust rounds start from the previous round's means (warm start: same fixed point,
        // far fewer IRLS iterations than restarting from y + 0.1)
        fit = fit_loglinear(&x, ncoef, &y, wt, 0.0, prev_mu.as_deref())
            .map_err(|_| GlrError::FitFailed)?;
        alpha = match (cfg.likelihood, cfg.alpha) {
            (GlrLikelihood::QuasiPoisson | GlrLikelihood::Nb1, _) => 0.0,
            (_, Some(a)) => a,
            (_, None) => 1.0 / theta_ml(&y, &fit.mu, wt),
        };
        if cfg.likelihood == GlrLikelihood::NegBin && (cfg.alpha.is_some() || alpha > 1e-7) {
            for _ in 0..20 {
                let f2 = fit_loglinear(&x, ncoef, &y, wt, alpha, Some(&fit.mu))
                    .map_err(|_| GlrError::FitFailed)?;
                let change: f64 = f2
                    .coef
                    .iter()
                    .zip(&fit.coef)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max);
                fit = f2;
                if cfg.alpha.is_some() {
                    break;
                }
                let a2 = 1.0 / theta_ml(&y, &fit.mu, wt);
                let da = (a2 - alpha).abs();
                alpha = a2;
                if change < 1e-8 && da < 1e-8 * (1.0 + alpha) {
                    break;
                }
            }
        }
        if !cfg.robust || round == 2 {
            break;
        }
        round += 1;
        prev_mu = Some(fit.mu.clone());
        let thr = cfg.robust_threshold;
        // once per round (it is a sum over all training periods)
        let phi_fit = phi_of(&fit);
        phi_weights = phi_fit;
        let tail_p = match cfg.likelihood {
            GlrLikelihood::Nb1 | GlrLikelihood::QuasiPoisson => cfg.robust_tail_p,
            GlrLikelihood::NegBin => None,
        };
        // only evaluated for the few periods above the Pearson threshold
        let plausible = |y: f64, m: f64, phi: f64| match tail_p {
            None => false,
            Some(tp) => {
                let m = m.max(1e-12);
                let p = if phi <= 1.0 + 1e-6 {
                    crate::stats::ppois_ge(y, m)
                } else {
                    crate::stats::pnbinom_ge(y, m / (phi - 1.0), 1.0 / phi)
                };
                p >= tp
            }
        };
        weights = Some(
            y.iter()
                .zip(&fit.mu)
                .map(|(y, m)| {
                    let r = (y - m) / (phi_fit * m * (1.0 + alpha * m)).sqrt();
                    if r > thr && !plausible(*y, *m, phi_fit) {
                        (thr / r).powi(2)
                    } else {
                        1.0
                    }
                })
                .collect(),
        );
    }
    let phi = phi_of(&fit);
    let mut mu0 = Vec::with_capacity(end - train_hi);
    let mut row = Vec::with_capacity(ncoef);
    for i in train_hi..end {
        row.clear();
        design_row(i as f64 + 1.0, cfg, center, &mut row);
        mu0.push(fit.eta_at(&row).exp().max(f64::EPSILON));
    }
    let phi = if cfg.likelihood == GlrLikelihood::NegBin {
        1.0
    } else if cfg.robust && cfg.phi_correction && phi_weights.is_finite() {
        let raw = fit.dispersion_with(None);
        let mus = crate::markov::representative_means(&fit.mu, 5);
        match crate::markov::robust_phi_correction(raw, phi_weights, cfg.robust_threshold, &mus) {
            Some(p) if raw.is_finite() => p,
            // not identifiable from the down-weighted fit (sparse series): from the zeros
            _ => crate::markov::phi_from_zeros(&y, &fit.mu),
        }
    } else {
        phi
    };
    Ok(InControl {
        mu0,
        alpha: alpha.max(0.0),
        phi,
        train_first: train_lo,
        train_last: train_hi - 1,
    })
}

/// Pearson dispersion (>= 1) of a Poisson-variance fit; 1 for NB fits (alpha carries it).
fn phi_of(fit: &crate::glm::GlmFit) -> f64 {
    let d = fit.dispersion_with(None);
    if d.is_finite() {
        d.max(1.0)
    } else {
        1.0
    }
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

/// Quasi-Poisson GLR at the end of `x`: closed form per change point.
fn qp_glr_at(x: &[f64], mu0: &[f64], phi: f64, window: Option<usize>) -> (f64, usize, f64) {
    let n = x.len() - 1;
    let low = match window {
        Some(m) => n.saturating_sub(m),
        None => 0,
    };
    let mut best = (0.0, n, 0.0);
    let (mut sx, mut sm) = (0.0, 0.0);
    for k in (low..=n).rev() {
        sx += x[k];
        sm += mu0[k];
        if sx > sm && sm > 0.0 {
            let l = (sx * (sx / sm).ln() - (sx - sm)) / phi;
            if l > best.0 {
                best = (l, k, (sx / sm).ln());
            }
        }
    }
    best
}

/// Fixed-shift quasi-Poisson CUSUM over `x`: returns the statistic at the end (restarting is
/// handled by the caller through the segment), the start of the current run and kappa.
fn qp_cusum_at(
    x: &[f64],
    mu0: &[f64],
    phi: f64,
    delta: f64,
    nb1: bool,
    alt: CusumAlternative,
) -> (f64, usize, f64) {
    let mut s = 0.0;
    let mut run_start = 0;
    let mut kap = 0.0;
    for (t, (x, m)) in x.iter().zip(mu0).enumerate() {
        let (inc, k) = cusum_increment(*x, *m, phi, delta, nb1, alt);
        if s <= 0.0 {
            run_start = t;
        }
        s = (s + inc).max(0.0);
        kap = k;
    }
    (s, run_start, kap)
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

/// One draw from Gamma(shape, 1) (Marsaglia & Tsang 2000).
fn rgamma<R: Rng>(rng: &mut R, shape: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.gen::<f64>().max(f64::MIN_POSITIVE);
        return rgamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let (x, v) = loop {
            let x = rnorm(rng);
            let v = 1.0 + c * x;
            if v > 0.0 {
                break (x, v * v * v);
            }
        };
        let u: f64 = rng.gen();
        if u < 1.0 - 0.0331 * x.powi(4)
            || u.max(f64::MIN_POSITIVE).ln() < 0.5 * x * x + d * (1.0 - v + v.ln())
        {
            return d * v;
        }
    }
}

fn rnorm<R: Rng>(rng: &mut R) -> f64 {
    let u1: f64 = rng.gen::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// One Poisson draw (inversion for small means, normal approximation above 500).
fn rpois<R: Rng>(rng: &mut R, lambda: f64) -> f64 {
    if !(lambda > 0.0) {
        return 0.0;
    }
    if lambda > 500.0 {
        return (lambda + lambda.sqrt() * rnorm(rng)).round().max(0.0);
    }
    let u: f64 = rng.gen();
    let mut p = (-lambda).exp();
    let mut f = p;
    let mut k = 0.0;
    while u > f && k < 10_000.0 {
        k += 1.0;
        p *= lambda / k;
        f += p;
    }
    k
}

/// In-control draw with mean `mu` and variance `phi mu` (Poisson when phi <= 1).
fn rcount<R: Rng>(rng: &mut R, mu: f64, phi: f64) -> f64 {
    if phi <= 1.0 + 1e-9 {
        rpois(rng, mu)
    } else {
        let size = mu / (phi - 1.0);
        let lam = rgamma(rng, size) * mu / size;
        rpois(rng, lam)
    }
}

/// Number of alarms (with restart after each alarm) of the GLR on one path at threshold `c`.
fn alarms_on_path(x: &[f64], mu: &[f64], cfg: &GlrConfig, ic: &InControl, c: f64) -> usize {
    let mut seg = 0;
    let mut n_alarm = 0;
    for n in 0..x.len() {
        let s = match cfg.likelihood {
            GlrLikelihood::QuasiPoisson | GlrLikelihood::Nb1 => match cfg.shift_sd {
                Some(d) => {
                    qp_cusum_at(
                        &x[seg..=n],
                        &mu[seg..=n],
                        ic.phi,
                        d,
                        cfg.likelihood == GlrLikelihood::Nb1,
                        cfg.cusum_alternative,
                    )
                    .0
                }
                None => qp_glr_at(&x[seg..=n], &mu[seg..=n], ic.phi, cfg.window).0,
            },
            GlrLikelihood::NegBin => glr_at(&x[seg..=n], &mu[seg..=n], ic.alpha, cfg.window).0,
        };
        if s >= c {
            n_alarm += 1;
            seg = n + 1;
        }
    }
    n_alarm
}

/// Calibrated threshold (see [`Calibration`]): the smallest `c` (bisection) whose simulated
/// in-control alarm rate, with restarts after alarms exactly as in monitoring, is <= target.
pub fn calibrated_threshold(ic: &InControl, cfg: &GlrConfig, cal: &Calibration) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(cal.seed);
    let weeks = cal.weeks.min(ic.mu0.len()).max(1);
    let mu = &ic.mu0[..weeks];
    let phi = if cfg.likelihood == GlrLikelihood::NegBin {
        1.0 + ic.alpha * stats_mean(mu)
    } else {
        ic.phi
    };
    let paths: Vec<Vec<f64>> = (0..cal.sims)
        .map(|_| mu.iter().map(|m| rcount(&mut rng, *m, phi)).collect())
        .collect();
    let total = (cal.sims * weeks) as f64;
    let rate = |c: f64| {
        paths
            .iter()
            .map(|x| alarms_on_path(x, mu, cfg, ic, c))
            .sum::<usize>() as f64
            / total
    };
    let (mut lo, mut hi) = (cfg.c_arl, cfg.c_arl.max(1.0) * 2.0);
    if rate(lo) <= cal.target {
        return lo;
    }
    while rate(hi) > cal.target && hi < 1e3 {
        lo = hi;
        hi *= 2.0;
    }
    for _ in 0..10 {
        let mid = 0.5 * (lo + hi);
        if rate(mid) <= cal.target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

fn stats_mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        0.0
    } else {
        x.iter().sum::<f64>() / x.len() as f64
    }
}

/// Log-likelihood-ratio increment of the fixed-shift CUSUM for one period: (increment, log of
/// the alternative's rate ratio `mu1 / mu0`).
fn cusum_increment(
    x: f64,
    m: f64,
    phi: f64,
    delta: f64,
    nb1: bool,
    alt: CusumAlternative,
) -> (f64, f64) {
    if alt == CusumAlternative::AddedCases && nb1 {
        return added_cases_increment(x, m, phi, delta);
    }
    let m = m.max(1e-12);
    let k = (1.0 + delta * (phi / m).sqrt()).ln();
    let inc = if nb1 && phi > 1.0 + 1e-6 {
        let s0 = m / (phi - 1.0);
        let s1 = s0 * k.exp();
        (ln_gamma(x + s1) - ln_gamma(s1)) - (ln_gamma(x + s0) - ln_gamma(s0)) - (s1 - s0) * phi.ln()
    } else {
        (x * k - m * (k.exp() - 1.0)) / phi
    };
    (inc, k)
}

/// Log pmf at `x` of the negative binomial with mean `m` and variance `v` (Poisson when `v` is
/// within 1e-6 of `m`).
fn ln_nb_mean_var(x: f64, m: f64, v: f64) -> f64 {
    let v = v.max(m);
    if v <= m * (1.0 + 1e-6) {
        x * m.ln() - m - ln_gamma(x + 1.0)
    } else {
        let size = m * m / (v - m);
        let p = size / (size + m);
        ln_gamma(x + size) - ln_gamma(size) - ln_gamma(x + 1.0) + size * p.ln() + x * (-p).ln_1p()
    }
}

/// `ln f(c) - ln f(c - 1)` for the negative binomial of [`ln_nb_mean_var`] (`c >= 1`): four
/// logarithms instead of six log-gammas.
fn ln_nb_mean_var_step(c: f64, m: f64, v: f64) -> f64 {
    let v = v.max(m);
    if v <= m * (1.0 + 1e-6) {
        m.ln() - c.ln()
    } else {
        let size = m * m / (v - m);
        let p = size / (size + m);
        (c - 1.0 + size).ln() - c.ln() + (-p).ln_1p()
    }
}

/// [`CusumAlternative::AddedCases`] increment, monotone in `x`: past the mode of the
/// (concave-in-x) log-likelihood ratio, the value at the integer mode is used.
fn added_cases_increment(x: f64, m: f64, phi: f64, delta: f64) -> (f64, f64) {
    let m = m.max(1e-9);
    let phi = phi.max(1.0);
    let e = delta * (phi * m).sqrt();
    let llr = |c: f64| ln_nb_mean_var(c, m + e, phi * m + e) - ln_nb_mean_var(c, m, phi * m);
    // llr(c) - llr(c - 1): decreasing in c, so its sign changes once
    let rising = |c: f64| {
        ln_nb_mean_var_step(c, m + e, phi * m + e) - ln_nb_mean_var_step(c, m, phi * m) >= 0.0
    };
    let k = ((m + e) / m).ln();
    let x = x.max(0.0);
    let here = llr(x);
    if x < 1.0 || rising(x) {
        return (here, k); // still rising (or the first count)
    }
    // past the mode: the largest integer c <= x with llr(c) >= llr(c - 1), by bisection
    let (mut lo, mut hi) = (0.0f64, x.floor()); // rising at lo (or lo = 0), falling at hi
    while hi - lo > 1.0 {
        let mid = ((lo + hi) / 2.0).floor();
        if rising(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (llr(lo).max(here), k)
}

/// Run the GLR / CUSUM over the monitored weeks `[start, start + mu0.len())` of `counts`.
/// With `with_threshold`, also the smallest count that would have alarmed each week.
pub fn glr_monitor(
    counts: &[f64],
    start: usize,
    ic: &InControl,
    cfg: &GlrConfig,
    with_threshold: bool,
) -> Vec<GlrWeek> {
    glr_monitor_from(
        counts,
        start,
        ic,
        cfg,
        if with_threshold { Some(start) } else { None },
    )
}

/// As [`glr_monitor`], computing threshold counts only for weeks at or after `threshold_from`.
pub fn glr_monitor_from(
    counts: &[f64],
    start: usize,
    ic: &InControl,
    cfg: &GlrConfig,
    threshold_from: Option<usize>,
) -> Vec<GlrWeek> {
    let c_arl = match (&cfg.markov, cfg.shift_sd, &cfg.calibrate) {
        (Some(mc), Some(delta), _) if cfg.markov_active() => {
            markov_threshold(&ic.mu0, ic.phi, delta, mc)
        }
        (_, _, Some(cal)) => calibrated_threshold(ic, cfg, cal),
        _ => cfg.c_arl,
    };
    let end = (start + ic.mu0.len()).min(counts.len());
    let mut out = Vec::with_capacity(end.saturating_sub(start));
    let want_thr = |n: usize| threshold_from.is_some_and(|t| n >= t);
    // Fixed-shift CUSUM: O(1) recursion per week.
    if let (Some(delta), GlrLikelihood::QuasiPoisson | GlrLikelihood::Nb1) =
        (cfg.shift_sd, cfg.likelihood)
    {
        let nb1 = cfg.likelihood == GlrLikelihood::Nb1;
        let alt = cfg.cusum_alternative;
        let mut s = 0.0;
        let mut run_start = start;
        for n in start..end {
            let x = counts[n].max(0.0);
            let m = ic.mu0[n - start];
            let prev = s;
            if s <= 0.0 {
                run_start = n;
            }
            let (inc, k) = cusum_increment(x, m, ic.phi, delta, nb1, alt);
            s = (s + inc).max(0.0);
            let alarm = s >= c_arl;
            let threshold_count = if want_thr(n) {
                // increments grow with x: binary search the smallest alarming count
                let ok = |c: f64| {
                    prev.max(0.0) + cusum_increment(c, m, ic.phi, delta, nb1, alt).0 >= c_arl
                };
                let mut hi = (m + 1.0).max(1.0).ceil();
                while hi.is_finite() && hi < 1e12 && !ok(hi) {
                    hi *= 2.0;
                }
                if hi.is_finite() && hi < 1e12 && ok(hi) {
                    let mut lo = 0.0f64;
                    if ok(lo) {
                        Some(0.0)
                    } else {
                        // invariant: !ok(lo), ok(hi), both integers
                        while hi - lo > 1.0 {
                            let mid = ((lo + hi) / 2.0).floor().max(lo + 1.0);
                            if ok(mid) {
                                hi = mid;
                            } else {
                                lo = mid;
                            }
                        }
                        Some(hi)
                    }
                } else {
                    None
                }
            } else {
                None
            };
            out.push(GlrWeek {
                index: n,
                observed: x,
                expected: m,
                stat: s,
                change_start: run_start,
                rate_ratio: k.exp(),
                threshold_count,
                threshold: c_arl,
                alarm,
            });
            if alarm {
                s = 0.0;
            }
        }
        return out;
    }
    let mut seg_start = start;
    for n in start..end {
        let x: Vec<f64> = counts[seg_start..=n].iter().map(|v| v.max(0.0)).collect();
        let m = &ic.mu0[seg_start - start..=n - start];
        let stat_of = |xx: &[f64]| match cfg.likelihood {
            GlrLikelihood::NegBin => glr_at(xx, m, ic.alpha, cfg.window),
            GlrLikelihood::QuasiPoisson | GlrLikelihood::Nb1 => match cfg.shift_sd {
                Some(d) => qp_cusum_at(
                    xx,
                    m,
                    ic.phi,
                    d,
                    cfg.likelihood == GlrLikelihood::Nb1,
                    cfg.cusum_alternative,
                ),
                None => qp_glr_at(xx, m, ic.phi, cfg.window),
            },
        };
        let (stat, k, kappa) = stat_of(&x);
        let alarm = stat >= c_arl;
        let threshold_count = if want_thr(n) {
            let mut xx = x.clone();
            let last = xx.len() - 1;
            let mut c = 0.0;
            let mut found = None;
            while c <= 1e5 {
                xx[last] = c;
                if stat_of(&xx).0 >= c_arl {
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
            threshold: c_arl,
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
    fn zero_share_recovers_sparse_dispersion() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mu = vec![0.13; 20_000];
        let y: Vec<f64> = mu.iter().map(|m| rcount(&mut rng, *m, 2.0)).collect();
        let phi = crate::markov::phi_from_zeros(&y, &mu);
        assert!((phi - 2.0).abs() < 0.35, "{phi}");
        let y: Vec<f64> = mu.iter().map(|m| rcount(&mut rng, *m, 1.0)).collect();
        assert!(crate::markov::phi_from_zeros(&y, &mu) < 1.3);
    }

    /// The Brook & Evans chain's alarm rate agrees with a seeded simulation of the same CUSUM
    /// (NB1 counts, restart after alarms) within Monte Carlo tolerance.
    #[test]
    fn markov_alarm_rate_matches_simulation() {
        use crate::markov::{cusum_alarm_rate, markov_threshold};
        let mut rng = ChaCha8Rng::seed_from_u64(20261124);
        for (mu, phi) in [(0.14, 2.0), (4.5, 1.0), (1.6, 5.0), (40.0, 1.1)] {
            let cal = MarkovCalibration {
                target: 0.01,
                ..Default::default()
            };
            let h = markov_threshold(&[mu], phi, 1.5, &cal);
            let rate = cusum_alarm_rate(&[mu], phi, 1.5, h, 200);
            let weeks = 150_000;
            let (mut s, mut alarms) = (0.0f64, 0usize);
            for _ in 0..weeks {
                let x = rcount(&mut rng, mu, phi);
                s = (s + cusum_increment(x, mu, phi, 1.5, true, CusumAlternative::Scaled).0)
                    .max(0.0);
                if s >= h {
                    alarms += 1;
                    s = 0.0;
                }
            }
            let sim = alarms as f64 / weeks as f64;
            eprintln!("mu {mu} phi {phi}: h {h:.3}, chain {rate:.5}, simulated {sim:.5}");
            // Monte Carlo sd ~ sqrt(rate / weeks) ~ 2.6e-4 at 1%; discretisation ~ a few %
            let tol = 4.0 * (rate / weeks as f64).sqrt() + 0.08 * rate;
            assert!(
                (sim - rate).abs() <= tol,
                "mu {mu} phi {phi} h {h:.3}: chain {rate:.5} vs simulated {sim:.5}"
            );
            // the calibrated h spends at most the target (40 states vs 200: same answer)
            assert!(rate <= 0.0105, "mu {mu} phi {phi}: {rate}");
        }
    }

    /// The added-cases increment is the NB log-likelihood ratio while it rises and never falls
    /// with the count (huge counts keep their weight), for over-dispersed and Poisson series.
    #[test]
    fn added_cases_increment_is_monotone() {
        for (m, phi) in [(2.0f64, 5.0f64), (0.14, 2.0), (4.5, 1.0), (148.0, 1.2)] {
            let e = 1.75 * (phi * m).sqrt();
            let raw =
                |c: f64| ln_nb_mean_var(c, m + e, phi * m + e) - ln_nb_mean_var(c, m, phi * m);
            let mut prev = f64::NEG_INFINITY;
            let mut fell = false;
            for c in 0..2000 {
                let c = c as f64;
                let (inc, k) = added_cases_increment(c, m, phi, 1.75);
                assert!(inc >= prev - 1e-12, "m {m} phi {phi} c {c}: {inc} < {prev}");
                assert!(inc >= raw(c) - 1e-12);
                assert!((k - ((m + e) / m).ln()).abs() < 1e-12);
                if !fell && raw(c) < inc - 1e-9 {
                    fell = true;
                }
                if !fell {
                    assert!((inc - raw(c)).abs() < 1e-12, "m {m} phi {phi} c {c}");
                }
                prev = inc;
            }
            for c in 1..300 {
                let c = c as f64;
                let (m1, v1) = (m + e, phi * m + e);
                let d = ln_nb_mean_var(c, m1, v1) - ln_nb_mean_var(c - 1.0, m1, v1);
                assert!(
                    (d - ln_nb_mean_var_step(c, m1, v1)).abs() < 1e-9,
                    "m {m} c {c}"
                );
            }
            // the raw ratio does fall in the tail when phi > 1 (the reason for the guard)
            assert_eq!(fell, phi > 1.0, "m {m} phi {phi}");
        }
    }

    #[test]
    fn sustained_step_is_detected() {
        let mut y: Vec<f64> = (0..400)
            .map(|i| 20.0 + 4.0 * ((i as f64) * 0.7).sin())
            .map(|v: f64| v.round())
            .collect();
        for v in y.iter_mut().skip(380).take(8) {
            *v += 12.0;
        }
        let cfg = GlrConfig {
            c_arl: 5.0,
            ..Default::default()
        };
        let ic = fit_in_control(&y, 0, 370, 400, &cfg).expect("fit");
        let r = glr_monitor(&y, 370, &ic, &cfg, false);
        assert!(r.iter().take(10).all(|w| !w.alarm));
        let first = r.iter().find(|w| w.alarm).expect("alarm");
        assert!(first.index >= 380 && first.index <= 383, "{first:?}");
        assert!(first.rate_ratio > 1.2);
    }
}
