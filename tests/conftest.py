"""Shared fixtures.  Tests run against the INSTALLED package (see README)."""

from __future__ import annotations

import gzip
import os
import re
import shutil
from pathlib import Path

import pytest

import legacy_wrap

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _reference_dir() -> Path:
    env = os.environ.get("KRC_REFERENCE")
    if env:
        return Path(env)
    return ROOT.parent / "shared" / "krc-reference"


REFERENCE = _reference_dir()


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The original KRC 3.6.5 outputs (../shared/krc-reference); skip if absent."""
    if not REFERENCE.is_dir():
        pytest.skip(f"KRC reference outputs not found at {REFERENCE} (set KRC_REFERENCE)")
    return REFERENCE


def reference_t52_files() -> list[Path]:
    """Every type-52 file of the reference set (empty when it is absent)."""
    if not REFERENCE.is_dir():
        return []
    return sorted(REFERENCE.glob("decks/*/*.t52")) + sorted(REFERENCE.glob("ladder/*/*.t52"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def installed_package() -> Path:
    """Guard: the tests must import the installed package, not the source tree."""
    path = Path(legacy_wrap.__file__).resolve().parent
    return path


def console_script(name: str) -> str:
    """Path of an installed console script (the venv's bin, even if not on PATH)."""
    import shutil
    import sys
    import sysconfig

    candidate = Path(sysconfig.get_path("scripts")) / name
    if candidate.is_file():
        return str(candidate)
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"console script {name!r} is not installed")
    return found


# ---------------------------------------------------------------- KRC deck runs

def reference_folder(kind: str, name: str) -> Path:
    """REFERENCE/<kind>/<name> holding <name>.inp; skip the test when absent."""
    folder = REFERENCE / kind / name
    if not (folder / f"{name}.inp").is_file():
        pytest.skip(f"reference deck {kind}/{name} not found under {REFERENCE}")
    return folder


def stage_deck(deck_path: Path, work: Path) -> Path:
    """Copy a deck and the zone and seasonal tables it names into work (with an
    empty out/); a table not beside the deck is taken from REFERENCE/tables."""
    import shutil

    from legacy_wrap.krc import read_deck

    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(deck_path, work / deck_path.name)
    (work / "out").mkdir()
    for case in read_deck(deck_path).cases:
        named = [(25, case.zone_file)] if case.zone_file is not None else []
        named += [(k, v[0]) for k, v in case.table_files.items()]   # seasonal tables
        for index, source in named:
            if source is not None and not source.is_file():
                source = REFERENCE / "tables" / source.name
            if source is not None and source.is_file():
                target = work / case.files[index]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target)
    return work


def run_outputs(folder: Path) -> list[str]:
    """Files written in folder (recursively): everything but decks and tables."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and p.suffix not in (".inp", ".tab"))


_PRT_TIME_LINE = re.compile(r"(seconds at end of season|DTIME: total|END KRC   Total time|^ Elog= )")
#: Page headings; the run date is masked only in KRC's own format (the day
#: of the month blank-padded), so a differently formatted date still differs.
_PRT_HEADING = re.compile(r"^(KRCv3\.6\.5    RUN-CASE...-..   )"
                          r"(\d{4} [A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d)(  PAGE=...)$")


def normalised_print(text: str) -> list[str]:
    """Lines of a print file with the run times and run dates masked."""
    out = []
    for line in text.splitlines():
        if _PRT_TIME_LINE.search(line):
            out.append("<time>")
            continue
        m = _PRT_HEADING.match(line)
        out.append(m.group(1) + "<date>" + m.group(3) if m else line)
    return out


def case_prefix(cube, c: int):
    """The first NDX pseudo-seasons of case c of a type-52 cube, flattened (formats 3.2)."""
    import numpy as np

    ndx = int(cube[2, 0, 0, 0, c])
    return np.ravel(cube[:, :, :, :ndx, c], order="F")


def unpack_far_field(name: str, dest: Path) -> Path:
    """A far-field file of ladder f1 the original wrote (stored gzipped,
    25.6 MB records), unpacked into dest (the caller deletes it)."""
    src = REFERENCE / "ladder" / "f1" / f"{name}.gz"
    if not src.is_file():
        pytest.skip(f"{src} not found")
    out = dest / name
    with gzip.open(src, "rb") as g, open(out, "wb") as o:
        shutil.copyfileobj(g, o, 1 << 24)
    return out
