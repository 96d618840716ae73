"""The one way a service moves a case or a licence from one status to another."""

from typing import TypeVar

from django.db import models
from django_fsm import can_proceed

from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError

M = TypeVar("M", bound=models.Model)


def locked(instance: M) -> M:
    """Re-read the row under a lock, so concurrent services act one after the other."""
    return type(instance).objects.select_for_update().get(pk=instance.pk)


def transition(
    instance,
    name: str,
    *,
    actor,
    verb: AuditEvent.Verb,
    fields: tuple[str, ...] = (),
    payload: dict | None = None,
) -> None:
    """Call the declared transition `name`, save the status with `fields`, and audit it.

    The caller has locked the row and checked the actor. A transition the current status
    does not allow raises ApplicationError, with nothing changed.
    """
    method = getattr(instance, name)
    if not can_proceed(method):
        raise ApplicationError(
            f"This cannot be done while the {instance._meta.verbose_name} is "
            f"{instance.get_status_display().lower()}.",
            code="invalid_transition",
        )
    from_status = instance.status
    method()
    update_fields = ["status", *fields]
    if any(field.name == "updated_at" for field in instance._meta.fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    audit_record(
        actor=actor,
        verb=verb,
        target=instance,
        from_status=from_status,
        to_status=instance.status,
        payload=payload,
    )
