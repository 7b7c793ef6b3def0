"""Run the KRC-compatible thermal model: ``run(params) -> Result``.

The physics lives in Fortran (``fortran/``); this module only coerces and
validates the inputs, calls the f2py extension ``legacy_wrap._krccore`` and
names the outputs.  Items of the result follow the type-52 cube of KRC 3.6.5
(``../shared/spec/krc-formats.md`` section 3.2).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ConvergenceWarning, InputError, ModelError, UnsupportedOptionError
from .eclipse import Eclipse, PlanetFlux, coerce_eclipse, coerce_planet_flux, tfine_header
from .params import Params

if TYPE_CHECKING:  # pragma: no cover
    import xarray

__all__ = ["Result", "LayerTable", "FineRecords", "run", "layer_table", "eclipse_window",
           "convergence_message"]

#: Status codes of fortran/krc_constants.f90.
_STATUS_INPUT, _STATUS_BLOWUP, _STATUS_UNSTABLE, _STATUS_UNSUPPORTED = 1, 22, 23, 30
#: PTOTAL at or below this is "no atmosphere" (formats 1.5, FD 12).
AIRLESS_PTOTAL = 1.0


def _core() -> Any:
    from .. import _krccore
    return _krccore


@dataclass(frozen=True, eq=False)
class LayerTable:
    """The subsurface grid of a case (KRC's layer table, physics section 1)."""

    thickness: np.ndarray   #: b_j, m, j = 1..N1+1 (1 = virtual top layer)
    depth: np.ndarray       #: centre depth z_j, m
    conductivity: np.ndarray  #: W m-1 K-1
    density: np.ndarray     #: kg m-3
    specific_heat: np.ndarray  #: J kg-1 K-1
    safety: np.ndarray      #: stability factor b^2/(2 dt kappa) before time doubling
    group_last: np.ndarray  #: last layer of each time-doubling group


@dataclass(frozen=True, eq=False)
class Result:
    """Outputs of one case.  Arrays are indexed (hour, latitude, season) etc.

    ``season`` runs over the output seasons J5 = JDISK .. N5.
    """

    params: Params
    hours: np.ndarray            #: local time of each sample, h (24k/N24, last = midnight)
    latitudes: np.ndarray        #: deg
    surface_temperature: np.ndarray    #: TSF (N24, N4, NSOUT), K
    planetary_temperature: np.ndarray  #: TPF, K (0 without atmosphere)
    atmosphere_temperature: np.ndarray #: TAF, K (0 without atmosphere)
    down_visible: np.ndarray     #: DOWNVIS: direct + diffuse solar flux at the surface, W m-2
    down_ir: np.ndarray          #: DOWNIR, W m-2 (0 without atmosphere)
    days_computed: np.ndarray    #: NDJ4 (N4, NSOUT): sols computed in each season
    rms_change: np.ndarray       #: DTM4 (N4, NSOUT): RMS layer change on the last sol, K
    layer_min: np.ndarray        #: TIN (MM4, N4, NSOUT): layer minima, layer 2 downward, K
    layer_max: np.ndarray        #: TAX (MM4, N4, NSOUT): layer maxima, K
    frost: np.ndarray            #: FROST4 (N4, NSOUT): predicted frost, kg m-2
    frost_albedo: np.ndarray     #: AFRO4 (N4, NSOUT)
    heat_flow: np.ndarray        #: HEATMM (N4, NSOUT): mean upward heat flow into the surface, W m-2
    date: np.ndarray             #: DJU5 (NSOUT): days from J2000.0
    ls: np.ndarray               #: SUBS (NSOUT): Ls, deg
    pressure: np.ndarray         #: PZREF (NSOUT): zero-elevation pressure, Pa
    dust_opacity: np.ndarray     #: TAUD (NSOUT)
    global_frost: np.ndarray     #: SUMF (NSOUT), kg m-2
    hourly: np.ndarray = field(repr=False)  #: the raw type-52 items (N24, 7, N4, NSOUT)
    #: temperatures of layers 2..N1 at the output hours of the last sol,
    #: (N24, N1-1, N4, NSOUT), K; None unless run(..., layers=True)
    layer_temperature: np.ndarray | None = field(repr=False)
    fd_snapshot: np.ndarray = field(repr=False)  #: FD(1..96) when the first output season was stored
    id_snapshot: np.ndarray = field(repr=False)  #: ID(1..40) likewise
    #: T_a^4 of the last step that integrated the atmosphere, this case or (when it
    #: did not) the ``stale_ta4`` it was given: what a far-field case later in
    #: the same KRC run uses for T_p (krc-farfield-climate.md A3.4, bug 2)
    last_ta4: float = field(default=0.0, repr=False)
    #: T_s of every time step of the last sol of the last season at latitude
    #: ``tout_latitude`` (KRC's type-16 output), (N2,), K; None unless asked for
    step_surface_temperature: np.ndarray | None = field(default=None, repr=False)
    #: the rare-eclipse records (KRC's tfine file), None unless asked for
    fine: FineRecords | None = field(default=None, repr=False)

    @property
    def seasons(self) -> np.ndarray:
        """KRC season index J5 of each output season."""
        jdisk = int(self.params.id[11])
        return np.arange(jdisk, jdisk + self.surface_temperature.shape[2])

    @property
    def sols_per_season(self) -> int:
        """N3 the core used: the deck's N3 lowered to min(N3, floor(DELJUL/PERIOD), 15)."""
        return int(self.id_snapshot[2])

    @property
    def converged(self) -> np.ndarray:
        """(latitude, season) bool: the season ended by KRC's own convergence tests.

        KRC (physics 5.3) ends a season's day loop when the RMS change of the
        temperature profile over a sol falls to DTMAX, stops changing (relative
        change 0.002) or decreases, or when the sols allowed run out
        (N3, lowered to DELJUL/PERIOD).  A season counts as converged when its
        last sol's RMS change is at most DTMAX, or when the loop stopped before
        the N3-th sol (so one of the tests stopped it); a season that used all
        N3 sols with a larger change was cut off by the limit, not converged.
        """
        dtmax = float(self.params.dtmax)
        n3 = self.sols_per_season
        return (self.rms_change <= dtmax) | (self.days_computed < n3)

    def to_xarray(self) -> "xarray.Dataset":
        """The result as a labelled CF ``xarray.Dataset`` (needs the ``xarray`` extra).

        Every item has ``units`` and ``long_name`` (and a CF ``standard_name``
        where one exists); the ``time`` coordinate (per season) is in CF time
        units, ``days since 2000-01-01 12:00:00`` (J2000.0), beside ``date``,
        KRC's day numbers.  ``to_netcdf()`` of it reopens with plain
        ``xarray.open_dataset`` (see :mod:`legacy_wrap.krc.netcdf`).
        """
        try:
            import xarray  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_xarray() needs xarray: pip install 'legacy-wrap[xarray]'") from exc
        from .netcdf import result_dataset
        return result_dataset(self)


    def plot(self, path: Any = None, *, seasons: Any = None, latitude: float | None = None,
             case: int | None = None) -> Any:
        """Diurnal curves by latitude and a season-by-hour map (needs ``legacy-wrap[plot]``).

        ``seasons``: J5 indices (up to four), ``"last"`` or ``"all"`` (default:
        four spread over the output seasons); ``latitude``: the latitude of the
        map (default: nearest the equator).  Saves to ``path`` if given and
        returns the matplotlib ``Figure`` (see :mod:`legacy_wrap.krc.plot`).
        """
        from .plot import plot_result
        return plot_result(self, path, seasons=seasons, latitude=latitude, case=case)


def convergence_message(result: Result) -> str | None:
    """Why the last output season of ``result`` did not converge, with the fix; None if it did."""
    ok = result.converged[:, -1]
    if bool(np.all(ok)):
        return None
    bad = np.nonzero(~ok)[0]
    lats = ", ".join(f"{result.latitudes[j]:g}" for j in bad[:8]) + (", ..." if bad.size > 8 else "")
    worst = float(np.max(result.rms_change[bad, -1]))
    n3 = result.sols_per_season
    p = result.params
    fix = ("run more seasons (raise N5, keeping JDISK..N5 as the output) so that the spin-up "
           "ends before the output")
    limit = min(15, int(p.n3))
    if n3 < limit:
        want = max(3, n3 + 1)
        fix += (f", or give each season more sols: N3 = {n3} because DELJUL/PERIOD = "
                f"{float(p.deljul) / float(p.period):.3g} (DELJUL = k x PERIOD allows k sols, "
                f"e.g. DELJUL = {want * float(p.period):.6g} d for {want})")
    elif n3 < 15:
        fix += f", or raise N3 (now {n3}, at most 15)"
    return (f"the last output season (J5 = {int(result.seasons[-1])}) did not meet KRC's "
            f"convergence tests at {bad.size} of {ok.size} latitudes ({lats}): RMS change up "
            f"to {worst:.3g} K over the last of {n3} sol(s) > DTMAX = {float(p.dtmax):g} K; "
            f"{fix} (Result.converged has the flags per latitude and season)")


@dataclass(frozen=True, eq=False)
class FineRecords:
    """Records of the rare-eclipse fine sub-simulation (krc-eclipse.md 6.3).

    ``records[:, j, k]`` of fine step j of the k-th stored latitude: the
    interpolated un-eclipsed direct flux (W m-2), the eclipse factor, T_s and
    the fine layers 2..E (K); steps after the window are zero.
    """

    records: np.ndarray          #: (2 + E, M, latitudes with an eclipse)
    windows: np.ndarray          #: (stored, 3): J3, J9 (coarse steps) and 1-based latitude index
    depths: np.ndarray           #: fine centres z^f_1 .. z^f_E, m (the first negative)
    n2: int                      #: coarse steps per sol
    time_factor: int             #: F = K^2
    parc: np.ndarray             #: PARC(1..12) as the model left it (latitude, sol length)
    #: (N4, 2): at the hand-back of each latitude, delta T (K) = fine - coarse
    #: temperature of layer J_low and delta E = b rho c delta T (J m-2): the
    #: "End eclipse" line of KRC's print file; zero where no fine run was made
    end_delta: np.ndarray | None = None
    end_done: np.ndarray | None = None   #: (N4,) True where the fine run was made

    def header_text(self) -> str:
        """The bin5 header text KRC writes with this array."""
        return tfine_header(self.n2, self.time_factor, self.windows, self.parc, self.depths)

    def write(self, path: Any, *, date: str | None = None) -> None:
        """Write KRC's ``<stem>tfine<case>.bin5`` file."""
        from .. import bin5
        bin5.write(path, self.records, self.header_text(), date=date)


def _arrays(params: Params) -> dict[str, np.ndarray]:
    """The KRC parameter arrays in the form the Fortran bind layer takes."""
    fd = np.zeros(96, dtype=np.float64)
    fd[:64] = params.fd
    id_ = np.zeros(40, dtype=np.int32)
    id_[:20] = params.id
    ld = np.asarray(params.ld, dtype=np.int32)
    lat = np.asarray(params.latitudes, dtype=np.float64)
    elev = np.asarray(params.elevations, dtype=np.float64)
    porb = np.zeros(30) if params.porb is None else np.asarray(params.porb, dtype=np.float64)
    zone = params.zone_table
    zone_t = np.zeros((4, 1), order="F") if zone is None or len(zone) == 0 else \
        np.asfortranarray(np.asarray(zone, dtype=np.float64).T)
    nzone = 0 if zone is None else len(zone)
    if not ld[13]:
        nzone = 0
    return {"fd": fd, "id": id_, "ld": ld, "alat": lat, "elev": elev, "porb": porb,
            "zone": zone_t, "nzone": nzone}


def _prepare(params: Params, outputs: bool = True) -> Params:
    """Copy, apply KRC's silent input resets and refuse what the core lacks;
    ``outputs``: a case that stores no season (JDISK > N5) is refused."""
    if not isinstance(params, Params):
        raise InputError(f"run() takes a Params object, got {type(params).__name__}")
    p = params.copy()
    p.apply_krc_checks()
    p.check()
    n5, jdisk = int(p.id[4]), int(p.id[11])
    if outputs and jdisk > n5:
        raise InputError(f"JDISK = {jdisk} > N5 = {n5}: no season would be output; "
                         "set JDISK <= N5")
    p.check_sizes()
    return p


def _raise_status(status: int, message: bytes | str) -> None:
    text = message.decode("ascii", "replace") if isinstance(message, bytes) else str(message)
    text = text.strip()
    if status == _STATUS_UNSTABLE:
        raise InputError(f"numerically unstable layer grid: {text}")
    if status == _STATUS_INPUT:
        raise InputError(text)
    if status == _STATUS_UNSUPPORTED:
        raise UnsupportedOptionError(text)
    raise ModelError(f"thermal model failed (status {status}): {text}", status=status)


def layer_table(params: Params) -> LayerTable:
    """Compute the layer grid and stability factors of ``params`` (no time stepping)."""
    p = _prepare(params)
    a = _arrays(p)
    n1 = int(p.id[0])
    out = _core().krc_layer_table(a["fd"], a["id"], a["ld"], a["porb"], a["nzone"], a["zone"], n1)
    thick, depth, cond, dens, spht, safety, group_last, ngroups, status, message = out
    if status != 0:
        _raise_status(status, message)
    return LayerTable(thick, depth, cond, dens, spht, safety, group_last[:ngroups].copy())


def _season_table(table: Any, what: str) -> np.ndarray:
    """A seasonal table as the (2, n) array the core takes (rows (Ls, value))."""
    if table is None:
        return np.zeros((2, 1), order="F")
    arr = np.asarray(table, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < 1:
        raise InputError(f"{what} must be rows of (Ls degrees, value), shape (n, 2); "
                         f"got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{what} holds a non-finite number")
    return np.asfortranarray(arr.T)


def _far_field(source: Any, what: str) -> Any:
    """A far-field file name or FarField as a FarField (None passes)."""
    from .farfield import FarField, read_far_field
    if source is None or isinstance(source, FarField):
        return source
    if isinstance(source, (str, os.PathLike)):
        return read_far_field(source)
    raise InputError(f"{what} must be a far-field file name or a FarField, "
                     f"got {type(source).__name__}")


_NO_FAR = (np.zeros(4, dtype=np.int32), np.zeros(5), np.zeros(37), np.zeros((1, 1, 1, 1), order="F"))


def run(params: Params, *, layers: bool = False, albedo_table: Any = None,
        opacity_table: Any = None, climate: Any = None, far_field_in: Any = None,
        far_field_atmosphere: Any = None, far_field_out: str | os.PathLike[str] | None = None,
        far_field_layout: str = "compact", stale_ta4: float = 0.0,
        eclipse: Eclipse | Any = None, planet_flux: PlanetFlux | Any = None,
        tout_latitude: int | None = None, fine_records: bool = False,
        warn: bool = True) -> Result:
    """Run one case of the thermal model and return its outputs.

    ``layers=True`` also returns the subsurface temperatures at every output
    hour of the last sol (``Result.layer_temperature``).  ``albedo_table`` /
    ``opacity_table``: seasonal tables, rows (Ls degrees, value), that reset
    ALB / TAUD every season (KRC's change ``8 22`` / ``8 23``; linear in Ls,
    wrapped; not validated against the original program).  ``eclipse``: an
    :class:`Eclipse` or KRC's PARC(1..12) array (``Case.eclipse`` of a deck);
    ``planet_flux``: a :class:`PlanetFlux` or PARW(1..7) (``Case.planet_flux``)
    (``../shared/spec/krc-eclipse.md``).  ``tout_latitude``: 1-based latitude
    index whose T_s at every step of the last sol is returned
    (``Result.step_surface_temperature``, KRC's type-16 output ``16 NLAD``).
    ``fine_records=True`` with a rare eclipse returns the fine sub-simulation's
    records (``Result.fine``, KRC's tfine file); their capacity per latitude
    is planned, as KRC does, from the eclipse's PARC(11) (the latitude KRC
    holds at the start of the case: the deck value for a deck's first case,
    the previous case's last latitude otherwise).  ``params`` is not
    modified.  Raises :class:`InputError` for invalid or
    unstable inputs (before any time stepping), :class:`UnsupportedOptionError`
    for options not implemented, :class:`ModelError` if the model fails.

    ``climate``: a climate opacity file (KRC's ``8 24``, e.g. the shipped
    ``THEMIS1yearDustIce.bin5``) or its (72, 36, 2) array: dust and ice IR
    opacities per season and latitude replace TAUD (with an atmosphere; see
    :mod:`legacy_wrap.krc.climate`).  ``far_field_in``: a far-field file (KRC's
    ``8 3``; a name or a :class:`~legacy_wrap.krc.farfield.FarField`) whose
    surface the case sees below its horizon and, with an atmosphere, whose
    T_a it takes; ``far_field_atmosphere``: a separate kind -3 file for T_a
    (``8 4``).  ``far_field_out``: write this case's far-field file (``8 21``;
    K4OUT -1..-3 chooses the kind, ID24 = 4 float32) after the run, in
    ``far_field_layout`` "compact" (default) or "krc" (the original's).
    See :mod:`legacy_wrap.krc.farfield`.  ``stale_ta4``: KRC's T_p of a
    far-field case uses the T_a^4 of the last step, anywhere earlier in the
    same program run, that integrated an atmosphere (0 in a fresh run);
    to mimic a multi-case deck pass the previous case's ``Result.last_ta4``.
    Warns (:class:`~legacy_wrap.errors.ConvergenceWarning`) when the last
    output season did not meet KRC's convergence tests (``Result.converged``),
    unless ``warn=False`` (for callers that report it themselves, e.g. sweeps).
    """
    from .climate import climate_array
    from .farfield import check_writable, write_far_field, writer_kind
    p = _prepare(params)
    if layers:
        p.check_sizes(layers=True)
    a = _arrays(p)
    n24, n4 = int(p.id[5]), int(p.id[3])
    nsout = int(p.id[4]) - int(p.id[11]) + 1
    nlout = int(p.id[0]) - 1 if layers else 0
    alb_t = _season_table(albedo_table, "albedo_table")
    tau_t = _season_table(opacity_table, "opacity_table")
    if climate is not None and opacity_table is not None:
        raise InputError("climate and opacity_table both replace TAUD every season (KRC's 8 24 "
                         "and 8 23 share one slot: the later wins); give only one")
    clim = climate_array(climate) if climate is not None else np.zeros((72, 36, 2), np.float32,
                                                                         order="F")
    if far_field_out is not None:
        writer_kind(int(p.k4out))
        check_writable(far_field_out, far_field_layout)
    ffs = _far_field(far_field_in, "far_field_in")
    ffa = _far_field(far_field_atmosphere, "far_field_atmosphere")
    for ff in (ffs, ffa):
        if ff is not None:
            ff.check_year()
    s_args = ffs.core_arrays() if ffs is not None else _NO_FAR
    a_args = ffa.core_arrays() if ffa is not None else _NO_FAR
    ecl = coerce_eclipse(eclipse)
    flux = coerce_planet_flux(planet_flux)
    parc = np.zeros(12) if ecl is None else ecl.to_parc()
    parw = np.zeros(7) if flux is None else flux.to_parw()
    n2 = int(p.id[1])
    ntout = 0
    if tout_latitude is not None:
        if isinstance(tout_latitude, bool) or not isinstance(tout_latitude, (int, np.integer)) \
                or not 1 <= int(tout_latitude) <= n4:
            raise InputError(f"tout_latitude (NLAD) must be a latitude index 1..N4 = {n4}, "
                             f"got {tout_latitude!r}")
        ntout = n2
    nfrow = nfcap = nflat = 0
    if fine_records and ecl is not None and ecl.kind == "rare":
        nfrow, nfcap, nflat = _fine_plan(parc, p, n2)
    try:
        out = _core().krc_run_case(
            a["fd"], a["id"], a["ld"], a["alat"], a["elev"], a["porb"], a["nzone"], a["zone"],
            n24, nsout, nlout, 0 if albedo_table is None else alb_t.shape[1], alb_t,
            0 if opacity_table is None else tau_t.shape[1], tau_t,
            int(climate is not None), clim, int(ffs is not None), *s_args,
            int(ffa is not None), *a_args, float(stale_ta4), parc, parw,
            0 if tout_latitude is None else int(tout_latitude), ntout, nfrow, nfcap, nflat)
    except MemoryError as exc:
        raise InputError(f"not enough free memory for the outputs of this run (N24 {n24} x "
                         f"N4 {n4} x {nsout} output seasons, N5 = {int(p.id[4])}): {exc}; "
                         "lower N5 or raise JDISK") from None
    hourly, season_vals, layer_t, fd_out, id_out, status, message, last_ta4, *extra = out
    tout, fine, fine_win, nfine, fine_depth, fine_end = extra[:6]
    if status != 0:
        _raise_status(status, message)
    fine_out = None
    if nflat > 0:
        k = int(np.floor(abs(parc[0]) + 0.5))
        left = parc.copy()
        left[10] = float(p.latitudes[-1])
        left[11] = float(p.period)
        fine_out = FineRecords(records=fine, windows=fine_win[:, :nfine].T.copy(),
                               depths=fine_depth[:nfrow - 2].copy(), n2=n2, time_factor=k * k,
                               parc=left, end_delta=fine_end[1:3].T.copy(),
                               end_done=fine_end[0] > 0.5)
    result = result_from_core(p, hourly, season_vals, layer_t if layers else None, fd_out,
                              id_out, last_ta4, step_surface_temperature=tout.copy() if ntout
                              else None, fine=fine_out)
    if far_field_out is not None:
        write_far_field(far_field_out, result, layout=far_field_layout)  # type: ignore[arg-type]
    message = convergence_message(result) if warn else None
    if message is not None:
        warnings.warn(message, ConvergenceWarning, stacklevel=2)
    return result


def result_from_core(p: Params, hourly: np.ndarray, season_vals: np.ndarray,
                     layer_t: np.ndarray | None, fd_out: np.ndarray, id_out: np.ndarray,
                     last_ta4: float = 0.0, *, step_surface_temperature: np.ndarray | None = None,
                     fine: FineRecords | None = None) -> Result:
    """A :class:`Result` from the outputs of the core's ``krc_run_case`` for ``p``
    (also used by the ``krc`` console script, which calls the core itself)."""
    n24 = int(p.id[5])
    mm4 = min(int(p.id[0]) - 1, n24 - 3)
    return Result(
        params=p,
        hours=24.0 * np.arange(1, n24 + 1) / n24,
        latitudes=np.asarray(p.latitudes, dtype=np.float64).copy(),
        surface_temperature=hourly[:, 0],
        planetary_temperature=hourly[:, 1],
        atmosphere_temperature=hourly[:, 2],
        down_visible=hourly[:, 3],
        down_ir=hourly[:, 4],
        days_computed=hourly[0, 5].round().astype(np.int64),
        rms_change=hourly[1, 5],
        layer_min=hourly[3:3 + max(mm4, 0), 5],
        layer_max=hourly[3:3 + max(mm4, 0), 6],
        frost=hourly[0, 6],
        frost_albedo=hourly[1, 6],
        heat_flow=hourly[2, 6],
        date=season_vals[0].copy(),
        ls=season_vals[1].copy(),
        pressure=season_vals[2].copy(),
        dust_opacity=season_vals[3].copy(),
        global_frost=season_vals[4].copy(),
        hourly=hourly,
        layer_temperature=layer_t,
        fd_snapshot=fd_out,
        id_snapshot=id_out,
        last_ta4=float(last_ta4),
        step_surface_temperature=step_surface_temperature,
        fine=fine,
    )


def run_core(fd: np.ndarray, id_: np.ndarray, ld: np.ndarray, alat: np.ndarray,
             elev: np.ndarray, porb: np.ndarray, nzone: int, zone: np.ndarray, n24: int,
             nsout: int, nalb: int, alb: np.ndarray, ntau: int, tau: np.ndarray,
             climate: np.ndarray | None = None, *, far_surface: Any = None,
             far_atmosphere: Any = None, stale_ta4: float = 0.0,
             print_log: list[np.ndarray] | None = None, parc: np.ndarray | None = None,
             parw: np.ndarray | None = None, nlad: int = 0,
             fine_shape: tuple[int, int, int] = (0, 0, 0)
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, str, float,
                        dict[str, Any]]:
    """The core's ``krc_run_case`` on raw KRC arrays (``climate``: the (72, 36, 2)
    opacities of an 8 24 file; ``far_surface`` / ``far_atmosphere``: the
    :class:`~legacy_wrap.krc.farfield.FarField` files of 8 3 / 8 4 and
    ``stale_ta4`` the T_a^4 KRC's T_p uses (farfield-climate A3.4)), without any
    check: hourly, season values, FD, ID, status, message, last T_a^4 and the
    eclipse outputs (the ``krc`` console script runs the cases the Fortran
    driver planned).

    ``print_log``: a list that receives the core's print log of the season-loop
    tables (``krc_print_log_size`` words, fortran/krc_prtlog.f90; empty when the
    case prints none of them), for the Fortran print routines.
    ``parc``/``parw``: PARC(1..12)/PARW(1..7) (krc-eclipse.md 1; None = off);
    ``nlad`` >= 1: the type-16 series of that latitude (``tout``, N2 values);
    ``fine_shape`` = (rows, capacity, latitudes) of the rare-eclipse records
    (``fine``, ``fine_win``, ``nfine``, ``fine_end`` (4, N4)), as ``krc_plan``
    planned them.  The last element holds those arrays (empty when not asked).
    """
    clim = np.zeros((72, 36, 2), np.float32, order="F") if climate is None else \
        np.asfortranarray(climate, dtype=np.float32)
    s_args = far_surface.core_arrays() if far_surface is not None else _NO_FAR
    a_args = far_atmosphere.core_arrays() if far_atmosphere is not None else _NO_FAR
    npl = 0
    if print_log is not None:
        npl = int(_core().krc_print_log_size(fd, id_, ld, len(alat), porb, nzone, zone))
    n2 = int(id_[1])
    ntout = n2 if nlad >= 1 else 0
    nfrow, nfcap, nflat = (int(v) for v in fine_shape)
    out = _core().krc_run_case(fd, id_, ld, alat, elev, porb, nzone, zone, n24, nsout, 0, nalb,
                               alb, ntau, tau, int(climate is not None), clim,
                               int(far_surface is not None), *s_args,
                               int(far_atmosphere is not None), *a_args, float(stale_ta4),
                               np.zeros(12) if parc is None else parc,
                               np.zeros(7) if parw is None else parw, int(nlad), ntout, nfrow,
                               nfcap, nflat, npl)
    if print_log is not None:
        print_log.append(np.asarray(out[14]).copy() if npl > 0 else np.zeros(0))
    hourly, season_vals, _, fd_out, id_out, status, message, last_ta4 = out[:8]
    tout, fine, fine_win, nfine, _, fine_end = out[8:14]
    extras: dict[str, Any] = {}
    if ntout:
        extras["tout"] = tout
    if nflat > 0:
        extras.update(fine=fine, fine_win=fine_win, nfine=int(nfine), fine_end=fine_end)
    text = message.decode("latin-1") if isinstance(message, bytes) else str(message)
    return (hourly, season_vals, fd_out, id_out, int(status), text.strip(), float(last_ta4),
            extras)


def eclipse_window(eclipse: Eclipse | Any, n2: int, *, latitude: float | None = None,
                   sol_days: float | None = None) -> tuple[tuple[int, int, int, int], np.ndarray]:
    """The eclipse factor profile of krc-eclipse.md section 2 at one latitude.

    Returns ((J1, J2, J3, J4), factors): the widest and this latitude's step
    windows (J4 < J3: no eclipse here) and the factors: N2 values for a daily
    eclipse (1 outside the window), (J4 + 1 - J3)*K^2 fine values for a rare
    one.  ``latitude`` / ``sol_days`` replace PARC(11) / PARC(12) when given.
    """
    ecl = coerce_eclipse(eclipse)
    if ecl is None or ecl.kind == "none":
        raise InputError("eclipse_window needs a daily or rare eclipse (PARC(1) in 0.8..1.2 or "
                         ">= 1.3)")
    parc = ecl.to_parc()
    if latitude is not None:
        parc[10] = float(latitude)
    if sol_days is not None:
        parc[11] = float(sol_days)
    if isinstance(n2, bool) or not isinstance(n2, (int, np.integer)) or n2 < 2:
        raise InputError(f"N2 must be an integer >= 2, got {n2!r}")
    rare = 1 if ecl.kind == "rare" else 0
    _, nfac, j1, j2, j3, j4, status, message = _core().krc_eclipse_window(parc, int(n2), rare, 0)
    if status != 0:
        _raise_status(status, message)
    fac, nfac, j1, j2, j3, j4, status, message = _core().krc_eclipse_window(
        parc, int(n2), rare, max(nfac, 1))
    return (int(j1), int(j2), int(j3), int(j4)), fac[:nfac].copy()


def _fine_plan(parc: np.ndarray, p: Params, n2: int) -> tuple[int, int, int]:
    """Rows, per-latitude capacity and latitude count of the fine records (6.3)."""
    k = int(np.floor(abs(parc[0]) + 0.5))
    f = k * k
    plan = parc.copy()
    plan[11] = float(p.period)
    (j1, j2, j3, j4), _ = eclipse_window(plan, n2)
    mcap = 2 * (j2 - j1) * f if j4 >= j3 else 0
    nlat = 0
    for lat in p.latitudes:
        (_, _, l3, l4), _ = eclipse_window(plan, n2, latitude=float(lat))
        nlat += l4 >= l3
    return 2 + min(4 * k, 18), mcap, nlat
