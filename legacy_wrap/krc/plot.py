"""Pictures of a :class:`~legacy_wrap.krc.Result` (needs the extra ``legacy-wrap[plot]``).

:func:`plot_result` (also ``Result.plot()``) draws one figure:

* top row: the diurnal curves of surface temperature for up to four chosen
  output seasons, one curve per latitude, coloured along a sequential
  colormap (a colour bar gives the latitude);
* bottom: a season-by-hour map of surface temperature at one latitude
  (default: the latitude nearest the equator), seasons labelled with Ls.

Titles carry the deck title; axes carry their units.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from .model import Result

__all__ = ["plot_result", "choose_seasons", "parse_seasons", "seasons_argument"]

_DEG = "\N{DEGREE SIGN}"
#: at most this many diurnal panels
MAX_PANELS = 4


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError("plotting needs matplotlib: pip install 'legacy-wrap[plot]'") from exc
    if "matplotlib.pyplot" not in __import__("sys").modules and not os.environ.get("DISPLAY") \
            and not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def parse_seasons(text: str) -> list[int] | str:
    """``"last"``, ``"all"`` or comma-separated J5 indices (``"81,90,100"``) from a command line."""
    t = text.strip().lower()
    if t in ("last", "all"):
        return t
    try:
        values = [int(v) for v in t.split(",") if v.strip()]
    except ValueError:
        raise InputError(f"--seasons {text!r}: expected 'last', 'all' or comma-separated "
                         "season indices J5 such as 81,90,100") from None
    if not values:
        raise InputError(f"--seasons {text!r}: no season given")
    return values


def seasons_argument(text: str) -> list[int] | str:
    """:func:`parse_seasons` as an argparse ``type=`` (a bad list is a usage error, exit 2)."""
    import argparse
    try:
        return parse_seasons(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(f"--seasons {text!r}: ")) from None


def choose_seasons(result: "Result", seasons: Sequence[int] | str | None = None) -> list[int]:
    """Positions (0-based, into the output seasons) of the seasons to draw.

    ``seasons``: J5 indices (as in ``result.seasons``), ``"last"``, ``"all"``
    (at most four, spread evenly) or None (the same as ``"all"``).
    """
    js = np.asarray(result.seasons)
    n = js.size
    if seasons is None or (isinstance(seasons, str) and seasons == "all"):
        if n <= MAX_PANELS:
            return list(range(n))
        # evenly spread, ending with the last output season
        return sorted(n - 1 - i * n // MAX_PANELS for i in range(MAX_PANELS))
    if isinstance(seasons, str):
        if seasons == "last":
            return [n - 1]
        raise InputError(f"seasons={seasons!r}: expected 'last', 'all' or J5 indices")
    out = []
    for s in seasons:
        hit = np.nonzero(js == int(s))[0]
        if hit.size == 0:
            raise InputError(f"season {s} is not an output season of this run: the output "
                             f"seasons are J5 = {int(js[0])}..{int(js[-1])} (JDISK..N5)")
        out.append(int(hit[0]))
    if len(out) > MAX_PANELS:
        raise InputError(f"at most {MAX_PANELS} seasons can be drawn, got {len(out)}")
    return out


def plot_result(result: "Result", path: str | os.PathLike[str] | None = None, *,
                seasons: Sequence[int] | str | None = None, latitude: float | None = None,
                case: int | None = None, dpi: int = 110) -> "Figure":
    """Draw ``result`` (see the module docstring); save to ``path`` if given; return the figure."""
    plt = _pyplot()
    from matplotlib import cm, colors

    picks = choose_seasons(result, seasons)
    lats = np.asarray(result.latitudes)
    ts = result.surface_temperature
    if latitude is None:
        jmap = int(np.argmin(np.abs(lats)))
    else:
        near = np.nonzero(np.isclose(lats, float(latitude)))[0]
        if near.size == 0:
            raise InputError(f"latitude {latitude} is not one of the run's latitudes "
                             f"({', '.join(f'{v:g}' for v in lats)})")
        jmap = int(near[0])
    npan = len(picks)
    fig = plt.figure(figsize=(3.2 * npan + 1.6, 7.2), layout="constrained")
    grid = fig.add_gridspec(2, npan, height_ratios=[1.0, 0.9])
    # viridis without its palest end, which is hard to see on white
    cmap = colors.LinearSegmentedColormap.from_list(
        "viridis_dark", plt.get_cmap("viridis")(np.linspace(0.0, 0.88, 256)))
    lo, hi = float(lats.min()), float(lats.max())
    norm = colors.Normalize(vmin=lo - 1.0, vmax=hi + 1.0) if lo == hi else \
        colors.Normalize(vmin=lo, vmax=hi)
    hours = np.concatenate([[0.0], result.hours])        # midnight closes the sol at both ends
    axes = []
    for k, pos in enumerate(picks):
        ax = fig.add_subplot(grid[0, k], sharey=axes[0] if axes else None)
        axes.append(ax)
        for j, lat in enumerate(lats):
            y = ts[:, j, pos]
            ax.plot(hours, np.concatenate([[y[-1]], y]), color=cmap(norm(lat)), lw=1.4)
        ax.set_xlim(0, 24)
        ax.set_xticks(range(0, 25, 6))
        ax.set_xlabel("local solar time (h)")
        if k == 0:
            ax.set_ylabel("surface temperature (K)")
        else:
            ax.tick_params(labelleft=False)
        ax.set_title(f"season {int(result.seasons[pos])}, Ls {result.ls[pos]:.0f}{_DEG}",
                     fontsize=10)
        ax.grid(alpha=0.3)
    bar = fig.colorbar(cm.ScalarMappable(norm=norm, cmap=cmap), ax=axes, pad=0.02,
                       aspect=25)
    bar.set_label(f"latitude ({_DEG}N)")
    if lats.size <= 12:
        bar.set_ticks(lats)
        bar.set_ticklabels([f"{v:g}" for v in lats])
    # season-by-hour map at one latitude
    axm = fig.add_subplot(grid[1, :])
    nsout = ts.shape[2]
    edges_h = np.concatenate([[0.0], result.hours])
    edges_s = np.arange(nsout + 1) - 0.5
    mesh = axm.pcolormesh(edges_h, edges_s, ts[:, jmap, :].T, cmap="inferno", shading="flat")
    axm.set_xlim(0, 24)
    axm.set_xticks(range(0, 25, 3))
    axm.set_xlabel("local solar time (h)")
    step = max(1, int(np.ceil(nsout / 10)))
    ticks = np.arange(0, nsout, step)
    axm.set_yticks(ticks)
    axm.set_yticklabels([f"{int(result.seasons[i])}  ({result.ls[i]:.0f}{_DEG})" for i in ticks],
                        fontsize=8)
    axm.set_ylabel("season J5 (Ls)")
    axm.set_title(f"surface temperature at latitude {lats[jmap]:g}{_DEG}, every output season",
                  fontsize=10)
    cb = fig.colorbar(mesh, ax=axm, pad=0.02, aspect=15)
    cb.set_label("surface temperature (K)")
    title = result.params.title.strip() or "KRC run"
    fig.suptitle(title if case is None else f"case {case}: {title}", fontsize=11)
    if path is not None:
        fig.savefig(path, dpi=dpi)
    return fig
