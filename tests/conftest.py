"""Shared fixtures.  Tests run against the INSTALLED package (see README)."""

from __future__ import annotations

import os
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
