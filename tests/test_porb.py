"""The orbit program porbmn and porb(body): spec ../shared/spec/krc-porb.md.

* the four reference dialogues of the original reproduce its saved block,
  print file and screen text byte for byte (run time masked);
* the 30 values equal the original's at full precision (spec 11.2) and as
  printed for ten bodies (spec 11.1);
* porb() equals the bundled program for every row of the shipped tables the
  spec does not mark broken;
* Params.for_body() sets run through run();
* every refusal of the program, of porb() and of the CLI, with its message.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import REFERENCE, console_script

import legacy_wrap
from legacy_wrap.errors import FileAccessError, FormatError, InputError, LegacyWrapError
from legacy_wrap.krc import Params, bodies, porb, porb_item, run
from legacy_wrap.krc.porb import body_info, catalogue, tables_dir

PORB_REF = REFERENCE / "porb"
SPEC = REFERENCE.parent / "spec" / "krc-porb.md"
TABLES = ("standish.tab", "spinaxis.tab", "minor.tab", "small.tab", "comet.tab", "exoplan.tab")
_TIME = re.compile(r"[0-9]{4} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}")


def mask(text: str) -> str:
    return _TIME.sub("<time>", text)


def porbmn() -> str:
    return str(legacy_wrap.executable_path("porbmn"))


def staged(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        shutil.copy(tables_dir() / name, folder / name)
    return folder


def run_porbmn(folder: Path, answers: str | list[str]) -> subprocess.CompletedProcess:
    text = answers if isinstance(answers, str) else "\n".join(answers) + "\n"
    return subprocess.run([porbmn()], input=text, cwd=folder, capture_output=True, text=True,
                          timeout=60)


def read_blocks(path: Path) -> list[tuple[str, list[float], list[str]]]:
    """(header, 30 values, six records) of each block of a block file."""
    lines = path.read_text().splitlines()
    out = []
    for i in range(0, len(lines), 7):
        recs = lines[i + 1:i + 7]
        vals = [float(r[15 * k:15 * k + 15]) for r in recs for k in range(5)]
        out.append((lines[i], vals, recs))
    return out


# ------------------------------------------------------------- reference dialogues

REF_BODIES = ("mars", "phobos", "bennu", "tempel2")


@pytest.fixture(scope="module")
def porb_reference() -> Path:
    if not PORB_REF.is_dir():
        pytest.skip(f"porbmn reference outputs not found at {PORB_REF}")
    return PORB_REF


@pytest.mark.fidelity
@pytest.mark.parametrize("body", REF_BODIES)
def test_reference_dialogue_reproduces_block_print_file_and_screen(porb_reference, body, tmp_path):
    ref = porb_reference / body
    work = staged(tmp_path / body)
    proc = run_porbmn(work, (ref / "stdin.txt").read_text())
    assert proc.returncode == 0, proc.stderr
    for name in (f"{body}.mat", "porb.prt"):
        assert (work / name).is_file(), f"{name} not written"
        assert mask((work / name).read_text()) == mask((ref / name).read_text()), name
    assert mask(proc.stdout + proc.stderr) == mask((ref / "stdout.txt").read_text())


@pytest.mark.fidelity
def test_shipped_tables_are_the_reference_tables():
    shared = REFERENCE / "tables"
    if not shared.is_dir():
        pytest.skip("reference tables absent")
    for name in TABLES:
        assert (tables_dir() / name).read_bytes() == (shared / name).read_bytes(), name
    assert "Archinal" in (tables_dir() / "SOURCES.md").read_text()


def test_porb_prt_of_an_earlier_run_is_replaced(tmp_path):
    work = staged(tmp_path)
    (work / "porb.prt").write_text("old content\n")
    proc = run_porbmn(work, ["P", "1", "4", "6", "0", "0"])
    assert proc.returncode == 0
    assert "old content" not in (work / "porb.prt").read_text()
    assert "INPUT FILE WAS: Bennu" in (work / "porb.prt").read_text()


def test_terminal_output_puts_the_print_file_on_screen(tmp_path):
    work = staged(tmp_path)
    proc = run_porbmn(work, ["T", "1", "4", "6", "0", "4", "0"])
    assert proc.returncode == 0
    assert not (work / "porb.prt").exists()
    assert "0IFILE IPLAN FILE TITLE TCEN =" in proc.stdout
    assert "IOK,IOS,IOP,IOD=       5       6       6       4" in proc.stdout


def test_block_is_appended_and_read_back_with_its_whole_title(tmp_path):
    work = staged(tmp_path)
    answers = ["P", "1", "1", "4", "0.12", "0", "Phobos", "2", "2", "2", "/",
               "1", "4", "6", "0", "2", "2", "2", "/",
               "2", "1", "2", "/", "4", "0"]
    proc = run_porbmn(work, answers)
    assert proc.returncode == 0, proc.stderr
    blocks = read_blocks(work / "PORBCM.mat")         # the default name
    assert [b[0].split()[-1] for b in blocks] == ["Mars:Phobos", "Bennu"]
    prt = (work / "porb.prt").read_text()
    assert "  ASCII RECORD FROM FILE =PORBCM.mat" in prt
    # the first block is read: the original would say "ars:Phobos"
    objects = [line for line in prt.splitlines() if line.startswith(" Object = ")]
    assert objects == [" Object = Mars:Phobos              "]
    # after a planet, a non-planet gets TC 0, not the planet's epoch
    assert blocks[1][1][1] == 0.0 and blocks[0][1][1] == 0.12


# ------------------------------------------------------------- values

MARS_FULL = {1: 104, 2: 0.10000000000000001, 3: 0.86446649278400645, 4: 0.032269013611689261,
             5: -1.2815860206986778, 6: 0.093401981999999995, 7: 1.5237121870000001,
             8: 0.409092601, 10: 0.9229372643045346, 11: 5.5444017465102533,
             14: 686.99282627658909, 15: 3397.9767435038211, 16: 24.622962155909363,
             18: -1.24031687642379, 19: 0.43970260529872562, 22: 0.32449657148586258,
             23: 0.85591250055347134, 24: 0.40263602234552298, 25: -0.94588687224948864,
             26: 0.29362990445250153, 27: 0.13812857820630145, 29: -0.42567037788354362,
             30: 0.90487829534831987}
BENNU_FULL = {1: 406, 3: 0.03596893552397664, 4: 0.10532955011783818, 5: 1.155810592433101,
              6: 0.20374511461350139, 7: 1.1263910255716441, 8: 0.409092601,
              10: -1.1363838759735079, 11: 1.5121532639278872, 14: 436.64808796955578,
              15: 3894.1421274755949, 16: 0.17906087500000001, 18: 2.28960828092276,
              19: 3.0561267343918246, 22: -0.65849102714325225, 23: 0.74984163751622579,
              24: -0.064242398918546995, 25: 0.75258857762513554, 26: 0.65608754206841236,
              27: -0.056210052222041188, 29: -0.08536191064880358, 30: -0.99635001089495934}


@pytest.mark.parametrize("name, epoch, ref", [("Mars", 0.1, MARS_FULL), ("Bennu", None, BENNU_FULL)])
def test_full_precision_values_equal_the_original_bit_for_bit(name, epoch, ref):
    """Spec 11.2: the original's doubles dumped in full (other values exactly 0)."""
    full = porb(name, epoch).full
    want = np.array([float(ref.get(k, 0.0)) for k in range(1, 31)])
    assert full.view(np.uint64).tolist() == want.view(np.uint64).tolist()


