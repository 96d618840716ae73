"""The officials' pages: the queues, the case page, and every action taken on a case.

Who may see what: queues need the global `licensing.view_application` (case officers and
senior officials work them; auditors and appeals reviewers read them); advisors have their
own queue of the consultations referred to their advisory body. The case page is for
officials only, and the selectors decide which case each of them may open (404 otherwise).
Every action calls one service; a refusal by the service (ApplicationError or
PermissionDenied) is shown on the case page next to the form, with what was typed kept.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from appeals.selectors import appeals_for_application
from exportgov.core.exceptions import ApplicationError
from exportgov.core.paging import PAGE_SIZE, page_size

from .. import deadlines, selectors
from ..filters import OPEN_STATUSES, CaseQueueFilter, TriageQueueFilter, sorted_by
from ..forms_cases import (
    AdviceForm,
    AssignForm,
    DecisionForm,
    InformationRequestForm,
    NoteForm,
    RecommendationForm,
    ReferForm,
    ReturnForm,
)
from ..models import Advice, Application, Consultation, Document, Tier
from ..services import cases as case_services
from ..steps import DUE_DILIGENCE_ANSWERS, DUE_DILIGENCE_QUESTIONS

Status = Application.Status

REVIEW = "licensing.review_application"
DECIDE = "licensing.decide_application"
VIEW = "licensing.view_application"
ADVISE = "licensing.give_advice"

TIER_RULES = {
    Tier.LOW: "Low tier: one official may both recommend and decide.",
    Tier.MEDIUM: "Medium tier, four eyes: a senior official who did not make the "
    "recommendation decides.",
    Tier.HIGH: "High tier, four eyes and advice: a senior official who did not make the "
    "recommendation decides, and at least one consultation must have been answered.",
}


# The deadline clock ----------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """How a case stands against its deadline, as shown in queues and on the case page."""

    label: str
    state: str = ""  # "", "paused", or a deadlines.DeadlineState value
    days_left: int | None = None

    @property
    def tag_class(self) -> str:
        return {
            deadlines.DeadlineState.OVERDUE: "bg-error",
            deadlines.DeadlineState.DUE_SOON: "bg-warning text-ink",
            "paused": "bg-base-light text-ink",
        }.get(self.state, "")

    @property
    def row_class(self) -> str:
        return {
            deadlines.DeadlineState.OVERDUE: "bg-error-lighter",
            deadlines.DeadlineState.DUE_SOON: "bg-warning-lighter",
        }.get(self.state, "")


def case_clock(application: Application, today: date) -> Clock:
    if application.clock_paused:
        return Clock("paused", "paused")
    if application.deadline_on is None or application.is_decided:
        return Clock("—")
    left = deadlines.working_days_left(deadline=application.deadline_on, today=today)
    state = deadlines.deadline_status(days_left=left)
    return Clock(deadlines.days_left_label(left), state.value, left)


# Queues ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    application: Application
    destinations: list[str]
    clock: Clock


def _queue_page(
    request: HttpRequest,
    queue: QuerySet[Application],
    filter_class: type[TriageQueueFilter],
    *,
    default_sort: str,
    triage: bool,
) -> HttpResponse:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied("Only officials can see the case queues.")
    queue_filter = filter_class(
        request.GET or None, queryset=sorted_by(queue, default_sort), request=request
    )
    page = Paginator(queue_filter.qs, page_size(request)).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        QueueRow(
            application=application,
            destinations=sorted({party.country.name for party in application.parties.all()}),
            clock=case_clock(application, today),
        )
        for application in page.object_list
    ]
    context = {
        "filter": queue_filter,
        "page": page,
        "rows": rows,
        "triage": triage,
        "can_claim": triage and request.user.has_perm(REVIEW),
        "page_sizes": [10, 25, 50, 100],
        "page_size": page.paginator.per_page,
    }
    template = "licensing/cases/queue.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
def case_triage_queue(request: HttpRequest) -> HttpResponse:
    """Cases waiting to be claimed, riskiest first, then by deadline (and failed screenings)."""
    queue = selectors.case_triage_queue(user=request.user)
    return _queue_page(request, queue, TriageQueueFilter, default_sort="risk", triage=True)


@login_required
def case_queue(request: HttpRequest) -> HttpResponse:
    """Every open case of the licensing unit, soonest deadline first, with filter presets."""
    queue = selectors.case_queue(user=request.user).filter(status__in=OPEN_STATUSES)
    return _queue_page(request, queue, CaseQueueFilter, default_sort="deadline", triage=False)


@login_required
def advisor_queue(request: HttpRequest) -> HttpResponse:
    """The consultations referred to the advisor's advisory bodies, unanswered first."""
    if not request.user.has_perm(ADVISE):
        raise PermissionDenied("Only advisors have a consultation queue.")
    consultations = selectors.consultation_list_for_advisor(user=request.user)
    page = Paginator(consultations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "licensing/cases/advisor_queue.html", {"page": page})


