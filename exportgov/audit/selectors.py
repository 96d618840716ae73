"""Reading the audit log."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import AuditEvent
from .services import GENESIS_HASH, audit_event_hash


def audit_event_list() -> QuerySet[AuditEvent]:
    """All events, newest first. Callers check `audit.view_auditevent` first."""
    return AuditEvent.objects.select_related("actor").order_by("-id")


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_chain_verify() -> ChainCheck:
    """Walk the whole chain in order; report the first event whose link or content fails."""
    expected_prev = GENESIS_HASH
    checked = 0
    for event in _events_in_order():
        if event.prev_hash != expected_prev:
            return ChainCheck(checked, event.pk, "its link to the previous event is broken")
        if event.hash != audit_event_hash(event):
            return ChainCheck(checked, event.pk, "its content does not match its hash")
        expected_prev = event.hash
        checked += 1
    return ChainCheck(checked)


def _events_in_order() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
