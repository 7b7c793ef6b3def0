"""The ``legacy-wrap`` command: front door to the package's tools.

Subcommands::

    legacy-wrap bin5 info FILE            header of a bin5 file
    legacy-wrap bin5 dump FILE            values, one per line
    legacy-wrap bin5 convert IN OUT       rewrite (optionally with another byte order / text)
    legacy-wrap doctor                    where the native parts are, and whether they load

Errors from the package are printed as one line on stderr with exit status 1;
usage errors exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

import numpy as np

from . import __version__
from .errors import LegacyWrapError

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


def _cmd_doctor(args: argparse.Namespace) -> int:
    from . import _resources
    ok = True
    print(f"legacy-wrap {__version__}, Python {sys.version.split()[0]}, numpy {np.__version__}")
    checks: list[tuple[str, Callable[[], object]]] = [
        ("bin5 shared library", lambda: _resources.library_path("bin5")),
        ("bin5tool executable", lambda: _resources.executable_path("bin5tool")),
        ("bin5 cffi extension", lambda: __import__("legacy_wrap._bin5_cffi").__file__),
    ]
    for label, probe in checks:
        try:
            where = probe()
            print(f"  ok      {label}: {where}")
        except (LegacyWrapError, ImportError) as exc:
            ok = False
            print(f"  MISSING {label}: {exc}")
    return 0 if ok else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``legacy-wrap`` (exposed for documentation/tests)."""
    parser = argparse.ArgumentParser(prog="legacy-wrap", description=__doc__.split("\n")[0])
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

    p = sub.add_parser("doctor", help="check that the native parts are installed and load")
    p.set_defaults(func=_cmd_doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``legacy-wrap`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except LegacyWrapError as exc:
        print(f"legacy-wrap: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. "legacy-wrap bin5 dump big.bin5 | head"
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
