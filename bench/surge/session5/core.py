import numpy as np
from scipy.special import gammaln
import load
B0 = 572  # 0-based first index of the in-control block
def nb1_logpmf(x, m, phi):
    """log pmf of NB with mean m and variance phi*m (Poisson where phi<=1)."""
    m = np.maximum(m, 1e-12)
    phi = np.broadcast_to(phi, np.broadcast_shapes(np.shape(x), np.shape(m), np.shape(phi)))
    out = np.empty(np.broadcast_shapes(np.shape(x), np.shape(m), np.shape(phi)))
    x = np.broadcast_to(x, out.shape); m = np.broadcast_to(m, out.shape)
    pois = phi <= 1 + 1e-6
    xp, mp = x[pois], m[pois]
    out[pois] = xp * np.log(mp) - mp - gammaln(xp + 1)
    xn, mn, pn = x[~pois], m[~pois], phi[~pois]
    s = mn / (pn - 1)
    out[~pois] = gammaln(xn + s) - gammaln(s) - gammaln(xn + 1) + s * np.log(1 / pn) + xn * np.log(1 - 1 / pn)
    return out
def cusum_inc(x, m, phi, d):
    m = np.maximum(m, 1e-12)
    k = np.log1p(d * np.sqrt(phi / m))
    out = (x * k - m * (np.exp(k) - 1)) / phi
    nb = np.broadcast_to(phi > 1 + 1e-6, out.shape)
    s0 = m / (phi - 1 + 1e-300); s1 = s0 * np.exp(k)
    v = gammaln(x + s1) - gammaln(s1) - gammaln(x + s0) + gammaln(s0) - (s1 - s0) * np.log(phi)
    return np.where(nb, v, out)
def cusum_alarms(inc, h):
    n, T = inc.shape
    s = np.zeros(n); A = np.zeros((n, T), bool)
    for t in range(T):
        s = np.maximum(s + inc[:, t], 0)
        a = s >= h
        A[:, t] = a
        s[a] = 0
    return A
def data(seed):
    D = load.load(seed)
    D['yb'] = D['Y'][:, B0:624]
    return D
def score(D, A49):
    """A49: (n,49) bool alarms over test weeks 576..624. Returns FPR, POD spike, POD step."""
    var = D['var']
    null = var == 'null'
    fpr = A49[null].mean()
    res = [fpr]
    for v in ('spike', 'step'):
        idx = np.where(var == v)[0]
        det = 0
        for i in idx:
            a = D['st'][i] - 576; b = min(D['en'][i], 624) - 576
            det += A49[i, a:b + 1].any()
        res.append(det / len(idx))
    return np.array(res)
def detmask(D):
    """(n,49) mask of the outbreak window per series (False for null)."""
    n = len(D['var']); M = np.zeros((n, 49), bool)
    for i in range(n):
        if D['var'][i] != 'null':
            a = D['st'][i] - 576; b = min(D['en'][i], 624) - 576
            M[i, a:b + 1] = True
    return M
def default_alarms(D, d=1.5, h=3.6, ffa=0.001):
    inc = cusum_inc(D['yb'], D['mu0'], D['phi'][:, None], d)
    A = cusum_alarms(inc, h)[:, 3:]
    F = np.nan_to_num(D['ffp'], nan=1.0) <= ffa
    F &= D['Y'][:, 575:624] > 0
    return A | F
