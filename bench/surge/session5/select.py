import pickle, numpy as np, sys, glob
rows = {}
for f in sys.argv[2:]:
    for k, v in pickle.load(open(f, 'rb')).items():
        rows.setdefault(k, {}).update(v)
cap = float(sys.argv[1])
def fmt(x):
    x = np.array(x)
    return 'FPR %.3f (max %.2f, >1%%:%2d) spike %.1f (>=60:%2d) step %.1f (min %.1f)' % (100*x[:,0].mean(), 100*x[:,0].max(), (x[:,0]>0.01).sum(), 100*x[:,1].mean(), (x[:,1]>=0.6-1e-9).sum(), 100*x[:,2].mean(), 100*x[:,2].min())
ok = []
for k, v in rows.items():
    T = np.array(v['T'])
    if T[:, 0].mean() <= cap and T[:, 0].max() <= 0.01 and T[:, 2].mean() >= 0.62:
        ok.append((T[:, 1].mean(), k))
ok.sort(reverse=True)
for s, k in ok[:15]:
    print(k, 'T', fmt(rows[k]['T']))
