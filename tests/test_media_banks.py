"""BankStore on a temporary SQLite file: banks, hashes, HMA import/export, the cached match index."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from sitr.media.banks import (
    BankError,
    BankExistsError,
    BankIndex,
    BankInfo,
    BankNotFoundError,
    BankStore,
    ensure_schema,
)
from sitr.media.hma_csv import CsvFormatError, HashRecord
from sitr.media.models import MediaBankHash
from sitr.media.pdq import PdqHash

H = ["%064x" % (i * 0x9E3779B97F4A7C15 * 0x1F2E3D4C5B6A7988 % (1 << 256)) for i in range(1, 40)]


def near(h: str, bits: int) -> str:
    return "%064x" % (int(h, 16) ^ ((1 << bits) - 1))


@pytest.fixture
def store(tmp_path: Path) -> BankStore:
    engine = create_engine(f"sqlite:///{tmp_path / 'sitr.db'}")
    ensure_schema(engine)
    return BankStore(sessionmaker(engine, expire_on_commit=False))


def test_tables_are_created(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    ensure_schema(engine)
    ensure_schema(engine)  # idempotent
    assert {"media_banks", "media_bank_hashes"} <= set(inspect(engine).get_table_names())


def test_create_list_get_delete(store: BankStore) -> None:
    v = store.create_bank("victims-2024", "victim_submitted", owner="helpline-a")
    assert (v.purpose, v.threat, v.owner) == ("victim_submitted", "outing", "helpline-a")
    store.create_bank("ext", "known_extortion", description="seen in campaigns")
    store.create_bank("shared", "partner_shared", threat="outing", owner="helpline-b")
    assert [b.name for b in store.list_banks()] == ["ext", "shared", "victims-2024"]
    assert [b.name for b in store.list_banks(owner="helpline-a")] == ["victims-2024"]
    assert store.get_bank("ext").threat == "extortion"
    store.add_hashes("ext", H[:3])
    assert store.delete_bank("ext") == 3
    with pytest.raises(BankNotFoundError):
        store.get_bank("ext")


@pytest.mark.parametrize(
    ("name", "purpose", "threat"),
    [
        ("bad name", "victim_submitted", None),
        ("", "victim_submitted", None),
        ("x" * 65, "victim_submitted", None),
        ("ok", "revenge", None),
        ("ok", "victim_submitted", "spam"),
    ],
)
def test_create_validation(store: BankStore, name: str, purpose: str, threat: str | None) -> None:
    with pytest.raises(BankError):
        store.create_bank(name, purpose, threat=threat)


def test_duplicate_bank(store: BankStore) -> None:
    store.create_bank("a", "victim_submitted")
    with pytest.raises(BankExistsError):
        store.create_bank("a", "known_extortion")


def test_add_remove_clear(store: BankStore) -> None:
    store.create_bank("a", "victim_submitted")
    res = store.add_hashes("a", [H[0], H[1].upper(), H[0], PdqHash(H[2], 87), HashRecord(H[3], "9", None, ("t1",))])
    assert (res.added, res.duplicates) == (4, 1)
    assert store.add_hashes("a", [H[1]]).duplicates == 1
    assert store.get_bank("a").size == 4
    assert store.remove_hashes("a", [H[1], H[20]]) == 1
    assert store.clear("a") == 3 and store.get_bank("a").size == 0
    with pytest.raises(BankNotFoundError):
        store.add_hashes("nope", [H[0]])
    with pytest.raises(ValueError):
        store.add_hashes("a", ["not a hash"])
    assert store.get_bank("a").size == 0  # the failed batch was rolled back


def test_only_hashes_are_stored(store: BankStore, tmp_path: Path) -> None:
    store.create_bank("a", "victim_submitted")
    store.add_hashes("a", [PdqHash(H[0], 90)], added_by="partner-1")
    engine = create_engine(f"sqlite:///{tmp_path / 'sitr.db'}")
    with Session(engine) as s:
        row = s.scalars(select(MediaBankHash)).one()
    assert (row.pdq, row.quality, row.added_by) == (H[0], 90, "partner-1")


def test_import_export_roundtrip(store: BankStore) -> None:
    store.create_bank("a", "known_extortion")
    text = f"{H[0]},111,2020-07-31T18:47:52+0000,media_type_photo disputed\n{H[1]},,,\n"
    assert store.import_csv("a", io.StringIO(text)).added == 2
    out = io.StringIO()
    assert store.export_csv("a", out) == 2
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"{H[0]},111,") and lines[0].endswith(",media_type_photo disputed")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000", lines[0].split(",")[2])
    assert lines[1].split(",")[0] == H[1] and lines[1].split(",")[1].isdigit()
    store.create_bank("b", "partner_shared")
    assert store.import_csv("b", io.StringIO(out.getvalue())).added == 2


def test_bad_import_writes_nothing(store: BankStore) -> None:
    store.create_bank("a", "known_extortion")
    with pytest.raises(CsvFormatError):
        store.import_csv("a", io.StringIO(f"{H[0]}\n{H[1]}\nbroken\n"))
    assert store.get_bank("a").size == 0


def test_match_carries_bank_purpose_and_distance(store: BankStore) -> None:
    store.create_bank("victims", "victim_submitted")
    store.create_bank("ext", "known_extortion")
    store.add_hashes("victims", [H[0], H[1]])
    store.add_hashes("ext", [near(H[0], 10), H[5]])
    found = store.match([near(H[0], 3)])
    assert [(m.bank, m.purpose, m.threat, m.distance) for m in found] == [
        ("victims", "victim_submitted", "outing", 3),
        ("ext", "known_extortion", "extortion", 7),
    ]
    assert store.match([near(H[0], 3)], max_distance=5)[0].bank == "victims"
    assert len(store.match([near(H[0], 3)], max_distance=5)) == 1
    assert [m.bank for m in store.match([near(H[0], 3)], banks=["ext"])] == ["ext"]
    assert store.match([H[30]]) == []


def test_index_is_cached_and_refreshed_on_change(store: BankStore) -> None:
    store.create_bank("a", "victim_submitted")
    store.add_hashes("a", [H[0]])
    first = store.index()
    assert store.index() is first
    store.add_hashes("a", [H[1]])
    second = store.index()
    assert second is not first and len(second) == 2
    store.set_enabled("a", False)
    assert len(store.index()) == 0 and store.match([H[0]]) == []
    store.set_enabled("a", True)
    assert len(store.index()) == 2
    store.remove_hashes("a", [H[0]])
    assert store.match([H[0]]) == []
    store.delete_bank("a")
    assert len(store.index()) == 0


def test_index_sees_other_workers_writes(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'w.db'}")
    ensure_schema(engine)
    one = BankStore(sessionmaker(engine))
    two = BankStore(sessionmaker(engine))
    one.create_bank("a", "victim_submitted")
    assert two.match([H[0]]) == []
    one.add_hashes("a", [H[0]])
    assert [m.bank for m in two.match([H[0]])] == ["a"]


def test_bank_index_without_database() -> None:
    bank = BankInfo(1, "v", "victim_submitted", "outing", None, None, True, 0)
    idx = BankIndex.from_entries([(bank, 10, H[0]), (bank, 11, H[1])])
    m = idx.match_image(PdqHash(near(H[1], 2), 100, dihedral=(near(H[1], 2), near(H[1], 9))))
    assert [(x.entry_id, x.distance) for x in m] == [(11, 2)]
    assert len(BankIndex.empty()) == 0


def test_additions_catch_up_without_rebuilding(store: BankStore) -> None:
    store.create_bank("a", "victim_submitted")
    store.add_hashes("a", H[:10])
    base = store.index()
    assert base.num_segments == 1
    store.add_hashes("a", [H[10]])
    store.create_bank("b", "known_extortion")
    store.add_hashes("b", [H[11], H[12]])
    caught_up = store.index()
    assert caught_up.num_segments == 2 and len(caught_up) == 13
    assert [(m.bank, m.purpose) for m in store.match([H[10], H[12]])] == [
        ("a", "victim_submitted"),
        ("b", "known_extortion"),
    ]
    store.create_bank("c", "partner_shared")  # an empty new bank needs no new segment
    assert store.index().num_segments == 2
    store.remove_hashes("a", [H[3]])  # a removal cannot be caught up: full rebuild
    rebuilt = store.index()
    assert rebuilt.num_segments == 1 and len(rebuilt) == 12 and store.match([H[3]]) == []


def test_many_small_additions_are_compacted(store: BankStore) -> None:
    store.create_bank("a", "victim_submitted")
    for h in H[:12]:
        store.add_hashes("a", [h])
        assert len(store.index()) == H.index(h) + 1
    assert store.index().num_segments <= 8
    assert {m.pdq for m in store.match(H[:12], max_distance=0)} == set(H[:12])
