"""Field encryption at rest: AES-256-GCM, a fresh nonce per value, the row's identity as associated data.

The associated data binds a ciphertext to its table, column and row, so a value copied into another row (or
another column) fails to decrypt instead of silently showing the wrong person's data.
Layout of a stored value: version (1 byte) | key id (4 bytes) | nonce (12 bytes) | ciphertext+tag.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = 1
_NONCE = 12


class DecryptError(ValueError):
    """A stored value cannot be decrypted: wrong key, tampered value, or moved to another row."""


class FieldCipher:
    """Encrypts and decrypts field values under one operator key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("AES-256-GCM needs a 32-byte key")
        self._aead = AESGCM(key)
        self.key_id = hashlib.sha256(b"sitr-key-id" + key).digest()[:4]
        # A separate derived key for pseudonyms, so a pseudonym never reveals anything about the AES key.
        self._pseudo_key = hmac.new(key, b"sitr-pseudonym-v1", hashlib.sha256).digest()

    def encrypt(self, plaintext: bytes, aad: str) -> bytes:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, plaintext, aad.encode("utf-8"))
        return bytes([_VERSION]) + self.key_id + nonce + sealed

    def decrypt(self, blob: bytes, aad: str) -> bytes:
        if len(blob) < 1 + 4 + _NONCE + 16 or blob[0] != _VERSION:
            raise DecryptError("not a sitr encrypted value")
        if blob[1:5] != self.key_id:
            raise DecryptError("value was encrypted under another key")
        nonce, sealed = blob[5 : 5 + _NONCE], blob[5 + _NONCE :]
        try:
            return self._aead.decrypt(nonce, sealed, aad.encode("utf-8"))
        except InvalidTag:
            raise DecryptError("value fails authentication (tampered or moved)") from None

    def encrypt_json(self, value: Any, aad: str) -> bytes:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return self.encrypt(data.encode("utf-8"), aad)

    def decrypt_json(self, blob: bytes, aad: str) -> Any:
        return json.loads(self.decrypt(blob, aad).decode("utf-8"))

    def pseudonym(self, *parts: str) -> str:
        """A stable keyed hash of an identifier (a reporter id), so it can be counted without being stored."""
        msg = "\x1f".join(parts).encode("utf-8")
        return hmac.new(self._pseudo_key, msg, hashlib.sha256).hexdigest()


def aad_for(table: str, column: str, row_id: object) -> str:
    return f"sitr:{table}.{column}:{row_id}"
