//! Per-series threshold calibration of the fixed-shift NB1 CUSUM by the Markov-chain
//! approximation of Brook & Evans (1972, Biometrika 59:539): the CUSUM state `[0, h)` is
//! discretised into `N` cells, the in-control count distribution (negative binomial with the
//! fitted mean `mu` and variance `phi mu`, Poisson when `phi = 1`) gives the transition
//! probabilities, and the in-control average run length from zero is `ARL0 = ((I - R)^-1 1)_0`.
//! With a restart at zero after every alarm (as `glr_monitor` does) the long-run in-control
//! alarm probability per period is `1 / ARL0` (renewal theory). [`markov_threshold`] inverts
//! that for a target probability, so every series spends the same false-alarm budget whatever
//! its level, sparsity and over-dispersion. Season: the rate is averaged over a few quantiles of
//! the block's expected counts. Pure arithmetic on numbers; knows nothing about encounters.

use crate::stats::ln_gamma;
use serde::{Deserialize, Serialize};

/// Markov-chain threshold calibration of the fixed-shift CUSUM (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkovCalibration {
    /// Target long-run in-control alarm probability per period (with restart after alarms).
    pub target: f64,
    /// Cells of the discretised CUSUM state.
    pub states: usize,
    /// Quantiles of the block's expected counts whose alarm rates are averaged (season).
    pub points: usize,
    /// Bounds of the threshold.
    pub h_min: f64,
    pub h_max: f64,
}

impl Default for MarkovCalibration {
    fn default() -> Self {
        MarkovCalibration {
            target: 0.005,
            states: 40,
            points: 3,
            h_min: 1.0,
            h_max: 12.0,
        }
    }
}

/// Log-likelihood-ratio increment of the NB1 fixed-shift CUSUM (the same formula as the
/// monitoring recursion in `glr.rs`) and its log shift `k`.
pub fn nb1_increment(x: f64, m: f64, phi: f64, delta: f64) -> f64 {
    let m = m.max(1e-12);
    let k = (1.0 + delta * (phi / m).sqrt()).ln();
    if phi > 1.0 + 1e-6 {
        let s0 = m / (phi - 1.0);
        let s1 = s0 * k.exp();
        (ln_gamma(x + s1) - ln_gamma(s1)) - (ln_gamma(x + s0) - ln_gamma(s0)) - (s1 - s0) * phi.ln()
    } else {
        (x * k - m * (k.exp() - 1.0)) / phi
    }
}

/// In-control increments of one period: `(increment, probability)` for the counts that matter,
/// plus the probability of counts whose increment is >= `h_max` (an alarm from any state).
#[derive(Debug, Clone)]
pub struct Increments {
    steps: Vec<(f64, f64)>,
    tail: f64,
}

impl Increments {
    /// Probability of a count whose increment alone reaches the largest threshold considered.
    pub fn alarm_tail(&self) -> f64 {
        self.tail
    }

    /// Increments of the NB1 (variance `phi mu`) in-control distribution with mean `mu`.
    pub fn new(mu: f64, phi: f64, delta: f64, h_max: f64) -> Increments {
        let mu = mu.max(1e-9);
        let nb = phi > 1.0 + 1e-6;
        let (size, lnp, ln1p) = if nb {
            let size = mu / (phi - 1.0);
            (size, -phi.ln(), (1.0 - 1.0 / phi).ln())
        } else {
            (0.0, 0.0, 0.0)
        };
        let lpmf = |x: f64| {
            if nb {
                ln_gamma(x + size) - ln_gamma(size) - ln_gamma(x + 1.0) + size * lnp + x * ln1p
            } else {
                x * mu.ln() - mu - ln_gamma(x + 1.0)
            }
        };
        let sd = (phi.max(1.0) * mu).sqrt();
        let x_lo = (mu - 12.0 * sd).floor().max(0.0);
        let mut steps = Vec::new();
        let mut total = 0.0;
        let mut x = x_lo;
        loop {
            let p = lpmf(x).exp();
            let inc = nb1_increment(x, mu, phi, delta);
            if inc >= h_max {
                break;
            }
            total += p;
            if p > 0.0 {
                steps.push((inc, p));
            }
            if x > mu && (p < 1e-16 || 1.0 - total < 1e-15) {
                break;
            }
            x += 1.0;
            if x > mu + 60.0 * sd + 100.0 {
                break;
            }
        }
        Increments {
            steps,
            tail: (1.0 - total).max(0.0),
        }
    }
}

