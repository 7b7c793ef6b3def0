"""Result.converged (KRC's convergence tests, physics 5.3) and the ConvergenceWarning."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import bin5
from legacy_wrap.errors import ConvergenceWarning, LegacyWrapWarning
from legacy_wrap.krc import Params, example, read_deck, run, write_deck


def _script(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def test_moon_default_stops_after_one_sol_and_warns() -> None:
    p = Params.moon().replace(n5=4, jdisk=1)
    with pytest.warns(ConvergenceWarning, match=r"J5 = 4\) did not meet KRC's convergence tests "
                      r"at 5 of 5 latitudes .* N3 = 1 because DELJUL/PERIOD = 1\.2 .*"
                      r"DELJUL = 88\.59 d for 3"):
        r = run(p)
    assert issubclass(ConvergenceWarning, LegacyWrapWarning)
    assert r.sols_per_season == 1 and np.all(r.days_computed == 1)
    assert r.converged.shape == (5, 4) and not r.converged.any()
    assert np.all(r.rms_change > p.dtmax)


def test_a_looser_dtmax_is_met() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        r = run(Params.moon().replace(dtmax=1.0))      # the default 20 seasons: 0.6-0.8 K
    assert r.converged.all()


def test_days_below_n3_count_as_converged() -> None:
    # The shipped small body: up to 15 sols a season, the tests stop it earlier.
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        r = run(read_deck(example("small_body")).cases[0].params)
    assert r.sols_per_season == 15
    assert np.all(r.days_computed < 15) and r.converged.all()


def test_mars_flags_the_seasons_cut_off_by_n3() -> None:
    with pytest.warns(ConvergenceWarning, match=r"RMS change up to 0\.26"):
        r = run(read_deck(example("mars")).cases[0].params)
    cut = (r.days_computed == r.sols_per_season) & (r.rms_change > r.params.dtmax)
    np.testing.assert_array_equal(r.converged, ~cut)
    assert cut[:, -1].any() and not cut[:, -1].all()


def test_krc_and_legacy_wrap_run_warn_and_keep_the_type52(tmp_path: Path) -> None:
    p = Params.moon().replace(n5=3, jdisk=1, latitudes=[0.0], elevations=[0.0])
    write_deck(p, tmp_path / "m.inp", cases=[["8 5 0 'm.t52' /"]])
    proc = subprocess.run([_script("krc"), "m.inp"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "krc: warning: case 1: the last output season (J5 = 3) did not meet" in proc.stderr
    assert "ConvergenceWarning" not in proc.stderr           # our line, not Python's
    data, _ = bin5.read(tmp_path / "m.t52")
    with pytest.warns(ConvergenceWarning):
        r = run(read_deck(tmp_path / "m.inp").cases[0].params)
    np.testing.assert_array_equal(data[:, :, :, 1:, 0], r.hourly)   # type-52 = the core's items
    quiet = subprocess.run([_script("krc"), "m.inp", "--quiet"], cwd=tmp_path,
                           capture_output=True, text=True)
    assert quiet.returncode == 0 and quiet.stderr == ""
    proc = subprocess.run([_script("legacy-wrap"), "run", "m.inp"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("legacy-wrap: warning: case 1: the last output season")
    assert "ConvergenceWarning" not in proc.stderr


def test_warn_false_is_silent() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        r = run(Params.moon().replace(n5=4, jdisk=1), warn=False)
    assert not r.converged.any()
