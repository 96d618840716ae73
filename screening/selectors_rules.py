"""Reads of the rule catalogue for policy admins and auditors, with each version's figures.

A rule version's figures come from its flags: raised (live and shadow), disposed, confirmed,
dismissed, and precision = confirmed / disposed (None while nothing is disposed). Pilot
versions' flags are shadow flags, but officials may dispose of them too, so the same figures
judge a pilot before it goes live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


# The public rule book --------------------------------------------------------------------
# Anyone may read it, so it returns plain records holding only what is published: never a
# rule's weight, parameters or owner.

PUBLIC_RULE_FIELDS = (
    "code",
    "version",
    "title",
    "kind",
    "public_justification",
    "mode",
    "status",
    "effective_from",
    "sunset_on",
    "change_reason",
)
ENDED = (Rule.Status.RETIRED, Rule.Status.LAPSED)


@dataclass(frozen=True)
class PublicRuleVersion:
    """One version of a rule as the public may read it."""

    code: str
    version: int
    title: str
    kind: str
    kind_label: str
    public_justification: str
    mode: str
    status: str
    status_label: str
    effective_from: date
    sunset_on: date
    change_reason: str

    @property
    def is_pilot(self) -> bool:
        return self.mode == Rule.Mode.PILOT


@dataclass(frozen=True)
class RuleBookEntry:
    """A rule code in force: its live version and a pilot running beside it (either may be
    missing: a new rule can be piloted before it has a live version)."""

    code: str
    live: PublicRuleVersion | None
    pilot: PublicRuleVersion | None

    @property
    def shown(self) -> PublicRuleVersion:
        return self.live or self.pilot  # type: ignore[return-value]


def _public(rule: Rule) -> PublicRuleVersion:
    return PublicRuleVersion(
        code=rule.code,
        version=rule.version,
        title=rule.title,
        kind=rule.kind,
        kind_label=Rule.Kind(rule.kind).label,
        public_justification=rule.public_justification,
        mode=rule.mode,
        status=rule.status,
        status_label=Rule.Status(rule.status).label,
        effective_from=rule.effective_from,
        sunset_on=rule.sunset_on,
        change_reason=rule.change_reason,
    )


def rule_book_list() -> dict[str, list]:
    """The public rule book in two queries: `in_force`, one entry per rule code with a version
    in force, and `ended`, the latest version of each code that was retired or has lapsed and
    has nothing in force any more (its history stays readable)."""
    entries: dict[str, dict[str, PublicRuleVersion]] = {}
    for rule in Rule.objects.filter(status=Rule.Status.CURRENT).only(*PUBLIC_RULE_FIELDS):
        entries.setdefault(rule.code, {})[rule.mode] = _public(rule)
    latest = (
        Rule.objects.exclude(code__in=list(entries))
        .order_by("code", "-version")
        .distinct("code")
        .only(*PUBLIC_RULE_FIELDS)
    )
    in_force = [
        RuleBookEntry(code=code, live=modes.get(Rule.Mode.ACTIVE), pilot=modes.get(Rule.Mode.PILOT))
        for code, modes in entries.items()
    ]
    ended = [_public(rule) for rule in latest if rule.status in ENDED]
    return {
        "in_force": sorted(in_force, key=lambda entry: (entry.shown.title.lower(), entry.code)),
        "ended": sorted(ended, key=lambda version: (version.title.lower(), version.code)),
    }


def rule_book_versions_get(*, code: str) -> list[PublicRuleVersion]:
    """Every version of one rule, newest first, as published (404 for an unknown code)."""
    versions = [
        _public(rule)
        for rule in Rule.objects.filter(code=code).order_by("-version").only(*PUBLIC_RULE_FIELDS)
    ]
    if not versions:
        raise Http404("No such rule.")
    return versions
