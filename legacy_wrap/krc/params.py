"""The KRC 3.6.5 input parameters: one table of every deck input and :class:`Params`.

The table :data:`PARAMETERS` is the single source of truth for the 64 REAL
(``FD``), 20 INTEGER (``ID``) and 20 LOGICAL (``LD``) deck inputs
(``shared/spec/krc-formats.md`` sections 1.5-1.7): KRC name, deck label,
index, unit, meaning, ``master.inp`` default and the allowed range.

Attribute names (``params.inertia``, ``params.n2``, ``params.lporb``) are
KRC's internal names in lower case, with three rules:

* FD 3 is ``inertia`` (KRC: SKRC); FD 32 is ``fd32`` (label SatPrB).
* FD 49-64 are array elements in KRC (CCKU(1..4), CCKL, CCPU, CCPL): the
  attributes are ``ccku1`` .. ``ccpl4``.
* LD 20 (L_ONE) is ``lone``; ID 24 (the only computed integer a deck may set)
  is the field :attr:`Params.id24`.

Every other spelling KRC uses (deck labels such as ``SPEC_HEAT``, ``SatPrA``,
``ConUp0``, ``TUN_Flx15``, ``Prt76``; the print-file labels such as ``L_S``,
``PhotF``) is accepted too, case-insensitively and ignoring ``_ / = . -``:
see :func:`lookup`.

Setting a value by name validates it (type, finiteness, simple range) and
raises :class:`~legacy_wrap.errors.InputError` naming the parameter, its unit
and the allowed range.  The arrays themselves (``params.fd`` ...) may be
modified in place; :meth:`Params.check` re-validates everything.
"""

from __future__ import annotations

import math
import numbers
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from ..errors import InputError

__all__ = [
    "ParamInfo", "PARAMETERS", "FD_PARAMS", "ID_PARAMS", "LD_PARAMS",
    "lookup", "names", "validate_value", "Params",
    "MAXN1", "MAXN2", "MAXN3", "MAXN4", "MAXNH", "NFD", "NID", "NLD", "NPORB",
    "PORB_NAMES",
]

# --------------------------------------------------------------------------- limits

NFD, NID, NLD, NPORB = 64, 20, 20, 30
#: Compile-time array limits of KRC 3.6.5 (formats 1.6).
MAXN1, MAXN2, MAXN3, MAXN4, MAXNH = 1000, 393216, 16, 37, 86400
INF = math.inf



