"""Format-aware comparators.  Each returns a :class:`Comparison` that says
whether the outputs agree, the worst difference and where it is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .case import OutputSpec, Tolerance

__all__ = ["Difference", "Comparison", "compare_file", "TYPE52_ITEMS"]

#: Names of the 7 items of a KRC type-52 cube (formats 3.2, dimension 2).
TYPE52_ITEMS = ("TSF", "TPF", "TAF", "DOWNVIS", "DOWNIR", "ITEM6", "ITEM7")
#: Words of the per-case prefix holding the run's start time (bytes 1684-1703
#: of the 214-word parameter common, which starts at word 4): words 214-216.
_T52_RUNTIME_WORDS = (4 + 1684 // 8, 4 + 1692 // 8, 4 + 1700 // 8)
MAX_REPORTED = 10


@dataclass(frozen=True)
class Difference:
    """One place where the outputs disagree beyond tolerance."""

    file: str
    field: str                 #: item / header field / "line 12"
    index: tuple[int, ...] | None
    expected: object
    actual: object
    detail: str = ""

    def __str__(self) -> str:
        where = f"{self.file} {self.field}"
        if self.index is not None:
            where += f" at index {self.index}"
        text = f"{where}: expected {self.expected!r}, got {self.actual!r}"
        return text + (f" ({self.detail})" if self.detail else "")


@dataclass
class Comparison:
    file: str
    ok: bool = True
    worst_abs: float = 0.0
    worst_where: str = ""
    n_compared: int = 0
    differences: list[Difference] = field(default_factory=list)

    def add(self, diff: Difference) -> None:
        self.ok = False
        if len(self.differences) < MAX_REPORTED:
            self.differences.append(diff)

    def note(self, absdiff: float, where: str) -> None:
        if absdiff > self.worst_abs or not self.worst_where:
            self.worst_abs = absdiff
            self.worst_where = where


def _ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Number of representable floats between a and b (same dtype)."""
    itype = np.int64 if a.dtype.itemsize == 8 else np.int32
    ia = a.view(itype).astype(np.int64)
    ib = b.view(itype).astype(np.int64)
    big = np.int64(1) << (a.dtype.itemsize * 8 - 1)
    ia = np.where(ia < 0, -(ia + big) - 0, ia)   # sign-magnitude -> two's complement order
    ib = np.where(ib < 0, -(ib + big) - 0, ib)
    return np.abs(ia - ib)


def compare_arrays(expected: np.ndarray, actual: np.ndarray, tol: Tolerance, *, file: str,
                   label: str, result: Comparison, index_offset: tuple[int, ...] | None = None) -> None:
    """Compare two arrays element by element; record the worst and the failures."""
    if expected.shape != actual.shape:
        result.add(Difference(file, label, None, expected.shape, actual.shape, "shapes differ"))
        return
    result.n_compared += expected.size
    if expected.size == 0:
        return
    if expected.dtype.kind != "f" or actual.dtype.kind != "f":
        e = expected.astype(np.float64)
        a = actual.astype(np.float64)
    else:
        e, a = expected, actual
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(e.astype(np.float64) - a.astype(np.float64))
    both_nan = np.isnan(e) & np.isnan(a)
    same = (e == a) | both_nan
    ok = same.copy()
    if not tol.exact:
        with np.errstate(invalid="ignore"):
            ok |= diff <= tol.abs
            ok |= diff <= tol.rel * np.abs(e.astype(np.float64))
        if tol.ulps and e.dtype.kind == "f" and e.dtype == a.dtype:
            ok |= _ulp_distance(e, a) <= tol.ulps
    finite = np.where(both_nan, 0.0, np.nan_to_num(diff, nan=np.inf))
    k = int(np.argmax(finite))
    idx = np.unravel_index(k, expected.shape)
    where = tuple(int(i) + (index_offset[n] if index_offset else 0) for n, i in enumerate(idx))
    result.note(float(finite.flat[k]) if expected.size else 0.0, f"{label} {where}")
    if not np.all(ok):
        bad = np.argwhere(~ok.reshape(expected.shape))
        # Fortran order of the first failing element, to match the files' order
        flat = np.ravel_multi_index(bad.T, expected.shape, order="F")
        first = bad[int(np.argmin(flat))]
        pos = tuple(int(i) + (index_offset[n] if index_offset else 0) for n, i in enumerate(first))
        ev = expected[tuple(first)].item()
        av = actual[tuple(first)].item()
        result.add(Difference(file, label, pos, ev, av,
                              f"|diff| = {abs(float(ev) - float(av)):.3e}, tolerance {tol.describe()}, "
                              f"{int(np.count_nonzero(~ok))} of {expected.size} values differ"))


