"""Eclipses (daily and rare) and the planetary heat load (krc-eclipse.md).

Fidelity through the Python path ``read_deck -> run(case.params,
eclipse=case.eclipse, planet_flux=case.planet_flux)`` against the type-52
files of the original KRC 3.6.5: the ladder decks e1 (daily eclipse +
load) and e2 (rare eclipse + load), and every case of the shipped decks
MoonA, EurH and PhoH.  Then the thread test, the refusals of spec section 7
and the switch rules of section 1.3.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from legacy_wrap import bin5
from legacy_wrap.errors import InputError, UnsupportedOptionError
from legacy_wrap.krc import Eclipse, PlanetFlux, layer_table, read_deck, run
from legacy_wrap.krc.eclipse import parc_at_case_start
from legacy_wrap.krc.model import eclipse_window

from conftest import REFERENCE

ITEMS = ["surface T", "planetary T", "atmosphere T", "down visible", "down IR",
         "item 6", "item 7"]

#: (kind, deck, case numbers) of the fidelity set.
DECK_CASES = ([("ladder", "e1", 1), ("ladder", "e2", 1)]
              + [("decks", "MoonA", c) for c in range(3, 10)]
              + [("decks", "EurH", c) for c in range(1, 11)]
              + [("decks", "PhoH", c) for c in range(1, 9)])

def _load(kind: str, name: str):
    folder = REFERENCE / kind / name
    if not (folder / f"{name}.t52").is_file():
        pytest.skip(f"reference deck {kind}/{name} not found under {REFERENCE}")
    cube, _ = bin5.read(folder / f"{name}.t52")
    return read_deck(folder / f"{name}.inp"), cube


def _params_of(deck, number: int):
    return deck.cases[number - 1]


def _case_id(x):
    return f"{x[1]}-{x[2]}"


@pytest.mark.fidelity
@pytest.mark.parametrize("kind,name,number", DECK_CASES, ids=[_case_id(c) for c in DECK_CASES])
def test_type52_is_bit_identical(kind, name, number):
    """Every item of the hourly data and the per-season words (DJU5, SUBS,
    PZREF, TAUD, SUMF) of the case's slot equal the original bit for bit."""
    deck, cube = _load(kind, name)
    case = _params_of(deck, number)
    r = run(case.params, eclipse=case.eclipse, planet_flux=case.planet_flux)
    slot = cube[..., number - 1]
    nsout = r.surface_temperature.shape[2]
    ndx = int(slot[2, 0, 0, 0])
    ref = slot[:, :, :, ndx:ndx + nsout]
    assert ref.shape == r.hourly.shape
    ours = r.hourly.copy()
    if r.params.airless and any(not c.params.airless for c in deck.cases[:number - 1]):
        # KRC leaves an airless case's atmosphere words (T_p, T_a, predicted
        # T_a, frost albedo) as the last atmosphere case set them: multi-case
        # carry-over of the deck driver, not of run().  Compare the rest.
        for item, row in ((1, slice(None)), (2, slice(None)), (5, 2), (6, 1)):
            ours[row, item] = ref[row, item]
    for item, label in enumerate(ITEMS):
        diff = np.abs(ours[:, item] - ref[:, item])
        assert np.array_equal(ours[:, item], ref[:, item]), (
            f"{name} case {number} {label}: {np.count_nonzero(diff)} values differ, "
            f"max {diff.max():.3e}")
    words = np.ravel(slot, order="F")[218:218 + 5 * nsout].reshape(5, nsout)
    np.testing.assert_array_equal(words, np.vstack([r.date, r.ls, r.pressure,
                                                    r.dust_opacity, r.global_frost]))


def test_the_deck_cases_carry_eclipse_and_load():
    """The fidelity set really exercises both styles and the load."""
    deck, _ = _load("decks", "MoonA")
    kinds = [Eclipse.from_parc(c.eclipse).kind if c.eclipse is not None else None
             for c in deck.cases]
    assert kinds[3:5] == ["daily", "daily"] and kinds[5:8] == ["rare"] * 3
    assert deck.cases[2].planet_flux is not None and deck.cases[2].eclipse is None
    assert parc_at_case_start(deck.cases, 3) is None
    # case 6's 14 line gives 10 values: PARC(11) is case 5's last latitude
    assert parc_at_case_start(deck.cases, 6)[10] == deck.cases[4].params.latitudes[-1] == 60.0
    e2, _ = _load("ladder", "e2")
    assert Eclipse.from_parc(e2.cases[0].eclipse).kind == "rare"