SPEC_COLUMNS = [  # spec 11.1 column -> porb_item arguments
    ((1, 4, 0.1, ""), (1, 3, 0.2, "Moon"), (1, 4, 0.1, "Phobos"), (1, 5, 0.2, "Europa"),
     (4, 13, 0.0, "")),
    ((3, 3, 0.0, ""), (4, 6, 0.0, ""), (5, 1, 0.0, ""), (5, 4, 0.0, ""), (6, 1, 0.0, "")),
]


def _spec_tables() -> list[list[list[str]]]:
    if not SPEC.is_file():
        pytest.skip(f"{SPEC} absent")
    text = SPEC.read_text().split("### 11.1", 1)[1].split("### 11.2", 1)[0]
    tables, rows = [], []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].isdigit():
            rows.append(cells[2:])
        elif rows and not line.startswith("|"):
            tables.append(rows)
            rows = []
    if rows:
        tables.append(rows)
    return tables


@pytest.mark.fidelity
@pytest.mark.parametrize("table", [0, 1])
def test_printed_values_of_ten_bodies_equal_the_spec_table(table):
    rows = _spec_tables()[table]
    assert len(rows) == 30
    for col, args in enumerate(SPEC_COLUMNS[table]):
        r = porb_item(*args)
        printed = [rec[15 * k:15 * k + 15].strip() for rec in r.lines for k in range(5)]
        assert printed == [row[col] for row in rows], (args, r.title)


