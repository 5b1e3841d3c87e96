"""The PII finders' speed-ups must not change a single match: anchored patterns give exactly finditer's matches,
and every window word contains one of the substrings that let a window be skipped."""

from __future__ import annotations

import random
import re

import pytest

from sitr.detect.pii import address, context, extractor, geo, ids, phone, plate, web
from sitr.detect.pii.view import fold

_MODULES = (address, web, phone, ids, plate, geo, extractor)


def _anchored() -> list[tuple[str, context.Anchored]]:
    found: list[tuple[str, context.Anchored]] = []

    def walk(name: str, value: object) -> None:
        if isinstance(value, context.Anchored):
            found.append((name, value))
        elif isinstance(value, tuple):
            for k, item in enumerate(value):
                walk(f"{name}[{k}]", item)

    for module in _MODULES:
        for name, value in vars(module).items():
            walk(f"{module.__name__}.{name}", value)
    return found


def _pieces(pattern: re.Pattern[str], extra: tuple[str, ...]) -> list[str]:
    """Literal fragments of the pattern, the letters of its classes, and a few separators and clitics."""
    src = pattern.pattern
    out = [p for p in re.findall(r"[^\\|()?:*+\[\]{}]+", src) if p]
    out += [c for cls in re.findall(r"\[([^\]\\]+)\]", src) for c in cls]
    return out + list(extra) + [" ", "  ", "-", ".", "_", "'", "a", "x", "1", "12", "1234", "ال", "و", "ب", "الرابع"]


def _texts(pieces: list[str], rng: random.Random, n: int) -> list[str]:
    return [
        "".join(rng.choice(pieces) + rng.choice(("", "", " ")) for _ in range(rng.randint(1, 10))) for _ in range(n)
    ]


ANCHORED = _anchored()


def test_the_anchored_patterns_are_found() -> None:
    assert len(ANCHORED) >= 10


@pytest.mark.parametrize(("name", "anchored"), ANCHORED, ids=[name for name, _ in ANCHORED])
def test_anchored_finditer_equals_finditer(name: str, anchored: context.Anchored) -> None:
    rng = random.Random(name)
    for text in _texts(_pieces(anchored.pattern, anchored.heads), rng, 1500):
        ctx = context.Context(fold(text))
        mtext = ctx.mtext
        pos = rng.choice((0, 0, rng.randint(0, len(mtext))))
        endpos = rng.choice((None, rng.randint(0, len(mtext) + 2)))
        want = (
            anchored.pattern.finditer(mtext, pos) if endpos is None else anchored.pattern.finditer(mtext, pos, endpos)
        )
        got = anchored.finditer(ctx, pos, endpos)
        assert [(m.span(), m.lastgroup, m.groups()) for m in got] == [
            (m.span(), m.lastgroup, m.groups()) for m in want
        ], (name, text)


WINDOW_PATTERNS = list(context.WINDOW_WORDS._ids)


@pytest.mark.parametrize("pattern", WINDOW_PATTERNS, ids=[p.pattern[:24] for p in WINDOW_PATTERNS])
def test_every_window_word_match_holds_a_registered_substring(pattern: re.Pattern[str]) -> None:
    rng = random.Random(pattern.pattern)
    pid = context.WINDOW_WORDS.pattern_id(pattern)
    assert pid is not None
    seen = 0
    for text in _texts(_pieces(pattern, ()), rng, 3000):
        mtext = context.Context(fold(text)).mtext
        starts, ends = context.WINDOW_WORDS.scan(mtext).get(pid, ([], []))
        for m in pattern.finditer(mtext):
            seen += 1
            assert any(m.start() <= a and b <= m.end() for a, b in zip(starts, ends, strict=True)), m.group()
    assert seen > 100


def test_windows_are_skipped_only_without_a_match() -> None:
    rng = random.Random(7)
    words = ("no", "nu", "id", "tel", "appel", "رقم", "order", "#", "$", "pass", "lat", "map", "reg", " ", "1234", "a")
    for _ in range(2000):
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 25)))
        ctx = context.Context(fold(text))
        for pattern in WINDOW_PATTERNS:
            start = rng.randint(0, len(ctx.mtext))
            width = rng.choice((10, 28, 40))
            last = None
            for m in pattern.finditer(ctx.mtext, max(0, start - width), start):
                last = m
            got = ctx.before(pattern, start, width)
            assert (got.span() if got else None) == (last.span() if last else None)
            want_after = pattern.search(ctx.mtext, start, min(len(ctx.mtext), start + width))
            got_after = ctx.after(pattern, start, width)
            assert (got_after.span() if got_after else None) == (want_after.span() if want_after else None)
