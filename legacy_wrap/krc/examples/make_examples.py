"""Write the example decks shipped with the package (run from this folder).

    python -P make_examples.py

The decks are legacy-wrap's own choices of values (built from ``Params``),
kept small so that each runs in well under a second.  Not installed; the
``.inp`` files it writes are (see ``legacy_wrap/meson.build``).
"""

from __future__ import annotations

from pathlib import Path

from legacy_wrap.krc import Params, write_deck

HERE = Path(__file__).resolve().parent

#: Mean zonal elevations (km) at the nine latitudes of the Mars examples.
MARS_LAT = [-80.0, -60.0, -40.0, -20.0, 0.0, 20.0, 40.0, 60.0, 80.0]
MARS_ELEV = [2.01, 1.22, 0.48, 1.67, 0.17, -1.28, -2.51, -4.08, -4.38]
LUNATION = 29.53059  # d


def decks() -> dict[str, tuple[Params, list[str]]]:
    mars = Params.mars().replace(latitudes=MARS_LAT, elevations=MARS_ELEV,
                                 title="legacy-wrap example: Mars, 9 latitudes, Viking "
                                       "pressure curve (KPREF 1)")
    moon = Params.moon().replace(
        latitudes=[0.0, 30.0, 60.0, 85.0], elevations=[0.0] * 4,
        n5=30, jdisk=21, deljul=3 * LUNATION,
        title="legacy-wrap example: the Moon, airless, 4 latitudes, 3 lunations a season")
    small_body = Params.moon().replace(
        lporb=False, dau=2.5, sdec=0.0, period=0.3, inertia=50.0, alb=0.1, emis=0.9,
        latitudes=[0.0, 30.0, 60.0], elevations=[0.0] * 3, n5=30, jdisk=21, deljul=10.0,
        title="legacy-wrap example: airless small body, 2.5 AU, 7.2 h day, I=50")
    two_layer = Params.mars().replace(
        latitudes=[-40.0, 0.0, 40.0], elevations=[0.48, 0.17, -2.51],
        inertia=60.0, ic2=8, cond2=2.0, dens2=2500.0, spht2=800.0, n5=80, jdisk=41,
        title="legacy-wrap example: Mars, fine dust (I=60) over rock from layer 8")
    slope = Params.mars().replace(
        latitudes=[-40.0, -20.0, 0.0], elevations=[0.48, 1.67, 0.17],
        slope=25.0, sloazi=180.0, n5=80, jdisk=41,
        title="legacy-wrap example: Mars, 25 deg slope facing south")
    return {
        "mars": (mars, ["8 5 0 'mars.t52' /"]),
        "moon": (moon, ["8 5 0 'moon.t52' /"]),
        "small_body": (small_body, ["8 5 0 'small_body.t52' /"]),
        "two_layer": (two_layer, ["8 5 0 'two_layer.t52' /"]),
        "slope": (slope, ["8 5 0 'slope.t52' /"]),
    }


def main() -> None:
    for name, (params, changes) in decks().items():
        write_deck(params, HERE / f"{name}.inp", cases=[changes])
        print("wrote", HERE / f"{name}.inp")


if __name__ == "__main__":
    main()
