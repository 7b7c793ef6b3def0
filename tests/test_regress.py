"""The regression harness: our own cases, mutation checks, failure kinds, reports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pytest

from legacy_wrap import bin5, regress
from legacy_wrap._resources import executable_path
from legacy_wrap.regress.case import ManifestError, OutputSpec, Tolerance
from legacy_wrap.regress.compare import compare_file

from conftest import ROOT, console_script

DATA = ROOT / "regression_data"
CASES = sorted(p.parent.name for p in DATA.glob("*/case.toml"))


@pytest.mark.parametrize("name", CASES)
def test_every_case_passes_against_golden_and_legacy(name):
    result = regress.run_case(regress.load_case(DATA / name), ["golden", "legacy"])
    assert result.status == "pass", result.message or "\n".join(result.failures())
    assert set(result.comparisons) == {"golden", "legacy"}


def test_every_golden_file_has_provenance():
    for name in CASES:
        case = regress.load_case(DATA / name)
        prov = json.loads((case.golden_dir / "provenance.json").read_text())
        for key in ("executable", "executable_sha256", "build", "platform", "date_utc", "git_commit"):
            assert key in prov, (name, key)
        assert prov["build"]["fortran_compiler"] and prov["build"]["c_compiler"]


# ------------------------------------------------------------------ mutations

@pytest.fixture()
def cube_case(tmp_path) -> regress.Case:
    dst = tmp_path / "bin5-write-f8-3d"
    shutil.copytree(DATA / "bin5-write-f8-3d", dst)
    return regress.load_case(dst)


def _bump_one_ulp(path: Path, index: tuple[int, ...]) -> tuple[float, float]:
    data, h = bin5.read(path)
    old = float(data[index])
    data[index] = np.nextafter(data[index], np.inf)
    bin5.write(path, data, text=h.text, date=h.date, byteorder=h.byteorder)
    return old, float(data[index])


def test_mutated_golden_is_caught_at_the_exact_place(cube_case):
    old, new = _bump_one_ulp(cube_case.golden_dir / "cube.bin5", (2, 1, 1))
    result = regress.run_case(cube_case, ["golden"])
    assert result.status == "fail"
    (diff,) = [d for c in result.comparisons["golden"] for d in c.differences]
    assert diff.file == "cube.bin5" and diff.field == "data"
    assert diff.index == (2, 1, 1)
    assert (diff.expected, diff.actual) == (new, old)
    assert "1 of 24 values differ" in diff.detail
    assert "cube.bin5 data at index (2, 1, 1)" in "\n".join(result.failures())


def test_mutated_legacy_output_is_caught(cube_case, tmp_path):
    """A 'legacy executable' that perturbs one value of what bin5tool wrote."""
    wrapper = tmp_path / "perturbing-bin5tool"
    wrapper.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import subprocess, sys
        import numpy as np
        from legacy_wrap import bin5
        rc = subprocess.call([{str(executable_path("bin5tool"))!r}] + sys.argv[1:])
        data, h = bin5.read("cube.bin5")
        data[0, 2, 1] = data[0, 2, 1] * (1 + 1e-12)
        bin5.write("cube.bin5", data, text=h.text, date=h.date)
        sys.exit(rc)
        """))
    wrapper.chmod(0o755)
    result = regress.run_case(cube_case, ["golden", str(wrapper)])
    assert not result.comparisons["golden"][0].differences
    (diff,) = result.comparisons[str(wrapper)][0].differences
    assert diff.index == (0, 2, 1)
    # Within a tolerance that admits the change, the same case passes.
    spec = cube_case.outputs[0]
    loose = OutputSpec(spec.file, spec.format, Tolerance(rel=1e-11))
    assert compare_file(loose, cube_case.golden_dir / "cube.bin5",
                        cube_case.golden_dir / "cube.bin5").ok


# --------------------------------------------------------------- failure kinds

