"""The licence_requirement check, through the licence determination on the real control data."""

import pytest

from licensing.models import Item
from screening.checks import check_run, context_build
from screening.controls.determination import licence_determine
from screening.models import Rule
from tests.licensing.factories import make_draft

from .factories import RuleFactory


def _rule(**parameters) -> Rule:
    return RuleFactory(kind=Rule.Kind.LICENCE_REQUIREMENT, parameters=parameters)


def _hits(rule, application):
    return check_run(rule=rule, context=context_build(application=application))


def test_licence_requirement_check_hits_when_the_chart_requires_a_licence(world, control_data):
    application = make_draft(world, country="CN")  # 3A001.b.2 to China: NS 2 has an X
    item = application.items.get()

    [hit] = _hits(_rule(flag_refer=False), application)

    assert hit.fingerprint == f"licence:item:{item.pk}:CN"
    assert hit.item_id == item.pk
    assert hit.evidence["licence_required"] is True
    assert "NS2" in [reason["reason"] for reason in hit.evidence["reasons"]]
    assert all(reason["required"] in (True, "refer") for reason in hit.evidence["reasons"])
    assert hit.evidence["citations"]
    assert hit.evidence["data_version"]["country_chart"].startswith("country_chart:")


def test_licence_requirement_check_no_hit_when_no_licence_is_required(world, control_data):
    application = make_draft(world, country="DE", item={"control_code": "EAR99"})
    assert licence_determine(control_code="EAR99", destination="DE").licence_required is False

    assert _hits(_rule(flag_refer=True), application) == []


def test_licence_requirement_check_refer_only_when_asked(world, control_data):
    application = make_draft(world, country="IR")  # embargoed: the chart says "refer"
    assert licence_determine(control_code="3A001.b.2", destination="IR").licence_required == (
        "refer"
    )

    assert _hits(_rule(flag_refer=False), application) == []
    [hit] = _hits(_rule(flag_refer=True), application)
    assert hit.evidence["licence_required"] == "refer"
    assert "refer" in hit.summary


def test_licence_requirement_check_items_without_a_code_are_skipped(world, control_data):
    application = make_draft(world, country="CN")
    Item.objects.filter(application=application).update(control_code="")

    assert _hits(_rule(), application) == []


def test_licence_requirement_check_fingerprints_are_stable(world, control_data):
    application = make_draft(world, country="CN")
    rule = _rule()

    first = [hit.fingerprint for hit in _hits(rule, application)]

    assert first
    assert first == [hit.fingerprint for hit in _hits(rule, application)]


@pytest.mark.parametrize("destination", ["CN", "RU"])
def test_licence_requirement_check_follows_the_determination(world, control_data, destination):
    application = make_draft(world, country=destination)
    expected = licence_determine(control_code="3A001.b.2", destination=destination)

    hits = _hits(_rule(), application)

    assert bool(hits) == (expected.licence_required is True)
