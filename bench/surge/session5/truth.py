import numpy as np
GROUPS = {"G1": (0.1, 0.0025, 0.6, 0.6, 1.5), "G2": (-2.0, 0.005, 0.1, 0.3, 2.0), "G3": (1.5, 0.003, 0.2, -0.4, 1.0),
          "G4": (0.5, 0.002, 0.5, 0.5, 5.0), "G5": (2.5, 0.001, 1.0, 0.1, 3.0), "G6": (3.75, 0.001, 0.1, -0.1, 1.1), "G7": (5.0, 0.0001, 0.05, 0.01, 1.2)}
SC = {"S1": ("G2", 0, 0), "S2": ("G1", 1, 1), "S3": ("G3", 0, 1), "S4": ("G4", 1, 1), "S5": ("G5", 0, 1), "S6": ("G5", 1, 2), "S7": ("G6", 1, 1), "S8": ("G7", 0, 0)}
def true_mu(scen, t):
    g, tr, m = SC[scen]; th, b, g1, g2, phi = GROUPS[g]
    eta = th + b * t * tr
    for j in range(1, m + 1):
        eta = eta + g1 * np.cos(2 * np.pi * j * t / 52) + g2 * np.sin(2 * np.pi * j * t / 52)
    return np.exp(eta), phi
def oracle(D):
    t = np.arange(573, 625, dtype=float)
    mu = np.zeros_like(D['mu0']); phi = np.zeros(len(mu))
    for i, s in enumerate(D['scen']):
        mu[i], phi[i] = true_mu(s, t)
    return mu, phi
