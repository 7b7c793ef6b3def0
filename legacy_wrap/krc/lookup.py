"""Thermal inertia from surface temperature, by lookup in a sweep table.

A table made by :func:`legacy_wrap.krc.sweep.sweep` with an ``inertia`` axis
(and any other swept axes, e.g. ``alb`` or ``taud``) holds the model's
surface temperature T(inertia, other axes..., hour, latitude, season).
:func:`inertia_from_temperature` inverts it point by point::

    from legacy_wrap.krc.lookup import inertia_from_temperature

    table = sweep(base, axes={"inertia": np.geomspace(30, 2000, 16), "alb": [0.1, 0.2, 0.3]})
    ti = inertia_from_temperature(table, tsurf, latitude=lat, hour=lt, ls=ls, alb=albedo)

Method (numpy only, vectorised, in blocks of ``block_size`` points):

1. Multilinear interpolation over every coordinate except inertia: ``hour``
   (periodic over 24 h: hour 0 is hour 24), ``latitude``, the season
   (``season``: the KRC season index J5, fractional values interpolate;
   ``ls``: the season longitude in degrees, mapped to a fractional season
   through the table's per-season Ls, which must be the same in every run)
   and the other swept axes, given as keyword arguments by any KRC name.
   This gives the curve T(inertia_k) at each point, k over the inertia grid.
2. Inversion of that curve: find the grid intervals [I_k, I_k+1] whose end
   temperatures bracket the observed temperature and interpolate linearly in
   ln(inertia) (surface temperature is close to linear in ln I between
   neighbouring grid values).  The curve needs to be monotonic only within
   the bracket.

NaN is returned where there is no answer:

* a coordinate outside the table (latitude, season/Ls, another axis outside
  its swept range; hour never is: it wraps);
* a temperature outside the range the curve spans at that point (colder or
  warmer than every inertia in the table gives);
* an ambiguous temperature: reached in more than one inertia interval at
  different inertias (near the morning and evening crossover, where
  temperature hardly depends on inertia);
* a table value involved in the point's interpolation that is missing (a
  failed or not yet computed run), or a NaN input.

``reasons=True`` also returns why, per point, as a :class:`LookupReason`
code (``uint8`` array, 0 where an inertia was found), as davinci's
inversion does:

==  ======================  ==================================================
0   ``OK``                  an inertia was found
1   ``OUTSIDE_TEMPERATURE`` colder or warmer than every inertia of the table
                            gives at that point
2   ``OUTSIDE_COORDINATE``  latitude, season/Ls or another axis outside the table
3   ``NOT_UNIQUE``          the temperature is reached at different inertias
4   ``NONFINITE_INPUT``     NaN or infinite temperature or coordinate
5   ``MISSING_TABLE``       a table value the point needs is missing (failed run)
==  ======================  ==================================================

When several apply, the first in the order 4, 2, 5, 1, 3 is given.
"""

from __future__ import annotations

import enum
import itertools
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError
from .params import lookup as _param_lookup

if TYPE_CHECKING:  # pragma: no cover
    import xarray

__all__ = ["inertia_from_temperature", "LookupReason"]


class LookupReason(enum.IntEnum):
    """Why :func:`inertia_from_temperature` gave no inertia at a point (0 = it did)."""

    OK = 0
    OUTSIDE_TEMPERATURE = 1
    OUTSIDE_COORDINATE = 2
    NOT_UNIQUE = 3
    NONFINITE_INPUT = 4
    MISSING_TABLE = 5

    @property
    def text(self) -> str:
        """A short explanation of the code."""
        return _REASON_TEXT[self]


_REASON_TEXT = {
    LookupReason.OK: "an inertia was found",
    LookupReason.OUTSIDE_TEMPERATURE: "the temperature is outside the range the table gives "
                                      "at that point (colder or warmer than every inertia)",
    LookupReason.OUTSIDE_COORDINATE: "latitude, season/Ls or another axis is outside the table",
    LookupReason.NOT_UNIQUE: "the temperature is reached at more than one inertia",
    LookupReason.NONFINITE_INPUT: "a NaN or infinite temperature or coordinate",
    LookupReason.MISSING_TABLE: "a table value the point needs is missing (failed run)",
}

