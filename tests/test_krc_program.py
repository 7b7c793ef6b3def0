"""The legacy `krc` program (fortran/krc_main.f90) and the _krcio extension.

* fidelity: for the airless reference decks, `printf 'NAME\\n/\\n' | krc`
  writes a type-52 file whose surface temperatures and day counts equal the
  original KRC 3.6.5 output exactly;
* print file: equal to the original's print file, apart from run times,
  for the ladder decks whose print lines are all produced;
* parity: the Fortran deck reader (_krcio.krc_read_deck) and the Python one
  (legacy_wrap.krc.read_deck) give the same parameters for every case;
* errors: bad decks and atmosphere cases stop with a message naming the file
  and line, a nonzero exit status, and no output file.

Spec: ../shared/spec/krc-formats.md sections 1-3.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import bin5, executable_path
from legacy_wrap.krc import read_deck

from conftest import (REFERENCE, ROOT, case_prefix, normalised_print as normalised,
                      reference_folder, stage_deck)

LADDER_AIRLESS = ["t1", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8",
                  "h1", "h2", "h3", "h4", "h5", "z1"]
FIDELITY = [("ladder", n) for n in LADDER_AIRLESS + ["e1", "e2"]] + [("decks", "MoonA"),
                                                                    ("decks", "EurH")]
#: Ladder decks whose print file this program reproduces line for line (l1-l3,
#: the season-loop tables: test_krc_print.py).
PRINT_EXACT = ["t1", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9", "h1", "h2", "h3", "h4",
               "h5", "z1", "l2", "l3"]
#: Shipped decks and Mars ladder decks whose print file matches line for line.
PRINT_EXACT_DECKS = ([("ladder", n) for n in ("a1", "a2", "a3", "a4", "a5", "a6", "a7")]
                     + [("decks", n) for n in ("master", "mastes", "mastes_t52", "krc_OK")])
ALL_DECKS = (sorted(REFERENCE.glob("decks/*/*.inp")) + sorted(REFERENCE.glob("ladder/*/*.inp"))
             if REFERENCE.is_dir() else [])
NWORDS_FRONT = 4          # FRONT words before the common (formats 3.2)
ID_OFFSET = 1360          # byte offset of ID(1..40) in the common (formats 3.3)
MAXCASE = 50


def krc_exe() -> str:
    return str(executable_path("krc"))


def krcio():
    from legacy_wrap import _krcio
    return _krcio


def run_krc(folder: Path, stdin: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([krc_exe()], input=stdin, cwd=folder, capture_output=True, text=True,
                          timeout=timeout)


def stage(folder: Path, name: str, tmp: Path) -> Path:
    """Copy a reference deck and the zone tables it names into tmp (with out/)."""
    return stage_deck(folder / f"{name}.inp", tmp)


def common_ids(cube: np.ndarray, c: int) -> np.ndarray:
    common = case_prefix(cube, c)[NWORDS_FRONT:NWORDS_FRONT + 214].tobytes()
    return np.frombuffer(common[ID_OFFSET:ID_OFFSET + 160], dtype=np.int32)


def exact_cases(deck) -> list[int]:
    """Cases the airless core computes as KRC does (eclipses and the planetary
    load included, krc-eclipse.md)."""
    return [i for i, case in enumerate(deck.cases) if case.params.airless]


# --------------------------------------------------------------------------- fidelity


@pytest.mark.fidelity
@pytest.mark.parametrize("kind, name", FIDELITY, ids=[n for _, n in FIDELITY])
def test_type52_matches_original(kind, name, tmp_path):
    folder = reference_folder(kind, name)
    work = stage(folder, name, tmp_path)
    proc = run_krc(work, f"{name}\n/\n")
    assert proc.returncode == 0, proc.stderr
    ours, hours = bin5.read(work / "out" / f"{name}.t52")
    ref, href = bin5.read(folder / f"{name}.t52")
    assert hours.text == href.text == "KRCv3.6.5    file type 52"
    assert ours.shape == ref.shape
    deck = read_deck(folder / f"{name}.inp")
    cases = exact_cases(deck)
    assert 0 in cases
    for c in cases:
        ndx = int(ref[2, 0, 0, 0, c])
        nsout = ref.shape[3] - ndx
        assert int(ours[2, 0, 0, 0, c]) == ndx
        # item 1: surface temperature at every hour, latitude and season
        np.testing.assert_array_equal(ours[:, 0, :, ndx:, c], ref[:, 0, :, ndx:, c],
                                      err_msg=f"{name} case {c + 1}: surface temperature")
        # item 6 word 0: days computed per latitude and season
        np.testing.assert_array_equal(ours[0, 5, :, ndx:, c], ref[0, 5, :, ndx:, c],
                                      err_msg=f"{name} case {c + 1}: days")
        # per-season dates and Ls of the case prefix
        po, pr = case_prefix(ours, c), case_prefix(ref, c)
        start = NWORDS_FRONT + 214
        np.testing.assert_array_equal(po[start:start + 2 * nsout], pr[start:start + 2 * nsout])
        # NRUN, N3 carried over from the core, NCASE in the stored common
        for i in (3, 11, 36):
            assert common_ids(ours, c)[i - 1] == common_ids(ref, c)[i - 1], (name, c + 1, i)


def test_moona_eclipse_and_load_cases_are_computed(tmp_path):
    """MoonA cases 3-9 (planetary load, daily and rare eclipses) are computed
    and equal the original bit for bit (bar the run time), exit 0, with the
    type-16 file of every case and the tfine files of cases 6-8."""
    folder = reference_folder("decks", "MoonA")
    work = stage(folder, "MoonA", tmp_path)
    proc = run_krc(work, "MoonA\n/\n")
    assert proc.returncode == 0, proc.stderr
    assert "not implemented" not in proc.stderr and "not written" not in proc.stderr
    cube, _ = bin5.read(work / "out" / "MoonA.t52")
    ref, _ = bin5.read(folder / "MoonA.t52")
    assert cube.shape == ref.shape and cube.shape[4] == 9
    for c in range(2, 9):
        ndx = int(ref[2, 0, 0, 0, c])
        assert np.array_equal(cube[:, :, :, ndx:, c], ref[:, :, :, ndx:, c]), f"case {c + 1}"
    assert (work / "MoonAtout00Nc09.bin5").is_file() and (work / "MoonAtfine08.bin5").is_file()


# --------------------------------------------------------------------------- print file

@pytest.mark.fidelity
@pytest.mark.parametrize("kind,name", [("ladder", n) for n in PRINT_EXACT] + PRINT_EXACT_DECKS)
def test_print_file_matches_original(kind, name, tmp_path):
    folder = reference_folder(kind, name)
    work = stage(folder, name, tmp_path)
    proc = run_krc(work, f"{name}\n/\n")
    assert proc.returncode == 0, proc.stderr
    ours = normalised((work / f"{name}.prt").read_text())
    ref = normalised((folder / f"{name}.prt").read_text())
    assert ours == ref


def test_print_file_moona_sections(tmp_path):
    folder = reference_folder("decks", "MoonA")
    work = stage(folder, "MoonA", tmp_path)
    assert run_krc(work, "MoonA\n/\n").returncode == 0
    text = (work / "MoonA.prt").read_text()
    ref = (folder / "MoonA.prt").read_text()
    assert text.startswith(" IDB1:6=           0           0           0           0")
    assert text.count("New case") == ref.count("New case") == 10
    assert text.count("Input file: MoonA.inp") == ref.count("Input file: MoonA.inp") == 9
    # change echoes (formats 2.2) as the original printed them
    for line in ref.splitlines():
        if line.startswith((" Changed>>", " TCARD:", " New T52", " Eclipse or PlanHeat",
                            "End eclipse:", "TFINE", " TLATS wrote", " TFINE wrote")):
            assert line in text.splitlines(), line
    # N3 lowered by case 1 is shown in the later echoes; NRUN 1 after the first case
    assert "         22      1536         1         5        20        96        20       999" \
        in text
    assert text.rstrip().splitlines()[-4:-2] == ref.rstrip().splitlines()[-4:-2]


def test_print_stem_and_lp5(tmp_path):
    """An explicit print stem; LP5 prints the latitude summary (formats 2.6)."""
    folder = reference_folder("ladder", "t1")
    work = stage(folder, "t1", tmp_path)
    deck = (work / "t1.inp").read_text().replace("8 5 0 './out/t1.t52' /",
                                                 "3 5 1 'LP5' /\n8 5 0 './out/t1.t52' /")
    (work / "t1.inp").write_text(deck)
    proc = run_krc(work, "t1.inp\nlisting\n")
    assert proc.returncode == 0, proc.stderr
    text = (work / "listing.prt").read_text()
    assert not (work / "t1.prt").exists()
    assert text.count(" SURFACE TEMP VS LATITUDE AND LOCAL HOUR ANGLE") == 8
    assert " LATITUDE = -30.0   0.0  45.0" in text
    cube, _ = bin5.read(work / "out" / "t1.t52")
    ndx = int(cube[2, 0, 0, 0, 0])
    last = text.split(" SURFACE TEMP VS")[-1].splitlines()
    row12 = next(line for line in last if line.startswith("       12HR"))
    np.testing.assert_allclose([float(x) for x in row12[11:].split()],
                               cube[11, 0, :, -1, 0], atol=0.051)
    days = next(line for line in last if line.startswith(" NUM DAYS ="))
    assert [int(x) for x in days[11:].split()] == cube[0, 5, :, -1, 0].astype(int).tolist()
    assert ndx == 1


def test_prt_routines_rebuild_the_program_print_file(tmp_path):
    """The _krcio print routines, called as krc_main does, give the same file."""
    folder = reference_folder("ladder", "t1")
    work = stage(folder, "t1", tmp_path)
    assert run_krc(work, "t1\n/\n").returncode == 0
    io = krcio()
    deck = read_deck(work / "t1.inp")
    case = deck.cases[0]
    p = case.params
    prt = str(tmp_path / "py.prt")

    def ok(out):
        status, message = out[-2], out[-1]
        assert status == 0, message
        return out

    fd = np.zeros(96)
    fd[:64] = p.fd
    id_ = np.zeros(40, dtype=np.int32)
    id_[:20] = p.id
    id_[23] = p.id24
    ld = p.ld.astype(np.int32)
    runtime = "2026 Jan  1 00:00:00"
    ok(io.krc_prt_banner(prt, 0))
    for ch in case.changes:
        vals = np.zeros(12)
        ok(io.krc_prt_change(prt, ch.type, ch.index, ch.value, ch.text, ch.raw[:80], 1, vals, 0))
    page, *_ = ok(io.krc_prt_case_head(prt, p.title, 0, 1, runtime, 0, "t1.inp", "t1.prt",
                                       case.t52_name, fd, id_, ld, p.latitudes, p.elevations))
    ok(io.krc_prt_layers(prt, fd, id_, ld, p.porb, 0, np.zeros((4, 1), order="F"), 0.0, 0.0))
    n24, n4, nsout = p.n24, p.latitudes.size, p.nsout
    ok(io.krc_prt_t52_open(prt, n24, n4, nsout))
    ok(io.krc_prt_separator(prt, 1, 1))
    ok(io.krc_prt_case_end(prt, 0.0, p.n5, p.n5, 1, np.zeros(3)))
    ok(io.krc_prt_banner(prt, 1))
    ok(io.krc_prt_run_end(prt, 1, n24, n4, nsout, 1, 0, case.t52_name, 0.0, "none"))
    assert page == 1
    assert normalised(Path(prt).read_text()) == normalised((work / "t1.prt").read_text())


# --------------------------------------------------------------------------- runs of several cases


def test_new_type52_name_writes_the_open_file(tmp_path):
    """'8 5' with a new name writes the open file at once; NRUN counts files."""
    folder = reference_folder("ladder", "t1")
    work = stage(folder, "t1", tmp_path)
    deck = (work / "t1.inp").read_text().replace(
        "0/\n0/ end", "0/\n8 5 0 './out/b.t52' /\n1 1 0.30 'ALB' /\n0/\n1 3 300. /\n0/\n0/ end")
    (work / "t1.inp").write_text(deck)
    proc = run_krc(work, "t1\n/\n")
    assert proc.returncode == 0, proc.stderr
    a, _ = bin5.read(work / "out" / "t1.t52")
    b, _ = bin5.read(work / "out" / "b.t52")
    assert a.shape[4] == 1 and b.shape[4] == 2
    assert [common_ids(a, 0)[10], common_ids(a, 0)[35]] == [1, 1]       # NRUN, NCASE
    assert [common_ids(b, c)[10] for c in (0, 1)] == [2, 2]
    # NCASE counts from the case that opened the file (the original's m1b.t52: 1)
    assert [common_ids(b, c)[35] for c in (0, 1)] == [1, 2]
    assert not np.array_equal(a[:, 0, :, 1:, 0], b[:, 0, :, 1:, 0])    # albedo 0.3
    text = (work / "t1.prt").read_text()
    assert text.count("Wrote bin5 file type 52") == 2
    assert "   File name=./out/b.t52" in text


# --------------------------------------------------------------------------- reader parity


def fortran_deck(path: Path):
    fd, id_, ld, alat, elev, porb, titles, ncase, status, message = \
        krcio().krc_read_deck(str(path), MAXCASE)
    return fd, id_, ld, alat, elev, porb, titles, ncase, status, message.decode().strip()


def assert_same_cases(path: Path) -> int:
    deck = read_deck(path)
    fd, id_, ld, alat, elev, porb, titles, ncase, status, message = fortran_deck(path)
    assert status == 0, message
    assert ncase == len(deck.cases)
    for i, case in enumerate(deck.cases):
        p = case.params
        n4 = p.latitudes.size
        where = f"{path.name} case {i + 1}"
        np.testing.assert_array_equal(fd[:64, i], p.fd, err_msg=where)
        np.testing.assert_array_equal(id_[:20, i], p.id, err_msg=where)
        assert id_[23, i] == p.id24, where
        np.testing.assert_array_equal(ld[:, i].astype(bool), p.ld, err_msg=where)
        np.testing.assert_array_equal(alat[:n4, i], p.latitudes, err_msg=where)
        np.testing.assert_array_equal(elev[:n4, i], p.elevations, err_msg=where)
        np.testing.assert_array_equal(porb[:, i], np.zeros(30) if p.porb is None else p.porb,
                                      err_msg=where)
        assert titles[i].decode("latin-1").rstrip() == p.title, where
    return ncase


@pytest.mark.parametrize("path", ALL_DECKS, ids=[p.name for p in ALL_DECKS])
def test_reader_parity_reference_decks(path):
    assert assert_same_cases(path) >= 1


OWN_DECKS = sorted((ROOT / "regression_data").glob("krc-*/*.inp"))


@pytest.mark.parametrize("path", OWN_DECKS, ids=[p.name for p in OWN_DECKS])
def test_reader_parity_own_decks(path):
    """The project's own decks (regression_data/krc-*): both readers agree."""
    assert assert_same_cases(path) >= 1


