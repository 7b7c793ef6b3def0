"""Read and write KRC 3.6.5 input decks (``.inp``).

``read_deck(path) -> Deck`` follows ``shared/spec/krc-formats.md`` section 1:
fixed-column blocks (``F10.2``/``I10``/``L7``/``F7.2``/``G15.7`` with blanks
removed and implied decimals), list-directed control, debug and change lines
(blank/comma/tab separators, ``/`` ends a line, quoted strings, ``D``
exponents, ``r*c`` repeats and null values, only columns 1-80 of change lines),
and the case/run-ending rules of section 1.9.1.  ``write_deck`` writes the
fixed-column layout of the shipped decks; re-reading gives identical Params.

Differences from KRC
--------------------
KRC prints a message and carries on (or stops quietly) where this reader
raises :class:`~legacy_wrap.errors.DeckError` with file, line and column:

* change type > 16 (KRC falls into the type-1 branch with stale values);
* type 1 index outside 1..64, type 2 outside 1..20 and 24, type 3 outside 1..20
  (KRC prints a message and ignores the line);
* first item of a change line not an integer (KRC 437), bad items on a type
  1-10 line (438), unreadable or too few numbers on a type 11-16 line: KRC
  ends the run there, after running nothing more;
* a value outside the range :mod:`legacy_wrap.krc.params` allows, including
  N1, N2, N3, N4 and N24 outside KRC's limits, which KRC silently resets before
  the case runs (IC2 < 3, JDISK <= 0, NMOD < 1, DRSET != 0 and TAUD < 0 are
  accepted as KRC does; :meth:`Params.apply_krc_checks` applies those resets);
* end of file inside the title/parameter/latitude/elevation/PORB blocks or a
  fixed field that cannot be read (KRC: I/O error 431-435, run ends);
* KOLD != 0 (restart from a direct-access file: cannot work in 3.6.5);
* a zone table (``8 25``) that is missing or unreadable (KRC ends the run).
  The table is looked up relative to the deck's folder (KRC: the working
  directory).  Other named files (``8 3/4/21/22/23/24``, the type-10
  one-point file) are only recorded, not opened.

Other choices:

* Unterminated quote on a change line: the rest of the line (to column 80) is
  the text, with a warning (gfortran 12 behaviour; the 2018 print shows 439).
* Type 14 needs at least 10 numbers before the end of the line (values 11-12
  are overwritten by KRC anyway); types 12/13 need 8, type 15 needs 7, unless
  a ``/`` ends the list.
* Types 4/5 (broken in 3.6.5: the program aborts) are read as intended (the
  next ceil(N4/10) lines are latitudes/elevations) and flagged unsupported.
* Type 9 (a complete new deck follows) is read and applied; flagged.
* Type 10 (switch to one-point mode) ends reading; the pending list becomes a
  last case with ``one_point_file`` set, flagged.  Type 11 lines are parsed
  (fixed columns), end their case and are flagged; their values are not
  applied.
* Mid-case change lists (LSC true, or 1 <= IDOWN <= N5) are not simulated:
  the following lines are read as the next case's list; the case is flagged.
* Text of a type 1-10 line longer than 74 characters is cut (as KRC) with a warning.
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from ..errors import DeckError, FileAccessError, InputError
from .params import (
    FD_PARAMS,
    ID24,
    ID_PARAMS,
    LD_PARAMS,
    MAXN4,
    NPORB,
    PORB_NAMES,
    ParamInfo,
    Params,
    validate_value,
)

__all__ = ["ChangeLine", "Case", "Deck", "read_deck", "parse_deck", "read_zone_table",
           "read_season_table",
           "write_deck", "change_lines", "parse_fixed_real"]

# --------------------------------------------------------------------------- constants

CHANGE_COLUMNS = 80          #: change lines are read up to this column
TEXT_LENGTH = 74             #: length of the TEXT item of type 1-10 lines
TITLE_LENGTH = 84
REAL_W, REAL_D = 10, 2       #: F10.2, 8 per row, 8 rows
INT_W = 10                   #: I10, 8 per row, 3 rows (20 values)
LOG_W = 7                    #: L7, 10 per row, 2 rows
LAT_W, LAT_D = 7, 2          #: F7.2, 10 per row
PORB_W, PORB_D = 15, 7       #: G15.7, 5 per row, 6 rows
ZONE_MAX_COMMENT = 19        #: comment lines allowed before C_END in a zone table
ZONE_MAX_ROWS = 1000         #: zone rows kept (as the Fortran reader)
SEASON_MAX_COMMENT = 9        #: seasonal tables: comment lines before C_END (formats 1.12)
SEASON_MAX_ROWS = 360
TYPE8_OFF_LENGTH = 4         #: type-8 names shorter than this mean "off"

CHANGE_TYPES = {
    0: "end of change list", 1: "REAL parameter", 2: "INTEGER parameter",
    3: "LOGICAL parameter", 4: "latitudes", 5: "elevations", 6: "PORB block", 7: "title",
    8: "file name", 9: "new complete deck", 10: "one-point mode", 11: "one-point request",
    12: "conductivity coefficients", 13: "specific-heat coefficients", 14: "eclipse",
    15: "planetary flux", 16: "high-resolution output",
}
TYPE8_INDICES = {3: "far-field temperatures", 4: "far-field atmosphere", 5: "type-52 output",
                 21: "direct-access output", 22: "seasonal albedo table",
                 23: "seasonal opacity table", 24: "climate opacity bin5", 25: "zone table"}
#: Type-11 one-point line: (first column, last column, d, meaning) (formats 1.11).
ONE_POINT_FIELDS = ((3, 8, 1, "Ls"), (9, 14, 1, "latitude"), (15, 20, 2, "hour"),
                    (21, 25, 1, "elevation"), (26, 30, 2, "albedo"), (31, 37, 1, "inertia"),
                    (38, 42, 2, "dust opacity"), (43, 47, 1, "slope"), (48, 52, 0, "slope azimuth"))
_EOL = "\n"

# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class ChangeLine:
    """One change line as read (formats 1.9), in deck order."""

    type: int | None            #: change type T (None: blank line, KRC error 439)
    index: int | None           #: INDEX (types 1-10; NLAD for 16)
    value: float | None         #: VALUE (types 1-10)
    text: str                   #: TEXT (types 1-10, 16) or the comment of a type-11 line
    numbers: tuple[float, ...]  #: values of types 6 (30 PORB), 11-16 as read
    raw: str                    #: the line as in the file (line end removed)
    line: int                   #: 1-based line number
    block: tuple[str, ...] = ()  #: further lines consumed (types 4, 5, 6, 9)
    applied: bool = True        #: False for a line KRC does not apply (error 439)
    supported: bool = True      #: False if the model cannot compute what it asks for
    note: str = ""

    @property
    def kind(self) -> str:
        """What the change type means (``CHANGE_TYPES``)."""
        return "blank line" if self.type is None else CHANGE_TYPES.get(self.type, "?")


@dataclass
class Case:
    """One case of a deck: the change lines read before it runs and the result."""

    number: int                        #: 1-based
    changes: list[ChangeLine]
    params: Params                     #: parameters after the changes (before KRC's resets)
    ended_by: str = "0/"               #: "0/", "error 439", "type 11" or "type 10"
    end_line: int | None = None        #: line of the terminating "0/"
    t52_name: str | None = None        #: type-52 output name in effect (``8 5``)
    files: dict[int, str] = field(default_factory=dict)  #: type-8 names in effect by index
    zone_file: Path | None = None      #: resolved path of the zone table in effect
    #: seasonal tables in effect: 22 albedo / 23 opacity -> (resolved path, deck, line, column)
    table_files: dict[int, tuple[Path, str, int, int]] = field(default_factory=dict)
    eclipse: np.ndarray | None = None  #: PARC(1..12) when an eclipse is on (type 14)
    planet_flux: np.ndarray | None = None  #: PARW(1..7) when on (type 15)
    tout: tuple[int, str] | None = None    #: (NLAD, stem) when on (type 16)
    one_point_file: str | None = None  #: name given by a type-10 line
    unsupported: list[str] = field(default_factory=list)  #: why the model may not compute it
    warnings: list[str] = field(default_factory=list)     #: incl. KRC's reset messages

    def season_tables(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The (Ls, ALB) and (Ls, TAUD) rows of the ``8 22`` / ``8 23`` tables in
        effect (None where there is none).  Raises :class:`DeckError` naming the
        table and the deck line that names it when one cannot be read or holds
        values the model refuses (Ls outside [0, 360] or decreasing, an albedo
        outside [0, 1], a negative opacity)."""
        out: list[np.ndarray | None] = []
        for index, what, lo, hi in ((22, "albedo", 0.0, 1.0), (23, "opacity", 0.0, math.inf)):
            if index not in self.table_files:
                out.append(None)
                continue
            path, deck, line, col = self.table_files[index]
            try:
                table = read_season_table(path)
            except DeckError as exc:
                raise DeckError(f"{exc} ({what} table named on {deck}, line {line})",
                                path=exc.path, line=exc.line, column=exc.column) from None
            except (OSError, ValueError) as exc:
                raise DeckError(f"cannot read the {what} table {str(path)!r}: "
                                f"{getattr(exc, 'strerror', None) or exc}",
                                path=deck, line=line, column=col) from None
            bad = _table_problem(table, lo, hi)
            if bad:
                raise DeckError(f"{what} table {str(path)!r} {bad}", path=deck, line=line,
                                column=col)
            out.append(table)
        return out[0], out[1]

    def run(self, **kw: Any) -> Any:
        """Run the case with the seasonal tables in effect (what the ``krc``
        programs do); ``run(case.params)`` alone would leave the tables out."""
        from .model import run
        albedo, opacity = self.season_tables()
        return run(self.params, albedo_table=albedo, opacity_table=opacity, **kw)

    @property
    def computable(self) -> bool:
        """True when nothing in effect is flagged unsupported."""
        return not self.unsupported


