"""Per scenario, old vs new default, pooled over the held-out and fresh seeds (201-230, 301-440)."""
import numpy as np, core, load, pulse
exec(open('grid_monotone.py').read().split('setseeds =')[0])
acc = {}
for seed in load.SEEDS_H + load.SEEDS_F + load.SEEDS_G:
    Db = with_fit(seed, 'base'); Dt = with_fit(seed, 'tail')
    p = np.nan_to_num(Dt['ffp'], nan=1.0); F = (p <= 0.001) & (Dt['Y'][:, 575:624] > 0)
    A = {'old': core.default_alarms(Db), 'new': core.cusum_alarms(inc_mono(Dt, 1.75), 3.4)[:, 3:] | F}
    for nm, a in A.items():
        for s in ['S%d' % i for i in range(1, 9)]:
            m = Db['scen'] == s
            acc.setdefault((nm, s), []).append(core.score({k: Db[k][m] for k in ('var', 'st', 'en')}, a[m]))
        # by spike size
        for k in range(1, 11):
            m = (Db['var'] == 'spike') & (Db['size'] == k)
            M = core.detmask(Db)
            acc.setdefault((nm, 'k%d' % k), []).append(((a & M)[m].any(1).sum(), m.sum()))
for nm in ('old', 'new'):
    print(nm, ' '.join('%s %.2f/%.1f/%.1f' % (s, *(100 * np.mean(acc[(nm, s)], axis=0))) for s in ['S%d' % i for i in range(1, 9)]))
    print(nm, 'by k:', ' '.join('%d' % round(100 * np.sum(acc[(nm, 'k%d' % k)], axis=0)[0] / np.sum(acc[(nm, 'k%d' % k)], axis=0)[1]) for k in range(1, 11)))
