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
        return os.fsencode(path)
    except TypeError:
        raise InputError(f"path must be a str or os.PathLike, got {type(path).__name__}") from None


def _raise(status: int, errbuf, action: str, path: PathLike) -> None:
    ffi, lib = _lib()
    detail = ffi.string(errbuf).decode("utf-8", "replace")
    if not detail:
        detail = f"{os.fspath(path)}: {ffi.string(lib.bin5_strerror(status)).decode()}"
    cls = FileAccessError if status in _ACCESS_CODES else Bin5Error
    err = cls(f"cannot {action} bin5 file: {detail}")
    err.status = status  # type: ignore[attr-defined]
    raise err


def _read_header_raw(path: PathLike):
    ffi, lib = _lib()
    hdr = ffi.new("bin5_header *")
    text = ffi.new("char[]", TEXT_MAX + 1)
    textlen = ffi.new("size_t *")
    err = ffi.new("char[]", _ERRBUF)
    status = lib.bin5_read_header(_fspath(path), hdr, text, TEXT_MAX + 1, textlen, err, _ERRBUF)
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


def read_header(path: PathLike) -> Bin5Header:
    """Read and validate the header of a bin5 file (the data are not read)."""
    return _read_header_raw(path)[1]


def read(path: PathLike, *, mmap: bool = False) -> tuple[np.ndarray, Bin5Header]:
    """Read a bin5 file.

    Returns ``(array, header)``; ``array.shape == header.shape`` in Fortran
    order.  By default the data are read into memory in host byte order.
    With ``mmap=True`` the array is a read-only ``numpy.memmap`` of the file in
    the file's own byte order (nothing is copied until used), which suits
    files larger than memory.
    """
    hdr, header = _read_header_raw(path)
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
    arr = np.asarray(array)
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
    """
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
    status = lib.bin5_write(_fspath(path), arr.ndim, dims, _CODE_OF[arr.dtype],
                            ffi.from_buffer(flat), text_b,
                            ffi.NULL if date is None else date.encode("ascii"), big,
                            err, _ERRBUF)
    if status != 0:
        _raise(status, err, "write", path)
    return read_header(path)

