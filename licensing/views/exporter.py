"""The exporter's pages: the application form step by step, its status, documents and answers.

Every page finds its object through a selector scoped to the user (404 otherwise), hands
cleaned input to one service, and keeps whatever did not validate in the draft's
`unsaved_input` so nothing typed is lost.
"""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from appeals.selectors import appealable_items_for_application, appeals_for_application
from exportgov.accounts.models import User
from exportgov.accounts.selectors import organisation_list_for_user, organisation_member_list
from exportgov.core.exceptions import ApplicationError
from exportgov.core.paging import PAGE_SIZE
from screening.selectors_flags import flag_public_list_for_exporter

from .. import selectors
from ..forms_exporter import (
    STEP_FORMS,
    ApplicationCreateForm,
    DeclarationForm,
    DocumentUploadForm,
    InformationAnswerForm,
    ItemForm,
    PartyForm,
    PartyReuseForm,
)
from ..models import Application, Document, Item, Party
from ..permissions import is_member
from ..services import applications as services
from ..services.cases import information_request_answer as information_request_answer_service
from ..steps import DUE_DILIGENCE_ANSWERS, DUE_DILIGENCE_QUESTIONS, STEP_SLUGS, STEPS
from ..uploads import max_upload_bytes

Status = Application.Status
# Keys of a form's POST that are not answers: the CSRF token and which button was pressed.
NOT_INPUT = {"csrfmiddlewaretoken", "action"}


# --- Lookups scoped to the user (404 for anything they may not see) -------------------------


def _member_application(user: User, pk: int) -> Application:
    return selectors.application_get_for_member(user=user, pk=pk)


# --- Keeping what was typed -----------------------------------------------------------------


def _raw(request: HttpRequest, **extra: str) -> dict:
    """The POSTed answers as JSON-able data: one string per field, a list where there are many."""
    raw = {
        key: values[0] if len(values) == 1 else values
        for key, values in request.POST.lists()
        if key not in NOT_INPUT
    }
    raw.update(extra)
    return raw


