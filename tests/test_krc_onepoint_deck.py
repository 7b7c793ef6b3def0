"""KRC's one-point mode in a deck (../shared/spec/krc-onepoint.md), through both
front doors: the legacy Fortran ``krc`` program and the ``krc`` console script.

* the printed result lines (`` 11 ...``) of p1 (Mars with atmosphere), p2
  (airless Moon) and the shipped Mone deck equal the original's as text, and
  the whole print file equals it line for line (run date and times masked);
* p2's type-52 file (one case per request) equals the original's bar the
  run-time text of each case and the header date;
* every refusal of the spec (N4 > 1, hours outside 0..24, LKEY, LSC, IDOWN,
  blank / non-numeric / fused lines, a missing one-point file, a type-10
  line first in a later list or just after a request) exits with its status
  and a message naming file and line, and writes nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from legacy_wrap import bin5
from conftest import REFERENCE, console_script, normalised_print

LADDER = REFERENCE / "ladder"
DECKS = {"p1": LADDER / "p1", "p2": LADDER / "p2", "Mone": REFERENCE / "decks" / "Mone"}
DOORS = ["fortran", "python"]
#: words 214-216 of each case hold the run-time text (formats 3.2)
RUNTIME_WORDS = (214, 215, 216)


def _program(door: str) -> str:
    if door == "python":
        return console_script("krc")
    from legacy_wrap import ExecutableNotFoundError, executable_path
    try:
        return str(executable_path("krc"))
    except ExecutableNotFoundError:
        pytest.skip("the legacy Fortran krc executable is not installed")
        raise  # pragma: no cover


def _reference(name: str) -> Path:
    folder = DECKS[name]
    if not (folder / f"{name}.inp").is_file():
        pytest.skip(f"reference deck {folder} not found")
    return folder


def _stage(name: str, work: Path) -> Path:
    """The deck, its one-point file(s) and an empty out/ in work (no reference outputs)."""
    src = _reference(name)
    work.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.suffix in (".inp", ".one"):
            shutil.copy(f, work / f.name)
    (work / "out").mkdir(exist_ok=True)
    return work


def _run(door: str, work: Path, name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_program(door)], input=f"{name}\n/\n", cwd=work, capture_output=True,
                          text=True, timeout=600)


def _written(folder: Path) -> list[str]:
    """Files in folder that the run wrote (everything but the deck and one-point files)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and p.suffix not in (".inp", ".one"))


def _result_lines(prt: Path) -> list[str]:
    return [s for s in prt.read_text(encoding="latin-1").splitlines() if s.startswith(" 11")]


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("name", sorted(DECKS))
def test_result_lines_and_print_file_equal_the_original(tmp_path: Path, name: str,
                                                        door: str) -> None:
    work = _stage(name, tmp_path)
    proc = _run(door, work, name)
    assert proc.returncode == 0, proc.stderr
    ref = _reference(name) / f"{name}.prt"
    got = work / f"{name}.prt"
    want_lines = _result_lines(ref)
    assert len(want_lines) == {"p1": 10, "p2": 9, "Mone": 23}[name]
    assert _result_lines(got) == want_lines
    assert normalised_print(got.read_text(encoding="latin-1")) == \
        normalised_print(ref.read_text(encoding="latin-1"))


def _t52_words(path: Path) -> tuple[np.ndarray, bytes]:
    cube, _ = bin5.read(path)
    words = np.array(cube, copy=True)
    for c in range(cube.shape[4]):
        ndx = int(cube[2, 0, 0, 0, c])
        flat = np.ravel(words[:, :, :, :ndx, c], order="F")
        flat[list(RUNTIME_WORDS)] = 0.0
        words[:, :, :, :ndx, c] = flat.reshape(words[:, :, :, :ndx, c].shape, order="F")
    raw = path.read_bytes()
    header = raw[:raw.index(b"<<")] + raw[raw.index(b">>"):512]
    return words, header


@pytest.mark.parametrize("door", DOORS)
def test_p2_type52_equals_the_original_bar_the_run_time(tmp_path: Path, door: str) -> None:
    work = _stage("p2", tmp_path)
    proc = _run(door, work, "p2")
    assert proc.returncode == 0, proc.stderr
    got, got_head = _t52_words(work / "out" / "p2.t52")
    want, want_head = _t52_words(_reference("p2") / "p2.t52")
    assert got.shape == want.shape and got.shape[4] == 9     # one case per request
    assert got_head == want_head
    assert np.array_equal(got.view(np.int64), want.view(np.int64))


# --------------------------------------------------------------------------- refusals

Edit = Callable[[Path], None]