# The case page ---------------------------------------------------------------------------


def _case_for(request: HttpRequest, pk: int) -> Application:
    """A submitted case the official may see: 403 for non-officials, 404 for cases not theirs."""
    user = request.user
    if not (user.has_perm(VIEW) or user.has_perm(ADVISE)):
        raise PermissionDenied("Only officials can see case pages.")
    application = selectors.application_get_for_user(user=user, pk=pk)
    if application.status == Status.DRAFT:
        raise Http404("No such case.")
    return application


@dataclass(frozen=True)
class CaseActions:
    """What the user may do to the case in its current status (the forms the page shows)."""

    claim: bool = False
    assign: bool = False
    note: bool = False
    see_notes: bool = False
    request_information: bool = False
    refer: bool = False
    end_consultation: bool = False
    recommend: bool = False
    decide: bool = False
    decide_blocked: str = ""
    return_recommendation: bool = False


def _actions(user, application: Application, recommendation, answered: bool) -> CaseActions:
    review = user.has_perm(REVIEW)
    status = application.status
    recommended = status == Status.RECOMMENDED
    may_decide = recommended and (
        user.has_perm(DECIDE) or (application.tier == Tier.LOW and review)
    )
    blocked = ""
    if may_decide and application.tier != Tier.LOW:
        if recommendation is not None and recommendation.officer_id == user.pk:
            blocked = (
                "You made this recommendation: four eyes on a "
                f"{application.get_tier_display().lower()} tier case mean that another "
                "senior official must decide it."
            )
        elif application.tier == Tier.HIGH and not answered:
            blocked = (
                "No consultation has been answered yet: a high tier case cannot be decided "
                "without advice."
            )
    return CaseActions(
        claim=review and status == Status.TRIAGE,
        assign=review
        and status
        in (Status.TRIAGE, Status.UNDER_REVIEW, Status.INFO_REQUESTED, Status.IN_CONSULTATION),
        note=review,
        see_notes=user.has_perm(VIEW),
        request_information=review and status == Status.UNDER_REVIEW,
        refer=review and status == Status.UNDER_REVIEW,
        end_consultation=review and status == Status.IN_CONSULTATION,
        recommend=review and status == Status.UNDER_REVIEW,
        decide=may_decide and not blocked,
        decide_blocked=blocked,
        return_recommendation=recommended and user.has_perm(DECIDE),
    )


@dataclass
class ConsultationPanel:
    consultation: Consultation
    current: Advice | None
    earlier: list[Advice]
    form: AdviceForm | None = None


@dataclass
class CaseForms:
    """The case page's forms; a POST that failed passes its bound form in place of a new one."""

    assign: AssignForm | None = None
    note: NoteForm | None = None
    request_information: InformationRequestForm | None = None
    refer: ReferForm | None = None
    recommend: RecommendationForm | None = None
    decide: DecisionForm | None = None
    return_recommendation: ReturnForm | None = None
    advice: dict[int, AdviceForm] = field(default_factory=dict)
    flags: dict = field(default_factory=dict)  # flag pk -> its bound disposition form


def _consultation_panels(
    user, application: Application, bound_advice: dict[int, AdviceForm]
) -> list[ConsultationPanel]:
    consultations = application.consultations.select_related(
        "team", "requested_by"
    ).prefetch_related(
        Prefetch(
            "advice", queryset=Advice.objects.select_related("advisor").order_by("created_at", "id")
        )
    )
    open_case = not application.is_decided and application.status != Status.WITHDRAWN
    my_teams = set(user.teams.values_list("pk", flat=True)) if user.has_perm(ADVISE) else set()
    panels = []
    for consultation in consultations:
        advice = list(consultation.advice.all())
        panel = ConsultationPanel(
            consultation=consultation,
            current=advice[-1] if advice else None,
            earlier=list(reversed(advice[:-1])),
        )
        if open_case and consultation.team_id in my_teams:
            panel.form = bound_advice.get(consultation.pk) or AdviceForm(
                auto_id=f"advice-{consultation.pk}-%s"
            )
        panels.append(panel)
    return panels


