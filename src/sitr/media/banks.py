"""Hash banks: the service layer over the `media_banks` tables and the in-memory match index built from them.

`BankStore(session_factory)` is what the CLI and the API call (create, add, remove, clear, list, import, export,
match). Matching goes through a `BankIndex`, built once from every enabled bank and cached until a bank's
revision changes (any write bumps it), so a worker answers matches from memory and notices other workers' edits
with one small query.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, Result, delete, func, insert, select
from sqlalchemy.orm import Session

from sitr.media.hma_csv import HashRecord, format_timestamp, read_hma_csv, write_hma_csv
from sitr.media.index import DEFAULT_MAX_DISTANCE, HashIndex
from sitr.media.models import MEDIA_TABLES, MediaBank, MediaBankHash, utcnow
from sitr.media.pdq import PdqHash, Words, hex_to_words, normalize_hex, words_to_hex
from sitr.types import THREATS

PURPOSES: tuple[str, ...] = ("victim_submitted", "known_extortion", "partner_shared")
# What a match in a bank of each purpose is evidence of, unless the bank says otherwise: a victim's own photo
# reposted is exposure (outing); known extortion material is extortion; partners share campaign material.
DEFAULT_THREAT: dict[str, str] = {
    "victim_submitted": "outing",
    "known_extortion": "extortion",
    "partner_shared": "extortion",
}
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_BATCH = 10_000
# Catching a cached index up with new rows: at most this many extra segments / rows, beyond that rebuild.
_MAX_SEGMENTS = 8
_MAX_CATCH_UP = 200_000


class BankError(ValueError):
    """A bank operation that cannot be done; the message says why."""


class BankNotFoundError(BankError, LookupError):
    pass


class BankExistsError(BankError):
    pass


@dataclass(frozen=True, slots=True)
class BankInfo:
    id: int
    name: str
    purpose: str
    threat: str
    description: str | None
    owner: str | None
    enabled: bool
    revision: int
    size: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "purpose": self.purpose,
            "threat": self.threat,
            "description": self.description,
            "owner": self.owner,
            "enabled": self.enabled,
            "size": self.size,
        }


@dataclass(frozen=True, slots=True)
class Match:
    """A bank hash within the distance of a query hash. `query` indexes the hashes that were searched."""

    bank: str
    purpose: str
    threat: str
    pdq: str
    distance: int
    entry_id: int
    query: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "bank": self.bank,
            "purpose": self.purpose,
            "threat": self.threat,
            "pdq": self.pdq,
            "distance": self.distance,
        }


@dataclass(frozen=True, slots=True)
class AddResult:
    added: int
    duplicates: int

    def to_dict(self) -> dict[str, int]:
        return {"added": self.added, "duplicates": self.duplicates}


@dataclass(frozen=True, slots=True)
class _Segment:
    index: HashIndex
    entry_ids: npt.NDArray[np.int64]
    bank_codes: npt.NDArray[np.int32]


class BankIndex:
    """Every hash of a set of banks in `HashIndex` segments; rows map back to (bank, entry id).

    Immutable: `with_added` returns a new index sharing the existing segments plus a small one for new hashes,
    so adding a hash to a 10M-hash deployment does not rebuild the big tables, and readers never see a
    half-updated index.
    """

    def __init__(
        self,
        words: Words,
        entry_ids: npt.NDArray[np.int64],
        bank_codes: npt.NDArray[np.int32],
        banks: Sequence[BankInfo],
        *,
        parts_per_word: int | None = None,
    ) -> None:
        if not (words.shape[0] == entry_ids.shape[0] == bank_codes.shape[0]):
            raise ValueError("words, entry_ids and bank_codes must have the same length")
        self.banks = tuple(banks)
        self._segments: tuple[_Segment, ...] = (
            _Segment(HashIndex(words, parts_per_word=parts_per_word), entry_ids, bank_codes),
        )

    def with_added(
        self,
        words: Words,
        entry_ids: npt.NDArray[np.int64],
        bank_codes: npt.NDArray[np.int32],
        banks: Sequence[BankInfo],
    ) -> BankIndex:
        """A new index with these rows added; `banks` must extend this index's banks (codes stay valid)."""
        if tuple(banks[: len(self.banks)]) != self.banks:
            raise ValueError("banks must extend the existing bank list")
        out = BankIndex.__new__(BankIndex)
        out.banks = tuple(banks)
        out._segments = (*self._segments, _Segment(HashIndex(words), entry_ids, bank_codes))
        return out

    @property
    def num_segments(self) -> int:
        return len(self._segments)

    @classmethod
    def empty(cls) -> BankIndex:
        return cls(np.zeros((0, 4), dtype=np.uint64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32), [])

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[BankInfo, int, str]]) -> BankIndex:
        """Build from (bank, entry id, hex hash) triples; handy for tests and library use without a database."""
        banks: dict[int, int] = {}
        bank_list: list[BankInfo] = []
        hexes: list[str] = []
        ids: list[int] = []
        codes: list[int] = []
        for bank, entry_id, pdq in entries:
            if bank.id not in banks:
                banks[bank.id] = len(bank_list)
                bank_list.append(bank)
            hexes.append(normalize_hex(pdq))
            ids.append(entry_id)
            codes.append(banks[bank.id])
        return cls(
            hex_to_words(hexes),
            np.array(ids, dtype=np.int64),
            np.array(codes, dtype=np.int32),
            bank_list,
        )

    def __len__(self) -> int:
        return sum(len(seg.index) for seg in self._segments)

    def match_words(self, queries: Words, max_distance: int = DEFAULT_MAX_DISTANCE) -> list[Match]:
        out = []
        for seg in self._segments:
            res = seg.index.search(queries, max_distance)
            if len(res) == 0:
                continue
            hexes = words_to_hex(seg.index.data[res.row])
            for qi, row, dist, pdq in zip(
                res.query.tolist(), res.row.tolist(), res.distance.tolist(), hexes, strict=True
            ):
                bank = self.banks[int(seg.bank_codes[row])]
                out.append(Match(bank.name, bank.purpose, bank.threat, pdq, int(dist), int(seg.entry_ids[row]), qi))
        out.sort(key=lambda m: (m.distance, m.query, m.bank, m.entry_id))
        return out

    def match(self, hashes: Sequence[str], max_distance: int = DEFAULT_MAX_DISTANCE) -> list[Match]:
        """Every bank hash within max_distance of any of the given hashes, closest first."""
        return self.match_words(hex_to_words([normalize_hex(h) for h in hashes]), max_distance)

    def match_image(self, pdq: PdqHash, max_distance: int = DEFAULT_MAX_DISTANCE) -> list[Match]:
        """Matches of an image through all its dihedral hashes, best distance per bank entry, `query` = 0."""
        best: dict[int, Match] = {}
        for m in self.match(list(pdq.all_hashes()), max_distance):
            if m.entry_id not in best or m.distance < best[m.entry_id].distance:
                best[m.entry_id] = m
        return sorted(
            (Match(m.bank, m.purpose, m.threat, m.pdq, m.distance, m.entry_id, 0) for m in best.values()),
            key=lambda m: (m.distance, m.bank, m.entry_id),
        )


