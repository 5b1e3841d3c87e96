"""Sign-in throttling: after too many wrong passwords for one account, further attempts wait.

argon2 already makes each guess cost ~80 ms; this caps guesses per account to a handful per window whatever
the number of clients. State is per process (each worker counts its own), which bounds guessing without a
shared store; the lockout never reveals whether the account exists, because unknown names count the same.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
MAX_TRACKED = 10_000


class LoginLimiter:
    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < self.window]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def blocked(self, name: str) -> bool:
        with self._lock:
            return len(self._recent(name.lower(), self.clock())) >= self.max_failures

    def failed(self, name: str) -> None:
        with self._lock:
            now = self.clock()
            if len(self._failures) >= MAX_TRACKED:  # bound memory under a spray of random names
                for key in list(self._failures)[: MAX_TRACKED // 10]:
                    self._failures.pop(key, None)
            self._recent(name.lower(), now)
            self._failures.setdefault(name.lower(), []).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.lower(), None)