def _write_case(folder: Path, body: str, inputs: dict[str, bytes] | None = None) -> Path:
    folder.mkdir(parents=True)
    (folder / "case.toml").write_text(textwrap.dedent(body))
    for name, data in (inputs or {}).items():
        (folder / name).write_bytes(data)
    return folder


def test_timeout_is_reported_as_timeout(tmp_path):
    folder = _write_case(tmp_path / "slow", """\
        timeout = 0.5
        [legacy]
        executable = "/bin/sleep"
        args = ["30"]
        [[outputs]]
        file = "x"
        format = "text"
        """)
    r = regress.run_folder(folder, ["legacy"])
    assert (r.status, r.kind) == ("error", "timeout")
    assert "timed out after 0.5 s" in r.message
    assert r.seconds < 10


@pytest.mark.parametrize("command, words", [
    (["-c", "exit 3"], "exited with status 3"),
    (["-c", "kill -SEGV $$"], "killed by signal 11"),
])
def test_crash_or_nonzero_exit_is_reported_as_such(tmp_path, command, words):
    args = ", ".join(json.dumps(a) for a in command)
    folder = _write_case(tmp_path / "bad", f"""\
        [legacy]
        executable = "/bin/sh"
        args = [{args}]
        [[outputs]]
        file = "x"
        format = "text"
        """)
    r = regress.run_folder(folder, ["legacy"])
    assert (r.status, r.kind) == ("error", "exit")
    assert words in r.message


def test_missing_golden_is_reported_as_such(tmp_path, cube_case):
    shutil.rmtree(cube_case.golden_dir)
    r = regress.run_case(cube_case, ["golden"])
    assert (r.status, r.kind) == ("error", "missing-golden")
    assert "cube.bin5" in r.message and "--update-golden" in r.message


@pytest.mark.parametrize("body, words", [
    ("this is = not [toml", "not valid TOML"),
    ("[[outputs]]\nfile = 'x'\nformat = 'text'\n", "missing required key 'legacy'"),
    ("[legacy]\nexecutable = 'bin5tool'\n", "missing required key 'outputs'"),
    ("[legacy]\nexecutable = 'bin5tool'\n[[outputs]]\nfile = 'x'\nformat = 'pdf'\n", "is not one of"),
    ("[legacy]\nexecutable = 'bin5tool'\n[[outputs]]\nfile = 'x'\nformat = 'bin5'\n"
     "tolerance = {abs = -1}\n", "must be >= 0"),
    ("[legacy]\nexecutable = 'bin5tool'\n[inputs]\nfiles = ['nope.raw']\n"
     "[[outputs]]\nfile = 'x'\nformat = 'bin5'\n", "'nope.raw'"),
    ("bogus = 1\n[legacy]\nexecutable = 'bin5tool'\n[[outputs]]\nfile = 'x'\nformat = 'bin5'\n",
     "unknown top-level key"),
])
def test_malformed_manifest_is_reported_as_such(tmp_path, body, words):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "case.toml").write_text(body)
    with pytest.raises(ManifestError, match="case.toml") as info:
        regress.load_case(folder)
    assert words in str(info.value)
    r = regress.run_folder(folder, ["golden"])
    assert (r.status, r.kind) == ("error", "manifest")


def test_missing_output_file_is_a_failure_naming_the_file(tmp_path):
    folder = _write_case(tmp_path / "quiet", """\
        [legacy]
        executable = "/bin/true"
        [[outputs]]
        file = "never-written.bin5"
        format = "bin5"
        """)
    r = regress.run_folder(folder, ["legacy"])
    assert r.status == "fail"
    assert "never-written.bin5" in "\n".join(r.failures())


# ---------------------------------------------------------------- comparators

