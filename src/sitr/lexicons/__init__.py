"""Word lists (TSV files in this folder) and the matcher that finds them in normalized text.

`match(norm, arabizi=None)` is the entry point; the files are loaded and compiled once per process.
"""

from sitr.lexicons.matcher import (
    CATEGORIES,
    LANGS,
    VARIETIES,
    Lexicon,
    LexiconError,
    Match,
    Row,
    default_lexicon,
    load_rows,
    match,
    parse_tsv,
)

__all__ = [
    "CATEGORIES",
    "LANGS",
    "VARIETIES",
    "Lexicon",
    "LexiconError",
    "Match",
    "Row",
    "default_lexicon",
    "load_rows",
    "match",
    "parse_tsv",
]
