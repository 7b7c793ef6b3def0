"""Temperatures at a point (legacy_wrap.krc.point): KRC's one-point requests.

* fidelity: the requests of the reference one-point files (ladder p1: Mars with
  an atmosphere, hours 0 and 24, slopes, a frost point, implied decimals; p2:
  the airless Moon; the shipped Mone) give the Ls, T_s and T_p columns that the
  original printed, as text;
* exactness: at an output hour, point() returns the hourly sample of the same
  case run with run(); threads give the serial bits;
* errors: every refused input names itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from legacy_wrap.errors import InputError, ModelError
from legacy_wrap.krc import Params, point, read_deck, run

from conftest import REFERENCE

#: Request columns of a one-point file (krc-onepoint.md 2.2): name, first and
#: last column, implied decimals.
COLUMNS = {"ls": (3, 8, 1), "latitude": (9, 14, 1), "hour": (15, 20, 2),
           "elevation": (21, 25, 1), "albedo": (26, 30, 2), "inertia": (31, 37, 1),
           "tau": (38, 42, 2), "slope": (43, 47, 1), "azimuth": (48, 52, 0)}
ONE_POINT = [("ladder", "p1", "p1.one"), ("ladder", "p2", "p2.one"), ("decks", "Mone", "oneA.one")]


def _field(record: str, first: int, last: int, decimals: int) -> float:
    """A fixed-format field as KRC reads it: blanks ignored, implied decimals."""
    text = record[first - 1:last].replace(" ", "")
    if not text:
        return 0.0
    return float(text) if "." in text else float(text) / 10 ** decimals


def _requests(path: Path) -> dict[str, np.ndarray]:
    lines = path.read_text(encoding="latin-1").splitlines()[2:]
    records = [line[:80].ljust(80) for line in lines if line.split()[:1] == ["11"]]
    return {k: np.array([_field(r, *c) for r in records]) for k, c in COLUMNS.items()}


@pytest.mark.fidelity
@pytest.mark.parametrize("kind,name,one", ONE_POINT, ids=[n for _, n, _ in ONE_POINT])
def test_point_prints_what_the_one_point_mode_printed(kind: str, name: str, one: str) -> None:
    folder = REFERENCE / kind / name
    if not (folder / one).is_file():
        pytest.skip(f"reference one-point deck {kind}/{name} not found under {REFERENCE}")
    params = read_deck(folder / f"{name}.inp").cases[-1].params   # the values at the switch
    req = _requests(folder / one)
    r = point(params, **req)
    printed = [line for line in (folder / f"{name}.prt").read_text(encoding="latin-1").splitlines()
               if line.startswith(" 11")]
    assert len(printed) == req["ls"].size >= 9
    for i, line in enumerate(printed):
        # Ls F6.1 (the last season's), then T_s and T_p F7.2 (onepoint 5.2).
        assert line[3:9] == f"{r.ls[i]:6.1f}", (i, line)
        assert line[53:67] == f"{r.surface_temperature[i]:7.2f}{r.planetary_temperature[i]:7.2f}", \
            (i, line)


def _moon(**changes) -> Params:
    base = dict(n5=3, jdisk=1, n2=768, n24=24)
    base.update(changes)
    return Params.moon().replace(**base)


def test_point_at_an_output_hour_is_the_hourly_sample_of_run() -> None:
    p = _moon()
    hours = 24.0 * np.arange(1, 25) / 24
    r = point(p, ls=123.0, latitude=30.0, hour=hours, albedo=0.1, inertia=70.0)
    q = p.replace(djul=float(r.date[0]), latitudes=[30.0], elevations=[0.0], alb=0.1,
                  inertia=70.0)
    ref = run(q)
    np.testing.assert_array_equal(r.surface_temperature, ref.surface_temperature[:, 0, -1])
    assert np.all(r.date == r.date[0]) and abs(r.ls[0] - 123.0) < 1e-6
    assert ref.ls[-1] == r.ls[0]
    # airless: T_p = T_s - (hourly T_s interpolated) = 0 at the samples
    np.testing.assert_array_equal(r.planetary_temperature, 0.0)


def test_point_hours_0_and_24_agree_and_between_steps_interpolates() -> None:
    p = _moon()
    r = point(p, ls=200.0, latitude=-10.0, hour=[0.0, 24.0, 12.0, 12.01, 12.03125])
    ts = r.surface_temperature
    assert ts[0] == ts[1]
    # 12.01 h lies between the steps at 12.0 h and 12.03125 h (N2 768): linear
    f = 0.01 / 0.03125
    assert abs(ts[3] - (ts[2] + f * (ts[4] - ts[2]))) < 1e-9


def test_point_broadcasts_and_keeps_shapes() -> None:
    p = _moon()
    r = point(p, ls=90.0, latitude=0.0, hour=12.0)
    assert r.surface_temperature.shape == () and np.isfinite(r.surface_temperature)
    r2 = point(p, ls=[90.0, 180.0], latitude=[[0.0], [45.0], [-45.0]], hour=13.0, threads=2)
    assert r2.surface_temperature.shape == (3, 2)
    one = point(p, ls=180.0, latitude=45.0, hour=13.0)
    assert r2.surface_temperature[1, 1] == one.surface_temperature


def test_point_threads_give_the_serial_bits() -> None:
    p = _moon()
    req = dict(ls=np.linspace(0.0, 330.0, 12), latitude=np.linspace(-60.0, 60.0, 12),
               hour=np.linspace(0.5, 23.5, 12), inertia=np.linspace(30.0, 300.0, 12))
    a = point(p, threads=1, **req)
    b = point(p, threads=2, **req)
    assert a.surface_temperature.tobytes() == b.surface_temperature.tobytes()
    assert a.planetary_temperature.tobytes() == b.planetary_temperature.tobytes()


def test_point_accepts_the_krc_names() -> None:
    p = _moon()
    a = point(p, ls=90.0, latitude=10.0, hour=9.0, albedo=0.2, inertia=90.0, azimuth=45.0,
              slope=10.0, elevation=1.0)
    b = point(p, subs=90.0, lat=10.0, houro=9.0, alb=0.2, skrc=90.0, sloazi=45.0, slope=10.0,
              elev=1.0)
    assert a.surface_temperature == b.surface_temperature


@pytest.mark.parametrize("kwargs,message", [
    (dict(hour=25.0), r"hour must be a local time in \[0, 24\] h; got 25\.0"),
    (dict(hour=-1.0), r"hour must be a local time in \[0, 24\] h; got -1\.0"),
    (dict(latitude=[0.0, 95.0]), r"latitude must be in \[-90, 90\] degrees; got 95\.0 \(1 of 2"),
    (dict(albedo=1.5), r"albedo must be in \[0, 1\]"),
    (dict(inertia=0.0), r"inertia must be > 0"),
    (dict(tau=-0.1), r"tau must be >= 0"),
    (dict(slope=91.0), r"slope must be in \[0, 90\]"),
    (dict(ls=float("nan")), r"ls must be a finite number"),
    (dict(colour=1.0), r"unknown request input 'colour'"),
    (dict(ls=[1.0, 2.0], latitude=[1.0, 2.0, 3.0]), r"do not broadcast together"),
    (dict(lat=1.0), r"'latitude' given twice \(as 'lat'\)"),
])
def test_point_refuses_bad_requests(kwargs, message) -> None:
    req = dict(ls=90.0, latitude=0.0, hour=12.0)
    req.update(kwargs)
    with pytest.raises(InputError, match=message):
        point(_moon(), **req)


def test_point_needs_ls_an_orbit_and_no_lkey() -> None:
    with pytest.raises(InputError, match="'hour' is required"):
        point(_moon(), ls=90.0, latitude=0.0)
    with pytest.raises(InputError, match="needs a PORB block"):
        point(_moon(lporb=False), ls=90.0, latitude=0.0, hour=1.0)
    with pytest.raises(InputError, match="LKEY must be false"):
        point(_moon(lkey=True), ls=90.0, latitude=0.0, hour=1.0)
    with pytest.raises(InputError, match="takes a Params object"):
        point({"n5": 3}, ls=90.0, latitude=0.0, hour=1.0)


def test_a_failing_request_names_itself() -> None:
    # so small an inertia blows the surface temperature up in the core
    with pytest.raises(ModelError, match=r"point request 1 \(ls=90, latitude=0, hour=12.*inertia=1e-05"
                       r".*blow-up"):
        point(_moon(), ls=90.0, latitude=0.0, hour=12.0, inertia=[50.0, 1e-5])


@pytest.mark.parametrize("name", ["ls", "subs", "LsubS", "sdec", "dau"])
def test_an_input_the_orbit_overrides_is_refused(name: str) -> None:
    """With LPORB, SDEC, DAU and Ls come from the orbit: setting them would
    change nothing, so replace() says so and names what to use instead."""
    with pytest.raises(InputError, match=rf"{name}=1\.0 would change nothing: with LPORB true "
                                         r".*set lporb=False as well"):
        Params.mars().replace(**{name: 1.0})
    assert Params.mars().replace(lporb=False, **{name: 1.0})[name] == 1.0


def test_ls_hint_names_point_and_at_ls() -> None:
    with pytest.raises(InputError, match=r"point\(params, ls=.*params\.at_ls\(ls, season=\.\.\.\)"):
        Params.mars().replace(ls=90)


def test_at_ls_is_lkey_bit_for_bit() -> None:
    m = Params.moon().replace(n5=4, jdisk=3)
    a = run(m.at_ls(90.0))
    b = run(m.replace(lkey=True, djul=90.0))
    assert a.hourly.tobytes() == b.hourly.tobytes()
    assert a.ls[0] == b.ls[0] and abs(a.ls[0] - 90.0) < 1e-9
    c = run(m.at_ls(90.0, season=4))
    assert abs(c.ls[-1] - 90.0) < 1e-9
    assert not m.at_ls(90.0).lkey


@pytest.mark.parametrize("args,message", [
    ((90.0, 0), r"season must be an integer in 1\.\.N5 = 4, got 0"),
    ((90.0, 2.5), r"season must be an integer"),
    (("x",), r"ls must be a number of degrees"),
    ((float("inf"),), r"ls must be finite"),
])
def test_at_ls_refuses_bad_input(args, message) -> None:
    with pytest.raises(InputError, match=message):
        Params.moon().replace(n5=4, jdisk=3).at_ls(*args)
    with pytest.raises(InputError, match="no PORB block"):
        Params.moon().replace(lporb=False).at_ls(90.0)
