"""The PORB block of any body: KRC's orbit program ``porbmn`` as a library call.

:func:`porb` returns the 30 PORB values (orbit and spin-axis geometry,
``krc-formats.md`` 4.1) of a named planet, satellite, asteroid, comet or
exoplanet, computed by the Fortran library behind the bundled ``porbmn``
program from the element tables shipped in ``legacy_wrap/krc/data/porb``
(sources in ``SOURCES.md`` there).  The values are those a deck carries:
each double rounded to the 7 significant digits of the block's G15.7 fields
and read back, so a run with them equals a run of a deck holding the block.

Specification: ``krc-porb.md`` (sections 3-6 for the numbers, 9 for this call).
"""

from __future__ import annotations

import difflib
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._resources import package_file
from ..errors import FileAccessError, FormatError, InputError

__all__ = ["Body", "PorbResult", "bodies", "body_info", "catalogue", "porb", "porb_item", "tables_dir",
           "SOURCES", "TABLE_FILES", "dialogue"]

#: Source codes of porbmn's option 1 and their table files.
SOURCES: dict[str, int] = {"planet": 1, "minor": 3, "small": 4, "comet": 5, "exoplanet": 6}
TABLE_FILES: dict[int, str] = {1: "standish.tab", 3: "minor.tab", 4: "small.tab", 5: "comet.tab",
                               6: "exoplan.tab"}
_TABLE_ALIASES: dict[str, int] = {
    "planet": 1, "planets": 1, "standish": 1, "standish.tab": 1, "satellite": 1,
    "minor": 3, "minor.tab": 3, "small": 4, "small.tab": 4,
    "comet": 5, "comets": 5, "comet.tab": 5,
    "exoplanet": 6, "exoplanets": 6, "exoplan": 6, "exoplan.tab": 6,
}
#: Status codes of fortran/krc_porb.f90.
_E_INPUT, _E_TABLE, _E_POLE, _E_BROKEN = 1, 2, 3, 4


@dataclass(frozen=True)
class Body:
    """One entry of the catalogue: which table row (and pole) a name means."""

    name: str
    kind: str          #: planet, satellite, asteroid, comet, exoplanet
    source: int        #: 1 planets/satellites, 3 minor, 4 small, 5 comets, 6 exoplanets
    item: int          #: row number in the table, from 1
    pole: str = ""     #: spin-axis row (source 1): "" = the planet's own
    note: str = ""

    @property
    def table(self) -> str:
        return TABLE_FILES[self.source]


