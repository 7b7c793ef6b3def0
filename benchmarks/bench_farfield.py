"""Far-field files: our compact layout against the original's ("krc") layout.

Writes the far-field file of the reference flat deck f1flat (kind -3, 3
latitudes, 5 stored seasons, float64) in both layouts and reads each back
(read_far_field), then runs the sloped reader f1slope from it; reports file
sizes and best-of-N times, measured in one run (the machines are shared and
noisy).  Not a test.

    python -P benchmarks/bench_farfield.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from legacy_wrap.krc import read_deck, run
from legacy_wrap.krc.farfield import read_far_field, write_far_field

F1 = Path(__file__).resolve().parents[1].parent / "shared" / "krc-reference" / "ladder" / "f1"


def best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    if not (F1 / "f1flat.inp").is_file():
        print(f"reference deck f1flat not found under {F1}: skipped")
        return
    flat = run(read_deck(F1 / "f1flat.inp").cases[0].params)
    slope = read_deck(F1 / "f1slope.inp").cases[0].params
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for layout in ("compact", "krc"):
            path = Path(tmp) / f"f1flat.{layout}"

            def write(path: Path = path, layout: str = layout) -> None:
                path.unlink(missing_ok=True)
                write_far_field(path, flat, layout=layout)  # type: ignore[arg-type]

            t_write = best_of(write, args.repeats)
            size = path.stat().st_size
            t_read = best_of(lambda path=path: read_far_field(path), args.repeats)
            ff = read_far_field(path)
            t_run = best_of(lambda ff=ff: run(slope, far_field_in=ff), 1)
            rows.append((layout, size, t_write, t_read, t_run))
            path.unlink()
    print(f"{'layout':8s} {'bytes':>12s} {'write s':>9s} {'read s':>9s} {'slope run s':>12s}")
    for layout, size, tw, tr, tu in rows:
        print(f"{layout:8s} {size:12d} {tw:9.4f} {tr:9.4f} {tu:12.3f}")
    (_, s0, w0, r0, _), (_, s1, w1, r1, _) = rows
    print(f"compact/krc: size {s0 / s1:.2e}, write time {w0 / w1:.2e}, read time {r0 / r1:.2e}")


if __name__ == "__main__":
    main()