def test_spec_values_of_e1():
    """krc-eclipse 9.3: latitude 0, last season: T_s and DOWNVIS around the
    eclipse (13 h: total, DOWNVIS 0), and HEATMM."""
    deck, _ = _load("ladder", "e1")
    case = deck.cases[0]
    r = run(case.params, eclipse=case.eclipse, planet_flux=case.planet_flux)
    hours = list(r.hours)
    at = {h: hours.index(h) for h in (6.0, 12.5, 13.0, 13.5, 18.0, 24.0)}
    ts = r.surface_temperature[:, 1, -1]
    assert [ts[at[h]] for h in (6.0, 12.5, 13.0, 13.5, 18.0, 24.0)] == [
        171.6843329858573, 467.8991205394787, 328.164302198467, 459.0927604059704,
        254.2626251838119, 186.03719244736905]
    dv = r.down_visible[:, 1, -1]
    assert [dv[at[h]] for h in (12.5, 13.0, 13.5)] == [3741.0642788739406, 0.0,
                                                      3490.1442119440244]
    assert r.heat_flow[1, -1] == -0.1430647752179459
    assert list(r.days_computed[:, -1]) == [3, 3, 3]


def _e1():
    deck, _ = _load("ladder", "e1")
    c = deck.cases[0]
    return c.params, Eclipse.from_parc(c.eclipse), PlanetFlux.from_parw(c.planet_flux)


def _e2():
    deck, _ = _load("ladder", "e2")
    c = deck.cases[0]
    return c.params, Eclipse.from_parc(c.eclipse), PlanetFlux.from_parw(c.planet_flux)


def test_threads_give_the_serial_bits():
    """Daily and rare eclipse runs on a thread pool (the core releases the
    GIL; the fine sub-simulation has its own work arrays) equal serial runs."""
    p1, e1, f1 = _e1()
    p2, e2, f2 = _e2()
    jobs = [(p1, e1, f1), (p2, e2, f2), (p1, e1, None), (p2, e2, None)] * 2
    serial = [run(p, eclipse=e, planet_flux=f).hourly for p, e, f in jobs[:4]]
    with ThreadPoolExecutor(max_workers=4) as pool:
        par = list(pool.map(lambda j: run(j[0], eclipse=j[1], planet_flux=j[2]).hourly, jobs))
    for k, h in enumerate(par):
        assert np.array_equal(h, serial[k % 4]), f"job {k} differs from its serial run"


def test_objects_and_arrays_are_the_same_input():
    p, e, f = _e1()
    a = run(p, eclipse=e, planet_flux=f)
    b = run(p, eclipse=e.to_parc(), planet_flux=list(f.to_parw()))
    assert np.array_equal(a.hourly, b.hourly)
    assert np.array_equal(Eclipse.from_parc(e.to_parc()).to_parc(), e.to_parc())


def test_eclipse_darkens_and_load_warms():
    """Physics checks without the reference: the daily eclipse lowers T_s at
    mid-eclipse and leaves the night unchanged in DOWNVIS; the load raises
    the night temperature; a rare eclipse never shows in DOWNVIS."""
    p, e, f = _e1()
    base = run(p)
    ecl = run(p, eclipse=e)
    load = run(p, planet_flux=f)
    i13 = list(base.hours).index(13.0)
    assert ecl.surface_temperature[i13, 1, -1] < base.surface_temperature[i13, 1, -1] - 100.0
    assert ecl.down_visible[i13, 1, -1] == 0.0 < base.down_visible[i13, 1, -1]
    night = list(base.hours).index(24.0)
    assert np.array_equal(ecl.down_visible[night], base.down_visible[night])
    assert np.all(load.surface_temperature[night] > base.surface_temperature[night])
    p2, e2, _ = _e2()
    assert np.array_equal(run(p2, eclipse=e2).down_visible, run(p2).down_visible)