# --------------------------------------------------------------------------- bin5

def _compare_bin5(spec: OutputSpec, exp: Path, act: Path, result: Comparison) -> None:
    from .. import bin5

    (ea, eh), (aa, ah) = bin5.read(exp), bin5.read(act)
    for name in ("shape", "type_code", "text", "date", "byteorder"):
        if name in spec.ignore:
            continue
        if getattr(eh, name) != getattr(ah, name):
            result.add(Difference(spec.file, f"header.{name}", None, getattr(eh, name), getattr(ah, name)))
    if eh.shape == ah.shape:
        tol = spec.fields.get("data", spec.tolerance)
        compare_arrays(ea, aa, tol, file=spec.file, label="data", result=result)


def _compare_type52(spec: OutputSpec, exp: Path, act: Path, result: Comparison) -> None:
    from .. import bin5

    (ea, eh), (aa, ah) = bin5.read(exp), bin5.read(act)
    if eh.shape != ah.shape or ea.ndim != 5:
        result.add(Difference(spec.file, "shape", None, eh.shape, ah.shape,
                              "type-52 cubes must be 5-D with equal shapes"))
        return
    if "text" not in spec.ignore and eh.text != ah.text:
        result.add(Difference(spec.file, "header.text", None, eh.text, ah.text))
    n24, _, n4, nseas, ncase = ea.shape
    for c in range(ncase):
        ndx = int(ea[2, 0, 0, 0, c]) if n24 > 2 else 1
        ndx = min(max(ndx, 0), nseas)
        # Prefix: FRONT, parameter common, season vectors.  The words holding
        # the run's start time always differ between runs: never compared.
        pe = np.ravel(ea[:, :, :, :ndx, c], order="F").copy()
        pa = np.ravel(aa[:, :, :, :ndx, c], order="F").copy()
        for w in _T52_RUNTIME_WORDS:
            if w < pe.size:
                pe[w] = pa[w] = 0.0
        compare_arrays(pe, pa, spec.fields.get("PREFIX", spec.tolerance), file=spec.file,
                       label=f"case {c + 1} PREFIX word", result=result)
        for m, item in enumerate(TYPE52_ITEMS):
            tol = spec.fields.get(item, spec.tolerance)
            compare_arrays(ea[:, m, :, ndx:, c], aa[:, m, :, ndx:, c], tol, file=spec.file,
                           label=f"case {c + 1} {item} (hour, lat, season)", result=result,
                           index_offset=(1, 1, 1))


# --------------------------------------------------------------------- print/text

_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eEdD][-+]?\d+)?")


def _printed_unit(token: str) -> float:
    """One unit in the last printed digit of a number token ('262.34' -> 0.01)."""
    m = re.fullmatch(r"[-+]?\d*(?:\.(\d*))?(?:[eEdD]([-+]?\d+))?", token)
    if m is None:
        return 0.0
    return 10.0 ** (int(m.group(2) or 0) - len(m.group(1) or ""))


