"""The ``krc`` console script (drop-in for the KRC program) and ``legacy-wrap run``.

Run against the INSTALLED package and console scripts.  The reference tests
need ../shared/krc-reference (skipped where absent):

* every airless reference deck run through the original dialogue
  (``printf 'NAME\\n/\\n' | krc``) writes a type-52 file whose surface
  temperatures and day counts equal the original KRC 3.6.5 file bit for bit;
* master.inp made airless runs; the unmodified master.inp (546 Pa) is refused
  before anything is computed or written;
* bad decks exit with status 2, a ``file:line:column`` message and no output;
* ``--jobs`` gives byte-identical files and honours KRC's N3 carry-over;
* ``--netcdf`` round trip, ``legacy-wrap run`` table and plot.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import bin5
from legacy_wrap.krc import read_deck, run
from legacy_wrap.krc import console
from legacy_wrap.krc.t52 import T52_TEXT, build_cube, runtime_text, t52_sizes, write_t52

from conftest import (REFERENCE, case_prefix, console_script, reference_folder,
                      run_outputs as outputs, stage_deck)

LADDER_AIRLESS = ["t1", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8",
                  "h1", "h2", "h3", "h4", "h5", "z1"]
#: MoonA cases 3-9, EurH, e1 and e2 use eclipses (change type 14) and the
#: planetary heat load (15): computed, bit for bit (krc-eclipse.md).
CASES = [("ladder", name) for name in LADDER_AIRLESS + ["e1", "e2"]] + \
    [("decks", "MoonA"), ("decks", "EurH")]
#: Words of a case prefix that differ from the original by design: the
#: run-time text (words 214-216).
RUNTIME_WORDS = {214, 215, 216}
EPOCH = "1700000000"   # SOURCE_DATE_EPOCH: reproducible run time and bin5 date


def krc(args: list[str], cwd: Path, stdin: str = "", env: dict[str, str] | None = None,
        stderr: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([console_script("krc"), *args], input=stdin, cwd=cwd, env=full_env,
                          stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=600)


def legacy_wrap_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([console_script("legacy-wrap"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def need_reference(kind: str, name: str) -> Path:
    return reference_folder(kind, name)


def workdir(tmp_path: Path, kind: str, name: str) -> Path:
    """A run folder holding NAME.inp, the tables it names and an empty out/."""
    return stage_deck(need_reference(kind, name) / f"{name}.inp", tmp_path)


# --------------------------------------------------------------------------- (1) reference decks


@pytest.mark.fidelity
@pytest.mark.parametrize("kind, name", CASES, ids=[n for _, n in CASES])
def test_dialogue_run_matches_original_t52(tmp_path: Path, kind: str, name: str) -> None:
    run_dir = workdir(tmp_path, kind, name)
    proc = krc([], run_dir, stdin=f"{name}\n/\n")
    ref_path = sorted((REFERENCE / kind / name).glob("*.t52"))[0]
    ours_path = run_dir / "out" / ref_path.name
    assert proc.returncode == console.EXIT_OK, proc.stderr
    assert ours_path.is_file(), (proc.stderr, outputs(run_dir))
    assert (run_dir / f"{name}.prt").is_file()
    ours, h_ours = bin5.read(ours_path)
    ref, h_ref = bin5.read(ref_path)
    assert h_ours.text == h_ref.text == T52_TEXT
    assert (h_ours.header_len, h_ours.type_code, h_ours.arch) == \
        (h_ref.header_len, h_ref.type_code, h_ref.arch)
    assert ours.shape == ref.shape
    ndx = int(ref[2, 0, 0, 0, 0])
    assert int(ours[2, 0, 0, 0, 0]) == ndx
    ncase = ref.shape[4]
    for c in range(ncase):
        # Item 1 (surface temperature) and the days computed: bit-identical.
        assert np.array_equal(ours[:, 0, :, ndx:, c], ref[:, 0, :, ndx:, c]), f"{name} case {c + 1} TSF"
        assert np.array_equal(ours[0, 5, :, ndx:, c], ref[0, 5, :, ndx:, c]), f"{name} case {c + 1} NDJ4"
        # So is every other stored item of the model.
        assert np.array_equal(ours[:, :, :, ndx:, c], ref[:, :, :, ndx:, c]), f"{name} case {c + 1}"
    assert "not computed" not in proc.stderr and "not written" not in proc.stderr


@pytest.mark.fidelity
@pytest.mark.parametrize("kind, name", [("ladder", "t1"), ("ladder", "z1"), ("decks", "MoonA"),
                                        ("ladder", "a2"), ("ladder", "a7"), ("decks", "master"),
                                        ("decks", "krc_OK")],
                         ids=["t1", "z1", "MoonA", "a2", "a7", "master", "krc_OK"])
def test_case_prefix_matches_original(tmp_path: Path, kind: str, name: str) -> None:
    """FRONT, the parameter common (incl. NRUN and NCASE) and the season vectors
    (the Viking-curve PZREF of KPREF 1 included) equal the original, except the
    run time."""
    run_dir = workdir(tmp_path, kind, name)
    krc([], run_dir, stdin=f"{name}\n/\n")
    ref_path = sorted((REFERENCE / kind / name).glob("*.t52"))[0]
    ours, _ = bin5.read(run_dir / "out" / ref_path.name)
    ref, _ = bin5.read(ref_path)
    allowed = RUNTIME_WORDS
    for c in range(ref.shape[4]):
        a, b = case_prefix(ours, c), case_prefix(ref, c)
        differ = set(np.nonzero(a.view(np.int64) != b.view(np.int64))[0].tolist())
        assert differ <= allowed, f"case {c + 1}: unexpected prefix words differ: {sorted(differ - allowed)}"
        ids = a[174:194].view(np.int32)
        assert (ids[10], ids[35]) == (1, c + 1)          # NRUN, NCASE
        runtime = a[4:218].tobytes()[1684:1704].decode("ascii")
        assert re.fullmatch(r"\d{4} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d", runtime)


def test_write_t52_header_is_byte_identical_to_original(tmp_path: Path) -> None:
    """With the original's date block, the 512-byte header is identical."""
    folder = need_reference("ladder", "t1")
    ref_bytes = (folder / "t1.t52").read_bytes()
    date = bin5.read_header(folder / "t1.t52").date
    deck = read_deck(folder / "t1.inp")
    result = run(deck.cases[0].params)
    write_t52(tmp_path / "t1.t52", [(deck.cases[0].params, result)], date=date,
              runtime=ref_bytes[512 + 32 + 1684:512 + 32 + 1704].decode())
    ours = (tmp_path / "t1.t52").read_bytes()
    assert ours[:512] == ref_bytes[:512]
    assert len(ours) == len(ref_bytes)


