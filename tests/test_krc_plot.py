"""Result.plot() / legacy_wrap.krc.plot and ``legacy-wrap run --plot --seasons``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap.errors import InputError
from legacy_wrap.krc import example, read_deck, run

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from legacy_wrap.krc import plot as kplot  # noqa: E402


@pytest.fixture(scope="module")
def moon():
    return run(read_deck(example("moon")).cases[0].params)


def test_figure_panels_labels_and_title(moon, tmp_path: Path) -> None:
    path = tmp_path / "moon.png"
    fig = moon.plot(path, case=2)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert fig._suptitle.get_text() == f"case 2: {moon.params.title.strip()}"
    axes = [ax for ax in fig.axes if ax.get_xlabel() == "local solar time (h)"]
    assert len(axes) == 5                                 # 4 seasons + the map
    diurnal, themap = axes[:4], axes[4]
    assert diurnal[0].get_ylabel() == "surface temperature (K)"
    assert themap.get_ylabel() == "season J5 (Ls)"
    # 10 output seasons: four spread over them, the last included
    assert [ax.get_title() for ax in diurnal][-1].startswith(f"season {moon.seasons[-1]},")
    bars = [ax.get_ylabel() for ax in fig.axes if ax not in axes]
    assert bars == ["latitude (\N{DEGREE SIGN}N)", "surface temperature (K)"]
    # one curve per latitude, closed at midnight, distinct colours ordered by latitude
    pos = kplot.choose_seasons(moon)[0]
    lines = diurnal[0].get_lines()
    assert len(lines) == moon.latitudes.size
    for j, line in enumerate(lines):
        np.testing.assert_array_equal(line.get_ydata()[1:], moon.surface_temperature[:, j, pos])
        assert line.get_ydata()[0] == line.get_ydata()[-1]
    rgb = np.array([line.get_color() for line in lines])
    assert len({tuple(c) for c in rgb}) == len(lines)
    plt.close(fig)


def test_choose_seasons(moon) -> None:
    n = moon.seasons.size
    assert kplot.choose_seasons(moon) == sorted(n - 1 - i * n // 4 for i in range(4))
    assert kplot.choose_seasons(moon, "last") == [n - 1]
    assert kplot.choose_seasons(moon, [int(moon.seasons[0]), int(moon.seasons[3])]) == [0, 3]
    with pytest.raises(InputError, match=r"season 3 is not an output season.*J5 = 21\.\.30"):
        kplot.choose_seasons(moon, [3])
    with pytest.raises(InputError, match="at most 4 seasons"):
        kplot.choose_seasons(moon, list(moon.seasons[:5]))
    assert kplot.parse_seasons("21, 25") == [21, 25] and kplot.parse_seasons("LAST") == "last"
    with pytest.raises(InputError, match="expected 'last', 'all' or comma-separated"):
        kplot.parse_seasons("spring")


def test_map_latitude(moon) -> None:
    fig = moon.plot(seasons="last", latitude=60.0)
    assert any("latitude 60" in ax.get_title() for ax in fig.axes)
    plt.close(fig)
    with pytest.raises(InputError, match="latitude 10.0 is not one of the run's latitudes"):
        moon.plot(latitude=10.0)


def test_without_matplotlib(moon, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'legacy-wrap\[plot\]'"):
        moon.plot()


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "legacy-wrap"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_legacy_wrap_run_plot_seasons(tmp_path: Path) -> None:
    deck = example("two_layer")
    proc = _cli(["run", str(deck), "--plot", "a.png", "--seasons", "41,80"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "wrote a.png" in proc.stdout
    assert (tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"
    proc = _cli(["run", str(deck), "--plot", "b.png", "--seasons", "spring"], tmp_path)
    assert proc.returncode == 2 and "argument --seasons: expected 'last'" in proc.stderr
    proc = _cli(["run", str(deck), "--plot", "c.png", "--seasons", "3"], tmp_path)
    assert proc.returncode == 1 and "season 3 is not an output season" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]
