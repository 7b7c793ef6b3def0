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
case (``Result.to_xarray()``) into one NetCDF4/HDF5 file, one group
``case_NNN`` per case (needs the extra ``legacy-wrap[xarray]``).

State carried between cases (as KRC): N3 lowered by the model in one case
(to at most DELJUL/PERIOD sols) stays lowered in the following cases unless
their change lines set N3 again.  ``--jobs N`` runs cases in a thread pool
(the Fortran core releases the GIL): each case is started with the N3 it is
predicted to inherit and is checked, in deck order, against the N3 the
previous case really left; a case whose prediction was wrong is run again,
so the files never depend on N.

What is refused or left out (the message says which case and why):

* an atmosphere with KPREF = 1 (PTOTAL > 1 Pa) in any case: "atmosphere not implemented
  yet", nothing is computed or written, exit status 3;
* options the model does not implement (eclipses ``14``, planetary flux
  ``15``, far-field files ``8 3/8 4``, seasonal tables ``8 22/23/24``, change
  types 4/5/9/10/11, mid-case change lists): those cases are not computed and
  their slot of the type-52 file stays all zero -- KRC's own convention for a
  case that failed -- and the exit status is 3;
* outputs that are not produced (high-resolution output ``16``, direct-access
  files ``8 21``): a warning; the type-52 file is unaffected.

Exit status: 0 success; 1 a case failed in the model or an output could not
be written; 2 a bad deck, a bad command line or a missing file (nothing is
written); 3 an unsupported option (see above).

Print file: the print-file writer is being written in Fortran (to be exposed
as ``legacy_wrap._krcio``).  Until it exists, :func:`write_print_file` writes
a short **Python fallback** (title, file names, one line per case with the
days computed), clearly labelled as not being KRC's print format.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
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
    UnsupportedOptionError,
)
from .deck import Case, ChangeLine, Deck, parse_deck
from .model import AIRLESS_PTOTAL, Result, run
from .params import MAXN3, Params
from .t52 import T52Sizes, runtime_text, t52_sizes, write_t52

