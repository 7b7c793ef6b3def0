"""Sweeps: backends agree bit for bit, the store resumes, failures are kept apart.

The runs are small (airless Mars, 3 latitudes, N2 528, N1 16, 2 seasons: a few
ms each) so that the whole file takes seconds; the interrupt test uses the
19-latitude default grid so that a run lasts long enough to be interrupted.
"""

from __future__ import annotations

import importlib
import os
import re
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from legacy_wrap.errors import InputError, UnsupportedOptionError
from legacy_wrap.krc import Params, run

xr = pytest.importorskip("xarray")
# the module (legacy_wrap.krc may also export the function under the same name)
sweep_mod = importlib.import_module("legacy_wrap.krc.sweep")

sweep = sweep_mod.sweep
SweepError = sweep_mod.SweepError
StoreMismatchError = sweep_mod.StoreMismatchError

AXES = {"inertia": [50.0, 100.0, 200.0, 400.0], "alb": [0.15, 0.25]}


def small_base() -> Params:
    """Airless Mars, 3 latitudes, N2 528, N1 16, seasons 1-2: ~3 ms a run."""
    return Params.mars().replace(ptotal=0.5, n5=2, n2=528, n1=16, jdisk=1,
                                 latitudes=[-30.0, 0.0, 30.0], elevations=[0.0, 0.0, 0.0])


def _have_h5() -> bool:
    try:
        import h5netcdf  # noqa: F401
        import h5py  # noqa: F401
    except ImportError:
        return False
    return True


needs_h5 = pytest.mark.skipif(not _have_h5(), reason="store= needs h5netcdf and h5py")


def _env() -> dict[str, str]:
    """Environment for child Pythons: the same import path as this one."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


# Hooks run in the workers before each run (picklable: module level).
CALLS: list[dict] = []


def record_call(changes: dict) -> None:
    CALLS.append(changes)


def crash_worker_on_200_025(changes: dict) -> None:
    """End the worker process abruptly, as a segfault or the OOM killer would."""
    if changes.get("inertia") == 200.0 and changes.get("alb") == 0.25:
        os._exit(7)


def fail_on_100_015(changes: dict) -> None:
    if changes.get("inertia") == 100.0 and changes.get("alb") == 0.15:
        raise FloatingPointError("blow-up: surface temperature 1e30 K")


@pytest.fixture(scope="module")
def reference() -> dict[str, np.ndarray]:
    """run() case by case, stacked as the sweep's (inertia, alb, ...) arrays."""
    base = small_base()
    ts = np.empty((4, 2, 48, 3, 2))
    days = np.empty((4, 2, 3, 2), dtype=np.int64)
    for i, inertia in enumerate(AXES["inertia"]):
        for j, alb in enumerate(AXES["alb"]):
            r = run(base.replace(inertia=inertia, alb=alb))
            ts[i, j] = r.surface_temperature
            days[i, j] = r.days_computed
    return {"surface_temperature": ts, "days_computed": days}


@pytest.fixture(scope="module")
def serial_table() -> "xr.Dataset":
    return sweep(small_base(), axes=AXES)


def _same_numbers(a: "xr.Dataset", b: "xr.Dataset") -> None:
    assert set(a.data_vars) == set(b.data_vars)
    for name in a.data_vars:
        assert a[name].dims == b[name].dims, name
        assert np.array_equal(a[name].values, b[name].values, equal_nan=a[name].dtype.kind == "f"), name
    for name in a.coords:
        assert np.array_equal(a[name].values, b[name].values), name


# --------------------------------------------------------------------------- layout


def test_serial_sweep_equals_run_case_by_case(serial_table, reference):
    ds = serial_table
    assert ds.surface_temperature.dims == ("inertia", "alb", "hour", "latitude", "season")
    assert ds.surface_temperature.shape == (4, 2, 48, 3, 2)
    assert list(ds.inertia.values) == AXES["inertia"] and list(ds.alb.values) == AXES["alb"]
    assert np.array_equal(ds.surface_temperature.values, reference["surface_temperature"])
    assert np.array_equal(ds.days_computed.values, reference["days_computed"])
    assert ds.done.all() and not ds.failed.any()
    assert ds.ls.dims == ("inertia", "alb", "season")
    assert list(ds.latitude.values) == [-30.0, 0.0, 30.0]
    assert list(ds.season.values) == [1, 2]


