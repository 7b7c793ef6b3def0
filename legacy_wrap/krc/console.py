"""The ``krc`` console script: a drop-in replacement of the KRC 3.6.5 program.

Two ways to call it::

    krc                 the original dialogue on standard input:
                        line 1: the input file name ('.inp' added when it has
                                no extension; '/' = the default 'krc.inp')
                        line 2: the print file name ('.prt' added likewise;
                                '/' = input name with '.prt')
    krc DECK [--print FILE] [--jobs N] [--quiet] [--netcdf FILE | --hdf5 FILE]

Every case of the deck is run with :func:`legacy_wrap.krc.run`; the type-52
file named by the deck's change line ``8 5 0 'name'`` is written relative to
the current directory, as the original does.  Zone tables named by ``8 25``
are looked up in the deck's folder, as :func:`legacy_wrap.krc.read_deck` and
the Fortran ``krc`` program of this package do (KRC itself uses the current
directory: the same whenever the deck is in the current directory).  ``--netcdf``/``--hdf5`` also write every computed
case (``Result.to_xarray()``) into one NetCDF4/HDF5 file (layout: :mod:`legacy_wrap.krc.netcdf`;
needs the extra ``legacy-wrap[xarray]``).

State carried between cases (as KRC): N3 lowered by the model in one case
(to at most DELJUL/PERIOD sols) stays lowered in the following cases unless
their change lines set N3 again.  ``--jobs N`` runs cases in a thread pool
(the Fortran core releases the GIL): each case is started with the N3 it is
predicted to inherit and is checked, in deck order, against the N3 the
previous case really left; a case whose prediction was wrong is run again,
so the files never depend on N.

What is refused or left out (the message says which case and why), as the
Fortran ``krc`` program of this package does:

* one-point mode (change types 10/11) in any case: "not implemented yet", nothing is computed or
  written, exit status 3;
* options the model does not implement (eclipses ``14``, planetary flux
  ``15``, far-field files ``8 3/8 4``, the climate opacity file ``8 24``,
  mid-case change lists): those cases are not computed and their slot of the
  type-52 file stays all zero -- KRC's own convention for a case that failed --
  and the exit status is 3;
* outputs that are not produced (high-resolution output ``16``, direct-access
  files ``8 21``): a warning; the type-52 file is unaffected.

Exit status: 0 success; 1 a case failed in the model or an output could not
be written; 2 a bad deck, a bad command line or a missing file (nothing is
written); 3 an unsupported option (see above).

Print file: written by the Fortran print routines of the legacy program
(``legacy_wrap._krcio``, module ``fortran/krc_prt.f90``), called in the order
``fortran/krc_main.f90`` calls them, so both front doors write the same print
file apart from run times (:func:`write_print_file`).  This module only keeps
the program's counters (cases, type-52 files, pages) and the few words the
program changes in its parameter common between cases (see
:class:`_PrintRun`).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from .. import __version__
from ..errors import (
    DeckError,
    FileAccessError,
    InputError,
    LegacyWrapError,
    NativeError,
    UnsupportedOptionError,
)
from .deck import Case, ChangeLine, Deck, parse_deck
from ..errors import ConvergenceWarning
from .model import Result, convergence_message, run
from .params import MAXN3, Params
from .t52 import KOMMON, T52Sizes, runtime_text, t52_sizes, write_t52

__all__ = [
    "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "EXIT_UNSUPPORTED",
    "CasePlan", "CaseOutcome", "T52Group",
    "load_deck", "plan_cases", "check_run_options", "t52_groups", "read_tables",
    "run_cases",
    "write_print_file", "write_xarray", "main",
]

EXIT_OK = 0            #: every case computed, every output written
EXIT_FAILED = 1        #: a case failed in the model, or an output could not be written
EXIT_USAGE = 2         #: bad deck / command line / missing file: nothing written
EXIT_UNSUPPORTED = 3   #: an option the model does not implement (see the module doc)

PROG = "krc"
_DEFAULT_STEM = "krc"  #: KRC's default input stem
_MAXN3 = MAXN3 - 1     #: largest N3 KRC keeps (15)


# --------------------------------------------------------------------------- planning


@dataclass
class CasePlan:
    """What the console will do with one case of the deck (decided before running)."""

    number: int                  #: 1-based case number in the run (KRC's NCASE)
    case: Case
    params: Params               #: parameters after the case's change lines (deck values)
    sets_n3: bool                #: the case's change lines set N3 (no carry-over into it)
    skip: list[str] = field(default_factory=list)   #: why the model cannot compute it
    notes: list[str] = field(default_factory=list)  #: outputs of the case that are not produced
    sizes: T52Sizes | None = None  #: type-52 sizes (None: no output season, JDISK > N5)
    albedo_table: np.ndarray | None = None   #: the 8 22 table (Ls, ALB), read when planned
    opacity_table: np.ndarray | None = None  #: the 8 23 table (Ls, TAUD)

    @property
    def has_output(self) -> bool:
        """True if the case has at least one output season (JDISK <= N5)."""
        return self.sizes is not None

    @property
    def computable(self) -> bool:
        """True if the model can compute the case as the deck asks."""
        return not self.skip


@dataclass
class CaseOutcome:
    """What happened to one case."""

    plan: CasePlan
    status: str                  #: "ok", "skipped" (unsupported), "failed" or "no output"
    result: Result | None = None
    n3_used: int | None = None   #: N3 the case was run with (after carry-over)
    n3_after: int | None = None  #: N3 the case leaves for the next one
    message: str = ""            #: why skipped/failed
    code: int = 0                #: status code of the core for a failed case (print file)
    seconds: float = 0.0         #: CPU time of the case (thread), s

    @property
    def days_computed(self) -> int:
        """Sols computed in the case (NDJ4 summed over latitudes and seasons)."""
        return 0 if self.result is None else int(np.sum(self.result.days_computed))


@dataclass
class T52Group:
    """Consecutive cases stored in one type-52 file."""

    name: str                    #: file name as given on the ``8 5`` line
    line: ChangeLine | None      #: the ``8 5`` line that named it
    nrun: int                    #: KRC's NRUN: files opened so far, this one included
    members: list[int] = field(default_factory=list)  #: indices into the plan list


def load_deck(path: str | os.PathLike[str], base_dir: str | os.PathLike[str] | None = None) -> Deck:
    """Read a deck; files it names (zone tables) are looked up in ``base_dir``.

    ``base_dir`` None: the deck's folder (as :func:`~legacy_wrap.krc.read_deck`).
    Raises :class:`FileAccessError` if the deck cannot be read, :class:`DeckError`
    for a deck that cannot be parsed.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FileAccessError(f"cannot read the input file {str(path)!r}: "
                              f"{exc.strerror or exc}") from None
    return parse_deck(data.decode("latin-1"), path=p,
                      base_dir=p.parent if base_dir is None else Path(base_dir))