def test_read_deck_too_many_cases():
    path = reference_folder("decks", "MoonA") / "MoonA.inp"
    *_, titles, ncase, status, message = krcio().krc_read_deck(str(path), 2)
    assert status == 42 and ncase == 2
    assert "more than maxcase = 2" in message.decode()
    assert titles.shape == (2,) and titles[0].decode().startswith("Earth and Moon")


T1_BODY = "8 5 0 './out/t1.t52' / \n0/\n0/ end\n"

PARITY_VARIANTS = {
    "two cases": "1 1 .3 'a' /\n0/\n1 2 0.9 / \n0/\n0/\n",
    "commas": "1,1,.3,'a'\n0/\n0/\n",
    "error 439 ends the list": "1 1 .3\n1 2 .5 'x' /\n0/\n0/\n",
    "blank first line": "\n1 2 .5 'x' /\n0/\n0/\n",
    "slash reuses the previous line": "1 1 .3 'a' /\n/ 2 .4\n0/\n0/\n",
    "null and repeat items": "1 1 , .3 'a' /\n1 3 2*5 /\n0/\n0/\n",
    "D and bare exponents": "1 1 0.5D-1 'a' /\n1 2 1.5-1 'b' /\n0/\n0/\n",
    "nint": "2 5 7.5 'n5' /\n2 9 -2.5 /\n0/\n0/\n",
    "logicals": "3 5 0.0 'x' /\n3 6 1e-9 /\n0/\n0/\n",
    "title": "7 0 0 'A new title' /\n0/\n0/\n",
    "unterminated quote": "7 0 0 'unterminated title\n0/\n0/\n",
    "types 12-16": "12 1 2 3 4 5 6 7 8\n13 1 2 3 /\n14 1 2 3 4 5 6 7 8 9 10 11 12 13\n"
                   "15 .1 .2 /\n16 2 'st' /\n0/\n0/\n",
    "beyond column 80": "1 1 " + " " * 75 + "0.5 'z' /\n0/\n0/\n",
    "end of file with a pending list": "0/\n1 1 .3 'a' /\n",
    "type 10 ends reading": "10 1 0 'x.one' /\n1 1 .2 /\n0/\n",
    "N4 and type 4": "2 4 2 /\n0/\n4 0 0 / lats\n 10.0  20.0\n0/\n0/\n",
    "crlf": "1 1 .3 'a' /\r\n0/\r\n0/\r\n",
    "tabs": "1\t1\t.3\t'a' /\n0/\n0/\n",
}