def _edit_deck(old: str, new: str) -> Edit:
    def edit(work: Path) -> None:
        deck = work / "p1.inp"
        text = deck.read_text(encoding="latin-1")
        assert old in text
        deck.write_text(text.replace(old, new, 1), encoding="latin-1")
    return edit


def _edit_one(line_no: int, new: str | None, insert: bool = False) -> Edit:
    """Replace (or insert before) line line_no (1-based) of p1.one."""
    def edit(work: Path) -> None:
        one = work / "p1.one"
        lines = one.read_text(encoding="latin-1").splitlines()
        if insert:
            lines.insert(line_no - 1, new or "")
        else:
            lines[line_no - 1] = new or ""
        one.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return edit


def _remove_one(work: Path) -> None:
    (work / "p1.one").unlink()


SWITCH = "10 1 0.1 'p1.one' / switch to one-point mode"
REQ = "11  30.0  15.0  14.0 -2.0 0.18  150.0 0.25  0.0  0.0 flat 14h"

#: name: (edit, exit status, file named, line, words of the message)
REFUSALS: dict[str, tuple[Edit, int, str, int, str]] = {
    "n4": (_edit_one(3, "2 4 2 'N4' /", insert=True), 2, "p1.one", 4, "N4 = 1"),
    "hour_negative": (_edit_one(3, REQ.replace(" 14.0 -2.0", " -1.0 -2.0")), 2, "p1.one", 3,
                      "0..24"),
    "hour_above_24": (_edit_one(3, REQ.replace(" 14.0 -2.0", " 24.5 -2.0")), 2, "p1.one", 3,
                      "0..24"),
    "lkey": (_edit_deck(SWITCH, "3 12 1 'LKEY' /\n" + SWITCH), 2, "p1.one", 3, "LKEY"),
    "lsc": (_edit_deck(SWITCH, "3 13 1 'LSC' /\n" + SWITCH), 2, "p1.one", 3, "LSC"),
    "idown": (_edit_deck(SWITCH, "2 13 3 'IDOWN' /\n" + SWITCH), 2, "p1.one", 3, "IDOWN = 3"),
    "idown_in_file": (_edit_one(4, "2 13 24 'IDOWN' /", insert=True), 2, "p1.one", 5,
                      "IDOWN = 24"),
    "blank_line": (_edit_one(4, "", insert=True), 2, "p1.one", 4, "blank line"),
    "comment_line": (_edit_one(4, "a comment, not a change line", insert=True), 2, "p1.one", 4,
                     "expected an integer change type"),
    "fused": (_edit_one(3, "11100.25" + REQ[8:]), 2, "p1.one", 3, "leave column 3 blank"),
    "letters": (_edit_one(3, REQ.replace("150.0", "15x.0")), 2, "p1.one", 3,
                "expected a number"),
    "missing_file": (_remove_one, 2, "p1.inp", 40, "cannot open the one-point file 'p1.one'"),
    "switch_first_in_later_list": (_edit_deck(SWITCH, "0/\n" + SWITCH), 2, "p1.inp", 41,
                                   "first in a change list"),
    "switch_after_request": (_edit_one(4, "10 1 0.1 'p1.one' /", insert=True), 2, "p1.one", 4,
                             "just after a request"),
    "request_in_deck": (_edit_deck(SWITCH, REQ), 3, "p1.inp", 40, "not implemented"),
    "airless_after_atmosphere": (_edit_one(4, "1 12 0.5 'PTOTAL' /", insert=True), 3, "p1.one",
                                 5, "not implemented"),
}


def test_switch_line_is_where_the_refusals_say() -> None:
    deck = _reference("p1") / "p1.inp"
    lines = deck.read_text(encoding="latin-1").splitlines()
    assert lines[39] == SWITCH        # line 40
    one = (_reference("p1") / "p1.one").read_text(encoding="latin-1").splitlines()
    assert one[2] == REQ              # line 3: the first request


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_refusal_names_file_and_line_and_writes_nothing(tmp_path: Path, name: str,
                                                        door: str) -> None:
    edit, status, where, line, words = REFUSALS[name]
    work = _stage("p1", tmp_path)
    edit(work)
    proc = _run(door, work, "p1")
    assert proc.returncode == status, proc.stderr
    assert "krc: error: " in proc.stderr
    # the legacy program says "FILE, line L", the console "FILE:L:C"
    assert f"{where}, line {line}" in proc.stderr or f"{where}:{line}:" in proc.stderr, \
        proc.stderr
    assert words in proc.stderr, proc.stderr
    assert _written(work) == [], _written(work)


