"""Appeals test data, built through the services like everything a user makes.

make_refused_appeal_draft(world)     world.exporter's draft appeal of a refusal (grounds and
                                     statement saved), returns the Appeal
make_lodged_appeal(world, ...)       lodged in time; with world.appeals_reviewer eligible
                                     it is assigned to them and under review
make_appeal_draft(world, subject=...) a draft of any subject (a licence revoked, suspended,
                                     a condition, or a confirmed party match)
make_second_reviewer(...)            another appeals reviewer
confirmed_party_match(world, application)   a confirmed live party-match flag
appeal_events(appeal, verb)          the audit events about an appeal

refused_row(world), appeal_row(world, status, ...)   written straight to the tables, for the
                                     access matrix (one appeal per route and actor: the whole
                                     workflow each time would be slow)
"""

import uuid
from datetime import timedelta

from django.utils import timezone

from appeals import services
from appeals.models import Appeal
from exportgov.accounts import services as account_services
from exportgov.accounts.models import User
from exportgov.accounts.roles import Role
from exportgov.audit.models import AuditEvent
from licensing.models import Application, Decision, Licence, Outcome, Party
from licensing.services import licences as licence_services
from screening.models import Flag, ListSource, ListVersion, Rule
from screening.services.flags import flag_dispose
from tests.accounts.factories import UserFactory
from tests.licensing import factories as licensing
from tests.screening.factories import FlagFactory, RuleFactory, ScreeningRunFactory

Subject = Appeal.Subject
Ground = Appeal.Ground

GROUNDS = [Ground.FACTUAL_ERROR, Ground.NEW_INFORMATION]
STATEMENT = "The end user is a civil observatory; the refusal rests on a misread address."


def make_user(username: str, *roles: Role) -> User:
    user = UserFactory(username=username)
    if roles:
        account_services.user_roles_set(actor=None, user=user, roles=list(roles))
    return user


def make_second_reviewer(username: str = "second_reviewer") -> User:
    return make_user(username, Role.APPEALS_REVIEWER)


def a_list_version(code: str = "test_sdn") -> ListVersion:
    source, _created = ListSource.objects.get_or_create(
        code=code, defaults={"name": "Test sanctions list", "publisher": "Test publisher"}
    )
    active = source.versions.filter(status=ListVersion.Status.ACTIVE).first()
    return active or ListVersion.objects.create(
        source=source, format="test", imported_at=timezone.now(), sha256="a" * 64
    )


def party_match_flag(application: Application, *, rule: Rule | None = None, **overrides) -> Flag:
    """A pending live party match of the application's end user against a listed entry."""
    version = a_list_version()
    party = application.parties.get(role=Party.Role.END_USER)
    rule = rule or RuleFactory(
        kind=Rule.Kind.PARTY_MATCH,
        title="Restricted-party match",
        parameters={"lists": [version.source.code], "threshold": 0.8},
        weight=60,
    )
    evidence = {
        "list": version.source.code,
        "list_version_id": version.pk,
        "entry_id": "12345",
        "entry_name": "KOENIGSTUHL OBSERVATORY TRADING",
        "entry_content_hash": "c" * 64,
        "matched_name": "Landessternwarte Konigstuhl",
        "score": 0.93,
        "threshold": 0.8,
    }
    return FlagFactory(
        run=ScreeningRunFactory(application=application),
        rule=rule,
        party=party,
        list_version=version,
        evidence=evidence,
        summary="End user matches KOENIGSTUHL OBSERVATORY TRADING on test_sdn.",
        **overrides,
    )


def confirmed_party_match(
    world, application: Application, *, by: User | None = None, rule: Rule | None = None
) -> Flag:
    flag = party_match_flag(application, rule=rule)
    return flag_dispose(
        actor=by or world.case_officer,
        flag=flag,
        disposition=Flag.Disposition.CONFIRMED,
        reason="Same name, same city.",
    )


def make_refused_with_flag(
    world, *, rule: Rule | None = None, **overrides
) -> tuple[Application, Flag]:
    """Refused after world.case_officer confirmed a live party match (of `rule`) on it."""
    application = licensing.make_under_review(world)
    flag = confirmed_party_match(world, application, rule=rule)
    application = licensing.make_refused(world, application=application, **overrides)
    return application, Flag.objects.get(pk=flag.pk)


