"""Thermal inertia by lookup in a sweep table: recovers off-grid runs, NaN outside."""

from __future__ import annotations

import numpy as np
import pytest

from legacy_wrap.errors import InputError
from legacy_wrap.krc import Params, run

pytest.importorskip("xarray")
from legacy_wrap.krc.lookup import inertia_from_temperature  # noqa: E402
from legacy_wrap.krc.sweep import sweep  # noqa: E402

GRID = [30.0, 50.0, 80.0, 130.0, 200.0, 320.0, 500.0, 800.0, 1300.0, 2000.0]
ALBEDOS = [0.15, 0.25, 0.35]
#: Stated accuracy: with inertia steps of x1.6 and albedo steps of 0.1, night-time
#: (02-05 h) inertias come back within 3 % (measured: at most 2.2 %).
NIGHT_TOLERANCE = 0.03
NIGHT = slice(3, 10)          # hours 2.0 .. 5.0 of N24 = 48


def base() -> Params:
    """Airless Mars, 3 latitudes, output seasons 3-4."""
    return Params.mars().replace(ptotal=0.5, n5=4, n2=768, n1=20, jdisk=3,
                                 latitudes=[-20.0, 0.0, 20.0], elevations=[0.0, 0.0, 0.0])


@pytest.fixture(scope="module")
def table():
    return sweep(base(), axes={"inertia": GRID, "alb": ALBEDOS}, executor="threads", workers=2)


@pytest.mark.parametrize("inertia, alb", [(65.0, 0.2), (160.0, 0.3), (410.0, 0.18),
                                          (1000.0, 0.25), (40.0, 0.33)])
def test_off_grid_runs_are_recovered(table, inertia, alb):
    r = run(base().replace(inertia=inertia, alb=alb))
    for k, season in enumerate(r.seasons):
        ts = r.surface_temperature[:, :, k]                     # (hour, latitude)
        got = inertia_from_temperature(table, ts, latitude=r.latitudes[None, :],
                                       hour=r.hours[:, None], season=season, alb=alb)
        assert got.shape == ts.shape
        night = got[NIGHT]
        assert np.all(np.isfinite(night))
        assert np.max(np.abs(night / inertia - 1.0)) < NIGHT_TOLERANCE
        # the same through Ls
        by_ls = inertia_from_temperature(table, ts, latitude=r.latitudes[None, :],
                                         hour=r.hours[:, None], ls=r.ls[k], alb=alb)
        assert np.array_equal(by_ls, got, equal_nan=True)


def test_grid_values_come_back_exactly(table):
    ts = table.surface_temperature.sel(inertia=200.0, alb=0.25).values   # (hour, lat, season)
    lat = table.latitude.values[None, :, None]
    hour = table.hour.values[:, None, None]
    season = table.season.values[None, None, :]
    got = inertia_from_temperature(table, ts, latitude=lat, hour=hour, season=season, alb=0.25)
    night = got[NIGHT]
    assert np.allclose(night, 200.0, rtol=1e-9, atol=0)


def test_nan_outside_the_table(table):
    t = float(table.surface_temperature.sel(inertia=200.0, alb=0.25, latitude=0.0, season=3)[6])
    call = dict(latitude=0.0, hour=3.5, season=3, alb=0.25)
    assert np.isfinite(inertia_from_temperature(table, t, **call))
    assert np.isnan(inertia_from_temperature(table, t, **{**call, "latitude": 45.0}))
    assert np.isnan(inertia_from_temperature(table, t, **{**call, "alb": 0.5}))
    assert np.isnan(inertia_from_temperature(table, t, **{**call, "season": 5}))
    assert np.isnan(inertia_from_temperature(table, 60.0, **call))        # colder than any inertia
    assert np.isnan(inertia_from_temperature(table, 400.0, **call))
    assert np.isnan(inertia_from_temperature(table, np.nan, **call))
    ls = table.ls.values[0, 0]
    assert np.isnan(inertia_from_temperature(table, t, latitude=0.0, hour=3.5, alb=0.25,
                                             ls=ls[-1] + 1.0))


def test_hour_wraps_around_midnight(table):
    t = np.array([180.0, 185.0, 190.0])
    kw = dict(latitude=0.0, season=3, alb=0.25)
    a = inertia_from_temperature(table, t, hour=0.25, **kw)
    b = inertia_from_temperature(table, t, hour=24.25, **kw)
    c = inertia_from_temperature(table, t, hour=-23.75, **kw)
    assert np.isfinite(a).any(), a                 # the comparisons below are not of NaNs
    assert np.array_equal(a, b, equal_nan=True) and np.array_equal(a, c, equal_nan=True)
    assert np.array_equal(inertia_from_temperature(table, t, hour=0.0, **kw),
                          inertia_from_temperature(table, t, hour=24.0, **kw), equal_nan=True)


def test_missing_runs_give_nan_only_where_they_are_used(table):
    holed = table.copy(deep=True)
    holed["surface_temperature"].loc[dict(alb=0.35)] = np.nan            # as a failed run would
    t = float(table.surface_temperature.sel(inertia=200.0, alb=0.25, latitude=0.0, season=3)[6])
    kw = dict(latitude=0.0, hour=3.5, season=3)
    assert np.isfinite(inertia_from_temperature(holed, t, alb=0.25, **kw))
    assert np.isfinite(inertia_from_temperature(holed, t, alb=0.2, **kw))
    assert np.isnan(inertia_from_temperature(holed, t, alb=0.3, **kw))


