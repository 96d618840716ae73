"""The public "Do I need a licence?" page, its code search, and the control-data pages."""

import pytest
from django.urls import reverse

from screening.models import ControlDataset

CHECK = reverse("controls:licence_check")
CODES = reverse("controls:code_search")


@pytest.fixture
def data(module_control_data, db):
    return module_control_data


def test_licence_check_anonymous_reads_the_determination(client, data):
    response = client.get(CHECK, {"code": "3A001", "destination": "DE"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "A licence is needed" in page
    assert 'data-testid="reasons"' in page
    assert "NS 1" in page
    assert "column NS 1, row “Germany”" in page
    assert "Shipments to Country Group B countries (GBS)" in page
    assert "ccl:2026-07-23#27f7e1fd44cb" in page
    assert "15 CFR Part 744" in page
    assert reverse("licensing:application_create") in page


def test_licence_check_no_x_still_says_end_use_checks_apply(client, data):
    response = client.get(CHECK, {"code": "EAR99", "destination": "DE"})

    page = response.content.decode()
    assert "A licence is probably not needed, but end-use and end-user checks apply" in page
    assert "That is not a clearance" in page


def test_licence_check_embargoed_destination_refers(client, data):
    page = client.get(CHECK, {"code": "3A001", "destination": "IR"}).content.decode()

    assert "Refer: ask us" in page
    assert "Embargoed or restricted destination." in page
    assert "See part 746 of the EAR" in page


def test_licence_check_bad_input_keeps_what_was_typed(client, data):
    response = client.get(CHECK, {"code": "3a998", "destination": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "We found no control code 3A998" in page
    assert "Choose a destination." in page
    assert 'value="3a998"' in page


def test_licence_check_words_show_close_matches_without_javascript(client, data):
    response = client.get(CHECK, {"code": "cameras", "destination": "IN"})

    page = response.content.decode()
    assert "is not a control code" in page
    assert 'value="cameras"' in page
    assert "selected>India</option>" in page or '"IN" selected' in page
    codes = [match["code"] for match in response.context["matches"]]
    assert "6A003" in codes
    assert f"{CHECK}?code=6A003&amp;destination=IN" in page


def test_code_search_by_heading_text_for_htmx(client, data):
    response = client.get(CODES, {"code": "cameras", "destination": "DE"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="code-suggestions"')
    assert "<h1>" not in page
    assert "6A003" in page
    assert f"{CHECK}?code=6A003&amp;destination=DE" in page


def test_code_search_without_javascript_renders_the_page(client, data):
    response = client.get(CODES, {"q": "3A00"})

    page = response.content.decode()
    assert "<h1>Do I need a licence?</h1>" in page
    assert "3A001" in page
    assert 'value="3A00"' in page


def test_control_dataset_list_shows_datasets_to_policy_admins(client, world, data):
    client.force_login(world.policy_admin)

    response = client.get(reverse("screening:control_dataset_list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "27f7e1fd44cb" in page
    assert "1537 licence-requirement rows" in page
    ccl = data[ControlDataset.Kind.CCL]
    assert reverse("screening:control_dataset_review", args=[ccl.pk]) in page


def test_control_dataset_review_lists_rows_needing_review(client, world, data):
    client.force_login(world.auditor)
    ccl = data[ControlDataset.Kind.CCL]

    response = client.get(reverse("screening:control_dataset_review", args=[ccl.pk]))

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 272
    assert "Refer to § 742.15 of the EAR." in response.content.decode() or (
        response.context["page"].paginator.num_pages > 1
    )


def test_control_dataset_pages_refuse_exporters(client, world, data):
    client.force_login(world.exporter)

    assert client.get(reverse("screening:control_dataset_list")).status_code == 403
