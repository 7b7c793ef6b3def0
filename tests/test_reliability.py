"""Reliability of sweeps: what is reported done survives a SIGKILL at any instant.

A long-lived helper Python (the "zygote") imports the package once and forks
one sweep per trial; the test kills the fork's whole process group (the
sweep, its threads, its fork server and pool workers) with SIGKILL at a
random moment, resumes the store in this process and compares it bit for
bit with an uninterrupted sweep.  The killed sweep writes the index of every
run the moment the sweep reports it done (``_stored_hook``, called after
the chunk is synced), so the test knows exactly what was promised.

Seeded (random.Random(19)): the same kill moments every run, up to the
machine's timing.
"""

from __future__ import annotations

import importlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap.krc import Params

xr = pytest.importorskip("xarray")
pytest.importorskip("h5netcdf")
pytest.importorskip("h5py")
sweep_mod = importlib.import_module("legacy_wrap.krc.sweep")
sweep = sweep_mod.sweep

#: 6 x 4 = 24 runs of ~3 ms (airless Mars, 3 latitudes, N2 512, N1 16, 2 seasons).
KILL_AXES = {"inertia": [50.0, 70.0, 100.0, 150.0, 220.0, 330.0], "alb": [0.1, 0.2, 0.3, 0.4]}
TOTAL = 24
#: backend -> (chunk size, trials with a kill)
BACKENDS = {"serial": (1, 12), "threads": (2, 12), "processes": (3, 12)}


def small_base() -> Params:
    return Params.mars().replace(ptotal=0.5, n5=2, n2=528, n1=16, jdisk=1,
                                 latitudes=[-30.0, 0.0, 30.0], elevations=[0.0, 0.0, 0.0])


ZYGOTE = """
import os, sys, traceback
from legacy_wrap.krc import Params
from legacy_wrap.krc.sweep import sweep
import h5netcdf, h5py, xarray  # noqa: F401 - imported once, before the forks

AXES = {axes!r}

def base():
    return Params.mars().replace(ptotal=0.5, n5=2, n2=528, n1=16, jdisk=1,
                                 latitudes=[-30.0, 0.0, 30.0], elevations=[0.0, 0.0, 0.0])

def child(store, executor, chunk, report):
    fd = os.open(report, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    def stored(flats):
        os.write(fd, "".join(f"{{i}}\\n" for i in flats).encode())
    sweep(base(), axes=AXES, executor=executor, workers=2, chunk_size=int(chunk),
          store=store, _stored_hook=stored)
    os.write(fd, b"END\\n")

def main():
    for line in sys.stdin:
        store, executor, chunk, report = line.split()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.setpgid(0, 0)
                child(store, executor, chunk, report)
            except BaseException:
                traceback.print_exc()
                code = 1
            os._exit(code)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(status, flush=True)

if __name__ == "__main__":
    main()
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


def _lines(path: Path) -> list[str]:
    """The complete lines of the report (a kill may cut the last one)."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return []
    return text.split("\n")[:-1]


CALLS: list[dict] = []


def record_call(changes: dict) -> None:
    CALLS.append(changes)


def _flat(changes: dict) -> int:
    i = KILL_AXES["inertia"].index(changes["inertia"])
    j = KILL_AXES["alb"].index(changes["alb"])
    return i * len(KILL_AXES["alb"]) + j


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zygote")
    script = folder / "zygote.py"
    script.write_text(ZYGOTE.format(axes=KILL_AXES))
    proc = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=_env(), cwd=folder)
    yield proc
    proc.stdin.close()
    try:
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()


def _trial(zygote, store: Path, executor: str, chunk: int, report: Path,
           kill: tuple[str, float] | None) -> tuple[int, float]:
    """Start a sweep in a fork; kill it (None: let it finish). Returns (wait status, seconds)."""
    zygote.stdin.write(f"{store} {executor} {chunk} {report}\n")
    zygote.stdin.flush()
    pid = int(zygote.stdout.readline())
    t0 = time.perf_counter()
    if kill is not None:
        how, value = kill
        if how == "after":                 # after `value` runs reported done (+ a few us)
            deadline = time.monotonic() + 60
            while len(_lines(report)) < value and time.monotonic() < deadline:
                if _lines(report)[-1:] == ["END"]:
                    break
                time.sleep(0.0005)
            assert time.monotonic() < deadline, f"the sweep did not report {value} runs"
        else:                              # at a moment of the whole run
            time.sleep(value)
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    status = int(zygote.stdout.readline())
    return status, time.perf_counter() - t0


@pytest.fixture(scope="module")
def whole():
    return sweep(small_base(), axes=KILL_AXES)


