"""Temperatures at a point: KRC's one-point requests as a vectorised call.

``point(params, ls=..., latitude=..., hour=...)`` answers "the surface
temperature at this Ls, latitude and local time for this albedo, inertia,
opacity and slope" the way KRC's one-point mode does (spec
``krc-onepoint.md`` sections 3, 4 and 6): each request is a fresh
one-latitude case whose N5 seasons end on the date of the requested Ls, and
the surface and planetary temperatures are interpolated to the requested
hour from the last sol.  The date inverse, the case and the interpolation are
the Fortran core's (``krc_onepoint.f90``); this module broadcasts the inputs,
validates them and runs the requests on threads (the core releases the GIL).

The deck parameters not given (N5, DELJUL, N2, the atmosphere...) come from
``params``; its latitudes are replaced by the request's single latitude.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError, NativeError
from .model import _arrays, _core, _prepare, _raise_status
from .params import Params

__all__ = ["PointResult", "point"]

#: Keyword -> (Params attribute, other accepted names: KRC's and the one-point
#: file's column names).
_INPUTS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "ls": (None, ("subs", "lsubs")),
    "latitude": (None, ("lat", "alat")),
    "hour": (None, ("houro", "local_time")),
    "elevation": (None, ("elev",)),
    "albedo": ("alb", ("alb",)),
    "inertia": ("inertia", ("skrc",)),
    "tau": ("taud", ("taud", "opacity")),
    "slope": ("slope", ()),
    "azimuth": ("sloazi", ("sloazi",)),
}
_ALIASES = {alias: name for name, (_, aliases) in _INPUTS.items() for alias in aliases}


@dataclass(frozen=True)
class PointResult:
    """Temperatures of point requests, each array in the broadcast shape of the inputs."""

    surface_temperature: np.ndarray     #: kinetic surface temperature at the hour, K
    planetary_temperature: np.ndarray   #: planetary bolometric temperature at the hour, K
    date: np.ndarray                    #: DJUL of each request's case (season 1), days from J2000.0
    ls: np.ndarray                      #: Ls of the last season (the one the hour refers to), deg


def _canonical(given: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in given.items():
        name = key if key in _INPUTS else _ALIASES.get(key.lower())
        if name is None:
            known = ", ".join(sorted(_INPUTS))
            raise InputError(f"point(): unknown request input {key!r}; known: {known} "
                             f"(KRC names {', '.join(sorted(_ALIASES))} are accepted too)")
        if name in out:
            raise InputError(f"point(): {name!r} given twice (as {key!r})")
        out[name] = value
    for name in ("ls", "latitude", "hour"):
        if name not in out:
            raise InputError(f"point(): {name!r} is required")
    return out


def _check(name: str, values: np.ndarray, low: float, high: float, what: str) -> None:
    bad = ~np.isfinite(values) | (values < low) | (values > high)
    if bad.any():
        first = float(values[bad].flat[0])
        raise InputError(f"point(): {name} must be {what}; got {first!r} "
                         f"({int(bad.sum())} of {values.size} requests)")


def point(params: Params, *, threads: int | None = None, **requests: Any) -> PointResult:
    """Surface and planetary temperatures at (Ls, latitude, local time) points.

    ``ls`` (deg), ``latitude`` (deg), ``hour`` (local time, 0-24 h) are
    required; ``elevation`` (km), ``albedo``, ``inertia`` (J m-2 s-1/2 K-1),
    ``tau`` (visible dust opacity), ``slope`` (deg) and ``azimuth`` (deg east
    of north, down-slope) default to ``params``.  Each may be a scalar or an
    array; they broadcast together.  KRC's names are accepted as well
    (``alb``, ``skrc``, ``taud``, ``sloazi``, ``elev``, ``lat``).

    Each request is a fresh case, as in KRC's one-point mode, so the numbers
    equal the ones the one-point mode prints.  Requests run on ``threads``
    threads (default: the CPUs, capped at the number of requests).
    ``params`` needs a PORB block (the date comes from the orbit) and LKEY
    false.  Raises :class:`InputError` for bad inputs (before any request
    runs) and the model's errors for a failing request.
    """
    if not isinstance(params, Params):
        raise InputError(f"point() takes a Params object, got {type(params).__name__}")
    given = _canonical(requests)
    base = params.copy()
    if not base.lporb or base.porb is None:
        raise InputError("point(): the date of a request comes from its Ls through the orbit; "
                         "params needs a PORB block (lporb=True), e.g. Params.mars()")
    if base.lkey:
        raise InputError("point(): LKEY must be false; the request's Ls sets the date "
                         "(use lkey=False)")
    defaults = {"elevation": 0.0}
    for name, (attr, _) in _INPUTS.items():
        if attr is not None:
            defaults[name] = float(getattr(base, attr))
    try:
        arrays = np.broadcast_arrays(*(np.asarray(given.get(n, defaults.get(n)), dtype=np.float64)
                                       for n in _INPUTS))
    except ValueError as exc:
        raise InputError(f"point(): the request inputs do not broadcast together: {exc}") from None
    except TypeError as exc:
        raise InputError(f"point(): request inputs must be numbers or arrays: {exc}") from None
    v = dict(zip(_INPUTS, (np.array(a, dtype=np.float64) for a in arrays)))
    shape = arrays[0].shape
    _check("ls", v["ls"], -np.inf, np.inf, "a finite number of degrees")
    _check("latitude", v["latitude"], -90.0, 90.0, "in [-90, 90] degrees")
    _check("hour", v["hour"], 0.0, 24.0, "a local time in [0, 24] h")
    _check("elevation", v["elevation"], -np.inf, np.inf, "finite (km)")
    _check("albedo", v["albedo"], 0.0, 1.0, "in [0, 1]")
    _check("inertia", v["inertia"], np.nextafter(0.0, 1.0), np.inf, "> 0")
    _check("tau", v["tau"], 0.0, np.inf, ">= 0")
    _check("slope", v["slope"], 0.0, 90.0, "in [0, 90] degrees")
    _check("azimuth", v["azimuth"], -np.inf, np.inf, "finite (degrees)")

    p = _prepare(base.replace(latitudes=[0.0], elevations=[0.0]), outputs=False)
    a = _arrays(p)
    n24, n2 = int(p.id[5]), int(p.id[1])
    flat = {k: x.reshape(-1) for k, x in v.items()}
    count = int(np.prod(shape)) if shape else 1
    out = np.zeros((4, count))

    def one(i: int) -> None:
        fd = a["fd"].copy()
        fd[0], fd[2], fd[16] = flat["albedo"][i], flat["inertia"][i], flat["tau"][i]
        fd[22], fd[23] = flat["slope"][i], flat["azimuth"][i]
        djul, subs, ts, tp, status, message = _core().krc_point(
            fd, a["id"], a["ld"], flat["latitude"][i:i + 1], flat["elevation"][i:i + 1],
            a["porb"], a["nzone"], a["zone"], n24, n2, flat["ls"][i], flat["hour"][i])
        if status != 0:
            where = ", ".join(f"{k}={flat[k][i]:g}" for k in _INPUTS)
            try:
                _raise_status(status, message)
            except NativeError as exc:
                raise type(exc)(f"point request {i} ({where}): {exc}", status=exc.status) from None
            except InputError as exc:
                raise type(exc)(f"point request {i} ({where}): {exc}") from None
        out[:, i] = (ts, tp, djul, subs)

    workers = threads if threads is not None else min(count, os.cpu_count() or 1)
    if workers < 1:
        raise InputError(f"point(): threads must be >= 1, got {threads}")
    if workers == 1 or count == 1:
        for i in range(count):
            one(i)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for f in [pool.submit(one, i) for i in range(count)]:
                f.result()
    ts, tp, djul, subs = (x.reshape(shape) for x in out)
    return PointResult(ts, tp, djul, subs)
