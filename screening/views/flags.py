"""Triage of flags: the case page's Screening section, the disposition of a flag, "Screen
again" for a case whose screening failed, and the policy admins' page of pilot flags.

The case page itself is licensing's (licensing.views.cases): it calls `screening_section`
for this section's context. The dispositions are posted here; the case is found through the
licensing selectors (so only an official who may see it gets further), and the flag must be
one of that case's flags (404 otherwise). An htmx request gets the flag's panel back; a plain
POST is redirected to the case page, or shows it again with the message and what was typed.
"""

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from exportgov.core.exceptions import ApplicationError
from exportgov.core.paging import PAGE_SIZE
from licensing.models import Application
from licensing.views import cases as case_views

from ..forms_flags import FlagDispositionForm
from ..models import Flag, Rule
from ..selectors_flags import (
    SHADOW_PERMISSION,
    flag_get_for_case,
    flag_list_for_case,
    flag_pending_count,
    flag_shadow_get,
    flag_shadow_list,
    screening_run_latest,
)
from ..services.flags import DISPOSE_PERMISSION, flag_disposable_on_status, flag_dispose
from .lists import explanation_features, explanation_summary

Status = Application.Status
PANEL_TEMPLATE = "screening/flag_panel.html"
LIST_VIEW_PERMISSION = "screening.view_listversion"
# Evidence keys of a party match that the panel shows in its own words.
PARTY_MATCH_KEYS = {
    "party",
    "screened_name",
    "screened_name_source",
    "list",
    "list_name",
    "list_version_id",
    "entry_id",
    "entry_name",
    "entry_content_hash",
    "matched_name",
    "matched_name_kind",
    "matched_name_kind_label",
    "score",
    "threshold",
    "explanation",
}


# --- Presenting a flag ------------------------------------------------------------------------


@dataclass
class FlagPanel:
    flag: Flag
    action_url: str
    party_match: dict | None = None
    evidence: list[tuple[str, str]] = field(default_factory=list)
    form: FlagDispositionForm | None = None
    show_case: bool = False

    @property
    def dom_id(self) -> str:
        return f"flag-{self.flag.pk}"


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _text(value) -> str:
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float):
        return f"{value:.2f}"
    return "—" if value in (None, "") else str(value)


def _party_match(user, flag: Flag) -> dict:
    evidence = flag.evidence or {}
    explanation = evidence.get("explanation")
    explanation = explanation if isinstance(explanation, dict) else {}
    version = flag.list_version
    entry_url = ""
    if version is not None and evidence.get("entry_id") and user.has_perm(LIST_VIEW_PERMISSION):
        query = urlencode({"q": evidence["entry_id"]})
        entry_url = f"{reverse('screening:version_detail', kwargs={'pk': version.pk})}?{query}"
    score, threshold = evidence.get("score"), evidence.get("threshold")
    return {
        "list_name": version.source.name
        if version is not None
        else evidence.get("list_name") or evidence.get("list", ""),
        "list_code": evidence.get("list", ""),
        "version": version,
        "entry_id": evidence.get("entry_id", ""),
        "entry_name": evidence.get("entry_name", ""),
        "matched_name": evidence.get("matched_name", ""),
        "matched_kind": evidence.get("matched_name_kind_label")
        or evidence.get("matched_name_kind", ""),
        "screened_name": evidence.get("screened_name", ""),
        "screened_as_alias": evidence.get("screened_name_source") == "alias",
        "score": _text(score),
        "threshold": _text(threshold),
        "above": isinstance(score, int | float)
        and isinstance(threshold, int | float)
        and score >= threshold,
        "entry_url": entry_url,
        "features": explanation_features(explanation),
        "summary": explanation_summary(explanation),
        "others": [
            (_label(key), _text(value))
            for key, value in evidence.items()
            if key not in PARTY_MATCH_KEYS
        ],
    }


def may_dispose(user, flag: Flag, application: Application) -> bool:
    """Whether the panel offers the form: the actor's permission and the case's status (the
    service checks both again)."""
    permission = SHADOW_PERMISSION if flag.shadow else DISPOSE_PERMISSION
    if not user.has_perm(permission):
        return False
    if not flag_disposable_on_status(flag=flag, application=application):
        return False
    return flag.is_pending or application.status != Status.RECOMMENDED


def flag_panel(
    user,
    flag: Flag,
    application: Application,
    *,
    action_url: str,
    form: FlagDispositionForm | None = None,
    show_case: bool = False,
) -> FlagPanel:
    panel = FlagPanel(flag=flag, action_url=action_url, show_case=show_case)
    if flag.rule.kind == Rule.Kind.PARTY_MATCH:
        panel.party_match = _party_match(user, flag)
    else:
        panel.evidence = [
            (_label(key), _text(value)) for key, value in (flag.evidence or {}).items()
        ]
    if form is not None:
        panel.form = form
    elif may_dispose(user, flag, application):
        panel.form = FlagDispositionForm(
            flag=flag, initial={"disposition": None if flag.is_pending else flag.disposition}
        )
    return panel


def _case_action_url(application: Application, flag: Flag) -> str:
    return reverse("screening:flag_dispose", kwargs={"pk": application.pk, "flag_pk": flag.pk})


