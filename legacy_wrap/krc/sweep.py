"""Parameter sweeps of the thermal model: many runs, one labelled table.

:func:`sweep` runs one case per point of a Cartesian grid of parameter values
(``axes``) or per entry of an explicit list of changes (``cases``) and
returns an :class:`xarray.Dataset`::

    from legacy_wrap.krc import Params
    from legacy_wrap.krc.sweep import sweep

    base = Params.mars().replace(ptotal=0.5, n5=4, jdisk=3)      # airless Mars
    table = sweep(base, axes={"inertia": [50, 100, 200, 400, 800], "alb": [0.15, 0.25]},
                  executor="processes", workers=4, store="table.nc")
    table.surface_temperature        # (inertia, alb, hour, latitude, season), K

Design (``shared/DESIGN.md``): the physics runs in :func:`legacy_wrap.krc.run`
and nowhere else; this module only plans, validates, distributes and stores.

Backends
    Every backend is a ``concurrent.futures``-style executor: ``"serial"``
    (in this process), ``"threads"`` (the Fortran core releases the GIL),
    ``"processes"`` (a process pool started with ``forkserver`` where the
    platform has it, else ``spawn``; never ``fork``), ``"dask"`` (a
    ``distributed.LocalCluster`` with ``workers`` single-threaded worker
    processes, or an existing scheduler: ``scheduler="tcp://host:8786"``),
    ``"mpi"`` (``mpi4py.futures.MPIPoolExecutor``) or any executor object
    with ``submit`` (a ``distributed.Client`` works too).  The core is
    deterministic, so the table is bitwise the same on every backend and
    equal to calling ``run()`` case by case.  Process-based backends
    re-import the main script in their workers: scripts must keep their
    top-level code under ``if __name__ == "__main__":``.  Without the guard
    each worker would call ``sweep()`` again; the workers notice it, end at
    once, and the sweep raises one :class:`BackendError` that says what to
    add (instead of pools that break and restart).

Work is chunked
    Several runs go to a worker in one task so that the per-task overhead
    (pickling, scheduling) stays small: by default
    ``ceil(runs / (4 * workers))`` runs per task, capped at 32 so that
    progress, the store and an interrupt stay responsive (``chunk_size``
    overrides it; the serial backend uses 1).

Validation before any work
    Every run's parameters are built with ``base.replace(**changes)`` and
    checked as :func:`~legacy_wrap.krc.run` checks them, plus the layer grid's
    numerical stability (:func:`~legacy_wrap.krc.layer_table`, no time
    stepping) and the options this core refuses; all runs must give tables of
    the same shape (hours, latitudes, seasons).  A bad value raises
    :class:`~legacy_wrap.errors.InputError` naming the axis (or case) and the
    value before any run starts.  This costs about 1 ms per run, small next to
    a run.

Incremental store
    With ``store="table.nc"`` the table is a NetCDF4/HDF5 file (h5netcdf, so
    ``h5py`` is needed) with a per-run ``done`` flag.  Calling :func:`sweep`
    again with the same store resumes: the file's fingerprint (base
    parameters, axes or cases, items) must match (else
    :class:`StoreMismatchError`), only runs not done are computed, and the
    final file holds the same numbers as an uninterrupted sweep.  Ctrl-C
    (SIGINT) stops submitting work, keeps every finished run, closes the file
    and re-raises ``KeyboardInterrupt``; a second Ctrl-C interrupts at once.

Durability: a run reported done survives a SIGKILL at any instant
    (the OOM killer, a cluster's wall-time limit, a power cut after the sync).
    HDF5 files are not crash-safe while open for writing, so the store is
    never modified in place:

    * the store file is only ever replaced whole: written as
      ``table.nc.part``, synced (``fsync``), renamed over ``table.nc``, the
      folder synced.  A kill leaves either the old or the new store, never a
      mix; a ``.part`` left by a kill is deleted by the next sweep;
    * while a sweep runs, every finished chunk is appended to a journal
      beside the store, ``table.nc.journal``, as one record (the runs'
      indices and arrays, little-endian, with a length and a CRC-32), and
      the journal is synced before the chunk counts as done (progress line,
      summary).  A record cut by a kill fails its length or checksum and is
      ignored, with everything after it; it was never reported done;
    * the journal is folded into the store (a new store, renamed as above)
      when the sweep ends, after a Ctrl-C or an error, and when a sweep
      resumes a store that a killed sweep left with a journal; then the
      journal is removed.  A kill during the fold leaves the old store and
      the journal, or the new store and the journal (applying it again
      changes nothing);
    * :func:`open_table` reads the store and applies the journal, so a store
      of a running or killed sweep shows every run reported done;
    * the journal's ``flock`` lock keeps a second sweep off a store that one
      is writing (:class:`~legacy_wrap.errors.FileAccessError`).

    Costs: one ``fsync`` per chunk (about 0.5 ms on a local ext4 disk; the
    serial backend syncs every run) and one copy of the store per fold.
    After a kill, the runs recomputed on resume are those not reported done,
    less at most the one chunk the kill caught between its sync and its
    report (kept, not lost).

Failures
    A run that fails (an input the core rejects, a blow-up) is recorded with
    its parameters and the message; the other runs go on and are kept.  A
    worker process that dies (killed, crashed) breaks its pool: the runs that
    were in flight are retried one by one in a new pool (when this module
    owns the pool) so that only the run that kills its worker is reported.
    **Policy**: failed runs are NaN (``days_computed`` -1) in the table,
    flagged by the ``failed`` variable, with the message in ``error``; at the
    end :func:`sweep` raises :class:`SweepError`, which lists the failures
    and carries the table as ``exc.dataset`` (everything else is stored).
    ``on_error="keep"`` returns the table instead of raising.  A resumed sweep
    recomputes failed runs.  (With MPI a dead worker usually ends the whole
    MPI job: that is MPI's limit; Dask retries a task whose worker died and
    reports it as failed after its ``allowed-failures``.)

Progress
    On a terminal (stderr is a tty) a one-line progress display with an
    estimate of the time left, and a summary at the end; nothing when
    stderr is not a terminal, unless ``progress=True`` (then one line per
    update).  No dependency.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import json
import math
import os
import queue
import shutil
import signal
import struct
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import BrokenExecutor, CancelledError, Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

from ..errors import FileAccessError, InputError, LegacyWrapError
from .model import layer_table, run
from .params import Params, lookup

if TYPE_CHECKING:  # pragma: no cover
    import xarray

__all__ = [
    "sweep", "SweepError", "StoreMismatchError", "BackendError", "Failure", "ITEMS",
    "EXECUTORS", "open_table", "journal_path",
]

#: Result arrays a sweep can store: name -> (dimensions after the sweep dims, dtype, units).
ITEMS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "surface_temperature": (("hour", "latitude", "season"), "f8", "K"),
    "planetary_temperature": (("hour", "latitude", "season"), "f8", "K"),
    "atmosphere_temperature": (("hour", "latitude", "season"), "f8", "K"),
    "down_visible": (("hour", "latitude", "season"), "f8", "W m-2"),
    "down_ir": (("hour", "latitude", "season"), "f8", "W m-2"),
    "days_computed": (("latitude", "season"), "i8", "1"),
    "rms_change": (("latitude", "season"), "f8", "K"),
    "frost": (("latitude", "season"), "f8", "kg m-2"),
    "frost_albedo": (("latitude", "season"), "f8", "1"),
    "heat_flow": (("latitude", "season"), "f8", "W m-2"),
    "layer_min": (("layer", "latitude", "season"), "f8", "K"),
    "layer_max": (("layer", "latitude", "season"), "f8", "K"),
    "pressure": (("season",), "f8", "Pa"),
    "dust_opacity": (("season",), "f8", "1"),
    "global_frost": (("season",), "f8", "kg m-2"),
}
#: Per-run season variables always stored (they may depend on swept parameters).
_SEASON_VARS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "ls": (("season",), "f8", "degrees"),
    "date": (("season",), "f8", "days"),      # days from J2000.0 (not CF "since": no decoding)
}
_LONG_NAMES = {"ls": "season longitude Ls", "date": "date of the season, days from J2000.0",
               "days_computed": "sols computed in the season"}
#: Backend names accepted by ``executor=``.
EXECUTORS = ("serial", "threads", "processes", "dask", "mpi")
_MAX_DEFAULT_CHUNK = 32
_FORMAT = 1
#: Exit status of a pool worker that found itself re-running an unguarded main script.
_UNGUARDED_MAIN_EXIT = 87


# --------------------------------------------------------------------------- errors


class SweepError(LegacyWrapError, RuntimeError):
    """Some runs of a sweep failed; the others are in :attr:`dataset` (and the store).

    :attr:`failures` lists every failed run with its parameter changes and the message.
    """

    def __init__(self, failures: Sequence[Failure], total: int,
                 dataset: xarray.Dataset | None = None, store: Path | None = None) -> None:
        self.failures = list(failures)
        self.total = total
        self.dataset = dataset
        self.store = store
        shown = "\n".join(f"  {f}" for f in self.failures[:10])
        more = f"\n  ... and {len(self.failures) - 10} more" if len(self.failures) > 10 else ""
        kept = f"; the other runs are stored in {store}" if store is not None else \
            "; the other runs are in exc.dataset"
        super().__init__(f"{len(self.failures)} of {total} sweep runs failed{kept} "
                         f"(failed runs are NaN, flagged by the 'failed' variable):\n{shown}{more}")


class StoreMismatchError(InputError):
    """The store file was written by a different sweep (base parameters, axes or items differ)."""


class BackendError(LegacyWrapError, RuntimeError):
    """A parallel backend (Dask, MPI, ...) is not installed or cannot start."""


@dataclass(frozen=True)
class Failure:
    """One failed run: where it is in the table, its parameter changes and why it failed."""

    index: tuple[int, ...]         #: position along the sweep dimensions
    changes: dict[str, Any]        #: parameter changes of the run (on top of the base)
    message: str

    def __str__(self) -> str:
        what = ", ".join(f"{k}={v!r}" for k, v in self.changes.items()) or "base parameters"
        return f"run {self.index} ({what}): {self.message}"


# --------------------------------------------------------------------------- the plan


def _canonical(name: str, where: str) -> Any:
    """Parameter info of a sweep key; only scalar deck parameters can be swept."""
    if not isinstance(name, str):
        raise InputError(f"{where}: parameter names must be strings, got {name!r}")
    if name in ("latitudes", "elevations", "latitude", "elevation"):
        raise InputError(f"{where}: {name!r} cannot be swept: latitudes are a per-run list that "
                         "every run shares (the 'latitude' dimension); set them on the base with "
                         "base.replace(latitudes=[...], elevations=[...])")
    if name in ("fd", "id", "ld", "title", "porb", "zone_table"):
        raise InputError(f"{where}: the field {name!r} cannot be swept; sweep scalar parameters "
                         "by name (e.g. 'inertia', 'alb', 'n2')")
    try:
        info = lookup(name)
    except KeyError as exc:
        raise InputError(f"{where}: {exc.args[0]}") from None
    if info.attr == "n4":
        raise InputError(f"{where}: N4 follows the latitudes and cannot be swept")
    return info


def _typed(info: Any, value: Any) -> Any:
    """A value as the Python type of its parameter kind (FD float, ID int, LD bool)."""
    if isinstance(value, np.generic):
        value = value.item()
    if info.kind == "FD" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value


def _params_spec(p: Params) -> dict[str, Any]:
    """Every input of ``p`` as JSON-able values (floats round-trip exactly)."""
    return {
        "parameters": p.to_dict(),
        "title": p.title,
        "latitudes": [float(x) for x in p.latitudes],
        "elevations": [float(x) for x in p.elevations],
        "porb": None if p.porb is None else [float(x) for x in p.porb],
        "zone_table": None if p.zone_table is None else np.asarray(p.zone_table).tolist(),
    }


def _describe(changes: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in changes.items()) or "base parameters"


@dataclass
class _Plan:
    """What a sweep computes: the runs, the table layout and the fingerprint."""

    base: Params
    dims: tuple[str, ...]               #: sweep dimensions (axis names, or ("case",))
    shape: tuple[int, ...]
    values: dict[str, list[Any]]        #: axis mode: axis -> values; case mode: param -> per case
    kinds: dict[str, str]               #: param -> "FD"/"ID"/"LD"
    cases: list[dict[str, Any]] | None  #: case mode: the canonical change dicts
    items: tuple[str, ...]
    hours: np.ndarray = field(default_factory=lambda: np.zeros(0))
    latitudes: np.ndarray = field(default_factory=lambda: np.zeros(0))
    elevations: np.ndarray = field(default_factory=lambda: np.zeros(0))
    seasons: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    nlayer: int = 0
    spec: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""

    @property
    def total(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def index(self, flat: int) -> tuple[int, ...]:
        return tuple(int(i) for i in np.unravel_index(flat, self.shape))

    def changes(self, flat: int) -> dict[str, Any]:
        """The parameter changes of run ``flat`` (C order over the sweep dimensions)."""
        if self.cases is not None:
            return dict(self.cases[flat])
        idx = np.unravel_index(flat, self.shape)
        return {name: self.values[name][int(i)] for name, i in zip(self.dims, idx)}

    def item_shape(self, name: str) -> tuple[int, ...]:
        sizes = {"hour": self.hours.size, "latitude": self.latitudes.size,
                 "season": self.seasons.size, "layer": self.nlayer}
        dims = (ITEMS.get(name) or _SEASON_VARS[name])[0]
        return tuple(sizes[d] for d in dims)

    @property
    def stored(self) -> tuple[str, ...]:
        """Every per-run array stored: the items, then ls and date."""
        return self.items + tuple(_SEASON_VARS)


def _make_plan(base: Params, axes: Mapping[str, Sequence[Any]] | None,
               cases: Sequence[Mapping[str, Any]] | None, items: Sequence[str]) -> _Plan:
    """Check the sweep's description and every run's parameters; raise InputError."""
    if not isinstance(base, Params):
        raise InputError(f"sweep() takes a Params object as base, got {type(base).__name__}")
    if (axes is None) == (cases is None):
        raise InputError("sweep() needs either axes={name: values, ...} (a Cartesian grid) or "
                         "cases=[{name: value, ...}, ...] (an explicit list), not both or neither")
    if isinstance(items, str):
        items = (items,)
    items_t: list[str] = []
    for it in items:
        if it in _SEASON_VARS:
            continue          # always stored
        if it not in ITEMS:
            raise InputError(f"unknown sweep item {it!r}; choose from {', '.join(ITEMS)} "
                             "(ls and date are always stored)")
        if it not in items_t:
            items_t.append(it)
    if not items_t:
        raise InputError("sweep() needs at least one item to store, e.g. 'surface_temperature'")

    kinds: dict[str, str] = {}
    values: dict[str, list[Any]] = {}
    case_list: list[dict[str, Any]] | None = None
    if axes is not None:
        if not isinstance(axes, Mapping) or not axes:
            raise InputError("axes must be a non-empty mapping {parameter name: values}")
        for name, vals in axes.items():
            info = _canonical(name, f"sweep axis {name!r}")
            if info.attr in values:
                raise InputError(f"sweep axis {name!r} names {info.attr!r}, which is already an axis")
            if isinstance(vals, (str, bytes)) or not isinstance(vals, Iterable):
                raise InputError(f"sweep axis {name!r}: values must be a sequence, got {vals!r}")
            arr = np.asarray(list(vals), dtype=object).reshape(-1)
            if arr.size == 0:
                raise InputError(f"sweep axis {name!r} has no values")
            typed = []
            for k, v in enumerate(arr.tolist()):
                try:
                    base.replace(**{info.attr: v})
                except InputError as exc:
                    raise type(exc)(f"sweep axis {name!r}, value {v!r} (index {k}): {exc}") from None
                typed.append(_typed(info, v))
            if len(set(typed)) != len(typed):
                dup = next(v for v in typed if typed.count(v) > 1)
                raise InputError(f"sweep axis {name!r}: the value {dup!r} appears more than once")
            kinds[info.attr] = info.kind
            values[info.attr] = typed
        dims = tuple(values)
        shape = tuple(len(values[d]) for d in dims)
    else:
        if isinstance(cases, (str, bytes, Mapping)) or not isinstance(cases, Iterable):
            raise InputError("cases must be a sequence of {parameter name: value} mappings")
        case_list = []
        for k, case in enumerate(cases):
            if not isinstance(case, Mapping):
                raise InputError(f"sweep case {k}: expected a mapping {{name: value}}, got {case!r}")
            canon: dict[str, Any] = {}
            for name, v in case.items():
                info = _canonical(name, f"sweep case {k}")
                if info.attr in canon:
                    raise InputError(f"sweep case {k}: {name!r} names {info.attr!r} twice")
                kinds[info.attr] = info.kind
                canon[info.attr] = _typed(info, v)
            case_list.append(canon)
        if not case_list:
            raise InputError("cases is empty: give at least one case")
        dims = ("case",)
        shape = (len(case_list),)
        for name in kinds:
            default = base[name]
            values[name] = [c.get(name, default) for c in case_list]

    plan = _Plan(base=base.copy(), dims=dims, shape=shape, values=values, kinds=kinds,
                 cases=case_list, items=tuple(items_t))
    _validate_runs(plan)
    plan.spec = {
        "format": _FORMAT,
        "base": _params_spec(base),
        "dims": list(dims),
        "axes": None if case_list is not None else {d: values[d] for d in dims},
        "cases": case_list,
        "items": list(plan.items),
    }
    text = json.dumps(plan.spec, sort_keys=True, separators=(",", ":"))
    plan.fingerprint = hashlib.sha256(text.encode()).hexdigest()
    return plan


def _validate_runs(plan: _Plan) -> None:
    """Every run: the checks of run(), the layer grid's stability, the same table shape."""
    wants_layers = any(ITEMS[i][0][0] == "layer" for i in plan.items)
    first: tuple[int, ...] | None = None
    first_desc = ""
    for flat in range(plan.total):
        changes = plan.changes(flat)
        desc = (f"sweep case {flat} ({_describe(changes)})" if plan.cases is not None
                else f"sweep run {_describe(changes)}")
        try:
            p = plan.base.replace(**changes)
            layer_table(p)            # run()'s checks + the layer grid and its stability
            p = p.copy()
            p.apply_krc_checks()      # the shape below is the one run() will produce
        except InputError as exc:
            raise type(exc)(f"{desc}: {exc}") from None
        n24, jdisk, n5, n1 = int(p.n24), int(p.jdisk), int(p.n5), int(p.n1)
        shape = (n24, jdisk, n5) + ((min(n1 - 1, n24 - 3),) if wants_layers else ())
        if first is None:
            first, first_desc = shape, desc
            plan.hours = 24.0 * np.arange(1, n24 + 1) / n24
            plan.latitudes = np.asarray(p.latitudes, dtype=np.float64).copy()
            plan.elevations = np.asarray(p.elevations, dtype=np.float64).copy()
            plan.seasons = np.arange(jdisk, n5 + 1, dtype=np.int64)
            plan.nlayer = max(shape[3], 0) if wants_layers else 0
        elif shape != first:
            names = ("N24 (hours)", "JDISK (first output season)", "N5 (seasons)", "N1 (layers)")
            what = "; ".join(f"{n} {a} instead of {b}" for n, a, b in zip(names, shape, first)
                             if a != b)
            raise InputError(f"{desc}: changes the shape of the table ({what}, as in {first_desc}); "
                             "every run of a sweep must output the same hours, seasons and layers: "
                             "sweep such parameters in separate sweeps")


