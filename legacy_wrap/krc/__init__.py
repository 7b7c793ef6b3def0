"""The KRC 3.6.5-compatible planetary surface thermal model.

* :class:`Params` -- every KRC input by its KRC name, with defaults for Mars
  (``Params.mars()``, the values of ``master.inp``) and the Moon.
* :func:`porb` -- the PORB block of any body (planets, satellites, asteroids,
  comets, exoplanets; :func:`bodies` lists them); ``Params.for_body(name)``
  builds a runnable parameter set from it.
* :func:`run` -- run one case in the Fortran core, returning a :class:`Result`
  with named arrays and ``to_xarray()``.
* :func:`point` -- temperatures at (Ls, latitude, local time) points, as
  KRC's one-point mode computes them, vectorised over the requests.
* :func:`example` -- path of a shipped example deck (``example_names()``).
* :class:`Eclipse` / :class:`PlanetFlux` -- eclipses of a satellite and the
  primary's heat load (``run(params, eclipse=..., planet_flux=...)``).
* :func:`read_deck` / :func:`write_deck` -- KRC input decks (``.inp``).
* :func:`sweep` -- parameter sweeps (lookup tables) on threads, processes,
  Dask or MPI, stored incrementally; :func:`inertia_from_temperature` inverts
  such a table.

The physics is in ``fortran/`` (specification: ``krc-physics.md``); this
package only validates inputs, calls the core and names the outputs.
"""


from .eclipse import Eclipse, PlanetFlux
from .example_decks import example, example_names
from .deck import Case, ChangeLine, Deck, parse_deck, read_deck, read_zone_table, write_deck
from .lookup import LookupReason, inertia_from_temperature
from .model import FineRecords, LayerTable, Result, eclipse_window, layer_table, run
from .params import Params
from .point import PointResult, point
from .porb import PorbResult, bodies, porb, porb_item
from .sweep import SweepError, sweep

__all__ = [
    "Case",
    "ChangeLine",
    "Deck",
    "Eclipse",
    "FineRecords",
    "LayerTable",
    "LookupReason",
    "Params",
    "PlanetFlux",
    "PointResult",
    "PorbResult",
    "Result",
    "SweepError",
    "bodies",
    "eclipse_window",
    "example",
    "example_names",
    "inertia_from_temperature",
    "layer_table",
    "parse_deck",
    "point",
    "porb",
    "porb_item",
    "read_deck",
    "read_zone_table",
    "run",
    "sweep",
    "write_deck",
]