def _bound(raw: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in raw.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def _keep(request: HttpRequest, application: Application, step: str, raw: dict) -> None:
    # If it was submitted meanwhile nothing is editable any more, and the page says so.
    with contextlib.suppress(ApplicationError):
        services.application_unsaved_input_keep(
            actor=request.user, application=application, step=step, raw=raw
        )


def _forget(request: HttpRequest, application: Application, step: str) -> None:
    """Drop what was kept unsaved on a step whose form has now been saved another way."""
    if step in application.unsaved_input:
        services.application_step_save(
            actor=request.user, application=application, step=step, data={}
        )


def _not_a_draft(request: HttpRequest, application: Application) -> HttpResponse:
    messages.info(
        request,
        f"Application {application.reference} has been submitted, so it can no longer be changed.",
    )
    return redirect("licensing:application_status", pk=application.pk)


# --- Pages ------------------------------------------------------------------------------------


def _organisations(user: User):
    return organisation_list_for_user(user=user).filter(memberships__user=user)


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    applications = (
        selectors.application_list_for_user(user=request.user)
        .filter(organisation__memberships__user=request.user)
        .select_related("organisation")
        .order_by("-updated_at", "-id")
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    organisations = list(_organisations(request.user))
    context = {"page": page, "organisations": organisations}
    return render(request, "licensing/exporter/application_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request.user)
    form = ApplicationCreateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                kind=form.cleaned_data["kind"],
            )
        except (ApplicationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(request, f"Application {application.reference} started.")
            return redirect("licensing:application_step", pk=application.pk, step=STEP_SLUGS[0])
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "has_organisation": organisations.exists()}
    return render(request, "licensing/exporter/application_create.html", context, status=status)


def _step_context(application: Application, step_slug: str, problems: list) -> dict:
    problem_steps = {problem.step for problem in problems}
    problem_steps.add("review")  # complete only once submitted
    if not application.documents.exists():
        problem_steps.add("documents")  # optional, but only "complete" with something in it
    index = STEP_SLUGS.index(step_slug)
    steps = [
        {
            "slug": step.slug,
            "title": step.title,
            "number": number,
            "current": step.slug == step_slug,
            "complete": step.slug not in problem_steps,
        }
        for number, step in enumerate(STEPS, start=1)
    ]
    return {
        "application": application,
        "step": STEPS[index],
        "step_number": index + 1,
        "steps": steps,
        "previous_step": STEPS[index - 1] if index > 0 else None,
        "next_step": STEPS[index + 1] if index + 1 < len(STEPS) else None,
        "problems": problems,
        "problem_links": [(problem.message, problem.url(application)) for problem in problems],
    }


def _render_step(
    request: HttpRequest, application: Application, step: str, status: int = 200, **extra
) -> HttpResponse:
    problems = selectors.application_problems(application=application, ignore_declaration=True)
    context = _step_context(application, step, problems)
    if step == "items":
        context["items"] = application.items.all()
        context["unsaved_item"] = application.unsaved_input.get("items")
    elif step == "parties":
        context["parties"] = application.parties.select_related("undertaking")
        context["unsaved_party"] = application.unsaved_input.get("parties")
        context.setdefault(
            "reuse_form",
            PartyReuseForm(
                parties=selectors.party_reusable_list(application=application), prefix="reuse"
            ),
        )
    elif step == "documents":
        context["documents"] = application.documents.select_related("uploaded_by")
        context.setdefault("upload_form", DocumentUploadForm())
        context["max_upload"] = max_upload_bytes()
    elif step == "review":
        context.update(_review_context(application))
        context.setdefault("declaration_form", DeclarationForm())
    context.update(extra)
    template = f"licensing/exporter/step_{step.replace('-', '_')}.html"
    return render(request, template, context, status=status)


def _review_context(application: Application) -> dict:
    answers = application.due_diligence or {}
    labels = dict(DUE_DILIGENCE_ANSWERS)
    return {
        "items": application.items.all(),
        "parties": application.parties.select_related("undertaking"),
        "documents": application.documents.select_related("uploaded_by"),
        "due_diligence": [
            (question, labels.get(answers.get(code), ""))
            for code, question in DUE_DILIGENCE_QUESTIONS
        ],
    }


def _step_form(application: Application, step: str, data=None):
    form_class = STEP_FORMS[step]
    if data is not None:
        return form_class(data)
    if step in application.unsaved_input:
        form = form_class(_bound(application.unsaved_input[step]))
        form.is_valid()  # show the errors again, with what was typed
        return form
    return form_class(initial=form_class.initial_for(application))


@login_required
@require_http_methods(["GET", "POST"])
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    application = _member_application(request.user, pk)
    if step not in STEP_SLUGS:
        raise Http404("No such step.")
    if application.status != Status.DRAFT:
        return _not_a_draft(request, application)
    if request.method == "GET":
        extra = {"form": _step_form(application, step)} if step in STEP_FORMS else {}
        return _render_step(request, application, step, **extra)
    if step in STEP_FORMS:
        return _step_save(request, application, step)
    if step in ("items", "parties") and request.POST.get("action") == "discard":
        _forget(request, application, step)
        messages.info(request, "The unsaved changes were discarded.")
        return redirect("licensing:application_step", pk=application.pk, step=step)
    if step == "documents":
        return _document_upload(request, application)
    return redirect("licensing:application_step", pk=application.pk, step=step)


def _step_save(request: HttpRequest, application: Application, step: str) -> HttpResponse:
    form = _step_form(application, step, data=request.POST)
    if form.is_valid():
        try:
            application = services.application_step_save(
                actor=request.user, application=application, step=step, data=form.step_data()
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            if request.POST.get("action") == "save":
                messages.success(request, "Your answers have been saved.")
                return redirect("licensing:application_step", pk=application.pk, step=step)
            next_step = STEP_SLUGS[STEP_SLUGS.index(step) + 1]
            return redirect("licensing:application_step", pk=application.pk, step=next_step)
    else:
        _keep(request, application, step, _raw(request))
        application.refresh_from_db()
    return _render_step(request, application, step, status=400, form=form)


@login_required
@require_POST
def application_autosave(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """htmx: save a step's answers as they are typed, or keep them if they do not validate yet."""
    application = _member_application(request.user, pk)
    if step not in STEP_FORMS and step not in ("items", "parties"):
        raise Http404("This step is not saved automatically.")
    context = {"time": timezone.localtime(), "state": "saved"}
    if application.status != Status.DRAFT:
        context["state"] = "closed"
    elif step in STEP_FORMS:
        form = STEP_FORMS[step](request.POST)
        if form.is_valid():
            services.application_step_save(
                actor=request.user, application=application, step=step, data=form.step_data()
            )
        else:
            _keep(request, application, step, _raw(request))
            context["state"] = "kept"
    else:
        # An item or party is only added when its form is saved; until then, keep the typing.
        _keep(request, application, step, _raw(request))
        context["state"] = "kept_entity"
    return render(
        request, "licensing/exporter/_step_form.html#autosave-status", {"autosave": context}
    )


def _document_upload(request: HttpRequest, application: Application) -> HttpResponse:
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        file = form.cleaned_data["file"]
        try:
            services.document_upload(
                actor=request.user,
                application=application,
                file=file,
                kind=form.cleaned_data["kind"],
                content_type=file.detected_content_type,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{file.name} uploaded.")
            return redirect("licensing:application_step", pk=application.pk, step="documents")
    return _render_step(request, application, "documents", status=400, upload_form=form)


# --- Items ------------------------------------------------------------------------------------


def _item_form_page(request, application, form, item=None, status=200) -> HttpResponse:
    problems = selectors.application_problems(application=application, ignore_declaration=True)
    context = _step_context(application, "items", problems)
    context.update({"form": form, "item": item})
    return render(request, "licensing/exporter/item_form.html", context, status=status)


def _item_unsaved(application: Application, item: Item | None):
    unsaved = application.unsaved_input.get("items")
    if unsaved and str(unsaved.get("editing", "")) == (str(item.pk) if item else ""):
        return unsaved
    return None


def _item_edit(request: HttpRequest, application: Application, item: Item | None):
    if application.status != Status.DRAFT:
        return _not_a_draft(request, application)
    if request.method == "POST":
        form = ItemForm(request.POST, application=application)
        if form.is_valid():
            try:
                saved = services.item_save(
                    actor=request.user, application=application, data=form.item_data(), item=item
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"{saved.description} saved.")
                return redirect("licensing:application_step", pk=application.pk, step="items")
        else:
            _keep(
                request, application, "items", _raw(request, editing=str(item.pk) if item else "")
            )
            application.refresh_from_db()
        return _item_form_page(request, application, form, item, status=400)
    unsaved = _item_unsaved(application, item)
    if unsaved is not None:
        form = ItemForm(_bound(unsaved), application=application)
        form.is_valid()
    else:
        initial = ItemForm.initial_for(item) if item else None
        form = ItemForm(initial=initial, application=application)
    return _item_form_page(request, application, form, item)


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_edit(request, _member_application(request.user, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def item_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for_member(user=request.user, pk=pk)
    return _item_edit(request, item.application, item)


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for_member(user=request.user, pk=pk)
    application = item.application
    try:
        services.item_delete(actor=request.user, item=item)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{item.description} removed.")
    return redirect("licensing:application_step", pk=application.pk, step="items")


# --- Parties ----------------------------------------------------------------------------------


def _party_form_page(request, application, form, party=None, status=200) -> HttpResponse:
    problems = selectors.application_problems(application=application, ignore_declaration=True)
    context = _step_context(application, "parties", problems)
    context.update({"form": form, "party": party})
    return render(request, "licensing/exporter/party_form.html", context, status=status)


def _party_unsaved(application: Application, party: Party | None):
    unsaved = application.unsaved_input.get("parties")
    if unsaved and str(unsaved.get("editing", "")) == (str(party.pk) if party else ""):
        return unsaved
    return None


def _party_edit(request: HttpRequest, application: Application, party: Party | None):
    if application.status != Status.DRAFT:
        return _not_a_draft(request, application)
    if request.method == "GET":
        unsaved = _party_unsaved(application, party)
        if unsaved is not None:
            form = PartyForm(_bound(unsaved), application=application)
            form.is_valid()
        else:
            initial = PartyForm.initial_for(party) if party else None
            form = PartyForm(initial=initial, application=application)
        return _party_form_page(request, application, form, party)

    form = PartyForm(request.POST, request.FILES, application=application)
    valid = form.is_valid()
    # A good undertaking is stored straight away, so it is not lost if other answers are wrong.
    document = None
    file = form.cleaned_data.get("undertaking_file")
    if file:
        try:
            document = services.document_upload(
                actor=request.user,
                application=application,
                file=file,
                kind=Document.Kind.END_USER_UNDERTAKING,
                content_type=file.detected_content_type,
            )
        except ApplicationError as error:
            form.add_error("undertaking_file", error.message)
            valid = False
    if valid:
        data = form.party_data()
        if document is not None:
            data["undertaking"] = document
        try:
            saved = services.party_save(
                actor=request.user, application=application, data=data, party=party
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("licensing:application_step", pk=application.pk, step="parties")
    else:
        raw = _raw(request, editing=str(party.pk) if party else "")
        if document is not None:
            raw["undertaking"] = str(document.pk)
            messages.success(request, f"{document.original_name} uploaded and chosen below.")
        _keep(request, application, "parties", raw)
        application.refresh_from_db()
        if document is not None:
            form = PartyForm(_bound(raw), application=application)
            form.is_valid()
    return _party_form_page(request, application, form, party, status=400)


def _party_reuse(request: HttpRequest, application: Application) -> HttpResponse:
    if application.status != Status.DRAFT:
        return _not_a_draft(request, application)
    form = PartyReuseForm(
        request.POST, parties=selectors.party_reusable_list(application=application), prefix="reuse"
    )
    if not form.is_valid():
        messages.error(request, "Choose a party from the list to reuse it.")
        return redirect("licensing:application_step", pk=application.pk, step="parties")
    earlier = form.cleaned_data["party"]
    data = {name: getattr(earlier, name) for name in PartyForm.FIELDS if name != "undertaking"}
    party = services.party_save(actor=request.user, application=application, data=data)
    messages.success(
        request,
        f"{party.name} added from an earlier application. Check the details"
        + (" and attach the end-user undertaking." if party.role == Party.Role.END_USER else "."),
    )
    return redirect("licensing:party_update", pk=party.pk)


@login_required
@require_http_methods(["GET", "POST"])
def party_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _member_application(request.user, pk)
    if request.method == "POST" and "reuse-party" in request.POST:
        return _party_reuse(request, application)
    return _party_edit(request, application, None)


@login_required
@require_http_methods(["GET", "POST"])
def party_update(request: HttpRequest, pk: int) -> HttpResponse:
    party = selectors.party_get_for_member(user=request.user, pk=pk)
    return _party_edit(request, party.application, party)


@login_required
@require_POST
def party_delete(request: HttpRequest, pk: int) -> HttpResponse:
    party = selectors.party_get_for_member(user=request.user, pk=pk)
    application = party.application
    try:
        services.party_delete(actor=request.user, party=party)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{party.name} removed.")
    return redirect("licensing:application_step", pk=application.pk, step="parties")


# --- Submit, status, withdraw, copy ----------------------------------------------------------


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _member_application(request.user, pk)
    if application.status != Status.DRAFT:
        return redirect("licensing:application_status", pk=application.pk)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.application_submit(actor=request.user, application=application)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"Application {application.reference} has been submitted. Thank you."
            )
            return redirect("licensing:application_status", pk=application.pk)
    return _render_step(request, application, "review", status=400, declaration_form=form)


def _status_page(request, application, answer_forms=None, status=200) -> HttpResponse:
    members = {
        membership.user_id
        for membership in organisation_member_list(organisation=application.organisation)
    }
    requests = list(application.information_requests.prefetch_related("documents"))
    answer_forms = answer_forms or {}
    for information_request in requests:
        if information_request.is_open and information_request.pk not in answer_forms:
            answer_forms[information_request.pk] = InformationAnswerForm(
                request_pk=information_request.pk
            )
        information_request.answer_form = answer_forms.get(information_request.pk)
    decision = getattr(application, "decision", None) if application.is_decided else None
    licence = getattr(application, "licence", None) if application.is_decided else None
    context = {
        "application": application,
        "timeline": selectors.application_timeline(application=application, exporter_view=True),
        "members": members,
        "information_requests": requests,
        "decision": decision,
        "licence": licence,
        "can_withdraw": application.status in Application.BEFORE_DECISION,
        "documents": application.documents.select_related("uploaded_by"),
        "checks": flag_public_list_for_exporter(user=request.user, application=application),
        "screening_in_progress": application.status in (Status.SUBMITTED, Status.SCREENING),
        **_appeals_context(request.user, application),
    }
    template = "licensing/exporter/application_status.html"
    if request.htmx and request.headers.get("HX-Target") == "status-panel":
        template += "#status-panel"  # the panel polls itself while screening runs
    return render(request, template, context, status=status)


def _appeals_context(user: User, application: Application) -> dict:
    """What the organisation may appeal on the case (with deadlines), and its appeals."""
    return {
        "appealable": appealable_items_for_application(user=user, application=application),
        "item_application": application,
        "case_appeals": appeals_for_application(application=application, include_drafts=True),
        "appeal_link": "appellant",
    }


@login_required
def application_status(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if not is_member(request.user, application):
        return redirect("licensing:case_detail", pk=application.pk)
    return _status_page(request, application)


@login_required
@require_POST
def information_request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    information_request = selectors.information_request_get_for_member(user=request.user, pk=pk)
    application = selectors.application_get_for_user(
        user=request.user, pk=information_request.application_id
    )
    form = InformationAnswerForm(request.POST, request.FILES, request_pk=information_request.pk)
    if form.is_valid():
        file = form.cleaned_data.get("document")
        try:
            with transaction.atomic():
                if file:
                    services.document_upload(
                        actor=request.user,
                        application=application,
                        file=file,
                        kind=Document.Kind.INFORMATION,
                        content_type=file.detected_content_type,
                        information_request=information_request,
                    )
                information_request_answer_service(
                    actor=request.user,
                    request=information_request,
                    answer=form.cleaned_data["answer"],
                )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you: your answer has been sent.")
            return redirect("licensing:application_status", pk=application.pk)
    return _status_page(
        request, application, answer_forms={information_request.pk: form}, status=400
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _member_application(request.user, pk)
    if request.method == "GET":
        return render(
            request, "licensing/exporter/application_withdraw.html", {"application": application}
        )
    try:
        services.application_withdraw(actor=request.user, application=application)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Application {application.reference} has been withdrawn.")
    return redirect("licensing:application_status", pk=application.pk)


@login_required
@require_POST
def application_copy(request: HttpRequest, pk: int) -> HttpResponse:
    application = _member_application(request.user, pk)
    copy = services.application_copy(actor=request.user, application=application)
    messages.success(
        request,
        f"Application {copy.reference} is a copy of {application.reference}. "
        "Check every step; documents are not copied.",
    )
    return redirect("licensing:application_step", pk=copy.pk, step=STEP_SLUGS[0])


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    try:
        file = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing from storage.") from error
    return FileResponse(
        file,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