def _fortran_krc() -> str:
    from legacy_wrap import ExecutableNotFoundError, executable_path
    try:
        return str(executable_path("krc"))
    except ExecutableNotFoundError:
        pytest.skip("the legacy Fortran krc executable is not installed")
        raise  # pragma: no cover


def _masked(path: Path) -> np.ndarray:
    """A type-52 file as float64 words with the run-time text of every case zeroed,
    plus its header without the date block."""
    cube, header = bin5.read(path)
    out = cube.copy()
    for c in range(cube.shape[4]):
        ndx = int(cube[2, 0, 0, 0, c])
        if ndx == 0:
            continue
        words = np.ravel(out[:, :, :, :ndx, c], order="F")
        words[sorted(RUNTIME_WORDS)] = 0.0
        out[:, :, :, :ndx, c] = words.reshape(out[:, :, :, :ndx, c].shape, order="F")
    return out


@pytest.mark.parametrize("name", ["t1", "g3", "h2", "z1", "carry"])
def test_console_writes_the_same_bytes_as_the_fortran_program(tmp_path: Path, name: str) -> None:
    """Parity: the Python console and the legacy Fortran krc executable, same deck."""
    exe = _fortran_krc()
    files = {}
    for who in ("fortran", "python"):
        run_dir = tmp_path / who
        run_dir.mkdir()
        if name == "carry":
            carry_deck(run_dir)
        else:
            workdir(run_dir, "ladder", name)
        cmd = [exe] if who == "fortran" else [console_script("krc")]
        proc = subprocess.run(cmd, input=f"{name}\n/\n", cwd=run_dir, capture_output=True,
                              text=True, timeout=600)
        assert proc.returncode == 0, (who, proc.stderr)
        files[who] = run_dir / "out" / f"{name}.t52"
    a, b = files["fortran"].read_bytes(), files["python"].read_bytes()
    assert len(a) == len(b)
    ha, hb = bin5.read_header(files["fortran"]), bin5.read_header(files["python"])
    date_start = a.index(b"<<") + 2
    assert a[:date_start] == b[:date_start] and a[a.index(b">>"):512] == b[b.index(b">>"):512]
    assert (ha.shape, ha.text) == (hb.shape, hb.text)
    assert np.array_equal(_masked(files["fortran"]).view(np.int64),
                          _masked(files["python"]).view(np.int64))


