"""Loading of the small word lists under sitr/text/data, once per process.

Why a module of its own: arabizi.py and langid.py read the same lists, and both must see the words folded the
way `normalize` folds text, or a list entry written with أ or ة would never match.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from sitr.text.normalize import normalize

VARIETIES: tuple[str, ...] = ("egy", "lev", "glf", "irq", "mag")


def _rows(name: str) -> list[list[str]]:
    text = resources.files("sitr.text").joinpath("data", name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


@dataclass(frozen=True, slots=True)
class ArabiziLexicon:
    """Arabizi words: their fixed Arabic-script form (if any) and the varieties they mark."""

    arabic: dict[str, str]  # word -> Arabic-script form (normalized); absent when the rules should be used
    varieties: dict[str, frozenset[str]]  # word -> varieties it marks (empty set: shared by several)


@cache
def arabizi_lexicon() -> ArabiziLexicon:
    arabic: dict[str, str] = {}
    varieties: dict[str, set[str]] = {}
    for row in _rows("arabizi.tsv"):
        if len(row) < 3:
            raise ValueError(f"arabizi.tsv: expected 3 columns, got {len(row)}")
        word = normalize(row[0]).text
        if " " in word or not word:
            continue
        if row[1] != "=":
            arabic.setdefault(word, normalize(row[1]).text)
        marks = varieties.setdefault(word, set())
        for v in row[2].split(","):
            v = v.strip()
            if v in VARIETIES:
                marks.add(v)
            elif v != "*":
                raise ValueError(f"arabizi.tsv: unknown variety {v!r}")
    return ArabiziLexicon(arabic, {w: frozenset(v) for w, v in varieties.items()})


@cache
def latin_words() -> dict[str, frozenset[str]]:
    """High-frequency English and French words -> the languages they belong to."""
    out: dict[str, set[str]] = {}
    for row in _rows("latin_words.tsv"):
        word, lang = normalize(row[0]).text, row[1].strip()
        if lang not in ("en", "fr"):
            raise ValueError(f"latin_words.tsv: unknown language {lang!r}")
        out.setdefault(word, set()).add(lang)
    return {w: frozenset(v) for w, v in out.items()}


@cache
def arabic_markers() -> dict[str, tuple[tuple[str, int], ...]]:
    """Arabic-script dialect markers: folded word -> ((variety, weight), ...)."""
    out: dict[str, list[tuple[str, int]]] = {}
    allowed = {*VARIETIES, "msa", "dia"}
    for row in _rows("markers_ar.tsv"):
        word, variety, weight = normalize(row[0]).text, row[1].strip(), int(row[2])
        if variety not in allowed:
            raise ValueError(f"markers_ar.tsv: unknown variety {variety!r}")
        if weight > 0:
            out.setdefault(word, []).append((variety, weight))
    return {w: tuple(v) for w, v in out.items()}
