"""The rule catalogue pages: list with figures and filters, detail with every version and its
precision, create and edit (a new version) with messages that keep what was typed."""

import json

import pytest
from django.urls import reverse

from screening.models import Flag, Rule
from screening.selectors_rules import rule_precision_list
from screening.services.rules import rule_catalogue_seed, rule_edit
from tests.licensing.factories import make_draft

from .factories import FlagFactory, RuleFactory, ScreeningRunFactory, days_from_today

Disposition = Flag.Disposition


def _flags(rule, application, *dispositions):
    run = ScreeningRunFactory(application=application)
    for disposition in dispositions:
        FlagFactory(run=run, rule=rule, disposition=disposition)


@pytest.fixture
def seeded(world):
    rule_catalogue_seed(owner=world.policy_admin)
    return world


def test_rule_precision_list_counts_dispositions_per_version(world):
    application = make_draft(world)
    live = RuleFactory(owner=world.policy_admin)
    _flags(
        live,
        application,
        Disposition.CONFIRMED,
        Disposition.CONFIRMED,
        Disposition.DISMISSED,
        Disposition.PENDING,
    )
    pilot = rule_edit(
        actor=world.policy_admin, rule=live, change_reason="pilot", mode=Rule.Mode.PILOT, weight=5
    )
    _flags(pilot, application, Disposition.DISMISSED, Disposition.PENDING)
    untouched = RuleFactory(owner=world.policy_admin)

    rows = {row["version"]: row for row in rule_precision_list(code=live.code)}

    assert rows[1]["raised"] == 4
    assert rows[1]["live"] == 4
    assert rows[1]["shadow"] == 0
    assert (rows[1]["disposed"], rows[1]["confirmed"], rows[1]["dismissed"]) == (3, 2, 1)
    assert rows[1]["precision"] == pytest.approx(2 / 3)
    assert (rows[2]["mode"], rows[2]["shadow"], rows[2]["live"]) == ("pilot", 2, 0)
    assert rows[2]["precision"] == 0.0
    [other] = rule_precision_list(code=untouched.code)
    assert (other["raised"], other["precision"]) == (0, None)