/// `E[w(y) (y - m)^2 / m]` for `y ~ NB1(m, phi)` (Poisson when `phi <= 1`), where
/// `w(y) = min(1, (thr / r)^2)` for the Pearson residual `r = (y - m) / sqrt(phi_w m)` (the
/// robust down-weighting of the in-control fit, with the dispersion `phi_w` it used).
fn weighted_pearson_mean(m: f64, phi: f64, phi_w: f64, thr: f64) -> f64 {
    let m = m.max(1e-9);
    let nb = phi > 1.0 + 1e-9;
    let (r, q) = if nb {
        (m / (phi - 1.0), 1.0 - 1.0 / phi)
    } else {
        (0.0, 0.0)
    };
    let lpmf = |y: f64| {
        if nb {
            ln_gamma(y + r) - ln_gamma(r) - ln_gamma(y + 1.0) + r * (1.0 - q).ln() + y * q.ln()
        } else {
            y * m.ln() - m - ln_gamma(y + 1.0)
        }
    };
    // ratio pmf(y+1)/pmf(y)
    let ratio = |y: f64| {
        if nb {
            (y + r) / (y + 1.0) * q
        } else {
            m / (y + 1.0)
        }
    };
    let sw = (phi_w.max(1e-9) * m).sqrt();
    let term = |y: f64| {
        let d = y - m;
        let res = d / sw;
        let w = if res > thr { (thr / res).powi(2) } else { 1.0 };
        w * d * d / m
    };
    let mode = m.floor();
    let p0 = lpmf(mode).exp();
    let mut total = p0 * term(mode);
    let mut mass = p0;
    // upwards
    let (mut y, mut p) = (mode, p0);
    loop {
        p *= ratio(y);
        y += 1.0;
        if !(p > 0.0) || (p < 1e-17 && y > m) || y > mode + 100_000.0 {
            break;
        }
        total += p * term(y);
        mass += p;
    }
    // downwards
    let (mut y, mut p) = (mode, p0);
    while y > 0.0 {
        p /= ratio(y - 1.0);
        y -= 1.0;
        if !(p > 0.0) || p < 1e-17 {
            break;
        }
        total += p * term(y);
        mass += p;
    }
    if mass > 0.0 {
        total / mass
    } else {
        phi
    }
}

