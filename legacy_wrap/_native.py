"""A small, general ctypes loader for prebuilt shared libraries.

Most of legacy_wrap talks to native code through f2py and cffi extensions that
are compiled with the package.  Users also have libraries that were built
elsewhere; :class:`SharedLibrary` loads such a library, declares the
signatures once, and turns integer status codes into exceptions::

    lib = SharedLibrary(path, status_messages={1: "bad argument"})
    dot = lib.function("dot", ctypes.c_double, [DOUBLE_ARRAY, DOUBLE_ARRAY, ctypes.c_int])
    fit = lib.status_function("fit", [ctypes.c_double, ctypes.c_char_p, ctypes.c_size_t],
                              message_args=(1, 2))
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ExecutableNotFoundError, NativeError

__all__ = ["SharedLibrary", "ndpointer", "check_status"]


def ndpointer(dtype: Any, ndim: int | None = None) -> type:
    """A ctypes argument type accepting a C-contiguous numpy array of ``dtype``."""
    return np.ctypeslib.ndpointer(dtype=dtype, ndim=ndim, flags="C_CONTIGUOUS")


def check_status(status: int, what: str, messages: Mapping[int, str] | None = None,
                 detail: str = "", error: type[NativeError] = NativeError) -> None:
    """Raise ``error`` if ``status`` is non-zero, with a message that names the call."""
    if status == 0:
        return
    text = (messages or {}).get(status, f"status {status}")
    if detail:
        text = f"{text}: {detail}"
    raise error(f"{what} failed: {text}", status=status)


class SharedLibrary:
    """A prebuilt shared library loaded with ctypes, with declared signatures.

    Parameters
    ----------
    path
        Filesystem path of the library.
    status_messages
        Optional map of status code -> text, used by :meth:`status_function`.
    strerror
        Optional name of a C function ``const char *f(int)`` in the library
        that describes a status code; used when a code is not in the map.
    """

    def __init__(self, path: str | Path, *, status_messages: Mapping[int, str] | None = None,
                 strerror: str | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise ExecutableNotFoundError(f"shared library {self.path} does not exist")
        try:
            self._cdll = ctypes.CDLL(str(self.path.resolve()))   # a bare name is not searched
        except OSError as exc:
            raise ExecutableNotFoundError(f"cannot load shared library {self.path}: {exc}") from exc
        self._messages = dict(status_messages or {})
        self._strerror: Callable[[int], bytes] | None = None
        if strerror is not None:
            fn = self._symbol(strerror)
            fn.restype = ctypes.c_char_p
            fn.argtypes = [ctypes.c_int]
            self._strerror = fn

    def _symbol(self, name: str) -> Any:
        try:
            return getattr(self._cdll, name)
        except AttributeError:
            raise ExecutableNotFoundError(
                f"symbol {name!r} not found in shared library {self.path}") from None

    def describe(self, status: int) -> str:
        """Text for a status code (from the map, else from the library's strerror)."""
        if status in self._messages:
            return self._messages[status]
        if self._strerror is not None:
            return self._strerror(status).decode("utf-8", "replace")
        return f"status {status}"

    def function(self, name: str, restype: Any, argtypes: Sequence[Any]) -> Any:
        """Declare and return the C function ``name``."""
        fn = self._symbol(name)
        fn.restype = restype
        fn.argtypes = list(argtypes)
        return fn

    def status_function(self, name: str, argtypes: Sequence[Any], *,
                        message_args: tuple[int, int] | None = None,
                        error: type[NativeError] = NativeError) -> Callable[..., None]:
        """Declare a C function returning an ``int`` status and wrap it.

        The wrapper raises ``error`` on a non-zero status.  If the function
        takes a caller-provided message buffer, give the positions of the
        ``char *`` buffer and its ``size_t`` capacity in ``message_args``;
        the wrapper allocates it and the caller omits both arguments.
        """
        fn = self.function(name, ctypes.c_int, argtypes)

        def call(*args: Any) -> None:
            full = list(args)
            buf = None
            if message_args is not None:
                buf = ctypes.create_string_buffer(1024)
                pos_buf, pos_cap = message_args
                for pos, value in sorted([(pos_buf, buf), (pos_cap, len(buf))]):
                    full.insert(pos, value)
            status = fn(*full)
            if status != 0:
                detail = buf.value.decode("utf-8", "replace") if buf is not None else ""
                text = self.describe(status)
                raise error(f"{name} failed: {text}" + (f": {detail}" if detail else ""),
                            status=status)

        call.__name__ = name
        call.__doc__ = f"{name}{tuple(argtypes)} -> None; raises {error.__name__} on failure"
        return call
