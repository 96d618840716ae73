"""The appeals reviewers' pages: the queue, the reviewer's appeal page and its actions.

Who may see what: the queue and the appeal page need `appeals.view_appeal` (appeals reviewers
and auditors; 403 for anyone else, 404 for a draft). Acting needs `appeals.review_appeal`
(lateness, information requests, the decision: the decision only by the assigned reviewer) or
`appeals.assign_appeal`; the services check each rule again, the reviewer's independence
included. A refusal by a service is shown next to the form with what was typed kept; an htmx
post gets the page's action panel back instead of a redirect.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from exportgov.core.exceptions import ApplicationError
from exportgov.core.paging import page_size

from .. import selectors, services
from ..filters import OPEN_STATUSES, AppealQueueFilterForm
from ..forms import (
    AppealAssignForm,
    AppealDecisionForm,
    AppealInformationRequestForm,
    LatenessForm,
)
from ..models import Appeal
from .common import ASSIGN, REVIEW, VIEW, appeal_clock, ground_labels, subject_summary

Status = Appeal.Status


def _require_view(request: HttpRequest) -> None:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied("Only appeals reviewers and auditors can see this.")


# --- The queue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    appeal: Appeal
    clock: object


@login_required
def appeal_queue(request: HttpRequest) -> HttpResponse:
    """Lodged appeals, soonest deadline first, with filters; an htmx request gets the results."""
    _require_view(request)
    filter_form = AppealQueueFilterForm(request.GET or None)
    queryset = selectors.appeal_queue(user=request.user, filters=filter_form.selector_filters())
    page = Paginator(queryset, page_size(request)).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [QueueRow(appeal, appeal_clock(appeal, today)) for appeal in page.object_list]
    context = {
        "filter_form": filter_form,
        "page": page,
        "rows": rows,
        "page_sizes": [10, 25, 50, 100],
        "page_size": page.paginator.per_page,
    }
    template = "appeals/appeal_queue.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


# --- The reviewer's appeal page ----------------------------------------------------------------


@dataclass
class ReviewForms:
    """The page's forms; a POST that failed passes its bound form in place of a new one."""

    lateness: LatenessForm | None = None
    assign: AppealAssignForm | None = None
    request_information: AppealInformationRequestForm | None = None
    decide: AppealDecisionForm | None = None


def _appeal_for(request: HttpRequest, pk: int) -> Appeal:
    _require_view(request)
    return selectors.appeal_get_for_user(user=request.user, pk=pk)


def _appealed_decision(appeal: Appeal):
    """For a refusal: the refusal appealed (the latest refusal, even once superseded)."""
    if appeal.subject != Appeal.Subject.REFUSAL:
        return None
    refusals = [d for d in appeal.application.decisions.all() if d.outcome == "refuse"]
    return refusals[-1] if refusals else None


def _review_context(
    request: HttpRequest, appeal: Appeal, bound: ReviewForms, error: str = ""
) -> dict:
    user = request.user
    review = user.has_perm(REVIEW)
    mine = appeal.reviewer_id == user.pk
    under_review = appeal.status == Status.UNDER_REVIEW
    remits_case = appeal.subject == Appeal.Subject.REFUSAL
    forms = ReviewForms(
        lateness=(bound.lateness or LatenessForm())
        if review and mine and appeal.status == Status.LATE_REVIEW
        else None,
        assign=(
            bound.assign
            or AppealAssignForm(
                reviewers=selectors.eligible_reviewers(appeal=appeal),
                initial={"reviewer": appeal.reviewer_id},
            )
        )
        if user.has_perm(ASSIGN) and appeal.status in OPEN_STATUSES
        else None,
        request_information=(bound.request_information or AppealInformationRequestForm())
        if review and mine and under_review
        else None,
        decide=(
            bound.decide
            or AppealDecisionForm(
                officers=selectors.eligible_officers(appeal=appeal) if remits_case else None,
                remits_case=remits_case,
            )
        )
        if review and mine and under_review
        else None,
    )
    waiting_for = ""
    if review and (under_review or appeal.status == Status.LATE_REVIEW) and not mine:
        waiting_for = (
            f"Only the assigned reviewer ({appeal.reviewer}) decides this appeal."
            if appeal.reviewer_id
            else "Assign a reviewer first."
        )
    return {
        "appeal": appeal,
        "subject": subject_summary(appeal),
        "grounds": ground_labels(appeal),
        "application": appeal.application,
        "clock": appeal_clock(appeal, timezone.localdate()),
        "decision": _appealed_decision(appeal),
        "documents": appeal.documents.select_related("uploaded_by", "information_request"),
        "information_requests": appeal.information_requests.select_related(
            "requested_by", "answered_by"
        ).prefetch_related("documents"),
        "timeline": selectors.appeal_timeline(appeal=appeal),
        "forms": forms,
        "waiting_for": waiting_for,
        "error": error,
        "can_see_case": user.has_perm("licensing.view_application"),
    }