def screening_section(user, application: Application, bound: dict | None = None) -> dict:
    """The case page's Screening section: the latest run and the flags the user may see,
    each with its evidence and (for those who may dispose of it) the form."""
    bound = bound or {}
    flags = list(flag_list_for_case(user=user, application=application))
    panels = [
        flag_panel(
            user,
            flag,
            application,
            action_url=_case_action_url(application, flag),
            form=bound.get(flag.pk),
        )
        for flag in flags
    ]
    return {
        "run": screening_run_latest(application=application),
        "live": [panel for panel in panels if not panel.flag.shadow],
        "shadow": [panel for panel in panels if panel.flag.shadow],
        "pending": sum(1 for flag in flags if flag.is_pending and not flag.shadow),
        "failed": application.status == Status.SCREENING_FAILED,
        "can_retry": application.status == Status.SCREENING_FAILED
        and user.has_perm(case_views.REVIEW),
    }


# --- Disposing of a flag on the case page -----------------------------------------------------


def _dispose(request: HttpRequest, flag: Flag, form: FlagDispositionForm) -> str:
    """Run the service with the form's data; return the refusal's message ("" on success)."""
    if not form.is_valid():
        return "some answers need correcting in the form below."
    try:
        flag_dispose(
            actor=request.user,
            flag=flag,
            disposition=form.cleaned_data["disposition"],
            reason=form.cleaned_data["reason"],
            false_match=form.cleaned_data.get("false_match", False),
        )
    except ApplicationError as error:
        form.add_error(None, error.message)
        return error.message
    return ""


def _success_message(flag: Flag) -> str:
    verb = "confirmed" if flag.disposition == Flag.Disposition.CONFIRMED else "dismissed"
    return f"The flag “{flag.rule.title}” has been {verb}."


@login_required
@require_POST
def flag_dispose_view(request: HttpRequest, pk: int, flag_pk: int) -> HttpResponse:
    application = case_views._case_for(request, pk)
    flag = flag_get_for_case(user=request.user, application=application, pk=flag_pk)
    permission = SHADOW_PERMISSION if flag.shadow else DISPOSE_PERMISSION
    if not request.user.has_perm(permission):
        raise PermissionDenied("You are not allowed to confirm or dismiss this flag.")
    form = FlagDispositionForm(request.POST, flag=flag)
    error = _dispose(request, flag, form)
    if request.htmx:
        flag = flag_get_for_case(user=request.user, application=application, pk=flag_pk)
        panel = flag_panel(
            request.user,
            flag,
            application,
            action_url=_case_action_url(application, flag),
            form=form if error else None,
        )
        context = {
            "panel": panel,
            "oob_pending": flag_pending_count(application=application),
            "message": "" if error else _success_message(flag),
        }
        return render(request, PANEL_TEMPLATE, context)
    if error:
        return case_views._case_page(
            request,
            application,
            bound=case_views.CaseForms(flags={flag.pk: form}),
            error=error,
            anchor=f"flag-{flag.pk}",
            status=400,
        )
    flag.refresh_from_db()
    messages.success(request, _success_message(flag))
    url = reverse("licensing:case_detail", kwargs={"pk": application.pk})
    return redirect(f"{url}#flag-{flag.pk}")


@login_required
@require_POST
def screening_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Screen a case whose screening failed once more."""
    application = case_views._case_for(request, pk)
    if not request.user.has_perm(case_views.REVIEW):
        raise PermissionDenied("Only case officers and senior officials can screen a case again.")
    from ..services.runs import screening_retry

    try:
        screening_retry(actor=request.user, application=application)
    except ApplicationError as error:
        return case_views._case_page(
            request, application, error=error.message, anchor="screening", status=400
        )
    messages.success(request, "The case is being screened again; it joins the triage queue next.")
    return redirect("licensing:case_detail", pk=application.pk)


# --- Pilot flags, for policy admins -----------------------------------------------------------


def _pilot_action_url(flag: Flag) -> str:
    return reverse("screening:pilot_flag_dispose", kwargs={"pk": flag.pk})


@login_required
@permission_required(SHADOW_PERMISSION, raise_exception=True)
def pilot_flags(request: HttpRequest) -> HttpResponse:
    """Pilot rules' pending flags to judge; a pilot's precision comes from these decisions."""
    flags = flag_shadow_list(user=request.user)
    page = Paginator(flags, PAGE_SIZE).get_page(request.GET.get("page"))
    panels = [
        flag_panel(
            request.user,
            flag,
            flag.application,
            action_url=_pilot_action_url(flag),
            show_case=True,
        )
        for flag in page.object_list
    ]
    return render(request, "screening/pilot_flags.html", {"page": page, "panels": panels})


@login_required
@permission_required(SHADOW_PERMISSION, raise_exception=True)
@require_POST
def pilot_flag_dispose(request: HttpRequest, pk: int) -> HttpResponse:
    flag = flag_shadow_get(user=request.user, pk=pk)
    form = FlagDispositionForm(request.POST, flag=flag)
    error = _dispose(request, flag, form)
    if not error and not request.htmx:
        messages.success(request, _success_message(flag))
        return redirect("screening:pilot_flags")
    flag = flag_shadow_get(user=request.user, pk=pk)
    panel = flag_panel(
        request.user,
        flag,
        flag.application,
        action_url=_pilot_action_url(flag),
        form=form if error else None,
        show_case=True,
    )
    if request.htmx:
        context = {"panel": panel, "message": "" if error else _success_message(flag)}
        return render(request, PANEL_TEMPLATE, context)
    page = Paginator([flag], 1).get_page(1)
    return render(
        request,
        "screening/pilot_flags.html",
        {"page": page, "panels": [panel], "error": error},
        status=400,
    )
