"""The appeals pages through the test client: the appellant's (start, draft, lodge, answer,
withdraw), the reviewers' (queue, appeal page, lateness, assignment, questions, decision), and
the links from the case pages, each as a permitted and a forbidden user."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from appeals import services
from appeals.models import Appeal
from exportgov.accounts.roles import Role
from exportgov.audit.models import AuditEvent
from licensing.models import Application, Licence
from licensing.services import licences as licence_services
from tests.licensing import factories as licensing

from . import factories

Status = Appeal.Status
Ground = Appeal.Ground


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(name: str, **kwargs) -> str:
    return reverse(f"appeals:{name}", kwargs=kwargs)


def _signed_in(client, user):
    client.force_login(user)
    return client


def _draft_url(appeal: Appeal) -> str:
    return _url("appeal_detail", pk=appeal.pk)


def _start(client, world, application: Application) -> Appeal:
    response = _signed_in(client, world.exporter).post(
        _url("appeal_start", pk=application.pk), {"subject": Appeal.Subject.REFUSAL}
    )
    appeal = Appeal.objects.get(application=application)
    assert response.status_code == 302
    assert response.url == _draft_url(appeal)
    return appeal


# --- Entry points: the status page and the licence page ----------------------------------------


def test_appeal_start_button_on_the_status_page_shows_the_filing_deadline(client, world):
    application = licensing.make_refused(world)
    deadline = timezone.localdate(application.decision.created_at) + timedelta(days=28)

    response = _signed_in(client, world.exporter).get(
        reverse("licensing:application_status", kwargs={"pk": application.pk})
    )

    page = response.content.decode()
    assert "Appeal this decision" in page
    assert f"You can appeal until {deadline:%-d %B %Y}" in page
    assert _url("appeal_start", pk=application.pk) in page


def test_appeal_start_creates_a_draft_and_opens_it(client, world):
    application = licensing.make_refused(world)

    appeal = _start(client, world, application)

    assert appeal.status == Status.DRAFT
    assert appeal.appellant == world.exporter
    page = client.get(_draft_url(appeal)).content.decode()
    assert "You can appeal until" in page
    assert 'name="grounds"' in page
    assert "lateness_reason" not in page  # in time: no reason for lateness asked
    # The status page now links the draft instead of offering a second one.
    status_page = client.get(
        reverse("licensing:application_status", kwargs={"pk": application.pk})
    ).content.decode()
    assert appeal.reference in status_page
    assert "Appeal this decision" not in status_page


def test_appeal_start_is_404_for_another_organisation(client, world):
    application = licensing.make_refused(world)

    response = _signed_in(client, world.other_exporter).post(
        _url("appeal_start", pk=application.pk), {"subject": Appeal.Subject.REFUSAL}
    )

    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_appeal_start_of_something_not_appealable_is_refused_with_a_message(client, world):
    application = licensing.make_approved(world)  # an active licence, not refused

    response = _signed_in(client, world.exporter).post(
        _url("appeal_start", pk=application.pk), {"subject": Appeal.Subject.REFUSAL}, follow=True
    )

    assert "Only a refused application can be appealed." in response.content.decode()
    assert not Appeal.objects.exists()


def test_appeal_start_from_the_licence_page_for_a_revoked_licence_and_each_condition(client, world):
    application = licensing.make_approved(world)
    licence = Licence.objects.get(application=application)
    url = reverse("licensing:licence_detail", kwargs={"pk": licence.pk})
    page = _signed_in(client, world.exporter).get(url).content.decode()
    assert page.count("Appeal this decision") == len(licence.conditions) >= 1

    licence_services.licence_revoke(actor=world.case_officer, licence=licence, reason="Diverted.")
    page = client.get(url).content.decode()
    assert "The revocation of" in page
    response = client.post(
        _url("appeal_start", pk=application.pk),
        {"subject": Appeal.Subject.REVOCATION, "licence": licence.pk},
    )
    appeal = Appeal.objects.get()
    assert response.url == _draft_url(appeal)
    assert (appeal.subject, appeal.licence) == (Appeal.Subject.REVOCATION, licence)
    # Officials see no appeal button on the licence page.
    official_page = _signed_in(client, world.case_officer).get(url).content.decode()
    assert "Appeal this decision" not in official_page


# --- The draft ------------------------------------------------------------------------------------


def test_appeal_save_keeps_everything_and_shows_it_again(client, world):
    appeal = _start(client, world, licensing.make_refused(world))

    response = client.post(
        _draft_url(appeal),
        {
            "grounds": [Ground.FACTUAL_ERROR, Ground.NEW_INFORMATION],
            "statement": "Wrong.",
            "action": "save",
        },
    )

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.grounds == [Ground.FACTUAL_ERROR, Ground.NEW_INFORMATION]
    assert appeal.statement == "Wrong."
    page = client.get(_draft_url(appeal)).content.decode()
    assert (
        'value="factual_error" class="usa-checkbox__input" id="id_appeal_grounds_0" checked' in page
    )


def test_appeal_save_with_invalid_input_keeps_what_was_typed(client, world):
    appeal = _start(client, world, licensing.make_refused(world))

    response = client.post(
        _draft_url(appeal),
        {"grounds": ["not_a_ground"], "statement": "Typed before the mistake.", "action": "save"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Typed before the mistake." in page
    assert 'href="#id_appeal_grounds"' in page  # the problem links to its field
    appeal.refresh_from_db()
    assert appeal.unsaved_input["grounds"] == ["not_a_ground"]
    assert appeal.statement == "Typed before the mistake."
    # Coming back later shows the kept input with its error again.
    again = client.get(_draft_url(appeal)).content.decode()
    assert "Typed before the mistake." in again
    assert "usa-form-group--error" in again


def test_appeal_lodge_lists_what_is_missing_with_links_to_the_fields(client, world):
    appeal = _start(client, world, licensing.make_refused(world))

    response = client.post(_draft_url(appeal), {"statement": "", "action": "lodge"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "The appeal cannot be lodged yet" in page
    assert 'href="#id_appeal_grounds"' in page
    assert 'href="#id_appeal_statement"' in page
    assert Appeal.objects.get(pk=appeal.pk).status == Status.DRAFT


def test_appeal_lodge_in_time_goes_to_an_independent_reviewer(client, world):
    appeal = _start(client, world, licensing.make_refused(world))

    response = client.post(
        _draft_url(appeal),
        {
            "grounds": [Ground.FACTUAL_ERROR],
            "statement": "The address was misread.",
            "action": "lodge",
        },
        follow=True,
    )

    appeal.refresh_from_db()
    assert appeal.status == Status.UNDER_REVIEW
    assert appeal.reviewer == world.appeals_reviewer
    page = response.content.decode()
    assert f"Appeal {appeal.reference} has been lodged" in page
    assert "working days left" in page  # the decision's due date, in working days


def test_appeal_lodge_after_the_window_needs_a_reason_for_lateness(client, world):
    appeal = _start(client, world, licensing.make_refused(world))
    Appeal.objects.filter(pk=appeal.pk).update(
        filing_deadline=timezone.localdate() - timedelta(days=1)
    )

    page = client.get(_draft_url(appeal)).content.decode()
    assert "The deadline to appeal was" in page
    assert 'name="lateness_reason"' in page
    data = {"grounds": [Ground.NEW_INFORMATION], "statement": "New facts.", "action": "lodge"}
    response = client.post(_draft_url(appeal), data)
    assert response.status_code == 400
    assert 'href="#id_appeal_lateness_reason"' in response.content.decode()

    response = client.post(_draft_url(appeal), {**data, "lateness_reason": "We were in hospital."})

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.LATE_REVIEW
    assert appeal.lateness_reason == "We were in hospital."


def test_appeal_detail_of_a_draft_is_404_for_everyone_else(client, world):
    appeal = factories.make_refused_appeal_draft(world)

    for user in (world.other_exporter, world.appeals_reviewer, world.case_officer):
        assert _signed_in(client, user).get(_draft_url(appeal)).status_code == 404


def test_appeal_document_add_uploads_to_the_draft(client, world):
    appeal = _start(client, world, licensing.make_refused(world))

    response = client.post(
        _url("appeal_document_add", pk=appeal.pk), {"file": licensing.pdf_upload("proof.pdf")}
    )

    assert response.status_code == 302
    document = appeal.documents.get()
    assert document.original_name == "proof.pdf"
    download = client.get(_url("appeal_document_download", pk=appeal.pk, document_pk=document.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert (
        _signed_in(client, world.other_exporter)
        .get(_url("appeal_document_download", pk=appeal.pk, document_pk=document.pk))
        .status_code
        == 404
    )


def test_appeal_document_add_with_htmx_returns_the_documents_section(client, world):
    appeal = _start(client, world, licensing.make_refused(world))

    response = client.post(
        _url("appeal_document_add", pk=appeal.pk),
        {"file": licensing.pdf_upload("proof.pdf")},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="documents"')
    assert "proof.pdf uploaded." in page
    assert "<html" not in page


def test_appeal_document_add_refuses_a_bad_file_with_a_message(client, world):
    appeal = _start(client, world, licensing.make_refused(world))
    fake = licensing.SimpleUploadedFile("proof.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    response = client.post(
        _url("appeal_document_add", pk=appeal.pk), {"file": fake}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 400
    assert "usa-error-message" in response.content.decode()
    assert not appeal.documents.exists()


# --- After lodging: the appellant's page ----------------------------------------------------------


def test_appeal_information_answer_restarts_the_clock(client, world):
    appeal = factories.make_lodged_appeal(world)
    question = services.appeal_information_request(
        actor=world.appeals_reviewer, appeal=appeal, question="Who installs the instruments?"
    )
    page = _signed_in(client, world.exporter).get(_draft_url(appeal)).content.decode()
    assert "Who installs the instruments?" in page
    field = f"appeal-rfi-{question.pk}-answer"
    url = _url("appeal_information_answer", pk=appeal.pk, request_pk=question.pk)

    empty = client.post(url, {field: ""})
    assert empty.status_code == 400
    assert "Write your answer." in empty.content.decode()

    response = client.post(url, {field: "Our own engineers."})

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.UNDER_REVIEW
    assert appeal.clock_paused_since is None
    assert _signed_in(client, world.other_exporter).post(url, {field: "x"}).status_code == 404


def test_appeal_withdraw_asks_to_confirm_then_withdraws(client, world):
    appeal = factories.make_lodged_appeal(world)
    url = _url("appeal_withdraw", pk=appeal.pk)

    confirm = _signed_in(client, world.exporter).get(url)
    assert "Yes, withdraw this appeal" in confirm.content.decode()
    assert _signed_in(client, world.appeals_reviewer).post(url).status_code == 404

    response = _signed_in(client, world.exporter).post(url)

    assert response.status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).status == Status.WITHDRAWN


def test_appeal_detail_history_names_the_appellants_side_only(client, world):
    appeal = factories.make_refused_appeal_draft(world)
    services.appeal_document_add(
        actor=world.exporter, appeal=appeal, upload=licensing.pdf_upload("end-user.pdf")
    )
    services.appeal_lodge(actor=world.exporter, appeal=appeal)
    services.appeal_information_request(
        actor=world.appeals_reviewer, appeal=appeal, question="Who installs the instruments?"
    )
    asked = factories.appeal_events(appeal, AuditEvent.Verb.APPEAL_INFORMATION_REQUESTED).get()

    page = _signed_in(client, world.exporter).get(_draft_url(appeal)).content.decode()

    history = page.split("<h2>History</h2>", 1)[1]
    assert "Appeal document uploaded" in history
    assert "end-user.pdf" in history  # the document the appellant uploaded, by name
    assert "Appeal information requested" in history
    assert " · the appeals reviewer" in history
    assert escape(asked.actor_label) not in history  # the reviewer is not named to them


def test_appeal_detail_sends_reviewers_to_the_review_page(client, world):
    appeal = factories.make_lodged_appeal(world)

    response = _signed_in(client, world.appeals_reviewer).get(_draft_url(appeal))

    assert response.status_code == 302
    assert response.url == _url("appeal_review", pk=appeal.pk)


def test_appeal_list_shows_only_the_organisations_appeals(client, world):
    appeal = factories.make_lodged_appeal(world)

    mine = _signed_in(client, world.exporter).get(_url("appeal_list")).content.decode()
    theirs = _signed_in(client, world.other_exporter).get(_url("appeal_list")).content.decode()

    assert appeal.reference in mine
    assert appeal.reference not in theirs


# --- The reviewers' queue -------------------------------------------------------------------------


def test_appeal_queue_filters_and_is_forbidden_to_others(client, world):
    appeal = factories.make_lodged_appeal(world)
    url = _url("appeal_queue")

    page = _signed_in(client, world.appeals_reviewer).get(url).content.decode()
    assert appeal.reference in page
    assert "working days left" in page
    mine = client.get(url, {"reviewer": "mine"}).content.decode()
    assert appeal.reference in mine
    unassigned = client.get(url, {"reviewer": "unassigned"}).content.decode()
    assert appeal.reference not in unassigned
    decided = client.get(url, {"status": Status.OVERTURNED}).content.decode()
    assert appeal.reference not in decided
    overdue = client.get(url, {"deadline": "overdue"}).content.decode()
    assert appeal.reference not in overdue
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="results"')

    for user in (world.exporter, world.case_officer, world.senior_official):
        assert _signed_in(client, user).get(url).status_code == 403


def test_appeal_queue_query_budget(client, world, django_assert_max_num_queries):
    for _ in range(3):
        factories.make_lodged_appeal(world)
    _signed_in(client, world.appeals_reviewer)
    client.get(_url("appeal_queue"))  # warm the holiday and permission caches

    with django_assert_max_num_queries(12):
        response = client.get(_url("appeal_queue"))

    assert response.content.decode().count('data-testid="appeal-row"') == 3


def test_appeal_queue_searches_by_appeal_case_or_applicant(client, world):
    appeal = factories.make_lodged_appeal(world)
    url = _url("appeal_queue")
    _signed_in(client, world.appeals_reviewer)

    for query in (appeal.reference, appeal.application.reference, "northwind"):
        page = client.get(url, {"q": query}).content.decode()
        assert appeal.reference in page, query
    elsewhere = client.get(url, {"q": "Southwind"}).content.decode()
    assert appeal.reference not in elsewhere
    assert "No appeal matches these filters." in elsewhere


def test_appeal_queue_shows_a_filter_it_cannot_use_and_ignores_it(client, world):
    appeal = factories.make_lodged_appeal(world)

    response = _signed_in(client, world.appeals_reviewer).get(
        _url("appeal_queue"), {"status": "draft", "reviewer": "mine"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "usa-error-message" in page  # a draft is not in the queue: not a choice
    assert appeal.reference in page  # the other filters still apply (it is the reviewer's)


def test_appeal_list_query_budget(client, world, django_assert_max_num_queries):
    for _ in range(3):
        factories.make_lodged_appeal(world)
    _signed_in(client, world.exporter)
    client.get(_url("appeal_list"))

    with django_assert_max_num_queries(12):
        response = client.get(_url("appeal_list"))

    assert response.status_code == 200


# --- The reviewer's appeal page ------------------------------------------------------------------


def test_appeal_review_shows_the_appeal_and_the_decision_appealed(client, world):
    appeal = factories.make_lodged_appeal(world)

    page = _signed_in(client, world.appeals_reviewer).get(_url("appeal_review", pk=appeal.pk))

    text = page.content.decode()
    assert factories.STATEMENT in text
    assert reverse("licensing:case_detail", kwargs={"pk": appeal.application_id}) in text
    assert "Risk of diversion to a military programme." in text  # the refusal's explanation
    assert "Record the decision" in text
    auditor = _signed_in(client, world.auditor).get(_url("appeal_review", pk=appeal.pk))
    assert auditor.status_code == 200
    assert "Record the decision" not in auditor.content.decode()  # auditors only read
    assert (
        _signed_in(client, world.exporter).get(_url("appeal_review", pk=appeal.pk)).status_code
        == 403
    )


def test_appeal_review_timeline_names_who_acted_and_the_status_change(client, world):
    appeal = factories.make_lodged_appeal(world)
    lodged = factories.appeal_events(appeal, AuditEvent.Verb.APPEAL_LODGED).get()

    page = _signed_in(client, world.appeals_reviewer).get(_url("appeal_review", pk=appeal.pk))

    timeline = page.content.decode().split('data-testid="timeline"', 1)[1]
    assert "Appeal lodged" in timeline
    assert f"{escape(lodged.actor_label)} · draft → lodged" in timeline
    assert "Appeal assigned to a reviewer" in timeline


def test_appeal_assign_offers_only_independent_reviewers(client, world):
    involved = factories.make_user("involved_reviewer", Role.APPEALS_REVIEWER, Role.CASE_OFFICER)
    application = licensing.make_refused(world, officer=involved)
    second = factories.make_second_reviewer()
    appeal = factories.make_lodged_appeal(world, application=application)

    page = _signed_in(client, world.appeals_reviewer).get(_url("appeal_review", pk=appeal.pk))

    options = page.context["forms"].assign.fields["reviewer"].queryset
    assert involved not in options
    assert second in options
    response = client.post(_url("appeal_assign", pk=appeal.pk), {"reviewer": involved.pk})
    assert response.status_code == 400
    assert "Choose one of the reviewers offered" in response.content.decode()

    response = client.post(_url("appeal_assign", pk=appeal.pk), {"reviewer": second.pk})

    assert response.status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).reviewer == second


def test_appeal_request_information_with_htmx_returns_the_panel(client, world):
    appeal = factories.make_lodged_appeal(world)
    url = _url("appeal_request_information", pk=appeal.pk)
    _signed_in(client, world.appeals_reviewer)

    empty = client.post(url, {"question": ""}, headers={"HX-Request": "true"})
    assert empty.status_code == 400
    assert "Write what you need from the appellant." in empty.content.decode()

    response = client.post(url, {"question": "Who installs it?"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="review-panel"')
    assert "the deadline clock is paused" in page
    assert Appeal.objects.get(pk=appeal.pk).status == Status.INFO_REQUESTED


def test_appeal_decide_without_reasons_keeps_the_choice(client, world):
    appeal = factories.make_lodged_appeal(world)

    response = _signed_in(client, world.appeals_reviewer).post(
        _url("appeal_decide", pk=appeal.pk), {"outcome": "overturned", "reasons": ""}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the reasons for your decision." in page
    assert 'id="id_decide_outcome_1" checked' in page
    assert Appeal.objects.get(pk=appeal.pk).status == Status.UNDER_REVIEW


def test_appeal_decide_only_by_the_assigned_reviewer(client, world):
    appeal = factories.make_lodged_appeal(world)
    second = factories.make_second_reviewer()

    response = _signed_in(client, second).post(
        _url("appeal_decide", pk=appeal.pk), {"outcome": "upheld", "reasons": "Sound."}
    )

    assert response.status_code == 403
    assert "assigned reviewer can do this" in response.content.decode()
    assert (
        _signed_in(client, world.auditor)
        .post(_url("appeal_decide", pk=appeal.pk), {"outcome": "upheld", "reasons": "Sound."})
        .status_code
        == 403
    )


def test_appeal_decide_overturn_issues_a_licence_the_exporter_sees(client, world):
    appeal = factories.make_lodged_appeal(world)

    response = _signed_in(client, world.appeals_reviewer).post(
        _url("appeal_decide", pk=appeal.pk),
        {"outcome": "overturned", "reasons": "The end user is civil."},
    )

    assert response.status_code == 302
    licence = Licence.objects.get(application=appeal.application)
    page = _signed_in(client, world.exporter).get(_draft_url(appeal)).content.decode()
    assert "The end user is civil." in page
    assert reverse("licensing:licence_detail", kwargs={"pk": licence.pk}) in page


def test_appeal_decide_remit_needs_an_independent_officer(client, world):
    appeal = factories.make_lodged_appeal(world)
    fresh = factories.make_user("fresh_officer", Role.CASE_OFFICER)
    _signed_in(client, world.appeals_reviewer)
    page = client.get(_url("appeal_review", pk=appeal.pk))
    officers = page.context["forms"].decide.fields["officer"].queryset
    assert world.case_officer not in officers  # recommended the refusal
    assert fresh in officers

    missing = client.post(
        _url("appeal_decide", pk=appeal.pk), {"outcome": "remitted", "reasons": "Look again."}
    )
    assert missing.status_code == 400
    assert "Choose the officer who reviews the case afresh." in missing.content.decode()

    response = client.post(
        _url("appeal_decide", pk=appeal.pk),
        {"outcome": "remitted", "reasons": "Look again.", "officer": fresh.pk},
    )

    assert response.status_code == 302
    application = Application.objects.get(pk=appeal.application_id)
    assert application.status == Application.Status.UNDER_REVIEW
    assert application.assigned_officer == fresh


def test_appeal_lateness_decide_by_the_assigned_reviewer(client, world):
    appeal = factories.make_refused_appeal_draft(world)
    Appeal.objects.filter(pk=appeal.pk).update(
        filing_deadline=timezone.localdate() - timedelta(days=1),
        lateness_reason="We were in hospital.",
    )
    appeal = services.appeal_lodge(actor=world.exporter, appeal=Appeal.objects.get(pk=appeal.pk))
    assert appeal.status == Status.LATE_REVIEW
    url = _url("appeal_lateness_decide", pk=appeal.pk)
    _signed_in(client, world.appeals_reviewer)
    assert (
        "Accept the late appeal?"
        in client.get(_url("appeal_review", pk=appeal.pk)).content.decode()
    )

    missing = client.post(url, {"accept": "yes"})
    assert missing.status_code == 400
    assert "Give your reasons." in missing.content.decode()

    response = client.post(url, {"accept": "yes", "reason": "A documented illness."})

    assert response.status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).status == Status.UNDER_REVIEW


# --- The case pages, navigation and dashboard --------------------------------------------------


def test_case_detail_lists_the_cases_appeals(client, world):
    appeal = factories.make_lodged_appeal(world)
    url = reverse("licensing:case_detail", kwargs={"pk": appeal.application_id})
    review_url = _url("appeal_review", pk=appeal.pk)

    reviewer_page = _signed_in(client, world.appeals_reviewer).get(url).content.decode()
    officer_page = _signed_in(client, world.case_officer).get(url).content.decode()

    assert appeal.reference in reviewer_page
    assert review_url in reviewer_page
    assert appeal.reference in officer_page  # status and outcome, without a link
    assert review_url not in officer_page


def test_navigation_and_dashboard_for_appeals_reviewers(client, world):
    factories.make_lodged_appeal(world)

    page = _signed_in(client, world.appeals_reviewer).get(reverse("core:dashboard"))

    text = page.content.decode()
    assert _url("appeal_queue") in text
    panel = next(p for p in page.context["panels"] if p.role == Role.APPEALS_REVIEWER)
    cards = {card.title: card.count for card in panel.cards}
    assert cards["Your appeals"] == 1
    assert cards["Appeals waiting"] == 0
    exporter_page = _signed_in(client, world.exporter).get(reverse("core:dashboard"))
    assert _url("appeal_list") in exporter_page.content.decode()
    officer_page = _signed_in(client, world.case_officer).get(reverse("core:dashboard"))
    assert _url("appeal_list") not in officer_page.content.decode()


def test_case_appeals_on_the_status_page_after_an_overturn(client, world):
    appeal = factories.make_lodged_appeal(world)
    services.appeal_decide(
        actor=world.appeals_reviewer, appeal=appeal, outcome="overturned", reasons="Civil use."
    )

    page = _signed_in(client, world.exporter).get(
        reverse("licensing:application_status", kwargs={"pk": appeal.application_id})
    )

    text = page.content.decode()
    assert appeal.reference in text
    assert "Decided: original decision overturned" in text
