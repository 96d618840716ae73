"""Reads for judging a pilot rule version against the live version of the same rule code.

`pilot_comparison` looks at every case (application) that a completed screening run screened
with the pilot version and asks, per case: did the pilot raise a shadow flag, did the live
rule raise a flag? The live side is the live versions of the same code that ran beside the
pilot on those runs (versions of the code in mode `active` recorded on the runs).

A re-screen does not raise again a hit the case was already flagged for (the fingerprint is
the rule code and the subject, the same for every live version), so the live rule's flag on a
case may come from an earlier run or an earlier live version: every live flag of the code on
the case counts, from any live version up to the newest one that ran beside the pilot (never
from a later version, such as the one the pilot was promoted to). The pilot side counts only
the pilot version's own shadow flags.

Precision is confirmed / (confirmed + dismissed), as on the rule pages: for the pilot over its
shadow flags (policy admins judge them on /screening/pilot-flags/), for the live rule over its
flags on the same cases. Every figure comes from a fixed number of queries, whatever the
number of cases.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from exportgov.accounts.models import User
from licensing.models import Application, Tier

from .models import Flag, Rule, ScreeningRun
from .selectors_rules import VIEW_RULE_PERMISSION, precision_of

Disposition = Flag.Disposition
DISAGREEMENTS_SHOWN = 50
PILOT_ONLY, LIVE_ONLY = "pilot", "live"
SIDE_LABELS = {PILOT_ONLY: "Pilot only", LIVE_ONLY: "Live only"}
# The figures an audit record keeps of a comparison (plain numbers, no cases).
FIGURE_KEYS = ("cases", "both", "pilot_only", "live_only", "neither")


def pilot_get_for_user(*, user: User, code: str) -> Rule:
    """The pilot version in force of a rule code (404 when the code has none)."""
    if not user.is_authenticated or not user.has_perm(VIEW_RULE_PERMISSION):
        raise PermissionDenied("You may not see the rule catalogue.")
    pilot = (
        Rule.objects.filter(code=code, mode=Rule.Mode.PILOT, status=Rule.Status.CURRENT)
        .select_related("owner")
        .first()
    )
    if pilot is None:
        raise Http404("This rule has no pilot in force.")
    return pilot


def _pilot_runs(pilot: Rule) -> QuerySet[ScreeningRun]:
    return ScreeningRun.objects.filter(rule_versions=pilot, status=ScreeningRun.Status.COMPLETED)


def _live_versions(pilot: Rule) -> list[Rule]:
    """The live versions of the code that ran beside the pilot; before any run, the live
    version in force (if any)."""
    ran = list(
        Rule.objects.filter(
            code=pilot.code,
            mode=Rule.Mode.ACTIVE,
            pk__in=ScreeningRun.rule_versions.through.objects.filter(
                screeningrun__in=_pilot_runs(pilot)
            ).values("rule_id"),
        ).order_by("version")
    )
    if ran:
        return ran
    return list(
        Rule.objects.filter(
            code=pilot.code, mode=Rule.Mode.ACTIVE, status=Rule.Status.CURRENT
        ).order_by("version")
    )


def _precision(flags: QuerySet[Flag]) -> dict:
    counts = flags.aggregate(
        raised=Count("id"),
        confirmed=Count("id", filter=Q(disposition=Disposition.CONFIRMED)),
        dismissed=Count("id", filter=Q(disposition=Disposition.DISMISSED)),
    )
    precision = precision_of(counts["confirmed"], counts["dismissed"])
    return {
        **counts,
        "disposed": counts["confirmed"] + counts["dismissed"],
        "pending": counts["raised"] - counts["confirmed"] - counts["dismissed"],
        "precision": precision,
        "precision_percent": None if precision is None else round(precision * 100),
    }


def _dispositions_text(counts: dict[str, int]) -> str:
    labels = dict(Disposition.choices)
    parts = [
        f"{counts[value]} {labels[value].lower()}"
        for value in (Disposition.CONFIRMED, Disposition.DISMISSED, Disposition.PENDING)
        if counts.get(value)
    ]
    return ", ".join(parts) or "—"


def pilot_comparison(*, pilot: Rule, limit: int = DISAGREEMENTS_SHOWN) -> dict:
    """The pilot's shadow flags against the live rule's flags on the cases it screened.

    Returns `cases`, `both`, `pilot_only`, `live_only`, `neither` (counts of cases),
    `pilot_precision` and `live_precision` (raised, confirmed, dismissed, disposed, pending,
    precision, precision_percent; `live_precision` is None without a live version),
    `live_versions` and `has_live`, and `disagreements`: at most `limit` cases flagged by one
    side only (reference, licence, tier, side, dispositions of that side's flags), with
    `disagreements_total`.
    """
    live_versions = _live_versions(pilot)
    has_live = bool(live_versions)
    pilot_flags = Flag.objects.filter(rule=pilot, shadow=True)
    if has_live:
        live_flags = Flag.objects.filter(
            rule__code=pilot.code,
            rule__mode=Rule.Mode.ACTIVE,
            rule__version__lte=live_versions[-1].version,
            shadow=False,
        )
    else:
        live_flags = Flag.objects.none()

    runs = _pilot_runs(pilot)
    cases = Application.objects.filter(Exists(runs.filter(application=OuterRef("pk")))).annotate(
        pilot_flagged=Exists(pilot_flags.filter(application=OuterRef("pk"))),
        live_flagged=Exists(live_flags.filter(application=OuterRef("pk"))),
    )
    figures = cases.aggregate(
        cases=Count("id"),
        both=Count("id", filter=Q(pilot_flagged=True, live_flagged=True)),
        pilot_only=Count("id", filter=Q(pilot_flagged=True, live_flagged=False)),
        live_only=Count("id", filter=Q(pilot_flagged=False, live_flagged=True)),
        neither=Count("id", filter=Q(pilot_flagged=False, live_flagged=False)),
    )

    disagreeing = list(
        cases.filter(
            Q(pilot_flagged=True, live_flagged=False) | Q(pilot_flagged=False, live_flagged=True)
        )
        .annotate(
            licence_number=Subquery(
                runs.filter(application=OuterRef("pk"), licence__isnull=False)
                .order_by("-queued_at")
                .values("licence__number")[:1]
            )
        )
        .only("id", "reference", "tier")
        .order_by("reference")[:limit]
    )
    side_flags = Flag.objects.filter(
        Q(pk__in=pilot_flags.values("pk")) | Q(pk__in=live_flags.values("pk")),
        application_id__in=[case.pk for case in disagreeing],
    )
    counts: dict[tuple[int, bool], dict[str, int]] = {}
    for row in side_flags.values("application_id", "shadow", "disposition").annotate(n=Count("id")):
        key = (row["application_id"], row["shadow"])
        counts.setdefault(key, {})[row["disposition"]] = row["n"]
    tiers = dict(Tier.choices)
    disagreements = []
    for case in disagreeing:
        side = PILOT_ONLY if case.pilot_flagged else LIVE_ONLY
        disagreements.append(
            {
                "application_id": case.pk,
                "reference": case.reference,
                "licence": case.licence_number or "",
                "tier": case.tier,
                "tier_label": tiers.get(case.tier, "Not tiered"),
                "side": side,
                "side_label": SIDE_LABELS[side],
                "dispositions": _dispositions_text(counts.get((case.pk, side == PILOT_ONLY), {})),
            }
        )
    return {
        "pilot": pilot,
        "live_versions": live_versions,
        "has_live": has_live,
        **figures,
        "pilot_precision": _precision(pilot_flags),
        "live_precision": (
            _precision(
                live_flags.filter(Exists(runs.filter(application=OuterRef("application_id"))))
            )
            if has_live
            else None
        ),
        "disagreements": disagreements,
        "disagreements_total": figures["pilot_only"] + figures["live_only"],
        "disagreements_limit": limit,
    }


def pilot_comparison_figures(comparison: dict) -> dict:
    """The comparison's figures as plain JSON values, for an audit record."""

    def precision(figures: dict | None) -> dict | None:
        if figures is None:
            return None
        return {
            key: figures[key]
            for key in ("raised", "confirmed", "dismissed", "pending", "precision")
        }

    return {
        **{key: comparison[key] for key in FIGURE_KEYS},
        "live_versions": [f"v{rule.version}" for rule in comparison["live_versions"]],
        "pilot_precision": precision(comparison["pilot_precision"]),
        "live_precision": precision(comparison["live_precision"]),
    }
