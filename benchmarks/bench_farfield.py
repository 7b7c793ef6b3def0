"""Far-field files: our compact layout against the original's ("krc") layout.

Writes the far-field file of the reference flat deck f1flat (kind -3, 3
latitudes, 5 stored seasons, float64) in both layouts and reads each back
(read_far_field), then runs the sloped reader f1slope from it; then the deck
pair f1flat + f1slope through the legacy ``krc`` program with
LW_FAR_FIELD_LAYOUT=compact (default) and =krc (writer and reader in the
deck driver).  Reports file sizes and best-of-N times, measured in one run
(the machines are shared and noisy).  Not a test.

    python -P benchmarks/bench_farfield.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from legacy_wrap import executable_path
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
    deck_rows = [deck_pair(layout, args.repeats) for layout in ("compact", "krc")]
    print(f"{'deck':8s} {'bytes':>12s} {'f1flat s':>9s} {'f1slope s':>9s}   (legacy krc program)")
    for layout, size, tw, tr in deck_rows:
        print(f"{layout:8s} {size:12d} {tw:9.4f} {tr:9.4f}")


def deck_pair(layout: str, repeats: int) -> tuple[str, int, float, float]:
    """The f1flat writer and f1slope reader decks through the legacy program."""
    exe = str(executable_path("krc"))
    env = {**os.environ, "LW_FAR_FIELD_LAYOUT": layout}
    best_w = best_r = float("inf")
    size = 0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            for n in ("f1flat", "f1slope"):
                shutil.copy(F1 / f"{n}.inp", tmp)
            os.mkdir(Path(tmp) / "out")
            times = []
            for n in ("f1flat", "f1slope"):
                t0 = time.perf_counter()
                subprocess.run([exe], input=f"{n}\n/\n", cwd=tmp, env=env, check=True,
                               capture_output=True, text=True)
                times.append(time.perf_counter() - t0)
            size = (Path(tmp) / "out" / "f1flat.tm3").stat().st_size
            best_w, best_r = min(best_w, times[0]), min(best_r, times[1])
    return layout, size, best_w, best_r


if __name__ == "__main__":
    main()