@dataclass
class Deck:
    """A parsed deck: control values, the initial parameters and the cases."""

    path: Path | None
    initial: Params                  #: parameters of the fixed blocks (before any change line)
    cases: list[Case]
    kold: int = 0
    keep: int = 0
    kdb: int = 0
    debug: tuple[int, ...] | None = None  #: IDB1..IDB6 when KDB != 0
    end_reason: str = "0/"           #: "0/" (end of run), "end of file" or "one-point"
    end_line: int | None = None
    pending: list[ChangeLine] = field(default_factory=list)  #: read but never run (EOF)
    warnings: list[str] = field(default_factory=list)

    @property
    def params(self) -> Params:
        """Alias of :attr:`initial`."""
        return self.initial

    def __iter__(self) -> Iterator[Case]:
        return iter(self.cases)


# --------------------------------------------------------------------------- field reading

_REAL = re.compile(r"([+-]?)(\d*)(\.?)(\d*)(?:[eEdDqQ]([+-]?\d+)|([+-]\d+))?")
_INT = re.compile(r"[+-]?\d+")


def parse_fixed_real(text: str, d: int) -> float | None:
    """Value of a fixed real field (``Fw.d``/``Gw.d`` input, formats 1.2); None if unreadable.

    Blanks are removed, an empty field is 0 and without a decimal point the
    last ``d`` digits are the fraction.
    """
    s = text.replace(" ", "").replace("\t", "")
    if not s:
        return 0.0
    m = _REAL.fullmatch(s)
    if m is None:
        return None
    sign, ip, dot, fp, e1, e2 = m.groups()
    exp = e1 or e2 or "0"
    if not ip and not fp:
        if e1 or e2:
            return None
        return float(sign + "0.0")
    if not dot:                 # implied decimal point: the last d digits are the fraction
        digits = ip.rjust(d + 1, "0")
        ip, fp = digits[:len(digits) - d], digits[len(digits) - d:]
    return float(f"{sign}{ip or '0'}.{fp or '0'}e{exp}")


def _fixed_int(text: str) -> int | None:
    s = text.replace(" ", "").replace("\t", "")
    if not s:
        return 0
    if not _INT.fullmatch(s) or len(s) > 12:
        return None
    return int(s)


def _fixed_logical(text: str) -> bool | None:
    s = text.lstrip(" \t")
    if s.startswith("."):
        s = s[1:]
    if s[:1] in ("T", "t"):
        return True
    if s[:1] in ("F", "f"):
        return False
    return None


def _field(line: str, k: int, w: int) -> tuple[str, int]:
    """Field k (0-based) of width w: its text (blank padded) and first column (1-based)."""
    start = k * w
    return line[start:start + w].ljust(w), start + 1


def _list_real(token: str) -> float | None:
    """A list-directed real (Fortran syntax incl. D exponents); None if not a number."""
    m = _REAL.fullmatch(token)
    if m is None or len(token) > 400:
        return None
    sign, ip, dot, fp, e1, e2 = m.groups()
    if not ip and not fp:
        return None
    return float(f"{sign}{ip or '0'}.{fp or '0'}e{e1 or e2 or '0'}")


def _list_int(token: str) -> int | None:
    if not _INT.fullmatch(token) or len(token) > 12:
        return None
    return int(token)


# --------------------------------------------------------------------------- list-directed items


@dataclass
class _Item:
    kind: str            #: "value" (unquoted token), "string" (quoted), "null", "slash"
    text: str | None
    col: int             #: 1-based column of the item's first character
    unterminated: bool = False


def _items(s: str) -> Iterator[_Item]:
    """List-directed items of one record, lazily; stops after a slash."""
    i, n = 0, len(s)
    after_comma = True          # a comma at the start of a record is a null value
    while True:
        while i < n and s[i] in " \t":
            i += 1
        if i >= n:
            return
        c, start = s[i], i
        if c == ",":
            if after_comma:
                yield _Item("null", None, i + 1)
            after_comma = True
            i += 1
            continue
        if c == "/":
            yield _Item("slash", None, i + 1)
            return
        if c in "'\"":
            buf: list[str] = []
            i += 1
            while True:
                if i >= n:
                    yield _Item("string", "".join(buf), start + 1, unterminated=True)
                    return
                if s[i] == c:
                    if i + 1 < n and s[i + 1] == c:
                        buf.append(c)
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(s[i])
                i += 1
            yield _Item("string", "".join(buf), start + 1)
        else:
            while i < n and s[i] not in " \t,/":
                i += 1
            tok = s[start:i]
            rep = re.fullmatch(r"(\d{1,6})\*(.*)", tok)
            if rep and int(rep.group(1)) > 0:
                for _ in range(int(rep.group(1))):
                    if rep.group(2):
                        yield _Item("value", rep.group(2), start + 1)
                    else:
                        yield _Item("null", None, start + 1)
            else:
                yield _Item("value", tok, start + 1)
        after_comma = False
        while i < n and s[i] in " \t":
            i += 1
        if i < n and s[i] == ",":
            i += 1
            after_comma = True


