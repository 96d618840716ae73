"""Every change to the rule catalogue, and the import of partner denial notices.

Rules are data: `rule_create` adds version 1 of a new rule code; `rule_edit` never changes a
version in place but saves version N+1, so every flag keeps naming the exact version that
raised it. A code has at most one current version per mode: editing a live rule into a new
live version supersedes it; editing it into a pilot keeps the live version in force beside the
pilot (replacing an earlier pilot); editing a pilot into a live version promotes it (the
pilot and the old live version are both superseded). `supersedes` links a version to the one
it replaced in its own mode (a first pilot beside a live rule replaces none).

`pilot_promote` is that promotion taken as a decision: a written justification, a sunset for
the live version, a `pilot_promoted` notice and an audit record of how the pilot compared with
the live rule (screening.selectors_pilots). `rule_edit` and `pilot_promote` share the
versioning (`_versions_lock`, `_version_save`).

After any new version is saved, every open case is re-screened (on commit).

`partner_denial_import` reads a CSV of partner states' denial notices; a notice already known
(same partner and reference) is updated in place, never duplicated.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django_countries import countries

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError

from ..checks import parameters_validate
from ..models import PartnerDenial, PublicNotice, RescreenBatch, Rule, SunsetReview
from .notices import notice_day, notice_publish, notice_subject_name, rule_notice_publish
from .reviews import renewal_sunset_latest, renewal_sunset_problem

Verb = AuditEvent.Verb
MANAGE_PERMISSION = "screening.manage_rules"
RESERVED_CODES = {"new"}  # /screening/rules/new/ is the create page
EDITABLE = (
    "title",
    "parameters",
    "weight",
    "public_justification",
    "mode",
    "effective_from",
    "sunset_on",
    "owner",
)


def _authorise(actor: User | None) -> None:
    if actor is not None and not actor.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied("Only policy admins may change the rule catalogue.")


def _rescreen_on_commit(*, rule: Rule, actor: User | None) -> None:
    def start() -> None:
        from .runs import rescreen_start

        rescreen_start(trigger=RescreenBatch.Trigger.RULE_VERSION, rule=rule, actor=actor)

    transaction.on_commit(start)


def rule_fields_clean(
    *,
    kind: str,
    title: str,
    parameters: Any,
    weight: Any,
    public_justification: str,
    mode: str,
    effective_from: date | None,
    sunset_on: date | None,
    owner: User | None,
) -> dict:
    """The fields of a rule version, checked together; ValidationError({field: [message]})."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    if kind not in Rule.Kind.values:
        errors["kind"] = [f"Choose a kind: {', '.join(Rule.Kind.values)}."]
    else:
        try:
            cleaned["parameters"] = parameters_validate(kind, parameters)
        except ValidationError as error:
            messages = [f"{key}: {m}" for key, ms in error.message_dict.items() for m in ms]
            errors["parameters"] = messages
    if not (title or "").strip():
        errors["title"] = ["Give the rule a title."]
    if not (public_justification or "").strip():
        errors["public_justification"] = [
            "Say why the rule exists and cite its public source; applicants read this."
        ]
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 100:
        errors["weight"] = ["The weight is a whole number from 0 to 100."]
    if mode not in Rule.Mode.values:
        errors["mode"] = ["Choose live (active) or pilot."]
    if effective_from is None:
        errors["effective_from"] = ["Give the day the rule takes effect."]
    if sunset_on is None:
        errors["sunset_on"] = ["Give the day the rule lapses unless renewed."]
    elif effective_from is not None and sunset_on <= effective_from:
        errors["sunset_on"] = ["The sunset must come after the day the rule takes effect."]
    if owner is None or not owner.is_active or not owner.has_perm(MANAGE_PERMISSION):
        errors["owner"] = ["The owner must be an active policy admin."]
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "title": title.strip(),
        "parameters": cleaned["parameters"],
        "weight": weight,
        "public_justification": public_justification.strip(),
        "mode": mode,
        "effective_from": effective_from,
        "sunset_on": sunset_on,
        "owner": owner,
    }


