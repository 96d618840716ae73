"""flag_dispose, the recommend and decide guards, and the flag selectors."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from licensing.models import Application, Outcome, Party
from licensing.services import applications as application_services
from licensing.services import cases as case_services
from screening.checks import party_key
from screening.models import Flag, KnownFalseMatch, ListSource, ListVersion, Rule
from screening.selectors_flags import (
    flag_list_for_case,
    flag_pending_count,
    flag_public_list_for_exporter,
    flag_shadow_list,
    screening_run_latest,
)
from screening.services.flags import flag_dispose
from tests.licensing import factories as licensing
from tests.screening.factories import FlagFactory, RuleFactory, ScreeningRunFactory

Verb = AuditEvent.Verb
CONFIRMED, DISMISSED = Flag.Disposition.CONFIRMED, Flag.Disposition.DISMISSED


def flag_events(flag: Flag, verb: str | None = None):
    events = AuditEvent.objects.filter(target_type="screening.flag", target_id=str(flag.pk))
    return events.filter(verb=verb) if verb else events


def a_flag(application: Application, **overrides) -> Flag:
    run = ScreeningRunFactory(application=application)
    return FlagFactory(run=run, **overrides)


def a_list_version(code: str = "test_sdn") -> ListVersion:
    """The active version of a small test list (made on first use)."""
    source, _created = ListSource.objects.get_or_create(
        code=code, defaults={"name": "Test sanctions list", "publisher": "Test publisher"}
    )
    active = source.versions.filter(status=ListVersion.Status.ACTIVE).first()
    return active or ListVersion.objects.create(
        source=source, format="test", imported_at=timezone.now(), sha256="a" * 64
    )


def a_party_match(application: Application, *, shadow: bool = False, **overrides) -> Flag:
    version = overrides.pop("list_version", None) or a_list_version()
    party = application.parties.get(role=Party.Role.END_USER)
    rule = RuleFactory(
        kind=Rule.Kind.PARTY_MATCH,
        title="Restricted-party match",
        parameters={"lists": [version.source.code], "threshold": 0.8},
        mode=Rule.Mode.PILOT if shadow else Rule.Mode.ACTIVE,
        weight=60,
    )
    evidence = {
        "list": version.source.code,
        "list_name": version.source.name,
        "list_version_id": version.pk,
        "entry_id": "12345",
        "entry_name": "KOENIGSTUHL OBSERVATORY TRADING",
        "entry_content_hash": "c" * 64,
        "matched_name": "Landessternwarte Konigstuhl",
        "matched_name_kind": "aka",
        "matched_name_kind_label": "Also known as",
        "score": 0.93,
        "threshold": 0.8,
        "explanation": {"name": {"similarity": 0.93, "tokens": []}, "threshold": 0.8},
    }
    return a_flag(
        application,
        rule=rule,
        party=party,
        list_version=version,
        evidence=evidence,
        summary="End user matches KOENIGSTUHL OBSERVATORY TRADING on test_sdn.",
        **overrides,
    )


@pytest.fixture
def case(world) -> Application:
    return licensing.make_under_review(world)


# --- Confirming and dismissing ---------------------------------------------------------------


def test_flag_dispose_confirms_with_the_reason_and_audits(world, case):
    flag = a_flag(case)

    result = flag_dispose(
        actor=world.case_officer, flag=flag, disposition=CONFIRMED, reason="  Phrase is real.  "
    )

    flag.refresh_from_db()
    assert result.pk == flag.pk
    assert flag.disposition == CONFIRMED
    assert flag.disposition_reason == "Phrase is real."
    assert flag.disposed_by == world.case_officer
    assert flag.disposed_at is not None
    (event,) = flag_events(flag)
    assert event.verb == Verb.FLAG_CONFIRMED
    assert event.actor == world.case_officer
    assert (event.from_status, event.to_status) == ("pending", "confirmed")
    assert event.payload["reason"] == "Phrase is real."
    assert event.payload["application"] == case.pk


def test_flag_dispose_dismisses_as_a_senior_official(world, case):
    flag = a_flag(case)

    flag_dispose(
        actor=world.senior_official, flag=flag, disposition=DISMISSED, reason="Context is civil."
    )

    flag.refresh_from_db()
    assert flag.disposition == DISMISSED
    assert flag.disposed_by == world.senior_official
    assert list(flag_events(flag).values_list("verb", flat=True)) == [Verb.FLAG_DISMISSED]


@pytest.mark.parametrize(
    "who", ["exporter", "other_exporter", "advisor", "appeals_reviewer", "policy_admin", "auditor"]
)
def test_flag_dispose_refuses_roles_without_the_permission(world, case, who):
    flag = a_flag(case)

    with pytest.raises(PermissionDenied):
        flag_dispose(actor=world.actor(who), flag=flag, disposition=CONFIRMED, reason="Yes.")

    flag.refresh_from_db()
    assert flag.is_pending
    assert not flag_events(flag).exists()


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_flag_dispose_requires_a_reason(world, case, reason):
    flag = a_flag(case)

    with pytest.raises(ApplicationError, match="Give a reason"):
        flag_dispose(actor=world.case_officer, flag=flag, disposition=DISMISSED, reason=reason)

    flag.refresh_from_db()
    assert flag.is_pending
    assert not flag_events(flag).exists()


def test_flag_dispose_refuses_an_unknown_disposition(world, case):
    flag = a_flag(case)

    with pytest.raises(ApplicationError, match="confirm or dismiss"):
        flag_dispose(actor=world.case_officer, flag=flag, disposition="pending", reason="Hmm.")

    flag.refresh_from_db()
    assert flag.is_pending


def test_flag_dispose_shadow_flags_only_by_policy_admins(world, case):
    flag = a_flag(case, rule=RuleFactory(mode=Rule.Mode.PILOT))
    assert flag.shadow

    for official in (world.case_officer, world.senior_official):
        with pytest.raises(PermissionDenied, match="policy admins"):
            flag_dispose(actor=official, flag=flag, disposition=CONFIRMED, reason="Right.")
    flag_dispose(actor=world.policy_admin, flag=flag, disposition=DISMISSED, reason="Too broad.")

    flag.refresh_from_db()
    assert flag.disposition == DISMISSED
    assert flag.disposed_by == world.policy_admin
    (event,) = flag_events(flag)
    assert event.payload["shadow"] is True


def test_flag_dispose_same_outcome_again_changes_nothing(world, case):
    flag = a_flag(case)
    flag_dispose(actor=world.case_officer, flag=flag, disposition=CONFIRMED, reason="First.")
    flag.refresh_from_db()
    before = (flag.disposition_reason, flag.disposed_by_id, flag.disposed_at)

    flag_dispose(actor=world.senior_official, flag=flag, disposition=CONFIRMED, reason="Again.")

    flag.refresh_from_db()
    assert (flag.disposition_reason, flag.disposed_by_id, flag.disposed_at) == before
    assert flag_events(flag).count() == 1


def test_flag_dispose_changing_before_recommendation_is_audited(world, case):
    flag = a_flag(case)
    flag_dispose(actor=world.case_officer, flag=flag, disposition=CONFIRMED, reason="Looked bad.")

    flag_dispose(
        actor=world.case_officer, flag=flag, disposition=DISMISSED, reason="Explained by a letter."
    )

    flag.refresh_from_db()
    assert flag.disposition == DISMISSED
    assert flag.disposition_reason == "Explained by a letter."
    confirmed, dismissed = flag_events(flag).order_by("id")
    assert confirmed.verb == Verb.FLAG_CONFIRMED
    assert dismissed.verb == Verb.FLAG_DISMISSED
    assert dismissed.payload["changed_from"] == "confirmed"
    assert dismissed.from_status == "confirmed"


def test_flag_dispose_changing_after_recommendation_is_refused(world, case):
    flag = a_flag(case)
    flag_dispose(actor=world.case_officer, flag=flag, disposition=CONFIRMED, reason="Real.")
    licensing.make_recommended(world, application=case)

    with pytest.raises(ApplicationError, match="recommended"):
        flag_dispose(actor=world.case_officer, flag=flag, disposition=DISMISSED, reason="Oops.")

    flag.refresh_from_db()
    assert flag.disposition == CONFIRMED
    assert flag_events(flag).count() == 1


def test_flag_dispose_first_disposition_on_a_recommended_case_is_allowed(world, case):
    recommended = licensing.make_recommended(world, application=case)
    raised_later = a_flag(recommended)  # e.g. by a re-screen after the recommendation

    flag_dispose(
        actor=world.senior_official, flag=raised_later, disposition=DISMISSED, reason="Old news."
    )

    raised_later.refresh_from_db()
    assert raised_later.disposition == DISMISSED


@pytest.mark.parametrize("build", ["approved", "refused", "withdrawn"])
def test_flag_dispose_refused_once_the_case_is_closed(world, build):
    if build == "withdrawn":
        application = licensing.make_submitted(world)
        application_services.application_withdraw(actor=world.exporter, application=application)
    else:
        application = getattr(licensing, f"make_{build}")(world)
    flag = a_flag(application)

    with pytest.raises(ApplicationError, match="can no longer"):
        flag_dispose(actor=world.case_officer, flag=flag, disposition=CONFIRMED, reason="Late.")

    flag.refresh_from_db()
    assert flag.is_pending


def test_flag_dispose_a_licence_flag_after_approval_is_allowed(world):
    application = licensing.make_approved(world)
    flag = a_flag(application, licence=application.licence)

    flag_dispose(actor=world.case_officer, flag=flag, disposition=CONFIRMED, reason="Suspend it.")

    flag.refresh_from_db()
    assert flag.disposition == CONFIRMED


# --- Known false matches ---------------------------------------------------------------------


def test_flag_dispose_records_a_known_false_match_for_a_party_match(world, case):
    flag = a_party_match(case)

    flag_dispose(
        actor=world.case_officer,
        flag=flag,
        disposition=DISMISSED,
        reason="Different observatory: the listed one is in another country.",
        false_match=True,
    )

    known = KnownFalseMatch.objects.get()
    assert known.organisation == case.organisation
    assert known.party_key == party_key("Landessternwarte Königstuhl")
    assert known.party_country == "DE"
    assert (known.list_code, known.entry_id, known.entry_hash) == ("test_sdn", "12345", "c" * 64)
    assert known.listed_in == flag.list_version
    assert known.flag == flag
    assert known.created_by == world.case_officer
    assert known.reason.startswith("Different observatory")
    verbs = list(flag_events(flag).order_by("id").values_list("verb", flat=True))
    assert verbs == [Verb.FLAG_DISMISSED, Verb.FALSE_MATCH_RECORDED]
    recorded = flag_events(flag, Verb.FALSE_MATCH_RECORDED).get()
    assert recorded.payload["known_false_match"] == known.pk
    assert recorded.payload["entry_id"] == "12345"


def test_flag_dispose_false_match_only_for_party_matches(world, case):
    flag = a_flag(case)  # an end-use flag

    with pytest.raises(ApplicationError, match="party against a listed entry"):
        flag_dispose(
            actor=world.case_officer,
            flag=flag,
            disposition=DISMISSED,
            reason="Not relevant.",
            false_match=True,
        )

    flag.refresh_from_db()
    assert flag.is_pending  # nothing half-done
    assert not KnownFalseMatch.objects.exists()
    assert not flag_events(flag).exists()


def test_flag_dispose_false_match_only_when_dismissing(world, case):
    flag = a_party_match(case)

    with pytest.raises(ApplicationError, match="dismissed"):
        flag_dispose(
            actor=world.case_officer,
            flag=flag,
            disposition=CONFIRMED,
            reason="It is them.",
            false_match=True,
        )

    assert not KnownFalseMatch.objects.exists()


def test_flag_dispose_confirming_a_dismissed_match_withdraws_the_false_match(world, case):
    flag = a_party_match(case)
    flag_dispose(
        actor=world.case_officer,
        flag=flag,
        disposition=DISMISSED,
        reason="Not them.",
        false_match=True,
    )

    flag_dispose(
        actor=world.case_officer, flag=flag, disposition=CONFIRMED, reason="It is them after all."
    )

    assert not KnownFalseMatch.objects.exists()
    confirmed = flag_events(flag, Verb.FLAG_CONFIRMED).get()
    assert len(confirmed.payload["false_matches_withdrawn"]) == 1


# --- The recommend and decide guards ---------------------------------------------------------


def _recommend(world, application):
    return case_services.recommendation_make(
        actor=world.case_officer,
        application=application,
        outcome=Outcome.APPROVE,
        explanation="Civil end use.",
        conditions=[licensing.LicenceConditionFactory()],
    )


def test_recommendation_make_refused_while_live_flags_are_pending(world, case):
    first, second = a_flag(case), a_flag(case)
    a_flag(case, rule=RuleFactory(mode=Rule.Mode.PILOT))  # a shadow flag never blocks

    with pytest.raises(ApplicationError) as refused:
        _recommend(world, case)
    assert refused.value.message == (
        "2 flags still need a decision: confirm or dismiss each one before recommending."
    )

    flag_dispose(actor=world.case_officer, flag=first, disposition=CONFIRMED, reason="Real.")
    with pytest.raises(ApplicationError, match=r"^1 flag still needs a decision"):
        _recommend(world, case)
    assert Application.objects.get(pk=case.pk).status == Application.Status.UNDER_REVIEW

    flag_dispose(actor=world.case_officer, flag=second, disposition=DISMISSED, reason="Fine.")
    _recommend(world, case)
    assert Application.objects.get(pk=case.pk).status == Application.Status.RECOMMENDED


def test_decision_make_refused_while_a_flag_raised_after_the_recommendation_is_pending(world):
    recommended = licensing.make_recommended(world)
    flag = a_flag(recommended)

    with pytest.raises(ApplicationError, match="before deciding"):
        case_services.decision_make(actor=world.senior_official, application=recommended)

    flag_dispose(actor=world.senior_official, flag=flag, disposition=DISMISSED, reason="Stale.")
    case_services.decision_make(actor=world.senior_official, application=recommended)
    assert Application.objects.get(pk=recommended.pk).status == Application.Status.APPROVED


# --- Selectors -------------------------------------------------------------------------------


def test_flag_list_for_case_shows_shadow_flags_only_to_policy_admins(world, case):
    live = a_flag(case)
    shadow = a_flag(case, rule=RuleFactory(mode=Rule.Mode.PILOT))

    assert list(flag_list_for_case(user=world.case_officer, application=case)) == [live]
    assert list(flag_list_for_case(user=world.policy_admin, application=case)) == [live, shadow]
    assert list(flag_shadow_list(user=world.case_officer)) == []
    assert list(flag_shadow_list(user=world.policy_admin)) == [shadow]


def test_flag_pending_count_counts_live_pending_flags(world, case):
    a_flag(case)
    disposed = a_flag(case)
    a_flag(case, rule=RuleFactory(mode=Rule.Mode.PILOT))
    flag_dispose(actor=world.case_officer, flag=disposed, disposition=CONFIRMED, reason="Yes.")

    assert flag_pending_count(application=case) == 1


def test_flag_public_list_for_exporter_gives_public_reasons_of_own_cases_only(world, case):
    a_party_match(case)
    flag = a_flag(case, rule=RuleFactory(title="End-use red flag"))
    a_flag(case, rule=RuleFactory(title="Pilot rule", mode=Rule.Mode.PILOT))
    flag_dispose(actor=world.case_officer, flag=flag, disposition=DISMISSED, reason="Fine.")

    checks = flag_public_list_for_exporter(user=world.exporter, application=case)

    assert [(check.title, check.reviewed) for check in checks] == [
        ("Restricted-party match", False),
        ("End-use red flag", True),
    ]
    assert checks[0].concerns == "End user: Landessternwarte Königstuhl"
    assert checks[1].justification.startswith("Applications are checked")
    assert flag_public_list_for_exporter(user=world.other_exporter, application=case) == []
    assert flag_public_list_for_exporter(user=world.case_officer, application=case) == []


def test_screening_run_latest_is_the_newest_run(world, case):
    a_flag(case)
    newest = ScreeningRunFactory(application=case)

    assert screening_run_latest(application=case) == newest