def _output_only(message: str) -> bool:
    """True for an 'unsupported' item of the deck reader that only concerns an extra output."""
    return message.startswith("high-resolution output") or message.startswith("file '8 21'")


#: Items of the deck reader about change types that do not stop a case from
#: being computed here: types 4/5 (new latitudes/elevations, read as intended)
#: and 9 (a new deck) are computed as the Fortran program computes them; types
#: 10/11 (one-point mode) refuse the whole run (:func:`check_run_options`).
_CHANGE_TYPE_ITEM = re.compile(r"line \d+: change type (\d+) ")


def _sets_n3(changes: Sequence[ChangeLine]) -> bool:
    return any(ch.applied and ((ch.type == 2 and ch.index == 3) or ch.type == 9) for ch in changes)


def read_tables(plans: Sequence[CasePlan]) -> None:
    """Read and check the seasonal tables (8 22, 8 23) of every case: an
    unreadable or invalid one stops the run before anything is computed
    (DeckError, exit 2), as the Fortran program's check of the whole deck."""
    for plan in plans:
        plan.albedo_table, plan.opacity_table = plan.case.season_tables()


def plan_cases(deck: Deck) -> list[CasePlan]:
    """Decide for every case of ``deck`` whether it can be computed and what it outputs."""
    plans = []
    for k, case in enumerate(deck.cases):
        params = case.params.copy()
        plan = CasePlan(number=k + 1, case=case, params=params, sets_n3=_sets_n3(case.changes))
        for item in case.unsupported:
            m = _CHANGE_TYPE_ITEM.match(item)
            if _output_only(item):
                plan.notes.append(item.replace("is in effect", "is not written by this version"))
            elif m and int(m.group(1)) in (4, 5):
                plan.notes.append(f"{item}: computed with the values read (KRC 3.6.5 itself "
                                  "aborts on this change type)")
            elif not m:
                plan.skip.append(item)
        checked = params.copy()
        checked.apply_krc_checks()
        if checked.nsout >= 1:
            plan.sizes = t52_sizes(int(checked.id[5]), int(checked.id[3]), checked.nsout)
        plans.append(plan)
    return plans


