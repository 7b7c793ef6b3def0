"""Fuzz campaign: mutated bin5 files and KRC decks through every front door.

A seeded mutator (``random.Random``, seed ``LEGACY_WRAP_FUZZ_SEED``, default
19) damages

* our own bin5 files (every type, both byte orders, short and long header
  text) and the reference type-52 files (``../shared/krc-reference``, skipped
  where absent), read by ``legacy_wrap.bin5`` and by the C ``bin5tool``, and
  odd inputs written by ``bin5.write`` (ragged lists, NUL in the name, FIFOs,
  folders, dangling links);
* the reference decks, read by ``legacy_wrap.krc.read_deck`` and run by the
  legacy ``krc`` program.

The outcome classes asserted (not the messages, which belong to the readers):
no crash or signal, no Fortran runtime error, no hang (a timeout per run), only
the package's own exceptions (``LegacyWrapError``), exit codes the README
documents (``krc`` 0-3, ``bin5tool`` 0-1), a file that reads without error is
exactly as long as its header says, and no temporary file is left after a
refusal (a deck the program refuses with exit 2 leaves nothing at all).

The Python readers run in a child process that reports each case as it
goes, so that a crash names its case instead of ending the test session.
``make test`` runs a few thousand cases (``LEGACY_WRAP_FUZZ_SCALE`` 1);
``make fuzz`` runs twenty times as many.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from legacy_wrap import bin5
from legacy_wrap._resources import executable_path

from conftest import REFERENCE

SCALE = float(os.environ.get("LEGACY_WRAP_FUZZ_SCALE", "1"))
SEED = int(os.environ.get("LEGACY_WRAP_FUZZ_SEED", "19"))
N_BIN5 = int(10000 * SCALE)        # mutated bin5 files read by the library
N_TOOL = int(300 * SCALE)         # ... of which also read by the C tool
N_WRITE = int(1000 * SCALE)        # odd writes
N_DECK = int(5000 * SCALE)        # mutated decks read by read_deck
N_PROGRAM = int(400 * SCALE)      # ... of which also run by the legacy program
RUN_TIMEOUT = 60.0                # a run longer than this is a hang
#: a mutated deck whose estimated cost exceeds the original's this many times is
#: only read, not run (a run of many more seasons is not a hang)
COST_RATIO = 8.0
LONG_RUN_TIMEOUT = 5.0
#: the reference decks that take seconds (not run by the program here)
SLOW_DECKS = {"master", "mastes", "mastes_t52"}

DATE = "SIZE  2026 Jan 01 00:00:00  "
FATAL = re.compile(r"Fortran runtime (error|warning)|Error termination|Program received "
                   r"signal|Segmentation fault|Backtrace for this error|double free|"
                   r"AddressSanitizer|Traceback \(most recent call last\)")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


# --------------------------------------------------------------------------- the worker

WORKER = r'''
import json, os, sys
import numpy as np
from legacy_wrap import bin5
from legacy_wrap.errors import LegacyWrapError

def outcome(fn):
    try:
        return "ok", fn()
    except LegacyWrapError as exc:
        return type(exc).__name__, str(exc)[:300]
    except BaseException as exc:                # a foreign exception: the finding
        return "FOREIGN " + type(exc).__module__ + "." + type(exc).__name__, str(exc)[:300]

def read_bin5(path):
    data, h = bin5.read(path)
    mm, _ = bin5.read(path, mmap=True)
    same = bool(np.array_equal(np.asarray(mm).astype(data.dtype), data, equal_nan=True))
    del mm
    return {"size": os.path.getsize(path), "want": h.header_len + h.nelem * h.dtype.itemsize,
            "shape": list(h.shape), "mmap_same": same}

def write_bin5(spec):
    kind, value = spec["array"]
    if kind == "nested":
        arr = value
    elif kind == "array":
        arr = np.asarray(value[0], dtype=value[1])
    else:
        arr = np.zeros(value)
    h = bin5.write(spec["path"], arr, text=spec.get("text", ""), date=spec.get("date"))
    back, _ = bin5.read(spec["path"])
    a = np.asarray(arr)
    same = back.shape == a.shape and back.tobytes("F") == a.astype(back.dtype).tobytes("F")
    return {"shape": list(h.shape), "same": bool(same)}

def read_deck(path):
    from legacy_wrap.krc import read_deck as rd
    deck = rd(path)
    cost = 0
    for case in deck.cases:
        p = case.params
        cost += int(p.n4) * int(p.n5) * int(p.n2) * int(p.n1)
    return {"cases": len(deck.cases), "cost": cost}

KINDS = {"bin5": read_bin5, "write": write_bin5, "deck": read_deck}

for line in sys.stdin:
    case = json.loads(line)
    print(json.dumps({"begin": case["id"]}), flush=True)
    cls, detail = outcome(lambda: KINDS[case["kind"]](case["arg"]))
    print(json.dumps({"id": case["id"], "class": cls, "detail": detail}), flush=True)
'''


def run_worker(cases: list[dict], folder: Path) -> dict[int, dict]:
    """Each case through the worker; a case during which the worker died is a 'CRASH'."""
    script = folder / "fuzz_worker.py"
    script.write_text(WORKER)
    results: dict[int, dict] = {}
    todo = list(cases)
    while todo:
        proc = subprocess.run([sys.executable, str(script)], input="".join(
            json.dumps(c) + "\n" for c in todo), capture_output=True, text=True, env=_env(),
            cwd=folder, timeout=RUN_TIMEOUT * 10)
        began = None
        for line in proc.stdout.splitlines():
            msg = json.loads(line)
            if "begin" in msg:
                began = msg["begin"]
            else:
                results[msg["id"]] = msg
                began = None
        if proc.returncode == 0 and began is None:
            break
        assert began is not None, f"the worker failed outside a case: {proc.stderr[-2000:]}"
        results[began] = {"id": began, "class": "CRASH",
                          "detail": f"exit {proc.returncode}: {proc.stderr[-500:]}"}
        todo = [c for c in todo if c["id"] not in results]
    return results


# --------------------------------------------------------------------------- bin5 mutator

_HEADER_BYTES = b"0123456789 -+.eE<>litendbigC_END\0\xff\n\t"
_EXTREMES = [b"0", b"-1", b"1", b"9", b"2147483648", b"9223372036854775808",
             b"99999999999999999999", b"1e5", b"-0", b"", b"00000000512", b"+3"]


def mutate_bin5(rng: random.Random, data: bytes, header_len: int) -> tuple[bytes, list[str]]:
    buf = bytearray(data)
    log: list[str] = []
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["flip_header", "insert", "delete", "truncate", "append", "int_token",
                         "arch", "end_mark", "insert_after_header", "dup_block", "flip_data"])
        n = len(buf)
        if op == "flip_header" and n:
            i = rng.randrange(min(n, header_len))
            buf[i] = rng.choice(_HEADER_BYTES)
        elif op == "flip_data" and n > header_len:
            buf[rng.randrange(header_len, n)] = rng.randrange(256)
        elif op == "insert":
            i = rng.randint(0, n)
            buf[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == "insert_after_header":
            buf[header_len:header_len] = b"\0" * rng.choice([1, 2, 4, 8, 16, 512])
        elif op == "delete" and n:
            i = rng.randrange(n)
            del buf[i:i + rng.randint(1, 16)]
        elif op == "truncate" and n:
            del buf[rng.randrange(n):]
        elif op == "append":
            buf += bytes(rng.randrange(256) for _ in range(rng.choice([1, 7, 8, 100, 600])))
        elif op == "int_token":
            head = bytes(buf[:min(n, header_len)])
            tokens = list(re.finditer(rb"-?\d+", head.split(b"<<")[0]))
            if tokens:
                m = rng.choice(tokens)
                buf[m.start():m.end()] = rng.choice(_EXTREMES)
        elif op == "arch" and n >= 13:
            at = header_len - 13 if header_len <= n else n - 13
            buf[at:at + 8] = rng.choice([b"bigend  ", b"litend  ", b"vaxend  ", b"        ",
                                         b"x86_64  ", b"\0" * 8])
        elif op == "end_mark" and n >= 5:
            at = header_len - 5 if header_len <= n else n - 5
            buf[at:at + 5] = rng.choice([b"C_EN ", b"     ", b"c_end", b"C_END"])
        elif op == "dup_block":
            buf[0:0] = buf[:512]
        log.append(op)
    return bytes(buf), log


def bin5_corpus(folder: Path) -> list[tuple[Path, int]]:
    """Our own bin5 files (every type and byte order) and the small reference ones."""
    folder.mkdir()
    out: list[tuple[Path, int]] = []
    rng = np.random.default_rng(SEED)
    for k, (dtype, shape, order, text) in enumerate([
            ("u1", (7,), "little", ""), ("i2", (3, 5), "big", "short"),
            ("i4", (2, 3, 4), "little", "x" * 700), ("f4", (5, 1, 3), "big", ""),
            ("f8", (24, 7, 3), "little", "KRC style"), ("f8", (4, 2, 2, 2, 3), "big", "y" * 1500),
            ("f4", (1,), "little", "one"), ("i2", (513, 2), "little", "")]):
        a = (rng.normal(size=shape) * 100).astype(dtype)
        path = folder / f"own{k}.bin5"
        h = bin5.write(path, a, text=text, date=DATE, byteorder=order)
        out.append((path, h.header_len))
    for ref in sorted(REFERENCE.glob("*/*/*.t52")) + sorted(REFERENCE.glob("*/*/*.bin5")):
        if ref.stat().st_size <= 200_000:
            out.append((ref, bin5.read_header(ref).header_len))
    return out


def test_bin5_fuzz_reads_and_writes(tmp_path):
    rng = random.Random(SEED)
    corpus = bin5_corpus(tmp_path / "corpus")
    cases_dir = tmp_path / "cases"
    cases_dir.mkdir()
    cases = []
    for i in range(N_BIN5):
        src, hlen = rng.choice(corpus)
        data, log = mutate_bin5(rng, src.read_bytes(), hlen)
        path = cases_dir / f"{i:06d}.bin5"
        path.write_bytes(data)
        cases.append({"id": i, "kind": "bin5", "arg": str(path), "log": log})
    # odd writes: ragged lists, bad names and special targets, in a folder of their own
    wdir = tmp_path / "writes"
    wdir.mkdir()
    os.mkfifo(wdir / "fifo")
    (wdir / "folder").mkdir()
    (wdir / "dangling").symlink_to("nowhere/x.bin5")
    (wdir / "to-fifo").symlink_to("fifo")
    (wdir / "to-file").symlink_to("target.bin5")
    arrays = [("nested", [[1.0, 2.0], [3.0]]), ("nested", [[1, 2], 3]), ("nested", [[[1]], [2]]),
              ("nested", [1.0, float("nan"), float("inf")]), ("nested", [[1, 2], [3, 4]]),
              ("nested", ["a", "b"]), ("nested", [None]), ("nested", []), ("nested", 3.0),
              ("array", ([2**40], "i8")), ("array", (["1+2j"], "c16")), ("array", ([1], "u8")),
              ("array", ([[1, 2]], "f2")), ("zeros", [1] * 9), ("zeros", [2, 0, 3]),
              ("array", ([True, False], "?"))]
    names = ["ok.bin5", "fifo", "folder", "dangling", "to-fifo", "to-file", "a\0b.bin5",
             "no-such-dir/x.bin5", "", "folder/", "ok2.bin5"]
    for i in range(N_WRITE):
        spec = {"array": rng.choice(arrays), "path": str(wdir / rng.choice(names))}
        if rng.random() < 0.2:
            spec["text"] = rng.choice(["é", "a\0b", "x" * 70000, "fine"])
        if rng.random() < 0.2:
            spec["date"] = rng.choice([">>", "d" * 64, "fine"])
        cases.append({"id": N_BIN5 + i, "kind": "write", "arg": spec})
    results = run_worker(cases, tmp_path)

    classes = Counter(r["class"] for r in results.values())
    bad = [(cases[i].get("log"), cases[i]["arg"], r) for i, r in sorted(results.items())
           if r["class"] in ("CRASH",) or r["class"].startswith("FOREIGN")]
    assert not bad, f"{len(bad)} cases ended outside the package's exceptions:\n" + \
        "\n".join(str(b)[:400] for b in bad[:10])
    # a file that reads is exactly as long as its header says, and mmap agrees
    for i in range(N_BIN5):
        r = results[i]
        if r["class"] == "ok":
            d = r["detail"]
            assert d["size"] == d["want"] and d["mmap_same"], str((cases[i], r))[:400]
        else:
            assert r["class"] in ("Bin5Error", "FileAccessError", "InputError"), r
    for i in range(N_BIN5, N_BIN5 + N_WRITE):
        r = results[i]
        assert r["class"] in ("ok", "InputError", "FileAccessError", "Bin5Error"), str(r)[:400]
        if r["class"] == "ok":
            assert r["detail"]["same"], str((cases[i], r))[:400]
    # the special files are what they were, and no temporary file was left
    assert (wdir / "fifo").is_fifo() and (wdir / "folder").is_dir()
    assert (wdir / "dangling").is_symlink() and (wdir / "to-file").is_symlink()
    left = [p.name for p in wdir.rglob("*") if ".tmp" in p.name]
    assert not left, left

    # the C tool on a subset: exit 0 exactly when the library reads the file, else 1
    tool = str(executable_path("bin5tool"))
    tool_codes: Counter = Counter()
    for i in rng.sample(range(N_BIN5), min(N_TOOL, N_BIN5)):
        proc = subprocess.run([tool, "info", cases[i]["arg"]], capture_output=True, encoding="latin-1",
                              timeout=RUN_TIMEOUT)
        tool_codes[proc.returncode] += 1
        assert proc.returncode == (0 if results[i]["class"] == "ok" else 1), (cases[i], proc)
        assert not FATAL.search(proc.stderr), proc.stderr
    print(f"\nbin5 fuzz: {N_BIN5} mutated files read ({dict(classes)}), {N_WRITE} odd writes, "
          f"{sum(tool_codes.values())} through bin5tool ({dict(tool_codes)})")


# --------------------------------------------------------------------------- deck mutator

DECK_ALPHABET = "0123456789 .+-eEdD/,'\"TFtf*\t\r\nx\xe9\x00\xff"
_NUMBER = re.compile(r"(?<![\w.'])[-+]?(\d+\.?\d*|\.\d+)([eEdD][-+]?\d+)?(?![\w.'])")
_DECK_EXTREMES = ["0", "-1", "1e308", "-1e308", "99999999999", "2147483648", "1e-320", "NaN",
                  "Inf", "1.5", "", "1e", "--1", "0x10", "1000000000", "3.", ".", "1d400"]


def mutate_deck(rng: random.Random, text: str) -> tuple[str, list[str]]:
    lines = text.split("\n")
    log: list[str] = []
    for _ in range(rng.randint(1, 3)):
        if not lines:
            lines = [""]
        i = rng.randrange(len(lines))
        line = lines[i]
        j = rng.randrange(len(line)) if line else 0
        op = rng.choice(["del_char", "dup_char", "set_char", "ins_char", "del_line", "dup_line",
                         "swap_lines", "truncate", "number", "number", "merge", "quote",
                         "drop_end", "folder_name"])
        if op == "del_char" and line:
            lines[i] = line[:j] + line[j + 1:]
        elif op == "dup_char" and line:
            lines[i] = line[:j + 1] + line[j:]
        elif op == "set_char" and line:
            lines[i] = line[:j] + rng.choice(DECK_ALPHABET) + line[j + 1:]
        elif op == "ins_char":
            lines[i] = line[:j] + "".join(rng.choice(DECK_ALPHABET)
                                          for _ in range(rng.randint(1, 3))) + line[j:]
        elif op == "del_line" and len(lines) > 1:
            del lines[i]
        elif op == "dup_line":
            lines.insert(i, line)
        elif op == "swap_lines" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "truncate":
            lines = lines[:i] + [line[:j]]
        elif op == "number":
            nums = [m for k, ln in enumerate(lines) for m in [(k, x) for x in _NUMBER.finditer(ln)]]
            if nums:
                k, m = rng.choice(nums)
                lines[k] = lines[k][:m.start()] + rng.choice(_DECK_EXTREMES) + lines[k][m.end():]
        elif op == "merge":                 # two numbers run together ("19 120" -> "19120")
            gaps = [m for m in re.finditer(r"(?<=\d) +(?=[-+\d.])", line)]
            if gaps:
                m = rng.choice(gaps)
                lines[i] = line[:m.start()] + line[m.end():]
        elif op == "quote":
            qs = [k for k, c in enumerate(line) if c == "'"]
            if qs:
                k = rng.choice(qs)
                lines[i] = line[:k] + line[k + 1:]
        elif op == "drop_end":             # no closing 0/ lines
            ends = [k for k, ln in enumerate(lines) if ln.strip().startswith("0")]
            if ends:
                del lines[rng.choice(ends)]
        elif op == "folder_name":          # an output name that is an existing folder
            lines[i] = re.sub(r"'[^']*'", "'out'", line, count=1)
        log.append(op)
    return "\n".join(lines), log


def _deck_sources() -> list[tuple[Path, str]]:
    decks = sorted(REFERENCE.glob("ladder/*/*.inp")) + sorted(REFERENCE.glob("decks/*/*.inp"))
    return [(p, p.read_bytes().decode("latin-1")) for p in decks]


def _run_folder(folder: Path, src: Path) -> None:
    """A working folder with the deck's auxiliary files and the tables, copied."""
    folder.mkdir(parents=True)
    (folder / "out").mkdir()
    for f in list(src.parent.iterdir()) + list((REFERENCE / "tables").glob("*")):
        if f.is_file() and f.suffix not in (".prt", ".t52", ".gz", ".inp", ".log"):
            shutil.copy(f, folder / f.name)