def t1_header() -> str:
    text = (reference_folder("ladder", "t1") / "t1.inp").read_text()
    return text[:text.index("8 5 0")]


@pytest.mark.parametrize("label", list(PARITY_VARIANTS))
def test_reader_parity_edge_cases(label, tmp_path):
    path = tmp_path / "edge.inp"
    path.write_text(t1_header() + PARITY_VARIANTS[label], newline="")
    assert_same_cases(path)


@pytest.mark.parametrize("old, new", [
    ("       .25      1.00", "        25      1.00"),      # implied decimals: 0.25
    ("       .25      1.00", "      5e-2      1.00"),      # 0.0005
    ("       .25      1.00", "    . 0025      1.00"),      # blanks inside a field
    (" -30.00   0.00  45.00", " -30.00   0  0  45"),       # 0.00, 0.45
    ("     F      T      F", "    .F     .T  false"),      # logical spellings
])
def test_reader_parity_fixed_fields(old, new, tmp_path):
    text = t1_header().replace(old, new, 1) + T1_BODY
    path = tmp_path / "fields.inp"
    path.write_text(text)
    assert new in text
    assert_same_cases(path)


# --------------------------------------------------------------------------- bad decks


def t1_lines() -> list[str]:
    return (reference_folder("ladder", "t1") / "t1.inp").read_text().splitlines()


