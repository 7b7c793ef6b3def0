"""The KRC parameter table and the Params model (legacy_wrap.krc.params)."""

from __future__ import annotations

import copy
import math
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap.errors import InputError
from legacy_wrap.krc.params import (
    FD_PARAMS,
    ID_PARAMS,
    LD_PARAMS,
    MAXN1,
    MAXN2,
    PARAMETERS,
    Params,
    lookup,
    names,
    validate_value,
)

REFERENCE = Path(os.environ.get("KRC_REFERENCE")
                 or Path(__file__).resolve().parents[1].parent / "shared" / "krc-reference")


def reference_deck(kind: str, name: str) -> Path:
    path = REFERENCE / kind / name / f"{name}.inp"
    if not path.is_file():
        pytest.skip(f"reference deck {path} not found (set KRC_REFERENCE)")
    return path


# ------------------------------------------------------------------------ the table

def test_table_covers_every_deck_input_once():
    assert [p.index for p in FD_PARAMS] == list(range(1, 65))
    assert [p.index for p in ID_PARAMS] == list(range(1, 21))
    assert [p.index for p in LD_PARAMS] == list(range(1, 21))
    attrs = [p.attr for p in PARAMETERS]
    assert len(attrs) == len(set(attrs)) == 104
    assert all(a == a.lower() and a.isidentifier() for a in attrs)
    assert all(p.unit and p.meaning and p.label for p in PARAMETERS)


def test_table_defaults_are_master_inp():
    d = {p.attr: p.default for p in PARAMETERS}
    assert (d["alb"], d["emis"], d["inertia"], d["period"], d["ptotal"]) == (0.25, 1.0, 200.0,
                                                                               1.0275, 546.0)
    assert (d["djul"], d["deljul"], d["fd32"], d["ccpl4"]) == (-1222.69, 17.174822, 3182.48, 24.37532)
    assert [d[k] for k in ("n1", "n2", "n3", "n4", "n5", "n24", "ic2", "jdisk", "nmod")] == \
        [28, 1536, 15, 19, 120, 48, 999, 81, 50]
    assert [p.attr for p in LD_PARAMS if p.default] == ["lp2", "lporb", "local"]


@pytest.mark.parametrize("name, kind, index", [
    ("INERTIA", "FD", 3), ("inertia", "FD", 3), ("SKRC", "FD", 3), ("SPEC_HEAT", "FD", 7),
    ("spht", "FD", 7), ("SpecHeat", "FD", 7), ("SatPrA", "FD", 11), ("abrpha", "FD", 11),
    ("SatPrB", "FD", 32), ("fd32", "FD", 32), ("ARC2_G0", "FD", 21), ("ARC3=Safe", "FD", 22),
    ("PhotoFunc", "FD", 38), ("phog", "FD", 38), ("SOLARDEC", "FD", 43), ("sdec", "FD", 43),
    ("LsubS", "FD", 45), ("L_S", "FD", 45), ("Atm_Cp", "FD", 48), ("ConUp0", "FD", 49),
    ("ccku1", "FD", 49), ("CCKU(1)", "FD", 49), ("ConLo3", "FD", 56), ("SphUp2", "FD", 59),
    ("SphLo3", "FD", 64), ("ccpl4", "FD", 64), ("N24", "ID", 6), ("FlxP14", "ID", 14),
    ("TUN_Flx15", "ID", 15), ("TUN/Flx15", "ID", 15), ("Notif", "ID", 19), ("nmod", "ID", 19),
    ("LKofT", "LD", 10), ("lkoft", "LD", 10), ("Prt76", "LD", 16), ("LPTAVE", "LD", 17),
    ("Prt78", "LD", 18), ("L_ONE", "LD", 20), ("lone", "LD", 20), ("ID24", "ID", 24),
])
def test_lookup_accepts_krc_spellings(name, kind, index):
    info = lookup(name)
    assert (info.kind, info.index) == (kind, index)


def test_lookup_unknown_name_suggests():
    with pytest.raises(KeyError, match="unknown KRC parameter 'inertai'.*inertia"):
        lookup("inertai")
    assert names("LD")[:3] == ["lp1", "lp2", "lp3"]


# ------------------------------------------------------------------------ constructors

