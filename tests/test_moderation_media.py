"""Known images in the service (issue 6): images on POST /v1/items are matched against the hash banks; a victim's
photo reposted raises the case above every text-only case, and with extortion or outing puts it first."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageFilter
from sqlalchemy import inspect, select
from sqlalchemy.orm import sessionmaker

from conftest import Api, Clock, ScriptedAnalyzer, item
from sitr.media.banks import BankStore
from sitr.media.pdq import hash_image
from sitr.media.signal import DETECTOR, MediaReport
from sitr.moderation.context import Actor, Services
from sitr.moderation.errors import Conflict, Invalid
from sitr.moderation.ingest import ingest
from sitr.moderation.media import (
    TEXT_SEVERITY_MAX,
    TOP_PRIORITY_SEVERITY,
    VICTIM_MATCH_SEVERITY,
    ItemMedia,
    bank_store,
    case_severity,
)
from sitr.moderation.queue import claim_next, list_queue
from sitr.moderation.records import open_content
from sitr.store.db import Database
from sitr.store.models import Case, Event
from sitr.store.models import Item as ItemRow
from sitr.types import THREATS, Signal, Span

PLATFORM = Actor(id=1, name="chatapp", role="integration")
EXTORTION_TEXT = (
    "Send me $500 by tomorrow or I will send your photos to your family and everyone will know you are gay."
)


def photo(seed: int, size: tuple[int, int] = (480, 360)) -> Image.Image:
    """A textured photo-like image (smooth random colour field): PDQ needs texture to give a reliable hash."""
    rng = np.random.default_rng(seed)
    base = (rng.random((9, 12, 3)) * 255).astype(np.uint8)
    return Image.fromarray(base).resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))


def encode(im: Image.Image, fmt: str = "PNG", **kw: Any) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def reposted(seed: int) -> bytes:
    """The victim's photo as an attacker reposts it: mirrored, resized, recompressed."""
    im = photo(seed).transpose(Image.Transpose.FLIP_LEFT_RIGHT).resize((400, 300))
    return encode(im, "JPEG", quality=70)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def register(db: Database, bank: str, purpose: str, *seeds: int) -> None:
    """What a helpline does for a victim: registers the photo's hash (not the photo) through its own BankStore."""
    store = BankStore(sessionmaker(db.engine, expire_on_commit=False))
    store.create_bank(bank, purpose)
    store.add_hashes(bank, [hash_image(encode(photo(s)), dihedral=False) for s in seeds])


def case_of(svc: Services, case_id: int | None) -> Case:
    assert case_id is not None
    with svc.db.read() as s:
        c = s.get(Case, case_id)
        assert c is not None
        return c


@pytest.fixture
def reviewer(make_user: Callable[..., Actor]) -> Actor:
    return make_user("reviewer", languages=["ar"])


def test_victim_photo_with_extortion_is_first_in_the_queue(
    svc: Services, db: Database, analyzer: ScriptedAnalyzer, clock: Clock, reviewer: Actor
) -> None:
    register(db, "victims", "victim_submitted", 1)
    analyzer.set("text-only", doxxing=0.6)  # severity 5, in the reviewer's language, received earlier
    [early] = ingest(svc, [item("text-only", lang="ar")], actor=PLATFORM, platform="chatapp")
    clock.advance(minutes=30)
    analyzer.set("repost", extortion=0.5)
    [r] = ingest(
        svc, [item("repost", "pay or else", lang="en")], actor=PLATFORM, platform="chatapp", images=[[reposted(1)]]
    )
    assert case_of(svc, early.case_id).severity == TEXT_SEVERITY_MAX
    assert case_of(svc, r.case_id).severity == TOP_PRIORITY_SEVERITY
    queue = list_queue(svc, reviewer)
    assert [c["case_id"] for c in queue] == [r.case_id, early.case_id]
    media = r.assessment["media"]
    assert media["severity"] == "critical" and media["top_priority"] is True
    [match] = media["matches"]
    assert (match["image"], match["bank"], match["purpose"]) == (0, "victims", "victim_submitted")
    assert match["distance"] <= 31
    assert [s["detector"] for s in r.assessment["signals"]].count(DETECTOR) == 1
    assert r.assessment["threats"]["outing"]["detected"]  # fused: the victim bank's threat
    with svc.db.read() as s:
        row = s.scalars(select(ItemRow).where(ItemRow.external_id == "repost")).one()
        assert (row.severity, row.content_type) == (TOP_PRIORITY_SEVERITY, "image")
        queued = s.scalars(select(Event).where(Event.type == "queued", Event.case_id == r.case_id)).one()
        assert f'"severity":{TOP_PRIORITY_SEVERITY}' in queued.payload.replace(" ", "")
    claimed = claim_next(svc, reviewer)
    assert claimed is not None and claimed["case_id"] == r.case_id


