"""The partner_denial check: a notice in force for a matching party and the same control
entry as an item."""

import datetime

import pytest
from django.utils import timezone

from licensing.models import Item, Party
from screening.checks import check_run, context_build
from screening.checks.partner import control_entry
from screening.models import PartnerDenial, Rule
from tests.licensing.factories import make_draft

from .factories import RuleFactory


def _rule(threshold=0.9) -> Rule:
    return RuleFactory(kind=Rule.Kind.PARTNER_DENIAL, parameters={"threshold": threshold})


def _hits(rule, application):
    return check_run(rule=rule, context=context_build(application=application))


def _denial(**overrides) -> PartnerDenial:
    values = {
        "partner": "FR",
        "reference": "FR-2025-001",
        "notified_on": datetime.date(2025, 3, 1),
        "party_name": "Orion Precision Trading FZE",
        "party_country": "AE",
        "control_code": "3A001",
        "reason": "Risk of diversion.",
        "imported_at": timezone.now(),
        **overrides,
    }
    return PartnerDenial.objects.create(**values)


@pytest.fixture
def application(world):
    application = make_draft(world)  # one item 3A001.b.2
    Party.objects.create(
        application=application,
        role=Party.Role.INTERMEDIATE_CONSIGNEE,
        name="ORION PRECISION TRADING F.Z.E.",
        country="AE",
    )
    return application


def test_partner_denial_check_hits_same_party_and_control_entry(application):
    denial = _denial()
    party = application.parties.get(country="AE")
    item = application.items.get()

    [hit] = _hits(_rule(), application)

    assert hit.fingerprint == f"partner-denial:FR/FR-2025-001:{party.pk}"
    assert (hit.party_id, hit.item_id) == (party.pk, item.pk)
    evidence = hit.evidence
    assert evidence["partner"] == "FR"
    assert evidence["reference"] == denial.reference
    assert evidence["notified_on"] == "2025-03-01"
    assert evidence["denied_party_name"] == "Orion Precision Trading FZE"
    assert evidence["name"] == party.name
    assert evidence["score"] >= 0.9
    assert (evidence["denied_control_code"], evidence["item_control_code"]) == (
        "3A001",
        "3A001.b.2",
    )
    assert evidence["control_entry"] == "3A001"


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"control_code": "3A002"}, "another control entry"),
        ({"party_country": "DE"}, "the countries disagree"),
        ({"party_name": "Zenith Optical Instruments"}, "another party"),
        ({"withdrawn_on": datetime.date(2025, 4, 1)}, "withdrawn"),
    ],
)
def test_partner_denial_check_no_hit(application, overrides, why):
    _denial(**overrides)
    assert _hits(_rule(), application) == [], why


def test_partner_denial_check_country_may_be_missing(application):
    _denial(party_country="")
    assert len(_hits(_rule(), application)) == 1


def test_partner_denial_check_ear99_never_matches(application):
    Item.objects.filter(application=application).update(control_code="EAR99")
    _denial(control_code="EAR99")
    assert _hits(_rule(), application) == []


def test_partner_denial_check_sees_a_new_notice_and_is_stable(application):
    rule = _rule()
    assert _hits(rule, application) == []  # caches the (empty) notices

    _denial()
    first = [hit.fingerprint for hit in _hits(rule, application)]

    assert len(first) == 1
    assert first == [hit.fingerprint for hit in _hits(rule, application)]


def test_control_entry_is_the_part_before_the_first_dot():
    assert control_entry("3a001.b.2") == "3A001"
    assert control_entry(" 3A001 ") == "3A001"
    assert control_entry("ML10.a") == "ML10"
    assert control_entry("EAR99") == ""
    assert control_entry("") == ""
