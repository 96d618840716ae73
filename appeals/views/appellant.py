"""The appellant's pages: start an appeal from a decision, the draft, the appeal after lodging.

Every page finds the appeal through `selectors.appeal_get_for_user` (404 for anyone who may not
see it); only members of the appeal's organisation act on it. Officials who open the
appellant's page are sent on to the reviewer's page. Input that does not validate is kept in
the draft's `unsaved_input` (through `appeal_save`) so nothing typed is lost.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from exportgov.accounts.selectors import organisation_member_list
from exportgov.core.exceptions import ApplicationError
from exportgov.core.paging import PAGE_SIZE
from licensing import selectors as licensing_selectors
from licensing.permissions import is_member
from licensing.uploads import max_upload_bytes

from .. import selectors, services
from ..forms import AppealAnswerForm, AppealDocumentForm, AppealDraftForm, AppealStartForm
from ..models import Appeal
from .common import VIEW, appeal_clock, ground_labels, subject_summary

Status = Appeal.Status
NOT_INPUT = {"csrfmiddlewaretoken", "action"}


def _error_text(error: Exception) -> str:
    return getattr(error, "message", None) or str(error) or "You are not allowed to do this."


def _member_appeal(request: HttpRequest, pk: int) -> Appeal:
    """An appeal of one of the user's organisations (404 for anyone else)."""
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    if not is_member(request.user, appeal.organisation):
        raise Http404("No such appeal.")
    return appeal


def _raw(request: HttpRequest) -> dict:
    """The POSTed answers as typed: one string per field, a list for the grounds."""
    raw = {
        key: values[0] if len(values) == 1 else values
        for key, values in request.POST.lists()
        if key not in NOT_INPUT
    }
    if "grounds" in raw and not isinstance(raw["grounds"], list):
        raw["grounds"] = [raw["grounds"]]
    return raw


def _bound(raw: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in raw.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def _window_passed(appeal: Appeal) -> bool:
    return timezone.localdate() > appeal.filing_deadline


def _draft_form(appeal: Appeal, data=None) -> AppealDraftForm:
    late = _window_passed(appeal) or bool(appeal.lateness_reason)
    kwargs = {"late": late}
    if data is not None:
        return AppealDraftForm(data, **kwargs)
    if appeal.unsaved_input:
        form = AppealDraftForm(_bound(appeal.unsaved_input), **kwargs)
        form.is_valid()  # show the errors again, with what was typed
        return form
    return AppealDraftForm(initial=AppealDraftForm.initial_for(appeal), **kwargs)


def _licence_of(application):
    try:
        return application.licence
    except ObjectDoesNotExist:
        return None


# --- The list ----------------------------------------------------------------------------------


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    """The user's organisations' appeals (all lodged appeals for officials who may view them)."""
    appeals = selectors.appeal_list_for_user(user=request.user).select_related(
        "application", "organisation", "licence"
    )
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(appeal, appeal_clock(appeal, today)) for appeal in page.object_list]
    context = {"page": page, "rows": rows, "is_official": request.user.has_perm(VIEW)}
    return render(request, "appeals/appeal_list.html", context)


# --- Starting an appeal --------------------------------------------------------------------------