def check_run_options(deck: Deck, plans: Sequence[CasePlan]) -> None:
    """Raise :class:`UnsupportedOptionError` if any case needs one-point mode
    (change types 10/11): like the Fortran program,
    the run is refused before anything is computed or written."""
    deck_name = str(deck.path) if deck.path is not None else "the deck"
    for plan in plans:
        case = plan.case
        if case.ended_by in ("type 10", "type 11"):
            line = case.changes[-1].line if case.changes else None
            raise UnsupportedOptionError(
                f"{deck_name}, line {line}: change type {case.ended_by[5:]} (one-point mode, "
                "formats 1.11) is not implemented yet. Nothing was computed or written.")


def _name_column(line: ChangeLine | None, name: str) -> int | None:
    if line is None:
        return None
    pos = line.raw.find(name)
    return pos + 1 if pos >= 0 else None


def t52_groups(deck: Deck, plans: Sequence[CasePlan], cwd: Path | None = None) -> list[T52Group]:
    """Split the cases into type-52 files as KRC does and check each file can be written.

    A new file starts at a case whose change lines contain an ``8 5`` line (KRC
    closes the open file there) or whose file name differs.  Cases without an
    output season are not stored.  Raises :class:`DeckError` (deck, line,
    column) if cases of one file differ in N24, N4 or NSOUT, or if a file's
    folder does not exist.
    """
    base = Path.cwd() if cwd is None else cwd
    where = str(deck.path) if deck.path is not None else "<deck>"
    groups: list[T52Group] = []
    current: T52Group | None = None
    pending_open = False
    line_in_effect: ChangeLine | None = None
    for k, plan in enumerate(plans):
        for ch in plan.case.changes:
            # as krc_main: any '8 5' or type-9 line writes the open file (even one not applied)
            if ch.type == 8 and ch.index == 5:
                pending_open, line_in_effect = True, ch
            elif ch.type == 9:
                pending_open, line_in_effect = True, None
        name = plan.case.t52_name
        if name is None:
            current = None
            continue
        if plan.sizes is None:
            continue
        if current is None or pending_open or name != current.name:
            current = T52Group(name=name, line=line_in_effect, nrun=len(groups) + 1)
            groups.append(current)
        pending_open = False
        if current.members:
            first = plans[current.members[0]]
            a, b = first.sizes, plan.sizes
            assert a is not None
            if (a.n24, a.n4, a.nsout) != (b.n24, b.n4, b.nsout):
                line = plan.case.changes[0].line if plan.case.changes else plan.case.end_line
                raise DeckError(
                    f"case {plan.number} has N24 = {b.n24}, N4 = {b.n4}, NSOUT = N5-JDISK+1 = "
                    f"{b.nsout}, but case {first.number} stored in the same type-52 file "
                    f"{name!r} has N24 = {a.n24}, N4 = {a.n4}, NSOUT = {a.nsout}: all cases of "
                    "one type-52 file must share them; start a new file with an '8 5' line",
                    path=where, line=line, column=1 if line else None)
        current.members.append(k)
    seen: dict[str, int] = {}
    for g in groups:
        target = base / g.name
        lineno = g.line.line if g.line is not None else None
        col = _name_column(g.line, g.name)
        if not target.parent.is_dir():
            raise DeckError(f"cannot write the type-52 file {g.name!r}: the folder "
                            f"{str(target.parent)!r} does not exist (KRC names it relative "
                            "to the current directory)", path=where, line=lineno, column=col)
        if target.is_dir():
            raise DeckError(f"cannot write the type-52 file {g.name!r}: it is a folder",
                            path=where, line=lineno, column=col)
        seen[g.name] = seen.get(g.name, 0) + 1
    for name, count in seen.items():
        if count > 1:
            deck.warnings.append(f"the type-52 file {name!r} is opened {count} times: "
                                 "only the last one is kept (as KRC)")
    return groups


# --------------------------------------------------------------------------- running


def _checked_n3(params: Params, n3_in: int) -> Params:
    p = params.copy()
    p.id[2] = n3_in
    p.apply_krc_checks()
    return p


def predict_n3_after(params: Params, n3_in: int) -> int:
    """N3 a case run with N3 = ``n3_in`` is expected to leave for the next case.

    KRC lowers N3 to min(N3, floor(DELJUL/PERIOD), 15) when N5 > 1 (physics
    5.3).  Used only to schedule parallel runs (every prediction is checked
    against what the model really did) and for cases that are not computed.
    """
    p = _checked_n3(params, n3_in)
    n3 = int(p.id[2])
    period, deljul = float(p.fd[5]), float(p.fd[41])
    if int(p.id[4]) > 1 and period > 0 and math.isfinite(deljul / period):
        n3 = min(n3, math.floor(deljul / period), _MAXN3)
    return n3


