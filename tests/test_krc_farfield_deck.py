"""Far-field files in decks (KRC's changes 8 21 / 8 3 / 8 4) through both front
doors: the legacy ``krc`` program and the ``krc`` console script, which call
the same Fortran driver (fortran/krc_driver.f90).

The f1 ladder (aflat/aslope airless, f1flat/f1slope with an atmosphere), each
deck run in name order in one folder as the original was: the flat decks
write our compact files, the sloped decks read them.  Type-52 files whole
(bar the run time) and print files line for line; a file the original wrote
(unpacked into a temporary folder, deleted after) read by our sloped run; the
original layout as an option; a writer and its reader in one deck with
``--jobs``; and every refusal of spec A5, before anything is written.
Facts: ../shared/spec/krc-farfield-climate.md Part A.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import bin5, executable_path
from legacy_wrap.krc import read_deck, run
from legacy_wrap.krc.farfield import read_far_field

from conftest import unpack_far_field, REFERENCE, console_script

F1 = REFERENCE / "ladder" / "f1"
DECKS = ["aflat", "aslope", "f1flat", "f1slope"]
DOORS = ["program", "console"]
NH = 86400 * 37                     #: words of one record of the original layout (A2)
RUNTIME_WORDS = [4 + 211, 4 + 212]  #: the run-time text in a type-52 file (formats 3.3)
RUNTIME_BYTES = slice(40 + 1684, 40 + 1704)   #: ... in a compact far-field file


def _need_f1() -> None:
    if not (F1 / "aflat.inp").is_file():
        pytest.skip(f"reference ladder f1 not found under {REFERENCE}")


def _krc(door: str, folder: Path, stem: str, *, env: dict[str, str] | None = None,
         args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run one deck in folder: the dialogue (stem, '/'), or argv when args are given."""
    exe = str(executable_path("krc")) if door == "program" else console_script("krc")
    full = dict(os.environ)
    full.pop("LW_FAR_FIELD_LAYOUT", None)
    full.update(env or {})
    if args:
        return subprocess.run([exe, f"{stem}.inp", *args], cwd=folder, capture_output=True,
                              text=True, timeout=300, env=full)
    return subprocess.run([exe], input=f"{stem}\n/\n", cwd=folder, capture_output=True,
                          text=True, timeout=300, env=full)


def _stage(tmp: Path, names=DECKS) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    for n in names:
        shutil.copy(F1 / f"{n}.inp", tmp)
    (tmp / "out").mkdir()
    return tmp


def _words(path: Path) -> np.ndarray:
    cube, _ = bin5.read(path)
    w = np.ravel(cube, order="F").copy()
    w[RUNTIME_WORDS] = 0.0
    return w.view(np.uint64)


def _items(path: Path, case: int = 0) -> np.ndarray:
    cube, _ = bin5.read(path)
    ndx = int(cube[2, 0, 0, 0, case])
    return cube[:, :, :, ndx:, case]


def _mask(lines: list[str]) -> list[str]:
    """Run dates (KRC's format) and CPU times masked, as shared/tools/krc-print.sh."""
    out = []
    for line in lines:
        line = re.sub(r"\d{4} [A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d", "<date>", line)
        if re.search(r"DTIME:|Total time|seconds at end of season", line):
            line = re.sub(r"\d+\.\d+", "<t>", line)
        out.append(re.sub(r"Elog= .*", "Elog=<log>", line))
    return out


@pytest.fixture(scope="module")
def f1_runs(tmp_path_factory):
    """The four f1 decks run in name order through each front door."""
    _need_f1()
    folders = {}
    for door in DOORS:
        folder = _stage(tmp_path_factory.mktemp(f"f1-{door}"))
        for n in DECKS:
            r = _krc(door, folder, n)
            assert r.returncode == 0, (door, n, r.stderr)
        folders[door] = folder
    return folders


@pytest.mark.fidelity
@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("name", ["aflat", "aslope", "f1flat"])
def test_f1_type52_files_are_the_originals(f1_runs, door, name):
    """Every word of the type-52 file equals the original's, bar the run time."""
    ours = _words(f1_runs[door] / "out" / f"{name}.t52")
    ref = _words(F1 / f"{name}.t52")
    assert ours.shape == ref.shape
    assert np.count_nonzero(ours != ref) == 0


@pytest.mark.fidelity
@pytest.mark.parametrize("door", DOORS)
def test_f1_atmosphere_slope_is_the_original(f1_runs, door):
    """f1slope (a sloped run with an atmosphere reading f1flat's file): every
    word of the type-52 file equals the original's, bar the run time."""
    ours = _words(f1_runs[door] / "out" / "f1slope.t52")
    ref = _words(F1 / "f1slope.t52")
    assert ours.shape == ref.shape
    assert np.count_nonzero(ours != ref) == 0
    items = _items(f1_runs[door] / "out" / "f1slope.t52")
    assert items[11, 2, 0, 0] == 209.94540799178392    # spec D: TAF h12, latitude -30