def test_mars_is_master_case_1():
    p = Params.mars()
    assert p.title.startswith("Version 356 default values.")
    assert p.fd.dtype == np.float64 and p.fd.shape == (64,)
    assert p.id.dtype == np.int64 and p.id.shape == (20,)
    assert p.ld.dtype == bool and p.ld.shape == (20,)
    assert p.n4 == 19 and p.latitudes[0] == -87.5 and p.latitudes[-1] == 87.5
    assert p.elevations[0] == 3.51 and p.elevations[-1] == -2.57
    assert p.porb is not None and p.porb.shape == (30,) and p.porb[13] == 686.9929
    assert p.zone_table is None and p.id24 == 8
    p.check()


def test_constructors_match_the_reference_decks():
    from legacy_wrap.krc.deck import read_deck
    master = read_deck(reference_deck("decks", "master"))
    assert master.initial == Params.mars() and master.cases[0].params == Params.mars()
    moon = read_deck(reference_deck("decks", "MoonA"))
    assert moon.cases[0].params == Params.moon()
    for made, read in ((Params.mars(), master.initial), (Params.moon(), moon.cases[0].params)):
        for name in ("fd", "id", "ld", "latitudes", "elevations", "porb"):   # bit for bit
            assert getattr(made, name).tobytes() == getattr(read, name).tobytes(), name


def test_moon_values():
    m = Params.moon()
    assert (m.alb, m.emis, m.inertia, m.period, m.ptotal, m.n24, m.n5, m.jdisk) == \
        (0.12, 0.95, 55.0, 29.53, 0.001, 96, 20, 18)
    assert list(m.latitudes) == [-60.0, -30.0, 0.0, 30.0, 60.0] and m.n4 == 5
    assert m.ccku3 == 5.8396e-4 and m.porb[0] == 103.0
    assert m.airless and not Params.mars().airless


# ------------------------------------------------------------------------ access

def test_get_and_set_by_name():
    p = Params.mars()
    assert p.inertia == 200.0 and isinstance(p.inertia, float)
    assert p["SPEC_HEAT"] == 647.0 and p["INERTIA"] == 200.0
    assert p.n2 == 1536 and isinstance(p.n2, int)
    assert p.lporb is True and p.LKofT is False
    p.inertia = 50.0
    p["SpHeat2"] = 800
    p.n2 = np.int32(768)
    p.lkoft = np.bool_(True)
    p.alb = np.float32(0.5)
    assert p.fd[2] == 50.0 and p.fd[15] == 800.0 and p.id[1] == 768 and p.ld[9]
    assert p.alb == 0.5
    p.id24 = 4
    assert p["ID24"] == 4


def test_replace_changes_a_copy_only():
    p = Params.mars()
    q = p.replace(inertia=50.0, n5=3, lporb=False, SPEC_HEAT=700.0)
    assert (q.inertia, q.n5, q.lporb, q.spht) == (50.0, 3, False, 700.0)
    assert p == Params.mars()
    r = p.replace(latitudes=[-30.0, 0.0, 45.0], elevations=[1.0, 0.0, -1.0])
    assert r.n4 == 3 and list(r.elevations) == [1.0, 0.0, -1.0]


def test_set_latitudes_sets_n4():
    p = Params.mars()
    p.set_latitudes([10.0, 20.0])
    assert p.n4 == 2 and list(p.elevations) == [0.0, 0.0]
    p.latitudes = [11.0, 21.0]
    assert list(p.latitudes) == [11.0, 21.0] and p.n4 == 2
    p.elevations = [1.0, 2.0]
    assert p.elevations.dtype == np.float64


