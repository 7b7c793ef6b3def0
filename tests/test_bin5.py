"""bin5: facade vs the C tool (parity), reference files, bad input, threads."""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import bin5
from legacy_wrap._resources import executable_path
from legacy_wrap.errors import Bin5Error, FileAccessError, InputError, LegacyWrapError

from conftest import console_script, reference_t52_files

DATE = "SIZE  2026 Nov 24 12:00:00  "
TYPES = {"u1": np.uint8, "i2": np.int16, "i4": np.int32, "f4": np.float32, "f8": np.float64}
SHAPES = [(7,), (3, 5), (2, 3, 4), (5, 1, 3, 2), (3, 2, 1, 2, 5), (1,), (513, 3)]
TEXTS = ["", "a short text", "Key=value ||1.|2.|| " + "x" * 1200]


def make_array(shape, dtype, seed=0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        a = rng.normal(size=shape) * 1e3
        a.flat[0] = np.pi
    else:
        info = np.iinfo(dtype)
        a = rng.integers(info.min, info.max, size=shape, endpoint=True)
    return np.asfortranarray(a.astype(dtype))


def tool(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(executable_path("bin5tool")), *args],
                          capture_output=True, text=True, check=check)


# ---------------------------------------------------------------- round trips

@pytest.mark.parametrize("code", list(TYPES))
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("order", ["little", "big"])
def test_round_trip(tmp_path, code, shape, order):
    a = make_array(shape, TYPES[code])
    path = tmp_path / "a.bin5"
    h = bin5.write(path, a, text="round trip", byteorder=order)
    assert h.shape == shape and h.byteorder == order and h.header_len % 512 == 0
    b, h2 = bin5.read(path)
    assert b.dtype == a.dtype and b.dtype.isnative
    assert b.shape == shape and b.flags.f_contiguous
    np.testing.assert_array_equal(a, b)
    assert h2.text == "round trip"
    m, _ = bin5.read(path, mmap=True)
    np.testing.assert_array_equal(a, m)
    assert m.dtype.byteorder in ("<" if order == "little" else ">", "=", "|")