_SPACE_DIMS = ("hour", "latitude", "season")


class _Axis:
    """One interpolation coordinate: sorted values, the permutation back, periodicity."""

    def __init__(self, name: str, values: np.ndarray, period: float | None = None) -> None:
        values = np.asarray(values, dtype=np.float64)
        if not np.all(np.isfinite(values)):
            raise InputError(f"the table's {name} coordinate has non-finite values")
        order = np.argsort(values, kind="stable")
        c = values[order]
        if c.size > 1 and np.any(np.diff(c) <= 0):
            raise InputError(f"the table's {name} coordinate has repeated values")
        index = order
        if period is not None:
            if c.size == 0 or c[-1] - c[0] >= period:
                raise InputError(f"the table's {name} coordinate spans more than {period:g}")
            # wrap: one point before the first and one after the last
            c = np.concatenate([[c[-1] - period], c, [c[0] + period]])
            index = np.concatenate([[order[-1]], order, [order[0]]])
        self.name, self.coord, self.index, self.period = name, c, index, period

    def bracket(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(lower index, upper index, weight of upper, inside) for the query values ``q``."""
        c = self.coord
        if self.period is not None:
            q = c[0] + np.mod(q - c[0], self.period)
        if c.size == 1:
            inside = q == c[0]
            zero = np.zeros(q.shape, dtype=np.intp)
            return self.index[zero], self.index[zero], np.zeros(q.shape), inside
        inside = (q >= c[0]) & (q <= c[-1])
        i = np.clip(np.searchsorted(c, q, side="right") - 1, 0, c.size - 2)
        w = (q - c[i]) / (c[i + 1] - c[i])
        w = np.where(inside, w, 0.0)
        return self.index[i], self.index[i + 1], w, inside


def _season_positions_from_ls(table: xarray.Dataset, ls: np.ndarray) -> np.ndarray:
    """Fractional season position (0 = first table season) of each Ls; NaN outside."""
    if "ls" not in table:
        raise InputError("the table has no 'ls' variable: give season= instead of ls=")
    arr = np.asarray(table["ls"].transpose(..., "season").values, dtype=np.float64)
    rows = arr.reshape(-1, arr.shape[-1])
    rows = rows[np.all(np.isfinite(rows), axis=1)]
    if rows.size == 0:
        raise InputError("the table has no computed run: its Ls values are all missing")
    ref = rows[0]
    if not np.all(rows == ref):
        raise InputError("the season's Ls differs between the table's runs (a swept parameter "
                         "moves the dates): give season= (the KRC season index) instead of ls=")
    unwrapped = np.rad2deg(np.unwrap(np.deg2rad(ref)))
    if ref.size > 1 and np.any(np.diff(unwrapped) <= 0):
        raise InputError("the table's Ls values do not increase with season")
    q = unwrapped[0] + np.mod(np.asarray(ls, dtype=np.float64) - unwrapped[0], 360.0)
    if ref.size == 1:
        return np.where(q == unwrapped[0], 0.0, np.nan)
    pos = np.interp(q, unwrapped, np.arange(ref.size, dtype=np.float64))
    return np.where(q <= unwrapped[-1], pos, np.nan)


def inertia_from_temperature(table: xarray.Dataset, tsurf: Any, *, latitude: Any, hour: Any,
                             season: Any = None, ls: Any = None, block_size: int = 1 << 16,
                             reasons: bool = False,
                             **other_axes: Any) -> Any:
    """Thermal inertia (J m-2 s-1/2 K-1) whose modelled surface temperature is ``tsurf``.

    Parameters
    ----------
    table
        A sweep table (:func:`~legacy_wrap.krc.sweep.sweep`) with an ``inertia``
        axis of at least two values and ``surface_temperature`` (K).
    tsurf
        Observed surface temperature, K.
    latitude, hour
        Latitude (deg) and local time (h, any value: taken modulo 24).
    season, ls
        Exactly one: the KRC season index J5 (the table's ``season``
        coordinate, fractional values interpolate) or the season longitude
        Ls in degrees.
    other_axes
        A value for every other swept axis with more than one value, by
        any KRC name (``alb=0.2`` or ``ALBEDO=0.2``); one-value axes may be
        left out.
    block_size
        Points processed at once (memory: about ``block_size x inertia values
        x 16`` bytes).
    reasons
        Also return a ``uint8`` array of :class:`LookupReason` codes (same
        shape): ``(inertia, reason)``.

    All inputs broadcast together; the result has the broadcast shape (a
    0-d array for scalars).  NaN where there is no unique answer inside the
    table: see the module documentation.
    """
    if (season is None) == (ls is None):
        raise InputError("give exactly one of season= (KRC season index) or ls= (degrees)")
    if not isinstance(block_size, int) or isinstance(block_size, bool) or block_size < 1:
        raise InputError(f"block_size must be a positive integer, got {block_size!r}")
    if "surface_temperature" not in getattr(table, "data_vars", {}):
        raise InputError("the table has no 'surface_temperature' variable: make it with "
                         "sweep(..., items=['surface_temperature', ...])")
    ts = table["surface_temperature"]
    sweep_dims = [d for d in ts.dims if d not in _SPACE_DIMS]
    missing_space = [d for d in _SPACE_DIMS if d not in ts.dims]
    if missing_space:
        raise InputError(f"surface_temperature lacks the dimension(s) {missing_space}")
    if "case" in sweep_dims:
        raise InputError("the table is a list of cases: inertia_from_temperature needs a grid "
                         "(sweep(..., axes={'inertia': [...], ...}))")
    if "inertia" not in sweep_dims:
        raise InputError(f"the table has no 'inertia' axis (its sweep axes: {sweep_dims})")

    # the other axes by their canonical names
    given: dict[str, Any] = {}
    for key, val in other_axes.items():
        name = key
        if key not in sweep_dims:
            try:
                name = _param_lookup(key).attr
            except KeyError:
                name = key
        if name == "inertia":
            raise InputError("inertia is what is looked up; do not give it")
        if name not in sweep_dims:
            raise InputError(f"{key!r} is not an axis of the table (its axes: "
                             f"{', '.join(d for d in sweep_dims if d != 'inertia') or 'none'})")
        if name in given:
            raise InputError(f"{key!r} names the axis {name!r} twice")
        given[name] = val
    interp_names: list[str] = []
    fixed: dict[str, int] = {}
    for d in sweep_dims:
        if d == "inertia":
            continue
        if d in given:
            interp_names.append(d)
        elif ts.sizes[d] == 1:
            fixed[d] = 0
        else:
            raise InputError(f"give a value for the table's axis {d!r} "
                             f"(it has {ts.sizes[d]} values), e.g. {d}=...")

    # T as (other axes..., hour, latitude, season, inertia), inertia ascending
    arr = ts.isel(fixed).transpose(*interp_names, "hour", "latitude", "season", "inertia")
    inertia = np.asarray(table["inertia"].values, dtype=np.float64)
    if inertia.size < 2:
        raise InputError("the table's inertia axis needs at least two values")
    if not np.all(inertia > 0):
        raise InputError("the table's inertia values must be > 0")
    order = np.argsort(inertia)
    values = np.asarray(arr.values, dtype=np.float64)[..., order]
    x = np.log(inertia[order])
    nk = x.size
    grid = np.ascontiguousarray(values.reshape(-1, nk))
    shape = values.shape[:-1]
    strides = np.array([int(np.prod(shape[i + 1:], dtype=np.int64)) for i in range(len(shape))],
                       dtype=np.intp)

    axes = [_Axis(d, table[d].values) for d in interp_names]
    axes.append(_Axis("hour", table["hour"].values, period=24.0))
    axes.append(_Axis("latitude", table["latitude"].values))
    if season is not None:
        axes.append(_Axis("season", table["season"].values))
        season_q = season
    else:
        axes.append(_Axis("season", np.arange(table.sizes["season"], dtype=np.float64)))
        try:
            ls_q = np.asarray(ls, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise InputError(f"ls must be numbers (degrees): {exc}") from None
        season_q = _season_positions_from_ls(table, ls_q)

    inputs = [tsurf] + [given[d] for d in interp_names] + [hour, latitude, season_q,
                                                            season if ls is None else ls]
    try:
        arrays = [np.asarray(a, dtype=np.float64) for a in inputs]
        b = np.broadcast_arrays(*arrays)
    except (TypeError, ValueError) as exc:
        raise InputError(f"tsurf, latitude, hour, season/ls and the axis values must be numbers "
                         f"that broadcast together: {exc}") from None
    out_shape = b[0].shape
    # non-finite inputs as given (season_q is NaN also for an Ls outside the table)
    finite = np.ravel(np.all([np.isfinite(a) for i, a in enumerate(b) if i != len(b) - 2],
                             axis=0))
    flat = [np.ravel(a) for a in b[:-1]]
    n = flat[0].size
    result = np.empty(n, dtype=np.float64)
    why = np.empty(n, dtype=np.uint8)
    has_nan = not bool(np.all(np.isfinite(grid)))
    for start in range(0, n, block_size):
        sl = slice(start, min(n, start + block_size))
        result[sl], why[sl] = _invert_block(grid, strides, x, axes, flat[0][sl],
                                            [f[sl] for f in flat[1:]], has_nan, finite[sl])
    if reasons:
        return result.reshape(out_shape), why.reshape(out_shape)
    return result.reshape(out_shape)


def _invert_block(grid: np.ndarray, strides: np.ndarray, x: np.ndarray, axes: list[_Axis],
                  t: np.ndarray, queries: list[np.ndarray], grid_has_nan: bool,
                  finite: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Interpolate the T(inertia) curves at the block's points and invert them.

    Returns the inertias and the :class:`LookupReason` codes.
    """
    m = t.size
    lo, hi, wt = [], [], []
    ok = np.isfinite(t)
    coord_ok = np.ones(m, dtype=bool)
    for axis, q in zip(axes, queries):
        i0, i1, w, inside = axis.bracket(q)
        lo.append(i0)
        hi.append(i1)
        wt.append(w)
        coord_ok &= inside & np.isfinite(q)
    ok &= coord_ok
    curve = np.zeros((m, x.size))
    has_nan = grid_has_nan
    for corner in itertools.product((0, 1), repeat=len(axes)):
        weight = np.ones(m)
        index = np.zeros(m, dtype=np.intp)
        for d, c in enumerate(corner):
            weight = weight * (wt[d] if c else 1.0 - wt[d])
            index += (hi[d] if c else lo[d]) * strides[d]
        if has_nan:               # a missing value counts only where its weight is not 0
            use = weight != 0.0
            if use.any():
                curve[use] += weight[use, None] * np.take(grid, index[use], axis=0)
        else:
            curve += weight[:, None] * np.take(grid, index, axis=0)
    table_ok = np.all(np.isfinite(curve), axis=1)
    ok &= table_ok
    d = curve - t[:, None]
    d0, d1 = d[:, :-1], d[:, 1:]
    inside = ((d0 <= 0) & (d1 >= 0)) | ((d0 >= 0) & (d1 <= 0))
    denom = d0 - d1
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(denom != 0, d0 / np.where(denom != 0, denom, 1.0), 0.0)
    xs = x[:-1] + frac * (x[1:] - x[:-1])
    lo_x = np.where(inside, xs, np.inf).min(axis=1)
    hi_x = np.where(inside, xs, -np.inf).max(axis=1)
    unique = inside.any(axis=1) & (hi_x - lo_x <= 1e-9 * np.maximum(1.0, np.abs(hi_x)))
    good = ok & unique
    out = np.full(m, np.nan)
    out[good] = np.exp(lo_x[good])
    why = np.full(m, LookupReason.NOT_UNIQUE, dtype=np.uint8)
    why[good] = LookupReason.OK
    # the first that applies wins: assign in reverse order of precedence
    why[~inside.any(axis=1)] = LookupReason.OUTSIDE_TEMPERATURE
    why[~table_ok] = LookupReason.MISSING_TABLE
    why[~coord_ok] = LookupReason.OUTSIDE_COORDINATE
    why[~finite | ~np.isfinite(t)] = LookupReason.NONFINITE_INPUT
    return out, why
