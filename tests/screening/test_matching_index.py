"""The screening index and engine on real data (the UN list, imported once for the module):
aliases and original-script names are found, retrieval agrees with exhaustive scoring, and
engine_get swaps the index when a new list version becomes active."""

import pytest
from django.db import transaction

from screening.matching import engine
from screening.matching.index import ScreeningIndex
from screening.matching.types import Hit, Query, ScreenResult
from screening.models import EntryName
from screening.services import list_version_import

from .conftest import DPL, UN

SADDAM = "6908048"  # SADDAM HUSSEIN AL-TIKRITI, with his name in Arabic
ABID = "6908051"  # ABID HAMID MAHMUD AL-TIKRITI, with aliases and his name in Arabic


@pytest.fixture(scope="module")
def lists(django_db_setup, django_db_blocker):
    """The UN and BIS DPL lists, imported once inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        un = list_version_import(actor=None, paths=[UN])
        dpl = list_version_import(actor=None, paths=[DPL])
        yield {"un": un, "dpl": dpl}
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def index(lists, django_db_blocker):
    with django_db_blocker.unblock():
        return ScreeningIndex.build(version_ids=[lists["un"].pk, lists["dpl"].pk])


@pytest.fixture
def fresh_engine():
    engine.engine_reset()
    yield engine
    engine.engine_reset()


def entry_ids(hits):
    return [hit.entry_id for hit in hits]


def test_screening_index_build_holds_every_name_of_the_versions(index, lists, db):
    names = EntryName.objects.filter(version__in=lists.values()).count()
    assert len(index) == names > 4500
    assert index.version_key == tuple(sorted(v.pk for v in lists.values()))
    assert index.stats.entries == 1003 + 545


def test_screening_index_build_reads_each_table_once(lists, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        ScreeningIndex.build(version_ids=[lists["un"].pk])


def test_screening_index_search_finds_the_primary_name_despite_noise(index, db):
    for text in ["Saddam Hussein al-Tikriti", "HUSSEIN, Saddam", "sadam husein al tikriti"]:
        hits = index.search(Query(text), limit=5)
        assert hits[0].entry_id == SADDAM, text
        assert hits[0].list == "un_sc"
        assert hits[0].name == "SADDAM HUSSEIN AL-TIKRITI"


def test_screening_index_search_finds_aliases(index, db):
    hits = index.search(Query("Abed Mahmoud Hammud"), limit=5)
    assert hits[0].entry_id == ABID
    assert hits[0].matched_name == "Abed Mahmoud Hammud"
    assert hits[0].name == "ABID HAMID MAHMUD AL-TIKRITI"
    assert hits[0].score == 1.0
    # Every multi-word alias of the list's people finds its entry among the first three.
    aliases = (
        EntryName.objects.filter(version__source__code="un_sc", kind="aka", entry__schema="person")
        .select_related("entry")
        .order_by("pk")[:60]
    )
    missed = [
        alias.name
        for alias in aliases
        if len(alias.name.split()) > 1
        and alias.entry.entry_id not in entry_ids(index.search(Query(alias.name), limit=3))
    ]
    assert missed == []


def test_screening_index_search_finds_original_script_names(index, db):
    hits = index.search(Query("عابد حامد محمود التكريتي"), limit=3)
    assert hits[0].entry_id == ABID
    assert hits[0].matched_name == "عابد حامد محمود التكريتي"
    assert hits[0].explanation["script"] == "same script"
    assert hits[0].score == 1.0


def test_screening_index_search_transliterates_when_no_name_in_that_script(index, db):
    # The UN lists Saddam Hussein in Latin and Arabic script, not in Cyrillic.
    hits = index.search(Query("Саддам Хусейн ат-Тикрити"), limit=3)
    assert hits[0].entry_id == SADDAM
    assert hits[0].explanation["script"] == "cross-script via transliteration"
    # An Arabic query for a Latin-only name goes by consonants.
    hits = index.search(Query("اياد علاوي"), limit=5)  # not listed
    assert all(hit.score < 0.8 for hit in hits)


def test_screening_index_search_finds_korean_names_written_in_hangul(index, db):
    hits = index.search(Query("김경옥"), limit=3)  # listed as KIM KYONG OK
    assert hits[0].entry_id == "6908585"
    assert hits[0].score >= 0.9


def test_screening_index_search_finds_words_two_edits_away(index, db):
    hits = index.search(Query("Sadam Husayn al-Tikrity"), limit=3)
    assert hits[0].entry_id == SADDAM


def test_screening_index_search_filters_by_schema(index, db):
    al_qaida = "113458"  # the entity AL-QAIDA
    assert index.search(Query("Al-Qaida"), limit=1)[0].entry_id == al_qaida
    assert index.search(Query("Al-Qaida", schema="entity"), limit=1)[0].entry_id == al_qaida
    person_hits = index.search(Query("Al-Qaida", schema="person"), limit=10)
    assert al_qaida not in entry_ids(person_hits)


def test_screening_index_search_agrees_with_exhaustive_scoring(index, db):
    queries = [
        Query("Saddam Husein"),
        Query("Abid Hamid Mahmud"),
        Query("Izat Ibrahim al Duri", country="IQ"),
        Query("TALIBAN"),
        Query("Mohammed Omar", schema="person"),
    ]
    for query in queries:
        fast = index.search(query, limit=5, min_score=0.8)
        slow = index.search_exhaustive(query, limit=5, min_score=0.8)
        assert slow, query.name
        assert entry_ids(fast) == entry_ids(slow), query.name
        # The exhaustive scorer may find an entry's best score under another of its names
        # (e.g. its Arabic one, through consonant skeletons); the entries are the same.
        assert fast[0].score >= slow[0].score - 0.05


def test_hit_as_dict_has_exactly_the_contract_keys(index, db):
    hit = index.search(Query("Saddam Hussein"), limit=1)[0]
    assert isinstance(hit, Hit)
    assert list(hit.as_dict()) == [
        "list",
        "entry_id",
        "name",
        "matched_name",
        "score",
        "explanation",
    ]


def test_screen_applies_thresholds_per_list(lists, fresh_engine, db, settings):
    settings.SCREENING_THRESHOLDS = {"default": 0.8, "us_bis_dpl": 1.01}
    result = fresh_engine.screen(name="Saddam Hussein al-Tikriti", limit=5)
    assert isinstance(result, ScreenResult)
    assert result.threshold == 0.8
    assert result.matches[0].entry_id == SADDAM
    assert all(hit.list != "us_bis_dpl" for hit in result.matches)
    assert all(hit.score >= 0.8 for hit in result.matches)
    assert result.matches[0].explanation["threshold"] == 0.8
    body = result.as_dict()
    assert list(body) == ["query", "threshold", "matches"]
    assert body["query"] == "Saddam Hussein al-Tikriti"
    assert fresh_engine.screen(name="Zzyzx Qwertyuiop").matches == []


def test_engine_get_rebuilds_when_a_new_version_becomes_active(lists, fresh_engine, db):
    first = fresh_engine.engine_get()
    assert fresh_engine.engine_get() is first  # built once, then reused
    assert set(first.version_key) >= {lists["un"].pk, lists["dpl"].pk}

    newer = list_version_import(actor=None, paths=[UN])  # supersedes the UN version
    second = fresh_engine.engine_get()

    assert second is not first
    assert newer.pk in second.version_key
    assert lists["un"].pk not in second.version_key
    assert second.search(Query("Saddam Hussein"), limit=1)[0].entry_id == SADDAM
    # A reader holding the old index keeps a working index.
    assert first.search(Query("Saddam Hussein"), limit=1)[0].entry_id == SADDAM


def test_engine_get_serves_the_old_index_while_another_thread_rebuilds(
    lists, fresh_engine, db, monkeypatch
):
    first = fresh_engine.engine_get()
    monkeypatch.setattr(fresh_engine, "active_version_key", lambda: (*first.version_key, 10**9))
    assert fresh_engine._lock.acquire()  # as if another thread were rebuilding
    try:
        assert fresh_engine.engine_get() is first
    finally:
        fresh_engine._lock.release()
