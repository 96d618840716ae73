"""The rule kinds: one check function per `Rule.Kind`, each reading the rule's parameters.

A check takes a rule version and the ScreeningContext of one application and returns the
Hits it finds; it writes nothing. The pipeline (screening.services.runs) turns hits into
flags, with the rule version, weight and data versions.

Contract shared by the pipeline, the rule pages and the triage pages:
- `Hit.fingerprint` names what was hit, stable across runs (e.g. "party:<party id>:
  us_ofac_sdn/12345"); the pipeline prefixes the rule code, and a re-screen raises a flag only
  for a fingerprint the application has not been flagged for before.
- `Hit.evidence` is JSON, shown to officials; `Hit.summary` is one line for officials.
- `party_key(name)` is the normalised party name that known false matches are keyed on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Hit:
    fingerprint: str
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)
    party_id: int | None = None
    item_id: int | None = None
    list_version_id: int | None = None


def party_key(name: str) -> str:
    """The form of a party's name that known false matches are keyed on: case, accents,
    punctuation and spacing do not matter ("ACME Ltd." and "acme ltd" are one party)."""
    from normality import normalize

    return normalize(name, lowercase=True, latinize=True) or ""


from .context import ScreeningContext, context_build  # noqa: E402
from .params import parameters_validate  # noqa: E402
from .registry import CHECKS, check_run, rules_in_force  # noqa: E402

__all__ = [
    "CHECKS",
    "Hit",
    "ScreeningContext",
    "check_run",
    "context_build",
    "parameters_validate",
    "party_key",
    "rules_in_force",
]