# --------------------------------------------------------------------------- (2) master.inp


AIRLESS_MASTER_CHANGES = """\
1 12 0.5 'PTOTAL' / airless copy for the console test
2 4 3 'N4' / first three latitudes
2 5 84 'N5' / seasons 81..84 stored
"""


def airless_master(tmp_path: Path) -> Path:
    folder = need_reference("decks", "master")
    text = (folder / "master.inp").read_text(encoding="latin-1")
    head, sep, tail = text.partition("8 5 0 './out/master356.t52'")
    assert sep, "master.inp no longer names ./out/master356.t52"
    case2 = "0/\n1 3 400. 'INERTIA' / second case\n"
    tail_lines = tail.split("\n", 1)
    text = head + AIRLESS_MASTER_CHANGES + sep + tail_lines[0] + "\n" + case2 + tail_lines[1]
    (tmp_path / "master.inp").write_text(text, encoding="latin-1")
    (tmp_path / "out").mkdir()
    return tmp_path


def test_airless_master_runs_through_the_dialogue(tmp_path: Path) -> None:
    run_dir = airless_master(tmp_path)
    proc = krc([], run_dir, stdin="master\n/\n")
    assert proc.returncode == 0, proc.stderr
    assert outputs(run_dir) == ["master.prt", "out/master356.t52"]
    cube, header = bin5.read(run_dir / "out" / "master356.t52")
    assert header.text == T52_TEXT
    assert cube.shape == (48, 7, 3, 1 + 4, 2)           # N24, 7, N4, NDX + NSOUT, NCASE
    deck = read_deck(run_dir / "master.inp")
    assert len(deck.cases) == 2
    for c, case in enumerate(deck.cases):               # console == Python facade, bit for bit
        assert np.array_equal(cube[:, :, :, 1:, c], run(case.params).hourly)
    assert cube[0, 5, :, 1:, :].min() >= 1              # days computed in every season
    assert not np.array_equal(cube[:, 0, :, 1:, 0], cube[:, 0, :, 1:, 1])
    # The print file in KRC's format (written by the Fortran routines of legacy_wrap._krcio;
    # tests/test_krc_parity.py compares it with the legacy program's line for line).
    prt = (run_dir / "master.prt").read_text()
    assert "PYTHON FALLBACK" not in prt
    assert prt.count(" Input file: master.inp") == 2          # LP2: both cases echoed
    assert prt.count("New case") == 3
    assert " -----------------------  RUN-CASE     1     2 ----------------------- " in prt
    assert " Changed>>   1   3   400.0      INERTIA  INERTIA" in prt
    assert re.search(r"^ Case  2  DTIME: total, user, system=", prt, re.M)
    assert "   File name=./out/master356.t52" in prt
    assert prt.rstrip().splitlines()[-2].startswith("      END KRC   Total time [s]=")


def test_unmodified_master_runs_as_the_original(tmp_path: Path) -> None:
    """KRC's own default run (KPREF 1, the Viking pressure curve) through the
    dialogue: the type-52 file equals the original's bar the run time."""
    folder = need_reference("decks", "master")
    shutil.copy(folder / "master.inp", tmp_path / "master.inp")
    (tmp_path / "out").mkdir()
    proc = krc([], tmp_path, stdin="master\n/\n")
    assert proc.returncode == console.EXIT_OK, proc.stderr
    assert _masked(tmp_path / "out" / "master356.t52").tobytes() == \
        _masked(folder / "master356.t52").tobytes()


