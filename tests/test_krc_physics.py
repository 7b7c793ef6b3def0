"""Physics checks of the thermal model that need no reference output."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from legacy_wrap.errors import InputError, UnsupportedOptionError
from legacy_wrap.krc import Params, layer_table, run

SIGMA = 5.670367e-8


def airless(**changes) -> Params:
    """A small, fast airless Mars case: 3 latitudes, a few seasons."""
    p = Params.mars()
    base = dict(ptotal=0.5, n1=20, n2=768, n3=15, n5=3, n24=24, jdisk=1,
                latitudes=[-30.0, 0.0, 45.0], elevations=[0.0, 0.0, 0.0])
    base.update(changes)
    return p.replace(**base)


def fixed_sun(**changes) -> Params:
    """Constant sub-solar latitude and distance (no PORB): a periodic steady state."""
    return airless(lporb=False, sdec=0.0, dau=1.52, **changes)


def test_radiative_equilibrium_limit_at_very_low_inertia():
    """With almost no thermal inertia the surface follows the sun: at noon on
    the equator, emitted = absorbed, T = [(1-A) S cos i / (eps sigma)]^(1/4)."""
    p = fixed_sun(inertia=2.0, latitudes=[0.0], elevations=[0.0], n24=48, n2=1536)
    r = run(p)
    s = p.solcon / p.dau ** 2
    noon = int(np.argmin(np.abs(r.hours - 12.0)))
    expected = ((1 - p.alb) * s * 1.0 / (p.emis * SIGMA)) ** 0.25
    t_noon = r.surface_temperature[noon, 0, -1]
    assert abs(t_noon - expected) / expected < 0.01, (t_noon, expected)
    # Night falls to far below the daytime value (no stored heat).
    assert r.surface_temperature[:, 0, -1].min() < 0.5 * expected


def test_damped_diurnal_wave_in_homogeneous_half_space():
    """The diurnal wave below the surface of a homogeneous half-space:
    between depths z1 < z2 the fundamental (1/sol) harmonic decays by
    exp(-(z2 - z1)/d) and lags by (z2 - z1)/d radians, d = sqrt(kappa P/pi).

    The surface forcing is not sinusoidal, but each Fourier harmonic of a
    linear diffusion problem propagates on its own, so the fundamental of the
    hourly layer temperatures must follow the analytic solution.  Tolerance:
    3 % in amplitude ratio and 0.03 rad in phase (the finite-difference grid,
    FLAY 0.1 and RLAY 1.05, is the main error)."""
    p = fixed_sun(latitudes=[0.0], elevations=[0.0], n1=60, rlay=1.05, flay=0.1,
                  n2=1536, n24=96, n5=6, deljul=30.0, ic2=999)
    r = run(p, layers=True)
    grid = layer_table(p)
    series = r.layer_temperature[:, :, 0, -1]        # (hour, layer 2..N1)
    z = grid.depth[1:1 + series.shape[1]]
    k = p.inertia ** 2 / (p.dens * p.spht)
    kappa = k / (p.dens * p.spht)
    d = np.sqrt(kappa * p.period * 86400.0 / np.pi)
    fundamental = np.fft.rfft(series, axis=0)[1]     # complex amplitude per layer
    i = int(np.argmin(np.abs(z - 1.0 * d)))
    j = int(np.argmin(np.abs(z - 2.0 * d)))
    dz = (z[j] - z[i]) / d
    ratio = np.abs(fundamental[j]) / np.abs(fundamental[i])
    lag = np.angle(fundamental[i] / fundamental[j])   # deeper layer lags behind
    assert abs(ratio / np.exp(-dz) - 1) < 0.03, (ratio, np.exp(-dz))
    assert abs(lag - dz) < 0.03, (lag, dz)


@pytest.mark.parametrize("iib, q", [(0, 0.0), (500, 0.5)])
def test_mean_surface_heat_flow_equals_basal_flow(iib, q):
    """Over a converged sol, absorbed - emitted (= conducted up into the surface,
    HEATMM) equals the heat flow entering at the bottom.

    HEATMM uses the surface temperature before the last Newton correction
    (physics 3.1), which biases it by about C*GGT (~0.5 W m-2 at the default
    GGT 0.1 K); a tight GGT removes that bias, so the balance can be checked
    to 0.01 W m-2."""
    p = fixed_sun(iib=iib, latitudes=[0.0], elevations=[0.0], n5=12, deljul=40.0, n3=15,
                  ggt=1e-5)
    r = run(p)
    assert abs(r.heat_flow[0, -1] - q) < 0.01, r.heat_flow[0]


def _variants() -> list[Params]:
    return [airless(inertia=i, alb=a, n5=2) for i in (50.0, 200.0, 800.0, 2000.0)
            for a in (0.1, 0.3)]


def test_threads_give_the_same_bits_as_serial():
    cases = _variants()
    serial = [run(p).hourly for p in cases]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda p: run(p).hourly, cases))
    for a, b in zip(serial, threaded):
        assert np.array_equal(a, b)


def test_result_does_not_depend_on_other_runs_in_between():
    p = airless(n5=2)
    first = run(p).hourly
    run(airless(inertia=1500.0, n5=2))
    np.testing.assert_array_equal(run(p).hourly, first)


# ----------------------------------------------------------- input validation

@pytest.mark.parametrize("changes, match", [
    (dict(inertia=-5.0), "(?i)inertia"),
    (dict(inertia=float("nan")), "(?i)inertia"),
    (dict(latitudes=[-30.0, 0.0, 95.0]), "(?i)latitude"),
    (dict(n1=5000), "(?i)N1"),
])
def test_bad_inputs_are_rejected_with_the_parameter_named(changes, match):
    with pytest.raises(InputError, match=match):
        run(airless(**changes))


def test_wrong_type_is_rejected():
    with pytest.raises(InputError, match="(?i)inertia"):
        airless(inertia="fast")
    with pytest.raises(InputError):
        run("not params")  # type: ignore[arg-type]


def test_n2_too_small_for_stability_names_n2():
    with pytest.raises(InputError, match="(?i)N2|stab"):
        run(airless(n2=32, flay=0.02))


def test_mars_default_runs_with_the_viking_curve():
    """Params.mars() is master.inp: an atmosphere with KPREF 1."""
    p = Params.mars().replace(n5=2, jdisk=1, n4=3, latitudes=[-30.0, 0.0, 30.0],
                              elevations=[0.0] * 3)
    assert int(p.kpref) == 1 and not p.airless
    r = run(p)
    assert np.all(np.isfinite(r.surface_temperature))
    assert not np.all(r.pressure == p.ptotal)          # the curve moves PZREF


def test_result_to_xarray():
    xr = pytest.importorskip("xarray")
    r = run(airless(n5=2))
    ds = r.to_xarray()
    assert isinstance(ds, xr.Dataset)
    assert ds.surface_temperature.dims == ("hour", "latitude", "season")
    np.testing.assert_array_equal(ds.surface_temperature.values, r.surface_temperature)
    assert list(ds.latitude.values) == [-30.0, 0.0, 45.0]


def test_layer_temperatures_in_xarray():
    xr = pytest.importorskip("xarray")
    p = airless(n5=2)
    r = run(p, layers=True)
    assert r.layer_temperature.shape == (p.n24, p.n1 - 1, 3, 2)
    ds = r.to_xarray()
    assert ds.layer_temperature.dims == ("hour", "grid_layer", "latitude", "season")
    # The stored extremes are the min/max of these samples (layer 2 onward).
    mm4 = r.layer_min.shape[0]
    np.testing.assert_array_equal(r.layer_min, r.layer_temperature.min(axis=0)[:mm4])
    np.testing.assert_array_equal(r.layer_max, r.layer_temperature.max(axis=0)[:mm4])
    assert run(p).layer_temperature is None


@pytest.mark.parametrize("changes, match", [
    (dict(n24=2), "N24 = 2: at least 3"),
    (dict(n24=48, n2=32, flay=0.3), "N2 must be at least N24"),
    (dict(lkoft=True, lporb=False, sdec=0.0, dau=1.52), "LKOFT needs the PORB block"),
])
def test_the_core_refuses_what_it_cannot_compute(changes, match):
    """Checks inside the Fortran core (before any time step), as clear errors."""
    with pytest.raises(InputError, match=match):
        run(airless(**changes))


def test_results_compare_by_identity_not_by_arrays():
    r = run(airless(n5=2))
    assert r == r and r != run(airless(n5=2))


def test_lkey_puts_season_jdisk_at_the_given_ls():
    """LKEY (krc-onepoint.md 8.1): DJUL is the Ls of season JDISK; seasons keep
    their DELJUL spacing and FD(41) keeps the Ls as given."""
    p = airless(lkey=True, djul=120.0, jdisk=3, n5=5)
    r = run(p)
    assert abs(r.ls[0] - 120.0) < 1e-6                  # season 3 is the first stored
    np.testing.assert_allclose(np.diff(r.date), p.deljul, rtol=0, atol=1e-9)
    assert r.fd_snapshot[40] == 120.0
    # the same seasons given as a date
    q = run(airless(djul=float(r.date[0]) - 2 * p.deljul, jdisk=3, n5=5))
    np.testing.assert_allclose(q.ls, r.ls, atol=1e-9)


def test_lkey_without_an_orbit_is_refused():
    with pytest.raises(InputError, match="LKEY .*needs the orbit of a PORB block"):
        run(airless(lkey=True, lporb=False))
