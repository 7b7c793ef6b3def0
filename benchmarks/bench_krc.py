"""Speed of the thermal core, reported as ratios measured in one run.

1. A master.inp-sized airless run (19 latitudes x 40 seasons, N1 28, N2 1536):
   wall time and nanoseconds per (layer x time step), counting N1-1 layers at
   every base time step of every computed sol (time doubling makes the real
   work smaller; the count is the model's nominal size).
2. Eight different cases run serially and on a thread pool (the f2py
   extension releases the GIL): the speed-up as a ratio, with a check that
   the results are bit-identical.

Not a test: the machines are shared and noisy, so nothing is asserted.

    python -P benchmarks/bench_krc.py [--repeats 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from legacy_wrap.krc import Params, run


def master_airless() -> Params:
    """master.inp with the atmosphere off and 40 output seasons."""
    return Params.mars().replace(ptotal=0.5, n5=40, jdisk=1)


def variants(n: int = 8) -> list[Params]:
    """n different small cases (inertia x albedo), ~0.1-0.5 s each."""
    base = Params.mars().replace(ptotal=0.5, n5=6, jdisk=1)
    out = []
    for i in range(n):
        out.append(base.replace(inertia=50.0 + 150.0 * i, alb=0.1 + 0.05 * (i % 4)))
    return out


def timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1))
    args = ap.parse_args()

    p = master_airless()
    best, result = min((timed(lambda: run(p)) for _ in range(args.repeats)), key=lambda x: x[0])
    n1, n2 = int(p.n1), int(p.n2)
    sols = int(result.days_computed.sum())
    layer_steps = sols * n2 * (n1 - 1)
    print(f"master-sized airless run: 19 lat x 40 seasons, N1 {n1}, N2 {n2}: "
          f"{best:.3f} s (best of {args.repeats}), {sols} sols computed")
    print(f"  {1e9 * best / layer_steps:.2f} ns per (layer x time step) "
          f"[{layer_steps:.3e} nominal layer-steps]")

    cases = variants()
    serial_t, serial = min((timed(lambda: [run(c).hourly for c in cases])
                            for _ in range(args.repeats)), key=lambda x: x[0])

    def pooled():
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            return list(pool.map(lambda c: run(c).hourly, cases))

    pool_t, threaded = min((timed(pooled) for _ in range(args.repeats)), key=lambda x: x[0])
    same = all(np.array_equal(a, b) for a, b in zip(serial, threaded))
    print(f"8 cases: serial {serial_t:.3f} s, thread pool ({args.workers} workers) "
          f"{pool_t:.3f} s: speed-up x{serial_t / pool_t:.2f} on {os.cpu_count()} CPUs; "
          f"bit-identical: {same}")


if __name__ == "__main__":
    main()
