"""Array coercion and validation helpers shared by the facades."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from .errors import InputError

__all__ = ["as_fortran_array", "require_finite", "require_range"]


def as_fortran_array(value: ArrayLike, dtype: DTypeLike, *, name: str,
                     ndim: int | None = None, shape: tuple[int | None, ...] | None = None,
                     ) -> np.ndarray:
    """Coerce ``value`` to a Fortran-ordered array of ``dtype``.

    Raises :class:`InputError` naming ``name`` if it cannot be converted
    without loss (e.g. strings, complex into real, floats into integers) or if
    its rank/shape is wrong.  ``shape`` entries of ``None`` match any size.
    """
    target = np.dtype(dtype)
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: cannot convert to an array of {target}: {exc}") from exc
    if arr.dtype.kind not in "biuf":
        raise InputError(
            f"{name}: expected numbers convertible to {target}, got an array of {arr.dtype}")
    if target.kind in "iu" and arr.dtype.kind == "f" and not (
            np.all(np.isfinite(arr)) and np.all(arr == np.round(arr))):
        raise InputError(f"{name}: expected whole numbers for {target}, got {arr.dtype} values")
    if ndim is not None and arr.ndim != ndim:
        raise InputError(f"{name}: expected a {ndim}-D array, got {arr.ndim}-D with shape {arr.shape}")
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != n for s, n in zip(shape, arr.shape)):
            want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise InputError(f"{name}: expected shape {want}, got {arr.shape}")
    return np.asfortranarray(arr, dtype=target)


def require_finite(arr: np.ndarray, *, name: str) -> None:
    """Raise :class:`InputError` if ``arr`` holds NaN or infinity."""
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        where = tuple(int(i) for i in bad)
        raise InputError(f"{name}: must be finite, found {arr[tuple(bad)]} at index {where}")


def require_range(value: Any, *, name: str, lo: float | None = None, hi: float | None = None,
                  lo_open: bool = False, hi_open: bool = False, unit: str = "") -> None:
    """Raise :class:`InputError` if any element of ``value`` is outside [lo, hi]."""
    arr = np.asarray(value, dtype=float)
    bad = np.zeros(arr.shape, dtype=bool)
    if lo is not None:
        bad |= (arr <= lo) if lo_open else (arr < lo)
    if hi is not None:
        bad |= (arr >= hi) if hi_open else (arr > hi)
    if np.any(bad):
        first = arr[bad].flat[0]
        lo_s = "-inf" if lo is None else f"{lo:g}"
        hi_s = "inf" if hi is None else f"{hi:g}"
        interval = ("(" if lo_open or lo is None else "[") + f"{lo_s}, {hi_s}" + \
                   (")" if hi_open or hi is None else "]")
        unit_s = f" {unit}" if unit else ""
        raise InputError(f"{name} = {first:g}{unit_s} is outside the allowed range {interval}")
