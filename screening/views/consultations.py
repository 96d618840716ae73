"""Public consultations on proposed rule changes.

Public pages (no sign-in):
- consultation_public_list: open consultations first, then decided ones (paged)
- consultation_public_detail: the proposal, its published comments (paged), the comment form
  while it is open (rate-limited per IP address: HTTP 429 past
  settings.CONSULTATION_COMMENT_RATE, the text kept), and the decision with its response
  summary once decided

Pages for policy admins (who open, moderate and decide) and auditors (who read):
- consultation_list: every consultation with its comments awaiting moderation (paged)
- consultation_create: open one (?rule=<code> starts from that rule's version in force)
- consultation_detail: every comment (paged) with publish / reject forms, and the decision form
  once the closing date has passed
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from exportgov.core.forms import CHOICES_FIELD_TEMPLATE, ChoiceRadios, StyledFormMixin
from exportgov.core.paging import PAGE_SIZE

from ..models import Consultation, ConsultationComment, Rule
from ..selectors_consultations import (
    VIEW_CONSULTATION_PERMISSION,
    consultation_comment_get_for_user,
    consultation_comment_list_for_user,
    consultation_get_for_user,
    consultation_list_for_user,
    consultation_public_get,
    consultation_public_list,
    consultation_rule_choices,
    consultation_rule_for_code,
    consultation_rule_in_force,
)
from ..selectors_rules import MANAGE_RULES_PERMISSION
from ..services.consultations import (
    COMMENT_MAX_CHARS,
    MODERATE_PERMISSION,
    consultation_comment_moderate,
    consultation_comment_submit,
    consultation_decide,
    consultation_earliest_close,
    consultation_open,
)

Outcome = Consultation.Outcome
COMMENT_RATE_GROUP = "consultation-comment"
THANKS = "Thank you: your comment will appear once a moderator has checked it."
RATE_LIMITED = (
    "You have sent too many comments in a short time. Your text is kept below: please wait "
    "a while (up to an hour) and send it again."
)


# --- Forms ----------------------------------------------------------------------------------


class CommentForm(StyledFormMixin, forms.Form):
    author_name = forms.CharField(
        required=False,
        max_length=ConsultationComment._meta.get_field("author_name").max_length,
        label="Your name",
        help_text="Published with your comment. Leave it empty to comment anonymously.",
    )
    organisation_name = forms.CharField(
        required=False,
        max_length=ConsultationComment._meta.get_field("organisation_name").max_length,
        label="Organisation you represent",
        help_text="Published with your comment.",
    )
    email = forms.EmailField(
        required=False,
        label="Email address",
        help_text="Never published. We use it only if we need to ask you about your comment.",
    )
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            f"Up to {COMMENT_MAX_CHARS:,} characters. It is published once a moderator has "
            "checked it."
        ),
        error_messages={"required": "Write your comment."},
    )


class RuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Rule) -> str:
        return f"{obj.code} v{obj.version} ({obj.get_mode_display().lower()}): {obj.title}"


class ConsultationForm(StyledFormMixin, forms.Form):
    rule = RuleChoiceField(
        queryset=Rule.objects.none(),
        required=False,
        empty_label="None: the proposal is a new rule",
        label="Rule the proposal would change",
    )
    title = forms.CharField(
        max_length=Consultation._meta.get_field("title").max_length,
        help_text="Published, e.g. “Add dual-use centrifuge phrases to the end-use check”.",
    )
    proposal = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The proposed change in plain language. Published.",
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Why the change is proposed. Published as the justification of the notice.",
    )
    closes_on = forms.DateField(
        label="Closing date",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = consultation_rule_choices()
        earliest = consultation_earliest_close()
        self.fields["closes_on"].widget.attrs["min"] = earliest.isoformat()
        self.fields["closes_on"].help_text = (
            f"Comments are accepted until the end of this day: at least "
            f"{settings.CONSULTATION_MIN_DAYS} days away, so {date_format(earliest, 'j F Y')} "
            "or later."
        )


class ModerationForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", "Publish"), ("reject", "Do not publish")],
        widget=forms.HiddenInput,  # set by the button pressed
    )
    reason = forms.CharField(
        required=False,
        label="Reason for not publishing",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required to reject; shown publicly in place of the comment.",
    )


class DecisionForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        choices=Outcome.choices,
        widget=ChoiceRadios,
        label="Decision",
        template_name=CHOICES_FIELD_TEMPLATE,
        error_messages={"required": "Choose proceed, proceed with changes or withdraw."},
    )
    response_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Response to the comments received",
        help_text=(
            "Published with the decision. Say what the comments raised and how the decision "
            "answers them."
        ),
    )


# --- Public pages ---------------------------------------------------------------------------


def _comment_rate(group: str, request: HttpRequest) -> str:
    return settings.CONSULTATION_COMMENT_RATE


@require_GET
def consultation_public_list_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(consultation_public_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/consultation_public_list.html",
        {"page": page, "consultations": page.object_list},
    )


@require_http_methods(["GET", "POST"])
@ratelimit(group=COMMENT_RATE_GROUP, key="ip", rate=_comment_rate, method="POST", block=False)
def consultation_public_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    context = consultation_public_get(pk=pk, page_number=request.GET.get("page"))
    consultation = context["consultation"]
    form = CommentForm()
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            # Not checked: the text comes back as entered, with the reason it was not sent.
            form = CommentForm(initial=request.POST.dict())
            context["rate_limited"] = RATE_LIMITED
            status = 429
        else:
            form = CommentForm(request.POST)
            if form.is_valid():
                user = request.user if request.user.is_authenticated else None
                try:
                    consultation_comment_submit(
                        consultation=consultation, user=user, **form.cleaned_data
                    )
                except ValidationError as error:
                    form.service_errors_add(error)
                else:
                    messages.success(request, THANKS)
                    return redirect("controls:consultation_detail", pk=consultation.pk)
    context["form"] = form
    context["show_form"] = consultation.accepting or request.method == "POST"
    return render(request, "screening/consultation_public_detail.html", context, status=status)


# --- Policy admins and auditors -------------------------------------------------------------


@login_required
@permission_required(VIEW_CONSULTATION_PERMISSION, raise_exception=True)
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    consultations = consultation_list_for_user(user=request.user)
    page = Paginator(consultations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "consultations": page.object_list,
        "can_open": request.user.has_perm(MANAGE_RULES_PERMISSION),
    }
    return render(request, "screening/consultation_list.html", context)


@login_required
@permission_required(MANAGE_RULES_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ConsultationForm(request.POST)
        if form.is_valid():
            try:
                consultation = consultation_open(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.service_errors_add(error)
            else:
                messages.success(
                    request,
                    f"Consultation opened until {date_format(consultation.closes_on, 'j F Y')}; "
                    "its public notice is published.",
                )
                return redirect("screening:consultation_detail", pk=consultation.pk)
    else:
        initial = {}
        code = request.GET.get("rule", "")
        if code:
            rule = consultation_rule_for_code(code=code)
            if rule is None:
                messages.info(request, f"No version of rule {code} is in force; choose a rule.")
            else:
                initial["rule"] = rule.pk
        form = ConsultationForm(initial=initial)
    return render(request, "screening/consultation_form.html", {"form": form})


def _moderate(request: HttpRequest, consultation: Consultation) -> tuple[HttpResponse | None, dict]:
    """Handle one comment's publish / reject form; a redirect, or the bound form to show."""
    if not request.user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied("Only moderators may publish or reject comments.")
    comment = consultation_comment_get_for_user(
        user=request.user, consultation=consultation, pk=request.POST.get("comment", "")
    )
    form = ModerationForm(request.POST, prefix=f"comment-{comment.pk}")
    if form.is_valid():
        publish = form.cleaned_data["decision"] == "publish"
        try:
            consultation_comment_moderate(
                actor=request.user,
                comment=comment,
                publish=publish,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.service_errors_add(error)
        else:
            messages.success(request, "Comment published." if publish else "Comment not published.")
            # Back to the page of comments the form was on, at the comment moderated.
            url = reverse("screening:consultation_detail", args=[consultation.pk])
            page = request.GET.get("page", "")
            query = f"?{urlencode({'page': page})}" if page else ""
            return redirect(f"{url}{query}#comment-{comment.pk}"), {}
    return None, {comment.pk: form}


def _rule_to_edit(consultation: Consultation) -> Rule | None:
    """Where a decision to proceed leads: the version in force of the rule consulted on (None
    when undecided, withdrawn or about a new rule)."""
    if (
        consultation.status != Consultation.Status.DECIDED
        or consultation.outcome == Outcome.WITHDRAW
        or consultation.rule is None
    ):
        return None
    return consultation_rule_in_force(rule=consultation.rule)


def _decide(
    request: HttpRequest, consultation: Consultation
) -> tuple[HttpResponse | None, DecisionForm]:
    """Handle the decision form; a redirect, or the bound form to show."""
    if not request.user.has_perm(MANAGE_RULES_PERMISSION):
        raise PermissionDenied("Only policy admins may decide consultations.")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decided = consultation_decide(
                actor=request.user, consultation=consultation, **form.cleaned_data
            )
        except ValidationError as error:
            form.service_errors_add(error)
        else:
            outcome = decided.get_outcome_display().lower()
            in_force = _rule_to_edit(decided)
            if in_force is not None:
                messages.success(
                    request,
                    f"Decision recorded: {outcome}; its notice is published. Now make the "
                    f"change: save the new version of {in_force.code} below.",
                )
                url = reverse("screening:rule_edit", args=[in_force.code])
                return redirect(f"{url}?from={in_force.mode}"), form
            messages.success(request, f"Decision recorded: {outcome}; its notice is published.")
            return redirect("screening:consultation_detail", pk=decided.pk), form
    return None, form


@login_required
@permission_required(VIEW_CONSULTATION_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_get_for_user(user=request.user, pk=pk)
    moderation_forms: dict[int, ModerationForm] = {}
    decision_form = DecisionForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "moderate":
            response, moderation_forms = _moderate(request, consultation)
        elif action == "decide":
            response, decision_form = _decide(request, consultation)
        else:
            return HttpResponseBadRequest("Unknown action.")
        if response is not None:
            return response
    can_moderate = request.user.has_perm(MODERATE_PERMISSION)
    can_manage = request.user.has_perm(MANAGE_RULES_PERMISSION)
    comments = consultation_comment_list_for_user(user=request.user, consultation=consultation)
    page = Paginator(comments, PAGE_SIZE).get_page(request.GET.get("page"))
    for comment in page:
        comment.moderation_form = moderation_forms.get(comment.pk) or ModerationForm(
            prefix=f"comment-{comment.pk}"
        )
    rule_to_edit = _rule_to_edit(consultation) if can_manage else None
    context = {
        "consultation": consultation,
        "page": page,
        "comments": page.object_list,
        "can_moderate": can_moderate and consultation.status == Consultation.Status.OPEN,
        "can_decide": can_manage and consultation.awaiting_decision,
        "can_manage": can_manage,
        "decision_form": decision_form,
        "rule_to_edit": rule_to_edit,
    }
    return render(request, "screening/consultation_detail.html", context)