# --------------------------------------------------------------------------- (3) bad decks


def _t1_variant(tmp_path: Path, name: str, edit) -> Path:
    folder = need_reference("ladder", "t1")
    lines = (folder / "t1.inp").read_text(encoding="latin-1").split("\n")
    (tmp_path / f"{name}.inp").write_text("\n".join(edit(lines)), encoding="latin-1")
    (tmp_path / "out").mkdir(exist_ok=True)
    return tmp_path


def _before_t52_line(extra: str):
    def edit(lines: list[str]) -> list[str]:
        k = next(i for i, ln in enumerate(lines) if ln.startswith("8 5 0"))
        return lines[:k] + [extra] + lines[k:]
    return edit


def _sub(line_no: int, old: str, new: str):
    def edit(lines: list[str]) -> list[str]:
        assert old in lines[line_no - 1], (old, lines[line_no - 1])
        lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
        return lines
    return edit


BAD_DECKS = {
    # name: (edit of t1.inp, line, column, words of the message)
    "truncated": (lambda lines: lines[:12], 13, 1, "unexpected end of file"),
    "nonnumber": (_sub(4, "     200.0", "     2x0.0"), 4, 21, "expected a number in the F10.2 field INERTIA"),
    "nological": (_sub(26, "      F      T      F", "      F             F"), 26, 8,
                  "expected T or F in the L7 field LP2"),
    "badtype": (_before_t52_line("17 1 1. 'x' /"), 40, 1, "unknown change type 17"),
    "badindex": (_before_t52_line("1 99 1. 'x' /"), 40, 3, "INDEX 99 is outside 1..64"),
    "nofile": (_before_t52_line("8 25 0 'nothere.tab' / zone table"), 40, 8,
               "cannot read the zone table 'nothere.tab'"),
    "nofolder": (_sub(40, "'./out/t1.t52'", "'./nodir/t1.t52'"), 40, 8,
                 "the folder"),
}


@pytest.mark.parametrize("name", sorted(BAD_DECKS))
def test_bad_deck_exits_2_with_location_and_writes_nothing(tmp_path: Path, name: str) -> None:
    edit, line, column, words = BAD_DECKS[name]
    run_dir = _t1_variant(tmp_path, name, edit)
    proc = krc([], run_dir, stdin=f"{name}\n/\n")
    assert proc.returncode == console.EXIT_USAGE, proc.stderr
    assert f"{name}.inp:{line}:{column}: " in proc.stderr, proc.stderr
    assert words in proc.stderr
    assert proc.stderr.startswith("krc: error: ")
    assert outputs(run_dir) == []
    # The argument form reports the same.
    proc2 = krc([f"{name}.inp", "--quiet"], run_dir)
    assert proc2.returncode == console.EXIT_USAGE
    assert f"{name}.inp:{line}:{column}: " in proc2.stderr
    assert outputs(run_dir) == []


def test_missing_input_file(tmp_path: Path) -> None:
    proc = krc([], tmp_path, stdin="nosuchdeck\n/\n")
    assert proc.returncode == console.EXIT_USAGE
    assert "standard input, line 1" in proc.stderr and "'nosuchdeck.inp' does not exist" in proc.stderr
    proc = krc(["nosuchdeck"], tmp_path)
    assert proc.returncode == console.EXIT_USAGE
    assert "nosuchdeck.inp" in proc.stderr
    proc = krc([], tmp_path, stdin="")
    assert proc.returncode == console.EXIT_USAGE
    assert "expected the input file name" in proc.stderr
    assert outputs(tmp_path) == []