# --------------------------------------------------------------------------- the worker side


def _run_chunk(base: Params, tasks: Sequence[tuple[int, dict[str, Any]]], stored: Sequence[str],
               hook: Callable[[dict[str, Any]], None] | None = None
               ) -> list[tuple[int, dict[str, np.ndarray] | None, str | None]]:
    """Run a chunk of cases (in a worker); per-run errors are returned, not raised.

    ``hook`` (tests only) is called with each run's changes before the run.
    """
    out: list[tuple[int, dict[str, np.ndarray] | None, str | None]] = []
    for flat, changes in tasks:
        try:
            if hook is not None:
                hook(dict(changes))
            r = run(base.replace(**changes), warn=False)   # one warning per run would flood a sweep
            arrays = {name: np.ascontiguousarray(getattr(r, name)) for name in stored}
            out.append((flat, arrays, None))
        except Exception as exc:  # noqa: BLE001 - reported per run with its parameters
            out.append((flat, None, f"{type(exc).__name__}: {exc}"))
    return out


def _in_worker_bootstrap() -> bool:
    """True while a multiprocessing child imports the parent's main script.

    ``spawn`` and ``forkserver`` children run the main script again (as
    ``__mp_main__``) before they take work; multiprocessing marks that phase
    with ``current_process()._inheriting``.  A sweep started then comes from
    top-level code that is not under ``if __name__ == "__main__":``.
    """
    mp = sys.modules.get("multiprocessing")
    if mp is None:
        return False
    return bool(getattr(mp.current_process(), "_inheriting", False))


