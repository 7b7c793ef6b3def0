"""Far-field files (KRC's changes 8 21 / 8 3 / 8 4).

Fidelity: the f1 pairs of the reference ladder -- a flat airless writer and
its sloped reader (aflat/aslope), and the same with an atmosphere
(f1flat/f1slope) -- through the Python path: the flat run writes our
(compact) file, the sloped run reads it.  The original program's own files
(stored gzipped; unpacked into a temporary folder here and deleted) read
the same, and our "krc" layout writes them byte for byte.  Then the season
mapping of the file dates, float32 files and every refusal.
Facts: ../shared/spec/krc-farfield-climate.md Part A.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import bin5
from legacy_wrap.errors import FileAccessError, InputError
from legacy_wrap.krc import Params, read_deck, run
from legacy_wrap.krc import farfield as ffm
from legacy_wrap.krc.farfield import FarField, read_far_field, write_far_field

from conftest import unpack_far_field, REFERENCE

F1 = REFERENCE / "ladder" / "f1"
ITEMS = ["surface T", "planetary T", "atmosphere T", "down visible", "down IR", "item 6", "item 7"]
#: Words of one record of the original's layout (A2): 86400 hours x 37 latitudes.
NH = 86400 * 37


def _case(name: str):
    deck = F1 / f"{name}.inp"
    if not deck.is_file():
        pytest.skip(f"reference deck f1/{name} not found under {REFERENCE}")
    return read_deck(deck).cases[0]


def _ref_items(name: str, nsout: int) -> np.ndarray:
    cube, _ = bin5.read(F1 / f"{name}.t52")
    ndx = int(cube[2, 0, 0, 0, 0])
    return cube[:, :, :, ndx:ndx + nsout, 0]


def _differing(r, name: str) -> dict[str, tuple[int, float]]:
    ref = _ref_items(name, r.hourly.shape[3])
    out = {}
    for item, label in enumerate(ITEMS):
        if not np.array_equal(r.hourly[:, item], ref[:, item]):
            d = np.abs(r.hourly[:, item] - ref[:, item])
            out[label] = (int(np.count_nonzero(d)), float(d.max()))
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Our compact far-field files of the two flat decks (the runs checked too)."""
    folder = tmp_path_factory.mktemp("farfield")
    files = {}
    for flat in ("aflat", "f1flat"):
        case = _case(flat)
        path = folder / f"{flat}.ff"
        r = run(case.params, far_field_out=path)
        files[flat] = (path, r)
    return files


@pytest.mark.fidelity
@pytest.mark.parametrize("flat", ["aflat", "f1flat"])
def test_flat_writers_are_bit_identical(written, flat):
    path, r = written[flat]
    assert _differing(r, flat) == {}
    ff = read_far_field(path)
    assert ff.layout == "compact" and ff.kind == (1 if flat == "aflat" else 3)
    assert ff.seasons == 5 and ff.word_size == 8
    # Spec D: FD(87) of the file is the first stored date (DJUL + 3 DELJUL).
    assert (round(ff.first_date, 6), ff.deljul, ff.year) == (-707.445325, 171.748225, 686.9929)
    for k in range(ff.kind):
        assert np.array_equal(ff.data[:, :, :, k], np.transpose(r.hourly[:, k], (0, 1, 2)))


@pytest.mark.fidelity
def test_airless_slope_reading_our_file_is_bit_identical(written):
    """aslope: the far field changes T_s by kelvins against self-heating;
    every item equals the original bit for bit."""
    path, _ = written["aflat"]
    case = _case("aslope")
    r = run(case.params, far_field_in=path)
    assert _differing(r, "aslope") == {}
    # Spec D: season 1, latitude -25, TSF hours 12 and 24.
    assert r.surface_temperature[11, 0, 0] == 294.46621160787635
    assert r.surface_temperature[23, 0, 0] == 189.02024216717268
    # ... and without the file the slope heats itself instead.
    alone = run(case.params)
    assert alone.surface_temperature[11, 0, 0] == 294.92261729977713


@pytest.mark.fidelity
def test_atmosphere_slope_reading_our_file(written):
    """f1slope (a sloped run with an atmosphere reading the flat run's file):
    every item bit-identical to the original, T_a from the file included."""
    path, _ = written["f1flat"]
    case = _case("f1slope")
    r = run(case.params, far_field_in=path)
    assert _differing(r, "f1slope") == {}
    assert r.atmosphere_temperature[11, 0, 0] == 209.94540799178392


