"""FastAPI routes for hash banks and matching, for the API to mount (`make_router(get_store, get_principal)`).

Roles, checked on every route:
- admin: every bank, every operation;
- partner (a trusted helpline registering victims' photos): creates banks it then owns, and lists, fills,
  empties, exports and matches against its own banks only, so a partner cannot probe other partners' banks;
- integration (a platform's API key): matching against all enabled banks, nothing else.
Images sent to these routes are hashed in memory and dropped; only hashes are stored or returned.
"""

# No `from __future__ import annotations`: FastAPI must see the real Annotated dependency types, which are
# local to make_router and cannot be resolved from strings.
import io
from collections.abc import Callable
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sitr.media.banks import PURPOSES, BankError, BankExistsError, BankInfo, BankNotFoundError, BankStore
from sitr.media.hma_csv import CsvFormatError
from sitr.media.images import MAX_IMAGE_BYTES, ImageError, decode_base64_image
from sitr.media.index import DEFAULT_MAX_DISTANCE
from sitr.media.pdq import HashFormatError, PdqHash, hash_image, normalize_hex

MAX_HASHES_PER_REQUEST = 10_000
MAX_IMAGES_PER_REQUEST = 16
MAX_CSV_BYTES = 256 * 1024 * 1024
MANAGE_ROLES = frozenset({"admin", "partner"})
MATCH_ROLES = frozenset({"admin", "partner", "integration"})


class Principal(Protocol):
    """Who is calling, as the API's auth layer provides it (sitr.moderation.context.Actor fits): an id, one role,
    and for partners optionally their organisation, so that every staff member of a helpline shares its banks."""

    @property
    def id(self) -> object: ...

    @property
    def role(self) -> str: ...


def owner_key(principal: Principal) -> str:
    """The `owner` recorded on a bank: the partner's organisation when known, else the user."""
    org = getattr(principal, "organisation", None)
    return f"org:{org}" if org else f"user:{principal.id}"


