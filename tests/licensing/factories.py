"""Licensing test data, built through the services so every object is one a user could make.

Plain builder functions take the `world` fixture (see the root conftest.py) and return the
application at a given point of the workflow:

    make_draft(world)                 a complete goods draft of world.organisation
    make_submitted(world)             submitted: screening skipped, status triage, tier medium
                                      (screen=True: screened in-process, `screen_queued`)
    make_under_review(world)          claimed by world.case_officer
    make_recommended(world, ...)      recommended (approve by default) by world.case_officer
    make_approved(world)              decided by world.senior_official; a Licence exists
    make_refused(world)               refused by world.senior_official

Each accepts keyword overrides for the actors and the answers it uses. Also here:
`LicenceConditionFactory` / `RefusalCriterionFactory` (catalogue rows), `upload_document` and
`pdf_upload` (a small real PDF), `audit_events(target, verb)` and `db_state(application)`
(a snapshot to prove that a refused call changed nothing).
"""

from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from exportgov.accounts.models import Organisation, User
from exportgov.audit.models import AuditEvent
from exportgov.notifications.models import Notification
from licensing import deadlines
from licensing.models import (
    Application,
    Document,
    Item,
    Licence,
    LicenceCondition,
    Outcome,
    Party,
    RefusalCriterion,
)
from licensing.services import applications as application_services
from licensing.services import cases as case_services
from licensing.steps import DUE_DILIGENCE_QUESTIONS

# The smallest well-formed PDF: one empty A4 page. It passes licensing.uploads' checks.
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)

ITEM_DATA = {
    "description": "Analogue-to-digital converter boards",
    "control_code": "3A001.b.2",
    "technical_description": "14-bit ADC evaluation boards, 500 MS/s.",
    "quantity": Decimal(10),
    "unit": Item.Unit.ITEMS,
    "value": Decimal("50000.00"),
    "currency": "GBP",
}
END_USE_DATA = {
    "end_use_statement": "Calibration of radio telescopes at a university observatory.",
    "military_end_use": False,
    "wmd_end_use": False,
    "reexport_intended": False,
    "end_user_known_for": Application.KnownFor.ONE_TO_FIVE,
}
DUE_DILIGENCE_ALL_NO = {code: "no" for code, _question in DUE_DILIGENCE_QUESTIONS}


class LicenceConditionFactory(DjangoModelFactory[LicenceCondition]):
    class Meta:
        model = LicenceCondition
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"condition-{n}")
    title = factory.Sequence(lambda n: f"Condition {n}")
    text = factory.LazyAttribute(
        lambda condition: f"The items must not be re-exported ({condition.code})."
    )
    active = True


class RefusalCriterionFactory(DjangoModelFactory[RefusalCriterion]):
    class Meta:
        model = RefusalCriterion
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"criterion-{n}")
    title = factory.Sequence(lambda n: f"Criterion {n}")
    description = factory.LazyAttribute(
        lambda criterion: f"A clear risk of diversion to an undesirable user ({criterion.code})."
    )
    active = True


def pdf_upload(name: str = "undertaking.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def upload_document(
    *,
    actor: User,
    application: Application,
    kind: str = Document.Kind.END_USER_UNDERTAKING,
    name: str = "undertaking.pdf",
    information_request=None,
) -> Document:
    return application_services.document_upload(
        actor=actor,
        application=application,
        file=pdf_upload(name),
        kind=kind,
        content_type="application/pdf",
        information_request=information_request,
    )


def make_empty_draft(
    world, *, actor: User | None = None, organisation: Organisation | None = None
) -> Application:
    """A draft with nothing answered yet."""
    return application_services.application_create(
        actor=actor or world.exporter,
        organisation=organisation or world.organisation,
        kind=Application.Kind.GOODS,
    )


def make_draft(
    world,
    *,
    actor: User | None = None,
    organisation: Organisation | None = None,
    title: str = "ADC boards for Heidelberg observatory",
    country: str = "DE",
    item: dict | None = None,
    end_use: dict | None = None,
    due_diligence: dict | None = None,
) -> Application:
    """A complete goods draft: one 3A001.b.2 item, consignee and end user with an undertaking."""
    actor = actor or world.exporter
    application = make_empty_draft(world, actor=actor, organisation=organisation)
    application = application_services.application_step_save(
        actor=actor,
        application=application,
        step="applicant",
        data={
            "title": title,
            "contact_name": "Ada Exporter",
            "contact_email": "ada@northwind.example",
            "contact_phone": "+44 20 7946 0000",
        },
    )
    application_services.item_save(
        actor=actor, application=application, data={**ITEM_DATA, **(item or {})}
    )
    undertaking = upload_document(actor=actor, application=application)
    application_services.party_save(
        actor=actor,
        application=application,
        data={
            "role": Party.Role.CONSIGNEE,
            "name": "Messtechnik Handel GmbH",
            "address": "Hauptstraße 1, 69117 Heidelberg",
            "country": country,
        },
    )
    application_services.party_save(
        actor=actor,
        application=application,
        data={
            "role": Party.Role.END_USER,
            "name": "Landessternwarte Königstuhl",
            "kind": Party.Kind.RESEARCH,
            "address": "Königstuhl 12, 69117 Heidelberg",
            "country": country,
            "undertaking": undertaking,
        },
    )
    application_services.application_step_save(
        actor=actor,
        application=application,
        step="end-use",
        data={**END_USE_DATA, **(end_use or {})},
    )
    application = application_services.application_step_save(
        actor=actor,
        application=application,
        step="due-diligence",
        data={"due_diligence": dict(due_diligence or DUE_DILIGENCE_ALL_NO)},
    )
    return Application.objects.get(pk=application.pk)


