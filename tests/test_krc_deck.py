"""The KRC deck reader and writer (legacy_wrap.krc.deck)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legacy_wrap.errors import DeckError, FileAccessError, InputError
from legacy_wrap.krc.deck import (
    Deck,
    change_lines,
    parse_deck,
    parse_fixed_real,
    read_deck,
    read_season_table,
    read_zone_table,
    write_deck,
)
from legacy_wrap.krc.params import FD_PARAMS, ID_PARAMS, Params

REFERENCE = Path(os.environ.get("KRC_REFERENCE")
                 or Path(__file__).resolve().parents[1].parent / "shared" / "krc-reference")
DECKS = sorted(REFERENCE.glob("decks/*/*.inp")) + sorted(REFERENCE.glob("ladder/*/*.inp"))
T52S = sorted(REFERENCE.glob("decks/*/*.t52")) + sorted(REFERENCE.glob("ladder/*/*.t52"))
needs_reference = pytest.mark.skipif(not DECKS, reason=f"no reference decks under {REFERENCE} "
                                     "(set KRC_REFERENCE)")


def original_case_count(deck: Path) -> int | None:
    """Cases the original program ran on ``deck``, read from its print file
    (one ``Case n DTIME`` line per finished case); None for a one-point deck,
    whose print file has a result line per request instead (formats 5)."""
    prt = deck.with_suffix(".prt").read_text(encoding="latin-1")
    n = sum(1 for line in prt.splitlines() if "DTIME" in line)
    return n or None

# A small self-contained deck (master.inp layout, 3 latitudes) for synthetic tests.
HEADER = """\
0 0 / KOLD KEEP
test deck
    ALBEDO     EMISS   INERTIA     COND2     DENS2    PERIOD SPEC_HEAT   DENSITY
       .25      1.00     200.0      2.77     928.0    1.0275      647.     1600.
      CABR       AMW    SatPrA    PTOTAL     FANON      TATM     TDEEP   SpHeat2
      0.11      43.5   27.9546       0.5      .055      200.     180.0     1711.
      TAUD     DUSTA    TAURAT     TWILI   ARC2_G0 ARC3_Safe     SLOPE    SLOAZI
       0.3       .90      0.25       0.0       0.5     0.801       0.0       90.
    TFROST    CFROST    AFROST     FEMIS       AF1       AF2    FROEXT    SatPrB
     146.0   589944.       .65      0.95      0.54    0.0009       50.   3182.48
      RLAY      FLAY     CONVF     DEPTH     DRSET PhotoFunc       GGT     DTMAX
    1.1500      .100       3.0       0.0       0.0       0.0       0.1       0.1
      DJUL    DELJUL  SOLARDEC       DAU     LsubS    SOLCON      GRAV    Atm_Cp
  -1222.69 17.174822      00.0     1.465        .0     1368.     3.727     735.9
    ConUp0    ConUp1    ConUp2    ConUp3    ConLo0    ConLo1    ConLo2    ConLo3
  0.038640 -0.002145  0.002347 -0.000750  2.766722 -1.298966  0.629224 -0.527291
    SphUp0    SphUp1    SphUp2    SphUp3    SphLo0    SphLo1    SphLo2    SphLo3
  646.6275  246.6678  -49.8216    7.9520  1710.648  721.8740  57.44873  24.37532
        N1        N2        N3        N4        N5       N24       IIB       IC2
        20      1536        15         3         8        24         0       999
     NRSET      NMHA      NRUN     JDISK     IDOWN    FlxP14 TUN_Flx15     KPREF
         3        24         0         1         0        45        65         1
     K4OUT     JBARE     Notif    IDISK2                                     end
        52         0        50         0                                       0
    LP1    LP2    LP3    LP4    LP5    LP6 LPGLOB   LVFA   LVFT  LKofT
      F      T      F      F      F      F      F      F      F      F
  LPORB   LKEY    LSC  LZONE  LOCAL  Prt76 LPTAVE  Prt78  Prt79  L_ONE
      T      F      F      F      T      F      F      F      F      F
Latitudes: in 10F7.2  _____7 _____7 _____7 _____7 _____7 _____7 _____7
 -30.00   0.00  45.00
 _____7 _____7 _____7 Elevations: in 10F7.2 ____7 _____7 _____7 _____7
   1.00  -2.00   0.50
 2013 Jul 24 11:28:09=RUNTIME.  IPLAN AND TC= 104.0 0.10000 Mars:Mars
   104.0000      0.1000000      0.8644665      0.3226901E-01  -1.281586
  0.9340198E-01   1.523712      0.4090926       0.000000      0.9229373
   5.544402       0.000000       0.000000       686.9929       3397.977
   24.62296       0.000000      -1.240317       0.000000       0.000000
   0.000000      0.3244965      0.8559126      0.4026359     -0.9458869
  0.2936298      0.1381285       0.000000     -0.4256703      0.9048783
"""
HEADER_LINES = HEADER.splitlines()
N_HEADER = len(HEADER_LINES)          # 39: change lines start at line 40
PORB_BLOCK = "\n".join(HEADER_LINES[-7:])
ZONE_TABLE = """comment
C_END
.0039 1600. 0.03864  647.   Zone 1
.0093 1600.  -1.       1.   upper material

.0116  -1   0.03864  647.
.1    -2    2.77    1711.   last zone
 0  0  0  0  -------- stop
 junk after the stop
