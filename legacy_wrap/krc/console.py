"""The ``krc`` console script: a drop-in replacement of the KRC 3.6.5 program.

Two ways to call it::

    krc                 the original dialogue on standard input:
                        line 1: the input file name ('.inp' added when it has
                                no extension; '/' = the default 'krc.inp')
                        line 2: the print file name ('.prt' added likewise;
                                '/' = input name with '.prt')
    krc DECK [--print FILE] [--jobs N] [--quiet] [--netcdf FILE | --hdf5 FILE]

A thin front over the legacy program's own case driver (fortran/krc_driver.f90,
through ``legacy_wrap._krcio``)::

    deck --krc_plan (Fortran reader + planner)--> every case's core inputs, or a refusal
         --the core, one case per thread (GIL released)--> results
         --krc_write (Fortran, the program's order)--> print file + type-52 files

The reading of the deck, the refusals (and their order), every carry-over
between cases (N3 lowered, the orbit geometry after an LPORB case, NRUN and
NCASE, the tables in effect) and the order in which the outputs are written
exist once, in Fortran, for both front doors; the files are the program's,
byte for byte (bar run times).  Python adds the command line, ``--jobs``
(independent cases on threads: each is computed from the inputs the planner
gave it; a failed case makes the run be planned again with that outcome, so
the files never depend on N), ``--netcdf``/``--hdf5`` (every computed case,
``Result.to_xarray()``, one group ``case_NNN`` each; extra
``legacy-wrap[xarray]``), progress and exceptions.  Type-52 files are named
relative to the current directory, zone and seasonal tables relative to the
deck's folder (KRC: the current directory; the same when the deck is there).

What is refused or left out (the message says which case and why), as the
Fortran ``krc`` program does:

* one-point mode (change types 10/11) in any case: "not implemented yet",
  nothing is computed or written, exit status 3;
* options the model does not implement (eclipses ``14``, planetary flux
  ``15`` and far-field files ``8 3/8 4`` in one-point requests): those cases
  are not computed and their slot of the type-52 file stays all zero -- KRC's
  own convention for a case that failed -- and the exit status is 3;
* outputs that are not produced (direct-access files ``8 21`` other than
  far-field files; the type-16 file of a one-point request): a warning; the
  type-52 file is unaffected.

Far-field files (``8 21`` with K4OUT -1..-3 written, ``8 3``/``8 4`` read;
``../shared/spec/krc-farfield-climate.md`` Part A): a deck that writes or
reads one is computed case by case in deck order whatever ``--jobs`` says (a
reader needs the file its writer made, and KRC's T_p of a far-field case
depends on the cases before it); each file is written, by the Fortran routine
the legacy program uses, as soon as its case is computed.  The layout of the
files written: ``--far-field-layout compact`` (default; also the environment
variable ``LW_FAR_FIELD_LAYOUT``, which the legacy program reads) or ``krc``
(the original's 25.6 MB records, for feeding the original program).

Eclipses and the planetary load (krc-eclipse.md) are computed in deck cases;
the type-16 file and the rare eclipse's tfine file are written by the driver
from the arrays the core returns (``krc_plan`` gives PARC, PARW and the record
shapes, ``krc_write`` takes the arrays).  The refusals of krc-eclipse 7 stop
the run before anything is written (exit 2).

Exit status: 0 success; 1 a case failed in the model or an output could not
be written; 2 a bad deck, a bad command line or a missing file (nothing is
written); 3 an unsupported option (see above).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from .. import __version__
from ..errors import (
    ConvergenceWarning,
    DeckError,
    FileAccessError,
    InputError,
    LegacyWrapError,
    UnsupportedOptionError,
)
from .deck import _deck_error
from .farfield import LAYOUTS, read_far_field
from .model import Result, convergence_message, result_from_core, run_core
from .params import Params
from .t52 import _date_block, runtime_text

__all__ = [
    "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "EXIT_UNSUPPORTED",
    "CasePlan", "RunPlan", "CaseOutcome",
    "plan_deck", "run_cases", "write_outputs", "write_xarray", "main",
]

EXIT_OK = 0            #: every case computed, every output written
EXIT_FAILED = 1        #: a case failed in the model, or an output could not be written
EXIT_USAGE = 2         #: bad deck / command line / missing file: nothing written
EXIT_UNSUPPORTED = 3   #: an option the model does not implement (see the module doc)

PROG = "krc"
_DEFAULT_STEM = "krc"  #: KRC's default input stem


# --------------------------------------------------------------------------- the driver

#: Why the driver does not compute a case (bits of krc_driver's SK_*), in words.
_SKIP_WORDS = ((1, "an eclipse (change type 14)"), (2, "planetary flux (change type 15)"),
               (4, "far-field files (8 3, 8 4) in a one-point request"), (8, "a climate opacity file (8 24) that cannot be read"),
               (32, "a seasonal table that cannot be read"))
_MSG_WARN, _MSG_CASE, _MSG_OUTPUT = 1, 2, 3
_LIMIT = 42            #: krc_plan: arrays too small, call again
_MAXMSG = 1000


def _krcio() -> Any:
    from .. import _krcio
    return _krcio


def _text(s: str) -> bytes:
    return os.fsencode(s)


def _str(b: bytes | str) -> str:
    return (b.decode("latin-1") if isinstance(b, bytes) else str(b)).rstrip()


@dataclass
class CasePlan:
    """One case as the Fortran driver resolved it (``krc_plan``), ready for the core."""

    number: int                  #: 1-based position of the case in the deck
    label: int                   #: the case number KRC shows (NCASE, counted per type-52 file)
    fd: np.ndarray               #: FD(1..96) the core gets (resets and carry-overs applied)
    id: np.ndarray               #: ID(1..40)
    ld: np.ndarray               #: LD(1..20) as 0/1
    latitudes: np.ndarray
    elevations: np.ndarray
    porb: np.ndarray
    title: str
    zone: np.ndarray             #: (4, nzone) zone table in effect (nzone may be 0)
    albedo_table: np.ndarray     #: (2, n) rows (Ls, ALB) of the 8 22 table (n may be 0)
    opacity_table: np.ndarray    #: (2, n) rows (Ls, TAUD) of the 8 23 table
    climate: np.ndarray | None   #: (72, 36, 2) dust and ice opacities of the 8 24 file
    n24: int
    nsout: int
    skip: int                    #: bits: why the case is not computed (0: computed)
    notes: int                   #: bits: outputs of the case that are not written
    t52: int                     #: type-52 file the case is stored in (0: none)
    line: int                    #: deck line where the case's change list starts
    onepoint: bool = False       #: a one-point request (krc-onepoint 4; its hour is FD(84))
    seasons: tuple[int, int] = (1, 0)  #: first and last season of this piece of the case
    #: the later pieces of a case with mid-case change lists (krc-onepoint 8.2), each
    #: with the parameters its list left; computed in order from the carried state
    pieces: list["CasePlan"] = field(default_factory=list)
    far_field_in: str = ""          #: the far-field surface file the case reads (8 3; "" none)
    far_field_atmosphere: str = ""  #: the far-field atmosphere file it reads (8 4)
    far_field_out: str = ""         #: the far-field file written after it (8 21, K4OUT < 0)

    @property
    def far_field(self) -> bool:
        """True if the case reads or writes a far-field file."""
        return bool(self.far_field_in or self.far_field_atmosphere or self.far_field_out)
    #: PARC(1..12) / PARW(1..7) the core gets (krc-eclipse.md 1; zeros = off)
    parc: np.ndarray = field(default_factory=lambda: np.zeros(12))
    parw: np.ndarray = field(default_factory=lambda: np.zeros(7))
    nlad: int = 0                #: latitude of the type-16 series (0: none)
    #: rows, capacity, latitudes of the rare-eclipse records (0s: none), krc-eclipse 6.3
    fine_shape: tuple[int, int, int] = (0, 0, 0)

    @property
    def computable(self) -> bool:
        """True if the model computes the case."""
        return self.skip == 0

    @property
    def skip_reason(self) -> str:
        """Why the case is not computed, in words ('' if it is)."""
        return ", ".join(w for bit, w in _SKIP_WORDS if self.skip & bit)

    def inputs(self) -> tuple[bytes, ...]:
        """The bytes of everything the core gets (to tell whether a replan changed the case)."""
        own = (self.fd.tobytes(), self.id.tobytes(), self.ld.tobytes(), self.parc.tobytes(),
               self.parw.tobytes())
        return own + tuple(b for q in self.pieces for b in q.inputs())

    def params(self) -> Params:
        """The case as :class:`Params` (for ``Result`` and NetCDF output)."""
        lporb = bool(self.ld[10])
        return Params(fd=self.fd[:64].copy(), id=self.id[:20].astype(np.int64),
                      ld=self.ld.astype(bool), latitudes=self.latitudes.copy(),
                      elevations=self.elevations.copy(), title=self.title,
                      porb=self.porb.copy() if lporb or self.porb.any() else None,
                      zone_table=self.zone.T.copy() if self.zone.shape[1] else None,
                      id24=int(self.id[23]))


@dataclass
class RunPlan:
    """What ``krc_plan`` said about a deck."""

    input_name: str
    print_name: str
    cases: list[CasePlan]
    warnings: list[str]


@dataclass
class CaseOutcome:
    """What happened to one case."""

    plan: CasePlan
    status: str                  #: "ok", "skipped" (not implemented), "failed" or "no output"
    hourly: np.ndarray | None = None     #: the core's type-52 items (N24, 7, N4, NSOUT)
    season_vals: np.ndarray | None = None  #: DJU5, SUBS, PZREF, TAUD, SUMF per season
    fd_out: np.ndarray | None = None
    id_out: np.ndarray | None = None
    code: int = 0                #: the core's status (0 ok)
    message: str = ""            #: why skipped/failed
    seconds: float = 0.0         #: CPU time of the case (thread), s
    point: tuple[float, float] | None = None  #: a one-point request: T_s, T_p at its hour
    #: T_a^4 of the last step that integrated an atmosphere, this case or before
    #: (what a later far-field case's T_p uses, farfield-climate A3.4)
    last_ta4: float = 0.0
    output_error: str = ""       #: the far-field file of the case could not be written
    #: the core's print log of the season-loop tables (fortran/krc_prtlog.f90), if any
    print_log: np.ndarray | None = None
    #: the type-16 series and rare-eclipse records for the driver's files (run_core)
    eclipse: dict[str, Any] | None = None
    _result: Result | None = None

    @property
    def result(self) -> Result | None:
        """The case as a :class:`~legacy_wrap.krc.model.Result` (None unless computed with
        an output season)."""
        if self._result is None and self.code == 0 and self.hourly is not None \
                and self.plan.nsout >= 1 and self.status == "ok":
            self._result = result_from_core(self.plan.params(), self.hourly, self.season_vals,
                                            None, self.fd_out, self.id_out)
        return self._result


def _raise_refusal(status: int, message: str) -> None:
    """The driver's refusal as an exception: 3 (not implemented) or a deck error
    whose "file, line L, column C: ..." message gives its place."""
    if status == 3:
        raise UnsupportedOptionError(message)
    raise _deck_error(message)


def plan_deck(input_name: str, print_name: str | None = None,
              assume_ok: Sequence[bool] | None = None) -> RunPlan:
    """Plan a run of the deck ``input_name`` with the Fortran case driver.

    Raises :class:`DeckError` (exit status 2: deck, table, output folder) or
    :class:`UnsupportedOptionError` (3) when the legacy program would refuse
    the deck; nothing is computed or written.  ``print_name``: the print file
    whose folder must be writable (default: the deck's name with '.prt'; ''
    = none, not checked).  ``assume_ok``: outcome of each case (default: all
    succeed), see ``krc_plan``.
    """
    io = _krcio()
    prt = os.path.splitext(input_name)[0] + ".prt" if print_name is None else print_name
    maxcase, nzc = max(1, len(assume_ok or ())), 1
    for _ in range(3):
        ok = np.ones(maxcase, dtype=np.int32)
        if assume_ok is not None:
            ok[:len(assume_ok)] = [1 if x else 0 for x in assume_ok]
        (fd, id_, ld, alat, elev, porb, titles, nzone, zone, nalb, alb, ntau, tau, nclim, clim,
         info, piece, ncase, nzmax, nmsg, msgs, kinds, _, eparc, eparw, eplan, status, message,
         ffs, ffa, ffo) = io.krc_plan(
             _text(input_name), _text(prt), nzc, ok, _MAXMSG)
        if status == _LIMIT:
            maxcase, nzc = max(maxcase, ncase), max(nzc, nzmax)
            continue
        break
    if status != 0:
        _raise_refusal(int(status), _str(message))
    warnings = [_str(msgs[k]) for k in range(nmsg) if kinds[k] == _MSG_WARN]
    cases: list[CasePlan] = []
    for k in range(ncase):
        n4, n24, nsout, skip, notes, label, t52, line, onepoint = (int(x) for x in info[:, k])
        s1, s2, cont = (int(x) for x in piece[:, k])
        c = CasePlan(
            number=k + 1, label=label, fd=fd[:, k].copy(), id=id_[:, k].copy(),
            ld=ld[:, k].copy(), latitudes=alat[:n4, k].copy(), elevations=elev[:n4, k].copy(),
            porb=porb[:, k].copy(), title=_str(titles[k]),
            zone=np.asfortranarray(zone[:, :nzone[k], k]),
            albedo_table=np.asfortranarray(alb[:, :nalb[k], k]),
            opacity_table=np.asfortranarray(tau[:, :ntau[k], k]),
            climate=np.asfortranarray(clim[:, :, :, k]) if nclim[k] else None,
            n24=n24, nsout=nsout, skip=skip, notes=notes, t52=t52, line=line,
            onepoint=bool(onepoint), seasons=(s1, s2), far_field_in=_str(ffs[k]).strip(),
            far_field_atmosphere=_str(ffa[k]).strip(), far_field_out=_str(ffo[k]).strip(),
            parc=eparc[:, k].copy(), parw=eparw[:, k].copy(),
            nlad=int(eplan[0, k]), fine_shape=(int(eplan[1, k]), int(eplan[2, k]),
                                               int(eplan[3, k])))
        if cont and cases:
            cases[-1].pieces.append(c)     # a later piece of the same case
        else:
            cases.append(c)
    return RunPlan(input_name, prt, cases, warnings)


def _compute(plan: CasePlan, stale_ta4: float = 0.0) -> CaseOutcome:
    """Run one planned case through the core (thread-safe: the core keeps no state).

    ``stale_ta4``: the T_a^4 of the last step, earlier in the run, that
    integrated an atmosphere (a far-field case's T_p uses it, A3.4 bug 2)."""
    if not plan.computable:
        return CaseOutcome(plan, "skipped", message=plan.skip_reason, last_ta4=stale_ta4)
    t0 = time.thread_time()
    one = np.zeros((2, 1), order="F")
    zone = plan.zone if plan.zone.shape[1] else np.zeros((4, 1), order="F")
    alb = plan.albedo_table if plan.albedo_table.shape[1] else one
    tau = plan.opacity_table if plan.opacity_table.shape[1] else one
    if plan.onepoint or plan.pieces or plan.seasons != (1, int(plan.id[4])):
        o = (_compute_point if plan.onepoint else _compute_pieces)(plan, zone, alb, tau, t0)
        o.last_ta4 = stale_ta4     # as in krc_driver: these paths do not hand on a T_a^4
        return o
    try:
        far_s = read_far_field(plan.far_field_in) if plan.far_field_in else None
        far_a = read_far_field(plan.far_field_atmosphere) if plan.far_field_atmosphere else None
    except LegacyWrapError as exc:      # checked by the planner; gone since?
        return CaseOutcome(plan, "failed", code=1, message=str(exc), last_ta4=stale_ta4)
    plog: list[np.ndarray] = []
    hourly, svals, fd_out, id_out, status, message, last_ta4, extras = run_core(
        plan.fd, plan.id, plan.ld, plan.latitudes, plan.elevations, plan.porb,
        plan.zone.shape[1], zone, plan.n24, plan.nsout, plan.albedo_table.shape[1], alb,
        plan.opacity_table.shape[1], tau, plan.climate, far_surface=far_s,
        far_atmosphere=far_a, stale_ta4=stale_ta4, print_log=plog, parc=plan.parc,
        parw=plan.parw, nlad=plan.nlad, fine_shape=plan.fine_shape)
    seconds = time.thread_time() - t0
    if status != 0:
        return CaseOutcome(plan, "failed", code=status, message=message, seconds=seconds,
                           last_ta4=last_ta4)
    return CaseOutcome(plan, "ok" if plan.nsout >= 1 else "no output", hourly=hourly,
                       season_vals=svals, fd_out=fd_out, id_out=id_out, seconds=seconds,
                       last_ta4=last_ta4,
                       print_log=plog[0] if plog and plog[0].size else None,
                       eclipse=extras or None)


def _write_far_field(o: CaseOutcome, runtime: str, layout: str) -> None:
    """Write the far-field file of a computed writing case (8 21) with the legacy
    program's routine (krc_farfield::ff_case_write through ``krc_ff_case_write``)."""
    p = o.plan
    status, message = _krcio().krc_ff_case_write(
        _text(p.far_field_out), LAYOUTS[layout], p.fd, p.ld, p.latitudes, p.elevations,
        p.title.encode("latin-1", "replace"), runtime.encode("ascii"), o.fd_out, o.id_out,
        np.asfortranarray(o.hourly), np.asfortranarray(o.season_vals))
    if status != 0:
        o.output_error = f"cannot write the far-field file {p.far_field_out}: {_str(message).strip()}"


def _run_in_order(run: RunPlan, total: int, runtime: str, layout: str) -> list[CaseOutcome]:
    """The cases one after another in deck order (far-field decks): each far-field
    file is written as soon as its case is computed, the T_a^4 of the last
    integrated atmosphere is handed on, and a failed case is replanned at once
    (it passes on no orbit geometry) before the next case is computed."""
    assumed = [True] * len(run.cases)
    outcomes: list[CaseOutcome] = []
    stale = 0.0
    for k in range(total):
        o = _compute(run.cases[k], stale)
        if o.status == "failed" and assumed[k]:
            assumed[k] = False
            # a plan only: the outputs were checked, and the files written so far exist now
            run.cases[:] = plan_deck(run.input_name, "", assume_ok=assumed).cases
            o.plan = run.cases[k]
        stale = o.last_ta4
        if o.status == "ok" and o.plan.far_field_out:
            _write_far_field(o, runtime, layout)
        outcomes.append(o)
    return outcomes


def _compute_pieces(plan: CasePlan, zone: np.ndarray, alb: np.ndarray, tau: np.ndarray,
                    t0: float) -> CaseOutcome:
    """A case with mid-case change lists (krc-onepoint 8.2): its pieces in order
    (``krc_run_piece``, the routine the legacy program runs), each with its own
    parameters, from the state the previous one left."""
    io = _krcio()
    n4, n1 = len(plan.latitudes), int(plan.id[0])
    cj5, cstate = 0, np.zeros((n1, n4), order="F")
    cvec, cscal = np.zeros((3, n4), order="F"), np.zeros(3)
    hourly = np.zeros((plan.n24, 7, n4, plan.nsout), order="F")
    svals = np.zeros((5, plan.nsout), order="F")
    jdisk = int(plan.id[11]) if plan.id[11] > 0 else 9999
    fd_out, id_out = plan.fd.copy(), plan.id.copy()
    for q in [plan, *plan.pieces]:
        qz = q.zone if q.zone.shape[1] else zone
        h, sv, fo, io_, cj5, cstate, cvec, cscal, status, message = _krc_piece(
            io, q, qz, alb, tau, cj5, cstate, cvec, cscal)
        if status != 0:
            return CaseOutcome(plan, "failed", code=int(status), message=_str(message),
                               seconds=time.thread_time() - t0)
        first, last = q.seasons
        lo, hi = max(1, first - jdisk + 1), min(plan.nsout, last - jdisk + 1)
        if hi >= lo:
            hourly[:, :, :, lo - 1:hi] = h[:, :, :, lo - 1:hi]
            svals[:, lo - 1:hi] = sv[:, lo - 1:hi]
        if first <= jdisk <= last:
            fd_out, id_out = fo, io_
    seconds = time.thread_time() - t0
    return CaseOutcome(plan, "ok" if plan.nsout >= 1 else "no output", hourly=hourly,
                       season_vals=svals, fd_out=fd_out, id_out=id_out, seconds=seconds)


def _krc_piece(io: Any, q: CasePlan, zone: np.ndarray, alb: np.ndarray, tau: np.ndarray,
               cj5: int, cstate: np.ndarray, cvec: np.ndarray, cscal: np.ndarray) -> tuple[Any, ...]:
    """One piece through ``krc_run_piece``: (hourly, svals, fd_out, id_out, carry..., status,
    message)."""
    h, sv, fo, io_, st, msg = None, None, None, None, 0, b""
    cj5, cstate, cvec, cscal, h, sv, fo, io_, st, msg = io.krc_run_piece(
        q.fd, q.id, q.ld, q.latitudes, q.elevations, q.porb, q.zone.shape[1], zone, q.n24,
        q.nsout, q.albedo_table.shape[1], alb, q.opacity_table.shape[1], tau,
        q.seasons[0], q.seasons[1], cj5, cstate, cvec, cscal)
    return h, sv, fo, io_, cj5, cstate, cvec, cscal, st, msg


def _compute_point(plan: CasePlan, zone: np.ndarray, alb: np.ndarray, tau: np.ndarray,
                   t0: float) -> CaseOutcome:
    """A one-point request through the core (``krc_point_case``: the case and the
    temperatures at its hour, the routine the legacy program runs)."""
    hourly, svals, fd_out, id_out, point, status, message = _krcio().krc_point_case(
        plan.fd, plan.id, plan.ld, plan.latitudes, plan.elevations, plan.porb,
        plan.zone.shape[1], zone, plan.n24, plan.nsout, plan.albedo_table.shape[1], alb,
        plan.opacity_table.shape[1], tau)
    seconds = time.thread_time() - t0
    if status != 0:
        return CaseOutcome(plan, "failed", code=int(status), message=_str(message),
                           seconds=seconds)
    return CaseOutcome(plan, "ok" if plan.nsout >= 1 else "no output", hourly=hourly,
                       season_vals=svals, fd_out=fd_out, id_out=id_out, seconds=seconds,
                       point=(float(point[0]), float(point[1])))


def run_cases(run: RunPlan, jobs: int = 1,
              progress: Callable[[CaseOutcome, int, int], None] | None = None,
              upto: int | None = None, *, runtime: str | None = None,
              far_field_layout: str = "compact") -> list[CaseOutcome]:
    """Compute the planned cases (``jobs`` > 1: in a thread pool; the same bits).

    Every case is computed from the inputs the Fortran driver planned for it.
    If a case fails, the run is planned again with that outcome (a failed
    case passes on no orbit geometry) and the cases whose inputs changed are
    computed again, so the results never depend on ``jobs``.  ``upto``: only
    the first ``upto`` cases.  ``progress(outcome, done, total)`` is called
    once per case, in deck order.  A deck with far-field files runs its cases
    in deck order (``jobs`` is not used) and writes each far-field file
    (``far_field_layout`` "compact" or "krc"; ``runtime`` the run-time text of
    its parameter common, default now) as soon as its case is computed.
    """
    if far_field_layout not in LAYOUTS:
        raise InputError(f"far_field_layout = {far_field_layout!r}: choose one of "
                         f"{sorted(LAYOUTS)}")
    cases = run.cases[:upto]
    total = len(cases)
    if any(c.far_field for c in run.cases):
        outcomes = _run_in_order(run, total, runtime_text() if runtime is None else runtime,
                                 far_field_layout)
    elif jobs <= 1 or total <= 1:
        outcomes = [_compute(c) for c in cases]
    else:
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="krc-case") as pool:
            outcomes = list(pool.map(_compute, cases))
    assumed = [True] * len(run.cases)
    for _ in range(len(run.cases) + 1):
        actual = [o.status != "failed" for o in outcomes] + assumed[total:]
        if actual == assumed:
            break
        assumed = actual
        again = plan_deck(run.input_name, "", assume_ok=assumed)   # outputs checked already
        run.cases[:] = again.cases
        for k in range(total):
            if again.cases[k].inputs() != outcomes[k].plan.inputs():
                outcomes[k] = _compute(again.cases[k])
            else:
                outcomes[k].plan = again.cases[k]
    if progress is not None:
        for k, o in enumerate(outcomes):
            progress(o, k + 1, total)
    return outcomes