def test_switch_in_a_later_list_continues_the_case_numbers(tmp_path: Path) -> None:
    """krc-onepoint 1 item 3: after a normal case, the first request is the next
    case and gets no parameter print (LP2 F); both programs write the same print
    file, and the requests print the same results as in p1."""
    prints = {}
    for door in DOORS:
        work = _stage("p1", tmp_path / door)
        _edit_deck(SWITCH, "1 1 0.22 'a' /\n0/\n1 1 0.2 'b' /\n" + SWITCH)(work)
        proc = _run(door, work, "p1")
        assert proc.returncode == 0, proc.stderr
        prints[door] = normalised_print((work / "p1.prt").read_text(encoding="latin-1"))
    assert prints["fortran"] == prints["python"]
    lines = prints["python"]
    assert sum(s.startswith(" Input file:") for s in lines) == 1
    seps = [int(s.split()[3]) for s in lines if s.startswith(" -----------------------  RUN-CASE")]
    assert seps == list(range(1, 12))
    assert [s for s in lines if s.startswith(" 11")] == \
        _result_lines(_reference("p1") / "p1.prt")
    k = lines.index(" ---- Start of one-point mode ----")
    assert lines[k - 1].startswith(" Changed>>  10")


def _one_point_run(tmp_path: Path, edit: Edit) -> dict[str, tuple[list[str], str]]:
    """p1 with an edit, through both programs: (normalised print, stderr) each."""
    out = {}
    for door in DOORS:
        work = _stage("p1", tmp_path / door)
        edit(work)
        proc = _run(door, work, "p1")
        assert proc.returncode == 0, (door, proc.stderr)
        out[door] = (normalised_print((work / "p1.prt").read_text(encoding="latin-1")),
                     proc.stderr)
    assert out["fortran"][0] == out["python"][0]
    return out


def test_negative_opacity_is_reset_to_zero_with_a_warning(tmp_path: Path) -> None:
    """krc-onepoint 2.2: TAUD < 0 is reset to 0, the result line prints 0.00."""
    bad = REQ.replace(" 0.25  0.0  0.0 flat 14h", "-0.50  0.0  0.0 flat 14h")
    out = _one_point_run(tmp_path, _edit_one(3, bad))
    results = [s for s in out["python"][0] if s.startswith(" 11")]
    assert results[0][:53] == " 11  30.0  15.0 14.00 -2.0 0.18  150.0 0.00  0.0   0."
    for door in DOORS:
        assert "p1.one, line 3: TAUD invalid: -0.50000 reset to 0" in out[door][1], door


def test_a_zero_line_ends_the_requests(tmp_path: Path) -> None:
    out = _one_point_run(tmp_path, _edit_one(5, "0 / end", insert=True))
    lines = out["python"][0]
    assert [s for s in lines if s.startswith(" 11")] == \
        _result_lines(_reference("p1") / "p1.prt")[:2]
    assert lines[-6:-2] == ["", "", "     END OF DATA ON INPUT UNIT",
                            " KRC@180 IRL,IRC=           1           5"]


def test_a_type10_line_after_a_change_line_switches_to_another_file(tmp_path: Path) -> None:
    """krc-onepoint 2.1: the start line, the title and the header again, and the
    requests of the second file go on with the case numbers."""
    def edit(work: Path) -> None:
        one = (work / "p1.one").read_text(encoding="latin-1").splitlines()
        (work / "second.one").write_text("\n".join(["second file"] + one[1:3]) + "\n",
                                         encoding="latin-1")
        one[4:4] = ["1 2 1.0 'EMISS' /", "10 1 0 'second.one' /"]
        (work / "p1.one").write_text("\n".join(one) + "\n", encoding="latin-1")
    lines = _one_point_run(tmp_path, edit)["python"][0]
    assert lines.count(" ---- Start of one-point mode ----") == 2
    assert " second file" + " " * 69 in lines
    assert sum(s.startswith("C_END") for s in lines) == 2
    results = [s for s in lines if s.startswith(" 11")]
    ref = _result_lines(_reference("p1") / "p1.prt")
    assert results[:2] == ref[:2] and results[2][:53] == ref[0][:53] and len(results) == 3
    k = lines.index(" second file" + " " * 69)
    assert lines[k - 2].startswith(" Changed>>  10") and lines[k - 3].startswith(" Changed>>   1")


def test_result_line_rounds_exact_ties_to_even(tmp_path: Path) -> None:
    """krc-onepoint 5.2: gfortran's F editing, exact binary ties to even."""
    req = "11" + "  30.0" + " 22.25" + "13.125" + " -2.0" + "0.125" + "  150.0" + "0.375" + \
        " 2.25" + " 12.5" + " ties"
    lines = _one_point_run(tmp_path, _edit_one(3, req))["python"][0]
    first = [s for s in lines if s.startswith(" 11")][0]
    assert first[9:53] == "  22.2 13.12 -2.0 0.12  150.0 0.38  2.2  12."
    assert first[67:] == " ties" + " " * 15