@pytest.mark.fidelity
@pytest.mark.parametrize("flat,slope,ext", [("aflat", "aslope", "tm1"),
                                            ("f1flat", "f1slope", "tm3")])
def test_original_file_reads_as_our_file(written, tmp_path, flat, slope, ext):
    """A file the original wrote (25.6 MB records) gives the same data and
    the same bits in the sloped run as our own file."""
    orig = unpack_far_field(f"{flat}.{ext}", tmp_path)
    try:
        theirs = read_far_field(orig)
        ours = read_far_field(written[flat][0])
        assert theirs.layout == "krc" and theirs.seasons == ours.seasons == 5
        assert np.array_equal(theirs.data, ours.data)
        assert np.array_equal(theirs.latitudes, ours.latitudes)
        params = _case(slope).params
        a = run(params, far_field_in=theirs)
        b = run(params, far_field_in=written[flat][0])
        assert np.array_equal(a.hourly, b.hourly)
    finally:
        orig.unlink()


@pytest.mark.fidelity
def test_krc_layout_is_byte_identical_to_the_original(tmp_path):
    """Our "krc" layout writes the original's file byte for byte (given the
    run-time text the original stored in its common)."""
    case = _case("aflat")
    cube, _ = bin5.read(F1 / "aflat.t52")
    common = np.ravel(cube[..., 0], order="F")[4:218].tobytes()
    runtime = common[1684:1704].decode("ascii")
    r = run(case.params)
    ours = write_far_field(tmp_path / "ours.tm1", r, layout="krc", runtime=runtime)
    orig = unpack_far_field("aflat.tm1", tmp_path)
    try:
        assert ours.stat().st_size == orig.stat().st_size == 6 * 8 * NH
        with open(ours, "rb") as fa, open(orig, "rb") as fb:
            assert fa.read(1712) == fb.read(1712) == common
            while True:
                x, y = fa.read(1 << 24), fb.read(1 << 24)
                assert x == y
                if not x:
                    break
    finally:
        orig.unlink()
        ours.unlink()


def test_float32_files(tmp_path):
    """ID24 = 4: records of float32 (the doubles rounded to nearest), 4*NH
    bytes each in the original layout, record 1 still float64."""
    case = _case("aflat")
    p = case.params.replace(id24=4)
    r = run(p, far_field_out=tmp_path / "c.ff")
    write_far_field(tmp_path / "k.ff", r, layout="krc")
    c, k = read_far_field(tmp_path / "c.ff"), read_far_field(tmp_path / "k.ff")
    assert c.word_size == k.word_size == 4
    assert (tmp_path / "k.ff").stat().st_size == 6 * 4 * NH
    expect = r.hourly[:, 0].astype(np.float32).astype(np.float64)
    assert np.array_equal(c.data[:, :, :, 0], expect) and np.array_equal(k.data, c.data)
    assert not np.array_equal(expect, r.hourly[:, 0])
    slope = _case("aslope").params
    a, b = run(slope, far_field_in=c), run(slope, far_field_in=k)
    assert np.array_equal(a.hourly, b.hourly)


def test_files_of_2_gib_and_more_are_read(tmp_path):
    """A5 bug 1 is not reproduced: an 86-record float64 file (2 199 398 400
    bytes; the original's 32-bit size wraps negative) reads with all its
    85 seasons.  The file is extended sparsely (zeros, no disk space)."""
    case = _case("aflat")
    r = run(case.params)
    path = write_far_field(tmp_path / "big.tm1", r, layout="krc")
    try:
        with open(path, "r+b") as f:
            f.truncate(86 * 8 * NH)
        assert path.stat().st_size == 2_199_398_400 > 2**31
        ff = read_far_field(path)
        assert ff.seasons == 85
        assert np.array_equal(ff.data[:, :, :5, 0], r.hourly[:, 0])
        assert not ff.data[:, :, 5:].any()
    finally:
        path.unlink()


def _synthetic(ns: int, deljul: float, year: float, first: float, *, n24: int = 24,
               lat=(0.0,), kind: int = 3, emis: float = 0.95) -> FarField:
    h = np.arange(1, n24 + 1)[:, None, None, None]
    s = np.arange(ns)[None, None, :, None]
    k = np.arange(kind)[None, None, None, :]
    data = 190.0 + 7.0 * s + 3.0 * k + 10.0 * np.sin(2 * np.pi * h / n24) + 0.0 * np.zeros(
        (1, len(lat), 1, 1))
    return FarField(path=Path("synthetic"), layout="compact", kind=kind, word_size=8,
                    latitudes=np.array(lat, dtype=float), emissivity=emis, slope=0.0,
                    deljul=deljul, year=year, first_date=first, year_guessed=False,
                    data=np.asfortranarray(data))


