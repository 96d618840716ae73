"""Reads of applications, cases and licences that a user may see."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from guardian.shortcuts import get_objects_for_user

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent

from .models import (
    Advice,
    Application,
    Consultation,
    Document,
    InformationRequest,
    Item,
    Licence,
    Party,
)
from .steps import DUE_DILIGENCE_QUESTIONS

Status = Application.Status
Verb = AuditEvent.Verb

# Timeline events the exporter sees on their status page (officials see all of them).
EXPORTER_VISIBLE_VERBS = {
    Verb.APPLICATION_CREATED,
    Verb.APPLICATION_COPIED,
    Verb.APPLICATION_SUBMITTED,
    Verb.SCREENING_STARTED,
    Verb.CASE_TRIAGED,
    Verb.REVIEW_STARTED,
    Verb.INFORMATION_REQUESTED,
    Verb.INFORMATION_PROVIDED,
    Verb.DOCUMENT_UPLOADED,
    Verb.APPROVED,
    Verb.REFUSED,
    Verb.WITHDRAWN,
    Verb.LICENCE_ISSUED,
    Verb.LICENCE_SUSPENDED,
    Verb.LICENCE_REINSTATED,
    Verb.LICENCE_REVOKED,
    Verb.LICENCE_EXPIRED,
    Verb.LICENCE_EXHAUSTED,
    Verb.LICENCE_SUPERSEDED,
    Verb.LICENCE_AMENDMENT_STARTED,
    Verb.SHIPMENT_RECORDED,
}


def application_list_for_user(*, user: User) -> QuerySet[Application]:
    """Applications of the user's organisations; submitted cases for officials; for advisors,
    only the cases referred to their advisory body."""
    if not user.is_authenticated:
        return Application.objects.none()
    own = Q(organisation__memberships__user=user)
    if user.has_perm("licensing.view_application"):
        # Officials are not members of exporters: no join, so the queues stay fast.
        return Application.objects.exclude(status=Status.DRAFT)
    referred = get_objects_for_user(
        user, "licensing.view_application", klass=Application, accept_global_perms=False
    ).values("pk")
    return Application.objects.filter(own | Q(pk__in=referred)).distinct()


def application_get_for_user(*, user: User, pk: int) -> Application:
    return get_object_or_404(
        application_list_for_user(user=user).select_related(
            "organisation", "created_by", "assigned_officer", "team", "declared_by"
        ),
        pk=pk,
    )


def application_get_for_member(*, user: User, pk: int) -> Application:
    """An application of one of the user's organisations, in any status (404 for anyone else)."""
    return get_object_or_404(
        Application.objects.select_related("organisation"),
        pk=pk,
        organisation__memberships__user=user,
    )


def item_get_for_member(*, user: User, pk: int) -> Item:
    return get_object_or_404(
        Item.objects.select_related("application__organisation"),
        pk=pk,
        application__organisation__memberships__user=user,
    )


def party_get_for_member(*, user: User, pk: int) -> Party:
    return get_object_or_404(
        Party.objects.select_related("application__organisation"),
        pk=pk,
        application__organisation__memberships__user=user,
    )


def information_request_get_for_member(*, user: User, pk: int) -> InformationRequest:
    return get_object_or_404(
        InformationRequest.objects.select_related("application"),
        pk=pk,
        application__organisation__memberships__user=user,
    )


def document_get_for_user(*, user: User, pk: int) -> Document:
    """A document of an application the user may see: its organisation's members, and the
    officials (and consulted advisors) who may see the case."""
    visible = application_list_for_user(user=user).values("pk")
    return get_object_or_404(Document.objects.filter(application__in=Subquery(visible)), pk=pk)


def party_reusable_list(*, application: Application) -> QuerySet[Party]:
    """One of each distinct party (name, country, role) from the organisation's other
    applications, newest version first, for the "reuse a party" list."""
    latest = (
        Party.objects.filter(application__organisation_id=application.organisation_id)
        .exclude(application=application)
        .order_by("name", "country", "role", "-id")
        .distinct("name", "country", "role")
        .values("pk")
    )
    return Party.objects.filter(pk__in=Subquery(latest)).order_by("name", "role")


def consultation_list_for_advisor(*, user: User) -> QuerySet[Consultation]:
    """Consultations referred to the user's advisory bodies, unanswered first (`answered`)."""
    return (
        Consultation.objects.filter(
            team__members=user, application__in=application_list_for_user(user=user)
        )
        .select_related("team", "application__organisation")
        .annotate(answered=Exists(Advice.objects.filter(consultation=OuterRef("pk"))))
        .order_by("answered", "created_at", "pk")
    )


def case_queue(*, user: User) -> QuerySet[Application]:
    """Submitted cases for the officials' queues, with what each row shows loaded up front."""
    return (
        application_list_for_user(user=user)
        .exclude(status=Status.DRAFT)
        .select_related("organisation", "assigned_officer")
        .prefetch_related(
            Prefetch(
                "parties", queryset=Party.objects.only("id", "application_id", "country", "role")
            )
        )
    )


# The triage queue: cases waiting to be claimed, and cases whose screening failed for good
# (shown with a "Screening failed" tag, so that an official screens them again).
TRIAGE_QUEUE_STATUSES = [Status.TRIAGE, Status.SCREENING_FAILED]