def test_victim_photo_alone_ranks_above_text_cases_but_below_top_priority(
    svc: Services, db: Database, analyzer: ScriptedAnalyzer, reviewer: Actor
) -> None:
    register(db, "victims", "victim_submitted", 1, 2)
    analyzer.set("text", outing=0.6)
    analyzer.set("top", extortion=0.5)
    results = ingest(
        svc,
        [item("text", lang="ar"), item("photo", "look", lang="en"), item("top", "pay", lang="en")],
        actor=PLATFORM,
        platform="chatapp",
        images=[[], [encode(photo(2), "JPEG", quality=80)], [reposted(1)]],
    )
    text, alone, top = results
    assert alone.assessment["media"]["top_priority"] is False  # the outing signal came from the image alone
    assert case_of(svc, alone.case_id).severity == VICTIM_MATCH_SEVERITY
    # outing's one-hour deadline, although the policy auto-removed without queueing: a human must see it
    c = case_of(svc, alone.case_id)
    assert (c.deadline_at - c.opened_at).total_seconds() == 60 * svc.policy.threats["outing"].review_deadline_minutes
    order = [c["case_id"] for c in list_queue(svc, reviewer)]
    assert order == [top.case_id, alone.case_id, text.case_id]


def test_other_bank_match_keeps_policy_severity(svc: Services, db: Database) -> None:
    register(db, "sextortion", "known_extortion", 3)
    [r] = ingest(svc, [item("e", "hi")], actor=PLATFORM, platform="chatapp", images=[[reposted(3)]])
    assert r.assessment["media"]["severity"] == "high"
    assert r.assessment["threats"]["extortion"]["detected"]
    assert case_of(svc, r.case_id).severity == svc.policy.threats["extortion"].severity


def test_non_matching_image_changes_nothing(svc: Services, db: Database, analyzer: ScriptedAnalyzer) -> None:
    register(db, "victims", "victim_submitted", 1)
    analyzer.set("a", harassment=0.7)
    analyzer.set("b", harassment=0.7)
    [plain] = ingest(svc, [item("a", "same words")], actor=PLATFORM, platform="chatapp")
    [pic] = ingest(svc, [item("b", "same words")], actor=PLATFORM, platform="chatapp", images=[[reposted(5)]])
    media = pic.assessment.pop("media")
    assert media["matches"] == [] and media["severity"] is None and len(media["images"]) == 1
    assert {**pic.assessment, "id": "a"} == plain.assessment
    assert pic.decision == plain.decision
    assert case_of(svc, pic.case_id).severity == case_of(svc, plain.case_id).severity


def test_no_image_no_bank_lookup(svc: Services) -> None:
    [r] = ingest(svc, [item("t")], actor=PLATFORM, platform="chatapp", images=[[]])
    assert "media" not in r.assessment
    assert getattr(svc, "_sitr_bank_store", None) is None


def test_same_id_with_other_images_is_a_conflict(svc: Services, db: Database) -> None:
    register(db, "victims", "victim_submitted", 1)
    [first] = ingest(svc, [item("x", "t")], actor=PLATFORM, platform="chatapp", images=[[reposted(1)]])
    [again] = ingest(svc, [item("x", "t")], actor=PLATFORM, platform="chatapp", images=[[reposted(1)]])
    assert again.duplicate and again.case_id == first.case_id
    with pytest.raises(Conflict):
        ingest(svc, [item("x", "t")], actor=PLATFORM, platform="chatapp", images=[[reposted(5)]])
    with pytest.raises(Conflict):
        ingest(svc, [item("x", "t")], actor=PLATFORM, platform="chatapp")


def test_bank_added_after_start_is_seen(svc: Services, db: Database) -> None:
    [before] = ingest(svc, [item("p1", "t")], actor=PLATFORM, platform="chatapp", images=[[reposted(4)]])
    assert before.assessment["media"]["matches"] == []
    register(db, "late", "victim_submitted", 4)  # another BankStore, as another worker or the bank API would
    [after] = ingest(svc, [item("p2", "t")], actor=PLATFORM, platform="chatapp", images=[[reposted(4)]])
    assert after.assessment["media"]["severity"] == "critical"
    bank_store(svc).set_enabled("late", False)
    [off] = ingest(svc, [item("p3", "t")], actor=PLATFORM, platform="chatapp", images=[[reposted(4)]])
    assert off.assessment["media"]["matches"] == []


