"""The shipped word lists: every row valid, coverage per language, no duplicates, realistic phrases hit.

Only identity.tsv, harassment.tsv, exposure.tsv and context.tsv are checked for content here (other files in
the folder belong to other lexicons and have their own tests); loading checks every file.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import pytest

from sitr.lexicons import CATEGORIES, Row, default_lexicon, load_rows, match
from sitr.text.arabizi import arabizi_view
from sitr.text.normalize import normalize

OWN_FILES: dict[str, frozenset[str]] = {
    "identity.tsv": frozenset({"identity_neutral", "identity_pejorative", "identity_reclaimed", "self_disclosure"}),
    "harassment.tsv": frozenset({"insult", "dehumanize", "violence_call", "authority_call", "share_call"}),
    "exposure.tsv": frozenset(
        {"exposure_claim", "address_cue", "workplace_cue", "family_cue", "account_unmask", "realname_cue"}
    ),
    "context.tsv": frozenset({"news_report", "advocacy_support", "counter_speech", "religious_discussion"}),
}
OWN_CATEGORIES = frozenset().union(*OWN_FILES.values())
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    return load_rows()


def own(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.file in OWN_FILES]


def cats(text: str) -> set[str]:
    norm = normalize(text)
    return {m.category for m in match(norm, arabizi=arabizi_view(norm))}


def test_every_tsv_in_the_folder_loads(rows: list[Row]) -> None:
    shipped = {p.name for p in resources.files("sitr.lexicons").iterdir() if p.name.endswith(".tsv")}
    assert set(OWN_FILES) <= shipped
    # every file contributes rows: the loader did not skip one
    assert {r.file for r in rows} == shipped
    assert len(default_lexicon()) > 0


def test_own_files_have_the_header_and_only_their_categories(rows: list[Row]) -> None:
    folder = resources.files("sitr.lexicons")
    for name, categories in OWN_FILES.items():
        lines = [ln for ln in folder.joinpath(name).read_text("utf-8").splitlines() if not ln.startswith("#")]
        assert lines[0] == "term\tlang\tvariety\tcategory\tsource", name
        assert {r.category for r in rows if r.file == name} == categories, name


def test_every_row_is_valid(rows: list[Row]) -> None:
    assert rows, "no lexicon rows"
    for r in rows:
        assert r.category in CATEGORIES
        assert r.term == r.term.strip() and r.term
        assert normalize(r.term).text.strip(), f"{r.file}:{r.line}"


def test_no_duplicate_rows(rows: list[Row]) -> None:
    def key(r: Row) -> tuple[str, str, str]:
        term = unicodedata.normalize("NFKC", r.term).translate(_AR_FOLD).casefold()
        return " ".join(term.split()), r.lang, r.category

    counts = Counter(key(r) for r in own(rows))
    assert [k for k, n in counts.items() if n > 1] == []


def test_every_own_category_is_covered_in_each_language(rows: list[Row]) -> None:
    langs: dict[str, Counter[str]] = defaultdict(Counter)
    for r in own(rows):
        langs[r.category][r.lang] += 1
    for category in OWN_CATEGORIES:
        for lang in ("ar", "ar-Latn", "fr", "en"):
            assert langs[category][lang] >= 5, f"{category} has {langs[category][lang]} rows in {lang}"


def test_arabic_dialects_are_represented(rows: list[Row]) -> None:
    varieties = {r.variety for r in own(rows) if r.lang == "ar"}
    assert {"msa", "egy", "lev", "glf", "irq", "mag"} <= varieties
    pejorative = {r.variety for r in own(rows) if r.category == "identity_pejorative" and r.lang == "ar"}
    assert {"egy", "lev", "glf", "irq", "mag"} <= pejorative


def test_sources_are_named(rows: list[Row]) -> None:
    allowed_prefixes = ("team:", "HRW 2023", "Oversight Board", "OSACT2020", "MLMA")
    for r in own(rows):
        assert r.source.startswith(allowed_prefixes), f"{r.file}:{r.line} {r.source}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # identity, hostile
        ("الشواذ دول لازم يتحرقوا في ميدان عام", {"identity_pejorative", "violence_call"}),
        ("هاذو الزوامل لازم يتنحاو من البلاد", {"identity_pejorative", "violence_call"}),
        ("يا طبجي", {"identity_pejorative"}),
        ("هذي البويه اللي تشتغل في المجمع", {"identity_pejorative", "workplace_cue"}),
        ("هدول المنايك لازم ينضربوا", {"identity_pejorative", "violence_call"}),
        ("el jarawi lazim yinkitil", {"identity_pejorative", "violence_call"}),
        ("ya 5awal ya wes5", {"identity_pejorative", "insult"}),
        ("kel el shawaz lezim yen7absu", {"identity_pejorative", "authority_call"}),
        ("Ces pédés devraient aller en prison", {"identity_pejorative", "authority_call"}),
        ("Les gouines, on va les ramasser", {"identity_pejorative", "violence_call"}),
        ("those faggots should be arrested", {"identity_pejorative", "authority_call"}),
        ("they're not people, they're a disease", {"dehumanize"}),
        ("هؤلاء ليسوا بشرا بل حيوانات", {"dehumanize"}),
        ("c'est une maladie, des dégénérés", {"dehumanize"}),
        ("share this till his family sees it", {"share_call"}),
        ("انشروا واللي يعرفه يبلغ اهله", {"share_call", "family_cue"}),
        ("Faites tourner, tout le monde doit savoir", {"share_call"}),
        # exposure and doxxing cues
        ("طلع خول وبيقابل رجالة من جريندر", {"exposure_claim", "identity_pejorative"}),
        ("rahou zamel, kolchi 3aref", {"exposure_claim"}),
        ("il est homo et il habite à Hamra", {"exposure_claim", "address_cue"}),
        ("he's gay, works at the clinic, his real name is Zaid", {"exposure_claim", "workplace_cue"}),
        ("اسمه الحقيقي مراد وساكن في جبل الحسين", {"realname_cue", "address_cue"}),
        ("the guy behind @page is a pharmacist", {"account_unmask"}),
        ("صاحب الحساب بيشتغل في البنك", {"account_unmask", "workplace_cue"}),
        ("son vrai nom c'est Amine, son père est imam", {"realname_cue", "family_cue"}),
        ("esmo el 7a2i2i Skander, byeshteghel fel pharmacie", {"realname_cue", "workplace_cue"}),
        # benign context
        ("انا مثلي وفخور", {"self_disclosure", "identity_neutral"}),
        ("ana mithli w mabsout", {"self_disclosure"}),
        ("Je suis lesbienne et fière", {"self_disclosure"}),
        ("I'm trans and I'm still here", {"self_disclosure"}),
        ("Human Rights Watch says security forces used dating apps", {"news_report"}),
        ("أفادت تقارير حقوقية بأن قوات الأمن استخدمت تطبيقات المواعدة", {"news_report"}),
        ("you're not alone, text me if you need to talk", {"advocacy_support"}),
        ("ma 7ada elo 7a2 ya7kem 3lik, enta mesh lewa7dak", {"advocacy_support"}),
        ("Calling someone that isn't a joke. Reported.", {"counter_speech"}),
        ("ده مش تدين، ده تحريض على القتل", {"counter_speech"}),
        ("hadchi machi ra2y, rah ta7rid", {"counter_speech"}),
        ("الموقف الفقهي التقليدي يعتبرها محرمة", {"religious_discussion"}),
        ("En tant qu'imam, je rappelle que l'islam interdit la calomnie", {"religious_discussion", "counter_speech"}),
    ],
)
def test_realistic_phrases_hit_their_categories(text: str, expected: set[str]) -> None:
    got = cats(text)
    assert expected <= got, f"missing {expected - got}"


HOSTILE = {"identity_pejorative", "insult", "dehumanize", "violence_call", "authority_call", "share_call"}


@pytest.mark.parametrize(
    "text",
    [
        "Ma tante arrive demain, on va au marché",
        "خولة صديقتي من الجامعة",
        "سعر العملة ارتفع اليوم",
        "وقفت أمام البيت",
        "I love Shazam and the Zamalek game",
        "مبروك لنادي الزمالك",
        "the meeting is at 5 in the conference room",
        "gayness is not a word I use",
        "a fairy tale about a dragon",
        "نشاز في الموسيقى",
        "الشاذلي راجل طيب",
        "أكلت فراخ مشوية",
    ],
)
def test_benign_phrases_hit_nothing_hostile(text: str) -> None:
    assert not cats(text) & HOSTILE


def _shared_data() -> Path:
    env = os.environ.get("SITR_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.mark.data
def test_training_items_coverage() -> None:
    """On TRAINING items only: most hostile items carry hostile evidence, few benign items do."""
    path = _shared_data() / "threats" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"labelled data not found at {path} (set SITR_SHARED_DATA)")
    from sitr.evaluation.split import is_validation

    hostile_hit = hostile_n = benign_hit = benign_n = person_hit = person_n = 0
    person = {"address_cue", "workplace_cue", "family_cue", "account_unmask", "realname_cue", "exposure_claim"}
    for line in path.read_text("utf-8").splitlines():
        item = json.loads(line)
        if is_validation(item["id"]) or item["kind"] != "message":
            continue
        got = cats(item["text"])
        if "harassment" in item["labels"]:
            hostile_n += 1
            hostile_hit += bool(got & (HOSTILE | {"exposure_claim"}))
        if not item["labels"]:
            benign_n += 1
            benign_hit += bool(got & (HOSTILE - {"share_call"}))
        if "outing" in item["labels"] or "doxxing" in item["labels"]:
            person_n += 1
            person_hit += bool(got & person)
    assert hostile_n and benign_n and person_n
    assert hostile_hit / hostile_n >= 0.85
    assert person_hit / person_n >= 0.85
    assert benign_hit / benign_n <= 0.30
