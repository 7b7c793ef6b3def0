"""Run the KRC-compatible thermal model: ``run(params) -> Result``.

The physics lives in Fortran (``fortran/``); this module only coerces and
validates the inputs, calls the f2py extension ``legacy_wrap._krccore`` and
names the outputs.  Items of the result follow the type-52 cube of KRC 3.6.5
(``../shared/spec/krc-formats.md`` section 3.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError, ModelError, UnsupportedOptionError
from .params import Params

if TYPE_CHECKING:  # pragma: no cover
    import xarray

__all__ = ["Result", "LayerTable", "run", "layer_table"]

#: Status codes of fortran/krc_constants.f90.
_STATUS_INPUT, _STATUS_BLOWUP, _STATUS_UNSTABLE, _STATUS_UNSUPPORTED = 1, 22, 23, 30
#: PTOTAL at or below this is "no atmosphere" (formats 1.5, FD 12).
AIRLESS_PTOTAL = 1.0


def _core() -> Any:
    from .. import _krccore
    return _krccore


@dataclass(frozen=True, eq=False)
class LayerTable:
    """The subsurface grid of a case (KRC's layer table, physics section 1)."""

    thickness: np.ndarray   #: b_j, m, j = 1..N1+1 (1 = virtual top layer)
    depth: np.ndarray       #: centre depth z_j, m
    conductivity: np.ndarray  #: W m-1 K-1
    density: np.ndarray     #: kg m-3
    specific_heat: np.ndarray  #: J kg-1 K-1
    safety: np.ndarray      #: stability factor b^2/(2 dt kappa) before time doubling
    group_last: np.ndarray  #: last layer of each time-doubling group


@dataclass(frozen=True, eq=False)
class Result:
    """Outputs of one case.  Arrays are indexed (hour, latitude, season) etc.

    ``season`` runs over the output seasons J5 = JDISK .. N5.
    """

    params: Params
    hours: np.ndarray            #: local time of each sample, h (24k/N24, last = midnight)
    latitudes: np.ndarray        #: deg
    surface_temperature: np.ndarray    #: TSF (N24, N4, NSOUT), K
    planetary_temperature: np.ndarray  #: TPF, K (0 without atmosphere)
    atmosphere_temperature: np.ndarray #: TAF, K (0 without atmosphere)
    down_visible: np.ndarray     #: DOWNVIS: direct + diffuse solar flux at the surface, W m-2
    down_ir: np.ndarray          #: DOWNIR, W m-2 (0 without atmosphere)
    days_computed: np.ndarray    #: NDJ4 (N4, NSOUT): sols computed in each season
    rms_change: np.ndarray       #: DTM4 (N4, NSOUT): RMS layer change on the last sol, K
    layer_min: np.ndarray        #: TIN (MM4, N4, NSOUT): layer minima, layer 2 downward, K
    layer_max: np.ndarray        #: TAX (MM4, N4, NSOUT): layer maxima, K
    frost: np.ndarray            #: FROST4 (N4, NSOUT): predicted frost, kg m-2
    frost_albedo: np.ndarray     #: AFRO4 (N4, NSOUT)
    heat_flow: np.ndarray        #: HEATMM (N4, NSOUT): mean upward heat flow into the surface, W m-2
    date: np.ndarray             #: DJU5 (NSOUT): days from J2000.0
    ls: np.ndarray               #: SUBS (NSOUT): Ls, deg
    pressure: np.ndarray         #: PZREF (NSOUT): zero-elevation pressure, Pa
    dust_opacity: np.ndarray     #: TAUD (NSOUT)
    global_frost: np.ndarray     #: SUMF (NSOUT), kg m-2
    hourly: np.ndarray = field(repr=False)  #: the raw type-52 items (N24, 7, N4, NSOUT)
    #: temperatures of layers 2..N1 at the output hours of the last sol,
    #: (N24, N1-1, N4, NSOUT), K; None unless run(..., layers=True)
    layer_temperature: np.ndarray | None = field(repr=False)
    fd_snapshot: np.ndarray = field(repr=False)  #: FD(1..96) when the first output season was stored
    id_snapshot: np.ndarray = field(repr=False)  #: ID(1..40) likewise

    @property
    def seasons(self) -> np.ndarray:
        """KRC season index J5 of each output season."""
        jdisk = int(self.params.id[11])
        return np.arange(jdisk, jdisk + self.surface_temperature.shape[2])

    def to_xarray(self) -> "xarray.Dataset":
        """The result as a labelled ``xarray.Dataset`` (needs the ``xarray`` extra)."""
        try:
            import xarray as xr
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_xarray() needs xarray: pip install 'legacy-wrap[xarray]'") from exc
        hls = ("hour", "latitude", "season")
        ls_ = ("latitude", "season")
        layers = np.arange(2, 2 + self.layer_min.shape[0])
        coords = {
            "hour": ("hour", self.hours, {"units": "h", "long_name": "local time"}),
            "latitude": ("latitude", self.latitudes, {"units": "degrees_north"}),
            "season": ("season", self.seasons, {"long_name": "KRC season index J5"}),
            "layer": ("layer", layers, {"long_name": "layer index (2 = first below the surface)"}),
            "date": ("season", self.date, {"units": "days since J2000.0"}),
            "ls": ("season", self.ls, {"units": "degrees", "long_name": "season longitude Ls"}),
        }
        data = {
            "surface_temperature": (hls, self.surface_temperature, {"units": "K"}),
            "planetary_temperature": (hls, self.planetary_temperature, {"units": "K"}),
            "atmosphere_temperature": (hls, self.atmosphere_temperature, {"units": "K"}),
            "down_visible": (hls, self.down_visible, {"units": "W m-2"}),
            "down_ir": (hls, self.down_ir, {"units": "W m-2"}),
            "days_computed": (ls_, self.days_computed),
            "rms_change": (ls_, self.rms_change, {"units": "K"}),
            "layer_min": (("layer",) + ls_, self.layer_min, {"units": "K"}),
            "layer_max": (("layer",) + ls_, self.layer_max, {"units": "K"}),
            "frost": (ls_, self.frost, {"units": "kg m-2"}),
            "frost_albedo": (ls_, self.frost_albedo),
            "heat_flow": (ls_, self.heat_flow, {"units": "W m-2"}),
            "pressure": ("season", self.pressure, {"units": "Pa"}),
            "dust_opacity": ("season", self.dust_opacity),
            "global_frost": ("season", self.global_frost, {"units": "kg m-2"}),
        }
        if self.layer_temperature is not None:
            # all layers 2..N1 (the "layer" dimension of the extremes has only MM4)
            n_all = self.layer_temperature.shape[1]
            coords["grid_layer"] = ("grid_layer", np.arange(2, 2 + n_all),
                                    {"long_name": "layer index (2 = first below the surface)"})
            data["layer_temperature"] = (("hour", "grid_layer") + ls_, self.layer_temperature,
                                         {"units": "K"})
        attrs = {"title": self.params.title, "model": "legacy-wrap KRC 3.6.5-compatible core"}
        return xr.Dataset(data, coords=coords, attrs=attrs)


def _arrays(params: Params) -> dict[str, np.ndarray]:
    """The KRC parameter arrays in the form the Fortran bind layer takes."""
    fd = np.zeros(96, dtype=np.float64)
    fd[:64] = params.fd
    id_ = np.zeros(40, dtype=np.int32)
    id_[:20] = params.id
    ld = np.asarray(params.ld, dtype=np.int32)
    lat = np.asarray(params.latitudes, dtype=np.float64)
    elev = np.asarray(params.elevations, dtype=np.float64)
    porb = np.zeros(30) if params.porb is None else np.asarray(params.porb, dtype=np.float64)
    zone = params.zone_table
    zone_t = np.zeros((4, 1), order="F") if zone is None or len(zone) == 0 else \
        np.asfortranarray(np.asarray(zone, dtype=np.float64).T)
    nzone = 0 if zone is None else len(zone)
    if not ld[13]:
        nzone = 0
    return {"fd": fd, "id": id_, "ld": ld, "alat": lat, "elev": elev, "porb": porb,
            "zone": zone_t, "nzone": nzone}


def _prepare(params: Params) -> Params:
    """Copy, apply KRC's silent input resets and refuse what the core lacks."""
    if not isinstance(params, Params):
        raise InputError(f"run() takes a Params object, got {type(params).__name__}")
    p = params.copy()
    p.apply_krc_checks()
    p.check()
    n5, jdisk = int(p.id[4]), int(p.id[11])
    if jdisk > n5:
        raise InputError(f"JDISK = {jdisk} > N5 = {n5}: no season would be output; "
                         "set JDISK <= N5")
    p.check_sizes()
    return p


def _raise_status(status: int, message: bytes | str) -> None:
    text = message.decode("ascii", "replace") if isinstance(message, bytes) else str(message)
    text = text.strip()
    if status == _STATUS_UNSTABLE:
        raise InputError(f"numerically unstable layer grid: {text}")
    if status == _STATUS_INPUT:
        raise InputError(text)
    if status == _STATUS_UNSUPPORTED:
        raise UnsupportedOptionError(text)
    raise ModelError(f"thermal model failed (status {status}): {text}", status=status)


def layer_table(params: Params) -> LayerTable:
    """Compute the layer grid and stability factors of ``params`` (no time stepping)."""
    p = _prepare(params)
    a = _arrays(p)
    n1 = int(p.id[0])
    out = _core().krc_layer_table(a["fd"], a["id"], a["ld"], a["porb"], a["nzone"], a["zone"], n1)
    thick, depth, cond, dens, spht, safety, group_last, ngroups, status, message = out
    if status != 0:
        _raise_status(status, message)
    return LayerTable(thick, depth, cond, dens, spht, safety, group_last[:ngroups].copy())


def _season_table(table: Any, what: str) -> np.ndarray:
    """A seasonal table as the (2, n) array the core takes (rows (Ls, value))."""
    if table is None:
        return np.zeros((2, 1), order="F")
    arr = np.asarray(table, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < 1:
        raise InputError(f"{what} must be rows of (Ls degrees, value), shape (n, 2); "
                         f"got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{what} holds a non-finite number")
    return np.asfortranarray(arr.T)


def run(params: Params, *, layers: bool = False, albedo_table: Any = None,
        opacity_table: Any = None) -> Result:
    """Run one case of the thermal model and return its outputs.

    ``layers=True`` also returns the subsurface temperatures at every output
    hour of the last sol (``Result.layer_temperature``).  ``albedo_table`` /
    ``opacity_table``: seasonal tables, rows (Ls degrees, value), that reset
    ALB / TAUD every season (KRC's change ``8 22`` / ``8 23``; linear in Ls,
    wrapped; not validated against the original program).  ``params`` is not
    modified.  Raises :class:`InputError` for invalid or
    unstable inputs (before any time stepping), :class:`UnsupportedOptionError`
    for options not implemented, :class:`ModelError` if the model fails.
    """
    p = _prepare(params)
    if layers:
        p.check_sizes(layers=True)
    a = _arrays(p)
    n24, n4 = int(p.id[5]), int(p.id[3])
    nsout = int(p.id[4]) - int(p.id[11]) + 1
    nlout = int(p.id[0]) - 1 if layers else 0
    alb_t = _season_table(albedo_table, "albedo_table")
    tau_t = _season_table(opacity_table, "opacity_table")
    try:
        hourly, season_vals, layer_t, fd_out, id_out, status, message = _core().krc_run_case(
            a["fd"], a["id"], a["ld"], a["alat"], a["elev"], a["porb"], a["nzone"], a["zone"],
            n24, nsout, nlout, 0 if albedo_table is None else alb_t.shape[1], alb_t,
            0 if opacity_table is None else tau_t.shape[1], tau_t)
    except MemoryError as exc:
        raise InputError(f"not enough free memory for the outputs of this run (N24 {n24} x "
                         f"N4 {n4} x {nsout} output seasons, N5 = {int(p.id[4])}): {exc}; "
                         "lower N5 or raise JDISK") from None
    if status != 0:
        _raise_status(status, message)
    mm4 = min(int(p.id[0]) - 1, n24 - 3)
    return Result(
        params=p,
        hours=24.0 * np.arange(1, n24 + 1) / n24,
        latitudes=np.asarray(p.latitudes, dtype=np.float64).copy(),
        surface_temperature=hourly[:, 0],
        planetary_temperature=hourly[:, 1],
        atmosphere_temperature=hourly[:, 2],
        down_visible=hourly[:, 3],
        down_ir=hourly[:, 4],
        days_computed=hourly[0, 5].round().astype(np.int64),
        rms_change=hourly[1, 5],
        layer_min=hourly[3:3 + max(mm4, 0), 5],
        layer_max=hourly[3:3 + max(mm4, 0), 6],
        frost=hourly[0, 6],
        frost_albedo=hourly[1, 6],
        heat_flow=hourly[2, 6],
        date=season_vals[0].copy(),
        ls=season_vals[1].copy(),
        pressure=season_vals[2].copy(),
        dust_opacity=season_vals[3].copy(),
        global_frost=season_vals[4].copy(),
        hourly=hourly,
        layer_temperature=layer_t if layers else None,
        fd_snapshot=fd_out,
        id_snapshot=id_out,
    )
