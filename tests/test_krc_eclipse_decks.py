"""Eclipses and the planetary heat load through the deck programs (krc-eclipse.md).

Both front doors -- the legacy ``krc`` program and the ``krc`` console script
-- run the ladder decks e1 (daily eclipse + load) and e2 (rare eclipse +
load) and the shipped decks MoonA, EurH and PhoH.  Checked against the
original KRC 3.6.5: the type-52 file (bit for bit bar the run time), the
type-16 and tfine bin5 files (data and header text), the print lines of
spec section 6.1; then the refusals of section 7 (message, exit status,
nothing written) and the thread pool of the console script.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import bin5, executable_path

from conftest import console_script, reference_folder, run_outputs, stage_deck

#: Run time of a case prefix: bytes 1684..1703 of the common after 4 FRONT words.
RUNTIME_WORDS = {214, 215, 216}
#: The print lines of krc-eclipse 6.1 and print-extras 7 (the IDB5 debug
#: lines ' TFINE IQ,...', ' TFINE exit' are not produced: spec 6.1).
ECLIPSE_LINE = re.compile(r"^( Eclipse or PlanHeat on|TFINE layers:| TFINE low lay|"
                          r" +-77[78] |End eclipse:|TFINE: Case=| TFINE wrote| TFINE: No|"
                          r" TLATS wrote| TCARD: 12-eclip| TCARD: 7-fluxes| TCARD:16)")
DOORS = ["program", "console"]


def door(which: str) -> str:
    return str(executable_path("krc")) if which == "program" else console_script("krc")


def run_deck(which: str, work: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [door(which)] + (list(args) if args else [])
    stdin = "" if args else f"{name}\n/\n"
    return subprocess.run(cmd, input=stdin, cwd=work, capture_output=True, text=True,
                          timeout=600)


def staged(kind: str, name: str, work: Path) -> Path:
    return stage_deck(reference_folder(kind, name) / f"{name}.inp", work)


def prefix_words(cube: np.ndarray, c: int) -> np.ndarray:
    ndx = int(cube[2, 0, 0, 0, c])
    return np.ravel(cube[:, :, :, :ndx, c], order="F")


def bin5_text_and_data(path: Path) -> tuple[str, np.ndarray]:
    data, header = bin5.read(path)
    return header.text, data


# --------------------------------------------------------------------------- type 52


@pytest.mark.fidelity
@pytest.mark.parametrize("which", DOORS)
@pytest.mark.parametrize("kind,name", [("ladder", "e1"), ("ladder", "e2"), ("decks", "MoonA"),
                                       ("decks", "EurH")])
def test_type52_is_bit_identical(tmp_path: Path, which: str, kind: str, name: str) -> None:
    """Every case of the deck: hourly items and the prefix (the stored
    parameter common, the season words) equal the original, bar the run time."""
    work = staged(kind, name, tmp_path)
    proc = run_deck(which, work, name)
    assert proc.returncode == 0, proc.stderr
    assert "not implemented" not in proc.stderr and "not written" not in proc.stderr
    ours, _ = bin5.read(work / "out" / f"{name}.t52")
    ref, _ = bin5.read(reference_folder(kind, name) / f"{name}.t52")
    assert ours.shape == ref.shape
    for c in range(ref.shape[4]):
        ndx = int(ref[2, 0, 0, 0, c])
        assert np.array_equal(ours[:, :, :, ndx:, c].view(np.int64),
                              ref[:, :, :, ndx:, c].view(np.int64)), f"{name} case {c + 1}"
        a, b = prefix_words(ours, c), prefix_words(ref, c)
        differ = set(np.nonzero(a.view(np.int64) != b.view(np.int64))[0].tolist())
        assert differ <= RUNTIME_WORDS, f"{name} case {c + 1}: prefix words {sorted(differ)}"


@pytest.mark.fidelity
@pytest.mark.parametrize("which", DOORS)
def test_phoh_eclipse_cases_are_bit_identical(tmp_path: Path, which: str) -> None:
    """PhoH cases 1-4 (Mars, rare solar eclipses by Phobos) bit for bit.
    Cases 5-8 (airless Phobos after the Mars cases) are computed; their
    surface temperatures are the original's, but KRC leaves the atmosphere
    words (T_p, T_a, FD(72) PRES, FD(74) TAUIR, FD(75) TAUEFF, FD(79) AFNOW,
    FD(85) SCALEH) of the last atmosphere case in an airless case, a
    carry-over the driver does not make (not in the specs)."""
    work = staged("decks", "PhoH", tmp_path)
    proc = run_deck(which, work, "PhoH")
    assert proc.returncode == 0, proc.stderr
    ours, _ = bin5.read(work / "out" / "PhoH.t52")
    ref, _ = bin5.read(reference_folder("decks", "PhoH") / "PhoH.t52")
    for c in range(8):
        ndx = int(ref[2, 0, 0, 0, c])
        if c < 4:
            assert np.array_equal(ours[..., c].view(np.int64)[:, :, :, ndx:],
                                  ref[..., c].view(np.int64)[:, :, :, ndx:]), f"case {c + 1}"
        assert np.array_equal(ours[:, 0, :, ndx:, c], ref[:, 0, :, ndx:, c]), f"case {c + 1} T_s"
        assert np.array_equal(ours[:, 3, :, ndx:, c], ref[:, 3, :, ndx:, c]), f"case {c + 1} vis"


# --------------------------------------------------------------------------- type 16, tfine


@pytest.mark.fidelity
@pytest.mark.parametrize("which", DOORS)
@pytest.mark.parametrize("kind,name,files", [
    ("ladder", "e1", ["e1toute1c01.bin5"]),
    ("ladder", "e2", ["e2toute2c01.bin5", "e2tfine01.bin5"]),
    ("ladder", "l1", ["l1toutxyc01.bin5"])])
def test_type16_and_tfine_files_equal_the_original(tmp_path: Path, which: str, kind: str,
                                                   name: str, files: list[str]) -> None:
    """Data bit for bit, header text equal (the date differs)."""
    work = staged(kind, name, tmp_path)
    proc = run_deck(which, work, name)
    assert proc.returncode == 0, proc.stderr
    folder = reference_folder(kind, name)
    for f in files:
        assert (work / f).is_file(), (f, run_outputs(work))
        text, data = bin5_text_and_data(work / f)
        rtext, rdata = bin5_text_and_data(folder / f)
        assert text == rtext, f
        assert data.shape == rdata.shape and np.array_equal(data.view(np.int64),
                                                            rdata.view(np.int64)), f


@pytest.mark.fidelity
def test_deck_files_are_named_as_krc_names_them(tmp_path: Path) -> None:
    """MoonA: one type-16 file per case (NCASE in two digits), a tfine file for
    each rare case (6-8); the print lines name them."""
    work = staged("decks", "MoonA", tmp_path)
    assert run_deck("program", work, "MoonA").returncode == 0
    written = run_outputs(work)
    assert [f for f in written if "tout" in f] == [f"MoonAtout00Nc{c:02d}.bin5"
                                                  for c in range(1, 10)]
    assert [f for f in written if "tfine" in f] == ["MoonAtfine06.bin5", "MoonAtfine07.bin5",
                                                   "MoonAtfine08.bin5"]
    text, data = bin5_text_and_data(work / "MoonAtfine06.bin5")
    assert data.shape == (14, 216, 5)        # the size words printed by the original
    assert text.startswith("KRCv3.6.5    TFINE output N2,J7P:9=^^")


# --------------------------------------------------------------------------- print file


@pytest.mark.fidelity
@pytest.mark.parametrize("which", DOORS)
@pytest.mark.parametrize("kind,name", [("ladder", "e1"), ("ladder", "e2"), ("decks", "MoonA"),
                                       ("decks", "EurH"), ("decks", "PhoH")])
def test_eclipse_print_lines_equal_the_original(tmp_path: Path, which: str, kind: str,
                                                name: str) -> None:
    work = staged(kind, name, tmp_path)
    assert run_deck(which, work, name).returncode == 0
    ours = [ln for ln in (work / f"{name}.prt").read_text().splitlines() if ECLIPSE_LINE.match(ln)]
    ref = [ln for ln in (reference_folder(kind, name) / f"{name}.prt").read_text().splitlines()
           if ECLIPSE_LINE.match(ln)]
    assert len(ref) > 3
    assert ours == ref


@pytest.mark.fidelity
def test_phoh_print_file_is_line_for_line(tmp_path: Path) -> None:
    """PhoH (no IIB > 0, no debug lines): the whole print file."""
    from conftest import normalised_print
    work = staged("decks", "PhoH", tmp_path)
    assert run_deck("program", work, "PhoH").returncode == 0
    assert normalised_print((work / "PhoH.prt").read_text()) == \
        normalised_print((reference_folder("decks", "PhoH") / "PhoH.prt").read_text())


# --------------------------------------------------------------------------- threads


@pytest.mark.fidelity
def test_console_jobs_give_the_serial_files(tmp_path: Path) -> None:
    """MoonA (daily, rare and load cases) on 4 threads: the same files as one."""
    serial = staged("decks", "MoonA", tmp_path / "serial")
    threads = staged("decks", "MoonA", tmp_path / "threads")
    env_epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    import os
    for work, jobs in ((serial, "1"), (threads, "4")):
        proc = subprocess.run([console_script("krc"), "MoonA.inp", "--jobs", jobs, "--quiet"],
                              cwd=work, capture_output=True, text=True, timeout=600,
                              env={**os.environ, **env_epoch})
        assert proc.returncode == 0, proc.stderr
    assert run_outputs(serial) == run_outputs(threads)
    for rel in run_outputs(serial):
        if rel.endswith(".prt"):
            continue                       # CPU times
        assert (serial / rel).read_bytes() == (threads / rel).read_bytes(), rel


# --------------------------------------------------------------------------- refusals (spec 7)

E1_14 = "14 1 0.6 5200. 2.6e5 820. 2.4 0.18 0. 13.0 0. / daily eclipse"
E2_14 = "14 3 1.0 6371. 3.9e5 1737.4 29.5306 0.25 500. 13.5 0. / rare eclipse, 3x layers"

#: (deck, replaced line, new lines, exit status, message pattern)
REFUSALS = {
    "time factor": ("e2", E2_14, "14 8 1.0 6371. 3.9e5 1737.4 29.5306 0.25 500. 13.5 0. /", 2,
                    r"K\^2 = 64|time factor"),
    # ARC3 is set just below the coarse grid's minimum safety factor in
    # refusal_deck: the coarse grid is stable, the first fine sub-layer is not
    # (spec 5.2.6).
    "fine grid unstable": ("e2", E2_14, E2_14, 2, r"PARC\(1\) = 3.*fine grid is unstable.*ARC3"),
    "rare window reaches midnight": (
        "e2", E2_14, "14 3 1.0 6371. 3.9e5 1737.4 29.5306 0.25 500. 23.8 0. /", 2,
        r"rare eclipse: the window and its follow-on of latitude 5.00 reach midnight.*PARC\(9\)"),
    "rare window before midnight": (
        "e2", E2_14, "14 3 1.0 6371. 3.9e5 1737.4 29.5306 0.25 500. 0.0 0. /", 2,
        r"rare eclipse: the window of latitude 5.00 starts before midnight.*PARC\(9\)"),
    "daily window outside the sol": (
        "e1", E1_14, "14 1 0.6 5200. 2.6e5 820. 2.4 0.18 0. 24.0 0. /", 2,
        r"daily eclipse: the window of latitude -40.00 \(steps .*\) reaches outside the sol"),
    "daily latitude without eclipse": (
        "e1", E1_14, "14 1 0.6 5200. 2.6e5 820. 2.4 1.40 0. 13.0 0. /", 2,
        r"latitude (0|30).00 has no eclipse.*PARC\(7\)"),
    "fine window longer than the depth schedule": (
        "e2", E2_14, "14 3 1.0 90000. 3.9e5 1737.4 29.5306 0.25 500. 13.5 0. /", 2,
        r"fine window of latitude 5.00 has \d+ fine steps, more than N2 = 768"),
    "record capacity from PARC(11)": (
        "e2", E2_14, "14 3 1.0 6371. 3.9e5 1737.4 29.5306 1.1 500. 13.5 0. 90. /", 2,
        r"exceeds the record capacity 0 planned from PARC\(11\)"),
    "sun line beyond the geometry": (
        "e1", E1_14, "14 1 0.6 5200. 2.6e5 820. 2.4 -3.0 0. 13.0 0. /", 2,
        r"the Sun line passes .* km from the occulting body.*PARC\(7\)"),
    "planetary load with an atmosphere": (
        "e1", "      0.11      43.5   27.9546      0.01",
        "      0.11      43.5   27.9546     500.0", 3,
        r"planetary heat load \(PARW\(1\) > 0\) with an atmosphere"),
}


def refusal_deck(key: str, tmp_path: Path) -> tuple[Path, str]:
    deck, old, new, _, _ = REFUSALS[key]
    work = staged("ladder", deck, tmp_path)
    path = work / f"{deck}.inp"
    text = path.read_text()
    assert text.count(old) == 1, (key, old)
    text = text.replace(old, new)
    if key == "fine grid unstable":
        from legacy_wrap.krc import layer_table, read_deck
        p = read_deck(path).cases[0].params
        smin = float(np.min(layer_table(p).safety[1:-1]))
        line = next(ln for ln in text.splitlines() if ln.strip().startswith("0.3 ") and
                    "0.801" in ln)
        text = text.replace(line, line.replace("0.801", f"{0.99 * smin:.3f}"))
    path.write_text(text)
    return work, deck


@pytest.mark.parametrize("which", DOORS)
@pytest.mark.parametrize("key", sorted(REFUSALS))
def test_section7_refusals_write_nothing(tmp_path: Path, which: str, key: str) -> None:
    """Each refusal of krc-eclipse 7 before anything is computed or written:
    the exit status, a message naming the case, the parameter and the reason,
    and no print file, type-52, type-16 or tfine file."""
    work, deck = refusal_deck(key, tmp_path)
    _, _, _, status, pattern = REFUSALS[key]
    proc = run_deck(which, work, deck)
    assert proc.returncode == status, proc.stderr
    assert re.search(pattern, proc.stderr), proc.stderr
    assert re.search(rf"{deck}\.inp(, line |:)\d+.*case 1: ", proc.stderr), proc.stderr
    assert run_outputs(work) == [], run_outputs(work)
