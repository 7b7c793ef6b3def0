"""Running cases, collecting results, and writing reports (text, JSON, JUnit XML)."""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from xml.etree import ElementTree as ET

from .case import STDOUT, Case, ManifestError, load_case
from .compare import Comparison, compare_file
from .runners import RunError, run_golden, run_legacy, run_python, scratch_dir

__all__ = ["CaseResult", "Report", "run_case", "run_cases", "update_golden", "run_folder",
           "applicable_targets"]


@dataclass
class CaseResult:
    """Outcome of one case: ``status`` is pass, fail (numbers differ) or error."""

    name: str
    status: str = "pass"
    kind: str = ""                 #: for errors: timeout, exit, missing-golden, manifest, ...
    message: str = ""
    comparisons: dict[str, list[Comparison]] = field(default_factory=dict)  #: target -> per output
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("pass", "skip")

    def worst(self) -> str:
        parts = []
        for target, comps in self.comparisons.items():
            w = max(comps, key=lambda c: c.worst_abs, default=None)
            if w is None:
                continue
            bad = [c for c in comps if not c.ok]
            if bad and w.worst_abs == 0:
                # a mismatch that is not numeric (text lines, bytes, shapes, missing names)
                first = bad[0]
                where = first.differences[0].field if first.differences else ""
                parts.append(f"vs {target}: {first.file} differs"
                             + (f" ({where})" if where else ""))
                continue
            parts.append(f"vs {target}: max |diff| {w.worst_abs:.3g}"
                         + (f" ({w.file} {w.worst_where})" if w.worst_abs else ""))
        return "; ".join(parts)

    def failures(self) -> list[str]:
        return [f"vs {t}: {d}" for t, comps in self.comparisons.items() for c in comps
                for d in c.differences]


@dataclass
class Report:
    results: list[CaseResult]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def counts(self) -> dict[str, int]:
        out = {"pass": 0, "fail": 0, "error": 0}
        for r in self.results:
            out[r.status] = out.get(r.status, 0) + 1   # "skip" only when there is one
        return out

    def summary(self) -> str:
        lines = []
        for r in self.results:
            tag = {"pass": "PASS ", "fail": "FAIL ", "error": "ERROR", "skip": "SKIP "}[r.status]
            head = f"{tag} {r.name}"
            if r.status == "skip":
                lines.append(f"{head}: {r.message}")
                continue
            if r.status == "error":
                lines.append(f"{head} [{r.kind}]: {r.message}")
                continue
            lines.append(f"{head}  {r.worst()}  ({r.seconds:.2f} s)")
            for f in r.failures():
                lines.append(f"      {f}")
        c = self.counts()
        lines.append(f"{c['pass']} passed, {c['fail']} failed, {c['error']} errors"
                     + (f", {c['skip']} skipped" if c.get("skip") else ""))
        return "\n".join(lines)

    def to_json(self) -> str:
        data = []
        for r in self.results:
            data.append({
                "case": r.name, "status": r.status, "kind": r.kind, "message": r.message,
                "seconds": round(r.seconds, 4),
                "comparisons": {t: [{"file": c.file, "ok": c.ok, "worst_abs": c.worst_abs,
                                     "worst_where": c.worst_where, "n_compared": c.n_compared,
                                     "differences": [dict(field=d.field, index=d.index,
                                                          expected=repr(d.expected),
                                                          actual=repr(d.actual), detail=d.detail)
                                                     for d in c.differences]}
                                    for c in comps]
                                for t, comps in r.comparisons.items()},
            })
        return json.dumps({"ok": self.ok, "counts": self.counts(), "cases": data}, indent=2)

    def to_junit(self) -> str:
        c = self.counts()
        suite = ET.Element("testsuite", name="legacy-wrap-regress", tests=str(len(self.results)),
                           failures=str(c["fail"]), errors=str(c["error"]), skipped=str(c.get("skip", 0)),
                           time=f"{sum(r.seconds for r in self.results):.3f}")
        for r in self.results:
            tc = ET.SubElement(suite, "testcase", classname="regress", name=r.name,
                               time=f"{r.seconds:.3f}")
            if r.status == "fail":
                ET.SubElement(tc, "failure", message=r.failures()[0] if r.failures() else "mismatch",
                              type="mismatch").text = "\n".join(r.failures())
            elif r.status == "error":
                ET.SubElement(tc, "error", message=r.message, type=r.kind).text = r.message
            elif r.status == "skip":
                ET.SubElement(tc, "skipped", message=r.message)
            else:
                ET.SubElement(tc, "system-out").text = r.worst()
        return ET.tostring(suite, encoding="unicode")


