"""The party_match check against the small OFAC fixtures: alias matches explained, lists,
roles and thresholds respected, stable fingerprints, and known false matches suppressed only
while the entry is unchanged and stayed listed."""

from pathlib import Path

import pytest

from licensing.models import Party
from screening.checks import check_run, context_build, party_key
from screening.models import KnownFalseMatch, ListEntry, Rule
from screening.services import list_version_import
from tests.licensing.factories import make_draft

from .conftest import OFAC_V1, OFAC_V2
from .factories import FlagFactory, RuleFactory, ScreeningRunFactory


def _rule(**parameters) -> Rule:
    return RuleFactory(kind=Rule.Kind.PARTY_MATCH, parameters=parameters)


def _party(application, name, *, country="AE", kind=Party.Kind.COMPANY, aliases="", role=None):
    return Party.objects.create(
        application=application,
        role=role or Party.Role.THIRD_PARTY,
        name=name,
        aliases=aliases,
        kind=kind,
        country=country,
    )


def _hits(rule, application):
    return check_run(rule=rule, context=context_build(application=application))


@pytest.fixture
def v1(db):
    return list_version_import(actor=None, paths=OFAC_V1)


@pytest.fixture
def application(world, v1):
    return make_draft(world)


def test_party_match_check_explains_an_alias_match(application, v1):
    party = _party(application, "Acme General Trading FZE")

    [hit] = _hits(_rule(), application)

    entry = ListEntry.objects.get(version=v1, entry_id="102")
    assert hit.fingerprint == f"party:{party.pk}:us_ofac_sdn/102"
    assert (hit.party_id, hit.list_version_id, hit.item_id) == (party.pk, v1.pk, None)
    evidence = hit.evidence
    assert evidence["list"] == "us_ofac_sdn"
    assert evidence["list_version_id"] == v1.pk
    assert evidence["entry_id"] == "102"
    assert evidence["entry_name"] == "ACME TRADING LLC"
    assert evidence["matched_name"] == "ACME GENERAL TRADING FZE"
    assert evidence["matched_name_kind"] == "fka"
    assert evidence["entry_content_hash"] == entry.content_hash
    assert evidence["score"] >= evidence["threshold"] == pytest.approx(0.775)
    assert "name" in evidence["explanation"]  # the scorer's per-feature contributions
    assert "ACME TRADING LLC" in hit.summary


def test_party_match_check_screens_the_alias_lines_of_a_party(application):
    party = _party(application, "Jane Quiet", kind=Party.Kind.PERSON, aliases="\nPETROFF, Ivan\n")

    [hit] = _hits(_rule(), application)

    assert hit.fingerprint == f"party:{party.pk}:us_ofac_sdn/104"
    assert hit.evidence["screened_name"] == "PETROFF, Ivan"
    assert hit.evidence["screened_name_source"] == "alias"
    assert hit.evidence["matched_name_kind"] == "aka"


def test_party_match_check_no_hit_for_unlisted_parties(application):
    assert _hits(_rule(), application) == []  # the draft's German observatory and dealer


def test_party_match_check_respects_lists_and_roles(application):
    _party(application, "Acme General Trading FZE", role=Party.Role.THIRD_PARTY)

    assert _hits(_rule(lists=["un_sc"]), application) == []
    assert _hits(_rule(roles=["end_user", "consignee"]), application) == []
    assert len(_hits(_rule(lists=["us_ofac_sdn"], roles=["third_party"]), application)) == 1


def test_party_match_check_threshold_only_raises(application):
    _party(application, "Akme Generall Trading FZE")
    [hit] = _hits(_rule(), application)
    assert hit.evidence["score"] < 1.0

    assert _hits(_rule(threshold=1.0), application) == []
    [lowered] = _hits(_rule(threshold=0.1), application)  # never below the list's own
    assert lowered.evidence["threshold"] == pytest.approx(0.775)


def test_party_match_check_fingerprints_are_stable_across_runs(application):
    _party(application, "Acme General Trading FZE")
    _party(application, "Jose Munoz Garcia", kind=Party.Kind.PERSON, country="CO")
    rule = _rule()

    first = [hit.fingerprint for hit in _hits(rule, application)]
    second = [hit.fingerprint for hit in _hits(rule, application)]

    assert len(first) == 2
    assert first == second


def _false_match(application, party, entry_id, version, *, entry_hash=None):
    rule = _rule()
    flag = FlagFactory(run=ScreeningRunFactory(application=application), rule=rule)
    entry = ListEntry.objects.get(version=version, entry_id=entry_id)
    return KnownFalseMatch.objects.create(
        organisation=application.organisation,
        party_key=party_key(party.name),
        party_country=party.country.code,
        list_code="us_ofac_sdn",
        entry_id=entry_id,
        entry_hash=entry_hash or entry.content_hash,
        listed_in=version,
        flag=flag,
        reason="A different company of the same name.",
        created_by=flag.rule.owner,
    )


def test_party_match_check_known_false_match_is_suppressed(application, v1):
    party = _party(application, "ACME Trading L.L.C.")
    _false_match(application, party, "102", v1)

    assert _hits(_rule(), application) == []


def test_party_match_check_known_false_match_of_another_organisation_does_not_count(
    world, application, v1
):
    party = _party(application, "ACME Trading L.L.C.")
    other = make_draft(world, organisation=world.other_organisation, actor=world.other_exporter)
    _false_match(other, _party(other, "ACME Trading L.L.C."), "102", v1)

    [hit] = _hits(_rule(), application)
    assert hit.party_id == party.pk


def test_party_match_check_changed_entry_raises_a_known_false_match_again(application, v1):
    party = _party(application, "ACME Trading L.L.C.")
    _false_match(application, party, "102", v1)
    assert _hits(_rule(), application) == []

    v2 = list_version_import(actor=None, paths=OFAC_V2)  # 102 gains an alias: a new hash

    [hit] = _hits(_rule(), application)
    assert hit.evidence["entry_id"] == "102"
    assert hit.list_version_id == v2.pk


def test_party_match_check_unchanged_entry_stays_suppressed_in_a_new_version(application, v1):
    party = _party(application, "Jose Munoz Garcia", kind=Party.Kind.PERSON, country="CO")
    _false_match(application, party, "101", v1)

    list_version_import(actor=None, paths=OFAC_V2)  # 101 unchanged

    assert _hits(_rule(), application) == []


def _without_entry(tmp_path: Path, entry_id: str) -> list[Path]:
    """The v1 files with one entry (and its aliases and addresses) left out."""
    paths = []
    for source in OFAC_V1:
        lines = source.read_bytes().splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(f"{entry_id},".encode())]
        target = tmp_path / source.name
        target.write_bytes(b"".join(kept))
        paths.append(target)
    return paths


def test_party_match_check_relisting_raises_a_known_false_match_again(application, v1, tmp_path):
    party = _party(application, "Jose Munoz Garcia", kind=Party.Kind.PERSON, country="CO")
    _false_match(application, party, "101", v1)

    delisted = list_version_import(actor=None, paths=_without_entry(tmp_path, "101"))
    assert not ListEntry.objects.filter(version=delisted, entry_id="101").exists()
    assert _hits(_rule(), application) == []  # not listed: nothing to match

    relisted = list_version_import(actor=None, paths=OFAC_V1)  # the same entry, listed again
    same = ListEntry.objects.get(version=relisted, entry_id="101")
    assert same.content_hash == ListEntry.objects.get(version=v1, entry_id="101").content_hash

    [hit] = _hits(_rule(), application)
    assert hit.evidence["entry_id"] == "101"
    assert hit.party_id == party.pk
