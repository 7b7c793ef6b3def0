"""Locate the native files installed inside the package.

Executables live in ``legacy_wrap/bin/`` and shared libraries beside the
package's modules.  ``importlib.resources`` finds them both in a normal
(wheel) install and in a meson-python editable install, where they sit in the
build directory instead of site-packages.
"""

from __future__ import annotations

import importlib.resources
import os
import shutil
import sys
from pathlib import Path

from .errors import ExecutableNotFoundError

__all__ = ["executable_path", "library_path", "package_file"]

_PACKAGE = "legacy_wrap"
#: Environment variables that override where an executable is found, so a
#: user can point the harness at their own build (e.g. the original KRC).
_OVERRIDE_PREFIX = "LEGACY_WRAP_EXE_"


def package_file(*parts: str) -> Path:
    """Return the filesystem path of a file shipped inside the package.

    Raises :class:`ExecutableNotFoundError` if it does not exist.
    """
    res = importlib.resources.files(_PACKAGE).joinpath(*parts)
    if not res.is_file():
        raise ExecutableNotFoundError(
            f"{'/'.join(parts)} is not installed inside the {_PACKAGE} package "
            f"(looked in {res}); reinstall with 'pip install .' or 'make install'")
    # Installed files are real files in both install modes: as_file() returns
    # the same path without copying.
    with importlib.resources.as_file(res) as path:
        return Path(path)


def executable_path(name: str) -> Path:
    """Path of a bundled legacy executable (``bin/<name>``).

    ``LEGACY_WRAP_EXE_<NAME>`` (upper case, dashes as underscores) overrides the
    bundled file, e.g. ``LEGACY_WRAP_EXE_KRC=/opt/krc/bin/krc``.
    """
    override = os.environ.get(_OVERRIDE_PREFIX + name.upper().replace("-", "_"))
    if override:
        path = Path(override)
        if not path.is_file() or not os.access(path, os.X_OK):
            found = shutil.which(override)
            if found is None:
                raise ExecutableNotFoundError(
                    f"{_OVERRIDE_PREFIX}{name.upper()}={override!r} is not an "
                    f"executable file")
            path = Path(found)
        return path
    return package_file("bin", name)


def library_path(stem: str) -> Path:
    """Path of a bundled shared library, e.g. ``library_path('bin5')``."""
    if sys.platform == "darwin":
        filename = f"lib{stem}.dylib"
    elif sys.platform == "win32":
        filename = f"{stem}.dll"
    else:
        filename = f"lib{stem}.so"
    return package_file(filename)
