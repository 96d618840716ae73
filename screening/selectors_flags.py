"""Reads of screening runs and flags, for the case page, the exporter and policy admins.

The caller has found the application through a licensing selector (so the user may see the
case); these decide which of its flags the user sees. Officials see live flags with all
their evidence; shadow (pilot) flags only users with screening.view_shadow_flags; exporters
only the public reasons of the live flags of their own organisation's applications.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from appeals.models import Appeal
from exportgov.accounts.models import User
from licensing.models import Application
from licensing.permissions import is_member

from .models import Flag, KnownFalseMatch, ScreeningRun

SHADOW_PERMISSION = "screening.view_shadow_flags"


def _flags() -> QuerySet[Flag]:
    """Flags with what their panels show; `has_remitted_appeal` answers, for the whole list
    in the same query, whether a flag of a decided case may still be disposed of
    (screening.services.flags.flag_disposable_on_status)."""
    remitted = Appeal.objects.filter(flag=OuterRef("pk"), status=Appeal.Status.REMITTED)
    return (
        Flag.objects.annotate(has_remitted_appeal=Exists(remitted))
        .select_related(
            "rule",
            "party",
            "item",
            "list_version__source",
            "disposed_by",
            "application__organisation",
        )
        .prefetch_related(
            Prefetch(
                "known_false_matches",
                queryset=KnownFalseMatch.objects.order_by("id"),
                to_attr="false_matches",
            )
        )
    )


def flag_list_for_case(*, user: User, application: Application) -> QuerySet[Flag]:
    """The case's flags the user may see: live ones first (pending first, heaviest first),
    then shadow flags for users who may judge pilots."""
    flags = _flags().filter(application=application)
    if not user.has_perm(SHADOW_PERMISSION):
        flags = flags.filter(shadow=False)
    return flags.order_by("shadow", "-weight", "id")


def flag_get_for_case(*, user: User, application: Application, pk: int) -> Flag:
    """One flag of this case that the user may see (404 for a flag of another case)."""
    return get_object_or_404(flag_list_for_case(user=user, application=application), pk=pk)


def flag_pending_count(*, application: Application) -> int:
    """Live flags of the case that no official has confirmed or dismissed yet."""
    return Flag.objects.filter(
        application=application, shadow=False, disposition=Flag.Disposition.PENDING
    ).count()


@dataclass(frozen=True)
class PublicCheck:
    """What the exporter may know of one flag: never its weight, score or evidence."""

    title: str
    justification: str
    concerns: str
    reviewed: bool


def flag_public_list(*, application: Application) -> list[PublicCheck]:
    """The public reasons of the application's live flags (the caller has authorised it)."""
    flags = (
        Flag.objects.filter(application=application, shadow=False)
        .select_related("rule", "party", "item")
        .order_by("id")
    )
    checks = []
    for flag in flags:
        if flag.party is not None:
            concerns = f"{flag.party.get_role_display()}: {flag.party.name}"
        elif flag.item is not None:
            concerns = f"Item: {flag.item.description}"
        else:
            concerns = "The application as a whole"
        checks.append(
            PublicCheck(
                title=flag.rule.title,
                justification=flag.rule.public_justification,
                concerns=concerns,
                reviewed=flag.disposition != Flag.Disposition.PENDING,
            )
        )
    return checks


def flag_public_list_for_exporter(*, user: User, application: Application) -> list[PublicCheck]:
    """The public reasons for an application of one of the user's organisations (else none)."""
    if not is_member(user, application):
        return []
    return flag_public_list(application=application)


def screening_run_latest(*, application: Application) -> ScreeningRun | None:
    """The newest screening run of the case, with the rule, list and control data versions
    it used."""
    return (
        ScreeningRun.objects.filter(application=application)
        .prefetch_related("rule_versions", "list_versions__source", "control_datasets")
        .order_by("-queued_at", "-id")
        .first()
    )


def flag_shadow_list(*, user: User, pending_only: bool = True) -> QuerySet[Flag]:
    """Pilot rules' flags for policy admins to judge, oldest first (none for anyone else)."""
    if not user.has_perm(SHADOW_PERMISSION):
        return Flag.objects.none()
    flags = _flags().filter(shadow=True)
    if pending_only:
        flags = flags.filter(disposition=Flag.Disposition.PENDING)
    return flags.order_by("created_at", "id")


def flag_shadow_get(*, user: User, pk: int) -> Flag:
    return get_object_or_404(flag_shadow_list(user=user, pending_only=False), pk=pk)
