"""Officials' dispositions of flags: confirm or dismiss, each with a reason, and known false
matches.

Live flags are disposed of by case officers and senior officials (screening.dispose_flag);
pilot rules' shadow flags only by policy admins (screening.view_shadow_flags), whose
dispositions measure a pilot's precision before it goes live. Dismissing a party match can
also record that the organisation's party is not the listed entry (a KnownFalseMatch), which
the party check reads on later screenings.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from appeals.models import Appeal
from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError
from licensing.models import Application

from ..checks import party_key
from ..models import Flag, KnownFalseMatch, Rule

Verb = AuditEvent.Verb
Disposition = Flag.Disposition
Status = Application.Status

DISPOSE_PERMISSION = "screening.dispose_flag"
SHADOW_PERMISSION = "screening.view_shadow_flags"
# A case in one of these statuses is finished: its flags are no longer disposed of (except a
# flag raised on the licence by re-screening, which an official still reviews).
CLOSED_STATUSES = (Status.APPROVED, Status.REFUSED, Status.WITHDRAWN)
VERB_OF = {Disposition.CONFIRMED: Verb.FLAG_CONFIRMED, Disposition.DISMISSED: Verb.FLAG_DISMISSED}


def flag_disposable_on_status(*, flag: Flag, application: Application) -> bool:
    """Whether the case's status still lets the flag be disposed of: open cases, any flag on
    a licence (raised by re-screening after approval), and on a decided case a flag that an
    appeal remitted for a fresh decision, until it has one."""
    if application.status not in CLOSED_STATUSES or flag.licence_id is not None:
        return True
    if application.status == Status.WITHDRAWN or flag.disposition != Disposition.PENDING:
        return False
    remitted = getattr(flag, "has_remitted_appeal", None)  # annotated by the flag selectors
    if remitted is None:
        remitted = flag.appeals.filter(status=Appeal.Status.REMITTED).exists()
    return remitted


def _locked(flag: Flag) -> tuple[Application, Flag]:
    """The flag's case, then the flag, locked: the same order as the case services, so a
    recommendation and a disposition of the same case run one after the other."""
    application = Application.objects.select_for_update().get(pk=flag.application_id)
    flag = (
        Flag.objects.select_for_update(of=("self",))
        .select_related("rule", "party", "list_version")
        .get(pk=flag.pk)
    )
    return application, flag


def _withdraw_false_matches(flag: Flag) -> list[int]:
    """Delete the known false matches recorded on dismissing `flag`; return their ids."""
    withdrawn = list(flag.known_false_matches.values_list("pk", flat=True))
    KnownFalseMatch.objects.filter(pk__in=withdrawn).delete()
    return withdrawn


def _set_disposition(flag: Flag, disposition: str, reason: str, actor: User | None) -> None:
    flag.disposition = disposition
    flag.disposition_reason = reason
    flag.disposed_by = actor
    flag.disposed_at = timezone.now() if actor is not None else None
    flag.save(update_fields=["disposition", "disposition_reason", "disposed_by", "disposed_at"])


def _require_may_dispose(actor: User, flag: Flag) -> None:
    if flag.shadow:
        if not actor.has_perm(SHADOW_PERMISSION):
            raise PermissionDenied("Only policy admins can judge a pilot rule's flags.")
    elif not actor.has_perm(DISPOSE_PERMISSION):
        raise PermissionDenied("Only case officers and senior officials can dispose of flags.")


@transaction.atomic
def flag_dispose(
    *, actor: User, flag: Flag, disposition: str, reason: str, false_match: bool = False
) -> Flag:
    """Confirm or dismiss `flag` with a reason; with `false_match`, also record that the
    party is not the listed entry, so later screenings of the organisation's party skip it.

    Disposing again with the same outcome changes nothing. Changing an earlier disposition is
    allowed until the case is recommended, and is audited like the first one.
    """
    if disposition not in VERB_OF:
        raise ApplicationError("Choose whether to confirm or dismiss the flag.", code="invalid")
    reason = (reason or "").strip()
    application, flag = _locked(flag)
    _require_may_dispose(actor, flag)
    if not flag_disposable_on_status(flag=flag, application=application):
        raise ApplicationError(
            f"This case is {application.get_status_display().lower()}: its flags can no longer "
            "be confirmed or dismissed.",
            code="case_closed",
        )
    if flag.disposition == disposition:
        return flag
    if not reason:
        raise ApplicationError(
            "Give a reason: say why the flag is right or why it does not apply.",
            code="reason_required",
        )
    if false_match and disposition != Disposition.DISMISSED:
        raise ApplicationError(
            "Only a dismissed flag can be recorded as a known false match.", code="invalid"
        )
    earlier = flag.disposition
    if earlier != Disposition.PENDING and application.status == Status.RECOMMENDED:
        raise ApplicationError(
            "The case has been recommended: an earlier disposition can no longer be changed.",
            code="already_recommended",
        )
    withdrawn = []
    if earlier == Disposition.DISMISSED:
        # The official no longer thinks the party is not the listed entry.
        withdrawn = _withdraw_false_matches(flag)
    _set_disposition(flag, disposition, reason, actor)
    payload = {
        "application": application.pk,
        "reference": application.reference,
        "rule": str(flag.rule),
        "shadow": flag.shadow,
        "reason": reason,
    }
    if earlier != Disposition.PENDING:
        payload["changed_from"] = earlier
    if withdrawn:
        payload["false_matches_withdrawn"] = withdrawn
    audit_record(
        actor=actor,
        verb=VERB_OF[disposition],
        target=flag,
        from_status=earlier,
        to_status=disposition,
        payload=payload,
    )
    if false_match:
        _false_match_record(actor=actor, flag=flag, application=application, reason=reason)
    return flag


def _false_match_record(
    *, actor: User, flag: Flag, application: Application, reason: str
) -> KnownFalseMatch:
    evidence = flag.evidence or {}
    entry_hash = evidence.get("entry_content_hash")
    missing = [key for key in ("list", "entry_id") if not evidence.get(key)]
    if (
        flag.rule.kind != Rule.Kind.PARTY_MATCH
        or flag.party is None
        or flag.list_version_id is None
        or missing
        or not entry_hash
    ):
        raise ApplicationError(
            "Only a match of a party against a listed entry can be recorded as a known false "
            "match.",
            code="not_a_party_match",
        )
    known = KnownFalseMatch.objects.create(
        organisation_id=application.organisation_id,
        party_key=party_key(flag.party.name),
        party_country=flag.party.country.code or "",
        list_code=str(evidence["list"]),
        entry_id=str(evidence["entry_id"]),
        entry_hash=str(entry_hash),
        listed_in_id=flag.list_version_id,
        flag=flag,
        reason=reason,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb=Verb.FALSE_MATCH_RECORDED,
        target=flag,
        payload={
            "application": application.pk,
            "known_false_match": known.pk,
            "party": flag.party.name,
            "list": known.list_code,
            "entry_id": known.entry_id,
            "reason": reason,
        },
    )
    return known


# --- Appeals ---------------------------------------------------------------------------------

APPEAL_PERMISSION = "appeals.review_appeal"


def _locked_for_appeal(actor: User, flag: Flag) -> tuple[Application, Flag]:
    if not actor.has_perm(APPEAL_PERMISSION):
        raise PermissionDenied("Only appeals reviewers can change a flag on appeal.")
    return _locked(flag)


@transaction.atomic
def flag_overturn_on_appeal(*, actor: User, flag: Flag, reason: str, appeal_reference: str) -> Flag:
    """An appeal found the party is not the listed entry: the flag is dismissed and the
    party-entry pair recorded as a known false match, so it is not raised again."""
    reason = (reason or "").strip()
    application, flag = _locked_for_appeal(actor, flag)
    if flag.disposition == Disposition.DISMISSED and flag.known_false_matches.exists():
        return flag
    if not reason:
        raise ApplicationError("Give the appeal's reasons.", code="reason_required")
    earlier = flag.disposition
    _set_disposition(flag, Disposition.DISMISSED, reason, actor)
    audit_record(
        actor=actor,
        verb=Verb.FLAG_OVERTURNED,
        target=flag,
        from_status=earlier,
        to_status=flag.disposition,
        payload={
            "application": application.pk,
            "reference": application.reference,
            "rule": str(flag.rule),
            "appeal": appeal_reference,
            "reason": reason,
        },
    )
    _false_match_record(actor=actor, flag=flag, application=application, reason=reason)
    return flag


@transaction.atomic
def flag_reopen_on_appeal(*, actor: User, flag: Flag, reason: str, appeal_reference: str) -> Flag:
    """An appeal sent the match back: the flag waits for a fresh disposition."""
    application, flag = _locked_for_appeal(actor, flag)
    if flag.disposition == Disposition.PENDING:
        return flag
    earlier = flag.disposition
    withdrawn = _withdraw_false_matches(flag)
    _set_disposition(flag, Disposition.PENDING, "", None)
    payload = {
        "application": application.pk,
        "reference": application.reference,
        "rule": str(flag.rule),
        "appeal": appeal_reference,
        "reason": (reason or "").strip(),
    }
    if withdrawn:
        payload["false_matches_withdrawn"] = withdrawn
    audit_record(
        actor=actor,
        verb=Verb.FLAG_REOPENED,
        target=flag,
        from_status=earlier,
        to_status=flag.disposition,
        payload=payload,
    )
    return flag