@transaction.atomic
def rule_create(
    *,
    actor: User | None,
    code: str,
    title: str,
    kind: str,
    parameters: Any,
    weight: int,
    public_justification: str,
    mode: str,
    effective_from: date,
    sunset_on: date,
    owner: User,
    rescreen: bool = True,
) -> Rule:
    """Version 1 of a new rule. `actor` None is the system (the starter catalogue)."""
    _authorise(actor)
    code = (code or "").strip().lower()
    code_errors = []
    try:
        validate_slug(code)
    except ValidationError:
        code_errors.append("Use lower-case letters, digits and hyphens, e.g. party-match-un.")
    if code in RESERVED_CODES:
        code_errors.append(f"“{code}” is reserved; choose another code.")
    elif code and Rule.objects.filter(code=code).exists():
        code_errors.append(f"A rule {code} exists already; edit it to make a new version.")
    try:
        fields = rule_fields_clean(
            kind=kind,
            title=title,
            parameters=parameters,
            weight=weight,
            public_justification=public_justification,
            mode=mode,
            effective_from=effective_from,
            sunset_on=sunset_on,
            owner=owner,
        )
    except ValidationError as error:
        if code_errors:
            raise ValidationError({"code": code_errors, **error.message_dict}) from error
        raise
    if code_errors:
        raise ValidationError({"code": code_errors})
    rule = Rule.objects.create(code=code, version=1, created_by=actor, **fields)
    audit_record(
        actor=actor,
        verb=Verb.RULE_CREATED,
        target=rule,
        to_status=rule.status,
        payload={
            "code": rule.code,
            "version": rule.version,
            "kind": rule.kind,
            "mode": rule.mode,
            "weight": rule.weight,
            "parameters": rule.parameters,
            "effective_from": rule.effective_from,
            "sunset_on": rule.sunset_on,
            "owner": rule.owner.username,
        },
    )
    rule_notice_publish(rule=rule, actor=actor)
    if rescreen:
        _rescreen_on_commit(rule=rule, actor=actor)
    return rule


def _versions_lock(rule: Rule) -> tuple[list[Rule], Rule]:
    """Lock every version of the rule's code; the versions and the locked `rule`, which must
    still be in force (else ValidationError naming the versions in force)."""
    versions = list(Rule.objects.select_for_update().filter(code=rule.code).order_by("version"))
    base = next((each for each in versions if each.pk == rule.pk), None)
    if base is None or base.status != Rule.Status.CURRENT:
        current = [f"v{each.version}" for each in versions if each.status == Rule.Status.CURRENT]
        hint = f" Edit {' or '.join(current)}." if current else ""
        raise ValidationError(
            {"__all__": [f"Version {rule.version} of {rule.code} is no longer in force.{hint}"]}
        )
    return versions, base


def _version_save(
    *, actor: User, base: Rule, versions: list[Rule], fields: dict, change_reason: str
) -> tuple[Rule, list[Rule]]:
    """Save `fields` as version N+1 and supersede what it replaces (see the module's
    docstring); the new version and the superseded ones."""
    mode = fields["mode"]
    current = {each.mode: each for each in versions if each.status == Rule.Status.CURRENT}
    retiring = [current[mode]] if mode in current else []
    if base.mode == Rule.Mode.PILOT and mode == Rule.Mode.ACTIVE and base not in retiring:
        retiring.append(base)  # promoting a pilot ends it
    for old in retiring:
        old.status = Rule.Status.SUPERSEDED
        old.save(update_fields=["status"])
    new_rule = Rule.objects.create(
        code=base.code,
        version=max(each.version for each in versions) + 1,
        supersedes=current.get(mode) or (base if base in retiring else None),
        change_reason=change_reason,
        created_by=actor,
        **fields,
    )
    return new_rule, retiring