def bad_truncated(lines):
    return lines[:20], 21


def bad_not_a_number(lines):
    lines[3] = "       .25      x.00" + lines[3][20:]
    return lines, 4


def bad_change_type(lines):
    k = lines.index("0/")
    return lines[:k] + ["17 1 1 /"] + lines[k:], k + 1


def bad_change_value(lines):
    k = lines.index("0/")
    return lines[:k] + ["1 3 abc 'INERTIA' /"] + lines[k:], k + 1


def bad_second_case(lines):
    """An error in a later list: nothing runs, nothing is written."""
    k = lines.index("0/")
    return lines[:k + 1] + ["1 1 0.3 /", "x /", "0/"] + lines[k + 1:], k + 3


@pytest.mark.parametrize("make", [bad_truncated, bad_not_a_number, bad_change_type,
                                  bad_change_value, bad_second_case],
                         ids=lambda f: f.__name__)
def test_bad_deck_stops_without_output(make, tmp_path):
    lines, line_no = make(t1_lines())
    (tmp_path / "bad.inp").write_text("\n".join(lines) + "\n")
    (tmp_path / "out").mkdir()
    proc = run_krc(tmp_path, "bad\n/\n")
    assert proc.returncode != 0
    assert f"bad.inp, line {line_no}" in proc.stderr, proc.stderr
    assert list((tmp_path / "out").iterdir()) == []
    assert not (tmp_path / "bad.prt").exists()
    # the Fortran reader says the same
    *_, ncase, status, message = fortran_deck(tmp_path / "bad.inp")
    assert status != 0 and f"line {line_no}" in message