def _compare_runs(case: Case, expected_dir, actual_dir) -> list[Comparison]:
    return [compare_file(o, expected_dir.path(o.file), actual_dir.path(o.file)) for o in case.outputs]


def run_case(case: Case, against: list[str] | tuple[str, ...] = ("golden",), *,
             keep: bool = False) -> CaseResult:
    """Run ``case`` through its Python path and compare with each target.

    ``against`` entries: ``golden``, ``legacy`` (the bundled or overridden
    executable) or a path to another executable (e.g. a build of the original).
    A case without a Python entry compares the legacy run instead.
    """
    result = CaseResult(case.name)
    t0 = time.perf_counter()
    dirs: list[Path] = []
    try:
        actual_dir = scratch_dir(f"{case.name}-python")
        dirs.append(actual_dir)
        if case.python_entry is not None:
            actual = run_python(case, actual_dir)
        else:
            actual = run_legacy(case, actual_dir)
        for target in against:
            if target == "golden":
                expected = run_golden(case)
            else:
                d = scratch_dir(f"{case.name}-legacy")
                dirs.append(d)
                expected = run_legacy(case, d, None if target == "legacy" else
                                      _target_path(target))
            comps = _compare_runs(case, expected, actual)
            result.comparisons[target] = comps
            if not all(c.ok for c in comps):
                result.status = "fail"
    except RunError as exc:
        result.status, result.kind, result.message = "error", exc.kind, str(exc)
    finally:
        result.seconds = time.perf_counter() - t0
        if not keep:
            for d in dirs:
                shutil.rmtree(d, ignore_errors=True)
    return result


def _exe_name(name: str) -> str:
    return Path(str(name)).name


def _split_target(target: str) -> tuple[str, str]:
    """``NAME=PATH`` -> (NAME, PATH); a plain ``PATH`` -> (its file name, PATH)."""
    name, sep, path = str(target).partition("=")
    if sep and name and "/" not in name:
        return name, path
    return _exe_name(target), str(target)


def _target_path(target: str) -> str:
    return _split_target(target)[1]


def applicable_targets(case: Case, against) -> list[str]:
    """The targets of ``against`` that apply to ``case`` when many cases run.

    ``golden`` and ``legacy`` apply to every case; another executable only to
    the cases of an executable of the same file name (``/opt/krc/krc``: the
    cases whose executable is ``krc``), or of NAME for ``NAME=PATH``
    (``bin5tool=/tmp/my-bin5tool``).
    """
    return [t for t in against if t in ("golden", "legacy")
            or _split_target(t)[0] == _exe_name(case.executable)]


def _skipped(case: Case, against) -> CaseResult:
    return CaseResult(case.name, "skip", "other-executable",
                      f"not a case of {', '.join(str(t) for t in against)} "
                      f"(its executable is {_exe_name(case.executable)})")


def run_folder(folder: Path, against, **kw) -> CaseResult:
    """Load and run one case folder; a malformed manifest becomes an error result.

    Targets that are other executables apply only to their own cases
    (:func:`applicable_targets`); a case none applies to is skipped.
    """
    try:
        case = load_case(folder)
    except ManifestError as exc:
        return CaseResult(Path(folder).name, "error", "manifest", str(exc))
    targets = applicable_targets(case, against)
    return run_case(case, targets, **kw) if targets else _skipped(case, against)


def run_cases(cases, against=("golden",), *, progress=None, **kw) -> Report:
    """Run many cases (Case objects or folders) one after another.

    An executable path in ``against`` applies only to the cases of that
    executable (see :func:`applicable_targets`); the others are skipped.
    """
    results = []
    for i, c in enumerate(cases):
        if isinstance(c, Case):
            targets = applicable_targets(c, against)
            r = run_case(c, targets, **kw) if targets else _skipped(c, against)
        else:
            r = run_folder(Path(c), against, **kw)
        results.append(r)
        if progress is not None:
            progress(i + 1, len(cases), r)
    return Report(results)