def write_outputs(run: RunPlan, outcomes: Sequence[CaseOutcome], *, runtime: str,
                  total_seconds: float) -> tuple[int, list[str]]:
    """Write the print file and the type-52 files of the run with the Fortran
    driver (``krc_write``: the legacy program's sequence and writers, every
    file through a temporary name).  Returns the run's exit status and the
    errors of outputs that could not be written."""
    io = _krcio()
    n = len(run.cases)
    kstatus = np.zeros(n, dtype=np.int32)
    kmessage = np.array([b""] * max(n, 1), dtype="S256")[:n]
    seconds = np.zeros(n)
    dims = np.zeros((3, n), dtype=np.int32, order="F")
    fd_out = np.zeros((96, n), order="F")
    id_out = np.zeros((40, n), dtype=np.int32, order="F")
    point = np.zeros((2, max(n, 1)), order="F")
    hoff = np.zeros(n, dtype=np.int32)
    soff = np.zeros(n, dtype=np.int32)
    ploff = np.zeros(max(n, 1), dtype=np.int32)
    plen = np.zeros(max(n, 1), dtype=np.int32)
    hparts, sparts, pparts = [], [], []
    nh = ns = npl = 0
    for k, (c, o) in enumerate(zip(run.cases, outcomes)):
        dims[:, k] = (c.n24, len(c.latitudes), c.nsout)
        seconds[k] = o.seconds
        kstatus[k] = o.code if o.status == "failed" else 0
        kmessage[k] = o.message.encode("latin-1", "replace")[:256]
        if o.point is not None:
            point[:, k] = o.point
        if o.hourly is not None:
            fd_out[:, k] = o.fd_out
            id_out[:, k] = o.id_out
            h = np.asarray(o.hourly).ravel(order="F")
            sv = np.asarray(o.season_vals).ravel(order="F")
            hoff[k], soff[k] = nh, ns
            hparts.append(h)
            sparts.append(sv)
            nh += h.size
            ns += sv.size
        if o.print_log is not None:
            ploff[k], plen[k] = npl, o.print_log.size
            pparts.append(o.print_log)
            npl += o.print_log.size
    eoff = np.full(max(n, 1), -1, dtype=np.int32)
    eparts: list[np.ndarray] = []
    ne = 0
    for k, o in enumerate(outcomes[:n]):
        if o.eclipse is not None and o.status != "failed":
            packed = _pack_eclipse(o.eclipse, len(run.cases[k].latitudes))
            eoff[k] = ne
            eparts.append(packed)
            ne += packed.size
    ecl = np.concatenate(eparts) if eparts else np.zeros(1)
    hourly = np.concatenate(hparts) if hparts else np.zeros(1)
    svals = np.concatenate(sparts) if sparts else np.zeros(1)
    plog = np.concatenate(pparts) if pparts else np.zeros(1)
    if n == 0:
        kstatus, seconds = np.zeros(1, dtype=np.int32), np.zeros(1)
        kmessage = np.array([b""], dtype="S256")
        dims, fd_out = np.zeros((3, 1), dtype=np.int32, order="F"), np.zeros((96, 1), order="F")
        id_out, hoff, soff = np.zeros((40, 1), dtype=np.int32, order="F"), np.zeros(1, np.int32), \
            np.zeros(1, np.int32)
    exit_code, nmsg, msgs, kinds, _, status, message = io.krc_write(
        _text(run.input_name), _text(run.print_name), runtime.encode("ascii"),
        _date_block(runtime).encode("ascii") if os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        else b"", kstatus,
        kmessage, seconds, float(total_seconds), dims, hourly if nh else np.zeros(1), hoff,
        svals if ns else np.zeros(1), soff, fd_out, id_out, point, plog, ploff[:max(n, 1)],
        plen[:max(n, 1)], ecl, eoff[:max(n, 1)], _MAXMSG)
    if status != 0:
        _raise_refusal(int(status), _str(message))
    errors = [_str(msgs[k]) for k in range(nmsg) if kinds[k] == _MSG_OUTPUT]
    return int(exit_code), errors


