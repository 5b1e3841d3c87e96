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
import re
from collections import Counter

import numpy as np
import scipy.sparse as sp

from sitr.detect.base import Document, Segment
from sitr.detect.ngrams import CHAR_BITS, WORD_BITS, hashed_ngrams

LEX_CATEGORIES: tuple[str, ...] = (
    "identity_neutral", "identity_pejorative", "identity_reclaimed", "insult", "dehumanize",
    "violence_call", "authority_call", "share_call", "exposure_claim", "self_disclosure", "news_report",
    "advocacy_support", "counter_speech", "religious_discussion", "demand", "money", "threat_expose",
    "threat_harm", "conditional", "deadline", "audience_family", "audience_work", "audience_authority",
    "audience_public", "own_material", "help_seeking", "quote_marker", "debt_context", "meet_push",
    "meet_place", "urgency", "photo_request", "location_request", "id_request", "admission_pressure",
    "bring_friend", "money_offer", "secrecy_reassure", "move_platform", "persona_claim", "address_cue",
    "workplace_cue", "family_cue", "account_unmask", "realname_cue", "business_contact",
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
    "help_seeking", "quote_marker", "debt_context", "business_contact",
)  # fmt: skip
_STRONG_PII = ("phone", "national_id", "address", "gps", "plate", "iban", "handle", "email")
_AUDIENCE = ("audience_family", "audience_work", "audience_authority", "audience_public")

# Conjunctions: (name, (any of group A), (any of group B)); value = min(countA, countB) presence.
_CONJUNCTIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("x_demand_threat", ("lex:demand", "lex:conditional", "lex:deadline"), ("lex:threat_expose", "lex:threat_harm")),
    ("x_material_threat", ("lex:own_material",), ("lex:threat_expose",)),
    ("x_audience_threat", tuple(f"lex:{a}" for a in _AUDIENCE), ("lex:threat_expose", "lex:own_material")),
    ("x_money_threat", ("lex:money",), ("lex:threat_expose", "lex:threat_harm", "lex:conditional")),
    (
        "x_identity_person",
        tuple(f"lex:{c}" for c in (*_IDENTITY, "exposure_claim")),
        tuple(f"lex:{c}" for c in _PERSON) + tuple(f"pii:{k}" for k in _STRONG_PII) + ("name", "name:given"),
    ),
    (
        "x_exposure_person",
        ("lex:exposure_claim",),
        tuple(f"lex:{c}" for c in _PERSON) + tuple(f"pii:{k}" for k in _STRONG_PII) + ("name", "name:given"),
    ),
    (
        "x_pii_hostile",
        tuple(f"pii:{k}" for k in _STRONG_PII),
        tuple(f"lex:{c}" for c in (*_HOSTILE, "exposure_claim", *_IDENTITY)),
    ),
    (
        "x_person_hostile",
        tuple(f"lex:{c}" for c in _PERSON),
        tuple(f"lex:{c}" for c in (*_HOSTILE, "exposure_claim", *_IDENTITY)),
    ),
    (
        "x_identity_hostile",
        tuple(f"lex:{c}" for c in _IDENTITY),
        tuple(f"lex:{c}" for c in ("insult", "dehumanize", "violence_call", "authority_call")),
    ),
    ("x_meet_urgency", ("lex:meet_push",), ("lex:urgency", "lex:meet_place")),
    (
        "x_meet_admission",
        ("lex:meet_push", "lex:meet_place"),
        ("lex:admission_pressure", "lex:photo_request", "lex:location_request", "lex:id_request"),
    ),
    ("x_money_meet", ("lex:money_offer", "lex:money"), ("lex:meet_push", "lex:admission_pressure")),
    ("x_threat_benign", ("lex:threat_expose", "lex:demand"), ("lex:help_seeking", "lex:quote_marker")),
)