# Catalogue order: the first entry of a name is its default row.
_CATALOGUE: tuple[Body, ...] = (
    Body("Mercury", "planet", 1, 1), Body("Venus", "planet", 1, 2),
    Body("Earth", "planet", 1, 3, note="Earth-Moon barycentre orbit"),
    Body("Mars", "planet", 1, 4), Body("Jupiter", "planet", 1, 5), Body("Saturn", "planet", 1, 6),
    Body("Uranus", "planet", 1, 7), Body("Neptune", "planet", 1, 8), Body("Pluto", "planet", 1, 9),
    Body("Moon", "satellite", 1, 3, "Moon", "Earth's orbit, the Moon's pole"),
    Body("Phobos", "satellite", 1, 4, "Phobos", "Mars's orbit, Phobos's pole"),
    Body("Deimos", "satellite", 1, 4, "Deimos", "Mars's orbit, Deimos's pole"),
    Body("Io", "satellite", 1, 5, "Io", "Jupiter's orbit, Io's pole"),
    Body("Europa", "satellite", 1, 5, "Europa", "Jupiter's orbit, Europa's pole"),
    Body("Ganymede", "satellite", 1, 5, "Ganymede", "Jupiter's orbit, Ganymede's pole"),
    Body("Callisto", "satellite", 1, 5, "Callisto", "Jupiter's orbit, Callisto's pole"),
    Body("Ceres", "asteroid", 4, 13, note="2019 elements"),
    Body("Ceres", "asteroid", 3, 1, note="B1950-ecliptic pole"),
    Body("Pallas", "asteroid", 4, 2), Body("Pallas", "asteroid", 3, 2, note="B1950-ecliptic pole"),
    Body("Juno", "asteroid", 4, 3), Body("Juno", "asteroid", 3, 3, note="B1950-ecliptic pole"),
    Body("Vesta", "asteroid", 4, 4), Body("Vesta", "asteroid", 3, 4, note="B1950-ecliptic pole"),
    Body("Bennu", "asteroid", 4, 6, note="Hergenrother 2014, the table's recommended row"),
    Body("Bennu", "asteroid", 3, 5, note="title '1999RQ36'"),
    Body("1999RQ36", "asteroid", 3, 5, note="Bennu in minor.tab"),
    Body("2004BL86", "asteroid", 4, 9), Body("Achilles", "asteroid", 4, 11),
    Body("Circular", "asteroid", 4, 12, note="a circular 1 AU test orbit"),
    Body("Tempel 2", "comet", 5, 1), Body("Kopff", "comet", 5, 2), Body("Wild 2", "comet", 5, 3),
    Body("Halley", "comet", 5, 4), Body("Gaspra", "comet", 5, 5, note="an asteroid, in comet.tab"),
    Body("HD147018b", "exoplanet", 6, 1), Body("Kepler62e", "exoplanet", 6, 2),
)
#: Names of table rows the package refuses (the Fortran library says why).
_REFUSED: dict[str, tuple[int, int]] = {
    "sidingspring": (4, 8), "juptrojan": (4, 10), "gliese163c": (6, 3),
    "1p": (4, 7), "1p/halley": (4, 7),
}


def _key(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch not in " _-'")


def bodies() -> list[str]:
    """Names :func:`porb` knows, in catalogue order (planets, satellites, asteroids,
    comets, exoplanets); any other row is reachable with :func:`porb_item`."""
    seen: list[str] = []
    for b in _CATALOGUE:
        if b.name not in seen:
            seen.append(b.name)
    return seen


def catalogue() -> tuple[Body, ...]:
    """Every catalogue entry (a name listed in several tables has one entry per
    table; the first is the default row)."""
    return _CATALOGUE


def _table_code(table: str | int) -> int:
    if isinstance(table, int) and table in TABLE_FILES:
        return table
    code = _TABLE_ALIASES.get(str(table).casefold())
    if code is None:
        raise InputError(f"unknown table {table!r}: use one of 'planet', 'minor', 'small', "
                         "'comet', 'exoplanet' (or the source codes 1, 3, 4, 5, 6)")
    return code


def body_info(name: str, table: str | int | None = None) -> Body:
    """The catalogue entry a name means (``table`` picks the row of a body that
    appears in several tables, e.g. ``body_info("Ceres", "minor")``)."""
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"body must be a non-empty name, got {name!r}; "
                         "legacy_wrap.krc.bodies() lists the known bodies")
    key = _key(name)
    matches = [b for b in _CATALOGUE if _key(b.name) == key]
    if not matches:
        names = {_key(n): n for n in bodies()}
        near = [names[k] for k in difflib.get_close_matches(key, list(names), n=4, cutoff=0.6)]
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise InputError(f"unknown body {name!r}: {hint}legacy_wrap.krc.bodies() lists the "
                         f"{len(names)} known bodies; porb_item(table, item) reads any table row")
    if table is None:
        return matches[0]
    code = _table_code(table)
    for b in matches:
        if b.source == code:
            return b
    where = ", ".join(sorted({b.table for b in matches}))
    raise InputError(f"{matches[0].name} is not in {TABLE_FILES[code]}: it is in {where}")


def tables_dir() -> Path:
    """The folder of the shipped element tables."""
    return package_file("krc", "data", "porb", "standish.tab").parent


