"""Reads of the rule catalogue for policy admins and auditors, with each version's figures.

A rule version's figures come from its flags: raised (live and shadow), disposed, confirmed,
dismissed, and precision = confirmed / disposed (None while nothing is disposed). Pilot
versions' flags are shadow flags, but officials may dispose of them too, so the same figures
judge a pilot before it goes live.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from exportgov.accounts.models import User

from .models import Flag, Rule

VIEW_RULE_PERMISSION = "screening.view_rule"
MANAGE_RULES_PERMISSION = "screening.manage_rules"
Disposition = Flag.Disposition


def _with_figures(rules: QuerySet[Rule]) -> QuerySet[Rule]:
    return rules.annotate(
        flags_raised=Count("flags"),
        flags_live=Count("flags", filter=Q(flags__shadow=False)),
        flags_shadow=Count("flags", filter=Q(flags__shadow=True)),
        flags_confirmed=Count("flags", filter=Q(flags__disposition=Disposition.CONFIRMED)),
        flags_dismissed=Count("flags", filter=Q(flags__disposition=Disposition.DISMISSED)),
    )


def precision_of(confirmed: int, dismissed: int) -> float | None:
    disposed = confirmed + dismissed
    return confirmed / disposed if disposed else None


def _figures(rule: Rule) -> dict:
    disposed = rule.flags_confirmed + rule.flags_dismissed
    return {
        "raised": rule.flags_raised,
        "live": rule.flags_live,
        "shadow": rule.flags_shadow,
        "disposed": disposed,
        "confirmed": rule.flags_confirmed,
        "dismissed": rule.flags_dismissed,
        "pending": rule.flags_raised - disposed,
        "precision": precision_of(rule.flags_confirmed, rule.flags_dismissed),
    }


def _figures_shown(rule: Rule) -> dict:
    figures = _figures(rule)
    precision = figures["precision"]
    figures["precision_percent"] = None if precision is None else round(precision * 100)
    return figures


def rule_precision_list(*, code: str | None = None) -> list[dict]:
    """One row per rule version (of one code, or of all): its identity and figures."""
    rules = Rule.objects.order_by("code", "version")
    if code is not None:
        rules = rules.filter(code=code)
    return [
        {
            "rule_id": rule.pk,
            "code": rule.code,
            "version": rule.version,
            "mode": rule.mode,
            "status": rule.status,
            **_figures(rule),
        }
        for rule in _with_figures(rules)
    ]


def _authorise(user: User) -> None:
    if not user.is_authenticated or not user.has_perm(VIEW_RULE_PERMISSION):
        raise PermissionDenied("You may not see the rule catalogue.")


def rule_list_for_user(
    *, user: User, kind: str = "", mode: str = "", status: str = Rule.Status.CURRENT
) -> list[Rule]:
    """Rule versions (in force by default), filtered, each with `figures`."""
    _authorise(user)
    rules = Rule.objects.select_related("owner").order_by("code", "mode", "-version")
    if kind:
        rules = rules.filter(kind=kind)
    if mode:
        rules = rules.filter(mode=mode)
    if status:
        rules = rules.filter(status=status)
    result = list(_with_figures(rules))
    for rule in result:
        rule.figures = _figures_shown(rule)
    return result


def rule_versions_get_for_user(*, user: User, code: str) -> list[Rule]:
    """Every version of a rule, newest first, each with `figures` (404 for an unknown code)."""
    _authorise(user)
    rules = list(
        _with_figures(
            Rule.objects.filter(code=code)
            .select_related("owner", "created_by", "supersedes")
            .order_by("-version")
        )
    )
    if not rules:
        raise Http404("No such rule.")
    for rule in rules:
        rule.figures = _figures_shown(rule)
    return rules


def rule_current_get_for_user(*, user: User, code: str, mode: str = "") -> Rule:
    """The version in force that an edit starts from: of `mode` when given, else the live
    one (or the pilot when there is no live version). 404 when none is in force."""
    if not user.is_authenticated or not user.has_perm(MANAGE_RULES_PERMISSION):
        raise PermissionDenied("Only policy admins may change rules.")
    current = {
        rule.mode: rule
        for rule in Rule.objects.filter(code=code, status=Rule.Status.CURRENT).select_related(
            "owner"
        )
    }
    rule = (
        current.get(mode) if mode else current.get(Rule.Mode.ACTIVE) or current.get(Rule.Mode.PILOT)
    )
    if rule is None:
        raise Http404("No version of this rule is in force.")
    return rule


def rule_owner_choices() -> QuerySet[User]:
    """Users who may own a rule: active policy admins."""
    from exportgov.accounts.roles import Role

    return User.objects.filter(is_active=True, groups__name=Role.POLICY_ADMIN).order_by("username")
