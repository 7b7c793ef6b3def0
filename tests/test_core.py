"""Framework core: exceptions, resources, ctypes loader, array helpers."""

from __future__ import annotations

import ctypes
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import legacy_wrap
from legacy_wrap import _arrays, _native, _resources, errors

from conftest import console_script


def test_installed_package_is_compiled():
    # The source tree has no extension modules: importing them proves we test the install.
    import legacy_wrap._bin5_cffi  # noqa: F401


@pytest.mark.parametrize("cls, builtin", [
    (errors.InputError, ValueError),
    (errors.DeckError, ValueError),
    (errors.FormatError, ValueError),
    (errors.Bin5Error, ValueError),
    (errors.FileAccessError, OSError),
    (errors.NativeError, RuntimeError),
    (errors.ModelError, RuntimeError),
    (errors.UnsupportedOptionError, NotImplementedError),
    (errors.ExecutableNotFoundError, FileNotFoundError),
])
def test_every_error_is_a_legacy_wrap_error_and_a_builtin(cls, builtin):
    assert issubclass(cls, errors.LegacyWrapError)
    assert issubclass(cls, builtin)
    with pytest.raises(builtin):
        raise cls("boom")


def test_deck_error_message_names_file_line_column():
    err = errors.DeckError("expected a number", path="a.inp", line=4, column=21)
    assert str(err) == "a.inp, line 4, column 21: expected a number"
    assert (err.path, err.line, err.column) == ("a.inp", 4, 21)


def test_executables_and_libraries_are_found():
    tool = _resources.executable_path("bin5tool")
    assert tool.is_file() and os.access(tool, os.X_OK)
    lib = _resources.library_path("bin5")
    assert lib.is_file()


def test_missing_executable_is_a_clear_error():
    with pytest.raises(errors.ExecutableNotFoundError, match="no-such-tool"):
        _resources.executable_path("no-such-tool")


def test_executable_override_by_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LEGACY_WRAP_EXE_BIN5TOOL", "/bin/true")
    assert _resources.executable_path("bin5tool") == Path("/bin/true")
    monkeypatch.setenv("LEGACY_WRAP_EXE_BIN5TOOL", str(tmp_path / "nothing"))
    with pytest.raises(errors.ExecutableNotFoundError, match="LEGACY_WRAP_EXE_BIN5TOOL"):
        _resources.executable_path("bin5tool")


class TestCtypesLoader:
    """The generic ctypes loader, exercised on the project's own bin5 library."""

    @pytest.fixture()
    def lib(self):
        return _native.SharedLibrary(_resources.library_path("bin5"), strerror="bin5_strerror")

    def test_plain_function(self, lib):
        size = lib.function("bin5_type_size", ctypes.c_size_t, [ctypes.c_int])
        assert [size(t) for t in (1, 2, 3, 4, 5, 6)] == [1, 2, 4, 4, 8, 0]

    def test_status_function_translates_errors(self, lib, tmp_path):
        # int bin5_read_header(path, hdr, text, textcap, textlen, errbuf, errcap)
        read_header = lib.status_function(
            "bin5_read_header",
            [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
             ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t],
            message_args=(5, 6))
        hdr = ctypes.create_string_buffer(512)
        missing = tmp_path / "missing.bin5"
        with pytest.raises(errors.NativeError) as info:
            read_header(str(missing).encode(), hdr, None, 0, None)
        assert info.value.status == 2
        assert str(missing) in str(info.value)
        assert "bin5_read_header failed" in str(info.value)

    def test_describe_uses_map_then_strerror(self):
        lib = _native.SharedLibrary(_resources.library_path("bin5"),
                                    status_messages={4: "custom"}, strerror="bin5_strerror")
        assert lib.describe(4) == "custom"
        assert lib.describe(6) != "status 6"

    def test_missing_library_and_symbol(self, tmp_path, lib):
        with pytest.raises(errors.ExecutableNotFoundError, match="does not exist"):
            _native.SharedLibrary(tmp_path / "libnope.so")
        bogus = tmp_path / "libbogus.so"
        bogus.write_bytes(b"not an ELF file")
        with pytest.raises(errors.ExecutableNotFoundError, match="cannot load"):
            _native.SharedLibrary(bogus)
        with pytest.raises(errors.ExecutableNotFoundError, match="no_such_symbol"):
            lib.function("no_such_symbol", None, [])

    def test_check_status(self):
        _native.check_status(0, "f")
        with pytest.raises(errors.NativeError, match="f failed: bad: detail"):
            _native.check_status(3, "f", {3: "bad"}, "detail")


class TestArrays:
    def test_fortran_order_and_dtype(self):
        a = _arrays.as_fortran_array([[1, 2], [3, 4]], np.float64, name="x", ndim=2)
        assert a.flags.f_contiguous and a.dtype == np.float64

    @pytest.mark.parametrize("value, match", [
        (["a", "b"], "expected numbers"),
        ([1.5, 2.0], "whole numbers"),
    ])
    def test_bad_values(self, value, match):
        with pytest.raises(errors.InputError, match=match):
            _arrays.as_fortran_array(value, np.int32, name="n")

    def test_shape_checks(self):
        with pytest.raises(errors.InputError, match=r"lat: expected a 1-D array"):
            _arrays.as_fortran_array([[1.0]], float, name="lat", ndim=1)
        with pytest.raises(errors.InputError, match=r"expected shape \(3, any\)"):
            _arrays.as_fortran_array(np.zeros((2, 2)), float, name="m", shape=(3, None))

    def test_finite_and_range(self):
        with pytest.raises(errors.InputError, match=r"x: must be finite, found nan at index \(1,\)"):
            _arrays.require_finite(np.array([1.0, np.nan]), name="x")
        with pytest.raises(errors.InputError, match=r"ALB = 1.5 is outside the allowed range \[0, 1\]"):
            _arrays.require_range([0.2, 1.5], name="ALB", lo=0, hi=1)
        _arrays.require_range([0.0, 1.0], name="ALB", lo=0, hi=1)


def test_cli_doctor_reports_native_parts():
    out = subprocess.run([console_script("legacy-wrap"), "doctor"], capture_output=True, text=True, check=True)
    assert "bin5 shared library" in out.stdout and "MISSING" not in out.stdout
    for part in ("_bin5_cffi", "_krccore", "_krcio", "bin/krc", "thermal-model run"):
        assert part in out.stdout, part


def test_version():
    assert legacy_wrap.__version__
