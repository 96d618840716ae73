"""Public notices: the services that publish them, the emails to subscribers, the public page,
the Atom feed and the email opt-in."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from exportgov.audit.models import AuditEvent
from screening.models import NoticeSubscription, PublicNotice, Rule
from screening.services import list_version_import
from screening.services.controls import control_dataset_import
from screening.services.notices import notice_publish, notice_subscription_set
from screening.services.rules import rule_create, rule_edit
from tests.screening.factories import days_from_today

from .conftest import CONTROLS, OFAC_V1, OFAC_V2

Kind = PublicNotice.Kind
Verb = AuditEvent.Verb
ATOM = "{http://www.w3.org/2005/Atom}"
SECRET_PHRASE = "zyxwvut-secret-phrase"


def _create(world, **overrides) -> Rule:
    values = {
        "actor": world.policy_admin,
        "code": "end-use-missiles",
        "title": "Missiles in the end use",
        "kind": Rule.Kind.END_USE,
        "parameters": {"phrases": [SECRET_PHRASE]},
        "weight": 37,
        "public_justification": "15 CFR 744.3 restricts exports for rocket systems.",
        "mode": Rule.Mode.ACTIVE,
        "effective_from": days_from_today(0),
        "sunset_on": days_from_today(365),
        "owner": world.policy_admin,
        "rescreen": False,
        **overrides,
    }
    return rule_create(**values)


def _publish(title: str, **overrides) -> PublicNotice:
    values = {
        "kind": Kind.RULE_RENEWED,
        "title": title,
        "summary": f"Summary of {title}",
        "justification": f"Justification of {title}",
        **overrides,
    }
    return notice_publish(**values)


# --- publishing from the services ------------------------------------------------------------


def test_rule_create_publishes_a_rule_created_notice(world):
    rule = _create(world)

    notice = PublicNotice.objects.get()
    assert (notice.kind, notice.rule, notice.created_by) == (
        Kind.RULE_CREATED,
        rule,
        world.policy_admin,
    )
    assert "Missiles in the end use" in notice.title
    assert notice.justification == rule.public_justification
    event = AuditEvent.objects.get(verb=Verb.NOTICE_PUBLISHED)
    assert event.target_id == str(notice.pk)


def test_rule_create_in_pilot_mode_publishes_pilot_started(world):
    rule = _create(world, mode=Rule.Mode.PILOT)

    assert PublicNotice.objects.get().kind == Kind.PILOT_STARTED
    assert PublicNotice.objects.get().rule == rule


def test_rule_edit_publishes_an_amendment_with_the_change_reason(world):
    rule = _create(world)
    new_rule = rule_edit(
        actor=world.policy_admin,
        rule=rule,
        change_reason="Guidance updated in March.",
        public_justification="15 CFR 744.3, as amended.",
    )

    notice = PublicNotice.objects.filter(rule=new_rule).get()
    assert notice.kind == Kind.RULE_AMENDED
    assert "Guidance updated in March." in notice.justification
    assert "15 CFR 744.3, as amended." in notice.justification
    assert "Version 2" in notice.summary


def test_rule_edit_into_a_pilot_publishes_pilot_started(world):
    rule = _create(world)
    pilot = rule_edit(actor=world.policy_admin, rule=rule, change_reason="Try it", mode="pilot")

    assert PublicNotice.objects.get(rule=pilot).kind == Kind.PILOT_STARTED


def test_rule_notice_publish_leaks_no_internal_field(world, client):
    rule = _create(world)
    rule_edit(actor=world.policy_admin, rule=rule, change_reason="Lower weight", weight=12)

    published = " ".join(
        f"{notice.title} {notice.summary} {notice.justification}"
        for notice in PublicNotice.objects.all()
    )
    assert SECRET_PHRASE not in published
    assert not re.search(r"\b37\b", published)  # the weight
    assert world.policy_admin.username not in published
    page = client.get(reverse("controls:notice_list")).text
    feed = client.get(reverse("controls:notice_feed")).text
    for text in (page, feed):
        assert SECRET_PHRASE not in text
        assert "Lower weight" in text


def test_list_version_import_publishes_a_list_version_notice(db):
    first = list_version_import(actor=None, paths=OFAC_V1, publisher_date=datetime.date(2024, 5, 3))
    second = list_version_import(actor=None, paths=OFAC_V2)

    notices = list(PublicNotice.objects.filter(kind=Kind.LIST_VERSION).order_by("id"))
    assert [notice.list_version for notice in notices] == [first, second]
    assert notices[0].created_by is None
    assert first.source.publisher in notices[0].justification
    assert "3 May 2024" in notices[0].justification
    assert "1 added, 1 removed, 1 changed" in notices[1].summary


def test_list_version_import_unchanged_publishes_nothing(db):
    first = list_version_import(actor=None, paths=OFAC_V1)
    again = list_version_import(actor=None, paths=OFAC_V1, skip_if_unchanged=True)

    assert again == first
    assert list(PublicNotice.objects.values_list("list_version", flat=True)) == [first.pk]


def test_control_dataset_import_publishes_control_data_once(world):
    dataset = control_dataset_import(
        actor=world.policy_admin, path=CONTROLS / "country-groups.json"
    )
    control_dataset_import(actor=world.policy_admin, path=CONTROLS / "country-groups.json")

    notice = PublicNotice.objects.get()  # the same file again changes nothing
    assert (notice.kind, notice.control_dataset) == (Kind.CONTROL_DATA, dataset)
    assert dataset.citation in notice.summary


# --- email to subscribers ------------------------------------------------------------------


def test_notice_publish_emails_active_subscribers_on_commit(
    world, django_capture_on_commit_callbacks
):
    notice_subscription_set(actor=world.exporter, active=True)
    notice_subscription_set(actor=world.auditor, active=True)
    notice_subscription_set(actor=world.auditor, active=False)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = _publish("Rule renewed for two years")
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert [message.to for message in mail.outbox] == [[world.exporter.email]]
    message = mail.outbox[0]
    assert notice.title in message.subject
    assert "Justification of Rule renewed for two years" in message.body
    assert reverse("controls:notice_list") in message.body


def test_notice_publish_queues_one_task_for_all_subscribers(
    world, django_capture_on_commit_callbacks
):
    for user in (world.exporter, world.auditor, world.case_officer):
        notice_subscription_set(actor=user, active=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _publish("Rule retired")
    assert len(callbacks) == 1  # the publishing request renders and sends nothing itself
    callbacks[0]()

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        user.email for user in (world.exporter, world.auditor, world.case_officer)
    )


def test_notice_publish_without_subscribers_queues_nothing(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _publish("Quiet change")
    assert callbacks == []
    assert mail.outbox == []


def test_rule_create_emails_subscribers(world, django_capture_on_commit_callbacks):
    notice_subscription_set(actor=world.case_officer, active=True)
    with django_capture_on_commit_callbacks(execute=True):
        _create(world)

    assert len(mail.outbox) == 1
    assert "Missiles in the end use" in mail.outbox[0].subject
    assert SECRET_PHRASE not in mail.outbox[0].body
    assert reverse("controls:rule_book_detail", args=["end-use-missiles"]) in mail.outbox[0].body


# --- the subscription ------------------------------------------------------------------------


def test_notice_subscription_set_turns_on_and_off_and_audits(world):
    on = notice_subscription_set(actor=world.exporter, active=True)
    again = notice_subscription_set(actor=world.exporter, active=True)
    off = notice_subscription_set(actor=world.exporter, active=False)

    assert on.pk == again.pk == off.pk
    assert NoticeSubscription.objects.get(user=world.exporter).active is False
    events = AuditEvent.objects.filter(verb=Verb.NOTICE_SUBSCRIPTION_CHANGED)
    assert list(events.values_list("to_status", flat=True)) == ["subscribed", "unsubscribed"]


def test_notice_subscribe_view_toggles_and_the_page_shows_the_state(world, client):
    client.force_login(world.exporter)
    url = reverse("controls:notice_subscribe")
    page = reverse("controls:notice_list")

    assert "You do not get notices by email." in client.get(page).text
    response = client.post(url, {"active": "1"})
    assert response.status_code == 302
    assert response["Location"] == page
    assert NoticeSubscription.objects.get(user=world.exporter).active is True
    assert "Stop emailing me notices" in client.get(page).text
    client.post(url)  # without a choice: toggles
    assert NoticeSubscription.objects.get(user=world.exporter).active is False


def test_notice_subscribe_view_sends_visitors_to_sign_in(db, client):
    response = client.post(reverse("controls:notice_subscribe"), {"active": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert not NoticeSubscription.objects.exists()


# --- the page and the feed -------------------------------------------------------------------


def _three_notices() -> list[PublicNotice]:
    notices = [_publish(title) for title in ("Oldest change", "Middle change", "Newest change")]
    now = timezone.now()
    for days, notice in zip((3, 2, 1), notices, strict=True):
        PublicNotice.objects.filter(pk=notice.pk).update(
            published_at=now - datetime.timedelta(days=days)
        )
    return notices


def test_notice_list_page_lists_notices_newest_first(world, client, django_assert_num_queries):
    _three_notices()
    with django_assert_num_queries(2):  # the count and the page
        text = client.get(reverse("controls:notice_list")).text

    assert text.index("Newest change") < text.index("Middle change") < text.index("Oldest change")
    assert "Justification of Middle change" in text
    assert 'type="application/atom+xml"' in text
    assert reverse("controls:notice_feed") in text
    assert "Sign in</a> to have each new notice emailed" in text


def test_notice_list_page_links_a_rule_notice_to_the_rule_book(world, client):
    _create(world)
    text = client.get(reverse("controls:notice_list")).text
    assert reverse("controls:rule_book_detail", args=["end-use-missiles"]) in text


def test_notice_list_page_is_paginated(db, client):
    for number in range(23):
        _publish(f"Change number {number:02d}")
    first = client.get(reverse("controls:notice_list")).text
    second = client.get(reverse("controls:notice_list"), {"page": 2}).text

    assert first.count('data-testid="notice"') == 20
    assert second.count('data-testid="notice"') == 3
    assert "Page 1 of 2" in first


def test_notice_detail_page_shows_one_notice_where_feed_and_emails_link(world, client):
    notices = _three_notices()
    oldest = notices[0]
    url = reverse("controls:notice_detail", args=[oldest.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert f"<h1>{oldest.title}</h1>" in page.text
    assert oldest.justification in page.text
    assert notices[1].title not in page.text
    assert client.get(reverse("controls:notice_detail", args=[999999])).status_code == 404
    assert f'href="{url}"' in client.get(reverse("controls:notice_list")).text
    feed = client.get(reverse("controls:notice_feed")).text
    assert f'href="http://testserver{url}"' in feed  # a notice naming no rule links to its page


def test_notice_feed_is_atom_with_the_notices_newest_first(world, client):
    notices = _three_notices()
    rule_notice = PublicNotice.objects.filter(pk=_create(world).public_notices.get().pk).get()

    response = client.get(reverse("controls:notice_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response, not untrusted)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == [
        f"New rule: {rule_notice.title}",
        "Rule renewed: Newest change",
        "Rule renewed: Middle change",
        "Rule renewed: Oldest change",
    ]
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == 4
    assert ids[1].endswith(f"#notice-{notices[2].pk}")
    for entry in entries:
        assert entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/rules/end-use-missiles/")
    summary = entries[1].findtext(f"{ATOM}summary")
    assert "Summary of Newest change" in summary
    assert "Justification of Newest change" in summary


@pytest.mark.parametrize("kind", Kind.values)
def test_notice_publish_accepts_every_kind(db, kind):
    assert _publish("Any", kind=kind).kind == kind
