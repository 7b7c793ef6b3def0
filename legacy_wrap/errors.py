"""The exception hierarchy of legacy_wrap.

Every error the package raises derives from :class:`LegacyWrapError`; each
subclass also derives from the builtin a caller would naturally catch
(``ValueError`` for bad input, ``OSError`` for files, ``RuntimeError`` for
failures inside native code), so ``except ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = [
    "LegacyWrapError",
    "InputError",
    "DeckError",
    "FormatError",
    "Bin5Error",
    "FileAccessError",
    "NativeError",
    "ModelError",
    "ExecutableNotFoundError",
    "UnsupportedOptionError",
    "LegacyWrapWarning",
    "ConvergenceWarning",
]


class LegacyWrapError(Exception):
    """Root of every error raised by legacy_wrap."""


class InputError(LegacyWrapError, ValueError):
    """An argument or parameter value is invalid (wrong type, NaN, out of range)."""


class DeckError(InputError):
    """A KRC input deck cannot be read: the message names file, line and column."""

    def __init__(self, message: str, *, path: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        where = ""
        if path is not None:
            where = str(path)
            if line is not None:
                where += f", line {line}"
                if column is not None:
                    where += f", column {column}"
            where += ": "
        super().__init__(where + message)
        self.path = path
        self.line = line
        self.column = column


class FormatError(LegacyWrapError, ValueError):
    """A data file is not in the expected format (bad header, truncated, ...)."""


class Bin5Error(FormatError):
    """A bin5 file cannot be read or written."""


class FileAccessError(LegacyWrapError, OSError):
    """A file or folder cannot be opened, read or written (missing, a directory, ...)."""


class NativeError(LegacyWrapError, RuntimeError):
    """Native (Fortran/C) code reported a failure through its status code."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ModelError(NativeError):
    """The thermal model stopped (numerical instability, blow-up, ...)."""


class UnsupportedOptionError(InputError, NotImplementedError):
    """The input asks for an option this implementation does not provide."""


class ExecutableNotFoundError(LegacyWrapError, FileNotFoundError):
    """A bundled legacy executable or shared library cannot be found."""


class LegacyWrapWarning(UserWarning):
    """Root of every warning issued by legacy_wrap."""


class ConvergenceWarning(LegacyWrapWarning):
    """A model run ended a season before KRC's own convergence tests were met."""
