"""Runners: the legacy executable, the Python path, and the stored golden outputs.

Each runner produces a :class:`RunOutput`: a folder holding the output files
(and ``@stdout``) of one run.  Failures that are not numeric mismatches --
a timeout, a crash or non-zero exit, a missing golden file -- raise
:class:`RunError` with ``kind`` set, so reports can say what happened.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .._resources import executable_path
from ..errors import LegacyWrapError
from .case import STDOUT, Case

__all__ = ["RunError", "RunOutput", "run_legacy", "run_python", "run_golden", "resolve_executable"]

#: Environment variable naming a reference executable for every case whose
#: legacy executable has this name, e.g. LEGACY_WRAP_EXE_KRC=/opt/krc/krc
#: (handled by legacy_wrap._resources.executable_path).


class RunError(LegacyWrapError, RuntimeError):
    """A run did not produce outputs to compare.

    ``kind`` is one of: ``timeout``, ``exit`` (non-zero status or crash),
    ``missing-executable``, ``missing-golden``, ``missing-output``, ``python``.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class RunOutput:
    """Where the outputs of one run are, and how the run went."""

    source: str           #: "legacy", "python", "golden" or a path
    directory: Path
    returncode: int = 0
    seconds: float = 0.0

    def path(self, name: str) -> Path:
        return self.directory / (".stdout" if name == STDOUT else name)


def resolve_executable(name: str) -> Path:
    """A bundled executable name (with env override) or an explicit path."""
    if os.sep in name or name.startswith("."):
        path = Path(name).expanduser()
        if not path.is_file():
            raise RunError("missing-executable", f"executable {path} does not exist")
        return path
    try:
        return executable_path(name)
    except LegacyWrapError as exc:
        raise RunError("missing-executable", str(exc)) from None


def _prepare(case: Case, workdir: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    for name in case.inputs:
        shutil.copy2(case.folder / name, workdir / name)


def _run(cmd: list[str], case: Case, workdir: Path, source: str) -> RunOutput:
    import time

    t0 = time.perf_counter()
    with open(workdir / ".stdout", "wb") as out, open(workdir / ".stderr", "wb") as err:
        try:
            proc = subprocess.Popen(cmd, cwd=workdir, stdin=subprocess.PIPE, stdout=out, stderr=err,
                                    start_new_session=True)
        except OSError as exc:
            raise RunError("missing-executable", f"{case.name}: cannot start {cmd[0]}: {exc}") from None
        try:
            proc.communicate((case.stdin or "").encode(), timeout=case.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise RunError("timeout", f"{case.name}: {source} run timed out after {case.timeout:g} s "
                                      f"({' '.join(cmd)})") from None
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = (workdir / ".stderr").read_text(errors="replace").strip().splitlines()[-5:]
        how = (f"was killed by signal {-proc.returncode}" if proc.returncode < 0
               else f"exited with status {proc.returncode}")
        raise RunError("exit", f"{case.name}: {source} run {how} ({' '.join(cmd)})"
                       + ("\n    " + "\n    ".join(tail) if tail else ""))
    return RunOutput(source, workdir, proc.returncode, seconds)


def run_legacy(case: Case, workdir: Path, executable: str | Path | None = None) -> RunOutput:
    """Run the legacy executable (or ``executable``) in ``workdir`` (created, inputs copied)."""
    exe = resolve_executable(str(executable) if executable is not None else case.executable)
    _prepare(case, workdir)
    return _run([str(exe), *case.args], case, workdir, "legacy" if executable is None else str(exe))


_SUBPROCESS_STUB = (
    "import importlib, sys\n"
    "mod, fn = sys.argv[1].split(':')\n"
    "rc = getattr(importlib.import_module(mod), fn)(sys.argv[2:])\n"
    "sys.exit(int(rc or 0))\n"
)


def run_python(case: Case, workdir: Path) -> RunOutput:
    """Run the Python entry point with the legacy command line, in ``workdir``."""
    if case.python_entry is None:
        raise RunError("python", f"{case.name}: the manifest names no python.entry")
    _prepare(case, workdir)
    if case.python_mode == "subprocess":
        return _run([sys.executable, "-P", "-c", _SUBPROCESS_STUB, case.python_entry, *case.args],
                    case, workdir, "python")
    return _run_inprocess(case, workdir)


def _run_inprocess(case: Case, workdir: Path) -> RunOutput:
    """Call the entry point in this process (faster; it must not rely on the cwd
    of other threads: the harness runs in-process cases one at a time)."""
    import contextlib
    import importlib
    import io
    import time

    mod, fn = case.python_entry.split(":")  # type: ignore[union-attr]
    func = getattr(importlib.import_module(mod), fn)
    old = os.getcwd()
    buf = io.StringIO()
    t0 = time.perf_counter()
    try:
        os.chdir(workdir)
        with contextlib.redirect_stdout(buf), contextlib.redirect_stdin(io.StringIO(case.stdin or "")):
            rc = int(func(list(case.args)) or 0)
    except SystemExit as exc:
        rc = int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except Exception as exc:  # noqa: BLE001 - reported as a run failure, not a crash of the harness
        raise RunError("python", f"{case.name}: python entry {case.python_entry} raised "
                                 f"{type(exc).__name__}: {exc}") from exc
    finally:
        os.chdir(old)
    (workdir / ".stdout").write_text(buf.getvalue())
    if rc != 0:
        raise RunError("exit", f"{case.name}: python run exited with status {rc}")
    return RunOutput("python", workdir, rc, time.perf_counter() - t0)


def run_golden(case: Case) -> RunOutput:
    """The stored golden outputs (checks that every compared file is there)."""
    missing = [o.file for o in case.outputs if not (case.golden_dir / (".stdout" if o.file == STDOUT
                                                                        else o.file)).is_file()]
    if missing:
        raise RunError("missing-golden", f"{case.name}: golden output(s) {missing} missing in "
                                         f"{case.golden_dir}; create them with "
                                         f"'legacy-wrap regress --update-golden --cases {case.name}'")
    return RunOutput("golden", case.golden_dir)


def scratch_dir(prefix: str) -> Path:
    """A fresh temporary directory (the caller removes it)."""
    return Path(tempfile.mkdtemp(prefix=f"lw-regress-{prefix}-"))