/// Fisher-consistent dispersion of a robust (down-weighted) NB1 / quasi-Poisson fit: the `phi`
/// (>= 1) whose expected weighted Pearson dispersion, averaged over the expected counts `mus`,
/// equals the observed one `phi_obs`. `phi_w` and `thr` are the dispersion and Pearson-residual
/// threshold the down-weighting used. `None` when the weighted statistic carries no information
/// on `phi` (it does not grow with `phi`: sparse series, where every count above 1 is
/// down-weighted); the caller then uses the unweighted Pearson dispersion.
pub fn robust_phi_correction(phi_obs: f64, phi_w: f64, thr: f64, mus: &[f64]) -> Option<f64> {
    if !(phi_obs > 0.0) || mus.is_empty() {
        return None;
    }
    let g = |p: f64| {
        mus.iter()
            .map(|m| weighted_pearson_mean(*m, p, phi_w, thr))
            .sum::<f64>()
            / mus.len() as f64
    };
    let g1 = g(1.0);
    if g(2.0) <= g1 + 0.1 {
        return None;
    }
    if g1 >= phi_obs {
        return Some(1.0);
    }
    let (mut lo, mut hi) = (1.0f64, phi_obs.max(1.0) * 2.0);
    while g(hi) < phi_obs && hi < 1e4 {
        lo = hi;
        hi *= 2.0;
    }
    for _ in 0..30 {
        if hi / lo < 1.0 + 1e-4 {
            break;
        }
        let mid = (lo * hi).sqrt();
        if g(mid) < phi_obs {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some((lo * hi).sqrt())
}

/// Dispersion of a sparse NB1 series from its share of zero counts: the `phi` (>= 1, at most
/// 100) with `mean_t P(Y_t = 0) = mean_t phi^(-mu_t / (phi - 1))` equal to the observed share.
/// Past outbreaks change only a handful of zeros, so this is robust where the down-weighted
/// Pearson statistic is not informative (see [`robust_phi_correction`]).
pub fn phi_from_zeros(y: &[f64], mu: &[f64]) -> f64 {
    let n = y.len().min(mu.len());
    if n == 0 {
        return 1.0;
    }
    let zeros = y[..n].iter().filter(|v| **v <= 0.0).count() as f64 / n as f64;
    let p0 = |phi: f64| {
        let f = if phi <= 1.0 + 1e-9 {
            1.0
        } else {
            phi.ln() / (phi - 1.0)
        };
        mu[..n].iter().map(|m| (-m * f).exp()).sum::<f64>() / n as f64
    };
    // P(0) grows with phi
    if p0(1.0) >= zeros {
        return 1.0;
    }
    if p0(100.0) <= zeros {
        return 100.0;
    }
    let (mut lo, mut hi) = (1.0f64, 100.0f64);
    for _ in 0..30 {
        if hi / lo < 1.0 + 1e-3 {
            break;
        }
        let mid = (lo * hi).sqrt();
        if p0(mid) < zeros {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo * hi).sqrt()
}

/// In-control ARL from zero of the CUSUM with threshold `h` whose increments follow the mixture
/// of `incs` (each period draws from one of them with equal probability: the season averaged).
fn arl_mixture(incs: &[Increments], h: f64, n: usize) -> f64 {
    let n = n.max(2);
    let w = 2.0 * h / (2.0 * n as f64 - 1.0);
    // A = I - R, row-major
    let mut a = vec![0.0f64; n * n];
    let wk = 1.0 / incs.len().max(1) as f64;
    for i in 0..n {
        let v = i as f64 * w;
        let row = &mut a[i * n..(i + 1) * n];
        for inc in incs {
            for &(d, p) in &inc.steps {
                let s = v + d;
                if s >= h {
                    continue;
                }
                let j = ((s / w) + 0.5).floor().max(0.0) as usize;
                row[j.min(n - 1)] -= wk * p;
            }
        }
        row[i] += 1.0;
    }
    let mut b = vec![1.0f64; n];
    // Gaussian elimination with partial pivoting
    for c in 0..n {
        let mut piv = c;
        for r in c + 1..n {
            if a[r * n + c].abs() > a[piv * n + c].abs() {
                piv = r;
            }
        }
        if a[piv * n + c].abs() < 1e-300 {
            return f64::INFINITY;
        }
        if piv != c {
            for k in 0..n {
                a.swap(c * n + k, piv * n + k);
            }
            b.swap(c, piv);
        }
        let d = a[c * n + c];
        for r in c + 1..n {
            let f = a[r * n + c] / d;
            if f != 0.0 {
                for k in c..n {
                    a[r * n + k] -= f * a[c * n + k];
                }
                b[r] -= f * b[c];
            }
        }
    }
    let mut x = vec![0.0f64; n];
    for r in (0..n).rev() {
        let mut s = b[r];
        for k in r + 1..n {
            s -= a[r * n + k] * x[k];
        }
        x[r] = s / a[r * n + r];
    }
    x[0]
}

/// Long-run in-control alarm probability per period of the NB1 CUSUM (shift `delta` SD,
/// threshold `h`, restart after alarms) when the expected counts are `mus` (season averaged).
pub fn cusum_alarm_rate(mus: &[f64], phi: f64, delta: f64, h: f64, states: usize) -> f64 {
    let incs: Vec<Increments> = mus
        .iter()
        .map(|m| Increments::new(*m, phi, delta, h))
        .collect();
    rate_of(&incs, h, states)
}

fn rate_of(incs: &[Increments], h: f64, states: usize) -> f64 {
    let arl = arl_mixture(incs, h, states);
    if arl.is_finite() && arl > 0.0 {
        (1.0 / arl).min(1.0)
    } else {
        0.0
    }
}

/// Representative expected counts of a block: `points` evenly spaced quantiles of `mu0`.
pub fn representative_means(mu0: &[f64], points: usize) -> Vec<f64> {
    let mut v: Vec<f64> = mu0.iter().copied().filter(|m| m.is_finite()).collect();
    if v.is_empty() {
        return vec![1.0];
    }
    v.sort_by(f64::total_cmp);
    let k = points.max(1);
    (0..k)
        .map(|i| {
            let q = (i as f64 + 0.5) / k as f64;
            v[((q * v.len() as f64) as usize).min(v.len() - 1)]
        })
        .collect()
}

/// Threshold `h` of the NB1 CUSUM whose long-run in-control alarm probability per period is
/// `cal.target` for a series with expected counts `mu0` (one block) and dispersion `phi`.
/// Clamped to `[h_min, h_max]`. Deterministic; a few hundred microseconds.
pub fn markov_threshold(mu0: &[f64], phi: f64, delta: f64, cal: &MarkovCalibration) -> f64 {
    let mus = representative_means(mu0, cal.points);
    let incs: Vec<Increments> = mus
        .iter()
        .map(|m| Increments::new(*m, phi.max(1.0), delta, cal.h_max))
        .collect();
    let target = cal.target.clamp(1e-12, 1.0);
    let f = |h: f64| rate_of(&incs, h, cal.states).max(1e-300).ln() - target.ln();
    let (mut lo, mut hi) = (cal.h_min, cal.h_max);
    let (mut flo, mut fhi) = (f(lo), f(hi));
    if flo <= 0.0 {
        return lo;
    }
    if fhi > 0.0 {
        return hi;
    }
    // Illinois regula falsi on the log rate (nearly linear in h), then bisection safeguard
    let mut side = 0i8;
    for _ in 0..40 {
        if hi - lo < 1e-3 {
            break;
        }
        let mut h = hi - fhi * (hi - lo) / (fhi - flo);
        if !(h > lo && h < hi) {
            h = 0.5 * (lo + hi);
        }
        let fh = f(h);
        if fh > 0.0 {
            lo = h;
            flo = fh;
            if side == -1 {
                fhi *= 0.5;
            }
            side = -1;
        } else {
            hi = h;
            fhi = fh;
            if side == 1 {
                flo *= 0.5;
            }
            side = 1;
        }
    }
    // the smaller-rate end: never above target by more than the bracket tolerance
    hi
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn increments_sum_to_one() {
        for (mu, phi) in [(0.14, 2.0), (4.5, 1.0), (1.6, 5.0), (150.0, 1.2)] {
            let inc = Increments::new(mu, phi, 1.5, 12.0);
            let s: f64 = inc.steps.iter().map(|s| s.1).sum::<f64>() + inc.tail;
            assert!((s - 1.0).abs() < 1e-9, "{mu} {phi} {s}");
            // increments grow with the count
            assert!(inc.steps.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }

    #[test]
    fn phi_correction_undoes_the_down_weighting_bias() {
        // without down-weighting (huge threshold) the expectation is phi itself
        for (m, phi) in [(0.13, 2.0), (6.0, 5.0), (150.0, 1.2), (4.5, 1.0)] {
            let e = weighted_pearson_mean(m, phi, phi, 1e9);
            assert!((e - phi).abs() < 1e-6 * phi.max(1.0), "{m} {phi} {e}");
            // with it, the observed dispersion is lower and the correction recovers phi
            let obs = weighted_pearson_mean(m, phi, phi, 2.58);
            assert!(obs <= phi + 1e-9);
            let back = robust_phi_correction(obs, phi, 2.58, &[m]);
            if m < 1.0 {
                // sparse: the down-weighted statistic says nothing about phi
                assert_eq!(back, None, "{m} {phi}: {obs}");
            } else {
                let back = back.expect("identifiable");
                assert!(
                    (back - phi).abs() < 1e-3 * phi,
                    "{m} {phi}: {obs} -> {back}"
                );
            }
        }
    }

    #[test]
    fn threshold_is_monotone_in_target() {
        for (mu, phi) in [(0.14, 2.0), (4.5, 1.0), (12.0, 3.0), (148.0, 1.2)] {
            let mut last = f64::INFINITY;
            for target in [0.001, 0.002, 0.004, 0.008, 0.016] {
                let cal = MarkovCalibration {
                    target,
                    ..Default::default()
                };
                let h = markov_threshold(&[mu], phi, 1.5, &cal);
                assert!(h < last, "mu {mu} phi {phi} target {target}: {h} !< {last}");
                let r = cusum_alarm_rate(&[mu], phi, 1.5, h, cal.states);
                assert!(
                    r <= target * 1.01 && r > target * 0.8,
                    "{mu} {phi} {target} {r}"
                );
                last = h;
            }
        }
    }
}