@pytest.mark.parametrize("changes, message", [
    (dict(inertia=-5.0),
     r"inertia \(INERTIA, FD 3, unit J m-2 s-1/2 K-1\) = -5.0 is out of range: allowed > 0"),
    (dict(inertia=0.0), r"inertia .* = 0.0 is out of range: allowed > 0"),
    (dict(inertia=float("nan")), r"inertia \(INERTIA, FD 3, .*\) must be finite, got nan"),
    (dict(dens=float("inf")), r"dens \(DENSITY, FD 8, unit kg m-3\) must be finite"),
    (dict(alb=1.5), r"alb \(ALBEDO, FD 1\) = 1.5 is out of range: allowed \[0, 1\]"),
    (dict(alb=-0.1), r"alb .* allowed \[0, 1\]"),
    (dict(emis=0.0), r"emis \(EMISS, FD 2\) = 0.0 is out of range: allowed \(0, 1\]"),
    (dict(slope=95.0), r"slope \(SLOPE, FD 23, unit deg\) = 95.0 .* allowed \[0, 90\]"),
    (dict(n1=1), r"n1 \(N1, ID 1\) = 1 is out of range: allowed \[2, 1000\]"),
    (dict(n1=5000), r"n1 \(N1, ID 1\) = 5000 is out of range: allowed \[2, 1000\]"),
    (dict(n2=16), r"n2 \(N2, ID 2\) = 16 is out of range: allowed \[32, 393216\]"),
    (dict(n3=16), r"n3 .* allowed \[1, 15\]"),
    (dict(n24=1), r"n24 .* allowed \[2, 86400\]"),
    (dict(kpref=3), r"kpref .* allowed \[0, 2\]"),
    (dict(n2=2.0), r"n2 \(N2, ID 2\) must be an integer, got 2.0 \(float\)"),
    (dict(n2=True), r"n2 .* must be an integer, got True \(bool\)"),
    (dict(idown=2**31), r"idown .* does not fit a 32-bit integer"),
    (dict(inertia="fast"), r"inertia .* must be a number, got 'fast' \(str\)"),
    (dict(inertia=True), r"inertia .* must be a number, got True \(bool\)"),
    (dict(lporb=1), r"lporb \(LPORB, LD 11\) must be True or False, got 1 \(int\)"),
    (dict(latitudes=[-30.0, 0.0, 95.0], elevations=[0.0, 0.0, 0.0]),
     r"latitudes must be in \[-90, 90\] deg, got 95.0"),
    (dict(latitudes=[0.0] * 38, elevations=[0.0] * 38), r"latitudes: 38 values given; N4 must be"),
    (dict(latitudes=[0.0, 1.0]), r"elevations has 19 values but latitudes has 2"),
    (dict(n4=3), r"n4 \(N4\) = 3 does not match the 19 latitudes"),
    (dict(title="x" * 85), r"title must be one line of at most 84 characters"),
    (dict(title="a\nb"), r"title must be one line"),
    (dict(title=5), r"title must be a str"),
    (dict(porb=np.zeros(29)), r"porb must have shape \(30,\)"),
    (dict(porb=[float("nan")] * 30), r"porb must be finite"),
    (dict(porb=["a"] * 30), r"porb must hold numbers"),
    (dict(zone_table=np.zeros((3, 3))), r"zone_table must have shape \(n, 4\)"),
    (dict(fd=np.zeros(63)), r"fd must have shape \(64,\)"),
    (dict(id=np.zeros(20)), r"id must be an integer array"),
    (dict(ld=np.zeros(20, dtype=int)), r"ld must be a bool array"),
    (dict(inertai=3.0), r"unknown KRC parameter 'inertai'"),
])
def test_invalid_values_are_rejected_with_name_unit_and_range(changes, message):
    with pytest.raises(InputError, match=message):
        Params.mars().replace(**changes)


def test_rejected_set_leaves_params_unchanged():
    p = Params.mars()
    with pytest.raises(InputError):
        p.inertia = -1.0
    with pytest.raises(InputError):
        p.latitudes = [0.0, 1.0]
    assert p == Params.mars()


def test_unknown_attribute():
    p = Params.mars()
    with pytest.raises(AttributeError, match="no attribute or KRC parameter 'inertai'"):
        p.inertai = 3.0
    with pytest.raises(AttributeError):
        _ = p.nonexistent
    assert not hasattr(p, "nonexistent")
    with pytest.raises(KeyError):
        _ = p["nonexistent"]


def test_validate_value_direct():
    assert validate_value(lookup("n2"), np.int16(64)) == 64
    assert validate_value(lookup("alb"), 1) == 1.0
    with pytest.raises(InputError, match="ALBEDO"):
        validate_value(lookup("alb"), 2)


# ------------------------------------------------------------------------ check()

def test_check_catches_in_place_edits():
    p = Params.mars()
    p.fd[2] = -5.0
    with pytest.raises(InputError, match="inertia"):
        p.check()
    p = Params.mars()
    p.fd[0] = math.nan
    with pytest.raises(InputError, match="alb"):
        p.check()
    p = Params.mars()
    p.id[3] = 3
    with pytest.raises(InputError, match="N4 = 3 does not match the 19 latitudes"):
        p.check()
    p = Params.mars()
    p.latitudes[0] = 100.0
    with pytest.raises(InputError, match="latitudes"):
        p.check()