def _fill(world, appeal: Appeal, *, lateness_reason: str = "") -> Appeal:
    data = {"grounds": list(GROUNDS), "statement": STATEMENT}
    if lateness_reason:
        data["lateness_reason"] = lateness_reason
    return services.appeal_save(actor=world.exporter, appeal=appeal, data=data)


def make_refused_appeal_draft(world, *, application: Application | None = None) -> Appeal:
    application = application or licensing.make_refused(world)
    appeal = services.appeal_start(
        actor=world.exporter, subject=Subject.REFUSAL, application=application
    )
    return _fill(world, appeal)


def make_appeal_draft(world, *, subject: str = Subject.REFUSAL, **target) -> Appeal:
    """A filled-in draft of `subject`; the case, licence or flag is made unless given."""
    application = target.pop("application", None)
    if subject == Subject.REFUSAL:
        return make_refused_appeal_draft(world, application=application)
    if subject == Subject.MATCH:
        if application is None:
            application, flag = make_refused_with_flag(world)
        else:
            flag = target.pop("flag")
        appeal = services.appeal_start(
            actor=world.exporter, subject=subject, application=application, flag=flag
        )
        return _fill(world, appeal)
    application = application or licensing.make_approved(world)
    licence = Licence.objects.get(application=application)
    if subject == Subject.REVOCATION:
        licence_services.licence_revoke(
            actor=world.case_officer, licence=licence, reason="End user diverted goods."
        )
    elif subject == Subject.SUSPENSION:
        licence_services.licence_suspend(
            actor=world.case_officer, licence=licence, reason="Investigation under way."
        )
    licence.refresh_from_db()
    appeal = services.appeal_start(
        actor=world.exporter,
        subject=subject,
        application=application,
        licence=licence,
        condition_text=licence.conditions[0] if subject == Subject.CONDITION else "",
    )
    return _fill(world, appeal)


def make_lodged_appeal(world, *, subject: str = Subject.REFUSAL, **target) -> Appeal:
    """Lodged in time (auto-assigned to world.appeals_reviewer, the only eligible reviewer,
    so it is under review)."""
    appeal = make_appeal_draft(world, subject=subject, **target)
    services.appeal_lodge(actor=world.exporter, appeal=appeal)
    return Appeal.objects.get(pk=appeal.pk)


def appeal_events(appeal: Appeal, verb: str | None = None):
    events = AuditEvent.objects.filter(
        target_type="appeals.appeal", target_id=str(appeal.pk)
    ).order_by("id")
    return events.filter(verb=verb) if verb is not None else events


def refresh(appeal: Appeal) -> Appeal:
    return Appeal.objects.get(pk=appeal.pk)


def refused_row(world) -> Application:
    """A case of world.organisation refused today by world.senior_official, written straight to
    the tables."""
    now = timezone.now()
    application = Application.objects.create(
        reference=f"EG-AP-{uuid.uuid4().hex[:8]}",
        organisation=world.organisation,
        created_by=world.exporter,
        status=Application.Status.REFUSED,
        title="Matrix refusal",
        tier="medium",
        team=world.licensing_team,
        submitted_at=now - timedelta(days=10),
        decided_at=now,
    )
    Party.objects.create(
        application=application, role=Party.Role.END_USER, name="Observatory", country="DE"
    )
    Decision.objects.create(
        application=application,
        decided_by=world.senior_official,
        outcome=Outcome.REFUSE,
        explanation="Risk of diversion.",
    )
    return application


def appeal_row(world, status: str, **fields) -> Appeal:
    """world.exporter's appeal of a fresh `refused_row` in `status`, written straight to the
    tables (lodged now unless a draft); `fields` set the rest."""
    now = timezone.now()
    return Appeal.objects.create(
        reference=f"APL-M-{uuid.uuid4().hex[:8]}",
        subject=Subject.REFUSAL,
        status=status,
        application=refused_row(world),
        organisation=world.organisation,
        appellant=world.exporter,
        grounds=[Ground.FACTUAL_ERROR],
        statement="The end user is a civil observatory.",
        notice_at=now,
        filing_deadline=timezone.localdate() + timedelta(days=28),
        lodged_at=None if status == Appeal.Status.DRAFT else now,
        **fields,
    )