@pytest.mark.parametrize("text", TEXTS)
def test_header_text_round_trip_and_length(tmp_path, text):
    path = tmp_path / "t.bin5"
    h = bin5.write(path, np.arange(4.0), text=text)
    assert bin5.read_header(path).text == text
    size = path.stat().st_size
    assert size == h.header_len + 32
    # long text spills into further 512-byte blocks
    assert h.header_len == 512 * (1 + (len(text) + 80) // 512)


# ------------------------------------------------- parity with the C tool

@pytest.mark.parametrize("code", list(TYPES))
@pytest.mark.parametrize("shape", SHAPES[:5])
@pytest.mark.parametrize("order", ["little", "big"])
@pytest.mark.parametrize("text", TEXTS)
def test_facade_and_tool_write_identical_bytes(tmp_path, code, shape, order, text):
    a = make_array(shape, TYPES[code], seed=len(shape))
    raw = tmp_path / "a.raw"
    np.ravel(a, order="F").tofile(raw)
    by_py = tmp_path / "py.bin5"
    by_c = tmp_path / "c.bin5"
    bin5.write(by_py, a, text=text, date=DATE, byteorder=order)
    args = ["write", "--text", text, "--date", DATE]
    if order == "big":
        args.append("--big-endian")
    tool(*args, code, ",".join(str(n) for n in shape), str(raw), str(by_c))
    assert by_py.read_bytes() == by_c.read_bytes()
    # each reads the other's file
    b, _ = bin5.read(by_c)
    np.testing.assert_array_equal(a, b)
    out = tool("raw", str(by_py), str(tmp_path / "back.raw"))
    assert out.returncode == 0
    assert (tmp_path / "back.raw").read_bytes() == raw.read_bytes()


def test_tool_info_and_dump_agree_with_facade(tmp_path):
    a = make_array((3, 4), np.float64)
    path = tmp_path / "x.bin5"
    bin5.write(path, a, text="hello world", byteorder="big")
    info = tool("info", str(path)).stdout
    assert "big" in info and "hello world" in info and "3 4" in info
    dumped = np.array(tool("dump", str(path)).stdout.split(), dtype=np.float64)
    np.testing.assert_array_equal(dumped, np.ravel(a, order="F"))


def test_convert_byte_order_keeps_values(tmp_path):
    a = make_array((4, 3, 2), np.int16)
    little = tmp_path / "l.bin5"
    big = tmp_path / "b.bin5"
    bin5.write(little, a, date=DATE)
    tool("convert", "--big-endian", str(little), str(big))
    b, h = bin5.read(big)
    assert h.byteorder == "big" and h.date == DATE
    np.testing.assert_array_equal(a, b)
    assert big.read_bytes()[h.header_len:] == a.astype(">i2").tobytes(order="F")


# --------------------------------------------------- original KRC outputs

@pytest.mark.parametrize("path", reference_t52_files(), ids=lambda p: p.name)
def test_reference_type52_files_load_and_rewrite_identically(tmp_path, path):
    data, h = bin5.read(path)
    assert data.dtype == np.float64 and data.ndim == 5
    assert h.byteorder == "little" and h.text.startswith("KRCv3.6.5")
    n24, items, n4, _, _ = data.shape
    assert items == 7
    front = data[:4, 0, 0, 0, 0] if n24 >= 4 else np.ravel(data, order="F")[:4]
    assert front[0] == 214 and front[1] == 4  # NWKRC, IDX (formats 3.2)
    out = tmp_path / path.name
    bin5.write(out, data, text=h.text, date=h.date)
    again, h2 = bin5.read(out)
    np.testing.assert_array_equal(again, data)
    assert (h2.shape, h2.text, h2.date, h2.header_len) == (h.shape, h.text, h.date, h.header_len)
    assert out.read_bytes() == path.read_bytes()  # byte for byte, like the original writer


# ---------------------------------------------------------------- bad input

def _valid(tmp_path) -> Path:
    path = tmp_path / "good.bin5"
    bin5.write(path, np.arange(12.0).reshape(3, 4), text="t", date=DATE)
    return path


def _patch_header(path: Path, old: bytes, new: bytes) -> None:
    raw = bytearray(path.read_bytes())
    i = raw.index(old)
    raw[i:i + len(old)] = new
    path.write_bytes(bytes(raw))


def test_truncated_file(tmp_path):
    path = _valid(tmp_path)
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(Bin5Error, match=r"(?i)truncated") as info:
        bin5.read(path)
    assert str(path) in str(info.value)


def test_truncated_header(tmp_path):
    path = _valid(tmp_path)
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(Bin5Error) as info:
        bin5.read(path)
    assert str(path) in str(info.value)


def test_wrong_header_length(tmp_path):
    path = _valid(tmp_path)
    _patch_header(path, b" 512 ", b" 500 ")
    with pytest.raises(Bin5Error, match="(?i)header") as info:
        bin5.read(path)
    assert str(path) in str(info.value)


def test_unknown_type_code(tmp_path):
    path = _valid(tmp_path)
    _patch_header(path, b" 2 3 4 5 12 ", b" 2 3 4 9 12 ")
    with pytest.raises(Bin5Error, match="(?i)type") as info:
        bin5.read(path)
    assert str(path) in str(info.value)


def test_dims_disagree_with_count(tmp_path):
    path = _valid(tmp_path)
    _patch_header(path, b" 2 3 4 5 12 ", b" 2 3 5 5 12 ")
    with pytest.raises(Bin5Error, match="(?i)dim|element") as info:
        bin5.read(path)
    assert str(path) in str(info.value)


def test_unknown_architecture(tmp_path):
    path = _valid(tmp_path)
    _patch_header(path, b"litend", b"vaxend")
    with pytest.raises(Bin5Error, match="(?i)arch|byte order") as info:
        bin5.read(path)
    assert "vaxend" in str(info.value)


def test_not_a_bin5_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some text\n" * 100)
    with pytest.raises(Bin5Error) as info:
        bin5.read(path)
    assert str(path) in str(info.value)


def test_directory_and_missing_path(tmp_path):
    with pytest.raises(FileAccessError) as info:
        bin5.read(tmp_path)
    assert str(tmp_path) in str(info.value)
    missing = tmp_path / "missing.bin5"
    with pytest.raises(FileAccessError) as info:
        bin5.read(missing)
    assert str(missing) in str(info.value)
    assert isinstance(info.value, OSError) and isinstance(info.value, LegacyWrapError)


@pytest.mark.parametrize("value, match", [
    (np.float64(3.0), "scalar"),
    (np.zeros((0, 3)), "empty"),
    (np.zeros(3, dtype=np.complex128), "complex128"),
    (np.array(["a"]), "str|<U1"),
    (np.zeros((1,) * 9), "at most 8"),
    (np.array([2**40]), "int32"),
])
def test_unwritable_arrays(tmp_path, value, match):
    path = tmp_path / "x.bin5"
    with pytest.raises(InputError, match=match):
        bin5.write(path, value)
    assert list(tmp_path.iterdir()) == []


def test_integer_and_bool_arrays_are_converted(tmp_path):
    path = tmp_path / "x.bin5"
    bin5.write(path, np.array([1, 2, 3], dtype=np.int64))
    assert bin5.read_header(path).dtype == np.int32
    bin5.write(path, np.array([True, False]))
    assert bin5.read_header(path).dtype == np.uint8


def test_failed_write_leaves_nothing_and_keeps_old_file(tmp_path):
    path = _valid(tmp_path)
    before = path.read_bytes()
    with pytest.raises(InputError):
        bin5.write(path, np.zeros(3), text="é not ascii")
    with pytest.raises(FileAccessError):
        bin5.write(tmp_path / "no-such-dir" / "x.bin5", np.zeros(3))
    target_dir = tmp_path / "is-a-dir"
    target_dir.mkdir()
    with pytest.raises(LegacyWrapError):
        bin5.write(target_dir, np.zeros(3))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.bin5", "is-a-dir"]
    assert list(target_dir.iterdir()) == []


def test_tool_reports_errors_with_exit_status(tmp_path):
    missing = tmp_path / "missing.bin5"
    out = tool("info", str(missing), check=False)
    assert out.returncode == 1 and str(missing) in out.stderr
    out = tool("frobnicate", check=False)
    assert out.returncode == 2


# ------------------------------------------------------------------- threads

def test_thread_pool_reads(tmp_path):
    arrays = [make_array((64, 33, 5), np.float64, seed=i) for i in range(16)]
    paths = []
    for i, a in enumerate(arrays):
        p = tmp_path / f"f{i}.bin5"
        bin5.write(p, a, byteorder="big" if i % 2 else "little")
        paths.append(p)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda p: bin5.read(p)[0], paths * 4))
    for i, r in enumerate(results):
        np.testing.assert_array_equal(r, arrays[i % len(arrays)])