# Every row of the shipped tables the spec does not mark broken (small.tab 7, 8,
# 10; standish.tab 10 with its own pole), plus the satellites and two epochs.
GOOD_ROWS = ([(1, n, 0.1, "") for n in range(1, 10)] + [(1, 10, 0.1, "Phobos")]
             + [(1, 3, 0.2, "Moon"), (1, 4, 0.12, "Phobos"), (1, 4, 0.2, "Deimos"),
                (1, 5, 0.2, "Io"), (1, 5, 0.2, "Europa"), (1, 5, 0.0, "Ganymede"),
                (1, 5, -0.3, "Callisto"), (1, 6, 0.15, ""), (1, 9, -0.25, ""), (1, 5, 0.2, "Eu")]
             + [(3, n, 0.0, "") for n in range(1, 6)]
             + [(4, n, 0.0, "") for n in (1, 2, 3, 4, 5, 6, 9, 11, 12, 13)]
             + [(5, n, 0.0, "") for n in range(1, 6)]
             + [(6, n, 0.0, "") for n in (1, 2)])


@pytest.fixture(scope="module")
def program_blocks(tmp_path_factory) -> list[tuple[str, list[float], list[str]]]:
    """One porbmn run saving a block of every row of GOOD_ROWS to all.mat."""
    work = staged(tmp_path_factory.mktemp("porb-all"))
    answers = ["P"]
    for src, item, tc, pole in GOOD_ROWS:
        answers += ["1", str(src), str(item)]
        if src == 1:
            answers += [repr(tc), "0", pole or "/"]
        else:
            answers += ["0"]
        answers += ["2", "2", "2", "all.mat"]
    proc = run_porbmn(work, answers + ["0"])
    assert proc.returncode == 0, proc.stderr
    blocks = read_blocks(work / "all.mat")
    assert len(blocks) == len(GOOD_ROWS)
    return blocks


@pytest.mark.parametrize("index", range(len(GOOD_ROWS)),
                         ids=[f"{s}-{n}-{tc}-{p or 'own'}" for s, n, tc, p in GOOD_ROWS])
def test_porb_equals_the_program(program_blocks, index):
    src, item, tc, pole = GOOD_ROWS[index]
    header, values, recs = program_blocks[index]
    r = porb_item(src, item, tc, pole)
    assert r.values.view(np.uint64).tolist() == np.array(values).view(np.uint64).tolist()
    assert list(r.lines) == recs
    assert mask(r.header()) == mask(header)
    assert np.all(np.isfinite(r.full))


@pytest.mark.parametrize("name", bodies())
def test_every_catalogue_name_gives_its_row(name):
    info = body_info(name)
    r = porb(name)
    same = porb_item(info.source, info.item, 0.0, info.pole)
    assert r.values.tolist() == same.values.tolist()
    assert r.name == name and r.source == info.source and r.item == info.item
    assert r.values[0] == 100 * info.source + info.item
    assert 0.0 <= r.obliquity <= 180.0 and r.period > 0


def test_derived_record_of_mars_and_exoplanet():
    mars = porb("Mars", epoch=0.1)
    assert mars.title == "Mars:Mars" and mars.epoch == 0.1
    assert mars.ls_perihelion == pytest.approx(251.065, abs=1e-3)    # spec 5.8 item 9
    assert mars.obliquity == pytest.approx(math.degrees(0.4397026))
    assert mars.rotation_hours == mars.values[15] and mars.period == mars.values[13]
    hd = porb("HD147018b")
    assert hd.ls_perihelion == pytest.approx(45.0, abs=1e-4)          # the table's value
    assert hd.rotation_hours == pytest.approx(12.0)                     # SIDAY in days
    assert porb("Bennu", table="minor").rotation_hours == pytest.approx(4.288)
    assert porb("moon").solar_day == pytest.approx(29.53, abs=0.01)