def test_check_cross_conditions():
    p = Params.mars()
    p.porb = None
    with pytest.raises(InputError, match="LPORB is true but there is no PORB block"):
        p.check()
    p.lporb = False
    p.check()
    p.lzone = True
    with pytest.raises(InputError, match="LZONE is true but there is no zone table"):
        p.check()
    good = [[0.01, 1600.0, 0.04, 647.0], [0.02, -1.0, -1.0, 1.0], [0.1, -2.0, 2.77, 1711.0]]
    p.zone_table = good
    p.check()
    for row, message in [([0.0, 1600.0, 0.04, 647.0], "thickness must be > 0"),
                         ([0.01, 0.0, 0.04, 647.0], "density must be > 0"),
                         ([0.01, 1600.0, -1.0, 7.0], "material pointer, which must be 1, 2, 3 or 4"),
                         ([0.01, 1600.0, 0.04, 0.0], "must be > 0")]:
        p.zone_table = [row] + good[1:]
        with pytest.raises(InputError, match=message):
            p.check()
    p.zone_table = good[:2]
    with pytest.raises(InputError, match="zone_table has 2 rows; at least 3"):
        p.check()


def test_apply_krc_checks_resets_like_krc():
    """The resets and their messages are the Fortran deck reader's (deck_checks)."""
    p = Params.mars()
    assert p.apply_krc_checks() == []
    p.id[1] = 10          # in-place edits bypass validation; KRC resets them
    p.id[2] = 0
    p.id[5] = 1
    p.ic2 = 2
    p.jdisk = 0
    p.nmod = 0
    p.drset = 0.5
    p.taud = -1.0
    msgs = p.apply_krc_checks()
    assert (p.n2, p.n3, p.n24, p.ic2, p.jdisk, p.nmod, p.drset, p.taud) == \
        (MAXN2 // 2, 8, 24, 999, 9999, 1, 0.0, 0.0)
    assert msgs == ["N2 = 10 outside 32..393216: reset to 196608",
                    "N3 = 0 outside 1..15: reset to 8",
                    "N24 = 1 outside 2..86400: reset to 24",
                    "IC2 = 2 < 3 (homogeneous): reset to 999",
                    "JDISK = 0 <= 0 (no output): reset to 9999",
                    "NMOD = 0 < 1: reset to 1",
                    "DRSET /= 0: reset to 0",
                    "TAUD < 0: reset to 0"]
    assert p.apply_krc_checks() == []
    p.check()


def test_apply_krc_checks_n1_with_isothermal_bottom_and_n4():
    p = Params.mars().replace(n1=MAXN1, iib=-1)
    assert p.apply_krc_checks() == [
        "N1 = 1000 outside 2..1000: reset to 500"]
    p = Params.mars()
    p.id[3] = 40
    msgs = p.apply_krc_checks()
    assert p.n4 == 18 and p.latitudes.size == 18 and p.elevations.size == 18
    assert msgs == ["N4 = 40 outside 1..37: reset to 18"]


# ------------------------------------------------------------------------ object protocol

def test_copy_equality_pickle_and_repr():
    p = Params.mars()
    q = p.copy()
    assert q == p and q is not p and q.fd is not p.fd
    q.fd[0] = 0.3
    assert q != p and p.alb == 0.25
    assert q.diff(p) == ["alb: 0.3 != 0.25"]
    assert pickle.loads(pickle.dumps(p)) == p
    assert copy.deepcopy(p) == p and copy.copy(p) == p
    assert p != Params.moon() and (p == "x") is False
    with pytest.raises(TypeError):
        hash(p)
    text = repr(p)
    assert "Version 356" in text and "inertia=200.0" in text and "N4=19" in text


def test_nsout_and_to_dict():
    p = Params.mars()
    assert p.nsout == 40
    assert p.replace(jdisk=0).nsout == 0
    d = p.to_dict()
    assert len(d) == 105 and d["inertia"] == 200.0 and d["lporb"] is True and d["id24"] == 8
    assert dict(p.items()) == d
    assert "inertia" in dir(p)


def test_constructor_checks_consistency():
    p = Params.mars()
    with pytest.raises(InputError, match="N4 = 19 does not match the 2 latitudes"):
        Params(fd=p.fd, id=p.id, ld=p.ld, latitudes=[0.0, 1.0], elevations=[0.0, 0.0])
    q = Params(fd=p.fd, id=p.id, ld=p.ld, latitudes=p.latitudes, elevations=p.elevations,
               title=p.title, porb=p.porb)
    assert q == p
