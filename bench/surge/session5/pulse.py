import numpy as np
from scipy.special import gammaln, logsumexp
import core
PROF = np.array([0.5, 0.4172, 0.0690, 0.0110])  # floor(LN(0,0.5)) offsets 0..3
def nb_mv_logpmf(x, m, v):
    """NB with mean m, variance v (>= m); Poisson if v<=m*(1+1e-6)."""
    m = np.maximum(m, 1e-12)
    v = np.maximum(v, m)
    pois = v <= m * (1 + 1e-6)
    size = np.where(pois, 1.0, m * m / np.maximum(v - m, 1e-300))
    p = size / (size + m)
    nb = gammaln(x + size) - gammaln(size) - gammaln(x + 1) + size * np.log(p) + x * np.log1p(-p)
    po = x * np.log(m) - m - gammaln(x + 1)
    return np.where(pois, po, nb)
def pulse_table(D, ks, W=3, prof=PROF):
    """ell[n, s, j, k]: log LR of week s+j under a pulse starting at s of size k SD."""
    y = D['yb']; mu = np.maximum(D['mu0'], 1e-9); phi = np.maximum(D['phi'], 1.0)[:, None]
    n, T = y.shape
    sd = np.sqrt(phi * mu)  # (n,T) sd at start s
    f0 = nb_mv_logpmf(y, mu, phi * mu)
    ell = np.zeros((n, T, W, len(ks)))
    for j in range(W):
        u = np.arange(T) + j
        ok = u < T
        uu = np.minimum(u, T - 1)
        for ki, k in enumerate(ks):
            e = k * sd * prof[j]  # extra at week s+j for start s
            m1 = mu[:, uu] + e
            v1 = phi * mu[:, uu] + e
            l = nb_mv_logpmf(y[:, uu], m1, v1) - f0[:, uu]
            ell[:, :, j, ki] = np.where(ok[None, :], l, 0.0)
    return ell
def pulse_stat_alarms(ell, logw, c, W=3, mode='mix'):
    """Run with restart. logw: log prior weight per k. Returns alarms (n,T)."""
    n, T, _, K = ell.shape
    C = np.cumsum(ell, axis=2)  # (n,s,j,k)
    r = np.zeros(n, int)
    A = np.zeros((n, T), bool)
    S = np.full((n, T), -np.inf)
    for t in range(T):
        vals = []
        for j in range(W):
            s = t - j
            if s < 0: continue
            v = C[:, s, j, :] + logw[None, :]
            v = np.where((s >= r)[:, None], v, -np.inf)
            vals.append(v)
        V = np.concatenate(vals, axis=1)
        st = logsumexp(V, axis=1) if mode == 'mix' else V.max(axis=1)
        S[:, t] = st
        a = st >= c
        A[:, t] = a
        r[a] = t + 1
    return A, S