@dataclass(frozen=True, eq=False)
class PorbResult:
    """The PORB block of one body, with what a user wants to know about it."""

    name: str                 #: the name asked for (catalogue spelling)
    title: str                #: the block title ("Mars:Mars", "Bennu", "Tempel 2")
    source: int               #: porbmn source code (1, 3, 4, 5, 6)
    item: int                 #: row in the table
    epoch: float              #: TC, Julian centuries after J2000.0 (0 except planets/satellites)
    values: np.ndarray        #: the 30 values as a deck carries them (7 significant digits)
    full: np.ndarray = field(repr=False)   #: the 30 values at full precision
    lines: tuple[str, ...] = field(repr=False, default=())   #: the six 75-column value records
    #: unit of SIDAY (value 16): hours for planets and comets, days for the other
    #: tables -- except the shipped minor.tab's Bennu row, whose 4.288 "days" are hours
    siday_unit: str = "days"

    @property
    def period(self) -> float:
        """Orbital period, days (OPERIOD)."""
        return float(self.values[13])

    @property
    def obliquity(self) -> float:
        """Angle between spin axis and orbit normal, degrees (BLIP)."""
        return math.degrees(float(self.values[18]))

    @property
    def ls_perihelion(self) -> float:
        """Season (Ls, degrees) of perihelion: 180 - TAV, modulo 360."""
        return (180.0 - math.degrees(float(self.values[17]))) % 360.0

    @property
    def semi_major_axis(self) -> float:
        """AU (SJA)."""
        return float(self.values[6])

    @property
    def eccentricity(self) -> float:
        return float(self.values[5])

    @property
    def rotation_hours(self) -> float:
        """Sidereal rotation period in hours (SIDAY is hours for planets and comets,
        days for the other tables)."""
        siday = float(self.values[15])
        return siday if self.siday_unit == "hours" else siday * 24.0

    @property
    def solar_day(self) -> float:
        """Length of the solar day, days: the sidereal period corrected for the
        orbital motion (retrograde when the obliquity exceeds 90 degrees) -- what
        KRC's PERIOD wants."""
        sid = self.rotation_hours / 24.0
        if self.obliquity > 90.0:
            return sid / (1.0 + sid / self.period)
        if sid >= self.period:
            raise InputError(f"{self.title}: the table's rotation period ({sid:g} d, prograde) is "
                             f"not shorter than the orbital period ({self.period:g} d), so the "
                             "solar day is undefined; give KRC's PERIOD (solar day, days) "
                             "yourself, e.g. Params.for_body(name, period=...)")
        return sid / (1.0 - sid / self.period)

    def header(self, runtime: str = "") -> str:
        """The block's header record; ``runtime``: 20 characters of free text."""
        rt = (runtime or _now())[:20].ljust(20)
        return (f"PORB:2014jun10 {rt} IPLAN,TC= {self.values[0]:5.1f}{self.values[1]:8.5f} "
                f"{self.title}")

    def block(self, runtime: str = "") -> str:
        """The deck-ready 7-line block (header + six records of five G15.7 values)."""
        return "\n".join([self.header(runtime), *self.lines]) + "\n"

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "table": TABLE_FILES[self.source],
                "item": self.item, "epoch": self.epoch, "period_days": self.period,
                "obliquity_deg": self.obliquity, "ls_perihelion_deg": self.ls_perihelion,
                "semi_major_axis_au": self.semi_major_axis, "eccentricity": self.eccentricity,
                "rotation_hours": self.rotation_hours, "values": self.values.tolist()}


def _now() -> str:
    import time
    t = time.localtime()
    return time.strftime("%Y %b ", t) + f"{t.tm_mday:2d}" + time.strftime(" %H:%M:%S", t)


def _ext() -> Any:
    from .. import _krcporb
    return _krcporb


def _text(x: bytes | str) -> str:
    return x.decode("latin-1") if isinstance(x, bytes) else str(x)


