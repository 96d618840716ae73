"""Reads for public consultations.

The public pages get plain records holding only what is published: a comment's author name,
organisation and text once a moderator published it, the moderator's reason in place of a
rejected one, and only the number of comments still awaiting moderation. Never an email
address, a commenter's account or the officials involved.
The admin pages (policy admins and auditors) see every comment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from exportgov.accounts.models import User
from exportgov.core.paging import PAGE_SIZE

from .models import Consultation, ConsultationComment, Rule

VIEW_CONSULTATION_PERMISSION = "screening.view_consultation"
CommentStatus = ConsultationComment.Status
ANONYMOUS_AUTHOR = "Anonymous"


def _with_counts(queryset: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return queryset.annotate(
        comments_pending=Count("comments", filter=Q(comments__status=CommentStatus.PENDING)),
        comments_published=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED)),
        comments_rejected=Count("comments", filter=Q(comments__status=CommentStatus.REJECTED)),
        comments_received=Count("comments"),
    )


def _open_first(queryset: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """Open consultations first (soonest closing first), then decided ones (newest first)."""
    return queryset.annotate(
        open_rank=Case(
            When(status=Consultation.Status.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("open_rank", "closes_on", "-decided_at", "-id")


def _tag_state(consultations: list[Consultation], today: datetime.date) -> list[Consultation]:
    """Each gets `accepting` (comments accepted today) and `awaiting_decision` (closed, not yet
    decided)."""
    for consultation in consultations:
        consultation.accepting = consultation.accepts_comments(today)
        consultation.awaiting_decision = (
            consultation.status == Consultation.Status.OPEN and not consultation.accepting
        )
    return consultations


# --- Public ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicComment:
    """A comment as the public sees it: the text once published, the reason if rejected."""

    pk: int
    submitted_at: datetime.datetime
    published: bool
    author: str = ""
    organisation: str = ""
    body: str = ""
    reason: str = ""


def _public_comment(comment: ConsultationComment) -> PublicComment:
    if comment.status == CommentStatus.PUBLISHED:
        return PublicComment(
            pk=comment.pk,
            submitted_at=comment.submitted_at,
            published=True,
            author=comment.author_name or ANONYMOUS_AUTHOR,
            organisation=comment.organisation_name,
            body=comment.body,
        )
    return PublicComment(
        pk=comment.pk,
        submitted_at=comment.submitted_at,
        published=False,
        reason=comment.moderation_reason,
    )


def consultation_public_list(*, today: datetime.date | None = None) -> list[Consultation]:
    """Every consultation, open ones first, with its comment counts."""
    today = today or timezone.localdate()
    consultations = list(_open_first(_with_counts(Consultation.objects.select_related("rule"))))
    return _tag_state(consultations, today)


def consultation_public_get(
    *, pk: int, page_number: str | int | None = None, today: datetime.date | None = None
) -> dict:
    """One consultation for the public page: the consultation (published fields only are
    shown), `page`: the page `page_number` of its public comments (oldest first, as
    `PublicComment`s), and how many comments are published and how many await moderation."""
    today = today or timezone.localdate()
    consultation = get_object_or_404(
        _with_counts(Consultation.objects.select_related("rule")), pk=pk
    )
    _tag_state([consultation], today)
    comments = consultation.comments.exclude(status=CommentStatus.PENDING).order_by(
        "submitted_at", "id"
    )
    page = Paginator(comments, PAGE_SIZE).get_page(page_number)
    page.object_list = [_public_comment(comment) for comment in page.object_list]
    return {
        "consultation": consultation,
        "page": page,
        "comments": page.object_list,
        "published_count": consultation.comments_published,
        "pending_count": consultation.comments_pending,
    }


# --- Policy admins and auditors -------------------------------------------------------------


def _authorise(user: User) -> None:
    if not user.is_authenticated or not user.has_perm(VIEW_CONSULTATION_PERMISSION):
        raise PermissionDenied("Only policy admins and auditors may see consultations here.")


def consultation_list_for_user(
    *, user: User, today: datetime.date | None = None
) -> list[Consultation]:
    """Every consultation, open ones first, with counts of comments by status."""
    _authorise(user)
    today = today or timezone.localdate()
    consultations = list(
        _open_first(_with_counts(Consultation.objects.select_related("rule", "opened_by")))
    )
    return _tag_state(consultations, today)


def consultation_counts_for_user(*, user: User, today: datetime.date | None = None) -> dict:
    """Comments waiting for moderation, and consultations closed but not yet decided."""
    _authorise(user)
    today = today or timezone.localdate()
    pending = ConsultationComment.objects.filter(status=CommentStatus.PENDING).count()
    awaiting = Consultation.objects.filter(
        status=Consultation.Status.OPEN, closes_on__lt=today
    ).count()
    return {"comments_pending": pending, "awaiting_decision": awaiting}


def consultation_get_for_user(
    *, user: User, pk: int, today: datetime.date | None = None
) -> Consultation:
    """One consultation with its counts of comments by status (its comments:
    `consultation_comment_list_for_user`)."""
    _authorise(user)
    today = today or timezone.localdate()
    consultation = get_object_or_404(
        _with_counts(Consultation.objects.select_related("rule", "opened_by", "decided_by")),
        pk=pk,
    )
    _tag_state([consultation], today)
    return consultation


def consultation_comment_list_for_user(
    *, user: User, consultation: Consultation
) -> QuerySet[ConsultationComment]:
    """Every comment on the consultation, whatever its status, oldest first."""
    _authorise(user)
    return consultation.comments.select_related("moderated_by", "user").order_by(
        "submitted_at", "id"
    )


def consultation_comment_get_for_user(
    *, user: User, consultation: Consultation, pk: str | int
) -> ConsultationComment:
    """One comment on the consultation (404 when the consultation has no such comment)."""
    if not str(pk).isdigit():
        raise Http404("No such comment on this consultation.")
    return get_object_or_404(
        consultation_comment_list_for_user(user=user, consultation=consultation), pk=pk
    )


def consultation_rule_choices() -> QuerySet[Rule]:
    """The rule versions a consultation may propose to change: those in force."""
    return Rule.objects.filter(status=Rule.Status.CURRENT).order_by("code", "mode", "-version")


def consultation_rule_for_code(*, code: str) -> Rule | None:
    """The version in force of `code` a consultation starts from (the live one, else the
    pilot); None when no version is in force."""
    current = {rule.mode: rule for rule in consultation_rule_choices().filter(code=code)}
    return current.get(Rule.Mode.ACTIVE) or current.get(Rule.Mode.PILOT)


def consultation_rule_in_force(*, rule: Rule) -> Rule | None:
    """The version of the rule's code now in force in the same mode (the one to edit)."""
    return (
        Rule.objects.filter(code=rule.code, mode=rule.mode, status=Rule.Status.CURRENT)
        .order_by("-version")
        .first()
    )