def test_cases_of_one_file_must_share_sizes(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        k = next(i for i, ln in enumerate(lines) if ln.startswith("0/"))
        return lines[:k + 1] + ["2 6 48 'N24' / a different N24 in the same file", "0/"] + lines[k + 1:]
    run_dir = _t1_variant(tmp_path, "sizes", edit)
    proc = krc(["sizes.inp"], run_dir)
    assert proc.returncode == console.EXIT_USAGE
    assert "sizes.inp:42:1: case 2 has N24 = 48" in proc.stderr
    assert "must share" in proc.stderr
    assert outputs(run_dir) == []


# --------------------------------------------------------------------------- dialogue details


def test_dialogue_names_and_defaults(tmp_path: Path) -> None:
    run_dir = workdir(tmp_path, "ladder", "t1")
    proc = krc([], run_dir, stdin="\n't1.inp'  / comment\nmyprint\n")
    assert proc.returncode == 0, proc.stderr
    assert outputs(run_dir) == ["myprint.prt", "out/t1.t52"]
    (run_dir / "out" / "t1.t52").unlink()
    proc = krc([], run_dir, stdin="t1\n")              # end of input: the default print name
    assert proc.returncode == 0, proc.stderr
    assert (run_dir / "t1.prt").is_file()
    assert proc.stdout == ""                           # no prompts when stdin is not a terminal


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    run_dir = workdir(tmp_path, "ladder", "t1")
    piped = krc(["t1"], run_dir)
    assert piped.returncode == 0 and piped.stderr == ""
    import pty
    master, slave = pty.openpty()
    try:
        proc = krc(["t1"], run_dir, stderr=slave)
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    assert proc.returncode == 0
    assert "krc: case 1 done [1/1]" in b"".join(chunks).decode()
    quiet = krc(["t1", "--quiet"], run_dir)
    assert quiet.returncode == 0 and quiet.stderr == ""


# --------------------------------------------------------------------------- --jobs and N3 carry-over


CARRY_CASES = """\
8 5 0 './out/carry.t52' /
1 42 5.0 'DELJUL' / N3 is lowered to floor(5/1.0275) = 4 ...
0/
1 42 17.174822 'DELJUL' / ... and stays 4 here
0/
2 3 15 'N3' / set again
0/
1 3 400. 'INERTIA' /
0/
1 3 800. 'INERTIA' /
0/
0/ end
"""


def carry_deck(tmp_path: Path) -> Path:
    folder = need_reference("ladder", "t1")
    lines = (folder / "t1.inp").read_text(encoding="latin-1").split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("8 5 0"))
    (tmp_path / "carry.inp").write_text("\n".join(lines[:k]) + "\n" + CARRY_CASES,
                                        encoding="latin-1")
    (tmp_path / "out").mkdir(exist_ok=True)
    return tmp_path / "carry.inp"


def test_n3_carry_over_and_jobs_give_identical_files(tmp_path: Path) -> None:
    deck_path = carry_deck(tmp_path)
    files = {}
    for jobs in (1, 4):
        proc = krc(["carry", "--jobs", str(jobs), "--print", f"carry{jobs}"], tmp_path,
                   env={"SOURCE_DATE_EPOCH": EPOCH})
        assert proc.returncode == 0, proc.stderr
        files[jobs] = (tmp_path / "out" / "carry.t52").read_bytes()
    assert files[1] == files[4]
    cube, _ = bin5.read(tmp_path / "out" / "carry.t52")
    deck = read_deck(deck_path)
    stored_n3 = [int(case_prefix(cube, c)[174:194].view(np.int32)[2]) for c in range(5)]
    assert stored_n3 == [4, 4, 15, 15, 15]
    # Case 2 ran with the N3 = 4 left by case 1, not the deck's 15.
    p = deck.cases[1].params.copy()
    assert int(p.id[2]) == 15
    p.id[2] = 4
    assert np.array_equal(cube[:, :, :, 1:, 1], run(p).hourly)
    assert not np.array_equal(cube[:, :, :, 1:, 1], run(deck.cases[1].params).hourly)