def test_names_are_case_and_blank_insensitive_and_table_picks_the_row():
    assert porb("tempel2").title == "Tempel 2"
    assert porb("WILD 2").title == "Wild 2"
    assert porb("Ceres").item == 13 and porb("Ceres", table="minor").item == 1
    assert porb("Bennu").item == 6 and porb("Bennu", table=3).title == "1999RQ36"
    assert "Bennu" in bodies() and "SidingSpring" not in bodies()
    assert len(catalogue()) > len(bodies())


def test_block_text_is_deck_ready():
    r = porb("Europa", epoch=0.2)
    text = r.block("2026 Dec  4 03:05:05")
    lines = text.splitlines()
    assert lines[0] == "PORB:2014jun10 2026 Dec  4 03:05:05 IPLAN,TC= 105.0 0.20000 Jupiter:Europa"
    assert len(lines) == 7 and all(len(x) == 75 for x in lines[1:])


def test_porb_is_reentrant_across_threads():
    want = {name: porb(name).full.tobytes() for name in ("Mars", "Bennu", "Tempel 2", "Europa")}
    got: list[bool] = []

    def work() -> None:
        for _ in range(20):
            for name, full in want.items():
                got.append(porb(name).full.tobytes() == full)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 320 and all(got)


# ------------------------------------------------------------- Params.for_body

@pytest.mark.parametrize("name", ["Bennu", "Phobos", "Europa", "Ceres"])
def test_for_body_runs(name):
    p = Params.for_body(name, n5=3, jdisk=3, latitudes=[0.0, 45.0])
    orbit = porb(name)
    assert p.porb.tolist() == orbit.values.tolist()
    assert p.period == orbit.solar_day and p.airless and p.lporb
    assert p.deljul == pytest.approx(orbit.period / 40.0)
    assert orbit.title in p.title
    result = run(p)
    t = result.surface_temperature
    assert t.shape[1:] == (2, 1) and np.all(np.isfinite(t))
    assert 20.0 < t.min() < t.max() < 500.0
    assert t[:, 0].max() > t[:, 0].min() + 1.0       # a diurnal cycle at the equator


def test_for_body_mars_keeps_the_atmosphere_and_moon_is_airless():
    mars = Params.for_body("Mars", epoch=0.1)
    base = Params.mars()
    assert mars.ptotal == base.ptotal and mars.period == base.period and not mars.airless
    assert mars.porb.tolist() == porb("Mars", 0.1).values.tolist()
    assert mars.latitudes.tolist() == base.latitudes.tolist()
    moon = Params.for_body("Moon", alb=0.12)
    assert moon.airless and moon.alb == 0.12 and moon.period == pytest.approx(29.53, abs=0.01)


def test_for_body_errors():
    with pytest.raises(InputError, match="solar day is undefined; give KRC's PERIOD"):
        Params.for_body("Venus")
    assert Params.for_body("Venus", period=116.75).period == 116.75
    with pytest.raises(InputError, match="unknown body 'Bennuu': did you mean Bennu"):
        Params.for_body("Bennuu")
    with pytest.raises(InputError, match="unknown parameter|not a KRC parameter|unknown"):
        Params.for_body("Bennu", no_such_parameter=1)


# ------------------------------------------------------------- porb() errors