class _Lines:
    """The deck's lines (LF or CRLF) with a cursor."""

    def __init__(self, text: str) -> None:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        self.lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
        self.pos = 0

    def next(self) -> tuple[int, str] | None:
        if self.pos >= len(self.lines):
            return None
        self.pos += 1
        return self.pos, self.lines[self.pos - 1]


# --------------------------------------------------------------------------- the reader


class _Reader:
    def __init__(self, text: str, path: Path | None, base_dir: Path) -> None:
        self.src = _Lines(text)
        self.path = path
        self.where = str(path) if path is not None else "<deck>"
        self.base_dir = base_dir
        self.warnings: list[str] = []
        # State carried from line to line and case to case (as in KRC's commons).
        self.params: Params | None = None
        self.lat37 = np.zeros(MAXN4)
        self.elev37 = np.zeros(MAXN4)
        self.prev_type = 0
        self.prev_index = 0
        self.prev_value = 0.0
        self.prev_text = ""
        self.files: dict[int, str] = {}
        self.zone_file: Path | None = None
        #: seasonal tables named so far: index (22 albedo, 23 opacity) ->
        #: (path, deck, line, column of the naming change line)
        self.season_tables: dict[int, tuple[Path, str, int, int]] = {}
        self.parc = np.zeros(12)
        self.parw = np.zeros(7)
        self.tout: tuple[int, str] = (0, "")

    # ---- errors and lines ---------------------------------------------------------
    def error(self, message: str, line: int | None, column: int | None = None) -> DeckError:
        return DeckError(message, path=self.where, line=line, column=column)

    def need(self, what: str) -> tuple[int, str]:
        got = self.src.next()
        if got is None:
            raise self.error(f"unexpected end of file: expected {what}", len(self.src.lines) + 1)
        return got

    # ---- fixed fields -------------------------------------------------------------
    def real_field(self, line: str, lineno: int, k: int, w: int, d: int, name: str,
                   info: ParamInfo | None = None) -> float:
        text, col = _field(line, k, w)
        fmt = f"{'G' if w == PORB_W else 'F'}{w}.{d}"
        value = parse_fixed_real(text, d)
        where = f"the {fmt} field {name} (columns {col}-{col + w - 1})"
        if value is None:
            raise self.error(f"expected a number in {where}, found {text.strip()!r}", lineno, col)
        if not math.isfinite(value):
            raise self.error(f"the number in {where} is too large: {text.strip()!r}", lineno, col)
        if info is not None:
            try:
                validate_value(info, value)
            except InputError as exc:
                raise self.error(f"in {where}: {exc}", lineno, col) from None
        return value

    def int_field(self, line: str, lineno: int, k: int, info: ParamInfo) -> int:
        text, col = _field(line, k, INT_W)
        value = _fixed_int(text)
        where = f"the I{INT_W} field {info.label} (columns {col}-{col + INT_W - 1})"
        if value is None:
            raise self.error(f"expected an integer in {where}, found {text.strip()!r}", lineno, col)
        try:
            validate_value(info, value)
        except InputError as exc:
            raise self.error(f"in {where}: {exc}", lineno, col) from None
        return value

    def logical_field(self, line: str, lineno: int, k: int, info: ParamInfo) -> bool:
        text, col = _field(line, k, LOG_W)
        value = _fixed_logical(text)
        if value is None:
            found = "a blank field" if not text.strip() else repr(text.strip())
            raise self.error(f"expected T or F in the L{LOG_W} field {info.label} "
                             f"(columns {col}-{col + LOG_W - 1}), found {found}", lineno, col)
        return value

    # ---- list-directed reads spanning lines (control and debug lines) -------------
    def list_ints(self, count: int, what: str) -> tuple[list[int | None], int, str]:
        values: list[int | None] = []
        first_line, first_raw = 0, ""
        while len(values) < count:
            lineno, raw = self.need(what)
            if not first_line:
                first_line, first_raw = lineno, raw
            for item in _items(raw):
                if item.kind == "slash":
                    return values + [None] * (count - len(values)), first_line, first_raw
                if item.kind == "null":
                    values.append(None)
                else:
                    v = _list_int(item.text or "") if item.kind == "value" else None
                    if v is None:
                        raise self.error(f"expected an integer in {what}, found {item.text!r}",
                                         lineno, item.col)
                    values.append(v)
                if len(values) == count:
                    break
        return values, first_line, first_raw

    # ---- items 1-9 of the grammar -------------------------------------------------
    def header(self) -> tuple[int, int, int, tuple[int, ...] | None, list[str]]:
        """Read control line .. PORB block into self.params; return the control values."""
        consumed_from = self.src.pos
        (kold, keep, kdb), ctl_line, _ = self.list_ints(3, "the control line (KOLD KEEP [KDB])")
        kold, keep, kdb = kold or 0, keep or 0, kdb or 0
        if kold != 0:
            raise self.error(f"KOLD = {kold}: restarting from a direct-access file is not "
                             "supported (it cannot work in KRC 3.6.5); use KOLD = 0", ctl_line, 1)
        debug = None
        if kdb != 0:
            vals, _, _ = self.list_ints(6, "the debug line (six integers IDB1..IDB6)")
            debug = tuple(v or 0 for v in vals)
        lineno, title = self.need("the title line")
        title = title[:TITLE_LENGTH].rstrip(" ")
        if "\r" in title:
            raise self.error("the title contains a carriage return", lineno, title.index("\r") + 1)
        fd = np.zeros(len(FD_PARAMS))
        for row in range(8):
            infos = FD_PARAMS[8 * row:8 * row + 8]
            what = f"the REAL block value line of {infos[0].label} .. {infos[-1].label}"
            self.need(f"the REAL block label line over {infos[0].label} .. {infos[-1].label}")
            lineno, line = self.need(what)
            for k, info in enumerate(infos):
                fd[info.slot] = self.real_field(line, lineno, k, REAL_W, REAL_D, info.label, info)
        id_ = np.zeros(len(ID_PARAMS), dtype=np.int64)
        for row in range(3):
            infos = ID_PARAMS[8 * row:8 * row + 8]
            self.need(f"the INTEGER block label line over {infos[0].label} .. {infos[-1].label}")
            lineno, line = self.need(f"the INTEGER block value line of {infos[0].label} .. "
                                     f"{infos[-1].label}")
            for k, info in enumerate(infos):
                id_[info.slot] = self.int_field(line, lineno, k, info)
        ld = np.zeros(len(LD_PARAMS), dtype=bool)
        for row in range(2):
            infos = LD_PARAMS[10 * row:10 * row + 10]
            self.need(f"the LOGICAL block label line over {infos[0].label} .. {infos[-1].label}")
            lineno, line = self.need(f"the LOGICAL block value line of {infos[0].label} .. "
                                     f"{infos[-1].label}")
            for k, info in enumerate(infos):
                ld[info.slot] = self.logical_field(line, lineno, k, info)
        n4 = int(id_[3])
        self.lat37, self.elev37 = np.zeros(MAXN4), np.zeros(MAXN4)
        self.need("the latitude label line")
        self.read_rows(self.lat37, n4, "latitude", with_range=True)
        self.need("the elevation label line")
        self.read_rows(self.elev37, n4, "elevation", with_range=False)
        porb = self.read_porb() if ld[10] else None
        try:
            self.params = Params(fd=fd, id=id_, ld=ld, latitudes=self.lat37[:n4].copy(),
                                 elevations=self.elev37[:n4].copy(), title=title, porb=porb)
        except InputError as exc:  # pragma: no cover - every value was checked above
            raise self.error(str(exc), self.src.pos) from None
        block = self.src.lines[consumed_from:self.src.pos]
        return kold, keep, kdb, debug, block

    def read_rows(self, target: np.ndarray, n: int, name: str, with_range: bool) -> None:
        """ceil(n/10) rows of 10F7.2; the first n fields are read into target."""
        for row in range(math.ceil(n / 10)):
            lineno, line = self.need(f"{name} row {row + 1} ({math.ceil(n / 10)} rows of 10F7.2 "
                                     f"for N4 = {n})")
            for k in range(min(10, n - 10 * row)):
                i = 10 * row + k
                v = self.real_field(line, lineno, k, LAT_W, LAT_D, f"{name} {i + 1}")
                if with_range and abs(v) > 90.0:
                    col = k * LAT_W + 1
                    raise self.error(f"latitude {i + 1} = {v!r} deg is out of range: "
                                     "allowed [-90, 90]", lineno, col)
                target[i] = v

    def read_porb(self) -> np.ndarray:
        self.need("the PORB header line (LPORB is true)")
        porb = np.zeros(NPORB)
        for row in range(6):
            lineno, line = self.need(f"PORB row {row + 1} of 6 (5G15.7)")
            for k in range(5):
                i = 5 * row + k
                porb[i] = self.real_field(line, lineno, k, PORB_W, PORB_D,
                                          f"PORB {i + 1} ({PORB_NAMES[i]})")
        return porb

    # ---- change lines -------------------------------------------------------------
    def read_all(self) -> tuple[list[Case], str, int | None, list[ChangeLine]]:
        cases: list[Case] = []
        first_list = True
        while True:
            changes: list[ChangeLine] = []
            while True:
                got = self.src.next()
                if got is None:
                    if changes:
                        self.warnings.append(
                            f"end of file after {len(changes)} change line(s) without a "
                            "terminating 0/: that last case is never run")
                    elif first_list:
                        self.warnings.append("end of file before the first case: no case is run")
                    return cases, "end of file", None, changes
                lineno, raw = got
                result = self.change_line(lineno, raw)
                if isinstance(result, int):                   # type <= 0
                    if not first_list and not changes:
                        return cases, "0/", lineno, []
                    cases.append(self.make_case(len(cases) + 1, changes, "0/", lineno))
                    break
                changes.append(result)
                ended = None
                if not result.applied:
                    ended = "error 439"
                elif result.type == 11:
                    ended = "type 11"
                elif result.type == 10:
                    ended = "type 10"
                if ended:
                    case = self.make_case(len(cases) + 1, changes, ended, None)
                    cases.append(case)
                    if ended == "type 10":
                        case.one_point_file = result.text
                        return cases, "one-point", lineno, []
                    break
            first_list = False

    def make_case(self, number: int, changes: list[ChangeLine], ended_by: str,
                  end_line: int | None) -> Case:
        assert self.params is not None
        p = self.params.copy()
        case = Case(number=number, changes=list(changes), params=p, ended_by=ended_by,
                    end_line=end_line, files=dict(self.files), zone_file=self.zone_file)
        case.t52_name = self.files.get(5)
        if self.parc[0] > 0:
            case.eclipse = self.parc.copy()
            case.unsupported.append("an eclipse (change type 14) is in effect")
        if self.parw[0] > 0:
            case.planet_flux = self.parw.copy()
            case.unsupported.append("planetary flux (change type 15) is in effect")
        if self.tout[0] >= 1:
            case.tout = self.tout
            case.unsupported.append("high-resolution output (change type 16) is in effect")
        case.table_files = dict(self.season_tables)
        for idx in (3, 4, 21, 24):
            if idx in self.files:
                case.unsupported.append(f"file '8 {idx}' ({TYPE8_INDICES[idx]}) "
                                        f"{self.files[idx]!r} is in effect")
        for ch in changes:
            if not ch.supported and ch.type in (4, 5, 9, 10, 11):
                case.unsupported.append(f"line {ch.line}: change type {ch.type} ({ch.kind})")
        if p.lsc or 1 <= p.idown <= p.n5:
            msg = ("mid-case change lists (LSC true or 1 <= IDOWN <= N5) are not simulated: "
                   "the following lines are read as the next case's list")
            case.unsupported.append(msg)
            case.warnings.append(f"case {number}: {msg}")
        if ended_by == "error 439":
            case.warnings.append(f"case {number}: line {changes[-1].line} has too few items "
                                 "and no '/' (KRC error 439): not applied, the change list ends")
        checks = p.copy().apply_krc_checks()
        case.warnings.extend(f"case {number}: KRC input check: {m}" for m in checks)
        self.files.pop(21, None)                 # 8 21 applies to one case only
        self.warnings.extend(case.warnings)
        return case

    def change_line(self, lineno: int, raw: str) -> ChangeLine | int:
        """Read and apply one change line; an int (the type) for a type <= 0 line."""
        buf = raw[:CHANGE_COLUMNS]
        items = _items(buf)
        first = next(items, None)
        if first is None:
            return ChangeLine(None, None, None, "", (), raw, lineno, applied=False,
                              note="blank line (KRC error 439)")
        if first.kind in ("slash", "null"):
            t = self.prev_type
        else:
            t_val = _list_int(first.text or "") if first.kind == "value" else None
            if t_val is None:
                raise self.error(f"expected an integer change type (0-16) as the first item, "
                                 f"found {first.text!r}", lineno, first.col)
            t = t_val
        self.prev_type = t
        if t <= 0:
            return t
        if t > 16:
            raise self.error(f"unknown change type {t}: valid types are 0-16", lineno, first.col)
        if t <= 10:
            return self.change_1_10(t, lineno, raw, buf, items, first.kind == "slash")
        if t == 11:
            return self.change_11(lineno, raw, buf)
        return self.change_12_16(t, lineno, raw, items, first.kind == "slash")

    def change_1_10(self, t: int, lineno: int, raw: str, buf: str, items: Iterator[_Item],
                    slashed: bool) -> ChangeLine:
        index, value, text = self.prev_index, self.prev_value, self.prev_text
        got = 1
        cols = [0, 0, 0, 0]
        unterminated = False
        if not slashed:
            for k in (1, 2, 3):
                item = next(items, None)
                if item is None:
                    break
                if item.kind == "slash":
                    slashed = True
                    break
                got += 1
                cols[k] = item.col
                if item.kind == "null":
                    continue
                if k == 1:
                    v = _list_int(item.text or "") if item.kind == "value" else None
                    if v is None:
                        raise self.error(f"type {t} line: expected an integer INDEX, found "
                                         f"{item.text!r}", lineno, item.col)
                    index = v
                elif k == 2:
                    r = _list_real(item.text or "") if item.kind == "value" else None
                    if r is None:
                        raise self.error(f"type {t} line: expected a number VALUE, found "
                                         f"{item.text!r}", lineno, item.col)
                    value = r
                else:
                    text = (item.text or "").rstrip()
                    unterminated = item.unterminated
        self.prev_index, self.prev_value, self.prev_text = index, value, text
        if got < 4 and not slashed:
            return ChangeLine(t, index, value, text, (), raw, lineno, applied=False,
                              note="too few items and no '/' (KRC error 439)")
        if len(text) > TEXT_LENGTH:
            self.warnings.append(f"line {lineno}: text longer than {TEXT_LENGTH} characters cut")
            text = text[:TEXT_LENGTH].rstrip()
        if unterminated:
            self.warnings.append(f"line {lineno}: unterminated quote: the rest of the line "
                                 f"(to column {CHANGE_COLUMNS}) is taken as the text {text!r}")
        self.prev_index, self.prev_value, self.prev_text = index, value, text
        vcol = cols[2] or 1
        icol = cols[1] or 1
        if not math.isfinite(value):
            raise self.error(f"type {t} line: VALUE {value!r} is not a finite number", lineno, vcol)
        p = self.params
        assert p is not None
        supported, note = True, ""
        block: tuple[str, ...] = ()
        numbers: tuple[float, ...] = ()

        def apply(info: ParamInfo, v: Any) -> None:
            try:
                p[info.attr] = v
            except InputError as exc:
                raise self.error(f"type {t} line: {exc}", lineno, vcol) from None

        if t == 1:
            if not 1 <= index <= len(FD_PARAMS):
                raise self.error(f"type 1 line: INDEX {index} is outside 1..{len(FD_PARAMS)} "
                                 "(REAL parameters FD)", lineno, icol)
            apply(FD_PARAMS[index - 1], value)
        elif t == 2:
            if not (1 <= index <= len(ID_PARAMS) or index == 24):
                raise self.error(f"type 2 line: INDEX {index} is outside 1..{len(ID_PARAMS)} "
                                 "and not 24 (INTEGER parameters ID)", lineno, icol)
            iv = _nint(value)
            if index == 4:
                if not 1 <= iv <= MAXN4:
                    raise self.error(f"type 2 line: N4 = {iv} is out of range: allowed "
                                     f"[1, {MAXN4}]", lineno, vcol)
                p.set_latitudes(self.lat37[:iv].copy(), self.elev37[:iv].copy())
            else:
                apply(ID24 if index == 24 else ID_PARAMS[index - 1], iv)
        elif t == 3:
            if not 1 <= index <= len(LD_PARAMS):
                raise self.error(f"type 3 line: INDEX {index} is outside 1..{len(LD_PARAMS)} "
                                 "(LOGICAL parameters LD)", lineno, icol)
            apply(LD_PARAMS[index - 1], bool(value > 0))
        elif t in (4, 5):
            target = self.lat37 if t == 4 else self.elev37
            start = self.src.pos
            self.read_rows(target, p.n4, "latitude" if t == 4 else "elevation", t == 4)
            block = tuple(self.src.lines[start:self.src.pos])
            p.set_latitudes(self.lat37[:p.n4].copy(), self.elev37[:p.n4].copy())
            supported, note = False, "types 4/5 make KRC 3.6.5 abort; read as intended"
        elif t == 6:
            start = self.src.pos
            p.porb = self.read_porb()
            block = tuple(self.src.lines[start:self.src.pos])
            numbers = tuple(float(x) for x in p.porb)
        elif t == 7:
            try:
                p.title = text
            except InputError as exc:
                raise self.error(f"type 7 line: {exc}", lineno, cols[3] or 1) from None
        elif t == 8:
            supported, note = self.type8(index, text, lineno, cols[3] or 1)
        elif t == 9:
            start = self.src.pos
            kold, keep, kdb, _, _ = self.header()
            block = tuple(self.src.lines[start:self.src.pos])
            numbers = (float(kold), float(keep), float(kdb))
            self.files.pop(5, None)
            self.files.pop(21, None)
            supported, note = False, "type 9: a complete new deck was read"
        elif t == 10:
            supported, note = False, "type 10: one-point mode (nothing after this line is read)"
        return ChangeLine(t, index, value, text, numbers, raw, lineno, block=block,
                          supported=supported, note=note)

    def type8(self, index: int, name: str, lineno: int, col: int) -> tuple[bool, str]:
        off = len(name) < TYPE8_OFF_LENGTH
        if index not in TYPE8_INDICES:
            self.warnings.append(f"line {lineno}: type 8 index {index} is not a valid file type "
                                 "(KRC: 'invalid file type'); line ignored")
            return True, "invalid file type: ignored"
        p = self.params
        assert p is not None
        if index == 25:
            if off:
                p.lzone = False
                p.zone_table = None
                self.zone_file = None
                self.files.pop(25, None)
                return True, "zone table off"
            zpath = Path(name)
            if not zpath.is_absolute():
                zpath = self.base_dir / zpath
            try:
                table = read_zone_table(zpath)
            except DeckError as exc:
                err = DeckError(f"{exc} (zone table named on {self.where}, line {lineno})")
                err.path, err.line, err.column = exc.path, exc.line, exc.column
                raise err from None
            except (OSError, ValueError) as exc:
                raise self.error(f"cannot read the zone table {name!r} ({zpath}): "
                                 f"{getattr(exc, 'strerror', None) or exc}", lineno, col) from None
            p.zone_table = table
            p.lzone = True
            self.zone_file = zpath
            self.files[25] = name
            return True, f"zone table {zpath}"
        if off and index in (3, 4, 5, 21):
            self.files.pop(index, None)
            return True, f"{TYPE8_INDICES[index]} off"
        if index in (22, 23):
            # Read when the case is planned (Case.season_tables()): a deck naming
            # a table that is not there still parses.  A blank name: no table.
            self.files[index] = name
            if not name.strip():
                self.season_tables.pop(index, None)
                return True, f"{TYPE8_INDICES[index]}: none"
            tpath = Path(name)
            self.season_tables[index] = (tpath if tpath.is_absolute() else self.base_dir / tpath,
                                         self.where, lineno, col)
            return True, f"{TYPE8_INDICES[index]} {name}"
        self.files[index] = name
        return index == 5, TYPE8_INDICES[index]

    def change_11(self, lineno: int, raw: str, buf: str) -> ChangeLine:
        values = []
        for first, last, d, name in ONE_POINT_FIELDS:
            text = buf[first - 1:last].ljust(last - first + 1)
            v = parse_fixed_real(text, d)
            if v is None or not math.isfinite(v):
                raise self.error(f"type 11 line: expected a number in the {name} field "
                                 f"(columns {first}-{last}), found {text.strip()!r}", lineno, first)
            values.append(v)
        return ChangeLine(11, None, None, buf[52:72].rstrip(), tuple(values), raw, lineno,
                          supported=False, note="one-point request (values not applied)")

    def change_12_16(self, t: int, lineno: int, raw: str, items: Iterator[_Item],
                     slashed: bool) -> ChangeLine:
        p = self.params
        assert p is not None
        if t == 16:
            nlad, stem = self.tout
            got = 0
            if not slashed:
                for k in (0, 1):
                    item = next(items, None)
                    if item is None or item.kind == "slash":
                        slashed = item is not None
                        break
                    got += 1
                    if item.kind == "null":
                        continue
                    if k == 0:
                        v = _list_int(item.text or "") if item.kind == "value" else None
                        if v is None:
                            raise self.error(f"type 16 line: expected an integer latitude index "
                                             f"NLAD, found {item.text!r}", lineno, item.col)
                        nlad = v
                    else:
                        stem = (item.text or "").rstrip()
            if got < 2 and not slashed:
                raise self.error("type 16 line: expected NLAD and a name stem (or a '/')", lineno)
            self.tout = (nlad, stem)
            return ChangeLine(16, nlad, None, stem, (float(nlad),), raw, lineno,
                              supported=nlad < 1, note="high-resolution output")
        need, have = {12: (8, 8), 13: (8, 8), 14: (10, 12), 15: (7, 7)}[t]
        if t in (12, 13):
            base = 48 if t == 12 else 56
            current = p.fd[base:base + 8].copy()
        else:
            current = (self.parc if t == 14 else self.parw).copy()
        numbers: list[float] = []
        if not slashed:
            for k in range(have):
                item = next(items, None)
                if item is None or item.kind == "slash":
                    slashed = item is not None
                    break
                if item.kind == "null":
                    numbers.append(float(current[k]))
                    continue
                num = _list_real(item.text or "") if item.kind == "value" else None
                if num is None or not math.isfinite(num):
                    if k >= need:          # optional 11th/12th eclipse values: stop quietly
                        break
                    raise self.error(f"type {t} line: expected number {k + 1} of {need}, found "
                                     f"{item.text!r}", lineno, item.col)
                numbers.append(num)
                current[k] = num
        if len(numbers) < need and not slashed:
            raise self.error(f"type {t} line: {len(numbers)} number(s) given, {need} needed "
                             "(or end the list early with '/')", lineno)
        if t in (12, 13):
            for k, v in enumerate(current):
                p.fd[base + k] = v
            return ChangeLine(t, None, None, "", tuple(numbers), raw, lineno)
        if t == 14:
            self.parc = current
        else:
            self.parw = current
        return ChangeLine(t, None, None, "", tuple(numbers), raw, lineno,
                          supported=not current[0] > 0, note=CHANGE_TYPES[t])