@pytest.mark.fidelity
@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("name", DECKS)
def test_f1_print_files_line_for_line(f1_runs, door, name):
    ours = (f1_runs[door] / f"{name}.prt").read_text().splitlines()
    ref = (F1 / f"{name}.prt").read_text().splitlines()
    assert _mask(ours) == _mask(ref)


def test_both_doors_write_the_same_bytes(f1_runs):
    """Type-52 and far-field files of the two doors are equal, bar the run time."""
    a, b = f1_runs["program"] / "out", f1_runs["console"] / "out"
    for n in DECKS:
        assert np.array_equal(_words(a / f"{n}.t52"), _words(b / f"{n}.t52")), n
    for n in ("aflat.tm1", "f1flat.tm3"):
        x, y = bytearray((a / n).read_bytes()), bytearray((b / n).read_bytes())
        x[RUNTIME_BYTES] = y[RUNTIME_BYTES] = b""
        assert x == y, n


def test_compact_files_hold_the_flat_runs_items(f1_runs):
    """Our default layout (A4): header + N24 x N4 words per kind and season
    (10 392 bytes instead of 16 x 25.6 MB), the type-52 items 1-3 exactly."""
    out = f1_runs["program"] / "out"
    for name, ext, kind in (("aflat", "tm1", 1), ("f1flat", "tm3", 3)):
        path = out / f"{name}.{ext}"
        ff = read_far_field(path)
        n4 = len(ff.latitudes)
        assert ff.layout == "compact" and ff.kind == kind and ff.seasons == 5
        assert path.stat().st_size == 40 + 1712 + 5 * kind * 24 * n4 * 8
        items = _items(F1 / f"{name}.t52")
        for k in range(kind):
            assert np.array_equal(ff.data[:, :, :, k], items[:, k])


@pytest.mark.fidelity
def test_a_file_of_the_original_read_by_our_sloped_deck(f1_runs, tmp_path):
    """aflat.tm1 as the original wrote it (6 records of 25.6 MB) read by the
    aslope deck through both doors: the same bits as with our own file."""
    _need_f1()
    orig = unpack_far_field("aflat.tm1", tmp_path)
    try:
        for door in DOORS:
            folder = _stage(tmp_path / door, ["aslope"])
            (folder / "out" / "aflat.tm1").symlink_to(orig)
            r = _krc(door, folder, "aslope")
            assert r.returncode == 0, r.stderr
            got = _words(folder / "out" / "aslope.t52")
            assert np.array_equal(got, _words(f1_runs[door] / "out" / "aslope.t52"))
            assert np.array_equal(got, _words(F1 / "aslope.t52"))
            prt = (folder / "aslope.prt").read_text().splitlines()
            assert _mask(prt) == _mask((F1 / "aslope.prt").read_text().splitlines())
    finally:
        orig.unlink()


def _one_season(text: str) -> str:
    """aflat with one stored season (N5 = JDISK = 4): a 2-record file."""
    return text.replace("2 17 -1 'K4OUT' /", "2 17 -1 'K4OUT' /\n2 5 4 'N5' /")


@pytest.mark.parametrize("door", DOORS)
def test_the_original_layout_on_request(tmp_path, door):
    """LW_FAR_FIELD_LAYOUT=krc (both doors) or --far-field-layout krc (console):
    the original's records, read back as the same data as our compact file."""
    _need_f1()
    text = _one_season((F1 / "aflat.inp").read_text())
    folders = {}
    for how in ("compact", "env", "option"):
        folder = tmp_path / how
        folder.mkdir()
        (folder / "out").mkdir()
        (folder / "aflat.inp").write_text(text)
        env = {"LW_FAR_FIELD_LAYOUT": "krc"} if how == "env" else None
        args = ("--far-field-layout", "krc") if how == "option" else ()
        if how == "option" and door == "program":
            continue
        r = _krc(door, folder, "aflat", env=env, args=args)
        assert r.returncode == 0, r.stderr
        folders[how] = folder / "out" / "aflat.tm1"
    try:
        compact_path = folders.pop("compact")
        compact = read_far_field(compact_path)
        common = bytearray(compact_path.read_bytes()[40:40 + 1712])
        common[1684:1704] = b""
        for path in folders.values():
            assert path.stat().st_size == 2 * 8 * NH
            ff = read_far_field(path)
            assert ff.layout == "krc" and np.array_equal(ff.data, compact.data)
            with open(path, "rb") as f:          # record 1: the same common, then zeros
                head = bytearray(f.read(8 * NH))
            assert not any(head[1712:])
            del head[1712:]
            head[1684:1704] = b""
            assert head == common
    finally:
        for path in folders.values():
            path.unlink()