def _status_code(exc: LegacyWrapError) -> int:
    """The core's status code behind an error of :func:`~legacy_wrap.krc.model.run`."""
    status = getattr(exc, "status", None)
    if isinstance(status, int):
        return status
    if isinstance(exc, InputError) and str(exc).startswith("numerically unstable layer grid"):
        return 23
    return 1


def _execute(plan: CasePlan, n3_in: int) -> CaseOutcome:
    """Run one case with N3 = ``n3_in`` (thread-safe: the core keeps no state)."""
    t0 = time.thread_time()
    outcome = _execute_case(plan, n3_in)
    outcome.seconds = time.thread_time() - t0
    return outcome


def _execute_case(plan: CasePlan, n3_in: int) -> CaseOutcome:
    if plan.skip:
        return CaseOutcome(plan, "skipped", n3_used=n3_in,
                           n3_after=predict_n3_after(plan.params, n3_in),
                           message="; ".join(plan.skip))
    if not plan.has_output:
        return CaseOutcome(plan, "no output", n3_used=n3_in,
                           n3_after=predict_n3_after(plan.params, n3_in),
                           message="JDISK > N5: no output season")
    params = plan.params.copy()
    params.id[2] = n3_in
    try:
        result = run(params, albedo_table=plan.albedo_table, opacity_table=plan.opacity_table)
    except UnsupportedOptionError as exc:  # refused by the core before it starts
        return CaseOutcome(plan, "skipped", n3_used=n3_in,
                           n3_after=int(_checked_n3(plan.params, n3_in).id[2]), message=str(exc))
    except LegacyWrapError as exc:
        # A failed case passes on N3 as the core lowers it at the start of a case
        # (physics 5.3), as KRC and the Fortran krc program do.
        return CaseOutcome(plan, "failed", n3_used=n3_in,
                           n3_after=predict_n3_after(plan.params, n3_in), message=str(exc),
                           code=_status_code(exc))
    return CaseOutcome(plan, "ok", result=result, n3_used=n3_in,
                       n3_after=int(result.id_snapshot[2]))


def _n3_in(plan: CasePlan, carried: int | None) -> int:
    return int(plan.params.id[2]) if plan.sets_n3 or carried is None else carried


def run_cases(plans: Sequence[CasePlan], jobs: int = 1,
              progress: Callable[[CaseOutcome, int, int], None] | None = None) -> list[CaseOutcome]:
    """Run the cases in deck order semantics, with KRC's N3 carry-over.

    ``jobs`` > 1 runs cases in a thread pool; the results are the same as with
    ``jobs`` = 1 (see the module doc).  ``progress(outcome, done, total)`` is
    called once per case, in deck order.
    """
    total = len(plans)
    outcomes: list[CaseOutcome] = []
    carried: int | None = None
    if jobs <= 1 or total <= 1:
        for plan in plans:
            outcome = _execute(plan, _n3_in(plan, carried))
            carried = outcome.n3_after
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome, len(outcomes), total)
        return outcomes
    # Speculate: start every case with the N3 it is predicted to inherit ...
    guesses: list[int] = []
    state: int | None = None
    for plan in plans:
        n3 = _n3_in(plan, state)
        guesses.append(n3)
        state = predict_n3_after(plan.params, n3)
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="krc-case") as pool:
        futures: list[Future[CaseOutcome]] = [
            pool.submit(_execute, plan, n3) for plan, n3 in zip(plans, guesses)]
        # ... then accept them in deck order only if the guess was the real carry-over.
        for k, plan in enumerate(plans):
            required = _n3_in(plan, carried)
            outcome = futures[k].result()
            if outcome.n3_used != required:
                outcome = _execute(plan, required)
            carried = outcome.n3_after
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome, len(outcomes), total)
    return outcomes


# --------------------------------------------------------------------------- outputs