def test_missing_deck(tmp_path):
    proc = run_krc(tmp_path, "nothere\n/\n")
    assert proc.returncode == 2
    assert "nothere.inp" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_zone_table(tmp_path):
    lines = t1_lines()
    k = lines.index("0/")
    lines = lines[:k] + ["8 25 0 'zone.tab' /"] + lines[k:]
    (tmp_path / "z.inp").write_text("\n".join(lines) + "\n")
    (tmp_path / "out").mkdir()
    proc = run_krc(tmp_path, "z\n/\n")
    assert proc.returncode == 2
    assert f"z.inp, line {k + 1}" in proc.stderr and "zone.tab" in proc.stderr
    assert list((tmp_path / "out").iterdir()) == []


RUNTIME_WORDS = (NWORDS_FRONT + 211, NWORDS_FRONT + 212)   # the 20-byte run time (formats 3.3)


#: Decks whose whole type-52 file this program reproduces (bar the run time).
WHOLE_FILE = ([("ladder", n) for n in LADDER_AIRLESS + ["g9", "m1", "a1", "a2", "a3", "a4", "a5",
                                                   "a6", "a7"]]
              + [("decks", "master"), ("decks", "mastes_t52"), ("decks", "krc_OK")])


@pytest.mark.fidelity
@pytest.mark.parametrize("kind,name", WHOLE_FILE)
def test_whole_type52_file_equals_the_original(kind, name, tmp_path):
    """Every word of the type-52 file, the stored parameter block and the
    per-season PZREF words of the Viking curve (KPREF 1) included, equals the
    original's, except the run's start time."""
    folder = reference_folder(kind, name)
    work = stage(folder, name, tmp_path)
    assert run_krc(work, f"{name}\n/\n").returncode == 0
    for ref_path in sorted(folder.glob("*.t52")):
        ours, _ = bin5.read(work / "out" / ref_path.name)
        ref, _ = bin5.read(ref_path)
        assert ours.shape == ref.shape
        a = np.ravel(ours, order="F").copy()
        b = np.ravel(ref, order="F").copy()
        a[list(RUNTIME_WORDS)] = b[list(RUNTIME_WORDS)] = 0.0
        differ = np.nonzero(a.view(np.uint64) != b.view(np.uint64))[0]
        assert differ.size == 0, f"{name}: {differ.size} words differ, first at {differ[:10]}"