def test_print_comparator_uses_printed_precision(tmp_path):
    exp = tmp_path / "a.prt"
    act = tmp_path / "b.prt"
    exp.write_text("T  262.3449  1.5E+02 ****  label\nDATE 2026 Nov 24\n")
    act.write_text("T  262.3450  1.5E+02 ****  label\nDATE 2026 Nov 25\n")
    spec = OutputSpec("a.prt", "print", ignore=("^DATE",))
    assert compare_file(spec, exp, act).ok          # one unit in the last printed digit
    act.write_text("T  262.3452  1.5E+02 ****  label\nDATE 2026 Nov 25\n")
    res = compare_file(spec, exp, act)
    assert not res.ok and res.differences[0].field == "line 1"
    act.write_text("T  262.3449  1.5E+02 12.5  label\n")
    res = compare_file(OutputSpec("a.prt", "print", ignore=("^DATE",)), exp, act)
    assert not res.ok and "layout differs" in res.differences[0].detail


def test_ulp_tolerance(tmp_path):
    a = np.array([1.0, 2.0, 3.0])
    b = a.copy()
    b[1] = np.nextafter(np.nextafter(b[1], 3), 3)
    bin5.write(tmp_path / "a.bin5", a, date="d")
    bin5.write(tmp_path / "b.bin5", b, date="d")
    for ulps, ok in [(1, False), (2, True)]:
        spec = OutputSpec("a.bin5", "bin5", Tolerance(ulps=ulps))
        assert compare_file(spec, tmp_path / "a.bin5", tmp_path / "b.bin5").ok is ok


def test_netcdf_comparator_finds_the_changed_value(tmp_path):
    xr = pytest.importorskip("xarray")
    pytest.importorskip("h5netcdf")
    ds = xr.Dataset({"ts": (("hour", "lat"), np.arange(12.0).reshape(4, 3)),
                     "days": (("lat",), np.array([3, 4, 5]))},
                    coords={"lat": [-30.0, 0.0, 45.0]})
    ds.to_netcdf(tmp_path / "a.nc", engine="h5netcdf")
    spec = OutputSpec("a.nc", "netcdf", fields={"ts": Tolerance(abs=1e-3)})
    changed = ds.copy(deep=True)
    changed["ts"][2, 1] += 5e-4                     # inside the field's tolerance
    changed.to_netcdf(tmp_path / "b.nc", engine="h5netcdf")
    assert compare_file(spec, tmp_path / "a.nc", tmp_path / "b.nc").ok
    changed["ts"][3, 2] += 1.0                      # outside it
    changed.to_netcdf(tmp_path / "c.nc", engine="h5netcdf")
    res = compare_file(spec, tmp_path / "a.nc", tmp_path / "c.nc")
    assert not res.ok
    assert res.differences[0].index == (3, 2) and "ts" in res.differences[0].field
    ds.drop_vars("days").to_netcdf(tmp_path / "d.nc", engine="h5netcdf")
    res = compare_file(spec, tmp_path / "a.nc", tmp_path / "d.nc")
    assert not res.ok and "days" in res.differences[0].field


# ------------------------------------------------------------ reports and CLI

def test_reports_json_and_junit(cube_case):
    _bump_one_ulp(cube_case.golden_dir / "cube.bin5", (0, 0, 0))
    report = regress.run_cases([cube_case, DATA / "bin5-raw-i2"], ["golden"])
    assert not report.ok and report.counts() == {"pass": 1, "fail": 1, "error": 0}
    data = json.loads(report.to_json())
    assert data["cases"][0]["comparisons"]["golden"][0]["differences"][0]["index"] == [0, 0, 0]
    suite = ET.fromstring(report.to_junit())
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    assert suite.find("testcase/failure") is not None
    assert "FAIL  bin5-write-f8-3d" in report.summary()


