"""Benchmark: PDQ near-duplicate search in sitr's index against python-threatexchange's PDQ index.

Same random 256-bit hashes, same queries, same run. Queries are planted near-duplicates (a bank hash with
0-31 random bits flipped) plus random hashes that match nothing. Each index is built and queried in its own
forked child process, one after the other, so memory is measured as that child's resident-set growth over the
build and neither index disturbs the other's timings. Recall is against an exact NumPy brute-force scan.

    .venv/bin/python bench/match.py                    # 1M and 10M hashes (10M needs ~12 GB RAM, ~5 minutes)
    .venv/bin/python bench/match.py --sizes 1000000 --queries 300

Baseline: `threatexchange.signal_type.pdq.pdq_index.PDQIndex` (what `PdqSignal` uses: faiss
IndexBinaryMultiHash, 16 x 16-bit substrings, the same pigeonhole bound), queried one hash at a time through its
public `query`. sitr's `HashIndex` is queried through `search_hex`, i.e. including hex parsing, one hash at a time.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import multiprocessing as mp
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from sitr.media.index import HashIndex
from sitr.media.pdq import words_to_hex


def rss_bytes() -> int:
    """Resident set size, after handing freed heap pages back to the OS so that reuse counts as growth."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def random_hashes(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.integers(0, np.iinfo(np.uint64).max, size=(n, 4), dtype=np.uint64, endpoint=True)