def _unguarded_main_message() -> str:
    main = sys.modules.get("__main__")
    script = getattr(main, "__file__", None) or "the main script"
    return (f"executor='processes': the worker processes import {script} again, and its "
            "top-level code called sweep() in every worker (the script has no "
            "'if __name__ == \"__main__\":' guard), so no worker could start. Put the "
            "script's top-level code under the guard, e.g.\n"
            "    def main():\n        ...  # build the base, call sweep()\n"
            "    if __name__ == \"__main__\":\n        main()\n"
            "or use executor='threads' (no new processes)")


def _chunk_noop(x: Any) -> Any:
    """A trivial task (used to measure per-task overhead)."""
    return x


def _worker_init() -> None:
    """Process-pool workers ignore SIGINT: the parent decides what an interrupt stops."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):  # pragma: no cover - not the main thread
        pass


# --------------------------------------------------------------------------- backends


def _default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class _Backend:
    """An executor plus what the engine needs to know: size, ownership, rebuild, close."""

    name = "executor"
    owned = False

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.broken = False

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:  # pragma: no cover
        raise NotImplementedError

    def rebuild(self) -> bool:
        """Replace a broken pool; False when the pool is not ours to replace."""
        return False

    def diagnose(self) -> str | None:
        """Why the pool broke, when it is a cause no retry can fix (else None)."""
        return None

    def close(self, cancel: bool = False) -> None:
        pass

    def __str__(self) -> str:
        return f"{self.name} x{self.workers}"


class _SerialBackend(_Backend):
    name = "serial"

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args))
        except Exception as exc:  # noqa: BLE001 - delivered through the future
            fut.set_exception(exc)
        return fut

    def __str__(self) -> str:
        return "serial"


class _PoolBackend(_Backend):
    """A concurrent.futures.Executor, made here (owned) or given by the caller."""

    def __init__(self, name: str, workers: int, factory: Callable[[], Executor] | None,
                 executor: Executor | None = None) -> None:
        super().__init__(workers)
        self.name = name
        self.factory = factory
        self.owned = factory is not None
        self.pool: Any = factory() if factory is not None else executor

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self.pool.submit(fn, *args)

    def diagnose(self) -> str | None:
        procs = getattr(self.pool, "_processes", None) or {}
        for proc in list(procs.values()):
            try:
                if proc.exitcode is None:
                    proc.join(timeout=2)
                code = proc.exitcode
            except Exception:  # noqa: BLE001 - not a multiprocessing.Process
                continue
            if code == _UNGUARDED_MAIN_EXIT:
                return _unguarded_main_message()
        return None

    def rebuild(self) -> bool:
        if self.factory is None:
            return False
        self._stop(cancel=True)
        self.pool = self.factory()
        self.broken = False
        return True

    def _stop(self, cancel: bool) -> None:
        pool = self.pool
        if cancel:
            procs = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for proc in procs:        # do not wait for chunks nobody will collect
                try:
                    proc.terminate()
                except Exception:  # noqa: BLE001 - already gone
                    pass
        else:
            pool.shutdown(wait=True)

    def close(self, cancel: bool = False) -> None:
        if self.owned:
            self._stop(cancel)


class _DaskBackend(_Backend):
    """Dask distributed: a LocalCluster made here, a scheduler address, or a Client given."""

    name = "dask"

    def __init__(self, workers: int | None, scheduler: str | None = None, client: Any = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise BackendError("executor='dask' needs dask distributed: "
                               "pip install 'legacy-wrap[dask]'") from exc
        self.cluster = None
        self.owned = client is None
        if client is not None:
            self.client = client
        elif scheduler is not None:
            try:
                self.client = Client(scheduler, timeout="30s")
            except (OSError, TimeoutError) as exc:
                raise BackendError(f"cannot connect to the Dask scheduler {scheduler!r}: {exc}") from exc
        else:
            import logging
            try:
                self.cluster = LocalCluster(n_workers=workers or _default_workers(),
                                            threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
            except Exception as exc:
                if self.cluster is not None:
                    self.cluster.close()
                raise BackendError(f"cannot start a Dask LocalCluster: {exc}") from exc
        n = workers
        if n is None or not self.owned or scheduler is not None:
            try:
                n = sum(self.client.nthreads().values()) or 1
            except Exception:  # noqa: BLE001 - a scheduler without workers yet
                n = workers or 1
        super().__init__(int(n))

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self.client.submit(fn, *args, pure=False)

    def close(self, cancel: bool = False) -> None:
        if not self.owned:
            return
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def _mpi_backend(workers: int | None) -> _PoolBackend:
    """mpi4py.futures.MPIPoolExecutor; BackendError if MPI cannot start workers."""
    try:
        from mpi4py.futures import MPIPoolExecutor
    except ImportError as exc:
        raise BackendError("executor='mpi' needs mpi4py and an MPI library: "
                           "pip install 'legacy-wrap[mpi]'") from exc
    import shutil
    from mpi4py import MPI

    if MPI.COMM_WORLD.Get_size() == 1 and shutil.which("mpiexec") is None:
        # A singleton MPI process spawns its workers through the MPI process manager
        # (mpiexec); the mpich wheel installs it beside the interpreter.
        beside = Path(sys.executable).parent
        if (beside / "mpiexec").exists():
            os.environ["PATH"] = f"{beside}{os.pathsep}{os.environ.get('PATH', '')}"
        else:
            raise BackendError("executor='mpi': MPIPoolExecutor spawns its workers through "
                               "mpiexec, which is not on PATH; put the MPI installation's bin "
                               "folder on PATH, or start the script under MPI: "
                               "mpiexec -n N python -m mpi4py.futures script.py")

    def factory() -> Executor:
        return MPIPoolExecutor(max_workers=workers, initializer=_worker_init,
                               path=[p for p in sys.path if p])

    box: dict[str, Any] = {}

    def boot() -> None:
        try:
            pool = factory()
            pool.bootup(wait=True)
            box["pool"] = pool
        except BaseException as exc:  # noqa: BLE001 - reported below
            box["error"] = exc

    t = threading.Thread(target=boot, name="mpi-bootup", daemon=True)
    t.start()
    t.join(timeout=120)
    if "pool" not in box:
        why = box.get("error", "no answer within 120 s")
        raise BackendError(f"executor='mpi': MPIPoolExecutor could not start its workers ({why}); "
                           "check the MPI installation (mpiexec -n 2 python -m mpi4py "
                           "--version), or start under MPI: mpiexec -n N python -m mpi4py.futures "
                           "script.py")
    pool = box["pool"]
    n = getattr(pool, "num_workers", None) or workers or 1
    backend = _PoolBackend("mpi", int(n), None, pool)
    backend.owned = True         # shut down at the end, but not rebuilt after a failure
    return backend


def _processes_factory(workers: int) -> Callable[[], Executor]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        # The fork server imports numpy and the extensions once; each worker
        # then starts as a fork of it instead of importing them again.
        ctx.set_forkserver_preload(["legacy_wrap.krc.sweep"])

    def factory() -> Executor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init)

    return factory


def _make_backend(executor: Any, workers: int | None, scheduler: str | None) -> _Backend:
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise InputError(f"workers must be a positive integer, got {workers!r}")
    if scheduler is not None and executor != "dask":
        raise InputError("scheduler= is the address of a Dask scheduler: use it with executor='dask'")
    if isinstance(executor, str):
        if executor == "serial":
            return _SerialBackend(1)
        if executor == "threads":
            from concurrent.futures import ThreadPoolExecutor
            n = workers or _default_workers()
            return _PoolBackend("threads", n, lambda: ThreadPoolExecutor(
                max_workers=n, thread_name_prefix="krc-sweep"))
        if executor == "processes":
            n = workers or _default_workers()
            return _PoolBackend("processes", n, _processes_factory(n))
        if executor == "dask":
            return _DaskBackend(workers, scheduler)
        if executor == "mpi":
            return _mpi_backend(workers)
        raise InputError(f"unknown executor {executor!r}: choose one of {', '.join(EXECUTORS)} "
                         "or pass a concurrent.futures.Executor")
    if hasattr(executor, "get_executor") and hasattr(executor, "submit"):   # distributed.Client
        return _DaskBackend(workers, client=executor)
    if hasattr(executor, "submit"):
        n = workers or getattr(executor, "_max_workers", None) or _default_workers()
        return _PoolBackend(type(executor).__name__, int(n), None, executor)
    raise InputError(f"executor must be one of {', '.join(EXECUTORS)} or an object with submit(), "
                     f"got {executor!r}")


# --------------------------------------------------------------------------- tables


def _empty(plan: _Plan, name: str) -> np.ndarray:
    dtype = (ITEMS.get(name) or _SEASON_VARS[name])[1]
    fill = -1 if dtype == "i8" else np.nan
    return np.full(plan.shape + plan.item_shape(name), fill, dtype=dtype)


class _MemoryTable:
    """The table in memory (no store)."""

    path: Path | None = None

    def __init__(self, plan: _Plan) -> None:
        self.plan = plan
        self.data = {name: _empty(plan, name) for name in plan.stored}
        self.done = np.zeros(plan.shape, dtype=bool)
        self.failed = np.zeros(plan.shape, dtype=bool)
        self.error = np.full(plan.shape, "", dtype=object)

    def write(self, flat: int, arrays: Mapping[str, np.ndarray]) -> None:
        idx = self.plan.index(flat)
        for name in self.plan.stored:
            self.data[name][idx] = arrays[name]
        self.failed[idx] = False
        self.error[idx] = ""
        self.done[idx] = True

    def fail(self, flat: int, message: str) -> None:
        idx = self.plan.index(flat)
        self.failed[idx] = True
        self.error[idx] = message

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def arrays(self) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        return self.data, self.done.copy(), self.failed.copy(), self.error.copy()


def _need_h5() -> Any:
    try:
        import h5netcdf
        import h5py  # noqa: F401 - h5netcdf >= 1.8 no longer pulls it in, but writes with it
    except ImportError as exc:
        raise ImportError("store= needs h5netcdf and h5py: pip install 'legacy-wrap[xarray]' "
                          "h5py") from exc
    return h5netcdf


def _spec_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """What differs between two sweep descriptions (for StoreMismatchError)."""
    out: list[str] = []
    if old.get("format") != new.get("format"):
        out.append(f"store format {old.get('format')} (this version writes {new.get('format')})")
    ob, nb = old.get("base") or {}, new.get("base") or {}
    op, np_ = ob.get("parameters") or {}, nb.get("parameters") or {}
    for k in sorted(set(op) | set(np_)):
        if op.get(k) != np_.get(k):
            out.append(f"base parameter {k} is {op.get(k)!r} in the store, {np_.get(k)!r} here")
    for k in ("title", "latitudes", "elevations", "porb", "zone_table"):
        if ob.get(k) != nb.get(k):
            out.append(f"base {k} differ")
    for k in ("dims", "axes", "cases", "items"):
        if old.get(k) != new.get(k):
            out.append(f"{k}: {json.dumps(old.get(k))[:120]} in the store, "
                       f"{json.dumps(new.get(k))[:120]} here")
    return out or ["the fingerprints differ"]


_VAR_ATTRS = {
    "done": {"long_name": "1 when the run is computed and stored", "flag_values": "0 1"},
    "failed": {"long_name": "1 when the run failed (see 'error'); its values are missing"},
    "error": {"long_name": "why the run failed (empty when it did not)"},
}


def _fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (best effort where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def journal_path(store: str | os.PathLike[str]) -> Path:
    """The journal of finished runs kept beside a store while a sweep writes it."""
    store = Path(store)
    return store.with_name(store.name + ".journal")


#: First bytes of a journal, followed by the sweep's fingerprint (64 hex digits) and a newline.
_JOURNAL_MAGIC = b"legacy-wrap sweep journal 1\n"
_JOURNAL_HEAD = len(_JOURNAL_MAGIC) + 65
#: Each record: tag, payload length (u8 LE), CRC-32 of the payload (u4 LE), payload.
_RECORD_TAG = b"RUNS"
_RECORD_HEAD = struct.Struct("<4sQI")

#: One journal entry: (flat run index, arrays of a done run or None, message of a failed run).
_Entry = tuple[int, "dict[str, np.ndarray] | None", "str | None"]


def _item_layout(plan: _Plan) -> list[tuple[str, np.dtype, tuple[int, ...]]]:
    """Name, little-endian dtype and shape of each per-run array, in journal order."""
    out = []
    for name in plan.stored:
        dtype = (ITEMS.get(name) or _SEASON_VARS[name])[1]
        out.append((name, np.dtype(dtype).newbyteorder("<"), plan.item_shape(name)))
    return out


def _encode_record(plan: _Plan, entries: Sequence[_Entry]) -> bytes:
    """A journal record holding ``entries`` (JSON index, then the raw little-endian arrays)."""
    layout = _item_layout(plan)
    index: list[list[Any]] = []
    blobs: list[bytes] = []
    for flat, arrays, message in entries:
        if arrays is None:
            index.append([int(flat), 0, str(message or "failed")])
            continue
        index.append([int(flat), 1])
        for name, dtype, shape in layout:
            a = np.asarray(arrays[name])
            if a.shape != shape:
                raise ValueError(f"run {flat}: {name} has shape {a.shape}, the table {shape}")
            blobs.append(np.ascontiguousarray(a, dtype=dtype).tobytes())
    head = json.dumps(index, separators=(",", ":")).encode()
    payload = struct.pack("<I", len(head)) + head + b"".join(blobs)
    return _RECORD_HEAD.pack(_RECORD_TAG, len(payload), zlib.crc32(payload)) + payload


def _decode_record(plan: _Plan, payload: bytes) -> list[_Entry] | None:
    """The entries of one record's payload; None when it does not fit this plan."""
    layout = _item_layout(plan)
    try:
        (hlen,) = struct.unpack_from("<I", payload, 0)
        index = json.loads(payload[4:4 + hlen])
        pos = 4 + hlen
        entries: list[_Entry] = []
        for item in index:
            flat = int(item[0])
            if not 0 <= flat < plan.total:
                return None
            if item[1] == 0:
                entries.append((flat, None, str(item[2])))
                continue
            arrays: dict[str, np.ndarray] = {}
            for name, dtype, shape in layout:
                n = dtype.itemsize * int(np.prod(shape, dtype=np.int64))
                if pos + n > len(payload):
                    return None
                arrays[name] = np.frombuffer(payload, dtype=dtype, count=n // dtype.itemsize,
                                             offset=pos).reshape(shape).astype(dtype.newbyteorder("="))
                pos += n
            entries.append((flat, arrays, None))
    except (ValueError, TypeError, IndexError, KeyError, struct.error):
        return None
    return entries if pos == len(payload) else None