def _case_context(
    request: HttpRequest, application: Application, bound: CaseForms, error: str = ""
) -> dict:
    from screening.views.flags import screening_section  # screening's views import these

    user = request.user
    recommendations = list(
        application.recommendations.select_related("officer")
        .prefetch_related("conditions", "refusal_criteria")
        .order_by("-created_at", "-id")
    )
    recommendation = recommendations[0] if recommendations else None
    consultations = _consultation_panels(user, application, bound.advice)
    answered = any(panel.current for panel in consultations)
    can = _actions(user, application, recommendation, answered)
    answers = dict(DUE_DILIGENCE_ANSWERS)
    due_diligence = [
        (question, answers.get((application.due_diligence or {}).get(code), "Not answered"))
        for code, question in DUE_DILIGENCE_QUESTIONS
    ]
    forms = {
        "assign": bound.assign or AssignForm(initial={"officer": application.assigned_officer_id})
        if can.assign
        else None,
        "note": bound.note or NoteForm() if can.note else None,
        "request_information": bound.request_information or InformationRequestForm()
        if can.request_information
        else None,
        "refer": bound.refer or ReferForm() if can.refer else None,
        "recommend": bound.recommend or RecommendationForm() if can.recommend else None,
        "decide": bound.decide or DecisionForm() if can.decide else None,
        "return_recommendation": bound.return_recommendation or ReturnForm()
        if can.return_recommendation
        else None,
    }
    return {
        "application": application,
        "clock": case_clock(application, timezone.localdate()),
        "items": application.items.all(),
        "parties": application.parties.select_related("undertaking"),
        "documents": application.documents.select_related("uploaded_by"),
        "due_diligence": due_diligence,
        "timeline": selectors.application_timeline(application=application, exporter_view=False),
        "notes": application.notes.select_related("author") if can.see_notes else [],
        "information_requests": application.information_requests.select_related(
            "requested_by", "answered_by"
        ).prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("id"))),
        "consultations": consultations,
        "recommendations": recommendations,
        "recommendation": recommendation,
        "decision": _one(application, "decision"),
        "licence": _one(application, "licence"),
        "tier_rule": TIER_RULES.get(application.tier, ""),
        "screening": screening_section(user, application, bound.flags),
        "case_appeals": appeals_for_application(application=application),
        "appeal_link": "review" if user.has_perm("appeals.view_appeal") else "",
        "can": can,
        "forms": forms,
        "error": error,
    }


def _one(application: Application, name: str):
    try:
        return getattr(application, name)
    except ObjectDoesNotExist:
        return None


