"""Read and write KRC 3.6.5 input decks (``.inp``).

``read_deck(path) -> Deck`` is filled by the deck reader of the legacy
``krc`` program (``fortran/krc_deck.f90`` through ``legacy_wrap._krcio``; there
is no second parser in Python), which follows ``shared/spec/krc-formats.md``
section 1: fixed-column blocks (``F10.2``/``I10``/``L7``/``F7.2``/``G15.7`` with blanks
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
* (read_deck only: the two ``krc`` programs reset such values as KRC does)
  a value outside the range :mod:`legacy_wrap.krc.params` allows, including
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
* Mid-case change lists (LSC true, or 1 <= IDOWN <= N5) are not attached to
  their case (the krc programs run them): the following lines are read as the
  next case's list; the case is flagged.
* Text of a type 1-10 line longer than 74 characters is cut (as KRC) with a warning.
"""

from __future__ import annotations

import decimal
import math
import os
import re
import tempfile
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
    #: tables in effect: 22 albedo / 23 opacity / 24 climate opacity file ->
    #: (resolved path, deck, line, column)
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


# --------------------------------------------------------------------------- the Fortran reader
#
# Every field rule, the change lines and the case/run-ending rules are those of
# fortran/krc_deck.f90, the reader of the legacy krc program; this module turns
# what it read (legacy_wrap._krcio.krc_deck_events) into Deck / Case /
# ChangeLine objects and checks each value against the ranges of
# legacy_wrap.krc.params (stricter than KRC, which resets or carries on).

_DK_CHANGE, _DK_CHANGE_ENDS, _DK_CASE, _DK_RUN_END, _DK_EOF = 1, 2, 3, 4, 5
_BLANK = -999
_LIMIT = 42


def _krcio() -> Any:
    from .. import _krcio
    return _krcio


def _s(b: bytes | str) -> str:
    return (b.decode("latin-1") if isinstance(b, bytes) else str(b)).rstrip(" ")


def parse_fixed_real(text: str, d: int) -> float | None:
    """Value of a fixed real field (``Fw.d``/``Gw.d`` input, formats 1.2) as the
    Fortran reader reads it; None if unreadable.  Blanks are removed, an empty
    field is 0 and without a decimal point the last ``d`` digits are the fraction."""
    x, ok = _krcio().krc_fixed_real(text.encode("latin-1", "replace"), d)
    return float(x) if ok else None


def _deck_error(message: str) -> DeckError:
    m = re.match(r"^(?P<path>.*?), line (?P<line>\d+)(?:, column (?P<col>\d+))?: (?P<body>.*)$",
                 message, re.S)
    if m is None:
        return DeckError(message)
    return DeckError(m.group("body"), path=m.group("path"), line=int(m.group("line")),
                     column=int(m.group("col")) if m.group("col") else None)


def _events(path: Path, label: str, base: Path) -> dict[str, Any]:
    io = _krcio()
    maxev, maxsnap, nzc = 64, 16, 8
    for _ in range(3):
        out = io.krc_deck_events(os.fsencode(path), label.encode("latin-1", "replace"),
                                 os.fsencode(base) if str(base) else b"", maxev, maxsnap, nzc)
        names = ("iev", "value", "nums", "text", "note", "fd", "id", "ld", "alat", "elev", "porb",
                 "titles", "files", "nzone", "zone", "parc", "parw", "nlad", "stems", "nchk",
                 "chk", "ctl", "nev",
                 "nsnap", "nzmax", "status", "message")
        ev = dict(zip(names, out))
        if ev["status"] == _LIMIT:
            maxev, maxsnap, nzc = max(maxev, ev["nev"]), max(maxsnap, ev["nsnap"]), \
                max(nzc, ev["nzmax"])
            continue
        break
    if ev["status"] != 0:
        msg = _s(ev["message"]).strip()
        if msg.startswith("cannot open the deck"):
            raise FileAccessError(f"cannot read the deck {str(label)!r}: "
                                  f"{msg.split(': ', 1)[-1]}")
        raise _deck_error(msg)
    return ev


def _params(ev: dict[str, Any], k: int, where: str, line: int) -> Params:
    """Snapshot k of the parameter common as :class:`Params` (a value outside its
    range, say from the fixed blocks of a type-9 deck, names the line)."""
    try:
        return _params_of(ev, k)
    except InputError as exc:
        raise DeckError(str(exc), path=where, line=line) from None


