"""The lexicon matcher: file validation, word boundaries per script, gaps, obfuscation, spans, Arabizi view.

Most tests compile a tiny lexicon of their own (so they do not depend on the shipped word lists, which other
people edit); a few check the shipped lexicon on terms this module's own lists define.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitr.detect.base import Document, Segment
from sitr.detect.lexicon import LexiconExtractor
from sitr.lexicons import CATEGORIES, Lexicon, LexiconError, Match, match, parse_tsv
from sitr.text.arabizi import arabizi_view
from sitr.text.normalize import normalize
from sitr.types import Item

HEADER = "term\tlang\tvariety\tcategory\tsource\n"


def lex(*rows: str) -> Lexicon:
    """A lexicon from `term|lang|variety|category` rows."""
    body = "".join("\t".join([*r.split("|"), "test"]) + "\n" for r in rows)
    return Lexicon(parse_tsv(HEADER + body, "test.tsv"))


def found(lexicon: Lexicon, text: str, arabizi: bool = False) -> list[tuple[str, str]]:
    """(category, original substring) of every match."""
    norm = normalize(text)
    view = arabizi_view(norm) if arabizi else None
    return [(m.category, text[m.start : m.end]) for m in lexicon.match(norm, arabizi=view)]


def cats(lexicon: Lexicon, text: str, arabizi: bool = False) -> set[str]:
    return {c for c, _ in found(lexicon, text, arabizi)}


# --- file validation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("gay\ten\ten\tnot_a_category\tx", "unknown category"),
        ("gay\tde\ten\tidentity_neutral\tx", "unknown lang"),
        ("gay\ten\tbavarian\tidentity_neutral\tx", "unknown variety"),
        ("\ten\ten\tidentity_neutral\tx", "empty term"),
        ("gay\ten\ten\tidentity_neutral", "columns"),
        ("gay\ten\ten\tidentity_neutral\t", "empty source"),
        ("* to your family\ten\ten\tthreat_expose\tx", "gap"),
        ("\u200b\u200b\ten\ten\tidentity_neutral\tx", "empty after normalization"),
    ],
)
def test_bad_rows_name_file_and_line(row: str, fragment: str) -> None:
    content = HEADER + "# a comment\nqueer\ten\ten\tidentity_neutral\tx\n" + row + "\n"
    with pytest.raises(LexiconError) as err:
        parse_tsv(content, "broken.tsv")
    assert "broken.tsv:4:" in str(err.value)
    assert fragment in str(err.value)


def test_missing_or_wrong_header_is_an_error() -> None:
    with pytest.raises(LexiconError, match=r"nope\.tsv:1: header"):
        parse_tsv("term\tlang\tcategory\n", "nope.tsv")
    with pytest.raises(LexiconError, match="missing header"):
        parse_tsv("# only a comment\n", "empty.tsv")


def test_comments_and_blank_lines_are_skipped() -> None:
    rows = parse_tsv(HEADER + "\n# c\n   \ngay\ten\ten\tidentity_neutral\tx\n", "ok.tsv")
    assert [(r.term, r.line) for r in rows] == [("gay", 5)]


# --- Latin word boundaries ---------------------------------------------------------------------------------

LATIN = lex(
    "gay|en|en|identity_neutral",
    "pédé|fr|fr|identity_pejorative",
    "shaz|ar-Latn|any|identity_pejorative",
    "khawal|ar-Latn|egy|identity_pejorative",
    "lock them up|en|en|authority_call",
)


def test_latin_term_must_stand_as_a_word() -> None:
    assert cats(LATIN, "Ungayable, gayness, megayy") == set()
    assert found(LATIN, "so gay, really") == [("identity_neutral", "gay")]
    assert found(LATIN, "GAY!") == [("identity_neutral", "GAY")]
    assert cats(LATIN, "anti-gay laws") == {"identity_neutral"}


def test_plural_and_feminine_endings_for_french_and_english() -> None:
    assert found(LATIN, "les gays et les pédés") == [
        ("identity_neutral", "gays"),
        ("identity_pejorative", "pédés"),
    ]
    assert cats(LATIN, "gayish gayer") == set()  # not allowed endings


def test_arabizi_term_not_inside_other_words_but_with_attached_article() -> None:
    assert cats(LATIN, "shazam is an app; shazly street") == set()
    assert found(LATIN, "ya shaz") == [("identity_pejorative", "shaz")]
    assert found(LATIN, "elkhawal da") == [("identity_pejorative", "elkhawal"[2:])]
    assert found(LATIN, "lkhawal") == [("identity_pejorative", "khawal")]
    assert cats(LATIN, "khawalzzz") == set()


def test_multiword_terms_match_across_collapsed_whitespace() -> None:
    assert found(LATIN, "LOCK   them\n up") == [("authority_call", "LOCK   them\n up")]
    assert cats(LATIN, "lock them upstairs") == set()


# --- Arabic clitics and suffixes ---------------------------------------------------------------------------

ARABIC = lex(
    "شواذ|ar|msa|identity_pejorative",
    "شاذ|ar|msa|identity_pejorative",
    "مثلي|ar|msa|identity_neutral",
    "خول|ar|egy|identity_pejorative",
    "شاز|ar|egy|identity_pejorative",
    "لازم يتحرقوا|ar|egy|violence_call",
    "امه|ar|msa|family_cue",
)


@pytest.mark.parametrize("text", ["والشواذ", "للمثليين", "بالشواذ", "فالشاذ", "وللمثليين", "كالشواذ"])
def test_arabic_terms_after_proclitics(text: str) -> None:
    assert cats(ARABIC, text) & {"identity_pejorative", "identity_neutral"}


@pytest.mark.parametrize(
    ("text", "span"),
    [("شاذين", "شاذين"), ("مثليات", "مثليات"), ("مثلية", "مثلية"), ("مثليه", "مثليه"), ("شواذهم", "شواذهم")],
)
def test_arabic_terms_before_suffixes_and_the_span_covers_the_suffix(text: str, span: str) -> None:
    assert [s for _, s in found(ARABIC, text)] == [span]


@pytest.mark.parametrize(
    "text",
    [
        "نشاز",  # dissonance: شاز inside a word, ن is no proclitic
        "الدخول",  # entering: خول inside a word
        "الشاذلي",  # a surname: لي is no suffix
        "مثلما",  # "just as"
        "خولة صديقتي",  # the name Khawla, folded to خوله: a homograph, not خول + ه
        "خطر على الأمة",  # the nation, not "his mother"
    ],
)
def test_arabic_terms_not_inside_other_words(text: str) -> None:
    assert found(ARABIC, text) == []


def test_khawalat_and_prefixed_plural_still_match() -> None:
    assert found(ARABIC, "البلد اتملت خولات") == [("identity_pejorative", "خولات")]


def test_multiword_arabic_term_takes_a_suffix_on_its_last_word() -> None:
    assert found(ARABIC, "دول لازم يتحرقوا") == [("violence_call", "لازم يتحرقوا")]


# --- gaps --------------------------------------------------------------------------------------------------

GAPS = lex("send * to your family|en|en|threat_expose", "اللي يشوف * يبلغ|ar|msa|share_call")


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("send it to your family", True),
        ("send the whole video to your family", True),  # 3 words between
        ("send to your family", True),  # "up to three" includes none
        ("send one two three four to your family", False),  # 4 words between
        ("to your family send it", False),  # order matters
        ("I will send them all to your family now", True),
    ],
)
def test_gap_allows_up_to_three_words(text: str, hit: bool) -> None:
    assert (cats(GAPS, text) == {"threat_expose"}) is hit


def test_gap_span_covers_first_to_last_part() -> None:
    assert found(GAPS, "ok, send it to your family.") == [("threat_expose", "send it to your family")]
    # each part of an Arabic term takes its suffixes: يشوفه = يشوف + ه
    assert found(GAPS, "اللي يشوفه في الشارع يبلغ") == [("share_call", "اللي يشوفه في الشارع يبلغ")]
    assert found(GAPS, "اللي يشوف الواد ده يبلغ عنه") == [("share_call", "اللي يشوف الواد ده يبلغ")]


# --- normalization, obfuscation, spans ---------------------------------------------------------------------

OBF = lex(
    "gay|en|en|identity_neutral",
    "faggot|en|en|identity_pejorative",
    "dyke|en|en|identity_pejorative",
    "شاذ|ar|msa|identity_pejorative",
    "شواذ|ar|msa|identity_pejorative",
)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("you g.a.y boy", "g.a.y"),
        ("fa\u200bggot", "fa\u200bggot"),
        ("f4gg0t", "f4gg0t"),
        ("d🌈y🌈k🌈e", "d🌈y🌈k🌈e"),
        ("gаy", "gаy"),  # Cyrillic а
        ("gaaaaay", "gaaaaay"),
        ("هذا ش ا ذ", "ش ا ذ"),
        ("الشـــواذ", "شـــواذ"),
        ("الشَّوَاذّ", "شَّوَاذّ"),
        ("ش🌈اذ", "ش🌈اذ"),
    ],
)
def test_obfuscated_input_matches_and_span_shows_the_original(text: str, span: str) -> None:
    hits = found(OBF, text)
    assert hits, text
    assert hits[0][1] == span


def test_spans_index_the_original_text() -> None:
    text = "  Hey   YOU faggot!!  "
    (m,) = OBF.match(normalize(text))
    assert (m.start, m.end) == (12, 18)
    assert text[m.start : m.end] == "faggot"


# --- Arabic-script terms over the Arabizi view -------------------------------------------------------------

VIEW = lex("انا مثلي|ar|msa|self_disclosure", "خول|ar|egy|identity_pejorative", "gay|en|en|identity_neutral")


def test_arabic_terms_also_match_arabizi_through_the_view() -> None:
    assert cats(VIEW, "ana mithli") == set()
    assert found(VIEW, "ana mithli w mabsout", arabizi=True) == [("self_disclosure", "ana mithli")]
    assert ("identity_pejorative", "khawal") in found(VIEW, "enta khawal", arabizi=True)


def test_latin_terms_are_not_matched_twice_through_the_view() -> None:
    assert found(VIEW, "ana gay", arabizi=True) == [("identity_neutral", "gay")]


# --- deduplication -----------------------------------------------------------------------------------------

DEDUP = lex(
    "lock them up|en|en|authority_call",
    "lock them|en|en|authority_call",
    "them up|en|en|authority_call",
    "lock|en|en|insult",
)


def test_overlaps_of_one_category_keep_the_longest_other_categories_stay() -> None:
    assert found(DEDUP, "lock them up") == [("insult", "lock"), ("authority_call", "lock them up")]


def test_same_term_in_two_languages_gives_one_match() -> None:
    two = lex("trans|en|en|identity_neutral", "trans|fr|fr|identity_neutral", "ftm|en|en|identity_neutral")
    (m,) = two.match(normalize("trans rights"))
    assert (m.lang, m.variety) == ("any", "any")  # the rows disagree: no language is claimed
    (m,) = two.match(normalize("ftm"))
    assert (m.lang, m.variety) == ("en", "en")
    assert len(two) == 3


def test_results_are_sorted_by_start() -> None:
    ms = DEDUP.match(normalize("lock them up, then lock them up again"))
    assert [m.start for m in ms] == sorted(m.start for m in ms)


# --- properties --------------------------------------------------------------------------------------------

PROP = lex(
    "gay|en|en|identity_neutral",
    "شواذ|ar|msa|identity_pejorative",
    "send * to your family|en|en|threat_expose",
    "zamel|ar-Latn|mag|identity_pejorative",
)
ALPHABET = st.sampled_from(list("gaysendtofmilyzel شواذ.-*🌈\u200b\u0640ـً،,!3579"))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_matches_are_well_formed_on_any_input(text: str) -> None:
    norm = normalize(text)
    ms = PROP.match(norm, arabizi=arabizi_view(norm))
    for m in ms:
        assert isinstance(m, Match)
        assert 0 <= m.start < m.end <= len(text)
        assert m.category in CATEGORIES
    assert ms == sorted(ms, key=lambda m: (m.start, m.end, m.category))
    assert PROP.match(norm, arabizi=arabizi_view(norm)) == ms  # deterministic


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet="bcdfhjkpqrvwx ", max_size=30),
    st.sampled_from(["gay", "شواذ", "zamel"]),
    st.text(alphabet="bcdfhjkpqrvwx ", max_size=30),
)
def test_a_term_standing_alone_is_always_found_at_its_place(left: str, term: str, right: str) -> None:
    text = f"{left} {term} {right}"
    spans = [text[m.start : m.end] for m in PROP.match(normalize(text))]
    assert spans == [term]


# --- the shipped lexicon and the extractor -----------------------------------------------------------------


def shipped(text: str) -> set[str]:
    norm = normalize(text)
    return {m.category for m in match(norm, arabizi=arabizi_view(norm))}


def test_shipped_lexicon_boundaries_on_its_own_terms() -> None:
    assert "identity_pejorative" in shipped("ya shaz")
    assert "identity_pejorative" not in shipped("I found it with shazam")
    assert "identity_pejorative" in shipped("والشواذ")
    assert "identity_neutral" in shipped("حقوق للمثليين")
    assert "identity_pejorative" not in shipped("خولة صديقتي من الجامعة")


def test_extractor_emits_namespaced_findings_per_message() -> None:
    texts = ["hi", "الشواذ لازم يتحرقوا", "rahou zamel"]
    segments = []
    for i, t in enumerate(texts):
        norm = normalize(t)
        segments.append(Segment(index=i, sender="x", norm=norm, arabizi=arabizi_view(norm), lang="ar"))
    item = Item.from_dict({"id": "t1", "messages": [{"from": "x", "text": t} for t in texts]})
    doc = Document(item=item, segments=segments, lang="ar", variety="egy")
    extractor = LexiconExtractor()
    assert extractor.name == "lexicon"
    assert {"ar", "ar-Latn", "fr", "en"} <= extractor.languages
    assert extractor.version.startswith("1+")
    findings = extractor.extract(doc)
    kinds = {(f.message, f.kind) for f in findings}
    assert (1, "lex:identity_pejorative") in kinds
    assert (1, "lex:violence_call") in kinds
    assert (2, "lex:identity_pejorative") in kinds
    assert all(f.message != 0 for f in findings)
    for f in findings:
        assert f.kind.startswith("lex:") and f.kind[4:] in CATEGORIES
        assert 0 <= f.start < f.end <= len(texts[f.message or 0])
        assert f.detail in {"msa", "egy", "lev", "glf", "irq", "mag", "any", "fr", "en"}