@transaction.atomic
def rule_edit(*, actor: User, rule: Rule, change_reason: str, **changes: Any) -> Rule:
    """Save the changes as version N+1 of the rule's code (see the module's docstring)."""
    _authorise(actor)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(
            {
                key: ["This cannot change in a new version; create a new rule instead."]
                for key in unknown
            }
        )
    versions, base = _versions_lock(rule)
    merged = {field: changes.get(field, getattr(base, field)) for field in EDITABLE}
    fields = rule_fields_clean(kind=base.kind, **merged)
    changed = {
        field: [_plain(getattr(base, field)), _plain(fields[field])]
        for field in EDITABLE
        if _plain(getattr(base, field)) != _plain(fields[field])
    }
    errors: dict[str, list[str]] = {}
    if not changed:
        errors["__all__"] = [
            f"Nothing changed: v{base.version} already says this. Change a field to make a new "
            "version."
        ]
    if not (change_reason or "").strip():
        errors["change_reason"] = ["Say why this version is made; the reason is kept with it."]
    if errors:
        raise ValidationError(errors)

    new_rule, retiring = _version_save(
        actor=actor,
        base=base,
        versions=versions,
        fields=fields,
        change_reason=change_reason.strip(),
    )
    audit_record(
        actor=actor,
        verb=Verb.RULE_VERSIONED,
        target=new_rule,
        from_status=f"v{base.version}",
        to_status=f"v{new_rule.version}",
        payload={
            "code": new_rule.code,
            "from_version": base.version,
            "version": new_rule.version,
            "mode": new_rule.mode,
            "superseded": [f"v{old.version}" for old in retiring],
            "changed": changed,
            "change_reason": new_rule.change_reason,
        },
    )
    decision = SunsetReview.Decision.AMEND
    if base.is_pilot and new_rule.mode == Rule.Mode.ACTIVE:
        decision = SunsetReview.Decision.PROMOTE
    _open_reviews_decide(
        actor=actor, rules=retiring, decision=decision, justification=new_rule.change_reason
    )
    rule_notice_publish(rule=new_rule, actor=actor)
    _rescreen_on_commit(rule=new_rule, actor=actor)
    return new_rule


def _plain(value: Any) -> Any:
    if isinstance(value, User):
        return value.username
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def pilot_promote(
    *, actor: User, pilot: Rule, justification: str, sunset_on: date | None = None
) -> Rule:
    """Promote the pilot version in force to live: a decision with a published justification.

    Saves the pilot's fields as live version N+1, in force from today until `sunset_on` (by
    default the pilot's sunset; either way after today and within
    settings.SUNSET_RENEWAL_MAX_DAYS of it), supersedes the pilot and the live version it ran
    beside, records how the pilot compared with the live rule at this moment, publishes one
    notice (kind `pilot_promoted`) and re-screens open cases on commit. An open sunset review of
    the pilot is decided by the same decision (a review deciding `promote` already is).
    """
    from ..selectors_pilots import pilot_comparison, pilot_comparison_figures

    if actor is None or not actor.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied("Only policy admins may promote a pilot to live.")
    versions, base = _versions_lock(pilot)
    today = timezone.localdate()
    sunset = sunset_on or base.sunset_on
    errors: dict[str, list[str]] = {}
    if base.mode != Rule.Mode.PILOT:
        errors["__all__"] = [
            f"Version {base.version} of {base.code} is live, not a pilot: only a pilot can be "
            "promoted."
        ]
    if not (justification or "").strip():
        errors["justification"] = ["Give a written justification; it is published."]
    problem = renewal_sunset_problem(sunset=sunset, today=today)
    if problem and sunset_on is None:
        errors["sunset_on"] = [
            f"The pilot's sunset ({notice_day(sunset)}) cannot be the live version's: give a "
            f"sunset date after today and no later than "
            f"{notice_day(renewal_sunset_latest(today))}."
        ]
    elif problem:
        errors["sunset_on"] = [problem]
    if errors:
        raise ValidationError(errors)
    justification = justification.strip()
    figures = pilot_comparison_figures(pilot_comparison(pilot=base, limit=0))

    merged = {field: getattr(base, field) for field in EDITABLE}
    merged.update(mode=Rule.Mode.ACTIVE, effective_from=today, sunset_on=sunset)
    fields = rule_fields_clean(kind=base.kind, **merged)
    new_rule, retiring = _version_save(
        actor=actor,
        base=base,
        versions=versions,
        fields=fields,
        change_reason=f"Pilot v{base.version} promoted to live: {justification}",
    )
    old_live = next((old for old in retiring if old.mode == Rule.Mode.ACTIVE), None)
    reviews = _open_reviews_decide(
        actor=actor,
        rules=retiring,
        decision=SunsetReview.Decision.PROMOTE,
        justification=justification,
    )
    audit_record(
        actor=actor,
        verb=Verb.PILOT_PROMOTED,
        target=new_rule,
        from_status=f"v{base.version}",
        to_status=f"v{new_rule.version}",
        payload={
            "code": new_rule.code,
            "pilot_version": base.version,
            "version": new_rule.version,
            "superseded_live_version": old_live.version if old_live is not None else None,
            "justification": justification,
            "effective_from": new_rule.effective_from,
            "sunset_on": new_rule.sunset_on,
            "comparison": figures,
            "sunset_reviews_decided": [review.pk for review in reviews],
        },
    )
    replaces = (
        f"It replaces live version {old_live.version}."
        if old_live is not None
        else "It is the rule's first live version."
    )
    notice_publish(
        kind=PublicNotice.Kind.PILOT_PROMOTED,
        title=f"Pilot promoted to live: {new_rule.title}",
        summary=(
            f"{notice_subject_name(new_rule)} is the pilot version {base.version}, piloted from "
            f"{notice_day(base.effective_from)}, now promoted to live: it counts towards "
            f"decisions. {replaces} In force from {notice_day(new_rule.effective_from)}; to be "
            f"reviewed by {notice_day(new_rule.sunset_on)}."
        ),
        justification=justification,
        actor=actor,
        rule=new_rule,
    )
    _rescreen_on_commit(rule=new_rule, actor=actor)
    return new_rule


