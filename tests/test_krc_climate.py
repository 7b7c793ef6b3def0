"""The climate opacity file (KRC's change 8 24, KVTAU = 2).

Fidelity: c1 (the shipped THEMIS dust/ice climatology, six latitudes from
-88 to 85 with elevations) and c1t (a crafted file that hits both clamps)
against the original's type-52 files.  Then the float32 interpolation of
spec B2 against the values of the spec's table, and the refusals.
Facts: ../shared/spec/krc-farfield-climate.md Part B.
"""

from __future__ import annotations

import numpy as np
import pytest

from legacy_wrap import bin5
from legacy_wrap.errors import FileAccessError, InputError
from legacy_wrap.krc import read_deck, run
from legacy_wrap.krc import climate as clim

from conftest import REFERENCE

C1 = REFERENCE / "ladder" / "c1"
THEMIS = REFERENCE / "tables" / "THEMIS1yearDustIce.bin5"
ITEMS = ["surface T", "planetary T", "atmosphere T", "down visible", "down IR", "item 6", "item 7"]


def _reference(name: str):
    if not (C1 / f"{name}.t52").is_file():
        pytest.skip(f"reference deck c1/{name} not found under {REFERENCE}")
    cube, _ = bin5.read(C1 / f"{name}.t52")
    return read_deck(C1 / f"{name}.inp").cases[0], cube


@pytest.mark.fidelity
@pytest.mark.parametrize("name", ["c1", "c1t"])
def test_climate_decks_are_bit_identical(name):
    """Every hourly item, the per-season words (date, Ls, pressure, the deck's
    TAUD, global frost) and the opacities of the stored common (FD 73-75, 86:
    the last latitude of season JDISK) equal the original's bit for bit."""
    case, cube = _reference(name)
    assert 24 in case.files, "the deck names its climate file on an 8 24 line"
    r = run(case.params, climate=C1 / case.files[24])
    nsout = r.surface_temperature.shape[2]
    ndx = int(cube[2, 0, 0, 0, 0])
    ref = cube[:, :, :, ndx:ndx + nsout, 0]
    for item, label in enumerate(ITEMS):
        diff = np.abs(r.hourly[:, item] - ref[:, item])
        assert np.array_equal(r.hourly[:, item], ref[:, item]), (
            f"{name} {label}: {np.count_nonzero(diff)} values differ, max {diff.max():.3e}")
    words = np.ravel(cube[..., 0], order="F")
    for k, got in enumerate([r.date, r.ls, r.pressure, r.dust_opacity, r.global_frost]):
        np.testing.assert_array_equal(got, words[218 + k * nsout:218 + (k + 1) * nsout])
    # B4: the type-52 TAUD words hold the deck's TAUD, not the file's.
    assert np.all(r.dust_opacity == case.params.taud)
    for fd in (73, 74, 75, 86):
        assert r.fd_snapshot[fd - 1] == words[4 + fd - 1], f"FD({fd})"


def test_climate_changes_the_result():
    """Without the file the same deck differs (else the test above proves nothing)."""
    case, cube = _reference("c1")
    r = run(case.params)
    ndx = int(cube[2, 0, 0, 0, 0])
    assert not np.array_equal(r.hourly[:, 0], cube[:, 0, :, ndx:ndx + r.hourly.shape[3], 0])


# Spec Part D: (Ls float32, latitude) -> dust, ice printed to 9 digits.
B2_VALUES = [
    (23.3185329, -45.0, 0.0553988554, 0.0236020051),
    (355.546387, 85.0, 0.0137686329, 0.00184416177),
    (0.0, -88.0, 0.0214382298, 0.0059331879),
    (185.560867, 22.5, 0.110938028, 0.0293190144),
    (270.0, 0.0, 0.323000014, 0.0167999994),
    (352.5, 2.5, 0.219334513, 0.0408318825),
]


@pytest.mark.parametrize("ls,lat,dust,ice", B2_VALUES)
def test_interpolation_matches_the_spec_table(ls, lat, dust, ice):
    if not THEMIS.is_file():
        pytest.skip(f"{THEMIS} not found")
    d = clim.read_climate(THEMIS)
    got = clim.opacities(d, float(np.float32(ls)), lat)
    # float32 results: equal to the printed 9 significant digits.
    assert f"{np.float32(got[0]):.9g}" == f"{dust:.9g}"
    assert f"{np.float32(got[1]):.9g}" == f"{ice:.9g}"