def _snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


@pytest.mark.skipif(not _deck_sources(), reason=f"no reference decks under {REFERENCE}")
def test_deck_fuzz_reader_and_legacy_program(tmp_path):
    rng = random.Random(SEED + 1)
    sources = _deck_sources()
    base_cost: dict[Path, int] = {}
    cases = []
    for i in range(N_DECK):
        src, text = rng.choice(sources)
        mutated, log = mutate_deck(rng, text)
        path = tmp_path / "decks" / f"{i:06d}" / "fz.inp"
        path.parent.mkdir(parents=True)
        path.write_bytes(mutated.encode("latin-1"))
        cases.append({"id": i, "kind": "deck", "arg": str(path), "log": log, "src": str(src)})
    originals = [{"id": N_DECK + k, "kind": "deck", "arg": str(p)} for k, (p, _) in
                 enumerate(sources)]
    results = run_worker(cases + originals, tmp_path)
    for k, (p, _) in enumerate(sources):
        r = results[N_DECK + k]
        base_cost[p] = r["detail"]["cost"] if r["class"] == "ok" else 0

    classes = Counter(r["class"] for r in results.values() if r["id"] < N_DECK)
    bad = [(cases[i]["src"], cases[i]["log"], r) for i, r in sorted(results.items())
           if i < N_DECK and (r["class"] == "CRASH" or r["class"].startswith("FOREIGN"))]
    assert not bad, f"{len(bad)} decks ended outside the package's exceptions:\n" + \
        "\n".join(str(b)[:400] for b in bad[:10])
    for i in range(N_DECK):
        assert results[i]["class"] in ("ok", "DeckError", "FileAccessError", "InputError",
                                       "UnsupportedOptionError"), results[i]

    # the legacy program on a subset (not the slow decks, not runs much longer than the original)
    krc = str(executable_path("krc"))
    codes: Counter = Counter()
    skipped = 0
    runnable = [i for i in range(N_DECK) if Path(cases[i]["src"]).stem not in SLOW_DECKS]
    for i in rng.sample(runnable, min(N_PROGRAM, len(runnable))):
        src = Path(cases[i]["src"])
        r = results[i]
        # A run estimated much longer than the original's may legitimately outlast
        # the timeout: it gets a short one, and only its early end is judged.
        long_run = r["class"] == "ok" and r["detail"]["cost"] > COST_RATIO * max(base_cost[src], 1)
        folder = tmp_path / "runs" / f"{i:06d}"
        _run_folder(folder, src)
        shutil.copy(cases[i]["arg"], folder / "fz.inp")
        before = _snapshot(folder)
        try:
            proc = subprocess.run([krc], input=b"fz\n/\n", capture_output=True, cwd=folder,
                                  timeout=LONG_RUN_TIMEOUT if long_run else RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            if long_run:
                skipped += 1
                shutil.rmtree(folder)
                continue
            pytest.fail(f"krc hung (> {RUN_TIMEOUT} s) on a mutation {cases[i]['log']} of "
                        f"{src}: {folder / 'fz.inp'}")
        err = proc.stderr.decode("latin-1") + proc.stdout.decode("latin-1")[-3000:]
        what = f"{cases[i]['log']} of {src} ({folder / 'fz.inp'}): exit {proc.returncode}"
        assert proc.returncode in (0, 1, 2, 3), f"{what}\n{err[-2000:]}"
        assert not FATAL.search(err), f"{what}\n{err[-2000:]}"
        after = _snapshot(folder)
        left = [n for n in after if ".tmp" in n or n.endswith(".part")]
        assert not left, f"{what}: temporary files left: {left}"
        if proc.returncode == 2:               # refused: nothing written
            new = sorted(set(after) - set(before))
            changed = sorted(n for n in before if after.get(n) != before[n])
            assert not new and not changed, f"{what}: wrote {new + changed}"
        codes[proc.returncode] += 1
        shutil.rmtree(folder)
    print(f"\ndeck fuzz: {N_DECK} mutated decks read ({dict(classes)}); "
          f"{sum(codes.values())} run by krc (exit codes {dict(sorted(codes.items()))}), "
          f"{skipped} long runs stopped after {LONG_RUN_TIMEOUT:g} s (estimated cost > "
          f"{COST_RATIO:g}x the original)")


@pytest.mark.skipif(not (REFERENCE / "ladder" / "t1" / "t1.inp").exists(),
                    reason="no reference deck t1")
def test_legacy_program_refuses_a_huge_n5(tmp_path):
    """N5 999999999 (e.g. N4 and N5 run together): exit 2 with a message naming N5,
    nothing written -- not a Fortran runtime error after the print file is begun."""
    src = REFERENCE / "ladder" / "t1" / "t1.inp"
    _run_folder(tmp_path / "run", src)
    lines = src.read_text().split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.split()[:3] == ["N1", "N2", "N3"]) + 1
    fields = lines[k].split()
    fields[4] = "999999999"
    lines[k] = "".join(f"{f:>10}" for f in fields)
    (tmp_path / "run" / "fz.inp").write_text("\n".join(lines))
    proc = subprocess.run([str(executable_path("krc"))], input=b"fz\n/\n", capture_output=True,
                          cwd=tmp_path / "run", timeout=RUN_TIMEOUT)
    err = proc.stderr.decode("latin-1")
    assert not FATAL.search(err), err[-1500:]
    assert proc.returncode == 2 and "N5" in err, err[-1500:]
    assert not (tmp_path / "run" / "fz.prt").exists()