class BankCreate(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    purpose: str = Field(description=f"One of {', '.join(PURPOSES)}")
    threat: str | None = None
    description: str | None = Field(default=None, max_length=500)


class HashList(BaseModel):
    hashes: list[str] = Field(max_length=MAX_HASHES_PER_REQUEST)


class ImageList(BaseModel):
    images: list[str] = Field(max_length=MAX_IMAGES_PER_REQUEST, description="base64 image data")
    allow_low_quality: bool = False


class MatchRequest(BaseModel):
    hashes: list[str] = Field(default_factory=list, max_length=MAX_HASHES_PER_REQUEST)
    images: list[str] = Field(default_factory=list, max_length=MAX_IMAGES_PER_REQUEST)
    max_distance: int = Field(default=DEFAULT_MAX_DISTANCE, ge=0, le=64)


def make_router(
    get_store: Callable[..., BankStore],
    get_principal: Callable[..., Principal],
) -> APIRouter:
    """Routes under whatever prefix the API mounts them at (e.g. /v1/media)."""
    router = APIRouter(tags=["media"])
    StoreDep = Annotated[BankStore, Depends(get_store)]
    PrincipalDep = Annotated[Principal, Depends(get_principal)]

    def require(principal: Principal, roles: frozenset[str]) -> None:
        if principal.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "not allowed for this role")

    def bank_for(store: BankStore, principal: Principal, name: str) -> BankInfo:
        """The bank if this principal may manage it; partners get 404 for banks they do not own."""
        require(principal, MANAGE_ROLES)
        try:
            bank = store.get_bank(name)
        except BankNotFoundError:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such bank") from None
        if principal.role == "partner" and bank.owner != owner_key(principal):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such bank")
        return bank

    @router.get("/banks")
    def list_banks(store: StoreDep, principal: PrincipalDep) -> list[dict[str, Any]]:
        require(principal, MANAGE_ROLES)
        owner = owner_key(principal) if principal.role == "partner" else None
        return [b.to_dict() for b in store.list_banks(owner=owner)]

    @router.post("/banks", status_code=status.HTTP_201_CREATED)
    def create_bank(body: BankCreate, store: StoreDep, principal: PrincipalDep) -> dict[str, Any]:
        require(principal, MANAGE_ROLES)
        try:
            info = store.create_bank(
                body.name, body.purpose, threat=body.threat, description=body.description, owner=owner_key(principal)
            )
        except BankExistsError as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
        except BankError as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
        return info.to_dict()

    @router.get("/banks/{name}")
    def get_bank(name: str, store: StoreDep, principal: PrincipalDep) -> dict[str, Any]:
        return bank_for(store, principal, name).to_dict()

    @router.delete("/banks/{name}")
    def delete_bank(name: str, store: StoreDep, principal: PrincipalDep) -> dict[str, int]:
        bank_for(store, principal, name)
        return {"removed": store.delete_bank(name)}

    @router.post("/banks/{name}/hashes")
    def add_hashes(name: str, body: HashList, store: StoreDep, principal: PrincipalDep) -> dict[str, int]:
        bank_for(store, principal, name)
        try:
            hashes = [normalize_hex(h) for h in body.hashes]
        except HashFormatError as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
        return store.add_hashes(name, hashes, added_by=owner_key(principal)).to_dict()

    @router.post("/banks/{name}/images")
    def add_images(name: str, body: ImageList, store: StoreDep, principal: PrincipalDep) -> dict[str, Any]:
        """Hash uploaded images into the bank; the images are not kept."""
        bank_for(store, principal, name)
        hashes: list[PdqHash] = []
        results: list[dict[str, Any]] = []
        for i, value in enumerate(body.images):
            try:
                h = hash_image(decode_base64_image(value, max_bytes=MAX_IMAGE_BYTES), dihedral=False)
            except ImageError as exc:
                results.append({"image": i, "error": exc.reason, "message": str(exc)})
                continue
            if not h.reliable and not body.allow_low_quality:
                results.append({"image": i, "error": "low_quality", "quality": h.quality})
                continue
            hashes.append(h)
            results.append({"image": i, "pdq": h.hash, "quality": h.quality})
        added = store.add_hashes(name, hashes, added_by=owner_key(principal)).to_dict() if hashes else {"added": 0}
        return {**added, "images": results}

    @router.post("/banks/{name}/hashes/remove")
    def remove_hashes(name: str, body: HashList, store: StoreDep, principal: PrincipalDep) -> dict[str, int]:
        bank_for(store, principal, name)
        try:
            return {"removed": store.remove_hashes(name, body.hashes)}
        except HashFormatError as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None

    @router.delete("/banks/{name}/hashes")
    def clear_bank(name: str, store: StoreDep, principal: PrincipalDep) -> dict[str, int]:
        bank_for(store, principal, name)
        return {"removed": store.clear(name)}

    @router.post("/banks/{name}/import")
    async def import_csv(name: str, request: Request, store: StoreDep, principal: PrincipalDep) -> dict[str, int]:
        """Import an HMA hash-list CSV sent as the request body (text/csv)."""
        await run_in_threadpool(bank_for, store, principal, name)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_CSV_BYTES:
                raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "CSV too large")
            chunks.append(chunk)
        try:
            text = b"".join(chunks).decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "CSV must be UTF-8") from None
        try:
            res = await run_in_threadpool(store.import_csv, name, io.StringIO(text), added_by=owner_key(principal))
        except CsvFormatError as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
        return res.to_dict()

    @router.get("/banks/{name}/export")
    def export_csv(name: str, store: StoreDep, principal: PrincipalDep) -> Response:
        bank_for(store, principal, name)
        buf = io.StringIO()
        store.export_csv(name, buf)
        return Response(
            buf.getvalue(),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )

    @router.post("/match")
    def match(body: MatchRequest, store: StoreDep, principal: PrincipalDep) -> dict[str, Any]:
        """Match hashes and/or images (all 8 rotations and flips) against the banks this principal may use."""
        require(principal, MATCH_ROLES)
        allowed: set[str] | None = None
        if principal.role == "partner":
            allowed = {b.name for b in store.list_banks(owner=owner_key(principal))}
        index = store.index()
        out: list[dict[str, Any]] = []
        for h in body.hashes:
            try:
                pdq = PdqHash(normalize_hex(h), quality=100)
            except HashFormatError as exc:
                raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
            found = index.match_image(pdq, body.max_distance)
            out.append({"pdq": pdq.hash, "matches": [m.to_dict() for m in found if _ok(m.bank, allowed)]})
        for i, value in enumerate(body.images):
            try:
                pdq = hash_image(decode_base64_image(value))
            except ImageError as exc:
                out.append({"image": i, "error": exc.reason, "message": str(exc)})
                continue
            found = index.match_image(pdq, body.max_distance)
            out.append(
                {
                    "image": i,
                    "pdq": pdq.hash,
                    "quality": pdq.quality,
                    "matches": [m.to_dict() for m in found if _ok(m.bank, allowed)],
                }
            )
        return {"results": out}

    return router


def _ok(bank: str, allowed: set[str] | None) -> bool:
    return allowed is None or bank in allowed