def _pack_eclipse(extras: dict[str, Any], n4: int) -> np.ndarray:
    """The type-16 series and rare-eclipse records of one case in krc_write's
    layout: ntout, nrow, mcap, nlat, nfine, n4, tout, fine, fine_win, fine_end."""
    tout = np.asarray(extras.get("tout", np.zeros(0)), dtype=np.float64).ravel()
    if "fine" in extras:
        fine = np.asarray(extras["fine"], dtype=np.float64)
        win = np.asarray(extras["fine_win"], dtype=np.float64)
        end = np.asarray(extras["fine_end"], dtype=np.float64)
        nrow, mcap, nlat = fine.shape
        nfine, n4e = int(extras["nfine"]), n4
    else:
        fine = win = end = np.zeros(0)
        nrow = mcap = nlat = nfine = n4e = 0
    head = np.array([tout.size, nrow, mcap, nlat, nfine, n4e], dtype=np.float64)
    return np.concatenate([head, tout, fine.ravel(order="F"), win.ravel(order="F"),
                           end.ravel(order="F")])


def _missing_xarray() -> list[str]:
    """The modules of the optional extra 'xarray' that cannot be imported.

    h5netcdf >= 1.8 no longer pulls in h5py, which it needs to write files.
    """
    missing = []
    for mod in ("xarray", "h5netcdf", "h5py"):
        try:
            __import__(mod)
        except ImportError:
            missing.append(mod)
    return missing


