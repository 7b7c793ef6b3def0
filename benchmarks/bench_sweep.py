"""Sweep backends: speed-up over serial and per-task overhead, as ratios measured in one run.

1. A 64-run sweep (8 inertias x 8 albedos of airless Mars, 19 latitudes,
   N2 1536, 6 seasons: ~0.1 s a run) through ``sweep()`` serially, with
   2 threads, 2 processes and a Dask LocalCluster of 2 single-threaded
   workers (and MPI with ``--mpi``).  Wall time includes starting the pool
   or cluster, as a user sees it; the speed-up is serial time / backend
   time.  The tables are checked to be bit-identical.
2. Per-task overhead of each backend: N trivial tasks (``_chunk_noop``)
   submitted to an already started executor, collected, divided by N.  This
   is what chunking (several runs per task) amortises.

Not a test: the machines are shared and noisy, so nothing is asserted.

    python -P benchmarks/bench_sweep.py [--workers 2] [--repeats 2] [--tasks 2000] [--mpi]
"""

from __future__ import annotations

import argparse
import importlib
import os
import time

import numpy as np

from legacy_wrap.krc import Params

sw = importlib.import_module("legacy_wrap.krc.sweep")

AXES = {"inertia": [30.0, 50.0, 80.0, 130.0, 200.0, 320.0, 500.0, 800.0],
        "alb": [0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45]}


def base() -> Params:
    """master.inp without atmosphere, 6 seasons (the last 2 written)."""
    return Params.mars().replace(ptotal=0.5, n5=6, jdisk=5)


def time_sweep(executor: str, workers: int) -> tuple[float, object]:
    t0 = time.perf_counter()
    ds = sw.sweep(base(), axes=AXES, executor=executor, workers=workers, progress=False)
    return time.perf_counter() - t0, ds


def task_overhead(executor: str, workers: int, ntasks: int) -> tuple[float, float]:
    """(start-up s, seconds per trivial task) of a backend, pool already warm."""
    t0 = time.perf_counter()
    backend = sw._make_backend(executor, workers if executor != "serial" else None, None)
    try:
        warm = [backend.submit(sw._chunk_noop, i) for i in range(4 * max(1, backend.workers))]
        [f.result() for f in warm]
        startup = time.perf_counter() - t0
        t1 = time.perf_counter()
        futures = [backend.submit(sw._chunk_noop, i) for i in range(ntasks)]
        results = [f.result() for f in futures]
        per_task = (time.perf_counter() - t1) / ntasks
        assert results == list(range(ntasks))
    finally:
        backend.close()
    return startup, per_task


def calibrate(workers: int, n: int = 16) -> float:
    """Speed-up of a bare thread pool on n runs (no sweep machinery): what the machine allows."""
    from concurrent.futures import ThreadPoolExecutor

    from legacy_wrap.krc import run

    cases = [base().replace(inertia=AXES["inertia"][i % 8], alb=AXES["alb"][i // 8])
             for i in range(n)]
    t0 = time.perf_counter()
    for c in cases:
        run(c)
    serial = time.perf_counter() - t0
    with ThreadPoolExecutor(workers) as pool:
        t0 = time.perf_counter()
        list(pool.map(run, cases))
        pooled = time.perf_counter() - t0
    return serial / pooled


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--tasks", type=int, default=2000, help="trivial tasks for the overhead")
    ap.add_argument("--repeats", type=int, default=2, help="rounds over the backends (best kept)")
    ap.add_argument("--mpi", action="store_true", help="also MPI (mpi4py.futures)")
    args = ap.parse_args()
    w = args.workers
    sw.sweep(base(), axes={"alb": [0.2]})      # imports (xarray) out of the timings
    backends = ["serial", "threads", "processes", "dask"] + (["mpi"] if args.mpi else [])

    print(f"{os.cpu_count()} CPUs; 64-run sweep (8 inertia x 8 albedo, airless Mars, 19 latitudes, "
          f"N2 {base().n2}, N5 {base().n5}); {w} workers where parallel")
    print(f"machine check: a bare thread pool of {w} runs 16 runs x{calibrate(w):.2f} faster than "
          "a loop (the ceiling for the ratios below; shared machines give less than the CPU count)")
    times: dict[str, float] = {}
    tables: dict[str, object] = {}
    for rep in range(args.repeats):            # rounds over the backends: noise hits all alike
        for name in backends:
            t, tables[name] = time_sweep(name, w)
            times[name] = min(t, times.get(name, t))
    for name in backends:
        print(f"  {name:10s} {times[name]:7.2f} s (best of {args.repeats})", flush=True)
    ref = tables["serial"]
    print("speed-up over serial (same run):")
    for name in backends[1:]:
        same = all(np.array_equal(tables[name][v].values, ref[v].values)  # type: ignore[index]
                   for v in ("surface_temperature", "days_computed", "ls", "date"))
        print(f"  {name:10s} x{times['serial'] / times[name]:5.2f}   bit-identical: {same}")
    run_s = times["serial"] / 64
    chunk = -(-64 // (4 * w))
    print(f"per-task overhead ({args.tasks} trivial tasks on a started executor); a run takes "
          f"~{run_s * 1e3:.0f} ms, the default chunk here is {chunk} runs:")
    for name in backends:
        n = args.tasks if name not in ("dask", "mpi") else max(200, args.tasks // 4)
        startup, per = task_overhead(name, w, n)
        print(f"  {name:10s} {per * 1e6:9.1f} us per task = {100 * per / run_s:6.3f} % of a run, "
              f"{100 * per / (chunk * run_s):6.3f} % of a chunk   (start-up {startup:.2f} s)",
              flush=True)


if __name__ == "__main__":
    main()
