"""The whole print file: the season-loop tables (LPGLOB, LP3, LP4, LP5 with its
nine summary rows, LP6), the zone-table listing, the IIB:TGHF line and
fort.76 (../shared/spec/krc-print-extras.md), as the original KRC 3.6.5
writes them, through both front doors (the legacy program and the `krc`
console script).

Reference outputs: ../shared/krc-reference/ladder/l1 (airless, IIB 30,
LP2-LP6, LPGLOB, LD16), l2 (Mars KPREF 0, zone table, IIB 50), l3 (Mars
KPREF 2, nine latitudes, polar frost, non-zero global frost).  Only the clock
time (and CPU-time figures) are masked; dates are compared.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import executable_path

from conftest import console_script, normalised_print, reference_folder, stage_deck

def run_door(door: str, work: Path, name: str) -> subprocess.CompletedProcess:
    exe = str(executable_path("krc")) if door == "program" else console_script("krc")
    return subprocess.run([exe], input=f"{name}\n/\n", cwd=work, capture_output=True, text=True,
                          timeout=600)


def print_lines(path: Path) -> list[str]:
    return normalised_print(path.read_text())


@pytest.mark.fidelity
@pytest.mark.parametrize("door", ["program", "console"])
@pytest.mark.parametrize("name", ["l1", "l2", "l3"])
def test_print_file_matches_original(name: str, door: str, tmp_path: Path) -> None:
    folder = reference_folder("ladder", name)
    work = stage_deck(folder / f"{name}.inp", tmp_path)
    proc = run_door(door, work, name)
    assert proc.returncode == 0, proc.stderr
    ours = print_lines(work / f"{name}.prt")
    ref = print_lines(folder / f"{name}.prt")
    assert len(ours) == len(ref)
    for k, (a, b) in enumerate(zip(ours, ref)):
        assert a == b, f"{name}.prt line {k + 1}"


@pytest.mark.fidelity
@pytest.mark.parametrize("door", ["program", "console"])
def test_fort76_matches_original(door: str, tmp_path: Path) -> None:
    folder = reference_folder("ladder", "l1")
    work = stage_deck(folder / "l1.inp", tmp_path)
    assert run_door(door, work, "l1").returncode == 0
    assert (work / "fort.76").read_bytes() == (folder / "fort.76").read_bytes()


@pytest.mark.fidelity
def test_both_doors_same_print_file(tmp_path: Path) -> None:
    folder = reference_folder("ladder", "l3")
    texts = []
    for door in ("program", "console"):
        work = stage_deck(folder / "l3.inp", tmp_path / door)
        assert run_door(door, work, "l3").returncode == 0
        texts.append(normalised_print((work / "l3.prt").read_text()))
    assert texts[0] == texts[1]


@pytest.mark.fidelity
def test_tables_present_in_every_season(tmp_path: Path) -> None:
    """LP5 for every season, spin-up seasons before JDISK included (spec 1.2, 12)."""
    folder = reference_folder("ladder", "l1")
    work = stage_deck(folder / "l1.inp", tmp_path)
    deck = (work / "l1.inp").read_text()
    # two more seasons, the first two of them spin-up (JDISK 3)
    deck = deck.replace("        20       768        15         3         2",
                        "        20       768        15         3         4")
    deck = deck.replace("         3        24         0         1         0",
                        "         3        24         0         3         0")
    (work / "l1.inp").write_text(deck)
    assert run_door("program", work, "l1").returncode == 0
    text = (work / "l1.prt").read_text()
    assert text.count(" SURFACE TEMP VS LATITUDE AND LOCAL HOUR ANGLE") == 4
    assert text.count(" GLOBAL AVERAGE FROST; kg/m^2 =") == 4
    assert text.count("0MAXIMUM TEMPERATURE") == 4
    assert text.count(" AT START OF DAY") == 12
    for j5 in (1, 2, 3, 4):
        assert re.search(rf"^ .{{70}}{j5:7d}  ", text, re.M), j5


def test_print_log_only_when_asked() -> None:
    """The core records the print log only for a case that prints a season table."""
    from legacy_wrap import _krccore
    from legacy_wrap.krc import Params
    from legacy_wrap.krc.model import _arrays

    a = _arrays(Params.mars())
    ld = np.asarray(a["ld"], dtype=np.int32).copy()
    ld[[2, 3, 4, 5, 6, 15]] = 0          # LP3-LP6, LPGLOB, LD16 off
    n4 = len(a["alat"])
    args = (a["fd"], a["id"])
    assert _krccore.krc_print_log_size(*args, ld, n4, a["porb"], a["nzone"], a["zone"]) == 0
    ld[4] = 1                              # LP5
    n = _krccore.krc_print_log_size(*args, ld, n4, a["porb"], a["nzone"], a["zone"])
    assert n > 0
