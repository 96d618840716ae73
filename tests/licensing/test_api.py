"""The licensing API: exporters' applications, licences and shipments; officials' cases."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from licensing.models import Application, Licence
from licensing.services.cases import case_note_add, consultation_request

from .factories import DUE_DILIGENCE_ALL_NO, END_USE_DATA, PDF_BYTES, make_approved

pytestmark = pytest.mark.django_db

TECHNOLOGY_APPLICATION = {
    "kind": "technology",
    "title": "Visiting researcher: radar signal processing",
    "contact_name": "Ada Exporter",
    "contact_email": "ada@northwind.example",
    "contact_phone": "+44 20 7946 0000",
    **END_USE_DATA,
    "due_diligence": DUE_DILIGENCE_ALL_NO,
    "items": [
        {
            "description": "Know-how on synthetic-aperture radar processing",
            "control_code": "5E001.b.1",
            "technical_description": "Lectures and source code walkthroughs.",
            "quantity": "40",
            "unit": "hours",
            "value": "12000.00",
            "currency": "GBP",
            "transfer_form": "visit",
        }
    ],
    "parties": [
        {
            "role": "end_user",
            "name": "Institut für Hochfrequenztechnik",
            "kind": "research",
            "address": "Wüllnerstraße 10, Berlin",
            "country": "DE",
            "website": "https://ihf.example",
        }
    ],
}


@pytest.fixture
def api():
    return APIClient()


def _url(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


def _error(response) -> dict:
    return response.json()["error"]


# --- Applications ------------------------------------------------------------------------


def test_application_list_create_then_submit_with_a_token(api, world):
    token, _created = Token.objects.get_or_create(user=world.exporter)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    created = api.post(_url("application_list"), TECHNOLOGY_APPLICATION, format="json")
    body = created.json()

    assert created.status_code == 201, body
    assert body["status"] == "draft"
    assert body["kind"] == "technology"
    assert body["organisation"] == world.organisation.pk
    assert body["problems"] == []
    assert body["items"][0]["control_code"] == "5E001.b.1"
    assert body["items"][0]["quantity"] == "40.000"
    assert body["parties"][0]["country"] == "DE"
    assert body["due_diligence"] == DUE_DILIGENCE_ALL_NO

    submitted = api.post(_url("application_submit", pk=body["id"]))

    assert submitted.status_code == 200, submitted.json()
    # Screening runs in a worker once the submission commits: the answer says so.
    assert submitted.json()["status"] == "screening"
    assert submitted.json()["declared_at"] is not None


def test_application_submit_of_an_incomplete_draft_lists_the_problems(api, world):
    api.force_authenticate(world.exporter)
    created = api.post(
        _url("application_list"), {"kind": "goods", "title": "Only a title"}, format="json"
    ).json()

    response = api.post(_url("application_submit", pk=created["id"]))

    error = _error(response)
    assert response.status_code == 400
    assert error["code"] == "incomplete"
    assert error["message"].startswith("The application is not complete")
    assert "Add the end user." in error["fields"]["problems"]
    assert Application.objects.get(pk=created["id"]).status == Application.Status.DRAFT


def test_application_goods_draft_gets_its_undertaking_through_a_document_upload(api, world):
    api.force_authenticate(world.exporter)
    goods = {
        **TECHNOLOGY_APPLICATION,
        "kind": "goods",
        "items": [{**TECHNOLOGY_APPLICATION["items"][0], "unit": "items", "transfer_form": ""}],
        "parties": [
            {**TECHNOLOGY_APPLICATION["parties"][0]},
            {**TECHNOLOGY_APPLICATION["parties"][0], "role": "consignee", "name": "Forwarder"},
        ],
    }
    created = api.post(_url("application_list"), goods, format="json").json()
    end_user = next(p for p in created["parties"] if p["role"] == "end_user")
    assert [p["message"] for p in created["problems"]] == [
        "Institut für Hochfrequenztechnik: attach the end-user undertaking."
    ]

    upload = api.post(
        _url("application_document_list", pk=created["id"]),
        {"file": _pdf("undertaking.pdf"), "kind": "undertaking", "party": end_user["id"]},
        format="multipart",
    )

    assert upload.status_code == 201, upload.json()
    assert upload.json()["content_type"] == "application/pdf"
    detail = api.get(_url("application_detail", pk=created["id"])).json()
    assert detail["problems"] == []
    assert (
        next(p for p in detail["parties"] if p["role"] == "end_user")["undertaking"]
        == (upload.json()["id"])
    )
    listed = api.get(_url("application_document_list", pk=created["id"])).json()
    assert [d["original_name"] for d in listed["results"]] == ["undertaking.pdf"]
    assert api.post(_url("application_submit", pk=created["id"])).status_code == 200


def _pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_application_document_upload_checks_the_content(api, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.force_authenticate(world.exporter)
    created = api.post(_url("application_list"), {"kind": "goods"}, format="json").json()
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")

    response = api.post(
        _url("application_document_list", pk=created["id"]), {"file": fake}, format="multipart"
    )

    assert response.status_code == 400
    assert "Windows program" in _error(response)["fields"]["file"][0]


def test_application_create_validates_nested_items_and_parties(api, world):
    api.force_authenticate(world.exporter)
    bad = {
        **TECHNOLOGY_APPLICATION,
        "items": [{"description": "x", "unit": "barrels", "quantity": "-1"}],
        "parties": [{"role": "end_user", "name": "Y", "country": "XX"}],
    }

    response = api.post(_url("application_list"), bad, format="json")

    error = _error(response)
    assert response.status_code == 400
    assert set(error["fields"]) == {"items", "parties"}
    assert not Application.objects.exists()


def test_application_create_needs_membership_of_the_organisation(api, world):
    api.force_authenticate(world.exporter)
    other = api.post(
        _url("application_list"),
        {"kind": "goods", "organisation": world.other_organisation.pk},
        format="json",
    )
    api.force_authenticate(world.case_officer)
    official = api.post(_url("application_list"), {"kind": "goods"}, format="json")

    assert other.status_code == 400
    assert "organisation" in _error(other)["fields"]
    assert official.status_code == 403


def test_application_list_shows_only_the_callers_organisations(api, world, draft):
    api.force_authenticate(world.exporter)
    own = api.get(_url("application_list")).json()
    api.force_authenticate(world.other_exporter)
    other = api.get(_url("application_list")).json()

    assert [a["reference"] for a in own["results"]] == [draft.reference]
    assert other["count"] == 0


def test_application_list_filters_by_status(api, world, draft, submitted):
    api.force_authenticate(world.exporter)
    drafts = api.get(_url("application_list"), {"status": "draft"}).json()
    triage = api.get(_url("application_list"), {"status": "triage"}).json()
    bad = api.get(_url("application_list"), {"status": "nonsense"})

    assert drafts["count"] == 0
    assert [a["id"] for a in triage["results"]] == [submitted.pk]
    assert bad.status_code == 400


def test_application_list_queries_do_not_grow_with_rows(
    api, world, draft, django_assert_max_num_queries
):
    api.force_authenticate(world.exporter)
    for _n in range(5):
        api.post(_url("application_list"), {"kind": "goods"}, format="json")

    with django_assert_max_num_queries(6):
        response = api.get(_url("application_list"))

    assert response.json()["count"] == 6


def test_application_detail_patch_saves_step_fields_of_a_draft(api, world, draft):
    api.force_authenticate(world.exporter)
    response = api.patch(
        _url("application_detail", pk=draft.pk),
        {"title": "Renamed", "military_end_use": True, "due_diligence": {"unusual_payment": "yes"}},
        format="json",
    )

    draft.refresh_from_db()
    assert response.status_code == 200, response.json()
    assert (draft.title, draft.military_end_use) == ("Renamed", True)
    assert draft.due_diligence == {"unusual_payment": "yes"}


def test_application_detail_patch_rejects_unknown_questions_and_submitted_applications(
    api, world, submitted
):
    api.force_authenticate(world.exporter)
    unknown = api.patch(
        _url("application_detail", pk=submitted.pk),
        {"due_diligence": {"favourite_colour": "yes"}},
        format="json",
    )
    too_late = api.patch(
        _url("application_detail", pk=submitted.pk), {"title": "Late"}, format="json"
    )

    assert unknown.status_code == 400
    assert "due_diligence" in _error(unknown)["fields"]
    assert too_late.status_code == 400
    assert _error(too_late)["message"] == (
        "Only a draft can be changed; this application has been submitted."
    )


def test_application_detail_is_404_for_another_organisation(api, world, draft):
    api.force_authenticate(world.other_exporter)

    assert api.get(_url("application_detail", pk=draft.pk)).status_code == 404
    patched = api.patch(_url("application_detail", pk=draft.pk), {"title": "x"}, format="json")
    assert patched.status_code == 404
    assert api.post(_url("application_submit", pk=draft.pk)).status_code == 404
    assert api.post(_url("application_withdraw", pk=draft.pk)).status_code == 404


def test_application_withdraw_by_the_exporter_not_by_an_official(api, world, submitted):
    api.force_authenticate(world.case_officer)
    official = api.post(_url("application_withdraw", pk=submitted.pk))
    api.force_authenticate(world.exporter)
    withdrawn = api.post(_url("application_withdraw", pk=submitted.pk))

    assert official.status_code == 403
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"


def test_application_detail_shows_the_licence_of_an_approved_application(api, world, approved):
    api.force_authenticate(world.exporter)
    body = api.get(_url("application_detail", pk=approved.pk)).json()

    assert body["licence"] == {
        "id": approved.licence.pk,
        "number": approved.licence.number,
        "status": "active",
    }
    assert "tier" not in body


# --- Licences and shipments --------------------------------------------------------------


def test_licence_list_and_detail_for_the_holder(api, world, licence):
    api.force_authenticate(world.exporter)
    listed = api.get(_url("licence_list")).json()
    detail = api.get(_url("licence_detail", pk=licence.pk)).json()

    assert [row["number"] for row in listed["results"]] == [licence.number]
    assert detail["conditions"] == licence.conditions
    item = detail["items"][0]
    assert (item["quantity"], item["remaining_quantity"]) == ("10.000", "10.000")
    assert (item["value"], item["remaining_value"]) == ("50000.00", "50000.00")


def test_licence_list_filters_and_hides_other_organisations(api, world, licence):
    api.force_authenticate(world.other_exporter)
    other = api.get(_url("licence_list")).json()
    hidden = api.get(_url("licence_detail", pk=licence.pk))
    api.force_authenticate(world.auditor)
    expired = api.get(_url("licence_list"), {"status": "expired"}).json()
    by_number = api.get(_url("licence_list"), {"number": licence.number}).json()

    assert other["count"] == 0
    assert hidden.status_code == 404
    assert expired["count"] == 0
    assert by_number["count"] == 1


def test_licence_shipment_list_records_and_lists_shipments(api, world, licence):
    item = licence.items.get()
    api.force_authenticate(world.exporter)
    response = api.post(
        _url("licence_shipment_list", pk=licence.pk),
        {
            "shipped_on": timezone.localdate().isoformat(),
            "reference": "ERP-7781",
            "lines": [{"licence_item": item.pk, "quantity": "3", "value": "15000"}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["lines"][0]["quantity"] == "3.000"
    item.refresh_from_db()
    assert item.remaining_quantity == Decimal(7)
    listed = api.get(_url("licence_shipment_list", pk=licence.pk)).json()
    assert [s["reference"] for s in listed["results"]] == ["ERP-7781"]


def test_licence_shipment_beyond_the_balance_is_400_with_the_message(api, world, licence):
    item = licence.items.get()
    api.force_authenticate(world.exporter)
    response = api.post(
        _url("licence_shipment_list", pk=licence.pk),
        {
            "shipped_on": timezone.localdate().isoformat(),
            "lines": [{"licence_item": item.pk, "quantity": "11", "value": "1"}],
        },
        format="json",
    )

    error = _error(response)
    assert response.status_code == 400
    assert error["code"] == "exceeds_licence"
    assert "only 10 items worth 50000.00 GBP remain on this licence" in error["message"]
    assert not licence.shipments.exists()


def test_licence_shipment_of_an_item_of_another_licence_is_400(api, world, licence):
    other_item = make_approved(world).licence.items.get()
    api.force_authenticate(world.exporter)
    response = api.post(
        _url("licence_shipment_list", pk=licence.pk),
        {
            "shipped_on": timezone.localdate().isoformat(),
            "lines": [{"licence_item": other_item.pk, "quantity": "1", "value": "1"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "is not on this licence" in _error(response)["fields"]["lines"][0]


def test_licence_shipment_is_recorded_by_the_holder_only(api, world, licence):
    item = licence.items.get()
    shipment = {
        "shipped_on": timezone.localdate().isoformat(),
        "lines": [{"licence_item": item.pk, "quantity": "1", "value": "1"}],
    }
    api.force_authenticate(world.case_officer)
    official = api.post(_url("licence_shipment_list", pk=licence.pk), shipment, format="json")
    api.force_authenticate(world.other_exporter)
    stranger = api.post(_url("licence_shipment_list", pk=licence.pk), shipment, format="json")

    assert official.status_code == 403
    assert stranger.status_code == 404
    assert Licence.objects.get(pk=licence.pk).shipments.count() == 0


# --- Officials: queues and cases ---------------------------------------------------------


def test_case_queue_list_shows_officials_the_triage_and_team_queues(api, world, submitted):
    api.force_authenticate(world.case_officer)
    triage = api.get(_url("case_queue_list"), {"queue": "triage"}).json()
    team = api.get(_url("case_queue_list")).json()
    high = api.get(_url("case_queue_list"), {"queue": "triage", "tier": "high"}).json()

    row = triage["results"][0]
    assert [r["reference"] for r in triage["results"]] == [submitted.reference]
    assert row["applicant"] == "Northwind Instruments Ltd"
    assert row["destinations"] == ["DE"]
    assert row["tier"] == "medium"
    assert row["assigned_officer"] is None
    assert isinstance(row["working_days_left"], int)
    assert team["count"] == 1
    assert high["count"] == 0


def test_case_queue_list_rejects_bad_filters(api, world):
    api.force_authenticate(world.case_officer)

    assert api.get(_url("case_queue_list"), {"queue": "mine"}).status_code == 400
    assert api.get(_url("case_queue_list"), {"tier": "extreme"}).status_code == 400


def test_case_queue_list_assigned_to_me(api, world, under_review):
    api.force_authenticate(world.case_officer)
    mine = api.get(_url("case_queue_list"), {"assigned": "mine"}).json()
    api.force_authenticate(world.senior_official)
    theirs = api.get(_url("case_queue_list"), {"assigned": "mine"}).json()

    assert [r["id"] for r in mine["results"]] == [under_review.pk]
    assert theirs["count"] == 0


def test_case_queue_list_is_for_officials_and_advisors_see_referred_cases(api, world, under_review):
    api.force_authenticate(world.exporter)
    exporter = api.get(_url("case_queue_list"))
    api.force_authenticate(world.advisor)
    before = api.get(_url("case_queue_list")).json()
    consultation_request(
        actor=world.case_officer,
        application=under_review,
        teams=[world.defence_team],
        question="Any military end use concern?",
    )
    after = api.get(_url("case_queue_list")).json()

    assert exporter.status_code == 403
    assert before["count"] == 0
    assert [r["id"] for r in after["results"]] == [under_review.pk]


def test_case_queue_list_queries_do_not_grow_with_rows(
    api, world, submitted, django_assert_max_num_queries
):
    from .factories import make_submitted

    for _n in range(4):
        make_submitted(world)
    api.force_authenticate(world.case_officer)

    with django_assert_max_num_queries(8):
        response = api.get(_url("case_queue_list"))

    assert response.json()["count"] == 5


def test_case_detail_for_officials_with_notes(api, world, under_review):
    case_note_add(actor=world.case_officer, application=under_review, text="Check the end user.")
    api.force_authenticate(world.senior_official)

    body = api.get(_url("case_detail", pk=under_review.pk)).json()

    assert body["reference"] == under_review.reference
    assert body["assigned_officer"] == world.case_officer.get_full_name()
    assert [n["text"] for n in body["notes"]] == ["Check the end user."]
    assert body["items"][0]["control_code"] == "3A001.b.2"
    assert {p["role"] for p in body["parties"]} == {"consignee", "end_user"}


def test_case_detail_is_forbidden_to_exporters_and_404_for_drafts(api, world, draft, submitted):
    other_draft = Application.objects.create(
        reference="EG-TEST-DRAFT", organisation=world.organisation, created_by=world.exporter
    )
    api.force_authenticate(world.exporter)
    exporter = api.get(_url("case_detail", pk=submitted.pk))
    api.force_authenticate(world.case_officer)
    of_draft = api.get(_url("case_detail", pk=other_draft.pk))
    api.force_authenticate(world.advisor)
    unreferred = api.get(_url("case_detail", pk=submitted.pk))

    assert exporter.status_code == 403
    assert of_draft.status_code == 404
    assert unreferred.status_code == 404


def test_case_detail_hides_notes_from_advisors(api, world, under_review):
    case_note_add(actor=world.case_officer, application=under_review, text="Internal.")
    consultation_request(
        actor=world.case_officer,
        application=under_review,
        teams=[world.defence_team],
        question="Concerns?",
    )
    api.force_authenticate(world.advisor)

    body = api.get(_url("case_detail", pk=under_review.pk)).json()

    assert body["notes"] == []
    assert body["consultations"][0]["question"] == "Concerns?"


# --- Documentation -----------------------------------------------------------------------


def test_openapi_schema_documents_the_licensing_paths(client):
    response = client.get(reverse("api_docs:schema"), {"format": "json"})

    paths = response.json()["paths"]
    for path in [
        "/api/v1/applications/",
        "/api/v1/applications/{id}/",
        "/api/v1/applications/{id}/submit/",
        "/api/v1/applications/{id}/withdraw/",
        "/api/v1/applications/{id}/documents/",
        "/api/v1/licences/",
        "/api/v1/licences/{id}/",
        "/api/v1/licences/{id}/shipments/",
        "/api/v1/cases/",
        "/api/v1/cases/{id}/",
    ]:
        assert path in paths, path
    assert set(paths["/api/v1/applications/{id}/"]) >= {"get", "patch"}
    assert "post" in paths["/api/v1/licences/{id}/shipments/"]
    create = paths["/api/v1/applications/"]["post"]["requestBody"]["content"]["application/json"]
    assert create["schema"]["$ref"].endswith("/ApplicationCreateInput")