def _review_page(
    request: HttpRequest,
    appeal: Appeal,
    *,
    bound: ReviewForms | None = None,
    error: str = "",
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    context = _review_context(request, appeal, bound or ReviewForms(), error)
    context["notice"] = notice
    template = "appeals/appeal_review.html"
    if request.htmx:
        template += "#review-panel"
    return render(request, template, context, status=status)


@login_required
def appeal_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, _appeal_for(request, pk))


# --- Actions --------------------------------------------------------------------------------------


def _act(
    request: HttpRequest,
    appeal: Appeal,
    *,
    action: Callable[[dict], object],
    success: str,
    form,
    slot: str,
    permission: str,
) -> HttpResponse:
    """Validate `form`, run `action` with its cleaned data and go back to the appeal page.

    On failure the page (or, for htmx, its action panel) is shown again with the message and
    the bound form in `slot`, so nothing typed is lost.
    """

    def again(message: str, status: int, *, invalid: bool = False) -> HttpResponse:
        if message and not invalid:
            form.add_error(None, message)
        bound = ReviewForms(**{slot: form})
        return _review_page(request, appeal, bound=bound, error=message, status=status)

    if not request.user.has_perm(permission):
        return again("You are not allowed to do this on an appeal.", 403)
    if not form.is_valid():
        return again("some answers need correcting in the form below.", 400, invalid=True)
    try:
        action(form.cleaned_data)
    except PermissionDenied as error:
        return again(str(error) or "You are not allowed to do this on an appeal.", 403)
    except ApplicationError as error:
        return again(error.message, 400)
    if request.htmx:
        appeal = selectors.appeal_get_for_user(user=request.user, pk=appeal.pk)
        return _review_page(request, appeal, notice=success)
    messages.success(request, success)
    return redirect(reverse("appeals:appeal_review", kwargs={"pk": appeal.pk}))


@login_required
@require_POST
def appeal_lateness_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal_for(request, pk)

    def decide(data: dict) -> None:
        services.appeal_lateness_decide(
            actor=request.user, appeal=appeal, accept=data["accept"] == "yes", reason=data["reason"]
        )

    accepted = request.POST.get("accept") == "yes"
    return _act(
        request,
        appeal,
        action=decide,
        success="The late appeal has been accepted for review."
        if accepted
        else "The late appeal has not been accepted; the appellant has been told why.",
        form=LatenessForm(request.POST),
        slot="lateness",
        permission=REVIEW,
    )


@login_required
@require_POST
def appeal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal_for(request, pk)
    form = AppealAssignForm(request.POST, reviewers=selectors.eligible_reviewers(appeal=appeal))
    return _act(
        request,
        appeal,
        action=lambda data: services.appeal_assign(
            actor=request.user, appeal=appeal, reviewer=data["reviewer"]
        ),
        success="The appeal has been assigned.",
        form=form,
        slot="assign",
        permission=ASSIGN,
    )


@login_required
@require_POST
def appeal_request_information(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal_for(request, pk)
    return _act(
        request,
        appeal,
        action=lambda data: services.appeal_information_request(
            actor=request.user, appeal=appeal, question=data["question"]
        ),
        success="The appellant has been asked; the deadline clock is paused until they answer.",
        form=AppealInformationRequestForm(request.POST),
        slot="request_information",
        permission=REVIEW,
    )


@login_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal_for(request, pk)
    remits_case = appeal.subject == Appeal.Subject.REFUSAL
    form = AppealDecisionForm(
        request.POST,
        officers=selectors.eligible_officers(appeal=appeal) if remits_case else None,
        remits_case=remits_case,
    )

    def decide(data: dict) -> None:
        services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            outcome=data["outcome"],
            reasons=data["reasons"],
            officer=data.get("officer") if data["outcome"] == "remitted" else None,
        )

    return _act(
        request,
        appeal,
        action=decide,
        success="The decision has been made and published to the appellant.",
        form=form,
        slot="decide",
        permission=REVIEW,
    )