def _mars1(**changes) -> Params:
    base = dict(n1=20, n2=768, n3=3, n4=1, n5=3, n24=24, jdisk=1, kpref=0, latitudes=[0.0],
                elevations=[0.0], slope=20.0, sloazi=180.0)
    base.update(changes)
    return Params.mars().replace(**base)


def test_season_mapping_of_the_file_dates():
    """A3.1 item 4, A5 bug 5: a 3-season file at 4 seasons per year read at
    its first date + 0.5, 1.5 and 2.5 seasons maps to (a, f, b) = (3, 0.25, 1),
    (3, 0.75, 1), (1, 0.5, 2) (spec D), seen in the stored T_a exactly."""
    dj = 171.748225
    ff = _synthetic(3, dj, 4 * dj, 100.0)
    r = run(_mars1(deljul=dj, djul=100.0 + 0.5 * dj), far_field_in=ff)
    ta = ff.data[:, 0, :, 2]
    d1 = 100.0 - 2 * dj
    dn, d2 = d1 + 2 * dj, d1 + 4 * dj
    for season, (a, f, b) in enumerate([(3, 0.25, 1), (3, 0.75, 1), (1, 0.5, 2)]):
        t = 100.0 + (season + 0.5) * dj
        if t > max(d2, dn):                      # A3.2 item 1: into the sampled year
            t -= int((t - d1) / (4 * dj)) * (4 * dj)
        x = (t - d1) / dj
        w = (t - dn) / (d2 - dn) if int(x) >= 2 else x - int(x)
        assert abs(w - f) < 1e-12
        expect = (1.0 - w) * ta[:, a - 1] + w * ta[:, b - 1]
        assert np.array_equal(r.atmosphere_temperature[:, 0, season], expect), season
    # T_p: the stale T_a^4 of a fresh run is 0 (A3.4 bug 2).
    assert np.all(r.planetary_temperature < r.surface_temperature)


def test_stale_ta4_enters_only_the_planetary_temperature(written):
    """A3.4 bug 2: T_p of a far-field case uses the T_a^4 left by the last
    integrated atmosphere step of the run (0 in a fresh run); nothing else
    depends on it."""
    path, flat = written["f1flat"]
    assert flat.last_ta4 > 0.0
    params = _case("f1slope").params
    fresh = run(params, far_field_in=path)
    after = run(params, far_field_in=path, stale_ta4=flat.last_ta4)
    assert after.last_ta4 == flat.last_ta4        # not integrated: carried through
    for item in (0, 2, 3, 4, 5, 6):
        assert np.array_equal(fresh.hourly[:, item], after.hourly[:, item])
    assert np.all(after.planetary_temperature > fresh.planetary_temperature)


def test_far_field_changes_a_flat_case_too():
    """A3.4 holds at slope 0: full-hemisphere emission plus R = 0 (Omega = 1)
    still replaces the integrated atmosphere by the file's T_a."""
    ff = _synthetic(4, 171.748225, 686.9929, 0.0)
    p = _mars1(slope=0.0, djul=0.0, deljul=171.748225)
    assert not np.array_equal(run(p, far_field_in=ff).atmosphere_temperature,
                              run(p).atmosphere_temperature)


# ---------------------------------------------------------------- refusals

def _refuse(match: str, params: Params, **kw) -> None:
    with pytest.raises(InputError, match=match):
        run(params, **kw)


def test_refuses_n2_over_32_n24():
    ff = _synthetic(4, 171.748225, 686.9929, 0.0)
    _refuse(r"N2/N24 = 64 > 32 .*0 K for the rest of the sol.*N2 <= 768", _mars1(n2=1536),
            far_field_in=ff)


def test_refuses_n2_equal_n24():
    ff = _synthetic(4, 171.748225, 686.9929, 0.0, n24=768)
    _refuse(r"N2 = N24 = 768 .*as if they were fluxes", _mars1(n24=768), far_field_in=ff)