@pytest.mark.parametrize("door", DOORS)
def test_a_bad_layout_name_is_refused(tmp_path, door):
    _need_f1()
    folder = _stage(tmp_path, ["aflat"])
    r = _krc(door, folder, "aflat", env={"LW_FAR_FIELD_LAYOUT": "huge"})
    assert r.returncode == 2 and "LW_FAR_FIELD_LAYOUT = huge" in r.stderr
    assert list((folder / "out").iterdir()) == [] and not (folder / "aflat.prt").exists()


SLOPE_CASE = """8 3 0 './out/aflat.tm1' / read the flat case's file
1 2 0.92 'EMIS' /
1 23 25.0 'SLOPE' /
1 24 180.0 'SLOAZI' /
1 41 -655.9209 'DJUL' /
2 5 4 'N5' /
2 12 1 'JDISK' /
8 5 0 './out/aslope.t52' /
0/
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_writer_and_reader_in_one_deck(tmp_path, jobs):
    """aflat then aslope as two cases of one deck: the reader sees the file the
    writer made (the console computes them in deck order whatever --jobs
    says); the sloped items equal the original's aslope, both doors alike."""
    _need_f1()
    text = (F1 / "aflat.inp").read_text().replace("0/\n0/ end", "0/\n" + SLOPE_CASE + "0/ end")
    got = {}
    for door in DOORS:
        folder = tmp_path / door
        folder.mkdir()
        (folder / "out").mkdir()
        (folder / "two.inp").write_text(text)
        r = _krc(door, folder, "two", args=("--jobs", jobs) if door == "console" else ())
        assert r.returncode == 0, r.stderr
        got[door] = folder
        items = _items(folder / "out" / "aslope.t52")
        assert np.array_equal(items, _items(F1 / "aslope.t52"))
    assert np.array_equal(_words(got["program"] / "out" / "aslope.t52"),
                          _words(got["console"] / "out" / "aslope.t52"))
    a = _mask((got["program"] / "two.prt").read_text().splitlines())
    assert a == _mask((got["console"] / "two.prt").read_text().splitlines())
    assert sum("TFAR: Opened direct access file" in x for x in a) == 1
    assert a.count(" Closed DA file. Name, Unit, -Type=./out/aflat.tm1          13           1") == 1


def test_the_stale_atmosphere_carries_over_cases(tmp_path):
    """A3.4 bug 2: in one deck, the far-field case after an integrated
    atmosphere (f1flat) has T_p from that case's last T_a^4, as
    run(..., stale_ta4=Result.last_ta4) gives; everything else is unchanged."""
    _need_f1()
    slope = (F1 / "f1slope.inp").read_text().split("\n")
    changes = ["8 3 0 './out/f1flat.tm3' /", "1 2 0.92 'EMIS' /", "1 23 25.0 'SLOPE' /",
               "1 24 180.0 'SLOAZI' /", "1 41 -655.9209 'DJUL' /", "2 5 4 'N5' /",
               "2 12 1 'JDISK' /", "8 5 0 './out/f1slope.t52' /", "0/"]
    assert any(line.startswith("8 3 1") for line in slope)
    text = (F1 / "f1flat.inp").read_text().replace("0/\n0/ end", "0/\n" + "\n".join(changes)
                                                   + "\n0/ end")
    results = {}
    for door in DOORS:
        folder = tmp_path / door
        folder.mkdir()
        (folder / "out").mkdir()
        (folder / "two.inp").write_text(text)
        r = _krc(door, folder, "two", args=("--jobs", "2") if door == "console" else ())
        assert r.returncode == 0, r.stderr
        results[door] = _items(folder / "out" / "f1slope.t52")
    assert np.array_equal(results["program"], results["console"])
    flat = run(read_deck(F1 / "f1flat.inp").cases[0].params)
    params = read_deck(F1 / "f1slope.inp").cases[0].params
    ff = tmp_path / "program" / "out" / "f1flat.tm3"
    after = run(params, far_field_in=ff, stale_ta4=flat.last_ta4)
    fresh = _items(F1 / "f1slope.t52")
    ours = results["program"]
    assert np.array_equal(ours[:, 1], after.hourly[:, 1])      # T_p with the left-over Q
    assert np.all(ours[:, 1] > fresh[:, 1])
    assert np.abs(ours[:, 0] - fresh[:, 0]).max() < 2e-12     # T_s: the a9 residual only