def _case_page(
    request: HttpRequest,
    application: Application,
    *,
    bound: CaseForms | None = None,
    error: str = "",
    anchor: str = "",
    status: int = 200,
) -> HttpResponse:
    context = _case_context(request, application, bound or CaseForms(), error)
    context["error_anchor"] = anchor
    return render(request, "licensing/cases/case_detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case_for(request, pk))


# Actions ---------------------------------------------------------------------------------


def _act(
    request: HttpRequest,
    application: Application,
    *,
    action: Callable[[dict], object],
    success: str,
    anchor: str,
    form=None,
    slot: str = "",
    permission: str | tuple[str, ...] = (),
) -> HttpResponse:
    """Validate `form`, run `action` with its cleaned data, and redirect to the case page.

    On failure the case page is shown again with the message and the bound form in `slot`
    (an attribute of CaseForms, or "advice:<pk>"), so nothing typed is lost.
    """

    def again(message: str, status: int, *, invalid: bool = False) -> HttpResponse:
        if form is not None and message and not invalid:
            form.add_error(None, message)
        bound = CaseForms()
        if form is not None and slot.startswith("advice:"):
            bound.advice[int(slot.split(":")[1])] = form
        elif form is not None:
            setattr(bound, slot, form)
        return _case_page(
            request, application, bound=bound, error=message, anchor=anchor, status=status
        )

    permissions = (permission,) if isinstance(permission, str) else permission
    if permissions and not any(request.user.has_perm(name) for name in permissions):
        return again("You are not allowed to do this on a case.", 403)
    if form is not None and not form.is_valid():
        return again("some answers need correcting in the form below.", 400, invalid=True)
    try:
        action(form.cleaned_data if form is not None else {})
    except PermissionDenied as error:
        return again(str(error) or "You are not allowed to do this on a case.", 403)
    except ApplicationError as error:
        return again(error.message, 400)
    messages.success(request, success)
    url = reverse("licensing:case_detail", kwargs={"pk": application.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def case_claim(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case_for(request, pk)

    def claim(_data: dict) -> None:
        if application.status != Status.TRIAGE:
            holder = application.assigned_officer
            raise ApplicationError(
                f"This case has already been claimed by {holder}."
                if holder
                else "Only a case in the triage queue can be claimed."
            )
        case_services.case_claim(actor=request.user, application=application)

    return _act(
        request,
        application,
        action=claim,
        success=f"You have claimed {application.reference}; it is now under review.",
        anchor="",
        permission=REVIEW,
    )


@login_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case_for(request, pk)
    form = AssignForm(request.POST)

    def assign(data: dict) -> None:
        case_services.case_assign(
            actor=request.user, application=application, officer=data["officer"]
        )

    return _act(
        request,
        application,
        action=assign,
        success="The case has been assigned.",
        anchor="assignment",
        form=form,
        slot="assign",
        permission=REVIEW,
    )


@login_required
@require_POST
def case_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a note; an htmx request gets the notes section back, with the form emptied."""
    application = _case_for(request, pk)
    form = NoteForm(request.POST)
    if request.htmx:
        if not request.user.has_perm(REVIEW):
            raise PermissionDenied("Only case officers and senior officials can add notes.")
        if form.is_valid():
            try:
                case_services.case_note_add(
                    actor=request.user, application=application, text=form.cleaned_data["text"]
                )
            except (ApplicationError, PermissionDenied) as error:
                form.add_error(None, getattr(error, "message", None) or str(error))
            else:
                form = NoteForm()
        context = {
            "application": application,
            "notes": application.notes.select_related("author"),
            "forms": {"note": form},
            "can": CaseActions(note=True, see_notes=True),
        }
        return render(request, "licensing/cases/case_detail.html#notes", context)
    return _act(
        request,
        application,
        action=lambda data: case_services.case_note_add(
            actor=request.user, application=application, text=data["text"]
        ),
        success="Your note has been added.",
        anchor="notes",
        form=form,
        slot="note",
        permission=REVIEW,
    )


@login_required
@require_POST
def case_request_information(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case_for(request, pk)
    return _act(
        request,
        application,
        action=lambda data: case_services.information_request_create(
            actor=request.user, application=application, question=data["question"]
        ),
        success="The exporter has been asked; the deadline clock is paused until they answer.",
        anchor="information-requests",
        form=InformationRequestForm(request.POST),
        slot="request_information",
        permission=REVIEW,
    )


@login_required
@require_POST
def case_refer(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case_for(request, pk)
    return _act(
        request,
        application,
        action=lambda data: case_services.consultation_request(
            actor=request.user,
            application=application,
            teams=list(data["teams"]),
            question=data["question"],
        ),
        success="The case has been referred for advice.",
        anchor="consultations",
        form=ReferForm(request.POST),
        slot="refer",
        permission=REVIEW,
    )


@login_required
@require_POST
def case_end_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case_for(request, pk)
    return _act(
        request,
        application,
        action=lambda _data: case_services.consultation_end(
            actor=request.user, application=application
        ),
        success="The consultation has ended; the case is back under review.",
        anchor="consultations",
        permission=REVIEW,
    )


@login_required
@require_POST
def consultation_advise(request: HttpRequest, pk: int) -> HttpResponse:
    """An advisor of the consulted body gives (or revises) advice."""
    if not request.user.has_perm(ADVISE) and not request.user.has_perm(VIEW):
        raise PermissionDenied("Only officials can see case pages.")
    consultation = get_object_or_404(
        Consultation.objects.select_related("team"),
        pk=pk,
        application__in=selectors.application_list_for_user(user=request.user),
    )
    application = _case_for(request, consultation.application_id)
    return _act(
        request,
        application,
        action=lambda data: case_services.advice_give(
            actor=request.user, consultation=consultation, **data
        ),
        success=f"Your advice to {consultation.team} has been recorded.",
        anchor=f"consultation-{consultation.pk}",
        form=AdviceForm(request.POST, auto_id=f"advice-{consultation.pk}-%s"),
        slot=f"advice:{consultation.pk}",
        permission=ADVISE,
    )


@login_required
@require_POST
def case_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case_for(request, pk)

    def recommend(data: dict) -> None:
        case_services.recommendation_make(
            actor=request.user,
            application=application,
            outcome=data["outcome"],
            explanation=data["explanation"],
            conditions=list(data["conditions"]),
            custom_conditions=data["custom_conditions"],
            refusal_criteria=list(data["refusal_criteria"]),
        )

    return _act(
        request,
        application,
        action=recommend,
        success="Your recommendation has been made; it now goes to the decider.",
        anchor="recommendation",
        form=RecommendationForm(request.POST),
        slot="recommend",
        permission=REVIEW,
    )


@login_required
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case_for(request, pk)
    return _act(
        request,
        application,
        action=lambda data: case_services.decision_make(
            actor=request.user, application=application, explanation=data["explanation"]
        ),
        success="The decision has been made and the exporter told.",
        anchor="decision",
        form=DecisionForm(request.POST),
        slot="decide",
        permission=(DECIDE, REVIEW),
    )


@login_required
@require_POST
def case_return(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case_for(request, pk)
    return _act(
        request,
        application,
        action=lambda data: case_services.recommendation_return(
            actor=request.user, application=application, reason=data["reason"]
        ),
        success="The case has gone back to the case officer for further review.",
        anchor="decision",
        form=ReturnForm(request.POST),
        slot="return_recommendation",
        permission=DECIDE,
    )
