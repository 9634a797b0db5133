import numpy as np, core, load
for name, seeds in (('T', load.SEEDS_T), ('H', load.SEEDS_H), ('F', load.SEEDS_F)):
    f = np.array([core.score(D, core.default_alarms(D)) for D in map(core.data, seeds)])
    print(name, len(seeds), 'FPR mean %.3f sd %.3f max %.2f >1%%: %d' % (100*f[:,0].mean(), 100*f[:,0].std(), 100*f[:,0].max(), (f[:,0]>0.01).sum()),
          'spike %.1f (sd %.1f, >=60: %d) step %.1f' % (100*f[:,1].mean(), 100*f[:,1].std(), (f[:,1]>=0.6-1e-9).sum(), 100*f[:,2].mean()))
