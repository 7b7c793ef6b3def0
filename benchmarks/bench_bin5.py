"""Reading a 200 MB float64 bin5 file: the facade vs numpy.fromfile on the raw data.

Reported as ratios measured in one run (the machines are shared and noisy):
each method is timed alternately, best of N repeats.  Not a test.

    python -P benchmarks/bench_bin5.py [--mb 200] [--repeats 5]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from legacy_wrap import bin5


def best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=200.0)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    n = int(args.mb * 1e6 / 8)
    shape = (n // 1000, 1000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.bin5"
        raw = Path(tmp) / "big.raw"
        data = np.random.default_rng(0).random(shape[0] * shape[1]).reshape(shape, order="F")
        bin5.write(path, data)
        np.ravel(data, order="F").tofile(raw)
        header_len = bin5.read_header(path).header_len
        del data

        methods = {
            "numpy.fromfile (raw)": lambda: np.fromfile(raw, dtype=np.float64),
            "numpy.fromfile (bin5, offset)": lambda: np.fromfile(path, dtype="<f8", offset=header_len),
            "bin5.read": lambda: bin5.read(path),
            "bin5.read(mmap) + sum": lambda: float(np.sum(bin5.read(path, mmap=True)[0])),
            "numpy.memmap + sum": lambda: float(np.sum(np.memmap(raw, dtype=np.float64, mode="r"))),
        }
        # Warm the page cache so that both sides read from memory.
        for fn in methods.values():
            fn()
        times = {name: best_of(fn, args.repeats) for name, fn in methods.items()}
    base = times["numpy.fromfile (raw)"]
    size_mb = shape[0] * shape[1] * 8 / 1e6
    print(f"file: {size_mb:.0f} MB float64, best of {args.repeats}")
    print(f"{'method':32s} {'seconds':>9s} {'GB/s':>7s} {'ratio vs fromfile':>18s}")
    for name, t in times.items():
        print(f"{name:32s} {t:9.4f} {size_mb / 1e3 / t:7.2f} {t / base:18.2f}")


if __name__ == "__main__":
    main()
