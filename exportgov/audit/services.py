"""Writing to the audit log. Every service records its event through `audit_record`."""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditEvent

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_ID = 740_001  # PostgreSQL advisory lock that serialises appends to the chain


def audit_record(
    *,
    actor,
    verb: AuditEvent.Verb,
    target: models.Model | None = None,
    from_status: str = "",
    to_status: str = "",
    payload: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    with transaction.atomic():
        _lock_chain()
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=_actor_label(actor),
            verb=verb,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target)[:300] if target is not None else "",
            from_status=from_status,
            to_status=to_status,
            payload=json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder)),
            created_at=timezone.now(),
            prev_hash=previous or GENESIS_HASH,
        )
        event.hash = audit_event_hash(event)
        event.save(force_insert=True)
    return event


def audit_event_hash(event: AuditEvent) -> str:
    """HMAC of the event's content and its predecessor's hash, keyed outside the database."""
    content = [
        event.prev_hash,
        event.created_at.astimezone(UTC).isoformat(),
        event.actor_id,
        event.actor_label,
        event.verb,
        event.target_type,
        event.target_id,
        event.target_label,
        event.from_status,
        event.to_status,
        event.payload,
    ]
    message = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    key = settings.AUDIT_CHAIN_KEY.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])
    # SQLite (embedded mode) serialises writers itself.


def _actor_label(actor) -> str:
    if actor is None or not actor.is_authenticated:
        return "system" if actor is None else "anonymous"
    return f"{actor.get_full_name() or actor.username} <{actor.email}>"
