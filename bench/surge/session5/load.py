import numpy as np, gzip, csv, os, sys
SEEDS_T = [20240601, 99] + list(range(101, 116))
SEEDS_H = list(range(201, 231))
SEEDS_F = list(range(301, 341))
SEEDS_G = list(range(401, 441))
def seed_dir(s):
    return '/work/shared/data/surge' if s == 20240601 else f'/tmp/surge-seeds/seed{s}'
def load(seed):
    cache = f'/tmp/surge5/cache_{seed}.npz'
    if os.path.exists(cache):
        return dict(np.load(cache, allow_pickle=True))
    d = seed_dir(seed)
    ids = {}
    Y = []
    meta = []
    with gzip.open(d + '/series.csv.gz', 'rt') as f:
        r = csv.reader(f); next(r)
        for row in r:
            sid = row[0]
            if sid not in ids:
                ids[sid] = len(Y); Y.append(np.zeros(624)); meta.append((row[1], row[3]))
            Y[ids[sid]][int(row[4]) - 1] = float(row[5])
    n = len(Y)
    st = np.zeros(n, int); en = np.zeros(n, int); size = np.full(n, np.nan)
    with gzip.open(d + '/outbreaks.csv.gz', 'rt') as f:
        r = csv.reader(f); next(r)
        for row in r:
            i = ids[row[0]]; st[i] = int(row[4]); en[i] = int(row[5]); size[i] = float(row[6])
    phi = np.zeros(n); mu0 = np.zeros((n, 52)); ffp = np.zeros((n, 49)); ffe = np.zeros((n, 49)); ffphi = np.zeros((n, 49))
    for line in open(f'/tmp/surge5/dump/seed{seed}.csv'):
        p = line.rstrip().split(',')
        i = ids[p[0]]
        v = np.array([float(x) for x in p[1:]])
        phi[i] = v[0]; mu0[i] = v[1:53]
        rest = v[53:].reshape(49, 3)
        ffp[i] = rest[:, 0]; ffe[i] = rest[:, 1]; ffphi[i] = rest[:, 2]
    out = dict(Y=np.array(Y), scen=np.array([m[0] for m in meta]), var=np.array([m[1] for m in meta]),
               st=st, en=en, size=size, phi=phi, mu0=mu0, ffp=ffp, ffe=ffe, ffphi=ffphi)
    np.savez(cache, **out)
    return out
