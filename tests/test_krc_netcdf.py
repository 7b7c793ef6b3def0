"""CF NetCDF of model results: Result.to_xarray(), legacy_wrap.krc.netcdf and ``krc --netcdf``.

Every file written here is reopened with plain ``xarray.open_dataset(path)``
(its defaults: CF decoding on) and must equal what was written, bit for bit.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap.errors import InputError
from legacy_wrap.krc import Params, read_deck, run, write_deck

xr = pytest.importorskip("xarray")
pytest.importorskip("h5netcdf")
pytest.importorskip("h5py")

from legacy_wrap.krc import netcdf  # noqa: E402


def small(**kw: object) -> Params:
    p = Params.moon().replace(latitudes=[-30.0, 0.0, 45.0], elevations=[0.0, 0.0, 0.0],
                              n5=3, jdisk=1, n24=24, n2=768)
    return p.replace(**kw) if kw else p


def console_script(name: str) -> str:
    import sys
    return str(Path(sys.executable).parent / name)


def test_to_xarray_has_cf_time_and_attributes(tmp_path: Path) -> None:
    r = run(small())
    ds = r.to_xarray()
    assert ds.attrs["Conventions"] == "CF-1.8"
    assert ds["time"].encoding["units"] == "days since 2000-01-01 12:00:00"
    assert "J2000.0" in ds["time"].attrs["comment"] and "2451545.0" in ds["time"].attrs["comment"]
    # the calendar dates are the day numbers from J2000.0
    days = (ds["time"].values - np.datetime64("2000-01-01T12:00:00", "ns")) / np.timedelta64(1, "D")
    np.testing.assert_allclose(days, r.date, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(ds["date"].values, r.date)
    assert ds.surface_temperature.attrs["standard_name"] == "surface_temperature"
    assert ds.latitude.attrs["units"] == "degrees_north"
    for name, var in ds.variables.items():
        if name != "time":
            assert "units" in var.attrs and "long_name" in var.attrs, name


def test_to_netcdf_reopens_with_defaults_exactly(tmp_path: Path) -> None:
    ds = run(small(), layers=True).to_xarray()
    path = tmp_path / "one.nc"
    ds.to_netcdf(path, engine="h5netcdf")
    back = xr.open_dataset(path).load()
    assert back["time"].dtype.kind == "M"
    xr.testing.assert_identical(back, ds)


def test_one_case_at_the_root(tmp_path: Path) -> None:
    r = run(small())
    path = tmp_path / "a.nc"
    assert netcdf.write_results(path, [(1, r)], deck="x.inp") == "single"
    back = xr.open_dataset(path).load()
    assert back.attrs["layout"] == "single" and int(back.attrs["case"]) == 1
    xr.testing.assert_equal(back, r.to_xarray())
    np.testing.assert_array_equal(back.surface_temperature.values, r.surface_temperature)


def test_same_shapes_share_a_case_dimension(tmp_path: Path) -> None:
    r1, r2 = run(small()), run(small(inertia=200.0, title="second"))
    path = tmp_path / "b.nc"
    assert netcdf.write_results(path, [(1, r1), (3, r2)]) == "case"
    back = xr.open_dataset(path).load()
    assert back.surface_temperature.dims == ("case", "hour", "latitude", "season")
    assert list(back["case"].values) == [1, 3]
    assert list(back["case_title"].values) == [r1.params.title, "second"]
    np.testing.assert_array_equal(back.surface_temperature.sel(case=3).values,
                                  r2.surface_temperature)
    np.testing.assert_array_equal(back["time"].values[1], r2.to_xarray()["time"].values)
    xr.testing.assert_identical(back.drop_attrs(),
                                netcdf.cases_dataset([1, 3], [r1.to_xarray(),
                                                              r2.to_xarray()]).drop_attrs())


def test_different_shapes_go_to_groups(tmp_path: Path) -> None:
    r1 = run(small())
    r2 = run(small().replace(latitudes=[10.0, 20.0], elevations=[0.0, 0.0]))
    path = tmp_path / "c.nc"
    assert netcdf.write_results(path, [(1, r1), (2, r2)], title="t") == "groups"
    root = xr.open_dataset(path)
    assert root.attrs["layout"] == "groups" and list(root.attrs["cases"]) == [1, 2]
    for number, r in ((1, r1), (2, r2)):
        g = xr.open_dataset(path, group=f"case_{number:03d}").load()
        xr.testing.assert_equal(g, r.to_xarray())
    with pytest.raises(InputError, match="differ in shape"):
        netcdf.cases_dataset([1, 2], [r1.to_xarray(), r2.to_xarray()])


def test_nothing_to_write_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no case was computed"):
        netcdf.write_results(tmp_path / "d.nc", [])
    assert list(tmp_path.iterdir()) == []


def _deck(tmp_path: Path, second: str) -> Path:
    path = tmp_path / "two.inp"
    write_deck(small(), path, cases=[[], [second]])
    return path


@pytest.mark.parametrize("second, layout", [
    ("1 3 300.0 'INERTIA' /", "case"),
    ("2 4 2 'N4' /", "groups"),
])
def test_krc_netcdf_layouts(tmp_path: Path, second: str, layout: str) -> None:
    deck_path = _deck(tmp_path, second)
    proc = subprocess.run([console_script("krc"), "two.inp", "--netcdf", "two.nc", "--quiet"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    deck = read_deck(deck_path)
    expect = [run(c.params).to_xarray() for c in deck.cases]
    root = xr.open_dataset(tmp_path / "two.nc").load()
    assert root.attrs["layout"] == layout
    if layout == "case":
        xr.testing.assert_equal(root, netcdf.cases_dataset([1, 2], expect))
    else:
        for k, ds in enumerate(expect, start=1):
            xr.testing.assert_equal(xr.open_dataset(tmp_path / "two.nc",
                                                    group=f"case_{k:03d}").load(), ds)
    proc = subprocess.run([console_script("krc"), "two.inp", "--hdf5", "two.h5", "--quiet"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert xr.open_dataset(tmp_path / "two.h5", engine="h5netcdf").attrs["layout"] == layout


def test_krc_netcdf_one_case_opens_at_the_root(tmp_path: Path) -> None:
    path = tmp_path / "one.inp"
    write_deck(small(), path)
    proc = subprocess.run([console_script("krc"), "one.inp", "--netcdf", "one.nc", "--quiet"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    back = xr.open_dataset(tmp_path / "one.nc").load()
    xr.testing.assert_equal(back, run(read_deck(path).cases[0].params).to_xarray())
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]
