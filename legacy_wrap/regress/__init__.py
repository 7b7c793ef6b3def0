"""Regression harness: prove that a Python path gives the legacy executable's numbers.

A *case* is a folder holding ``case.toml`` (what to run, what to compare,
tolerances), its input files, and ``golden/`` (outputs made by the legacy
executable, with ``golden/provenance.json``).  The harness runs the case
through any two of

* ``legacy``  -- the legacy executable (bundled, or any path / env override),
* ``python``  -- the Python entry point that replaces it,
* ``golden``  -- the stored outputs,

and compares the outputs with format-aware comparators (bin5, KRC type-52,
print files, text).  See README.md, section "Regression harness".

>>> from legacy_wrap.regress import load_cases, run_cases
>>> report = run_cases(load_cases("regression_data"), against=["golden", "legacy"])
>>> report.ok
True
"""

from __future__ import annotations

from .case import Case, ManifestError, OutputSpec, Tolerance, load_case, load_cases
from .compare import Difference, compare_file
from .harness import CaseResult, Report, run_case, run_cases, run_folder, update_golden
from .runners import RunError, RunOutput, run_golden, run_legacy, run_python

__all__ = [
    "Case", "OutputSpec", "Tolerance", "ManifestError", "load_case", "load_cases",
    "Difference", "compare_file",
    "RunError", "RunOutput", "run_legacy", "run_python", "run_golden",
    "CaseResult", "Report", "run_case", "run_cases", "run_folder", "update_golden",
]
