"""Demo: the bundled Mars deck through both front doors of the thermal model.

1. the drop-in console script `krc` (Python facade over the Fortran core),
2. the legacy Fortran program `krc` built from the same sources,
then a summary of the result and the proof that both wrote the same file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from legacy_wrap import bin5, executable_path

here = Path(__file__).resolve().parent
work = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
console = shutil.which("krc")
runs = {"console script (Python)": [console], "legacy program (Fortran)": [str(executable_path("krc"))]}
cubes = {}
for label, cmd in runs.items():
    folder = work / label.split()[0]
    (folder / "out").mkdir(parents=True)
    shutil.copy(here / "mars.inp", folder)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, input="mars\n/\n", text=True, cwd=folder, capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"{label} failed ({proc.returncode}): {proc.stderr}")
    cubes[label], header = bin5.read(folder / "out" / "mars.t52")
    print(f"$ printf 'mars\\n/\\n' | krc    # {label}: {time.perf_counter() - t0:.1f} s, "
          f"wrote out/mars.t52 {header.shape} and mars.prt")

cube = next(iter(cubes.values()))
ndx = int(cube[2, 0, 0, 0, 0])
words = np.ravel(cube[:, :, :, :ndx, 0], order="F")
nsout = int(words[3])
lats = words[4 + 96:4 + 96 + cube.shape[2]]
ls = words[218 + nsout:218 + 2 * nsout]
last = cube[:, :, :, -1, 0]
print(f"\nMars, {cube.shape[2]} latitudes, last output season Ls = {ls[-1]:.1f} deg "
      f"(surface temperature over the sol, K):")
print("  latitude    min    mean     max   noon   days")
for j, lat in enumerate(lats):
    ts = last[:, 0, j]
    noon = ts[cube.shape[0] // 2 - 1]
    print(f"  {lat:8.1f} {ts.min():6.1f} {ts.mean():7.1f} {ts.max():7.1f} {noon:6.1f} "
          f"{int(last[0, 5, j]):6d}")
a, b = cubes.values()
same = np.array_equal(a[:, :, :, ndx:], b[:, :, :, ndx:])
print(f"\nPython and Fortran front doors wrote identical results: {same}")
if not same:
    sys.exit(1)
