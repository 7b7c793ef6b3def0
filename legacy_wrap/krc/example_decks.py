"""Example decks shipped with the package: ``example("mars")`` -> path of the deck.

The decks are legacy-wrap's own (values chosen here, written from
:class:`~legacy_wrap.krc.Params` by ``legacy_wrap/krc/examples/make_examples.py``),
small enough to run in well under a second each:

=============  ===========================================================
``mars``       Mars, 9 latitudes, atmosphere with the Viking pressure curve
               (KPREF 1), 120 seasons, the last Mars year written
``moon``       the Moon, airless, 4 latitudes, 3 lunations per season
``small_body`` an airless small body at 2.5 AU with a 7.2 h day
               (fixed geometry, LPORB false)
``two_layer``  Mars, fine dust (I = 60) over rock from layer 8 (IC2)
``slope``      Mars, a 25 degree slope facing south
=============  ===========================================================

Each deck writes its type-52 file ``NAME.t52`` in the current folder.
``krc --example NAME`` copies a deck into the current folder.
"""

from __future__ import annotations

import importlib.resources
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import FileAccessError, InputError

__all__ = ["EXAMPLES", "example", "example_names", "copy_example", "console_example"]

#: name -> one-line description of every shipped deck.
EXAMPLES: dict[str, str] = {
    "mars": "Mars, 9 latitudes, Viking pressure curve (KPREF 1), 120 seasons",
    "moon": "the Moon, airless, 4 latitudes, 3 lunations per season",
    "small_body": "airless small body at 2.5 AU, 7.2 h day, fixed geometry",
    "two_layer": "Mars, fine dust (I=60) over rock from layer 8 (IC2)",
    "slope": "Mars, 25 degree slope facing south",
}


def example_names() -> list[str]:
    """Names of the shipped example decks."""
    return list(EXAMPLES)


def _folder() -> Path:
    res = importlib.resources.files("legacy_wrap.krc").joinpath("examples")
    with importlib.resources.as_file(res) as path:
        return Path(path)


def example(name: str) -> Path:
    """Path of the installed example deck ``name`` (see :func:`example_names`).

    Raises :class:`InputError` for an unknown name (the message lists the
    names) and :class:`FileAccessError` if the package data is missing.
    """
    key = str(name).removesuffix(".inp")
    if key not in EXAMPLES:
        raise InputError(f"no example deck {name!r}; the examples are: "
                         + ", ".join(EXAMPLES))
    path = _folder() / f"{key}.inp"
    if not path.is_file():
        raise FileAccessError(f"the example deck {path} is not installed; reinstall the "
                              "package ('pip install .' or 'make install')")
    return path


def copy_example(name: str, folder: str | Path = ".") -> Path:
    """Copy the example deck ``name`` into ``folder``; returns the new path.

    Refuses (:class:`FileAccessError`) to overwrite an existing file.
    """
    src = example(name)
    dest_dir = Path(folder)
    if not dest_dir.is_dir():
        raise FileAccessError(f"cannot copy the example into {str(dest_dir)!r}: not a folder")
    dest = dest_dir / src.name
    if dest.exists():
        raise FileAccessError(f"{dest} already exists; remove it or copy from {src}")
    shutil.copyfile(src, dest)
    return dest


def console_example(args: Sequence[str]) -> int:
    """``krc --example [NAME]``: list the examples, or copy one into the current folder."""
    if not args or args[0] in ("-h", "--help", "list"):
        print("example decks (krc --example NAME copies NAME.inp here):")
        for key, text in EXAMPLES.items():
            print(f"  {key:<11} {text}")
        print(f"installed in {_folder()}")
        return 0
    if len(args) > 1:
        print(f"krc: error: --example takes one name, got {' '.join(args)}", file=sys.stderr)
        return 2
    try:
        dest = copy_example(args[0])
    except (InputError, FileAccessError) as exc:
        print(f"krc: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {dest}; run it with: krc {dest.name}")
    return 0
