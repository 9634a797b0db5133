"""Per-set figures (tuning T, held-out H = 201-230, fresh F = 301-340) of chosen grid rows."""
import pickle, numpy as np, sys
rows = {}
for f in sys.argv[1:] or ['grid10_base_THF.pkl']:
    for k, v in pickle.load(open(f, 'rb')).items():
        rows.setdefault(k, {}).update(v)
def fmt(x):
    x = np.array(x)
    return 'FPR %.3f (max %.2f, >1%%:%2d) spike %.1f (>=60:%2d, se %.1f) step %.1f (min %.1f, >=60:%2d)' % (
        100*x[:,0].mean(), 100*x[:,0].max(), (x[:,0]>0.01).sum(), 100*x[:,1].mean(), (x[:,1]>=0.6-1e-9).sum(),
        100*x[:,1].std()/np.sqrt(len(x)), 100*x[:,2].mean(), 100*x[:,2].min(), (x[:,2]>=0.6-1e-9).sum())
for k in [('base','nb1',1.5,3.6,0.001),('base','nb1',1.75,3.55,0.001),('base','nb1',1.75,3.5,0),('base','nb1',1.5,3.5,0.001),
          ('tail','mm',1.75,3.4,0.001),('tail','nb1',1.75,3.25,0.001),('tail','mm-mono',1.75,3.4,0.001),('tail','mm-mono',1.75,3.35,0)]:
    kk = [x for x in rows if x[:3]==k[:3] and abs(x[3]-k[3])<1e-9 and x[4]==k[4]]
    if not kk: continue
    print(k)
    for s in 'THF':
        if s in rows[kk[0]]: print('  ', s, fmt(rows[kk[0]][s]))
