"""The one fixed split of the labelled threat set.

An item is in the validation part when the SHA-256 of its id, read as an integer, is divisible by 4 (about 25%).
Models, lexicons and thresholds are built from the training part only; the README's quality figures are
computed on the validation part. The split depends on nothing but the id, so it is stable as the set grows.
"""

from __future__ import annotations

import hashlib

VALIDATION_MODULUS = 4


def is_validation(item_id: str) -> bool:
    digest = hashlib.sha256(item_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % VALIDATION_MODULUS == 0


def part(item_id: str) -> str:
    return "validation" if is_validation(item_id) else "train"