def test_finished_runs_survive_sigkill_at_random_moments(zygote, whole, tmp_path):
    rng = random.Random(19)
    tally = {"trials": 0, "killed": 0, "reported": 0, "recomputed": 0, "kept_unreported": 0,
             "exact": 0}
    for executor, (chunk, trials) in BACKENDS.items():
        # an uninterrupted run first: its duration scales the random kill moments
        store, report = tmp_path / f"{executor}-full.nc", tmp_path / f"{executor}-full.txt"
        status, full = _trial(zygote, store, executor, chunk, report, None)
        assert status == 0 and _lines(report)[-1] == "END"
        assert sweep_mod.open_table(store).identical(whole)
        for k in range(trials):
            store, report = tmp_path / f"{executor}-{k}.nc", tmp_path / f"{executor}-{k}.txt"
            if k % 3 == 2:
                kill = ("at", rng.uniform(0.0, 1.1 * full))
            else:
                kill = ("after", rng.randint(0, TOTAL))
            status, _ = _trial(zygote, store, executor, chunk, report, kill)
            lines = _lines(report)
            finished = lines[-1:] == ["END"]
            reported = {int(x) for x in lines if x != "END"}
            assert finished or os.WIFSIGNALED(status), (executor, k, status)

            if not store.exists():         # killed before the store was made
                assert not reported
            CALLS.clear()
            resumed = sweep(small_base(), axes=KILL_AXES, store=store, _worker_hook=record_call)
            recomputed = [_flat(c) for c in CALLS]
            # bit for bit the uninterrupted sweep, in the returned table and the store
            assert resumed.identical(whole), (executor, k, kill)
            assert sweep_mod.open_table(store).identical(whole), (executor, k, kill)
            assert not sweep_mod.journal_path(store).exists()
            assert not store.with_name(store.name + ".part").exists()
            # nothing reported done is computed again; each run at most once
            assert len(recomputed) == len(set(recomputed))
            assert not reported & set(recomputed), (executor, k, kill, sorted(reported))
            # what is not recomputed was reported done, except at most the one chunk
            # a kill can catch between its sync and its report
            unreported_kept = set(range(TOTAL)) - reported - set(recomputed)
            assert len(unreported_kept) <= chunk, (executor, k, kill, sorted(unreported_kept))
            assert len(recomputed) == TOTAL - len(reported) - len(unreported_kept)
            tally["trials"] += 1
            tally["killed"] += not finished
            tally["reported"] += len(reported)
            tally["recomputed"] += len(recomputed)
            tally["kept_unreported"] += len(unreported_kept)
            tally["exact"] += not unreported_kept
    assert tally["trials"] >= 30 and tally["killed"] >= 24, tally
    print("sigkill tally:", tally)


# --------------------------------------------------------------------------- store details


def test_journal_of_a_killed_sweep_is_visible_to_open_table_and_folded_on_resume(tmp_path, whole):
    """A journal left by a kill: open_table sees its runs; a resume folds them and
    removes it; a torn last record (a kill in the middle of an append) is ignored."""
    store = tmp_path / "t.nc"
    plan = sweep_mod._make_plan(small_base(), KILL_AXES, None, ("surface_temperature",
                                                                "days_computed"))
    table = sweep_mod._FileTable(plan, store)
    for flat in (0, 5):
        table.write(flat, {n: whole[n].values.reshape((TOTAL,) + whole[n].shape[2:])[flat]
                           for n in plan.stored})
        table.flush()
    os.close(table.fd)                  # as a SIGKILL would leave it: no fold, no unlink
    table.fd = None
    journal = sweep_mod.journal_path(store)
    with open(journal, "ab") as fh:     # a torn record after the two good ones
        fh.write(sweep_mod._RECORD_HEAD.pack(sweep_mod._RECORD_TAG, 10_000, 0) + b"\0" * 100)
    partial = sweep_mod.open_table(store)
    assert partial.done.values.reshape(-1).nonzero()[0].tolist() == [0, 5]
    CALLS.clear()
    resumed = sweep(small_base(), axes=KILL_AXES, store=store, _worker_hook=record_call)
    assert sorted(_flat(c) for c in CALLS) == [i for i in range(TOTAL) if i not in (0, 5)]
    assert resumed.identical(whole) and not journal.exists()


def test_a_second_sweep_on_a_store_being_written_is_refused(tmp_path):
    store = tmp_path / "busy.nc"
    plan = sweep_mod._make_plan(small_base(), {"alb": [0.2, 0.3]}, None,
                               ("surface_temperature", "days_computed"))
    table = sweep_mod._FileTable(plan, store)
    try:
        with pytest.raises(sweep_mod.FileAccessError, match=r"busy.nc is being written by "
                           r"another sweep .*busy.nc.journal.*use another store path"):
            sweep(small_base(), axes={"alb": [0.2, 0.3]}, store=store)
    finally:
        table.close()
    assert not sweep_mod.journal_path(store).exists()
    assert sweep(small_base(), axes={"alb": [0.2, 0.3]}, store=store).done.all()