def test_case_list_has_a_case_dimension(reference):
    cases = [{"inertia": 400.0, "alb": 0.25}, {"INERTIA": 50, "ALBEDO": 0.15}, {"inertia": 100.0}]
    ds = sweep(small_base(), cases=cases, items=["surface_temperature"])
    assert ds.surface_temperature.dims == ("case", "hour", "latitude", "season")
    assert list(ds.inertia.values) == [400.0, 50.0, 100.0]
    assert list(ds.alb.values) == [0.25, 0.15, 0.25]          # the base's albedo where not given
    assert np.array_equal(ds.surface_temperature[0], reference["surface_temperature"][3, 1])
    assert np.array_equal(ds.surface_temperature[1], reference["surface_temperature"][0, 0])
    assert np.array_equal(ds.surface_temperature[2], reference["surface_temperature"][1, 1])


# --------------------------------------------------------------------------- backends


@pytest.mark.parametrize("executor", ["threads", "processes", "dask"])
def test_backends_are_bitwise_identical(executor, serial_table, reference):
    if executor == "dask":
        pytest.importorskip("distributed")
    ds = sweep(small_base(), axes=AXES, executor=executor, workers=2, chunk_size=3)
    _same_numbers(ds, serial_table)
    assert np.array_equal(ds.surface_temperature.values, reference["surface_temperature"])


def test_a_user_executor_works(serial_table):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        ds = sweep(small_base(), axes=AXES, executor=pool)
    _same_numbers(ds, serial_table)