def _parse_journal(data: bytes, plan: _Plan) -> tuple[str | None, list[_Entry], int]:
    """(fingerprint, entries, length of the valid part) of a journal's bytes.

    The records of a journal written by another sweep (another fingerprint)
    are not decoded: no entries, but the length tells that there were some.

    Reading stops at the first record that is incomplete or fails its checksum:
    the tail a kill in the middle of an append leaves (the process reported
    those runs done only after the whole record was written and synced).
    """
    if len(data) < _JOURNAL_HEAD or not data.startswith(_JOURNAL_MAGIC) \
            or data[_JOURNAL_HEAD - 1:_JOURNAL_HEAD] != b"\n":
        return None, [], 0
    fingerprint = data[len(_JOURNAL_MAGIC):_JOURNAL_HEAD - 1].decode("ascii", "replace")
    entries: list[_Entry] = []
    pos = _JOURNAL_HEAD
    while pos + _RECORD_HEAD.size <= len(data):
        tag, length, crc = _RECORD_HEAD.unpack_from(data, pos)
        start = pos + _RECORD_HEAD.size
        if tag != _RECORD_TAG or start + length > len(data):
            break
        payload = data[start:start + length]
        if zlib.crc32(payload) != crc:
            break
        if fingerprint != plan.fingerprint:
            pos = start + length      # another sweep's records: skipped, not decoded
            continue
        got = _decode_record(plan, payload)
        if got is None:
            break
        entries.extend(got)
        pos = start + length
    return fingerprint, entries, pos