def planted_queries(data: np.ndarray, n_planted: int, n_random: int, rng: np.random.Generator) -> np.ndarray:
    rows = rng.integers(0, data.shape[0], n_planted)
    q = data[rows].copy()
    for i, k in enumerate(rng.integers(0, 32, n_planted)):
        for b in rng.choice(256, int(k), replace=False):
            q[i, b // 64] ^= np.uint64(1) << np.uint64(63 - b % 64)
    return np.concatenate([q, random_hashes(n_random, rng)])


def truth(data: np.ndarray, queries: np.ndarray, d: int) -> list[set[int]]:
    out = []
    for q in queries:
        dist = np.bitwise_count(data ^ q).sum(axis=1)
        out.append(set(np.flatnonzero(dist <= d).tolist()))
    return out


# Set in the parent before forking, read by the children (copy-on-write, no pickling of 10M hashes).
_DATA: np.ndarray | None = None
_HEX: list[str] | None = None
_QUERIES: list[str] = []
_BASELINE_THREADS = 1


def _run_sitr(distance: int) -> dict[str, Any]:
    assert _DATA is not None
    before = rss_bytes()
    t = time.perf_counter()
    idx = HashIndex(np.array(_DATA, copy=True))  # own copy, as faiss keeps its own: memory is comparable
    build = time.perf_counter() - t
    mem = rss_bytes() - before

    def query(h: str) -> set[int]:
        return set(idx.search_hex([h], distance).row.tolist())

    return {"build_s": build, "mem_bytes": max(mem, idx.memory_bytes()), **_time_queries(query)}


def _run_threatexchange(distance: int) -> dict[str, Any]:
    import faiss
    from threatexchange.signal_type.pdq.pdq_index import PDQIndex

    # Its best setting for one query at a time: measured 8 ms at 1M with OpenMP on 2 threads, ~1 ms on one.
    faiss.omp_set_num_threads(_BASELINE_THREADS)

    assert _HEX is not None
    if distance != PDQIndex.get_match_threshold():
        raise SystemExit("threatexchange's PDQIndex has a fixed threshold of 31")
    before = rss_bytes()
    t = time.perf_counter()
    idx = PDQIndex(zip(_HEX, range(len(_HEX)), strict=True))
    build = time.perf_counter() - t
    mem = rss_bytes() - before

    def query(h: str) -> set[int]:
        return {int(m.metadata) for m in idx.query(h)}

    return {"build_s": build, "mem_bytes": mem, **_time_queries(query)}


def _time_queries(query: Callable[[str], set[int]]) -> dict[str, Any]:
    for h in _QUERIES[:20]:  # warm-up
        query(h)
    times: list[float] = []
    found: list[list[int]] = []
    for h in _QUERIES:
        t = time.perf_counter()
        r = query(h)
        times.append(time.perf_counter() - t)
        found.append(sorted(r))
    times.sort()
    return {
        "mean_ms": statistics.fmean(times) * 1e3,
        "p50_ms": times[len(times) // 2] * 1e3,
        "p95_ms": times[int(len(times) * 0.95)] * 1e3,
        "found": found,
    }


def _child(fn: Callable[[int], dict[str, Any]], distance: int, conn: Any) -> None:
    try:
        conn.send(fn(distance))
    except BaseException as exc:
        conn.send({"error": f"{type(exc).__name__}: {exc}"})
    finally:
        conn.close()


def run_forked(fn: Callable[[int], dict[str, Any]], distance: int) -> dict[str, Any]:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(fn, distance, child))
    p.start()
    child.close()
    result: dict[str, Any] = parent.recv()
    p.join()
    return result


def recall(found: list[list[int]], expected: list[set[int]]) -> tuple[float, int]:
    hits = sum(len(set(f) & e) for f, e in zip(found, expected, strict=True))
    total = sum(len(e) for e in expected)
    extra = sum(len(set(f) - e) for f, e in zip(found, expected, strict=True))
    return (hits / total if total else 1.0), extra


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000000,10000000", help="comma-separated index sizes")
    ap.add_argument("--queries", type=int, default=200, help="planted near-duplicate queries per size")
    ap.add_argument("--random-queries", type=int, default=50, help="additional queries that match nothing")
    ap.add_argument("--distance", type=int, default=31)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--no-baseline", action="store_true", help="skip python-threatexchange")
    ap.add_argument("--baseline-threads", type=int, default=1, help="OpenMP threads for faiss (default 1: fastest)")
    args = ap.parse_args(argv)
    global _DATA, _HEX, _QUERIES, _BASELINE_THREADS
    _BASELINE_THREADS = args.baseline_threads

    print(f"# PDQ match: distance <= {args.distance}, {args.queries} planted + {args.random_queries} random queries")
    head = ("hashes", "index", "build s", "memory MB", "mean ms", "p50 ms", "p95 ms", "recall")
    print("{:>10} {:<23} {:>8} {:>10} {:>8} {:>7} {:>7} {:>7}".format(*head))
    for n in (int(s) for s in args.sizes.split(",") if s):
        rng = np.random.default_rng(args.seed + n)
        _DATA = random_hashes(n, rng)
        qwords = planted_queries(_DATA, args.queries, args.random_queries, rng)
        _QUERIES = words_to_hex(qwords)
        expected = truth(_DATA, qwords, args.distance)
        results: dict[str, dict[str, Any]] = {"sitr HashIndex": run_forked(_run_sitr, args.distance)}
        if not args.no_baseline:
            _HEX = words_to_hex(_DATA)
            results["threatexchange PDQIndex"] = run_forked(_run_threatexchange, args.distance)
            _HEX = None
        for name, r in results.items():
            if "error" in r:
                print(f"{n:>10} {name:<23} error: {r['error']}")
                continue
            rec, extra = recall(r["found"], expected)
            note = f"  ({extra} false hits!)" if extra else ""
            print(
                f"{n:>10} {name:<23} {r['build_s']:>8.1f} {r['mem_bytes'] / 1e6:>10.0f} {r['mean_ms']:>8.3f} "
                f"{r['p50_ms']:>7.3f} {r['p95_ms']:>7.3f} {rec:>7.3f}{note}"
            )
        ours, base = results["sitr HashIndex"], results.get("threatexchange PDQIndex")
        if base and "error" not in base and "error" not in ours:
            mem_ratio = base["mem_bytes"] / max(ours["mem_bytes"], 1)
            print(
                f"{n:>10} ratio threatexchange/sitr: latency {base['mean_ms'] / ours['mean_ms']:.1f}x mean, "
                f"{base['p50_ms'] / ours['p50_ms']:.1f}x p50, {base['p95_ms'] / ours['p95_ms']:.1f}x p95; "
                f"memory {mem_ratio:.1f}x"
            )
        sys.stdout.flush()
        _DATA = None
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
