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

__all__ = ["CaseResult", "Report", "run_case", "run_cases", "update_golden", "run_folder"]


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
        return self.status == "pass"

    def worst(self) -> str:
        parts = []
        for target, comps in self.comparisons.items():
            w = max(comps, key=lambda c: c.worst_abs, default=None)
            if w is not None:
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
            out[r.status] += 1
        return out

    def summary(self) -> str:
        lines = []
        for r in self.results:
            tag = {"pass": "PASS ", "fail": "FAIL ", "error": "ERROR"}[r.status]
            head = f"{tag} {r.name}"
            if r.status == "error":
                lines.append(f"{head} [{r.kind}]: {r.message}")
                continue
            lines.append(f"{head}  {r.worst()}  ({r.seconds:.2f} s)")
            for f in r.failures():
                lines.append(f"      {f}")
        c = self.counts()
        lines.append(f"{c['pass']} passed, {c['fail']} failed, {c['error']} errors")
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
                           failures=str(c["fail"]), errors=str(c["error"]),
                           time=f"{sum(r.seconds for r in self.results):.3f}")
        for r in self.results:
            tc = ET.SubElement(suite, "testcase", classname="regress", name=r.name,
                               time=f"{r.seconds:.3f}")
            if r.status == "fail":
                ET.SubElement(tc, "failure", message=r.failures()[0] if r.failures() else "mismatch",
                              type="mismatch").text = "\n".join(r.failures())
            elif r.status == "error":
                ET.SubElement(tc, "error", message=r.message, type=r.kind).text = r.message
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
                expected = run_legacy(case, d, None if target == "legacy" else target)
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


def run_folder(folder: Path, against, **kw) -> CaseResult:
    """Load and run one case folder; a malformed manifest becomes an error result."""
    try:
        case = load_case(folder)
    except ManifestError as exc:
        return CaseResult(Path(folder).name, "error", "manifest", str(exc))
    return run_case(case, against, **kw)


def run_cases(cases, against=("golden",), *, progress=None, **kw) -> Report:
    """Run many cases (Case objects or folders) one after another."""
    results = []
    for i, c in enumerate(cases):
        r = run_case(c, against, **kw) if isinstance(c, Case) else run_folder(Path(c), against, **kw)
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


def update_golden(case: Case, executable: str | None = None, *, log=print) -> dict:
    """Regenerate ``case``'s golden outputs from the legacy executable.

    Writes the outputs and ``golden/provenance.json`` (executable, its sha256,
    compiler and flags of the package build, platform, date, git commit) and
    logs, file by file, whether the golden data changed.  Returns the provenance.
    """
    from .. import __version__
    from .._build_info import BUILD_INFO
    from .runners import resolve_executable

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
            old = _sha256(dst) if dst.is_file() else None
            shutil.copy2(src, dst)
            new = _sha256(dst)
            state = "new" if old is None else ("unchanged" if old == new else "CHANGED")
            log(f"  {case.name}/{dst.relative_to(case.folder)}: {state}")
            files[o.file] = new
        provenance = {
            "case": case.name,
            "executable": str(exe),
            "executable_sha256": _sha256(exe),
            "arguments": list(case.args),
            "legacy_wrap_version": __version__,
            "build": BUILD_INFO,
            "platform": platform.platform(),
            "machine": platform.machine(),
            "date_utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "git_commit": _git_commit(),
            "files_sha256": files,
        }
        (case.golden_dir / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n")
        return provenance
    finally:
        shutil.rmtree(work, ignore_errors=True)