def _nint(value: float) -> int:
    """Fortran NINT: nearest integer, halves away from zero."""
    if not math.isfinite(value) or abs(value) > 2.0**62:
        return 2**62   # rejected by the 32-bit range check
    return int(math.floor(abs(value) + 0.5)) * (1 if value >= 0 else -1)


# --------------------------------------------------------------------------- public readers


def read_zone_table(path: str | Path) -> np.ndarray:
    """Rows (thickness m, density, conductivity, specific heat) of a zone table (formats 1.12).

    Raises :class:`DeckError` (file, line, column) for a missing ``C_END`` line,
    unreadable numbers or fewer than 3 rows; :class:`OSError` if it cannot be read.
    """
    return _read_table(path, 4, ZONE_MAX_COMMENT + 1, ZONE_MAX_ROWS, 3, True, "zone table")


def _table_problem(table: np.ndarray, lo: float, hi: float) -> str:
    """Why a seasonal table is refused ('' if it is fine), as the core checks it."""
    for k, (ls, v) in enumerate(table, start=1):
        if not (0.0 <= ls <= 360.0):
            return f"row {k}: Ls = {ls:g} is outside [0, 360]"
        if not (lo <= v <= hi):
            return f"row {k}: value {v:g} is outside [{lo:g}, {hi:g}]"
        if k > 1 and ls < table[k - 2, 0]:
            return f"row {k}: Ls = {ls:g} is less than the row before"
    return ""


