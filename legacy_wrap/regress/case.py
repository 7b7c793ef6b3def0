"""Case manifests (``case.toml``): parsing and validation."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Case", "OutputSpec", "Tolerance", "ManifestError", "load_case", "load_cases",
           "MANIFEST", "STDOUT"]

MANIFEST = "case.toml"
GOLDEN_DIR = "golden"
#: Pseudo file name for what the program printed on standard output.
STDOUT = "@stdout"
FORMATS = ("bin5", "type52", "print", "text", "bytes", "netcdf")


class ManifestError(InputError):
    """A case manifest is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Tolerance:
    """Allowed difference between two numbers a (expected) and b (actual).

    A pair passes if |a - b| <= abs, or |a - b| <= rel * |a|, or the two are
    at most ``ulps`` representable values apart.  All zero = exact.
    """

    abs: float = 0.0
    rel: float = 0.0
    ulps: int = 0

    @property
    def exact(self) -> bool:
        return self.abs == 0 and self.rel == 0 and self.ulps == 0

    def describe(self) -> str:
        if self.exact:
            return "exact"
        parts = [f"{k}={v:g}" for k, v in (("abs", self.abs), ("rel", self.rel), ("ulps", self.ulps)) if v]
        return ", ".join(parts)


@dataclass(frozen=True)
class OutputSpec:
    """One output to compare."""

    file: str                                  #: path relative to the run dir, or "@stdout"
    format: str                                #: bin5 | type52 | print | text | bytes | netcdf
    tolerance: Tolerance = Tolerance()
    fields: dict[str, Tolerance] = field(default_factory=dict)  #: per-field overrides
    ignore: tuple[str, ...] = ()               #: fields (bin5: header parts) or regexes (text)


@dataclass(frozen=True)
class Case:
    """A regression case loaded from ``<folder>/case.toml``."""

    name: str
    folder: Path
    description: str
    inputs: tuple[str, ...]
    executable: str                            #: bundled executable name or a path
    args: tuple[str, ...]
    stdin: str | None
    python_entry: str | None                   #: "module:function", called as f(argv) -> int
    python_mode: str                           #: "subprocess" | "inprocess"
    outputs: tuple[OutputSpec, ...]
    timeout: float = 60.0
    tags: tuple[str, ...] = ()

    @property
    def golden_dir(self) -> Path:
        return self.folder / GOLDEN_DIR

    @property
    def manifest(self) -> Path:
        return self.folder / MANIFEST


def _err(path: Path, msg: str) -> ManifestError:
    return ManifestError(f"{path}: {msg}")


