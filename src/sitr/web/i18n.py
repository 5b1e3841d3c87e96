"""Interface strings in Arabic, French and English, and which one a browser gets.

Strings live in i18n/<lang>.json next to this module (one flat key -> text map per language), so a
translator edits data, not code. Every key must exist in every language: the tests check it, and a gap falls
back to English at run time rather than showing a key. Placeholders are `{name}`, filled by `Translator`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

LANGS: tuple[str, ...] = ("ar", "fr", "en")
DEFAULT_LANG = "en"
RTL: frozenset[str] = frozenset({"ar"})
NATIVE_NAMES: dict[str, str] = {"ar": "العربية", "fr": "Français", "en": "English"}


@cache
def strings(lang: str) -> dict[str, str]:
    """The string table of one language (loaded once from the package)."""
    if lang not in LANGS:
        raise KeyError(lang)
    data = resources.files("sitr.web").joinpath("i18n", f"{lang}.json").read_text(encoding="utf-8")
    table = json.loads(data)
    if not isinstance(table, dict):
        raise ValueError(f"i18n/{lang}.json must be an object")
    return {str(k): str(v) for k, v in table.items()}


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


class _Keep(dict[str, Any]):
    """format_map helper: an unknown placeholder stays visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Translator:
    """`t("queue.title")` or `t("time.left", h=2, m=5)` in one language, English as the fallback."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self.dir = direction(self.lang)
        self._table = strings(self.lang)
        self._fallback = strings(DEFAULT_LANG)

    def __call__(self, key: str, **values: Any) -> str:
        text = self._table.get(key) or self._fallback.get(key) or key
        return text.format_map(_Keep(values)) if values else text

    def has(self, key: str) -> bool:
        return key in self._table or key in self._fallback


def pick_lang(cookie: str | None, accept_language: str | None) -> str:
    """The cookie's choice if valid, else the first supported language the browser asks for, else English."""
    if cookie in LANGS:
        return str(cookie)
    for part in (accept_language or "").split(",")[:20]:
        tag = part.split(";")[0].strip().lower()
        base = tag.split("-")[0]
        if base in LANGS:
            return base
    return DEFAULT_LANG
