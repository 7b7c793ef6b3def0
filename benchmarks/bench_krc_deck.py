"""The two front doors of the thermal model on master.inp-sized decks.

Times `printf 'master\\n/\\n' | krc` for the drop-in console script (Python
facade) and for our legacy Fortran program, on
  * the real master.inp, unchanged (atmosphere, the Viking pressure curve
    KPREF 1, 120 seasons of 19 latitudes),
  * master.inp made airless (PTOTAL 0.5 Pa, KPREF 0), and
  * master.inp with its atmosphere but KPREF 0 (constant pressure),
and reports ratios to each other and to the figures quoted for the original
KRC 3.6.5 binary on the real master.inp on this kind of machine (about 4.0 s
at the distribution's -O0 build and 1.4 s at -O2).  Then a multi-case deck
(four airless master.inp-sized cases of different inertia) through the
console script with ``-j 1`` and ``-j 2``: the speed-up as a ratio measured in
the same run, and whether the files are the same bytes (they must be).  Best
of N runs each, alternating; nothing is asserted (shared, noisy machines).

    python -P benchmarks/bench_krc_deck.py [--repeats 3] [--master PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from legacy_wrap import executable_path
from legacy_wrap.krc import read_deck, write_deck

ORIGINAL_O0, ORIGINAL_O2 = 4.0, 1.4
DEFAULT_MASTER = Path(__file__).resolve().parents[2] / "shared" / "krc-reference" / "decks" / "master" / "master.inp"


def variant(master: Path, folder: Path, **changes) -> None:
    """master.inp's first case with some values changed, written as master.inp."""
    params = read_deck(master).cases[0].params.replace(**changes)
    folder.mkdir(parents=True)
    (folder / "out").mkdir()
    write_deck(params, folder / "master.inp", cases=[["8 5 0 './out/master.t52' /"]])


def timed(cmd: list[str], folder: Path, env: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, input="master\n/\n", text=True, cwd=folder, capture_output=True,
                          env=env)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {proc.stderr}")
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--master", type=Path, default=Path(os.environ.get("KRC_MASTER", DEFAULT_MASTER)))
    args = ap.parse_args()
    if not args.master.is_file():
        raise SystemExit(f"master.inp not found at {args.master} (use --master)")
    console = Path(sys.executable).parent / "krc"       # the venv's console script
    doors = {"console script": [str(console) if console.exists() else shutil.which("krc") or "krc"],
             "legacy program": [str(executable_path("krc"))]}
    with tempfile.TemporaryDirectory() as tmp:
        decks = {"unchanged (KPREF 1)": None,
                 "airless (PTOTAL 0.5)": dict(ptotal=0.5, kpref=0),
                 "atmosphere, KPREF 0": dict(kpref=0)}
        for label, changes in decks.items():
            folder = Path(tmp) / label.split()[0]
            if changes is None:
                folder.mkdir(parents=True)
                (folder / "out").mkdir()
                shutil.copy(args.master, folder / "master.inp")
            else:
                variant(args.master, folder, **changes)
            best = {door: float("inf") for door in doors}
            for _ in range(args.repeats):
                for door, cmd in doors.items():
                    best[door] = min(best[door], timed(cmd, folder))
            print(f"master.inp, {label}:")
            for door, t in best.items():
                print(f"  {door:15s} {t:6.2f} s   x{ORIGINAL_O0 / t:4.2f} vs original -O0 "
                      f"({ORIGINAL_O0} s), x{ORIGINAL_O2 / t:4.2f} vs original -O2 ({ORIGINAL_O2} s)")
            c, f = best["console script"], best["legacy program"]
            print(f"  console / legacy program: {c / f:.2f}")
        jobs(args, Path(tmp) / "jobs", doors["console script"][0])


def jobs(args: argparse.Namespace, folder: Path, console: str) -> None:
    """Four independent cases: -j 1 versus -j 2 (threads; the core releases the GIL)."""
    params = read_deck(args.master).cases[0].params.replace(ptotal=0.5, kpref=0)
    folder.mkdir(parents=True)
    (folder / "out").mkdir()
    write_deck(params, folder / "master.inp",
               cases=[["8 5 0 './out/master.t52' /"]] +
                     [[f"1 3 {ti} 'INERTIA' /"] for ti in (100.0, 400.0, 800.0)])
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    best = {1: float("inf"), 2: float("inf")}
    files = {}
    for _ in range(args.repeats):
        for n in (1, 2):
            best[n] = min(best[n], timed([console, "master", "-j", str(n), "--quiet"], folder,
                                         env=env))
            files[n] = (folder / "out" / "master.t52").read_bytes()
    print("master.inp airless, 4 cases, console script:")
    print(f"  -j 1 {best[1]:6.2f} s   -j 2 {best[2]:6.2f} s   speed-up x{best[1] / best[2]:.2f}   "
          f"same type-52 bytes: {files[1] == files[2]}")


if __name__ == "__main__":
    main()
