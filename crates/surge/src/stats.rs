//! Special functions and distributions needed by the detectors: log-gamma, digamma, trigamma,
//! the normal, Student-t, Poisson and negative-binomial distributions (CDFs, upper tails and
//! quantiles). Pure numerics: no I/O, no knowledge of series or alarms.
//!
//! Accuracy targets are ~1e-13 relative in the ranges the detectors use; quantiles of discrete
//! distributions follow R's convention (smallest `y` with `P(Y <= y) >= p * (1 - 64 eps)`).

const EPS: f64 = f64::EPSILON;
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// `ln Γ(x)` for `x > 0` (Lanczos, g = 7, 9 terms; relative error ~1e-15).
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1-x) = π / sin(πx)
        let s = (std::f64::consts::PI * x).sin();
        return (std::f64::consts::PI / s).ln() - ln_gamma(1.0 - x);
    }
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    LN_SQRT_2PI + (x + 0.5) * t.ln() - t + a.ln()
}

/// Digamma ψ(x) for `x > 0`.
pub fn digamma(mut x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let mut r = 0.0;
    while x < 12.0 {
        r -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    r + x.ln()
        - 0.5 / x
        - f * (1.0 / 12.0 - f * (1.0 / 120.0 - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f / 132.0))))
}

/// Trigamma ψ'(x) for `x > 0`.
pub fn trigamma(mut x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let mut r = 0.0;
    while x < 12.0 {
        r += 1.0 / (x * x);
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    r + 1.0 / x
        + f / 2.0
        + f / x
            * (1.0 / 6.0 - f * (1.0 / 30.0 - f * (1.0 / 42.0 - f * (1.0 / 30.0 - f * 5.0 / 66.0))))
}

/// Regularised lower incomplete gamma `P(a, x)` and upper `Q(a, x)`, returned as `(P, Q)`.
pub fn gamma_pq(a: f64, x: f64) -> (f64, f64) {
    if x.is_nan() || a.is_nan() || a <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if x.is_infinite() {
        return (1.0, 0.0);
    }
    let lpre = a * x.ln() - x - ln_gamma(a);
    if x < a + 1.0 {
        // series
        let mut ap = a;
        let mut sum = 1.0 / a;
        let mut del = sum;
        for _ in 0..100_000 {
            ap += 1.0;
            del *= x / ap;
            sum += del;
            if del.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        let p = (sum.ln() + lpre).exp();
        (p.min(1.0), (1.0 - p).max(0.0))
    } else {
        // continued fraction (modified Lentz)
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..100_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-16 {
                break;
            }
        }
        let q = (lpre + h.ln()).exp();
        ((1.0 - q).max(0.0), q.min(1.0))
    }
}

fn betacf(a: f64, b: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..200_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// Regularised incomplete beta `I_x(a, b)` and its complement `1 - I_x(a, b)`, as `(I, 1 - I)`.
pub fn beta_inc(a: f64, b: f64, x: f64) -> (f64, f64) {
    if a.is_nan() || b.is_nan() || x.is_nan() || a <= 0.0 || b <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if x >= 1.0 {
        return (1.0, 0.0);
    }
    let lbt = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (-x).ln_1p();
    if x < (a + 1.0) / (a + b + 2.0) {
        let i = (lbt.exp() * betacf(a, b, x) / a).clamp(0.0, 1.0);
        (i, 1.0 - i)
    } else {
        let j = (lbt.exp() * betacf(b, a, 1.0 - x) / b).clamp(0.0, 1.0);
        (1.0 - j, j)
    }
}

/// Standard normal CDF Φ(z).
pub fn pnorm(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    let (_, q) = gamma_pq(0.5, z * z / 2.0);
    if z < 0.0 {
        0.5 * q
    } else {
        1.0 - 0.5 * q
    }
}

/// Standard normal upper tail `1 - Φ(z)` (accurate far in the tail).
pub fn pnorm_upper(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    let (_, q) = gamma_pq(0.5, z * z / 2.0);
    if z > 0.0 {
        0.5 * q
    } else {
        1.0 - 0.5 * q
    }
}

/// Standard normal quantile Φ⁻¹(p) (Acklam's rational approximation refined by one Halley step).
pub fn qnorm(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let plow = 0.02425;
    let x = if p < plow {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - plow {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // Halley refinement (twice for full double precision).
    let mut x = x;
    for _ in 0..2 {
        let e = if x < 0.0 {
            pnorm(x) - p
        } else {
            (1.0 - p) - pnorm_upper(x)
        };
        let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
        x -= u / (1.0 + x * u / 2.0);
    }
    x
}

/// Two-sided p-value of a Student-t statistic with `df` degrees of freedom: `2 P(T > |t|)`.
pub fn pt_two_sided(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return 0.0;
    }
    let x = df / (df + t * t);
    beta_inc(df / 2.0, 0.5, x).0
}

/// Negative binomial (size `n`, prob `p`, mean `n(1-p)/p`): `P(Y <= y)`.
pub fn pnbinom(y: f64, size: f64, prob: f64) -> f64 {
    if y < 0.0 {
        return 0.0;
    }
    let y = y.floor();
    beta_inc(size, y + 1.0, prob).0
}

/// Negative binomial upper tail `P(Y >= y)`.
pub fn pnbinom_ge(y: f64, size: f64, prob: f64) -> f64 {
    if y <= 0.0 {
        return 1.0;
    }
    let y = y.ceil();
    // P(Y >= y) = 1 - I_prob(size, y) = I_{1-prob}(y, size)
    beta_inc(size, y, prob).1
}

/// Poisson `P(Y <= y)`.
pub fn ppois(y: f64, mu: f64) -> f64 {
    if y < 0.0 {
        return 0.0;
    }
    if mu <= 0.0 {
        return 1.0;
    }
    gamma_pq(y.floor() + 1.0, mu).1
}

/// Poisson upper tail `P(Y >= y)`.
pub fn ppois_ge(y: f64, mu: f64) -> f64 {
    if y <= 0.0 {
        return 1.0;
    }
    if mu <= 0.0 {
        return 0.0;
    }
    gamma_pq(y.ceil(), mu).0
}

/// Smallest integer `y >= 0` with `cdf(y) >= p (1 - 64 eps)`, searching from a start value.
fn discrete_quantile(p: f64, start: f64, cdf: impl Fn(f64) -> f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    let target = p * (1.0 - 64.0 * EPS);
    let mut y = if start.is_finite() {
        start.max(0.0).round()
    } else {
        0.0
    };
    if cdf(y) >= target {
        // search left
        let mut step = 1.0f64;
        loop {
            if y <= 0.0 {
                return 0.0;
            }
            let cand = (y - step).max(0.0);
            if cdf(cand) >= target {
                y = cand;
                step *= 2.0;
            } else if step > 1.0 {
                step = (step / 2.0).floor().max(1.0);
            } else {
                return y;
            }
        }
    } else {
        // search right
        let mut step = 1.0f64;
        loop {
            let cand = y + step;
            if cdf(cand) >= target {
                if step <= 1.0 {
                    return cand;
                }
                step = (step / 2.0).floor().max(1.0);
            } else {
                y = cand;
                step *= 2.0;
                if y > 1e15 {
                    return f64::INFINITY;
                }
            }
        }
    }
}

/// Negative binomial quantile (R's `qnbinom(p, size, prob)`).
pub fn qnbinom(p: f64, size: f64, prob: f64) -> f64 {
    if !(size > 0.0) || !(prob > 0.0 && prob <= 1.0) || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if prob == 1.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = 1.0 - prob;
    let mu = size * q / prob;
    let sigma = (size * q).sqrt() / prob;
    let gamma = (1.0 + q) / (size * q).sqrt();
    let z = qnorm(p);
    let start = mu + sigma * (z + gamma * (z * z - 1.0) / 6.0);
    discrete_quantile(p, start, |y| pnbinom(y, size, prob))
}

/// Poisson quantile (R's `qpois(p, mu)`).
pub fn qpois(p: f64, mu: f64) -> f64 {
    if !(mu >= 0.0) || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if mu == 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let sigma = mu.sqrt();
    let gamma = 1.0 / sigma;
    let z = qnorm(p);
    let start = mu + sigma * (z + gamma * (z * z - 1.0) / 6.0);
    discrete_quantile(p, start, |y| ppois(y, mu))
}

/// Sample mean (two-pass corrected, like R's `mean`).
pub fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    m + x.iter().map(|v| v - m).sum::<f64>() / n
}

/// Sample standard deviation (denominator n - 1), like R's `sd`.
pub fn sd(x: &[f64]) -> f64 {
    if x.len() < 2 {
        return f64::NAN;
    }
    let m = mean(x);
    let ss: f64 = x.iter().map(|v| (v - m) * (v - m)).sum();
    (ss / (x.len() as f64 - 1.0)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn known_values() {
        assert!(close(ln_gamma(10.0), 12.801_827_480_081_469, 1e-14));
        assert!(close(ln_gamma(0.5), 0.572_364_942_924_700_1, 1e-14));
        assert!(close(qnorm(0.99), 2.326_347_874_040_841, 1e-14));
        assert!(close(qnorm(0.975), 1.959_963_984_540_054, 1e-14));
        assert!(close(qnorm(1e-10), -6.361_340_902_404_056, 1e-12));
        assert!(close(pnorm(1.0), 0.841_344_746_068_542_9, 1e-14));
        assert!(close(pnorm_upper(8.0), 6.220_960_574_271_785e-16, 1e-10));
        // R: 2*pt(-2.1, 30)
        assert!(close(
            pt_two_sided(2.1, 30.0),
            0.044_242_471_262_323_5,
            1e-12
        ));
        // R: qnbinom(0.99, 3, 0.25), pnbinom(5, 3, 0.25)
        assert_eq!(qnbinom(0.99, 3.0, 0.25), 28.0);
        assert!(close(
            pnbinom(5.0, 3.0, 0.25),
            0.321_456_909_179_687_5,
            1e-12
        ));
        // R: qpois(0.99, 4.5), ppois(3, 4.5)
        assert_eq!(qpois(0.99, 4.5), 10.0);
        assert!(close(ppois(3.0, 4.5), 0.342_295_955_834_591, 1e-12));
        assert!(close(
            ppois_ge(4.0, 4.5),
            1.0 - 0.342_295_955_834_591,
            1e-12
        ));
        assert!(close(digamma(1.0), -0.577_215_664_901_532_9, 1e-13));
        assert!(close(
            trigamma(1.0),
            std::f64::consts::PI.powi(2) / 6.0,
            1e-13
        ));
        assert!(close(
            sd(&[1.0, 2.0, 3.0, 4.0]),
            1.290_994_448_735_805_6,
            1e-14
        ));
    }

    #[test]
    fn quantiles_are_consistent() {
        for &mu in &[0.01, 0.3, 2.0, 15.0, 150.0, 5000.0] {
            for &phi in &[1.2, 2.0, 5.0] {
                let size = mu / (phi - 1.0);
                let q = qnbinom(0.99, size, 1.0 / phi);
                assert!(pnbinom(q, size, 1.0 / phi) >= 0.99 * (1.0 - 1e-12));
                if q > 0.0 {
                    assert!(pnbinom(q - 1.0, size, 1.0 / phi) < 0.99);
                }
            }
            let q = qpois(0.99, mu);
            assert!(ppois(q, mu) >= 0.99 * (1.0 - 1e-12));
            if q > 0.0 {
                assert!(ppois(q - 1.0, mu) < 0.99);
            }
        }
    }
}