def test_cffi_call_releases_the_gil(tmp_path):
    """A Python thread runs WHILE the C library reads a file.

    With a long switch interval, a thread that holds the GIL is only
    interrupted after 0.2 s; a 32 MB read takes far less.  So the spinner can
    advance between the two reads of ``ticks`` only if the C call released it.
    """
    import sys
    import threading

    from legacy_wrap._bin5_cffi import ffi, lib

    big = tmp_path / "big.bin5"
    bin5.write(big, np.zeros((4_000_000,)))  # 32 MB
    hdr, _ = bin5._read_header_raw(big)
    out = np.empty(4_000_000)
    buf = ffi.from_buffer(out, require_writable=True)
    err = ffi.new("char[]", 256)
    ticks = 0
    stop = threading.Event()

    def spin():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    old = sys.getswitchinterval()
    sys.setswitchinterval(0.2)
    t = threading.Thread(target=spin)
    t.start()
    gained = []
    try:
        for _ in range(3):
            before = ticks
            assert lib.bin5_read_data(os.fsencode(big), hdr, buf, out.nbytes, err, 256) == 0
            gained.append(ticks - before)
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old)
    assert min(gained) > 0, gained


# ----------------------------------------------------------------------- CLI

def test_cli_info_and_convert(tmp_path):
    path = _valid(tmp_path)
    cli = console_script("legacy-wrap")
    out = subprocess.run([cli, "bin5", "info", str(path)], capture_output=True, text=True, check=True)
    assert "shape (Fortran order): 3 4" in out.stdout and "float64" in out.stdout
    out_path = tmp_path / "big.bin5"
    subprocess.run([cli, "bin5", "convert", "--byteorder", "big", str(path), str(out_path)], check=True)
    np.testing.assert_array_equal(bin5.read(out_path)[0], bin5.read(path)[0])
    out = subprocess.run([cli, "bin5", "info", str(tmp_path / "nope")], capture_output=True, text=True)
    assert out.returncode == 1 and "nope" in out.stderr and "Traceback" not in out.stderr


