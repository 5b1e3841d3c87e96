"""The FastAPI routes: role checks (admin, partner owns its banks, integration only matches), images dropped."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from fastapi import FastAPI, Header
from fastapi.testclient import TestClient
from PIL import Image, ImageFilter
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from sitr.media.api import make_router
from sitr.media.banks import BankStore, ensure_schema


@dataclass(frozen=True)
class User:
    id: int
    role: str
    organisation: str | None = None


def photo_b64(seed: int, transpose: Image.Transpose | None = None) -> str:
    rng = np.random.default_rng(seed)
    base = (rng.random((9, 12, 3)) * 255).astype(np.uint8)
    im = Image.fromarray(base).resize((320, 240), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    if transpose is not None:
        im = im.transpose(transpose)
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=85)
    return base64.b64encode(buf.getvalue()).decode()


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    engine = create_engine(f"sqlite:///{tmp_path / 'api.db'}", connect_args={"check_same_thread": False})
    ensure_schema(engine)
    store = BankStore(sessionmaker(engine, expire_on_commit=False))

    def get_store() -> BankStore:
        return store

    def get_principal(x_user: int = Header(), x_role: str = Header(), x_org: str | None = Header(None)) -> User:
        return User(x_user, x_role, x_org)

    app = FastAPI()
    app.include_router(make_router(get_store, get_principal), prefix="/v1/media")
    return TestClient(app)


def as_(user: int, role: str, org: str | None = None) -> dict[str, str]:
    return {"x-user": str(user), "x-role": role, **({"x-org": org} if org else {})}


ADMIN = as_(1, "admin")
HELPLINE_A = as_(2, "partner", "helpline-a")
HELPLINE_A2 = as_(3, "partner", "helpline-a")  # a colleague at the same helpline
HELPLINE_B = as_(4, "partner", "helpline-b")
PARTNER_NO_ORG = as_(5, "partner")
PLATFORM = as_(6, "integration")
REVIEWER = as_(7, "reviewer")


def test_partner_registers_victim_photo_and_platform_catches_copy(client: TestClient) -> None:
    r = client.post("/v1/media/banks", json={"name": "a-victims", "purpose": "victim_submitted"}, headers=HELPLINE_A)
    assert r.status_code == 201 and r.json()["owner"] == "org:helpline-a"
    r = client.post(
        "/v1/media/banks/a-victims/images", json={"images": [photo_b64(1), "bm90IGFuIGltYWdl"]}, headers=HELPLINE_A
    )
    assert r.status_code == 200
    body = r.json()
    assert body["added"] == 1 and body["images"][1]["error"] == "not_an_image"
    assert "image" not in str(body["images"][0].keys() - {"image", "pdq", "quality"})

    copy = photo_b64(1, Image.Transpose.ROTATE_90)
    r = client.post("/v1/media/match", json={"images": [copy, photo_b64(2)]}, headers=PLATFORM)
    assert r.status_code == 200
    first, second = r.json()["results"]
    assert first["matches"][0]["bank"] == "a-victims" and first["matches"][0]["purpose"] == "victim_submitted"
    assert first["matches"][0]["distance"] <= 31 and second["matches"] == []


def test_partners_only_see_their_own_banks(client: TestClient) -> None:
    client.post("/v1/media/banks", json={"name": "a-bank", "purpose": "victim_submitted"}, headers=HELPLINE_A)
    client.post("/v1/media/banks", json={"name": "b-bank", "purpose": "partner_shared"}, headers=HELPLINE_B)
    h = "ab" * 32
    assert client.post("/v1/media/banks/a-bank/hashes", json={"hashes": [h]}, headers=HELPLINE_A).json()["added"] == 1
    assert [b["name"] for b in client.get("/v1/media/banks", headers=HELPLINE_B).json()] == ["b-bank"]
    assert [b["name"] for b in client.get("/v1/media/banks", headers=HELPLINE_A2).json()] == ["a-bank"]
    assert client.get("/v1/media/banks", headers=PARTNER_NO_ORG).json() == []
    assert [b["name"] for b in client.get("/v1/media/banks", headers=ADMIN).json()] == ["a-bank", "b-bank"]
    for method, path in [
        ("get", "/v1/media/banks/a-bank"),
        ("get", "/v1/media/banks/a-bank/export"),
        ("delete", "/v1/media/banks/a-bank/hashes"),
        ("delete", "/v1/media/banks/a-bank"),
    ]:
        assert client.request(method, path, headers=HELPLINE_B).status_code == 404
    assert client.post("/v1/media/banks/a-bank/hashes", json={"hashes": [h]}, headers=HELPLINE_B).status_code == 404
    # B cannot learn whether a hash is in A's bank by matching
    assert (
        client.post("/v1/media/match", json={"hashes": [h]}, headers=HELPLINE_B).json()["results"][0]["matches"] == []
    )
    assert client.post("/v1/media/match", json={"hashes": [h]}, headers=HELPLINE_A).json()["results"][0]["matches"]
    assert client.get("/v1/media/banks/a-bank", headers=ADMIN).json()["size"] == 1


def test_role_checks(client: TestClient) -> None:
    assert client.get("/v1/media/banks", headers=PLATFORM).status_code == 403
    assert (
        client.post("/v1/media/banks", json={"name": "x", "purpose": "victim_submitted"}, headers=PLATFORM).status_code
        == 403
    )
    assert client.post("/v1/media/match", json={"hashes": ["ab" * 32]}, headers=REVIEWER).status_code == 403
    assert client.post("/v1/media/match", json={"hashes": ["ab" * 32]}, headers=PLATFORM).status_code == 200


def test_validation_errors(client: TestClient) -> None:
    assert client.post("/v1/media/banks", json={"name": "x", "purpose": "nope"}, headers=ADMIN).status_code == 422
    client.post("/v1/media/banks", json={"name": "x", "purpose": "known_extortion"}, headers=ADMIN)
    assert (
        client.post("/v1/media/banks", json={"name": "x", "purpose": "known_extortion"}, headers=ADMIN).status_code
        == 409
    )
    assert client.post("/v1/media/banks/x/hashes", json={"hashes": ["123"]}, headers=ADMIN).status_code == 422
    assert client.post("/v1/media/match", json={"hashes": ["123"]}, headers=ADMIN).status_code == 422
    assert client.post("/v1/media/match", json={"max_distance": 500}, headers=ADMIN).status_code == 422
    r = client.post("/v1/media/match", json={"images": ["!!!"]}, headers=ADMIN)
    assert r.json()["results"][0]["error"] == "not_an_image"


def test_csv_import_export_and_removal(client: TestClient) -> None:
    client.post("/v1/media/banks", json={"name": "ext", "purpose": "known_extortion"}, headers=ADMIN)
    h1, h2 = "12" * 32, "34" * 32
    csv_text = f"{h1},1001,2020-07-31T18:47:52+0000,campaign_x\n{h2},1002,2020-07-31T18:47:52+0000,\n"
    r = client.post("/v1/media/banks/ext/import", content=csv_text, headers={**ADMIN, "content-type": "text/csv"})
    assert r.status_code == 200 and r.json() == {"added": 2, "duplicates": 0}
    bad = client.post("/v1/media/banks/ext/import", content="nope\n", headers={**ADMIN, "content-type": "text/csv"})
    assert bad.status_code == 422 and "line 1" in bad.json()["detail"]
    r = client.get("/v1/media/banks/ext/export", headers=ADMIN)
    assert r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines()[0].startswith(f"{h1},1001,") and r.text.splitlines()[0].endswith(",campaign_x")
    assert client.post("/v1/media/banks/ext/hashes/remove", json={"hashes": [h1]}, headers=ADMIN).json() == {
        "removed": 1
    }
    assert client.delete("/v1/media/banks/ext/hashes", headers=ADMIN).json() == {"removed": 1}
    assert client.delete("/v1/media/banks/ext", headers=ADMIN).json() == {"removed": 0}
    assert client.get("/v1/media/banks/ext", headers=ADMIN).status_code == 404
