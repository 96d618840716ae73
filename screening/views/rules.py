"""The rule catalogue pages for policy admins (who change rules) and auditors (who read them).

- rule_list: rule versions with filters by kind, mode and status, each with its figures
- rule_create: a new rule (version 1)
- rule_detail: every version of one rule code, with parameters, justification, change
  reason, who and when, and each version's figures (flags raised, disposed, precision)
- rule_edit: a new version of the version in force (?mode=pilot to start from the pilot)
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from appeals.services import rule_appeal_record

from ..forms_rules import EDIT_FIELDS, RuleForm
from ..models import Rule
from ..selectors_rules import (
    MANAGE_RULES_PERMISSION,
    VIEW_RULE_PERMISSION,
    rule_current_get_for_user,
    rule_list_for_user,
    rule_versions_get_for_user,
)
from ..services.rules import rule_create as rule_create_service
from ..services.rules import rule_edit as rule_edit_service

STATUS_ALL = "all"
RULES_PER_PAGE = 50


@login_required
@permission_required(VIEW_RULE_PERMISSION, raise_exception=True)
def rule_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    mode = request.GET.get("mode", "")
    status = request.GET.get("status", Rule.Status.CURRENT)
    kind = kind if kind in Rule.Kind.values else ""
    mode = mode if mode in Rule.Mode.values else ""
    status = status if status in (*Rule.Status.values, STATUS_ALL) else Rule.Status.CURRENT
    rules = rule_list_for_user(
        user=request.user, kind=kind, mode=mode, status="" if status == STATUS_ALL else status
    )
    page = Paginator(rules, RULES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "rules": page.object_list,
        "page": page,
        "filters": {"kind": kind, "mode": mode, "status": status},
        "kinds": Rule.Kind.choices,
        "modes": Rule.Mode.choices,
        "statuses": [*Rule.Status.choices, (STATUS_ALL, "Any status")],
        "can_manage": request.user.has_perm(MANAGE_RULES_PERMISSION),
    }
    return render(request, "screening/rule_list.html", context)


@login_required
@permission_required(VIEW_RULE_PERMISSION, raise_exception=True)
def rule_detail(request: HttpRequest, code: str) -> HttpResponse:
    versions = rule_versions_get_for_user(user=request.user, code=code)
    appeal_record = rule_appeal_record(code=code)  # appeals lost / won / remitted per version
    for version in versions:
        version.parameters_json = json.dumps(version.parameters, indent=2, ensure_ascii=False)
        version.appeal_record = appeal_record.get(version.version, {})
    current = [version for version in versions if version.status == Rule.Status.CURRENT]
    context = {
        "code": code,
        "versions": versions,
        "current": current,
        "latest": versions[0],
        "can_manage": request.user.has_perm(MANAGE_RULES_PERMISSION),
    }
    return render(request, "screening/rule_detail.html", context)


@login_required
@permission_required(MANAGE_RULES_PERMISSION, raise_exception=True)
def rule_create(request: HttpRequest) -> HttpResponse:
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule = rule_create_service(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.service_errors_add(error)
        else:
            messages.success(request, f"Rule {rule.code} created (version 1).")
            return redirect("screening:rule_detail", code=rule.code)
    return render(request, "screening/rule_form.html", {"form": form, "rule": None})


@login_required
@permission_required(MANAGE_RULES_PERMISSION, raise_exception=True)
def rule_edit(request: HttpRequest, code: str) -> HttpResponse:
    mode = request.GET.get("from", "")
    mode = mode if mode in Rule.Mode.values else ""
    rule = rule_current_get_for_user(user=request.user, code=code, mode=mode)
    if request.method == "POST":
        form = RuleForm(request.POST, rule=rule)
    else:
        form = RuleForm(rule=rule, initial=RuleForm.initial_for(rule))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {field: data[field] for field in EDIT_FIELDS}
        try:
            new_rule = rule_edit_service(
                actor=request.user, rule=rule, change_reason=data["change_reason"], **changes
            )
        except ValidationError as error:
            form.service_errors_add(error)
        else:
            messages.success(
                request,
                f"Version {new_rule.version} of {new_rule.code} saved "
                f"({new_rule.get_mode_display().lower()}); open cases are being re-screened.",
            )
            return redirect("screening:rule_detail", code=new_rule.code)
    return render(request, "screening/rule_form.html", {"form": form, "rule": rule})
