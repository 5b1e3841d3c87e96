"""Notices to the person an item targets: recorded as an event, in their language, with protective steps.

Only outing, doxxing and extortion (as the policy's `notify_target` says) lead to a notice, and only when the
platform told sitr who the target is. The event keeps the target reference encrypted; its plain payload says
only which threat, which language and which steps, so reports can count notices without naming anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitr.moderation import policy_bridge as pb
from sitr.store.events import NewEvent

PROTECTIVE_STEPS: dict[str, tuple[str, ...]] = {
    "outing": ("lock_profile", "hide_friend_list", "review_visible_photos", "contact_helpline"),
    "doxxing": ("lock_profile", "remove_location_and_contacts", "tell_trusted_person", "contact_helpline"),
    "extortion": ("do_not_pay", "keep_evidence", "block_and_report", "contact_helpline"),
    "harassment": ("block_and_report", "limit_replies", "contact_helpline"),
    "entrapment": ("do_not_meet", "keep_evidence", "block_and_report", "contact_helpline"),
}


@dataclass(frozen=True)
class TargetNotice:
    threat: str
    lang: str
    text: str
    steps: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"threat": self.threat, "lang": self.lang, "text": self.text, "steps": list(self.steps)}


def target_notice(decision: Any, policy: Any, item_lang: str | None, target: str | None) -> TargetNotice | None:
    """The notice due for this decision, or None when no notice is due (or nobody to send it to)."""
    if not target or not decision.notify_target or decision.outcome != "action":
        return None
    threat = decision.primary_threat
    if threat is None:
        return None
    lang = pb.notice_lang(item_lang)
    steps = PROTECTIVE_STEPS.get(threat, ()) if getattr(decision, "offer_protection", True) else ()
    return TargetNotice(threat=threat, lang=lang, text=pb.notice_text(decision, policy, lang), steps=steps)


def notice_event(
    notice: TargetNotice, *, item_id: str, case_id: int | None, actor: str, target: str, policy_version: str
) -> NewEvent:
    return NewEvent(
        type="target_notified",
        actor=actor,
        item_id=item_id,
        case_id=case_id,
        payload={
            "threat": notice.threat,
            "lang": notice.lang,
            "steps": list(notice.steps),
            "policy_version": policy_version,
        },
        private={"target": target, "text": notice.text},
    )
