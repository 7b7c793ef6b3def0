"""Mid-case change lists (LSC, IDOWN; ../shared/spec/krc-formats.md 1.9.5,
krc-onepoint.md 8.2) through both front doors: the legacy Fortran ``krc``
program and the ``krc`` console script (also with ``--jobs 2``).

No reference output of the original uses a mid-case list, so the tests are
by construction:

* a mid-case list that changes nothing gives the same type-52 bits as the
  deck without it (bar the IDOWN word of the snapshot and the run time);
  with LSC (a list before every season, season 1 included) too;
* a change at season 3 leaves seasons 1-2 bit-identical to the unchanged
  run, and seasons 3.. equal the core run in two pieces (seasons 1-2 with
  the old albedo, 3.. with the new one from the carried state); the
  snapshot (JDISK = 1) keeps the old albedo (onepoint 8.2);
* the print file has the banner of the running case and the echo of the
  list between the LP5 tables of seasons 2 and 3, and is the same from both
  doors;
* each refusal (empty or missing list, type 10 or 8 in a list, a size
  change, IDOWN = N5) exits with its status and message and writes nothing.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import bin5
from conftest import REFERENCE, console_script, normalised_print

T1 = REFERENCE / "ladder" / "t1" / "t1.inp"
DOORS = ["fortran", "python", "python-jobs"]
#: words 214-216 of a case hold the run-time text; the 4-byte IDOWN (ID 13) and
#: LSC (LD 13) lie at bytes 1360 + 48 and 1520 + 48 of the common (formats 3.3)
RUNTIME = (214, 215, 216)
IDOWN_WORD = 4 + (1360 + 48) // 8
LSC_WORD = 4 + (1520 + 48) // 8
FIRST = ("1 12 600. 'PTOTAL' /\n2 4 2 'N4' /\n2 5 6 'N5' /\n3 5 1 'LP5' /\n")


def _program(door: str) -> list[str]:
    if door.startswith("python"):
        return [console_script("krc")]
    from legacy_wrap import ExecutableNotFoundError, executable_path
    try:
        return [str(executable_path("krc"))]
    except ExecutableNotFoundError:
        pytest.skip("the legacy Fortran krc executable is not installed")
        raise  # pragma: no cover


def _deck(work: Path, name: str, first: str = "", mid: str = "") -> Path:
    """t1 (its fixed blocks) as Mars with 600 Pa, 2 latitudes, 6 seasons, LP5;
    first: more lines of the first list; mid: the lines after its 0/."""
    if not T1.is_file():
        pytest.skip(f"reference deck {T1} not found")
    head = T1.read_text().split("8 5 0 './out/t1.t52' /")[0]
    work.mkdir(parents=True, exist_ok=True)
    (work / "out").mkdir(exist_ok=True)
    path = work / f"{name}.inp"
    path.write_text(head + FIRST + first + f"8 5 0 './out/{name}.t52' /\n0/\n" + mid + "0/ end\n")
    return path


def _run(door: str, deck: Path) -> subprocess.CompletedProcess[str]:
    if door == "fortran":
        return subprocess.run(_program(door), input=f"{deck.stem}\n/\n", cwd=deck.parent,
                              capture_output=True, text=True, timeout=600)
    extra = ["--jobs", "2"] if door == "python-jobs" else []
    return subprocess.run(_program(door) + [deck.name] + extra, cwd=deck.parent,
                          capture_output=True, text=True, timeout=600)


def _words(path: Path) -> np.ndarray:
    data, _ = bin5.read(path)
    return data.ravel(order="F").view(np.uint64)


def _ran(door: str, deck: Path) -> tuple[np.ndarray, list[str]]:
    r = _run(door, deck)
    assert r.returncode == 0, r.stderr
    w = _words(deck.parent / "out" / f"{deck.stem}.t52")
    prt = normalised_print((deck.parent / f"{deck.stem}.prt").read_text(encoding="latin-1"))
    return w, [s for s in prt if not s.startswith((" Input file:", " Print file:", " Save file:"))
               and "New T52 file name" not in s and "./out/" not in s]


def _differ(a: np.ndarray, b: np.ndarray) -> list[int]:
    return [int(k) for k in np.flatnonzero(a != b) if int(k) not in RUNTIME]


@pytest.mark.parametrize("door", DOORS)
def test_a_list_that_changes_nothing_gives_the_same_bits(tmp_path: Path, door: str) -> None:
    base, _ = _ran(door, _deck(tmp_path, "base"))
    noop, prt = _ran(door, _deck(tmp_path, "noop", "2 13 3 'IDOWN' /\n", "1 1 0.25 'ALB' /\n0/\n"))
    assert _differ(base, noop) == [IDOWN_WORD]
    assert " ============================= New case  1 =============================" in prt
    # LSC: a list before every season, season 1 included
    lsc, _ = _ran(door, _deck(tmp_path, "lsc", "3 13 1 'LSC' /\n",
                              "1 1 0.25 'ALB' /\n0/\n" * 6))
    d = _differ(base, lsc)
    assert d == [LSC_WORD]


def _seasons(words: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return words.reshape(shape, order="F")


@pytest.mark.parametrize("door", DOORS)
def test_a_change_at_season_3_carries_the_state(tmp_path: Path, door: str) -> None:
    base_deck = _deck(tmp_path, "base")
    base, _ = _ran(door, base_deck)
    chg_deck = _deck(tmp_path, "chg", "2 13 3 'IDOWN' /\n", "1 1 0.10 'ALB' /\n0/\n")
    chg, prt = _ran(door, chg_deck)
    data, _ = bin5.read(chg_deck.parent / "out" / "chg.t52")
    shape = data.shape                       # (24, 7, 2, 1 + 6, 1)
    b, c = _seasons(base, shape), _seasons(chg, shape)
    assert (b[..., 1:3, :] == c[..., 1:3, :]).all()          # seasons 1-2
    assert (b[..., 3:, :] != c[..., 3:, :]).any()            # seasons 3-6 changed
    # the snapshot at JDISK = 1 keeps ALB 0.25 (onepoint 8.2)
    assert data.ravel(order="F")[4] == 0.25

    # The core in two pieces: seasons 1-2 with the deck's values, 3-6 with
    # ALB 0.10 from the state the first piece left.
    from legacy_wrap import _krcio
    from legacy_wrap.krc.console import plan_deck
    q = plan_deck(str(base_deck), "").cases[0]
    n4, n1 = len(q.latitudes), int(q.id[0])
    carry = [0, np.zeros((n1, n4), order="F"), np.zeros((3, n4), order="F"), np.zeros(3)]
    out = np.zeros((q.n24, 7, n4, q.nsout))
    for first, last, alb in ((1, 2, 0.25), (3, 6, 0.10)):
        fd = q.fd.copy()
        fd[0] = alb
        *carry, h, sv, fo, io_, st, msg = _krcio.krc_run_piece(
            fd, q.id, q.ld, q.latitudes, q.elevations, q.porb, 0, np.zeros((4, 1), order="F"),
            q.n24, q.nsout, 0, np.zeros((2, 1), order="F"), 0, np.zeros((2, 1), order="F"),
            first, last, *carry)
        assert st == 0, msg
        out[..., first - 1:last] = h[..., first - 1:last]
    assert (data[..., 1:, 0].view(np.uint64) == out.view(np.uint64)).all()

    # print: LP5 of seasons 1, 2, then the banner and the list, then 3..6
    j5_rows = [k for k, s in enumerate(prt) if "from KRCCOM" in s]
    banner = prt.index(" ============================= New case  1 =============================")
    assert len(j5_rows) == 6 and j5_rows[1] < banner < j5_rows[2]
    assert prt[banner + 2].startswith(" Changed>>   1   1  0.1000      ALBEDO")


def test_both_doors_write_the_same_print_and_type52(tmp_path: Path) -> None:
    mid = "1 1 0.10 'ALB' /\n2 13 5 'IDOWN' /\n0/\n1 1 0.40 'ALB' /\n0/\n"
    got = {}
    for door in DOORS:
        got[door] = _ran(door, _deck(tmp_path / door, "two", "2 13 3 'IDOWN' /\n", mid))
    f_words, f_prt = got["fortran"]
    for door in DOORS[1:]:
        assert _differ(f_words, got[door][0]) == []
        assert got[door][1] == f_prt
    # two mid-case lists of case 1, then the list after it (cases started: 1)
    assert sum(s.startswith(" ============================= New case  1 ") for s in f_prt) == 3


REFUSALS = {
    "empty": ("2 13 3 'IDOWN' /\n", "0/\n", 2, "season 3 of case 1 is empty"),
    "missing": ("2 13 3 'IDOWN' /\n", "", 2, "is missing (end of file)"),
    "lsc_short": ("3 13 1 'LSC' /\n", "1 1 0.25 'ALB' /\n0/\n" * 5, 2,
                  "season 6 of case 1 is empty"),
    "switch": ("2 13 3 'IDOWN' /\n", "10 1 0.1 'x.one' /\n", 2, "type-10 line in a mid-case"),
    "file": ("2 13 3 'IDOWN' /\n", "8 5 0 './out/y.t52' /\n0/\n", 3, "type 8 in a mid-case"),
    "size": ("2 13 3 'IDOWN' /\n", "2 5 8 'N5' /\n0/\n", 3, "changing N1, N4, N5"),
    "idown_n5": ("2 13 6 'IDOWN' /\n", "1 1 0.25 'ALB' /\n0/\n", 2, "IDOWN = N5 = 6"),
}


@pytest.mark.parametrize("door", DOORS[:2])
@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_refusals_say_why_and_write_nothing(tmp_path: Path, door: str, name: str) -> None:
    first, mid, code, words = REFUSALS[name]
    deck = _deck(tmp_path, "bad", first, mid)
    if name == "missing":                       # no lines after the case's 0/
        deck.write_text(deck.read_text().replace("0/ end\n", ""))
    r = _run(door, deck)
    assert r.returncode == code, r.stderr
    assert words in r.stderr and "bad.inp" in r.stderr
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["bad.inp"]