def test_a_failed_case_is_replanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases run in parallel from the Fortran driver's plan; a case that fails
    makes the run be planned again with that outcome (no orbit geometry is
    carried from it) and the cases whose inputs changed are computed again, so
    --jobs gives what the serial walk of the legacy program gives."""
    folder = need_reference("ladder", "m1")
    lines = (folder / "m1.inp").read_text(encoding="latin-1").split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("8 5 0"))
    body = ["8 5 0 './out/r.t52' /", "1 42 0.5 'DELJUL' / less than a sol: case 1 fails", "0/",
            "1 42 17.174822 'DELJUL' /", "0/", "3 11 0 'LPORB' / no geometry carried from case 2",
            "0/", "0/ end"]
    (tmp_path / "r.inp").write_text("\n".join(lines[:k] + body) + "\n", encoding="latin-1")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)                       # type-52 names are relative to it
    plan = console.plan_deck(str(tmp_path / "r.inp"), "")
    assumed = [c.fd[42:45].tolist() for c in plan.cases]
    serial = console.run_cases(plan, jobs=1)
    parallel = console.run_cases(console.plan_deck(str(tmp_path / "r.inp"), ""), jobs=3)
    assert [o.status for o in serial] == [o.status for o in parallel] == ["failed", "ok", "ok"]
    for a, b in zip(serial, parallel):
        assert a.plan.inputs() == b.plan.inputs()
        assert (a.hourly is None and b.hourly is None) or np.array_equal(a.hourly, b.hourly)
    # Planned as if case 1 succeeded, case 2 would get its orbit geometry; case 1
    # failed, so case 2 runs with the deck's SDEC, DAU, Ls, and case 3 (LPORB off)
    # with those of case 2's last season.
    deck_values = [0.0, 1.465, 0.0]
    assert assumed[1] != deck_values
    assert serial[1].plan.fd[42:45].tolist() == deck_values
    assert serial[2].plan.fd[42:45].tolist() not in (deck_values, assumed[1])


# --------------------------------------------------------------------------- t52 module


def test_t52_sizes_and_text() -> None:
    assert len(T52_TEXT) == 25 and T52_TEXT == "KRCv3.6.5    file type 52"
    sz = t52_sizes(48, 19, 40)                         # master.inp (formats 3.2)
    assert (sz.mm3, sz.ndx, sz.kase) == (6384, 1, 261744)
    assert t52_sizes(96, 1, 360).ndx == 4              # krc_OK.inp
    assert re.fullmatch(r"\d{4} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d", runtime_text())
    assert runtime_text(time.gmtime(86400 * 365 + 3723)) == "1971 Jan  1 01:02:03"
    assert runtime_text(time.gmtime(1796352562)) == "2026 Dec  4 02:49:22"


@pytest.mark.fidelity
def test_t52_header_date_block_has_the_original_format(tmp_path: Path) -> None:
    """The bin5 header of the type-52 file equals the original's byte for byte
    once the date block's text (its clock time) is put to the original's:
    KRC pads the day of the month with a blank (print-extras 12)."""
    run_dir = workdir(tmp_path, "ladder", "t1")
    proc = krc([], run_dir, stdin="t1\n/\n", env={"SOURCE_DATE_EPOCH": "1796352562"})
    assert proc.returncode == console.EXIT_OK, proc.stderr
    ours = (run_dir / "out" / "t1.t52").read_bytes()[:512]
    ref = (REFERENCE / "ladder" / "t1" / "t1.t52").read_bytes()[:512]
    assert b"<<SIZE  2026 Dec  4 02:49:22  >>" in ours
    date = re.compile(rb"<<SIZE  \d{4} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d  >>")
    assert date.search(ref), "the original's header has the expected date block"
    assert date.sub(b"<date>", ours) == date.sub(b"<date>", ref)


def test_build_cube_refuses_mixed_sizes() -> None:
    folder = need_reference("ladder", "t1")
    p = read_deck(folder / "t1.inp").cases[0].params
    q = p.replace(n24=48)
    with pytest.raises(ValueError, match="must share N24, N4 and NSOUT"):
        build_cube([(p, run(p)), (q, run(q))])
    cube = build_cube([(p, run(p)), (p, None)], runtime=runtime_text())
    assert cube.shape[4] == 2 and not cube[..., 1].any()


# --------------------------------------------------------------------------- (5) NetCDF and legacy-wrap run


def test_netcdf_round_trip(tmp_path: Path) -> None:
    xr = pytest.importorskip("xarray")
    pytest.importorskip("h5netcdf")
    pytest.importorskip("h5py")
    deck_path = carry_deck(tmp_path)
    proc = krc(["carry.inp", "--netcdf", "carry.nc", "--quiet"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    root = xr.open_dataset(tmp_path / "carry.nc").load()   # same shapes: a 'case' dimension
    assert list(root.attrs["cases"]) == [1, 2, 3, 4, 5] and root.attrs["layout"] == "case"
    deck = read_deck(deck_path)
    p = deck.cases[1].params.copy()
    p.id[2] = 4                                         # the N3 carried from case 1
    for number, params in ((1, deck.cases[0].params), (2, p), (5, deck.cases[4].params)):
        ds = root.sel(case=number).drop_vars(["case", "case_title"])
        xr.testing.assert_equal(ds, run(params).to_xarray())
    proc = krc(["carry.inp", "--hdf5", "carry.h5", "--quiet"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    ds = xr.open_dataset(tmp_path / "carry.h5", engine="h5netcdf")
    assert ds.surface_temperature.sel(case=3).shape == (24, 3, 8)
    proc = krc(["carry.inp", "--netcdf", "a.nc", "--hdf5", "b.h5"], tmp_path)
    assert proc.returncode == 2 and "not allowed with" in proc.stderr


def test_netcdf_without_the_extra_is_refused_before_computing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run_dir = workdir(tmp_path, "ladder", "t1")
    monkeypatch.chdir(run_dir)
    monkeypatch.setattr(console, "_missing_xarray", lambda: ["h5py"])
    assert console.main(["t1", "--netcdf", "t1.nc"]) == console.EXIT_USAGE
    err = capsys.readouterr().err
    assert "--netcdf needs h5py" in err and "pip install 'legacy-wrap[xarray]'" in err
    assert outputs(run_dir) == []


def test_legacy_wrap_run_table(tmp_path: Path) -> None:
    folder = need_reference("ladder", "t1")
    proc = legacy_wrap_cli(["run", str(folder / "t1.inp")], tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().split("\n")
    assert lines[0].split() == ["case", "latitude", "seasons", "Ts", "min", "Ts", "mean", "Ts",
                                "max", "days(last)", "days(all)"]
    ref, _ = bin5.read(folder / "t1.t52")
    ndx = int(ref[2, 0, 0, 0, 0])
    ts = ref[:, 0, :, -1, 0]
    for j, row in enumerate(lines[1:]):
        case, lat, seasons, tmin, tmean, tmax, dlast, dall = row.split()
        assert (int(case), float(lat), int(seasons)) == (1, [-30.0, 0.0, 45.0][j], 8)
        assert (float(tmin), float(tmean), float(tmax)) == \
            (round(ts[:, j].min(), 3), round(ts[:, j].mean(), 3), round(ts[:, j].max(), 3))
        assert int(dlast) == int(ref[0, 5, j, -1, 0])
        assert int(dall) == int(ref[0, 5, j, ndx:, 0].sum())
    assert outputs(tmp_path) == []                     # the summary writes no files


def test_legacy_wrap_run_case_and_plot(tmp_path: Path) -> None:
    folder = need_reference("decks", "MoonA")
    proc = legacy_wrap_cli(["run", str(folder / "MoonA.inp"), "--case", "3"], tmp_path)
    assert proc.returncode == 0, proc.stderr           # the planetary load is computed
    rows = proc.stdout.strip().split("\n")[1:]
    ref, _ = bin5.read(folder / "MoonA.t52")
    ts = ref[:, 0, :, -1, 2]
    assert [float(r.split()[5]) for r in rows] == [round(ts[:, j].max(), 3) for j in range(5)]
    proc = legacy_wrap_cli(["run", str(folder / "MoonA.inp"), "--case", "10"], tmp_path)
    assert proc.returncode == 2 and "has 9 case(s)" in proc.stderr
    pytest.importorskip("matplotlib")
    png = tmp_path / "moon.png"
    proc = legacy_wrap_cli(["run", str(folder / "MoonA.inp"), "--case", "2", "--plot", str(png)],
                           tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().split("\n")
    assert len(lines) == 1 + 5 + 1                      # header, 5 latitudes of case 2, "wrote"
    assert lines[-1] == f"wrote {png}"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
