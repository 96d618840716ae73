"""Sunset reviews of control datasets, with frozen time: opening ahead of the sunset (all policy
admins told), lapse with no decision (and the licence check then refers every item to an
official), renew / retire / amend decisions with their notices, and the review pages with the
trend chart (for rules too)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format

from exportgov.audit.models import AuditEvent
from exportgov.notifications.models import Notification
from screening.checks import check_run, context_build
from screening.models import ControlDataset, Flag, PublicNotice, Rule, SunsetReview
from screening.services.reviews import (
    control_datasets_lapse_due,
    sunset_review_decide,
    sunset_reviews_open_due,
)
from tests.licensing.factories import make_draft
from tests.screening.factories import FlagFactory, RuleFactory, ScreeningRunFactory

from .factories import PolicyAdminFactory

Kind = PublicNotice.Kind
Status = ControlDataset.Status
UTC = datetime.UTC


def _at(day: datetime.date, hour: int = 9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), UTC), tick=False)


def _sunset_soon(dataset: ControlDataset, sunset: datetime.date) -> ControlDataset:
    ControlDataset.objects.filter(pk=dataset.pk).update(sunset_on=sunset)
    dataset.refresh_from_db()
    return dataset


def _open_review(dataset: ControlDataset) -> SunsetReview:
    with _at(dataset.sunset_on - datetime.timedelta(days=30)):
        assert sunset_reviews_open_due() == 1
    return SunsetReview.objects.get(control_dataset=dataset, status=SunsetReview.Status.OPEN)


@pytest.fixture
def chart(world, control_data) -> ControlDataset:
    """The Country Chart, its sunset set a year from a fixed day for frozen-time tests."""
    return _sunset_soon(control_data[ControlDataset.Kind.COUNTRY_CHART], datetime.date(2027, 6, 30))


def test_import_gives_control_data_a_sunset_and_a_public_justification(world, control_data):
    dataset = control_data[ControlDataset.Kind.CCL]
    assert dataset.effective_from is not None
    assert (dataset.sunset_on - dataset.effective_from).days == 365
    assert dataset.citation in dataset.justification


def test_reviews_of_control_data_open_60_days_ahead_and_tell_every_policy_admin(world, chart):
    second_admin = PolicyAdminFactory()
    with _at(chart.sunset_on - datetime.timedelta(days=61)):
        assert sunset_reviews_open_due() == 0
    with _at(chart.sunset_on - datetime.timedelta(days=60)):
        assert sunset_reviews_open_due() == 1
        assert sunset_reviews_open_due() == 0

    review = SunsetReview.objects.get(control_dataset=chart)
    assert (review.rule, review.due_on) == (None, chart.sunset_on)
    told = Notification.objects.filter(subject__startswith="Sunset review of")
    assert set(told.values_list("recipient", flat=True)) == {world.policy_admin.pk, second_admin.pk}
    assert "US Commerce Country Chart" in told.first().subject
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.SUNSET_REVIEW_OPENED).count() == 1


def test_the_database_allows_one_open_review_per_dataset(world, chart):
    _open_review(chart)
    with pytest.raises(Exception, match="one_open_per_dataset"):
        SunsetReview.objects.create(
            control_dataset=chart, opened_on=chart.sunset_on, due_on=chart.sunset_on
        )


def test_a_review_has_exactly_one_subject(world, chart):
    rule = RuleFactory(owner=world.policy_admin)
    with pytest.raises(Exception, match="one_subject"):
        SunsetReview.objects.create(
            rule=rule, control_dataset=chart, opened_on=chart.sunset_on, due_on=chart.sunset_on
        )


def test_lapsed_control_data_is_no_longer_applied_and_the_licence_check_refers(world, control_data):
    ccl = _sunset_soon(control_data[ControlDataset.Kind.CCL], datetime.date(2027, 6, 30))
    review = _open_review(ccl)
    rule = RuleFactory(kind=Rule.Kind.LICENCE_REQUIREMENT, parameters={"flag_refer": False})
    application = make_draft(world, country="DE", item={"control_code": "EAR99"})

    with _at(ccl.sunset_on):
        assert control_datasets_lapse_due() == 0  # in force on its sunset day
        assert check_run(rule=rule, context=context_build(application=application)) == []
    with _at(ccl.sunset_on + datetime.timedelta(days=1)):
        assert control_datasets_lapse_due() == 1
        assert control_datasets_lapse_due() == 0
        [hit] = check_run(rule=rule, context=context_build(application=application))

    ccl.refresh_from_db()
    review.refresh_from_db()
    assert (ccl.status, review.status) == (Status.LAPSED, SunsetReview.Status.LAPSED)
    assert hit.evidence["licence_required"] == "refer"
    assert "no control data in force" in hit.summary
    notice = PublicNotice.objects.get(kind=Kind.CONTROL_DATA_LAPSED)
    assert notice.control_dataset == ccl
    assert "no longer applied" in notice.summary
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.CONTROL_DATA_LAPSED)
    assert event.payload["reviews_lapsed"] == [review.pk]


def test_renewing_control_data_moves_its_sunset_and_publishes(world, chart):
    review = _open_review(chart)
    new_sunset = datetime.date(2028, 6, 30)
    with _at(datetime.date(2027, 6, 1)):
        sunset_review_decide(
            actor=world.policy_admin,
            review=review,
            decision="renew",
            justification="The chart is still the edition in force.",
            new_sunset_on=new_sunset,
        )
    with _at(datetime.date(2027, 7, 1)):
        assert control_datasets_lapse_due() == 0
    chart.refresh_from_db()
    assert (chart.status, chart.sunset_on) == (Status.ACTIVE, new_sunset)
    notice = PublicNotice.objects.get(kind=Kind.CONTROL_DATA_RENEWED)
    assert notice.justification == "The chart is still the edition in force."
    assert "30 June 2028" in notice.summary


def test_control_data_notices_name_the_edition_and_say_what_changed(world, chart):
    name = (
        f"The {chart.get_kind_display()} ({chart.citation}, issued "
        f"{date_format(chart.issue_date, 'j F Y')})"
    )
    review = _open_review(chart)
    with _at(datetime.date(2027, 6, 1)):
        sunset_review_decide(
            actor=world.policy_admin,
            review=review,
            decision="renew",
            justification="Still the edition in force.",
            new_sunset_on=datetime.date(2028, 6, 30),
        )
    with _at(datetime.date(2028, 7, 1)):
        control_datasets_lapse_due()  # the other datasets' sunsets have passed too

    renewed = PublicNotice.objects.get(kind=Kind.CONTROL_DATA_RENEWED)
    lapsed = PublicNotice.objects.get(kind=Kind.CONTROL_DATA_LAPSED, control_dataset=chart)
    assert renewed.summary == (
        f"{name} was reviewed and renewed: it now applies until 30 June 2028 (previously "
        "30 June 2027)."
    )
    assert lapsed.summary == (
        f"{name} reached its sunset on 30 June 2028 without being renewed: it is no longer "
        "applied, and checks that need it refer cases to an official."
    )


def test_retiring_control_data_stops_applying_it(world, chart):
    review = _open_review(chart)
    with _at(datetime.date(2027, 6, 1)):
        sunset_review_decide(
            actor=world.policy_admin,
            review=review,
            decision="retire",
            justification="Replaced by the national list.",
        )
    chart.refresh_from_db()
    assert chart.status == Status.RETIRED
    assert not ControlDataset.objects.filter(kind=chart.kind, status=Status.ACTIVE).exists()
    assert PublicNotice.objects.get(kind=Kind.CONTROL_DATA_RETIRED).control_dataset == chart


def test_control_data_cannot_be_promoted(world, chart):
    review = _open_review(chart)
    with pytest.raises(ValidationError) as error, _at(datetime.date(2027, 6, 1)):
        sunset_review_decide(
            actor=world.policy_admin, review=review, decision="promote", justification="x"
        )
    assert "decision" in error.value.message_dict


def test_amending_control_data_points_to_the_import(world, chart, client):
    review = _open_review(chart)
    url = reverse("screening:sunset_review_detail", args=[review.pk])
    with _at(datetime.date(2027, 6, 1)):
        client.force_login(world.policy_admin)
        response = client.post(url, {"decision": "amend", "justification": "New edition out."})
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:control_dataset_list")
    review.refresh_from_db()
    chart.refresh_from_db()
    assert (review.decision, chart.status) == ("amend", Status.ACTIVE)


def test_control_data_review_page_shows_its_evidence(world, chart, client):
    review = _open_review(chart)
    rule = RuleFactory(kind=Rule.Kind.LICENCE_REQUIREMENT, owner=world.policy_admin)
    run = ScreeningRunFactory(application=make_draft(world))
    run.control_datasets.add(chart)
    FlagFactory(run=run, rule=rule, disposition=Flag.Disposition.CONFIRMED)
    FlagFactory(run=run, rule=rule, disposition=Flag.Disposition.DISMISSED)
    FlagFactory(run=ScreeningRunFactory(application=make_draft(world)), rule=rule)  # other data

    client.force_login(world.auditor)
    queue = client.get(reverse("screening:sunset_review_queue")).content.decode()
    assert "Control data: US Commerce Country Chart" in queue
    response = client.get(reverse("screening:sunset_review_detail", args=[review.pk]))
    evidence = response.context["evidence"]
    assert evidence["runs"] == 1
    assert (evidence["figures"]["live"], evidence["figures"]["precision_percent"]) == (2, 50)
    body = response.content.decode()
    assert "1 screening run applied this data" in body
    assert 'data-testid="chart"' in body


def test_rule_review_page_draws_the_trend_as_a_chart_with_the_table(world, client):
    rule = RuleFactory(owner=world.policy_admin, sunset_on=datetime.date(2027, 6, 30))
    with _at(datetime.date(2027, 5, 1)):
        sunset_reviews_open_due()
    review = SunsetReview.objects.get(rule=rule)
    run = ScreeningRunFactory(application=make_draft(world))
    with _at(datetime.date(2027, 3, 10)):
        FlagFactory(run=run, rule=rule, disposition=Flag.Disposition.CONFIRMED)
    with _at(datetime.date(2027, 4, 10)):
        FlagFactory(run=run, rule=rule)
        FlagFactory(run=run, rule=rule, disposition=Flag.Disposition.DISMISSED)

    client.force_login(world.policy_admin)
    response = client.get(reverse("screening:sunset_review_detail", args=[review.pk]))
    chart = response.context["evidence"]["trend_chart"]
    assert [label.text for label in chart.labels] == ["2027-03", "2027-04"]
    live = [bar.label for bar in chart.bars if "Live flags" in bar.label]
    assert live == ["2027-03, Live flags: 1", "2027-04, Live flags: 2"]
    body = response.content.decode()
    assert body.count('data-testid="chart"') == 1
    assert 'data-testid="review-trend"' in body  # the same figures as a table