def test_cli_regress_runs_and_writes_reports(tmp_path):
    out = subprocess.run([console_script("legacy-wrap"), "regress", "--data", str(DATA),
                          "--cases", "bin5-raw-i2", "--against", "golden,legacy",
                          "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "1 passed, 0 failed, 0 errors" in out.stdout
    assert json.loads((tmp_path / "r.json").read_text())["ok"] is True
    bad = subprocess.run([console_script("legacy-wrap"), "regress", "--data", str(DATA),
                          "--cases", "no-such-case"], capture_output=True, text=True)
    assert bad.returncode == 1 and "no-such-case" in bad.stderr


def test_pytest_plugin_makes_each_case_an_item(tmp_path, cube_case):
    _bump_one_ulp(cube_case.golden_dir / "cube.bin5", (1, 1, 1))
    shutil.copytree(DATA / "bin5-raw-i2", tmp_path / "cases" / "bin5-raw-i2")
    shutil.move(str(cube_case.folder), tmp_path / "cases" / cube_case.name)
    out = subprocess.run([sys.executable, "-P", "-m", "pytest", "-p", "legacy_wrap.regress.pytest_plugin",
                          str(tmp_path / "cases"), "--regress-against", "golden", "-q",
                          "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=tmp_path)
    assert "1 failed, 1 passed" in out.stdout, out.stdout + out.stderr
    assert "cube.bin5 data at index (1, 1, 1)" in out.stdout


def test_worst_difference_is_reported_where_it_is(tmp_path):
    """The 'worst' location names the element with the largest difference."""
    a = np.zeros((2, 3))
    b = a.copy()
    b[0, 2] = 5.0
    b[1, 0] = 1.0
    bin5.write(tmp_path / "a.bin5", a, date="d")
    bin5.write(tmp_path / "b.bin5", b, date="d")
    res = compare_file(OutputSpec("a.bin5", "bin5"), tmp_path / "a.bin5", tmp_path / "b.bin5")
    assert not res.ok and res.worst_abs == 5.0 and res.worst_where.endswith("(0, 2)")


# --------------------------------------------------------------------------- other people's codes

MYTOOL = """\
#!/bin/sh
if [ "$1" = "--version" ]; then echo "mytool 1.2.3 (test build)"; exit 0; fi
printf 'run at %s\\nT = %s K\\n' "$(cat stamp)" "$(cat value)" > out.prt
printf 'T %s\\n' "$(cat value)" > out.txt
"""


def _mytool(folder: Path, version: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "mytool"
    exe.write_text(MYTOOL if version else MYTOOL.replace("--version", "--no-such-flag"))
    exe.chmod(0o755)
    return exe


def _mytool_case(tmp_path: Path, exe: Path, value: str = "200.5", fmt: str = "print") -> Path:
    return _write_case(tmp_path / "cases" / "mytool-case", f"""\
        [inputs]
        files = ["stamp", "value"]
        [legacy]
        executable = "{exe}"
        args = []
        [[outputs]]
        file = "out.prt"
        format = "{fmt}"
        ignore = ["^run at"]
        [[outputs]]
        file = "out.txt"
        format = "text"
        """, {"stamp": b"2026-01-01 10:00", "value": value.encode()})


def test_against_a_path_applies_only_to_that_executables_cases(tmp_path):
    exe = _mytool(tmp_path / "bin")
    other = _mytool(tmp_path / "build2")                 # another build of the same program
    case = _mytool_case(tmp_path, exe)
    regress.update_golden(regress.load_case(case), log=lambda s: None)
    report = regress.run_cases([case, DATA / "bin5-raw-i2"], [str(other)])
    by = {r.name: r for r in report.results}
    assert by["mytool-case"].status == "pass" and set(by["mytool-case"].comparisons) == {str(other)}
    assert by["bin5-raw-i2"].status == "skip"
    assert "its executable is bin5tool" in by["bin5-raw-i2"].message
    assert report.ok and "1 passed, 0 failed, 0 errors, 1 skipped" in report.summary()
    assert "<skipped" in report.to_junit()
    both = regress.run_cases([DATA / "bin5-raw-i2"], ["golden", str(other)])
    assert both.results[0].status == "pass"
    assert set(both.results[0].comparisons) == {"golden"}
    named = regress.run_cases([DATA / "bin5-raw-i2"], [f"bin5tool={other}"])   # NAME=PATH
    assert named.results[0].status != "skip"


def test_update_golden_says_what_changed(tmp_path):
    exe = _mytool(tmp_path / "bin")
    folder = _mytool_case(tmp_path, exe)
    logs: list[str] = []
    regress.update_golden(regress.load_case(folder), log=logs.append)
    assert logs == ["  mytool-case/golden/out.prt: new", "  mytool-case/golden/out.txt: new"]
    logs.clear()
    (folder / "stamp").write_text("2026-02-02 11:11")    # only the ignored run-time line
    regress.update_golden(regress.load_case(folder), log=logs.append)
    assert logs[0].startswith("  mytool-case/golden/out.prt: unchanged (bytes differ only "
                              "where the manifest ignores them")
    assert logs[1] == "  mytool-case/golden/out.txt: unchanged"
    logs.clear()
    (folder / "value").write_text("201.0")
    regress.update_golden(regress.load_case(folder), log=logs.append)
    assert logs[0].startswith("  mytool-case/golden/out.prt: CHANGED: line 2; max |diff| 0.5 at "
                              "line 2 field 1")
    assert logs[1].startswith("  mytool-case/golden/out.txt: CHANGED: line 1; first: ")
    assert "expected 'T 200.5', got 'T 201.0'" in logs[1]


def test_update_golden_skips_the_cases_of_other_executables(tmp_path):
    exe = _mytool(tmp_path / "bin")
    logs: list[str] = []
    assert regress.update_golden(regress.load_case(DATA / "bin5-raw-i2"), str(exe),
                                 log=logs.append) is None
    assert logs == [f"  bin5-raw-i2: skipped (its executable is bin5tool, not {exe})"]


def test_a_failing_text_comparison_names_the_line_not_a_zero_diff(tmp_path):
    exe = _mytool(tmp_path / "bin")
    folder = _mytool_case(tmp_path, exe)
    regress.update_golden(regress.load_case(folder), log=lambda s: None)
    (folder / "value").write_text("999")
    r = regress.run_folder(folder, ["golden"])
    assert r.status == "fail"
    assert "max |diff| 0 " not in r.worst() and "max |diff| 0;" not in r.worst()
    assert r.worst().startswith("vs golden: max |diff| 798 (out.prt line 2 field 1)")
    # a text-only case
    body = (folder / "case.toml").read_text().replace('file = "out.prt"\nformat = "print"\n'
                                                      'ignore = ["^run at"]\n[[outputs]]\n', "")
    (folder / "case.toml").write_text(body)
    r = regress.run_folder(folder, ["golden"])
    assert r.status == "fail" and r.worst() == "vs golden: out.txt differs (line 1)"


@pytest.mark.parametrize("version", [True, False])
def test_provenance_of_an_external_executable(tmp_path, version):
    import hashlib
    exe = _mytool(tmp_path / "bin", version=version)
    prov = regress.update_golden(regress.load_case(_mytool_case(tmp_path, exe)), log=lambda s: None)
    facts = prov["external_executable"]
    assert "build" not in prov
    assert facts["path"] == str(exe.resolve())
    assert facts["sha256"] == hashlib.sha256(exe.read_bytes()).hexdigest()
    assert facts["version_output"] == ("mytool 1.2.3 (test build)" if version else None)
    stored = json.loads((tmp_path / "cases" / "mytool-case" / "golden" / "provenance.json").read_text())
    assert stored["external_executable"] == facts


def test_cli_regress_takes_the_cases_folder_as_argument(tmp_path):
    exe = _mytool(tmp_path / "bin")
    _mytool_case(tmp_path, exe)
    out = subprocess.run([console_script("legacy-wrap"), "regress", str(tmp_path / "cases"),
                          "--against", "legacy"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "PASS  mytool-case" in out.stdout and "1 passed, 0 failed, 0 errors" in out.stdout
    out = subprocess.run([console_script("legacy-wrap"), "regress", str(tmp_path / "nope")],
                         capture_output=True, text=True)
    assert out.returncode == 1 and "no such regression data folder" in out.stderr
