"""Demo: a bin5 cube written by Python, read back by the C tool, and vice versa."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from legacy_wrap import bin5, executable_path

work = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
hours = np.arange(1, 25) * 1.0
lat = np.array([-30.0, 0.0, 45.0])
# A toy diurnal curve per latitude: data only, to show the container.
cube = 200 + 60 * np.sin(np.pi * (hours[:, None] - 6) / 12).clip(0) * np.cos(np.radians(lat))
path = work / "demo.bin5"
bin5.write(path, cube, text="demo cube: hour x latitude")
print(f"wrote {path} with the Python facade")
tool = executable_path("bin5tool")
print(f"\n$ bin5tool info {path.name}")
print(subprocess.run([str(tool), "info", str(path)], capture_output=True, text=True, check=True).stdout)
big = work / "demo_big_endian.bin5"
subprocess.run([str(tool), "convert", "--big-endian", str(path), str(big)], check=True)
data, header = bin5.read(big)
print(f"bin5tool converted it to big-endian; the facade reads {header.shape} {header.dtype} "
      f"({header.byteorder}-endian in the file), identical: {np.array_equal(data, cube)}")
print("\nnoon temperature by latitude:", dict(zip(lat.tolist(), data[11].round(2).tolist())))
