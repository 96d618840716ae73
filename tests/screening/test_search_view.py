"""The search page: who may open it, its empty state, hits with their explanations in words,
and bad input shown with its message and kept in the form."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from screening.services import list_version_import
from tests.access import ACTORS, LOGIN_REDIRECT, only
from tests.screening.access_lists import LIST_SEARCHERS

from .conftest import UN

SADDAM = "6908048"
URL = reverse("screening:search")
EXPECT = only(LIST_SEARCHERS, 200, 403)


@pytest.fixture(scope="module")
def un_list(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield list_version_import(actor=None, paths=[UN])
        transaction.set_rollback(True)


@pytest.fixture
def lists(un_list, db):
    return un_list


@pytest.fixture
def official(client, module_world):
    client.force_login(module_world.case_officer)
    return client


@pytest.mark.parametrize("actor", ACTORS)
def test_search_page_only_for_officials_who_screen(client, lists, module_world, actor):
    user = module_world.actor(actor)
    if user is not None:
        client.force_login(user)

    response = client.get(URL, {"name": "Saddam Hussein"})

    assert response.status_code == EXPECT[actor], actor
    if actor == "anonymous":
        assert response.status_code == LOGIN_REDIRECT
        assert response.url.startswith(reverse("accounts:login"))
    elif response.status_code == 200:
        assert "SADDAM HUSSEIN AL-TIKRITI" in response.content.decode()


def test_search_page_without_a_name_shows_the_form_and_what_to_do(official, lists):
    response = official.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["result"] is None
    assert 'name="name"' in page
    assert 'name="birth_date"' in page
    assert "Enter a name above to screen it." in page
    assert "usa-alert--error" not in page


def test_search_page_shows_hits_with_their_explanations(official, lists):
    response = official.get(
        URL,
        {
            "name": "Saddam Husein al-Tikriti",
            "schema": "person",
            "country": "IQ",
            "birth_date": "1937",
            "limit": "5",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    result = response.context["result"]
    best = result["hits"][0]
    assert (best["list"], best["entry_id"]) == ("un_sc", SADDAM)
    assert len(result["hits"]) <= 5
    assert re.search(r"\d+ hits? for “Saddam Husein al-Tikriti”", page)
    assert "1. SADDAM HUSSEIN AL-TIKRITI" in page
    assert f"score {best['score']:.2f}" in page
    assert "<code>un_sc</code> entry <code>6908048</code>" in page
    # the explanation, in words: token by token, then every feature the engine gave
    assert "Name, token by token" in page
    assert best["tokens"], "the engine explains the name token by token"
    first_token = best["tokens"][0]
    assert f"<td>{first_token['query']}</td>" in page
    labels = [feature["label"] for feature in best["features"]]
    for label in ("Name", "Country", "Date of birth", "Script"):
        assert label in labels
        assert f'<dt class="text-bold">{label}</dt>' in page
    country = next(f for f in best["features"] if f["label"] == "Country")
    assert "IQ" in country["text"]
    # form values stay in the form
    assert 'value="Saddam Husein al-Tikriti"' in page
    assert 'value="IQ"' in page


def test_search_page_finds_a_name_in_its_original_script(official, lists):
    response = official.get(URL, {"name": "صدام حسين التكريتي"})

    best = response.context["result"]["hits"][0]
    assert best["entry_id"] == SADDAM
    assert best["matched_name"] == "صدام حسين التكريتي"
    page = response.content.decode()
    assert "(an alias or another form of the entry" in page
    assert "compared in the same script" in page


def test_search_page_queries_stay_few_once_the_index_is_built(
    official, lists, django_assert_max_num_queries
):
    official.get(URL, {"name": "Saddam Hussein"})  # builds this process's index if need be

    # The search itself costs one query (which list versions are in force); the rest is the
    # site's shell: session, user, permissions, roles for the navigation, notifications.
    with django_assert_max_num_queries(11) as queries:
        response = official.get(URL, {"name": "Saddam Hussein"})

    assert response.context["result"]["hits"]
    touching_lists = [q["sql"] for q in queries.captured_queries if "screening_" in q["sql"]]
    assert len(touching_lists) == 1


def test_search_page_with_no_hits_says_so(official, lists):
    response = official.get(URL, {"name": "Qwyzzt Vrumplebottom"})

    page = response.content.decode()
    assert response.context["result"]["hits"] == []
    assert "0 hits for “Qwyzzt Vrumplebottom”" in page
    assert "No listed party scores at or above the threshold for this name." in page


def test_search_page_keeps_bad_input_and_says_what_is_wrong(official, lists):
    response = official.get(
        URL,
        {
            "name": "Saddam",
            "schema": "ship",
            "country": "XX",
            "birth_date": "1937-13",
            "limit": "0",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["result"] is None
    assert "Please correct what is marked below; nothing you entered has been lost." in page
    assert "“XX” is not a country code" in page
    assert "“1937-13” is not a date of birth" in page
    assert "Select a valid choice. ship is not one of the available choices." in page
    assert "Ensure this value is greater than or equal to 1." in page
    assert 'value="Saddam"' in page
    assert 'value="XX"' in page
    assert 'value="1937-13"' in page
    assert 'value="0"' in page


def test_search_page_requires_a_name(official, lists):
    response = official.get(URL, {"name": "  ", "country": "IQ"})

    page = response.content.decode()
    assert response.context["result"] is None
    assert "This field is required." in page or "Enter a name to look for." in page
    assert 'value="IQ"' in page


def test_search_page_has_no_inline_styles_or_scripts(official, lists):
    page = official.get(URL, {"name": "Saddam Hussein"}).content.decode()

    assert " style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\son[a-z]+=", page)
