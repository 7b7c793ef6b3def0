"""Eclipses and the planetary heat load of a satellite (KRC change lines 14 and 15).

``Eclipse`` holds KRC's PARC(1..12), ``PlanetFlux`` its PARW(1..7), with names
and units (``../shared/spec/krc-eclipse.md`` section 1).  Both convert to and
from the plain arrays that ``read_deck`` puts into ``Case.eclipse`` /
``Case.planet_flux``, and ``run()`` accepts either form::

    case = read_deck("MoonA.inp")[3]
    run(case.params, eclipse=case.eclipse, planet_flux=case.planet_flux)
    run(params, eclipse=Eclipse(style=1, sun_distance_au=1.0, ...))

The checks here are the ones that need no model run (finite values, positive
sizes, the time factor of a rare eclipse); the geometry refusals of spec
section 7 (windows at midnight, latitudes without an eclipse, an unstable fine
grid, ...) come from the Fortran core before any time step.
"""

from __future__ import annotations

import math
from dataclasses import astuple, dataclass, fields
from typing import Any, Sequence

import numpy as np

from ..errors import InputError

__all__ = ["Eclipse", "PlanetFlux", "eclipse_style", "coerce_eclipse", "coerce_planet_flux",
           "fortran_g", "tfine_header", "parc_at_case_start"]

#: Largest rare-eclipse time factor K^2 (spec section 7).
MAX_TIME_FACTOR = 49


def eclipse_style(style: float) -> str:
    """``"daily"``, ``"rare"`` or ``"none"`` for a PARC(1) value (spec 1.3)."""
    if abs(style - 1.0) < 0.2:
        return "daily"
    if style >= 1.3:
        return "rare"
    return "none"


def _half_away(x: float) -> int:
    """Fortran NINT: round half away from zero."""
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


@dataclass(frozen=True)
class Eclipse:
    """An eclipse of the modelled body (KRC PARC(1..12), change line 14).

    ``style``: 0.8..1.2 a daily eclipse (every sol, every season); >= 1.3 a
    rare eclipse resolved on the last sol of the last season by a fine
    sub-simulation with K = nint(style) times finer layers and K^2 finer time
    steps (K <= 7); anything else no eclipse.
    """

    style: float                 #: PARC(1), see above
    sun_distance_au: float       #: PARC(2): Sun distance, AU (only for the Sun's angular size)
    occulter_radius_km: float    #: PARC(3): radius of the occulting body, km
    orbit_radius_km: float       #: PARC(4): distance between the two centres, km
    eclipsed_radius_km: float    #: PARC(5): radius of the eclipsed body, km
    synodic_period_days: float   #: PARC(6): mutual solar synodic period (one eclipse per period), days
    bias: float = 0.0            #: PARC(7): Sun line's closest approach, fraction of PARC(3), + = north
    base_option: float = 0.0     #: PARC(8) ("date"): only its sign: < 0 keeps the fine run's base node fixed
    central_hour: float = 12.0   #: PARC(9): local hour of mid-eclipse, h (0..24)
    debug: float = 0.0           #: PARC(10): < 0 switches the eclipse off (windows still computed)
    latitude_deg: float = 0.0    #: PARC(11): overwritten with each latitude by the model
    sol_days: float = 0.0        #: PARC(12): overwritten with PERIOD by the model

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
                raise InputError(f"Eclipse.{f.name} must be a number, got {v!r}")
            if not math.isfinite(float(v)):
                raise InputError(f"Eclipse.{f.name} must be finite, got {v!r}")
            object.__setattr__(self, f.name, float(v))
        if eclipse_style(self.style) == "none":
            return
        for name, label in (("sun_distance_au", "PARC(2) Sun distance"),
                            ("occulter_radius_km", "PARC(3) occulting-body radius"),
                            ("orbit_radius_km", "PARC(4) orbit radius"),
                            ("eclipsed_radius_km", "PARC(5) eclipsed-body radius"),
                            ("synodic_period_days", "PARC(6) synodic period")):
            if not getattr(self, name) > 0.0:
                raise InputError(f"Eclipse.{name} ({label}) must be > 0, got {getattr(self, name)}")
        if not 0.0 <= self.central_hour <= 24.0:
            raise InputError(f"Eclipse.central_hour (PARC(9)) must lie in 0..24 h, "
                             f"got {self.central_hour}")
        if eclipse_style(self.style) == "rare":
            k = _half_away(self.style)
            if k * k > MAX_TIME_FACTOR:
                raise InputError(f"Eclipse.style (PARC(1)) = {self.style}: the rare-eclipse time "
                                 f"factor K^2 = {k * k} exceeds {MAX_TIME_FACTOR}; use a style "
                                 "below 7.5")

    @property
    def kind(self) -> str:
        """``"daily"``, ``"rare"`` or ``"none"``."""
        return eclipse_style(self.style)

    def to_parc(self) -> np.ndarray:
        """PARC(1..12) as a float64 array."""
        return np.array(astuple(self), dtype=np.float64)

    @classmethod
    def from_parc(cls, parc: Any) -> "Eclipse":
        """From a PARC array of 10 to 12 numbers (e.g. ``Case.eclipse``)."""
        arr = np.asarray(parc, dtype=np.float64).ravel()
        if not 10 <= arr.size <= 12:
            raise InputError(f"an eclipse takes 10 to 12 PARC values, got {arr.size}")
        return cls(*[float(x) for x in arr])