def test_switch_rules():
    """Spec 1.3: PARC(1) outside 0.8..1.2 and below 1.3 is no eclipse; the
    load is on only with PARW(1) > 0 (reflected light alone does nothing);
    a negative debug code PARC(10) switches the daily eclipse off."""
    p, e, f = _e1()
    base = run(p).hourly
    for style in (0.5, 1.25):
        off = Eclipse(*([style] + list(e.to_parc()[1:])))
        assert off.kind == "none"
        assert np.array_equal(run(p, eclipse=off).hourly, base)
    vis_only = PlanetFlux(0.0, 0.0, 0.0, 5.0, 1.0, 0.0, 12.0)
    assert not vis_only.on
    assert np.array_equal(run(p, planet_flux=vis_only).hourly, base)
    debug_off = Eclipse(*(list(e.to_parc()[:9]) + [-1.0]))
    assert np.array_equal(run(p, eclipse=debug_off).hourly, base)


# --- refusals (spec section 7): raised before any time step, naming the parameter


def _with(e: Eclipse, **changes) -> Eclipse:
    values = {k: getattr(e, k) for k in e.__dataclass_fields__}
    values.update(changes)
    return Eclipse(**values)


def test_time_factor_above_49_is_refused():
    _, e, _ = _e2()
    with pytest.raises(InputError, match=r"PARC\(1\).*K\^2 = 64 exceeds 49"):
        _with(e, style=8.0)
    with pytest.raises(InputError, match=r"K\^2 = 64 exceeds 49"):
        run(_e2()[0], eclipse=np.r_[8.0, e.to_parc()[1:]])


def test_unstable_fine_grid_is_refused():
    """A coarse grid only just stable: the first fine sub-layer has a safety
    factor ~0.9 of the coarse one (spec 5.2.6)."""
    p, e, _ = _e2()
    smin = float(np.min(layer_table(p).safety[1:-1]))
    tight = p.replace(arc3_safe=0.99 * smin)
    run(tight.replace(n5=1, jdisk=1))                  # the coarse grid is stable
    with pytest.raises(InputError, match=r"PARC\(1\) = 3.*fine grid is unstable.*ARC3"):
        run(tight, eclipse=e)


def test_rare_window_reaching_midnight_is_refused():
    p, e, _ = _e2()
    with pytest.raises(InputError, match=r"rare eclipse: the window and its follow-on of "
                                         r"latitude 5.00 reach midnight.*PARC\(9\)"):
        run(p, eclipse=_with(e, central_hour=23.8))


def test_rare_window_before_midnight_is_refused():
    p, e, _ = _e2()
    with pytest.raises(InputError, match=r"rare eclipse: the window of latitude 5.00 starts "
                                         r"before midnight.*PARC\(9\)"):
        run(p, eclipse=_with(e, central_hour=0.0))


@pytest.mark.parametrize("hour", [0.0, 24.0])
def test_daily_window_outside_the_sol_is_refused(hour):
    p, e, _ = _e1()
    with pytest.raises(InputError, match=r"daily eclipse: the window of latitude -40.00 "
                                         r"\(steps .*\) reaches outside the sol 1\.\.768.*PARC\(9\)"):
        run(p, eclipse=_with(e, central_hour=hour))


def test_daily_latitude_without_eclipse_is_refused():
    """KRC would reuse stale factors (spec 3.3.1): refused, naming the latitude."""
    p, e, _ = _e1()
    # b' = PARC(7) + sin(lat) R_e/R_o: 1.30 at -40 deg (eclipse), 1.48 at 30 deg
    # (the Sun line passes outside R_o + R_s, about 1.39 R_o).
    with pytest.raises(InputError, match=r"latitude 30.00 has no eclipse.*PARC\(7\)"):
        run(p.replace(latitudes=[-40.0, 30.0], elevations=[0.0, 0.0], n4=2),
            eclipse=_with(e, bias=1.40))
    run(p.replace(latitudes=[-40.0], elevations=[0.0], n4=1, n5=1, jdisk=1),
        eclipse=_with(e, bias=1.40))


def test_fine_window_longer_than_a_sol_schedule_is_refused():
    """(J9 - J3) F > N2: KRC's depth schedule would be stale (spec 5.2.7)."""
    p, e, _ = _e2()
    # A primary 14 times the Earth's radius: a window of ~60 coarse steps.
    with pytest.raises(InputError, match=r"fine window of latitude 5.00 has \d+ fine steps, "
                                         r"more than N2 = 768"):
        run(p, eclipse=_with(e, occulter_radius_km=90000.0))


def test_fine_time_storage_overflow_is_refused():
    p, e, _ = _e2()
    with pytest.raises(InputError, match=r"fine time storage of latitude 5.00 exceeds 393216"):
        run(p.replace(n2=12288), eclipse=_with(e, style=7.0, central_hour=18.0))


