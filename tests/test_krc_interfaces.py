"""Honest interfaces: help texts, N2 vs N24, inherited titles, exports, TOML hints, exit 3."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import legacy_wrap
import legacy_wrap.krc
from legacy_wrap.errors import InputError
from legacy_wrap.krc import Params, write_deck


def _script(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_krc_help_says_what_it_does() -> None:
    out = _run([_script("krc"), "--help"]).stdout
    assert "(airless)" not in out and "atmosphere: nothing written" not in out
    assert "Mars with its atmosphere" in out and "--example" in out


@pytest.mark.parametrize("sub", [[], ["run"], ["regress"], ["sweep"], ["doctor"], ["bin5"]])
def test_legacy_wrap_help_has_no_markup(sub: list[str]) -> None:
    proc = _run([_script("legacy-wrap"), *sub, "--help"])
    assert proc.returncode == 0
    assert "``" not in proc.stdout
    if not sub:
        assert "The legacy-wrap command" in proc.stdout


def test_n2_must_be_a_multiple_of_n24() -> None:
    p = Params.mars().replace(n2=1500)
    with pytest.raises(InputError, match=r"N2 = 1500 time steps per sol is not a multiple of "
                                         r"N24 = 48 stored hours.*use N2 = 1488 or 1536"):
        p.check()
    with pytest.raises(InputError, match="not a multiple of N24"):
        legacy_wrap.krc.run(p)
    Params.mars().replace(n2=1488).check()             # 31 x 48 is fine


def test_a_default_title_does_not_keep_its_latitude_count() -> None:
    p = Params.mars().replace(latitudes=[-30.0, 0.0, 30.0], elevations=[0.0, 0.0, 0.0])
    assert p.title == "Mars defaults (master.inp case 1), 3 latitudes"
    assert "19 latitudes" in Params.mars().title
    assert Params.mars().replace(latitudes=list(Params.mars().latitudes)).title == Params.mars().title
    q = Params.moon().replace(latitudes=[0.0], elevations=[0.0])
    assert q.title == "Moon defaults (MoonA.inp case 1), 1 latitudes"
    mine = Params.mars().replace(latitudes=[0.0], elevations=[0.0], title="my run")
    assert mine.title == "my run"
    own = Params.mars().replace(title="own").replace(latitudes=[0.0], elevations=[0.0])
    assert own.title == "own"


def test_set_latitudes_keeps_the_title() -> None:
    # the deck reader's path (KRC keeps a deck's title): only Params.replace() retitles
    p = Params.mars()
    p.set_latitudes([0.0], [0.0])
    assert p.title == Params.mars().title


def test_annotations_is_not_exported() -> None:
    assert not hasattr(legacy_wrap.krc, "annotations")
    assert not hasattr(legacy_wrap, "annotations")
    for name in legacy_wrap.krc.__all__:
        assert hasattr(legacy_wrap.krc, name)


def test_sweep_hint_is_toml(tmp_path: Path) -> None:
    spec = tmp_path / "s.toml"
    spec.write_text('base = "mars"\noutput = "t.nc"\n[axes]\nlatitudes = [0.0, 10.0]\n')
    proc = _run([_script("legacy-wrap"), "sweep", str(spec)], cwd=tmp_path)
    assert proc.returncode != 0
    assert "set them under [changes] instead: latitudes = [-30.0, 0.0, 30.0]" in proc.stderr
    assert "replace(" not in proc.stderr
    assert not (tmp_path / "t.nc").exists()


def test_legacy_wrap_run_exits_3_like_krc(tmp_path: Path) -> None:
    p = Params.moon().replace(n5=2, jdisk=1, latitudes=[0.0], elevations=[0.0])
    # a type-11 request in the deck itself (not in a one-point file): not implemented
    write_deck(p, tmp_path / "k.inp",
               cases=[["11  30.0   0.0  14.0  0.0 0.18  150.0 0.00  0.0  0.0 in the deck"]])
    krc = _run([_script("krc"), "k.inp"], cwd=tmp_path)
    run = _run([_script("legacy-wrap"), "run", "k.inp"], cwd=tmp_path)
    assert krc.returncode == 3 and run.returncode == 3
    assert "one-point" in krc.stderr and "one-point" in run.stderr
    assert sorted(f.name for f in tmp_path.iterdir()) == ["k.inp"]
