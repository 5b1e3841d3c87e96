"""What every moderation service needs: who acts, and the database, key, policy and analyser to act with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sitr.store.crypto import FieldCipher
from sitr.store.db import Database
from sitr.types import Assessment, Item

if TYPE_CHECKING:
    from sitr.config import Settings


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything sitr stores is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Actor:
    """An authenticated caller. `platform` is set for integrations: the namespace of their item ids."""

    id: int | None
    name: str
    role: str
    languages: tuple[str, ...] = ()
    varieties: tuple[str, ...] = ()
    organisation: str | None = None

    @property
    def label(self) -> str:
        """How the event log names the actor: role and user number, never a person's name."""
        return f"{self.role}:{self.id}" if self.id is not None else self.role

    @property
    def platform(self) -> str | None:
        return self.name if self.role == "integration" else None


SYSTEM = Actor(id=None, name="sitr", role="system")


@dataclass
class Services:
    db: Database
    cipher: FieldCipher
    policy: Any  # sitr.policy.schema.Policy
    analyzer: Callable[[Item], Assessment]
    clock: Callable[[], datetime] = utcnow
    claim_lease: timedelta = field(default=timedelta(minutes=30))
    batch_analyzer: Callable[[Sequence[Item]], list[Assessment]] | None = None  # faster for batches

    def analyze_many(self, items: Sequence[Item]) -> list[Assessment]:
        if self.batch_analyzer is not None and len(items) > 1:
            return self.batch_analyzer(items)
        return [self.analyzer(i) for i in items]

    def now(self) -> datetime:
        return as_utc(self.clock())

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        analyzer: Callable[[Item], Assessment] | None = None,
        policy: Any = None,
        db: Database | None = None,
    ) -> Services:
        from sitr.moderation.policy_bridge import load_policy

        batch: Callable[[Sequence[Item]], list[Assessment]] | None = None
        if analyzer is None:
            from sitr import analyze
            from sitr.pipeline import analyze_batch

            analyzer = analyze

            def batch(items: Sequence[Item]) -> list[Assessment]:
                return analyze_batch(list(items))

        return cls(
            db=db or Database(settings.database_url),
            cipher=FieldCipher(settings.secret_key),
            policy=policy if policy is not None else load_policy(settings.policy_path),
            analyzer=analyzer,
            batch_analyzer=batch,
        )