def case_triage_queue(*, user: User) -> QuerySet[Application]:
    return case_queue(user=user).filter(status__in=TRIAGE_QUEUE_STATUSES)


def application_timeline(*, application: Application, exporter_view: bool) -> list[AuditEvent]:
    """The case's history from the audit log (exporters see only what concerns them)."""
    licence_ids = [
        str(pk)
        for pk in Licence.objects.filter(application=application).values_list("pk", flat=True)
    ]
    events = AuditEvent.objects.filter(
        Q(target_type="licensing.application", target_id=str(application.pk))
        | Q(target_type="licensing.licence", target_id__in=licence_ids)
    ).order_by("id")
    if exporter_view:
        events = events.filter(verb__in=EXPORTER_VISIBLE_VERBS)
    return list(events)


def licence_list_for_user(*, user: User) -> QuerySet[Licence]:
    if not user.is_authenticated:
        return Licence.objects.none()
    licences = Licence.objects.select_related("application", "organisation")
    if user.has_perm("licensing.view_licence"):
        return licences
    return licences.filter(organisation__memberships__user=user)


def licence_get_for_user(*, user: User, pk: int) -> Licence:
    return get_object_or_404(
        licence_list_for_user(user=user).prefetch_related("items", "shipments"), pk=pk
    )


@dataclass(frozen=True)
class Problem:
    """A missing or invalid answer, with the step (and anchor) where it is fixed."""

    step: str
    message: str
    anchor: str = ""

    def url(self, application: Application) -> str:
        url = reverse(
            "licensing:application_step", kwargs={"pk": application.pk, "step": self.step}
        )
        return f"{url}#{self.anchor}" if self.anchor else url


def application_problems(
    *, application: Application, ignore_declaration: bool = False
) -> list[Problem]:
    """Everything that stops the application from being submitted, in the order of the steps."""
    problems = []
    for step in application.unsaved_input:
        problems.append(
            Problem(step, "Some answers on this step did not save: correct and save them.")
        )
    if not application.title:
        problems.append(Problem("applicant", "Give the application a short title.", "id_title"))
    if not application.contact_name:
        problems.append(Problem("applicant", "Enter the contact's name.", "id_contact_name"))
    if not application.contact_email:
        problems.append(
            Problem("applicant", "Enter the contact's email address.", "id_contact_email")
        )
    problems += _item_problems(application)
    problems += _party_problems(application)
    problems += _end_use_problems(application)
    answered = application.due_diligence or {}
    for code, question in DUE_DILIGENCE_QUESTIONS:
        if answered.get(code) not in ("yes", "no", "unsure"):
            problems.append(Problem("due-diligence", f"Answer: {question}", f"id_{code}"))
    if not ignore_declaration and application.declared_at is None:
        problems.append(Problem("review", "Make the declaration.", "id_declaration"))
    return problems


def _item_problems(application: Application) -> list[Problem]:
    items: list[Item] = list(application.items.all())
    if not items:
        return [Problem("items", "Add at least one item, piece of software or technology.")]
    problems = []
    technology = application.kind == Application.Kind.TECHNOLOGY
    for number, item in enumerate(items, start=1):
        name = f"Item {number} ({item.description or 'no description'})"
        if not item.control_code and not item.classification_unknown:
            problems.append(
                Problem("items", f"{name}: give its control classification, or ask for one.")
            )
        if item.quantity is None or item.quantity <= 0:
            problems.append(Problem("items", f"{name}: give the quantity."))
        if item.value is None or item.value < 0:
            problems.append(Problem("items", f"{name}: give the value."))
        if technology and not item.transfer_form:
            problems.append(
                Problem("items", f"{name}: say how the technology will be transferred.")
            )
    return problems


def _party_problems(application: Application) -> list[Problem]:
    parties: list[Party] = list(application.parties.all())
    roles = {party.role for party in parties}
    problems = []
    if Party.Role.END_USER not in roles:
        problems.append(Problem("parties", "Add the end user."))
    if application.kind == Application.Kind.GOODS and Party.Role.CONSIGNEE not in roles:
        problems.append(Problem("parties", "Add the consignee (who receives the goods)."))
    for party in parties:
        if (
            party.role == Party.Role.END_USER
            and application.kind == Application.Kind.GOODS
            and not party.undertaking_id
        ):
            problems.append(Problem("parties", f"{party.name}: attach the end-user undertaking."))
    return problems


def _end_use_problems(application: Application) -> list[Problem]:
    problems = []
    if not application.end_use_statement.strip():
        problems.append(Problem("end-use", "Describe the end use.", "id_end_use_statement"))
    questions = {
        "military_end_use": "Say whether there is a military end use.",
        "wmd_end_use": "Say whether the end use is connected with weapons of mass destruction.",
        "reexport_intended": "Say whether re-export is intended.",
    }
    for field, message in questions.items():
        if getattr(application, field) is None:
            problems.append(Problem("end-use", message, f"id_{field}"))
    if not application.end_user_known_for:
        problems.append(
            Problem("end-use", "Say how long you have known the end user.", "id_end_user_known_for")
        )
    return problems
