import numpy as np, core, load, pulse
from scipy.special import logsumexp
seeds = load.SEEDS_T
Ds = [core.data(s) for s in seeds]
def run_multi(incs, logw, h, mode='lse', sr=False):
    n, T = incs[0].shape
    S = [np.zeros(n) for _ in incs]
    A = np.zeros((n, T), bool)
    for t in range(T):
        for i, inc in enumerate(incs):
            if sr:
                S[i] = np.log1p(np.exp(S[i])) + inc[:, t] if False else np.logaddexp(0, S[i]) + inc[:, t]
            else:
                S[i] = np.maximum(S[i] + inc[:, t], 0)
        st = np.stack(S, 1) + logw[None, :]
        v = logsumexp(st, axis=1) if mode == 'lse' else st.max(1)
        a = v >= h
        A[:, t] = a
        for i in range(len(S)):
            S[i][a] = 0 if not sr else -np.inf
    return A
def inc_mm(D, d):
    """CUSUM increment with moment-matched alternative: NB mean mu+e, variance phi mu + e."""
    y = D['yb']; mu = np.maximum(D['mu0'], 1e-9); phi = np.maximum(D['phi'], 1)[:, None]
    e = d * np.sqrt(phi * mu)
    return pulse.nb_mv_logpmf(y, mu + e, phi * mu + e) - pulse.nb_mv_logpmf(y, mu, phi * mu)
def curve(name, fn, hs):
    pts = []
    for h in hs:
        r = np.mean([core.score(D, fn(D, h)) for D in Ds], axis=0)
        pts.append(r)
    pts = np.array(pts)
    o = np.argsort(pts[:, 0])
    out = []
    for f in (0.0067, 0.0080, 0.0090):
        out.append('%.2f%%: %.1f/%.1f' % (100 * f, 100 * np.interp(f, pts[o, 0], pts[o, 1]), 100 * np.interp(f, pts[o, 0], pts[o, 2])))
    print('%-40s' % name, '  '.join(out), flush=True)
cache = {}
def incs(D, key, fn):
    k = (id(D), key)
    if k not in cache: cache[k] = fn()
    return cache[k]
hs = [2.8, 3.0, 3.2, 3.4, 3.6, 3.8, 4.0, 4.3]
for d in [1.0, 1.25, 1.5, 1.75, 2.0, 2.5]:
    curve('cusum d=%g' % d, lambda D, h: core.cusum_alarms(incs(D, ('c', d), lambda: core.cusum_inc(D['yb'], D['mu0'], D['phi'][:, None], d)), h)[:, 3:], hs)
for d in [1.5, 2.0]:
    curve('cusum-mm d=%g' % d, lambda D, h: core.cusum_alarms(incs(D, ('m', d), lambda: inc_mm(D, d)), h)[:, 3:], hs)
curve('default (FF .001 OR cusum 1.5)', lambda D, h: core.default_alarms(D, 1.5, h), hs)
for ds in [(1.0, 2.0), (1.0, 2.5), (0.75, 1.5, 3.0), (1.0, 1.5, 2.0, 3.0)]:
    logw = np.log(np.full(len(ds), 1 / len(ds)))
    curve('lse cusum %s' % (ds,), lambda D, h: run_multi([incs(D, ('c', d), lambda: core.cusum_inc(D['yb'], D['mu0'], D['phi'][:, None], d)) for d in ds], logw, h)[:, 3:], hs)
for d in [1.5, 2.0]:
    curve('shiryaev-roberts d=%g' % d, lambda D, h: run_multi([incs(D, ('c', d), lambda: core.cusum_inc(D['yb'], D['mu0'], D['phi'][:, None], d))], np.zeros(1), h, sr=True)[:, 3:], [3.4, 3.8, 4.2, 4.6, 5.0, 5.4])