# --------------------------------------------------------------------------- reliability (issue 19)


def test_a_file_longer_than_its_header_says_is_refused_unless_allowed(tmp_path):
    path = _valid(tmp_path)
    good = path.read_bytes()
    data, h = bin5.read(path)
    # 8 bytes inserted after the header: every value would be shifted by one float64
    path.write_bytes(good[:h.header_len] + b"\0" * 8 + good[h.header_len:])
    for call in (bin5.read, bin5.read_header, lambda p: bin5.read(p, mmap=True)):
        with pytest.raises(Bin5Error, match=r"longer than its header says: 12 float64 elements "
                           r"\(96 bytes\) after a 512-byte header, but 104 bytes follow "
                           r"\(8 extra\)") as info:
            call(path)
        assert str(path) in str(info.value) and info.value.status == 13
    # the documented option: bytes after the data are ignored
    path.write_bytes(good + b"padding!")
    back, h2 = bin5.read(path, allow_trailing=True)
    assert np.array_equal(back, data) and h2 == h
    assert bin5.read_header(path, allow_trailing=True) == h
    mm, _ = bin5.read(path, mmap=True, allow_trailing=True)
    assert np.array_equal(mm, data)


def test_the_tool_refuses_trailing_bytes(tmp_path, capsys):
    path = _valid(tmp_path)
    path.write_bytes(path.read_bytes() + b"\0")
    for argv in (["info", str(path)], ["dump", str(path)]):
        c = tool(*argv, check=False)
        assert bin5.tool_main(argv) == c.returncode == 1
        py = capsys.readouterr()
        assert "longer than its header says" in c.stderr and c.stderr == py.err
        assert c.stdout == py.out == ""


@pytest.mark.parametrize("func", ["write", "read", "read_header"])
def test_a_nul_inside_a_path_is_refused(tmp_path, func):
    target = tmp_path / "a\0b.bin5"
    args = (str(target), np.zeros(3)) if func == "write" else (str(target),)
    with pytest.raises(InputError, match=r"contains a NUL character"):
        getattr(bin5, func)(*args)
    assert list(tmp_path.iterdir()) == []            # 'a' was not written


def test_write_goes_through_a_symlink_to_its_target(tmp_path):
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "real.bin5"
    target.write_bytes(b"old")
    link = tmp_path / "link.bin5"
    link.symlink_to("data/real.bin5")
    link2 = tmp_path / "link2.bin5"
    link2.symlink_to(link)
    bin5.write(link2, np.arange(4.0), text="through", date=DATE)
    assert link.is_symlink() and link2.is_symlink()
    data, h = bin5.read(target)
    assert h.text == "through" and np.array_equal(data, np.arange(4.0))
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["real.bin5"]
    dangling = tmp_path / "dangling.bin5"
    dangling.symlink_to("data/new.bin5")
    bin5.write(dangling, np.arange(2.0), date=DATE)
    assert dangling.is_symlink() and bin5.read(tmp_path / "data" / "new.bin5")[1].shape == (2,)


def test_write_refuses_a_fifo_and_keeps_it(tmp_path):
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "to-pipe.bin5"
    link.symlink_to("pipe")
    for path in (fifo, link):
        with pytest.raises(FileAccessError, match=r"is not a regular file \(FIFO, device or "
                           r"socket\)") as info:
            bin5.write(path, np.zeros(3))
        assert str(path) in str(info.value)
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe", "to-pipe.bin5"]


def test_tool_raw_output_goes_through_symlinks_and_refuses_a_fifo(tmp_path):
    path = _valid(tmp_path)
    real = tmp_path / "real.raw"
    link = tmp_path / "link.raw"
    link.symlink_to("real.raw")
    assert bin5.tool_main(["raw", str(path), str(link)]) == 0
    assert link.is_symlink() and real.stat().st_size == 96
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert bin5.tool_main(["raw", str(path), str(fifo)]) == 1


@pytest.mark.parametrize("ragged", [[[1.0, 2.0], [3.0]], [[1, 2], 3], [[[1, 2]], [[1]]]])
def test_a_ragged_list_raises_the_package_error(tmp_path, ragged):
    with pytest.raises(InputError, match=r"rectangular array of numbers") as info:
        bin5.write(tmp_path / "x.bin5", ragged)
    assert type(info.value).__module__ == "legacy_wrap.errors"
    assert list(tmp_path.iterdir()) == []