@pytest.mark.parametrize("call, error, words", [
    (lambda: porb("Marz"), InputError, "unknown body 'Marz': did you mean Mars?"),
    (lambda: porb("Titan"), InputError, "unknown body 'Titan': legacy_wrap.krc.bodies() lists"),
    (lambda: porb(""), InputError, "body must be a non-empty name"),
    (lambda: porb("SidingSpring"), FormatError, "small.tab item 8 (SidingSpring) is refused: "
                                                "not a closed orbit"),
    (lambda: porb("JupTrojan"), FormatError, "small.tab item 10 (JupTrojan) is refused: its epoch "
                                             "is more than 10,000 years from J2000.0"),
    (lambda: porb("Gliese163c"), FormatError, "exoplan.tab item 3 (Gliese163c) is refused: a "
                                              "value record is empty"),
    (lambda: porb("1P/Halley"), FormatError, "small.tab item 7 (1P) is refused: error reading "
                                             "value (code 7)"),
    (lambda: porb("Bennu", epoch=0.1), InputError, "carries the epoch of its own elements"),
    (lambda: porb("Halley", table="minor"), InputError, "Halley is not in minor.tab: it is in "
                                                        "comet.tab"),
    (lambda: porb("Ceres", table="moons"), InputError, "unknown table 'moons'"),
    (lambda: porb("Mars", epoch=12.0), InputError, "outside (-10, 10) centuries"),
    (lambda: porb("Mars", epoch="soon"), InputError, "epoch must be a number"),
    (lambda: porb_item("small", 1.5), InputError, "item must be an integer"),
    (lambda: porb_item("small", 0), InputError, "item 0 does not exist"),
    (lambda: porb_item("small", 14), FormatError, "small.tab item 14 is refused"),
    (lambda: porb_item("minor", 6), FormatError, "minor.tab item 6 is refused: a value record "
                                                 "is empty"),
    (lambda: porb_item("minor", 1, pole="Io"), InputError, "applies to planets and satellites"),
    (lambda: porb_item("planet", 4, 0.0, "Titan"), InputError, 'pole name "Titan"'),
    (lambda: porb_item("planet", 3, 0.0, "moon"), InputError, 'pole name "moon"'),
    (lambda: porb_item("planet", 10), InputError, 'pole name "Mars"'),
    (lambda: porb_item("planet", 4, 0.0, "Pho bos"), InputError, "pole must be a spin-axis row"),
    (lambda: porb_item("planet", 4, 0.0, "Phobos", tables="/no/such/dir"), FileAccessError,
     "element-table folder /no/such/dir does not exist"),
])
def test_porb_errors(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)
    assert isinstance(info.value, LegacyWrapError)


def test_porb_missing_table_file(tmp_path):
    with pytest.raises(FileAccessError, match="small.tab cannot be opened"):
        porb("Bennu", tables=tmp_path)


# ------------------------------------------------------------- program refusals

REFUSALS = [
    (["P", "1", "4", "7", "0"], 2, "small.tab item 7 (1P) is refused: error reading value"),
    (["P", "1", "4", "8", "0"], 2, "small.tab item 8 (SidingSpring) is refused: not a closed orbit"),
    (["P", "1", "4", "10", "0"], 2, "small.tab item 10 (JupTrojan) is refused: its epoch"),
    (["P", "1", "6", "3", "0"], 2, "exoplan.tab item 3 (Gliese163c) is refused: a value record"),
    (["P", "1", "3", "6", "0"], 2, "minor.tab item 6 is refused: a value record is empty"),
    (["P", "1", "4", "14", "0"], 2, "small.tab item 14 is refused"),
    (["P", "1", "1", "4", "0.1", "0", "Titan"], 2,
     'no spin-axis row of spinaxis.tab from Mars\'s onward starts with the pole name "Titan"'),
    (["P", "1", "1", "3", "0.2", "0", "moon"], 2, 'the pole name "moon" (names are case-sensitive'),
    (["P", "1", "1", "10", "0", "0", "/"], 2, 'starts with the pole name "Mars"'),
    (["P", "1", "2", "1", "0"], 2, "source 2 is not offered"),
    (["P", "1", "7", "1", "0"], 2, "source 7 is not offered"),
    (["P", "1", "4", "0", "0"], 2, "item 0 does not exist"),
    (["P", "1", "1", "4", "0.1", "7"], 3, "debug prints (K /= 0) are not provided"),
    (["P", "2", "2", "2", "x.mat"], 2, "nothing to save: choose a body with option 1"),
    (["P", "1", "4", "6", "0", "2", "2", "1"], 3, "the binary PORBCM.DAT file is not provided"),
    (["P", "1", "4", "6", "0", "2", "1", "2", "none.mat"], 2, "none.mat: cannot be opened"),
    (["P", "3"], 3, "option 3 (ephemeris tables) is not provided"),
    (["P", "1", "1", "4"], 1, 'end of input while answering "?* EPOCH desired'),
]


