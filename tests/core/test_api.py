import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_token_obtained_with_username_and_password_authenticates(api, world):
    response = api.post(reverse("api:token"), {"username": "exporter", "password": world.password})
    token = response.json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get(reverse("api:me")).json()

    assert me["username"] == "exporter"
    assert me["roles"] == ["exporter"]
    assert me["organisations"] == [
        {"id": world.organisation.pk, "name": world.organisation.name, "role": "admin"}
    ]


def test_errors_share_one_json_shape(api, world):
    unauthenticated = api.get(reverse("api:me"))
    assert unauthenticated.status_code == 401
    assert unauthenticated.json() == {
        "error": {
            "status": 401,
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
            "fields": {},
        }
    }

    api.force_authenticate(world.other_exporter)
    not_found = api.get(reverse("api:organisation_detail", kwargs={"pk": world.organisation.pk}))
    assert not_found.status_code == 404
    assert not_found.json()["error"]["code"] == "not_found"

    forbidden = api.get(reverse("api:audit_event_list"))
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "permission_denied"


def test_invalid_fields_are_listed_by_name(api, world):
    api.force_authenticate(world.auditor)
    response = api.get(
        reverse("api:audit_event_list"), {"date_from": "yesterday", "verb": "nonsense"}
    )

    error = response.json()["error"]
    assert response.status_code == 400
    assert set(error["fields"]) == {"date_from", "verb"}
    assert error["message"] == "Some fields are invalid: see fields."


def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_audit_events_are_paginated_and_filtered(api, world):
    for n in range(30):
        audit_record(actor=world.policy_admin, verb=AuditEvent.Verb.TEAM_CREATED, payload={"n": n})
    api.force_authenticate(world.auditor)

    first = api.get(
        reverse("api:audit_event_list"), {"verb": "team.created", "actor": world.policy_admin.email}
    )
    body = first.json()

    assert body["count"] == 30
    assert len(body["results"]) == 25
    assert body["results"][0]["payload"] == {"n": 29}
    assert api.get(body["next"]).json()["results"][-1]["payload"] == {"n": 0}


def test_organisation_list_is_scoped_to_the_caller(api, world):
    api.force_authenticate(world.exporter)
    names = [row["name"] for row in api.get(reverse("api:organisation_list")).json()["results"]]
    assert names == [world.organisation.name]

    api.force_authenticate(world.case_officer)
    names = [row["name"] for row in api.get(reverse("api:organisation_list")).json()["results"]]
    assert names == sorted([world.organisation.name, world.other_organisation.name])


def test_openapi_schema_describes_the_api(client):
    response = client.get(reverse("api_docs:schema"), {"format": "json"})
    schema = response.json()

    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]
    assert "/api/v1/audit/events/" in schema["paths"]


def test_api_docs_are_served_offline_without_inline_scripts(client):
    page = client.get(reverse("api_docs:docs")).content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "/static/drf_spectacular_sidecar/" in page