def memory_limit() -> int:
    """Bytes of physical memory of this machine: the bound of a run's output arrays."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return 16 << 30


def _bytes(n: int) -> str:
    for unit, size in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"

# --------------------------------------------------------------------------- the table

# (index, attribute, KRC name, master.inp label, unit, meaning, master.inp default,
#  range (lo, hi, lo_open, hi_open) or None, extra aliases)
_FD_ROWS: list[tuple] = [
    (1, "alb", "ALB", "ALBEDO", "-", "surface albedo", 0.25, (0, 1, False, False), ()),
    (2, "emis", "EMIS", "EMISS", "-", "surface emissivity", 1.00, (0, 1, True, False), ()),
    (3, "inertia", "SKRC", "INERTIA", "J m-2 s-1/2 K-1", "thermal inertia of the upper material",
     200.0, (0, INF, True, False), ()),
    (4, "cond2", "COND2", "COND2", "W m-1 K-1", "conductivity of the lower material", 2.77,
     (0, INF, True, False), ()),
    (5, "dens2", "DENS2", "DENS2", "kg m-3", "density of the lower material", 928.0,
     (0, INF, True, False), ()),
    (6, "period", "PERIOD", "PERIOD", "days", "length of the solar day (sol)", 1.0275,
     (0, INF, True, False), ()),
    (7, "spht", "SPHT", "SPEC_HEAT", "J kg-1 K-1", "specific heat of the upper material", 647.0,
     (0, INF, True, False), ()),
    (8, "dens", "DENS", "DENSITY", "kg m-3", "density of the upper material", 1600.0,
     (0, INF, True, False), ()),
    (9, "cabr", "CABR", "CABR", "-", "IR opacity of the dust-free atmosphere at PTOTAL", 0.11,
     (0, INF, False, False), ()),
    (10, "amw", "AMW", "AMW", "g mol-1", "molecular weight of the atmosphere", 43.5,
     (0, INF, True, False), ()),
    (11, "abrpha", "ABRPHA", "SatPrA", "-", "coefficient a of ln P[Pa] = a - b/T", 27.9546, None, ()),
    (12, "ptotal", "PTOTAL", "PTOTAL", "Pa",
     "global annual-mean surface pressure at zero elevation (<= 1 Pa: no atmosphere)", 546.0,
     (0, INF, False, False), ()),
    (13, "fanon", "FANON", "FANON", "-", "non-condensing mass fraction of the atmosphere", 0.055,
     (0, 1, False, False), ()),
    (14, "tatm", "TATM", "TATM", "K", "atmosphere temperature for the scale height", 200.0,
     (0, INF, True, False), ()),
    (15, "tdeep", "TDEEP", "TDEEP", "K", "fixed deep temperature (IIB = -1, -2)", 180.0,
     (0, INF, False, False), ()),
    (16, "spht2", "SPHT2", "SpHeat2", "J kg-1 K-1", "specific heat of the lower material", 1711.0,
     (0, INF, True, False), ()),
    (17, "taud", "TAUD", "TAUD", "-", "visible dust opacity (< 0 is reset to 0)", 0.3, None, ()),
    (18, "dusta", "DUSTA", "DUSTA", "-", "dust single-scattering albedo", 0.90,
     (0, 1, False, False), ()),
    (19, "taurat", "TAURAT", "TAURAT", "-", "thermal-IR to visible dust opacity ratio", 0.25,
     (0, INF, False, False), ()),
    (20, "twili", "TWILI", "TWILI", "deg", "twilight extension angle", 0.0, None, ()),
    (21, "arc2", "ARC2", "ARC2_G0", "-", "Henyey-Greenstein asymmetry factor of dust", 0.5, None,
     ("ARC2/PHT", "HenyGren")),
    (22, "arc3", "ARC3", "ARC3_Safe", "-", "minimum acceptable numerical stability factor", 0.801,
     None, ()),
    (23, "slope", "SLOPE", "SLOPE", "deg", "regional slope from horizontal", 0.0,
     (0, 90, False, False), ()),
    (24, "sloazi", "SLOAZI", "SLOAZI", "deg east of north",
     "azimuth of the down-slope direction (< -360: pit)", 90.0, None, ()),
    (25, "tfrost", "TFROST", "TFROST", "K", "frost saturation temperature", 146.0,
     (0, INF, True, False), ()),
    (26, "cfrost", "CFROST", "CFROST", "J kg-1", "latent heat of the frost", 589944.0,
     (0, INF, False, False), ()),
    (27, "afrost", "AFROST", "AFROST", "-", "frost albedo (unless LVFA)", 0.65, (0, 1, False, False), ()),
    (28, "femis", "FEMIS", "FEMIS", "-", "frost emissivity", 0.95, (0, 1, True, False), ()),
    (29, "af1", "AF1", "AF1", "-", "frost albedo, constant term (LVFA)", 0.54, None, ()),
    (30, "af2", "AF2", "AF2", "(W m-2)-1", "frost albedo, slope term (LVFA)", 0.0009, None, ()),
    (31, "froext", "FROEXT", "FROEXT", "kg m-2", "frost column of unit scattering attenuation",
     50.0, None, ()),
    (32, "fd32", "FD32", "SatPrB", "K", "coefficient b of ln P[Pa] = a - b/T", 3182.48, None, ()),
    (33, "rlay", "RLAY", "RLAY", "-", "thickness ratio of successive layers", 1.15,
     (0, INF, True, False), ()),
    (34, "flay", "FLAY", "FLAY", "diurnal skin depths", "thickness of the first physical layer",
     0.10, (0, INF, True, False), ()),
    (35, "convf", "CONVF", "CONVF", "-", "safety factor for time doubling (0: none)", 3.0,
     (0, INF, False, False), ()),
    (36, "depth", "DEPTH", "DEPTH", "skin depths", "total model depth (non-zero overrides FLAY)",
     0.0, (0, INF, False, False), ()),
    (37, "drset", "DRSET", "DRSET", "-", "deep-layer reset perturbation (reset to 0)", 0.0, None, ()),
    (38, "phog", "PHOG", "PhotoFunc", "-", "photometric law selector", 0.0, None,
     ("PhotF", "PhotoF")),
    (39, "ggt", "GGT", "GGT", "K", "convergence tolerance of the surface iteration", 0.1,
     (0, INF, True, False), ()),
    (40, "dtmax", "DTMAX", "DTMAX", "K", "convergence limit of the RMS daily layer change", 0.1,
     (0, INF, False, False), ()),
    (41, "djul", "DJUL", "DJUL", "days from J2000.0", "date of season 1 (LKEY: Ls of season JDISK)",
     -1222.69, None, ()),
    (42, "deljul", "DELJUL", "DELJUL", "days", "interval between successive seasons", 17.174822,
     None, ()),
    (43, "sdec", "SDEC", "SOLARDEC", "deg", "sub-solar latitude (used when LPORB is false)", 0.0,
     (-90, 90, False, False), ()),
    (44, "dau", "DAU", "DAU", "AU", "heliocentric distance (used when LPORB is false)", 1.465,
     (0, INF, True, False), ()),
    (45, "subs", "SUBS", "LsubS", "deg", "season longitude Ls (computed when LPORB)", 0.0, None,
     ("L_S",)),
    (46, "solcon", "SOLCON", "SOLCON", "W m-2", "solar irradiance at 1 AU", 1368.0,
     (0, INF, False, False), ()),
    (47, "grav", "GRAV", "GRAV", "m s-2", "surface gravity", 3.727, (0, INF, False, False), ()),
    (48, "atmcp", "ATMCP", "Atm_Cp", "J kg-1 K-1", "atmosphere specific heat at constant pressure",
     735.9, (0, INF, False, False), ()),
]
_COEF = [
    ("ccku", "CCKU", "ConUp", "W m-1 K-1", "upper-material conductivity",
     (0.038640, -0.002145, 0.002347, -0.000750)),
    ("cckl", "CCKL", "ConLo", "W m-1 K-1", "lower-material conductivity",
     (2.766722, -1.298966, 0.629224, -0.527291)),
    ("ccpu", "CCPU", "SphUp", "J kg-1 K-1", "upper-material specific heat",
     (646.6275, 246.6678, -49.8216, 7.9520)),
    ("ccpl", "CCPL", "SphLo", "J kg-1 K-1", "lower-material specific heat",
     (1710.648, 721.8740, 57.44873, 24.37532)),
]
for _g, (_attr, _krc, _lab, _unit, _what, _vals) in enumerate(_COEF):
    for _k in range(4):
        _FD_ROWS.append((49 + 4 * _g + _k, f"{_attr}{_k + 1}", f"{_krc}({_k + 1})", f"{_lab}{_k}",
                         _unit, f"{_what}, coefficient of x^{_k}, x = (T - 220 K)/100 (LKofT)",
                         _vals[_k], None, ()))

_ID_ROWS: list[tuple] = [
    (1, "n1", "N1", "N1", "-", "number of layers, counting the virtual top layer", 28,
     (2, MAXN1, False, False), ()),
    (2, "n2", "N2", "N2", "-", "time steps per sol", 1536, (32, MAXN2, False, False), ()),
    (3, "n3", "N3", "N3", "-", "maximum days iterated per season", 15,
     (1, MAXN3 - 1, False, False), ()),
    (4, "n4", "N4", "N4", "-", "number of latitudes", 19, (1, MAXN4, False, False), ()),
    (5, "n5", "N5", "N5", "-", "number of seasons in the run", 120, (1, INF, False, False), ()),
    (6, "n24", "N24", "N24", "-", "stored hours per sol", 48, (2, MAXNH, False, False), ()),
    (7, "iib", "IIB", "IIB", "mW m-2 if > 0",
     "lower boundary: 0 insulating, -1 constant T, -2 start at TDEEP, > 0 heat flow", 0, None, ()),
    (8, "ic2", "IC2", "IC2", "-", "first layer of the lower material (< 3 or 999: homogeneous)",
     999, None, ()),
    (9, "nrset", "NRSET", "NRSET", "days", "days before deep layers are reset", 3, None, ()),
    (10, "nmha", "NMHA", "NMHA", "-", "hour angles per sol in the hourly print", 24, None, ()),
    (11, "nrun", "NRUN", "NRUN", "-", "run counter", 0, None, ()),
    (12, "jdisk", "JDISK", "JDISK", "-", "first season written to output files (<= 0: never)", 81,
     None, ()),
    (13, "idown", "IDOWN", "IDOWN", "-", "season at whose start more change lines are read", 0,
     None, ()),
    (14, "i14", "I14", "FlxP14", "-", "FD index of a value shown on page headings", 45, None, ()),
    (15, "i15", "I15", "TUN_Flx15", "-", "FD index of a second heading value (> 100: fort.77)", 65,
     None, ()),
    (16, "kpref", "KPREF", "KPREF", "-", "pressure model: 0 constant, 1 Viking, 2 frost budget", 1,
     (0, 2, False, False), ()),
    (17, "k4out", "K4OUT", "K4OUT", "-", "direct-access output content", 52, None, ()),
    (18, "jbare", "JBARE", "JBARE", "-", "season at whose end all frost is removed (0: never)", 0,
     None, ()),
    (19, "nmod", "NMOD", "Notif", "-", "season interval of progress messages (< 1 reset to 1)", 50,
     None, ()),
    (20, "idisk2", "IDISK2", "IDISK2", "-", "records below this count get a 'wrote' line", 0,
     None, ()),
]

_LD_ROWS: list[tuple] = [
    (1, "lp1", "LP1", "LP1", "print program description (obsolete)", False, ()),
    (2, "lp2", "LP2", "LP2", "print parameter echo and layer table", True, ()),
    (3, "lp3", "LP3", "LP3", "print hourly table", False, ()),
    (4, "lp4", "LP4", "LP4", "print daily convergence table", False, ()),
    (5, "lp5", "LP5", "LP5", "print latitude summary every season", False, ()),
    (6, "lp6", "LP6", "LP6", "print layer max/min tables every season", False, ()),
    (7, "lpglob", "LPGLOB", "LPGLOB", "print global mean frost every season", False, ()),
    (8, "lvfa", "LVFA", "LVFA", "variable frost albedo from AF1/AF2", False, ()),
    (9, "lvft", "LVFT", "LVFT", "variable frost temperature", False, ()),
    (10, "lkoft", "LKOFT", "LKofT", "temperature-dependent conductivity and specific heat", False, ()),
    (11, "lporb", "LPORB", "LPORB", "PORB block present; geometry from it", True, ()),
    (12, "lkey", "LKEY", "LKEY", "DJUL is the Ls of season JDISK", False, ()),
    (13, "lsc", "LSC", "LSC", "read a change list at the start of every season", False, ()),
    (14, "lzone", "LZONE", "LZONE", "zone table in use", False, ()),
    (15, "local", "LOCAL", "LOCAL", "layer thickness scaled by its own diffusivity", True, ()),
    (16, "ld16", "LD16", "Prt76", "hourly text table per latitude to fort.76", False, ()),
    (17, "ld17", "LD17", "LPTAVE", "print layer-average temperatures at deep resets", False, ()),
    (18, "ld18", "LD18", "Prt78", "internal 'inputs changed' flag", False, ("Prt.78",)),
    (19, "ld19", "LD19", "Prt79", "debug dump of radiation arrays", False, ("Prt.79",)),
    (20, "lone", "LONE", "L_ONE", "one-point mode active", False, ()),
]

#: Names of the 30 PORB values (formats 4.1).
PORB_NAMES: tuple[str, ...] = (
    "PLANUM", "TC", "RODE", "CLIN", "ARGP", "XECC", "SJA", "EOBL", "SFLAG", "ZBAA",
    "ZBAB", "WDOT", "W0", "OPERIOD", "TJP", "SIDAY", "PORB17", "TAV", "BLIP", "PBUG",
    "PORB21", "BFRM1", "BFRM2", "BFRM3", "BFRM4", "BFRM5", "BFRM6", "BFRM7", "BFRM8", "BFRM9",
)


@dataclass(frozen=True)
class ParamInfo:
    """One deck input: where it lives (``kind``, 1-based ``index``) and what it means."""

    kind: str          #: "FD", "ID" or "LD"
    index: int         #: KRC index, 1-based
    attr: str          #: Python attribute name
    krc_name: str      #: KRC's internal name
    label: str         #: label in master.inp
    unit: str
    meaning: str
    default: float | int | bool  #: value in master.inp
    range: tuple[float, float, bool, bool] | None  #: (lo, hi, lo_open, hi_open)
    aliases: tuple[str, ...] = ()

    @property
    def slot(self) -> int:
        """0-based position in the ``fd``/``id``/``ld`` array."""
        return self.index - 1

    def describe_range(self) -> str:
        if self.range is None:
            return "any finite value"
        lo, hi, lo_open, hi_open = self.range
        if hi == INF:
            return f"{'>' if lo_open else '>='} {lo:g}"
        return f"{'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"

    def where(self) -> str:
        """``"INERTIA, FD 3, unit J m-2 s-1/2 K-1"``: label, array slot and unit."""
        unit = "" if self.unit in ("-", "") else f", unit {self.unit}"
        return f"{self.label}, {self.kind} {self.index}{unit}"


FD_PARAMS: tuple[ParamInfo, ...] = tuple(
    ParamInfo("FD", i, a, k, lab, u, m, float(d), r, al) for (i, a, k, lab, u, m, d, r, al) in _FD_ROWS)
ID_PARAMS: tuple[ParamInfo, ...] = tuple(
    ParamInfo("ID", i, a, k, lab, u, m, int(d), r, al) for (i, a, k, lab, u, m, d, r, al) in _ID_ROWS)
LD_PARAMS: tuple[ParamInfo, ...] = tuple(
    ParamInfo("LD", i, a, k, lab, "-", m, bool(d), None, al) for (i, a, k, lab, m, d, al) in _LD_ROWS)
#: ID 24 (ID24: direct-access word size, 4 or 8); the only computed integer a change line may set.
ID24 = ParamInfo("ID", 24, "id24", "ID24", "ID24", "-", "direct-access word size (4: float32, else 8)",
                 8, None, ("ID24==",))
#: Every deck input, in FD, ID, LD order.
PARAMETERS: tuple[ParamInfo, ...] = FD_PARAMS + ID_PARAMS + LD_PARAMS

assert [p.index for p in FD_PARAMS] == list(range(1, NFD + 1))
assert [p.index for p in ID_PARAMS] == list(range(1, NID + 1))
assert [p.index for p in LD_PARAMS] == list(range(1, NLD + 1))

# Report labels of KRC's print file (formats 2.2) and other spellings seen in decks.
_EXTRA_ALIASES = {
    "alb": ("ALBEDO",), "spht": ("SPECHEAT", "SpecHeat"), "abrpha": ("SatPrA",),
    "ptotal": ("Ptotal",), "arc3": ("ARC3=safe",), "sdec": ("SolarDec",), "i14": ("FlxP14",),
    "i15": ("TUN/Flx15",), "nmod": ("Notif",), "ld17": ("LPTAVE",), "lone": ("L_ONE",),
}


def _norm(name: str) -> str:
    return re.sub(r"[\s_/=.\-]", "", name).lower()


def _build_index() -> dict[str, ParamInfo]:
    index: dict[str, ParamInfo] = {}
    for info in PARAMETERS + (ID24,):
        keys = {info.attr, info.krc_name, info.label, *info.aliases,
                *_EXTRA_ALIASES.get(info.attr, ())}
        if info.kind == "FD" and info.index > 48:   # CCKU(1) -> ccku1 too
            keys.add(info.krc_name.replace("(", "").replace(")", ""))
        for key in keys:
            k = _norm(key)
            other = index.setdefault(k, info)
            assert other is info, f"parameter alias {key!r} is ambiguous"
    return index


_INDEX = _build_index()
_BY_ATTR = {p.attr: p for p in PARAMETERS}


def lookup(name: str) -> ParamInfo:
    """Find a parameter by attribute name, KRC name or any deck/print label.

    Case-insensitive; blanks and ``_ / = . -`` are ignored (``"SPEC_HEAT"``,
    ``"spht"``, ``"TUN/Flx15"``, ``"ConUp0"`` and ``"ccku1"`` all work).
    Raises :class:`KeyError` for an unknown name.
    """
    if not isinstance(name, str):
        raise KeyError(name)
    info = _INDEX.get(_norm(name))
    if info is None:
        import difflib
        close = difflib.get_close_matches(_norm(name), list(_INDEX), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown KRC parameter {name!r}{hint}")
    return info


def names(kind: str | None = None) -> list[str]:
    """Attribute names of all parameters, or of one kind ("FD", "ID", "LD")."""
    return [p.attr for p in PARAMETERS if kind is None or p.kind == kind]


# --------------------------------------------------------------------------- validation

_INT32 = (-2**31, 2**31 - 1)


def _is_real(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))


def validate_value(info: ParamInfo, value: Any) -> float | int | bool:
    """Check type, finiteness and range of one value; return it as float/int/bool.

    Raises :class:`InputError` naming the parameter, its unit and the allowed range.
    """
    if info.kind == "LD":
        if not isinstance(value, (bool, np.bool_)):
            raise InputError(f"{info.attr} ({info.label}, LD {info.index}) must be True or False, "
                             f"got {value!r} ({type(value).__name__})")
        return bool(value)
    if info.kind == "ID":
        if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
            raise InputError(f"{info.attr} ({info.where()}) must be an integer, "
                             f"got {value!r} ({type(value).__name__})")
        v: float | int = int(value)
        if not _INT32[0] <= v <= _INT32[1]:
            raise InputError(f"{info.attr} ({info.where()}) = {v} does not fit a 32-bit integer")
    else:
        if not _is_real(value):
            raise InputError(f"{info.attr} ({info.where()}) must be a number, "
                             f"got {value!r} ({type(value).__name__})")
        v = float(value)
        if not math.isfinite(v):
            raise InputError(f"{info.attr} ({info.where()}) must be finite, got {v!r}")
    if info.range is not None:
        lo, hi, lo_open, hi_open = info.range
        bad = (v < lo or v > hi or (lo_open and v == lo) or (hi_open and v == hi))
        if bad:
            raise InputError(f"{info.attr} ({info.where()}) = {v!r} is out of range: "
                             f"allowed {info.describe_range()}")
    return v


def _float_array(name: str, value: Any, shape: tuple[int, ...] | None,
                 finite: bool = True) -> np.ndarray:
    raw = np.asarray(value)
    if raw.dtype.kind not in "fiu":
        raise InputError(f"{name} must hold numbers, got {value!r:.60}")
    arr = raw.astype(np.float64)
    if shape is not None and arr.shape != shape:
        raise InputError(f"{name} must have shape {shape}, got {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise InputError(f"{name} must be finite (no NaN or infinity)")
    return arr


# --------------------------------------------------------------------------- reference data

#: master.inp case 1 (typed from the deck).
_MARS_TITLE = "Version 356 default values.  19 latitudes with mean Mars zonal elevations"
_MARS_LAT = (-87.5, -80.0, -70.0, -60.0, -50.0, -40.0, -30.0, -20.0, -10.0, 0.0,
             10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 87.5)
_MARS_ELEV = (3.51, 2.01, 1.39, 1.22, 0.38, 0.48, 1.17, 1.67, 1.26, 0.17,
              -0.94, -1.28, -1.99, -2.51, -3.52, -4.08, -4.51, -4.38, -2.57)
_MARS_PORB = (
    104.0000, 0.1000000, 0.8644665, 0.3226901E-01, -1.281586,
    0.9340198E-01, 1.523712, 0.4090926, 0.000000, 0.9229373,
    5.544402, 0.000000, 0.000000, 686.9929, 3397.977,
    24.62296, 0.000000, -1.240317, 0.000000, 0.000000,
    0.000000, 0.3244965, 0.8559126, 0.4026359, -0.9458869,
    0.2936298, 0.1381285, 0.000000, -0.4256703, 0.9048783,
)

#: MoonA.inp case 1 (its case-1 change lines leave the parameters unchanged:
#: ``2 2 1536`` repeats N2, ``8 5`` and ``16 3`` are output requests).
_MOON_TITLE = "Earth and Moon lunar eclipse  5 lats"
#: built-in title -> (what it is, its latitude count): Params.replace() retitles on N4 changes
_DEFAULT_TITLES = {_MARS_TITLE: ("Mars defaults (master.inp case 1)", 19),
                   _MOON_TITLE: ("Moon defaults (MoonA.inp case 1)", 5)}
_MOON_CHANGES: dict[str, float | int | bool] = {
    "alb": 0.12, "emis": 0.95, "inertia": 55.0, "cond2": 0.070, "dens2": 1800.0, "period": 29.53,
    "spht": 800.0, "dens": 1100.0, "ptotal": 0.001, "spht2": 800.0, "sloazi": 45.0,
    "djul": 7305.00, "deljul": 35.511810,
    "ccku1": 0.0023471, "ccku2": 0.0012847, "ccku3": 5.8396e-4, "ccku4": 8.8478e-5,
    "cckl1": 0.0045689, "cckl2": 0.0025008, "cckl3": 0.0011367, "cckl4": 0.0001722,
    "ccpu1": 790.701, "ccpu2": 578.508, "ccpu3": 208.610, "ccpu4": 66.0619,
    "ccpl1": 790.701, "ccpl2": 578.508, "ccpl3": 208.610, "ccpl4": 66.0619,
    "n1": 22, "n5": 20, "n24": 96, "jdisk": 18, "k4out": -3, "jbare": 9999, "nmod": 5,
}
_MOON_LAT = (-60.0, -30.0, 0.0, 30.0, 60.0)
_MOON_ELEV = (0.0, 0.0, 0.0, 0.0, 0.0)
_MOON_PORB = (
    103.0000, 0.2000000, 0.000000, -0.4545965E-04, 1.797730,
    0.1670245E-01, 1.000004, 0.4090926, 0.000000, 1.161374,
    4.712311, 0.000000, 0.000000, 365.2584, 6942.444,
    655.7199, 0.000000, 1.261200, 0.3769714E-03, 0.000000,
    0.000000, 0.3046746, -0.9524564, -0.3590488E-03, 0.9524565,
    0.3046746, 0.1148536E-03, -0.000000, -0.3769713E-03, 0.9999999,
)

#: Params.for_body: what makes a Mars parameter set an airless one.
_AIRLESS_CHANGES: dict[str, float | int | bool] = {
    "ptotal": 0.001, "taud": 0.0, "kpref": 0, "alb": 0.10, "emis": 0.95, "djul": 0.0,
}
_BODY_LAT = (-60.0, -30.0, 0.0, 30.0, 60.0)

# --------------------------------------------------------------------------- Params

_FIELD_NAMES = ("fd", "id", "ld", "latitudes", "elevations", "title", "porb", "zone_table", "id24")


@dataclass(eq=False, repr=False)
class Params:
    """One complete set of KRC inputs (what a deck defines for one case).

    Fields hold KRC's arrays (0-based numpy: ``fd[2]`` is FD(3) INERTIA);
    every parameter is also an attribute by name (``params.inertia``,
    ``params.n2``, ``params.lporb``) and an item (``params["SPEC_HEAT"]``).
    Setting by name or setting a field validates the value.

    * ``latitudes``/``elevations``: N4 values each (deg, km); setting
      ``latitudes`` sets N4.  Change both at once with :meth:`set_latitudes`
      or :meth:`replace`.
    * ``porb``: the 30 PORB numbers (formats 4.1) or None; ignored when LPORB
      is false.
    * ``zone_table``: rows (thickness m, density, conductivity, specific heat)
      of a zone table (formats 1.12) or None; used when LZONE is true.
    * ``id24``: ID(24), the direct-access word size (set by ``2 24 ...``).
    """

    fd: np.ndarray
    id: np.ndarray
    ld: np.ndarray
    latitudes: np.ndarray
    elevations: np.ndarray
    title: str = ""
    porb: np.ndarray | None = None
    zone_table: np.ndarray | None = None
    id24: int = 8

    # ---- construction -------------------------------------------------------------
    def __post_init__(self) -> None:
        object.__setattr__(self, "_ready", True)
        self._check_lengths()

    @classmethod
    def mars(cls) -> Params:
        """The parameters of ``master.inp`` case 1 (Mars, 19 latitudes, 546 Pa)."""
        return cls(
            fd=np.array([p.default for p in FD_PARAMS], dtype=np.float64),
            id=np.array([p.default for p in ID_PARAMS], dtype=np.int64),
            ld=np.array([p.default for p in LD_PARAMS], dtype=bool),
            latitudes=np.array(_MARS_LAT), elevations=np.array(_MARS_ELEV),
            title=_MARS_TITLE, porb=np.array(_MARS_PORB))

    @classmethod
    def moon(cls) -> Params:
        """The parameters of ``MoonA.inp`` case 1 (airless Moon, 5 latitudes)."""
        p = cls.mars()
        p.set_latitudes(_MOON_LAT, _MOON_ELEV)
        for key, val in _MOON_CHANGES.items():
            setattr(p, key, val)
        p.title = _MOON_TITLE
        p.porb = np.array(_MOON_PORB)
        return p

    @classmethod
    def for_body(cls, name: str, *, epoch: float | None = None, table: str | int | None = None,
                 latitudes: Any = None, elevations: Any = None, **changes: Any) -> Params:
        """A complete, runnable parameter set for any body :func:`~legacy_wrap.krc.porb` knows.

        PORB is the body's block (``porb(name, epoch, table=table).values``),
        PERIOD its solar day, the seasons (DELJUL) 40 per orbit over three orbits
        (N5 120, output from JDISK 81), the title names the body.  Mars keeps the
        atmosphere and every other value of :meth:`mars`; any other body is
        airless (PTOTAL 0.001 Pa, no dust, constant pressure) with generic
        regolith (albedo 0.10, emissivity 0.95, the Mars defaults' inertia and
        materials) at latitudes -60, -30, 0, 30, 60 (elevations 0).
        ``latitudes``/``elevations`` and any parameter by name (``changes``,
        as :meth:`replace`) override these.
        """
        from .porb import porb

        orbit = porb(name, epoch, table=table)
        p = cls.mars()
        p.porb = orbit.values.copy()
        if (orbit.source, orbit.item, orbit.title) != (1, 4, "Mars:Mars"):
            p.set_latitudes(_BODY_LAT, None)
            for key, val in _AIRLESS_CHANGES.items():
                setattr(p, key, val)
            if "period" not in changes and "PERIOD" not in changes:
                p.period = orbit.solar_day
        p.deljul = orbit.period / 40.0
        p.title = (f"{orbit.title} from legacy_wrap porb (table {orbit.source} item "
                   f"{orbit.item}, TC {orbit.epoch:g})")[:80]
        if latitudes is not None or elevations is not None:
            p.set_latitudes(p.latitudes if latitudes is None else latitudes, elevations)
        return p.replace(**changes) if changes else p

    def copy(self) -> Params:
        """An independent copy (arrays copied, nothing re-validated)."""
        new = object.__new__(Params)
        for name in _FIELD_NAMES:
            val = getattr(self, name)
            object.__setattr__(new, name, val.copy() if isinstance(val, np.ndarray) else val)
        object.__setattr__(new, "_ready", True)
        return new

    __copy__ = copy

    def __deepcopy__(self, memo: dict) -> Params:
        return self.copy()

    def replace(self, **changes: Any) -> Params:
        """A copy with some values changed, by any parameter name or field name.

        ``latitudes`` and ``elevations`` given together may change N4.
        Raises :class:`InputError` for an unknown name or an invalid value.
        """
        p = self.copy()
        lat = changes.pop("latitudes", None)
        elev = changes.pop("elevations", None)
        _refuse_ineffective(p, changes)
        if lat is not None or elev is not None:
            p.set_latitudes(p.latitudes if lat is None else lat,
                            p.elevations if elev is None else elev)
            # the built-in titles name their latitude count: do not carry a wrong one
            if "title" not in changes and p.title in _DEFAULT_TITLES \
                    and p.latitudes.size != _DEFAULT_TITLES[p.title][1]:
                p.title = f"{_DEFAULT_TITLES[p.title][0]}, {p.latitudes.size} latitudes"
        for key, val in changes.items():
            if key in _FIELD_NAMES:
                setattr(p, key, val)
                continue
            try:
                info = lookup(key)
            except KeyError as exc:
                raise InputError(str(exc.args[0])) from None
            p[info.attr] = val
        return p

    def at_ls(self, ls: float, season: int | None = None) -> Params:
        """A copy whose season ``season`` (default: JDISK, the first stored
        season) falls at Ls ``ls`` degrees: KRC's LKEY, with DJUL set to the
        date it implies (krc-onepoint.md 8.1).  Needs the PORB block; seasons
        keep their DELJUL spacing.  ``run(p.at_ls(90))`` gives the same bits
        as the same case with LKEY true and DJUL 90."""
        if self.porb is None or not self.lporb:
            raise InputError("at_ls(): the date of an Ls comes from the orbit; these parameters "
                             "have no PORB block (lporb=False)")
        try:
            ls_value = float(ls)
        except (TypeError, ValueError):
            raise InputError(f"at_ls(): ls must be a number of degrees, got {ls!r}") from None
        if not math.isfinite(ls_value):
            raise InputError(f"at_ls(): ls must be finite, got {ls!r}")
        n = int(self.jdisk) if season is None else season
        if not isinstance(n, numbers.Integral) or not 1 <= int(n) <= int(self.n5):
            raise InputError(f"at_ls(): season must be an integer in 1..N5 = {int(self.n5)}, "
                             f"got {season!r}")
        from .model import _core   # the orbit inverse is the Fortran core's

        t = float(_core().krc_ls_date(np.asarray(self.porb, dtype=np.float64), ls_value))
        return self.replace(djul=t - float(int(n) - 1) * float(self.deljul), lkey=False)

    def set_latitudes(self, latitudes: Any, elevations: Any = None) -> None:
        """Set latitudes (deg) and elevations (km; None = all 0) together; N4 follows."""
        lat = self._coerce_lat("latitudes", latitudes)
        elev = np.zeros_like(lat) if elevations is None else _float_array(
            "elevations", elevations, None).reshape(-1)
        if elev.shape != lat.shape:
            raise InputError(f"elevations has {elev.size} values but latitudes has {lat.size}: "
                             "give one elevation (km) per latitude")
        object.__setattr__(self, "latitudes", lat)
        object.__setattr__(self, "elevations", elev)
        self.id[3] = lat.size

    # ---- attribute access ---------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in _FIELD_NAMES:
            raise AttributeError(name)
        try:
            info = lookup(name)
        except KeyError:
            raise AttributeError(f"'Params' object has no attribute or KRC parameter {name!r}") from None
        return self._get(info)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FIELD_NAMES:
            new = self._coerce_field(name, value)
            if self.__dict__.get("_ready"):
                if name == "latitudes":
                    self.set_latitudes(new, self.elevations)
                    return
                if name == "elevations" and new.size != self.latitudes.size:
                    raise InputError(f"elevations has {new.size} values but latitudes has "
                                     f"{self.latitudes.size}: give one elevation (km) per latitude")
                if name == "id" and int(new[3]) != self.latitudes.size:
                    raise InputError(f"N4 = {int(new[3])} does not match the "
                                     f"{self.latitudes.size} latitudes")
            object.__setattr__(self, name, new)
            return
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        try:
            info = lookup(name)
        except KeyError:
            raise AttributeError(f"'Params' object has no attribute or KRC parameter {name!r}") from None
        self._set(info, value)

    def __getitem__(self, name: str) -> Any:
        return self._get(lookup(name))

    def __setitem__(self, name: str, value: Any) -> None:
        self._set(lookup(name), value)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(names()))

    def _get(self, info: ParamInfo) -> float | int | bool:
        if info is ID24:
            return self.id24
        arr = {"FD": self.fd, "ID": self.id, "LD": self.ld}[info.kind]
        return {"FD": float, "ID": int, "LD": bool}[info.kind](arr[info.slot])

    def _set(self, info: ParamInfo, value: Any) -> None:
        v = validate_value(info, value)
        if info is ID24:
            object.__setattr__(self, "id24", int(v))
        elif info.kind == "FD":
            self.fd[info.slot] = v
        elif info.kind == "ID":
            if info.index == 4 and v != self.latitudes.size:
                raise InputError(f"n4 (N4) = {v} does not match the {self.latitudes.size} latitudes: "
                                 "set latitudes and elevations instead (N4 follows them)")
            self.id[info.slot] = v
        else:
            self.ld[info.slot] = v

    # ---- field coercion -----------------------------------------------------------
    @staticmethod
    def _coerce_lat(name: str, value: Any) -> np.ndarray:
        arr = _float_array(name, value, None).reshape(-1)
        if not 1 <= arr.size <= MAXN4:
            raise InputError(f"{name}: {arr.size} values given; N4 must be between 1 and {MAXN4}")
        if name == "latitudes" and np.any(np.abs(arr) > 90.0):
            bad = float(arr[np.abs(arr) > 90.0][0])
            raise InputError(f"latitudes must be in [-90, 90] deg, got {bad!r}")
        return arr

    def _coerce_field(self, name: str, value: Any) -> Any:
        if name == "fd":
            arr = _float_array("fd", value, (NFD,), finite=False)   # checked one by one
            for info in FD_PARAMS:
                validate_value(info, float(arr[info.slot]))
            return arr
        if name == "id":
            raw = np.asarray(value)
            if raw.shape != (NID,) or raw.dtype.kind not in "iu":
                raise InputError(f"id must be an integer array of shape ({NID},), "
                                 f"got {raw.dtype} {raw.shape}")
            for info in ID_PARAMS:
                validate_value(info, int(raw[info.slot]))
            return raw.astype(np.int64)
        if name == "ld":
            raw = np.asarray(value)
            if raw.shape != (NLD,) or raw.dtype != bool:
                raise InputError(f"ld must be a bool array of shape ({NLD},), got {raw.dtype} {raw.shape}")
            return raw.astype(bool)
        if name in ("latitudes", "elevations"):
            return self._coerce_lat(name, value)
        if name == "title":
            if not isinstance(value, str):
                raise InputError(f"title must be a str, got {type(value).__name__}")
            value = value.rstrip(" ")
            if len(value) > 84 or "\n" in value or "\r" in value:
                raise InputError("title must be one line of at most 84 characters")
            try:
                value.encode("latin-1")
            except UnicodeEncodeError:
                raise InputError("title must hold Latin-1 characters only") from None
            return value
        if name == "porb":
            return None if value is None else _float_array("porb", value, (NPORB,))
        if name == "zone_table":
            if value is None:
                return None
            arr = _float_array("zone_table", value, None)
            if arr.ndim != 2 or arr.shape[1] != 4:
                raise InputError(f"zone_table must have shape (n, 4), got {arr.shape}")
            return arr
        if name == "id24":
            return int(validate_value(ID24, value))
        raise AssertionError(name)  # pragma: no cover

    def _check_lengths(self) -> None:
        n = self.latitudes.size
        if self.elevations.size != n:
            raise InputError(f"elevations has {self.elevations.size} values but latitudes has {n}: "
                             "set both with set_latitudes(latitudes, elevations)")
        if int(self.id[3]) != n:
            raise InputError(f"N4 = {int(self.id[3])} does not match the {n} latitudes")

    # ---- checks -------------------------------------------------------------------
    def check(self) -> None:
        """Validate everything (arrays may have been edited in place); raise InputError."""
        for name in ("fd", "id", "ld", "latitudes", "elevations", "title", "porb",
                     "zone_table", "id24"):
            self._coerce_field(name, getattr(self, name))
        self._check_lengths()
        n2, n24 = int(self.id[1]), int(self.id[5])
        if n24 > 0 and n2 >= n24 and n2 % n24 != 0:   # (N2 < N24: refused by the core)
            k = n2 // n24
            raise InputError(f"N2 = {n2} time steps per sol is not a multiple of N24 = {n24} "
                             f"stored hours: the outputs would fall between time steps; use "
                             f"N2 = {k * n24} or {(k + 1) * n24}")
        if self.lporb and self.porb is None:
            raise InputError("LPORB is true but there is no PORB block (params.porb is None)")
        if self.lkey and not self.lporb:
            raise InputError("LKEY (DJUL given as Ls) needs the orbit of a PORB block: set "
                             "lporb=True with a porb block, or give DJUL as a date (lkey=False)")
        if self.lzone:
            z = self.zone_table
            if z is None:
                raise InputError("LZONE is true but there is no zone table (params.zone_table is None)")
            if len(z) < 3:
                raise InputError(f"zone_table has {len(z)} rows; at least 3 are required")
            for i, (thick, dens, cond, cp) in enumerate(z, start=1):
                if thick <= 0:
                    raise InputError(f"zone_table row {i}: thickness must be > 0 m, got {thick!r}")
                if not (dens > 0 or dens in (-1.0, -2.0)):
                    raise InputError(f"zone_table row {i}: density must be > 0 kg m-3 or -1/-2, "
                                     f"got {dens!r}")
                if cond < 0 and cp not in (1.0, 2.0, 3.0, 4.0):
                    raise InputError(f"zone_table row {i}: conductivity < 0 makes column 4 a "
                                     f"material pointer, which must be 1, 2, 3 or 4, got {cp!r}")
                if cond == 0 or (cond > 0 and cp <= 0):
                    raise InputError(f"zone_table row {i}: conductivity (W m-1 K-1) and specific "
                                     f"heat (J kg-1 K-1) must be > 0, got {cond!r}, {cp!r}")

    def check_sizes(self, layers: bool = False) -> None:
        """Refuse sizes whose output arrays cannot fit in this machine's memory.

        N5 (and through it NSOUT = N5 - JDISK + 1) has no upper bound in KRC;
        the outputs of a run take ``8 * N24 * (7 + (N1-1 if layers)) * N4 * NSOUT``
        bytes.  More than the machine's physical memory raises InputError
        naming N5 and its largest value here (instead of numpy's MemoryError).
        Called by ``run()`` and ``layer_table()`` (so by sweeps and the console
        script) before any work; :meth:`check` does not call it, because a large
        N5 is a valid parameter set to read, write and edit.
        """
        n24, n4, n5, jdisk, n1 = (int(self.id[5]), int(self.id[3]), int(self.id[4]),
                                  int(self.id[11]), int(self.id[0]))
        if jdisk < 1 or jdisk > n5:
            return                     # no output season: nothing is stored
        per_season = 8 * n24 * n4 * (7 + (max(n1 - 1, 0) if layers else 0))
        nsout = n5 - jdisk + 1
        limit = memory_limit()
        if per_season * nsout <= limit:
            return
        n5_max = jdisk - 1 + limit // per_season
        what = f"7 items{f' + {n1 - 1} layers' if layers else ''}"
        raise InputError(
            f"N5 = {n5} is too large: the run's outputs (N24 {n24} hours x {what} x N4 {n4} "
            f"latitudes x {nsout} output seasons x 8 bytes) need {_bytes(per_season * nsout)}, "
            f"more than this machine's {_bytes(limit)} of memory; with these N24, N4 and JDISK "
            f"= {jdisk}, N5 can be at most {n5_max} (lower N5, or raise JDISK to store fewer "
            "seasons)")

    def apply_krc_checks(self) -> list[str]:
        """Apply KRC's silent input resets (formats 1.10) in place; return the
        messages.  The rules are the Fortran deck reader's (``deck_checks``,
        the one implementation both deck programs use); a reset N4 pads the
        latitudes and elevations with 0."""
        from .. import _krcio

        fd = np.zeros(96, dtype=np.float64)
        fd[:64] = self.fd
        id_ = np.zeros(40, dtype=np.int32)
        id_[:20] = self.id
        fd, id_, nmsg, msgs = _krcio.krc_input_checks(fd, id_)
        self.fd[:] = fd[:64]
        n4_old = int(self.id[3])
        self.id[:] = id_[:20]
        n4 = int(self.id[3])
        if n4 != n4_old:
            lat, elev = np.zeros(n4), np.zeros(n4)
            k = min(n4, self.latitudes.size)
            lat[:k], elev[:k] = self.latitudes[:k], self.elevations[:k]
            object.__setattr__(self, "latitudes", lat)
            object.__setattr__(self, "elevations", elev)
        return [bytes(m).decode("latin-1").strip() if not isinstance(m, str) else m.strip()
                for m in msgs[:nmsg]]

    # ---- conveniences -------------------------------------------------------------
    @property
    def nsout(self) -> int:
        """Number of output seasons, N5 - JDISK + 1 (0 when JDISK <= 0 or > N5)."""
        jdisk = int(self.id[11])
        if jdisk <= 0:
            return 0
        return max(0, int(self.id[4]) - jdisk + 1)

    @property
    def airless(self) -> bool:
        """PTOTAL <= 1 Pa means no atmosphere (formats 1.5)."""
        return float(self.fd[11]) <= 1.0

    def to_dict(self) -> dict[str, float | int | bool]:
        """Every deck parameter by attribute name (plus id24)."""
        out = {p.attr: self._get(p) for p in PARAMETERS}
        out["id24"] = self.id24
        return out

    def items(self) -> Iterator[tuple[str, float | int | bool]]:
        return iter(self.to_dict().items())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Params):
            return NotImplemented

        def same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
            if a is None or b is None:
                return a is None and b is None
            return a.shape == b.shape and bool(np.array_equal(a, b))

        return (self.title == other.title and self.id24 == other.id24
                and all(same(getattr(self, f), getattr(other, f))
                        for f in ("fd", "id", "ld", "latitudes", "elevations", "porb", "zone_table")))

    __hash__ = None  # type: ignore[assignment]

    def diff(self, other: Params) -> list[str]:
        """Human-readable differences to ``other`` (empty when equal)."""
        out = []
        for p in PARAMETERS:
            a, b = self._get(p), other._get(p)
            if a != b:
                out.append(f"{p.attr}: {a!r} != {b!r}")
        for f in ("title", "id24"):
            if getattr(self, f) != getattr(other, f):
                out.append(f"{f}: {getattr(self, f)!r} != {getattr(other, f)!r}")
        for f in ("latitudes", "elevations", "porb", "zone_table"):
            a, b = getattr(self, f), getattr(other, f)
            if (a is None) != (b is None) or (a is not None and not (
                    a.shape == b.shape and np.array_equal(a, b))):
                out.append(f"{f} differ")
        return out

    def __repr__(self) -> str:
        lat = self.latitudes
        keys = ("alb", "emis", "inertia", "ptotal", "period", "n1", "n2", "n5", "n24", "jdisk",
                "lporb", "lzone")
        vals = ", ".join(f"{k}={self[k]!r}" for k in keys)
        return (f"Params(title={self.title!r}, N4={lat.size} latitudes "
                f"[{lat.min():g}..{lat.max():g}], {vals})")


# Sanity: the dataclass fields and the names used by __setattr__ agree.
assert tuple(f.name for f in fields(Params)) == _FIELD_NAMES


#: Inputs that the orbit overrides when LPORB is true (formats 4.2, 4.3).
_ORBIT_COMPUTED = {"sdec": "the sub-solar latitude", "dau": "the heliocentric distance",
                   "subs": "Ls"}


def _refuse_ineffective(p: Params, changes: dict[str, Any]) -> None:
    """Refuse a change that would be silently ignored: SDEC, DAU and Ls are
    computed from the orbit when LPORB is true, so setting them changes
    nothing (``p.replace(ls=90)`` used to pass)."""
    lporb = bool(changes.get("lporb", changes.get("LPORB", p.lporb)))
    if not lporb:
        return
    for key in changes:
        try:
            attr = lookup(key).attr
        except KeyError:
            continue
        if attr in _ORBIT_COMPUTED:
            what = _ORBIT_COMPUTED[attr]
            hint = ("For the temperature at an Ls use legacy_wrap.krc.point(params, ls=..., "
                    "latitude=..., hour=...); to put a season at an Ls use params.at_ls(ls, "
                    "season=...); to" if attr == "subs" else "To")
            raise InputError(
                f"{key}={changes[key]!r} would change nothing: with LPORB true {what} of every "
                f"season is computed from the orbit (PORB block). {hint} fix {what} yourself "
                "set lporb=False as well.")
