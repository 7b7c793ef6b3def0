"""Speed of point requests (legacy_wrap.krc.point), as requests per second.

1,000 requests (Ls, latitude, local time, inertia spread over their ranges)
on two bodies: the airless Moon (N5 3 seasons of one sol each, N2 768, N24
24) and Mars with its atmosphere and the Viking pressure curve (master.inp
values, N5 6 seasons, N2 768).  Each request is a fresh one-latitude case, as
in KRC's one-point mode.  Run on 1 and 2 threads in one process; the speed-up
is reported as a ratio, with a check that both give the same bits.

Not a test: the machines are shared and noisy, so nothing is asserted.

    python -P benchmarks/bench_point.py [--requests 1000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from legacy_wrap.krc import Params, point


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    n = args.requests
    rng = np.random.default_rng(1)
    req = dict(ls=rng.uniform(0.0, 360.0, n), latitude=rng.uniform(-80.0, 80.0, n),
               hour=rng.uniform(0.0, 24.0, n), inertia=rng.uniform(30.0, 400.0, n))
    bodies = {"Moon (N5 3, N2 768)": Params.moon().replace(n5=3, jdisk=1, n2=768, n24=24),
              "Mars (KPREF 1, N5 6, N2 768)": Params.mars().replace(n5=6, jdisk=1, n2=768,
                                                                     n24=24)}
    for label, p in bodies.items():
        best: dict[int, float] = {}
        results = {}
        for _ in range(args.repeats):
            for threads in (1, 2):
                t0 = time.perf_counter()
                results[threads] = point(p, threads=threads, **req)
                dt = time.perf_counter() - t0
                best[threads] = min(best.get(threads, dt), dt)
        same = (results[1].surface_temperature.tobytes()
                == results[2].surface_temperature.tobytes())
        print(f"{n} point requests, {label}, best of {args.repeats}:")
        for threads in (1, 2):
            print(f"  {threads} thread(s): {best[threads]:.3f} s = "
                  f"{n / best[threads]:,.0f} requests/s")
        print(f"  2 threads / 1 thread speed-up x{best[1] / best[2]:.2f}; identical bits: {same}")


if __name__ == "__main__":
    main()