def _get(table: dict[str, Any], key: str, kind: type | tuple[type, ...], path: Path, where: str,
         default: Any = ..., ) -> Any:
    if key not in table:
        if default is ...:
            raise _err(path, f"missing required key '{where}{key}'")
        return default
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind in (int, float, (int, float)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise _err(path, f"'{where}{key}' must be {names}, got {type(value).__name__} {value!r}")
    return value


def _tolerance(table: Any, path: Path, where: str) -> Tolerance:
    if not isinstance(table, dict):
        raise _err(path, f"'{where}' must be a table like {{abs = 1e-9}}")
    unknown = set(table) - {"abs", "rel", "ulps"}
    if unknown:
        raise _err(path, f"unknown key(s) {sorted(unknown)} in '{where}' (allowed: abs, rel, ulps)")
    tol = Tolerance(abs=float(_get(table, "abs", (int, float), path, where + ".", 0.0)),
                    rel=float(_get(table, "rel", (int, float), path, where + ".", 0.0)),
                    ulps=int(_get(table, "ulps", int, path, where + ".", 0)))
    if tol.abs < 0 or tol.rel < 0 or tol.ulps < 0:
        raise _err(path, f"'{where}' values must be >= 0")
    return tol


def _str_list(value: Any, path: Path, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _err(path, f"'{where}' must be a list of strings")
    return tuple(value)


def load_case(folder: str | Path) -> Case:
    """Load and validate ``folder/case.toml``; raises :class:`ManifestError`."""
    folder = Path(folder)
    path = folder / MANIFEST
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise _err(path, "no case manifest here") from None
    except tomllib.TOMLDecodeError as exc:
        raise _err(path, f"not valid TOML: {exc}") from None
    known = {"description", "timeout", "tags", "inputs", "legacy", "python", "outputs"}
    unknown = set(data) - known
    if unknown:
        raise _err(path, f"unknown top-level key(s) {sorted(unknown)} (allowed: {sorted(known)})")
    legacy = _get(data, "legacy", dict, path, "")
    python = _get(data, "python", dict, path, "", {})
    inputs = _str_list(_get(data, "inputs", dict, path, "", {}).get("files", []), path, "inputs.files")
    for name in inputs:
        if not (folder / name).is_file():
            raise _err(path, f"input file '{name}' listed in inputs.files does not exist in {folder}")
    entry = python.get("entry")
    if entry is not None and (not isinstance(entry, str) or ":" not in entry):
        raise _err(path, "'python.entry' must be 'module:function'")
    mode = python.get("mode", "subprocess")
    if mode not in ("subprocess", "inprocess"):
        raise _err(path, "'python.mode' must be 'subprocess' or 'inprocess'")
    raw_outputs = _get(data, "outputs", list, path, "")
    if not raw_outputs:
        raise _err(path, "'outputs' must list at least one output")
    outputs = []
    for i, out in enumerate(raw_outputs):
        where = f"outputs[{i}]."
        if not isinstance(out, dict):
            raise _err(path, f"'outputs[{i}]' must be a table")
        fmt = _get(out, "format", str, path, where)
        if fmt not in FORMATS:
            raise _err(path, f"'{where}format' = {fmt!r} is not one of {FORMATS}")
        fields = _get(out, "fields", dict, path, where, {})
        outputs.append(OutputSpec(
            file=_get(out, "file", str, path, where),
            format=fmt,
            tolerance=_tolerance(out.get("tolerance", {}), path, where + "tolerance"),
            fields={k: _tolerance(v, path, f"{where}fields.{k}") for k, v in fields.items()},
            ignore=_str_list(out.get("ignore", []), path, where + "ignore"),
        ))
    timeout = float(_get(data, "timeout", (int, float), path, "", 60.0))
    if timeout <= 0:
        raise _err(path, "'timeout' must be > 0 seconds")
    stdin = legacy.get("stdin")
    if stdin is not None and not isinstance(stdin, str):
        raise _err(path, "'legacy.stdin' must be a string")
    return Case(
        name=folder.name,
        folder=folder,
        description=str(data.get("description", "")),
        inputs=inputs,
        executable=_get(legacy, "executable", str, path, "legacy."),
        args=_str_list(legacy.get("args", []), path, "legacy.args"),
        stdin=stdin,
        python_entry=entry,
        python_mode=mode,
        outputs=tuple(outputs),
        timeout=timeout,
        tags=_str_list(data.get("tags", []), path, "tags"),
    )


def load_cases(root: str | Path, names: list[str] | None = None,
               tags: list[str] | None = None) -> list[Case]:
    """Load every case under ``root`` (folders holding case.toml), sorted by name.

    ``names`` selects cases by folder name (shell-style patterns allowed);
    ``tags`` keeps cases having any of the tags.
    """
    import fnmatch

    root = Path(root)
    if not root.is_dir():
        raise ManifestError(f"{root}: no such regression data folder")
    folders = sorted(p.parent for p in root.glob(f"*/{MANIFEST}"))
    if names:
        unknown = [n for n in names if not any(fnmatch.fnmatch(f.name, n) for f in folders)]
        if unknown:
            raise ManifestError(f"{root}: no case matches {unknown}; known: {[f.name for f in folders]}")
        folders = [f for f in folders if any(fnmatch.fnmatch(f.name, n) for n in names)]
    cases = [load_case(f) for f in folders]
    if tags:
        cases = [c for c in cases if set(c.tags) & set(tags)]
    return cases