def test_rule_list_shows_rules_with_figures_and_filters(
    client, seeded, django_assert_max_num_queries
):
    world = seeded
    client.force_login(world.auditor)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("screening:rule_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "party-match-un" in body
    assert "end-use-kyc-unsure" in body
    assert "New rule" not in body  # auditors read only

    response = client.get(reverse("screening:rule_list"), {"kind": "provenance", "mode": "active"})
    codes = [rule.code for rule in response.context["rules"]]
    assert codes == [
        "provenance-earlier-refusals",
        "provenance-new-exporter",
        "provenance-party-in-refused-case",
    ]
    response = client.get(reverse("screening:rule_list"), {"mode": "pilot"})
    assert [rule.code for rule in response.context["rules"]] == ["end-use-kyc-unsure"]


def test_rule_detail_shows_every_version_and_precision(client, world):
    application = make_draft(world)
    rule = RuleFactory(owner=world.policy_admin, code="end-use-test")
    _flags(
        rule,
        application,
        Disposition.CONFIRMED,
        Disposition.DISMISSED,
        Disposition.DISMISSED,
        Disposition.DISMISSED,
    )
    rule_edit(actor=world.policy_admin, rule=rule, change_reason="Lighter weight", weight=10)
    client.force_login(world.policy_admin)

    response = client.get(reverse("screening:rule_detail", args=["end-use-test"]))

    body = response.content.decode()
    assert [version.version for version in response.context["versions"]] == [2, 1]
    assert 'data-testid="precision-v1">25%' in body
    assert 'data-testid="precision-v2">—' in body
    assert "Lighter weight" in body
    assert client.get(reverse("screening:rule_detail", args=["nope"])).status_code == 404


def _form(**overrides) -> dict:
    return {
        "code": "end-use-drones",
        "title": "Drones in the end use",
        "kind": "end_use",
        "parameters": json.dumps({"phrases": ["drone", "drones"]}),
        "weight": "25",
        "public_justification": "15 CFR 744.3 covers unmanned aerial vehicles.",
        "mode": "active",
        "effective_from": days_from_today(0).isoformat(),
        "sunset_on": days_from_today(365).isoformat(),
        **overrides,
    }


def test_rule_create_view_creates_a_rule(client, world):
    client.force_login(world.policy_admin)
    response = client.post(reverse("screening:rule_create"), _form(owner=world.policy_admin.pk))

    assert response.status_code == 302
    assert response.url == reverse("screening:rule_detail", args=["end-use-drones"])
    rule = Rule.objects.get(code="end-use-drones")
    assert (rule.version, rule.weight, rule.parameters["phrases"]) == (1, 25, ["drone", "drones"])


def test_rule_create_view_shows_parameter_errors_and_keeps_the_input(client, world):
    client.force_login(world.policy_admin)
    typed = '{"phrases": ["drone"], "due_diligence": {"bribes": "yes"}}'
    response = client.post(
        reverse("screening:rule_create"),
        _form(owner=world.policy_admin.pk, parameters=typed, title="Kept title"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["parameters"][0].startswith("due_diligence: Not a due-diligence question: bribes")
    body = response.content.decode()
    assert "Kept title" in body
    assert "bribes" in body  # the typed JSON is shown again
    assert not Rule.objects.exists()


def test_rule_create_view_reports_malformed_json(client, world):
    client.force_login(world.policy_admin)
    response = client.post(
        reverse("screening:rule_create"), _form(owner=world.policy_admin.pk, parameters="{phrases")
    )
    assert response.context["form"].errors["parameters"][0].startswith("Not valid JSON")


def test_rule_edit_view_makes_a_new_version(client, seeded):
    world = seeded
    client.force_login(world.policy_admin)
    url = reverse("screening:rule_edit", args=["partner-denial"])
    form = client.get(url).context["form"]
    data = {key: form[key].value() for key in form.fields}
    data.update(
        weight="60",
        change_reason="Raised after the annual review.",
        owner=world.policy_admin.pk,
        effective_from=days_from_today(0).isoformat(),
        sunset_on=days_from_today(700).isoformat(),
    )

    response = client.post(url, data)

    assert response.status_code == 302
    current = Rule.objects.get(code="partner-denial", status=Rule.Status.CURRENT)
    assert (current.version, current.weight) == (2, 60)
    assert current.change_reason == "Raised after the annual review."


def test_rule_edit_view_requires_a_change_reason_and_keeps_the_input(client, seeded):
    world = seeded
    client.force_login(world.policy_admin)
    url = reverse("screening:rule_edit", args=["partner-denial"])
    data = {
        "title": "Edited title",
        "parameters": '{"threshold": 0.95}',
        "weight": "60",
        "public_justification": "Because.",
        "mode": "pilot",
        "effective_from": days_from_today(0).isoformat(),
        "sunset_on": days_from_today(700).isoformat(),
        "owner": world.policy_admin.pk,
        "change_reason": "",
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert "change_reason" in response.context["form"].errors
    assert "Edited title" in response.content.decode()
    assert Rule.objects.filter(code="partner-denial").count() == 1


def test_rule_edit_view_reports_no_change(client, seeded):
    world = seeded
    client.force_login(world.policy_admin)
    url = reverse("screening:rule_edit", args=["partner-denial"])
    form = client.get(url).context["form"]
    data = {key: form[key].value() for key in form.fields}
    data.update(
        change_reason="No reason",
        owner=world.policy_admin.pk,
        effective_from=form["effective_from"].value().isoformat(),
        sunset_on=form["sunset_on"].value().isoformat(),
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert any("Nothing changed" in error for error in response.context["form"].non_field_errors())