def _open_reviews_decide(
    *, actor: User, rules: list[Rule], decision: str, justification: str
) -> list[SunsetReview]:
    """Decide the open sunset reviews of versions a new version supersedes (as amended or
    promoted, with the new version's reason), so none stays open on a version no longer in
    force."""
    reviews = list(
        SunsetReview.objects.select_for_update(of=("self",))
        .filter(rule__in=rules, status=SunsetReview.Status.OPEN)
        .select_related("rule")
    )
    for review in reviews:
        review.status = SunsetReview.Status.DECIDED
        review.decision = decision
        review.justification = justification
        review.decided_by = actor
        review.decided_at = timezone.now()
        review.save(
            update_fields=["status", "decision", "justification", "decided_by", "decided_at"]
        )
        audit_record(
            actor=actor,
            verb=Verb.SUNSET_REVIEW_DECIDED,
            target=review,
            from_status=SunsetReview.Status.OPEN,
            to_status=review.decision,
            payload={"subject": str(review.rule), "justification": justification},
        )
    return reviews


# --- the starter catalogue -----------------------------------------------------------------


@transaction.atomic
def rule_catalogue_seed(*, owner: User, today: date | None = None) -> int:
    """Create the starter catalogue's rules whose codes do not exist yet; how many were made.

    Run at setup, before cases exist, so it queues no re-screen (a later `rule_edit` does)."""
    from ..catalogue import STARTER_RULES, starter_dates

    today = today or timezone.localdate()
    existing = set(Rule.objects.values_list("code", flat=True))
    created = 0
    for spec in STARTER_RULES:
        if spec["code"] in existing:
            continue
        effective_from, sunset_on = starter_dates(spec, today)
        rule_create(
            actor=None,
            code=spec["code"],
            title=spec["title"],
            kind=spec["kind"],
            parameters=spec["parameters"],
            weight=spec["weight"],
            public_justification=spec["public_justification"],
            mode=spec.get("mode", Rule.Mode.ACTIVE),
            effective_from=effective_from,
            sunset_on=sunset_on,
            owner=owner,
            rescreen=False,
        )
        created += 1
    return created


# --- partner denial notices ----------------------------------------------------------------

DENIAL_COLUMNS = (
    "partner",
    "reference",
    "notified_on",
    "party_name",
    "party_country",
    "party_address",
    "control_code",
    "description",
    "reason",
)
REQUIRED_VALUES = ("partner", "reference", "notified_on", "party_name", "control_code")
MAX_ERRORS_SHOWN = 10


