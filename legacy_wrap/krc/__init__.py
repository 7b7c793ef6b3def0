"""The KRC 3.6.5-compatible planetary surface thermal model.

* :class:`Params` -- every KRC input by its KRC name, with defaults for Mars
  (``Params.mars()``, the values of ``master.inp``) and the Moon.
* :func:`run` -- run one case in the Fortran core, returning a :class:`Result`
  with named arrays and ``to_xarray()``.
* :class:`Eclipse` / :class:`PlanetFlux` -- eclipses of a satellite and the
  primary's heat load (``run(params, eclipse=..., planet_flux=...)``).
* :func:`read_deck` / :func:`write_deck` -- KRC input decks (``.inp``).
* :func:`sweep` -- parameter sweeps (lookup tables) on threads, processes,
  Dask or MPI, stored incrementally; :func:`inertia_from_temperature` inverts
  such a table.

The physics is in ``fortran/`` (specification: ``krc-physics.md``); this
package only validates inputs, calls the core and names the outputs.
"""

from __future__ import annotations

from .eclipse import Eclipse, PlanetFlux
from .deck import Case, ChangeLine, Deck, parse_deck, read_deck, read_zone_table, write_deck
from .lookup import inertia_from_temperature
from .model import FineRecords, LayerTable, Result, eclipse_window, layer_table, run
from .params import Params
from .sweep import SweepError, sweep

__all__ = [
    "Case",
    "ChangeLine",
    "Deck",
    "Eclipse",
    "FineRecords",
    "LayerTable",
    "Params",
    "PlanetFlux",
    "Result",
    "SweepError",
    "eclipse_window",
    "inertia_from_temperature",
    "layer_table",
    "parse_deck",
    "read_deck",
    "read_zone_table",
    "run",
    "sweep",
    "write_deck",
]
