"""POST /api/v1/screening/search: who may call it, what it answers (the same dict as
`manage.py screen --json`), its validation errors and its OpenAPI description."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from screening.services import list_version_import
from tests.access import ACTORS, API_UNAUTHENTICATED, only
from tests.screening.access_lists import LIST_SEARCHERS

from .conftest import UN

SADDAM = "6908048"
URL = "/api/v1/screening/search"
HIT_KEYS = {"list", "entry_id", "name", "matched_name", "score", "explanation"}
EXPECT = only(LIST_SEARCHERS, 200, 403, anonymous=API_UNAUTHENTICATED)


@pytest.fixture(scope="module")
def un_list(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield list_version_import(actor=None, paths=[UN])
        transaction.set_rollback(True)


@pytest.fixture
def lists(un_list, db):
    return un_list


def _post(client, data):
    return client.post(URL, data, content_type="application/json")


def test_screening_search_url_is_the_interfaces():
    assert reverse("api:screening_search") == URL


@pytest.mark.parametrize("actor", ACTORS)
def test_screening_search_only_officials_who_screen(client, lists, module_world, actor):
    user = module_world.actor(actor)
    if user is not None:
        client.force_login(user)

    response = _post(client, {"name": "Saddam Hussein al-Tikriti"})

    assert response.status_code == EXPECT[actor], actor
    if response.status_code != 200:
        assert set(response.json()["error"]) == {"status", "code", "message", "fields"}


def test_screening_search_answers_what_screen_json_prints(client, lists, module_world):
    client.force_login(module_world.case_officer)
    query = {
        "name": "saddam hussein",
        "schema": "person",
        "country": "iq",
        "birth_date": "1937-04-28",
        "limit": 3,
    }

    response = _post(client, query)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"query", "threshold", "matches"}
    assert 1 <= len(body["matches"]) <= 3
    assert all(set(match) == HIT_KEYS for match in body["matches"])
    assert body["matches"][0]["entry_id"] == SADDAM
    assert body["matches"][0]["list"] == "un_sc"
    out = StringIO()
    call_command(
        "screen",
        "saddam hussein",
        "--schema=person",
        "--country=iq",
        "--birth-date=1937-04-28",
        "--limit=3",
        "--json",
        stdout=out,
    )
    assert body == json.loads(out.getvalue())


def test_screening_search_defaults_everything_but_the_name(client, lists, module_world):
    client.force_login(module_world.auditor)

    body = _post(client, {"name": "Saddam Hussein al-Tikriti"}).json()

    out = StringIO()
    call_command("screen", "Saddam Hussein al-Tikriti", "--json", stdout=out)
    assert body == json.loads(out.getvalue())
    assert len(body["matches"]) <= 10


def test_screening_search_accepts_nulls_and_blanks_for_the_optional_fields(
    client, lists, module_world
):
    client.force_login(module_world.senior_official)

    response = _post(
        client,
        {"name": "Saddam Hussein al-Tikriti", "country": None, "birth_date": "", "schema": "any"},
    )

    assert response.status_code == 200
    assert response.json()["matches"][0]["entry_id"] == SADDAM


def test_screening_search_rejects_bad_input_in_the_error_shape(client, lists, module_world):
    client.force_login(module_world.case_officer)

    response = _post(
        client,
        {"name": " ... ", "schema": "ship", "country": "XX", "birth_date": "1937-13", "limit": 0},
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["message"]) == (400, "Some fields are invalid: see fields.")
    fields = error["fields"]
    assert set(fields) == {"name", "schema", "country", "birth_date", "limit"}
    assert fields["name"] == ["Enter a name to look for."]
    assert fields["schema"] == ['"ship" is not a valid choice.']
    assert fields["country"][0].startswith("“XX” is not a country code")
    assert fields["birth_date"][0].startswith("“1937-13” is not a date of birth")
    assert fields["limit"] == ["Ensure this value is greater than or equal to 1."]


def test_screening_search_requires_a_name_and_a_json_object(client, lists, module_world):
    client.force_login(module_world.policy_admin)

    missing = _post(client, {"schema": "person"})
    not_json = client.post(URL, {"name": "Saddam"})  # a form, not JSON
    too_long = _post(client, {"name": "x" * 301})

    assert missing.status_code == 400
    assert missing.json()["error"]["fields"] == {"name": ["This field is required."]}
    assert not_json.status_code == 415
    assert not_json.json()["error"]["code"] == "unsupported_media_type"
    assert too_long.status_code == 400
    assert list(too_long.json()["error"]["fields"]) == ["name"]


def test_screening_search_is_post_only(client, lists, module_world):
    client.force_login(module_world.case_officer)

    assert client.get(URL).status_code == 405


def test_screening_search_is_in_the_openapi_schema(client, db):
    schema = client.get(reverse("api_docs:schema"), {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/screening/search"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ScreeningSearchInput"
    }
    assert set(operation["responses"]) >= {"200", "400", "403"}
    components = schema["components"]["schemas"]
    assert set(components["ScreeningSearchInput"]["properties"]) == {
        "name",
        "schema",
        "country",
        "birth_date",
        "limit",
    }
    assert set(components["ScreeningResult"]["properties"]) == {"query", "threshold", "matches"}
    assert list(operation["requestBody"]["content"]) == ["application/json"]
    assert set(components["ScreeningHit"]["properties"]) == HIT_KEYS