@pytest.mark.parametrize("answers, code, words", REFUSALS, ids=[w[:40] for _, _, w in REFUSALS])
def test_program_refusals(tmp_path, answers, code, words):
    work = staged(tmp_path)
    proc = run_porbmn(work, answers)
    assert proc.returncode == code
    assert words in proc.stderr
    assert proc.stderr.startswith("porbmn: error: ")
    assert not [p.name for p in work.iterdir() if p.suffix in (".mat", ".DAT")]


def test_program_unreadable_pole_prints_the_original_error_lines(tmp_path):
    proc = run_porbmn(staged(tmp_path), ["P", "1", "1", "4", "0.1", "0", "Titan"])
    assert " PORBEL Error: File was >spinaxis.tab" in proc.stdout
    assert "Reason: EOF looking for target" in proc.stdout


def test_program_missing_tables(tmp_path):
    proc = run_porbmn(tmp_path, ["P", "1", "4", "6", "0"])
    assert proc.returncode == 2
    assert "small.tab cannot be opened (the six element tables must be in the folder" in proc.stderr
    assert "Reason: opening table file" in proc.stdout


def test_program_end_of_input_and_bad_answers(tmp_path):
    work = staged(tmp_path)
    assert run_porbmn(work, "").returncode == 0
    assert run_porbmn(work, ["P"]).returncode == 0            # end of input at the menu
    # an unreadable answer asks again; '/' keeps the default; 9 at the menu asks again
    proc = run_porbmn(work, ["P", "9", "x", "1", "4", "abc", "6", "/", "2", "2", "2", "b.mat", "0"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("  ?* WHICH item in file.") == 2
    assert read_blocks(work / "b.mat")[0][0].endswith(" Bennu")


def test_python_dialogue_writes_the_programs_blocks(tmp_path):
    answers = ["P", "1", "1", "4", "0.12", "0", "Phobos", "2", "2", "2", "b.mat",
               "1", "5", "1", "0", "2", "2", "2", "b.mat", "0"]
    a = staged(tmp_path / "fortran")
    assert run_porbmn(a, answers).returncode == 0
    b = staged(tmp_path / "python")
    proc = subprocess.run([sys.executable, "-P", "-c",
                           "import sys; from legacy_wrap.krc.porb import dialogue; "
                           "sys.exit(dialogue([]))"], input="\n".join(answers) + "\n", cwd=b,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert mask((a / "b.mat").read_text()) == mask((b / "b.mat").read_text())
    bad = subprocess.run([sys.executable, "-P", "-c",
                          "import sys; from legacy_wrap.krc.porb import dialogue; "
                          "sys.exit(dialogue([]))"], input="P\n1\n4\n8\n0\n", cwd=b,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "SidingSpring) is refused" in bad.stderr


# ------------------------------------------------------------- CLI

def test_cli_porb_prints_the_block(tmp_path):
    exe = console_script("legacy-wrap")
    proc = subprocess.run([exe, "porb", "Phobos", "--epoch", "0.12"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert mask(proc.stdout) == mask(porb("Phobos", 0.12).block())
    assert proc.stdout.splitlines()[0].endswith("IPLAN,TC= 104.0 0.12000 Mars:Phobos")
    info = subprocess.run([exe, "porb", "Bennu", "--info"], capture_output=True, text=True,
                          timeout=60)
    assert "obliquity       175.1032 deg" in info.stdout
    listing = subprocess.run([exe, "porb", "--list"], capture_output=True, text=True, timeout=60)
    assert [line.split()[0] for line in listing.stdout.splitlines()][:4] == bodies()[:4]


@pytest.mark.parametrize("args, words", [
    (["porb", "Bennuu"], "legacy-wrap: error: unknown body 'Bennuu': did you mean Bennu"),
    (["porb"], "legacy-wrap: error: name a body"),
    (["porb", "Bennu", "--epoch", "0.1"], "carries the epoch of its own elements"),
    (["porb", "SidingSpring"], "is refused: not a closed orbit"),
])
def test_cli_porb_errors(args, words):
    proc = subprocess.run([console_script("legacy-wrap"), *args], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1
    assert words in proc.stderr
    assert proc.stdout == ""
