"""Read and write bin5 array files (the container of KRC's outputs).

A bin5 file is an ASCII header (a multiple of 512 bytes) followed by one dense
N-dimensional array in Fortran (column-major) order; see
``../shared/spec/krc-formats.md`` section 3.1.  All file handling is done by the
project's C library (``csrc/bin5.c``) through a cffi extension, so Python and
the ``bin5tool`` executable write byte-identical files.  The C calls release
the GIL, so reading many files from a thread pool runs in parallel.

>>> from legacy_wrap import bin5
>>> bin5.write("cube.bin5", np.zeros((24, 7, 3)), text="my cube")
>>> data, header = bin5.read("cube.bin5")
>>> header.text
'my cube'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from .errors import Bin5Error, FileAccessError, InputError

__all__ = ["Bin5Header", "read", "read_header", "write", "TYPE_CODES", "MAX_DIMS", "TEXT_MAX"]

#: IDL type code -> numpy dtype (host byte order) for the types bin5 supports.
TYPE_CODES: dict[int, np.dtype] = {
    1: np.dtype(np.uint8),
    2: np.dtype(np.int16),
    3: np.dtype(np.int32),
    4: np.dtype(np.float32),
    5: np.dtype(np.float64),
}
_CODE_OF = {dt: code for code, dt in TYPE_CODES.items()}
MAX_DIMS = 8
TEXT_MAX = 65536
_ERRBUF = 1024

# Status codes of csrc/bin5.h that mean "the file system said no" rather than
# "the bytes are not a valid bin5 file".
_ACCESS_CODES = {2, 3}

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class Bin5Header:
    """What the header of a bin5 file says."""

    shape: tuple[int, ...]      #: dimensions, fastest-varying first (Fortran order)
    dtype: np.dtype             #: element type in HOST byte order (as returned by read)
    type_code: int              #: IDL type code (1..5)
    header_len: int             #: header length in bytes = offset of the data
    byteorder: Literal["little", "big"]  #: byte order of the data in the file
    arch: str                   #: architecture word, e.g. 'litend'
    date: str                   #: raw contents of the <<...>> date block
    text: str                   #: free user text, trimmed

    @property
    def nelem(self) -> int:
        """Number of elements."""
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def file_dtype(self) -> np.dtype:
        """Element type with the file's byte order (what a memory map sees)."""
        return self.dtype.newbyteorder("<" if self.byteorder == "little" else ">")


def _lib():
    # Imported lazily so that "import legacy_wrap" stays cheap.
    from ._bin5_cffi import ffi, lib
    return ffi, lib


def _fspath(path: PathLike) -> bytes:
    try:
        raw = os.fsencode(path)
    except TypeError:
        raise InputError(f"path must be a str or os.PathLike, got {type(path).__name__}") from None
    # C strings end at the first NUL: 'a\x00b.bin5' would silently become 'a'.
    if b"\0" in raw:
        raise InputError(f"bin5 path {os.fsdecode(raw)!r} contains a NUL character, which no "
                         "file name can hold; remove it")
    if not raw:
        raise InputError("bin5 path is empty")
    return raw


def _raise(status: int, errbuf, action: str, path: PathLike) -> None:
    ffi, lib = _lib()
    detail = ffi.string(errbuf).decode("utf-8", "replace")
    if not detail:
        detail = f"{os.fspath(path)}: {ffi.string(lib.bin5_strerror(status)).decode()}"
    cls = FileAccessError if status in _ACCESS_CODES else Bin5Error
    err = cls(f"cannot {action} bin5 file: {detail}")
    err.status = status  # type: ignore[attr-defined]
    raise err


