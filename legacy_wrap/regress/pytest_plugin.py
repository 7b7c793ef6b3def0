"""pytest plugin: every regression case becomes a test item.

Enable it with ``-p`` or in a project's ``conftest.py``
(``pytest_plugins = ["legacy_wrap.regress.pytest_plugin"]``), then point
pytest at the folder of cases::

    pytest -p legacy_wrap.regress.pytest_plugin regression_data --regress-against golden,legacy

Every ``case.toml`` pytest meets becomes one item named after its folder; a
failure shows the case, output, item, index and both values.  The targets
may also be set with the ini key ``regress_against`` (default golden,legacy).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .case import MANIFEST
from .harness import run_folder


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("legacy-wrap regression harness")
    group.addoption("--regress-against", default=None,
                    help="comma-separated targets: golden, legacy, or a path (default golden,legacy)")
    parser.addini("regress_against", "comma-separated comparison targets", default="golden,legacy")


def _option(config: pytest.Config, name: str) -> str:
    value = config.getoption(f"--regress-{name}")
    return value if value else config.getini(f"regress_{name}")


class RegressionFailure(Exception):
    """Raised by a failing case item; pytest shows its text."""


class CaseItem(pytest.Item):
    def __init__(self, *, folder: Path, against: list[str], **kw) -> None:
        super().__init__(**kw)
        self.folder = folder
        self.against = against

    def runtest(self) -> None:
        result = run_folder(self.folder, self.against)
        if result.status == "error":
            raise RegressionFailure(f"[{result.kind}] {result.message}")
        if result.status == "fail":
            raise RegressionFailure("\n".join(result.failures()))

    def repr_failure(self, excinfo, style=None):  # type: ignore[override]
        if isinstance(excinfo.value, RegressionFailure):
            return f"regression case {self.folder.name} failed:\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.folder / MANIFEST, None, f"regress::{self.folder.name}"


class CaseCollector(pytest.File):
    def collect(self):
        against = [t.strip() for t in _option(self.config, "against").split(",") if t.strip()]
        yield CaseItem.from_parent(self, name=self.path.parent.name, folder=self.path.parent,
                                   against=against)


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.name != MANIFEST:
        return None
    return CaseCollector.from_parent(parent, path=file_path)