def test_clamps_are_reproduced():
    """No wrap in Ls (column 72 never contributes), latitudes above 82.5 use
    row 35 (row 36 never contributes), below -87.5 row 1."""
    d = np.zeros(clim.CLIMATE_SHAPE, dtype=np.float32)
    d[71, :, 0] = 100.0       # Ls 355 column
    d[:, 35, 1] = 100.0       # latitude 87.5 row
    d[70, 17, 0] = 0.5        # Ls 350, latitude -2.5
    dust, _ = clim.opacities(d, 359.9, -2.5)
    f = np.float32(70.99990081787109) - np.float32(70.0)
    assert dust == float(np.float32(np.float32(1.0) - f) * np.float32(0.0) + f * np.float32(0.5))
    _, ice = clim.opacities(d, 100.0, 89.9)
    assert ice < 1e-2            # ~ 100 * 0.0001 from the clamp, not ~ 100
    d[:, 0, 1] = 0.25
    _, ice = clim.opacities(d, 100.0, -90.0)
    assert ice == 0.25


def test_short_and_odd_files_follow_krc(tmp_path):
    """The header's dimensions do not matter, only the byte count: a shorter
    array fills D from the start, the rest is zero."""
    p = tmp_path / "short.bin5"
    bin5.write(p, np.full((72, 10), 0.5, dtype=np.float32))
    d = clim.read_climate(p)
    assert d.shape == (72, 36, 2) and d.dtype == np.float32
    assert np.all(d[:, :10, 0] == 0.5) and np.all(d[:, 10:, :] == 0.0)


def test_refusals(tmp_path):
    big = tmp_path / "big.bin5"
    bin5.write(big, np.zeros((72, 36, 3), dtype=np.float32))
    with pytest.raises(InputError, match="more than the 20736 .*error 434"):
        clim.read_climate(big)
    with pytest.raises(FileAccessError, match="does not exist"):
        clim.read_climate(tmp_path / "none.bin5")
    bad = tmp_path / "bad.bin5"
    bad.write_bytes(b"not a bin5 file" * 40)
    with pytest.raises(InputError, match="not a valid bin5 file"):
        clim.read_climate(bad)
    with pytest.raises(InputError, match=r"shape \(72, 36, 2\)"):
        clim.climate_array(np.zeros((72, 36)))
    with pytest.raises(InputError, match="non-finite"):
        clim.climate_array(np.full((72, 36, 2), np.nan))
    from legacy_wrap.krc import Params
    p = Params.mars().replace(n4=1, latitudes=[0.0], elevations=[0.0], n5=1, jdisk=1)
    with pytest.raises(InputError, match="give only one"):
        run(p, climate=np.zeros((72, 36, 2)), opacity_table=[[0.0, 0.3]])


def test_airless_case_ignores_the_file():
    """B3: without an atmosphere the file is not consulted."""
    from legacy_wrap.krc import Params
    p = Params.mars().replace(n4=1, latitudes=[10.0], elevations=[0.0], n5=2, jdisk=1,
                              ptotal=0.5)
    d = np.full((72, 36, 2), 0.7, dtype=np.float32)
    assert np.array_equal(run(p).hourly, run(p, climate=d).hourly)


def _fortran_read(path):
    from legacy_wrap import _krccore
    d, status, message = _krccore.krc_climate_read(str(path))
    return d, status, message.decode("ascii", "replace").strip()


@pytest.mark.parametrize("name", ["THEMIS1yearDustIce.bin5", "c1test.bin5", "short"])
def test_fortran_reader_equals_the_python_reader(tmp_path, name):
    """The legacy program's reader (fortran/krc_climate_file.f90, C bin5 library
    from Fortran) gives the same array as read_climate (cffi)."""
    if name == "short":
        path = tmp_path / "short.bin5"
        bin5.write(path, np.arange(100, dtype=np.float64))   # 800 bytes read as float32
    else:
        path = C1 / name
        if not path.is_file():
            pytest.skip(f"{path} not found")
    d, status, message = _fortran_read(path)
    assert status == 0, message
    assert np.array_equal(d, clim.read_climate(path), equal_nan=True)
    assert d.flags.f_contiguous and d.shape == (72, 36, 2)


def test_fortran_reader_refusals(tmp_path):
    d, status, message = _fortran_read(tmp_path / "none.bin5")
    assert status != 0 and "cannot open" in message and "error 434" in message
    assert not d.any()
    bad = tmp_path / "bad.bin5"
    bad.write_bytes(b"not a bin5 file" * 40)
    _, status, message = _fortran_read(bad)
    assert status != 0 and "error 434" in message and "bad.bin5: not a bin5 file" in message
    big = tmp_path / "big.bin5"
    bin5.write(big, np.zeros((72, 36, 3), dtype=np.float32))
    d, status, message = _fortran_read(big)
    assert status != 0 and "31104 bytes of data, more than the 20736" in message
    assert not d.any()