def write_xarray(path: str | os.PathLike[str], outcomes: Sequence[CaseOutcome], *,
                 run: RunPlan, hdf5: bool = False) -> None:
    """Write every computed case into one NetCDF4 (or HDF5) file: :mod:`legacy_wrap.krc.netcdf`."""
    from .netcdf import write_results
    done = [o for o in outcomes if o.status == "ok" and o.result is not None]
    write_results(path, [(o.plan.number, o.result) for o in done],  # type: ignore[misc]
                  title=run.cases[0].title if run.cases else "", deck=run.input_name,
                  not_computed=[o.plan.number for o in outcomes if o.status != "ok"], hdf5=hdf5)


# --------------------------------------------------------------------------- command line


def _with_ext(name: str, ext: str) -> str:
    return name if os.path.splitext(name)[1] else name + ext


def _dialogue_item(stream: IO[str]) -> str | None:
    """One list-directed character item from the dialogue; None = '/' (keep the default).

    Blank lines are skipped (a list-directed read moves on to the next record);
    quoted names may contain blanks.  Raises EOFError at the end of the input.
    """
    while True:
        line = stream.readline()
        if line == "":
            raise EOFError
        s = line.strip()
        if not s:
            continue
        if s[0] in "'\"":
            end = s.find(s[0], 1)
            value = s[1:end] if end > 0 else s[1:]
            return value.strip() or None
        if s[0] in "/,":
            return None
        return re.split(r"[\s,/]", s, maxsplit=1)[0]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run a KRC input deck with the KRC 3.6.5-compatible model (airless bodies "
                    "and Mars with its atmosphere). "
                    "Without arguments: the original dialogue on standard input (input file "
                    "name, then print file name or '/').",
        epilog="exit status: 0 ok; 1 a case failed or an output could not be written; "
               "2 bad deck, command line or missing file (nothing written); "
               "3 unsupported option (one-point mode: nothing written; other options: "
               "those cases are left zero in the type-52 file). krc --example lists the "
               "example decks shipped with the package")
    parser.add_argument("deck", help="input deck ('.inp' added when the name has no extension)")
    parser.add_argument("--print", dest="print_file", metavar="FILE",
                        help="print file (default: the deck name with '.prt')")
    parser.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                        help="run up to N cases at once in threads (0 = one per CPU; default 1)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no progress and no warnings on stderr (errors are still shown)")
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--netcdf", metavar="FILE", help="also write the results as CF NetCDF4 "
                     "(one case: at the root; several: a 'case' dimension, or groups case_NNN "
                     "when their shapes differ; needs legacy-wrap[xarray])")
    fmt.add_argument("--hdf5", metavar="FILE", help="also write the results as HDF5 "
                     "(same layout; needs legacy-wrap[xarray])")
    parser.add_argument("--far-field-layout", choices=sorted(LAYOUTS), default=None,
                        help="layout of the far-field files the deck writes (8 21): compact "
                             "(default, or the environment variable LW_FAR_FIELD_LAYOUT) or krc "
                             "(the original program's 25.6 MB records)")
    parser.add_argument("--example", metavar="NAME", help="used alone: copy the shipped "
                        "example deck NAME.inp into the current folder (no NAME: list them)")
    parser.add_argument("--version", action="version", version=f"%(prog)s (legacy-wrap "
                        f"{__version__}, KRCv3.6.5-compatible)")
    return parser


