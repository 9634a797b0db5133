//! Quasi-Poisson GLM with log link fitted by iteratively reweighted least squares, following
//! the iteration of R's `glm.fit` step for step (start `mu = y + 0.1`, convergence when the
//! relative deviance change is below 1e-8, at most 25 iterations, `mu` floored at machine eps),
//! so that detectors built on it reproduce R `surveillance` decisions. Also the dispersion,
//! coefficient covariance, hat values and prediction standard errors that Farrington needs.
//! Knows nothing about weeks, series or alarms.

/// Why a fit failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlmError {
    /// Fewer observations than parameters, or no positive weight.
    TooFewObservations,
    /// The weighted cross-product matrix is singular (a parameter is not identifiable).
    Singular,
    /// A non-finite value appeared (bad input).
    NonFinite,
}

/// A fitted quasi-Poisson log-linear model.
#[derive(Debug, Clone)]
pub struct GlmFit {
    /// Number of observations and of parameters.
    pub n: usize,
    pub p: usize,
    pub coef: Vec<f64>,
    /// Fitted means (after the last update).
    pub mu: Vec<f64>,
    /// Working weights of the last least-squares step (`prior * mu_previous`).
    pub work_weights: Vec<f64>,
    /// Working residuals `(y - mu) / mu`.
    pub work_resid: Vec<f64>,
    /// `(X' W X)^-1` with the working weights of the last step (row-major p x p).
    pub cov_unscaled: Vec<f64>,
    /// Residual degrees of freedom (`n - p`, observations with zero prior weight excluded).
    pub df_resid: usize,
    pub converged: bool,
    pub iterations: usize,
}

const MU_EPS: f64 = f64::EPSILON;

fn linkinv(eta: f64) -> f64 {
    eta.exp().max(MU_EPS)
}

fn dev_resid(y: f64, mu: f64, wt: f64, alpha: f64) -> f64 {
    if alpha > 0.0 {
        let th = 1.0 / alpha;
        let a = if y > 0.0 { y * (y / mu).ln() } else { 0.0 };
        return 2.0 * wt * (a - (y + th) * ((y + th) / (mu + th)).ln());
    }
    if y > 0.0 {
        2.0 * wt * (y * (y / mu).ln() - (y - mu))
    } else {
        2.0 * wt * mu
    }
}

/// Cholesky factorisation in place (lower triangle); false if not positive definite.
fn cholesky(a: &mut [f64], p: usize) -> bool {
    for j in 0..p {
        let mut d = a[j * p + j];
        for k in 0..j {
            d -= a[j * p + k] * a[j * p + k];
        }
        if !(d > 0.0) || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        a[j * p + j] = d;
        for i in (j + 1)..p {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= a[i * p + k] * a[j * p + k];
            }
            a[i * p + j] = s / d;
        }
    }
    true
}

fn chol_solve(l: &[f64], p: usize, b: &mut [f64]) {
    for i in 0..p {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * p + k] * b[k];
        }
        b[i] = s / l[i * p + i];
    }
    for i in (0..p).rev() {
        let mut s = b[i];
        for k in (i + 1)..p {
            s -= l[k * p + i] * b[k];
        }
        b[i] = s / l[i * p + i];
    }
}

fn chol_inverse(l: &[f64], p: usize) -> Vec<f64> {
    let mut inv = vec![0.0; p * p];
    let mut e = vec![0.0; p];
    for j in 0..p {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[j] = 1.0;
        chol_solve(l, p, &mut e);
        for i in 0..p {
            inv[i * p + j] = e[i];
        }
    }
    inv
}

/// Fit `log E[y] = X beta` (quasi-Poisson) with optional prior weights. `x` is row-major n x p.
pub fn fit_quasipoisson(
    x: &[f64],
    p: usize,
    y: &[f64],
    prior: Option<&[f64]>,
) -> Result<GlmFit, GlmError> {
    fit_loglinear(x, p, y, prior, 0.0, None)
}