def test_a_million_points(table):
    rng = np.random.default_rng(5)
    n = 1_000_000
    out = inertia_from_temperature(table, rng.uniform(170.0, 280.0, n),
                                   latitude=rng.uniform(-20.0, 20.0, n), hour=rng.uniform(0, 24, n),
                                   season=rng.uniform(3.0, 4.0, n), alb=rng.uniform(0.15, 0.35, n))
    assert out.shape == (n,)
    good = out[np.isfinite(out)]
    assert good.size > n // 10
    assert good.min() >= GRID[0] * (1 - 1e-12) and good.max() <= GRID[-1] * (1 + 1e-12)


def test_errors_name_the_problem(table):
    kw = dict(latitude=0.0, hour=3.0, season=3)
    with pytest.raises(InputError, match="give a value for the table's axis 'alb'"):
        inertia_from_temperature(table, 200.0, **kw)
    with pytest.raises(InputError, match="'taud' is not an axis of the table"):
        inertia_from_temperature(table, 200.0, alb=0.2, taud=0.3, **kw)
    with pytest.raises(InputError, match="exactly one of season= .* or ls="):
        inertia_from_temperature(table, 200.0, latitude=0.0, hour=3.0, alb=0.2)
    with pytest.raises(InputError, match="inertia is what is looked up"):
        inertia_from_temperature(table, 200.0, alb=0.2, inertia=100.0, **kw)
    # any KRC spelling of an axis works
    by_label = inertia_from_temperature(table, 200.0, ALBEDO=0.2, **kw)
    assert np.isfinite(by_label)
    assert np.array_equal(by_label, inertia_from_temperature(table, 200.0, alb=0.2, **kw))
    no_inertia = sweep(base(), axes={"alb": [0.2, 0.3]})
    with pytest.raises(InputError, match="has no 'inertia' axis"):
        inertia_from_temperature(no_inertia, 200.0, alb=0.2, **kw)
    cases = sweep(base(), cases=[{"inertia": 100.0}, {"inertia": 200.0}])
    with pytest.raises(InputError, match="list of cases"):
        inertia_from_temperature(cases, 200.0, **kw)


# --------------------------------------------------------------------------- reason codes


def synthetic_table():
    """T(inertia) = 200, 210, 200 K everywhere (not monotonic), one missing run at season 2."""
    xr = pytest.importorskip("xarray")
    inertia = np.array([50.0, 100.0, 200.0])
    hours = np.array([6.0, 12.0, 18.0, 24.0])
    t = np.empty((3, 4, 2, 2))
    t[:] = np.array([200.0, 210.0, 200.0])[:, None, None, None]
    t[0, :, :, 1] = np.nan                              # inertia 50 failed at season 2
    return xr.Dataset({"surface_temperature": (("inertia", "hour", "latitude", "season"), t)},
                      coords={"inertia": inertia, "hour": hours, "latitude": [0.0, 10.0],
                              "season": [1, 2]})


def test_reason_codes_name_each_failure():
    from legacy_wrap.krc.lookup import LookupReason as R
    tab = synthetic_table()
    t = np.array([205.0, 209.0, 190.0, 205.0, np.nan, 205.0, 205.0, 205.0])
    lat = np.array([0.0, 0.0, 0.0, 30.0, 0.0, np.inf, 5.0, 5.0])
    season = np.array([1, 1, 1, 1, 1, 1, 2, 1.0])
    ti, why = inertia_from_temperature(tab, t, latitude=lat, hour=12.0, season=season,
                                       reasons=True)
    assert why.dtype == np.uint8 and why.shape == t.shape
    assert list(why) == [R.NOT_UNIQUE, R.NOT_UNIQUE, R.OUTSIDE_TEMPERATURE,
                         R.OUTSIDE_COORDINATE, R.NONFINITE_INPUT, R.NONFINITE_INPUT,
                         R.MISSING_TABLE, R.NOT_UNIQUE]
    assert np.all(np.isnan(ti))
    # on the rising branch only (the table up to inertia 100): unique
    half = tab.isel(inertia=[0, 1])
    ti, why = inertia_from_temperature(half, 205.0, latitude=0.0, hour=12.0, season=1,
                                       reasons=True)
    assert why == R.OK and np.isclose(ti, np.sqrt(50.0 * 100.0))
    assert R.NOT_UNIQUE.text.startswith("the temperature is reached at more than one")
    # without reasons=: the inertia alone, as before
    assert np.isnan(inertia_from_temperature(tab, 205.0, latitude=0.0, hour=12.0, season=1))


def test_reason_codes_on_a_real_table(table):
    from legacy_wrap.krc.lookup import LookupReason as R
    t = float(table.surface_temperature.sel(inertia=200.0, alb=0.25, latitude=0.0, season=3)[6])
    call = dict(latitude=0.0, hour=3.5, season=3, alb=0.25, reasons=True)
    assert inertia_from_temperature(table, t, **call)[1] == R.OK
    assert inertia_from_temperature(table, 60.0, **call)[1] == R.OUTSIDE_TEMPERATURE
    assert inertia_from_temperature(table, 400.0, **call)[1] == R.OUTSIDE_TEMPERATURE
    assert inertia_from_temperature(table, t, **{**call, "alb": 0.5})[1] == R.OUTSIDE_COORDINATE
    assert inertia_from_temperature(table, np.nan, **call)[1] == R.NONFINITE_INPUT
    ls = table.ls.values[0, 0]
    _, why = inertia_from_temperature(table, t, latitude=0.0, hour=3.5, alb=0.25,
                                      ls=ls[-1] + 1.0, reasons=True)
    assert why == R.OUTSIDE_COORDINATE                   # an Ls outside, not a NaN input
    _, why = inertia_from_temperature(table, t, latitude=0.0, hour=3.5, alb=0.25,
                                      ls=np.nan, reasons=True)
    assert why == R.NONFINITE_INPUT
