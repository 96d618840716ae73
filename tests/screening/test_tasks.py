"""The scheduled fetch: download a configured URL per source and import it (never the network
in tests: file:// URLs, or a replaced download function)."""

import pytest

from screening.models import ListSource, ListVersion
from screening.services import lists as services
from screening.tasks import list_fetch as list_fetch_task
from screening.tasks import list_fetch_all as list_fetch_all_task

from .conftest import EU, OFAC_V1, UK


def test_list_fetch_imports_the_configured_url(db, settings):
    settings.SCREENING_LIST_FETCH_URLS = {"eu_fsf": EU.as_uri()}

    version_id = list_fetch_task.delay("eu_fsf").get()

    version = ListVersion.objects.get(pk=version_id)
    assert version.source.code == "eu_fsf"
    assert version.imported_by is None
    assert version.entry_count == 3


def test_list_fetch_of_an_unchanged_list_keeps_the_active_version(db, settings):
    settings.SCREENING_LIST_FETCH_URLS = {"us_ofac_sdn": [path.as_uri() for path in OFAC_V1]}

    first = list_fetch_task("us_ofac_sdn")
    second = list_fetch_task("us_ofac_sdn")

    assert first == second
    assert ListVersion.objects.filter(source__code="us_ofac_sdn").count() == 1


def test_list_fetch_uses_the_source_fetch_url(db, settings, monkeypatch, tmp_path):
    settings.SCREENING_LIST_FETCH_URLS = {}
    ListSource.objects.create(
        code="uk_ofsi", name="UK", publisher="OFSI", fetch_url="https://example.invalid/ConList.csv"
    )
    requested = []

    def fake_download(*, url, folder):
        requested.append(url)
        return UK

    monkeypatch.setattr(services, "list_download", fake_download)

    version_id = list_fetch_task("uk_ofsi")

    assert requested == ["https://example.invalid/ConList.csv"]
    assert ListVersion.objects.get(pk=version_id).entry_count == 3


def test_list_fetch_without_a_url_does_nothing(db, settings):
    settings.SCREENING_LIST_FETCH_URLS = {}

    assert list_fetch_task("un_sc") is None
    assert not ListVersion.objects.exists()


def test_list_download_refuses_other_schemes(tmp_path):
    with pytest.raises(services.ListFetchError, match="not an http"):
        services.list_download(url="ftp://example.invalid/sdn.csv", folder=tmp_path)


def test_list_download_failure_is_a_fetch_error(tmp_path):
    with pytest.raises(services.ListFetchError, match="Could not download"):
        services.list_download(url=(tmp_path / "missing.csv").as_uri(), folder=tmp_path)


def test_list_fetch_all_queues_every_configured_source(
    db, settings, django_capture_on_commit_callbacks
):
    settings.SCREENING_LIST_FETCH_URLS = {"eu_fsf": EU.as_uri(), "uk_ofsi": UK.as_uri()}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        codes = list_fetch_all_task()

    assert codes == ["eu_fsf", "uk_ofsi"]
    assert len(callbacks) == 2
    assert set(ListVersion.objects.values_list("source__code", flat=True)) == {"eu_fsf", "uk_ofsi"}