def _params_of(ev: dict[str, Any], k: int) -> Params:
    fd, id_, ld = ev["fd"][:, k], ev["id"][:, k], ev["ld"][:, k].astype(bool)
    n4 = int(id_[3])
    nz = int(ev["nzone"][k])
    porb = ev["porb"][:, k].copy()
    return Params(fd=fd[:64].copy(), id=id_[:20].astype(np.int64), ld=ld,
                  latitudes=ev["alat"][:n4, k].copy(), elevations=ev["elev"][:n4, k].copy(),
                  title=_s(ev["titles"][k]), porb=porb if (ld[10] or porb.any()) else None,
                  zone_table=ev["zone"][:, :nz, k].T.copy() if (ld[13] and nz) else None,
                  id24=int(id_[23]))


def _files(ev: dict[str, Any], k: int) -> dict[int, str]:
    out = {}
    for idx in TYPE8_INDICES:
        name = _s(ev["files"][idx - 1, k])
        if name:
            out[idx] = name
    return out


def _check_header(ev: dict[str, Any], where: str, end_line: int) -> None:
    """Range checks of the fixed blocks (their lines counted back from the end)."""
    fd, id_, ld = ev["fd"][:, 0], ev["id"][:, 0], ev["ld"][:, 0]
    nrow = math.ceil(int(id_[3]) / 10)
    porb_lines = 7 if ld[10] else 0
    elev0 = end_line - porb_lines - nrow + 1        # first elevation row
    lat0 = elev0 - 1 - nrow
    ld0 = lat0 - 1 - 4
    id0 = ld0 - 6
    fd0 = id0 - 16
    for info in FD_PARAMS:
        row, k = divmod(info.slot, 8)
        _check(info, float(fd[info.slot]), where, fd0 + 2 * row + 1, k * REAL_W + 1,
               f"in the F{REAL_W}.{REAL_D} field {info.label} (columns {k * REAL_W + 1}-"
               f"{k * REAL_W + REAL_W})")
    for info in ID_PARAMS:
        row, k = divmod(info.slot, 8)
        _check(info, int(id_[info.slot]), where, id0 + 2 * row + 1, k * INT_W + 1,
               f"in the I{INT_W} field {info.label} (columns {k * INT_W + 1}-{k * INT_W + INT_W})")


def _check(info: ParamInfo, value: Any, where: str, line: int, col: int, what: str) -> None:
    try:
        validate_value(info, value)
    except InputError as exc:
        raise DeckError(f"{what}: {exc}", path=where, line=line, column=col) from None


def _unsupported(case: Case, ev: dict[str, Any], k: int) -> None:
    p = case.params
    parc, parw = ev["parc"][:, k], ev["parw"][:, k]
    if parc[0] > 0:
        case.eclipse = parc.copy()
        case.unsupported.append("an eclipse (change type 14) is in effect")
    if parw[0] > 0:
        case.planet_flux = parw.copy()
        case.unsupported.append("planetary flux (change type 15) is in effect")
    if int(ev["nlad"][k]) >= 1:
        case.tout = (int(ev["nlad"][k]), _s(ev["stems"][k]))
        case.unsupported.append("high-resolution output (change type 16) is in effect")
    for idx in (3, 4, 21, 24):
        if idx in case.files:
            case.unsupported.append(f"file '8 {idx}' ({TYPE8_INDICES[idx]}) "
                                    f"{case.files[idx]!r} is in effect")
    for ch in case.changes:
        if not ch.supported and ch.type in (4, 5, 9, 10, 11):
            case.unsupported.append(f"line {ch.line}: change type {ch.type} ({ch.kind})")
    if p.lsc or 1 <= p.idown <= p.n5:
        msg = ("mid-case change lists (LSC true or 1 <= IDOWN <= N5) are not attached to "
               "the case by read_deck: the following lines are read as the next case's list "
               "(the krc programs run them)")
        case.unsupported.append(msg)
        case.warnings.append(f"case {case.number}: {msg}")