# ----------------------------------------------------------------- golden data

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _executable_facts(exe: Path) -> dict:
    """Provenance of an executable that is not part of this package's build."""
    facts: dict = {"path": str(exe.resolve()), "sha256": _sha256(exe), "version_output": None}
    work = scratch_dir("version")        # a program without --version may write files
    try:
        proc = subprocess.run([str(exe.resolve()), "--version"], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=10, errors="replace", cwd=work)
        text = (proc.stdout.strip() or proc.stderr.strip())
        first = text.splitlines()[0] if text else ""
        # a version line names a number; an error message of a normal run usually does not
        if proc.returncode == 0 and any(ch.isdigit() for ch in first):
            facts["version_output"] = "\n".join(text.splitlines()[:5])
    except (OSError, subprocess.SubprocessError):
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return facts


def _is_bundled(exe: Path) -> bool:
    """True if ``exe`` is one of the executables installed inside this package."""
    import legacy_wrap
    try:
        exe.resolve().relative_to(Path(legacy_wrap.__file__).resolve().parent)
    except ValueError:
        return False
    return True


def _what_changed(spec, old: Path, new: Path) -> str:
    """``unchanged``, or what differs between the old and the new golden file."""
    if _sha256(old) == _sha256(new):
        return "unchanged"
    comp = compare_file(spec, old, new)
    if comp.ok:
        return ("unchanged (bytes differ only where the manifest ignores them, "
                "e.g. a date or run-time word)")
    fields = sorted({d.field for d in comp.differences})
    text = f"CHANGED: {', '.join(fields[:6])}" + (" ..." if len(fields) > 6 else "")
    if comp.worst_abs:
        text += f"; max |diff| {comp.worst_abs:.3g} at {comp.worst_where}"
    first = comp.differences[0] if comp.differences else None
    if first is not None:
        text += f"; first: {first}"
    return text


def update_golden(case: Case, executable: str | None = None, *, log=print) -> dict | None:
    """Regenerate ``case``'s golden outputs from the legacy executable.

    Writes the outputs and ``golden/provenance.json`` and logs, file by file,
    what changed (the items/fields and how much, compared with the case's own
    tolerances: a difference only in ignored fields, such as a date, is not a
    change).  Provenance: for the bundled executables, the compilers and flags
    of the package build; for another executable, its path, sha256 and
    ``--version`` output (if it has one).  With ``executable`` naming a
    program other than the case's (by file name), the case is skipped and
    None is returned.  Returns the provenance.
    """
    from .. import __version__
    from .._build_info import BUILD_INFO
    from .runners import resolve_executable

    if executable is not None and not applicable_targets(case, [executable]):
        log(f"  {case.name}: skipped (its executable is {_exe_name(case.executable)}, "
            f"not {executable})")
        return None
    if executable is not None:
        executable = _target_path(executable)
    exe = resolve_executable(executable or case.executable)
    work = scratch_dir(f"{case.name}-golden")
    try:
        run = run_legacy(case, work, executable)
        case.golden_dir.mkdir(exist_ok=True)
        files = {}
        for o in case.outputs:
            src = run.path(o.file)
            if not src.is_file():
                raise RunError("missing-output", f"{case.name}: the legacy run wrote no {o.file}")
            dst = case.golden_dir / (".stdout" if o.file == STDOUT else o.file)
            dst.parent.mkdir(parents=True, exist_ok=True)
            state = "new" if not dst.is_file() else _what_changed(o, dst, src)
            shutil.copy2(src, dst)
            log(f"  {case.name}/{dst.relative_to(case.folder)}: {state}")
            files[o.file] = _sha256(dst)
        provenance = {
            "case": case.name,
            "executable": str(exe),
            "executable_sha256": _sha256(exe),
            "arguments": list(case.args),
            "legacy_wrap_version": __version__,
            "platform": platform.platform(),
            "machine": platform.machine(),
            "date_utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "git_commit": _git_commit(),
            "files_sha256": files,
        }
        if _is_bundled(exe):
            provenance["build"] = BUILD_INFO
        else:
            provenance["external_executable"] = _executable_facts(exe)
        (case.golden_dir / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n")
        return provenance
    finally:
        shutil.rmtree(work, ignore_errors=True)
