"""The thermal model with an atmosphere and CO2 frost (Mars).

Fidelity against the original KRC 3.6.5 outputs for the ladder decks with an
atmosphere: a1 (elevations), a2 and a3 (the Viking pressure curve, KPREF 1),
a4 (ten latitudes, global frost and pressure), a5 (slope, twilight), a6 (pit),
a7 (KPREF 2 over a year), a9 (a slope towards azimuth 315 with an
atmosphere: the rotation axis of the slope normal is normalised).  Then physics checks that need no reference.
"""

from __future__ import annotations

import numpy as np
import pytest

from legacy_wrap import bin5
from legacy_wrap.errors import InputError, UnsupportedOptionError
from legacy_wrap.krc import Params, read_deck, run

from conftest import REFERENCE

LADDER_ATMOSPHERE = ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a9"]


def reference(name: str):
    folder = REFERENCE / "ladder" / name
    t52 = folder / f"{name}.t52"
    if not t52.is_file():
        pytest.skip(f"reference deck {name} not found under {REFERENCE}")
    cube, _ = bin5.read(t52)
    return read_deck(folder / f"{name}.inp"), cube


@pytest.mark.fidelity
@pytest.mark.parametrize("name", LADDER_ATMOSPHERE)
def test_atmosphere_decks_are_bit_identical(name):
    """Every stored item (surface, planetary and atmosphere temperatures,
    down-visible and down-IR fluxes, days, RMS change, predicted T_a, layer
    extremes, frost, frost albedo, heat flow) and the per-season pressure and
    global frost equal the original bit for bit."""
    deck, cube = reference(name)
    r = run(deck.cases[0].params)
    nsout = r.surface_temperature.shape[2]
    ndx = int(cube[2, 0, 0, 0, 0])
    ref = cube[:, :, :, ndx:ndx + nsout, 0]
    labels = ["surface T", "planetary T", "atmosphere T", "down visible", "down IR",
              "item 6", "item 7"]
    for item, label in enumerate(labels):
        diff = np.abs(r.hourly[:, item] - ref[:, item])
        assert np.array_equal(r.hourly[:, item], ref[:, item]), (
            f"{name} {label}: {np.count_nonzero(diff)} values differ, max {diff.max():.3e}")
    prefix = np.ravel(cube[..., 0], order="F")
    np.testing.assert_array_equal(r.pressure, prefix[218 + 2 * nsout:218 + 3 * nsout])
    np.testing.assert_array_equal(r.global_frost, prefix[218 + 4 * nsout:218 + 5 * nsout])


def mars(**changes) -> Params:
    base = dict(n1=20, n2=768, n3=15, n5=6, n24=24, jdisk=1, kpref=0,
                latitudes=[-80.0, -45.0, 0.0, 45.0, 80.0], elevations=[0.0] * 5)
    base.update(changes)
    return Params.mars().replace(**base)


def test_thin_clear_atmosphere_tends_to_airless():
    """No dust, no gas opacity, a few Pa and a frost point far below the
    surface temperatures: the atmosphere neither absorbs nor emits, so the
    surface behaves as on an airless body.  Only the first-season start
    differs (diurnal-mean vs annual-mean equilibrium) and its trace decays
    season by season: below 1e-3 K in the last of ten."""
    common = dict(taud=0.0, cabr=0.0, tfrost=50.0, n5=10, latitudes=[-30.0, 0.0, 30.0],
                  elevations=[0.0] * 3)
    thin = run(mars(ptotal=2.0, **common))
    airless = run(mars(ptotal=0.5, **common))
    assert np.all(thin.down_ir == 0.0)
    diff = np.abs(thin.surface_temperature[:, :, -1] - airless.surface_temperature[:, :, -1])
    assert diff.max() < 1e-3, diff.max()
    # ... while a dusty atmosphere of the same pressure changes it by kelvins.
    dusty = run(mars(ptotal=2.0, **dict(common, taud=0.3, cabr=0.11)))
    assert np.abs(dusty.surface_temperature[:, :, -1]
                  - airless.surface_temperature[:, :, -1]).max() > 1.0


def test_frost_is_never_negative_and_pins_the_surface_at_the_frost_point():
    r = run(mars(n5=12))
    tfrost = r.params.tfrost
    assert np.all(r.frost >= 0.0)
    assert r.frost[0].max() > 0.0, "the south polar latitude should carry frost"
    assert r.surface_temperature.min() >= tfrost - 1e-9
    frosted = r.frost > 0
    # Where frost is predicted for the season end, the last sol sat at T_f at midnight.
    assert np.any(frosted)


