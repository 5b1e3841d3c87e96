"""Language and variety identification."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitr.evaluation.split import is_validation
from sitr.text.langid import LANGS, VARIETY_VALUES, LanguageGuess, identify
from sitr.text.normalize import normalize


@pytest.mark.parametrize(
    ("text", "lang", "variety"),
    [
        ("انا عايز اعرف انت فين دلوقتي، الواد ده بتاعك؟", "ar", "egy"),
        ("شو بدك هلق؟ هيك منيح كتير", "ar", "lev"),
        ("شلونك؟ وايد زين، ابي اشوفك الحين", "ar", "glf"),
        ("شكو ماكو؟ اني هسه بالبيت، هواية تعبان", "ar", "irq"),
        ("واش نتا بغيت تجي دابا؟ بزاف ديال الناس", "ar", "mag"),
        ("شنوة تعمل توا؟ برشا خدمة متاع الدار", "ar", "mag"),
        ("يجب على الدولة التي تحترم القانون أن تحمي الذين يتعرضون للتهديد", "ar", "msa"),
        ("ana 3ayez a3rafak delwa2ty, enta fein?", "ar-Latn", "egy"),
        ("shu baddak halla2? kteer mni7", "ar-Latn", "lev"),
        ("rak 3aref bezzaf dyal nas daba", "ar-Latn", "mag"),
        ("shlonak? wayed zain, abi ashoofak alheen", "ar-Latn", "glf"),
        ("shaku maku? ani hassa bil bait", "ar-Latn", "irq"),
        ("I know where you live and I will tell your family about you", "en", "en"),
        ("Je sais où tu habites et je vais tout dire à ta famille", "fr", "fr"),
        ("ya3ne shu, badna nsammi el shawaz community? no, they're a disease w lezim yenda7ro", "mixed", "mixed"),
        ("Ana trans w fière. J'ai mis du temps à l'accepter, mais lyoum ana mli7a m3a rou7i.", "mixed", "mixed"),
    ],
)
def test_identify(text: str, lang: str, variety: str) -> None:
    guess = identify(text)
    assert (guess.lang, guess.variety) == (lang, variety)
    assert 0.0 <= guess.confidence <= 1.0


def test_identify_accepts_normalized_text() -> None:
    raw = "انا عايز اعرف انت فين دلوقتي، الواد ده بتاعك؟"
    assert identify(normalize(raw).text) == identify(raw)


def test_arabic_with_a_few_latin_words_stays_arabic() -> None:
    assert identify("ابعتلي على الواتساب ده رقمي 0100 اوك bro").lang == "ar"


def test_arabic_and_english_halves_are_mixed() -> None:
    guess = identify("والله انت حلو كتير but I don't think we should meet tonight at all")
    assert guess.lang == "mixed"


def test_no_dialect_evidence_is_unknown_not_msa() -> None:
    guess = identify("صورة جميلة جدا")
    assert (guess.lang, guess.variety) == ("ar", "unknown")


def test_lone_letters_do_not_make_english_mixed() -> None:
    assert identify("these d🌈y🌈k🌈e🌈s at the corniche need to be taught a lesson").lang == "en"


def test_text_without_letters() -> None:
    assert identify("0612345678 🌈🌈") == LanguageGuess("mixed", "unknown", 0.0)
    assert identify("") == LanguageGuess("mixed", "unknown", 0.0)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_identify_always_answers_within_its_vocabulary(text: str) -> None:
    guess = identify(text)
    assert guess.lang in LANGS
    assert guess.variety in VARIETY_VALUES
    assert 0.0 <= guess.confidence <= 1.0
    if guess.lang in ("fr", "en"):
        assert guess.variety == guess.lang
    if guess.lang == "mixed":
        assert guess.variety in ("mixed", "unknown")
    if guess.lang in ("ar", "ar-Latn"):
        assert guess.variety in ("msa", "egy", "lev", "glf", "irq", "mag", "unknown")


def _shared_data() -> Path:
    env = os.environ.get("SITR_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.mark.data
def test_language_accuracy_on_training_items() -> None:
    """A floor on the training part of the labelled set (the lead reports validation figures)."""
    path = _shared_data() / "threats" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"labelled data not found at {path} (set SITR_SHARED_DATA)")
    hits: Counter[bool] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if is_validation(item["id"]):
            continue
        text = item["text"] if "text" in item else "\n".join(m["text"] for m in item["messages"])
        gold = "ar-Latn" if item["variety"] == "arabizi" else item["lang"]
        hits[identify(text).lang == gold] += 1
    accuracy = hits[True] / (hits[True] + hits[False])
    assert accuracy >= 0.9