@needs_h5
def test_mpi_backend_is_bitwise_identical(tmp_path, serial_table):
    pytest.importorskip("mpi4py")
    script = tmp_path / "mpi_sweep.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        from legacy_wrap.krc import Params
        from legacy_wrap.krc.sweep import BackendError, sweep

        def main():
            base = Params.mars().replace(ptotal=0.5, n5=2, n2=528, n1=16, jdisk=1,
                                         latitudes=[-30.0, 0.0, 30.0], elevations=[0.0, 0.0, 0.0])
            try:
                sweep(base, axes={AXES!r}, executor="mpi", workers=2, store=sys.argv[1])
            except BackendError as exc:
                print("BACKEND-ERROR", exc)
                sys.exit(77)

        if __name__ == "__main__":
            main()
    """))
    store = tmp_path / "mpi.nc"
    try:
        proc = subprocess.run([sys.executable, str(script), str(store)], capture_output=True,
                              text=True, timeout=90, env=_env(), cwd=tmp_path)
    except subprocess.TimeoutExpired:
        pytest.skip("MPIPoolExecutor did not start within 90 s on this machine")
    if proc.returncode == 77:
        pytest.skip(f"MPIPoolExecutor cannot start here: {proc.stdout.strip()}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sweep_mod.open_table(store).identical(serial_table)


# --------------------------------------------------------------------------- validation


def test_invalid_axis_value_is_rejected_before_any_work(tmp_path):
    CALLS.clear()
    store = tmp_path / "never.nc"
    with pytest.raises(InputError, match=r"sweep axis 'inertia', value -5\.0 \(index 2\): "
                                         r"inertia .* out of range"):
        sweep(small_base(), axes={"alb": [0.2], "inertia": [50.0, 100.0, -5.0]},
              store=store, _worker_hook=record_call)
    assert CALLS == [] and not store.exists()
    with pytest.raises(InputError, match=r"sweep axis 'n2', value 100\.5 .*must be an integer"):
        sweep(small_base(), axes={"n2": [528, 100.5]}, _worker_hook=record_call)
    with pytest.raises(InputError, match=r"sweep axis 'emissivity'.*unknown KRC parameter"):
        sweep(small_base(), axes={"emissivity": [0.9]})
    assert CALLS == []


def test_combinations_are_checked_like_run():
    # each N2 alone is valid, but N2 = 240 makes the layer grid unstable
    with pytest.raises(InputError, match=r"sweep run inertia=50\.0, n2=240: numerically unstable"):
        sweep(small_base(), axes={"inertia": [50.0], "n2": [528, 240]})
    with pytest.raises(InputError, match=r"sweep case 1 \(jdisk=3\): JDISK = 3 > N5 = 2"):
        sweep(small_base(), cases=[{"jdisk": 2}, {"jdisk": 3}])
    with pytest.raises(InputError, match=r"lkey=True.*LKEY .*needs the orbit of a PORB block"):
        sweep(small_base().replace(lporb=False), axes={"lkey": [False, True]})


def test_axes_that_change_the_table_shape_are_refused():
    with pytest.raises(InputError, match=r"sweep run n5=3: changes the shape of the table "
                                         r"\(N5 \(seasons\) 3 instead of 2"):
        sweep(small_base(), axes={"n5": [2, 3]})
    with pytest.raises(InputError, match="latitudes are a per-run list"):
        sweep(small_base(), axes={"latitudes": [[0.0], [10.0]]})


def test_bad_arguments_are_named():
    with pytest.raises(InputError, match="either axes="):
        sweep(small_base())
    with pytest.raises(InputError, match="unknown executor 'gpu'"):
        sweep(small_base(), axes={"alb": [0.2]}, executor="gpu")
    with pytest.raises(InputError, match="unknown sweep item 'tsurf'"):
        sweep(small_base(), axes={"alb": [0.2]}, items=["tsurf"])
    with pytest.raises(InputError, match="value 0.2 appears more than once"):
        sweep(small_base(), axes={"alb": [0.2, 0.2]})
    with pytest.raises(InputError, match="chunk_size must be a positive integer"):
        sweep(small_base(), axes={"alb": [0.2]}, chunk_size=0)
    with pytest.raises(InputError, match="'ALBEDO' names 'alb', which is already an axis"):
        sweep(small_base(), axes={"alb": [0.2], "ALBEDO": [0.3]})


# --------------------------------------------------------------------------- failures


def test_a_failing_run_is_reported_with_its_parameters_and_the_rest_kept(reference):
    with pytest.raises(SweepError) as info:
        sweep(small_base(), axes=AXES, executor="threads", workers=2,
              _worker_hook=fail_on_100_015)
    exc = info.value
    assert len(exc.failures) == 1
    f = exc.failures[0]
    assert f.index == (1, 0) and f.changes == {"inertia": 100.0, "alb": 0.15}
    assert "FloatingPointError: blow-up" in f.message
    assert "1 of 8 sweep runs failed" in str(exc) and "inertia=100.0, alb=0.15" in str(exc)
    ds = exc.dataset
    assert bool(ds.failed[1, 0]) and not bool(ds.done[1, 0])
    assert np.isnan(ds.surface_temperature[1, 0]).all()
    keep = np.ones((4, 2), dtype=bool)
    keep[1, 0] = False
    assert np.array_equal(ds.surface_temperature.values[keep], reference["surface_temperature"][keep])
    # on_error="keep" returns the same table
    ds2 = sweep(small_base(), axes=AXES, _worker_hook=fail_on_100_015, on_error="keep")
    assert int(ds2.failed.sum()) == 1 and "blow-up" in str(ds2.error.values[1, 0])


@needs_h5
def test_a_killed_worker_loses_only_its_own_run(tmp_path, reference):
    store = tmp_path / "killed.nc"
    with pytest.raises(SweepError) as info:
        sweep(small_base(), axes=AXES, executor="processes", workers=2, chunk_size=3,
              store=store, _worker_hook=crash_worker_on_200_025)
    exc = info.value
    assert [f.changes for f in exc.failures] == [{"inertia": 200.0, "alb": 0.25}]
    assert "the worker failed while running this case" in exc.failures[0].message
    ds = sweep_mod.open_table(store)
    assert int(ds.done.sum()) == 7 and bool(ds.failed[2, 1]) and not bool(ds.done[2, 1])
    keep = ds.done.values
    assert np.array_equal(ds.surface_temperature.values[keep], reference["surface_temperature"][keep])
    # resuming without the crash recomputes just that run
    CALLS.clear()
    done = sweep(small_base(), axes=AXES, store=store, _worker_hook=record_call)
    assert CALLS == [{"inertia": 200.0, "alb": 0.25}]
    assert np.array_equal(done.surface_temperature.values, reference["surface_temperature"])
    assert done.done.all() and not done.failed.any() and (done.error == "").all()


# --------------------------------------------------------------------------- store


@needs_h5
def test_store_equals_memory_and_a_finished_store_is_not_recomputed(tmp_path, serial_table):
    store = tmp_path / "table.nc"
    ds = sweep(small_base(), axes=AXES, store=store, executor="threads", workers=2)
    assert ds.identical(serial_table)
    assert sweep_mod.open_table(store).identical(serial_table)
    plain = xr.open_dataset(store, engine="h5netcdf")       # a plain NetCDF4 file
    assert plain.surface_temperature.dims == ("inertia", "alb", "hour", "latitude", "season")
    plain.close()
    CALLS.clear()
    again = sweep(small_base(), axes=AXES, store=store, _worker_hook=record_call)
    assert CALLS == []
    assert again.identical(serial_table)


@needs_h5
def test_store_of_another_sweep_is_refused(tmp_path):
    store = tmp_path / "table.nc"
    sweep(small_base(), axes={"alb": [0.2, 0.3]}, store=store)
    with pytest.raises(StoreMismatchError, match=r"written by a different sweep \(axes: "
                                                 r"\{\"alb\": \[0.2, 0.3\]\} in the store"):
        sweep(small_base(), axes={"alb": [0.2, 0.4]}, store=store)
    with pytest.raises(StoreMismatchError, match="base parameter inertia is 200.0 in the store, "
                                                 "300.0 here"):
        sweep(small_base().replace(inertia=300.0), axes={"alb": [0.2, 0.3]}, store=store)
    ds = sweep(small_base(), axes={"alb": [0.2, 0.4]}, store=store, overwrite=True)
    assert list(ds.alb.values) == [0.2, 0.4]
    other = tmp_path / "other.nc"
    xr.Dataset({"x": ("x", [1, 2])}).to_netcdf(other, engine="h5netcdf")
    with pytest.raises(StoreMismatchError, match="is not a sweep store"):
        sweep(small_base(), axes={"alb": [0.2]}, store=other)


@needs_h5
def test_overwrite_with_a_bad_backend_leaves_the_store_alone(tmp_path):
    """The backend is checked before the store is touched: a bad backend
    argument must not empty a finished store, even with overwrite=True."""
    store = tmp_path / "table.nc"
    first = sweep(small_base(), axes={"alb": [0.2, 0.3]}, store=store)
    before = store.read_bytes()
    with pytest.raises(InputError, match="workers must be a positive integer"):
        sweep(small_base(), axes={"alb": [0.2, 0.3]}, store=store, overwrite=True,
              executor="threads", workers=0)
    with pytest.raises(InputError, match="scheduler= is the address of a Dask scheduler"):
        sweep(small_base(), axes={"alb": [0.2, 0.3]}, store=store, overwrite=True,
              executor="threads", scheduler="tcp://127.0.0.1:9")
    assert store.read_bytes() == before
    assert not list(tmp_path.glob("*.part"))
    again = sweep(small_base(), axes={"alb": [0.2, 0.3]}, store=store)
    np.testing.assert_array_equal(again.surface_temperature, first.surface_temperature)


INTERRUPT_SCRIPT = """
import sys
from legacy_wrap.krc import Params
from legacy_wrap.krc.sweep import sweep