def test_refuses_n2_not_a_multiple():
    ff = _synthetic(4, 171.748225, 686.9929, 0.0, n24=24)
    # Params.check() refuses it for every case now, before the far-field check
    _refuse(r"N2 = 780 time steps per sol is not a multiple of N24 = 24 stored hours",
            _mars1(n2=780), far_field_in=ff)


def test_refuses_the_step_cap():
    ff = _synthetic(2, 171.748225, 686.9929, 0.0, n24=200, kind=1)
    _refuse(r"N2 = 6400 .*caps N2 at 6144.*set N2 <= 6144",
            _mars1(n2=6400, n24=200, ptotal=0.5, n3=1, n5=1), far_field_in=ff)


def test_refuses_a_latitude_mismatch():
    ff = _synthetic(4, 171.748225, 686.9929, 0.0, lat=(0.2,))
    _refuse(r"latitude +0.000 .*not within 0.1 deg .*error 38", _mars1(), far_field_in=ff)


def test_refuses_a_size_mismatch():
    ff = _synthetic(4, 171.748225, 686.9929, 0.0, lat=(0.0, 10.0))
    _refuse(r"N4 = 2, N24 = 24 but the case N4 = 1, N24 = 24 .*ends the whole run",
            _mars1(), far_field_in=ff)
    ff = _synthetic(4, 171.748225, 686.9929, 0.0, n24=48)
    _refuse(r"N4 = 1, N24 = 48 but the case N4 = 1, N24 = 24", _mars1(), far_field_in=ff)


def test_refuses_an_atmosphere_without_far_field_ta():
    ff = _synthetic(4, 171.748225, 686.9929, 0.0, kind=1)
    _refuse(r"kind -1 and no 8 4 file supplies T_a .*need fff atmosphere", _mars1(),
            far_field_in=ff)
    # ... which an airless case does not need.
    run(_mars1(ptotal=0.5), far_field_in=ff)


def test_atmosphere_file_rules():
    surf = _synthetic(4, 171.748225, 686.9929, 0.0, kind=1)
    atm = _synthetic(4, 171.748225, 686.9929, 0.0, kind=2)
    _refuse(r"atmosphere file \(8 4\) is of kind -2: only a kind -3", _mars1(),
            far_field_in=surf, far_field_atmosphere=atm)
    _refuse(r"read only with a far-field surface file \(8 3\)", _mars1(),
            far_field_atmosphere=_synthetic(4, 171.748225, 686.9929, 0.0))
    # A kind -3 atmosphere file supplies T_a to a kind -1 surface file.  (The
    # case starts at the file's first date, which the original's grid takes
    # for its last: A5 bug 5, harmless only for one-year-plus-one files.)
    atm3 = _synthetic(4, 171.748225, 686.9929, 0.0)
    r = run(_mars1(djul=0.0, deljul=171.748225), far_field_in=surf, far_field_atmosphere=atm3)
    # (the weight of season 1 is (0 - D_N)/(D_2 - D_N) with D_N = D_1 + 3 DELJUL: a
    # rounding residue, not 0, so the check is to 1e-9 K; surf's values are 6 K off)
    assert np.abs(r.atmosphere_temperature[:, 0, 0] - atm3.data[:, 0, 3, 2]).max() < 1e-9


def test_writer_refusals_write_nothing(tmp_path):
    p = _mars1(ptotal=0.5, n5=1, n3=1, k4out=-1)
    existing = tmp_path / "there.ff"
    existing.write_bytes(b"keep")
    _refuse(r"exists already: KRC never overwrites", p, far_field_out=existing)
    assert existing.read_bytes() == b"keep"
    target = tmp_path / "new.ff"
    _refuse(r"K4OUT = 52: a far-field file needs K4OUT -1 .*2 17 -3", p.replace(k4out=52),
            far_field_out=target)
    _refuse(r"far_field_layout = 'big': choose one of", p, far_field_out=target,
            far_field_layout="big")
    assert not target.exists()
    with pytest.raises(FileAccessError, match="does not exist"):
        run(p, far_field_out=tmp_path / "nodir" / "x.ff")


def test_reader_refusals(tmp_path):
    with pytest.raises(FileAccessError, match="does not exist"):
        read_far_field(tmp_path / "none.ff")
    junk = tmp_path / "junk.ff"
    junk.write_bytes(bytes(4000))
    with pytest.raises(InputError, match=r"K4OUT = 0 in its header: not a far-field file"):
        read_far_field(junk)
    p = _mars1(ptotal=0.5, n5=2, n3=1, k4out=-1)
    good = tmp_path / "good.ff"
    run(p, far_field_out=good)
    cut = tmp_path / "cut.ff"
    cut.write_bytes(good.read_bytes()[:-8])
    with pytest.raises(InputError, match="size disagrees with its header"):
        read_far_field(cut)
    with pytest.raises(InputError, match="far_field_in must be a far-field file name"):
        run(p, far_field_in=42)