@login_required
@require_POST
def appeal_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a draft appeal against something decided on the member's application."""
    application = licensing_selectors.application_get_for_member(user=request.user, pk=pk)
    form = AppealStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what you want to appeal from the list on this page.")
        return redirect("licensing:application_status", pk=application.pk)
    data = form.cleaned_data
    licence = _licence_of(application)
    if data["licence"] and (licence is None or licence.pk != data["licence"]):
        raise Http404("No such licence on this application.")
    flag = None
    if data["flag"]:
        flag = application.flags.filter(pk=data["flag"]).first()
        if flag is None:
            raise Http404("No such check on this application.")
    try:
        appeal = services.appeal_start(
            actor=request.user,
            subject=data["subject"],
            application=application,
            licence=licence if data["licence"] else None,
            condition_text=data["condition"] or "",
            flag=flag,
        )
    except (ApplicationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        if data["licence"] and licence is not None:
            return redirect("licensing:licence_detail", pk=licence.pk)
        return redirect("licensing:application_status", pk=application.pk)
    messages.success(
        request,
        f"Appeal {appeal.reference} started. It is kept as a draft until you lodge it.",
    )
    return redirect("appeals:appeal_detail", pk=appeal.pk)


# --- The draft -----------------------------------------------------------------------------------


def _draft_context(appeal: Appeal, form=None, document_form=None, problems=()) -> dict:
    return {
        "appeal": appeal,
        "form": form or _draft_form(appeal),
        "document_form": document_form or AppealDocumentForm(),
        "documents": appeal.documents.select_related("uploaded_by"),
        "window_passed": _window_passed(appeal),
        "problems": list(problems),
        "max_upload": max_upload_bytes(),
        "subject": subject_summary(appeal),
    }


def _draft_page(request, appeal, status=200, **extra) -> HttpResponse:
    return render(
        request, "appeals/appeal_draft.html", _draft_context(appeal, **extra), status=status
    )


def _draft_post(request: HttpRequest, appeal: Appeal) -> HttpResponse:
    action = request.POST.get("action", "save")
    form = _draft_form(appeal, data=request.POST)
    valid = form.is_valid()
    try:
        appeal = services.appeal_save(
            actor=request.user, appeal=appeal, data=form.draft_data() if valid else _raw(request)
        )
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _draft_page(request, appeal, status=400, form=form)
    if not valid:
        return _draft_page(request, appeal, status=400, form=form)
    if action != "lodge":
        messages.success(request, "Your appeal has been saved. It is not lodged yet.")
        return redirect("appeals:appeal_detail", pk=appeal.pk)
    problems = form.lodge_problems()
    if problems:
        return _draft_page(request, appeal, status=400, form=form, problems=problems)
    try:
        appeal = services.appeal_lodge(actor=request.user, appeal=appeal)
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _draft_page(request, appeal, status=400, form=form)
    if appeal.status == Status.LATE_REVIEW:
        messages.success(
            request,
            f"Appeal {appeal.reference} has been lodged late. A reviewer first decides whether "
            "to accept your reason for lateness.",
        )
    else:
        messages.success(
            request,
            f"Appeal {appeal.reference} has been lodged. An independent reviewer will decide it.",
        )
    return redirect("appeals:appeal_detail", pk=appeal.pk)


# --- The appellant's appeal page ----------------------------------------------------------------


def _status_context(request, appeal: Appeal, answer_forms=None) -> dict:
    members = {
        membership.user_id
        for membership in organisation_member_list(organisation=appeal.organisation)
    }
    requests = list(appeal.information_requests.prefetch_related("documents"))
    answer_forms = answer_forms or {}
    for information_request in requests:
        if information_request.is_open:
            information_request.answer_form = answer_forms.get(
                information_request.pk
            ) or AppealAnswerForm(request_pk=information_request.pk)
    licence = None
    if appeal.status == Status.OVERTURNED:
        licence = appeal.licence or _licence_of(appeal.application)
    return {
        "appeal": appeal,
        "subject": subject_summary(appeal),
        "grounds": ground_labels(appeal),
        "clock": appeal_clock(appeal, timezone.localdate()),
        "information_requests": requests,
        "documents": appeal.documents.select_related("uploaded_by"),
        "timeline": selectors.appeal_timeline(appeal=appeal, exporter_view=True),
        "members": members,
        "licence": licence,
        "can_withdraw": appeal.status in Appeal.BEFORE_DECISION,
    }


def _status_page(request, appeal, status=200, answer_forms=None) -> HttpResponse:
    context = _status_context(request, appeal, answer_forms)
    return render(request, "appeals/appeal_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The appellant's page: the draft form while it is a draft, then the appeal's progress."""
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    if not is_member(request.user, appeal.organisation):
        if request.user.has_perm(VIEW):
            return redirect("appeals:appeal_review", pk=appeal.pk)
        raise Http404("No such appeal.")
    if appeal.status != Status.DRAFT:
        if request.method == "POST":
            messages.info(request, f"Appeal {appeal.reference} is lodged; it can no longer change.")
            return redirect("appeals:appeal_detail", pk=appeal.pk)
        return _status_page(request, appeal)
    if request.method == "POST":
        return _draft_post(request, appeal)
    return _draft_page(request, appeal)


@login_required
@require_POST
def appeal_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a document to the draft; an htmx request gets the documents section back."""
    appeal = _member_appeal(request, pk)
    form = AppealDocumentForm(request.POST, request.FILES)
    uploaded = None
    if form.is_valid():
        file = form.cleaned_data["file"]
        try:
            uploaded = services.appeal_document_add(actor=request.user, appeal=appeal, upload=file)
        except (ApplicationError, PermissionDenied) as error:
            form.add_error("file", _error_text(error))
    if request.htmx:
        context = _draft_context(appeal, document_form=None if uploaded else form)
        context["uploaded"] = uploaded
        return render(
            request,
            "appeals/appeal_draft.html#documents",
            context,
            status=200 if uploaded else 400,
        )
    if uploaded is not None:
        messages.success(request, f"{uploaded.original_name} uploaded.")
        return redirect("appeals:appeal_detail", pk=appeal.pk)
    if appeal.status != Status.DRAFT:
        messages.error(request, form.errors.get("file", ["The file was not uploaded."])[0])
        return redirect("appeals:appeal_detail", pk=appeal.pk)
    return _draft_page(request, appeal, status=400, document_form=form)


@login_required
@require_POST
def appeal_information_answer(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    appeal = _member_appeal(request, pk)
    information_request = appeal.information_requests.filter(pk=request_pk).first()
    if information_request is None:
        raise Http404("No such request.")
    form = AppealAnswerForm(request.POST, request.FILES, request_pk=information_request.pk)
    if form.is_valid():
        file = form.cleaned_data.get("document")
        try:
            services.appeal_information_answer(
                actor=request.user,
                request=information_request,
                answer=form.cleaned_data["answer"],
                uploads=(file,) if file else (),
            )
        except (ApplicationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, "Thank you: your answer has been sent to the reviewer.")
            return redirect("appeals:appeal_detail", pk=appeal.pk)
    return _status_page(request, appeal, status=400, answer_forms={information_request.pk: form})


@login_required
@require_http_methods(["GET", "POST"])
def appeal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _member_appeal(request, pk)
    if request.method == "GET":
        return render(request, "appeals/appeal_withdraw.html", {"appeal": appeal})
    try:
        services.appeal_withdraw(actor=request.user, appeal=appeal)
    except (ApplicationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"Appeal {appeal.reference} has been withdrawn.")
    return redirect("appeals:appeal_detail", pk=appeal.pk)