def main():
    base = Params.mars().replace(ptotal=0.5, n5=4, jdisk=3)
    sweep(base, axes={AXES}, executor="processes", workers=2, chunk_size=1,
          store=sys.argv[1], progress=True)

if __name__ == "__main__":
    main()
"""
BIG_AXES = {"inertia": [50.0, 80.0, 120.0, 200.0, 300.0, 500.0, 800.0, 1200.0],
            "alb": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}


@needs_h5
def test_sigint_keeps_finished_runs_and_a_resume_equals_an_uninterrupted_sweep(tmp_path):
    script = tmp_path / "interrupt_me.py"
    script.write_text(INTERRUPT_SCRIPT.replace("{AXES}", repr(BIG_AXES)))
    store = tmp_path / "big.nc"
    total = 48
    proc = subprocess.Popen([sys.executable, str(script), str(store)], stderr=subprocess.PIPE,
                            text=True, env=_env(), cwd=tmp_path)
    seen = ""
    sent = False
    try:
        for line in proc.stderr:                  # progress lines (progress=True, not a tty)
            seen += line
            m = re.search(rf"(\d+)/{total} runs", line)
            if m and 4 <= int(m.group(1)) < total:
                proc.send_signal(signal.SIGINT)
                sent = True
                break
        _, rest = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    seen += rest
    assert sent, f"no progress line with 4..{total - 1} runs done:\n{seen[-2000:]}"
    assert proc.returncode != 0 and "KeyboardInterrupt" in seen, seen[-2000:]
    assert re.search(rf"interrupted: \d+/{total} runs", seen), seen[-2000:]
    partial = sweep_mod.open_table(store)              # a valid file
    ndone = int(partial.done.sum())
    assert 4 <= ndone < total

    base = Params.mars().replace(ptotal=0.5, n5=4, jdisk=3)
    resumed = sweep(base, axes=BIG_AXES, store=store, executor="threads", workers=2)
    whole = sweep(base, axes=BIG_AXES, executor="threads", workers=2)
    assert resumed.identical(whole)
    assert sweep_mod.open_table(store).identical(whole)
    # what was stored before the interrupt is what the uninterrupted sweep computed
    kept = partial.done.values
    assert np.array_equal(partial.surface_temperature.values[kept],
                          whole.surface_temperature.values[kept])


# --------------------------------------------------------------------------- progress


def test_progress_is_quiet_off_a_terminal_and_on_when_asked(capsys):
    sweep(small_base(), axes={"alb": [0.2, 0.3]})
    assert capsys.readouterr().err == ""
    sweep(small_base(), axes={"alb": [0.2, 0.3]}, progress=True)
    err = capsys.readouterr().err
    assert "sweep [serial]: 0/2 runs" in err
    assert re.search(r"sweep \[serial\] done: 2/2 runs in [\d.]+ s \(2 computed\)", err), err


def test_progress_line_on_a_terminal_is_rewritten_in_place():
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    meter = sweep_mod._Progress(10, 0, None, "threads x2", stream=out)
    meter.update(5, 1, force=True)
    meter.finish("done", None)
    text = out.getvalue()
    assert text.startswith("\rsweep [threads x2]: 5/10 runs (50%), 1 failed")
    assert text.endswith("sweep [threads x2] done: 5/10 runs in 0.0 s (5 computed, 1 failed)\n")


# --------------------------------------------------------------------------- command line

SPEC = """
base = "mars"
output = "{output}"
executor = "threads"
workers = 2