def _read_header_raw(path: PathLike, allow_trailing: bool = False):
    raw = _fspath(path)
    ffi, lib = _lib()
    hdr = ffi.new("bin5_header *")
    text = ffi.new("char[]", TEXT_MAX + 1)
    textlen = ffi.new("size_t *")
    err = ffi.new("char[]", _ERRBUF)
    flags = lib.BIN5_ALLOW_TRAILING if allow_trailing else 0
    status = lib.bin5_read_header_opt(raw, hdr, text, TEXT_MAX + 1, textlen, flags, err, _ERRBUF)
    if status != 0:
        _raise(status, err, "read", path)
    header = Bin5Header(
        shape=tuple(int(hdr.dims[i]) for i in range(hdr.ndim)),
        dtype=TYPE_CODES[hdr.type],
        type_code=int(hdr.type),
        header_len=int(hdr.header_len),
        byteorder="big" if hdr.big_endian else "little",
        arch=ffi.string(hdr.arch).decode("ascii", "replace"),
        date=ffi.string(hdr.date).decode("ascii", "replace"),
        text=ffi.string(text).decode("latin-1"),
    )
    return hdr, header


def read_header(path: PathLike, *, allow_trailing: bool = False) -> Bin5Header:
    """Read and validate the header of a bin5 file (the data are not read).

    A file longer than its header says (bytes after the data) raises
    :class:`~legacy_wrap.errors.Bin5Error` unless ``allow_trailing=True``.
    """
    return _read_header_raw(path, allow_trailing)[1]


def read(path: PathLike, *, mmap: bool = False,
         allow_trailing: bool = False) -> tuple[np.ndarray, Bin5Header]:
    """Read a bin5 file.

    Returns ``(array, header)``; ``array.shape == header.shape`` in Fortran
    order.  By default the data are read into memory in host byte order.
    With ``mmap=True`` the array is a read-only ``numpy.memmap`` of the file in
    the file's own byte order (nothing is copied until used), which suits
    files larger than memory.

    The file must hold exactly the header and the data it describes: fewer
    bytes or more bytes raise :class:`~legacy_wrap.errors.Bin5Error` (bytes
    inserted after the header would shift every value).  ``allow_trailing=True``
    accepts (and ignores) bytes after the data, for files known to be padded.
    """
    hdr, header = _read_header_raw(path, allow_trailing)
    if mmap:
        if header.nelem == 0:
            return np.empty(header.shape, dtype=header.file_dtype, order="F"), header
        arr = np.memmap(path, dtype=header.file_dtype, mode="r", offset=header.header_len,
                        shape=header.shape, order="F")
        return arr, header
    ffi, lib = _lib()
    flat = np.empty(header.nelem, dtype=header.dtype)
    err = ffi.new("char[]", _ERRBUF)
    status = lib.bin5_read_data(_fspath(path), hdr, ffi.from_buffer(flat, require_writable=True),
                                flat.nbytes, err, _ERRBUF)
    if status != 0:
        _raise(status, err, "read", path)
    return flat.reshape(header.shape, order="F"), header


def _coerce(array: ArrayLike) -> np.ndarray:
    try:
        arr = np.asarray(array)
    except (ValueError, TypeError) as exc:   # ragged nested lists, odd objects
        raise InputError(f"bin5 needs a rectangular array of numbers (every row the same "
                         f"length), got {type(array).__name__} that numpy cannot make one "
                         f"of: {exc}") from None
    if arr.ndim == 0:
        raise InputError("bin5 needs an array with at least 1 dimension, got a scalar")
    if arr.ndim > MAX_DIMS:
        raise InputError(f"bin5 holds at most {MAX_DIMS} dimensions, got {arr.ndim}")
    native = arr.dtype.newbyteorder("=")
    if native in _CODE_OF:
        return arr.astype(native, copy=False)
    if arr.dtype.kind == "b":
        return arr.astype(np.uint8)
    if arr.dtype.kind in "iu":
        info = np.iinfo(np.int32)
        if arr.size == 0 or (arr.min() >= info.min and arr.max() <= info.max):
            return arr.astype(np.int32)
        raise InputError(f"bin5 has no {arr.dtype} type and the values do not fit in int32; "
                         "convert to float64 first")
    raise InputError(f"bin5 cannot store {arr.dtype} arrays; supported: uint8, int16, int32, "
                     "float32, float64")