@dataclass(frozen=True)
class PlanetFlux:
    """Heat load from the primary (KRC PARW(1..7), change line 15).

    On iff ``ir_mean > 0``.  Fluxes are at normal incidence; the load on the
    surface is scaled by the cosine between the surface normal and the
    direction of the primary (fixed in the sol frame, in the equatorial plane
    at local hour ``hour``).
    """

    ir_mean: float               #: PARW(1): mean IR flux, W m-2
    ir_amplitude: float = 0.0    #: PARW(2): amplitude of its variation over the orbit, W m-2
    ir_phase_deg: float = 0.0    #: PARW(3): orbital phase of the IR maximum, deg
    vis_mean: float = 0.0        #: PARW(4): mean reflected (visible) flux, W m-2
    vis_amplitude: float = 0.0   #: PARW(5): amplitude of its variation, W m-2
    vis_phase_deg: float = 0.0   #: PARW(6): phase of the visible maximum, deg
    hour: float = 12.0           #: PARW(7): local hour at which the primary faces the surface normal, h

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
                raise InputError(f"PlanetFlux.{f.name} must be a number, got {v!r}")
            if not math.isfinite(float(v)):
                raise InputError(f"PlanetFlux.{f.name} must be finite, got {v!r}")
            object.__setattr__(self, f.name, float(v))
        if self.ir_mean > 0.0 and not 0.0 <= self.hour <= 24.0:
            raise InputError(f"PlanetFlux.hour (PARW(7)) must lie in 0..24 h, got {self.hour}")

    @property
    def on(self) -> bool:
        """KRC applies the load only when PARW(1) > 0 (spec 1.3)."""
        return self.ir_mean > 0.0

    def to_parw(self) -> np.ndarray:
        """PARW(1..7) as a float64 array."""
        return np.array(astuple(self), dtype=np.float64)

    @classmethod
    def from_parw(cls, parw: Any) -> "PlanetFlux":
        """From a PARW array of 7 numbers (e.g. ``Case.planet_flux``)."""
        arr = np.asarray(parw, dtype=np.float64).ravel()
        if arr.size != 7:
            raise InputError(f"a planetary flux takes 7 PARW values, got {arr.size}")
        return cls(*[float(x) for x in arr])


def coerce_eclipse(value: Any) -> Eclipse | None:
    """``run(eclipse=...)``: None, an :class:`Eclipse` or a PARC array."""
    if value is None or isinstance(value, Eclipse):
        return value
    try:
        return Eclipse.from_parc(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"eclipse must be an Eclipse or 10-12 PARC numbers: {exc}") from exc


def coerce_planet_flux(value: Any) -> PlanetFlux | None:
    """``run(planet_flux=...)``: None, a :class:`PlanetFlux` or a PARW array."""
    if value is None or isinstance(value, PlanetFlux):
        return value
    try:
        return PlanetFlux.from_parw(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"planet_flux must be a PlanetFlux or 7 PARW numbers: {exc}") from exc


def fortran_g(x: float, w: int = 14, d: int = 6) -> str:
    """``x`` as Fortran's Gw.d edit descriptor writes it, blanks trimmed."""
    x = float(x)
    if x == 0.0:
        return "0." + "0" * (d - 1)
    mant = f"{abs(x):.{d - 1}e}"
    k = int(mant.split("e")[1]) + 1        # 10**(k-1) <= rounded |x| < 10**k
    if 0 <= k <= d:
        text = f"{x:.{d - k}f}"
        if d - k == 0:
            text += "."
        return text
    digits = mant.split("e")[0].replace(".", "")
    sign = "-" if x < 0 else ""
    exp = k
    return f"{sign}0.{digits}E{'-' if exp < 0 else '+'}{abs(exp):02d}"


def tfine_header(n2: int, time_factor: int, windows: Any, parc: Any, depths: Any) -> str:
    """Header text of KRC's tfine bin5 file (krc-eclipse.md 6.3).

    windows: rows (J3, J9, latitude index) of the stored latitudes; parc:
    PARC(1..12) at write time; depths: the fine centres z^f_1 .. z^f_E.
    """
    ints = [int(n2), int(time_factor), 0] + [int(v) for row in np.asarray(windows).reshape(-1, 3)
                                             for v in row]
    int_list = "^^" + "".join(f"{v}^" for v in ints) + "^"
    parc_list = "!!" + "".join(f"{fortran_g(v)}!" for v in np.ravel(parc)) + "!"
    depth_list = "``" + "".join(f"{fortran_g(v)}`" for v in np.ravel(depths)) + "`"
    return ("KRCv3.6.5   " + " TFINE output N2,J7P:9=" + int_list + "  PARC=" + parc_list
            + "  depths=" + depth_list)


def parc_at_case_start(cases: Sequence[Any], number: int) -> np.ndarray | None:
    """PARC(1..12) of deck case ``number`` (1-based) as KRC holds it when the
    case starts, for ``run(eclipse=...)`` with KRC's tfine capacity plan.

    KRC overwrites PARC(11) with each latitude it computes, so a case starts
    with the previous case's last latitude there unless its own change line
    14 gives an 11th value (krc-eclipse.md 1.1, 5.2.8).  ``cases``: the
    ``Case`` objects of ``read_deck``.  None if the case has no eclipse.
    """
    case = cases[number - 1]
    if case.eclipse is None:
        return None
    parc = np.array(case.eclipse, dtype=np.float64)
    own = [c.numbers for c in case.changes if c.type == 14 and len(c.numbers) >= 11]
    if own:
        parc[10] = float(own[-1][10])
    elif number > 1:
        parc[10] = float(cases[number - 2].params.latitudes[-1])
    return parc