"""


def deck(*change_lines_: str, header: str = HEADER, **kw) -> Deck:
    return parse_deck(header + "".join(line + "\n" for line in change_lines_), path="x.inp", **kw)


def with_line(lineno: int, text: str) -> str:
    lines = list(HEADER_LINES)
    lines[lineno - 1] = text
    return "\n".join(lines) + "\n"


def error_of(text: str, **kw) -> DeckError:
    with pytest.raises(DeckError) as info:
        parse_deck(text, path="x.inp", **kw)
    return info.value


# ======================================================================== field reading

@pytest.mark.parametrize("field, d, value", [
    ("        28", 2, 0.28), ("      5e-2", 2, 0.0005), ("0     0", 2, 0.0), ("  . 0009", 2, 0.0009),
    ("5.8396e-4 ", 2, 5.8396e-4), ("          ", 2, 0.0), ("  1.5D3   ", 2, 1500.0),
    ("   1.5+3  ", 2, 1500.0), ("  -1.5d-3 ", 2, -0.0015), ("  2 5 ", 2, 0.25), ("-87.50", 2, -87.5),
    ("     0.1000000 ", 7, 0.1), ("    104", 7, 1.04e-5), ("  1 2 3", 0, 123.0), ("+.5E1", 2, 5.0),
])
def test_fixed_real_fields(field, d, value):
    assert parse_fixed_real(field, d) == value


@pytest.mark.parametrize("field", ["abc", "1.2.3", "1e", "e5", "--1", "1,5", "1 e 5x"])
def test_fixed_real_field_errors(field):
    assert parse_fixed_real(field, 2) is None


# ======================================================================== reference decks

@needs_reference
@pytest.mark.parametrize("path", DECKS, ids=[p.stem for p in DECKS])
def test_every_reference_deck_parses(path):
    d = read_deck(path)
    expected = original_case_count(path)
    # A one-point deck is read up to its type-10 line (one-point mode).
    assert len(d.cases) == (expected or 1)
    assert d.kold == 0 and d.initial.n4 == d.initial.latitudes.size
    for case in d.cases:
        case.params.check()
    assert d.end_reason == ("0/" if expected else "one-point")


def _t52_commons(path: Path) -> list[dict[str, np.ndarray]]:
    """Per case: the parameter common stored in a type-52 file (formats 3.2, 3.3)."""
    raw = path.read_bytes()
    head = raw[:512].decode("latin-1").split()
    dims = [int(x) for x in head[1:1 + int(head[0])]]
    kase = int(np.prod(dims[:4]))
    out = []
    for c in range(dims[4]):
        start = 512 + 8 * (c * kase + 4)          # the common starts at word 4 of the case
        com = raw[start:start + 1712]
        out.append({"fd": np.frombuffer(com, "<f8", 96, 0),
                    "alat": np.frombuffer(com, "<f8", 37, 768),
                    "elev": np.frombuffer(com, "<f8", 37, 1064),
                    "id": np.frombuffer(com, "<i4", 40, 1360),
                    "ld": np.frombuffer(com, "<i4", 20, 1520),
                    "title": np.frombuffer(com, "S84", 1, 1600)[0]})
    return out


@needs_reference
@pytest.mark.parametrize("t52", T52S, ids=[p.parent.name for p in T52S])
def test_parameters_equal_the_common_stored_by_krc(t52):
    """Case by case, the parsed parameters (after KRC's resets) are the ones the
    original program stored.  Values the program computes are skipped: SDEC, DAU
    and Ls (FD 43-45) with LPORB in this or an earlier case (the geometry carries
    over); TAUD (FD 17) with a seasonal opacity table;
    FLAY (FD 34) when DEPTH is set; N3 (days actually used) and NRUN (run counter).
    The cases stored in a file are those of the folder's decks whose type-8
    line names it (a folder may hold several decks, a deck several files)."""
    cases = []
    for deck in sorted(t52.parent.glob("*.inp")):
        lporb_seen = False
        for case in read_deck(deck).cases:
            lporb_seen = lporb_seen or bool(case.params.lporb)
            if Path(case.files.get(5, "")).name == t52.name:
                cases.append((case, lporb_seen))
    commons = _t52_commons(t52)
    if any(original_case_count(deck) is None for deck in t52.parent.glob("*.inp")):
        _one_point_commons_equal(t52, commons)
        return
    assert len(commons) == len(cases)
    for (case, lporb_seen), ref in zip(cases, commons, strict=True):
        p = case.params.copy()
        p.apply_krc_checks()
        skip_fd = {43, 44, 45} if lporb_seen else set()
        if 23 in case.files:
            skip_fd.add(17)
        if p.depth != 0:
            skip_fd.add(34)
        for info in FD_PARAMS:
            if info.index not in skip_fd:
                assert p.fd[info.slot] == ref["fd"][info.slot], (case.number, info.label)
        for info in ID_PARAMS:
            if info.index not in (3, 11):
                assert p.id[info.slot] == ref["id"][info.slot], (case.number, info.label)
        assert p.id24 == ref["id"][23]
        assert list(p.ld) == [bool(x) for x in ref["ld"]], case.number
        assert np.array_equal(p.latitudes, ref["alat"][:p.n4])
        assert np.array_equal(p.elevations, ref["elev"][:p.n4])
        assert ref["title"].decode("latin-1").rstrip() == p.title


def _one_point_commons_equal(t52: Path, commons: list[dict]) -> None:
    """A one-point deck: its requests are the cases (krc-onepoint 4, 7), as the
    Fortran case driver plans them (the deck reader stops at the type-10 line).
    SDEC, DAU, Ls (FD 43-45) are computed, N3 and NRUN skipped as above; the
    hour of each request (FD 84) is compared too."""
    from legacy_wrap.krc.console import plan_deck

    (deck,) = t52.parent.glob("*.inp")
    here = os.getcwd()
    os.chdir(deck.parent)               # the one-point file is named relative to the deck
    try:
        plans = plan_deck(deck.name, "").cases
    finally:
        os.chdir(here)
    assert len(commons) == len(plans) >= 1
    for plan, ref in zip(plans, commons, strict=True):
        assert plan.onepoint
        for info in FD_PARAMS:
            if info.index not in (43, 44, 45):
                assert plan.fd[info.slot] == ref["fd"][info.slot], (plan.number, info.label)
        assert plan.fd[83] == ref["fd"][83], plan.number
        for info in ID_PARAMS:
            if info.index not in (3, 11):
                assert plan.id[info.slot] == ref["id"][info.slot], (plan.number, info.label)
        assert list(plan.ld.astype(bool)) == [bool(x) for x in ref["ld"]], plan.number
        assert np.array_equal(plan.latitudes, ref["alat"][:len(plan.latitudes)])
        assert np.array_equal(plan.elevations, ref["elev"][:len(plan.elevations)])
        assert ref["title"].decode("latin-1").rstrip() == plan.title.rstrip()


def ref_deck(name: str) -> Deck:
    path = next((p for p in DECKS if p.stem == name), None)
    if path is None:
        pytest.skip(f"reference deck {name} not found under {REFERENCE}")
    return read_deck(path)


def test_moona_details():
    d = ref_deck("MoonA")
    assert d.kdb == 1 and d.debug == (0, 0, 0, 0, 0, 0)
    c1 = d.cases[0]
    assert list(c1.params.latitudes) == [-60.0, -30.0, 0.0, 30.0, 60.0]   # '0     0' is 0.00
    assert [ch.type for ch in c1.changes] == [2, 8, 16]
    assert c1.t52_name == "./out/MoonA.t52" and c1.tout == (3, "00N") and not c1.computable
    assert d.cases[1].params.iib == 20 and d.cases[8].params.iib == 20   # persists
    assert d.cases[2].planet_flux is not None and d.cases[2].planet_flux[6] == 12.0
    assert d.cases[3].eclipse is not None and list(d.cases[3].eclipse[:3]) == [1.0, 1.0, 6371.008]
    last = d.cases[8]
    assert (last.params.ic2, last.params.dens, last.params.dens2, last.params.lkoft) == \
        (7, 1275.0, 1625.0, True)
    assert last.changes[-1].text == "LKofT / use T-dep properties"
    assert any("unterminated quote" in w for w in d.warnings)
    assert d.end_line == 68            # the notes after the end-of-run lines are not read


def test_eurh_d_exponents_and_ended_run():
    d = ref_deck("EurH")
    assert d.cases[4].eclipse is not None and d.cases[4].eclipse[3] == 0.6711e6
    assert d.cases[1].params.slope == 30.0 and d.cases[2].params.slope == 0.0
    assert d.end_line == 66


def test_crlf_deck_and_type8_names():
    d = ref_deck("krc_OK")
    c = d.cases[0]
    assert c.params.n1 == 37 and c.params.lkey and c.params.i15 == 0 and c.params.dens2 == 1860.0001
    assert c.files == {23: "./taufile.tab", 5: "./out/krc_OK.t52"}
    # The seasonal opacity table is recorded (read when the case runs; here it
    # is not beside the deck, so reading it names the file).
    assert 23 in c.table_files and c.table_files[23][0].name == "taufile.tab"
    with pytest.raises(DeckError, match="taufile.tab"):
        c.season_tables()
    assert d.initial.porb is not None and d.initial.porb[18] == 0.4397026


def test_one_point_deck():
    d = ref_deck("Mone")
    c = d.cases[0]
    assert d.end_reason == "one-point" and c.one_point_file == "oneA.one" and c.ended_by == "type 10"
    assert c.params.alb == 0.25 and c.params.idisk2 == 0 and c.params.jdisk == 0
    assert any("JDISK = 0 <= 0 (no output): reset to 9999" in w for w in c.warnings)


def test_invalid_type8_index_is_a_warning():
    d = ref_deck("mastes")
    assert d.cases[0].t52_name is None
    assert any("type 8 index 0 is not a valid file type" in w for w in d.warnings)


def test_zone_table_deck():
    d = ref_deck("z1")
    p = d.cases[0].params
    assert p.lzone and p.zone_table.shape == (5, 4) and p.zone_table[3, 1] == 928.0
    assert d.cases[0].zone_file.name == "zone.tab"
    assert not d.initial.lzone and d.initial.zone_table is None


# ======================================================================== change lines

def test_list_directed_items():
    d = deck("1,23,,'x' /", "1 23 30. Slope /", "2 5 3*7 /", "7 0 0 'it''s, a / title' /",
             "1 1 0.3D0 'a'", "0/", "0/")
    p = d.cases[0].params
    assert p.slope == 30.0 and p.n5 == 7 and p.title == "it's, a / title" and p.alb == 0.3


def test_null_value_keeps_previous_and_slash_keeps_the_rest():
    d = deck("1 3 50. 'INERTIA' /", "1 7 ,", "1 /", "0/", "0/")
    # '1 7 ,' has too few items (439); '1 /' re-applies FD(7) = 50 from the kept values
    assert len(d.cases) == 2
    assert d.cases[0].params.inertia == 50.0 and d.cases[0].ended_by == "error 439"
    assert d.cases[1].params.spht == 50.0


def test_only_80_columns_are_read():
    line = "12 0.038640 -0.002145 0.002347 -0.000750 2.766722 -1.298966 0.629224"
    line = line.ljust(72) + "-0.527291 / more"
    assert line[72:80] == "-0.52729"
    p = deck(line, "1 3 250. 'INERTIA' /" + " " * 60 + "garbage", "0/").cases[0].params
    assert p.cckl4 == -0.52729 and p.inertia == 250.0


def test_error_439_ends_the_list_and_starts_the_next():
    d = deck("1 3 300.", "1 1 0.3 'ALB' /", "0/", "0/")
    assert len(d.cases) == 2
    c1, c2 = d.cases
    assert c1.ended_by == "error 439" and c1.params.inertia == 200.0
    assert not c1.changes[0].applied and "439" in c1.changes[0].note
    assert c2.params.alb == 0.3 and c2.params.inertia == 200.0
    assert any("error 439" in w for w in d.warnings)


def test_blank_line_between_cases_runs_a_case():
    d = deck("0/", "", "1 1 0.3 'ALB' /", "0/", "0/")
    assert len(d.cases) == 3 and d.cases[1].changes[0].type is None
    assert d.cases[1].params.alb == 0.25 and d.cases[2].params.alb == 0.3
    assert d.end_line == N_HEADER + 5


def test_first_zero_of_a_later_list_ends_the_run():
    d = deck("0/", "0/", "1 3 300. 'never read' /", "this is not a change line")
    assert len(d.cases) == 1 and d.end_reason == "0/" and d.end_line == N_HEADER + 2


def test_end_of_file_ends_the_run_without_the_pending_case():
    d = deck("1 1 0.3 'ALB' /", "0/", "1 3 99. 'INERTIA' /")
    assert len(d.cases) == 1 and d.end_reason == "end of file"
    assert len(d.pending) == 1 and any("never run" in w for w in d.warnings)
    # A deck that ends before its first case's 0/ is an error (no case would run),
    # as in both krc programs; it was read as 0 cases before.
    for lines in ((), ("1 1 0.3 'ALB' /",)):
        with pytest.raises(DeckError, match=rf"x.inp, line {N_HEADER + 1 + len(lines)}: "
                           "unexpected end of file: expected a change line or the 0/"):
            deck(*lines)


def test_types_12_to_16():
    d = deck("12 1 2 3 4 5 6 7 8 / conductivity", "13 9 10 / first two only",
             "14 1 1. 6371. 384.4e3 1737. 29.53 0.0 6000 12. 7", "15 0.1 0 0 0.2 0 0 12 / flux",
             "16 2 'stem' /", "0/", "14 0 / eclipse off", "15 0 /", "16 0 'off'", "0/", "0/")
    c1, c2 = d.cases
    assert list(c1.params.fd[48:56]) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert list(c1.params.fd[56:58]) == [9, 10] and c1.params.ccpu3 == -49.8216
    assert c1.eclipse is not None and c1.eclipse[8] == 12.0 and c1.tout == (2, "stem")
    assert len(c1.unsupported) == 3 and not c1.changes[2].supported
    assert c2.eclipse is None and c2.planet_flux is None and c2.tout is None and c2.computable


def test_types_2_3_6_7():
    d = deck("2 24 4 'ID24' /", "2 18 2.5 'JBARE' /", "2 20 -2.5 /", "3 10 1 'LKofT' /",
             "3 2 0 'LP2' /", "7 0 0 'New title' /", "6 0 0 'PORB' /", PORB_BLOCK.replace(
                 "104.0000", "101.0000"), "2 4 2 'N4' /", "0/", "0/")
    p = d.cases[0].params
    assert (p.id24, p.jbare, p.idisk2, p.lkoft, p.lp2, p.title) == (4, 3, -3, True, False, "New title")
    assert p.porb[0] == 101.0 and d.cases[0].changes[6].numbers[0] == 101.0
    assert len(d.cases[0].changes[6].block) == 7
    assert list(p.latitudes) == [-30.0, 0.0] and list(p.elevations) == [1.0, -2.0]


def test_types_4_5_read_as_intended_and_flagged():
    d = deck("4 0 0 /", "  10.00  20.00  30.00", "5 0 0 /", "   1.0    2.0    3.0", "0/", "0/")
    c = d.cases[0]
    assert list(c.params.latitudes) == [10.0, 20.0, 30.0]
    assert list(c.params.elevations) == [1.0, 2.0, 3.0]
    assert not c.computable and len(c.unsupported) == 2


def test_type_9_reads_a_new_deck():
    new = HEADER.replace("test deck", "second deck").replace("   200.0", "    50.0")
    d = deck("9 0 0 /" + "\n" + new + "1 1 0.3 'ALB' /", "0/", "0/")
    p = d.cases[0].params
    assert p.title == "second deck" and p.inertia == 50.0 and p.alb == 0.3
    assert not d.cases[0].computable and len(d.cases[0].changes[0].block) == N_HEADER


def test_type_11_ends_its_case_and_is_flagged():
    line = f"11{100.0:6.1f}{22.3:6.1f}{14.0:6.2f}{-1.0:5.1f}{0.25:5.2f}{200.0:7.1f}{0.3:5.2f}" \
           f"{0.0:5.1f}{0.0:5.0f}Viking 1"
    d = deck(line, "0/", "0/")
    c = d.cases[0]
    assert c.ended_by == "type 11" and c.changes[0].numbers[:3] == (100.0, 22.3, 14.0)
    assert c.changes[0].numbers[3:] == (-1.0, 0.25, 200.0, 0.3, 0.0, 0.0)
    assert c.changes[0].text == "Viking 1" and not c.computable
    assert len(d.cases) == 1 and c.params == deck("0/").cases[0].params   # values not applied


def test_mid_case_lists_are_flagged():
    d = deck("3 13 1 'LSC' /", "0/", "0/")
    assert not d.cases[0].computable and "mid-case" in d.cases[0].unsupported[0]


def test_zone_table_change_line(tmp_path):
    (tmp_path / "zone.tab").write_text(ZONE_TABLE)
    d = deck("8 25 0 'zone.tab' /", "0/", "8 25 0 'off' /", "0/", "0/", base_dir=tmp_path)
    p = d.cases[0].params
    assert p.lzone and p.zone_table.tolist()[1] == [0.0093, 1600.0, -1.0, 1.0]
    assert p.zone_table.shape == (4, 4) and d.cases[0].zone_file == tmp_path / "zone.tab"
    assert not d.cases[1].params.lzone and d.cases[1].params.zone_table is None


def test_kdb_control_line_continues_on_the_next_line():
    d = parse_deck("0 0\n1\n9 0 0 0 0 0 7 8\n" + "\n".join(HEADER_LINES[1:]) + "\n0/\n")
    assert (d.kdb, d.debug) == (1, (9, 0, 0, 0, 0, 0)) and len(d.cases) == 1


# ======================================================================== errors

@pytest.mark.parametrize("text, message", [
    (with_line(4, HEADER_LINES[3][:20] + "       abc" + HEADER_LINES[3][30:]),
     "x.inp, line 4, column 21: expected a number in the F10.2 field INERTIA (columns 21-30), "
     "found 'abc'"),
    (with_line(20, HEADER_LINES[19][:10] + "    1536.5" + HEADER_LINES[19][20:]),
     "x.inp, line 20, column 11: expected an integer in the I10 field N2 (columns 11-20), "
     "found '1536.5'"),
    (with_line(28, HEADER_LINES[27][:7] + "       " + HEADER_LINES[27][14:]),
     "x.inp, line 28, column 8: expected T or F in the L7 field LKEY (columns 8-14), "
     "found a blank field"),
    (with_line(26, "      X      T      F      F      F      F      F      F      F      F"),
     "x.inp, line 26, column 1: expected T or F in the L7 field LP1 (columns 1-7), found 'X'"),
    (with_line(32, "   1.00  -2.00  0.5x0"),
     "x.inp, line 32, column 15: expected a number in the F7.2 field elevation 3 (columns 15-21), "
     "found '0.5x0'"),
    (with_line(34, "   104.0000      0.1000000      0.86x4665"),
     "x.inp, line 34, column 31: expected a number in the G15.7 field PORB 3 (RODE) "
     "(columns 31-45), found '0.86x4665'"),
    ("\n".join(HEADER_LINES[:9]) + "\n",
     "x.inp, line 10: unexpected end of file: expected the REAL block value line of TFROST .. SatPrB"),
    ("\n".join(HEADER_LINES[:30]) + "\n",
     "x.inp, line 31: unexpected end of file: expected the elevation label line"),
    ("\n".join(HEADER_LINES[:37]) + "\n",
     "x.inp, line 38: unexpected end of file: expected PORB row 5 of 6 (5G15.7)"),
    ("", "x.inp, line 1: unexpected end of file: expected the control line (KOLD KEEP [KDB])"),
    ("0 x /\n", "x.inp, line 1, column 3: expected an integer in the control line (KOLD KEEP [KDB]), "
     "found 'x'"),
    ("2 0 /\n" + "\n".join(HEADER_LINES[1:]),
     "x.inp, line 1, column 1: KOLD = 2: restarting from a direct-access file is not supported"),
    (with_line(20, "      5000" + HEADER_LINES[19][10:]),
     "x.inp, line 20, column 1: in the I10 field N1 (columns 1-10): n1 (N1, ID 1) = 5000 is out "
     "of range: allowed [2, 1000]"),
    (with_line(20, HEADER_LINES[19][:30] + "        40" + HEADER_LINES[19][40:]),
     "x.inp, line 20, column 31: in the I10 field N4 (columns 31-40): n4 (N4, ID 4) = 40 is out "
     "of range: allowed [1, 37]"),
    (with_line(4, "       1.5" + HEADER_LINES[3][10:]),
     "x.inp, line 4, column 1: in the F10.2 field ALBEDO (columns 1-10): alb (ALBEDO, FD 1) = 1.5 "
     "is out of range: allowed [0, 1]"),
    (with_line(30, " -95.00   0.00  45.00"),
     "x.inp, line 30, column 1: latitude 1 = -95.0 deg is out of range: allowed [-90, 90]"),
])
def test_header_errors(text, message):
    assert str(error_of(text)).startswith(message)


@pytest.mark.parametrize("line, message", [
    ("17 1 2 /", "line 40, column 1: unknown change type 17: valid types are 0-16"),
    ("1 65 2. /", "line 40, column 3: type 1 line: INDEX 65 is outside 1..64 (REAL parameters FD)"),
    ("2 21 2. /", "line 40, column 3: type 2 line: INDEX 21 is outside 1..20 and not 24"),
    ("3 0 1 /", "line 40, column 3: type 3 line: INDEX 0 is outside 1..20 (LOGICAL parameters LD)"),
    ("x 1 2", "line 40, column 1: expected an integer change type (0-16) as the first item, "
     "found 'x'"),
    ("1.5 1 2", "line 40, column 1: expected an integer change type"),
    ("1 x 2 'a'", "line 40, column 3: type 1 line: expected an integer INDEX, found 'x'"),
    ("1 3 abc 'x' /", "line 40, column 5: type 1 line: expected a number VALUE, found 'abc'"),
    ("1 3 1e999 'x' /", "line 40, column 5: type 1 line: VALUE inf is not a finite number"),
    ("1 3 -5 'INERTIA' /", "line 40, column 5: type 1 line: inertia (INERTIA, FD 3, unit "
     "J m-2 s-1/2 K-1) = -5.0 is out of range: allowed > 0"),
    ("2 1 1 'N1' /", "line 40, column 5: type 2 line: n1 (N1, ID 1) = 1 is out of range"),
    ("2 4 40 'N4' /", "line 40, column 5: type 2 line: N4 = 40 is out of range: allowed [1, 37]"),
    ("2 5 1e12 'N5' /", "line 40, column 5: type 2 line: n5 (N5, ID 5) = 1000000000000 does not "
     "fit a 32-bit integer"),
    ("15 1 2 3 4 5", "line 40: type 15 line: 5 number(s) given, 7 needed"),
    ("12 1 2 x", "line 40, column 8: type 12 line: expected number 3 of 8, found 'x'"),
    ("14 1 2 3", "line 40: type 14 line: 3 number(s) given, 10 needed"),
    ("16 x 'a' /", "line 40, column 4: type 16 line: expected an integer latitude index NLAD"),
    ("16 1", "line 40: type 16 line: expected NLAD and a name stem"),
    ("11 10x.0", "line 40, column 3: type 11 line: expected a number in the Ls field (columns 3-8)"),
    ("6 0 0 /", "line 42, column 1: expected a number in the G15.7 field PORB 1 (PLANUM)"),
    ("8 25 0 'missing.tab' /", "line 40, column 8: cannot read the zone table 'missing.tab'"),
])
def test_change_line_errors(line, message):
    err = error_of(HEADER + line + "\n0/\n0/\n")
    assert str(err).startswith("x.inp, " + message)
    assert err.path == "x.inp" and err.line in (40, 42)


@pytest.mark.parametrize("table, message", [
    ("no end marker\n1 2 3 4\n", "line 1: no C_END line within the first 20 lines"),
    ("C_END\n1 2 3 4\n1 2 3 4\n0 0 0 0\n", "line 4: the zone table has 2 row(s); at least 3"),
    ("C_END\n1 2 3 4\n1 2 x 4\n", "line 3, column 5: zone table row 2: expected number 3 of 4, "
     "found 'x'"),
    ("C_END\n1 2 3 4\n1 2 3 4\n1 2\n", "line 4: zone table row 3 has only 2 of 4 numbers"),
])
def test_zone_table_errors(tmp_path, table, message):
    (tmp_path / "z.tab").write_text(table)
    with pytest.raises(DeckError) as info:
        read_zone_table(tmp_path / "z.tab")
    assert str(info.value).startswith(f"{tmp_path / 'z.tab'}, {message}")
    err = error_of(HEADER + "8 25 0 'z.tab' /\n0/\n", base_dir=tmp_path)
    assert str(err).startswith(f"{tmp_path / 'z.tab'}, {message}")
    assert str(err).endswith("(zone table named on x.inp, line 40)")
    assert err.path == str(tmp_path / "z.tab")


def test_missing_deck_file(tmp_path):
    with pytest.raises(FileAccessError, match="cannot read the deck .*nope.inp"):
        read_deck(tmp_path / "nope.inp")
    with pytest.raises(FileAccessError):
        read_deck(tmp_path)


def test_deck_error_is_an_input_error_and_value_error():
    err = error_of("")
    assert isinstance(err, InputError) and isinstance(err, ValueError)


# ======================================================================== writing

@needs_reference
@pytest.mark.parametrize("path", DECKS, ids=[p.stem for p in DECKS])
def test_write_read_round_trip_of_reference_decks(path, tmp_path):
    d = read_deck(path)
    again = parse_deck(write_deck(d), path=path)          # the Deck form: raw change lines
    assert [c.params for c in again.cases] == [c.params for c in d.cases]
    assert again.initial == d.initial
    for case in d.cases:                                   # the Params form, one case each
        out = tmp_path / "case.inp"
        write_deck(case.params, out)
        p = read_deck(out).cases[0].params
        assert p == case.params
        assert p.fd.tobytes() == case.params.fd.tobytes()


def test_written_layout_matches_the_shipped_decks():
    text = write_deck(Params.mars())
    lines = text.splitlines()
    assert lines[2] == "    ALBEDO     EMISS   INERTIA     COND2     DENS2    PERIOD SPEC_HEAT   DENSITY"
    assert lines[3] == "      0.25       1.0     200.0      2.77     928.0    1.0275     647.0    1600.0"
    assert lines[24] == "    LP1    LP2    LP3    LP4    LP5    LP6 LPGLOB   LVFA   LVFT  LKofT"
    assert lines[29].startswith("  -87.5  -80.0  -70.0")
    assert lines[-2:] == ["0/", "0/  end of run"]
    assert parse_deck(text).cases[0].params == Params.mars()


def test_values_that_do_not_fit_are_restated_by_change_lines():
    p = Params.mars().replace(inertia=0.1 + 0.2, idown=-2**31, id24=4, alb=1 / 3)
    text = write_deck(p)
    assert "1 3 0.30000000000000004 'INERTIA' /" in text
    assert "2 13 -2147483648 'IDOWN' /" in text and "2 24 4 'ID24' /" in text
    d = parse_deck(text)
    assert d.cases[0].params == p and d.initial != p


def test_porb_is_kept_when_lporb_is_false():
    p = Params.mars().replace(lporb=False)
    text = write_deck(p)
    assert "6 0 0 'PORB' /" in text
    d = parse_deck(text)
    assert d.initial.porb is None and d.cases[0].params == p
    q = parse_deck(write_deck(p.replace(porb=None))).cases[0].params
    assert q.porb is None and not q.lporb


def test_latitudes_must_fit_exactly_unless_exact_false():
    p = Params.mars().replace(latitudes=[12.3456789], elevations=[0.0])
    with pytest.raises(InputError, match=r"latitude 1 = 12.3456789 cannot be written exactly in a "
                                         r"7-column deck field"):
        write_deck(p)
    q = parse_deck(write_deck(p, exact=False)).cases[0].params
    assert q.latitudes[0] == 12.3457
    with pytest.raises(InputError, match="PORB 1"):
        write_deck(Params.mars().replace(porb=np.full(30, 1 / 3)))


def test_multi_case_writing(tmp_path):
    p = Params.moon()
    cases = [p, p.replace(iib=20), p.replace(iib=20, lkoft=True, title="T-dep", inertia=0.1 + 0.7),
             [(1, 23, 30.0, "SLOPE"), "2 7 0 'IIB' /"]]
    d = parse_deck(write_deck(p, cases=cases))
    assert [c.params.iib for c in d.cases] == [0, 20, 20, 0]
    assert d.cases[2].params == cases[2]
    assert d.cases[3].params.slope == 30.0 and d.cases[3].params.title == "T-dep"
    assert change_lines(p, p) == []
    with pytest.raises(InputError, match="latitudes/elevations cannot change between cases"):
        write_deck(p, cases=[p.replace(latitudes=[0.0], elevations=[0.0])])
    with pytest.raises(InputError, match="cannot write change entry"):
        write_deck(p, cases=[[42]])
    with pytest.raises(InputError, match="a Deck brings its cases"):
        write_deck(parse_deck(write_deck(p)), cases=[[]])
    with pytest.raises(InputError, match="write_deck needs Params or a Deck"):
        write_deck("x")  # type: ignore[arg-type]


def test_zone_table_is_written_beside_the_deck(tmp_path):
    table = [[0.01, 1600.0, 0.04, 647.0], [0.02, -1.0, -1.0, 1.0], [0.1 + 0.2, -2.0, 2.77, 1711.0]]
    p = Params.mars().replace(zone_table=table, lzone=True)
    write_deck(p, tmp_path / "z.inp")
    assert (tmp_path / "z_zone.tab").is_file()
    assert read_deck(tmp_path / "z.inp").cases[0].params == p
    with pytest.raises(InputError, match="give path="):
        write_deck(p)


def test_write_refuses_invalid_params():
    p = Params.mars()
    p.fd[2] = -1.0
    with pytest.raises(InputError, match="inertia"):
        write_deck(p)


# ---- hypothesis: random parameter sets round-trip bit for bit

def _fd_value(info) -> st.SearchStrategy[float]:
    if info.range is None:
        return st.floats(allow_nan=False, allow_infinity=False)
    lo, hi, lo_open, hi_open = info.range
    return st.floats(min_value=lo, max_value=None if hi == float("inf") else hi,
                     exclude_min=lo_open, exclude_max=hi_open, allow_nan=False,
                     allow_infinity=False)


def _id_value(info) -> st.SearchStrategy[int]:
    lo, hi = -2**31, 2**31 - 1
    if info.range is not None:
        lo = int(info.range[0])
        hi = hi if info.range[1] == float("inf") else int(info.range[1])
    return st.integers(lo, hi)


@st.composite
def random_params(draw) -> Params:
    p = Params.mars()
    for info in FD_PARAMS:
        p.fd[info.slot] = draw(_fd_value(info))
    for info in ID_PARAMS:
        if info.index != 4:
            p.id[info.slot] = draw(_id_value(info))
    p.ld[:] = draw(st.lists(st.booleans(), min_size=20, max_size=20))
    p.ld[11] = p.ld[11] and p.ld[10]          # LKEY needs LPORB (Params.check)
    p.lzone = False
    n4 = draw(st.integers(1, 37))
    lat = draw(st.lists(st.integers(-9000, 9000), min_size=n4, max_size=n4))
    elev = draw(st.lists(st.integers(-99999, 99999), min_size=n4, max_size=n4))
    p.set_latitudes([x / 100 for x in lat], [x / 100 for x in elev])
    porb = draw(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=30,
                         max_size=30))
    p.porb = [float(f"{x:.8g}") for x in porb] if p.lporb or draw(st.booleans()) else None
    p.id24 = draw(st.integers(-2**31, 2**31 - 1))
    alphabet = st.characters(min_codepoint=9, max_codepoint=255, blacklist_characters="\n\r")
    p.title = draw(st.text(alphabet=alphabet, max_size=84))
    if p.n2 >= p.n24 > 0 and p.n2 % p.n24:   # Params.check(): N2 a multiple of N24
        p.id[1] += p.n24 - p.n2 % p.n24 if p.n2 + p.n24 <= 393216 else -(p.n2 % p.n24)
    p.check()
    return p


@settings(max_examples=150, deadline=None)
@given(random_params())
def test_random_parameters_round_trip_bit_for_bit(p):
    q = parse_deck(write_deck(p)).cases[0].params
    assert q == p
    for name in ("fd", "id", "ld", "latitudes", "elevations"):
        assert getattr(q, name).tobytes() == getattr(p, name).tobytes(), name
    assert (q.porb is None and p.porb is None) or q.porb.tobytes() == p.porb.tobytes()
    assert q.title == p.title and q.id24 == p.id24


# ---- hypothesis: mutated real decks either parse or raise DeckError

_FUZZ_DECKS = [p for p in DECKS if p.stem in ("master", "MoonA", "EurH", "krc_OK", "Mone", "z1",
                                              "PhoH")]


@st.composite
def mutated_deck(draw) -> tuple[Path, bytes]:
    path = draw(st.sampled_from(_FUZZ_DECKS))
    lines = path.read_bytes().split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "delete", "duplicate", "truncate", "insert"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "flip" and lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            line = bytearray(lines[i])
            line[j] = draw(st.sampled_from([line[j] ^ (1 << draw(st.integers(0, 7))),
                                            draw(st.integers(0, 255))]))
            lines[i] = bytes(line)
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "truncate":
            data = b"\n".join(lines)
            cut = draw(st.integers(0, len(data)))
            lines = data[:cut].split(b"\n")
        else:
            lines.insert(i, draw(st.binary(max_size=90)))
    return path, b"\n".join(lines)


@pytest.mark.skipif(not _FUZZ_DECKS, reason="no reference decks to mutate")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_deck())
def test_mutated_decks_parse_or_raise_deck_error(sample):
    source, data = sample
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / source.name
        path.write_bytes(data)
        if (source.parent / "zone.tab").is_file():
            (Path(tmp) / "zone.tab").write_bytes((source.parent / "zone.tab").read_bytes())
        try:
            d = read_deck(path)
        except DeckError as exc:
            assert exc.path is not None and exc.line is not None
            return
        assert isinstance(d, Deck)
        for case in d.cases:
            assert isinstance(case.params, Params)


@pytest.mark.parametrize("body, match", [
    ("no marker\n10. 0.2\n", "no C_END line"),
    ("C_END\n10. 0.2\n20.\n", "row 2 has only 1 of 2 numbers"),
    ("C_END\n", "has 0 row"),
    ("C_END\n10. x\n", "expected number 2 of 2"),
])
def test_seasonal_table_reader_errors(tmp_path, body, match):
    path = tmp_path / "t.tab"
    path.write_text(body)
    with pytest.raises(DeckError, match=match):
        read_season_table(path)


def test_seasonal_tables_are_checked_and_named_on_their_deck_line(tmp_path):
    from legacy_wrap.krc import run
    deck = tmp_path / "d.inp"
    write_deck(Params.moon().replace(n5=2, jdisk=1), deck,
               cases=[["8 22 0 'alb.tab' /", "8 23 0 'tau.tab' /"]])
    (tmp_path / "alb.tab").write_text("C_END\n10. 0.2\n200. 1.2\n")
    (tmp_path / "tau.tab").write_text("C_END\n10. 0.2\n")
    case = read_deck(deck).cases[0]
    with pytest.raises(DeckError, match=r"albedo table .* row 2: value 1.2 is outside \[0, 1\]"):
        case.season_tables()
    (tmp_path / "alb.tab").write_text("C_END\n10. 0.2\n200. 0.3\n")
    albedo, opacity = case.season_tables()
    assert albedo.shape == (2, 2) and opacity.shape == (1, 2)
    np.testing.assert_array_equal(case.run().hourly,
                                  run(case.params, albedo_table=albedo,
                                      opacity_table=opacity).hourly)
    (tmp_path / "tau.tab").unlink()
    with pytest.raises(DeckError, match=r"d.inp, line \d+.*cannot read the opacity table"):
        case.season_tables()


def test_values_of_a_type_9_deck_are_range_checked():
    """The fixed blocks of a new deck read by a type-9 line go through the same
    value ranges as the first deck's; the error names the line ending that case."""
    bad = HEADER.replace("       .25      1.00", "       1.5      1.00", 1)
    err = error_of(HEADER + "9 0 0 /\n" + bad + "0/\n0/\n")
    assert "alb (ALBEDO, FD 1) = 1.5 is out of range: allowed [0, 1]" in str(err)
    assert err.path == "x.inp" and err.line == N_HEADER + 1 + N_HEADER + 1
