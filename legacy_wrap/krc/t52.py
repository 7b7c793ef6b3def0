"""Write KRC type-52 files (the standard KRC output cube) from model results.

A type-52 file is a bin5 file (``shared/spec/krc-formats.md`` section 3.1)
holding one float64 array of shape ``(N24, 7, N4, NDX + NSOUT, NCASE)``
(section 3.2).  For each case the first ``NDX`` pseudo-seasons hold the case
prefix -- FRONT, the raw parameter common (section 3.3) and the per-season
vectors -- and the next ``NSOUT`` seasons hold the seven hourly items.

All layout lives in Fortran (``fortran/krc_t52.f90``, exposed as
``legacy_wrap._krccore.krc_t52_prefix``), shared with the legacy ``krc``
program, so both write the same bytes.  This module only assembles::

    cube[:, :, :, :ndx, c] = prefix_words.reshape((N24, 7, N4, ndx), order="F")
    cube[:, :, :, ndx:, c] = result.hourly

and hands the cube to :func:`legacy_wrap.bin5.write` (temporary file +
rename: a failed write never leaves a partial file).

Bookkeeping words that belong to the program rather than the model are set
here before the prefix is built: ID(11) NRUN (how many type-52 files the run
has opened, this one included) and ID(36) NCASE (the case's number in the
run).  The run-time text is the 20-character ``yyyy Mon dd hh:mm:ss`` start
time of the run.

>>> from legacy_wrap.krc import read_deck, run
>>> from legacy_wrap.krc.t52 import write_t52
>>> deck = read_deck("t1.inp")
>>> results = [(c.params, run(c.params)) for c in deck.cases]
>>> write_t52("t1.t52", results)
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError, NativeError
from .model import AIRLESS_PTOTAL, Result
from .params import Params

__all__ = [
    "T52_TEXT",
    "NWKRC",
    "KOMMON",
    "T52Sizes",
    "t52_sizes",
    "runtime_text",
    "case_block",
    "build_cube",
    "write_t52",
]

#: Header user text of a type-52 file: the 12-character version field and
#: " file type 52" (25 characters, formats 3.2).
T52_TEXT = "KRCv3.6.5".ljust(12) + " file type 52"
#: Words (float64) of the stored parameter common in 3.6.1+ files (formats 3.3).
NWKRC = 214
#: Words of KRC's output buffer: at most floor(KOMMON / KASE) cases fit in one file.
KOMMON = 512_000_000
#: Per-season prefix vectors (DJU5, SUBS, PZREF, TAUD, SUMF).
_NSV = 5
_NFRONT = 4
_TITLE_LEN = 84
_TIME_LEN = 20
_ID_NRUN, _ID_NCASE = 10, 35           #: 0-based slots of ID(11) and ID(36)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: A case to store: (params, result).  ``result`` None means "the case was not
#: computed" (unsupported or failed): its slot stays all zero, as KRC leaves a
#: case that failed before storing anything (formats 3.2); its sizes come
#: from ``params``.
CaseEntry = tuple[Params, "Result | None"]


@dataclass(frozen=True)
class T52Sizes:
    """Sizes of one case in a type-52 file (formats 3.2)."""

    n24: int     #: hours per sol stored
    n4: int      #: latitudes
    nsout: int   #: output seasons, N5 - JDISK + 1
    mm3: int     #: words per season, N24 * 7 * N4
    ndx: int     #: leading pseudo-seasons of the case prefix
    kase: int    #: words per case, MM3 * (NDX + NSOUT)

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """Shape of one case: (N24, 7, N4, NDX + NSOUT)."""
        return (self.n24, 7, self.n4, self.ndx + self.nsout)

    @property
    def max_cases(self) -> int:
        """Cases that fit in KRC's output buffer (KOMMON words); more are run but not stored."""
        return KOMMON // self.kase


def t52_sizes(n24: int, n4: int, nsout: int) -> T52Sizes:
    """Sizes of a case with N24 hours, N4 latitudes and NSOUT output seasons."""
    if min(n24, n4, nsout) < 1:
        raise InputError(f"type-52 sizes must be positive: N24 = {n24}, N4 = {n4}, "
                         f"NSOUT = {nsout}")
    mm3 = n24 * 7 * n4
    ndx = math.ceil((_NFRONT + NWKRC + _NSV * nsout) / mm3)
    return T52Sizes(n24, n4, nsout, mm3, ndx, mm3 * (ndx + nsout))


