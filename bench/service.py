"""Service benchmark on loopback: batch ingest items/s (SQLite and PostgreSQL) and single-item latency at a
fixed request rate, each against a baseline measured in the same run.

    .venv/bin/python bench/service.py [--backends sqlite,postgres] [--batches 10] [--rate 100] [--seconds 10]

uvicorn runs in a subprocess on 127.0.0.1 (a fresh SQLite file, or a fresh PostgreSQL schema that is dropped
afterwards). Every phase is bounded in count and time. Baselines: in-process `analyze` + `decide` for batch
ingest (so the ratio is the cost of HTTP, encryption and the event log), and GET /healthz at the same rate for
latency (the cost of the web stack alone). The items are synthetic, generated here, never real messages.
Targets (2 cores): >= 1,000 items/s batch ingest on SQLite; single-item p99 <= 25 ms at 100 requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

PG_URL = os.environ.get("SITR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
KEY_HEX = "42" * 32

_TEMPLATES = (
    "hello everyone, see you at the meetup on {n}",
    "ya {w} I know where you live, send {n} dollars or I tell your family",
    "je suis fier d'être qui je suis, merci pour votre soutien {n}",
    "انا فخور بنفسي وشكرا لدعمكم {n}",
    "rani nchoufek ghedwa f lcafé {n} w jib m3ak lpapiers",
    "someone posted his phone 06{n} and said he is gay, everyone go message him",
    "can we meet tonight at the park gate? come alone, bring your ID {n}",
)
_WORDS = ("friend", "khawal", "habibi", "mon ami", "bro")


def synthetic_items(prefix: str, count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        text = rng.choice(_TEMPLATES).format(n=rng.randrange(10**7, 10**8), w=rng.choice(_WORDS))
        out.append({"id": f"{prefix}-{i}", "text": text, "target": "t" if i % 5 == 0 else None})
        if out[-1]["target"] is None:
            del out[-1]["target"]
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _postgres_schema() -> Iterator[str]:
    from urllib.parse import quote

    from sqlalchemy import create_engine, text

    schema = "sitr_bench_" + uuid.uuid4().hex[:10]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _prepare(url: str) -> str:
    """Migrate the database and create a platform key for the benchmark."""
    from sitr.moderation.accounts import add_user, create_key
    from sitr.store.db import Database
    from sitr.store.migrate import upgrade

    db = Database(url)
    upgrade(db.engine)
    add_user(db, "benchplatform", "integration")
    key = create_key(db, "benchplatform").key
    db.dispose()
    return key


@contextmanager
def _server(url: str, home: Path, workers: int) -> Iterator[str]:
    port = _free_port()
    env = dict(os.environ, SITR_HOME=str(home), SITR_DATABASE_URL=url, SITR_SECRET_KEY=KEY_HEX)
    env["BENCH_ANALYZER"] = ANALYZER["name"]
    launcher = (
        "import sys; sys.path.insert(0, sys.argv[1]); from sitr.api.server import run_uvicorn; "
        "run_uvicorn('service:bench_app', host='127.0.0.1', port=int(sys.argv[2]), workers=int(sys.argv[3]), "
        "access_log=False, log_level='warning')"
    )
    cmd = [sys.executable, "-c", launcher, str(Path(__file__).parent), str(port), str(workers)]
    proc = subprocess.Popen(cmd, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("server did not start within 60 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


async def _batch_ingest(
    base: str, key: str, batches: int, size: int, clients: int, max_seconds: float
) -> dict[str, float]:
    headers = {"Authorization": f"Bearer {key}"}
    queue: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
    for b in range(batches):
        queue.put_nowait(synthetic_items(f"b{b}-{uuid.uuid4().hex[:6]}", size, seed=b))
    done = 0
    stop_at = time.perf_counter() + max_seconds

    async def client() -> None:
        nonlocal done
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as c:
            while not queue.empty() and time.perf_counter() < stop_at:
                batch = queue.get_nowait()
                r = await c.post("/v1/items", json={"items": batch})
                r.raise_for_status()
                done += len(batch)

    # warm-up: one small batch (loads the model in every worker it reaches)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as c:
        for w in range(clients * 2):
            (await c.post("/v1/items", json={"items": synthetic_items(f"warm{w}", 20)})).raise_for_status()
    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - start
    return {"items": done, "seconds": elapsed, "items_per_s": done / elapsed}


async def _fixed_rate(base: str, key: str, rate: float, seconds: float, path: str) -> dict[str, float]:
    """Open loop: request i is due at start + i/rate; latency counts from when it was due."""
    headers = {"Authorization": f"Bearer {key}"}
    n = int(rate * seconds)
    items = synthetic_items(f"lat-{uuid.uuid4().hex[:6]}", n, seed=99)
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30, limits=limits) as c:
        for i in range(20):  # warm-up
            await (
                c.get(path)
                if path == "/healthz"
                else c.post(path, json={"id": f"w{i}-{uuid.uuid4().hex}", "text": "warm up"})
            )
        start = time.perf_counter()

        async def one(i: int) -> None:
            nonlocal errors
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            r = await (c.get(path) if path == "/healthz" else c.post(path, json=items[i]))
            if r.status_code != 200:
                errors += 1
            latencies.append((time.perf_counter() - due) * 1000)

        await asyncio.gather(*(one(i) for i in range(n)))
    latencies.sort()
    return {
        "requests": n,
        "errors": errors,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "max_ms": latencies[-1],
    }


ANALYZER = {"name": "real"}


def fixed_analyzer(item: Any) -> Any:
    """`--analyzer fixed`: scores from a hash of the id (about 1 in 5 items reviewed or actioned), to measure
    the service alone while the model is being rebuilt or to separate its cost from the detectors'."""
    import hashlib

    from sitr.types import THREATS, Assessment, ThreatScore

    h = hashlib.sha256(item.id.encode()).digest()
    scores = {t: (h[i] / 255) ** 3 for i, t in enumerate(THREATS)}
    threats = {t: ThreatScore(s, "high" if s > 0.5 else "none", s > 0.5) for t, s in scores.items()}
    return Assessment(item.id, item.lang or "en", "en", threats, (), (), {"bench": "fixed"})