def test_corrupt_image_is_refused_and_nothing_recorded(svc: Services) -> None:
    truncated = encode(photo(1))[:300]
    with pytest.raises(Invalid, match=r"item 1: image 0 refused \(corrupt\)"):
        ingest(
            svc,
            [item("ok", "t"), item("bad", "t")],
            actor=PLATFORM,
            platform="chatapp",
            images=[[], [truncated]],
        )
    with svc.db.read() as s:
        assert s.scalars(select(ItemRow)).all() == []


def test_real_pipeline_fuses_the_media_signal(db: Database, clock: Clock) -> None:
    """With sitr's own analyser the media signal goes in as an extra signal and the text's extortion counts."""
    from conftest import TEST_KEY
    from sitr import analyze
    from sitr.moderation.policy_bridge import load_policy
    from sitr.store.crypto import FieldCipher

    real = Services(db=db, cipher=FieldCipher(TEST_KEY), policy=load_policy(), analyzer=analyze, clock=clock)
    register(db, "victims", "victim_submitted", 1)
    r1, r2 = ingest(
        real,
        [item("threat", EXTORTION_TEXT, lang="en"), item("kind", "what a lovely day at the beach", lang="en")],
        actor=PLATFORM,
        platform="chatapp",
        images=[[reposted(1)], [reposted(1)]],
    )
    assert "extortion" in r1.assessment["threats"] and r1.assessment["threats"]["extortion"]["detected"]
    assert r1.assessment["media"]["top_priority"] is True
    assert case_of(real, r1.case_id).severity == TOP_PRIORITY_SEVERITY
    assert r2.assessment["media"]["top_priority"] is False  # outing from the image alone is not the text's
    assert case_of(real, r2.case_id).severity == VICTIM_MATCH_SEVERITY
    assert r1.assessment["versions"][DETECTOR] == "1"


# -- over HTTP ------------------------------------------------------------------------------------------------


