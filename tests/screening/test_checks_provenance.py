"""The provenance check: new exporters, earlier refusals, and parties seen in refused cases
(matched with the screening engine, not by exact spelling)."""

import datetime

from django.utils import timezone

from exportgov.accounts.models import Organisation
from licensing.models import Party
from licensing.services import cases as case_services
from screening.checks import check_run, context_build
from screening.models import Rule
from tests.licensing.factories import make_draft, make_refused, make_submitted

from .factories import RuleFactory


def _rule(**parameters) -> Rule:
    return RuleFactory(kind=Rule.Kind.PROVENANCE, parameters=parameters)


def _hits(rule, application):
    return check_run(rule=rule, context=context_build(application=application))


def _age(organisation, days: int) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


NEW_EXPORTER = {"signal": "new_exporter", "new_exporter_days": 90}


def test_provenance_check_first_submitted_application_is_a_new_exporter(world):
    _age(world.organisation, 1000)
    application = make_submitted(world)

    [hit] = _hits(_rule(**NEW_EXPORTER), application)

    assert hit.fingerprint == "provenance:new-exporter"
    assert hit.evidence["first_application"] is True
    assert hit.evidence["first_submitted_reference"] == application.reference


def test_provenance_check_established_exporter_with_earlier_applications_is_not_new(world):
    _age(world.organisation, 1000)
    make_submitted(world)
    second = make_submitted(world)

    assert _hits(_rule(**NEW_EXPORTER), second) == []


def test_provenance_check_young_organisation_is_a_new_exporter(world):
    _age(world.organisation, 10)
    make_submitted(world)
    second = make_submitted(world)

    [hit] = _hits(_rule(**NEW_EXPORTER), second)

    assert hit.evidence["first_application"] is False
    assert hit.evidence["age_days"] == 10


def test_provenance_check_earlier_refusals(world):
    refused = make_refused(world)
    draft = make_draft(world)

    [hit] = _hits(_rule(signal="earlier_refusals", min_refusals=1), draft)

    assert hit.fingerprint == "provenance:earlier-refusals"
    assert hit.evidence["references"] == [refused.reference]
    assert _hits(_rule(signal="earlier_refusals", min_refusals=2), draft) == []
    # The refused application itself does not count its own refusal.
    assert _hits(_rule(signal="earlier_refusals", min_refusals=1), refused) == []


def test_provenance_check_refusals_of_another_organisation_do_not_count(world):
    make_refused(world)
    other = make_draft(world, organisation=world.other_organisation, actor=world.other_exporter)

    assert _hits(_rule(signal="earlier_refusals", min_refusals=1), other) == []


def _refused_with_party(world, name: str, country: str = "GB"):
    draft = make_draft(world)
    Party.objects.create(application=draft, role=Party.Role.THIRD_PARTY, name=name, country=country)
    submitted = make_submitted(world, draft=draft)
    case_services.case_claim(actor=world.case_officer, application=submitted)
    return make_refused(world, application=submitted)


REFUSED_CASE = {"signal": "party_in_refused_case", "threshold": 0.9}


def test_provenance_check_party_in_refused_case_matches_with_the_engine(world):
    refused = _refused_with_party(world, "ACME Ltd")
    other = make_draft(world, organisation=world.other_organisation, actor=world.other_exporter)
    party = Party.objects.create(
        application=other, role=Party.Role.END_USER, name="Acme Limited", country="GB"
    )

    hits = [h for h in _hits(_rule(**REFUSED_CASE), other) if h.party_id == party.pk]

    [hit] = hits
    assert hit.fingerprint == f"provenance:refused-case:{party.pk}:{refused.reference}"
    assert hit.evidence["refused_reference"] == refused.reference
    assert hit.evidence["refused_party_name"] == "ACME Ltd"
    assert hit.evidence["name"] == "Acme Limited"
    assert hit.evidence["score"] >= 0.9
    assert hit.evidence["same_organisation"] is False


def test_provenance_check_party_in_refused_case_no_hit_for_other_names(world):
    _refused_with_party(world, "ACME Ltd")
    other = make_draft(world, organisation=world.other_organisation, actor=world.other_exporter)
    Party.objects.filter(application=other).update(name="Zenith Optical Works")

    assert _hits(_rule(**REFUSED_CASE), other) == []


def test_provenance_check_party_in_refused_case_ignores_the_case_itself(world):
    refused = _refused_with_party(world, "ACME Ltd")

    assert _hits(_rule(**REFUSED_CASE), refused) == []


def test_provenance_check_party_in_refused_case_sees_new_refusals(world):
    other = make_draft(world, organisation=world.other_organisation, actor=world.other_exporter)
    Party.objects.create(
        application=other, role=Party.Role.END_USER, name="Acme Limited", country="GB"
    )
    rule = _rule(**REFUSED_CASE)
    assert not [h for h in _hits(rule, other) if "ACME" in h.evidence["refused_party_name"]]

    _refused_with_party(world, "ACME Ltd")  # the per-process cache must notice

    first = [h.fingerprint for h in _hits(rule, other)]
    assert any(h for h in _hits(rule, other) if h.evidence["refused_party_name"] == "ACME Ltd")
    assert first == [h.fingerprint for h in _hits(rule, other)]
