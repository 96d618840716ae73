"""The destination check against the real Country Chart and Country Groups (data/controls)."""

import pytest

from licensing.models import Party
from screening.checks import check_run, context_build
from screening.models import Rule
from tests.licensing.factories import make_draft

from .factories import RuleFactory


def _rule(**parameters) -> Rule:
    return RuleFactory(kind=Rule.Kind.DESTINATION, parameters=parameters)


def _hits(rule, application):
    return check_run(rule=rule, context=context_build(application=application))


@pytest.fixture
def germany(world, control_data):
    return make_draft(world, country="DE")


def test_destination_check_embargoed_destination_hits_once_per_country(world, control_data):
    application = make_draft(world, country="IR")  # consignee and end user both in Iran

    [hit] = _hits(_rule(embargoed=True), application)

    assert hit.fingerprint == "destination:embargoed:IR"
    assert hit.evidence["reason"] == "embargoed"
    assert "746" in hit.evidence["embargo_pointer"]
    assert {party["role"] for party in hit.evidence["parties"]} == {"consignee", "end_user"}
    assert hit.evidence["data_version"].startswith("country_chart:")
    assert hit.party_id in {party.pk for party in application.parties.all()}


def test_destination_check_no_hit_for_an_ordinary_destination(germany):
    rule = _rule(
        embargoed=True,
        country_groups=["E:1", "E:2"],
        arms_embargo=["RU"],
        arms_embargo_source="EU arms embargo",
    )
    assert _hits(rule, germany) == []


def test_destination_check_country_groups(germany):
    Party.objects.create(
        application=germany, role=Party.Role.THIRD_PARTY, name="Havana Port Agency", country="CU"
    )
    Party.objects.create(
        application=germany, role=Party.Role.THIRD_PARTY, name="Pyongyang Trading", country="KP"
    )

    hits = _hits(_rule(country_groups=["E:1", "E:2"]), germany)

    assert sorted(hit.fingerprint for hit in hits) == [
        "destination:group-E:1:KP",
        "destination:group-E:2:CU",
    ]
    assert all(hit.evidence["reason"] == "country_group" for hit in hits)
    assert _hits(_rule(country_groups=["D:1"]), germany)[0].fingerprint == (
        "destination:group-D:1:KP"
    )


def test_destination_check_arms_embargo_cites_its_source(germany):
    party = Party.objects.create(
        application=germany, role=Party.Role.END_USER, name="Minsk Optics", country="BY"
    )
    rule = _rule(arms_embargo=["BY", "RU"], arms_embargo_source="EU arms embargo on Belarus")

    [hit] = _hits(rule, germany)

    assert hit.fingerprint == "destination:arms-embargo:BY"
    assert hit.evidence["source"] == "EU arms embargo on Belarus"
    assert hit.party_id == party.pk
    assert "EU arms embargo on Belarus" in hit.summary


def test_destination_check_fingerprints_are_stable(world, control_data):
    application = make_draft(world, country="SY")
    rule = _rule(embargoed=True, country_groups=["E:1"])

    first = [hit.fingerprint for hit in _hits(rule, application)]

    assert first == [hit.fingerprint for hit in _hits(rule, application)]
    assert first == ["destination:embargoed:SY", "destination:group-E:1:SY"]
