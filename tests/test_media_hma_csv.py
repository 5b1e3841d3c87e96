"""HMA hash-list CSV: the 4-column files HMA reads and ships, the 5-column threatexchange variant, bad files."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitr.media.hma_csv import CsvFormatError, HashRecord, read_hma_csv, write_hma_csv

H1 = "f" * 16 + "0" * 16 + "1234567890abcdef" * 2
H2 = "0123456789abcdef" * 4


def read(text: str) -> list[HashRecord]:
    return list(read_hma_csv(io.StringIO(text)))


def test_reads_hma_sample_layout() -> None:
    text = (
        f"{H1},2880742865368386,2020-07-31T18:47:52+0000,media_priority_pdq_samples disputed media_type_photo\n"
        f"{H2.upper()},3085240538237227,2020-07-31T18:47:52+0000,\n"
    )
    a, b = read(text)
    assert a == HashRecord(
        H1,
        "2880742865368386",
        "2020-07-31T18:47:52+0000",
        ("media_priority_pdq_samples", "disputed", "media_type_photo"),
    )
    assert b.pdq == H2 and b.tags == ()


def test_reads_threatexchange_five_column_variant_header_and_blank_lines() -> None:
    text = f"hash,id,timestamp,tags\n\n{H1},123,456,2021-05-07T18:07:52+0000,tag_a tag_b\n{H2}\n"
    a, b = read(text)
    assert (a.source_id, a.timestamp, a.tags) == ("123", "2021-05-07T18:07:52+0000", ("tag_a", "tag_b"))
    assert b == HashRecord(H2)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("nothex,1,2020-01-01T00:00:00+0000,a\n", "line 1: first column"),
        (f"{H1},1,2\n", "expected 4 columns"),
        (f"{H1},abc,2020-01-01T00:00:00+0000,a\n", "id must be a number"),
        (f"{H1},1,yesterday,a\n", "timestamp"),
        (f"{H1},1,2020-01-01T00:00:00+0000,=cmd|'/c calc'!A0\n", "tag"),
        (f"{H2}\n{H1},1,2020-01-01T00:00:00+0000,bad<tag>\n", "line 2"),
        (f'{H1},"1\n', "line 1"),
        ("x" * 5000 + "\n", "longer than"),
        (f"{H1}\x00\n", "NUL"),
    ],
)
def test_bad_rows_name_the_line_not_the_content(text: str, fragment: str) -> None:
    with pytest.raises(CsvFormatError) as e:
        read(text)
    assert fragment in str(e.value)
    assert "calc" not in str(e.value) and "<tag>" not in str(e.value)


def test_row_limit() -> None:
    with pytest.raises(CsvFormatError):
        list(read_hma_csv(io.StringIO(f"{H1}\n" * 5), max_rows=3))


def test_too_many_tags() -> None:
    tags = " ".join(f"t{i}" for i in range(40))
    with pytest.raises(CsvFormatError):
        read(f"{H1},1,2020-01-01T00:00:00+0000,{tags}\n")


def test_export_is_what_hma_indexer_reads() -> None:
    """HMA's pdq_indexer: csv.DictReader(fieldnames=["hash", "id", "timestamp", "tags"]) and int(row["id"])."""
    buf = io.StringIO()
    write_hma_csv([HashRecord(H1, "42", "2020-07-31T18:47:52+0000", ("a", "b")), HashRecord(H2, "7")], buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue()), fieldnames=["hash", "id", "timestamp", "tags"]))
    assert [(r["hash"], int(r["id"]), r["tags"].split()) for r in rows] == [(H1, 42, ["a", "b"]), (H2, 7, [])]
    assert buf.getvalue().splitlines()[0] == f"{H1},42,2020-07-31T18:47:52+0000,a b"


records = st.builds(
    HashRecord,
    st.binary(min_size=32, max_size=32).map(bytes.hex),
    st.one_of(st.none(), st.integers(min_value=0, max_value=10**15).map(str)),
    st.one_of(st.none(), st.just("2021-05-07T18:07:52+0000")),
    st.lists(st.from_regex(r"[a-z0-9][a-z0-9_:.\-]{0,20}", fullmatch=True), max_size=5, unique=True).map(tuple),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(records, max_size=20))
def test_roundtrip(rs: list[HashRecord]) -> None:
    buf = io.StringIO()
    assert write_hma_csv(rs, buf) == len(rs)
    assert read(buf.getvalue()) == rs
