"""The ``legacy-wrap`` command: front door to the package's tools.

Subcommands::

    legacy-wrap bin5 info FILE            header of a bin5 file
    legacy-wrap bin5 dump FILE            values, one per line
    legacy-wrap bin5 convert IN OUT       rewrite (optionally with another byte order / text)
    legacy-wrap regress [FOLDER] [--cases NAME ...] [--against golden|legacy|PATH]
                        [--update-golden] [--json FILE] [--junit FILE]
    legacy-wrap doctor                    where the native parts are, and whether they load
    legacy-wrap run DECK [--case N] [--plot PNG]
                                          run a KRC deck, print a summary table per case and
                                          latitude, optionally plot the diurnal curves
    legacy-wrap porb BODY [--epoch TC] [--table TABLE] [--info]
                                          the deck-ready PORB block of a body (--list: the bodies)

Errors from the package are printed as one line on stderr with exit status 1;
usage errors exit with status 2; an option that is not implemented (``run``:
a case not computed, one-point mode, LKEY) with status 3, as ``krc``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from . import __version__
from .errors import DeckError, InputError, LegacyWrapError, UnsupportedOptionError

if TYPE_CHECKING:  # pragma: no cover
    from .krc import console

__all__ = ["main", "build_parser"]


def _cmd_bin5_info(args: argparse.Namespace) -> int:
    from . import bin5
    h = bin5.read_header(args.file)
    print(f"shape (Fortran order): {' '.join(str(n) for n in h.shape)}")
    print(f"type: {h.type_code} ({h.dtype.name})")
    print(f"elements: {h.nelem}")
    print(f"header_len: {h.header_len}")
    print(f"byte_order: {h.byteorder} ({h.arch})")
    print(f"date: {h.date.strip()}")
    print(f"text: {h.text}")
    return 0


def _cmd_bin5_dump(args: argparse.Namespace) -> int:
    from . import bin5
    data, _ = bin5.read(args.file, mmap=True)
    flat = np.ravel(data, order="F")
    out = sys.stdout
    fmt = "%.17g" if flat.dtype.kind == "f" else "%d"
    chunk = 65536
    for start in range(0, flat.size, chunk):
        np.savetxt(out, flat[start:start + chunk].astype(
            np.float64 if flat.dtype.kind == "f" else np.int64), fmt=fmt)
    return 0


def _cmd_bin5_convert(args: argparse.Namespace) -> int:
    from . import bin5
    data, h = bin5.read(args.input)
    text = h.text if args.text is None else args.text
    order = args.byteorder or h.byteorder
    bin5.write(args.output, data, text=text, date=h.date if args.keep_date else None,
               byteorder=order)
    return 0


def _cmd_regress(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import regress

    data = Path(args.folder or args.data)   # positional FOLDER (or --data)
    targets = [t.strip() for spec in (args.against or ["golden"]) for t in spec.split(",") if t.strip()]
    if args.update_golden:
        cases = regress.load_cases(data, args.cases or None, args.tags or None)
        exe = next((t for t in targets if t not in ("golden", "legacy")), None)
        print(f"regenerating golden data of {len(cases)} case(s) from "
              f"{exe or 'the bundled legacy executables'}:")
        for case in cases:
            regress.update_golden(case, exe)
        return 0
    if args.cases:
        folders = [c.folder for c in regress.load_cases(data, args.cases, args.tags or None)]
    elif args.tags:
        folders = [c.folder for c in regress.load_cases(data, None, args.tags)]
    else:
        if not data.is_dir():
            raise regress.ManifestError(f"{data}: no such regression data folder")
        folders = sorted(p.parent for p in data.glob("*/case.toml"))
    tty = sys.stderr.isatty()

    def progress(i: int, n: int, r) -> None:
        if tty:
            print(f"[{i}/{n}] {r.name}: {r.status}", file=sys.stderr)

    report = regress.run_cases(folders, targets, progress=progress, keep=args.keep)
    print(report.summary())
    if args.json:
        Path(args.json).write_text(report.to_json())
    if args.junit:
        Path(args.junit).write_text(report.to_junit())
    return 0 if report.ok else 1


def _cmd_doctor(args: argparse.Namespace) -> int:
    from . import _resources
    ok = True
    print(f"legacy-wrap {__version__}, Python {sys.version.split()[0]}, numpy {np.__version__}")
    import importlib

    def module_file(name: str) -> str:
        return str(importlib.import_module(name).__file__)

    def thermal_model_runs() -> str:
        from .krc import Params, run
        r = run(Params.moon().replace(n5=1, jdisk=1, latitudes=[0.0], elevations=[0.0]))
        return f"Moon equator, noon {r.surface_temperature[r.hours.size // 2 - 1, 0, 0]:.1f} K"

    checks: list[tuple[str, Callable[[], object]]] = [
        ("bin5 shared library", lambda: _resources.library_path("bin5")),
        ("bin5tool executable", lambda: _resources.executable_path("bin5tool")),
        ("bin5 cffi extension", lambda: module_file("legacy_wrap._bin5_cffi")),
        ("thermal model (f2py)", lambda: module_file("legacy_wrap._krccore")),
        ("deck reader / print file (f2py)", lambda: module_file("legacy_wrap._krcio")),
        ("krc legacy program", lambda: _resources.executable_path("krc")),
        ("a thermal-model run", thermal_model_runs),
    ]
    for label, probe in checks:
        try:
            where = probe()
            print(f"  ok      {label}: {where}")
        except (LegacyWrapError, ImportError) as exc:
            ok = False
            print(f"  MISSING {label}: {exc}")
    return 0 if ok else 1


def _cmd_run(args: argparse.Namespace) -> int:
    """``legacy-wrap run``: run a deck's cases and summarise them (no files written but --plot)."""
    from .krc import console

    if args.plot is not None:
        try:
            import matplotlib
        except ImportError:
            print("legacy-wrap: error: --plot needs matplotlib: pip install 'legacy-wrap[plot]'",
                  file=sys.stderr)
            return 2
        matplotlib.use("Agg")
    try:
        run = console.plan_deck(args.deck, print_name="")   # no print file: not checked
    except (DeckError, UnsupportedOptionError) as exc:
        print(f"legacy-wrap: error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, DeckError) else 3
    plans = run.cases
    if not plans:
        print(f"{args.deck}: the deck has no case to run")
        return 0
    if args.case is not None and not 1 <= args.case <= len(plans):
        print(f"legacy-wrap: error: --case {args.case}: the deck has {len(plans)} case(s)",
              file=sys.stderr)
        return 2
    # Cases before the one asked for still run (as planned by the Fortran driver with
    # the carry-over from case to case); nothing is written.
    tty = sys.stderr.isatty()

    def progress(o: console.CaseOutcome, done: int, total: int) -> None:
        if tty:
            print(f"[{done}/{total}] case {o.plan.number}: {o.status}", file=sys.stderr)

    from .krc.model import convergence_message
    outcomes = console.run_cases(run, jobs=args.jobs, progress=progress, upto=args.case)
    shown = outcomes if args.case is None else outcomes[-1:]
    for o in shown:
        if o.result is not None and (note := convergence_message(o.result)) is not None:
            print(f"legacy-wrap: warning: case {o.plan.number}: {note}", file=sys.stderr)
    print(f"{'case':>4} {'latitude':>9} {'seasons':>7} {'Ts min':>9} {'Ts mean':>9} {'Ts max':>9} "
          f"{'days(last)':>10} {'days(all)':>9}")
    for o in shown:
        if o.result is None:
            print(f"{o.plan.number:4d}  not computed ({o.status}): {o.message}")
            continue
        r = o.result
        ts = r.surface_temperature[:, :, -1]          # (hour, latitude) of the last output season
        nsout = r.surface_temperature.shape[2]
        for j, lat in enumerate(r.latitudes):
            print(f"{o.plan.number:4d} {lat:9.2f} {nsout:7d} {ts[:, j].min():9.3f} "
                  f"{ts[:, j].mean():9.3f} {ts[:, j].max():9.3f} "
                  f"{int(r.days_computed[j, -1]):10d} {int(r.days_computed[j].sum()):9d}")
    if args.plot is not None:
        done = [o for o in shown if o.result is not None]
        if not done:
            print("legacy-wrap: error: no computed case to plot", file=sys.stderr)
            return 1
        _plot_diurnal(done[0], args.plot, args.seasons)
        print(f"wrote {args.plot}")
    if any(o.status == "failed" for o in shown):
        return 1
    return 3 if any(o.status == "skipped" for o in shown) else 0   # as krc: not implemented


def _plot_diurnal(outcome: console.CaseOutcome, path: str, seasons: list[int] | str | None = None) -> None:
    """Diurnal curves by latitude and a season-by-hour map: legacy_wrap.krc.plot."""
    from .krc.plot import plot_result
    assert outcome.result is not None
    plot_result(outcome.result, path, case=outcome.plan.number, seasons=seasons)


def _cmd_porb(args: argparse.Namespace) -> int:
    from .krc.porb import TABLE_FILES, bodies, catalogue, porb
    if args.list:
        for name in bodies():
            rows = [b for b in catalogue() if b.name == name]
            where = "; ".join(f"{b.table} item {b.item}" + (f" pole {b.pole}" if b.pole else "")
                              + (f" ({b.note})" if b.note else "") for b in rows)
            print(f"{name:10s} {rows[0].kind:9s} {where}")
        return 0
    if args.body is None:
        raise InputError("name a body (e.g. 'legacy-wrap porb Bennu'), or give --list")
    r = porb(args.body, args.epoch, table=args.table)
    if args.info:
        print(f"body            {r.name} (title {r.title!r}, {TABLE_FILES[r.source]} "
              f"item {r.item}, TC {r.epoch:g})")
        print(f"orbital period  {r.period:.7g} days")
        print(f"semi-major axis {r.semi_major_axis:.7g} AU, eccentricity {r.eccentricity:.7g}")
        print(f"obliquity       {r.obliquity:.4f} deg, Ls of perihelion {r.ls_perihelion:.4f} deg")
        print(f"rotation        {r.rotation_hours:.7g} h sidereal")
        return 0
    sys.stdout.write(r.block())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``legacy-wrap`` (exposed for documentation/tests)."""
    parser = argparse.ArgumentParser(prog="legacy-wrap",
                                     description=__doc__.split("\n")[0].replace("``", ""))
    parser.add_argument("--version", action="version", version=f"legacy-wrap {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_bin5 = sub.add_parser("bin5", help="inspect and convert bin5 array files")
    sub5 = p_bin5.add_subparsers(dest="bin5_command", required=True, metavar="ACTION")
    p = sub5.add_parser("info", help="print the header")
    p.add_argument("file")
    p.set_defaults(func=_cmd_bin5_info)
    p = sub5.add_parser("dump", help="print every value, one per line, in file order")
    p.add_argument("file")
    p.set_defaults(func=_cmd_bin5_dump)
    p = sub5.add_parser("convert", help="rewrite a file (byte order, text)")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--text", help="replace the header text")
    p.add_argument("--byteorder", choices=["little", "big"], help="byte order of the output")
    p.add_argument("--keep-date", action="store_true", help="keep the input's date block")
    p.set_defaults(func=_cmd_bin5_convert)

    p = sub.add_parser("regress", help="run regression cases: Python path vs legacy executable / golden data")
    p.add_argument("folder", nargs="?", metavar="FOLDER",
                   help="folder of cases (same as --data; default: ./regression_data)")
    p.add_argument("--data", default="regression_data", help="folder of cases (default: ./regression_data)")
    p.add_argument("--cases", nargs="+", metavar="NAME", help="case names or patterns (default: all)")
    p.add_argument("--tags", nargs="+", metavar="TAG", help="only cases with one of these tags")
    p.add_argument("--against", action="append", metavar="TARGET",
                   help="golden, legacy, or the path of another executable (used only for the "
                        "cases of an executable of that file name; NAME=PATH for another name); "
                        "repeat or comma-separate (default: golden)")
    p.add_argument("--update-golden", action="store_true",
                   help="regenerate the golden outputs and provenance from the legacy executable")
    p.add_argument("--json", metavar="FILE", help="also write a JSON report")
    p.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    p.add_argument("--keep", action="store_true", help="keep the run directories (for debugging)")
    p.set_defaults(func=_cmd_regress)

    p = sub.add_parser("doctor", help="check that the native parts are installed and load")
    p.set_defaults(func=_cmd_doctor)

    p = sub.add_parser("run", help="run a KRC deck and print a summary per case and latitude",
                       description="Run every case of a KRC deck with the thermal model and print, "
                       "per case and latitude: the number of output seasons, min/mean/max surface "
                       "temperature of the last output season, and the sols computed. No output "
                       "files are written (use the 'krc' command for those) except the --plot image.")
    p.add_argument("deck", help="KRC input deck (.inp)")
    p.add_argument("--case", type=int, metavar="N", help="show (and plot) case N only (1-based)")
    p.add_argument("--plot", metavar="PNG", help="plot the first shown case to PNG: diurnal "
                   "surface temperature by latitude for up to four seasons and a season-by-hour "
                   "map (needs legacy-wrap[plot])")
    from .krc.plot import seasons_argument
    p.add_argument("--seasons", metavar="LIST", type=seasons_argument, help="seasons of the --plot: J5 indices such as "
                   "81,90,100, 'last' or 'all' (default: four spread over the output seasons)")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="cases run at once (threads)")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("porb", help="print the deck-ready PORB block of a planet, satellite, "
                       "asteroid, comet or exoplanet",
                       description="Print the 7-line PORB block (as KRC's porbmn saves it) of a "
                       "body from the shipped element tables, ready to paste into a KRC deck.")
    p.add_argument("body", nargs="?", help="body name, e.g. Mars, Phobos, Bennu, 'Tempel 2'")
    p.add_argument("--epoch", type=float, metavar="TC",
                   help="Julian centuries after J2000.0 (planets and satellites; default 0)")
    p.add_argument("--table", metavar="TABLE",
                   help="planet, minor, small, comet or exoplanet: the row of a body listed twice")
    p.add_argument("--info", action="store_true",
                   help="print period, obliquity, Ls of perihelion... instead of the block")
    p.add_argument("--list", action="store_true", help="list the known bodies and their rows")
    p.set_defaults(func=_cmd_porb)

    from .krc import sweep_cli
    sweep_cli.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``legacy-wrap`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UnsupportedOptionError as exc:   # exit 3, as the krc program
        print(f"legacy-wrap: error: {exc}", file=sys.stderr)
        return 3
    except LegacyWrapError as exc:
        print(f"legacy-wrap: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. "legacy-wrap bin5 dump big.bin5 | head"
        return 0
    except OSError as exc:   # a report, plot or table that cannot be written
        print(f"legacy-wrap: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