def write(path: PathLike, array: ArrayLike, text: str = "", *, date: str | None = None,
          byteorder: Literal["little", "big", "native"] = "native") -> Bin5Header:
    """Write ``array`` to ``path`` as a bin5 file; returns the header written.

    ``array`` is stored in Fortran order with its numpy shape as the bin5
    dimensions.  ``text`` is free ASCII text for the header (surrounding blanks
    are not kept).  ``date`` fixes the contents of the ``<<...>>`` date block
    (default: the current time, as KRC writes it), which makes files
    reproducible.  The file is written to a temporary name and renamed, so a
    failure never leaves a partial file and never damages an existing one.
    A symbolic link is written through (its target is replaced, atomically,
    and the link kept); a path that is a directory, FIFO, device or socket is
    refused (:class:`~legacy_wrap.errors.FileAccessError`).
    """
    raw = _fspath(path)
    arr = _coerce(array)
    if not isinstance(text, str):
        raise InputError(f"text must be a str, got {type(text).__name__}")
    try:
        text_b = text.encode("ascii")
    except UnicodeEncodeError as exc:
        raise InputError(f"bin5 header text must be ASCII: {exc}") from None
    if len(text_b) > TEXT_MAX:
        raise InputError(f"bin5 header text is {len(text_b)} bytes, the limit is {TEXT_MAX}")
    if b"\0" in text_b:
        raise InputError("bin5 header text must not contain NUL characters")
    if date is not None and (not isinstance(date, str) or len(date) >= 64 or ">>" in date):
        raise InputError("date must be a str shorter than 64 characters without '>>'")
    if byteorder == "native":
        big = int(np.little_endian is False)
    elif byteorder in ("little", "big"):
        big = int(byteorder == "big")
    else:
        raise InputError(f"byteorder must be 'little', 'big' or 'native', got {byteorder!r}")
    if arr.size == 0:
        raise InputError(f"bin5 cannot store an empty array (shape {arr.shape})")
    ffi, lib = _lib()
    flat = np.ravel(arr, order="F")       # a view when arr is Fortran-contiguous
    if not flat.flags.c_contiguous:
        flat = np.ascontiguousarray(flat)
    dims = ffi.new("int64_t[]", list(arr.shape))
    err = ffi.new("char[]", _ERRBUF)
    status = lib.bin5_write(raw, arr.ndim, dims, _CODE_OF[arr.dtype],
                            ffi.from_buffer(flat), text_b,
                            ffi.NULL if date is None else date.encode("ascii"), big,
                            err, _ERRBUF)
    if status != 0:
        _raise(status, err, "write", path)
    return read_header(path)



# ----------------------------------------------------------------------------
# Drop-in replacement of the C tool: same command line, same files, same output.

_TOOL_USAGE = """\
usage: bin5tool info FILE
       bin5tool dump FILE
       bin5tool raw FILE OUT
       bin5tool write [--text S] [--date S] [--big-endian] TYPE DIMS RAW OUT
       bin5tool convert [--text S] [--date S] [--big-endian|--little-endian] IN OUT
TYPE is u1|i2|i4|f4|f8 (or 1..5); DIMS is comma-separated, fastest first (e.g. 24,7,3);
RAW is a file of the elements in host byte order, Fortran order.
"""
_TYPE_NAMES = {"u1": 1, "i2": 2, "i4": 3, "f4": 4, "f8": 5}