def _read_journal_file(path: Path, plan: _Plan) -> tuple[str | None, list[_Entry]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        raise FileAccessError(f"cannot read the sweep journal {path}: {exc}") from exc
    fingerprint, entries, _ = _parse_journal(data, plan)
    return fingerprint, entries


def _apply_entries(data: Mapping[str, np.ndarray], done: np.ndarray, failed: np.ndarray,
                   error: np.ndarray, plan: _Plan, entries: Iterable[_Entry]) -> None:
    """Journal entries onto in-memory arrays, in order (later entries win)."""
    for flat, arrays, message in entries:
        idx = plan.index(flat)
        if arrays is not None:
            for name in plan.stored:
                data[name][idx] = arrays[name]
            done[idx], failed[idx], error[idx] = True, False, ""
        else:
            failed[idx], error[idx] = True, message


def _lock_journal(jpath: Path, store: Path) -> int:
    """Open (create) the journal and take its exclusive lock; FileAccessError if held."""
    for _ in range(20):
        try:
            fd = os.open(jpath, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise FileAccessError(f"cannot write the sweep journal {jpath} beside the store "
                                  f"{store} ({exc.strerror}); the store's folder must be "
                                  "writable") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise FileAccessError(f"the sweep store {store} is being written by another sweep "
                                  f"(it holds the lock on {jpath}); wait for it to finish, or "
                                  "use another store path") from None
        try:
            same = os.stat(jpath).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False              # the other sweep finished and removed it meanwhile
        if same:
            return fd
        os.close(fd)
    raise FileAccessError(f"cannot lock the sweep journal {jpath}")  # pragma: no cover


class _FileTable:
    """The table in a NetCDF4/HDF5 file (h5netcdf) plus a journal of finished runs.

    Crash safety (see the module documentation): the store file is only ever
    replaced whole (written as ``<store>.part``, synced, renamed); finished
    chunks are appended to ``<store>.journal`` and synced before they count
    as done; the journal is folded into the store at the start of a resume
    and at the end.  The journal's lock keeps two sweeps off one store.
    """

    def __init__(self, plan: _Plan, path: Path, overwrite: bool = False) -> None:
        self.h5netcdf = _need_h5()
        self.plan = plan
        self.path = path
        self.jpath = journal_path(path)
        self.part = path.with_name(path.name + ".part")
        self.pending: list[_Entry] = []
        self.records = 0               # records appended to the journal since the last fold
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd: int | None = _lock_journal(self.jpath, path)
        try:
            self._open(overwrite)
        except BaseException:
            try:                       # a journal without records is only our lock: remove it
                if os.fstat(self.fd).st_size <= _JOURNAL_HEAD:
                    os.unlink(self.jpath)
            except OSError:
                pass
            os.close(self.fd)
            self.fd = None
            raise

    # -- opening
    def _open(self, overwrite: bool) -> None:
        plan, path = self.plan, self.path
        if self.part.exists():         # left by a kill while a store was being written
            self.part.unlink()
        if overwrite:
            if path.exists():
                path.unlink()
            os.ftruncate(self.fd, 0)
        fingerprint, entries, end = _parse_journal(self._journal_bytes(), plan)
        foreign = fingerprint != plan.fingerprint and end > _JOURNAL_HEAD
        if not path.exists():
            self._create()             # (a foreign journal is of a store that was deleted)
        else:
            self._check_store()
            if foreign:
                raise StoreMismatchError(
                    f"the journal {self.jpath} beside the store {path} belongs to a different "
                    "sweep than the store; delete the journal (its runs are not in the store) "
                    "or the store to start again")
        if entries:
            self._fold(entries)        # the runs a killed sweep finished
        self._reset_journal()
        with self.h5netcdf.File(path, "r") as f:
            self.done = np.asarray(f.variables["done"][...], dtype=bool).reshape(plan.shape)
            self.failed = np.asarray(f.variables["failed"][...], dtype=bool).reshape(plan.shape)

    def _journal_bytes(self) -> bytes:
        assert self.fd is not None
        size = os.fstat(self.fd).st_size
        chunks = []
        pos = 0
        while pos < size:
            b = os.pread(self.fd, min(size - pos, 1 << 24), pos)
            if not b:
                break
            chunks.append(b)
            pos += len(b)
        return b"".join(chunks)

    def _reset_journal(self) -> None:
        """An empty journal (header only), synced."""
        assert self.fd is not None
        os.ftruncate(self.fd, 0)
        head = _JOURNAL_MAGIC + self.plan.fingerprint.encode("ascii") + b"\n"
        os.pwrite(self.fd, head, 0)
        os.fsync(self.fd)
        _fsync_dir(self.path.parent)
        self.end = len(head)
        self.records = 0

    def _check_store(self) -> None:
        try:
            f = self.h5netcdf.File(self.path, "r")
        except OSError as exc:
            raise FileAccessError(f"cannot open the sweep store {self.path} ({exc}); if the "
                                  "file is damaged, delete it to start again") from exc
        with f:
            fp = f.attrs.get("sweep_fingerprint")
            if fp is None:
                raise StoreMismatchError(f"{self.path} exists but is not a sweep store (no "
                                         "sweep_fingerprint attribute); choose another store path")
            if fp != self.plan.fingerprint:
                try:
                    old = json.loads(f.attrs.get("sweep_spec", "{}"))
                except ValueError:
                    old = {}
                why = "; ".join(_spec_diff(old, self.plan.spec)[:8])
                raise StoreMismatchError(
                    f"the store {self.path} was written by a different sweep ({why}); it can only "
                    "be resumed with the same base parameters, axes (or cases) and items. Use "
                    "another store path, or delete the file (overwrite=True, CLI --overwrite) to "
                    "start again")

    def _create(self) -> None:
        """Write the empty table to a temporary name, sync, rename: never a half-made store."""
        import h5py

        try:
            self._write_empty(self.h5netcdf, h5py, self.plan, self.part)
            _fsync_file(self.part)
        except BaseException:
            if self.part.exists():
                self.part.unlink()
            raise
        os.replace(self.part, self.path)
        _fsync_dir(self.path.parent)

    def _write_empty(self, h5netcdf: Any, h5py: Any, plan: _Plan, tmp: Path) -> None:
        with h5netcdf.File(tmp, "w") as f:
            sizes = dict(zip(plan.dims, plan.shape))
            sizes.update(hour=plan.hours.size, latitude=plan.latitudes.size,
                         season=plan.seasons.size)
            if plan.nlayer or any(ITEMS[i][0][0] == "layer" for i in plan.items):
                sizes["layer"] = plan.nlayer
            f.dimensions = sizes
            for name, (data, attrs) in _coords(plan).items():
                dims = (name,) if name in sizes else attrs.pop("_dims")
                v = f.create_variable(name, dims, data=_storable(data))
                v.attrs.update(attrs)
            aux = " ".join(n for n, (_, a) in _coords(plan).items() if n not in sizes)
            for name in plan.stored:
                item_dims, dtype, units = ITEMS.get(name) or _SEASON_VARS[name]
                fill = -1 if dtype == "i8" else np.nan
                chunks = (1,) * len(plan.dims) + plan.item_shape(name)
                v = f.create_variable(name, plan.dims + item_dims, dtype=dtype, fillvalue=fill,
                                      chunks=chunks if all(chunks) else None)
                v.attrs["units"] = units
                if name in _LONG_NAMES:
                    v.attrs["long_name"] = _LONG_NAMES[name]
                if aux:
                    v.attrs["coordinates"] = aux
            for name in ("done", "failed"):
                v = f.create_variable(name, plan.dims, dtype="u1")
                v.attrs.update(_VAR_ATTRS[name])
            v = f.create_variable("error", plan.dims, dtype=h5py.string_dtype())
            v.attrs.update(_VAR_ATTRS["error"])
            f.attrs.update(_attrs(plan))

    # -- folding the journal into the store
    def _fold(self, entries: Sequence[_Entry]) -> None:
        """A new store = the store + ``entries``, written beside it and renamed over it."""
        plan = self.plan
        try:
            shutil.copyfile(self.path, self.part)
            with self.h5netcdf.File(self.part, "r+") as f:
                v = f.variables
                failed = np.asarray(v["failed"][...], dtype=bool).reshape(plan.shape)
                for flat, arrays, message in entries:
                    idx = plan.index(flat)
                    if arrays is not None:
                        for name in plan.stored:
                            v[name][idx] = arrays[name]
                        if failed[idx]:
                            v["failed"][idx] = 0
                            v["error"][idx] = ""
                            failed[idx] = False
                        v["done"][idx] = 1
                    else:
                        v["failed"][idx] = 1
                        v["error"][idx] = message
                        failed[idx] = True
            _fsync_file(self.part)
        except BaseException as exc:
            if self.part.exists():
                self.part.unlink()
            if isinstance(exc, OSError):
                raise FileAccessError(
                    f"cannot update the sweep store {self.path} ({exc}); the finished runs are "
                    f"kept in {self.jpath}: free space or fix the folder, then resume") from exc
            raise
        os.replace(self.part, self.path)
        _fsync_dir(self.path.parent)

    def checkpoint(self) -> None:
        """Fold this session's journal into the store and empty the journal."""
        self.flush()
        if self.records == 0:
            return
        _, entries, _ = _parse_journal(self._journal_bytes(), self.plan)
        if entries:
            self._fold(entries)
        self._reset_journal()

    # -- the engine's interface
    def write(self, flat: int, arrays: Mapping[str, np.ndarray]) -> None:
        self.pending.append((flat, dict(arrays), None))

    def fail(self, flat: int, message: str) -> None:
        self.pending.append((flat, None, message))

    def flush(self) -> None:
        """Append the pending runs to the journal as one record and sync it.

        The record is written at the end of the last complete one, so a record
        torn by an exception is overwritten, never followed.
        """
        if not self.pending or self.fd is None:
            return
        record = _encode_record(self.plan, self.pending)
        pos, view = 0, memoryview(record)
        while pos < len(record):
            pos += os.pwrite(self.fd, view[pos:], self.end + pos)
        os.fsync(self.fd)
        self.end += len(record)
        self.records += 1
        for flat, arrays, _ in self.pending:
            idx = self.plan.index(flat)
            if arrays is not None:
                self.done[idx], self.failed[idx] = True, False
            else:
                self.failed[idx] = True
        self.pending.clear()

    def close(self) -> None:
        """Fold the journal in, remove it and release the lock."""
        if self.fd is None:
            return
        try:
            self.checkpoint()
            os.unlink(self.jpath)
            _fsync_dir(self.path.parent)
        finally:
            os.close(self.fd)
            self.fd = None

    def arrays(self) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        self.checkpoint()
        with self.h5netcdf.File(self.path, "r") as f:
            return _read_arrays(f, self.plan)


def _read_arrays(f: Any, plan: _Plan) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray,
                                                np.ndarray]:
    """The stored arrays, done, failed and error of an open store."""
    shape = plan.shape
    data = {name: np.asarray(f.variables[name][...]).reshape(shape + plan.item_shape(name))
            for name in plan.stored}
    done = np.asarray(f.variables["done"][...], dtype=bool).reshape(shape)
    failed = np.asarray(f.variables["failed"][...], dtype=bool).reshape(shape)
    raw = np.asarray(f.variables["error"][...], dtype=object).reshape(shape)
    error = np.empty(shape, dtype=object)
    for i, s in np.ndenumerate(raw):
        error[i] = s.decode("utf-8", "replace") if isinstance(s, bytes) else str(s or "")
    return data, done, failed, error


def _params_from_spec(d: Mapping[str, Any]) -> Params:
    """Rebuild the base parameters stored in a store's spec (inverse of _params_spec)."""
    p = Params.mars()
    p.set_latitudes(d["latitudes"], d["elevations"])
    for key, value in d["parameters"].items():
        if key != "n4":
            p[key] = value
    p.title = d["title"]
    p.porb = d["porb"]
    p.zone_table = d["zone_table"]
    return p


def _plan_from_store(f: Any, path: Path) -> _Plan:
    """The plan of an existing store, from its spec and coordinates (no validation)."""
    try:
        spec = json.loads(f.attrs["sweep_spec"])
        base = _params_from_spec(spec["base"])
    except (KeyError, ValueError, TypeError) as exc:
        raise StoreMismatchError(f"{path} is not a sweep store (no readable sweep_spec "
                                 f"attribute: {exc})") from None
    dims = tuple(spec["dims"])
    cases = spec["cases"]
    if cases is None:
        values = {k: list(v) for k, v in spec["axes"].items()}
        shape = tuple(len(values[d]) for d in dims)
    else:
        names = [k for c in cases for k in c]
        values = {k: [c.get(k, base[k]) for c in cases] for k in dict.fromkeys(names)}
        shape = (len(cases),)
    plan = _Plan(base=base, dims=dims, shape=shape, values=values,
                 kinds={k: lookup(k).kind for k in values}, cases=cases, items=tuple(spec["items"]))
    plan.hours = np.asarray(f.variables["hour"][...], dtype=np.float64)
    plan.latitudes = np.asarray(f.variables["latitude"][...], dtype=np.float64)
    plan.elevations = np.asarray(f.variables["elevation"][...], dtype=np.float64)
    plan.seasons = np.asarray(f.variables["season"][...], dtype=np.int64)
    plan.nlayer = int(f.dimensions["layer"].size) if "layer" in f.dimensions else 0
    plan.spec = spec
    plan.fingerprint = str(f.attrs["sweep_fingerprint"])
    return plan


def _storable(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    return a.astype(np.int8) if a.dtype == bool else a


def _coords(plan: _Plan) -> dict[str, tuple[np.ndarray, dict[str, Any]]]:
    """Coordinate arrays of the table (sweep axes or case columns, hour, latitude, season)."""
    out: dict[str, tuple[np.ndarray, dict[str, Any]]] = {}
    dtypes = {"FD": np.float64, "ID": np.int64, "LD": bool}
    if plan.cases is None:
        for name in plan.dims:
            info = lookup(name)
            out[name] = (np.asarray(plan.values[name], dtype=dtypes[plan.kinds[name]]),
                         {"long_name": info.meaning, "units": info.unit, "krc_name": info.krc_name})
    else:
        out["case"] = (np.arange(plan.shape[0], dtype=np.int64), {"long_name": "case number"})
        for name, vals in plan.values.items():
            info = lookup(name)
            out[name] = (np.asarray(vals, dtype=dtypes[plan.kinds[name]]),
                         {"long_name": info.meaning, "units": info.unit, "krc_name": info.krc_name,
                          "_dims": ("case",)})
    out["hour"] = (plan.hours, {"units": "h", "long_name": "local time"})
    out["latitude"] = (plan.latitudes, {"units": "degrees_north"})
    out["season"] = (plan.seasons, {"long_name": "KRC season index J5"})
    out["elevation"] = (plan.elevations, {"units": "km", "_dims": ("latitude",)})
    if plan.nlayer:
        out["layer"] = (np.arange(2, 2 + plan.nlayer, dtype=np.int64),
                        {"long_name": "layer index (2 = first below the surface)"})
    return out


def _attrs(plan: _Plan) -> dict[str, Any]:
    return {
        "title": plan.base.title,
        "model": "legacy-wrap KRC 3.6.5-compatible core",
        "sweep_format": _FORMAT,
        "sweep_dims": " ".join(plan.dims),
        "sweep_items": " ".join(plan.items),
        "sweep_fingerprint": plan.fingerprint,
        "sweep_spec": json.dumps(plan.spec, sort_keys=True),
    }


def _dataset(plan: _Plan, data: Mapping[str, np.ndarray], done: np.ndarray, failed: np.ndarray,
             error: np.ndarray) -> xarray.Dataset:
    """The table as an xarray.Dataset (the same from memory and from a store)."""
    import xarray as xr

    coords: dict[str, Any] = {}
    for name, (arr, attrs) in _coords(plan).items():
        attrs = dict(attrs)
        dims = attrs.pop("_dims", (name,))
        coords[name] = (dims, arr, attrs)
    variables: dict[str, Any] = {}
    for name in plan.stored:
        item_dims, _, units = ITEMS.get(name) or _SEASON_VARS[name]
        attrs = {"units": units}
        if name in _LONG_NAMES:
            attrs["long_name"] = _LONG_NAMES[name]
        variables[name] = (plan.dims + item_dims, data[name], attrs)
    variables["done"] = (plan.dims, done, {"long_name": _VAR_ATTRS["done"]["long_name"]})
    variables["failed"] = (plan.dims, failed, {"long_name": _VAR_ATTRS["failed"]["long_name"]})
    variables["error"] = (plan.dims, error.astype(str), {"long_name": _VAR_ATTRS["error"]["long_name"]})
    return xr.Dataset(variables, coords=coords, attrs=_attrs(plan))


def open_table(path: str | os.PathLike[str]) -> xarray.Dataset:
    """Read a sweep store (finished or not) into memory, as :func:`sweep` returns it.

    Runs a sweep has finished but not yet folded into the store (they are in
    the journal beside it, ``<store>.journal``) are included.

    The file is a plain NetCDF4 file too: ``xarray.open_dataset(path,
    engine="h5netcdf")`` reads it (with the flags as integers and missing
    values masked).
    """
    h5netcdf = _need_h5()
    path = Path(path)
    # The journal first: a sweep that folds it into the store meanwhile has
    # renamed a store holding those runs into place, and applying them again
    # changes nothing.
    try:
        journal = journal_path(path).read_bytes()
    except FileNotFoundError:
        journal = b""
    except OSError as exc:
        raise FileAccessError(f"cannot read the sweep journal {journal_path(path)}: {exc}") from exc
    try:
        f = h5netcdf.File(path, "r")
    except OSError as exc:
        raise FileAccessError(f"cannot read the sweep store {path}: {exc}") from exc
    with f:
        plan = _plan_from_store(f, path)
        arrays = _read_arrays(f, plan)
    fingerprint, entries, _ = _parse_journal(journal, plan)
    if fingerprint == plan.fingerprint:
        _apply_entries(*arrays, plan, entries)
    return _dataset(plan, *arrays)


# --------------------------------------------------------------------------- progress


class _Progress:
    """A progress line on stderr (rewritten in place on a terminal) and a final summary."""

    def __init__(self, total: int, already: int, enabled: bool | str | None, label: str,
                 stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.tty = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self.tty = False
        self.total, self.already, self.label = total, already, label
        self.done, self.failed = already, 0
        self.t0 = time.perf_counter()
        self.last = -1.0
        self.width = 0
        self.bar: Any = None
        if enabled == "notebook":
            # A widget bar in Jupyter (a text bar elsewhere): tqdm's auto mode.
            try:
                from tqdm.auto import tqdm
            except ImportError:
                raise InputError("progress='notebook' needs tqdm (pip install tqdm; with "
                                 "ipywidgets for a Jupyter widget)") from None
            self.bar = tqdm(total=total, initial=already, desc=f"sweep [{label}]", unit="run")
            enabled = True
        elif enabled is not None and not isinstance(enabled, bool):
            raise InputError(f"progress must be True, False, None or 'notebook', got {enabled!r}")
        self.enabled = self.tty if enabled is None else bool(enabled)

    def update(self, done: int, failed: int, force: bool = False) -> None:
        self.done, self.failed = done, failed
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.n = done
            if failed:
                self.bar.set_postfix(failed=failed, refresh=False)
            self.bar.refresh()
            return
        now = time.perf_counter()
        if not force and now - self.last < (0.2 if self.tty else 0.5) and done < self.total:
            return
        self.last = now
        elapsed = now - self.t0
        new = done - self.already
        left = ""
        if 0 < new and done < self.total:
            left = f", ~{_seconds(elapsed / new * (self.total - done))} left"
        pct = 100.0 * done / self.total if self.total else 100.0
        fail = f", {failed} failed" if failed else ""
        text = (f"sweep [{self.label}]: {done}/{self.total} runs ({pct:.0f}%){fail}, "
                f"{_seconds(elapsed)}{left}")
        if self.tty:
            pad = max(0, self.width - len(text))
            self.stream.write("\r" + text + " " * pad)
            self.width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self, how: str, where: Path | None) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.n = self.done
            self.bar.set_description(f"sweep [{self.label}] {how}")
            self.bar.close()
            return
        if self.tty and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
        elapsed = time.perf_counter() - self.t0
        computed = self.done - self.already
        parts = [f"{computed} computed"]
        if self.already:
            parts.append(f"{self.already} already in the store")
        if self.failed:
            parts.append(f"{self.failed} failed")
        dest = f" -> {where}" if where is not None else ""
        self.stream.write(f"sweep [{self.label}] {how}: {self.done}/{self.total} runs in "
                          f"{_seconds(elapsed)} ({', '.join(parts)}){dest}\n")
        self.stream.flush()


def _seconds(s: float) -> str:
    if s < 60:
        return f"{s:.1f} s"
    if s < 3600:
        return f"{int(s // 60)} min {int(s % 60):02d} s"
    return f"{int(s // 3600)} h {int(s % 3600 // 60):02d} min"


# --------------------------------------------------------------------------- the engine


class _Interrupts:
    """While active (main thread only), Ctrl-C sets a flag checked at safe points.

    A second Ctrl-C raises KeyboardInterrupt at once.
    """

    def __init__(self) -> None:
        self.flag = False
        self.installed = False
        self.old: Any = None

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            old = signal.getsignal(signal.SIGINT)
            if old is signal.default_int_handler:
                self.old = old
                signal.signal(signal.SIGINT, self._handler)
                self.installed = True
        return self

    def _handler(self, signum: int, frame: Any) -> None:
        if self.flag:
            raise KeyboardInterrupt
        self.flag = True

    def check(self) -> None:
        if self.flag:
            raise KeyboardInterrupt

    def __exit__(self, *exc: Any) -> None:
        if self.installed:
            signal.signal(signal.SIGINT, self.old)


class _Engine:
    """Submits chunks, collects results into the table, isolates runs that kill workers."""

    def __init__(self, plan: _Plan, backend: _Backend, table: _MemoryTable | _FileTable,
                 progress: _Progress, interrupts: _Interrupts,
                 hook: Callable[[dict[str, Any]], None] | None,
                 stored_hook: Callable[[list[int]], None] | None = None) -> None:
        self.plan, self.backend, self.table = plan, backend, table
        self.stored_hook = stored_hook
        self.progress, self.interrupts, self.hook = progress, interrupts, hook
        self.inflight: dict[Any, list[int]] = {}
        self.finished: queue.Queue = queue.Queue()
        self.failures: dict[int, str] = {}
        self.ndone = progress.done

    def run(self, todo: list[int], chunk_size: int) -> None:
        window = 2 * max(1, self.backend.workers)
        chunks = [todo[i:i + chunk_size] for i in range(0, len(todo), chunk_size)]
        suspects = self._execute(chunks, window)
        if suspects:                  # chunks lost to a dead worker: retry their runs singly
            suspects = self._execute([[i] for i in sorted(suspects)], window)
        if suspects:                  # still failing: one at a time, to find the run to blame
            blamed: dict[int, str] = {}
            for i in sorted(suspects):
                blamed.update(self._execute([[i]], 1))
            for i, why in blamed.items():
                self._fail(i, f"the worker failed while running this case: {why}")
        self.table.flush()

    def _fail(self, flat: int, message: str) -> None:
        self.failures[flat] = message
        self.table.fail(flat, message)

    def _collect(self, fut: Any, tasks: list[int], suspects: dict[int, str]) -> None:
        try:
            results = fut.result()
        except CancelledError:
            for i in tasks:
                suspects[i] = "the task was cancelled"
            return
        except BrokenExecutor as exc:
            self.backend.broken = True
            why = self.backend.diagnose()
            if why is not None:
                raise BackendError(why) from None
            for i in tasks:
                suspects[i] = f"{type(exc).__name__}: {exc}"
            return
        except Exception as exc:  # noqa: BLE001 - e.g. dask KilledWorker, a pickling error
            for i in tasks:
                suspects[i] = f"{type(exc).__name__}: {exc}"
            return
        stored: list[int] = []
        for flat, arrays, message in results:
            if arrays is None:
                self._fail(flat, message or "failed")
            else:
                self.failures.pop(flat, None)
                self.table.write(flat, arrays)
                self.ndone += 1
                stored.append(flat)
        self.table.flush()            # durable (synced) before it is reported done
        if self.stored_hook is not None and stored:
            self.stored_hook(stored)
        self.progress.update(self.ndone, len(self.failures))

    def _execute(self, chunks: list[list[int]], window: int) -> dict[int, str]:
        """Run the chunks; return the runs of chunks lost to the executor (run -> why)."""
        pending = deque(chunks)
        suspects: dict[int, str] = {}
        base, stored, hook = self.plan.base, self.plan.stored, self.hook
        while pending or self.inflight:
            self.interrupts.check()
            while pending and len(self.inflight) < window and not self.backend.broken:
                chunk = pending.popleft()
                tasks = [(i, self.plan.changes(i)) for i in chunk]
                try:
                    fut = self.backend.submit(_run_chunk, base, tasks, stored, hook)
                except BrokenExecutor:
                    self.backend.broken = True
                    pending.appendleft(chunk)
                    break
                self.inflight[fut] = chunk
                fut.add_done_callback(self.finished.put)
                self.interrupts.check()
            if not self.inflight:
                if pending and self.backend.broken and not self.backend.rebuild():
                    for chunk in pending:
                        for i in chunk:
                            suspects[i] = "the executor is broken (a worker died)"
                    pending.clear()
                continue
            try:
                fut = self.finished.get(timeout=0.1)
            except queue.Empty:
                self.progress.update(self.ndone, len(self.failures))
                continue
            tasks = self.inflight.pop(fut, None)
            if tasks is None:         # pragma: no cover - a callback from an earlier pass
                continue
            self._collect(fut, tasks, suspects)
        return suspects

    def salvage(self) -> None:
        """After an interrupt: store chunks that finished but were not collected yet."""
        for fut, tasks in list(self.inflight.items()):
            try:
                finished = fut.done() and not fut.cancelled() and fut.exception() is None
            except Exception:  # noqa: BLE001
                finished = False
            if finished:
                self._collect(fut, tasks, {})
            else:
                try:
                    fut.cancel()
                except Exception:  # noqa: BLE001
                    pass
        self.inflight.clear()


# --------------------------------------------------------------------------- the API


def sweep(base: Params, *, axes: Mapping[str, Sequence[Any]] | None = None,
          cases: Sequence[Mapping[str, Any]] | None = None,
          executor: str | Executor | Any = "serial", workers: int | None = None,
          chunk_size: int | None = None, store: str | os.PathLike[str] | None = None,
          items: Sequence[str] = ("surface_temperature", "days_computed"),
          progress: bool | str | None = None, scheduler: str | None = None,
          on_error: str = "raise", overwrite: bool = False,
          _worker_hook: Callable[[dict[str, Any]], None] | None = None,
          _stored_hook: Callable[[list[int]], None] | None = None) -> xarray.Dataset:
    """Run the thermal model over a grid (``axes``) or a list (``cases``) of parameter changes.

    Parameters
    ----------
    base
        The parameters every run starts from (``Params.mars().replace(...)``,
        ``Params.moon()``, a deck's case).  Latitudes are per-run lists: set
        them on the base; they are the ``latitude`` dimension of every run.
    axes
        ``{parameter name: values}``: one run per point of the Cartesian
        product, in C order.  Names are any KRC spelling of a scalar deck
        parameter (``inertia``, ``alb``/``ALBEDO``, ``taud``, ``slope``,
        ``n2`` ...); dimensions are the canonical names in the given order,
        then ``hour, latitude, season``.
    cases
        A list of ``{parameter name: value}`` changes instead: dimension
        ``case``, and one coordinate per parameter that any case changes.
    executor
        ``"serial"``, ``"threads"``, ``"processes"``, ``"dask"``, ``"mpi"`` or
        an executor object (see the module documentation).  The numbers do
        not depend on it.
    workers
        Pool size (default: the CPUs available; for MPI the MPI default).
    chunk_size
        Runs per task (default ``ceil(runs / (4 workers))``, at most 32; 1 serially).
    store
        A ``.nc`` path: write the table as it is computed and resume from it
        (see the module documentation).  ``overwrite=True`` starts it anew.
    items
        Result arrays to keep (:data:`ITEMS`); ``ls`` and ``date`` per run and
        season are always kept, with the ``done``/``failed``/``error`` flags.
    progress
        Progress line on stderr: ``None`` = only when stderr is a terminal;
        ``"notebook"``: a progress bar that Jupyter shows as a widget
        (``tqdm.auto``; needs tqdm).
    scheduler
        With ``executor="dask"``: the address of a running scheduler instead
        of a LocalCluster.
    on_error
        ``"raise"`` (default): raise :class:`SweepError` at the end if any run
        failed (``exc.dataset`` holds the table); ``"keep"``: return the table
        with the failed runs flagged.

    Returns
    -------
    xarray.Dataset
        The table.  Raises :class:`~legacy_wrap.errors.InputError` before any
        work for an invalid value, :class:`StoreMismatchError` when ``store``
        belongs to another sweep, :class:`BackendError` when a backend cannot
        start, :class:`SweepError` when runs failed, ``KeyboardInterrupt``
        after a Ctrl-C (finished runs are kept in the store).
    """
    if _in_worker_bootstrap():
        # A pool worker re-running an unguarded main script: end it at once (no
        # store touched, no pool of its own); the parent sees this exit status
        # and raises BackendError with the fix.
        os._exit(_UNGUARDED_MAIN_EXIT)
    if on_error not in ("raise", "keep"):
        raise InputError(f"on_error must be 'raise' or 'keep', got {on_error!r}")
    if progress not in (None, True, False, "notebook"):
        raise InputError(f"progress must be True, False, None or 'notebook', got {progress!r}")
    if progress == "notebook" and importlib.util.find_spec("tqdm") is None:
        raise InputError("progress='notebook' needs tqdm (pip install tqdm; with ipywidgets "
                         "for a Jupyter widget)")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int)
                                   or chunk_size < 1):
        raise InputError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    if not (isinstance(executor, str) or hasattr(executor, "submit")):
        raise InputError(f"executor must be one of {', '.join(EXECUTORS)} or an object with "
                         f"submit(), got {executor!r}")
    if isinstance(executor, str) and executor not in EXECUTORS:
        raise InputError(f"unknown executor {executor!r}: choose one of {', '.join(EXECUTORS)} "
                         "or pass a concurrent.futures.Executor")
    plan = _make_plan(base, axes, cases, items)
    try:
        import xarray  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("sweep() returns an xarray.Dataset: pip install 'legacy-wrap[xarray]'") from exc

    # The backend first: a bad executor argument must fail before a store is
    # touched (with overwrite=True it would be emptied).
    backend = _make_backend(executor, workers, scheduler)
    table: _MemoryTable | _FileTable
    try:
        if store is not None:
            table = _FileTable(plan, Path(store), overwrite=overwrite)
        else:
            table = _MemoryTable(plan)
    except BaseException:
        backend.close(cancel=True)
        raise
    todo = [int(i) for i in np.flatnonzero(~table.done.reshape(-1))]
    if not todo:
        backend.close()
        backend = _SerialBackend(1)
    meter = _Progress(plan.total, plan.total - len(todo), progress, str(backend))
    if chunk_size is None:
        chunk_size = 1 if isinstance(backend, _SerialBackend) else max(
            1, min(_MAX_DEFAULT_CHUNK, math.ceil(len(todo) / (4 * backend.workers))))
    with _Interrupts() as interrupts:
        engine = _Engine(plan, backend, table, meter, interrupts, _worker_hook, _stored_hook)
        try:
            meter.update(meter.done, 0, force=True)
            engine.run(todo, chunk_size)
        except KeyboardInterrupt:
            try:
                engine.salvage()
            finally:
                try:
                    backend.close(cancel=True)
                finally:
                    table.flush()
                    table.close()
                    meter.finish("interrupted", table.path)
            raise
        except BaseException:
            try:
                backend.close(cancel=True)
            finally:
                table.close()
            raise
        try:
            backend.close()
        except BaseException:
            table.close()
            raise
    try:
        data, done, failed, error = table.arrays()
    finally:
        table.close()
    ds = _dataset(plan, data, done, failed, error)
    meter.finish("done" if not failed.any() else "finished with failures", table.path)
    if failed.any() and on_error == "raise":
        failures = [Failure(plan.index(int(i)), plan.changes(int(i)), str(error.reshape(-1)[i]))
                    for i in np.flatnonzero(failed.reshape(-1))]
        raise SweepError(failures, plan.total, ds, table.path)
    return ds
