"""The interface exists whole in Arabic, French and English: same keys, same placeholders, real translations,
and every key the templates and pages use is defined."""

from __future__ import annotations

import re
import string
from importlib import resources
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sitr.moderation.review import REVEALABLE
from sitr.policy.schema import ACTIONS
from sitr.store.models import ROLES
from sitr.types import SURFACES, THREATS
from sitr.web.i18n import LANGS, Translator, direction, pick_lang, strings
from sitr.web.queries import HISTORY_PRIVATE, HISTORY_PUBLIC

WEB = Path(str(resources.files("sitr.web")))
ARABIC = re.compile(r"[\u0600-\u06ff]")
# Keys built at run time from a prefix and a value, with every value they can take.
DYNAMIC: dict[str, tuple[str, ...]] = {
    "threat.": (*THREATS, "none", "other"),
    "role.": ROLES,
    "origin.": ("policy", "flags", "escalation", "appeal"),
    "status.": ("open", "claimed", "decided"),
    "esc.": ("open", "in_review", "actioned", "no_action"),
    "case.kind.": ("review", "appeal"),
    "surface.": SURFACES,
    "band.": ("auto", "review", "below"),
    "event.": tuple(HISTORY_PRIVATE),
    "fact.": (*HISTORY_PUBLIC, *{k for v in HISTORY_PRIVATE.values() for k in v}),
    "action.": ACTIONS,
    "reveal.field.": REVEALABLE,
    "resolution.": ("upheld", "rejected", "pending"),
    "outcome.": ("action", "review", "none"),
    "appellant.": ("author", "reporter", "target"),
    "langname.": ("ar", "fr", "en", "ar-Latn"),
    "queue.": ("lang", "variety", "country"),
}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_every_key_with_the_same_placeholders() -> None:
    english = strings("en")
    for lang in LANGS:
        table = strings(lang)
        assert set(table) == set(english), lang
        for key, text in table.items():
            assert text.strip(), (lang, key)
            assert _placeholders(text) == _placeholders(english[key]), (lang, key)


def test_arabic_and_french_are_translations_not_copies() -> None:
    arabic, french, english = strings("ar"), strings("fr"), strings("en")
    untranslated_ar = [k for k, v in arabic.items() if not ARABIC.search(v) and re.search(r"[A-Za-z]{3}", v)]
    assert untranslated_ar == []
    cognates = {"admin.title", "nav.admin", "case.participant", "time.hm"}  # the same words in both languages
    same = {k for k in english if french[k] == english[k] and len(english[k]) > 12}
    assert same <= cognates


def _template_keys() -> set[str]:
    keys: set[str] = set()
    for path in (WEB / "templates").glob("*.html"):
        keys.update(re.findall(r"""\bt\(\s*["']([a-z_.\-]+)["']""", path.read_text(encoding="utf-8")))
    return keys


def _python_keys() -> set[str]:
    """Keys the pages pass as notices and errors ("notice=case.decided", error="partner.need_text")."""
    keys: set[str] = set()
    pattern = re.compile(r"""["'=]((?:err|login|partner|admin|reveal|case|queue|decision)\.[a-z_]+)(?![a-z_.])""")
    for path in WEB.glob("*.py"):
        keys.update(k for k in pattern.findall(path.read_text(encoding="utf-8")) if not k.endswith(".html"))
    return keys


def test_every_key_used_by_templates_and_pages_exists() -> None:
    english = strings("en")
    found = _template_keys() | _python_keys()
    prefixes = {k for k in found if k.endswith(".")}  # t("threat." + value): the values are enumerated above
    assert sorted(prefixes - set(DYNAMIC)) == []
    used = found - prefixes
    for prefix, values in DYNAMIC.items():
        used.update(prefix + v for v in values)
    assert len(used) > 150
    assert sorted(used - set(english)) == []


def test_translator_fills_placeholders_and_falls_back() -> None:
    t = Translator("fr")
    assert t("case.title", id=7) == "Dossier n° 7"
    assert Translator("ar")("case.title", id=7) == "الحالة رقم 7"
    assert t("no.such.key") == "no.such.key" and not t.has("no.such.key")
    assert Translator("xx").lang == "en"
    assert direction("ar") == "rtl" and direction("fr") == "ltr"


@given(st.one_of(st.none(), st.text(max_size=12)), st.one_of(st.none(), st.text(max_size=80)))
def test_pick_lang_always_returns_a_supported_language(cookie: str | None, header: str | None) -> None:
    assert pick_lang(cookie, header) in LANGS


def test_pick_lang_prefers_the_cookie_then_the_first_supported_browser_language() -> None:
    assert pick_lang("fr", "ar") == "fr"
    assert pick_lang(None, "de-CH, ar-EG;q=0.8, fr;q=0.5") == "ar"
    assert pick_lang("evil", "tr") == "en"
