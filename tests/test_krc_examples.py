"""The example decks shipped with the package: example(), krc --example, and each deck runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import bin5
from legacy_wrap.errors import FileAccessError, InputError
from legacy_wrap.krc import example, example_names, read_deck, run
from legacy_wrap.krc.example_decks import copy_example

NAMES = ["mars", "moon", "small_body", "two_layer", "slope"]


def krc(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "krc"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_names_and_paths_are_installed() -> None:
    assert example_names() == NAMES
    for name in NAMES:
        path = example(name)
        assert path.is_file() and path.name == f"{name}.inp"
        assert "site-packages" in str(path) or "legacy_wrap" in str(path)
    assert example("moon.inp") == example("moon")


def test_unknown_name_lists_the_examples() -> None:
    with pytest.raises(InputError, match="no example deck 'venus'; the examples are: mars, moon"):
        example("venus")


@pytest.mark.parametrize("name", NAMES)
def test_each_example_runs_through_run(name: str) -> None:
    deck = read_deck(example(name))
    assert deck.cases and deck.cases[0].params.title.startswith("legacy-wrap example")
    r = run(deck.cases[0].params)
    assert np.all(np.isfinite(r.surface_temperature))
    assert 40.0 < r.surface_temperature.min() < r.surface_temperature.max() < 450.0


def test_the_examples_say_what_they_are() -> None:
    mars = read_deck(example("mars")).cases[0].params
    assert mars.kpref == 1 and mars.ptotal > 100.0 and mars.n4 == 9
    moon = read_deck(example("moon")).cases[0].params
    assert moon.ptotal <= 1.0 and moon.n4 == 4
    assert read_deck(example("small_body")).cases[0].params.lporb is False
    assert read_deck(example("two_layer")).cases[0].params.ic2 == 8
    assert read_deck(example("slope")).cases[0].params.slope == 25.0


@pytest.mark.parametrize("name", NAMES)
def test_krc_example_copies_and_runs(tmp_path: Path, name: str) -> None:
    proc = krc(["--example", name], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"run it with: krc {name}.inp" in proc.stdout
    assert (tmp_path / f"{name}.inp").read_bytes() == example(name).read_bytes()
    proc = krc([f"{name}.inp", "--quiet"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    data, header = bin5.read(tmp_path / f"{name}.t52")
    r = run(read_deck(tmp_path / f"{name}.inp").cases[0].params)
    np.testing.assert_array_equal(data[:, 0, :, 1:, 0], r.surface_temperature)  # 0: parameters


def test_krc_example_lists_and_refuses(tmp_path: Path) -> None:
    proc = krc(["--example"], tmp_path)
    assert proc.returncode == 0 and all(n in proc.stdout for n in NAMES)
    proc = krc(["--example", "venus"], tmp_path)
    assert proc.returncode == 2 and "no example deck 'venus'" in proc.stderr
    (tmp_path / "moon.inp").write_text("mine\n")
    proc = krc(["--example=moon"], tmp_path)
    assert proc.returncode == 2 and "already exists" in proc.stderr
    assert (tmp_path / "moon.inp").read_text() == "mine\n"
    proc = krc(["moon.inp", "--example", "mars"], tmp_path)
    assert proc.returncode == 2 and "--example NAME is used alone" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["moon.inp"]


def test_copy_example_errors(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError, match="not a folder"):
        copy_example("mars", tmp_path / "nope")
    assert copy_example("mars", tmp_path) == tmp_path / "mars.inp"
    with pytest.raises(FileAccessError, match="already exists"):
        copy_example("mars", tmp_path)
