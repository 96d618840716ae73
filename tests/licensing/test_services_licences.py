"""Licences: issue, suspension, reinstatement, revocation, expiry, shipments and amendments."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from exportgov.notifications.models import Notification
from licensing.models import Application, Licence, LicenceItem, Party, Shipment
from licensing.services.applications import application_submit, party_save
from licensing.services.cases import decision_make
from licensing.services.licences import (
    licence_amendment_start,
    licence_expire_due,
    licence_issue,
    licence_reinstate,
    licence_revoke,
    licence_suspend,
    shipment_record,
)

from .factories import (
    audit_events,
    make_approved,
    make_recommended,
    screen_queued,
    upload_document,
)

pytestmark = pytest.mark.django_db

Status = Licence.Status
Verb = AuditEvent.Verb
TODAY = timezone.localdate


def licence_state(licence: Licence) -> dict:
    return {
        "licence": Licence.objects.filter(pk=licence.pk).values().get(),
        "items": list(LicenceItem.objects.filter(licence=licence).order_by("id").values()),
        "shipments": Shipment.objects.filter(licence=licence).count(),
        "audit_events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def expect_refused(exception, call, licence, code: str | None = None):
    before = licence_state(licence)
    with pytest.raises(exception) as error:
        call()
    assert licence_state(licence) == before
    if code is not None:
        assert error.value.code == code
    return error.value


def force_status(licence: Licence, status: str) -> Licence:
    Licence.objects.filter(pk=licence.pk).update(status=status)
    return Licence.objects.get(pk=licence.pk)


def subjects_to(user) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [user.email]]


# licence_issue -------------------------------------------------------------------------------


def test_licence_issue_again_returns_the_existing_licence(world, approved):
    before = licence_state(approved.licence)

    again = licence_issue(
        actor=world.senior_official, application=approved, decision=approved.decision
    )

    assert again == approved.licence
    assert Licence.objects.count() == 1
    assert licence_state(approved.licence) == before


def test_licence_issue_numbers_each_licence_uniquely(world, licence):
    second = make_approved(world)
    assert second.licence.number != licence.number
    assert second.licence.number == f"EGL-{second.licence.issued_at:%Y}-{second.licence.pk:06d}"


# licence_suspend / licence_reinstate / licence_revoke ------------------------------------------


def test_licence_suspend_records_the_grounds_and_tells_the_holder(
    world, licence, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        licence_suspend(actor=world.case_officer, licence=licence, reason=" Under investigation. ")

    licence.refresh_from_db()
    assert licence.status == Status.SUSPENDED
    assert licence.status_reason == "Under investigation."
    event = audit_events(licence, Verb.LICENCE_SUSPENDED).get()
    assert (event.actor, event.from_status, event.to_status) == (
        world.case_officer,
        Status.ACTIVE,
        Status.SUSPENDED,
    )
    assert subjects_to(world.exporter) == [f"[ExportGov] Licence {licence.number} is now suspended"]


def test_licence_suspend_again_changes_nothing(world, licence, django_capture_on_commit_callbacks):
    licence_suspend(actor=world.case_officer, licence=licence, reason="Investigation.")
    before = licence_state(licence)

    with django_capture_on_commit_callbacks(execute=True):
        licence_suspend(actor=world.case_officer, licence=licence, reason="Again.")

    assert licence_state(licence) == before
    assert mail.outbox == []


def test_licence_reinstate_makes_a_suspended_licence_active(world, licence):
    licence_suspend(actor=world.case_officer, licence=licence, reason="Investigation.")

    licence_reinstate(actor=world.senior_official, licence=licence, reason="Cleared.")

    licence.refresh_from_db()
    assert licence.status == Status.ACTIVE
    event = audit_events(licence, Verb.LICENCE_REINSTATED).get()
    assert (event.from_status, event.to_status) == (Status.SUSPENDED, Status.ACTIVE)
    before = licence_state(licence)
    licence_reinstate(actor=world.senior_official, licence=licence, reason="Cleared.")
    assert licence_state(licence) == before


@pytest.mark.parametrize("start", [Status.ACTIVE, Status.SUSPENDED])
def test_licence_revoke_ends_an_active_or_suspended_licence(world, licence, start):
    if start == Status.SUSPENDED:
        licence_suspend(actor=world.case_officer, licence=licence, reason="Investigation.")

    licence_revoke(actor=world.senior_official, licence=licence, reason="False declaration.")

    licence.refresh_from_db()
    assert licence.status == Status.REVOKED
    assert licence.status_reason == "False declaration."
    event = audit_events(licence, Verb.LICENCE_REVOKED).get()
    assert (event.from_status, event.to_status) == (start, Status.REVOKED)
    assert event.payload == {"reason": "False declaration."}
    before = licence_state(licence)
    licence_revoke(actor=world.senior_official, licence=licence, reason="Again.")
    assert licence_state(licence) == before


WRONG_STATES = [
    (licence_suspend, Status.REVOKED),
    (licence_suspend, Status.EXPIRED),
    (licence_suspend, Status.EXHAUSTED),
    (licence_suspend, Status.SUPERSEDED),
    (licence_reinstate, Status.REVOKED),
    (licence_reinstate, Status.EXPIRED),
    (licence_reinstate, Status.EXHAUSTED),
    (licence_revoke, Status.EXPIRED),
    (licence_revoke, Status.EXHAUSTED),
    (licence_revoke, Status.SUPERSEDED),
]


def test_licence_official_actions_refuse_an_ended_licence(world, licence):
    for service, status in WRONG_STATES:
        licence = force_status(licence, status)
        expect_refused(
            ApplicationError,
            lambda service=service, licence=licence: service(
                actor=world.senior_official, licence=licence, reason="x"
            ),
            licence,
            code="invalid_transition",
        )


def test_licence_official_actions_refuse_anyone_but_officials(world, licence):
    for service in (licence_suspend, licence_reinstate, licence_revoke):
        for actor in (world.exporter, world.advisor, world.appeals_reviewer, world.auditor):
            expect_refused(
                PermissionDenied,
                lambda service=service, actor=actor: service(
                    actor=actor, licence=licence, reason="x"
                ),
                licence,
            )


def test_licence_official_actions_need_grounds(world, licence):
    for service in (licence_suspend, licence_revoke):
        expect_refused(
            ApplicationError,
            lambda service=service: service(actor=world.case_officer, licence=licence, reason=" "),
            licence,
        )


# licence_expire_due --------------------------------------------------------------------------


def test_licence_expire_due_expires_past_expiry_licences_and_is_idempotent(
    world, licence, django_capture_on_commit_callbacks
):
    suspended = make_approved(world).licence
    licence_suspend(actor=world.case_officer, licence=suspended, reason="Investigation.")
    current = make_approved(world).licence
    yesterday = TODAY() - timedelta(days=1)
    Licence.objects.filter(pk__in=[licence.pk, suspended.pk]).update(expires_on=yesterday)
    Licence.objects.filter(pk=current.pk).update(expires_on=TODAY())

    with django_capture_on_commit_callbacks(execute=True):
        assert licence_expire_due() == 2

    statuses = dict(Licence.objects.values_list("pk", "status"))
    assert statuses == {
        licence.pk: Status.EXPIRED,
        suspended.pk: Status.EXPIRED,
        current.pk: Status.ACTIVE,
    }
    event = audit_events(suspended, Verb.LICENCE_EXPIRED).get()
    assert (event.actor, event.from_status, event.to_status) == (
        None,
        Status.SUSPENDED,
        Status.EXPIRED,
    )
    assert f"[ExportGov] Licence {licence.number} is now expired" in subjects_to(world.exporter)

    before = [licence_state(x) for x in (licence, suspended, current)]
    assert licence_expire_due() == 0
    assert [licence_state(x) for x in (licence, suspended, current)] == before


def test_licence_expire_due_leaves_ended_licences_alone(world, licence):
    licence_revoke(actor=world.case_officer, licence=licence, reason="False declaration.")
    Licence.objects.filter(pk=licence.pk).update(expires_on=TODAY() - timedelta(days=30))
    before = licence_state(licence)

    assert licence_expire_due(today=TODAY()) == 0

    assert licence_state(licence) == before


def test_licence_expire_due_counts_from_the_given_day(licence):
    assert licence_expire_due(today=licence.expires_on) == 0
    assert licence_expire_due(today=licence.expires_on + timedelta(days=1)) == 1


# shipment_record -----------------------------------------------------------------------------


def test_shipment_record_within_the_balance(world, licence):
    item = licence.items.get()

    shipment = shipment_record(
        actor=world.colleague,
        licence=licence,
        shipped_on=TODAY(),
        lines=[(item, Decimal(4), Decimal(20000))],
        reference="INV-1",
    )

    item.refresh_from_db()
    assert (item.shipped_quantity, item.shipped_value) == (Decimal(4), Decimal(20000))
    assert (item.remaining_quantity, item.remaining_value) == (Decimal(6), Decimal(30000))
    assert shipment.lines.get().quantity == 4
    assert Licence.objects.get(pk=licence.pk).status == Status.ACTIVE
    event = audit_events(licence, Verb.SHIPMENT_RECORDED).get()
    assert event.actor == world.colleague
    assert event.payload["shipment"] == shipment.pk


def test_shipment_record_beyond_the_balance_is_refused_naming_the_balance(world, licence):
    item = licence.items.get()
    shipment_record(
        actor=world.exporter,
        licence=licence,
        shipped_on=TODAY(),
        lines=[(item, Decimal(4), Decimal(20000))],
    )

    error = expect_refused(
        ApplicationError,
        lambda: shipment_record(
            actor=world.exporter,
            licence=licence,
            shipped_on=TODAY(),
            lines=[(item, Decimal(7), Decimal(1000))],
        ),
        licence,
        code="exceeds_licence",
    )
    assert "only 6 items worth 30000.00 GBP remain" in error.message
    expect_refused(
        ApplicationError,
        lambda: shipment_record(
            actor=world.exporter,
            licence=licence,
            shipped_on=TODAY(),
            lines=[(item, Decimal(1), Decimal("30000.01"))],
        ),
        licence,
        code="exceeds_licence",
    )


def test_shipment_record_lines_for_one_item_count_together(world, licence):
    item = licence.items.get()
    error = expect_refused(
        ApplicationError,
        lambda: shipment_record(
            actor=world.exporter,
            licence=licence,
            shipped_on=TODAY(),
            lines=[(item, Decimal(6), Decimal(100)), (item, Decimal(6), Decimal(100))],
        ),
        licence,
        code="exceeds_licence",
    )
    assert "only 10 items" in error.message


def test_shipment_record_using_up_everything_exhausts_the_licence(
    world, licence, django_capture_on_commit_callbacks
):
    item = licence.items.get()
    shipment_record(
        actor=world.exporter,
        licence=licence,
        shipped_on=TODAY(),
        lines=[(item, Decimal(4), Decimal(20000))],
    )

    with django_capture_on_commit_callbacks(execute=True):
        shipment_record(
            actor=world.exporter,
            licence=licence,
            shipped_on=TODAY(),
            lines=[(item, Decimal(6), Decimal(30000))],
        )

    licence.refresh_from_db()
    assert licence.status == Status.EXHAUSTED
    event = audit_events(licence, Verb.LICENCE_EXHAUSTED).get()
    assert (event.from_status, event.to_status) == (Status.ACTIVE, Status.EXHAUSTED)
    assert subjects_to(world.exporter) == [f"[ExportGov] Licence {licence.number} is now exhausted"]
    expect_refused(
        ApplicationError,
        lambda: shipment_record(
            actor=world.exporter,
            licence=licence,
            shipped_on=TODAY(),
            lines=[(item, Decimal(0), Decimal(1))],
        ),
        licence,
    )


def test_shipment_record_using_up_the_value_alone_exhausts_the_licence(world, licence):
    item = licence.items.get()
    shipment_record(
        actor=world.exporter,
        licence=licence,
        shipped_on=TODAY(),
        lines=[(item, Decimal(1), Decimal(50000))],
    )
    assert Licence.objects.get(pk=licence.pk).status == Status.EXHAUSTED


def test_shipment_record_refuses_a_licence_that_is_not_active(world, licence):
    item = licence.items.get()
    for status in (Status.SUSPENDED, Status.REVOKED, Status.EXPIRED, Status.SUPERSEDED):
        licence = force_status(licence, status)
        error = expect_refused(
            ApplicationError,
            lambda licence=licence: shipment_record(
                actor=world.exporter,
                licence=licence,
                shipped_on=TODAY(),
                lines=[(item, Decimal(1), Decimal(1))],
            ),
            licence,
        )
        assert licence.get_status_display().lower() in error.message


def test_shipment_record_refuses_bad_lines(world, licence):
    item = licence.items.get()
    foreign = make_approved(world).licence.items.get()
    bad = [
        (TODAY() + timedelta(days=1), [(item, Decimal(1), Decimal(1))]),
        (TODAY(), [(item, Decimal(0), Decimal(0))]),
        (TODAY(), [(item, Decimal(-1), Decimal(10))]),
        (TODAY(), [(foreign, Decimal(1), Decimal(1))]),
    ]
    for shipped_on, lines in bad:
        expect_refused(
            ApplicationError,
            lambda shipped_on=shipped_on, lines=lines: shipment_record(
                actor=world.exporter, licence=licence, shipped_on=shipped_on, lines=lines
            ),
            licence,
        )


def test_shipment_record_refuses_anyone_outside_the_organisation(world, licence):
    item = licence.items.get()
    for actor in (world.other_exporter, world.case_officer, world.senior_official):
        expect_refused(
            PermissionDenied,
            lambda actor=actor: shipment_record(
                actor=actor,
                licence=licence,
                shipped_on=TODAY(),
                lines=[(item, Decimal(1), Decimal(1))],
            ),
            licence,
        )


# licence_amendment_start ---------------------------------------------------------------------


def test_licence_amendment_start_makes_a_draft_that_supersedes_once_approved(world, licence):
    amendment = licence_amendment_start(actor=world.exporter, licence=licence)

    assert amendment.status == Application.Status.DRAFT
    assert amendment.amends_licence == licence
    assert amendment.copied_from == licence.application
    assert audit_events(licence, Verb.LICENCE_AMENDMENT_STARTED).get().payload == {
        "draft": amendment.reference
    }
    # The amendment goes back through review: attach the undertaking again, submit, decide.
    undertaking = upload_document(actor=world.exporter, application=amendment)
    party_save(
        actor=world.exporter,
        application=amendment,
        party=amendment.parties.get(role=Party.Role.END_USER),
        data={"undertaking": undertaking},
    )
    application_submit(actor=world.exporter, application=amendment)
    screen_queued(amendment)  # what the worker does once the submission commits
    amendment = make_recommended(world, application=make_claimed(world, amendment))
    decision_make(actor=world.senior_official, application=amendment)

    new_licence = Licence.objects.get(application=amendment)
    licence.refresh_from_db()
    assert licence.status == Status.SUPERSEDED
    assert new_licence.status == Status.ACTIVE
    assert new_licence.number != licence.number
    event = audit_events(licence, Verb.LICENCE_SUPERSEDED).get()
    assert (event.from_status, event.to_status) == (Status.ACTIVE, Status.SUPERSEDED)
    assert event.payload == {"by": new_licence.number}


def make_claimed(world, application):
    from licensing.services.cases import case_claim

    case_claim(actor=world.case_officer, application=application)
    return Application.objects.get(pk=application.pk)


def test_licence_amendment_start_refuses_an_ended_licence(world, licence):
    count = Application.objects.count()
    for status in (Status.REVOKED, Status.EXPIRED, Status.EXHAUSTED, Status.SUPERSEDED):
        licence = force_status(licence, status)
        expect_refused(
            ApplicationError,
            lambda licence=licence: licence_amendment_start(actor=world.exporter, licence=licence),
            licence,
        )
    assert Application.objects.count() == count


def test_licence_amendment_start_refuses_anyone_outside_the_organisation(world, licence):
    count = Application.objects.count()
    for actor in (world.other_exporter, world.case_officer):
        expect_refused(
            PermissionDenied,
            lambda actor=actor: licence_amendment_start(actor=actor, licence=licence),
            licence,
        )
    assert Application.objects.count() == count