def runtime_text(when: float | time.struct_time | None = None) -> str:
    """KRC's 20-character run-time text ``yyyy Mon dd hh:mm:ss`` (English month
    names; the day padded with a blank, ``2026 Dec  4``, as KRC writes it).

    ``when``: seconds since the epoch (local time), a ``struct_time``, or None
    for now.  If the environment variable ``SOURCE_DATE_EPOCH`` is set and
    ``when`` is None, that time (UTC) is used, which makes files reproducible.
    """
    if when is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch:
            try:
                when = time.gmtime(int(epoch))
            except (ValueError, OverflowError, OSError):
                raise InputError(f"SOURCE_DATE_EPOCH = {epoch!r} is not a valid number of "
                                 "seconds since 1970-01-01") from None
        else:
            when = time.localtime()
    elif not isinstance(when, time.struct_time):
        when = time.localtime(when)
    t = when
    return (f"{t.tm_year:04d} {_MONTHS[t.tm_mon - 1]} {t.tm_mday:2d} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}")


def _sizes_of_params(params: Params) -> T52Sizes:
    p = params.copy()
    p.apply_krc_checks()
    if p.nsout < 1:
        raise InputError(f"JDISK = {int(p.id[11])} > N5 = {int(p.id[4])}: the case has no output "
                         "season, so it cannot be stored in a type-52 file")
    return t52_sizes(int(p.id[5]), int(p.id[3]), p.nsout)


def _sizes_of(entry: CaseEntry) -> T52Sizes:
    params, result = entry
    if result is None:
        return _sizes_of_params(params)
    n24, items, n4, nsout = result.hourly.shape
    if items != 7:
        raise InputError(f"Result.hourly has shape {result.hourly.shape}; expected (N24, 7, N4, NSOUT)")
    return t52_sizes(n24, n4, nsout)


def _core() -> Any:
    from .. import _krccore
    return _krccore


def case_block(result: Result, *, runtime: str, ncase: int = 1, nrun: int = 1) -> np.ndarray:
    """One case of the cube, shape (N24, 7, N4, NDX + NSOUT), Fortran order.

    The prefix (first NDX seasons) is built by the shared Fortran routine from
    the parameter snapshot of ``result`` with ID(11) = ``nrun`` and ID(36) =
    ``ncase``; the rest is ``result.hourly``.
    """
    if len(runtime) != _TIME_LEN:
        raise InputError(f"runtime must be {_TIME_LEN} characters 'yyyy Mon dd hh:mm:ss', "
                         f"got {runtime!r}")
    sz = _sizes_of((result.params, result))
    p = result.params
    fd = np.zeros(96, dtype=np.float64)
    fd[:] = np.asarray(result.fd_snapshot, dtype=np.float64).reshape(-1)[:96]
    id_ = np.zeros(40, dtype=np.int32)
    id_[:] = np.asarray(result.id_snapshot).reshape(-1)[:40]
    id_[_ID_NRUN] = nrun
    id_[_ID_NCASE] = ncase
    ld = np.asarray(p.ld, dtype=np.int32)
    alat = np.asarray(p.latitudes, dtype=np.float64)
    elev = np.asarray(p.elevations, dtype=np.float64)
    svals = np.asfortranarray(np.stack([result.date, result.ls, result.pressure,
                                        result.dust_opacity, result.global_frost]).astype(np.float64))
    if svals.shape != (_NSV, sz.nsout):
        raise InputError(f"the per-season vectors of the result have {svals.shape[1]} seasons, "
                         f"the hourly items {sz.nsout}")
    title = p.title[:_TITLE_LEN].ljust(_TITLE_LEN)
    latm = int(float(p.fd[11]) > AIRLESS_PTOTAL)
    words, status, message = _core().krc_t52_prefix(
        fd, id_, ld, alat, elev, title, runtime, latm, svals, sz.n24, sz.mm3, sz.ndx)
    if status != 0:
        text = message.decode("ascii", "replace") if isinstance(message, bytes) else str(message)
        raise NativeError(f"krc_t52_prefix failed (status {status}): {text.strip()}", status=status)
    block = np.zeros(sz.shape, dtype=np.float64, order="F")
    block[:, :, :, :sz.ndx] = np.asarray(words).reshape((sz.n24, 7, sz.n4, sz.ndx), order="F")
    block[:, :, :, sz.ndx:] = result.hourly
    return block


