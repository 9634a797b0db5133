"""Final default (tail-gated fit, added-cases alternative, d 1.75, h 3.4, FF 0.001) vs the old
default on the third fresh set G = 401-440 (made after the choice)."""
import numpy as np, core, load, pulse, sys
exec(open('grid_monotone.py').read().split('setseeds =')[0])  # with_fit, inc_mono
old, new = [], []
for seed in load.SEEDS_G:
    Db = with_fit(seed, 'base'); Dt = with_fit(seed, 'tail')
    old.append(core.score(Db, core.default_alarms(Db)))
    p = np.nan_to_num(Dt['ffp'], nan=1.0); F = (p <= 0.001) & (Dt['Y'][:, 575:624] > 0)
    new.append(core.score(Dt, core.cusum_alarms(inc_mono(Dt, 1.75), 3.4)[:, 3:] | F))
for nm, x in (('old default', old), ('new default', new)):
    x = np.array(x)
    print('G %s: FPR %.3f (max %.2f, >1%%:%2d) spike %.1f (>=60:%2d, se %.1f) step %.1f (min %.1f, >=60:%2d)' % (nm,
        100*x[:,0].mean(), 100*x[:,0].max(), (x[:,0]>0.01).sum(), 100*x[:,1].mean(), (x[:,1]>=0.6-1e-9).sum(),
        100*x[:,1].std()/np.sqrt(len(x)), 100*x[:,2].mean(), 100*x[:,2].min(), (x[:,2]>=0.6-1e-9).sum()))