def porb_item(table: str | int, item: int, epoch: float = 0.0, pole: str = "", *,
              tables: str | os.PathLike[str] | None = None, name: str | None = None) -> PorbResult:
    """The PORB block of row ``item`` of a table (as porbmn's option 1).

    ``table``: 'planet' (standish.tab, with the pole from spinaxis.tab), 'minor',
    'small', 'comet', 'exoplanet' or the source code 1, 3, 4, 5, 6.  ``epoch``:
    TC, Julian centuries after J2000.0 (planets and satellites only; the other
    tables' elements hold their own epoch).  ``pole``: the spin-axis row for a
    planet's satellite (e.g. 'Phobos' with item 4); '' = the planet's own.
    ``tables``: a folder with the six tables (default: the shipped copies).
    """
    code = _table_code(table)
    if isinstance(item, bool) or not isinstance(item, (int, np.integer)):
        raise InputError(f"item must be an integer row number (from 1), got {item!r}")
    try:
        tc = float(epoch)
    except (TypeError, ValueError):
        raise InputError(f"epoch must be a number of Julian centuries after J2000.0, "
                         f"got {epoch!r}") from None
    if not math.isfinite(tc) or abs(tc) >= 10.0:
        raise InputError(f"epoch {epoch!r} is outside (-10, 10) centuries (the block's TC field "
                         "is F8.5; the planetary elements are valid 1800-2050)")
    if code != 1 and pole:
        raise InputError(f"pole={pole!r} applies to planets and satellites only (table 'planet')")
    if not isinstance(pole, str) or len(pole) > 12 or (pole and not pole.strip()) \
            or any(c in pole for c in " ,/'\""):
        raise InputError(f"pole must be a spin-axis row name of at most 12 characters without "
                         f"blanks, commas, slashes or quotes, got {pole!r}")
    folder = Path(tables) if tables is not None else tables_dir()
    if not folder.is_dir():
        raise FileAccessError(f"element-table folder {folder} does not exist")
    values, title, lines, status, message = _ext().porb_body(str(folder), code, int(item), tc,
                                                             pole)
    msg = _text(message).strip()
    if status != 0:
        if status == _E_TABLE and "cannot be opened" in msg:
            raise FileAccessError(f"{folder}: {msg}")
        if status in (_E_TABLE, _E_BROKEN):
            raise FormatError(msg)
        raise InputError(msg)
    text = _text(lines)
    # (f2py strips the trailing blanks of a character result: pad the records again)
    recs = tuple(text[75 * r:75 * r + 75].ljust(75) for r in range(6))
    rounded = np.array([float(rec[15 * k:15 * k + 15]) for rec in recs for k in range(5)])
    shipped_bennu = tables is None and (code, item) == (3, 5)
    return PorbResult(name=name or _text(title).strip(), title=_text(title).strip(), source=code,
                      item=int(item), epoch=tc if code == 1 else 0.0, values=rounded,
                      full=np.array(values[:30]), lines=recs,
                      siday_unit="hours" if code in (1, 5) or shipped_bennu else "days")


def porb(body: str, epoch: float | None = None, *, table: str | int | None = None,
         tables: str | os.PathLike[str] | None = None) -> PorbResult:
    """The PORB block of a named body, e.g. ``porb("Bennu")``, ``porb("Mars", epoch=0.1)``.

    ``epoch``: TC, Julian centuries after J2000.0, for planets and satellites
    (None = 0, J2000.0); the other bodies' elements carry their own epoch and
    must not be given one.  ``table`` picks the row of a body listed in more
    than one table (``porb("Ceres", table="minor")``).  Names are matched
    case-insensitively, blanks ignored; :func:`bodies` lists them.

    Raises :class:`InputError` for an unknown name (with near names) or a bad
    argument, :class:`FormatError` for a table entry that is refused
    (``SidingSpring``, ``JupTrojan``, ``Gliese163c``, small.tab's ``1P/Halley``).
    """
    key = _key(body) if isinstance(body, str) else ""
    if key in _REFUSED:
        src, item = _REFUSED[key]
        return porb_item(src, item, 0.0, tables=tables)
    info = body_info(body, table)
    if info.source != 1 and epoch not in (None, 0, 0.0):
        raise InputError(f"{info.name} ({info.table}) carries the epoch of its own elements: "
                         f"give no epoch (got {epoch!r}); epochs apply to planets and satellites")
    return porb_item(info.source, info.item, 0.0 if epoch is None else epoch, info.pole,
                     tables=tables, name=info.name)