def build_cube(cases: Sequence[CaseEntry], *, runtime: str | None = None, nrun: int = 1,
               case_numbers: Sequence[int] | None = None) -> np.ndarray:
    """The type-52 array (N24, 7, N4, NDX + NSOUT, NCASE) of ``cases``.

    ``cases``: (params, result) pairs in run order; a None result leaves its
    slot zero.  All cases must share N24, N4 and NSOUT (:class:`InputError`
    otherwise).  ``case_numbers``: the run's number of each case (ID(36) in
    the stored common; default 1, 2, ...).  ``nrun``: ID(11), the count of
    type-52 files opened by the run including this one.
    """
    entries = list(cases)
    if not entries:
        raise InputError("a type-52 file needs at least one case")
    numbers = list(range(1, len(entries) + 1)) if case_numbers is None else [int(n) for n in case_numbers]
    if len(numbers) != len(entries):
        raise InputError(f"{len(numbers)} case numbers given for {len(entries)} cases")
    for entry in entries:
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], Params)
                and (entry[1] is None or isinstance(entry[1], Result))):
            raise InputError("each case must be a (Params, Result or None) pair, got "
                             f"{type(entry).__name__}")
    sizes = [_sizes_of(e) for e in entries]
    first = sizes[0]
    for k, sz in enumerate(sizes[1:], start=2):
        if (sz.n24, sz.n4, sz.nsout) != (first.n24, first.n4, first.nsout):
            raise InputError(
                f"case {numbers[k - 1]} has N24 = {sz.n24}, N4 = {sz.n4}, NSOUT = {sz.nsout} but "
                f"case {numbers[0]} has N24 = {first.n24}, N4 = {first.n4}, NSOUT = {first.nsout}: "
                "all cases of one type-52 file must share N24, N4 and NSOUT = N5 - JDISK + 1 "
                "(start a new file with an '8 5' change line)")
    if len(entries) > first.max_cases:
        raise InputError(f"{len(entries)} cases of {first.kase} words do not fit in KRC's output "
                         f"buffer of {KOMMON} words (at most {first.max_cases} cases per file)")
    rt = runtime_text() if runtime is None else runtime
    cube = np.zeros(first.shape + (len(entries),), dtype=np.float64, order="F")
    for c, ((_, result), number) in enumerate(zip(entries, numbers)):
        if result is not None:
            cube[..., c] = case_block(result, runtime=rt, ncase=number, nrun=nrun)
    return cube


def _date_block(runtime: str) -> str:
    """Contents of the bin5 ``<<...>>`` date block as the KRC program writes it."""
    return f"SIZE  {runtime}  "


def write_t52(path: str | os.PathLike[str], cases: Sequence[CaseEntry], *,
              runtime: str | None = None, nrun: int = 1,
              case_numbers: Sequence[int] | None = None, date: str | None = None) -> Any:
    """Write a type-52 file of ``cases`` to ``path``; return the bin5 header written.

    See :func:`build_cube` for ``cases``, ``nrun`` and ``case_numbers``.
    ``runtime``: the run-time text stored in each case's common (default: now,
    or ``SOURCE_DATE_EPOCH``).  ``date``: contents of the bin5 date block
    (default: now as KRC writes it; with ``SOURCE_DATE_EPOCH`` set, that
    time, so that the whole file is reproducible).  The file is written to a
    temporary name and renamed: a failure leaves no partial file.
    """
    from .. import bin5

    cube = build_cube(cases, runtime=runtime, nrun=nrun, case_numbers=case_numbers)
    if date is None and os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        date = _date_block(runtime_text())
    return bin5.write(path, cube, text=T52_TEXT, date=date)
