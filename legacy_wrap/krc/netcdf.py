"""CF-conventions datasets and NetCDF4/HDF5 files of model results.

:func:`result_dataset` is what :meth:`Result.to_xarray` returns: every item
with ``units`` and ``long_name`` (and a CF ``standard_name`` where one
exists), and a ``time`` coordinate in CF time units
(``days since 2000-01-01 12:00:00``, the J2000.0 epoch), so that files open
with plain ``xarray.open_dataset(path)`` and its defaults.

:func:`write_results` writes several cases into one file:

* one case: the case's dataset at the root of the file;
* several cases whose datasets have the same dimensions and the same
  ``hour``, ``latitude``, ``season`` and layer coordinates: one dataset at
  the root with a leading ``case`` dimension (coordinate ``case`` = case
  number in the deck);
* otherwise: one group ``case_NNN`` per case (open one with
  ``xarray.open_dataset(path, group="case_001")``); the root then holds only
  attributes, among them ``layout = "groups"``.

Every file carries the root attributes ``layout`` (``single``, ``case`` or
``groups``), ``cases`` (numbers of the cases written) and ``not_computed``.
Needs the optional extra ``legacy-wrap[xarray]`` (xarray, h5netcdf, h5py).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import xarray

    from .model import Result

__all__ = ["J2000_UNITS", "result_dataset", "cases_dataset", "write_results", "layout_of"]

#: CF time units of the ``time`` coordinate: the J2000.0 epoch as a calendar date.
J2000_UNITS = "days since 2000-01-01 12:00:00"
_CALENDAR = "standard"
_CONVENTIONS = "CF-1.8"
_J2000_COMMENT = ("reference epoch J2000.0 = 2000-01-01 12:00:00 (JD 2451545.0), the "
                  "epoch of KRC's day numbers DJUL/DJU5; time scale as KRC's (no leap seconds)")

#: (units, long_name, standard_name or None) of every item of a Result.
_ATTRS: dict[str, tuple[str | None, str, str | None]] = {
    "surface_temperature": ("K", "surface kinetic temperature (TSF)", "surface_temperature"),
    "planetary_temperature": ("K", "top-of-atmosphere bolometric temperature (TPF)",
                              "toa_brightness_temperature"),
    "atmosphere_temperature": ("K", "atmosphere temperature (TAF)", "air_temperature"),
    "down_visible": ("W m-2", "downwelling solar flux at the surface, direct + diffuse "
                     "(DOWNVIS)", "surface_downwelling_shortwave_flux_in_air"),
    "down_ir": ("W m-2", "downwelling infrared flux at the surface (DOWNIR)",
                "surface_downwelling_longwave_flux_in_air"),
    "days_computed": ("1", "sols computed in the season (NDJ4)", None),
    "rms_change": ("K", "RMS change of the layer temperatures over the last sol "
                   "of the season (DTM4)", None),
    "layer_min": ("K", "minimum temperature of the layer over the last sol (TIN)", None),
    "layer_max": ("K", "maximum temperature of the layer over the last sol (TAX)", None),
    "frost": ("kg m-2", "CO2 frost on the ground (FROST4)", None),
    "frost_albedo": ("1", "albedo of the frost (AFRO4)", None),
    "heat_flow": ("W m-2", "mean upward heat flow into the surface (HEATMM)", None),
    "pressure": ("Pa", "surface pressure at zero elevation (PZREF)", None),
    "dust_opacity": ("1", "visible dust opacity (TAUD)",
                     "atmosphere_optical_thickness_due_to_dust_ambient_aerosol_particles"),
    "global_frost": ("kg m-2", "global mean CO2 frost (SUMF)", None),
    "layer_temperature": ("K", "subsurface temperature at the output hour", "soil_temperature"),
    "converged": ("1", "KRC's convergence tests met on the last sol of the season "
                  "(1 = yes)", None),
}


def _attrs(name: str) -> dict[str, str]:
    units, long_name, standard = _ATTRS[name]
    out = {"long_name": long_name}
    if units is not None:
        out["units"] = units
    if standard is not None:
        out["standard_name"] = standard
    return out


def _xr() -> Any:
    try:
        import xarray as xr
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("NetCDF output needs xarray: pip install 'legacy-wrap[xarray]'") from exc
    return xr


def _time_values(date: np.ndarray) -> np.ndarray:
    """datetime64[ns] of day numbers from J2000.0, exactly as CF decoding turns them back."""
    xr = _xr()
    return np.asarray(xr.coding.times.decode_cf_datetime(np.asarray(date, dtype=np.float64),
                                                         J2000_UNITS, _CALENDAR))


def _set_time_encoding(ds: "xarray.Dataset") -> None:
    """Store ``time`` as float64 days since J2000.0 (no loss, no xarray warning)."""
    ds["time"].encoding.update(units=J2000_UNITS, calendar=_CALENDAR, dtype="float64")


def result_dataset(result: "Result") -> "xarray.Dataset":
    """The labelled CF dataset of one :class:`Result` (see the module docstring)."""
    xr = _xr()
    hls = ("hour", "latitude", "season")
    ls_ = ("latitude", "season")
    layers = np.arange(2, 2 + result.layer_min.shape[0])
    coords: dict[str, Any] = {
        "hour": ("hour", result.hours, {"units": "hours", "long_name":
                                        "local solar time (24 = midnight ending the sol)"}),
        "latitude": ("latitude", result.latitudes,
                     {"units": "degrees_north", "long_name": "latitude",
                      "standard_name": "latitude"}),
        "season": ("season", result.seasons, {"units": "1", "long_name": "KRC season index J5"}),
        "layer": ("layer", layers, {"units": "1", "long_name":
                                    "layer index (2 = first below the surface)"}),
        "time": ("season", _time_values(result.date),
                 {"long_name": "date of the season (end of its last sol)",
                  "standard_name": "time", "comment": _J2000_COMMENT}),
        "date": ("season", result.date,
                 {"units": "d", "long_name": "days from J2000.0 (KRC's DJU5)",
                  "comment": _J2000_COMMENT}),
        "ls": ("season", result.ls, {"units": "degree",
                                     "long_name": "areocentric longitude of the Sun, Ls"}),
    }
    data: dict[str, Any] = {}
    for name in ("surface_temperature", "planetary_temperature", "atmosphere_temperature",
                 "down_visible", "down_ir"):
        data[name] = (hls, getattr(result, name), _attrs(name))
    for name in ("days_computed", "rms_change", "frost", "frost_albedo", "heat_flow"):
        data[name] = (ls_, getattr(result, name), _attrs(name))
    for name in ("layer_min", "layer_max"):
        data[name] = (("layer",) + ls_, getattr(result, name), _attrs(name))
    for name in ("pressure", "dust_opacity", "global_frost"):
        data[name] = ("season", getattr(result, name), _attrs(name))
    conv = getattr(result, "converged", None)
    if conv is not None:
        data["converged"] = (ls_, np.asarray(conv, dtype=np.int8), _attrs("converged"))
    if result.layer_temperature is not None:
        # all layers 2..N1 (the "layer" dimension of the extremes has only MM4)
        n_all = result.layer_temperature.shape[1]
        coords["grid_layer"] = ("grid_layer", np.arange(2, 2 + n_all),
                                {"units": "1", "long_name":
                                 "layer index (2 = first below the surface)"})
        data["layer_temperature"] = (("hour", "grid_layer") + ls_, result.layer_temperature,
                                     _attrs("layer_temperature"))
    from .. import __version__
    attrs = {"title": result.params.title, "Conventions": _CONVENTIONS,
             "source": f"legacy-wrap {__version__}, KRC 3.6.5-compatible thermal model",
             "model": "legacy-wrap KRC 3.6.5-compatible core"}
    ds = xr.Dataset(data, coords=coords, attrs=attrs)
    _set_time_encoding(ds)
    return ds


#: Coordinates that must agree for cases to share a ``case`` dimension.
_SHARED = ("hour", "latitude", "season", "layer", "grid_layer")


def layout_of(datasets: Sequence["xarray.Dataset"]) -> str:
    """``"single"``, ``"case"`` (shapes and coordinates agree) or ``"groups"``."""
    if len(datasets) == 1:
        return "single"
    first = datasets[0]
    for ds in datasets[1:]:
        if dict(ds.sizes) != dict(first.sizes) or set(ds.data_vars) != set(first.data_vars):
            return "groups"
        for name in _SHARED:
            if (name in ds.coords) != (name in first.coords):
                return "groups"
            if name in ds.coords and not np.array_equal(ds[name].values, first[name].values):
                return "groups"
    return "case"


def cases_dataset(numbers: Sequence[int], datasets: Sequence["xarray.Dataset"]) -> "xarray.Dataset":
    """Several same-shaped case datasets along a leading ``case`` dimension."""
    xr = _xr()
    if layout_of(datasets) == "groups":
        raise InputError("cases_dataset(): the cases differ in shape or coordinates "
                         "(hour, latitude, season, layer); write them as groups")
    titles = [str(ds.attrs.get("title", "")) for ds in datasets]
    stripped = [ds.drop_vars(["time"]) for ds in datasets]
    out = xr.concat(stripped, dim="case", data_vars="all", coords="different",
                    compat="equals", join="exact", combine_attrs="drop_conflicts")
    out = out.transpose("case", ...)
    times = np.stack([ds["time"].values for ds in datasets])
    out = out.assign_coords(
        case=("case", np.asarray(numbers, dtype=np.int32),
              {"units": "1", "long_name": "case number in the deck"}),
        time=(("case", "season"), times, dict(datasets[0]["time"].attrs)),
        case_title=("case", np.asarray(titles, dtype=object),
                    {"long_name": "title of the case"}))
    for name in ("date", "ls"):
        if name in out.coords and out[name].dims == ("season", "case"):
            out = out.assign_coords({name: out[name].transpose("case", "season")})
    out.attrs.update({k: v for k, v in datasets[0].attrs.items() if k != "title"})
    out.attrs["title"] = titles[0] if len(set(titles)) == 1 else "several cases (see case_title)"
    _set_time_encoding(out)
    return out


def write_results(path: str | os.PathLike[str], results: Sequence[tuple[int, "Result"]], *,
                  title: str = "", deck: str = "", not_computed: Sequence[int] = (),
                  hdf5: bool = False) -> str:
    """Write ``(case number, Result)`` pairs into one NetCDF4 file; returns the layout.

    ``hdf5=True`` writes the same layout with ``invalid_netcdf=True``.  The
    file is written under a temporary name in the same folder and renamed.
    Raises :class:`InputError` if there is nothing to write.
    """
    xr = _xr()
    if not results:
        raise InputError(f"cannot write {os.fspath(path)!r}: no case was computed")
    numbers = [int(n) for n, _ in results]
    datasets = [r.to_xarray() for _, r in results]
    layout = layout_of(datasets)
    common = {
        "layout": layout,
        "deck": deck,
        "cases": np.array(numbers, dtype=np.int32),
        "not_computed": np.array(list(not_computed), dtype=np.int32),
    }
    kw: dict[str, Any] = {"engine": "h5netcdf"}
    if hdf5:
        kw["invalid_netcdf"] = True
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if layout == "single":
            ds = datasets[0]
            ds.attrs.update(common)
            ds.attrs["case"] = np.int32(numbers[0])
            ds.to_netcdf(tmp, mode="w", **kw)
        elif layout == "case":
            ds = cases_dataset(numbers, datasets)
            ds.attrs.update(common)
            ds.to_netcdf(tmp, mode="w", **kw)
        else:
            from .. import __version__
            root = xr.Dataset(attrs={"title": title, "Conventions": _CONVENTIONS,
                                     "source": f"legacy-wrap {__version__}, KRC 3.6.5-"
                                               "compatible thermal model", **common})
            root.to_netcdf(tmp, mode="w", **kw)
            for number, ds in zip(numbers, datasets):
                ds.attrs["case"] = np.int32(number)
                ds.to_netcdf(tmp, mode="a", group=f"case_{number:03d}", **kw)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return layout