def test_api_item_with_victim_photo_tops_the_queue(
    api: Api, db: Database, analyzer: ScriptedAnalyzer, clock: Clock
) -> None:
    register(db, "victims", "victim_submitted", 1)
    analyzer.set("t1", doxxing=0.6)
    first = api.call("POST", "/v1/items", "integration", json={"id": "t1", "text": "x", "lang": "ar"})
    assert first.status_code == 200, first.text
    clock.advance(minutes=5)
    analyzer.set("v1", extortion=0.5)
    body = {"items": [{"id": "v1", "text": "y", "lang": "en", "images": [b64(reposted(1))]}]}
    r = api.call("POST", "/v1/items", "integration", json=body)
    assert r.status_code == 200, r.text
    [out] = r.json()["items"]
    assert out["assessment"]["media"]["top_priority"] is True
    queue = api.call("GET", "/v1/queue", "reviewer").json()["cases"]  # an ar/fr reviewer
    assert queue[0]["case_id"] == out["case_id"] and queue[0]["severity"] == TOP_PRIORITY_SEVERITY
    assert queue[1]["case_id"] == first.json()["item"]["case_id"]
    data_url = "data:image/jpeg;base64," + b64(reposted(1))
    again = api.call(
        "POST", "/v1/items", "integration", json={"id": "v1", "text": "y", "lang": "en", "images": [data_url]}
    )
    assert again.status_code == 200 and again.json()["item"]["duplicate"] is True


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("this is not base64!", "not valid base64"),
        (b64(b"just some bytes, not a picture at all"), "not_an_image"),
        (b64(encode(photo(1))[:200]), "corrupt"),
        (b64(b"%PDF-1.4 a document"), "unsupported_format"),
    ],
)
def test_api_refuses_bad_images_clearly(api: Api, image: str, expected: str) -> None:
    body = {"items": [{"id": "ok", "text": "fine"}, {"id": "bad", "text": "t", "images": [image]}]}
    r = api.call("POST", "/v1/items", "integration", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "invalid"
    assert "item 1" in r.json()["detail"] and expected in r.json()["detail"]
    assert api.call("GET", "/v1/items/ok", "integration").status_code == 404  # the batch is all or nothing


def test_api_limits_images(api: Api) -> None:
    many = {"id": "m", "text": "t", "images": [b64(b"x")] * 17}
    assert api.call("POST", "/v1/items", "integration", json=many).status_code == 422
    assert (
        api.call("POST", "/v1/items", "integration", json={"id": "m", "text": "t", "images": "abc"}).status_code == 422
    )
    big = {"id": "b", "text": "t", "images": ["A" * (300 * 1024)]}
    assert api.call("POST", "/v1/items", "integration", json=big).status_code == 413  # the body limit binds first


def test_api_never_reads_server_files(api: Api, tmp_path: Path) -> None:
    path = tmp_path / "secret.png"
    path.write_bytes(encode(photo(1)))
    r = api.call("POST", "/v1/items", "integration", json={"id": "f", "text": "t", "images": [str(path)]})
    assert r.status_code == 422 and "base64" in r.json()["detail"]


def test_database_holds_no_image_bytes(api: Api, db: Database, svc: Services) -> None:
    register(db, "victims", "victim_submitted", 1)
    image = reposted(1)
    encoded = b64(image)
    body = {"id": "v", "text": "look at this", "images": [encoded]}
    r = api.call("POST", "/v1/items", "integration", json=body)
    assert r.status_code == 200 and r.json()["item"]["assessment"]["media"]["matches"]
    raw_chunks = [image[i : i + 48] for i in range(0, len(image) - 48, len(image) // 8)]
    text_chunks = [encoded[i : i + 64] for i in range(0, len(encoded) - 64, len(encoded) // 8)]
    cells = 0
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for record in conn.exec_driver_sql(f'SELECT * FROM "{table}"'):
                for value in record:
                    cells += 1
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    if isinstance(value, bytes):
                        # encrypted cells could hide content, but not its size
                        assert len(value) < len(image) // 2, table
                        assert not any(c in value for c in raw_chunks), table
                    elif isinstance(value, str):
                        assert len(value) < len(encoded) // 2, table
                        assert not any(c in value for c in text_chunks), table
    assert cells > 50
    with svc.db.read() as s:
        row = s.scalars(select(ItemRow)).one()
        assert open_content(svc.cipher, row) == {"text": "look at this"}
    if db.engine.dialect.name == "sqlite":
        database = db.engine.url.database
        assert database is not None
        files = [Path(database), Path(database + "-wal")]  # WAL mode: recent pages live in the -wal file
        stored = b"".join(f.read_bytes() for f in files if f.exists())
        assert len(stored) > 0
        assert not any(c in stored for c in raw_chunks)
        assert not any(c.encode() in stored for c in text_chunks)


# -- severity rule --------------------------------------------------------------------------------------------


def _media(purpose: str | None) -> ItemMedia:
    if purpose is None:
        return ItemMedia((), MediaReport(), None)
    signal = Signal("outing", 0.9, DETECTOR, "1", (Span(0, 1, f"media:{purpose}:d3"),))
    return ItemMedia((), MediaReport(), signal)


@given(
    policy_severity=st.integers(min_value=0, max_value=TEXT_SEVERITY_MAX),
    purpose=st.sampled_from([None, "victim_submitted", "known_extortion", "partner_shared"]),
    text=st.frozensets(st.sampled_from(THREATS)),
)
def test_case_severity_rule(policy_severity: int, purpose: str | None, text: frozenset[str]) -> None:
    got = case_severity(policy_severity, _media(purpose), text)
    assert case_severity(policy_severity, None, text) == policy_severity
    if purpose == "victim_submitted":
        top = bool(text & {"extortion", "outing"})
        assert got == (TOP_PRIORITY_SEVERITY if top else VICTIM_MATCH_SEVERITY)
        assert got > TEXT_SEVERITY_MAX
    else:
        assert got == policy_severity


def test_severities_sit_above_every_policy_severity() -> None:
    from annotated_types import Le

    from sitr.policy.schema import ThreatRule

    [bound] = [m.le for m in ThreatRule.model_fields["severity"].metadata if isinstance(m, Le)]
    assert bound == TEXT_SEVERITY_MAX < VICTIM_MATCH_SEVERITY < TOP_PRIORITY_SEVERITY


def test_console_shows_the_victim_photo_case_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_web_support import make_web

    for web in make_web(tmp_path, monkeypatch):
        register(web.svc.db, "victims", "victim_submitted", 1)
        web.analyzer.set("t", harassment=0.8)
        text_case = web.submit({"id": "t", "text": "نص", "lang": "ar"})["case_id"]
        web.analyzer.set("v", extortion=0.5)
        photo_case = web.submit({"id": "v", "text": "pay up", "lang": "en", "images": [b64(reposted(1))]})["case_id"]
        amina = web.login("amina")  # an Arabic reviewer
        page = amina.get("/console/queue").text
        assert page.index(f'data-case="{photo_case}"') < page.index(f'data-case="{text_case}"')
        case_page = amina.get(f"/console/cases/{photo_case}")
        assert case_page.status_code == 200 and DETECTOR in case_page.text