# ----------------------------------------------------------------------------- dialogue

class _Answers:
    """porbmn's answers on standard input, one per line, read free-format:
    the first item of a line counts, '/' keeps the default, blank lines are
    skipped (a list-directed read goes on to the next record)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def next(self) -> str | None:
        for line in self._stream:
            items = line.replace(",", " ").split()
            if items:
                return items[0]
        return None


def dialogue(argv: list[str] | None = None) -> int:
    """The Python path of the ``porbmn`` dialogue (for the regression harness):
    the same answers on standard input, the same ASCII block files (appended)
    and the same refusals and exit statuses; the print file ``porb.prt`` and
    the screen text are left to the Fortran program."""
    import sys

    if argv:
        print("porbmn: error: porbmn takes no arguments; answers come on standard input",
              file=sys.stderr)
        return 2
    ans = _Answers(sys.stdin)

    def fail(code: int, text: str) -> int:
        print(f"porbmn: error: {text}", file=sys.stderr)
        return code

    def ask_int(default: int) -> int | None:
        while True:
            tok = ans.next()
            if tok is None:
                return None
            if tok.startswith("/"):
                return default
            try:
                return int(tok)
            except ValueError:
                continue

    def eof() -> int:
        return fail(1, "end of input in the middle of a question")

    first = ans.next()
    if first is None:
        return 0
    isrc = item = 0
    tc = 0.0
    current: PorbResult | None = None
    while True:
        opt = ask_int(0)
        while opt is not None and opt > 5:
            opt = ask_int(opt)
        if opt is None or opt < 1:
            return 0
        if opt == 1:
            got = ask_int(isrc)
            if got is None:
                return eof()
            isrc = got
            if isrc < 1:
                continue
            got = ask_int(item)
            if got is None:
                return eof()
            item = got
            if isrc == 1:
                while True:
                    tok = ans.next()
                    if tok is None:
                        return eof()
                    if tok.startswith("/"):
                        break
                    try:
                        tc = float(tok.replace("d", "e").replace("D", "e"))
                        break
                    except ValueError:
                        continue
            kdebug = ask_int(0)
            if kdebug is None:
                return eof()
            if kdebug != 0:
                return fail(3, "debug prints (K /= 0) are not provided: their layout is not "
                               "specified; answer 0")
            pole = ""
            if isrc == 1:
                tok = ans.next()
                if tok is None:
                    return eof()
                pole = "" if tok.startswith("/") else tok[:12]
            try:
                current = porb_item(isrc, item, tc if isrc == 1 else 0.0, pole,
                                    tables=os.getcwd())
            except (InputError, FormatError, FileAccessError) as exc:
                return fail(2, str(exc))
        elif opt == 2:
            rw = 0
            while rw < 1:
                got = ask_int(rw)
                if got is None:
                    return eof()
                rw = got
            kind = ask_int(2)
            if kind is None:
                return eof()
            if kind <= 1:
                return fail(3, "the binary PORBCM.DAT file is not provided (the original's "
                               "record is too short and it crashes); answer 2 for the ASCII block")
            tok = ans.next()
            if tok is None:
                return eof()
            fname = "PORBCM.mat" if tok.startswith("/") else tok[:30]
            if rw == 1:
                return fail(3, "reading a block back is left to the Fortran porbmn")
            if current is None:
                return fail(2, "nothing to save: choose a body with option 1 (or read a block) "
                               "first")
            with open(fname, "a", encoding="latin-1") as fh:
                fh.write(current.block())
        elif opt == 3:
            return fail(3, "option 3 (ephemeris tables) is not provided: the model's own "
                           "date -> Ls geometry (krc-formats.md 4.3) covers it")
