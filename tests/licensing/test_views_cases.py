"""The officials' pages through the client: queues, the case page, and each action on a case."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from licensing import deadlines
from licensing.models import (
    Advice,
    Application,
    CaseNote,
    Consultation,
    LicenceCondition,
    Party,
    RefusalCriterion,
    Tier,
)
from licensing.services import applications as application_services
from licensing.services import cases as case_services

from . import factories

Status = Application.Status


def _url(name: str, **kwargs) -> str:
    return reverse(f"licensing:{name}", kwargs=kwargs)


def _signed_in(client, user):
    client.force_login(user)
    return client


def _refer(world, application) -> Consultation:
    (consultation,) = case_services.consultation_request(
        actor=world.case_officer,
        application=application,
        teams=[world.defence_team],
        question="Is this end user of concern to you?",
    )
    return consultation


def _clone_cases(template: Application, count: int, **fields) -> list[Application]:
    """`count` copies of a triaged case, each with two parties, written in bulk (for volume)."""
    clones = Application.objects.bulk_create(
        Application(
            reference=f"EG-VOL-{number:05d}",
            organisation=template.organisation,
            created_by=template.created_by,
            kind=template.kind,
            status=template.status,
            tier=template.tier,
            team=template.team,
            submitted_at=template.submitted_at,
            deadline_on=template.deadline_on,
            risk_score=number % 100,
            **fields,
        )
        for number in range(count)
    )
    Party.objects.bulk_create(
        Party(application=clone, role=role, name=f"{role} {clone.reference}", country=country)
        for clone in clones
        for role, country in ((Party.Role.CONSIGNEE, "DE"), (Party.Role.END_USER, "FR"))
    )
    return clones


# Catalogues -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_seed_has_conditions_and_refusal_criteria():
    # Browser tests flush the database, migrations' rows included: seed again (idempotent).
    seed = importlib.import_module("licensing.migrations.0002_catalogue_seed").seed
    seed(django_apps, None)
    seed(django_apps, None)

    assert LicenceCondition.objects.count() == 6
    assert LicenceCondition.objects.filter(code="no-reexport", active=True).exists()
    assert LicenceCondition.objects.filter(code="end-use-report-12-months").exists()
    assert RefusalCriterion.objects.filter(code="wmd-contribution", active=True).exists()
    assert all(criterion.description for criterion in RefusalCriterion.objects.all())


# Queues -----------------------------------------------------------------------------------


def test_case_triage_queue_lists_cases_with_their_columns(client, world, submitted):
    response = _signed_in(client, world.case_officer).get(_url("case_triage_queue"))

    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row.application == submitted
    assert row.destinations == ["Germany"]
    expected_left = deadlines.working_days_left(
        deadline=submitted.deadline_on, today=timezone.localdate()
    )
    assert row.clock.days_left == expected_left
    content = response.content.decode()
    for text in (submitted.reference, "Northwind Instruments Ltd", "Germany", "Medium"):
        assert text in content
    assert "Unassigned" in content
    assert f"{expected_left} working days left" in content
    assert _url("case_claim", pk=submitted.pk) in content


def test_case_triage_queue_shows_only_cases_in_triage(client, world, submitted):
    other = factories.make_under_review(world)

    response = _signed_in(client, world.senior_official).get(_url("case_triage_queue"))

    assert [row.application for row in response.context["rows"]] == [submitted]
    assert other.reference not in response.content.decode()


def test_case_triage_queue_sorts_riskiest_first_with_unscored_last(client, world, submitted):
    low, high = _clone_cases(submitted, 2)
    Application.objects.filter(pk=low.pk).update(risk_score=10)
    Application.objects.filter(pk=high.pk).update(risk_score=90)

    response = _signed_in(client, world.case_officer).get(_url("case_triage_queue"))

    assert [row.application.pk for row in response.context["rows"]] == [
        high.pk,
        low.pk,
        submitted.pk,
    ]
    assert "—" in response.content.decode()  # no risk score yet


def test_case_queue_is_read_only_for_auditors(client, world, submitted):
    response = _signed_in(client, world.auditor).get(_url("case_triage_queue"))

    assert response.status_code == 200
    assert submitted.reference in response.content.decode()
    assert _url("case_claim", pk=submitted.pk) not in response.content.decode()


@pytest.mark.parametrize("who", ["exporter", "advisor", "policy_admin"])
def test_case_queues_are_forbidden_to_non_reviewers(client, world, who):
    client.force_login(getattr(world, who))

    assert client.get(_url("case_queue")).status_code == 403
    assert client.get(_url("case_triage_queue")).status_code == 403


def test_case_queue_query_count_does_not_grow_with_rows(
    client, world, submitted, django_assert_num_queries
):
    clones = _clone_cases(submitted, 110)
    Application.objects.filter(pk__in=[c.pk for c in clones[::2]]).update(
        status=Status.UNDER_REVIEW, assigned_officer=world.case_officer
    )
    _signed_in(client, world.case_officer).get(_url("case_queue"))  # warm the session

    with CaptureQueriesContext(connection) as ten_rows:
        response = client.get(_url("case_queue"), {"page_size": 10})
    assert len(response.context["rows"]) == 10

    with django_assert_num_queries(len(ten_rows.captured_queries)):
        response = client.get(_url("case_queue"), {"page_size": 100})
    assert len(response.context["rows"]) == 100
    clone_row = next(r for r in response.context["rows"] if r.application.pk == clones[1].pk)
    assert clone_row.destinations == ["France", "Germany"]
    assert len(ten_rows.captured_queries) <= 15


def test_case_triage_queue_query_count_does_not_grow_with_rows(
    client, world, submitted, django_assert_num_queries
):
    _clone_cases(submitted, 105)
    _signed_in(client, world.case_officer).get(_url("case_triage_queue"))

    with CaptureQueriesContext(connection) as ten_rows:
        client.get(_url("case_triage_queue"), {"page_size": 10})
    with django_assert_num_queries(len(ten_rows.captured_queries)):
        response = client.get(_url("case_triage_queue"), {"page_size": 100})
    assert len(response.context["rows"]) == 100


def test_case_queue_pages_by_25_and_page_size_is_capped_at_100(client, world, submitted):
    _clone_cases(submitted, 130)
    client = _signed_in(client, world.case_officer)

    assert len(client.get(_url("case_queue")).context["rows"]) == 25
    assert len(client.get(_url("case_queue"), {"page_size": 500}).context["rows"]) == 100
    assert len(client.get(_url("case_queue"), {"page_size": "lots"}).context["rows"]) == 25
    last = client.get(_url("case_queue"), {"page_size": 100, "page": 2})
    assert len(last.context["rows"]) == 31


def test_case_queue_filter_presets_mine_and_unassigned(client, world, submitted):
    mine = factories.make_under_review(world)
    theirs = factories.make_under_review(world, officer=world.senior_official)
    client = _signed_in(client, world.case_officer)

    def listed(**params):
        response = client.get(_url("case_queue"), params)
        return {row.application.pk for row in response.context["rows"]}

    assert listed() == {submitted.pk, mine.pk, theirs.pk}
    assert listed(assigned="mine") == {mine.pk}
    assert listed(assigned="unassigned") == {submitted.pk}
    assert listed(status=Status.UNDER_REVIEW) == {mine.pk, theirs.pk}


def test_case_queue_excludes_decided_and_withdrawn_cases(client, world, approved):
    submitted = factories.make_submitted(world)
    withdrawn = factories.make_submitted(world)
    application_services.application_withdraw(actor=world.exporter, application=withdrawn)

    response = _signed_in(client, world.case_officer).get(_url("case_queue"))

    listed = {row.application.pk for row in response.context["rows"]}
    assert submitted.pk in listed
    assert approved.pk not in listed
    assert withdrawn.pk not in listed


def test_case_queue_filters_tier_country_and_applicant(client, world, submitted):
    french = factories.make_submitted(world, draft=factories.make_draft(world, country="FR"))
    Application.objects.filter(pk=french.pk).update(tier=Tier.HIGH)
    southwind = factories.make_draft(
        world, actor=world.other_exporter, organisation=world.other_organisation
    )
    application_services.application_submit(actor=world.other_exporter, application=southwind)
    factories.screen_queued(southwind)  # what the worker does once the submission commits
    client = _signed_in(client, world.case_officer)

    def listed(**params):
        response = client.get(_url("case_queue"), params)
        return {row.application.pk for row in response.context["rows"]}

    assert listed(tier=Tier.HIGH) == {french.pk}
    assert listed(country="FR") == {french.pk}
    assert listed(country="DE") == {submitted.pk, southwind.pk}
    assert listed(organisation="southwind") == {southwind.pk}


def test_case_queue_filters_and_highlights_overdue_and_due_soon(client, world, submitted):
    today = timezone.localdate()
    overdue, due_soon, paused = _clone_cases(submitted, 3)
    Application.objects.filter(pk=overdue.pk).update(deadline_on=today - timedelta(days=7))
    Application.objects.filter(pk=due_soon.pk).update(
        deadline_on=deadlines.add_working_days(today, 2)
    )
    Application.objects.filter(pk=paused.pk).update(
        deadline_on=today - timedelta(days=7), clock_paused_since=today
    )
    client = _signed_in(client, world.case_officer)

    def listed(**params):
        response = client.get(_url("case_queue"), params)
        return {row.application.pk for row in response.context["rows"]}

    assert listed(deadline="overdue") == {overdue.pk}
    assert listed(deadline="due_soon") == {due_soon.pk}

    content = client.get(_url("case_queue")).content.decode()
    assert 'class="usa-tag bg-error"' in content
    assert "Overdue by" in content
    assert 'class="usa-tag bg-warning text-ink">2 working days left' in content
    assert ">paused<" in content


def test_case_queue_sorts_by_whitelisted_keys_only(client, world, submitted):
    first, second = _clone_cases(submitted, 2)
    client = _signed_in(client, world.case_officer)

    def order(sort):
        response = client.get(_url("case_queue"), {"sort": sort})
        return [row.application.reference for row in response.context["rows"]]

    references = sorted([submitted.reference, first.reference, second.reference])
    assert order("reference") == references
    assert order("-reference") == references[::-1]
    assert order("-risk")[:2] == [first.reference, second.reference]  # risk 0, 1; none last
    response = client.get(_url("case_queue"), {"sort": "organisation__members__password"})
    assert response.status_code == 200
    assert response.context["filter"].errors  # refused, and the default order is kept
    assert len(response.context["rows"]) == 3


def test_case_queue_htmx_request_gets_only_the_results(client, world, submitted):
    response = _signed_in(client, world.case_officer).get(
        _url("case_queue"), HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results"')
    assert submitted.reference in content


def test_advisor_queue_lists_only_consultations_of_their_body(client, world, under_review):
    consultation = _refer(world, under_review)
    not_referred = factories.make_under_review(world)

    response = _signed_in(client, world.advisor).get(_url("advisor_queue"))

    assert list(response.context["page"].object_list) == [consultation]
    content = response.content.decode()
    assert under_review.reference in content
    assert not_referred.reference not in content


# The case page ----------------------------------------------------------------------------


def test_case_detail_shows_everything_about_the_case(client, world, under_review):
    case_services.case_note_add(
        actor=world.case_officer, application=under_review, text="Website checks out."
    )

    response = _signed_in(client, world.case_officer).get(_url("case_detail", pk=under_review.pk))

    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        under_review.reference,
        "Under review",
        "Analogue-to-digital converter boards",
        "3A001.b.2",
        "Landessternwarte Königstuhl",
        "Messtechnik Handel GmbH",
        "Calibration of radio telescopes",
        "Has the customer been reluctant",
        "undertaking.pdf",
        "No screening flags: screening has not run for this case.",
        "Website checks out.",
        "Review started",
    ):
        assert text in content, text
    assert response.context["can"].recommend
    assert response.context["forms"]["request_information"] is not None


def _add_case_history(world, application, rounds: int) -> None:
    """Notes, answered requests for information and advice revisions, `rounds` of each."""
    for number in range(rounds):
        case_services.case_note_add(
            actor=world.case_officer, application=application, text=f"Note {number}"
        )
        request = case_services.information_request_create(
            actor=world.case_officer, application=application, question=f"Question {number}"
        )
        factories.upload_document(
            actor=world.exporter,
            application=application,
            kind="information",
            name=f"answer-{number}.pdf",
            information_request=request,
        )
        case_services.information_request_answer(
            actor=world.exporter, request=request, answer=f"Answer {number}"
        )
        consultation = _refer(world, application)
        case_services.advice_give(
            actor=world.advisor, consultation=consultation, outcome="objection", rationale="No."
        )
        case_services.advice_give(
            actor=world.advisor, consultation=consultation, outcome="no_objection", rationale="Ok"
        )


def test_case_detail_query_count_does_not_grow_with_history(
    client, world, django_assert_num_queries
):
    small, large = factories.make_under_review(world), factories.make_under_review(world)
    _add_case_history(world, small, 1)
    _add_case_history(world, large, 6)
    _signed_in(client, world.case_officer).get(_url("case_detail", pk=small.pk))

    with CaptureQueriesContext(connection) as small_page:
        client.get(_url("case_detail", pk=small.pk))
    with django_assert_num_queries(len(small_page.captured_queries)):
        response = client.get(_url("case_detail", pk=large.pk))
    assert response.content.decode().count('data-testid="consultation"') == 6


@pytest.mark.parametrize("who", ["exporter", "colleague", "other_exporter", "policy_admin"])
def test_case_detail_is_forbidden_to_non_officials(client, world, submitted, who):
    response = _signed_in(client, getattr(world, who)).get(_url("case_detail", pk=submitted.pk))

    assert response.status_code == 403
    assert submitted.reference not in response.content.decode()


def test_case_detail_of_a_draft_is_not_found(client, world, draft):
    response = _signed_in(client, world.case_officer).get(_url("case_detail", pk=draft.pk))

    assert response.status_code == 404


def test_advisor_sees_a_case_only_once_referred_and_never_the_notes(client, world, under_review):
    case_services.case_note_add(
        actor=world.case_officer, application=under_review, text="Internal remark."
    )
    client = _signed_in(client, world.advisor)
    assert client.get(_url("case_detail", pk=under_review.pk)).status_code == 404

    _refer(world, under_review)
    response = client.get(_url("case_detail", pk=under_review.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Is this end user of concern to you?" in content
    assert "Internal remark." not in content
    assert "Give your body's advice" in content
    assert response.context["forms"]["recommend"] is None


def test_case_detail_shows_only_the_forms_the_user_can_use(client, world, submitted):
    officer = _signed_in(client, world.case_officer).get(_url("case_detail", pk=submitted.pk))
    assert officer.context["can"].claim
    assert officer.context["forms"]["recommend"] is None
    assert officer.context["forms"]["request_information"] is None

    client.force_login(world.auditor)
    auditor = client.get(_url("case_detail", pk=submitted.pk))
    assert not any(auditor.context["forms"].values())
    assert not auditor.context["can"].claim
    assert "Claim this case" not in auditor.content.decode()


# Actions ----------------------------------------------------------------------------------


def test_case_claim_starts_review_and_a_second_claim_is_refused(client, world, submitted):
    response = _signed_in(client, world.case_officer).post(_url("case_claim", pk=submitted.pk))

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.UNDER_REVIEW
    assert submitted.assigned_officer == world.case_officer

    client.force_login(world.senior_official)
    response = client.post(_url("case_claim", pk=submitted.pk))
    assert response.status_code == 400
    assert "already been claimed by" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.assigned_officer == world.case_officer


def test_case_claim_is_forbidden_to_auditors_with_the_reason(client, world, submitted):
    response = _signed_in(client, world.auditor).post(_url("case_claim", pk=submitted.pk))

    assert response.status_code == 403
    assert "You are not allowed to do this" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.TRIAGE


def test_case_assign_to_another_officer(client, world, under_review):
    response = _signed_in(client, world.case_officer).post(
        _url("case_assign", pk=under_review.pk), {"officer": world.senior_official.pk}
    )

    assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.assigned_officer == world.senior_official


def test_case_assign_offers_only_officials_who_review(client, world, under_review):
    response = _signed_in(client, world.case_officer).get(_url("case_detail", pk=under_review.pk))

    offered = set(response.context["forms"]["assign"].fields["officer"].queryset)
    assert offered == {world.case_officer, world.senior_official}

    response = client.post(_url("case_assign", pk=under_review.pk), {"officer": world.advisor.pk})
    assert response.status_code == 400
    under_review.refresh_from_db()
    assert under_review.assigned_officer == world.case_officer


def test_case_note_add_keeps_notes_for_officials(client, world, under_review):
    response = _signed_in(client, world.case_officer).post(
        _url("case_note_add", pk=under_review.pk), {"text": "Phoned the consignee."}
    )

    assert response.status_code == 302
    assert response.url.endswith("#notes")
    assert CaseNote.objects.get(application=under_review).text == "Phoned the consignee."


def test_case_note_add_by_htmx_returns_the_notes_section(client, world, under_review):
    response = _signed_in(client, world.case_officer).post(
        _url("case_note_add", pk=under_review.pk),
        {"text": "Second opinion wanted."},
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="notes"')
    assert "Second opinion wanted." in content


def test_case_request_information_pauses_the_clock_and_shows_the_answer(
    client, world, under_review
):
    client = _signed_in(client, world.case_officer)
    response = client.post(
        _url("case_request_information", pk=under_review.pk),
        {"question": "Send the signed purchase order."},
    )
    assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.status == Status.INFO_REQUESTED

    page = client.get(_url("case_detail", pk=under_review.pk)).content.decode()
    assert "Send the signed purchase order." in page
    assert "Waiting for the exporter" in page
    assert ">paused<" in page

    case_services.information_request_answer(
        actor=world.exporter,
        request=under_review.information_requests.get(),
        answer="Attached is the order.",
    )
    page = client.get(_url("case_detail", pk=under_review.pk)).content.decode()
    assert "Attached is the order." in page


def test_service_refusal_is_shown_and_typed_input_kept(client, world, submitted):
    """The form is not offered in triage; a POST anyway gets the service's message back."""
    response = _signed_in(client, world.case_officer).post(
        _url("case_request_information", pk=submitted.pk),
        {"question": "My carefully typed question"},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "This cannot be done while the application is awaiting triage." in content
    assert submitted.information_requests.count() == 0


def test_case_refer_consult_advise_revise_and_end(client, world, under_review):
    client = _signed_in(client, world.case_officer)
    response = client.post(
        _url("case_refer", pk=under_review.pk),
        {"teams": [world.defence_team.pk], "question": "Any objection?"},
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get(application=under_review)

    client.force_login(world.advisor)
    response = client.post(
        _url("consultation_advise", pk=consultation.pk),
        {"outcome": "objection", "rationale": "Dual-use concern."},
    )
    assert response.status_code == 302
    response = client.post(
        _url("consultation_advise", pk=consultation.pk),
        {"outcome": "no_objection", "rationale": "Concern resolved with the end user."},
    )
    assert response.status_code == 302
    first, revision = Advice.objects.filter(consultation=consultation).order_by("id")
    assert revision.supersedes == first

    client.force_login(world.case_officer)
    page = client.get(_url("case_detail", pk=under_review.pk)).content.decode()
    assert "Advice: No objection" in page
    assert "(a revision)" in page
    assert "Dual-use concern." in page  # the earlier advice stays visible
    under_review.refresh_from_db()
    assert under_review.status == Status.UNDER_REVIEW  # every body answered


def test_case_refer_requires_an_advisory_body(client, world, under_review):
    response = _signed_in(client, world.case_officer).post(
        _url("case_refer", pk=under_review.pk), {"question": "Any objection?"}
    )

    assert response.status_code == 400
    assert "Choose at least one advisory body." in response.content.decode()
    assert "Any objection?" in response.content.decode()


def test_case_end_consultation_resumes_review(client, world, under_review):
    _refer(world, under_review)

    response = _signed_in(client, world.case_officer).post(
        _url("case_end_consultation", pk=under_review.pk)
    )

    assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.status == Status.UNDER_REVIEW


def test_consultation_advise_is_only_for_the_consulted_body(client, world, under_review):
    consultation = _refer(world, under_review)

    response = _signed_in(client, world.case_officer).post(
        _url("consultation_advise", pk=consultation.pk),
        {"outcome": "no_objection", "rationale": "Fine."},
    )

    assert response.status_code == 403
    assert not Advice.objects.exists()


def test_case_recommend_approve_with_catalogue_and_written_conditions(client, world, under_review):
    condition = factories.LicenceConditionFactory(code="no-reexport")

    response = _signed_in(client, world.case_officer).post(
        _url("case_recommend", pk=under_review.pk),
        {
            "outcome": "approve",
            "conditions": [condition.pk],
            "custom_conditions": "Ship only by air freight.",
            "explanation": "Civil observatory.",
        },
    )

    assert response.status_code == 302
    recommendation = under_review.recommendations.get()
    assert list(recommendation.conditions.all()) == [condition]
    assert recommendation.custom_conditions == "Ship only by air freight."
    under_review.refresh_from_db()
    assert under_review.status == Status.RECOMMENDED


def test_case_recommend_refuse_needs_grounds(client, world, under_review):
    client = _signed_in(client, world.case_officer)
    response = client.post(
        _url("case_recommend", pk=under_review.pk),
        {"outcome": "refuse", "explanation": "Diversion risk."},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Choose at least one refusal criterion as the grounds." in content
    assert "Diversion risk." in content  # what was typed is kept

    criterion = factories.RefusalCriterionFactory(code="diversion-risk")
    response = client.post(
        _url("case_recommend", pk=under_review.pk),
        {"outcome": "refuse", "refusal_criteria": [criterion.pk], "explanation": "Diversion."},
    )
    assert response.status_code == 302
    assert list(under_review.recommendations.get().refusal_criteria.all()) == [criterion]


def test_case_decide_medium_tier_refused_to_the_case_officer(client, world, recommended_approve):
    response = _signed_in(client, world.case_officer).post(
        _url("case_decide", pk=recommended_approve.pk), {"explanation": ""}
    )

    assert response.status_code == 403
    assert "Only a senior official can decide this case." in response.content.decode()
    recommended_approve.refresh_from_db()
    assert recommended_approve.status == Status.RECOMMENDED


def test_case_decide_four_eyes_stops_a_senior_recommender(client, world):
    application = factories.make_recommended_approve(
        world, officer=world.senior_official, tier=Tier.MEDIUM
    )
    client = _signed_in(client, world.senior_official)

    page = client.get(_url("case_detail", pk=application.pk))
    assert page.context["forms"]["decide"] is None
    assert "You made this recommendation" in page.content.decode()

    response = client.post(_url("case_decide", pk=application.pk), {"explanation": "Typed."})
    assert response.status_code == 400
    assert "Four eyes" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.RECOMMENDED


def test_case_decide_approves_and_issues_the_licence(client, world, recommended_approve):
    client = _signed_in(client, world.senior_official)
    page = client.get(_url("case_detail", pk=recommended_approve.pk)).content.decode()
    assert "Medium tier, four eyes" in page
    assert "Approve as recommended" in page

    response = client.post(
        _url("case_decide", pk=recommended_approve.pk), {"explanation": "Agreed."}
    )

    assert response.status_code == 302
    recommended_approve.refresh_from_db()
    assert recommended_approve.status == Status.APPROVED
    page = client.get(_url("case_detail", pk=recommended_approve.pk)).content.decode()
    assert recommended_approve.licence.number in page


def test_case_decide_refusal_shows_the_grounds(client, world, recommended_refuse):
    client = _signed_in(client, world.senior_official)
    response = client.post(_url("case_decide", pk=recommended_refuse.pk), {"explanation": ""})

    assert response.status_code == 302
    recommended_refuse.refresh_from_db()
    assert recommended_refuse.status == Status.REFUSED
    page = client.get(_url("case_detail", pk=recommended_refuse.pk)).content.decode()
    assert "Refused by" in page
    assert recommended_refuse.decision.grounds[0]["title"] in page


def test_case_decide_low_tier_by_the_recommending_officer(client, world):
    application = factories.make_recommended_approve(world, tier=Tier.LOW)

    response = _signed_in(client, world.case_officer).post(
        _url("case_decide", pk=application.pk), {"explanation": ""}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_case_decide_high_tier_needs_an_answered_consultation(client, world):
    application = factories.make_recommended_approve(world, tier=Tier.HIGH)
    client = _signed_in(client, world.senior_official)

    page = client.get(_url("case_detail", pk=application.pk))
    assert "No consultation has been answered yet" in page.content.decode()

    response = client.post(_url("case_decide", pk=application.pk), {"explanation": ""})
    assert response.status_code == 400
    assert "needs at least one answered consultation" in response.content.decode()


def test_case_return_sends_the_case_back(client, world, recommended_approve):
    client = _signed_in(client, world.senior_official)
    response = client.post(
        _url("case_return", pk=recommended_approve.pk), {"reason": "Check the consignee."}
    )

    assert response.status_code == 302
    recommended_approve.refresh_from_db()
    assert recommended_approve.status == Status.UNDER_REVIEW
    page = client.get(_url("case_detail", pk=recommended_approve.pk)).content.decode()
    assert "(earlier)" in page


def test_case_return_needs_a_reason_and_a_senior_official(client, world, recommended_approve):
    client = _signed_in(client, world.senior_official)
    assert client.post(_url("case_return", pk=recommended_approve.pk), {}).status_code == 400

    client.force_login(world.case_officer)
    response = client.post(_url("case_return", pk=recommended_approve.pk), {"reason": "No."})
    assert response.status_code == 403
    recommended_approve.refresh_from_db()
    assert recommended_approve.status == Status.RECOMMENDED
