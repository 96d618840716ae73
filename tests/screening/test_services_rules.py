"""The rule catalogue services: creating rules, versioning, pilots beside live versions, the
audit trail, validation messages, permissions, the starter catalogue and partner denials."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from screening.catalogue import STARTER_RULES
from screening.checks import rules_in_force
from screening.models import PartnerDenial, RescreenBatch, Rule
from screening.services.rules import (
    partner_denial_import,
    rule_catalogue_seed,
    rule_create,
    rule_edit,
)
from tests.screening.factories import days_from_today

Verb = AuditEvent.Verb
Status = Rule.Status


def _create(world, **overrides) -> Rule:
    values = {
        "actor": world.policy_admin,
        "code": "end-use-missiles",
        "title": "Missiles in the end use",
        "kind": Rule.Kind.END_USE,
        "parameters": {"phrases": ["missile", "missiles"]},
        "weight": 30,
        "public_justification": "15 CFR 744.3 restricts exports for rocket systems.",
        "mode": Rule.Mode.ACTIVE,
        "effective_from": days_from_today(0),
        "sunset_on": days_from_today(365),
        "owner": world.policy_admin,
        **overrides,
    }
    return rule_create(**values)


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- rule_create -----------------------------------------------------------------------------


def test_rule_create_saves_version_one_audits_and_rescreens(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rule = _create(world)

    assert (rule.version, rule.status, rule.created_by) == (1, Status.CURRENT, world.policy_admin)
    assert rule.parameters["phrases"] == ["missile", "missiles"]
    assert rule.parameters["military_end_use"] is False  # defaults filled in
    event = AuditEvent.objects.get(verb=Verb.RULE_CREATED, target_id=str(rule.pk))
    assert event.payload["code"] == "end-use-missiles"
    assert len(callbacks) == 1
    batch = RescreenBatch.objects.get()
    assert (batch.trigger, batch.rule) == (RescreenBatch.Trigger.RULE_VERSION, rule)


def test_rule_create_refused_for_non_policy_admins(world):
    for actor in (world.case_officer, world.auditor, world.exporter, world.senior_official):
        with pytest.raises(PermissionDenied):
            _create(world, actor=actor)
    assert not Rule.objects.exists()


def test_rule_create_validation_messages_name_each_field(world):
    errors = _errors(
        lambda: _create(
            world,
            code="Bad Code!",
            title=" ",
            parameters={"phrases": [], "colour": "red"},
            weight=101,
            public_justification="",
            sunset_on=days_from_today(-1),
            owner=world.case_officer,
        )
    )

    assert set(errors) == {
        "code",
        "title",
        "parameters",
        "weight",
        "public_justification",
        "sunset_on",
        "owner",
    }
    assert errors["parameters"] == [
        "colour: Not a parameter of this kind; its parameters are phrases, due_diligence, "
        "military_end_use, wmd_end_use, reexport_intended."
    ]
    assert errors["weight"] == ["The weight is a whole number from 0 to 100."]


def test_rule_create_refuses_an_existing_code(world):
    _create(world)
    errors = _errors(lambda: _create(world))
    assert errors == {
        "code": ["A rule end-use-missiles exists already; edit it to make a new version."]
    }


# --- rule_edit -------------------------------------------------------------------------------


def test_rule_edit_creates_the_next_version_and_supersedes_the_previous(world):
    first = _create(world)

    second = rule_edit(actor=world.policy_admin, rule=first, change_reason="Heavier.", weight=45)

    first.refresh_from_db()
    assert (second.version, second.weight, second.status) == (2, 45, Status.CURRENT)
    assert second.supersedes == first
    assert first.status == Status.SUPERSEDED
    assert second.change_reason == "Heavier."
    assert second.parameters == first.parameters
    event = AuditEvent.objects.get(verb=Verb.RULE_VERSIONED)
    assert event.payload["changed"] == {"weight": [30, 45]}
    assert event.payload["change_reason"] == "Heavier."
    assert (event.from_status, event.to_status) == ("v1", "v2")


def test_rule_edit_into_pilot_keeps_the_live_version_in_force(world):
    live = _create(world)

    pilot = rule_edit(
        actor=world.policy_admin,
        rule=live,
        change_reason="Try a wider phrase list first.",
        mode=Rule.Mode.PILOT,
        parameters={"phrases": ["missile", "missiles", "rocket"]},
    )
    live.refresh_from_db()
    assert live.status == Status.CURRENT
    assert (pilot.version, pilot.mode, pilot.status) == (2, Rule.Mode.PILOT, Status.CURRENT)
    assert {rule.pk for rule in rules_in_force(on=days_from_today(0))} == {live.pk, pilot.pk}

    # A second pilot replaces the first; the live version stays.
    pilot2 = rule_edit(
        actor=world.policy_admin,
        rule=live,
        change_reason="Narrower.",
        mode=Rule.Mode.PILOT,
        parameters={"phrases": ["rocket"]},
    )
    pilot.refresh_from_db()
    live.refresh_from_db()
    assert (pilot.status, live.status, pilot2.version) == (Status.SUPERSEDED, Status.CURRENT, 3)
    assert pilot2.supersedes == pilot

    # Promoting the pilot supersedes both it and the live version.
    promoted = rule_edit(
        actor=world.policy_admin, rule=pilot2, change_reason="It works.", mode=Rule.Mode.ACTIVE
    )
    live.refresh_from_db()
    pilot2.refresh_from_db()
    assert (live.status, pilot2.status) == (Status.SUPERSEDED, Status.SUPERSEDED)
    assert (promoted.version, promoted.mode, promoted.parameters["phrases"]) == (
        4,
        Rule.Mode.ACTIVE,
        ["rocket"],
    )
    assert list(Rule.objects.filter(code=live.code, status=Status.CURRENT)) == [promoted]


def test_rule_edit_registers_the_rescreen_on_commit(world, django_capture_on_commit_callbacks):
    rule = _create(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        new_rule = rule_edit(actor=world.policy_admin, rule=rule, change_reason="r", weight=10)

    assert len(callbacks) == 1
    assert RescreenBatch.objects.filter(rule=new_rule).count() == 1


def test_rule_edit_without_change_is_refused(world):
    rule = _create(world)
    errors = _errors(
        lambda: rule_edit(actor=world.policy_admin, rule=rule, change_reason="Nothing", weight=30)
    )
    assert errors["__all__"][0].startswith("Nothing changed")
    assert Rule.objects.count() == 1


def test_rule_edit_needs_a_change_reason(world):
    rule = _create(world)
    errors = _errors(
        lambda: rule_edit(actor=world.policy_admin, rule=rule, change_reason=" ", weight=50)
    )
    assert errors == {
        "change_reason": ["Say why this version is made; the reason is kept with it."]
    }


def test_rule_edit_validates_parameters_for_the_kind(world):
    rule = _create(world)
    errors = _errors(
        lambda: rule_edit(
            actor=world.policy_admin,
            rule=rule,
            change_reason="x",
            parameters={"signal": "new_exporter"},
        )
    )
    assert errors["parameters"][0].startswith("signal: Not a parameter of this kind")


def test_rule_edit_of_a_superseded_version_is_refused(world):
    first = _create(world)
    rule_edit(actor=world.policy_admin, rule=first, change_reason="x", weight=40)

    errors = _errors(
        lambda: rule_edit(actor=world.policy_admin, rule=first, change_reason="y", weight=50)
    )
    assert "no longer in force" in errors["__all__"][0]
    assert "v2" in errors["__all__"][0]


def test_rule_edit_kind_and_code_cannot_change(world):
    rule = _create(world)
    errors = _errors(
        lambda: rule_edit(
            actor=world.policy_admin, rule=rule, change_reason="x", kind=Rule.Kind.PROVENANCE
        )
    )
    assert "kind" in errors


def test_rule_edit_refused_for_non_policy_admins(world):
    rule = _create(world)
    with pytest.raises(PermissionDenied):
        rule_edit(actor=world.auditor, rule=rule, change_reason="x", weight=1)
    assert Rule.objects.count() == 1


# --- rules_in_force ---------------------------------------------------------------------------


def test_rules_in_force_respects_dates_and_status(world):
    live = _create(world)
    _create(world, code="future", effective_from=days_from_today(5))
    _create(
        world, code="lapsing", effective_from=days_from_today(-10), sunset_on=days_from_today(-1)
    )
    pilot = _create(world, code="pilot", mode=Rule.Mode.PILOT)

    assert {rule.code for rule in rules_in_force(on=days_from_today(0))} == {live.code, pilot.code}
    assert "future" in {rule.code for rule in rules_in_force(on=days_from_today(6))}


# --- the starter catalogue -------------------------------------------------------------------


def test_rule_catalogue_seed_creates_each_kind_once(world):
    created = rule_catalogue_seed(owner=world.policy_admin)

    assert created == len(STARTER_RULES)
    assert set(Rule.objects.values_list("kind", flat=True)) == set(Rule.Kind.values)
    assert Rule.objects.filter(mode=Rule.Mode.PILOT).exists()
    assert all(rule.sunset_on > rule.effective_from for rule in Rule.objects.all())
    assert rule_catalogue_seed(owner=world.policy_admin) == 0
    assert Rule.objects.count() == len(STARTER_RULES)


def test_rule_catalogue_seed_creates_only_missing_codes(world):
    _create(
        world, code="partner-denial", kind=Rule.Kind.PARTNER_DENIAL, parameters={"threshold": 0.8}
    )
    assert rule_catalogue_seed(owner=world.policy_admin) == len(STARTER_RULES) - 1
    assert Rule.objects.get(code="partner-denial").parameters == {"threshold": 0.8}


def test_seed_rules_command_needs_a_known_owner(world, capsys):
    call_command("seed_rules", owner=world.policy_admin.email)
    assert f"{len(STARTER_RULES)} rules created." in capsys.readouterr().out
    with pytest.raises(Exception, match="No user"):
        call_command("seed_rules", owner="nobody@example.org")


# --- partner denial notices ------------------------------------------------------------------

HEADER = (
    "partner,reference,notified_on,party_name,party_country,party_address,control_code,"
    "description,reason\n"
)


def _csv(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "notices.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_partner_denial_import_creates_then_updates_without_duplicates(world, tmp_path):
    path = _csv(tmp_path, 'DE,D-1,2025-01-02,Orion Ltd,AE,"Dubai",3A001,ADCs,Diversion\n')
    assert partner_denial_import(actor=world.policy_admin, path=path) == 1

    path = _csv(
        tmp_path,
        'de,D-1,2025-01-03,Orion Limited,AE,"Dubai",3A001.b,ADCs,Diversion\n'
        "FR,F-9,2025-02-01,Meridian,,,1C350,,\n",
    )
    assert partner_denial_import(actor=None, path=path) == 2

    assert PartnerDenial.objects.count() == 2
    denial = PartnerDenial.objects.get(partner="DE", reference="D-1")
    assert (denial.party_name, denial.notified_on) == ("Orion Limited", datetime.date(2025, 1, 3))
    assert denial.source_file == "notices.csv"
    assert len(denial.sha256) == 64
    events = AuditEvent.objects.filter(verb=Verb.PARTNER_DENIALS_IMPORTED).order_by("id")
    assert [(e.payload["created"], e.payload["updated"]) for e in events] == [(1, 0), (1, 1)]


def test_partner_denial_import_names_every_bad_line_and_writes_nothing(world, tmp_path):
    path = _csv(
        tmp_path,
        "DE,D-1,2025-01-02,Orion Ltd,AE,,3A001,,\n"
        "XX,D-2,2025-13-01,,ZZ,,3A001,,\n"
        "DE,D-1,2025-01-02,Orion Ltd,AE,,3A001,,\n",
    )
    with pytest.raises(ApplicationError) as caught:
        partner_denial_import(actor=world.policy_admin, path=path)

    message = caught.value.message
    assert "line 3: party_name is empty" in message
    assert "partner “XX” is not an ISO 3166-1 alpha-2 code" in message
    assert "notified_on “2025-13-01” is not a date YYYY-MM-DD" in message
    assert "party_country “ZZ”" in message
    assert "line 4: notice DE D-1 is also on line 2" in message
    assert not PartnerDenial.objects.exists()


def test_partner_denial_import_requires_the_header(world, tmp_path):
    path = _csv(tmp_path, "DE,D-1,2025-01-02,Orion,AE,,3A001,,\n", header="partner,ref\n")
    with pytest.raises(ApplicationError, match="line 1: the header must name the columns"):
        partner_denial_import(actor=None, path=path)


def test_partner_denial_import_refused_for_non_policy_admins(world, tmp_path):
    path = _csv(tmp_path, "DE,D-1,2025-01-02,Orion,AE,,3A001,,\n")
    with pytest.raises(PermissionDenied):
        partner_denial_import(actor=world.case_officer, path=path)


def test_import_partner_denials_command_imports_the_demo_file(db, capsys, settings):
    demo = settings.BASE_DIR / "data/partner_denials/demo.csv"
    call_command("import_partner_denials", str(demo))
    call_command("import_partner_denials", str(demo))

    assert "4 partner denial notices imported." in capsys.readouterr().out
    assert PartnerDenial.objects.count() == 4
    assert partner_denial_import(actor=None, path=demo, skip_if_unchanged=True) == 4
    assert AuditEvent.objects.filter(verb=Verb.PARTNER_DENIALS_IMPORTED).count() == 2