def _change(ev: dict[str, Any], e: int, lines: list[str], where: str,
            params: Params) -> ChangeLine:
    """Event e as a ChangeLine (its values are range-checked here)."""
    kind, t, index, applied, line, last, nread, vcol, tcol = (int(x) for x in ev["iev"][:9, e])
    raw = lines[line - 1] if line - 1 < len(lines) else ""
    block = tuple(lines[line:last])
    note = _s(ev["note"][e]).strip()
    if t == _BLANK:
        return ChangeLine(None, None, None, "", (), raw, line, applied=False,
                          note="blank line (KRC error 439)")
    text = _s(ev["text"][e])
    value = float(ev["value"][e])
    nums = ev["nums"][:, e]
    supported, numbers = True, ()
    if not applied:
        return ChangeLine(t, index, value, text, (), raw, line, applied=False,
                          note="too few items and no '/' (KRC error 439)")
    if t in (1, 2, 3):
        infos = {1: FD_PARAMS, 2: ID_PARAMS, 3: LD_PARAMS}[t]
        v: Any = value
        if t == 2:                 # Fortran NINT: halves away from zero
            v = int(math.floor(abs(value) + 0.5)) * (1 if value >= 0 else -1)
        if t == 3:
            v = bool(value > 0)
        info = ID24 if (t == 2 and index == 24) else infos[index - 1]
        if not (t == 2 and index == 4):
            _check(info, v, where, line, vcol or 1, f"type {t} line")
    elif t in (4, 5):
        supported, note = False, note or "types 4/5 make KRC 3.6.5 abort; read as intended"
    elif t == 6:
        numbers = tuple(float(x) for x in nums[:30])
    elif t == 8:
        supported = index not in (3, 4, 21, 24) or len(text.strip()) < TYPE8_OFF_LENGTH \
            and index != 24
    elif t == 9:
        numbers = tuple(float(x) for x in nums[:3])
        supported, note = False, note or "type 9: a complete new deck was read"
    elif t == 10:
        supported, note = False, note or "type 10: one-point mode (nothing after this line is read)"
    elif t == 11:
        numbers = tuple(float(x) for x in nums[:9])
        return ChangeLine(11, None, None, raw[:CHANGE_COLUMNS][52:72].rstrip(), numbers, raw, line,
                          supported=False, note="one-point request (values not applied)")
    elif t in (12, 13, 14, 15):
        numbers = tuple(float(x) for x in nums[:nread])
        if t in (14, 15):
            supported = not nums[0] > 0
        return ChangeLine(t, None, None, "", numbers, raw, line, supported=supported,
                          note=note or CHANGE_TYPES[t])
    elif t == 16:
        return ChangeLine(16, index, None, text, (float(index),), raw, line,
                          supported=index < 1, note="high-resolution output")
    if t == 7:
        _check_title(text, where, line, tcol or 1)
    return ChangeLine(t, index, value, text, numbers, raw, line, block=block,
                      supported=supported, note=note)


def _check_title(title: str, where: str, line: int, col: int) -> None:
    p = Params.moon()
    try:
        p.title = title
    except InputError as exc:
        raise DeckError(f"type 7 line: {exc}", path=where, line=line, column=col) from None