def test_old_files_warn_about_the_year(tmp_path):
    ff = _synthetic(3, 171.748225, 0.0, 0.0, kind=1)
    object.__setattr__(ff, "year_guessed", True)
    object.__setattr__(ff, "year", 2 * 171.748225)
    with pytest.warns(UserWarning, match="days/year uncertain"):
        run(_mars1(ptotal=0.5, djul=0.0, deljul=171.748225), far_field_in=ff)


def test_a_year_that_is_not_whole_seasons_warns():
    ff = _synthetic(3, 171.748225, 4.5 * 171.748225, 0.0, kind=1)
    with pytest.warns(UserWarning, match="is not within 0.01 of an integer"):
        run(_mars1(ptotal=0.5, djul=0.0, deljul=171.748225), far_field_in=ff)


def test_layout_names():
    assert set(ffm.LAYOUTS) == {"compact", "krc"}


def _patched(src: Path, dst: Path, offset: int, value: bytes) -> Path:
    raw = bytearray(src.read_bytes())
    raw[offset:offset + len(value)] = value
    dst.write_bytes(bytes(raw))
    return dst


def test_corrupt_headers_are_refused(tmp_path):
    """Every check of the Fortran reader (krc_farfield::ff_header)."""
    p = _mars1(ptotal=0.5, n5=2, n3=1, k4out=-1)
    good = tmp_path / "good.ff"
    r = run(p, far_field_out=good)
    id_at = 40 + 170 * 8                   # ID(1) in the compact layout
    cases = {
        "short": (b"", "too short for a parameter common"),
        "n4": (_patched(good, tmp_path / "n4.ff", id_at + 3 * 4, np.int32(99).tobytes()),
               "N4 = 99, N24 = 24 in its header are out of range"),
        "hdr": (_patched(good, tmp_path / "hdr.ff", 8, np.int32(2).tobytes()),
                "inconsistent compact header"),
        "deljul": (_patched(good, tmp_path / "dj.ff", 40 + 41 * 8, np.float64(0.0).tobytes()),
                   r"DELJUL = 0\.0* in its header: a season step must be positive"),
    }
    short = tmp_path / "short.ff"
    short.write_bytes(good.read_bytes()[:1000])
    cases["short"] = (short, cases["short"][1])
    for name, (path, match) in cases.items():
        with pytest.raises(InputError, match=match):
            read_far_field(path)
    # The original's layout: a header-only file, and a cut last record.
    krc = write_far_field(tmp_path / "k.tm1", r, layout="krc")
    head = tmp_path / "head.tm1"
    with open(krc, "rb") as f:
        head.write_bytes(f.read(8 * NH))
    with pytest.raises(InputError, match="holds no complete season record"):
        read_far_field(head)
    with open(krc, "r+b") as f:
        f.truncate(3 * 8 * NH - 1000)
    with pytest.raises(InputError, match=r"last record is incomplete \(truncated\?\)"):
        read_far_field(krc)


def test_core_writer_and_array_checks(tmp_path):
    """The bind layer's own checks (reached when the Python checks are bypassed)."""
    from legacy_wrap import _krccore
    data = np.zeros((24, 1, 2, 1), order="F")
    status, message = _krccore.krc_ff_write(str(tmp_path / "x.ff"), 5, 8, np.zeros(214), data)
    assert status != 0 and b"layout 5" in message
    status, message = _krccore.krc_ff_write(str(tmp_path / "no" / "x.ff"), 0, 8, np.zeros(214),
                                            data)
    assert status != 0 and b"cannot be created" in message
    assert not (tmp_path / "x.ff").exists()
    ff = _synthetic(4, 171.748225, 686.9929, 0.0, kind=3)
    bad = FarField(**{**ff.__dict__, "kind": 2})
    with pytest.raises(InputError, match="disagree with the data shape"):
        run(_mars1(), far_field_in=bad)
    zero = FarField(**{**ff.__dict__, "deljul": 0.0})
    with pytest.raises(InputError, match="DELJUL and the year length must be positive"):
        run(_mars1(), far_field_in=zero)