def read_season_table(path: str | Path) -> np.ndarray:
    """Rows (Ls degrees, value) of a seasonal albedo or opacity table (formats
    1.12, change ``8 22`` / ``8 23``): up to 9 comment lines, a ``C_END``
    line, then up to 360 rows of two numbers.  Errors as :func:`read_zone_table`."""
    return _read_table(path, 2, SEASON_MAX_COMMENT + 1, SEASON_MAX_ROWS, 1, False,
                       "seasonal table")


def _read_table(path: str | Path, ncol: int, nhead: int, maxrow: int, minrow: int,
                stop_nonpositive: bool, what: str) -> np.ndarray:
    """Comment lines, a line with C_END in its first 4 columns (within the first
    ``nhead``), then rows of ``ncol`` numbers to the end of the file (or, with
    ``stop_nonpositive``, to a row whose first value is <= 0)."""
    where = str(path)
    text = Path(path).read_bytes().decode("latin-1")
    lines = _Lines(text).lines
    start = None
    for i, line in enumerate(lines[:nhead]):
        pos = line.find("C_END")
        if 0 <= pos < 4:
            start = i + 1
            break
    if start is None:
        raise DeckError(f"no C_END line within the first {nhead} lines of the {what}",
                        path=where, line=1)
    rows: list[list[float]] = []
    row: list[float] = []
    row_line = 0
    for i in range(start, len(lines)):
        for item in _items(lines[i]):
            if item.kind == "slash":
                break
            v = _list_real(item.text or "") if item.kind == "value" else None
            if v is None or not math.isfinite(v):
                raise DeckError(f"{what} row {len(rows) + 1}: expected number "
                                f"{len(row) + 1} of {ncol}, found {item.text!r}",
                                path=where, line=i + 1, column=item.col)
            if not row:
                row_line = i + 1
            row.append(v)
            if len(row) == ncol:
                break
        if len(row) == ncol:
            if stop_nonpositive and row[0] <= 0:
                row = []
                break
            if len(rows) >= maxrow:
                raise DeckError(f"more than {maxrow} rows in the {what}", path=where, line=i + 1)
            rows.append(row)
            row = []
    if row:
        raise DeckError(f"{what} row {len(rows) + 1} has only {len(row)} of {ncol} numbers",
                        path=where, line=row_line)
    if len(rows) < minrow:
        raise DeckError(f"the {what} has {len(rows)} row(s); at least {minrow} are required",
                        path=where, line=len(lines))
    return np.array(rows, dtype=np.float64).reshape(-1, ncol)