def tool_main(argv: list[str] | None = None) -> int:
    """``bin5tool`` implemented on the facade (used by the regression harness).

    Exit status: 0 success, 1 a bin5/file error, 2 a usage error -- as the C tool.
    """
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    text: str | None = None
    date: str | None = None
    order: str | None = None
    pos: list[str] = []

    def usage(msg: str) -> int:
        sys.stderr.write(f"bin5tool: {msg}\n{_TOOL_USAGE}")
        return 2

    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--text", "--date"):
            if i + 1 >= len(args):
                return usage("option needs a value")
            if a == "--text":
                text = args[i + 1]
            else:
                date = args[i + 1]
            i += 1
        elif a in ("--big-endian", "--little-endian"):
            order = "big" if a == "--big-endian" else "little"
        elif a in ("-h", "--help"):
            sys.stdout.write(_TOOL_USAGE)
            return 0
        elif a.startswith("--"):
            return usage("unknown option")
        else:
            pos.append(a)
        i += 1
    if not pos:
        return usage("missing command")
    cmd, rest = pos[0], pos[1:]
    try:
        if cmd == "info" and len(rest) == 1:
            h = read_header(rest[0])
            out = sys.stdout
            out.write(f"ndim: {len(h.shape)}\ndims: {' '.join(str(n) for n in h.shape)}\n")
            out.write(f"type: {h.type_code} {['', 'u1', 'i2', 'i4', 'f4', 'f8'][h.type_code]}\n")
            out.write(f"nelem: {h.nelem}\nheader_len: {h.header_len}\nbyte_order: {h.byteorder}\n")
            out.write(f"arch: {h.arch}\ndate: {h.date}\ntext: {h.text}\n")
            return 0
        if cmd == "dump" and len(rest) == 1:
            data, h = read(rest[0])
            flat = np.ravel(data, order="F")
            fmt = "%.17g\n" if flat.dtype.kind == "f" else "%d\n"
            values = flat.astype(np.float64) if flat.dtype.kind == "f" else flat.astype(np.int64)
            sys.stdout.write("".join(fmt % v for v in values.tolist()))
            return 0
        if cmd == "raw" and len(rest) == 2:
            data, _ = read(rest[0])
            _atomic_bytes(rest[1], np.ravel(data, order="F").tobytes())
            return 0
        if cmd == "write" and len(rest) == 4:
            type_s, dims_s, raw, out_path = rest
            code = _TYPE_NAMES.get(type_s) or (int(type_s) if type_s in "12345" and len(type_s) == 1 else 0)
            if code == 0:
                return usage("TYPE must be u1, i2, i4, f4, f8 or 1..5")
            try:
                dims = tuple(int(d) for d in dims_s.split(","))
            except ValueError:
                dims = ()
            if not dims or len(dims) > MAX_DIMS or min(dims) < 1:
                return usage("DIMS must be 1 to 8 positive integers separated by commas")
            dtype = TYPE_CODES[code]
            need = int(np.prod(dims)) * dtype.itemsize
            rawp = os.fspath(raw)
            if not os.path.isfile(rawp):
                sys.stderr.write(f"bin5tool: {rawp}: cannot open the raw data file\n")
                return 1
            size = os.path.getsize(rawp)
            if size != need:
                sys.stderr.write(f"bin5tool: {rawp}: holds {size} bytes, but {type_s} with dims "
                                 f"{dims_s} needs {need}\n")
                return 1
            data = np.fromfile(rawp, dtype=dtype).reshape(dims, order="F")
            write(out_path, data, text=text or "", date=date,
                  byteorder=order or ("big" if not np.little_endian else "little"))
            return 0
        if cmd == "convert" and len(rest) == 2:
            data, h = read(rest[0])
            write(rest[1], data, text=h.text if text is None else text,
                  date=h.date if date is None else date, byteorder=order or h.byteorder)
            return 0
    except (Bin5Error, FileAccessError, InputError) as exc:
        msg = str(exc)
        for prefix in ("cannot read bin5 file: ", "cannot write bin5 file: "):
            msg = msg.removeprefix(prefix)
        sys.stderr.write(f"bin5tool: {msg}\n")
        return 1
    return usage("unknown command or wrong number of arguments")


def _atomic_bytes(path: PathLike, payload: bytes) -> None:
    """Write bytes through a temporary file and a rename (never half-written)."""
    import tempfile

    import stat

    target = os.path.realpath(os.fspath(path))    # write through symbolic links
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    except OSError as exc:
        raise FileAccessError(f"{os.fspath(path)}: cannot write: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise FileAccessError(f"{os.fspath(path)}: is not a regular file (directory, FIFO, "
                              "device or socket); give the name of a regular file")
    folder = os.path.dirname(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=os.path.basename(target) + ".tmp", dir=folder)
    except OSError as exc:
        raise FileAccessError(f"{target}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
