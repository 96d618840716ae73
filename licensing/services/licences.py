"""Licences: issue, suspension, reinstatement, revocation, expiry, shipments and amendments."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError

from ..models import Application, Decision, Licence, LicenceItem, Shipment, ShipmentLine
from ..permissions import require_member, require_perm
from . import notify
from ._transitions import locked, transition

Verb = AuditEvent.Verb


@transaction.atomic
def licence_issue(*, actor: User, application: Application, decision: Decision) -> Licence:
    """Issue the licence of an approved application (replacing the licence it amends)."""
    existing = Licence.objects.filter(application=application).first()
    if existing is not None:
        return existing
    issued_at = timezone.now()
    licence = Licence.objects.create(
        number=uuid.uuid4().hex[:30],
        application=application,
        organisation=application.organisation,
        conditions=decision.conditions,
        issued_at=issued_at,
        expires_on=timezone.localdate(issued_at)
        + timedelta(days=settings.LICENSING_LICENCE_VALID_DAYS),
    )
    licence.number = f"EGL-{issued_at:%Y}-{licence.pk:06d}"
    licence.save(update_fields=["number"])
    LicenceItem.objects.bulk_create(
        LicenceItem(
            licence=licence,
            item=item,
            description=item.description,
            control_code=item.control_code,
            quantity=item.quantity,
            unit=item.unit,
            value=item.value,
            currency=item.currency,
        )
        for item in application.items.all()
    )
    audit_record(
        actor=actor,
        verb=Verb.LICENCE_ISSUED,
        target=licence,
        to_status=licence.status,
        payload={"application": application.reference, "expires_on": licence.expires_on},
    )
    if application.amends_licence_id:
        _supersede(actor=actor, licence=application.amends_licence, by=licence)
    notify.notify_licence_holder(licence=licence, template="licence_issued")
    return licence


def _supersede(*, actor: User, licence: Licence, by: Licence) -> None:
    licence = locked(licence)
    if licence.status in (Licence.Status.ACTIVE, Licence.Status.SUSPENDED):
        transition(
            licence,
            "supersede",
            actor=actor,
            verb=Verb.LICENCE_SUPERSEDED,
            payload={"by": by.number},
        )


@transaction.atomic
def licence_suspend(*, actor: User, licence: Licence, reason: str) -> Licence:
    return _official_action(
        actor, licence, "suspend", Verb.LICENCE_SUSPENDED, Licence.Status.SUSPENDED, reason
    )


@transaction.atomic
def licence_reinstate(*, actor: User, licence: Licence, reason: str) -> Licence:
    return _official_action(
        actor, licence, "reinstate", Verb.LICENCE_REINSTATED, Licence.Status.ACTIVE, reason
    )


@transaction.atomic
def licence_revoke(*, actor: User, licence: Licence, reason: str) -> Licence:
    return _official_action(
        actor, licence, "revoke", Verb.LICENCE_REVOKED, Licence.Status.REVOKED, reason
    )


def _official_action(
    actor: User, licence: Licence, name: str, verb, target: str, reason: str
) -> Licence:
    require_perm(
        actor, "licensing.manage_licence", "Only case officers and senior officials can do this."
    )
    if not reason.strip():
        raise ApplicationError("Give the grounds: the licence holder reads them.")
    licence = locked(licence)
    if licence.status == target:
        return licence
    licence.status_reason = reason.strip()
    transition(
        licence, name, actor=actor, verb=verb, fields=("status_reason",), payload={"reason": reason}
    )
    notify.notify_licence_holder(
        licence=licence, template="licence_changed", context={"reason": reason}
    )
    return licence


@transaction.atomic
def licence_expire_due(*, today: date | None = None) -> int:
    """Expire every active or suspended licence whose expiry date has passed. Idempotent."""
    today = today or timezone.localdate()
    due = Licence.objects.select_for_update(skip_locked=True).filter(
        status__in=[Licence.Status.ACTIVE, Licence.Status.SUSPENDED], expires_on__lt=today
    )
    expired = 0
    for licence in due:
        transition(
            licence,
            "expire",
            actor=None,
            verb=Verb.LICENCE_EXPIRED,
            payload={"expires_on": licence.expires_on},
        )
        notify.notify_licence_holder(
            licence=licence, template="licence_changed", context={"reason": "It has expired."}
        )
        expired += 1
    return expired


@transaction.atomic
def shipment_record(
    *,
    actor: User,
    licence: Licence,
    shipped_on: date,
    lines: list[tuple[LicenceItem, Decimal, Decimal]],
    reference: str = "",
) -> Shipment:
    """Record what was shipped against the licence; refuse anything beyond its balance."""
    licence = locked(licence)
    require_member(actor, licence)
    if licence.status != Licence.Status.ACTIVE:
        raise ApplicationError(
            f"Nothing can be shipped on a licence that is {licence.get_status_display().lower()}."
        )
    if shipped_on > timezone.localdate():
        raise ApplicationError("Record shipments once they have left: the date is in the future.")
    if not any(quantity or value for _item, quantity, value in lines):
        raise ApplicationError("Enter the quantity and value shipped of at least one item.")
    items = {item.pk: item for item in licence.items.select_for_update()}
    requested: dict[int, tuple[Decimal, Decimal]] = {}
    for licence_item, quantity, value in lines:
        item = items.get(licence_item.pk)
        if item is None:
            raise ApplicationError("That item is not on this licence.")
        if quantity < 0 or value < 0:
            raise ApplicationError("Quantities and values cannot be negative.")
        # Several lines for one item count together against its balance.
        total_quantity, total_value = requested.get(item.pk, (Decimal(0), Decimal(0)))
        quantity, value = total_quantity + quantity, total_value + value
        requested[item.pk] = (quantity, value)
        if quantity > item.remaining_quantity or value > item.remaining_value:
            raise ApplicationError(
                f"“{item.description}”: only {item.remaining_quantity.normalize():f} "
                f"{item.get_unit_display().lower()} worth {item.remaining_value} {item.currency} "
                "remain on this licence; the shipment would exceed it.",
                code="exceeds_licence",
            )
    shipment = Shipment.objects.create(
        licence=licence, recorded_by=actor, shipped_on=shipped_on, reference=reference
    )
    for licence_item, quantity, value in lines:
        if not (quantity or value):
            continue
        item = items[licence_item.pk]
        ShipmentLine.objects.create(
            shipment=shipment, licence_item=item, quantity=quantity, value=value
        )
        item.shipped_quantity += quantity
        item.shipped_value += value
        item.save(update_fields=["shipped_quantity", "shipped_value"])
    audit_record(
        actor=actor,
        verb=Verb.SHIPMENT_RECORDED,
        target=licence,
        payload={"shipment": shipment.pk, "lines": [[i.pk, q, v] for i, q, v in lines if q or v]},
    )
    if all(item.is_used_up for item in items.values()):
        transition(licence, "exhaust", actor=actor, verb=Verb.LICENCE_EXHAUSTED)
        notify.notify_licence_holder(
            licence=licence, template="licence_changed", context={"reason": "It is used up."}
        )
    return shipment


@transaction.atomic
def licence_amendment_start(*, actor: User, licence: Licence) -> Application:
    """A new draft copying the licensed application; once approved it replaces the licence."""
    from .applications import application_copy

    licence = locked(licence)
    require_member(actor, licence)
    if licence.status not in (Licence.Status.ACTIVE, Licence.Status.SUSPENDED):
        raise ApplicationError(
            f"A licence that is {licence.get_status_display().lower()} cannot be amended."
        )
    draft = application_copy(actor=actor, application=licence.application, amends_licence=licence)
    audit_record(
        actor=actor,
        verb=Verb.LICENCE_AMENDMENT_STARTED,
        target=licence,
        payload={"draft": draft.reference},
    )
    return draft