def _analyzers() -> tuple[Any, Any]:
    if os.environ.get("BENCH_ANALYZER", ANALYZER["name"]) == "fixed":
        return fixed_analyzer, lambda items: [fixed_analyzer(i) for i in items]
    from sitr import analyze
    from sitr.pipeline import analyze_batch

    return analyze, lambda items: analyze_batch(list(items))


def bench_app() -> Any:
    """The uvicorn factory the benchmark serves: sitr's own, with the analyser chosen by BENCH_ANALYZER."""
    from sitr.api.app import create_app
    from sitr.config import load_settings
    from sitr.moderation.context import Services

    single, batch = _analyzers()
    settings = load_settings()
    services = Services.from_settings(settings, analyzer=single)
    services.batch_analyzer = batch
    return create_app(services, max_body_bytes=settings.max_body_bytes)


def _baseline_in_process(count: int) -> float:
    """Items/s of analyze + decide alone, in this process (no HTTP, no database)."""
    from sitr import Item
    from sitr.moderation.policy_bridge import decide, load_policy

    _, batch = _analyzers()
    policy = load_policy()
    items = [Item.from_dict(d) for d in synthetic_items("base", count, seed=3)]
    batch(items[:20])
    start = time.perf_counter()
    for a in batch(items):
        decide(a, policy)
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--batches", type=int, default=10, help="batches of --batch-size items per backend")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=2, help="concurrent batch clients")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--rate", type=float, default=100.0, help="single-item requests per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each latency run")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="time bound of each ingest run")
    parser.add_argument(
        "--analyzer",
        choices=("real", "fixed"),
        default="real",
        help="real: sitr's detectors; fixed: hash-based scores, to measure the service alone",
    )
    args = parser.parse_args()
    ANALYZER["name"] = args.analyzer
    os.environ["BENCH_ANALYZER"] = args.analyzer

    baseline = _baseline_in_process(2000)
    print(f"analyzer: {args.analyzer}; baseline analyze+decide in process: {baseline:,.0f} items/s (1 core)")
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        with (
            tempfile.TemporaryDirectory() as tmp,
            _postgres_schema() if backend == "postgres" else _sqlite_url(Path(tmp)) as url,
        ):
            key = _prepare(url)
            with _server(url, Path(tmp), args.workers) as base:
                ingest = asyncio.run(
                    _batch_ingest(base, key, args.batches, args.batch_size, args.clients, args.max_seconds)
                )
                print(
                    f"[{backend}] batch ingest: {ingest['items_per_s']:,.0f} items/s "
                    f"({ingest['items']:.0f} items in {ingest['seconds']:.1f} s, {args.workers} workers) "
                    f"= {ingest['items_per_s'] / baseline:.2f} x in-process baseline"
                )
                health = asyncio.run(_fixed_rate(base, key, args.rate, args.seconds, "/healthz"))
                single = asyncio.run(_fixed_rate(base, key, args.rate, args.seconds, "/v1/items"))
                print(
                    f"[{backend}] single item at {args.rate:.0f} req/s: p50 {single['p50_ms']:.1f} ms, "
                    f"p99 {single['p99_ms']:.1f} ms, max {single['max_ms']:.1f} ms, errors {single['errors']:.0f}"
                    f" | baseline /healthz p50 {health['p50_ms']:.1f} ms p99 {health['p99_ms']:.1f} ms"
                    f" = p99 {single['p99_ms'] / max(health['p99_ms'], 0.01):.1f} x baseline"
                )


@contextmanager
def _sqlite_url(folder: Path) -> Iterator[str]:
    yield f"sqlite:///{folder / 'bench.db'}"


if __name__ == "__main__":
    main()
