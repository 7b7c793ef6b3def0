"""Fidelity: the model vs the outputs of the original KRC 3.6.5 program.

For each airless reference deck, case 1 is read with our deck reader, run
through the Python facade, and compared with the type-52 file the original
binary wrote (../shared/krc-reference).  The target is bit-identical; the
acceptance bound is 1e-9 K on surface temperature and exact day counts.
"""

from __future__ import annotations

import numpy as np
import pytest

from legacy_wrap import bin5
from legacy_wrap.krc import layer_table, read_deck, run

from conftest import REFERENCE

pytestmark = pytest.mark.fidelity

LADDER_AIRLESS = ["t1", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9",
                  "h1", "h2", "h3", "h4", "h5", "z1"]
CASES = [("ladder", name) for name in LADDER_AIRLESS] + [("decks", "MoonA")]
TOL_K = 1e-9


def reference_case(kind: str, name: str):
    folder = REFERENCE / kind / name
    deck_path = folder / f"{name}.inp"
    t52 = sorted(folder.glob("*.t52"))
    if not deck_path.is_file() or not t52:
        pytest.skip(f"reference deck {kind}/{name} not found under {REFERENCE}")
    cube, _ = bin5.read(t52[0])
    deck = read_deck(deck_path)
    return deck, cube


@pytest.mark.parametrize("kind, name", CASES, ids=[n for _, n in CASES])
def test_case1_matches_original(kind, name):
    deck, cube = reference_case(kind, name)
    result = run(deck.cases[0].params)
    nsout = result.surface_temperature.shape[2]
    ndx = int(cube[2, 0, 0, 0, 0])  # FRONT word 2 (formats 3.2)
    ref = cube[:, :, :, ndx:ndx + nsout, 0]
    assert ref.shape == result.hourly.shape
    # Days computed per season and latitude: exact.
    np.testing.assert_array_equal(result.days_computed, ref[0, 5].round().astype(int))
    # Surface temperature of every hour, latitude and season.
    diff = np.abs(result.surface_temperature - ref[:, 0])
    worst = np.unravel_index(np.argmax(diff), diff.shape)
    assert diff.max() <= TOL_K, (
        f"{name}: max |dTs| = {diff.max():.3e} K at (hour, lat, season) index {worst}: "
        f"ours {result.surface_temperature[worst]!r}, original {ref[:, 0][worst]!r}")
    # Season dates and Ls from the case prefix: FRONT (4) + common (214) + DJU5, SUBS.
    prefix = np.ravel(cube[..., 0], order="F")
    np.testing.assert_array_equal(result.date, prefix[218:218 + nsout])
    np.testing.assert_array_equal(result.ls, prefix[218 + nsout:218 + 2 * nsout])

@pytest.mark.parametrize("kind, name", CASES, ids=[n for _, n in CASES])
def test_case1_is_bit_identical(kind, name):
    """Every stored item (TSF, TPF, TAF, DOWNVIS, DOWNIR, items 6-7: days,
    RMS change, layer minima/maxima, heat flow) equals the original bit for bit."""
    deck, cube = reference_case(kind, name)
    result = run(deck.cases[0].params)
    nsout = result.surface_temperature.shape[2]
    ndx = int(cube[2, 0, 0, 0, 0])
    ref = cube[:, :, :, ndx:ndx + nsout, 0]
    labels = ["TSF", "TPF", "TAF", "DOWNVIS", "DOWNIR", "item 6", "item 7"]
    for item, label in enumerate(labels):
        diff = np.abs(result.hourly[:, item] - ref[:, item])
        assert np.array_equal(result.hourly[:, item], ref[:, item]), (
            f"{name} {label}: {np.count_nonzero(diff)} values differ, max {diff.max():.3e}")


def test_layer_table_of_t1_matches_the_printed_one():
    """Spec physics 12: b_2 = 0.0032477 m, s_2 = 2.445, groups end at 5 7 10 12 15 17 20."""
    deck, _ = reference_case("ladder", "t1")
    table = layer_table(deck.cases[0].params)
    assert round(float(table.thickness[1]), 7) == 0.0032477
    assert round(float(table.safety[1]), 3) == 2.445
    assert list(table.group_last) == [5, 7, 10, 12, 15, 17, 20]


def test_spec_reference_values_of_t1():
    """The T_s values quoted in spec physics 12 (printed to 6 decimals)."""
    deck, _ = reference_case("ladder", "t1")
    r = run(deck.cases[0].params)
    lat = list(r.latitudes)
    quoted = {(1, -30.0): (9, [159.470118, 262.344878, 201.923169, 169.315803]),
              (1, 0.0): (9, [162.278152, 273.923559, 207.222291, 172.562188]),
              (8, 0.0): (4, [158.718972, 258.585375, 200.272177, 168.367480]),
              (8, 45.0): (6, [182.875767, 260.590066, 223.099849, 174.041229])}
    for (season, latitude), (ndj4, temps) in quoted.items():
        j, s = lat.index(latitude), season - 1
        assert r.days_computed[j, s] == ndj4
        got = [round(float(r.surface_temperature[h - 1, j, s]), 6) for h in (6, 12, 18, 24)]
        assert got == temps, (season, latitude, got)
