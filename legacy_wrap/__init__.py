"""legacy-wrap: run legacy planetary Fortran and C codes from Python, unchanged.

Subpackages and modules:

* :mod:`legacy_wrap.bin5` -- read/write bin5 array files (C library via cffi)
* :mod:`legacy_wrap.errors` -- the exception hierarchy (root: LegacyWrapError)

Native files installed with the package are found with
:func:`legacy_wrap.executable_path` and :func:`legacy_wrap.library_path`.
"""


from ._resources import executable_path, library_path
from .errors import (
    Bin5Error,
    DeckError,
    ExecutableNotFoundError,
    FileAccessError,
    FormatError,
    InputError,
    LegacyWrapError,
    ModelError,
    NativeError,
    UnsupportedOptionError,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "executable_path",
    "library_path",
    "LegacyWrapError",
    "InputError",
    "DeckError",
    "FormatError",
    "Bin5Error",
    "FileAccessError",
    "NativeError",
    "ModelError",
    "UnsupportedOptionError",
    "ExecutableNotFoundError",
]