# ---------------------------------------------------------------- refusals (spec A5)

@pytest.fixture(scope="module")
def aflat_file(tmp_path_factory):
    _need_f1()
    folder = tmp_path_factory.mktemp("aflat")
    path = folder / "aflat.tm1"
    run(read_deck(F1 / "aflat.inp").cases[0].params, far_field_out=path)
    return path


def _refused(door: str, tmp: Path, text: str, match: str, *, with_file: Path | None) -> None:
    folder = tmp / door
    folder.mkdir()
    (folder / "out").mkdir()
    (folder / "d.inp").write_text(text)
    if with_file is not None:
        shutil.copy(with_file, folder / "out" / with_file.name)
    before = sorted(p.name for p in (folder / "out").iterdir())
    r = _krc(door, folder, "d")
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert re.search(match, r.stderr), r.stderr
    assert sorted(p.name for p in (folder / "out").iterdir()) == before
    assert not (folder / "d.prt").exists()


def _aslope(*changes: str, lat: str | None = None) -> str:
    text = (F1 / "aslope.inp").read_text()
    if lat is not None:
        text = text.replace(" -25.00  40.00", lat)
    return text.replace("8 3 0 './out/aflat.tm1' /", "\n".join(changes + (
        "8 3 0 './out/aflat.tm1' /",)))


REFUSALS = {
    "n2 over 32 n24": (_aslope, ("2 2 1536 'N2' /",), None,
                       r"N2/N24 = 64 > 32 .*0 K for the rest of the sol.*set N2 <= 768"),
    "latitude": (_aslope, (), " -25.00  40.50",
                 r"latitude +40\.500 .*not within 0\.1 deg.*use the flat run's latitudes"),
    "size": (_aslope, ("2 6 48 'N24' /",), None,
             r"N4 = 2, N24 = 24 but the case N4 = 2, N24 = 48 .*latitudes and N24 of the flat"),
}


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("what", sorted(REFUSALS))
def test_a5_refusals_before_anything_is_written(aflat_file, tmp_path, door, what):
    make, changes, lat, match = REFUSALS[what]
    _refused(door, tmp_path, make(*changes, lat=lat), match, with_file=aflat_file)


@pytest.mark.parametrize("door", DOORS)
def test_n2_equal_n24_is_refused(tmp_path, door):
    """A5 bug 4 (K = 1: KRC adds temperatures as fluxes), checked against the
    file an earlier case of the same deck writes (N24 = N2 = 768)."""
    _need_f1()
    text = (F1 / "aflat.inp").read_text().replace("2 17 -1 'K4OUT' /",
                                                  "2 17 -1 'K4OUT' /\n2 6 768 'N24' /")
    text = text.replace("0/\n0/ end", "0/\n" + SLOPE_CASE + "0/ end")
    _refused(door, tmp_path, text, r"case 2: N2 = N24 = 768 .*as if they were fluxes.*"
             r"2\.\.32 times N24", with_file=None)


@pytest.mark.parametrize("door", DOORS)
def test_a_later_case_above_the_step_cap_is_refused(aflat_file, tmp_path, door):
    """A5 bug 7: the 6144 cap holds only in the case that opens the file."""
    text = _aslope().replace("0/\n0/ end", "0/\n2 2 7680 'N2' /\n0/\n0/ end")
    _refused(door, tmp_path, text, r"case 2: N2 = 7680 is above the far-field step cap 6144"
             r".*set N2 <= 6144 or repeat the 8 3 line before this case", with_file=aflat_file)


@pytest.mark.parametrize("door", DOORS)
def test_a_missing_file_to_read_is_refused(tmp_path, door):
    _need_f1()
    _refused(door, tmp_path, _aslope(), r"far-field file '\./out/aflat\.tm1' \(8 3\) does not "
             r"exist and no earlier case of the deck writes it", with_file=None)


@pytest.mark.parametrize("door", DOORS)
def test_an_existing_file_to_write_is_refused(aflat_file, tmp_path, door):
    _refused(door, tmp_path, (F1 / "aflat.inp").read_text(),
             r"'\./out/aflat\.tm1' \(8 21\) exists already .*remove it or name another",
             with_file=aflat_file)


@pytest.mark.parametrize("door", DOORS)
def test_an_atmosphere_without_far_field_ta_is_refused(aflat_file, tmp_path, door):
    """A kind -1 file cannot supply T_a to a case with an atmosphere."""
    text = _aslope("1 12 546.0 'PTOTAL' /")
    _refused(door, tmp_path, text, r"kind -1 and no 8 4 file supplies T_a", with_file=aflat_file)