def _pzref_words(cube: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The per-season dates (DJU5) and PZREF words of case 1 (formats 3.2)."""
    words = np.ravel(cube[..., 0], order="F")
    nsout = int(words[3])
    return words[218:218 + nsout], words[218 + 2 * nsout:218 + 3 * nsout]


@pytest.mark.fidelity
@pytest.mark.parametrize("kind,name", [("ladder", "a2"), ("decks", "master")])
def test_viking_pressure_equals_the_original_words(kind, name):
    """PZREF = PTOTAL*V(t) of every stored season, exactly.  a2's dates lie
    before the curve's epoch (94.438 d, the whole-year shift); master's after
    it.  A changed coefficient, phase average, year or epoch moves these."""
    folder = REFERENCE / kind / name
    if not (folder / f"{name}.inp").is_file():
        pytest.skip(f"reference deck {kind}/{name} not found under {REFERENCE}")
    cube, _ = bin5.read(sorted(folder.glob("*.t52"))[0])
    dates, pzref = _pzref_words(cube)
    p = read_deck(folder / f"{name}.inp").cases[0].params
    assert int(p.kpref) == 1 and not p.airless
    assert (dates < 94.438).all() if name == "a2" else (dates > 94.438).all()
    r = run(p.replace(n4=1, latitudes=[0.0], elevations=[0.0]))
    assert np.array_equal(r.pressure, pzref)
    assert len(set(pzref.tolist())) == pzref.size        # a curve, not a constant


def test_viking_pressure_has_the_mars_year_period():
    """V(t) repeats after one Mars year (686.9957 d), before and after the epoch."""
    base = mars(n4=1, latitudes=[0.0], elevations=[0.0], n5=1, jdisk=1, n3=1, lporb=False,
                sdec=0.0, dau=1.52, subs=0.0, kpref=1)
    for djul in (-900.0, 50.0, 400.0):
        p0 = run(base.replace(djul=djul)).pressure[0]
        p1 = run(base.replace(djul=djul + 686.9957)).pressure[0]
        assert abs(p0 - p1) < 1e-3 * p0
        assert 0.85 * 546.0 < p0 < 1.15 * 546.0


def test_yearly_frost_budget_closes():
    """KPREF 2 couples the latitudes through the global cap.  After a spin-up
    year, what condenses in a Mars year sublimates again: the frost of every
    latitude, and the global cap, are back to the same mass a year later
    (40 seasons of 17.17 sols), to 1e-4 of the largest frost mass; and the
    atmosphere plus the cap always hold PTOTAL (pressure + SUMF*GRAV)."""
    lats = [-87.5, -70.0, -50.0, -30.0, -10.0, 10.0, 30.0, 50.0, 70.0, 87.5]
    p = mars(kpref=2, n5=120, latitudes=lats, elevations=[0.0] * 10)
    r = run(p)
    frost = r.frost                                     # (latitude, season)
    year2, year3 = frost[:, 40:80], frost[:, 80:120]
    assert frost.max() > 500.0                          # a real seasonal cap
    assert np.abs(year3 - year2).max() < 1e-4 * frost.max()
    # ... while the first year, from a frost-free start, was not periodic.
    assert np.abs(year2 - frost[:, :40]).max() > 0.1 * frost.max()
    np.testing.assert_allclose(r.global_frost[80:], r.global_frost[40:80],
                               atol=1e-4 * r.global_frost.max())
    # Mass conservation of the CO2 between the cap and the atmosphere (physics 7.5):
    # the pressure of season s is PTOTAL - GRAV * (global frost of season s-1).
    np.testing.assert_allclose(r.pressure[1:] + p.grav * r.global_frost[:-1], p.ptotal,
                               rtol=1e-12)


def _table_value(table: np.ndarray, ls: float) -> float:
    """Physics 11 in single precision: linear in Ls, wrapped by one row each end."""
    f = np.float32
    x = f(ls % 360.0)
    rows = [(f(table[-1, 0]) - f(360.0), f(table[-1, 1]))] + \
        [(f(a), f(b)) for a, b in table] + [(f(table[0, 0]) + f(360.0), f(table[0, 1]))]
    for (x0, y0), (x1, y1) in zip(rows, rows[1:]):
        if x <= x1:
            return float(y0 + (y1 - y0) * ((x - x0) / (x1 - x0)))
    raise AssertionError("not bracketed")


@pytest.mark.parametrize("kind", ["albedo", "opacity"])
def test_seasonal_tables_reset_the_value_every_season(kind):
    """A run with a seasonal table equals a run whose ALB (TAUD) is the table's
    value at that season's Ls (checked on the first season, where nothing
    carries over); over a year of seasons the stored TAUD follows the table,
    wrapped before its first and after its last row."""
    table = np.array([[10.0, 0.15], [120.0, 0.35], [250.0, 0.20], [330.0, 0.30]]) \
        if kind == "albedo" else np.array([[30.0, 0.2], [200.0, 1.4], [300.0, 0.6]])
    p = mars(n5=1, latitudes=[-30.0, 0.0, 30.0], elevations=[0.0] * 3)
    key = "albedo_table" if kind == "albedo" else "opacity_table"
    with_table = run(p, **{key: table})
    v = _table_value(table, float(with_table.ls[0]))
    plain = run(p.replace(**({"alb": v} if kind == "albedo" else {"taud": v})))
    np.testing.assert_array_equal(with_table.hourly, plain.hourly)
    assert with_table.id_snapshot[21 if kind == "albedo" else 22] == 1   # KVALB / KVTAU
    assert with_table.fd_snapshot[0 if kind == "albedo" else 16] == v    # stored ALB / TAUD
    if kind == "opacity":
        year = run(mars(n5=8, deljul=90.0, latitudes=[0.0], elevations=[0.0]),
                   opacity_table=table)
        assert year.ls.min() < table[0, 0] and year.ls.max() > table[-1, 0]
        expected = [_table_value(table, float(ls)) for ls in year.ls]
        np.testing.assert_array_equal(year.dust_opacity, expected)


def test_seasonal_table_values_are_checked():
    with pytest.raises(InputError, match="albedo table row 2"):
        run(mars(n5=1), albedo_table=[[10.0, 0.2], [20.0, 1.5]])
    with pytest.raises(InputError, match="shape"):
        run(mars(n5=1), opacity_table=[1.0, 2.0])
