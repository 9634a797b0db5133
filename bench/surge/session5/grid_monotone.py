import numpy as np, core, load, pulse, pickle, sys
def with_fit(seed, src):
    D = dict(core.data(seed))
    if src == 'base':
        return D
    n = len(D['var'])
    ids = {'%s_r%03d_%s' % (D['scen'][i], (i % 45) // 3 + 1, D['var'][i]): i for i in range(n)}
    phi = np.zeros(n); mu0 = np.zeros((n, 52))
    for line in open(f'/tmp/surge5/dump_{src}/seed{seed}.csv'):
        p = line.rstrip().split(',')
        i = ids[p[0]]; v = np.array([float(x) for x in p[1:54]])
        phi[i] = v[0]; mu0[i] = v[1:53]
    D['phi'] = phi; D['mu0'] = mu0
    return D
def inc_mono(D, d):
    y = D['yb']; mu = np.maximum(D['mu0'], 1e-9); phi = np.maximum(D['phi'], 1)[:, None]
    e = d * np.sqrt(phi * mu)
    f = lambda x: pulse.nb_mv_logpmf(x, mu + e, phi * mu + e) - pulse.nb_mv_logpmf(x, mu, phi * mu)
    inc = f(y)
    # monotone in x: the increment of a count is at least that of any smaller count
    best = f(np.zeros_like(y)); 
    for c in range(1, int(y.max()) + 1):
        fc = f(np.full_like(y, c))
        best = np.where(c <= y, np.maximum(best, fc), best)
    return np.maximum(inc, best)
setseeds = {'T': load.SEEDS_T, 'H': load.SEEDS_H, 'F': load.SEEDS_F}
hs = np.round(np.arange(3.0, 4.01, 0.05), 2)
rows = {}
for k in sys.argv[2].split(','):
    for seed in setseeds[k]:
        D = with_fit(seed, sys.argv[1])
        p = np.nan_to_num(D['ffp'], nan=1.0); F = (p <= 0.001) & (D['Y'][:, 575:624] > 0)
        for d in (1.5, 1.75, 2.0):
            inc = inc_mono(D, d)
            for h in hs:
                C = core.cusum_alarms(inc, h)[:, 3:]
                rows.setdefault((sys.argv[1], 'mm-mono', d, h, 0), {}).setdefault(k, []).append(core.score(D, C))
                rows.setdefault((sys.argv[1], 'mm-mono', d, h, 0.001), {}).setdefault(k, []).append(core.score(D, C | F))
pickle.dump(rows, open(f'grid11_{sys.argv[1]}_{sys.argv[2].replace(",", "")}.pkl', 'wb'))
