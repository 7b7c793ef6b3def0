"""The climate opacity file of KRC's change ``8 24`` (KVTAU = 2).

A bin5 file of dust and water-ice zenith IR opacities on a 5 x 5 degree grid
of Ls (72 columns, 0..355) and latitude (36 rows, -87.5..87.5), such as
KRC's ``THEMIS1yearDustIce.bin5``.  The file is read with the bin5 C library;
the float32 interpolation with the original's clamps (no wrap past Ls 350 or
above latitude 82.5) and the use of the opacities live in the Fortran core.
Facts: ``../shared/spec/krc-farfield-climate.md`` Part B.

>>> from legacy_wrap.krc import climate
>>> d = climate.read_climate("THEMIS1yearDustIce.bin5")    # (72, 36, 2) float32
>>> climate.opacities(d, ls=270.0, latitude=0.0)           # (dust, ice)
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from .. import bin5
from ..errors import Bin5Error, FileAccessError, InputError

__all__ = ["CLIMATE_SHAPE", "read_climate", "climate_array", "opacities"]

#: (Ls columns, latitude rows, kinds: dust, ice) of the climate array (B1).
CLIMATE_SHAPE = (72, 36, 2)
#: Bytes of data KRC reads at most (72 x 36 x 2 float32).
_MAX_BYTES = 72 * 36 * 2 * 4


def read_climate(path: str | os.PathLike[str]) -> np.ndarray:
    """Read a climate file as KRC does (B1): whatever dimensions and type the
    header declares, its data bytes (at most 20 736) are taken as float32
    D(72, 36, 2) in Fortran order, the rest zero.  Returns a Fortran-ordered
    float32 array of shape (72, 36, 2)."""
    if not os.path.isfile(path):
        raise FileAccessError(f"climate file {os.fspath(path)!r} (change 8 24) does not exist")
    try:
        data, _ = bin5.read(path)
    except Bin5Error as exc:
        raise InputError(f"climate file {os.fspath(path)!r} (change 8 24) is not a valid bin5 "
                         f"file (KRC: 'CLIMTAU had failure', error 434): {exc}") from None
    raw = np.asfortranarray(data).tobytes(order="F")
    if len(raw) > _MAX_BYTES:
        raise InputError(f"climate file {os.fspath(path)!r} (change 8 24) holds {len(raw)} bytes "
                         f"of data, more than the {_MAX_BYTES} of a 72 x 36 x 2 float32 array "
                         "(KRC: 'CLIMTAU had failure', error 434)")
    buf = raw + bytes(_MAX_BYTES - len(raw))
    flat = np.frombuffer(buf, dtype=np.float32)
    return np.asfortranarray(flat.reshape(CLIMATE_SHAPE, order="F"))


def climate_array(climate: Any) -> np.ndarray:
    """A path or a (72, 36, 2) array (dust, ice per Ls column and latitude row)
    as the float32 Fortran array the core takes."""
    if isinstance(climate, (str, os.PathLike)):
        return read_climate(climate)
    arr = np.asarray(climate)
    if arr.shape != CLIMATE_SHAPE:
        raise InputError(f"climate must be a file name or an array of shape {CLIMATE_SHAPE} "
                         f"(Ls columns x latitude rows x (dust, ice)); got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.number):
        raise InputError(f"climate array must be numeric, got dtype {arr.dtype}")
    out = np.asfortranarray(arr, dtype=np.float32)
    if not np.all(np.isfinite(out)):
        raise InputError("climate array holds a non-finite number (or one beyond float32)")
    return out


def opacities(climate: Any, ls: float, latitude: float) -> tuple[float, float]:
    """Dust and ice IR opacity at Ls and latitude (degrees), by the original's
    float32 interpolation (B2; computed in the Fortran core)."""
    from .. import _krccore
    dust, ice = _krccore.krc_climate_value(climate_array(climate), float(ls), float(latitude))
    return float(dust), float(ice)
