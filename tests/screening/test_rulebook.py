"""The public rule book: rules in force with their pilots, the history of versions, retired and
lapsed rules kept as history, and never a rule's internals (weight, parameters, owner)."""

import datetime
import re

import pytest
from django.urls import reverse

from screening.models import Rule
from screening.selectors_rules import rule_book_list, rule_book_versions_get

from .factories import RuleFactory

pytestmark = pytest.mark.django_db

SECRET_PHRASE = "zebra-quartz-phrase"
SECRET_WEIGHT = 73
Status, Mode = Rule.Status, Rule.Mode


def _visible_text(html: str) -> list[str]:
    """The words a reader sees: tags and their attributes (nonces, URLs) removed."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html).split()


def _rule(**overrides) -> Rule:
    return RuleFactory(weight=SECRET_WEIGHT, parameters={"phrases": [SECRET_PHRASE]}, **overrides)


def _assert_no_internals(html: str, *rules: Rule) -> None:
    words = _visible_text(html)
    assert SECRET_PHRASE not in html
    assert str(SECRET_WEIGHT) not in words
    assert "weight" not in html.lower()
    assert "parameters" not in html.lower()
    for rule in rules:
        assert rule.owner.username not in html
        assert rule.owner.email not in html


def _superseded_pair(code: str = "end-use-red-flags") -> tuple[Rule, Rule]:
    first = _rule(
        code=code,
        version=1,
        title="End-use red flags",
        status=Status.SUPERSEDED,
        effective_from=datetime.date(2025, 1, 6),
        sunset_on=datetime.date(2026, 1, 6),
        public_justification="First justification (15 CFR 732 Supp. 3).",
    )
    second = _rule(
        code=code,
        version=2,
        title="End-use red flags (revised)",
        supersedes=first,
        effective_from=datetime.date(2025, 6, 2),
        sunset_on=datetime.date(2027, 6, 2),
        public_justification="Revised justification citing 15 CFR 744.",
        change_reason="Added phrases the enforcement agency published in May.",
    )
    return first, second


def test_rule_book_list_shows_the_live_version_and_its_pilot_labelled(client):
    live = _rule(
        code="destination-embargo",
        title="Embargoed destinations",
        kind=Rule.Kind.DESTINATION,
        effective_from=datetime.date(2025, 3, 3),
        sunset_on=datetime.date(2027, 3, 3),
        public_justification="Arms embargoes of the UN Security Council.",
    )
    pilot = _rule(
        code="destination-embargo",
        version=2,
        mode=Mode.PILOT,
        title="Embargoed destinations, with regional embargoes",
        kind=Rule.Kind.DESTINATION,
        public_justification="Adds regional embargoes (EU Council decisions).",
    )

    response = client.get(reverse("controls:rule_book"))

    assert response.status_code == 200
    html = response.content.decode()
    live_row = html.split('data-testid="rule-destination-embargo"')[1].split("</tr>")[0]
    assert "Embargoed destinations" in live_row
    assert "Destination" in live_row
    assert "Arms embargoes of the UN Security Council." in live_row
    assert "3 March 2025" in live_row
    assert "3 March 2027" in live_row
    assert "Pilot" not in live_row
    pilot_row = html.split('data-testid="rule-destination-embargo-pilot"')[1].split("</tr>")[0]
    assert "Embargoed destinations, with regional embargoes" in pilot_row
    assert "Pilot" in pilot_row
    assert "Adds regional embargoes" in pilot_row
    _assert_no_internals(html, live, pilot)


def test_rule_book_list_lists_each_code_once_with_only_its_version_in_force():
    _superseded_pair()

    book = rule_book_list()

    assert [(entry.code, entry.live.version) for entry in book["in_force"]] == [
        ("end-use-red-flags", 2)
    ]
    assert book["in_force"][0].pilot is None
    assert book["ended"] == []
    assert not hasattr(book["in_force"][0].live, "weight")
    assert not hasattr(book["in_force"][0].live, "parameters")
    assert not hasattr(book["in_force"][0].live, "owner")


def test_rule_book_list_shows_a_rule_piloted_before_it_has_a_live_version(client):
    _rule(code="provenance-new", title="Provenance of components", mode=Mode.PILOT)

    book = rule_book_list()
    html = client.get(reverse("controls:rule_book")).content.decode()

    assert [(entry.live, entry.pilot.code) for entry in book["in_force"]] == [
        (None, "provenance-new")
    ]
    row = html.split('data-testid="rule-provenance-new-pilot"')[1].split("</tr>")[0]
    assert "Provenance of components" in row
    assert "Pilot" in row


def test_rule_book_list_keeps_retired_and_lapsed_rules_as_history(client):
    retired_v1 = _rule(code="party-old", title="Old party list", status=Status.SUPERSEDED)
    retired_v2 = _rule(
        code="party-old",
        version=2,
        title="Old party list, last version",
        status=Status.RETIRED,
        supersedes=retired_v1,
    )
    lapsed = _rule(code="licence-gap", title="Licence gap check", status=Status.LAPSED)
    in_force = _rule(code="still-here", title="Still here")

    book = rule_book_list()
    html = client.get(reverse("controls:rule_book")).content.decode()

    assert [entry.code for entry in book["in_force"]] == ["still-here"]
    assert [(version.code, version.version, version.status) for version in book["ended"]] == [
        ("licence-gap", 1, Status.LAPSED),
        ("party-old", 2, Status.RETIRED),
    ]
    in_force_section, ended_section = html.split('id="ended"')
    assert "Still here" in in_force_section
    assert "Old party list" not in in_force_section
    assert "Licence gap check" not in in_force_section
    assert "Old party list, last version" in ended_section
    assert "Retired" in ended_section.split('data-testid="rule-party-old"')[1].split("</tr>")[0]
    assert "Lapsed" in ended_section.split('data-testid="rule-licence-gap"')[1].split("</tr>")[0]
    _assert_no_internals(html, retired_v1, retired_v2, lapsed, in_force)


def test_rule_book_list_does_not_list_a_rule_as_ended_while_a_version_is_in_force():
    live = _rule(code="mixed", title="Mixed")
    _rule(code="mixed", version=2, mode=Mode.PILOT, status=Status.RETIRED, title="Dropped pilot")

    book = rule_book_list()

    assert [(entry.code, entry.live.version, entry.pilot) for entry in book["in_force"]] == [
        (live.code, 1, None)
    ]
    assert book["ended"] == []


def test_rule_book_list_is_empty_without_rules(client):
    html = client.get(reverse("controls:rule_book")).content.decode()

    assert 'data-testid="no-rules"' in html
    assert 'data-testid="no-ended-rules"' in html


def test_rule_book_list_uses_two_queries_however_many_rules(django_assert_num_queries):
    for number in range(5):
        _rule(code=f"rule-live-{number}")
        _rule(code=f"rule-gone-{number}", status=Status.RETIRED)

    with django_assert_num_queries(2):
        book = rule_book_list()

    assert (len(book["in_force"]), len(book["ended"])) == (5, 5)


def test_rule_book_detail_shows_the_history_of_versions_newest_first(client):
    first, second = _superseded_pair()

    response = client.get(reverse("controls:rule_book_detail", args=[second.code]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('data-testid="version-2"') < html.index('data-testid="version-1"')
    newer = html.split('data-testid="version-2"')[1].split("</tr>")[0]
    older = html.split('data-testid="version-1"')[1].split("</tr>")[0]
    assert "End-use red flags (revised)" in newer
    assert "Revised justification citing 15 CFR 744." in newer
    assert "Added phrases the enforcement agency published in May." in newer
    assert "2 June 2025" in newer
    assert "2 June 2027" in newer
    assert "In force" in newer
    assert "First justification (15 CFR 732 Supp. 3)." in older
    assert "First version" in older
    assert "Replaced by a later version" in older
    assert "6 January 2025" in older
    _assert_no_internals(html, first, second)


def test_rule_book_detail_of_a_lapsed_rule_says_it_no_longer_applies(client):
    lapsed = _rule(code="lapsed-rule", title="Lapsed rule", status=Status.LAPSED)

    html = client.get(reverse("controls:rule_book_detail", args=[lapsed.code])).content.decode()

    assert "This rule no longer applies (lapsed)" in html
    assert "Lapsed" in html.split('data-testid="version-1"')[1].split("</tr>")[0]
    _assert_no_internals(html, lapsed)


def test_rule_book_detail_labels_a_pilot_version(client):
    _rule(code="piloted", title="Trial rule")
    _rule(code="piloted", version=2, mode=Mode.PILOT, title="Trial rule, new version")

    html = client.get(reverse("controls:rule_book_detail", args=["piloted"])).content.decode()

    assert "version 1 (live) and version 2 (pilot)" in " ".join(_visible_text(html))
    assert "Pilot" in html.split('data-testid="version-2"')[1].split("</tr>")[0]
    assert "Pilot" not in html.split('data-testid="version-1"')[1].split("</tr>")[0]


def test_rule_book_versions_get_of_an_unknown_code_is_404(client):
    assert client.get(reverse("controls:rule_book_detail", args=["no-such-rule"])).status_code == (
        404
    )
    with pytest.raises(Exception, match="No such rule"):
        rule_book_versions_get(code="no-such-rule")


def test_rule_book_is_linked_from_the_footer_and_the_licence_check(client):
    url = reverse("controls:rule_book")

    assert f'href="{url}"' in client.get(reverse("core:home")).content.decode()
    assert f'href="{url}"' in client.get(reverse("controls:licence_check")).content.decode()
