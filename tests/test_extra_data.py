"""Schema and coverage checks for the extra training examples in data/threats-extra.jsonl and
data/threats-extra-2.jsonl.

The files are hand-written training data; these tests keep them loadable by the same code as the shared threat
set and make sure they never leak into, or collide with, that set's validation ids (nor with each other).
Every item-level test runs once per file; the per-file expectations (size, id range, mix) are in `SPECS`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitr.evaluation.split import is_validation
from sitr.types import THREATS

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED = Path(os.environ.get("SITR_SHARED_DATA", str(REPO.parent / "shared" / "data")))
DEV = SHARED / "threats" / "dev.jsonl"

MSG_FIELDS = ["id", "kind", "context", "lang", "variety", "text", "labels", "obfuscated", "note"]
CONV_FIELDS = ["id", "kind", "context", "lang", "variety", "messages", "labels", "obfuscated", "note"]
CONTEXTS = {"public_post", "comment", "direct_message", "dating_chat"}
ARABIC_SCRIPT = {"msa", "egy", "lev", "glf", "irq", "tun", "mor", "alg"}
VARIETIES = ARABIC_SCRIPT | {"arabizi", "fr", "en", "mixed"}
ID_RE = re.compile(r"^extra-\d{4}$")
ARABIC_LETTER = re.compile("[\u0621-\u064a]")
ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# digits possibly split by spaces, dashes, dots, zero-width characters or keycap marks
DIGIT_RUN = re.compile("[0-9](?:[ \\-.\u200b\u200c\u200d\ufe0f\u20e3]*[0-9])+")


@dataclass(frozen=True)
class Spec:
    """What one extra file must look like: size, id range and the mix its brief asked for."""

    n: int
    first_id: int
    min_arabic_script: float  # share of items in Arabic script (the second file focuses on Arabizi and French)
    benign: tuple[float, float] = (0.30, 0.45)


SPECS: dict[str, Spec] = {
    "threats-extra.jsonl": Spec(n=450, first_id=1, min_arabic_script=0.35),
    "threats-extra-2.jsonl": Spec(n=400, first_id=2001, min_arabic_script=0.15),
}


def _load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module", params=sorted(SPECS))
def name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def spec(name: str) -> Spec:
    return SPECS[name]


@pytest.fixture(scope="module")
def items(name: str) -> list[dict[str, Any]]:
    return _load(DATA / name)


def _all_text(rec: dict[str, Any]) -> str:
    if rec["kind"] == "message":
        return str(rec["text"])
    return "\n".join(str(m["text"]) for m in rec["messages"])


def _script(rec: dict[str, Any]) -> str:
    if rec["variety"] in ARABIC_SCRIPT:
        return "ar-script"
    return str(rec["variety"])


def test_file_is_utf8_without_bom_and_has_the_expected_size(name: str, spec: Spec, items: list[dict[str, Any]]) -> None:
    raw = (DATA / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")
    assert len(items) == spec.n


def test_fields_and_values_follow_the_threat_schema(items: list[dict[str, Any]]) -> None:
    for rec in items:
        expected = MSG_FIELDS if rec["kind"] == "message" else CONV_FIELDS
        assert rec["kind"] in {"message", "conversation"}, rec["id"]
        assert list(rec) == expected, rec["id"]
        assert rec["context"] in CONTEXTS, rec["id"]
        assert rec["variety"] in VARIETIES, rec["id"]
        if rec["variety"] in {"fr", "en", "mixed"}:
            assert rec["lang"] == rec["variety"], rec["id"]
        else:
            assert rec["lang"] in {"ar", "mixed"}, rec["id"]
        assert isinstance(rec["obfuscated"], bool), rec["id"]
        note = rec["note"]
        assert isinstance(note, str) and note.strip() and len(note) <= 220, rec["id"]
        assert not ARABIC_LETTER.search(note), rec["id"]
        assert _all_text(rec).strip(), rec["id"]


def test_conversations_have_both_roles_and_a_dm_context(items: list[dict[str, Any]]) -> None:
    for rec in (r for r in items if r["kind"] == "conversation"):
        assert rec["context"] in {"dating_chat", "direct_message"}, rec["id"]
        assert 4 <= len(rec["messages"]) <= 12, rec["id"]
        for msg in rec["messages"]:
            assert list(msg) == ["from", "text"] and msg["text"].strip(), rec["id"]
        assert {m["from"] for m in rec["messages"]} == {"x", "u"}, rec["id"]


def test_labels_are_valid_threats_without_duplicates(items: list[dict[str, Any]]) -> None:
    for rec in items:
        labels = rec["labels"]
        assert isinstance(labels, list), rec["id"]
        assert set(labels) <= set(THREATS), rec["id"]
        assert len(set(labels)) == len(labels), rec["id"]


def test_ids_are_unique_and_prefixed(spec: Spec, items: list[dict[str, Any]]) -> None:
    ids = [rec["id"] for rec in items]
    assert all(ID_RE.match(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert ids == [f"extra-{spec.first_id + k:04d}" for k in range(spec.n)]


def test_the_extra_files_share_no_id_and_no_text() -> None:
    files = {n: _load(DATA / n) for n in SPECS}
    seen_ids: dict[str, str] = {}
    seen_text: dict[str, str] = {}
    for n, recs in files.items():
        for rec in recs:
            assert rec["id"] not in seen_ids, f"{rec['id']} in {n} and {seen_ids[rec['id']]}"
            seen_ids[rec["id"]] = n
            text = _all_text(rec).strip().casefold()
            assert text not in seen_text, f"{rec['id']} repeats {seen_text[text]}"
            seen_text[text] = rec["id"]


MINIMAL_PAIR = re.compile(r"Minimal pair of (extra-\d{4})")


def test_minimal_pairs_point_at_each_other_across_the_benign_line(items: list[dict[str, Any]]) -> None:
    """A note "Minimal pair of extra-NNNN" names an item of the same file that names it back, one benign, one not."""
    by_id = {rec["id"]: rec for rec in items}
    for rec in items:
        for other_id in MINIMAL_PAIR.findall(rec["note"]):
            other = by_id.get(other_id)
            assert other is not None, rec["id"]
            assert rec["id"] in MINIMAL_PAIR.findall(other["note"]), rec["id"]
            assert bool(rec["labels"]) != bool(other["labels"]), rec["id"]


def test_ids_do_not_collide_with_the_shared_set(items: list[dict[str, Any]]) -> None:
    if not DEV.exists():
        pytest.skip(f"shared threat set not found at {DEV} (set SITR_SHARED_DATA)")
    dev_ids = {rec["id"] for rec in _load(DEV)}
    assert not dev_ids & {rec["id"] for rec in items}


def test_no_item_duplicates_a_training_item_of_the_shared_set(items: list[dict[str, Any]]) -> None:
    """Only training items are read: validation items are never opened by anything but the evaluation."""
    if not DEV.exists():
        pytest.skip(f"shared threat set not found at {DEV} (set SITR_SHARED_DATA)")
    train = {_all_text(r).strip().casefold() for r in _load(DEV) if not is_validation(r["id"])}
    assert not [r["id"] for r in items if _all_text(r).strip().casefold() in train]


def test_every_threat_in_arabic_script_arabizi_french_and_english(items: list[dict[str, Any]]) -> None:
    for threat in THREATS:
        scripts = {_script(r) for r in items if threat in r["labels"]}
        assert {"ar-script", "arabizi", "fr", "en"} <= scripts, threat
        varieties = {r["variety"] for r in items if threat in r["labels"]} & ARABIC_SCRIPT
        assert len(varieties) >= 3, threat


def test_mix_is_close_to_the_brief(spec: Spec, items: list[dict[str, Any]]) -> None:
    n = len(items)
    benign = sum(1 for r in items if not r["labels"])
    low, high = spec.benign
    assert low <= benign / n <= high
    for threat in THREATS:
        assert sum(1 for r in items if threat in r["labels"]) / n >= 0.07, threat
    assert all(r["kind"] == "conversation" for r in items if "entrapment" in r["labels"])
    assert 0.07 <= sum(r["obfuscated"] for r in items) / n <= 0.13
    assert sum(1 for r in items if r["variety"] in ARABIC_SCRIPT) / n >= spec.min_arabic_script


def _fake_number(run: str) -> bool:
    digits = re.sub("[^0-9]", "", run)
    return len(digits) < 7 or "555" in digits or "000" in digits


def test_every_long_number_is_recognisably_fictional(items: list[dict[str, Any]]) -> None:
    for rec in items:
        text = _all_text(rec).translate(ARABIC_INDIC)
        for run in DIGIT_RUN.findall(text):
            assert _fake_number(run), rec["id"]


@given(st.integers(min_value=1_000_000, max_value=9_999_999_999))
def test_fictional_number_rule_rejects_numbers_without_a_fake_block(number: int) -> None:
    digits = str(number)
    assert _fake_number(digits) == ("555" in digits or "000" in digits)