def partner_denial_import(
    *, actor: User | None, path: Path | str, skip_if_unchanged: bool = False
) -> int:
    """Import a CSV of denial notices (columns DENIAL_COLUMNS, header first); returns how many
    notices it holds. Nothing is written unless every row is valid: the error names each bad
    line. `actor` None is the system (the command). With `skip_if_unchanged`, a file whose
    notices were all imported from these very bytes already writes nothing."""
    _authorise(actor)
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ApplicationError(f"{path.name}: cannot be read ({error.strerror}).") from error
    rows = _denial_rows(raw, path.name)
    sha256 = hashlib.sha256(raw).hexdigest()
    if skip_if_unchanged and PartnerDenial.objects.filter(sha256=sha256).count() == len(rows):
        return len(rows)
    return _denials_store(actor=actor, rows=rows, name=path.name, sha256=sha256)


def _denial_rows(raw: bytes, name: str) -> list[dict]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApplicationError(f"{name}: not UTF-8 text (byte {error.start}).") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [column.strip() for column in reader.fieldnames or []]
    missing = [column for column in DENIAL_COLUMNS if column not in header]
    extra = [column for column in header if column not in DENIAL_COLUMNS]
    if missing or extra:
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if extra:
            problems.append(f"unknown column(s) {', '.join(extra)}")
        raise ApplicationError(
            f"{name}, line 1: the header must name the columns {', '.join(DENIAL_COLUMNS)}; "
            f"{'; '.join(problems)}.",
            code="malformed_denials",
            extra={"line": 1},
        )
    reader.fieldnames = header
    errors: list[str] = []
    rows: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            errors.append(f"line {line}: more values than columns")
            continue
        values = {key: (value or "").strip() for key, value in row.items()}
        if not any(values.values()):
            continue
        problems = [f"{key} is empty" for key in REQUIRED_VALUES if not values[key]]
        partner = values["partner"].upper()
        if values["partner"] and not countries.alpha2(partner):
            problems.append(f"partner “{values['partner']}” is not an ISO 3166-1 alpha-2 code")
        country = values["party_country"].upper()
        if country and not countries.alpha2(country):
            problems.append(
                f"party_country “{values['party_country']}” is not an ISO 3166-1 alpha-2 code"
            )
        notified_on = None
        if values["notified_on"]:
            try:
                notified_on = date.fromisoformat(values["notified_on"])
            except ValueError:
                problems.append(f"notified_on “{values['notified_on']}” is not a date YYYY-MM-DD")
        for key, limit in (("reference", 60), ("party_name", 300), ("control_code", 40)):
            if len(values[key]) > limit:
                problems.append(f"{key} is longer than {limit} characters")
        key = (partner, values["reference"])
        if not problems and key in seen:
            problems.append(f"notice {partner} {values['reference']} is also on line {seen[key]}")
        if problems:
            errors.append(f"line {line}: {'; '.join(problems)}")
            continue
        seen[key] = line
        rows.append(
            {**values, "partner": partner, "party_country": country, "notified_on": notified_on}
        )
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        raise ApplicationError(
            f"{name}: nothing imported. "
            + "; ".join(shown)
            + (f"; and {more} more" if more else "."),
            code="malformed_denials",
            extra={"errors": errors},
        )
    return rows


@transaction.atomic
def _denials_store(*, actor: User | None, rows: list[dict], name: str, sha256: str) -> int:
    now = timezone.now()
    created = updated = 0
    for row in rows:
        _denial, made = PartnerDenial.objects.update_or_create(
            partner=row["partner"],
            reference=row["reference"],
            defaults={
                "notified_on": row["notified_on"],
                "party_name": row["party_name"],
                "party_country": row["party_country"],
                "party_address": row["party_address"],
                "control_code": row["control_code"],
                "description": row["description"],
                "reason": row["reason"],
                "imported_at": now,
                "source_file": name[:200],
                "sha256": sha256,
            },
        )
        created, updated = created + made, updated + (not made)
    audit_record(
        actor=actor,
        verb=Verb.PARTNER_DENIALS_IMPORTED,
        payload={
            "file": name,
            "sha256": sha256,
            "rows": len(rows),
            "created": created,
            "updated": updated,
        },
    )
    return len(rows)
