"""The appeals API: appellants file and follow appeals; reviewers work the queue."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from appeals import services
from appeals.models import Appeal
from licensing.models import Licence
from tests.licensing.factories import PDF_BYTES, make_approved, make_refused

pytestmark = pytest.mark.django_db

STATEMENT = "The end user is a civil observatory; its website shows radio telescopes only."


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def refused(world):
    return make_refused(world)


@pytest.fixture
def draft(world, refused) -> Appeal:
    return services.appeal_start(
        actor=world.exporter, subject=Appeal.Subject.REFUSAL, application=refused
    )


@pytest.fixture
def complete_draft(world, draft) -> Appeal:
    return services.appeal_save(
        actor=world.exporter,
        appeal=draft,
        data={"grounds": [Appeal.Ground.FACTUAL_ERROR], "statement": STATEMENT},
    )


@pytest.fixture
def lodged(world, complete_draft) -> Appeal:
    """Lodged in time: assigned to world.appeals_reviewer (the one independent reviewer)."""
    appeal = services.appeal_lodge(actor=world.exporter, appeal=complete_draft)
    appeal = Appeal.objects.get(pk=appeal.pk)
    if appeal.reviewer is None:
        appeal = services.appeal_assign(
            actor=world.appeals_reviewer, appeal=appeal, reviewer=world.appeals_reviewer
        )
    return Appeal.objects.get(pk=appeal.pk)


def _url(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"status", "code", "message", "fields"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]


def _pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _token_client(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


# --- Appellants: list, create, read, save --------------------------------------------------


def test_appeal_start_through_the_api_with_a_token(world, refused):
    client = _token_client(world.exporter)

    response = client.post(
        _url("appeal_list"),
        {"subject": "refusal", "application": refused.pk},
        format="json",
    )

    body = response.json()
    assert response.status_code == 201, body
    assert body["status"] == "draft"
    assert body["subject"] == "refusal"
    assert body["application"] == refused.pk
    assert body["organisation"] == world.organisation.pk
    assert (
        body["filing_deadline"]
        == (
            timezone.localdate(Appeal.objects.get(pk=body["id"]).notice_at) + timedelta(days=28)
        ).isoformat()
    )
    assert body["decision"] is None
    assert body["internal"] is None  # nothing reviewer-internal for the appellant
    assert Appeal.objects.get(pk=body["id"]).appellant == world.exporter


def test_appeal_start_validation_errors_come_in_the_error_shape(api, world, refused):
    api.force_authenticate(world.exporter)

    response = api.post(_url("appeal_list"), {"subject": "whim"}, format="json")

    error = _error(response)
    assert response.status_code == 400
    assert set(error["fields"]) == {"subject", "application"}
    assert Appeal.objects.count() == 0


def test_appeal_start_on_something_not_appealable_is_a_400(api, world):
    approved = make_approved(world)
    api.force_authenticate(world.exporter)

    response = api.post(
        _url("appeal_list"), {"subject": "refusal", "application": approved.pk}, format="json"
    )

    assert response.status_code == 400
    assert _error(response)["message"]
    assert Appeal.objects.count() == 0


def test_appeal_start_on_another_organisations_case_is_refused(api, world, refused):
    api.force_authenticate(world.other_exporter)

    response = api.post(
        _url("appeal_list"), {"subject": "refusal", "application": refused.pk}, format="json"
    )

    assert response.status_code == 400
    assert "application" in _error(response)["fields"]
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize("actor", ["case_officer", "appeals_reviewer", "advisor"])
def test_appeal_start_is_for_members_of_an_organisation_only(api, world, refused, actor):
    api.force_authenticate(getattr(world, actor))

    response = api.post(
        _url("appeal_list"), {"subject": "refusal", "application": refused.pk}, format="json"
    )

    assert response.status_code == 403
    assert _error(response)["status"] == 403
    assert Appeal.objects.count() == 0


def test_appeal_list_shows_only_the_callers_organisations(api, world, draft):
    api.force_authenticate(world.exporter)
    own = api.get(_url("appeal_list")).json()
    api.force_authenticate(world.other_exporter)
    other = api.get(_url("appeal_list")).json()

    assert [row["reference"] for row in own["results"]] == [draft.reference]
    assert other["count"] == 0


def test_appeal_list_filters_by_status_and_application(api, world, draft):
    api.force_authenticate(world.exporter)

    assert api.get(_url("appeal_list"), {"status": "draft"}).json()["count"] == 1
    assert api.get(_url("appeal_list"), {"status": "lodged"}).json()["count"] == 0
    assert api.get(_url("appeal_list"), {"application": draft.application_id}).json()["count"] == 1
    bad = api.get(_url("appeal_list"), {"status": "nonsense"})
    assert bad.status_code == 400
    assert "status" in _error(bad)["fields"]


def test_appeal_list_query_budget(api, world, django_assert_max_num_queries):
    for _n in range(3):  # one appeal per decision: three refused cases
        services.appeal_start(
            actor=world.exporter, subject=Appeal.Subject.REFUSAL, application=make_refused(world)
        )
    api.force_authenticate(world.exporter)

    with django_assert_max_num_queries(5):  # 4 measured, whatever the number of rows
        response = api.get(_url("appeal_list"))

    assert response.json()["count"] == 3


def test_appeal_detail_is_404_for_other_organisations_and_401_anonymous(api, world, lodged):
    url = _url("appeal_detail", pk=lodged.pk)

    assert api.get(url).status_code == 401
    for outsider in (world.other_exporter, world.advisor, world.case_officer):
        api.force_authenticate(outsider)
        response = api.get(url)
        assert response.status_code == 404, outsider
        assert lodged.reference not in response.content.decode()


def test_appeal_detail_query_budget(api, world, lodged, django_assert_max_num_queries):
    question = services.appeal_information_request(
        actor=world.appeals_reviewer, appeal=lodged, question="Send the letter."
    )
    services.appeal_information_answer(
        actor=world.exporter, request=question, answer="Here.", uploads=[_pdf("a.pdf")]
    )
    api.force_authenticate(world.appeals_reviewer)

    with django_assert_max_num_queries(7):  # the reviewer's view: the most to read
        response = api.get(_url("appeal_detail", pk=lodged.pk))

    assert len(response.json()["documents"]) == 1
    assert len(response.json()["information_requests"]) == 1


def test_appeal_detail_draft_is_invisible_to_reviewers(api, world, draft):
    api.force_authenticate(world.appeals_reviewer)

    assert api.get(_url("appeal_detail", pk=draft.pk)).status_code == 404


def test_appeal_detail_hides_internal_fields_from_the_appellant(api, world, lodged):
    api.force_authenticate(world.exporter)
    appellant_view = api.get(_url("appeal_detail", pk=lodged.pk)).json()
    api.force_authenticate(world.appeals_reviewer)
    reviewer_view = api.get(_url("appeal_detail", pk=lodged.pk)).json()

    assert appellant_view["internal"] is None
    assert all(event["actor"] is None for event in appellant_view["timeline"])
    assert world.appeals_reviewer.username not in str(appellant_view)
    assert appellant_view["deadline_on"] is not None
    assert appellant_view["working_days_left"] is not None
    assert reviewer_view["internal"]["reviewer"]["id"] == world.appeals_reviewer.pk
    assert reviewer_view["internal"]["appellant"]["id"] == world.exporter.pk
    assert any(event["actor"] for event in reviewer_view["timeline"])
    verbs = [event["verb"] for event in appellant_view["timeline"]]
    assert verbs[:1] == ["appeal.created"]
    assert "appeal.lodged" in verbs


def test_appeal_save_patches_a_draft(api, world, draft):
    api.force_authenticate(world.exporter)

    response = api.patch(
        _url("appeal_detail", pk=draft.pk),
        {"grounds": ["factual_error", "new_information"], "statement": STATEMENT},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["grounds"] == ["factual_error", "new_information"]
    draft.refresh_from_db()
    assert draft.statement == STATEMENT
    assert draft.grounds == ["factual_error", "new_information"]


def test_appeal_save_rejects_an_unknown_ground(api, world, draft):
    api.force_authenticate(world.exporter)

    response = api.patch(
        _url("appeal_detail", pk=draft.pk), {"grounds": ["bad_luck"]}, format="json"
    )

    assert response.status_code == 400
    assert "grounds" in _error(response)["fields"]
    draft.refresh_from_db()
    assert draft.grounds == []


def test_appeal_save_of_a_lodged_appeal_is_refused(api, world, lodged):
    api.force_authenticate(world.exporter)

    response = api.patch(
        _url("appeal_detail", pk=lodged.pk), {"statement": "Changed my mind."}, format="json"
    )

    assert response.status_code == 400
    assert _error(response)["message"]
    lodged.refresh_from_db()
    assert lodged.statement == STATEMENT


def test_appeal_save_by_another_organisation_is_404(api, world, draft):
    api.force_authenticate(world.other_exporter)

    response = api.patch(
        _url("appeal_detail", pk=draft.pk), {"statement": "Hijacked."}, format="json"
    )

    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.statement == ""


# --- Appellants: documents, lodge, withdraw ------------------------------------------------


def test_appeal_document_add_uploads_a_pdf(api, world, draft):
    api.force_authenticate(world.exporter)

    response = api.post(
        _url("appeal_document_list", pk=draft.pk), {"file": _pdf()}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["original_name"] == "evidence.pdf"
    assert response.json()["content_type"] == "application/pdf"
    detail = api.get(_url("appeal_detail", pk=draft.pk)).json()
    assert [d["original_name"] for d in detail["documents"]] == ["evidence.pdf"]


def test_appeal_document_add_checks_the_content(api, world, draft):
    api.force_authenticate(world.exporter)
    fake = SimpleUploadedFile(
        "evidence.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf"
    )

    response = api.post(
        _url("appeal_document_list", pk=draft.pk), {"file": fake}, format="multipart"
    )

    assert response.status_code == 400
    assert "file" in _error(response)["fields"]
    assert draft.documents.count() == 0


def test_appeal_document_add_by_another_organisation_is_404(api, world, draft):
    api.force_authenticate(world.other_exporter)

    response = api.post(
        _url("appeal_document_list", pk=draft.pk), {"file": _pdf()}, format="multipart"
    )

    assert response.status_code == 404
    assert draft.documents.count() == 0


def test_appeal_lodge_of_an_incomplete_draft_is_a_400(api, world, draft):
    api.force_authenticate(world.exporter)

    response = api.post(_url("appeal_lodge", pk=draft.pk))

    assert response.status_code == 400
    assert _error(response)["message"]
    draft.refresh_from_db()
    assert draft.status == Appeal.Status.DRAFT


def test_appeal_lodge_in_time(api, world, complete_draft):
    api.force_authenticate(world.exporter)

    response = api.post(_url("appeal_lodge", pk=complete_draft.pk))

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] in {"lodged", "under_review"}
    assert body["lodged_at"] is not None
    assert body["is_late"] is False


def test_appeal_lodge_late_then_the_reviewer_accepts_the_lateness(api, world, complete_draft):
    Appeal.objects.filter(pk=complete_draft.pk).update(
        filing_deadline=timezone.localdate() - timedelta(days=1)
    )
    api.force_authenticate(world.exporter)

    without_reason = api.post(_url("appeal_lodge", pk=complete_draft.pk))
    assert without_reason.status_code == 400
    api.patch(
        _url("appeal_detail", pk=complete_draft.pk),
        {"lateness_reason": "Our compliance officer was in hospital."},
        format="json",
    )
    lodged = api.post(_url("appeal_lodge", pk=complete_draft.pk))
    assert lodged.status_code == 200, lodged.json()
    assert lodged.json()["status"] == "late_review"
    assert lodged.json()["is_late"] is True

    api.force_authenticate(world.appeals_reviewer)
    missing_reason = api.post(
        _url("appeal_lateness", pk=complete_draft.pk), {"accept": True}, format="json"
    )
    assert missing_reason.status_code == 400
    assert "reason" in _error(missing_reason)["fields"]
    accepted = api.post(
        _url("appeal_lateness", pk=complete_draft.pk),
        {"accept": True, "reason": "A documented illness."},
        format="json",
    )

    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] in {"lodged", "under_review"}
    assert accepted.json()["lateness_decision_reason"] == "A documented illness."


def test_appeal_lateness_decide_rejects(api, world, complete_draft):
    Appeal.objects.filter(pk=complete_draft.pk).update(
        filing_deadline=timezone.localdate() - timedelta(days=1)
    )
    services.appeal_save(
        actor=world.exporter, appeal=complete_draft, data={"lateness_reason": "Busy."}
    )
    services.appeal_lodge(actor=world.exporter, appeal=Appeal.objects.get(pk=complete_draft.pk))
    api.force_authenticate(world.auditor)
    forbidden = api.post(
        _url("appeal_lateness", pk=complete_draft.pk),
        {"accept": False, "reason": "No."},
        format="json",
    )
    assert forbidden.status_code == 403
    api.force_authenticate(world.appeals_reviewer)

    response = api.post(
        _url("appeal_lateness", pk=complete_draft.pk),
        {"accept": False, "reason": "Being busy is no reason."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "late_rejected"


def test_appeal_withdraw(api, world, lodged):
    api.force_authenticate(world.appeals_reviewer)
    assert api.post(_url("appeal_withdraw", pk=lodged.pk)).status_code == 403
    api.force_authenticate(world.other_exporter)
    assert api.post(_url("appeal_withdraw", pk=lodged.pk)).status_code == 404
    api.force_authenticate(world.exporter)

    response = api.post(_url("appeal_withdraw", pk=lodged.pk))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "withdrawn"
    again = api.post(_url("appeal_withdraw", pk=lodged.pk))
    assert again.status_code in {200, 400}
    lodged.refresh_from_db()
    assert lodged.status == Appeal.Status.WITHDRAWN


# --- Information requests -------------------------------------------------------------------


def test_appeal_information_request_and_answer(api, world, lodged):
    api.force_authenticate(world.appeals_reviewer)
    asked = api.post(
        _url("appeal_information_request_list", pk=lodged.pk),
        {"question": "Send the observatory's letter."},
        format="json",
    )
    assert asked.status_code == 201, asked.json()
    request_pk = asked.json()["id"]
    assert asked.json()["is_open"] is True

    api.force_authenticate(world.other_exporter)
    url = _url("appeal_information_answer", pk=lodged.pk, request_pk=request_pk)
    assert api.post(url, {"answer": "x"}, format="json").status_code == 404

    api.force_authenticate(world.exporter)
    detail = api.get(_url("appeal_detail", pk=lodged.pk)).json()
    assert detail["status"] == "info_requested"
    assert detail["clock_paused"] is True
    assert detail["information_requests"][0]["question"] == "Send the observatory's letter."
    empty = api.post(url, {"answer": ""}, format="json")
    assert empty.status_code == 400
    assert "answer" in _error(empty)["fields"]

    answered = api.post(
        url, {"answer": "Attached.", "files": [_pdf("letter.pdf")]}, format="multipart"
    )

    assert answered.status_code == 200, answered.json()
    assert answered.json()["is_open"] is False
    detail = api.get(_url("appeal_detail", pk=lodged.pk)).json()
    assert detail["status"] == "under_review"
    assert [(d["original_name"], d["information_request"]) for d in detail["documents"]] == [
        ("letter.pdf", request_pk)
    ]


def test_appeal_information_answer_of_another_appeals_request_is_404(api, world, lodged):
    other = services.appeal_start(
        actor=world.exporter, subject=Appeal.Subject.REFUSAL, application=make_refused(world)
    )
    question = services.appeal_information_request(
        actor=world.appeals_reviewer, appeal=lodged, question="Who?"
    )
    api.force_authenticate(world.exporter)

    response = api.post(
        _url("appeal_information_answer", pk=other.pk, request_pk=question.pk),
        {"answer": "Them."},
        format="json",
    )

    assert response.status_code == 404


def test_appeal_information_request_needs_a_question_and_a_reviewer(api, world, lodged):
    api.force_authenticate(world.appeals_reviewer)
    empty = api.post(_url("appeal_information_request_list", pk=lodged.pk), {}, format="json")
    assert empty.status_code == 400
    assert "question" in _error(empty)["fields"]
    api.force_authenticate(world.exporter)
    assert (
        api.post(
            _url("appeal_information_request_list", pk=lodged.pk),
            {"question": "?"},
            format="json",
        ).status_code
        == 403
    )


# --- Reviewers: queue, assign, decide -------------------------------------------------------


def test_appeal_queue_lists_lodged_appeals_with_deadlines(api, world, lodged, draft):
    api.force_authenticate(world.appeals_reviewer)

    body = api.get(_url("appeal_queue")).json()

    assert [row["reference"] for row in body["results"]] == [lodged.reference]
    row = body["results"][0]
    assert row["applicant"] == world.organisation.name
    assert row["deadline_on"] == lodged.deadline_on.isoformat()
    assert isinstance(row["working_days_left"], int)
    assert row["working_days_left"] > 0


def test_appeal_queue_filters(api, world, lodged):
    api.force_authenticate(world.appeals_reviewer)
    url = _url("appeal_queue")

    assert api.get(url, {"status": "under_review"}).json()["count"] == 1
    assert api.get(url, {"status": "upheld"}).json()["count"] == 0
    assert api.get(url, {"subject": "refusal"}).json()["count"] == 1
    assert api.get(url, {"subject": "match"}).json()["count"] == 0
    assert api.get(url, {"mine": "true"}).json()["count"] == 1
    assert api.get(url, {"overdue": "true"}).json()["count"] == 0
    Appeal.objects.filter(pk=lodged.pk).update(deadline_on=timezone.localdate() - timedelta(days=3))
    assert api.get(url, {"overdue": "true"}).json()["count"] == 1
    api.force_authenticate(world.auditor)
    assert api.get(url, {"mine": "true"}).json()["count"] == 0
    bad = api.get(url, {"status": "draft"})
    assert bad.status_code == 400
    assert "status" in _error(bad)["fields"]


def test_appeal_queue_is_for_appeal_viewers_only(api, world):
    assert api.get(_url("appeal_queue")).status_code == 401
    for actor in (world.exporter, world.advisor, world.case_officer):
        api.force_authenticate(actor)
        response = api.get(_url("appeal_queue"))
        assert response.status_code == 403, actor
        assert _error(response)["status"] == 403
    api.force_authenticate(world.auditor)
    assert api.get(_url("appeal_queue")).status_code == 200


def test_appeal_queue_query_budget(api, world, django_assert_max_num_queries):
    for _n in range(3):
        appeal = services.appeal_start(
            actor=world.exporter, subject=Appeal.Subject.REFUSAL, application=make_refused(world)
        )
        services.appeal_save(
            actor=world.exporter,
            appeal=appeal,
            data={"grounds": [Appeal.Ground.FACTUAL_ERROR], "statement": STATEMENT},
        )
        services.appeal_lodge(actor=world.exporter, appeal=Appeal.objects.get(pk=appeal.pk))
    api.force_authenticate(world.appeals_reviewer)

    with django_assert_max_num_queries(5):  # 4 measured, whatever the number of rows
        response = api.get(_url("appeal_queue"))

    assert response.json()["count"] == 3


def test_appeal_assign_to_a_reviewer_who_took_part_is_refused(api, world, lodged):
    api.force_authenticate(world.appeals_reviewer)

    response = api.post(
        _url("appeal_assign", pk=lodged.pk),
        {"reviewer": world.senior_official.pk},  # decided the case
        format="json",
    )

    assert response.status_code in {400, 403}
    assert _error(response)["message"]
    lodged.refresh_from_db()
    assert lodged.reviewer == world.appeals_reviewer


def test_appeal_assign_needs_the_permission(api, world, lodged):
    api.force_authenticate(world.auditor)

    response = api.post(_url("appeal_assign", pk=lodged.pk), {}, format="json")

    assert response.status_code == 403
    unknown = None
    api.force_authenticate(world.appeals_reviewer)
    unknown = api.post(_url("appeal_assign", pk=lodged.pk), {"reviewer": 999999}, format="json")
    assert unknown.status_code == 400
    assert "reviewer" in _error(unknown)["fields"]


def test_appeal_decide_validates_its_input(api, world, lodged):
    api.force_authenticate(world.appeals_reviewer)
    url = _url("appeal_decide", pk=lodged.pk)

    response = api.post(url, {"outcome": "maybe", "reasons": ""}, format="json")

    error = _error(response)
    assert response.status_code == 400
    assert set(error["fields"]) == {"outcome", "reasons"}
    lodged.refresh_from_db()
    assert lodged.status == Appeal.Status.UNDER_REVIEW


def test_appeal_decide_remitting_a_refusal_needs_an_officer(api, world, lodged):
    api.force_authenticate(world.appeals_reviewer)
    url = _url("appeal_decide", pk=lodged.pk)

    without = api.post(url, {"outcome": "remitted", "reasons": "Look again."}, format="json")
    unknown = api.post(
        url, {"outcome": "remitted", "reasons": "Look again.", "officer": 999999}, format="json"
    )

    assert without.status_code == 400
    assert _error(without)["code"] == "officer_required"
    assert unknown.status_code == 400
    assert "officer" in _error(unknown)["fields"]
    lodged.refresh_from_db()
    assert lodged.status == Appeal.Status.UNDER_REVIEW


def test_appeal_decide_only_by_a_reviewer(api, world, lodged):
    for actor, expected in ((world.auditor, 403), (world.exporter, 403), (world.advisor, 403)):
        api.force_authenticate(actor)
        response = api.post(
            _url("appeal_decide", pk=lodged.pk),
            {"outcome": "upheld", "reasons": "Fine."},
            format="json",
        )
        assert response.status_code == expected, actor
    lodged.refresh_from_db()
    assert lodged.status == Appeal.Status.UNDER_REVIEW


def test_appeal_decide_upheld_is_published_to_the_appellant(api, world, lodged):
    api.force_authenticate(world.appeals_reviewer)
    decided = api.post(
        _url("appeal_decide", pk=lodged.pk),
        {"outcome": "upheld", "reasons": "The risk of diversion is real."},
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    api.force_authenticate(world.exporter)

    body = api.get(_url("appeal_detail", pk=lodged.pk)).json()

    assert body["status"] == "upheld"
    assert body["decision"]["outcome"] == "upheld"
    assert body["decision"]["reasons"] == "The risk of diversion is real."
    assert body["decision"]["decided_at"] is not None
    assert body["internal"] is None


# --- What may be appealed -------------------------------------------------------------------


def test_appealable_items_for_application(api, world, refused):
    api.force_authenticate(world.exporter)

    response = api.get(_url("application_appealable", pk=refused.pk))

    assert response.status_code == 200, response.json()
    items = response.json()
    assert [item["subject"] for item in items] == ["refusal"]
    assert (
        items[0]["filing_deadline"]
        == (timezone.localdate(refused.decision.created_at) + timedelta(days=28)).isoformat()
    )
    assert items[0]["is_late"] is False


def test_appealable_items_for_application_of_another_organisation_is_404(api, world, refused):
    assert api.get(_url("application_appealable", pk=refused.pk)).status_code == 401
    for outsider in (world.other_exporter, world.appeals_reviewer):
        api.force_authenticate(outsider)
        assert api.get(_url("application_appealable", pk=refused.pk)).status_code == 404


# --- The whole journey ----------------------------------------------------------------------


def test_appeal_flow_refusal_overturned_issues_the_licence(world, refused):
    exporter = _token_client(world.exporter)
    reviewer = _token_client(world.appeals_reviewer)

    appealable = exporter.get(_url("application_appealable", pk=refused.pk)).json()
    assert appealable[0]["subject"] == "refusal"
    created = exporter.post(
        _url("appeal_list"), {"subject": "refusal", "application": refused.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    saved = exporter.patch(
        _url("appeal_detail", pk=pk),
        {"grounds": ["factual_error"], "statement": STATEMENT},
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    uploaded = exporter.post(
        _url("appeal_document_list", pk=pk), {"file": _pdf("letter.pdf")}, format="multipart"
    )
    assert uploaded.status_code == 201, uploaded.json()
    lodged = exporter.post(_url("appeal_lodge", pk=pk))
    assert lodged.status_code == 200, lodged.json()

    queue = reviewer.get(_url("appeal_queue")).json()
    assert [row["id"] for row in queue["results"]] == [pk]
    if queue["results"][0]["reviewer"] is None:
        assigned = reviewer.post(_url("appeal_assign", pk=pk), {}, format="json")
        assert assigned.status_code == 200, assigned.json()
    decided = reviewer.post(
        _url("appeal_decide", pk=pk),
        {"outcome": "overturned", "reasons": "The end user is a civil observatory."},
        format="json",
    )
    assert decided.status_code == 200, decided.json()

    appeal = exporter.get(_url("appeal_detail", pk=pk)).json()
    assert appeal["status"] == "overturned"
    assert appeal["decision"] == {
        "outcome": "overturned",
        "outcome_display": "Decided: original decision overturned",
        "reasons": "The end user is a civil observatory.",
        "decided_at": appeal["decision"]["decided_at"],
    }
    assert [d["original_name"] for d in appeal["documents"]] == ["letter.pdf"]
    assert "appeal.overturned" in [event["verb"] for event in appeal["timeline"]]
    application = exporter.get(_url("application_detail", pk=refused.pk)).json()
    assert application["status"] == "approved"
    assert application["licence"] is not None
    licence = exporter.get(_url("licence_detail", pk=application["licence"]["id"]))
    assert licence.status_code == 200
    assert licence.json()["status"] == Licence.Status.ACTIVE
    assert Licence.objects.get(application=refused).organisation == world.organisation


# --- Documentation --------------------------------------------------------------------------


def test_openapi_schema_documents_the_appeals_paths(client):
    response = client.get(reverse("api_docs:schema"), {"format": "json"})

    schema = response.json()
    paths = schema["paths"]
    for path in [
        "/api/v1/appeals/",
        "/api/v1/appeals/queue/",
        "/api/v1/appeals/{id}/",
        "/api/v1/appeals/{id}/documents/",
        "/api/v1/appeals/{id}/lodge/",
        "/api/v1/appeals/{id}/withdraw/",
        "/api/v1/appeals/{id}/information-requests/",
        "/api/v1/appeals/{id}/information-requests/{request_pk}/answer/",
        "/api/v1/appeals/{id}/assign/",
        "/api/v1/appeals/{id}/lateness/",
        "/api/v1/appeals/{id}/decide/",
        "/api/v1/applications/{id}/appealable/",
    ]:
        assert path in paths, path
    assert set(paths["/api/v1/appeals/{id}/"]) >= {"get", "patch"}
    queue_parameters = {p["name"] for p in paths["/api/v1/appeals/queue/"]["get"]["parameters"]}
    assert queue_parameters >= {"status", "subject", "mine", "overdue", "page"}
    internal = schema["components"]["schemas"]["Appeal"]["properties"]["internal"]
    assert internal