def parse_deck(text: str, path: str | Path | None = None, base_dir: str | Path | None = None) -> Deck:
    """Parse deck text (see :func:`read_deck`); ``base_dir`` resolves named files."""
    p = Path(path) if path is not None else None
    base = Path(base_dir) if base_dir is not None else (p.parent if p is not None else Path.cwd())
    reader = _Reader(text, p, base)
    try:
        kold, keep, kdb, debug, _ = reader.header()
        assert reader.params is not None
        initial = reader.params.copy()
        cases, end_reason, end_line, pending = reader.read_all()
    except DeckError:
        raise
    except InputError as exc:   # safety net: every value error names a place in the deck
        raise reader.error(str(exc), reader.src.pos) from None
    return Deck(path=p, initial=initial, cases=cases, kold=kold, keep=keep, kdb=kdb, debug=debug,
                end_reason=end_reason, end_line=end_line, pending=pending,
                warnings=reader.warnings)


def read_deck(path: str | Path) -> Deck:
    """Read a KRC input deck: the initial parameters and every case (formats section 1).

    Raises :class:`DeckError` (file, line, column, what was expected) for
    anything KRC could not read or this package refuses (see the module's
    "Differences from KRC"); :class:`FileAccessError` if the file cannot be opened.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FileAccessError(f"cannot read the deck {str(path)!r}: {exc.strerror or exc}") from None
    return parse_deck(data.decode("latin-1"), path=path)


# --------------------------------------------------------------------------- writing

_LAT_LABEL = "Latitudes: in 10F7.2  _____7 _____7 _____7 _____7 _____7 _____7 _____7"
_ELEV_LABEL = " _____7 _____7 _____7 Elevations: in 10F7.2 ____7 _____7 _____7 _____7"
_PORB_HEADER = "PORB: (30 values as G15.7)   written by legacy-wrap"


def _bits(v: float) -> bytes:
    return np.float64(v).tobytes()


def _candidates(v: float) -> list[str]:
    """Decimal spellings of v with an explicit '.', from its shortest round-trip digits."""
    r = repr(float(v))
    sign = "-" if r.startswith("-") else ""
    r = r.lstrip("-")
    mant, _, ex = r.partition("e")
    ip, _, fp = mant.partition(".")
    digits = (ip + fp).lstrip("0")
    exp10 = int(ex or 0) - len(fp)          # value = int(ip+fp) * 10**exp10
    if not digits:
        return [sign + "0.", sign + ".0"]
    stripped = digits.rstrip("0")
    exp10 += len(digits) - len(stripped)
    digits = stripped
    n = len(digits)
    out = []
    if exp10 >= 0:
        out.append(f"{sign}{digits}{'0' * exp10}.")
    else:
        k = n + exp10                        # digits before the point
        out.append(f"{sign}{digits[:k]}.{digits[k:]}" if k > 0 else f"{sign}.{'0' * -k}{digits}")
    e = exp10 + n - 1                        # scientific exponent
    out.append(f"{sign}{digits[0]}.{digits[1:]}e{e}")
    out.append(f"{sign}.{digits}e{exp10 + n}")
    out.append(f"{sign}{digits}.e{exp10}")
    return sorted(out, key=len)


def _readable(s: str) -> str:
    """``.25`` -> ``0.25``, ``200.`` -> ``200.0`` (the spelling of the shipped decks)."""
    if "e" in s:
        return s
    sign, body = ("-", s[1:]) if s.startswith("-") else ("", s)
    if body.startswith("."):
        body = "0" + body
    if body.endswith("."):
        body += "0"
    return sign + body


def _reads_as(s: str, d: int, target: bytes) -> bool:
    v = parse_fixed_real(s, d)
    return v is not None and _bits(v) == target


def _fit(v: float, width: int, d: int) -> str | None:
    """Shortest field text (<= width) that reads back as exactly v, or None.

    The conventional spelling (``0.25``) is preferred when it leaves a blank
    before the field.
    """
    target = _bits(v)
    ok = [s for s in _candidates(v) if len(s) <= width and _reads_as(s, d, target)]
    if not ok:
        return None
    nice = _readable(ok[0])
    return nice if len(nice) < width and _reads_as(nice, d, target) else ok[0]


def _fit_rounded(v: float, width: int, d: int) -> str:
    """The closest decimal value that fits the field (for non-exact writing).

    Rounds to fewer and fewer significant digits; toward zero where rounding
    to nearest would overflow (values near the largest double).
    """
    for prec in range(17, 0, -1):
        for rounding in (decimal.ROUND_HALF_EVEN, decimal.ROUND_DOWN):
            r = float(decimal.Context(prec=prec, rounding=rounding).plus(decimal.Decimal(v)))
            if math.isfinite(r):
                s = _fit(r, width, d)
                if s is not None:
                    return s
                break
    raise InputError(f"{v!r} cannot be written in a field of {width} columns")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _real_item(v: float) -> str:
    return repr(float(v))


def _fixed_row(values: Sequence[float], width: int, d: int, names: Sequence[str],
               exact: bool) -> tuple[str, list[int]]:
    """A row of right-aligned fields; indices (into values) that do not fit exactly."""
    out, misfits = [], []
    for k, v in enumerate(values):
        s = _fit(v, width, d)
        if s is None:
            if exact and names[k]:
                raise InputError(f"{names[k]} = {v!r} cannot be written exactly in a {width}-column "
                                 "deck field; round it or write with exact=False")
            s = _fit_rounded(v, width, d)
            misfits.append(k)
        out.append(s.rjust(width))
    return "".join(out), misfits


def _header_lines(p: Params, exact: bool, kdb: int = 0,
                  debug: Sequence[int] | None = None) -> tuple[list[str], list[str]]:
    """Deck lines up to the PORB block, and the change lines that restate values
    that do not fit their fixed field exactly (FD and ID)."""
    lines = ["0 0 / KOLD KEEP  (written by legacy-wrap)" if not kdb else
             f"0 0 {kdb} / KOLD KEEP KDB  (written by legacy-wrap)"]
    if kdb:
        lines.append(" ".join(str(int(x)) for x in (list(debug or []) + [0] * 6)[:6])
                     + "   debug codes")
    lines.append(p.title)
    restate: list[str] = []
    for row in range(8):
        infos = FD_PARAMS[8 * row:8 * row + 8]
        lines.append("".join(i.label.rjust(REAL_W) for i in infos))
        text, misfits = _fixed_row([float(p.fd[i.slot]) for i in infos], REAL_W, REAL_D,
                                   [""] * 8, False)
        lines.append(text)
        restate += [f"1 {infos[k].index} {_real_item(p.fd[infos[k].slot])} "
                    f"{_quote(infos[k].label)} /" for k in misfits]
    for row in range(3):
        infos = ID_PARAMS[8 * row:8 * row + 8]
        lines.append("".join(i.label.rjust(INT_W) for i in infos))
        fields = []
        for info in infos:
            s = str(int(p.id[info.slot]))
            if len(s) > INT_W:
                restate.append(f"2 {info.index} {s} {_quote(info.label)} /")
                s = "0"
            fields.append(s.rjust(INT_W))
        lines.append("".join(fields))
    for row in range(2):
        infos = LD_PARAMS[10 * row:10 * row + 10]
        lines.append("".join(i.label.rjust(LOG_W) for i in infos))
        lines.append("".join(("T" if p.ld[i.slot] else "F").rjust(LOG_W) for i in infos))
    for label, values, name in ((_LAT_LABEL, p.latitudes, "latitude"),
                                (_ELEV_LABEL, p.elevations, "elevation")):
        lines.append(label)
        for row in range(math.ceil(values.size / 10)):
            chunk = [float(x) for x in values[10 * row:10 * row + 10]]
            names = [f"{name} {10 * row + k + 1}" for k in range(len(chunk))]
            lines.append(_fixed_row(chunk, LAT_W, LAT_D, names, exact)[0])
    if p.lporb:
        if p.porb is None:
            raise InputError("LPORB is true but params.porb is None: nothing to write")
        lines.append(_PORB_HEADER)
        lines += _porb_rows(p.porb, exact)
    elif p.porb is not None:          # kept although unused: a type-6 line restates it
        restate += ["6 0 0 'PORB' /", _PORB_HEADER] + _porb_rows(p.porb, exact)
    if p.id24 != 8:
        restate.append(f"2 24 {p.id24} 'ID24' /")
    return lines, restate


def _porb_rows(porb: np.ndarray, exact: bool) -> list[str]:
    rows = []
    for row in range(6):
        vals = [float(x) for x in porb[5 * row:5 * row + 5]]
        names = [f"PORB {5 * row + k + 1} ({PORB_NAMES[5 * row + k]})" for k in range(5)]
        rows.append(_fixed_row(vals, PORB_W, PORB_D, names, exact)[0])
    return rows


def change_lines(old: Params, new: Params, exact: bool = True) -> list[str]:
    """Change lines (types 1, 2, 3, 6, 7) that turn ``old`` into ``new``.

    Raises :class:`InputError` for what change lines cannot express in KRC
    3.6.5: other latitudes/elevations (types 4/5 are broken) or zone tables.
    """
    if old.latitudes.shape != new.latitudes.shape or not (
            np.array_equal(old.latitudes, new.latitudes)
            and np.array_equal(old.elevations, new.elevations)):
        raise InputError("latitudes/elevations cannot change between cases (change types 4/5 "
                         "are broken in KRC 3.6.5): write a separate deck")
    if not _same(old.zone_table, new.zone_table):
        raise InputError("a different zone table between cases needs its own file and an "
                         "'8 25' change line: give that line explicitly")
    out = []
    for info in FD_PARAMS:
        if _bits(old.fd[info.slot]) != _bits(new.fd[info.slot]):
            out.append(f"1 {info.index} {_real_item(new.fd[info.slot])} {_quote(info.label)} /")
    for info in ID_PARAMS:
        if old.id[info.slot] != new.id[info.slot]:
            out.append(f"2 {info.index} {int(new.id[info.slot])} {_quote(info.label)} /")
    if old.id24 != new.id24:
        out.append(f"2 24 {new.id24} 'ID24' /")
    for info in LD_PARAMS:
        if old.ld[info.slot] != new.ld[info.slot]:
            out.append(f"3 {info.index} {1 if new.ld[info.slot] else 0} {_quote(info.label)} /")
    if old.title != new.title:
        line = f"7 0 0 {_quote(new.title)} /"
        if len(new.title) > TEXT_LENGTH or len(line) > CHANGE_COLUMNS:
            raise InputError(f"the title {new.title!r} is too long for a type-7 change line "
                             f"(at most {TEXT_LENGTH} characters within {CHANGE_COLUMNS} columns)")
        out.append(line)
    if not _same(old.porb, new.porb) and new.porb is not None:
        out += ["6 0 0 'PORB' /", _PORB_HEADER] + _porb_rows(new.porb, exact)
    return out


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and a.tobytes() == b.tobytes()


def _zone_text(table: np.ndarray) -> str:
    head = ["Zone table written by legacy-wrap: thickness m, density, conductivity, specific heat",
            "C_END"]
    rows = [" ".join(_real_item(x) for x in row) for row in table]
    return _EOL.join(head + rows + ["0 0 0 0   end of table"]) + _EOL


def _entry_lines(entry: Any) -> list[str]:
    if isinstance(entry, ChangeLine):
        return [entry.raw, *entry.block]
    if isinstance(entry, str):
        if "\n" in entry or "\r" in entry:
            raise InputError(f"a change line must be one line, got {entry!r}")
        return [entry]
    if isinstance(entry, tuple) and 3 <= len(entry) <= 4:
        t, index, value = entry[:3]
        text = entry[3] if len(entry) == 4 else ""
        return [f"{int(t)} {int(index)} {_real_item(value)} {_quote(str(text))} /"]
    raise InputError(f"cannot write change entry {entry!r}: give a str, a ChangeLine, "
                     "a (type, index, value[, text]) tuple or a Params")


def write_deck(source: Params | Deck, path: str | Path | None = None,
               cases: Iterable[Iterable[Any] | Params] | None = None, *,
               exact: bool = True, zone_file: str | None = None) -> str:
    """Write a deck in the fixed-column layout of the shipped decks; return its text.

    ``source`` is a :class:`Params` (its values form the fixed blocks) or a
    :class:`Deck` (its initial parameters, then every case's change lines as
    read).  ``cases`` (Params source only): one item per case, either a list of
    change entries (str lines, :class:`ChangeLine`, ``(type, index, value,
    text)`` tuples) or a :class:`Params` (the change lines from the previous
    case are generated); default: one case with no changes.

    Re-reading gives bit-identical parameters for case 1: REAL/INTEGER values
    that do not fit their field exactly (and PORB values when LPORB is false)
    are restated by change lines at the head of case 1.  Latitudes,
    elevations and PORB values must fit their 7/15 columns exactly
    (``InputError`` otherwise; ``exact=False`` rounds them).
    A zone table (with LZONE true) is written to ``zone_file`` (default
    ``<deck stem>_zone.tab`` beside the deck) and named by an ``8 25`` line.
    """
    if isinstance(source, Deck):
        if cases is not None:
            raise InputError("write_deck(deck, cases=...) is not allowed: a Deck brings its cases")
        p = source.initial
        kdb, debug = source.kdb, source.debug
    elif isinstance(source, Params):
        p, kdb, debug = source, 0, None
    else:
        raise InputError(f"write_deck needs Params or a Deck, got {type(source).__name__}")
    if isinstance(source, Params):
        p.check()
    lines, restate = _header_lines(p, exact, kdb, debug)
    zone_target: Path | None = None
    if isinstance(source, Params) and p.lzone and p.zone_table is not None:
        if zone_file is None:
            if path is None:
                raise InputError("params has a zone table: give path= (the table is written "
                                 "beside the deck) or zone_file=")
            zone_file = f"{Path(path).stem}_zone.tab"
        zone_target = (Path(path).parent / zone_file) if path is not None else Path(zone_file)
        restate.append(f"8 25 0 {_quote(zone_file)} /")
    if isinstance(source, Deck):
        body = _deck_body(source)
    else:
        body = []
        prev = p
        for case in ([[]] if cases is None else list(cases)):
            if isinstance(case, Params):
                body += change_lines(prev, case, exact)
                prev = case
            else:
                for entry in cast(Iterable[Any], case):
                    body += _entry_lines(entry)
            body.append("0/")
        body.append("0/  end of run")
    text = _EOL.join(lines + restate + body) + _EOL
    if path is not None:
        try:
            if zone_target is not None:
                zone_target.write_bytes(_zone_text(p.zone_table).encode("latin-1"))  # type: ignore[arg-type]
            Path(path).write_bytes(text.encode("latin-1"))
        except OSError as exc:
            raise FileAccessError(f"cannot write {path}: {exc.strerror or exc}") from None
    return text


def _deck_body(deck: Deck) -> list[str]:
    body: list[str] = []
    for case in deck.cases:
        for ch in case.changes:
            body += [ch.raw, *ch.block]
        if case.ended_by == "0/":
            body.append("0/")
    if deck.end_reason == "end of file":
        for ch in deck.pending:
            body += [ch.raw, *ch.block]
    elif deck.end_reason == "0/":
        body.append("0/  end of run")
    return body