__all__ = [
    "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "EXIT_UNSUPPORTED",
    "CasePlan", "CaseOutcome", "T52Group",
    "load_deck", "plan_cases", "check_atmosphere", "t52_groups", "run_cases",
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


def _sets_n3(changes: Sequence[ChangeLine]) -> bool:
    return any(ch.applied and ((ch.type == 2 and ch.index == 3) or ch.type == 9) for ch in changes)


def plan_cases(deck: Deck) -> list[CasePlan]:
    """Decide for every case of ``deck`` whether it can be computed and what it outputs."""
    plans = []
    for k, case in enumerate(deck.cases):
        params = case.params.copy()
        plan = CasePlan(number=k + 1, case=case, params=params, sets_n3=_sets_n3(case.changes))
        for item in case.unsupported:
            if _output_only(item):
                plan.notes.append(item.replace("is in effect", "is not written by this version"))
            else:
                plan.skip.append(item)
        checked = params.copy()
        checked.apply_krc_checks()
        if checked.nsout >= 1:
            plan.sizes = t52_sizes(int(checked.id[5]), int(checked.id[3]), checked.nsout)
        plans.append(plan)
    return plans


def check_atmosphere(deck: Deck, plans: Sequence[CasePlan]) -> None:
    """Raise :class:`UnsupportedOptionError` if any case needs an atmosphere
    option the core lacks: the Viking seasonal pressure curve (PTOTAL > 1 Pa
    with KPREF = 1).  Atmospheres with KPREF 0 and 2 are computed."""
    bad = []
    for plan in plans:
        checked = plan.params.copy()
        checked.apply_krc_checks()
        ptotal = float(checked.fd[11])
        kpref = int(checked.id[15])
        if ptotal > AIRLESS_PTOTAL and kpref == 1:
            where = ""
            for ch in plan.case.changes:
                if ch.type == 2 and ch.index == 16 and ch.applied:
                    where = f" (set on line {ch.line})"
            bad.append(f"case {plan.number}: PTOTAL = {ptotal:g} Pa with KPREF = 1{where}")
    if bad:
        deck_name = str(deck.path) if deck.path is not None else "the deck"
        raise UnsupportedOptionError(
            f"atmosphere not implemented yet with the Viking pressure curve: {deck_name} asks "
            f"for KPREF = 1 in {'; '.join(bad)}. Use KPREF 0 (constant pressure) or 2 (global "
            "frost), e.g. the change line \"2 16 0 'KPREF' /\", or an airless body "
            f"(PTOTAL <= {AIRLESS_PTOTAL:g} Pa). Nothing was computed or written.")


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
            if ch.applied and ch.type == 8 and ch.index == 5:
                pending_open, line_in_effect = True, ch
            elif ch.applied and ch.type == 9:
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


def _execute(plan: CasePlan, n3_in: int) -> CaseOutcome:
    """Run one case with N3 = ``n3_in`` (thread-safe: the core keeps no state)."""
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
        result = run(params)
    except UnsupportedOptionError as exc:  # refused by the core before it starts
        return CaseOutcome(plan, "skipped", n3_used=n3_in,
                           n3_after=int(_checked_n3(plan.params, n3_in).id[2]), message=str(exc))
    except LegacyWrapError as exc:
        # A failed case passes on the N3 it was given (after KRC's input resets), as the
        # Fortran krc program does: the lowered value is only known from a finished case.
        return CaseOutcome(plan, "failed", n3_used=n3_in,
                           n3_after=int(_checked_n3(plan.params, n3_in).id[2]), message=str(exc))
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


def _atomic_text(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="latin-1", errors="replace", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_print_file(path: str | os.PathLike[str], deck: Deck, outcomes: Sequence[CaseOutcome], *,
                     input_name: str, print_name: str, runtime: str) -> None:
    """Write the print file (``.prt``) of a run.

    The KRC print format is being implemented in Fortran (``legacy_wrap._krcio``);
    until it is available this writes the Python fallback of
    :func:`_print_fallback_text`.
    """
    # Wire the Fortran print-file writer (legacy_wrap._krcio) in here once it exists.
    _atomic_text(Path(path), _print_fallback_text(deck, outcomes, input_name=input_name,
                                                  print_name=print_name, runtime=runtime))


def _print_fallback_text(deck: Deck, outcomes: Sequence[CaseOutcome], *, input_name: str,
                         print_name: str, runtime: str) -> str:
    """PYTHON FALLBACK print file: title, file lines, one line per case.  Not KRC's format."""
    out = [f" legacy-wrap {__version__} krc: PYTHON FALLBACK PRINT FILE -- not the KRC print format",
           " (the Fortran print-file writer legacy_wrap._krcio is not available in this build)"]
    title = deck.cases[0].params.title if deck.cases else deck.initial.title
    out.append(title[:84].ljust(84))
    out.append(f"{'KRCv3.6.5':<12} run started {runtime}")
    out.append(f" Input file: {input_name}")
    out.append(f" Print file: {print_name}")
    save: str | None | bool = False
    for o in outcomes:
        name = o.plan.case.t52_name
        if name != save:
            out.append(f" Save file: {name if name else 'no'}")
            save = name
        head = f" Case {o.plan.number:3d}"
        if o.status == "ok":
            assert o.result is not None
            n4, nsout = o.result.days_computed.shape
            out.append(f"{head}  days computed: {o.days_computed:7d}  "
                       f"({n4} latitudes x {nsout} output seasons)")
        elif o.status == "no output":
            out.append(f"{head}  no output season (JDISK > N5): not run")
        else:
            out.append(f"{head}  NOT COMPUTED ({o.status}): {o.message}")
        for note in o.plan.notes:
            out.append(f"{head}  note: {note}")
    out.append("")
    out.append("     END OF DATA ON INPUT UNIT")
    out.append(f"      END KRC  ({len(outcomes)} cases)")
    return "\n".join(out) + "\n"


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
    """Write every computed case as a NetCDF4 (or plain HDF5) group ``case_NNN``.

    Each group is ``Result.to_xarray()`` of that case with the attribute
    ``case`` (its number); read one back with
    ``xarray.open_dataset(path, group="case_001", engine="h5netcdf", decode_times=False)``
    (the ``date`` units "days since J2000.0" are not a CF calendar date).
    The root holds the attributes ``title``, ``deck``, ``cases`` (numbers of
    the groups written) and ``not_computed``.  ``hdf5=True`` writes the same
    layout with ``invalid_netcdf=True`` (HDF5 features beyond NetCDF allowed).
    Written to a temporary file and renamed.
    """
    import xarray as xr

    target = Path(path)
    done = [o for o in outcomes if o.status == "ok" and o.result is not None]
    root = xr.Dataset(attrs={
        "title": deck.cases[0].params.title if deck.cases else deck.initial.title,
        "deck": str(deck.path) if deck.path is not None else "",
        "cases": np.array([o.plan.number for o in done], dtype=np.int32),
        "not_computed": np.array([o.plan.number for o in outcomes if o.status != "ok"],
                                 dtype=np.int32),
        "source": f"legacy-wrap {__version__} krc (KRC 3.6.5-compatible model)",
    })
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".tmp", dir=folder)
    os.close(fd)
    kw: dict[str, Any] = {"engine": "h5netcdf", "invalid_netcdf": True} if hdf5 else \
        {"engine": "h5netcdf"}
    try:
        root.to_netcdf(tmp, mode="w", **kw)
        for o in done:
            assert o.result is not None
            ds = o.result.to_xarray()
            ds.attrs["case"] = np.int32(o.plan.number)
            ds.to_netcdf(tmp, mode="a", group=f"case_{o.plan.number:03d}", **kw)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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
        description="Run a KRC input deck with the KRC 3.6.5-compatible model (airless). "
                    "Without arguments: the original dialogue on standard input (input file "
                    "name, then print file name or '/').",
        epilog="exit status: 0 ok; 1 a case failed or an output could not be written; "
               "2 bad deck, command line or missing file (nothing written); "
               "3 unsupported option (atmosphere: nothing written; other options: those "
               "cases are left zero in the type-52 file)")
    parser.add_argument("deck", help="input deck ('.inp' added when the name has no extension)")
    parser.add_argument("--print", dest="print_file", metavar="FILE",
                        help="print file (default: the deck name with '.prt')")
    parser.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                        help="run up to N cases at once in threads (0 = one per CPU; default 1)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no progress and no warnings on stderr (errors are still shown)")
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--netcdf", metavar="FILE", help="also write the results as NetCDF4 "
                     "(one group case_NNN per case; needs legacy-wrap[xarray])")
    fmt.add_argument("--hdf5", metavar="FILE", help="also write the results as HDF5 "
                     "(same layout; needs legacy-wrap[xarray])")
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
        check_atmosphere(deck, plans)
        groups = t52_groups(deck, plans)
        for extra in (print_name, netcdf, hdf5):
            if extra and not Path(extra).resolve().parent.is_dir():
                raise FileAccessError(f"cannot write {extra!r}: its folder does not exist")
    except DeckError as exc:
        rep.error(_format_deck_error(exc))
        return EXIT_USAGE
    except UnsupportedOptionError as exc:   # the atmosphere
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
    status = EXIT_FAILED if failed else EXIT_UNSUPPORTED if skipped else EXIT_OK
    # ---- write --------------------------------------------------------------------------
    try:
        for g in groups:
            members = [outcomes[k] for k in g.members]
            first = plans[g.members[0]].sizes
            assert first is not None
            if len(members) > first.max_cases:
                rep.warn(f"{g.name}: only {first.max_cases} of {len(members)} cases fit in "
                         "KRC's output buffer; the others are not stored (as KRC)")
                members = members[:first.max_cases]
            write_t52(g.name, [(o.plan.params, o.result) for o in members], runtime=runtime,
                      nrun=g.nrun, case_numbers=[o.plan.number for o in members])
        write_print_file(print_name, deck, outcomes, input_name=input_name,
                         print_name=print_name, runtime=runtime)
        if netcdf or hdf5:
            write_xarray(netcdf or hdf5, outcomes, deck=deck, hdf5=bool(hdf5))  # type: ignore[arg-type]
    except (LegacyWrapError, OSError, ImportError, ValueError) as exc:
        rep.error(f"cannot write the outputs: {type(exc).__name__}: {exc}")
        return EXIT_FAILED
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``krc`` console script; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
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