def _format_deck_error(exc: DeckError) -> str:
    """``path:line:column: message`` (compiler style) for a deck error."""
    text = str(exc)
    if exc.path is None:
        return text
    prefix = str(exc.path)
    if exc.line is not None:
        prefix += f", line {exc.line}"
        if exc.column is not None:
            prefix += f", column {exc.column}"
    body = text.removeprefix(prefix + ": ")
    loc = str(exc.path)
    if exc.line is not None:
        loc += f":{exc.line}:{exc.column if exc.column is not None else 1}"
    return f"{loc}: {body}"


class _Reporter:
    """Messages on stderr: errors always; warnings unless quiet; progress on a terminal only."""

    def __init__(self, quiet: bool, stream: IO[str] | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.quiet = quiet
        self.tty = (not quiet) and bool(getattr(self.stream, "isatty", lambda: False)())

    def error(self, message: str) -> None:
        print(f"{PROG}: error: {message}", file=self.stream)

    def warn(self, message: str) -> None:
        if not self.quiet:
            print(f"{PROG}: warning: {message}", file=self.stream)

    def progress(self, outcome: CaseOutcome, done: int, total: int) -> None:
        if self.tty:
            extra = "" if outcome.status == "ok" else f" ({outcome.status})"
            print(f"{PROG}: case {outcome.plan.number} done{extra} [{done}/{total}]",
                  file=self.stream, flush=True)


def _run(input_name: str, print_name: str, *, jobs: int, quiet: bool, netcdf: str | None,
         hdf5: str | None, far_field_layout: str | None = None) -> int:
    t_run0 = time.process_time()
    rep = _Reporter(quiet)
    # ---- everything that can be refused is checked before computing anything ----------
    layout = far_field_layout
    if layout is None:
        layout = os.environ.get("LW_FAR_FIELD_LAYOUT", "").strip() or "compact"
        if layout not in LAYOUTS:
            rep.error(f"LW_FAR_FIELD_LAYOUT = {layout}: choose compact (the default) or krc "
                      "(the original program's layout)")
            return EXIT_USAGE
    if netcdf or hdf5:
        missing = _missing_xarray()
        if missing:
            rep.error(f"{'--netcdf' if netcdf else '--hdf5'} needs {', '.join(missing)}: "
                      "install the optional extra: pip install 'legacy-wrap[xarray]' h5py")
            return EXIT_USAGE
    try:
        if not Path(input_name).is_file():
            raise FileAccessError(f"cannot read the input file {input_name!r}: no such file")
        run = plan_deck(input_name, print_name)
        for extra in (netcdf, hdf5):
            if extra and not Path(extra).resolve().parent.is_dir():
                raise FileAccessError(f"cannot write {extra!r}: its folder does not exist")
    except DeckError as exc:
        rep.error(_format_deck_error(exc))
        return EXIT_USAGE
    except UnsupportedOptionError as exc:   # one-point mode
        rep.error(str(exc))
        return EXIT_UNSUPPORTED
    except (FileAccessError, InputError) as exc:
        rep.error(str(exc))
        return EXIT_USAGE
    for w in run.warnings:
        rep.warn(w)
    runtime = runtime_text()
    # ---- compute ------------------------------------------------------------------------
    workers = (os.cpu_count() or 1) if jobs == 0 else jobs
    outcomes = run_cases(run, jobs=workers, progress=rep.progress, runtime=runtime,
                         far_field_layout=layout)
    far_failed = False
    for o in outcomes:
        if o.output_error:
            rep.error(o.output_error)
            far_failed = True
        if o.status == "skipped":
            rep.error(f"case {o.plan.number} not computed (left zero in the type-52 file): "
                      f"not implemented yet: {o.message}")
        elif o.status == "failed":
            rep.error(f"case {o.plan.number} failed (left zero in the type-52 file): {o.message}")
        if o.result is not None and (note := convergence_message(o.result)) is not None:
            rep.warn(f"case {o.plan.number}: {note}")
    # ---- write (the Fortran writers, in the legacy program's order) -------------------
    try:
        status, errors = write_outputs(run, outcomes, runtime=runtime,
                                       total_seconds=time.process_time() - t_run0)
    except DeckError as exc:                # the deck changed while the cases ran
        rep.error(_format_deck_error(exc))
        return EXIT_USAGE
    for e in errors:
        rep.error(e)
    try:
        if netcdf or hdf5:
            write_xarray(netcdf or hdf5, outcomes, run=run, hdf5=bool(hdf5))  # type: ignore[arg-type]
    except (LegacyWrapError, OSError, ImportError, ValueError) as exc:
        rep.error(f"cannot write the outputs: {type(exc).__name__}: {exc}")
        return EXIT_FAILED
    if far_failed and status == EXIT_OK:
        return EXIT_FAILED
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``krc`` console script; returns the exit status."""
    with warnings.catch_warnings():   # convergence: reported as "krc: warning: case N: ..."
        warnings.simplefilter("ignore", ConvergenceWarning)
        return _main(argv)


def _main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0].split("=", 1)[0] == "--example":   # shipped decks: example_decks.py
        from .example_decks import console_example
        return console_example(args[1:] if args[0] == "--example" else
                               [args[0].split("=", 1)[1]] + args[1:])
    if not args:
        stdin = sys.stdin
        interactive = bool(getattr(stdin, "isatty", lambda: False)())
        try:
            if interactive:
                print(f" Input file name [{_DEFAULT_STEM}] ('.inp' added if no extension), "
                      "or / for the default:", flush=True)
            first = _dialogue_item(stdin)
        except EOFError:
            print(f"{PROG}: error: standard input, line 1: expected the input file name "
                  "(or '/' for krc.inp), found the end of the input", file=sys.stderr)
            return EXIT_USAGE
        input_name = _with_ext(first or _DEFAULT_STEM, ".inp")
        default_print = os.path.splitext(input_name)[0] + ".prt"
        try:
            if interactive:
                print(f" Print file name [{default_print}], or / for the default:", flush=True)
            second = _dialogue_item(stdin)
        except EOFError:
            second = None
        print_name = _with_ext(second, ".prt") if second else default_print
        if not Path(input_name).is_file():
            print(f"{PROG}: error: standard input, line 1: the input file {input_name!r} "
                  "does not exist", file=sys.stderr)
            return EXIT_USAGE
        return _run(input_name, print_name, jobs=1, quiet=False, netcdf=None, hdf5=None)
    parser = _build_parser()
    ns = parser.parse_args(args)
    if ns.example is not None:
        parser.error("--example NAME is used alone: krc --example NAME")
    if ns.jobs < 0:
        parser.error("--jobs must be >= 0")
    input_name = _with_ext(ns.deck, ".inp")
    print_name = ns.print_file or os.path.splitext(input_name)[0] + ".prt"
    try:
        return _run(input_name, print_name, jobs=ns.jobs, quiet=ns.quiet, netcdf=ns.netcdf,
                    hdf5=ns.hdf5, far_field_layout=ns.far_field_layout)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
