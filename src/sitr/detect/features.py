"""Features the threat model reads: hashed character n-grams of the text and a dense vector of evidence.

Why both: character n-grams over the normalized text (and its Arabizi-to-Arabic view) carry dialect spelling
and morphology that no word list covers; the dense evidence vector (lexicon categories, personal data,
conversation pacing, and a few conjunctions such as "demand AND threat to expose") carries the definitions of
the threats, which a linear model cannot learn from 500 examples alone. The conjunctions are what makes the
model generalise to wordings it never saw.

For a conversation only the other party's messages count as the author's text (labels describe what `x`
does to the protected user); the protected user's replies feed a few context features only.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from sitr.detect.base import Document, Segment

LEX_CATEGORIES: tuple[str, ...] = (
    "identity_neutral", "identity_pejorative", "identity_reclaimed", "insult", "dehumanize",
    "violence_call", "authority_call", "share_call", "exposure_claim", "self_disclosure", "news_report",
    "advocacy_support", "counter_speech", "religious_discussion", "demand", "money", "threat_expose",
    "threat_harm", "conditional", "deadline", "audience_family", "audience_work", "audience_authority",
    "audience_public", "own_material", "help_seeking", "quote_marker", "debt_context", "meet_push",
    "meet_place", "urgency", "photo_request", "location_request", "id_request", "admission_pressure",
    "bring_friend", "money_offer", "secrecy_reassure", "move_platform", "persona_claim", "address_cue",
    "workplace_cue", "family_cue", "account_unmask", "realname_cue",
)  # fmt: skip

PII_KINDS: tuple[str, ...] = (
    "phone", "email", "url", "handle", "national_id", "address", "gps", "plate", "iban",
)  # fmt: skip

SURFACE_NAMES: tuple[str, ...] = ("post", "comment", "dm", "dating_chat")

ENTRAPMENT_CUES: tuple[str, ...] = (
    "meet_push", "meet_place", "urgency", "photo_request", "location_request", "id_request",
    "admission_pressure", "bring_friend", "money_offer", "secrecy_reassure", "move_platform", "persona_claim",
)  # fmt: skip

_IDENTITY = ("identity_neutral", "identity_pejorative", "identity_reclaimed")
_HOSTILE = ("identity_pejorative", "insult", "dehumanize", "violence_call", "authority_call", "share_call")
_PERSON = ("address_cue", "workplace_cue", "family_cue", "account_unmask", "realname_cue")
_BENIGN = (
    "self_disclosure", "news_report", "advocacy_support", "counter_speech", "religious_discussion",
    "help_seeking", "quote_marker", "debt_context",
)  # fmt: skip
_STRONG_PII = ("phone", "national_id", "address", "gps", "plate", "iban", "handle", "email")
_AUDIENCE = ("audience_family", "audience_work", "audience_authority", "audience_public")

# Conjunctions: (name, (any of group A), (any of group B)); value = min(countA, countB) presence.
_CONJUNCTIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("x_demand_threat", ("lex:demand", "lex:conditional", "lex:deadline"), ("lex:threat_expose", "lex:threat_harm")),
    ("x_material_threat", ("lex:own_material",), ("lex:threat_expose",)),
    ("x_audience_threat", tuple(f"lex:{a}" for a in _AUDIENCE), ("lex:threat_expose", "lex:own_material")),
    ("x_money_threat", ("lex:money",), ("lex:threat_expose", "lex:threat_harm", "lex:conditional")),
    ("x_identity_person", tuple(f"lex:{c}" for c in (*_IDENTITY, "exposure_claim")),
     tuple(f"lex:{c}" for c in _PERSON) + tuple(f"pii:{k}" for k in _STRONG_PII) + ("name",)),
    ("x_exposure_person", ("lex:exposure_claim",),
     tuple(f"lex:{c}" for c in _PERSON) + tuple(f"pii:{k}" for k in _STRONG_PII) + ("name",)),
    ("x_pii_hostile", tuple(f"pii:{k}" for k in _STRONG_PII),
     tuple(f"lex:{c}" for c in (*_HOSTILE, "exposure_claim", *_IDENTITY))),
    ("x_person_hostile", tuple(f"lex:{c}" for c in _PERSON),
     tuple(f"lex:{c}" for c in (*_HOSTILE, "exposure_claim", *_IDENTITY))),
    ("x_identity_hostile", tuple(f"lex:{c}" for c in _IDENTITY),
     tuple(f"lex:{c}" for c in ("insult", "dehumanize", "violence_call", "authority_call"))),
    ("x_meet_urgency", ("lex:meet_push",), ("lex:urgency", "lex:meet_place")),
    ("x_meet_admission", ("lex:meet_push", "lex:meet_place"),
     ("lex:admission_pressure", "lex:photo_request", "lex:location_request", "lex:id_request")),
    ("x_money_meet", ("lex:money_offer", "lex:money"), ("lex:meet_push", "lex:admission_pressure")),
    ("x_threat_benign", ("lex:threat_expose", "lex:demand"), ("lex:help_seeking", "lex:quote_marker")),
)

DENSE_NAMES: tuple[str, ...] = (
    *(f"lex:{c}" for c in LEX_CATEGORIES),
    *(f"pii:{k}" for k in PII_KINDS),
    "name",
    "hostile_total",
    "benign_total",
    "identity_total",
    *(c[0] for c in _CONJUNCTIONS),
    "conv",
    "conv_x_messages",
    "conv_distinct_cues",
    "conv_cue_messages_share",
    "conv_first_meet_early",
    "conv_first_photo_early",
    "conv_u_declines",
    "conv_x_questions",
    *(f"surface:{s}" for s in SURFACE_NAMES),
    "len_log",
    "bias_dense",
)
DENSE_INDEX: dict[str, int] = {n: i for i, n in enumerate(DENSE_NAMES)}

N_HASH_FEATURES = 2**18

_VECTORIZER = HashingVectorizer(
    analyzer="char_wb",
    ngram_range=(2, 5),
    n_features=N_HASH_FEATURES,
    alternate_sign=False,
    norm="l2",
    lowercase=False,
    dtype=np.float32,
)


def author_segments(doc: Document) -> list[Segment]:
    """The text whose author the labels describe: the post, or the other party's messages."""
    if not doc.item.is_conversation:
        return doc.segments
    target = doc.item.target
    return [s for s in doc.segments if s.sender != target] if target is not None else doc.segments