def test_unsupported_combinations_are_refused():
    p, e, f = _e2()
    with pytest.raises(UnsupportedOptionError, match=r"rare eclipse .* LKOFT"):
        run(p.replace(lkoft=True), eclipse=e)
    with pytest.raises(UnsupportedOptionError, match=r"planetary heat load .* atmosphere"):
        run(p.replace(ptotal=500.0), planet_flux=f)


@pytest.mark.parametrize("field,value,match", [
    ("occulter_radius_km", -1.0, r"Eclipse.occulter_radius_km \(PARC\(3\).*\) must be > 0"),
    ("synodic_period_days", 0.0, r"Eclipse.synodic_period_days \(PARC\(6\).*must be > 0"),
    ("central_hour", 25.0, r"Eclipse.central_hour \(PARC\(9\)\) must lie in 0..24"),
    ("bias", float("nan"), r"Eclipse.bias must be finite"),
])
def test_eclipse_fields_are_checked(field, value, match):
    _, e, _ = _e1()
    with pytest.raises(InputError, match=match):
        _with(e, **{field: value})


def test_input_forms_are_checked():
    p, _, _ = _e1()
    with pytest.raises(InputError, match="10 to 12 PARC values, got 3"):
        run(p, eclipse=[1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="7 PARW values, got 2"):
        run(p, planet_flux=[1.0, 2.0])
    with pytest.raises(InputError, match=r"PlanetFlux.hour \(PARW\(7\)\) must lie in 0..24"):
        PlanetFlux(0.3, hour=-1.0)
    with pytest.raises(InputError, match="PlanetFlux.ir_mean must be a number"):
        PlanetFlux("hot")  # type: ignore[arg-type]


# --- the profile (spec 9.1), the type-16 series and the tfine records


def test_profile_values_of_the_spec():
    """krc-eclipse 9.1: windows J1..J4 and the partial factors, daily (e1 at
    0, -40, 30 deg), rare (e2 at 5 deg, F = 9) and annular (pf)."""
    _, e1, _ = _e1()
    (j, fac) = eclipse_window(e1, 768, latitude=0.0, sol_days=2.4)
    assert j == (412, 420, 412, 420)
    assert list(fac[413:419]) == [0.6024187426968671, 0.012892447655571515, 0.0, 0.0,
                                  0.012892447655571515, 0.6024187426968671]
    assert np.all(fac[:413] == 1.0) and np.all(fac[419:] == 1.0)
    _, fac = eclipse_window(e1, 768, latitude=-40.0, sol_days=2.4)
    assert list(fac[413:417]) == [0.5822579701175339, 0.0011992515949016402, 0.0, 0.0]
    _, fac = eclipse_window(e1, 768, latitude=30.0, sol_days=2.4)
    assert list(fac[413:417]) == [0.6283598271113842, 0.036448747804517456, 0.0, 0.0]
    _, e2, _ = _e2()
    j, fac = eclipse_window(e2, 768, latitude=5.0, sol_days=29.5306)
    assert j == (429, 435, 429, 435) and fac.size == 63
    assert list(fac[4:8]) == [0.999690462205344, 0.9540429212994094, 0.8761790419233408,
                              0.7799226740217255]
    assert np.all(fac[15:39] == 0.0) and fac[14] > 0.0 and fac[39] > 0.0
    pf = Eclipse(1, 0.5, 1000.0, 3.0e5, 400.0, 2.0, 0.2, 0.0, 12.0, 0.0)
    j, fac = eclipse_window(pf, 768, latitude=15.0, sol_days=2.0)
    assert (j[2], j[3]) == (382, 386)
    assert list(fac[382:386]) == [0.99814253727003, 0.8712274220672778, 0.8712274220672778,
                                  0.99814253727003]


@pytest.mark.fidelity
@pytest.mark.parametrize("name", ["e1", "e2"])
def test_type16_series_equals_the_original(name):
    """T_s of every step of the last sol at latitude NLAD (the deck's 16 line)."""
    deck, _ = _load("ladder", name)
    case = deck.cases[0]
    ref, head = bin5.read(REFERENCE / "ladder" / name / f"{name}tout{name}c01.bin5")
    r = run(case.params, eclipse=case.eclipse, planet_flux=case.planet_flux,
            tout_latitude=case.tout[0])
    assert head.text == "KRCv3.6.5    TLATS output of TOUT"
    assert r.step_surface_temperature is not None
    assert np.array_equal(r.step_surface_temperature, ref)
    assert r.step_surface_temperature[-1] == r.surface_temperature[-1, case.tout[0] - 1, -1]
    assert run(case.params, eclipse=case.eclipse).step_surface_temperature is None


@pytest.mark.fidelity
def test_tfine_records_and_header_equal_the_original(tmp_path):
    """e2tfine01.bin5: the [14, 108, 2] records and the header text; the
    file written by FineRecords.write reads back the same."""
    deck, _ = _load("ladder", "e2")
    case = deck.cases[0]
    ref, head = bin5.read(REFERENCE / "ladder" / "e2" / "e2tfine01.bin5")
    r = run(case.params, eclipse=case.eclipse, planet_flux=case.planet_flux, fine_records=True)
    assert r.fine is not None
    assert r.fine.records.shape == ref.shape == (14, 108, 2)
    assert np.array_equal(r.fine.records, ref)
    assert r.fine.header_text() == head.text
    assert len(head.text) == 342
    assert r.fine.windows.tolist() == [[429, 441, 1], [429, 441, 2]]
    out = tmp_path / "e2tfine01.bin5"
    r.fine.write(out)
    back, bhead = bin5.read(out)
    assert np.array_equal(back, ref) and bhead.text == head.text
    # the records do not change the run
    assert np.array_equal(r.hourly, run(case.params, eclipse=case.eclipse,
                                        planet_flux=case.planet_flux).hourly)


def test_fortran_g_format():
    from legacy_wrap.krc.eclipse import fortran_g
    assert [fortran_g(v) for v in (390000.0, 0.25, 0.000918323, -0.000876522, 0.0, 1.0, 29.5306,
                                   1e7, 0.0999999999)] == [
        "390000.", "0.250000", "0.918323E-03", "-0.876522E-03", "0.00000", "1.00000",
        "29.5306", "0.100000E+08", "0.100000"]


def test_record_capacity_from_a_stale_latitude_is_refused():
    """The capacity M comes from PARC(11) as held at case start (spec 5.2.8);
    if no eclipse is there, M = 0 and the records of 5 deg would spill."""
    p, e, _ = _e2()
    stale = _with(e, bias=1.1, latitude_deg=90.0)
    with pytest.raises(InputError, match=r"fine window of latitude 5.00 \(\d+ fine steps\) "
                                         r"exceeds the record capacity 0 planned from PARC\(11\)"):
        run(p, eclipse=stale, fine_records=True)
    r = run(p, eclipse=stale)                    # without the records it runs
    assert r.fine is None


def test_tout_latitude_is_checked():
    p, e, _ = _e1()
    for bad in (0, 4, 1.5, True):
        with pytest.raises(InputError, match=r"tout_latitude \(NLAD\) must be a latitude index "
                                             r"1..N4 = 3"):
            run(p, eclipse=e, tout_latitude=bad)
    with pytest.raises(InputError, match="eclipse_window needs a daily or rare eclipse"):
        eclipse_window(_with(e, style=0.5), 768)


def _kept_latitude(deck, number: int) -> float:
    """PARC(11) as KRC holds it at the start of case ``number``."""
    parc = parc_at_case_start(deck.cases, number)
    assert parc is not None
    return float(parc[10])


@pytest.mark.fidelity
@pytest.mark.parametrize("name", ["MoonA", "EurH", "PhoH"])
def test_storage_plan_windows_equal_the_print_file(name):
    """The -778 lines of the original's print file: J1, J2 of the storage plan
    (spec 5.2.8) are the profile at the latitude KRC holds at case start,
    with the case's PERIOD as sol: the previous case's last latitude, unless
    the case's own 14 line sets PARC(11) (PhoH's lines give 11 values)."""
    deck, _ = _load("decks", name)
    lines = [ln.split() for ln in (REFERENCE / "decks" / name / f"{name}.prt").read_text(
        errors="replace").splitlines() if ln.split()[:1] == ["-778"]]
    assert lines, "no -778 lines"
    for words in lines:
        number, j1, j2, nf = int(words[1]), int(words[5]), int(words[6]), int(words[7])
        case = deck.cases[number - 1]
        stale = _kept_latitude(deck, number)
        (p1, p2, _, _), _ = eclipse_window(case.eclipse, int(case.params.n2), latitude=stale,
                                           sol_days=float(case.params.period))
        assert (p1, p2) == (j1, j2), f"{name} case {number}"
        k = int(np.floor(Eclipse.from_parc(case.eclipse).style + 0.5))
        assert min(1 + (int(case.params.n1) - 1) * k, 99) == nf


@pytest.mark.fidelity
@pytest.mark.parametrize("kind,name", [("ladder", "e2"), ("decks", "MoonA"), ("decks", "EurH"),
                                       ("decks", "PhoH")])
def test_end_eclipse_lines_equal_the_print_file(kind, name):
    """Every "End eclipse: J4,JJ,KG,delT,delE" line of the original's print
    file (latitude index, J9 + 1, J_low, and the fine-minus-coarse change of
    layer J_low at the hand-back in K and J m-2, as G15.5), from the runs
    of all rare cases of the deck in order."""
    from legacy_wrap.krc.eclipse import fortran_g
    deck, _ = _load(kind, name)
    expected = [ln.split(":", 1)[1].split() for ln in
                (REFERENCE / kind / name / f"{name}.prt").read_text(errors="replace").splitlines()
                if ln.startswith("End eclipse:")]
    ours = []
    for number, case in enumerate(deck.cases, start=1):
        if case.eclipse is None or Eclipse.from_parc(case.eclipse).kind != "rare":
            continue
        parc = parc_at_case_start(deck.cases, number)
        r = run(case.params, eclipse=parc, planet_flux=case.planet_flux, fine_records=True)
        assert r.fine is not None and r.fine.end_done is not None
        ecl = Eclipse.from_parc(parc)
        k = int(np.floor(ecl.style + 0.5))
        jlow = (min(1 + (int(case.params.n1) - 1) * k, 99) - 1) // k + 1
        for j, lat in enumerate(case.params.latitudes):
            (_, _, j3, j4), _ = eclipse_window(parc, int(case.params.n2), latitude=float(lat),
                                               sol_days=float(case.params.period))
            assert bool(r.fine.end_done[j]) == (j4 >= j3)
            if j4 >= j3:
                dt, de = r.fine.end_delta[j]
                ours.append(["J4,JJ,KG,delT,delE", str(j + 1), str(2 * j4 - j3 + 1), str(jlow),
                             fortran_g(dt, 15, 5), fortran_g(de, 15, 5)])
    assert ours == expected


def test_sun_line_beyond_the_profile_geometry_is_refused():
    """A bias so far south that |y0| exceeds R_o + R_s: KRC would take the
    square root of a negative number."""
    p, e, _ = _e1()
    with pytest.raises(InputError, match=r"eclipse \(PARC\): the Sun line passes .* km from the "
                                         r"occulting body.*PARC\(7\).*\(latitude -40.00\)"):
        run(p, eclipse=_with(e, bias=-3.0))


def test_rare_eclipse_needs_a_layer_ratio():
    p, e, _ = _e2()
    with pytest.raises(InputError, match=r"RLAY = 1: the rare-eclipse fine layers need"):
        run(p.replace(rlay=1.0), eclipse=e)


def test_daily_eclipse_over_the_midnight_step_with_an_atmosphere_is_refused():
    """Spec 3.3.2: KRC's S stays eclipsed after the step loop; refused when
    the factor of step N2 is below 1 and an atmosphere uses S afterwards."""
    p, e, _ = _e1()
    late = _with(e, central_hour=23.88)
    (_, _, _, j4), fac = eclipse_window(late, 768, latitude=0.0, sol_days=2.4)
    assert j4 == 768 and fac[-1] < 1.0
    one = p.replace(latitudes=[0.0], elevations=[0.0], n4=1)
    with pytest.raises(InputError, match=r"daily eclipse: the window of latitude 0.00 covers "
                                         r"the midnight step with an atmosphere.*PARC\(9\)"):
        run(one.replace(ptotal=500.0), eclipse=late)
    run(one.replace(n5=1, jdisk=1), eclipse=late)            # airless: computed


def test_eclipse_window_checks_its_input():
    _, e, _ = _e1()
    with pytest.raises(InputError, match="N2 must be an integer >= 2"):
        eclipse_window(e, 1)
    with pytest.raises(InputError, match=r"PARC\(2..6\), PARC\(12\) > 0"):
        eclipse_window(e, 768)                                 # PARC(12) (sol) still 0
