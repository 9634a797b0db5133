import numpy as np, core, pulse, load, sys
seeds = load.SEEDS_T
ks = np.arange(1, 11, dtype=float)
res = {}
for seed in seeds:
    D = core.data(seed)
    base_inc = core.cusum_inc(D['yb'], D['mu0'], D['phi'][:, None], 1.5)
    ell = pulse.pulse_table(D, ks)
    F = (np.nan_to_num(D['ffp'], nan=1.0) <= 0.001) & (D['Y'][:, 575:624] > 0)
    for h in [3.2, 3.6, 4.0]:
        A = core.cusum_alarms(base_inc, h)[:, 3:] | F
        res.setdefault(('def', h), []).append(core.score(D, A))
    for mode in ['mix', 'max']:
        for c in [2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5]:
            logw = np.log(np.full(10, 0.1)) if mode == 'mix' else np.zeros(10)
            Ap, _ = pulse.pulse_stat_alarms(ell, logw, c, mode=mode)
            res.setdefault((mode, c), []).append(core.score(D, Ap[:, 3:]))
            for h in [3.6, 4.0, 4.4, 5.0]:
                A = core.cusum_alarms(base_inc, h)[:, 3:] | Ap[:, 3:]
                res.setdefault((mode + '+cusum', c, h), []).append(core.score(D, A))
for k, v in res.items():
    v = np.array(v)
    print(k, 'FPR %.3f%% max %.3f  spike %.1f step %.1f' % (100 * v[:, 0].mean(), 100 * v[:, 0].max(), 100 * v[:, 1].mean(), 100 * v[:, 2].mean()))