[changes]
ptotal = 0.5
n5 = 2
n2 = 528
n1 = 16
jdisk = 1
latitudes = [-30.0, 0.0, 30.0]
elevations = [0.0, 0.0, 0.0]

[axes]
inertia = [50.0, 100.0, 200.0, 400.0]
alb = [0.15, 0.25]
"""


@needs_h5
def test_command_line_runs_refuses_to_clobber_and_resumes(tmp_path, capsys, serial_table):
    sweep_cli = importlib.import_module("legacy_wrap.krc.sweep_cli")

    spec = tmp_path / "spec.toml"
    out = tmp_path / "out.nc"
    spec.write_text(SPEC.format(output=out.as_posix()))
    assert sweep_cli.main([str(spec)]) == 0
    captured = capsys.readouterr()
    assert "wrote" in captured.out and "inertia (4) x alb (2) = 8 runs" in captured.out
    assert sweep_mod.open_table(out).identical(serial_table)
    assert sweep_cli.main([str(spec)]) == 1
    assert "exists: pass --resume" in capsys.readouterr().err
    assert sweep_cli.main([str(spec), "--resume", "--executor", "serial"]) == 0
    assert sweep_cli.main([str(spec), "--dry-run"]) == 0
    assert "all 8 runs valid" in capsys.readouterr().out


def test_command_line_errors_name_the_file(tmp_path, capsys):
    sweep_cli = importlib.import_module("legacy_wrap.krc.sweep_cli")

    spec = tmp_path / "bad.toml"
    spec.write_text('base = "mars"\noutput = "x.nc"\nexecuter = "threads"\n[axes]\nalb = [0.2]\n')
    assert sweep_cli.main([str(spec)]) == 1
    assert re.search(r"bad.toml: unknown key\(s\) executer", capsys.readouterr().err)
    spec.write_text('base = "mars"\noutput = "x.nc"\n[changes]\nptotal = -1\n[axes]\nalb = [0.2]\n')
    assert sweep_cli.main([str(spec)]) == 1
    assert re.search(r"bad.toml \[changes\]: ptotal .* out of range", capsys.readouterr().err)
    spec.write_text('base = "mars"\noutput = "x.nc"\n[changes]\nptotal = 0.5\n[axes]\nalb = [0.2, 7]\n')
    assert sweep_cli.main([str(spec)]) == 1
    assert "sweep axis 'alb', value 7" in capsys.readouterr().err
    assert sweep_cli.main([str(tmp_path / "missing.toml")]) == 1
    assert "no such sweep spec file" in capsys.readouterr().err


def test_the_example_spec_is_valid(repo_root, capsys):
    sweep_cli = importlib.import_module("legacy_wrap.krc.sweep_cli")

    example = repo_root / "examples" / "sweep.toml"
    assert sweep_cli.main([str(example), "--dry-run"]) == 0
    assert "inertia (8) x alb (3) = 24 runs" in capsys.readouterr().out


def test_add_parser_registers_the_subcommand():
    import argparse

    sweep_cli = importlib.import_module("legacy_wrap.krc.sweep_cli")

    parser = argparse.ArgumentParser(prog="legacy-wrap")
    sub = parser.add_subparsers(dest="command")
    sweep_cli.add_parser(sub)
    args = parser.parse_args(["sweep", "spec.toml", "--executor", "dask", "--workers", "3", "--resume"])
    assert args.func is sweep_cli.run_command
    assert (args.spec, args.executor, args.workers, args.resume) == ("spec.toml", "dask", 3, True)


def test_notebook_progress_bar_gives_the_same_table(capsys):
    """progress="notebook" draws tqdm's bar (a widget in Jupyter, text here)."""
    pytest.importorskip("tqdm")
    axes = {"inertia": [50.0, 100.0, 200.0]}
    quiet = sweep(small_base(), axes=axes, progress=False)
    capsys.readouterr()
    bar = sweep(small_base(), axes=axes, progress="notebook")
    err = capsys.readouterr().err
    assert "sweep [serial]" in err and "3/3" in err
    np.testing.assert_array_equal(bar.surface_temperature.values,
                                  quiet.surface_temperature.values)


def test_progress_must_be_a_known_mode():
    with pytest.raises(InputError, match=r"progress must be True, False, None or 'notebook', "
                                         r"got 'widget'"):
        sweep(small_base(), axes={"inertia": [50.0]}, progress="widget")
