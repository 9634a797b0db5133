import numpy as np, core, load
Ts = [core.data(s) for s in load.SEEDS_T]
def run(D, inc, h, lam, p0):
    p = np.nan_to_num(D['ffp'], nan=1.0)
    bonus = np.zeros(D['yb'].shape)
    bonus[:, 3:] = lam * np.maximum(0, np.log(p0 / p)) * (D['Y'][:, 575:624] > 0)
    n, T = inc.shape; s = np.zeros(n); A = np.zeros((n, T), bool)
    for t in range(T):
        s = np.maximum(s + inc[:, t], 0)
        a = s + bonus[:, t] >= h
        A[:, t] = a; s[a] = 0
    return A[:, 3:]
hs = np.round(np.arange(3.2, 4.21, 0.1), 2)
for d in [1.5, 1.75]:
    incs = [core.cusum_inc(D['yb'], D['mu0'], D['phi'][:, None], d) for D in Ts]
    for lam, p0 in [(0, 1), (0.25, 0.05), (0.5, 0.05), (0.5, 0.01), (1.0, 0.01), (1.0, 0.002)]:
        pts = np.array([np.mean([core.score(D, run(D, inc, h, lam, p0)) for D, inc in zip(Ts, incs)], axis=0) for h in hs])
        o = np.argsort(pts[:, 0])
        print('d=%g lam=%g p0=%g' % (d, lam, p0), '  '.join('%.2f%%: %.1f/%.1f' % (100*f, 100*np.interp(f, pts[o,0], pts[o,1]), 100*np.interp(f, pts[o,0], pts[o,2])) for f in (0.0067, 0.0075, 0.0085)), flush=True)
