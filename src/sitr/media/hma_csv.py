"""Hash lists in the CSV that ThreatExchange's Hasher-Matcher-Actioner (HMA) reads and ships.

The format, as HMA defines it (facebook/ThreatExchange):
- `hasher-matcher-actioner/hmalib/lambdas/pdq/pdq_indexer.py` reads PDQ data files with
  `csv.DictReader(..., fieldnames=PDQ_DATA_FILE_COLUMNS)` where `PDQ_DATA_FILE_COLUMNS = ["hash", "id",
  "timestamp", "tags"]`, and takes `int(row["id"])`;
- `hasher-matcher-actioner/sample_data/pdq.csv` (and the holidays/copydays sample sets) are such files:
  no header, one hash per line, e.g.
  `acecf3355e31...5992,2880742865368386,2020-07-31T18:47:52+0000,media_priority_pdq_samples media_type_photo`
  i.e. 64-hex PDQ hash, numeric id, ISO-8601 timestamp with a +0000 offset, space-separated tags.
Import also accepts the 5-column variant written by python-threatexchange's `HMASerialization`
(`threatexchange/cli/dataset/simple_serialization.py`: hash, indicator id, first descriptor id, added_on, labels),
a bare list of hashes (one column), and a header line. Export always writes the 4-column form above.

Untrusted files: every row is validated, errors name the line and the problem but never echo its content,
and tags are restricted to a conservative character set (which also rules out spreadsheet formula injection).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from sitr.media.pdq import HashFormatError, normalize_hex

MAX_ROWS = 20_000_000
MAX_LINE_CHARS = 4096
MAX_TAGS = 32
_TAG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$")
_ID_RE = re.compile(r"^[0-9]{1,20}$")
_TS_RE = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:?[0-9]{2})?$"
)
_HEADER_FIRST_CELLS = frozenset({"hash", "pdq", "signal", "signal_value", "indicator"})
HMA_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S+0000"


class CsvFormatError(ValueError):
    """A hash-list CSV that cannot be imported; the message names the line and what is wrong with it."""


@dataclass(frozen=True, slots=True)
class HashRecord:
    """One row of a hash list: the PDQ hash and the metadata HMA carries with it."""

    pdq: str
    source_id: str | None = None
    timestamp: str | None = None
    tags: tuple[str, ...] = ()


def parse_tags(value: str, *, line: int | None = None) -> tuple[str, ...]:
    tags = tuple(dict.fromkeys(value.split()))
    where = f"line {line}: " if line is not None else ""
    if len(tags) > MAX_TAGS:
        raise CsvFormatError(f"{where}more than {MAX_TAGS} tags")
    for tag in tags:
        if not _TAG_RE.match(tag):
            raise CsvFormatError(f"{where}a tag must be 1-64 characters of letters, digits, '_', '.', ':' or '-'")
    return tags


def _record(row: list[str], line: int) -> HashRecord:
    cells = [c.strip() for c in row]
    try:
        pdq = normalize_hex(cells[0])
    except HashFormatError:
        raise CsvFormatError(f"line {line}: first column is not a PDQ hash (64 hex characters)") from None
    if len(cells) == 1:
        return HashRecord(pdq)
    if len(cells) == 4:
        source_id, timestamp, tags = cells[1], cells[2], cells[3]
    elif len(cells) == 5:  # HMASerialization: hash, indicator_id, first_descriptor_id, added_on, labels
        source_id, timestamp, tags = cells[1], cells[3], cells[4]
    else:
        raise CsvFormatError(f"line {line}: expected 4 columns (hash,id,timestamp,tags), found {len(cells)}")
    if source_id and not _ID_RE.match(source_id):
        raise CsvFormatError(f"line {line}: id must be a number")
    if timestamp and not _TS_RE.match(timestamp):
        raise CsvFormatError(f"line {line}: timestamp must be ISO 8601 (e.g. 2020-07-31T18:47:52+0000)")
    return HashRecord(pdq, source_id or None, timestamp or None, parse_tags(tags, line=line))


def read_hma_csv(stream: TextIO, *, max_rows: int = MAX_ROWS) -> Iterator[HashRecord]:
    """Parse an HMA hash-list CSV lazily, raising CsvFormatError at the first bad row."""
    line = 0
    for raw in stream:
        line += 1
        if len(raw) > MAX_LINE_CHARS:
            raise CsvFormatError(f"line {line}: longer than {MAX_LINE_CHARS} characters")
        if line > max_rows:
            raise CsvFormatError(f"more than {max_rows} rows")
        if "\x00" in raw:
            raise CsvFormatError(f"line {line}: contains a NUL byte")
        if not raw.strip():
            continue
        try:
            row = next(csv.reader([raw]))
        except csv.Error:
            raise CsvFormatError(f"line {line}: not valid CSV") from None
        if line == 1 and row and row[0].strip().lower() in _HEADER_FIRST_CELLS:
            continue
        yield _record(row, line)


def format_timestamp(when: datetime | None) -> str:
    if when is None:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime(HMA_TIMESTAMP_FORMAT)


def write_hma_csv(records: Iterable[HashRecord], stream: TextIO) -> int:
    """Write records as HMA's headerless `hash,id,timestamp,tags` CSV; returns the number of rows."""
    writer = csv.writer(stream, lineterminator="\n")
    n = 0
    for r in records:
        writer.writerow([r.pdq, r.source_id or "", r.timestamp or "", " ".join(r.tags)])
        n += 1
    return n