def _read(path: Path, label: str, base: Path) -> Deck:
    ev = _events(path, label, base)
    where = label
    # the records as the Fortran run-time library splits them (LF, CR LF or a lone CR)
    lines = re.split(r"\r\n?|\n", path.read_bytes().decode("latin-1"))
    ctl = [int(x) for x in ev["ctl"]]
    kold, keep, kdb = ctl[:3]
    debug = tuple(ctl[3:9]) if kdb != 0 else None
    _check_header(ev, where, ctl[9] - 1)
    initial = _params(ev, 0, where, ctl[9] - 1)
    warnings: list[str] = []
    cases: list[Case] = []
    changes: list[ChangeLine] = []
    tables: dict[int, tuple[Path, str, int, int]] = {}
    params = initial
    end_reason, end_line = "0/", None
    for e in range(int(ev["nev"])):
        kind, t, index = (int(x) for x in ev["iev"][:3, e])
        line, snap = int(ev["iev"][4, e]), int(ev["iev"][9, e])
        if kind in (_DK_CHANGE, _DK_CHANGE_ENDS):
            note = _s(ev["note"][e]).strip()
            if note:
                warnings.append(note)
            ch = _change(ev, e, lines, where, params)
            changes.append(ch)
            if t == 8 and index in (22, 23, 24) and ch.applied:
                name = ch.text
                if name.strip():
                    tpath = Path(name)
                    col = ch.raw.find(name) + 1 if name in ch.raw else 1
                    tables[index] = (tpath if tpath.is_absolute() else base / tpath, where, line,
                                     col)
                else:
                    tables.pop(index, None)
        if kind == _DK_CASE or kind == _DK_CHANGE_ENDS:
            k = snap - 1
            p = _params(ev, k, where, line)
            params = p
            ended = "0/"
            if kind == _DK_CHANGE_ENDS:
                ended = "error 439" if not changes[-1].applied else f"type {t}"
            files = _files(ev, k)
            zname = files.get(25)
            case = Case(number=len(cases) + 1, changes=changes, params=p, ended_by=ended,
                        end_line=line if kind == _DK_CASE else None, t52_name=files.get(5),
                        files=files, zone_file=(None if not p.lzone or zname is None else
                                                (Path(zname) if Path(zname).is_absolute()
                                                 else base / zname)),
                        table_files=dict(tables))
            _unsupported(case, ev, k)
            if ended == "error 439":
                case.warnings.append(f"case {case.number}: line {changes[-1].line} has too few "
                                     "items and no '/' (KRC error 439): not applied, the change "
                                     "list ends")
            checks = [_s(ev["chk"][j, k]).strip() for j in range(int(ev["nchk"][k]))]
            case.warnings.extend(f"case {case.number}: KRC input check: {m}" for m in checks)
            warnings.extend(case.warnings)
            cases.append(case)
            changes = []
            if ended == "type 10":
                case.one_point_file = case.changes[-1].text
                end_reason, end_line = "one-point", line
                break
        elif kind == _DK_RUN_END:
            end_reason, end_line = "0/", line
            break
        elif kind == _DK_EOF:
            end_reason = "end of file"
            if changes:
                warnings.append(f"end of file after {len(changes)} change line(s) without a "
                                "terminating 0/: that last case is never run")
            if not cases:               # as both krc programs: nothing would run
                raise DeckError("unexpected end of file: expected a change line or the 0/ that "
                                "ends the first case (no case would run)", path=where,
                                line=line)
            break
    return Deck(path=path if label == str(path) else Path(label), initial=initial, cases=cases,
                kold=kold, keep=keep, kdb=kdb, debug=debug, end_reason=end_reason,
                end_line=end_line, pending=changes if end_reason == "end of file" else [],
                warnings=warnings)


# --------------------------------------------------------------------------- public readers


def _table(path: str | Path, kind: int, ncol: int, maxrow: int) -> np.ndarray:
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(2, "No such file or directory", str(p))
    table, nrow, status, message = _krcio().krc_read_table(os.fsencode(p), kind, ncol, maxrow)
    if status != 0:
        msg = _s(message).strip()
        if status == 41:
            raise OSError(msg)
        raise _deck_error(msg)
    return np.ascontiguousarray(table[:, :nrow].T)


def read_zone_table(path: str | Path) -> np.ndarray:
    """Rows (thickness m, density, conductivity, specific heat) of a zone table (formats 1.12).

    Raises :class:`DeckError` (file, line, column) for a missing ``C_END`` line,
    unreadable numbers or fewer than 3 rows; :class:`OSError` if it cannot be read.
    """
    return _table(path, 1, 4, ZONE_MAX_ROWS)


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
    return _table(path, 2, 2, SEASON_MAX_ROWS)


def parse_deck(text: str, path: str | Path | None = None, base_dir: str | Path | None = None) -> Deck:
    """Parse deck text (see :func:`read_deck`); ``base_dir`` resolves named files.

    The text goes through the same Fortran reader as a file (written to a
    temporary file); messages name ``path`` (default ``<deck>``).
    """
    p = Path(path) if path is not None else None
    base = Path(base_dir) if base_dir is not None else (p.parent if p is not None else Path.cwd())
    label = str(p) if p is not None else "<deck>"
    fd, tmp = tempfile.mkstemp(suffix=".inp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("latin-1", "replace"))
        deck = _read(Path(tmp), label, base)
    finally:
        os.unlink(tmp)
    deck.path = p
    return deck


def read_deck(path: str | Path) -> Deck:
    """Read a KRC input deck: the initial parameters and every case (formats section 1).

    Read by the Fortran reader of the legacy ``krc`` program
    (``fortran/krc_deck.f90``).  Raises :class:`DeckError` (file, line, column,
    what was expected) for anything KRC could not read or this package refuses
    (see the module's "Differences from KRC"); :class:`FileAccessError` if the
    file cannot be opened.
    """
    p = Path(path)
    if not p.is_file():
        why = "is a folder" if p.is_dir() else "no such file"
        raise FileAccessError(f"cannot read the deck {str(path)!r}: {why}")
    return _read(p, str(path), p.parent)


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