def _umask() -> int:
    """The process umask, read without changing it where Linux tells it
    (/proc/self/status): os.umask() would briefly set it for every thread."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _atomic_output(path: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary file beside ``path`` for the caller to fill; renamed onto
    ``path`` (with the umask's permissions) when the block succeeds, removed
    when it raises: an output is never half-written."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".tmp", dir=folder)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_print_file(path: str | os.PathLike[str], deck: Deck, outcomes: Sequence[CaseOutcome], *,
                     input_name: str, print_name: str, runtime: str,
                     t52_iret: Sequence[int] = (), total_seconds: float = 0.0) -> None:
    """Write the print file (``.prt``) of a run, as the Fortran ``krc`` program does.

    Every section is written by the Fortran print routines
    (``legacy_wrap._krcio``, formats section 2) in the order of
    ``fortran/krc_main.f90``: debug line, per change list the banner and one
    echo per change line, per case the page heading with the parameter echo
    and the layer table (first case, or LP2 and the list had change lines),
    the type-52 lines, the RUN-CASE separator, the FATAL lines of a failed
    case, the LP5 tables (LP5), the timing lines; the end-of-run lines.

    ``outcomes``: one per case of ``deck``, in deck order (:func:`run_cases`).
    ``input_name``/``print_name``: the names shown on the file lines.
    ``t52_iret``: status of the write of each type-52 file the run opens, in
    order (0 = written; default all 0).  ``total_seconds``: CPU time of the run.
    Written to a temporary file and renamed.
    """
    with _atomic_output(path) as tmp:
        _PrintRun(tmp, deck, outcomes, input_name=input_name, print_name=print_name,
                  runtime=runtime, t52_iret=t52_iret, total_seconds=total_seconds).write()


def _krcio() -> Any:
    from .. import _krcio
    return _krcio


def _text(s: str) -> bytes:
    return s.encode("latin-1", "replace")


@dataclass
class _OpenT52:
    """The type-52 file krc_main is filling (for its print lines)."""

    name: str
    sizes: T52Sizes
    iret: int
    ncase: int = 0


class _PrintRun:
    """Replays krc_main's sequence of print calls for the outcomes of a run.

    Bookkeeping only: the counters NCASE, NRUN, PAGE and the words krc_main
    changes in its parameter common, which the parameter echo of later cases
    shows: ID(3) N3 (carried, see :func:`run_cases`), ID(11) NRUN (set when a
    type-52 file is opened), FD(43:45) SDEC, DAU, Ls (those of the last
    season after a case with LPORB), PARC(11:12) (the eclipse echo), and the
    coefficient arrays after each type 12-15 line (their echo).  A change line
    that sets one of these words again takes precedence, as in the program.
    """

    def __init__(self, path: str, deck: Deck, outcomes: Sequence[CaseOutcome], *,
                 input_name: str, print_name: str, runtime: str, t52_iret: Sequence[int],
                 total_seconds: float) -> None:
        self.io = _krcio()
        self.path = os.fsencode(path)
        self.deck = deck
        self.outcomes = outcomes
        self.input_name = _text(input_name)
        self.print_name = _text(print_name)
        self.runtime = _text(runtime)
        self.t52_iret = list(t52_iret)
        self.total_seconds = total_seconds
        self.nstarted = self.ncase = self.nrun = self.page = self.opened = 0
        self.first_case = True
        self.f52: _OpenT52 | None = None
        self.nrun_word: int | None = None                      # ID(11)
        self.geometry: list[float | None] = [None, None, None]  # FD(43:45)
        self.coef = np.asarray(deck.initial.fd[48:64], dtype=np.float64).copy()  # FD(49:64)
        self.parc = np.zeros(12)
        self.parw = np.zeros(7)

    # ---- calls of the Fortran routines ------------------------------------------------
    def call(self, name: str, *args: Any) -> tuple[Any, ...]:
        out = getattr(self.io, "krc_prt_" + name)(self.path, *args)
        status, message = out[-2], out[-1]
        if status != 0:
            text = message.decode("latin-1") if isinstance(message, bytes) else str(message)
            raise NativeError(f"print file: krc_prt_{name} failed (status {status}): "
                              f"{text.strip()}", status=int(status))
        return tuple(out)

    # ---- the run ------------------------------------------------------------------------
    def write(self) -> None:
        deck = self.deck
        if deck.kdb != 0:
            self.call("debug", np.array((tuple(deck.debug or ()) + (0,) * 6)[:6], dtype=np.int32))
        previous = deck.initial
        for outcome in self.outcomes:
            case = outcome.plan.case
            self.call("banner", self.nstarted)
            self.coef = np.asarray(previous.fd[48:64], dtype=np.float64).copy()
            for ch in case.changes:
                self.change(ch, case.params)
            self.run_case(outcome)
            previous = case.params
        self.call("banner", self.nstarted)       # the list that ends the run (or the file)
        self.coef = np.asarray(previous.fd[48:64], dtype=np.float64).copy()
        for ch in deck.pending:                  # lines after the last case, never run
            self.change(ch, previous)
        self.close_t52(at_end=True)

    def change(self, ch: ChangeLine, after: Params) -> None:
        """Echo of one change line (formats 2.2); '8 5' and type 9 write the open file."""
        raw = _text(ch.raw[:80])
        vals = np.zeros(12)
        if ch.type is None:                      # blank line: KRC error 439
            self.call("change", -999, 0, 0.0, b"", raw, 0, vals, 0)
            return
        t, index = ch.type, int(ch.index or 0)
        nvals = 0
        if ch.applied:
            nums = np.asarray(ch.numbers, dtype=np.float64)
            if t == 1 and 43 <= index <= 45:
                self.geometry[index - 43] = None
            elif t == 1 and 49 <= index <= 64:
                self.coef[index - 49] = float(ch.value or 0.0)
            elif t == 2 and index == 11:
                self.nrun_word = None
            elif t == 9:
                self.geometry = [None, None, None]
                self.nrun_word = None
                self.coef = np.asarray(after.fd[48:64], dtype=np.float64).copy()
            elif t in (12, 13):
                base = 0 if t == 12 else 8
                n = min(nums.size, 8)
                self.coef[base:base + n] = nums[:n]
                vals[:8] = self.coef[base:base + 8]
                nvals = 8
            elif t == 14:
                n = min(nums.size, 12)
                self.parc[:n] = nums[:n]
                vals[:12] = self.parc
                nvals = 12
            elif t == 15:
                n = min(nums.size, 7)
                self.parw[:n] = nums[:n]
                vals[:7] = self.parw
                nvals = 7
            elif t == 16:
                vals[0] = float(index)
                nvals = 1
        self.call("change", t, index, float(ch.value or 0.0), _text(ch.text), raw,
                  int(ch.applied), vals, nvals)
        if (t == 8 and index == 5) or t == 9:
            self.close_t52(at_end=False)

    # ---- one case -------------------------------------------------------------------------
    def echo_params(self, outcome: CaseOutcome) -> tuple[Params, np.ndarray, np.ndarray,
                                                         np.ndarray]:
        """The case's parameters as krc_main holds them: after KRC's input resets, with
        the N3 the case runs with and the words carried from earlier cases."""
        p = outcome.plan.params.copy()
        if outcome.n3_used is not None:
            p.id[2] = outcome.n3_used
        p.apply_krc_checks()
        fd = np.zeros(96)
        fd[:64] = p.fd
        for k, v in enumerate(self.geometry):
            if v is not None:
                fd[42 + k] = v
        id_ = np.zeros(40, dtype=np.int32)
        id_[:20] = p.id
        if self.nrun_word is not None:
            id_[10] = self.nrun_word
        id_[23] = p.id24
        id_[35] = self.ncase
        ld = np.asarray(p.ld, dtype=np.int32)
        return p, fd, id_, ld

    def head(self, outcome: CaseOutcome, report: bool) -> None:
        """Page heading, file lines, parameter echo and layer table (formats 2.3-2.5)."""
        p, fd, id_, ld = self.echo_params(outcome)
        name = outcome.plan.case.t52_name
        save = name if name is not None and len(name.rstrip()) >= 4 else "no"
        lat = np.asarray(p.latitudes, dtype=np.float64)
        elev = np.asarray(p.elevations, dtype=np.float64)
        out = self.call("case_head", _text(p.title), self.nrun, self.ncase, self.runtime,
                        self.page, self.input_name, self.print_name, _text(save), fd, id_, ld,
                        lat, elev)
        self.page = int(out[0])
        zone = p.zone_table
        nzone = len(zone) if (p.lzone and zone is not None) else 0
        zone_t = np.asfortranarray(np.asarray(zone, dtype=np.float64).T) if nzone else \
            np.zeros((4, 1), order="F")
        porb = np.zeros(30) if p.porb is None else np.asarray(p.porb, dtype=np.float64)
        status, message = self.io.krc_prt_layers(self.path, fd, id_, ld, porb, nzone, zone_t,
                                                 float(self.parc[0]), float(self.parw[0]))
        if status != 0 and report:
            text = message.decode("latin-1").strip() if isinstance(message, bytes) else \
                str(message).strip()
            if text.startswith("cannot open the print file"):
                raise NativeError(f"print file: {text}", status=int(status))
            with open(self.path, "a", encoding="latin-1", newline="\n") as fh:
                fh.write(f" Layer table: {text}\n")

    def run_case(self, outcome: CaseOutcome) -> None:
        plan = outcome.plan
        case = plan.case
        self.ncase += 1
        self.nstarted += 1
        name = case.t52_name
        sizes = plan.sizes
        p, fd, _, _ = self.echo_params(outcome)
        if self.first_case or (bool(p.ld[1]) and case.changes):
            self.head(outcome, report=True)
        self.first_case = False
        if name is not None and sizes is not None and self.f52 is None:
            self.nrun += 1
            self.nrun_word = self.nrun
            iret = self.t52_iret[self.opened] if self.opened < len(self.t52_iret) else 0
            self.opened += 1
            self.f52 = _OpenT52(name, sizes, int(iret))
            self.call("t52_open", sizes.n24, sizes.n4, sizes.nsout)
        self.call("separator", self.nrun, self.ncase)
        if outcome.status == "failed":
            self.call("fatal", int(outcome.code))
            self.head(outcome, report=False)     # formats 2.1: inputs echoed again
        if self.f52 is not None and name is not None and sizes is not None:
            if self.f52.ncase < KOMMON // self.f52.sizes.kase:
                self.f52.ncase += 1
        ok = outcome.status in ("ok", "no output")   # krc_main computes either
        if ok and p.ld[4] and outcome.result is not None:
            self.lp5(p, fd, outcome.result)
        if ok and p.lporb:
            n5 = int(p.id[4])
            self.geometry = list(_season_geometry(p, fd, fd[40] + float(n5 - 1) * fd[41]))
        if self.parc[0] > 0.0 or self.parw[0] > 0.0:
            self.parc[10] = float(p.latitudes[-1])
        self.parc[11] = float(p.fd[5])
        secs = float(outcome.seconds)
        n5 = int(p.id[4])
        self.call("case_end", secs, n5, n5, self.ncase, np.array([secs, secs, 0.0]))

    def lp5(self, p: Params, fd: np.ndarray, result: Result) -> None:
        """Formats 2.6: one latitude summary per output season."""
        fd_out = np.asarray(result.fd_snapshot, dtype=np.float64)

        def pick(i: int) -> float:
            return float(fd_out[i - 1] if 1 <= i <= 96 else fd_out[76])

        lat = np.asarray(p.latitudes, dtype=np.float64)
        jdisk = int(p.id[11])
        for s in range(result.hourly.shape[3]):
            j5 = jdisk + s
            djul = fd[40] + float(j5 - 1) * fd[41]
            sdec, dau, subs = _season_geometry(p, fd, djul)
            cst = np.array([fd[0], fd[1], fd[2], sdec, dau, subs, djul, pick(int(p.id[13])),
                            pick(int(p.id[14]))])
            ts = np.asfortranarray(result.hourly[:, 0, :, s])
            dtm = np.asarray(result.hourly[1, 5, :, s], dtype=np.float64)
            ndays = np.rint(result.hourly[0, 5, :, s]).astype(np.int32)
            out = self.call("lp5", _text(p.title), self.nrun, self.ncase, self.runtime,
                            self.page, cst, j5, lat, ts, dtm, ndays)
            self.page = int(out[0])

    def close_t52(self, at_end: bool) -> None:
        """The type-52 lines when the open file is written (formats 2.1 item 3)."""
        f = self.f52
        if at_end:
            if f is None:
                self.call("run_end", 0, 0, 0, 0, 0, 0, b"", float(self.total_seconds), b"none")
            else:
                self.call("run_end", 1, f.sizes.n24, f.sizes.n4, f.sizes.nsout, f.ncase, f.iret,
                          _text(f.name), float(self.total_seconds), b"none")
        elif f is not None:
            self.call("t52_close", f.sizes.n24, f.sizes.n4, f.sizes.nsout, f.ncase, f.iret,
                      _text(f.name))
        self.f52 = None


def _season_geometry(p: Params, fd: np.ndarray, djul: float) -> tuple[float, float, float]:
    """SDEC, DAU and Ls at the date ``djul`` as krc_main's ``geometry`` gives them.

    Without LPORB: FD(43:45) as held (``fd``).  With LPORB the orbit geometry of
    the Fortran core is needed; ``_krccore`` returns it only for the first
    output season of a run (FD snapshot), so a one-sol, one-latitude, airless
    run of the core at that date gives it (about a millisecond).  Nothing of
    the orbit is computed in Python.
    """
    if not p.lporb:
        return float(fd[42]), float(fd[43]), float(fd[44])
    probe = p.copy()
    probe.set_latitudes([0.0], [0.0])
    probe.id[2] = 1         # N3
    probe.id[4] = 1         # N5
    probe.id[11] = 1        # JDISK
    probe.fd[40] = djul     # DJUL: season 1 is at this date exactly
    probe.fd[11] = 0.0      # PTOTAL: airless
    try:
        snap = run(probe).fd_snapshot
    except LegacyWrapError as exc:
        raise NativeError(f"print file: the orbit geometry at DJUL = {djul!r} could not be "
                          f"computed: {exc}") from None
    return float(snap[42]), float(snap[43]), float(snap[44])


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
                 deck: Deck, hdf5: bool = False) -> None:
    """Write every computed case into one NetCDF4 (or HDF5) file: :mod:`legacy_wrap.krc.netcdf`."""
    from .netcdf import write_results
    done = [o for o in outcomes if o.status == "ok" and o.result is not None]
    write_results(path, [(o.plan.number, o.result) for o in done],  # type: ignore[misc]
                  title=deck.cases[0].params.title if deck.cases else deck.initial.title,
                  deck=str(deck.path) if deck.path is not None else "",
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
               "3 unsupported option (one-point mode or LKEY: nothing written; other options: "
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
         hdf5: str | None) -> int:
    t_run0 = time.process_time()
    rep = _Reporter(quiet)
    # ---- everything that can be refused is checked before computing anything ----------
    if netcdf or hdf5:
        missing = _missing_xarray()
        if missing:
            rep.error(f"{'--netcdf' if netcdf else '--hdf5'} needs {', '.join(missing)}: "
                      "install the optional extra: pip install 'legacy-wrap[xarray]' h5py")
            return EXIT_USAGE
    try:
        deck = load_deck(input_name)
        plans = plan_cases(deck)
        check_run_options(deck, plans)
        groups = t52_groups(deck, plans)
        read_tables(plans)
        for extra in (print_name, netcdf, hdf5):
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
    for w in deck.warnings:
        rep.warn(w)
    for plan in plans:
        for w in plan.case.warnings:
            rep.warn(w)
        for note in plan.notes:
            rep.warn(f"case {plan.number}: {note}")
    runtime = runtime_text()
    # ---- compute ------------------------------------------------------------------------
    workers = (os.cpu_count() or 1) if jobs == 0 else jobs
    outcomes = run_cases(plans, jobs=workers, progress=rep.progress)
    failed = skipped = False
    for o in outcomes:
        if o.status == "skipped":
            rep.error(f"case {o.plan.number} not computed (left zero in the type-52 file): "
                      f"not implemented yet: {o.message}")
            skipped = True
        elif o.status == "failed":
            rep.error(f"case {o.plan.number} failed (left zero in the type-52 file): {o.message}")
            failed = True
        elif o.status == "no output":
            rep.warn(f"case {o.plan.number}: JDISK > N5, no output season: not run")
        if o.result is not None and (note := convergence_message(o.result)) is not None:
            rep.warn(f"case {o.plan.number}: {note}")   # the run() warning, on our stderr
    status = EXIT_FAILED if failed else EXIT_UNSUPPORTED if skipped else EXIT_OK
    # ---- write --------------------------------------------------------------------------
    # As the Fortran program: a type-52 file that cannot be written is reported (and
    # shown with its status in the print file); the run goes on, exit status 1.
    iret: list[int] = []
    for g in groups:
        members = [outcomes[k] for k in g.members]
        first = plans[g.members[0]].sizes
        assert first is not None
        if len(members) > first.max_cases:
            rep.warn(f"{g.name}: only {first.max_cases} of {len(members)} cases fit in "
                     "KRC's output buffer; the others are not stored (as KRC)")
            members = members[:first.max_cases]
        try:
            write_t52(g.name, [(o.plan.params, o.result) for o in members], runtime=runtime,
                      nrun=g.nrun, case_numbers=[o.plan.number for o in members])
            iret.append(0)
        except (LegacyWrapError, OSError, ValueError) as exc:
            rep.error(f"cannot write the type-52 file {g.name}: {type(exc).__name__}: {exc}")
            code = getattr(exc, "status", None)
            iret.append(code if isinstance(code, int) and code != 0 else -1)
            status = EXIT_FAILED
    try:
        write_print_file(print_name, deck, outcomes, input_name=input_name,
                         print_name=print_name, runtime=runtime, t52_iret=iret,
                         total_seconds=time.process_time() - t_run0)
        if netcdf or hdf5:
            write_xarray(netcdf or hdf5, outcomes, deck=deck, hdf5=bool(hdf5))  # type: ignore[arg-type]
    except (LegacyWrapError, OSError, ImportError, ValueError) as exc:
        rep.error(f"cannot write the outputs: {type(exc).__name__}: {exc}")
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
                    hdf5=ns.hdf5)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