def validate_bank_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise BankError("a bank name is 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit")
    return name


def ensure_schema(engine: Engine) -> None:
    """Create the media tables when missing (embedded SQLite use; production schemas come from Alembic)."""
    from sitr.store.base import Base

    Base.metadata.create_all(engine, tables=[Base.metadata.tables[t] for t in MEDIA_TABLES], checkfirst=True)


class BankStore:
    """Hash banks in sitr's database. Thread-safe; each call opens its own session from session_factory."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._sessions = session_factory
        self._lock = threading.Lock()
        self._index: BankIndex | None = None
        self._index_signature: tuple[tuple[int, int, bool], ...] | None = None
        self._loaded: dict[int, tuple[int, int]] = {}  # bank id -> (hashes in the index, highest row id loaded)

    # -- banks ---------------------------------------------------------------------------------------------------

    def create_bank(
        self,
        name: str,
        purpose: str,
        *,
        threat: str | None = None,
        description: str | None = None,
        owner: str | None = None,
    ) -> BankInfo:
        validate_bank_name(name)
        if purpose not in PURPOSES:
            raise BankError(f"purpose must be one of {', '.join(PURPOSES)}")
        threat = threat or DEFAULT_THREAT[purpose]
        if threat not in THREATS:
            raise BankError(f"threat must be one of {', '.join(THREATS)}")
        if description is not None and len(description) > 500:
            raise BankError("description longer than 500 characters")
        with self._sessions() as s, s.begin():
            if s.scalar(select(MediaBank.id).where(MediaBank.name == name)) is not None:
                raise BankExistsError(f"bank {name!r} already exists")
            bank = MediaBank(
                name=name, purpose=purpose, threat=threat, description=description, owner=owner, enabled=True
            )
            s.add(bank)
            s.flush()
            return _info(bank, 0)

    def get_bank(self, name: str) -> BankInfo:
        with self._sessions() as s:
            bank = self._bank(s, name)
            size = s.scalar(select(func.count()).where(MediaBankHash.bank_id == bank.id)) or 0
            return _info(bank, int(size))

    def list_banks(self, *, owner: str | None = None) -> list[BankInfo]:
        """All banks (or only those of one owner), with their sizes, by name."""
        with self._sessions() as s:
            counts = dict(s.execute(select(MediaBankHash.bank_id, func.count()).group_by(MediaBankHash.bank_id)).all())
            q = select(MediaBank).order_by(MediaBank.name)
            if owner is not None:
                q = q.where(MediaBank.owner == owner)
            return [_info(b, int(counts.get(b.id, 0))) for b in s.scalars(q)]

    def set_enabled(self, name: str, enabled: bool) -> BankInfo:
        with self._sessions() as s, s.begin():
            bank = self._bank(s, name)
            bank.enabled = enabled
            _bump(bank)
            return _info(bank, 0)

    def delete_bank(self, name: str) -> int:
        """Delete a bank and its hashes; returns how many hashes went with it."""
        with self._sessions() as s, s.begin():
            bank = self._bank(s, name)
            n = _rowcount(s.execute(delete(MediaBankHash).where(MediaBankHash.bank_id == bank.id)))
            s.delete(bank)
            return n

    # -- hashes --------------------------------------------------------------------------------------------------

    def add_hashes(
        self,
        name: str,
        hashes: Iterable[str | HashRecord | PdqHash],
        *,
        added_by: str | None = None,
    ) -> AddResult:
        """Add hashes (hex strings, CSV records or computed image hashes); hashes already in the bank are skipped.

        All rows are validated before anything is written, and the whole call is one transaction.
        """
        now = utcnow()
        with self._sessions() as s, s.begin():
            bank = self._bank(s, name)
            rows: dict[str, dict[str, object]] = {}
            dup = 0
            for h in hashes:
                row = _row(h, bank.id, added_by, now)
                if row["pdq"] in rows:
                    dup += 1
                else:
                    rows[str(row["pdq"])] = row
            existing = self._existing(s, bank.id, list(rows))
            dup += len(existing)
            new = [r for pdq, r in rows.items() if pdq not in existing]
            for i in range(0, len(new), _BATCH):
                s.execute(insert(MediaBankHash), new[i : i + _BATCH])
            if new:
                _bump(bank)
        return AddResult(len(new), dup)

    @staticmethod
    def _existing(s: Session, bank_id: int, pdqs: list[str]) -> set[str]:
        """Which of these hashes the bank already holds: looked up by key for a few, read in full for many."""
        if len(pdqs) > 20_000:
            return set(s.scalars(select(MediaBankHash.pdq).where(MediaBankHash.bank_id == bank_id))) & set(pdqs)
        found: set[str] = set()
        for i in range(0, len(pdqs), 500):
            chunk = pdqs[i : i + 500]
            found.update(
                s.scalars(
                    select(MediaBankHash.pdq).where(MediaBankHash.bank_id == bank_id, MediaBankHash.pdq.in_(chunk))
                )
            )
        return found

    def remove_hashes(self, name: str, hashes: Iterable[str]) -> int:
        wanted = sorted({normalize_hex(h) for h in hashes})
        removed = 0
        with self._sessions() as s, s.begin():
            bank = self._bank(s, name)
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                res = s.execute(
                    delete(MediaBankHash).where(MediaBankHash.bank_id == bank.id, MediaBankHash.pdq.in_(chunk))
                )
                removed += _rowcount(res)
            if removed:
                _bump(bank)
        return removed

    def clear(self, name: str) -> int:
        """Empty a bank, keeping the bank itself; returns how many hashes were removed."""
        with self._sessions() as s, s.begin():
            bank = self._bank(s, name)
            n = _rowcount(s.execute(delete(MediaBankHash).where(MediaBankHash.bank_id == bank.id)))
            _bump(bank)
            return n

    def iter_records(self, name: str, *, batch: int = _BATCH) -> Iterator[HashRecord]:
        """The bank's hashes as HMA CSV records, in insertion order, streamed in batches."""
        with self._sessions() as s:
            bank = self._bank(s, name)
            last = 0
            while True:
                rows = s.execute(
                    select(
                        MediaBankHash.id,
                        MediaBankHash.pdq,
                        MediaBankHash.source_id,
                        MediaBankHash.created_at,
                        MediaBankHash.tags,
                    )
                    .where(MediaBankHash.bank_id == bank.id, MediaBankHash.id > last)
                    .order_by(MediaBankHash.id)
                    .limit(batch)
                ).all()
                if not rows:
                    return
                for rid, pdq, source_id, created, tags in rows:
                    yield HashRecord(pdq, source_id or str(rid), format_timestamp(created), tuple((tags or "").split()))
                last = rows[-1][0]

    def import_csv(self, name: str, stream: TextIO, *, added_by: str | None = None) -> AddResult:
        """Import an HMA hash-list CSV. The whole file is validated before anything is written."""
        records = list(read_hma_csv(stream))
        return self.add_hashes(name, records, added_by=added_by)

    def export_csv(self, name: str, stream: TextIO) -> int:
        return write_hma_csv(self.iter_records(name), stream)

    # -- matching ------------------------------------------------------------------------------------------------

    def index(self) -> BankIndex:
        """The match index over all enabled banks, kept in step with the database.

        One small query per call compares every bank's revision with the cached index. Banks that only gained
        hashes since (the common case: a victim registers a photo) are caught up by loading just the new rows
        into a small extra segment; anything else (removals, a bank disabled or deleted, or too many extra
        segments) rebuilds the index from scratch.
        """
        with self._sessions() as s:
            sig = tuple(
                (int(i), int(r), bool(e))
                for i, r, e in s.execute(
                    select(MediaBank.id, MediaBank.revision, MediaBank.enabled).order_by(MediaBank.id)
                ).all()
            )
        with self._lock:
            if self._index is not None and sig == self._index_signature:
                return self._index
            built = self._catch_up(sig) if self._index is not None else None
            if built is None:
                built = self._build_index()
            self._index, self._index_signature = built, sig
            return built

    def _catch_up(self, sig: tuple[tuple[int, int, bool], ...]) -> BankIndex | None:
        """The cached index plus the rows added since, or None when only a rebuild will do."""
        assert self._index is not None and self._index_signature is not None
        old = {b: (r, e) for b, r, e in self._index_signature}
        new = {b: (r, e) for b, r, e in sig}
        if any(b not in new or new[b][1] != e for b, (_, e) in old.items()):
            return None  # a bank was deleted, disabled or enabled
        changed = [b for b, (r, e) in new.items() if e and (b not in old or old[b][0] != r)]
        if self._index.num_segments >= _MAX_SEGMENTS:
            return None
        chunks: list[Words] = []
        ids: list[npt.NDArray[np.int64]] = []
        codes: list[npt.NDArray[np.int32]] = []
        banks = list(self._index.banks)
        code = {b.id: i for i, b in enumerate(banks)}
        loaded = dict(self._loaded)
        with self._sessions() as s:
            for bank_id in changed:
                count_before, max_before = loaded.get(bank_id, (0, 0))
                count_now = int(s.scalar(select(func.count()).where(MediaBankHash.bank_id == bank_id)) or 0)
                rows = s.execute(
                    select(MediaBankHash.id, MediaBankHash.pdq)
                    .where(MediaBankHash.bank_id == bank_id, MediaBankHash.id > max_before)
                    .order_by(MediaBankHash.id)
                    .limit(_MAX_CATCH_UP + 1)
                ).all()
                if count_now != count_before + len(rows) or len(rows) > _MAX_CATCH_UP:
                    return None  # something was removed (or too much was added): rebuild
                if bank_id not in code:
                    bank = s.get(MediaBank, bank_id)
                    if bank is None:
                        return None
                    code[bank_id] = len(banks)
                    banks.append(_info(bank, 0))
                loaded[bank_id] = (count_now, int(rows[-1][0]) if rows else max_before)
                if rows:
                    ids.append(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
                    chunks.append(hex_to_words([r[1] for r in rows]))
                    codes.append(np.full(len(rows), code[bank_id], dtype=np.int32))
        self._loaded = loaded
        if not chunks:
            out = BankIndex.__new__(BankIndex)
            out.banks, out._segments = tuple(banks), self._index._segments
            return out
        return self._index.with_added(np.concatenate(chunks), np.concatenate(ids), np.concatenate(codes), banks)

    def _build_index(self) -> BankIndex:
        loaded: dict[int, tuple[int, int]] = {}
        with self._sessions() as s:
            banks = [b for b in s.scalars(select(MediaBank).order_by(MediaBank.id)) if b.enabled]
            infos = [_info(b, 0) for b in banks]
            code = {b.id: i for i, b in enumerate(banks)}
            chunks: list[Words] = []
            ids: list[npt.NDArray[np.int64]] = []
            codes: list[npt.NDArray[np.int32]] = []
            for bank in banks:
                last = count = 0
                while True:
                    rows = s.execute(
                        select(MediaBankHash.id, MediaBankHash.pdq)
                        .where(MediaBankHash.bank_id == bank.id, MediaBankHash.id > last)
                        .order_by(MediaBankHash.id)
                        .limit(100_000)
                    ).all()
                    if not rows:
                        break
                    ids.append(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
                    chunks.append(hex_to_words([r[1] for r in rows]))
                    codes.append(np.full(len(rows), code[bank.id], dtype=np.int32))
                    last = rows[-1][0]
                    count += len(rows)
                loaded[bank.id] = (count, last)
        self._loaded = loaded
        if not chunks:
            return BankIndex(
                np.zeros((0, 4), dtype=np.uint64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32), infos
            )
        return BankIndex(np.concatenate(chunks), np.concatenate(ids), np.concatenate(codes), infos)

    def match(
        self,
        hashes: Sequence[str],
        *,
        max_distance: int = DEFAULT_MAX_DISTANCE,
        banks: Sequence[str] | None = None,
    ) -> list[Match]:
        """Bank hashes within max_distance of any given hash, closest first; optionally only some banks."""
        found = self.index().match(hashes, max_distance)
        if banks is not None:
            keep = set(banks)
            found = [m for m in found if m.bank in keep]
        return found

    # -- helpers -------------------------------------------------------------------------------------------------

    @staticmethod
    def _bank(s: Session, name: str) -> MediaBank:
        bank = s.scalar(select(MediaBank).where(MediaBank.name == name))
        if bank is None:
            raise BankNotFoundError(f"no bank named {name!r}")
        return bank


def _rowcount(res: Result[object]) -> int:
    """Rows a DELETE touched (a CursorResult's rowcount; typed loosely by SQLAlchemy)."""
    return int(getattr(res, "rowcount", 0) or 0)


def _bump(bank: MediaBank) -> None:
    bank.revision = (bank.revision or 0) + 1
    bank.updated_at = utcnow()


def _info(bank: MediaBank, size: int) -> BankInfo:
    return BankInfo(
        id=bank.id,
        name=bank.name,
        purpose=bank.purpose,
        threat=bank.threat,
        description=bank.description,
        owner=bank.owner,
        enabled=bool(bank.enabled),
        revision=int(bank.revision or 0),
        size=size,
    )


def _row(h: str | HashRecord | PdqHash, bank_id: int, added_by: str | None, now: object) -> dict[str, object]:
    if isinstance(h, HashRecord):
        return {
            "bank_id": bank_id,
            "pdq": normalize_hex(h.pdq),
            "quality": None,
            "source_id": h.source_id,
            "tags": " ".join(h.tags) or None,
            "added_by": added_by,
            "created_at": now,
        }
    if isinstance(h, PdqHash):
        return {
            "bank_id": bank_id,
            "pdq": normalize_hex(h.hash),
            "quality": h.quality,
            "source_id": None,
            "tags": None,
            "added_by": added_by,
            "created_at": now,
        }
    return {
        "bank_id": bank_id,
        "pdq": normalize_hex(h),
        "quality": None,
        "source_id": None,
        "tags": None,
        "added_by": added_by,
        "created_at": now,
    }


__all__ = [
    "DEFAULT_THREAT",
    "PURPOSES",
    "AddResult",
    "BankError",
    "BankExistsError",
    "BankIndex",
    "BankInfo",
    "BankNotFoundError",
    "BankStore",
    "Match",
    "ensure_schema",
    "validate_bank_name",
]