_HOSTILE_KEYS = tuple(f"lex:{c}" for c in _HOSTILE)
_BENIGN_KEYS = tuple(f"lex:{c}" for c in _BENIGN)
_IDENTITY_KEYS = tuple(f"lex:{c}" for c in _IDENTITY)
_CONJUNCTION_SETS = tuple((name, frozenset(a), frozenset(b)) for name, a, b in _CONJUNCTIONS)

DENSE_NAMES: tuple[str, ...] = (
    *(f"lex:{c}" for c in LEX_CATEGORIES),
    *(f"pii:{k}" for k in PII_KINDS),
    "name",
    "name:given",
    "near_identity_person",
    "near_hostile_person",
    "hostile_quoted",
    "hostile_unquoted",
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

N_CHAR_FEATURES = 2**CHAR_BITS
N_WORD_FEATURES = 2**WORD_BITS
N_HASH_FEATURES = N_CHAR_FEATURES + N_WORD_FEATURES
# Bumped whenever the meaning of a hashed column changes (tokenisation, hashing); a model card records it and
# loading refuses a model built on another layout. 2: sitr.detect.ngrams instead of scikit-learn's hasher.
# 3: weights per occurrence (no log of counts), so scoring needs no de-duplication.
HASH_LAYOUT = "3"

# Two hashed blocks (sitr.detect.ngrams), each IDF-weighted (the IDF ships with the model) and normalised on its
# own (see _weighted_blocks): character n-grams (orders 2-5, inside words) for morphology, dialect spelling and
# obfuscation; word uni- and bigrams for phrases.


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


def hashed_counts(texts: list[str]) -> sp.csr_matrix:
    """Hashed n-gram counts of both blocks side by side, one entry per distinct n-gram (for the IDF)."""
    char_rows, char_cols, word_rows, word_cols = hashed_ngrams(texts)
    rows = np.concatenate([char_rows, word_rows])
    cols = np.concatenate([char_cols, word_cols + N_CHAR_FEATURES])
    ones = np.ones(rows.shape[0], dtype=np.float32)
    counts = sp.csr_matrix((ones, (rows, cols)), shape=(len(texts), N_HASH_FEATURES), dtype=np.float32)
    counts.sum_duplicates()
    return counts


def compute_idf(counts: sp.csr_matrix) -> np.ndarray:
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf: np.ndarray = (np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0).astype(np.float32)
    return idf


def _occurrences(texts: list[str], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, values), one entry per n-gram occurrence, both blocks together.

    Every occurrence weighs its n-gram's IDF, divided by the root of the sum of squared weights of its block's
    occurrences in that text: the L2 norm when no n-gram repeats, which in short messages is nearly always.
    Defined on occurrences (not distinct n-grams) so scoring needs no de-duplication (`text_margins`).
    """
    char_rows, char_cols, word_rows, word_cols = hashed_ngrams(texts)
    values = []
    for rows, cols in ((char_rows, char_cols), (word_rows, word_cols + N_CHAR_FEATURES)):
        weight = idf[cols]
        norm = np.sqrt(np.bincount(rows, weights=weight * weight, minlength=len(texts)))
        norm[norm == 0] = 1.0
        values.append((weight / norm[rows]).astype(np.float32))
    rows = np.concatenate([char_rows, word_rows])
    cols = np.concatenate([char_cols, word_cols + N_CHAR_FEATURES])
    return rows, cols, np.concatenate(values)


def vectorize_texts(texts: list[str], idf: np.ndarray) -> sp.csr_matrix:
    """The text features as a sparse matrix (for training); `text_margins` is the same product, faster."""
    rows, cols, values = _occurrences(texts, idf)
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(len(texts), N_HASH_FEATURES), dtype=np.float32)
    matrix.sum_duplicates()
    return matrix


def text_margins(texts: list[str], idf: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """`vectorize_texts(texts, idf) @ weights` without building the matrix: shape (len(texts), weights.shape[1])."""
    rows, cols, values = _occurrences(texts, idf)
    # COO times dense is one C loop over the occurrences: no sorting, no de-duplication
    out: np.ndarray = sp.coo_matrix((values, (rows, cols)), shape=(len(texts), N_HASH_FEATURES)) @ weights
    return out


def dense_features(doc: Document) -> np.ndarray:
    row: np.ndarray = dense_matrix([doc])[0]
    return row


def dense_matrix(docs: list[Document]) -> np.ndarray:
    """The dense evidence vectors of a batch, one row per document (filled from each row's non-zero entries:
    the vectors are mostly zeros and converting whole Python lists to NumPy costs more than the features)."""
    out = np.zeros((len(docs), len(DENSE_NAMES)), dtype=np.float32)
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for r, doc in enumerate(docs):
        entries = dense_entries(doc)
        rows.extend([r] * len(entries))
        cols.extend(entries.keys())
        values.extend(entries.values())
    out[rows, cols] = values
    return out


_LOG1P = [math.log1p(n) for n in range(64)]


def _log1p(n: int) -> float:
    return _LOG1P[n] if n < 64 else math.log1p(n)


def dense_entries(doc: Document) -> dict[int, float]:
    """The non-zero entries of a document's dense evidence vector, by column."""
    vec: dict[int, float] = {}
    conversation = doc.item.is_conversation
    authors = author_segments(doc)
    author_ids = {s.index for s in authors}
    counts: Counter[str] = Counter(f.kind for f in doc.findings if not conversation or f.message in author_ids)
    index = DENSE_INDEX
    if counts:
        totals = [0, 0, 0]  # hostile, benign, identity
        for kind, n in counts.items():
            idx = index.get(kind)
            if idx is not None:
                vec[idx] = _log1p(n)
            for t in _TOTALS_OF.get(kind, ()):
                totals[t] += n
        vec[_HOSTILE_TOTAL] = _log1p(totals[0])
        vec[_BENIGN_TOTAL] = _log1p(totals[1])
        vec[_IDENTITY_TOTAL] = _log1p(totals[2])
        present = counts.keys()
        for idx, group_a, group_b in _CONJUNCTION_INDEX:
            if not group_a.isdisjoint(present) and not group_b.isdisjoint(present):
                vec[idx] = 1.0
        vec[_NEAR_IDENTITY], vec[_NEAR_HOSTILE] = _proximity(doc, author_ids)
        if totals[0]:
            quoted, unquoted = _quoted_hostile(doc, author_ids)
            vec[_HOSTILE_QUOTED], vec[_HOSTILE_UNQUOTED] = _log1p(quoted), _log1p(unquoted)
    if conversation:
        _conversation_features(doc, vec)
    vec[index[f"surface:{doc.item.surface}"]] = 1.0
    vec[_LEN_LOG] = math.log1p(sum(len(s.original) for s in authors)) / 8.0
    vec[_BIAS] = 1.0
    return vec


_HOSTILE_TOTAL = DENSE_INDEX["hostile_total"]
_BENIGN_TOTAL = DENSE_INDEX["benign_total"]
_IDENTITY_TOTAL = DENSE_INDEX["identity_total"]
_NEAR_IDENTITY = DENSE_INDEX["near_identity_person"]
_NEAR_HOSTILE = DENSE_INDEX["near_hostile_person"]
_HOSTILE_QUOTED = DENSE_INDEX["hostile_quoted"]
_HOSTILE_UNQUOTED = DENSE_INDEX["hostile_unquoted"]
_LEN_LOG = DENSE_INDEX["len_log"]
_BIAS = DENSE_INDEX["bias_dense"]
_TOTALS_OF: dict[str, tuple[int, ...]] = {
    kind: tuple(t for t, keys in enumerate((_HOSTILE_KEYS, _BENIGN_KEYS, _IDENTITY_KEYS)) if kind in keys)
    for kind in {*_HOSTILE_KEYS, *_BENIGN_KEYS, *_IDENTITY_KEYS}
}
_CONJUNCTION_INDEX = tuple((DENSE_INDEX[name], a, b) for name, a, b in _CONJUNCTION_SETS)


_PERSON_KINDS = frozenset(
    {"name", "name:given", "pii:handle", "pii:phone", "pii:national_id", "pii:address"} | {f"lex:{c}" for c in _PERSON}
)
_CLAIM_KINDS = frozenset({f"lex:{c}" for c in (*_IDENTITY, "exposure_claim")})
_HOSTILE_KINDS = frozenset({f"lex:{c}" for c in _HOSTILE})
NEAR_CHARS = 80


def _proximity(doc: Document, author_ids: set[int | None]) -> tuple[float, float]:
    """Is an identity claim (or a hostile term) said close to a named or located person, in one segment?

    Outing is an orientation claim about an identifiable person; the same words far apart, or about people
    in general, are not. Proximity is a cheap stand-in for syntax that works in every language.
    """
    persons: dict[int | None, list[int]] = {}
    for f in doc.findings:
        if f.kind in _PERSON_KINDS and (f.message in author_ids or not doc.item.is_conversation):
            persons.setdefault(f.message, []).append((f.start + f.end) // 2)
    if not persons:
        return 0.0, 0.0
    identity = hostile = 0.0
    for f in doc.findings:
        kind = f.kind
        if kind not in _CLAIM_KINDS and kind not in _HOSTILE_KINDS:
            continue
        centres = persons.get(f.message)
        if not centres:
            continue
        mid = (f.start + f.end) // 2
        if any(abs(mid - c) <= NEAR_CHARS for c in centres):
            if kind in _CLAIM_KINDS:
                identity = 1.0
            if kind in _HOSTILE_KINDS:
                hostile = 1.0
    return identity, hostile


# Text between quotation marks, as people write them in Arabic, French and English: guillemets, curly and
# straight double quotes, and single quotes that open after a space and close before one (so the apostrophes
# of "l'association" or Arabizi "2a'" are not quotes).
_QUOTED = re.compile(
    r"«[^«»\n]{1,80}»|“[^“”\n]{1,80}”|„[^„“”\n]{1,80}[“”]|\"[^\"\n]{1,80}\"|‘[^‘’\n]{1,80}’"
    r"|(?<![\w'])'[^'\n]{1,60}'(?![\w'])"
)
_QUOTE_CHARS = frozenset("«»“”„\"‘’'")


def _quoted_hostile(doc: Document, author_ids: set[int | None]) -> tuple[int, int]:
    """Hostile terms inside quotation marks (mentioned: counter-speech, reports, a victim quoting an insult)
    and outside them (used). The difference between mentioning a slur and using it is what most hard
    negatives turn on, and quotation marks are its one language-independent mark."""
    conversation = doc.item.is_conversation
    hostile = [f for f in doc.findings if f.kind in _HOSTILE_KINDS and (not conversation or f.message in author_ids)]
    by_segment = {s.index: s.original for s in doc.segments}
    spans: dict[int | None, list[tuple[int, int]]] = {}
    quoted = 0
    for f in hostile:
        if f.message not in spans:
            text = by_segment.get(f.message, "")
            spans[f.message] = [m.span() for m in _QUOTED.finditer(text)] if not _QUOTE_CHARS.isdisjoint(text) else []
        if any(start < f.start and f.end < end for start, end in spans[f.message]):
            quoted += 1
    return quoted, len(hostile) - quoted


def _conversation_features(doc: Document, vec: dict[int, float]) -> None:
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


_DECLINE_SINGLE = frozenset(w for w in _DECLINE_WORDS if " " not in w)
_DECLINE_PHRASES = tuple(w for w in _DECLINE_WORDS if " " in w)


def _looks_like_decline(seg: Segment) -> bool:
    text = seg.norm.text
    return not _DECLINE_SINGLE.isdisjoint(text.split()) or any(w in text for w in _DECLINE_PHRASES)