def model_text(doc: Document) -> str:
    """What the n-gram vectorizer reads: author text in its normalized view plus its Arabizi view."""
    parts: list[str] = []
    for seg in author_segments(doc):
        parts.append(seg.norm.text)
        if seg.arabizi is not None and seg.arabizi.text != seg.norm.text:
            parts.append(seg.arabizi.text)
    return " \n ".join(parts)


def vectorize_texts(texts: list[str]) -> object:
    """Hashed char n-grams (a scipy CSR matrix). Stateless: no vocabulary to ship."""
    return _VECTORIZER.transform(texts)


def dense_features(doc: Document) -> np.ndarray:
    vec = np.zeros(len(DENSE_NAMES), dtype=np.float32)
    author_ids = {s.index for s in author_segments(doc)}
    counts: Counter[str] = Counter()
    for f in doc.findings:
        if f.message in author_ids or not doc.item.is_conversation:
            counts[f.kind] += 1
    for kind, n in counts.items():
        idx = DENSE_INDEX.get(kind)
        if idx is not None:
            vec[idx] = math.log1p(n)
    vec[DENSE_INDEX["hostile_total"]] = math.log1p(sum(counts[f"lex:{c}"] for c in _HOSTILE))
    vec[DENSE_INDEX["benign_total"]] = math.log1p(sum(counts[f"lex:{c}"] for c in _BENIGN))
    vec[DENSE_INDEX["identity_total"]] = math.log1p(sum(counts[f"lex:{c}"] for c in _IDENTITY))
    for name, group_a, group_b in _CONJUNCTIONS:
        a = sum(counts[k] for k in group_a)
        b = sum(counts[k] for k in group_b)
        vec[DENSE_INDEX[name]] = 1.0 if a and b else 0.0
    if doc.item.is_conversation:
        _conversation_features(doc, vec)
    vec[DENSE_INDEX[f"surface:{doc.item.surface}"]] = 1.0
    total_len = sum(len(s.original) for s in author_segments(doc))
    vec[DENSE_INDEX["len_log"]] = math.log1p(total_len) / 8.0
    vec[DENSE_INDEX["bias_dense"]] = 1.0
    return vec


def _conversation_features(doc: Document, vec: np.ndarray) -> None:
    """Pacing and pattern of the other party's messages: entrapment is the pattern, not a single cue."""
    target = doc.item.target
    x_segments = [s for s in doc.segments if s.sender != target]
    u_segments = [s for s in doc.segments if s.sender == target]
    by_message: dict[int | None, set[str]] = {}
    for f in doc.findings:
        if f.kind.startswith("lex:"):
            by_message.setdefault(f.message, set()).add(f.kind[4:])
    cues_seen: set[str] = set()
    cue_messages = 0
    first_meet: int | None = None
    first_photo: int | None = None
    for pos, seg in enumerate(x_segments):
        cats = by_message.get(seg.index, set())
        cues = cats.intersection(ENTRAPMENT_CUES)
        if cues:
            cue_messages += 1
            cues_seen |= cues
        if first_meet is None and cats & {"meet_push", "meet_place"}:
            first_meet = pos
        if first_photo is None and cats & {"photo_request", "location_request", "id_request"}:
            first_photo = pos
    n_x = max(len(x_segments), 1)
    vec[DENSE_INDEX["conv"]] = 1.0
    vec[DENSE_INDEX["conv_x_messages"]] = math.log1p(len(x_segments))
    vec[DENSE_INDEX["conv_distinct_cues"]] = len(cues_seen) / 4.0
    vec[DENSE_INDEX["conv_cue_messages_share"]] = cue_messages / n_x
    vec[DENSE_INDEX["conv_first_meet_early"]] = 1.0 if first_meet is not None and first_meet <= 3 else 0.0
    vec[DENSE_INDEX["conv_first_photo_early"]] = 1.0 if first_photo is not None and first_photo <= 3 else 0.0
    declines = sum(1 for s in u_segments if _looks_like_decline(s))
    vec[DENSE_INDEX["conv_u_declines"]] = math.log1p(declines)
    vec[DENSE_INDEX["conv_x_questions"]] = sum(s.original.count("?") + s.original.count("؟") for s in x_segments) / n_x


_DECLINE_WORDS = (
    "لا", "مش", "مو", "ما بعرف", "بعدين", "no", "not", "later", "rather not", "non", "pas", "plus tard",
    "la2", "msh", "mish", "mech", "bla", "ba3dein", "ba3den",
)  # fmt: skip


def _looks_like_decline(seg: Segment) -> bool:
    words = set(seg.norm.text.split())
    return any(w in words for w in _DECLINE_WORDS if " " not in w) or any(
        w in seg.norm.text for w in _DECLINE_WORDS if " " in w
    )