def test_journal_of_another_sweep_beside_a_store_is_refused(tmp_path):
    store = tmp_path / "s.nc"
    sweep(small_base(), axes={"alb": [0.2, 0.3]}, store=store)
    other = sweep_mod._make_plan(small_base(), {"alb": [0.5]}, None, ("surface_temperature",))
    j = sweep_mod.journal_path(store)
    j.write_bytes(sweep_mod._JOURNAL_MAGIC + other.fingerprint.encode() + b"\n"
                  + sweep_mod._encode_record(other, [(0, None, "boom")]))
    before = store.read_bytes()
    with pytest.raises(sweep_mod.StoreMismatchError, match=r"s.nc.journal beside the store .* "
                       r"belongs to a different sweep"):
        sweep(small_base(), axes={"alb": [0.2, 0.3]}, store=store)
    assert store.read_bytes() == before and j.exists()


def test_a_refused_store_leaves_no_journal(tmp_path):
    other = tmp_path / "other.nc"
    other.write_bytes(b"not a sweep store")
    with pytest.raises(sweep_mod.FileAccessError, match=r"cannot open the sweep store"):
        sweep(small_base(), axes={"alb": [0.2]}, store=other)
    store = tmp_path / "s.nc"
    sweep(small_base(), axes={"alb": [0.2, 0.3]}, store=store)
    with pytest.raises(sweep_mod.StoreMismatchError):
        sweep(small_base(), axes={"alb": [0.2, 0.4]}, store=store)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.nc", "s.nc"]


# --------------------------------------------------------------------------- main guard

NO_GUARD = """
from legacy_wrap.krc import Params
from legacy_wrap.krc.sweep import sweep

base = Params.mars().replace(ptotal=0.5, n5=2, n2=528, n1=16, jdisk=1,
                             latitudes=[-30.0, 0.0, 30.0], elevations=[0.0, 0.0, 0.0])
print("top level ran", flush=True)
sweep(base, axes={"alb": [0.2, 0.3, 0.4]}, executor="processes", workers=2)
print("finished", flush=True)
"""


def test_processes_from_a_script_without_main_guard_raise_one_clear_error(tmp_path):
    script = tmp_path / "no_guard.py"
    script.write_text(NO_GUARD)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=_env(), cwd=tmp_path, timeout=120)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "finished" not in proc.stdout
    err = proc.stderr
    assert err.count("Traceback") == 1, err[-3000:]
    assert "BackendError" in err and "if __name__ == \"__main__\":" in err, err[-3000:]
    assert str(script) in err, err[-3000:]
    assert "BrokenProcessPool" not in err


def test_the_main_guard_check_is_quiet_in_a_guarded_script(tmp_path):
    script = tmp_path / "guarded.py"
    body = textwrap.indent(NO_GUARD.split("print(\"top level ran\", flush=True)\n")[1], "    ")
    script.write_text(NO_GUARD.split("print(\"top level ran\"")[0]
                      + "if __name__ == \"__main__\":\n" + body)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=_env(), cwd=tmp_path, timeout=120)
    assert proc.returncode == 0 and "finished" in proc.stdout, proc.stderr[-3000:]


# --------------------------------------------------------------------------- size bounds


def test_a_huge_n5_is_refused_with_the_bound_not_a_memory_error():
    from legacy_wrap.errors import InputError
    from legacy_wrap.krc import run
    from legacy_wrap.krc.params import memory_limit

    p = Params.mars().replace(n5=10**9)
    per_season = 8 * 48 * 19 * 7
    n5_max = 81 - 1 + memory_limit() // per_season
    with pytest.raises(InputError, match=rf"N5 = 1000000000 is too large: .*N24 48 hours x "
                       rf"7 items x N4 19 latitudes x 999999920 output seasons x 8 bytes\) need "
                       rf"46.4 TiB, more than this machine's .* of memory; .* N5 can be at most "
                       rf"{n5_max} "):
        run(p)
    with pytest.raises(InputError, match=rf"N5 can be at most {n5_max} "):
        p.check_sizes()
    p.check()                      # a valid parameter set to read, write and edit
    # with the layer temperatures the bound is lower
    q = Params.mars().replace(n5=81 - 1 + memory_limit() // per_season)
    n1 = int(q.n1)
    with pytest.raises(InputError, match=rf"7 items \+ {n1 - 1} layers .* N5 can be at most "
                       rf"{81 - 1 + memory_limit() // (8 * 48 * 19 * (7 + n1 - 1))} "):
        run(q, layers=True)


def test_a_huge_n5_in_a_sweep_names_the_axis():
    from legacy_wrap.errors import InputError

    with pytest.raises(InputError, match=r"sweep run n5=1000000000.* N5 = 1000000000 is too "
                       r"large"):
        sweep(small_base(), axes={"n5": [2, 10**9]})


def test_a_memory_error_of_the_core_becomes_input_error(monkeypatch):
    from legacy_wrap.errors import InputError
    from legacy_wrap.krc import model, run

    class Core:
        def krc_run_case(self, *args):
            raise MemoryError("Unable to allocate 3.0 GiB")

    monkeypatch.setattr(model, "_core", lambda: Core())
    with pytest.raises(InputError, match=r"not enough free memory for the outputs of this run "
                       r"\(N24 48 x N4 3 x 2 output seasons, N5 = 2\): Unable to allocate"):
        run(small_base())
