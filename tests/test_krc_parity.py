"""Parity of the two front doors: the legacy Fortran program and the Python console script.

For the same deck, staged in two folders and run through the original
dialogue (``NAME``, then ``/``), the Fortran ``krc`` program
(fortran/krc_main.f90) and the ``krc`` console script
(legacy_wrap.krc.console) must:

* end with the same exit status;
* write the same files: every type-52 file byte for byte, except the bin5
  date block and the 20-character run time stored in each case's common
  (formats 3.2, 3.3), and the print file line for line, except run times
  (CPU seconds and the date in page headings, formats 2.1 and 2.3).

Decks: reference ladder decks (airless, with an atmosphere, a zone table) and
MoonA (cases not computed), plus small multi-case decks written here: carry-over
of N3, LP5 tables, a second type-52 file, a failed case, a case not computed
and a case without output season.  The reference decks need
../shared/krc-reference (skipped where absent).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import bin5, executable_path
from legacy_wrap.krc import read_deck

from conftest import (REFERENCE, console_script, normalised_print as normalised,
                      reference_folder, run_outputs as outputs, stage_deck as stage)

REFERENCE_DECKS = [("ladder", n) for n in ("t1", "g1", "g4", "h1", "z1", "a1", "a4", "e1", "e2",
                                           "l1")] + \
    [("decks", "MoonA"), ("decks", "EurH"), ("decks", "PhoH")]
#: Byte offset of the run-time text in a case prefix: 4 FRONT words, then
#: bytes 1684-1703 of the parameter common (formats 3.3).
RUNTIME_OFFSET, RUNTIME_LEN = 4 * 8 + 1684, 20

# --------------------------------------------------------------------------- staging and running


def run_program(exe: str, work: Path, name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([exe], input=f"{name}\n/\n", cwd=work, capture_output=True, text=True,
                          timeout=600)


def masked_t52(path: Path) -> bytes:
    """The bytes of a type-52 file with the bin5 date block and the run times blanked."""
    data = bytearray(path.read_bytes())
    cube, header = bin5.read(path)
    head = bytes(data[:header.header_len])
    start, end = head.index(b"<<"), head.index(b">>")
    data[start + 2:end] = b"*" * (end - start - 2)
    kase = int(np.prod(cube.shape[:4])) * 8          # bytes per case
    for c in range(cube.shape[4]):
        at = header.header_len + c * kase + RUNTIME_OFFSET
        if cube[..., c].any():                       # a case not computed stays all zero
            assert re.fullmatch(rb"\d{4} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d",
                                bytes(data[at:at + RUNTIME_LEN])), (path, c)
        data[at:at + RUNTIME_LEN] = b"*" * RUNTIME_LEN
    return bytes(data)


def masked_bin5(path: Path) -> bytes:
    """The bytes of a bin5 file with the date block of its header blanked."""
    data = bytearray(path.read_bytes())
    head = bytes(data[:512])
    if b"<<" in head and b">>" in head:
        start, end = head.index(b"<<"), head.index(b">>")
        data[start + 2:end] = b"*" * (end - start - 2)
    return bytes(data)


def copy_deck(deck_path: Path, work: Path) -> Path:
    """The deck alone in work (with an empty out/), for decks that cannot be read."""
    (work / "out").mkdir(parents=True)
    (work / deck_path.name).write_bytes(deck_path.read_bytes())
    return work


def assert_same_run(deck_path: Path, tmp_path: Path, expect_print: bool | None = True,
                    staging=stage
                    ) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """Run deck_path through both front doors; assert the same status and files
    (expect_print None: whether a print file is written is not asserted)."""
    name = deck_path.stem
    fortran_dir = staging(deck_path, tmp_path / "fortran")
    python_dir = staging(deck_path, tmp_path / "python")
    fortran = run_program(str(executable_path("krc")), fortran_dir, name)
    python = run_program(console_script("krc"), python_dir, name)
    assert python.returncode == fortran.returncode, (fortran.stderr, python.stderr)
    assert outputs(python_dir) == outputs(fortran_dir), (fortran.stderr, python.stderr)
    if expect_print is not None:
        assert (f"{name}.prt" in outputs(fortran_dir)) == expect_print, fortran.stderr
    for rel in outputs(fortran_dir):
        if rel.endswith(".bin5"):   # a staged input, or a type-16 / tfine file
            assert masked_bin5(python_dir / rel) == masked_bin5(fortran_dir / rel), rel
        elif rel.endswith(".prt"):
            ours = normalised((python_dir / rel).read_text(encoding="latin-1"))
            ref = normalised((fortran_dir / rel).read_text(encoding="latin-1"))
            assert ours == ref, first_difference(ref, ours, rel)
        elif rel == "fort.76":      # Prt76 text (krc-print-extras 8): no clock in it
            assert (python_dir / rel).read_bytes() == (fortran_dir / rel).read_bytes(), rel
        else:
            assert masked_t52(python_dir / rel) == masked_t52(fortran_dir / rel), rel
    return fortran, python


def first_difference(ref: list[str], ours: list[str], what: str) -> str:
    for k, (a, b) in enumerate(zip(ref, ours)):
        if a != b:
            return f"{what}, line {k + 1}:\n  Fortran: {a!r}\n  Python:  {b!r}"
    return f"{what}: {len(ref)} lines from the Fortran program, {len(ours)} from Python"


# --------------------------------------------------------------------------- reference decks


@pytest.mark.parametrize("kind, name", REFERENCE_DECKS, ids=[n for _, n in REFERENCE_DECKS])
def test_reference_deck_same_outputs(kind: str, name: str, tmp_path: Path) -> None:
    folder = reference_folder(kind, name)
    fortran, _ = assert_same_run(folder / f"{name}.inp", tmp_path)
    assert fortran.returncode == 0, fortran.stderr


# --------------------------------------------------------------------------- decks written here

#: Three cases: case 1 lowers N3 (DELJUL of 5 sols: floor(5/1.0275) = 4), which
#: case 2 inherits, and prints the LP5 tables of all its seasons 1-8 (spin-up
#: seasons before JDISK included, krc-print-extras 1.2); case 3
#: starts a second type-52 file ('8 5') with other sizes (N5 = 6: 2 output
#: seasons) and new conductivity coefficients (type 12).
MULTI_BODY = """\
8 5 0 './out/multi.t52' / first file
1 42 5.0 'DELJUL' / N3 is lowered to 4 and stays 4
3 5 1 'LP5' / latitude summaries
2 12 5 'JDISK' / output seasons 5-8
0/
3 5 0 'LP5' /
1 1 0.30 'ALBEDO' / runs with the N3 = 4 of case 1
0/
8 5 0 './out/multi2.t52' / a second type-52 file
1 3 300. 'INERTIA' /
2 5 6 'N5' /
12 0.04 -0.002 /
0/
0/ end
"""

#: Case 2 fails in the core (DELJUL shorter than a sol: N3 = 0), case 3 uses
#: planetary fluxes (not implemented: not computed), case 4 has no output season.
FAILED_BODY = """\
8 5 0 './out/fail.t52' /
3 5 1 'LP5' /
0/
3 5 0 'LP5' /
1 42 0.5 'DELJUL' / less than a sol: the core refuses the case
0/
1 42 17.174822 'DELJUL' /
15 .05157 .005 20 0.011 0.011 0 12 / planetary flux
0/
15 0 /
2 12 99 'JDISK' / no output season
0/
2 12 1 'JDISK' /
1 1 0.3 'ALBEDO' /
0/
0/ end
"""


def t1_deck(tmp_path: Path, name: str, body: str) -> Path:
    text = (reference_folder("ladder", "t1") / "t1.inp").read_text(encoding="latin-1")
    path = tmp_path / "src" / f"{name}.inp"
    path.parent.mkdir(parents=True)
    path.write_text(text[:text.index("8 5 0")] + body, encoding="latin-1")
    return path


def test_multi_case_deck_same_outputs(tmp_path: Path) -> None:
    fortran, _ = assert_same_run(t1_deck(tmp_path, "multi", MULTI_BODY), tmp_path)
    assert fortran.returncode == 0, fortran.stderr
    text = (tmp_path / "python" / "multi.prt").read_text(encoding="latin-1")
    assert text.count(" SURFACE TEMP VS LATITUDE AND LOCAL HOUR ANGLE") == 8
    assert text.count("Wrote bin5 file type 52") == 2
    assert "   File name=./out/multi.t52" in text and "   File name=./out/multi2.t52" in text
    # the echo of case 2 shows N3 = 4 carried from case 1 and NRUN = 1
    echo2 = text.split("RUN-CASE  1- 2")[1]
    assert "         20      1536         4         3         8        24" in echo2
    # NCASE counts the cases of a type-52 file from the one that opened it
    # (the original's m1.prt: "RUN-CASE     2     1" for the first case of file 2)
    assert " -----------------------  RUN-CASE     2     1 ----------------------- " in text
    multi, _ = bin5.read(tmp_path / "python" / "out" / "multi.t52")
    multi2, _ = bin5.read(tmp_path / "python" / "out" / "multi2.t52")
    assert multi.shape[3:] == (1 + 4, 2) and multi2.shape[3:] == (1 + 2, 1)


def test_failed_and_skipped_cases_same_outputs(tmp_path: Path) -> None:
    """Case 2 fails in the core, case 3 (planetary load, krc-eclipse 4) is
    computed, case 4 stores no season: the same outputs from both doors."""
    fortran, python = assert_same_run(t1_deck(tmp_path, "failed", FAILED_BODY), tmp_path)
    assert fortran.returncode == 1, fortran.stderr
    assert "case 2" in python.stderr and "not computed" not in python.stderr
    text = (tmp_path / "python" / "failed.prt").read_text(encoding="latin-1")
    assert text.count(" Case had FATAL error=     1 Will try next case") == 1
    assert text.count("New case") == 6
    assert text.count(" Eclipse or PlanHeat on     0.000     0.052") == 1
    cube, _ = bin5.read(tmp_path / "python" / "out" / "fail.t52")
    assert cube.shape[4] == 4                         # case 4 (no output season) not stored
    assert cube[..., 0].any() and cube[..., 2].any() and cube[..., 3].any()
    assert not cube[..., 1].any()


#: Decks the Fortran program refuses before writing anything (exit 3, no file),
#: and decks with change types it computes although KRC 3.6.5 aborts (4) or
#: that start a new deck (9).
REFUSED = {
    "one-point": "8 5 0 './out/r.t52' /\n0/\n"
                 f"11{100.0:6.1f}{22.3:6.1f}{14.0:6.2f}{-1.0:5.1f}{0.25:5.2f}{200.0:7.1f}"
                 f"{0.3:5.2f}{0.0:5.1f}{0.0:5.0f}Viking 1\n0/\n",
}
COMPUTED = {
    "lkey": "8 5 0 './out/c.t52' /\n0/\n3 12 1 'LKEY' /\n0/\n0/\n",
    "kpref1": "8 5 0 './out/c.t52' /\n0/\n1 12 546. 'PTOTAL' / Viking pressure curve\n0/\n0/\n",
    "type 4": "8 5 0 './out/c.t52' /\n2 4 2 'N4' /\n0/\n4 0 0 / lats\n 10.00  20.00\n0/\n0/\n",
    # a complete new deck (the t1 header again, albedo 0.30) after the first case
    "type 9": "8 5 0 './out/c.t52' /\n0/\n9 0 0 'new deck' /\n{header}"
              "8 5 0 './out/c9.t52' /\n0/\n0/\n",
}


@pytest.mark.parametrize("label", list(REFUSED))
def test_refused_decks_same_status_no_output(label: str, tmp_path: Path) -> None:
    fortran, python = assert_same_run(t1_deck(tmp_path, "r", REFUSED[label]), tmp_path,
                                      expect_print=False)
    assert fortran.returncode == 3, fortran.stderr
    assert "not implemented" in python.stderr
    assert outputs(tmp_path / "python") == []


@pytest.mark.parametrize("label", list(COMPUTED))
def test_computed_change_types_same_outputs(label: str, tmp_path: Path) -> None:
    text = (reference_folder("ladder", "t1") / "t1.inp").read_text(encoding="latin-1")
    header = text[:text.index("8 5 0")].replace("       .25      1.00", "       .30      1.00", 1)
    body = COMPUTED[label].replace("{header}", header)
    fortran, _ = assert_same_run(t1_deck(tmp_path, "c", body), tmp_path)
    assert fortran.returncode == 0, fortran.stderr


def test_type52_write_failure_is_shown_in_the_print_file(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """As the Fortran program: a type-52 file that cannot be written is reported with
    its bin5 status on the 'Wrote bin5 file' line; the print file is still written.
    (The folder of the type-52 file vanishes while the cases are computed: bin5's
    BIN5_E_OPEN = 2 from the Fortran writer the console script calls.)"""
    import shutil

    from legacy_wrap.krc import console

    work = stage(reference_folder("ladder", "t1") / "t1.inp", tmp_path / "run")
    compute = console.run_cases

    def compute_then_lose_the_folder(*args, **kwargs):
        out = compute(*args, **kwargs)
        shutil.rmtree(work / "out")
        return out

    monkeypatch.setattr(console, "run_cases", compute_then_lose_the_folder)
    monkeypatch.chdir(work)
    assert console.main(["t1", "--quiet"]) == console.EXIT_FAILED
    text = (work / "t1.prt").read_text(encoding="latin-1")
    assert " Wrote bin5 file type 52: iret=            2" in text
    assert outputs(work) == ["t1.prt"]


BAD_TABLES = {
    # a table that is not there, even for a case that is not computed (8 24)
    "missing": "8 5 0 './out/b.t52' /\n8 23 0 'missing.tab' /\n8 24 0 'climate.bin5' /\n0/\n0/\n",
    # a table with an Ls outside [0, 360], in a case with no output season
    "bad value": "8 5 0 './out/b.t52' /\n8 22 0 'bad.tab' /\n2 12 99 'JDISK' /\n0/\n0/\n",
}


@pytest.mark.parametrize("label", list(BAD_TABLES))
def test_bad_seasonal_tables_stop_both_programs_before_any_output(label: str,
                                                                  tmp_path: Path) -> None:
    deck = t1_deck(tmp_path, "b", BAD_TABLES[label])
    (deck.parent / "bad.tab").write_text("a table\nC_END\n10. 0.2\n400. 0.3\n")
    fortran, python = assert_same_run(deck, tmp_path, expect_print=False)
    assert fortran.returncode == 2, fortran.stderr
    assert ("missing.tab" if label == "missing" else "400") in python.stderr
    assert outputs(tmp_path / "python") == [] and outputs(tmp_path / "fortran") == []


# --------------------------------------------------------------------------- the former corner cases
# The README listed three places where the front doors differed; both now run the
# one Fortran case driver (fortran/krc_driver.f90), and these decks show it.


def test_lporb_carry_over_same_outputs_and_equal_to_the_original(tmp_path: Path) -> None:
    """Ladder deck m1: case 2 (LPORB off) computes with the SDEC, DAU, Ls of case 1's
    last season, the e and BLIP of its PORB block and its orbit period, and is the
    first case of a second type-52 file (NCASE 1): both programs write the original's
    files, every word of them bar the run times."""
    folder = reference_folder("ladder", "m1")
    fortran, python = assert_same_run(folder / "m1.inp", tmp_path)
    assert fortran.returncode == 0, fortran.stderr
    for ref_path in sorted(folder.glob("*.t52")):
        ours, _ = bin5.read(tmp_path / "python" / "out" / ref_path.name)
        ref, _ = bin5.read(ref_path)
        a, b = np.ravel(ours, order="F").copy(), np.ravel(ref, order="F").copy()
        a[[215, 216]] = b[[215, 216]] = 0.0                     # the run time (formats 3.3)
        assert np.array_equal(a.view(np.uint64), b.view(np.uint64)), ref_path.name


#: A case with no output season (JDISK > N5) that fails in the core (DELJUL shorter
#: than a sol): KRC computes it, so does each program; exit status 1 from both.
NO_OUTPUT_FAILS = """\
8 5 0 './out/n.t52' /
0/
2 12 99 'JDISK' / no output season
1 42 0.5 'DELJUL' / and a failure in the core
0/
2 12 1 'JDISK' /
1 42 17.174822 'DELJUL' /
0/
0/ end
"""


def test_case_without_output_season_is_computed_by_both(tmp_path: Path) -> None:
    fortran, python = assert_same_run(t1_deck(tmp_path, "n", NO_OUTPUT_FAILS), tmp_path)
    assert fortran.returncode == 1, (fortran.stderr, python.stderr)
    assert "case 2" in python.stderr
    text = (tmp_path / "python" / "n.prt").read_text(encoding="latin-1")
    assert text.count(" Case had FATAL error=") == 1


#: Two problems that each stop the run, in either order: the first one met in
#: the deck decides the exit status, in both programs.
TWO_PROBLEMS = {
    "table first": ("8 5 0 './out/t.t52' /\n8 23 0 'missing.tab' /\n0/\n"
                    f"11{100.0:6.1f}{22.3:6.1f}{14.0:6.2f}{-1.0:5.1f}{0.25:5.2f}{200.0:7.1f}"
                    f"{0.3:5.2f}{0.0:5.1f}{0.0:5.0f}Viking 1\n0/\n", 2),
    "one-point first": ("8 5 0 './out/t.t52' /\n"
                        f"11{100.0:6.1f}{22.3:6.1f}{14.0:6.2f}{-1.0:5.1f}{0.25:5.2f}"
                        f"{200.0:7.1f}{0.3:5.2f}{0.0:5.1f}{0.0:5.0f}Viking 1\n"
                        "8 23 0 'missing.tab' /\n0/\n0/\n", 3),
}


@pytest.mark.parametrize("label", list(TWO_PROBLEMS))
def test_two_problems_same_exit_status(label: str, tmp_path: Path) -> None:
    body, status = TWO_PROBLEMS[label]
    fortran, python = assert_same_run(t1_deck(tmp_path, "t", body), tmp_path, expect_print=False)
    assert fortran.returncode == python.returncode == status, (fortran.stderr, python.stderr)
    assert outputs(tmp_path / "python") == [] and outputs(tmp_path / "fortran") == []


# --------------------------------------------------------------------------- inputs the front doors once read differently
# (issue 19 item 5: both now read the deck with the one Fortran reader)

EDGE_INPUTS = {
    # a lone carriage return inside a change line
    "lone CR": "8 5 0 './out/e.t52' /\n1 3 300.\r 'INERTIA' /\n0/\n0/\n",
    # an empty name for the climate opacity file: no file
    "empty 8 24": "8 5 0 './out/e.t52' /\n8 24 0 '' /\n0/\n0/\n",
    # a non-ASCII byte in the type-52 file name
    "non-ASCII name": "8 5 0 './out/\xe9.t52' /\n0/\n0/\n",
    # a type-52 name without its closing quote: the rest of the line is the name
    "unterminated name": "8 5 0 './out/open.t52\n0/\n0/\n",
}


@pytest.mark.parametrize("label", list(EDGE_INPUTS))
def test_edge_inputs_same_status_and_files(label: str, tmp_path: Path) -> None:
    deck = t1_deck(tmp_path, "e", EDGE_INPUTS[label])
    fortran, python = assert_same_run(deck, tmp_path, expect_print=None, staging=copy_deck)
    assert fortran.returncode == python.returncode
    if label == "lone CR":                    # a CR ends a record: line 42 is "'INERTIA' /"
        assert fortran.returncode == 2 and "e.inp:42:2: " in python.stderr
        assert outputs(tmp_path / "python") == []


@pytest.mark.parametrize("name", ["./out", "out"])
def test_output_name_that_is_a_folder_is_refused(name: str, tmp_path: Path) -> None:
    deck = t1_deck(tmp_path, "f", f"8 5 0 '{name}' /\n0/\n0/\n")
    fortran, python = assert_same_run(deck, tmp_path, expect_print=False)
    assert fortran.returncode == 2, fortran.stderr
    assert f"f.inp:40:8: cannot write '{name}': it is a folder" in python.stderr
    assert f"f.inp, line 40, column 8: cannot write '{name}': it is a folder" in fortran.stderr
    assert outputs(tmp_path / "python") == [] and outputs(tmp_path / "fortran") == []


def test_deck_without_its_first_0_is_refused(tmp_path: Path) -> None:
    """A truncated deck (change lines, no 0/, or nothing after the fixed blocks):
    no case would run; both programs refuse it (exit 2, nothing written)."""
    for body in ("8 5 0 './out/x.t52' /\n1 1 0.3 'ALBEDO' /\n", ""):
        work = tmp_path / str(len(body))
        deck = t1_deck(work, "x", body)
        fortran, python = assert_same_run(deck, work, expect_print=False, staging=copy_deck)
        assert fortran.returncode == 2, fortran.stderr
        assert "unexpected end of file" in python.stderr and "0/" in python.stderr
        assert outputs(work / "python") == [] and outputs(work / "fortran") == []


def test_print_folder_that_cannot_be_written_is_refused_before_computing(tmp_path: Path) -> None:
    work = stage(reference_folder("ladder", "t1") / "t1.inp", tmp_path / "run")
    proc = subprocess.run([console_script("krc"), "t1", "--print", "nodir/t1.prt"], cwd=work,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2, proc.stderr
    assert "cannot write the print file nodir/t1.prt" in proc.stderr
    assert outputs(work) == []
    fortran = subprocess.run([str(executable_path("krc"))], input="t1\n'nodir/t1'\n", cwd=work,
                             capture_output=True, text=True, timeout=600)
    assert fortran.returncode == 2 and "cannot write the print file nodir/t1.prt" in fortran.stderr
    assert outputs(work) == []


def test_a_killed_run_leaves_no_print_file(tmp_path: Path) -> None:
    """The print file is written under a temporary name and renamed when complete:
    a run killed while it writes leaves no file with the final name."""
    import signal
    import time

    text = (reference_folder("ladder", "t1") / "t1.inp").read_text(encoding="latin-1")
    body = "8 5 0 './out/k.t52' /\n0/\n" + "".join(
        f"1 3 {100 + 10 * k}. 'INERTIA' /\n0/\n" for k in range(40)) + "0/\n"
    work = tmp_path / "run"
    (work / "out").mkdir(parents=True)
    (work / "k.inp").write_text(text[:text.index("8 5 0")] + body, encoding="latin-1")
    proc = subprocess.Popen([str(executable_path("krc"))], stdin=subprocess.PIPE, cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None
    proc.stdin.write(b"k\n/\n")
    proc.stdin.close()
    deadline = time.monotonic() + 60
    while not (work / "k.prt.tmp").exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    assert (work / "k.prt.tmp").exists()              # the run is writing its print file
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (work / "k.prt").exists()
    assert not (work / "out" / "k.t52").exists()


@pytest.mark.parametrize("name", ["c1", "c1t"])
def test_climate_file_decks_same_outputs_and_equal_to_the_original(name: str,
                                                                   tmp_path: Path) -> None:
    """The climate opacity file (8 24), wired once into the Fortran driver: both
    programs compute ladder decks c1 and c1t and write the same files, whose
    type-52 files equal the original's word for word bar the run time (the
    stored common too: TEQUIL with FEMIS on a frosted latitude, DAM, KVTAU = 2)."""
    folder = reference_folder("ladder", "c1")
    fortran, _ = assert_same_run(folder / f"{name}.inp", tmp_path)
    assert fortran.returncode == 0, fortran.stderr
    ours, _ = bin5.read(tmp_path / "python" / "out" / f"{name}.t52")
    ref, _ = bin5.read(folder / f"{name}.t52")
    assert ours.shape == ref.shape
    a, b = (np.ravel(x, order="F").copy() for x in (ours, ref))
    a[[4 + 211, 4 + 212]] = b[[4 + 211, 4 + 212]] = 0.0      # the run time (formats 3.3)
    assert np.flatnonzero(a.view(np.uint64) != b.view(np.uint64)).tolist() == []


CLIMATE_REFUSED = {
    "unreadable": ("8 5 0 './out/b.t52' /\n8 24 0 'nothere.bin5' /\n0/\n0/\n",
                   "the climate opacity file 'nothere.bin5'"),
    "with 8 23": ("8 5 0 './out/b.t52' /\n8 23 0 'tau.tab' /\n8 24 0 'THEMIS1yearDustIce.bin5' /\n"
                  "0/\n0/\n", "give only one"),
}


@pytest.mark.parametrize("label", list(CLIMATE_REFUSED))
def test_climate_file_problems_stop_both_programs_before_any_output(label: str,
                                                                    tmp_path: Path) -> None:
    body, words = CLIMATE_REFUSED[label]
    deck = t1_deck(tmp_path, "b", body)
    (deck.parent / "tau.tab").write_text("a table\nC_END\n10. 0.2\n200. 0.3\n")
    climate = REFERENCE / "ladder" / "c1" / "THEMIS1yearDustIce.bin5"
    if climate.is_file():
        (deck.parent / climate.name).write_bytes(climate.read_bytes())
    fortran, python = assert_same_run(deck, tmp_path, expect_print=False)
    assert fortran.returncode == 2, fortran.stderr
    assert words in python.stderr and words in fortran.stderr
    assert [f for f in outputs(tmp_path / "python") if not f.endswith(".bin5")] == []
