"""``legacy-wrap sweep SPEC.toml``: run a parameter sweep described in a TOML file.

The spec file (see ``examples/sweep.toml``)::

    base = "mars"              # "mars" (master.inp), "moon" (MoonA.inp) or a deck path
    case = 1                   # with a deck: its case number (default 1)
    output = "table.nc"        # the store (NetCDF4/HDF5); resumable with --resume
    executor = "processes"     # serial | threads | processes | dask | mpi
    workers = 4                # optional (default: the CPUs available)
    chunk_size = 8             # optional
    scheduler = "tcp://host:8786"   # optional, executor = "dask" only
    items = ["surface_temperature", "days_computed"]   # optional

    [changes]                  # applied to the base first (any KRC parameter name)
    ptotal = 0.5
    latitudes = [-30.0, 0.0, 30.0]
    elevations = [0.0, 0.0, 0.0]

    [axes]                     # a Cartesian grid ...
    inertia = [50, 100, 200, 400]
    alb = [0.15, 0.25]

    # ... or an explicit list instead of [axes]:
    # [[cases]]
    # inertia = 100
    # alb = 0.2

A deck path in ``base`` is relative to the spec file; ``output`` (and
``--output``) is relative to the current directory.  The command-line options
override the file.  An existing output is refused unless ``--resume`` (it
must come from the same sweep; only the missing runs are computed) or
``--overwrite``.

Exit status: 0 when every run is stored; 1 for an error or failed runs (the
other runs are kept in the output); 2 for a usage error; 130 after Ctrl-C
(finished runs are kept: continue with ``--resume``).

For ``legacy-wrap``: :func:`add_parser` registers the subcommand; :func:`main`
runs it standalone (``python -m legacy_wrap.krc.sweep_cli SPEC.toml``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, LegacyWrapError
from .params import Params

__all__ = ["add_parser", "build_parser", "main", "SweepSpec", "load_spec"]

_KEYS = {"base", "case", "output", "executor", "workers", "chunk_size", "scheduler", "items",
         "changes", "axes", "cases"}


@dataclass
class SweepSpec:
    """A sweep as described by a spec file (after the command-line overrides)."""

    path: Path
    base: Params
    base_name: str
    output: Path
    axes: dict[str, list[Any]] | None = None
    cases: list[dict[str, Any]] | None = None
    executor: str = "serial"
    workers: int | None = None
    chunk_size: int | None = None
    scheduler: str | None = None
    items: tuple[str, ...] = ("surface_temperature", "days_computed")
    changes: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """``inertia (5) x alb (2) = 10 runs`` or ``4 cases``."""
        if self.axes is not None:
            sizes = " x ".join(f"{k} ({len(v)})" for k, v in self.axes.items())
            n = 1
            for v in self.axes.values():
                n *= len(v)
            return f"{sizes} = {n} runs"
        return f"{len(self.cases or [])} cases"


def _toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ImportError as exc:
            raise InputError("reading a sweep spec needs Python 3.11+ or the tomli package") from exc
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(f"{path}: no such sweep spec file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a sweep spec file") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None


def _base(path: Path, name: Any, case: Any) -> tuple[Params, str]:
    if not isinstance(name, str) or not name:
        raise InputError(f"{path}: base must be \"mars\", \"moon\" or the path of a deck, got {name!r}")
    if name.lower() == "mars":
        return Params.mars(), "mars (master.inp case 1)"
    if name.lower() == "moon":
        return Params.moon(), "moon (MoonA.inp case 1)"
    from .deck import read_deck

    deck_path = Path(name)
    if not deck_path.is_absolute():
        deck_path = path.parent / deck_path
    number = 1 if case is None else case
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise InputError(f"{path}: case must be a positive integer, got {case!r}")
    deck = read_deck(deck_path)
    if not deck.cases:
        raise InputError(f"{path}: the deck {deck_path} has no case")
    if number > len(deck.cases):
        raise InputError(f"{path}: case = {number}, but the deck {deck_path} has "
                         f"{len(deck.cases)} case(s)")
    return deck.cases[number - 1].params, f"{deck_path} case {number}"


def load_spec(path: str | Path, *, output: str | Path | None = None, executor: str | None = None,
              workers: int | None = None, chunk_size: int | None = None,
              scheduler: str | None = None) -> SweepSpec:
    """Read and check a spec file; keyword arguments override its values."""
    path = Path(path)
    raw = _toml(path)
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise InputError(f"{path}: unknown key(s) {', '.join(unknown)}; the keys are "
                         f"{', '.join(sorted(_KEYS))}")
    if "case" in raw and str(raw.get("base", "")).lower() in ("mars", "moon"):
        raise InputError(f"{path}: case = ... selects a case of a deck; base is {raw['base']!r}")
    base, base_name = _base(path, raw.get("base"), raw.get("case"))
    changes = raw.get("changes", {})
    if not isinstance(changes, dict):
        raise InputError(f"{path}: [changes] must be a table of parameter = value")
    if changes:
        try:
            base = base.replace(**changes)
        except InputError as exc:
            raise type(exc)(f"{path} [changes]: {exc}") from None
    axes = raw.get("axes")
    cases = raw.get("cases")
    if (axes is None) == (cases is None):
        raise InputError(f"{path}: give either an [axes] table or [[cases]] entries (not both)")
    if axes is not None and (not isinstance(axes, dict) or not axes):
        raise InputError(f"{path}: [axes] must be a table of parameter = [values, ...]")
    for table in ([axes] if isinstance(axes, dict) else []) + \
            (cases if isinstance(cases, list) else []):
        for k in table if isinstance(table, dict) else ():
            if k in ("latitudes", "elevations", "latitude", "elevation"):   # TOML hint
                raise InputError(f"{path}: {k!r} cannot be swept: every run shares the "
                                 "latitudes (the 'latitude' dimension); set them under "
                                 "[changes] instead: latitudes = [-30.0, 0.0, 30.0] and "
                                 "elevations = [0.0, 0.0, 0.0]")
    if axes is not None:
        for k, v in axes.items():
            if not isinstance(v, list):
                raise InputError(f"{path}: axis {k} must be a list of values, got {v!r}")
    if cases is not None and (not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases)):
        raise InputError(f"{path}: cases must be [[cases]] tables of parameter = value")
    out = output if output is not None else raw.get("output")
    if not isinstance(out, (str, Path)) or not str(out):
        raise InputError(f"{path}: give output = \"table.nc\" (or --output)")
    items = raw.get("items", SweepSpec.items)
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) for i in items):
        raise InputError(f"{path}: items must be a list of names, got {items!r}")
    spec = SweepSpec(
        path=path, base=base, base_name=base_name, output=Path(out),
        axes=None if axes is None else {k: list(v) for k, v in axes.items()},
        cases=None if cases is None else [dict(c) for c in cases],
        executor=executor if executor is not None else raw.get("executor", "serial"),
        workers=workers if workers is not None else raw.get("workers"),
        chunk_size=chunk_size if chunk_size is not None else raw.get("chunk_size"),
        scheduler=scheduler if scheduler is not None else raw.get("scheduler"),
        items=tuple(items), changes=dict(changes))
    if not isinstance(spec.executor, str):
        raise InputError(f"{path}: executor must be a name, got {spec.executor!r}")
    for key in ("workers", "chunk_size"):
        v = getattr(spec, key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
            raise InputError(f"{path}: {key} must be a positive integer, got {v!r}")
    return spec


def _add_arguments(p: argparse.ArgumentParser) -> None:
    from .sweep import EXECUTORS

    p.add_argument("spec", metavar="SPEC.toml", help="sweep description (see examples/sweep.toml)")
    p.add_argument("--executor", choices=EXECUTORS, help="backend (overrides the spec)")
    p.add_argument("--workers", type=int, metavar="N", help="workers (overrides the spec)")
    p.add_argument("--chunk-size", type=int, metavar="N", help="runs per task")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (executor dask)")
    p.add_argument("--output", "-o", metavar="PATH", help="output file (overrides the spec)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--resume", action="store_true",
                      help="continue an existing output of the same sweep (compute what is missing)")
    mode.add_argument("--overwrite", action="store_true", help="replace an existing output")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress line on stderr (default: only on a terminal)")
    p.add_argument("--dry-run", action="store_true",
                   help="check the spec and every run's parameters, print the plan, run nothing")


_DESCRIPTION = ("Run the thermal model over a grid ([axes]) or a list ([[cases]]) of parameter "
                "values given in a TOML spec, writing a NetCDF4 table as runs finish. "
                "Ctrl-C keeps the finished runs; --resume continues.")


def add_parser(subparsers: Any) -> None:
    """Register the ``sweep`` subcommand on ``legacy-wrap``'s subparsers."""
    p = subparsers.add_parser("sweep", help="run a parameter sweep from a TOML spec (resumable)",
                              description=_DESCRIPTION)
    _add_arguments(p)
    p.set_defaults(func=run_command)


