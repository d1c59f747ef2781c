"""W4 peer: the Monte Carlo of GUM H.1 that the bench runs (10^6 trials), in
numpy, vectorised over the trials on one thread: the same input distributions
(t with location x, scale u and its degrees of freedom, JCGM 101 6.4.9;
rectangular; normal; arcsine as x + a sin(2 pi U), 6.4.6), the model over the
columns, the mean, the standard deviation and the probabilistically symmetric
99 % coverage interval (7.7) by selection (np.partition), as the engine finds it
by quickselect.

usage: python3 w4_numpy.py ROUNDS   -> one JSON line: {"ms": median wall ms, "numpy": version, ...}
"""
import json
import sys
import time

import numpy as np

N = 1_000_000
P = 0.99


def h1(rng):
    l_s = 50.0 + 0.000025 * rng.standard_t(18, N)
    d = 0.000215 + 0.0000097 * rng.standard_t(25.6, N)
    alpha_s = 0.0000115 + 0.000002 * (2.0 * rng.random(N) - 1.0)
    theta = -0.1 + 0.41 * rng.standard_normal(N)
    delta_alpha = 0.00000058 * rng.standard_t(50, N)
    delta_theta = 0.05 * np.sin(2.0 * np.pi * rng.random(N))
    y = l_s + d - l_s * (delta_alpha * theta + alpha_s * delta_theta)
    mean = y.mean()
    std = y.std(ddof=1)
    # probabilistically symmetric interval: the values of rank q and N + 1 - q (JCGM 101 7.7.1)
    q = int(round((1.0 - P) / 2.0 * N))
    lo, hi = np.partition(y, [q - 1, N - q])[[q - 1, N - q]]
    return mean, std, lo, hi


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    rng = np.random.default_rng(101)
    h1(rng)  # warm-up
    times = []
    result = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = h1(rng)
        times.append((time.perf_counter() - t0) * 1000.0)
    times.sort()
    mean, std, lo, hi = result
    print(json.dumps({"ms": times[len(times) // 2], "numpy": np.__version__, "mean": mean, "std": std, "interval": [lo, hi]}))


if __name__ == "__main__":
    main()