def _split_tokens(line: str) -> list[tuple[str, str]]:
    """Split a line into ('num', token) and ('text', token) pieces."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _NUMBER.finditer(line):
        if m.start() > pos:
            out.append(("text", line[pos:m.start()]))
        out.append(("num", m.group()))
        pos = m.end()
    if pos < len(line):
        out.append(("text", line[pos:]))
    return [(k, " ".join(t.split()) if k == "text" else t) for k, t in out if k == "num" or t.strip()]


def _lines(path: Path, ignore: tuple[str, ...]) -> list[tuple[int, str]]:
    pats = [re.compile(p) for p in ignore]
    text = path.read_text(errors="replace").splitlines()
    return [(i + 1, line.rstrip()) for i, line in enumerate(text) if not any(p.search(line) for p in pats)]


def _compare_print(spec: OutputSpec, exp: Path, act: Path, result: Comparison) -> None:
    el, al = _lines(exp, spec.ignore), _lines(act, spec.ignore)
    if len(el) != len(al):
        result.add(Difference(spec.file, "line count", None, len(el), len(al)))
    for (ne, le), (na, la) in zip(el, al):
        te, ta = _split_tokens(le), _split_tokens(la)
        label = f"line {ne}" if ne == na else f"line {ne}/{na}"
        if [k for k, _ in te] != [k for k, _ in ta]:
            result.add(Difference(spec.file, label, None, le, la, "layout differs"))
            continue
        for col, ((k, e), (_, a)) in enumerate(zip(te, ta)):
            if k == "text":
                if e != a:
                    result.add(Difference(spec.file, label, (col,), e, a, "text differs"))
                continue
            result.n_compared += 1
            ev = float(e.replace("D", "E").replace("d", "e"))
            av = float(a.replace("D", "E").replace("d", "e"))
            d = abs(ev - av)
            result.note(d, f"{label} field {col}")
            unit = max(_printed_unit(e), _printed_unit(a))
            tol = spec.tolerance
            if d == 0 or d <= unit * (1 + 1e-9) + tol.abs or d <= tol.rel * abs(ev):
                continue
            result.add(Difference(spec.file, label, (col,), e, a,
                                  f"|diff| = {d:.3g} > one printed unit {unit:g}"))


def _compare_text(spec: OutputSpec, exp: Path, act: Path, result: Comparison) -> None:
    el, al = _lines(exp, spec.ignore), _lines(act, spec.ignore)
    for (ne, le), (na, la) in zip(el, al):
        result.n_compared += 1
        if le != la:
            result.add(Difference(spec.file, f"line {ne}", None, le, la))
            return
    if len(el) != len(al):
        result.add(Difference(spec.file, "line count", None, len(el), len(al)))


def _compare_bytes(spec: OutputSpec, exp: Path, act: Path, result: Comparison) -> None:
    e, a = exp.read_bytes(), act.read_bytes()
    result.n_compared += max(len(e), len(a))
    if e == a:
        return
    n = min(len(e), len(a))
    first = next((i for i in range(n) if e[i] != a[i]), n)
    result.note(1.0, f"byte {first}")
    result.add(Difference(spec.file, "byte", (first,), e[first:first + 8].hex() if first < len(e) else "EOF",
                          a[first:first + 8].hex() if first < len(a) else "EOF",
                          f"sizes {len(e)} and {len(a)} bytes"))


# ------------------------------------------------------------------ NetCDF / HDF5

def _netcdf_variables(path: Path) -> dict[str, tuple[np.ndarray, tuple[str, ...]]]:
    """Every variable of a NetCDF4/HDF5 file (groups flattened as a/b/name)."""
    try:
        import h5netcdf
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ValueError("comparing NetCDF/HDF5 outputs needs h5netcdf: "
                         "pip install 'legacy-wrap[xarray]'") from exc
    out: dict[str, tuple[np.ndarray, tuple[str, ...]]] = {}

    def walk(group, prefix: str) -> None:
        for name, var in group.variables.items():
            out[prefix + name] = (np.asarray(var[...]), tuple(var.dimensions))
        for gname, sub in group.groups.items():
            walk(sub, f"{prefix}{gname}/")

    with h5netcdf.File(path, "r") as f:
        walk(f, "")
    return out


def _compare_netcdf(spec: OutputSpec, exp: Path, act: Path, result: Comparison) -> None:
    """Variables by name: presence, dimensions, then values with the field's
    tolerance (``fields = { name = {...} }``); names in ``ignore`` are skipped."""
    ev, av = _netcdf_variables(exp), _netcdf_variables(act)
    for name in sorted(set(ev) | set(av)):
        if name in spec.ignore:
            continue
        if name not in av or name not in ev:
            result.add(Difference(spec.file, f"variable {name}", None,
                                  "present" if name in ev else "absent",
                                  "present" if name in av else "absent"))
            continue
        (ea, edims), (aa, adims) = ev[name], av[name]
        if edims != adims:
            result.add(Difference(spec.file, f"{name} dimensions", None, edims, adims))
            continue
        if ea.dtype.kind in "fiub" and aa.dtype.kind in "fiub":
            compare_arrays(ea, aa, spec.fields.get(name, spec.tolerance), file=spec.file,
                           label=f"{name} {edims}", result=result)
        elif not np.array_equal(ea, aa):
            result.add(Difference(spec.file, name, None, ea.tolist(), aa.tolist()))


_COMPARATORS = {"bin5": _compare_bin5, "type52": _compare_type52, "print": _compare_print,
                "text": _compare_text, "bytes": _compare_bytes, "netcdf": _compare_netcdf}


def compare_file(spec: OutputSpec, expected: Path, actual: Path) -> Comparison:
    """Compare one output of two runs according to its spec."""
    result = Comparison(spec.file)
    for path, side in ((expected, "expected"), (actual, "actual")):
        if not path.is_file():
            result.add(Difference(spec.file, "file", None, "present", "missing",
                                  f"the {side} output {path} was not written"))
            return result
    try:
        _COMPARATORS[spec.format](spec, expected, actual, result)
    except (ValueError, OSError) as exc:  # unreadable output (e.g. a corrupt bin5 file)
        result.add(Difference(spec.file, "file", None, "readable", "unreadable", str(exc)))
    return result