def build_parser() -> argparse.ArgumentParser:
    """A standalone parser (``legacy-wrap sweep`` without the rest of the CLI)."""
    p = argparse.ArgumentParser(prog="legacy-wrap sweep", description=_DESCRIPTION)
    _add_arguments(p)
    return p


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed ``sweep`` subcommand; returns the exit status."""
    from .sweep import _make_plan, sweep

    out: Path | None = None
    try:
        spec = load_spec(args.spec, output=args.output, executor=args.executor,
                         workers=args.workers, chunk_size=args.chunk_size, scheduler=args.scheduler)
        if args.dry_run:
            plan = _make_plan(spec.base, spec.axes, spec.cases, spec.items)
            print(f"{spec.path}: base {spec.base_name}; {spec.describe()}; table "
                  f"{' x '.join(map(str, plan.shape))} runs x {plan.hours.size} hours x "
                  f"{plan.latitudes.size} latitudes x {plan.seasons.size} seasons; "
                  f"items {', '.join(plan.items)}; all {plan.total} runs valid")
            return 0
        out = spec.output
        if out.exists() and not (args.resume or args.overwrite):
            raise InputError(f"{out} exists: pass --resume to continue it (same sweep) or "
                             "--overwrite to start again")
        ds = sweep(spec.base, axes=spec.axes, cases=spec.cases, executor=spec.executor,
                      workers=spec.workers, chunk_size=spec.chunk_size, store=out,
                      items=spec.items, progress=args.progress, scheduler=spec.scheduler,
                      overwrite=bool(args.overwrite))
    except KeyboardInterrupt:
        where = f"are kept in {out}" if out is not None else "are kept"
        print(f"legacy-wrap sweep: interrupted; the finished runs {where}; run the same command "
              "with --resume to continue", file=sys.stderr)
        return 130
    except (LegacyWrapError, ImportError, OSError) as exc:   # SweepError included
        print(f"legacy-wrap: error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}: {spec.describe()}, {int(ds.done.sum())} runs stored, "
          f"{ds.sizes['hour']} hours x {ds.sizes['latitude']} latitudes x "
          f"{ds.sizes['season']} seasons each")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``legacy-wrap sweep`` as a standalone command; returns the exit status."""
    args = build_parser().parse_args(argv)
    return run_command(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
