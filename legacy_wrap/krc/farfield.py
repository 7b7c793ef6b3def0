"""Far-field files of KRC's changes ``8 21`` (write), ``8 3`` and ``8 4`` (read).

A flat run writes its hourly surface temperature (and planetary and
atmosphere temperature: kind -2 / -3 of K4OUT) per latitude and stored
season; a later, usually sloped, run sees that surface below its horizon and
takes its atmosphere temperature from the file.  Facts:
``../shared/spec/krc-farfield-climate.md`` Part A.

Two layouts, both read and written by the Fortran core (fortran/krc_farfield.f90):

* ``"compact"`` (the default of our writer): a 1752-byte header (magic
  ``LWKRCFF1``, kind, word size, N24, N4, number of seasons, the 214-word
  parameter common) and then N24 x N4 words per kind and season -- a few kB
  per season;
* ``"krc"``: the original program's layout, 25.6 MB per record (12.8 MB in
  float32), for anyone who must feed the original program.  Files the
  original wrote are read with their true 64-bit size (the original cannot
  read its own files of 2 GiB or more).

>>> r = run(flat_params, far_field_out="flat.ff")       # K4OUT -1..-3
>>> s = run(slope_params, far_field_in="flat.ff")
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..errors import FileAccessError, InputError

if TYPE_CHECKING:  # pragma: no cover
    from .model import Result

__all__ = ["FarField", "read_far_field", "write_far_field", "LAYOUTS"]

#: Layout names -> code of the Fortran writer.
LAYOUTS: dict[str, int] = {"compact": 0, "krc": 1}
_LAYOUT_NAMES = {v: k for k, v in LAYOUTS.items()}
_KIND_NAMES = ("surface_temperature", "planetary_temperature", "atmosphere_temperature")


def _core() -> Any:
    from .. import _krccore
    return _krccore


def _text(message: bytes | str) -> str:
    return (message.decode("ascii", "replace") if isinstance(message, bytes)
            else str(message)).strip()


@dataclass(frozen=True, eq=False)
class FarField:
    """A far-field file as a reading case uses it (A3.1)."""

    path: Path
    layout: Literal["compact", "krc"]
    kind: int              #: n = -K4OUT of the writer: 1 (T_s), 2 (+T_p), 3 (+T_a)
    word_size: int         #: 8 (float64) or 4 (float32, ID24 = 4)
    latitudes: np.ndarray  #: deg, the writer's N4 latitudes
    emissivity: float      #: EMIS of the writer (FD 2)
    slope: float           #: SLOPE of the writer (FD 23)
    deljul: float          #: days between seasons (FD 42)
    year: float            #: days per year (FD 68, or (NS-1)*DELJUL if that was < DELJUL)
    first_date: float      #: date of the first stored season (FD 87)
    year_guessed: bool     #: FD 68 was below DELJUL (a file from before KRC 3.6.1)
    data: np.ndarray = field(repr=False)  #: (N24, N4, NS, kind), K

    @property
    def n24(self) -> int:
        return int(self.data.shape[0])

    @property
    def seasons(self) -> int:
        """Number of stored seasons NS."""
        return int(self.data.shape[2])

    def __getattr__(self, name: str) -> np.ndarray:
        if name in _KIND_NAMES:
            k = _KIND_NAMES.index(name)
            if k < self.kind:
                return self.data[:, :, :, k]
            raise AttributeError(f"far-field file {self.path} is of kind -{self.kind}: "
                                 f"it holds no {name.replace('_', ' ')}")
        raise AttributeError(name)

    def check_year(self) -> None:
        """The original's reports on the season grid (A3.1 item 3, A3.2 item 5), as warnings."""
        if self.year_guessed:
            warnings.warn(f"far-field file {self.path}: WARNING, days/year uncertain (FD 68 below "
                          f"DELJUL, a file from before KRC 3.6.1). Set to {self.year}", stacklevel=3)
        if not (self.deljul > 0.0 and np.isfinite(self.year)):
            return                                  # refused by the core
        q = self.year / self.deljul
        if abs(q - round(q)) > 0.01:
            warnings.warn(f"far-field file {self.path}: days per year / DELJUL = {q:.4f} is not "
                          "within 0.01 of an integer: its seasons do not repeat yearly", stacklevel=3)

    def core_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(ints, reals, latitudes(37), data) as krc_run_case takes them."""
        n4 = len(self.latitudes)
        ints = np.array([self.kind, self.n24, n4, self.seasons], dtype=np.int32)
        reals = np.array([self.emissivity, self.slope, self.deljul, self.year, self.first_date])
        lat = np.zeros(37)
        lat[:n4] = self.latitudes
        return ints, reals, lat, np.asfortranarray(self.data, dtype=np.float64)


def read_far_field(path: str | os.PathLike[str]) -> FarField:
    """Read a far-field file of either layout (ours or the original's)."""
    p = Path(path)
    if not p.is_file():
        raise FileAccessError(f"far-field file {str(p)!r} does not exist")
    core = _core()
    ints, reals, lat, status, message = core.krc_ff_header(str(p))
    if status != 0:
        raise InputError(_text(message))
    layout, kind, wsize, n24, n4, ns, guessed = (int(v) for v in ints[:7])
    data, status, message = core.krc_ff_load(str(p), n24, n4, ns, kind)
    if status != 0:
        raise InputError(_text(message))
    return FarField(path=p, layout=_LAYOUT_NAMES[layout], kind=kind, word_size=wsize,  # type: ignore[arg-type]
                    latitudes=np.array(lat[:n4]), emissivity=float(reals[0]),
                    slope=float(reals[1]), deljul=float(reals[2]), year=float(reals[3]),
                    first_date=float(reals[4]), year_guessed=bool(guessed), data=data)


def writer_kind(k4out: int) -> int:
    """n of a writing case from K4OUT (A1: below -3 is -3); InputError if K4OUT >= 0."""
    if k4out >= 0:
        raise InputError(f"K4OUT = {k4out}: a far-field file needs K4OUT -1 (T_s), -2 (T_s, T_p) "
                         "or -3 (T_s, T_p, T_a); set k4out (KRC change '2 17 -3')")
    return min(3, -int(k4out))


def check_writable(path: str | os.PathLike[str], layout: str) -> Path:
    """Refuse an existing file or an unknown layout before a run (8 21)."""
    if layout not in LAYOUTS:
        raise InputError(f"far_field_layout = {layout!r}: choose one of {sorted(LAYOUTS)}")
    p = Path(path)
    if p.exists():
        raise InputError(f"far-field file {str(p)!r} exists already: KRC never overwrites one "
                         "(change 8 21); remove it or name another file")
    if not p.parent.is_dir():
        raise FileAccessError(f"far-field file {str(p)!r}: folder {str(p.parent)!r} does not exist")
    return p


def write_far_field(path: str | os.PathLike[str], result: "Result", *,
                    layout: Literal["compact", "krc"] = "compact",
                    runtime: str | None = None) -> Path:
    """Write the far-field file of a finished flat case (KRC's ``8 21``).

    The kind comes from the case's K4OUT (-1, -2, -3), the word size from its
    ID24 (4: float32, else float64); every stored season JDISK..N5 is written.
    ``runtime``: the run-time text stored in the common (default: now).
    """
    from . import t52
    p = check_writable(path, layout)
    params = result.params
    kind = writer_kind(int(params.k4out))
    wsize = 4 if int(params.id24) == 4 else 8
    rt = t52.runtime_text() if runtime is None else runtime
    block = t52.case_block(result, runtime=rt)
    common = np.ravel(block, order="F")[4:218].copy()
    data = np.asfortranarray(np.transpose(result.hourly[:, :kind], (0, 2, 3, 1)))
    status, message = _core().krc_ff_write(str(p), LAYOUTS[layout], wsize, common, data)
    if status != 0:
        raise InputError(_text(message))
    return p
