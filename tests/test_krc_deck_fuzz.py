"""Fuzz the KRC deck reader with mutated real decks (hypothesis).

Every reference deck (../shared/krc-reference) is mutated by deleting,
duplicating, replacing and inserting characters and whole lines.  The reader
must either parse the result or raise DeckError (with a usable location) --
never any other exception, never hang.  The run is derandomized with a fixed
number of examples, so it is reproducible and takes a few seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from legacy_wrap.errors import DeckError  # noqa: E402
from legacy_wrap.krc import Deck, parse_deck  # noqa: E402

from conftest import REFERENCE  # noqa: E402

DECKS = sorted(REFERENCE.glob("ladder/*/*.inp")) + sorted(REFERENCE.glob("decks/*/*.inp"))
#: Characters that matter to the reader: digits, signs, decimal point, exponents,
#: separators, slash, quotes, T/F, repeat star, tabs, CR, and one non-ASCII byte.
ALPHABET = "0123456789 .+-eEdD/,'\"TFtf*\t\r\nx\xe9"

pytestmark = pytest.mark.skipif(not DECKS, reason=f"no reference decks under {REFERENCE}")


def _texts() -> list[tuple[Path, str]]:
    return [(p, p.read_bytes().decode("latin-1")) for p in DECKS]


TEXTS = _texts() if DECKS else []


def _logical_end(lines: list[str]) -> int:
    """Index just after the last line the reader can see (the second '0/' after
    the change lines): mutations beyond it would not be read, so most of them
    are aimed before it."""
    n = len(lines)
    for i in range(n - 1, -1, -1):
        if lines[i].lstrip().startswith("0"):
            return i + 1
    return n


@st.composite
def mutated_decks(draw: st.DrawFn) -> tuple[Path, str, list[str]]:
    path, text = draw(st.sampled_from(TEXTS))
    lines = text.split("\n")
    log: list[str] = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        end = max(1, min(len(lines), _logical_end(lines)))
        op = draw(st.sampled_from(["del_char", "dup_char", "set_char", "ins_char", "del_line",
                                   "dup_line", "swap_lines", "truncate", "blank_line"]))
        # Half of the mutations aim at the change lines near the end of the run.
        low = max(0, end - 12) if draw(st.booleans()) else 0
        i = draw(st.integers(min_value=low, max_value=end - 1))
        line = lines[i] if lines else ""
        j = draw(st.integers(min_value=0, max_value=max(0, len(line) - 1)))
        if op == "del_char" and line:
            lines[i] = line[:j] + line[j + 1:]
        elif op == "dup_char" and line:
            lines[i] = line[:j + 1] + line[j:]
        elif op == "set_char" and line:
            lines[i] = line[:j] + draw(st.sampled_from(ALPHABET)) + line[j + 1:]
        elif op == "ins_char":
            lines[i] = line[:j] + draw(st.text(ALPHABET, min_size=1, max_size=3)) + line[j:]
        elif op == "del_line" and len(lines) > 1:
            del lines[i]
        elif op == "dup_line":
            lines.insert(i, line)
        elif op == "swap_lines" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "truncate":
            lines = lines[:i] + [line[:j]]
        elif op == "blank_line":
            lines[i] = ""
        log.append(f"{op} line {i + 1} col {j + 1}")
    return path, "\n".join(lines), log


@settings(max_examples=1500, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_decks())
def test_mutated_deck_parses_or_raises_deck_error(sample: tuple[Path, str, list[str]]) -> None:
    path, text, log = sample
    try:
        deck = parse_deck(text, path=path.name, base_dir=path.parent)
    except DeckError as exc:
        msg = str(exc)
        assert msg, "empty DeckError message"
        assert exc.path is not None, f"DeckError without a file: {msg} ({log})"
        assert exc.line is None or exc.line >= 1, msg
        assert exc.column is None or exc.column >= 1, msg
    except Exception as exc:  # pragma: no cover - this is the failure being hunted
        pytest.fail(f"{path.name} mutated by {log}: {type(exc).__name__}: {exc}")
    else:
        assert isinstance(deck, Deck)
        for case in deck.cases:
            case.params.check()


@pytest.mark.parametrize("path", DECKS, ids=[p.stem for p in DECKS])
def test_unmutated_reference_decks_parse(path: Path) -> None:
    """The baseline of the fuzz: every reference deck parses as it is."""
    deck = parse_deck(path.read_bytes().decode("latin-1"), path=path.name, base_dir=path.parent)
    assert deck.cases


def test_every_prefix_of_a_deck_parses_or_raises_deck_error() -> None:
    """Truncation at every line of a deck: a systematic companion of the fuzz."""
    path = next((p for p in DECKS if p.stem == "MoonA"), DECKS[0])
    lines = path.read_bytes().decode("latin-1").split("\n")
    for n in range(len(lines)):
        text = "\n".join(lines[:n])
        try:
            parse_deck(text, path=path.name, base_dir=path.parent)
        except DeckError as exc:
            assert exc.line is not None and exc.line >= 1, (n, str(exc))