def make_submitted(
    world, *, draft: Application | None = None, tier: str | None = None, screen: bool = False
):
    """Submitted and waiting in the triage queue.

    Screening is skipped (its queued run is dropped) unless `screen=True`, which runs the
    pipeline in-process on the rules in force (`screen_queued`).

    Without a screening result the case gets the unscreened tier (medium). `tier` stands in for
    the screening pipeline's result: it sets the tier and the matching deadline directly.
    """
    application = draft or make_draft(world)
    application_services.application_submit(actor=world.exporter, application=application)
    if screen:
        screen_queued(application)
    else:  # screening skipped: no run, straight to triage with the unscreened tier
        application.screening_runs.filter(status="queued").delete()
        case_services.case_route_to_triage(application=application, tier=None, risk_score=None)
    application = Application.objects.get(pk=application.pk)
    if tier is not None:
        deadline_on = deadlines.deadline_for(
            submitted_on=timezone.localdate(application.submitted_at), tier=tier
        )
        Application.objects.filter(pk=application.pk).update(tier=tier, deadline_on=deadline_on)
        application = Application.objects.get(pk=application.pk)
    return application


def screen_queued(application: Application) -> None:
    """Run the application's queued screening runs here, as the worker would once the
    submission commits (a test's transaction never commits, so its task is never queued)."""
    from screening.services.runs import screening_run_execute

    for run_id in application.screening_runs.filter(status="queued").values_list("pk", flat=True):
        screening_run_execute(run_id=run_id)


def make_under_review(world, *, officer: User | None = None, tier: str | None = None):
    application = make_submitted(world, tier=tier)
    case_services.case_claim(actor=officer or world.case_officer, application=application)
    return Application.objects.get(pk=application.pk)


def make_recommended(
    world,
    *,
    outcome: str = Outcome.APPROVE,
    officer: User | None = None,
    tier: str | None = None,
    conditions: list[LicenceCondition] | None = None,
    refusal_criteria: list[RefusalCriterion] | None = None,
    application: Application | None = None,
) -> Application:
    """Recommended by `officer` (default world.case_officer): approve with one catalogue
    condition, or refuse on one refusal criterion."""
    officer = officer or world.case_officer
    application = application or make_under_review(world, officer=officer, tier=tier)
    if outcome == Outcome.APPROVE:
        case_services.recommendation_make(
            actor=officer,
            application=application,
            outcome=Outcome.APPROVE,
            explanation="Civil end user with a credible, documented end use.",
            conditions=conditions if conditions is not None else [LicenceConditionFactory()],
        )
    else:
        case_services.recommendation_make(
            actor=officer,
            application=application,
            outcome=Outcome.REFUSE,
            explanation="Risk of diversion to a military programme.",
            refusal_criteria=(
                refusal_criteria if refusal_criteria is not None else [RefusalCriterionFactory()]
            ),
        )
    return Application.objects.get(pk=application.pk)


def make_recommended_approve(world, **overrides) -> Application:
    return make_recommended(world, outcome=Outcome.APPROVE, **overrides)


def make_recommended_refuse(world, **overrides) -> Application:
    return make_recommended(world, outcome=Outcome.REFUSE, **overrides)


def make_approved(world, *, decider: User | None = None, **overrides) -> Application:
    """Approved by world.senior_official; `application.licence` is the issued licence."""
    application = make_recommended_approve(world, **overrides)
    case_services.decision_make(
        actor=decider or world.senior_official,
        application=application,
        explanation="Approved as recommended.",
    )
    return Application.objects.get(pk=application.pk)


def make_refused(world, *, decider: User | None = None, **overrides) -> Application:
    application = make_recommended_refuse(world, **overrides)
    case_services.decision_make(
        actor=decider or world.senior_official,
        application=application,
        explanation="Refused as recommended.",
    )
    return Application.objects.get(pk=application.pk)


def audit_events(target, verb: str | None = None):
    """The audit events about `target` (an application or a licence), oldest first."""
    events = AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).order_by("id")
    return events.filter(verb=verb) if verb is not None else events


def db_state(application: Application) -> dict:
    """Everything a service could change about an application, read back from the database.

    Compare two snapshots to prove a refused call left nothing half-applied.
    """
    row = Application.objects.filter(pk=application.pk).values().get()
    licences = Licence.objects.filter(application=application)
    return {
        "application": row,
        "items": list(application.items.values()),
        "parties": list(application.parties.values()),
        "documents": list(application.documents.values_list("pk", flat=True)),
        "notes": application.notes.count(),
        "information_requests": list(application.information_requests.values()),
        "consultations": application.consultations.count(),
        "advice": sum(c.advice.count() for c in application.consultations.all()),
        "recommendations": application.recommendations.count(),
        "decision": hasattr(Application.objects.get(pk=application.pk), "decision"),
        "licences": list(licences.values()),
        "licence_items": [list(licence.items.values()) for licence in licences],
        "audit_events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


__all__ = [
    "DUE_DILIGENCE_ALL_NO",
    "END_USE_DATA",
    "ITEM_DATA",
    "PDF_BYTES",
    "LicenceConditionFactory",
    "RefusalCriterionFactory",
    "audit_events",
    "db_state",
    "make_approved",
    "make_draft",
    "make_empty_draft",
    "make_recommended",
    "make_recommended_approve",
    "make_recommended_refuse",
    "make_refused",
    "make_submitted",
    "make_under_review",
    "pdf_upload",
    "screen_queued",
    "upload_document",
]
