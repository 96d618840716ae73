"""The list pages: who may see them, what they show, and their query budgets."""

import pytest
from django.urls import reverse

from screening.services import list_version_import
from tests.access import ACTORS

from .access_lists import ROUTES
from .conftest import EU, OFAC_V1, OFAC_V2, UN


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_list_pages_access(client, db, module_world, route, actor):
    """The rows of access_lists.py, checked here as tests/test_access_matrix.py checks them."""
    user = module_world.actor(actor)
    if user is not None:
        client.force_login(user)

    response = client.get(reverse(route.name, kwargs=route.kwargs(module_world)))

    assert response.status_code == route.expect[actor], actor


def test_source_list_shows_sources_versions_counts_and_differences(
    client, db, module_world, django_assert_max_num_queries
):
    list_version_import(actor=None, paths=OFAC_V1)
    latest = list_version_import(actor=None, paths=OFAC_V2)
    list_version_import(actor=None, paths=[EU])
    client.force_login(module_world.policy_admin)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("screening:source_list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "OFAC Specially Designated Nationals (SDN) List" in page
    assert "EU Consolidated Financial Sanctions List" in page
    versions = list(response.context["page"].object_list)
    assert [version.source.code for version in versions] == ["eu_fsf", "us_ofac_sdn", "us_ofac_sdn"]
    assert versions[1] == latest
    assert "<td>+1</td>" in page  # added against the previous version
    assert "<td>\u22121</td>" in page  # removed (a minus sign)


def test_source_list_filters_by_source(client, db, module_world):
    list_version_import(actor=None, paths=OFAC_V1)
    list_version_import(actor=None, paths=[EU])
    client.force_login(module_world.auditor)

    response = client.get(reverse("screening:source_list"), {"source": "eu_fsf"})

    assert [v.source.code for v in response.context["page"].object_list] == ["eu_fsf"]


def test_version_detail_lists_and_searches_entries(
    client, db, module_world, django_assert_max_num_queries
):
    version = list_version_import(actor=None, paths=[UN])
    client.force_login(module_world.auditor)
    url = reverse("screening:version_detail", kwargs={"pk": version.pk})

    with django_assert_max_num_queries(15):  # a page of 50 entries with their aliases
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1003
    assert len(response.context["page"].object_list) == 50

    response = client.get(url, {"q": "التكريتي"})  # an original-script name
    assert response.status_code == 200
    found = response.context["page"].object_list
    assert found
    assert "صدام حسين التكريتي" in response.content.decode()

    response = client.get(url, {"q": "zzzz-no-such-name"}, headers={"HX-Request": "true"})
    partial = response.content.decode()
    assert "0 entries with a name containing" in partial
    assert "<html" not in partial  # only the #entries partial


def test_version_detail_of_a_missing_version_is_404(client, db, module_world):
    client.force_login(module_world.policy_admin)

    response = client.get(reverse("screening:version_detail", kwargs={"pk": 999999}))

    assert response.status_code == 404
