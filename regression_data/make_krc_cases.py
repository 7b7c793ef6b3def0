"""Write the KRC regression cases of this folder (decks + case.toml).

Our own decks, made from Params with legacy_wrap.krc.write_deck, each small
enough to run in a second or two and together covering every option the
thermal model supports.  Golden outputs are then made from the legacy
program, never silently:

    python -P regression_data/make_krc_cases.py
    legacy-wrap regress --update-golden --tags krc
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from legacy_wrap.krc import Params, write_deck

HERE = Path(__file__).resolve().parent

#: Small grids: 3-10 latitudes, few seasons, N2 768 (stable for FLAY 0.1).
SMALL = dict(n1=18, n2=768, n3=15, n24=24, jdisk=1)


def mars_airless(**changes) -> Params:
    return Params.mars().replace(ptotal=0.5, kpref=0, n5=4, latitudes=[-45.0, 0.0, 30.0],
                                 elevations=[0.0, 0.0, 0.0], **SMALL).replace(**changes)


def mars_atmosphere(**changes) -> Params:
    lats = [-87.5, -70.0, -50.0, -30.0, -10.0, 10.0, 30.0, 50.0, 70.0, 87.5]
    elev = [2.5, 1.0, 0.5, 1.5, 1.0, -0.5, -1.5, -3.0, -4.0, -2.0]
    return Params.mars().replace(kpref=2, n5=5, latitudes=lats, elevations=elev,
                                 **SMALL).replace(**changes)


ZONES = np.array([[0.004, 1600.0, 0.04, 650.0],
                  [0.010, 1600.0, -1.0, 1.0],
                  [0.020, 928.0, -1.0, 2.0],
                  [0.100, -2.0, 2.5, 1700.0]])

CASES: dict[str, tuple[str, Params, list[list[str]] | None]] = {
    "krc-moon": ("the Moon: long sol, N3 cut to the sols per season, fine output hours",
                 Params.moon().replace(n5=3, jdisk=2, n24=48, latitudes=[0.0, 30.0, 60.0],
                                       elevations=[0.0, 0.0, 0.0], n2=1536, n1=20), None),
    "krc-slope-heatflow": ("airless Mars: regional slope and basal heat flow (IIB > 0)",
                           mars_airless(slope=20.0, sloazi=135.0, iib=40), None),
    "krc-two-materials": ("two materials with LOCAL false and the forced thickening; "
                          "constant-temperature base (IIB -1)",
                          mars_airless(ic2=7, cond2=2.5, dens2=928.0, spht2=1700.0, local=False,
                                       iib=-1, tdeep=190.0), None),
    "krc-kt-depth-photometry": ("k(T) and c(T), DEPTH, Minnaert photometry, isothermal "
                                "start at TDEEP (IIB -2)",
                                mars_airless(lkoft=True, depth=8.0, phog=-0.6, iib=-2,
                                             tdeep=200.0), None),
    "krc-zones-keihm": ("a zone table with four zones and the Keihm photometric law",
                        mars_airless(lzone=True, zone_table=ZONES, phog=0.3), None),
    "krc-mars-frost": ("Mars with an atmosphere: CO2 frost, snow, global cap (KPREF 2), LVFT, "
                       "LVFA, twilight", mars_atmosphere(lvft=True, lvfa=True, twili=3.0), None),
    "krc-mars-pit": ("a pit (SLOAZI <= -360) under a dusty atmosphere (KPREF 0, TAUD 1.2)",
                     mars_atmosphere(kpref=0, slope=30.0, sloazi=-400.0, taud=1.2,
                                     latitudes=[-40.0, 0.0, 40.0],
                                     elevations=[0.0, -1.0, 1.0]), None),
    "krc-seasonal-tables": ("Mars, KPREF 0, with seasonal albedo and dust-opacity tables "
                            "(8 22, 8 23; wrapped in Ls)",
                            mars_atmosphere(kpref=0, n5=6, latitudes=[-40.0, 0.0, 40.0],
                                            elevations=[0.0, -1.0, 1.0]),
                            [["8 22 0 'albedo.tab' /", "8 23 0 'opacity.tab' /"]]),
    "krc-multicase": ("three cases from change lines: albedo/inertia changes, N3 carried "
                      "over from a short season, a second type-52 file",
                      mars_airless(n5=3),
                      [["1 1 0.15 'ALBEDO' /", "1 3 400. 'INERTIA' /"],
                       ["1 42 2.5 'DELJUL' /"],
                       ["8 5 0 'second.t52' /", "2 5 4 'N5' /", "1 3 60. 'INERTIA' /"]]),
}

TOML = """\
description = "{description}"
timeout = 120
tags = ["krc"]

[inputs]
files = {files}

[legacy]
executable = "krc"
stdin = "{stem}\\n/\\n"

[python]
entry = "legacy_wrap.krc.console:main"

{outputs}
"""

OUTPUT = """\
[[outputs]]
file = "{file}"
format = "type52"
"""


#: Seasonal tables (formats 1.12) written beside the decks that name them.
TABLES = {
    "albedo.tab": [(15.0, 0.22), (90.0, 0.30), (180.0, 0.26), (280.0, 0.18)],
    "opacity.tab": [(40.0, 0.25), (150.0, 0.45), (250.0, 1.10), (320.0, 0.70)],
}


def write_table(path: Path, rows: list[tuple[float, float]]) -> None:
    head = "legacy-wrap regression table: Ls (deg) and value\nC_END\n"
    path.write_text(head + "".join(f"{ls:.2f} {v:.4f}\n" for ls, v in rows))


def main() -> None:
    for name, (description, params, changes) in CASES.items():
        folder = HERE / name
        folder.mkdir(exist_ok=True)
        for table, rows in TABLES.items():
            if changes and any(table in line for c in changes for line in c):
                write_table(folder / table, rows)
        stem = name.replace("krc-", "")
        deck = folder / f"{stem}.inp"
        t52 = [f"{stem}.t52"]
        first = [f"8 5 0 '{t52[0]}' /"]
        if changes is None:
            cases = [first]
        else:
            cases = [first + changes[0]] + [list(c) for c in changes[1:]]
            t52 += [line.split("'")[1] for c in changes for line in c if line.startswith("8 5 ")]
        params = params.replace(title=f"legacy-wrap regression case {name}")
        write_deck(params, deck, cases=cases)
        files = sorted(p.name for p in folder.iterdir() if p.suffix in (".inp", ".tab"))
        outputs = "\n".join(OUTPUT.format(file=f) for f in t52)
        (folder / "case.toml").write_text(TOML.format(description=description, files=files,
                                                      stem=stem, outputs=outputs))
        print(f"{name}: {deck.name} ({len(cases)} case(s)) -> {', '.join(t52)}")


if __name__ == "__main__":
    main()
