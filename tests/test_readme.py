"""Every python and sh block of README.md runs verbatim on the installed package.

The blocks run in order in one temporary folder holding copies of the
repository's ``examples/`` and ``regression_data/`` (the paths the README
names).  Two stand-ins for builds of other people's programs are real files:
``/opt/krc/krc`` and ``/tmp/b5`` in the README become links to the bundled
``krc`` and ``bin5tool`` programs inside the temporary folder.  A block whose
fence says ``no-run`` is not run; the test checks that exactly the expected
ones are (they run the test suite itself, or need a Slurm cluster).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from legacy_wrap import executable_path

from conftest import ROOT

README = ROOT / "README.md"
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>\w+)?(?P<info>.*)$")
#: the blocks that are not run, by their first line, and why
NOT_RUN = {
    "make demo    # install what is missing (gfortran, python3-dev, a venv), build, run the demo":
        "runs the test suite itself",
    "from dask_jobqueue import SLURMCluster          # or PBSCluster": "needs a Slurm cluster",
    "make install                         # venv + non-isolated build of the package":
        "runs the test suite itself",
    "LW_FAR_FIELD_LAYOUT=krc krc flat.inp        # 25.6 MB records, as KRC writes them":
        "needs a deck with an 8 21 line (tests/test_krc_farfield_deck.py runs both forms)",
}


def readme_blocks() -> list[tuple[int, str, str, str]]:
    """(line number, language, fence info, text) of every fenced block with a language."""
    lines = README.read_text(encoding="utf-8").splitlines()
    out = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m and m.group("lang"):
            indent, start = m.group("indent"), i
            body = []
            i += 1
            while not lines[i].startswith(indent + "```"):
                body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
                i += 1
            out.append((start + 1, m.group("lang"), m.group("info").strip(),
                        textwrap.dedent("\n".join(body)) + "\n"))
        elif m:                       # a block without a language: skip to its end
            i += 1
            while not lines[i].startswith(m.group("indent") + "```"):
                i += 1
        i += 1
    return out


def test_the_readme_has_the_expected_blocks() -> None:
    blocks = readme_blocks()
    langs = {lang for _, lang, _, _ in blocks}
    assert {"python", "sh"} <= langs
    skipped = {text.splitlines()[0]: info for _, lang, info, text in blocks if "no-run" in info}
    assert set(skipped) == set(NOT_RUN)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", work / "examples")
    shutil.copytree(ROOT / "regression_data", work / "regression_data",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (work / "opt" / "krc").mkdir(parents=True)
    # links: the programs find their shared library through their real location
    (work / "opt" / "krc" / "krc").symlink_to(executable_path("krc"))
    (work / "b5").symlink_to(executable_path("bin5tool"))
    return work


def _substitute(text: str, work: Path) -> str:
    return text.replace("/opt/krc/krc", str(work / "opt" / "krc" / "krc")) \
               .replace("/tmp/b5", str(work / "b5"))


def test_every_block_runs_verbatim(workdir: Path) -> None:
    pytest.importorskip("xarray")
    pytest.importorskip("matplotlib")
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["MPLBACKEND"] = "Agg"
    ran = 0
    blocks = readme_blocks()
    for k, (line, lang, info, text) in enumerate(blocks):
        if lang not in ("python", "sh") or "no-run" in info:
            continue
        if lang == "python":
            script = workdir / f"readme_block_{k}.py"
            script.write_text(text)
            cmd = [sys.executable, "-P", script.name]
        else:
            cmd = ["bash", "-c", "set -euo pipefail\n" + _substitute(text, workdir)]
        proc = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True,
                              timeout=900)
        assert proc.returncode == 0, (f"README.md line {line} ({lang}) failed with status "
                                      f"{proc.returncode}:\n{text}\n--- stdout:\n"
                                      f"{proc.stdout[-3000:]}\n--- stderr:\n{proc.stderr[-3000:]}")
        ran += 1
    assert ran == sum(lang in ("python", "sh") for _, lang, _, _ in blocks) - len(NOT_RUN) >= 9
    # what the snippets said they would make
    for name in ("cube.bin5", "cube-big.bin5", "libfoo.so", "mars.inp", "mars.t52", "mars.nc",
                 "diurnal.png", "table.nc", "sweep_table.nc", "r.json", "r.xml"):
        assert (workdir / name).is_file(), name