/// Log-linear GLM with variance `mu (1 + alpha mu)` (alpha = 0: (quasi-)Poisson; alpha > 0:
/// negative binomial with size `1/alpha`), optionally starting from given means.
pub fn fit_loglinear(
    x: &[f64],
    p: usize,
    y: &[f64],
    prior: Option<&[f64]>,
    alpha: f64,
    start_mu: Option<&[f64]>,
) -> Result<GlmFit, GlmError> {
    let n = y.len();
    if x.len() != n * p || p == 0 {
        return Err(GlmError::TooFewObservations);
    }
    if y.iter().any(|v| !v.is_finite() || *v < 0.0) || x.iter().any(|v| !v.is_finite()) {
        return Err(GlmError::NonFinite);
    }
    let ones;
    let wt: &[f64] = match prior {
        Some(w) => w,
        None => {
            ones = vec![1.0; n];
            &ones
        }
    };
    let n_ok = wt.iter().filter(|w| **w > 0.0).count();
    if n_ok < p {
        return Err(GlmError::TooFewObservations);
    }
    let mut mu: Vec<f64> = match start_mu {
        Some(m) if m.len() == n => m.iter().map(|v| v.max(MU_EPS)).collect(),
        _ => y.iter().map(|v| v + 0.1).collect(),
    };
    let mut eta: Vec<f64> = mu.iter().map(|m| m.ln()).collect();
    let mut devold: f64 = (0..n).map(|i| dev_resid(y[i], mu[i], wt[i], alpha)).sum();
    let mut coef = vec![0.0; p];
    let mut ww = vec![0.0; n];
    let mut xtwx = vec![0.0; p * p];
    let mut xtwz = vec![0.0; p];
    // Sparse structure of the design (seasonal dummies make most entries zero).
    let mut nz_start = Vec::with_capacity(n + 1);
    let mut nz_idx: Vec<usize> = Vec::with_capacity(n * 3);
    let mut nz_val: Vec<f64> = Vec::with_capacity(n * 3);
    nz_start.push(0);
    for i in 0..n {
        for a in 0..p {
            let v = x[i * p + a];
            if v != 0.0 {
                nz_idx.push(a);
                nz_val.push(v);
            }
        }
        nz_start.push(nz_idx.len());
    }
    let mut converged = false;
    let mut iterations = 0;
    // After the first update `mu[i]` is exactly `linkinv(eta[i])`, so the derivative of the
    // inverse link (equal to it for the log link) is read from `mu` instead of a second `exp`.
    let mut mu_is_linkinv = false;
    for iter in 1..=25 {
        iterations = iter;
        xtwx.iter_mut().for_each(|v| *v = 0.0);
        xtwz.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..n {
            let me = if mu_is_linkinv {
                mu[i]
            } else {
                linkinv(eta[i])
            }; // mu.eta for the log link
            let w2 = wt[i] * me * me / (mu[i] * (1.0 + alpha * mu[i]));
            ww[i] = w2;
            if w2 <= 0.0 {
                continue;
            }
            let z = eta[i] + (y[i] - mu[i]) / me;
            let (lo, hi) = (nz_start[i], nz_start[i + 1]);
            let (idx, val) = (&nz_idx[lo..hi], &nz_val[lo..hi]);
            // lower triangle: pairs (a, b) with b <= a, i.e. positions l <= k (idx ascending);
            // every cell receives the same additions in the same order as a dense loop
            for (k, (&a, &va)) in idx.iter().zip(val).enumerate() {
                let xa = va * w2;
                xtwz[a] += xa * z;
                let row_a = &mut xtwx[a * p..a * p + a + 1];
                for (&b, &vb) in idx[..=k].iter().zip(&val[..=k]) {
                    row_a[b] += xa * vb;
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                xtwx[b * p + a] = xtwx[a * p + b];
            }
        }
        if !cholesky(&mut xtwx, p) {
            return Err(GlmError::Singular);
        }
        coef.copy_from_slice(&xtwz);
        chol_solve(&xtwx, p, &mut coef);
        if coef.iter().any(|c| !c.is_finite()) {
            return Err(GlmError::NonFinite);
        }
        let mut dev = 0.0f64; // summed in index order, as before the loops were fused
        for i in 0..n {
            let (lo, hi) = (nz_start[i], nz_start[i + 1]);
            eta[i] = nz_idx[lo..hi]
                .iter()
                .zip(&nz_val[lo..hi])
                .map(|(&a, &v)| v * coef[a])
                .sum();
            mu[i] = linkinv(eta[i]);
            dev += dev_resid(y[i], mu[i], wt[i], alpha);
        }
        mu_is_linkinv = true;
        if !dev.is_finite() {
            return Err(GlmError::NonFinite);
        }
        if (dev - devold).abs() / (dev.abs() + 0.1) < 1e-8 {
            converged = true;
            break;
        }
        devold = dev;
    }
    let cov_unscaled = chol_inverse(&xtwx, p);
    let work_resid: Vec<f64> = (0..n).map(|i| (y[i] - mu[i]) / mu[i]).collect(); // mu = linkinv(eta)
    Ok(GlmFit {
        n,
        p,
        coef,
        mu,
        work_weights: ww,
        work_resid,
        cov_unscaled,
        df_resid: n_ok - p,
        converged,
        iterations,
    })
}

impl GlmFit {
    /// Pearson-type dispersion estimate `sum(w r^2) / df` with the given weights (R's
    /// `summary.glm` uses the object's `weights`; pass `None` for the true working weights).
    pub fn dispersion_with(&self, weights: Option<&[f64]>) -> f64 {
        if self.df_resid == 0 {
            return f64::NAN;
        }
        let w = weights.unwrap_or(&self.work_weights);
        let s: f64 = w
            .iter()
            .zip(&self.work_resid)
            .filter(|(w, _)| **w > 0.0)
            .map(|(w, r)| w * r * r)
            .sum();
        s / self.df_resid as f64
    }

    /// Hat values (diagonal of the weighted projection).
    pub fn hat_values(&self, x: &[f64]) -> Vec<f64> {
        let p = self.p;
        (0..self.n)
            .map(|i| {
                let row = &x[i * p..(i + 1) * p];
                self.work_weights[i] * self.quad(row)
            })
            .collect()
    }

    /// `x0' (X'WX)^-1 x0`.
    pub fn quad(&self, x0: &[f64]) -> f64 {
        let p = self.p;
        let mut nz = [0usize; 64];
        let mut k = 0;
        for (a, v) in x0.iter().enumerate() {
            if *v != 0.0 {
                if k == nz.len() {
                    return self.quad_dense(x0);
                }
                nz[k] = a;
                k += 1;
            }
        }
        let nz = &nz[..k];
        let mut s = 0.0;
        for &a in nz {
            for &b in nz {
                s += x0[a] * self.cov_unscaled[a * p + b] * x0[b];
            }
        }
        s
    }

    fn quad_dense(&self, x0: &[f64]) -> f64 {
        let p = self.p;
        let mut s = 0.0;
        for a in 0..p {
            for b in 0..p {
                s += x0[a] * self.cov_unscaled[a * p + b] * x0[b];
            }
        }
        s
    }

    /// Linear predictor at `x0`.
    pub fn eta_at(&self, x0: &[f64]) -> f64 {
        x0.iter().zip(&self.coef).map(|(a, b)| a * b).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_intercept_only_is_the_mean() {
        let y = [3.0, 5.0, 4.0, 8.0, 0.0, 6.0];
        let x = vec![1.0; 6];
        let f = fit_quasipoisson(&x, 1, &y, None).expect("fit");
        assert!(f.converged);
        assert!((f.coef[0].exp() - 26.0 / 6.0).abs() < 1e-8);
    }

    #[test]
    fn loglinear_trend_recovered() {
        let n = 200;
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..n {
            let t = i as f64 / 10.0;
            x.extend_from_slice(&[1.0, t]);
            y.push((1.0 + 0.1 * t).exp().round());
        }
        let f = fit_quasipoisson(&x, 2, &y, None).expect("fit");
        assert!((f.coef[1] - 0.1).abs() < 0.01);
    }
}
