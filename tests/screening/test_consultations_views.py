"""The consultation pages: the public list and page (only published comments, never an email,
the comment form with its thanks, errors and rate limit) and the admin pages (who may see and
act, moderation, the decision and where it leads)."""

import contextlib
import datetime
import random
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from exportgov.core.paging import PAGE_SIZE
from screening.models import Consultation, ConsultationComment, PublicNotice, Rule
from screening.services.consultations import (
    consultation_comment_moderate,
    consultation_comment_submit,
    consultation_open,
)
from tests.screening.factories import RuleFactory

CommentStatus = ConsultationComment.Status
TODAY = datetime.date(2026, 5, 4)
NOON = datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC)
CLOSES = TODAY + datetime.timedelta(days=20)
AFTER_CLOSE = datetime.datetime(2026, 5, 25, 12, 0, tzinfo=datetime.UTC)
ANSWER = (
    "One comment asked us to narrow the phrase list; we agree and dropped the broadest phrase "
    "before making the change."
)


@pytest.fixture(autouse=True)
def _noon():
    # Frozen mid-hour, so a run never straddles the rate limit's hourly window.
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def ip() -> str:
    """An address no other test (or earlier run) has used, so rate-limit counts start at 0."""
    return "10.{}.{}.{}".format(*(random.randint(1, 254) for _ in range(3)))  # noqa: S311


def _open(
    world, *, rule: Rule | None = None, title: str = "Add centrifuge phrases"
) -> Consultation:
    return consultation_open(
        actor=world.policy_admin,
        rule=rule,
        title=title,
        proposal="Add “centrifuge cascade” to the end-use phrases.",
        rationale="The phrase appeared in three refused cases.",
        closes_on=CLOSES,
    )


def _comment(consultation: Consultation, body: str, **overrides) -> ConsultationComment:
    values = {
        "author_name": "Ada Lovelace",
        "organisation_name": "Analytical Engines Ltd",
        "email": "ada@example.org",
        **overrides,
    }
    return consultation_comment_submit(consultation=consultation, body=body, **values)


@contextlib.contextmanager
def _after_close(client, user):
    """Three weeks on (past CLOSES), signed in again: sessions last only half an hour."""
    with time_machine.travel(AFTER_CLOSE, tick=False):
        client.force_login(user)
        yield


def _public_url(consultation: Consultation) -> str:
    return reverse("controls:consultation_detail", args=[consultation.pk])


def _admin_url(consultation: Consultation) -> str:
    return reverse("screening:consultation_detail", args=[consultation.pk])


# --- Public pages -----------------------------------------------------------------------------


def test_consultation_public_detail_shows_only_published_comments_and_no_email(client, world):
    consultation = _open(world)
    published = _comment(consultation, "Please narrow the list of phrases.")
    rejected = _comment(consultation, "Buy cheap watches at example.net!", email="spam@example.net")
    _comment(consultation, "Still waiting for a moderator.", email="waiting@example.org")
    consultation_comment_moderate(actor=world.policy_admin, comment=published, publish=True)
    consultation_comment_moderate(
        actor=world.policy_admin, comment=rejected, publish=False, reason="Advertising"
    )

    response = client.get(_public_url(consultation))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Please narrow the list of phrases." in html
    assert "Ada Lovelace" in html
    assert "Analytical Engines Ltd" in html
    assert "Not published: Advertising" in html
    assert "Buy cheap watches" not in html
    assert "Still waiting for a moderator." not in html
    assert "1 comment published; 1 awaiting moderation" in html
    assert "@example" not in html  # no email address at all
    assert "Add “centrifuge cascade” to the end-use phrases." in html
    assert "The phrase appeared in three refused cases." in html
    assert "24 May 2026" in html
    assert 'data-testid="comment-form"' in html


def test_consultation_public_list_open_first_and_linked_from_the_footer(client, world):
    decided = _open(world, title="An older proposal")
    Consultation.objects.filter(pk=decided.pk).update(
        status=Consultation.Status.DECIDED,
        outcome=Consultation.Outcome.WITHDRAW,
        response_summary="Withdrawn.",
        decided_at=timezone.now(),
    )
    _open(world, title="A newer open proposal")

    response = client.get(reverse("controls:consultation_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("A newer open proposal") < html.index("An older proposal")
    assert "Open for comments" in html
    assert "Decided" in html
    assert f'href="{reverse("controls:consultation_list")}"' in html  # the footer link


def test_consultation_public_list_query_budget(client, world, django_assert_max_num_queries):
    for number in range(5):
        _open(world, title=f"Proposal {number}")
    with django_assert_max_num_queries(4):
        response = client.get(reverse("controls:consultation_list"))
    assert response.content.decode().count('data-testid="consultation"') == 5


def test_consultation_public_detail_comment_thanks_and_waits_for_moderation(client, world, ip):
    consultation = _open(world)

    response = client.post(
        _public_url(consultation),
        {"author_name": "Grace", "organisation_name": "", "email": "g@example.org", "body": "Yes."},
        REMOTE_ADDR=ip,
        follow=True,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Thank you: your comment will appear once a moderator has checked it" in html
    comment = ConsultationComment.objects.get(consultation=consultation)
    assert (comment.status, comment.author_name, comment.body) == (
        CommentStatus.PENDING,
        "Grace",
        "Yes.",
    )
    assert comment.user is None
    assert "1 awaiting moderation" in html


def test_consultation_public_detail_invalid_comment_keeps_text_and_links_errors(client, world, ip):
    consultation = _open(world)

    response = client.post(
        _public_url(consultation),
        {"author_name": "Grace Hopper", "email": "not-an-email", "body": ""},
        REMOTE_ADDR=ip,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_body"' in html
    assert "Write your comment." in html
    assert 'href="#id_email"' in html
    assert 'value="Grace Hopper"' in html
    assert not ConsultationComment.objects.exists()


def test_consultation_public_detail_rate_limited_after_the_configured_posts(client, world, ip):
    consultation = _open(world)
    allowed = int(settings.CONSULTATION_COMMENT_RATE.split("/")[0])
    url = _public_url(consultation)
    for number in range(allowed):
        response = client.post(url, {"body": f"Comment {number}."}, REMOTE_ADDR=ip)
        assert response.status_code == 302, number

    response = client.post(
        url, {"author_name": "Persistent", "body": "One more thought."}, REMOTE_ADDR=ip
    )

    assert response.status_code == 429
    html = response.content.decode()
    assert "too many comments" in html
    assert "One more thought.</textarea>" in html
    assert 'value="Persistent"' in html
    assert ConsultationComment.objects.count() == allowed
    # Reading is never limited, and another address may still comment.
    assert client.get(url, REMOTE_ADDR=ip).status_code == 200
    other = f"192.0.2.{random.randint(1, 254)}"  # noqa: S311
    assert client.post(url, {"body": "Hello."}, REMOTE_ADDR=other).status_code == 302


def test_consultation_public_detail_rate_follows_the_setting(client, world, ip, settings):
    settings.CONSULTATION_COMMENT_RATE = "2/h"
    consultation = _open(world)
    url = _public_url(consultation)
    statuses = [client.post(url, {"body": "Hi."}, REMOTE_ADDR=ip).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_consultation_public_detail_after_closing_has_no_form(client, world, ip):
    consultation = _open(world)
    with time_machine.travel(AFTER_CLOSE, tick=False):
        response = client.get(_public_url(consultation))
        html = response.content.decode()
        assert 'data-testid="comment-form"' not in html
        assert "no longer accepts comments" in html

        response = client.post(_public_url(consultation), {"body": "Late."}, REMOTE_ADDR=ip)
        assert response.status_code == 200
        html = response.content.decode()
        assert "closed on 24 May 2026" in html
        assert "Late.</textarea>" in html
    assert not ConsultationComment.objects.exists()


# --- Admin pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["list", "create", "detail"])
def test_consultation_admin_pages_refused_to_anonymous_and_exporters(client, world, name):
    consultation = _open(world)
    url = {
        "list": reverse("screening:consultation_list"),
        "create": reverse("screening:consultation_create"),
        "detail": _admin_url(consultation),
    }[name]

    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))

    client.force_login(world.exporter)
    assert client.get(url).status_code == 403


def test_consultation_list_shows_pending_counts(client, world):
    consultation = _open(world)
    _comment(consultation, "One.")
    _comment(consultation, "Two.")
    client.force_login(world.auditor)

    response = client.get(reverse("screening:consultation_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'data-testid="pending-{consultation.pk}"><strong>2</strong>', html)
    assert reverse("screening:consultation_create") not in html  # auditors cannot open one


def test_consultation_create_prefills_rule_and_opens(client, world):
    rule = RuleFactory(owner=world.policy_admin)
    client.force_login(world.policy_admin)

    page = client.get(reverse("screening:consultation_create") + f"?rule={rule.code}")
    assert re.search(rf'<option value="{rule.pk}" selected>', page.content.decode())

    response = client.post(
        reverse("screening:consultation_create"),
        {
            "rule": rule.pk,
            "title": "Narrow the phrases",
            "proposal": "Drop one phrase.",
            "rationale": "It matched too much.",
            "closes_on": CLOSES.isoformat(),
        },
    )

    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response.url == _admin_url(consultation)
    assert consultation.rule == rule
    assert PublicNotice.objects.filter(
        consultation=consultation, kind=PublicNotice.Kind.CONSULTATION_OPENED
    ).exists()


def test_consultation_create_too_soon_keeps_the_text(client, world):
    client.force_login(world.policy_admin)
    response = client.post(
        reverse("screening:consultation_create"),
        {
            "rule": "",
            "title": "A new rule on brokering",
            "proposal": "Check brokering parties.",
            "rationale": "Gap found in audits.",
            "closes_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "at least 14 days" in html
    assert 'href="#id_closes_on"' in html
    assert 'value="A new rule on brokering"' in html
    assert "Check brokering parties.</textarea>" in html
    assert not Consultation.objects.exists()


def test_rule_detail_links_policy_admins_to_open_a_consultation(client, world):
    rule = RuleFactory(owner=world.policy_admin)
    link = reverse("screening:consultation_create") + f"?rule={rule.code}"
    client.force_login(world.policy_admin)
    assert link in client.get(reverse("screening:rule_detail", args=[rule.code])).content.decode()
    client.force_login(world.auditor)
    assert (
        link not in client.get(reverse("screening:rule_detail", args=[rule.code])).content.decode()
    )


def test_consultation_detail_moderation(client, world):
    consultation = _open(world)
    keep = _comment(consultation, "Sensible point.")
    drop = _comment(consultation, "Rude remark.")
    client.force_login(world.policy_admin)
    url = _admin_url(consultation)

    page = client.get(url).content.decode()
    assert "ada@example.org" in page  # moderators see the address (marked not published)
    assert f'data-testid="moderation-form-{keep.pk}"' in page

    response = client.post(
        url, {"action": "moderate", "comment": keep.pk, f"comment-{keep.pk}-decision": "publish"}
    )
    assert response.status_code == 302
    assert response.url == f"{url}#comment-{keep.pk}"

    response = client.post(
        url,
        {
            "action": "moderate",
            "comment": drop.pk,
            f"comment-{drop.pk}-decision": "reject",
            f"comment-{drop.pk}-reason": "",
        },
    )
    assert response.status_code == 200
    assert "Give the reason for not publishing" in response.content.decode()

    client.post(
        url,
        {
            "action": "moderate",
            "comment": drop.pk,
            f"comment-{drop.pk}-decision": "reject",
            f"comment-{drop.pk}-reason": "Abusive language",
        },
    )
    keep.refresh_from_db()
    drop.refresh_from_db()
    assert (keep.status, drop.status) == (CommentStatus.PUBLISHED, CommentStatus.REJECTED)
    public = client.get(_public_url(consultation)).content.decode()
    assert "Sensible point." in public
    assert "Not published: Abusive language" in public
    assert "Rude remark." not in public


def test_consultation_detail_auditor_reads_but_cannot_act(client, world):
    consultation = _open(world)
    comment = _comment(consultation, "A view.")
    client.force_login(world.auditor)
    url = _admin_url(consultation)

    page = client.get(url)
    assert page.status_code == 200
    assert "A view." in page.content.decode()
    assert 'data-testid="moderation-form' not in page.content.decode()

    response = client.post(
        url,
        {"action": "moderate", "comment": comment.pk, f"comment-{comment.pk}-decision": "publish"},
    )
    assert response.status_code == 403
    with _after_close(client, world.auditor):
        response = client.post(
            url, {"action": "decide", "outcome": "withdraw", "response_summary": "No."}
        )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_consultation_detail_decision_form_only_after_closing(client, world):
    consultation = _open(world)
    client.force_login(world.policy_admin)
    url = _admin_url(consultation)
    assert 'data-testid="decision-form"' not in client.get(url).content.decode()

    response = client.post(
        url, {"action": "decide", "outcome": "proceed", "response_summary": ANSWER}
    )
    assert response.status_code == 200
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN

    with _after_close(client, world.policy_admin):
        assert 'data-testid="decision-form"' in client.get(url).content.decode()


def test_consultation_detail_decide_pending_comments_block(client, world):
    consultation = _open(world)
    _comment(consultation, "Waiting.")
    client.force_login(world.policy_admin)
    with _after_close(client, world.policy_admin):
        page = client.get(_admin_url(consultation)).content.decode()
        assert 'data-testid="pending-warning"' in page
        response = client.post(
            _admin_url(consultation),
            {"action": "decide", "outcome": "withdraw", "response_summary": ANSWER},
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 comment still await moderation" in html
    assert f"{ANSWER}</textarea>" in html


def test_consultation_detail_decide_proceed_points_to_the_rule_edit_page(client, world):
    rule = RuleFactory(owner=world.policy_admin)
    consultation = _open(world, rule=rule)
    comment = _comment(consultation, "Narrow it, please.")
    consultation_comment_moderate(actor=world.policy_admin, comment=comment, publish=True)
    client.force_login(world.policy_admin)

    with _after_close(client, world.policy_admin):
        short = client.post(
            _admin_url(consultation),
            {"action": "decide", "outcome": "proceed_changed", "response_summary": "Noted."},
        )
        assert "must answer the 1 comment published" in short.content.decode()
        response = client.post(
            _admin_url(consultation),
            {"action": "decide", "outcome": "proceed_changed", "response_summary": ANSWER},
        )

    assert response.status_code == 302
    assert response.url == reverse("screening:rule_edit", args=[rule.code]) + "?from=active"
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.DECIDED
    admin_page = client.get(_admin_url(consultation)).content.decode()
    assert 'data-testid="make-change"' in admin_page
    public = client.get(_public_url(consultation)).content.decode()
    assert "Decision: Proceed with changes" in public
    assert ANSWER in public
    assert 'data-testid="comment-form"' not in public


def test_consultation_detail_withdraw_stays_on_the_consultation(client, world):
    consultation = _open(world, rule=RuleFactory(owner=world.policy_admin))
    client.force_login(world.policy_admin)
    with _after_close(client, world.policy_admin):
        response = client.post(
            _admin_url(consultation),
            {"action": "decide", "outcome": "withdraw", "response_summary": "No support."},
        )
    assert response.status_code == 302
    assert response.url == _admin_url(consultation)
    assert 'data-testid="make-change"' not in client.get(response.url).content.decode()


def test_consultation_list_query_budget(client, world, django_assert_max_num_queries):
    for number in range(5):
        consultation = _open(world, title=f"Proposal {number}", rule=RuleFactory())
        _comment(consultation, "A view.")
    client.force_login(world.policy_admin)
    with django_assert_max_num_queries(10):  # session, user, perms, one list query
        response = client.get(reverse("screening:consultation_list"))
    assert response.content.decode().count('data-testid="consultation-') == 5


def test_consultation_notices_link_to_the_consultation_on_the_page_and_in_the_feed(world, client):
    consultation = _open(world)
    detail = reverse("controls:consultation_detail", args=[consultation.pk])

    page = client.get(reverse("controls:notice_list")).content.decode()
    feed = client.get(reverse("controls:notice_feed")).content.decode()

    assert f'href="{detail}"' in page
    assert f'href="http://testserver{detail}"' in feed


# --- Paging -----------------------------------------------------------------------------------


def _many_published(world, consultation: Consultation, count: int) -> None:
    ConsultationComment.objects.bulk_create(
        ConsultationComment(
            consultation=consultation,
            author_name=f"Commenter {number:02d}",
            body=f"View number {number:02d}.",
            submitted_at=NOON - datetime.timedelta(minutes=count - number),
            status=CommentStatus.PUBLISHED,
            moderated_by=world.policy_admin,
            moderated_at=NOON,
        )
        for number in range(count)
    )


def test_consultation_public_list_is_paged(client, world):
    for number in range(PAGE_SIZE + 1):
        _open(world, title=f"Proposal {number:02d}")

    first = client.get(reverse("controls:consultation_list")).content.decode()
    second = client.get(reverse("controls:consultation_list"), {"page": 2}).content.decode()

    assert first.count('data-testid="consultation"') == PAGE_SIZE
    assert second.count('data-testid="consultation"') == 1
    assert "Page 1 of 2" in first


def test_consultation_list_is_paged(client, world):
    for number in range(PAGE_SIZE + 1):
        _open(world, title=f"Proposal {number:02d}")
    client.force_login(world.auditor)

    first = client.get(reverse("screening:consultation_list")).content.decode()
    second = client.get(reverse("screening:consultation_list"), {"page": 2}).content.decode()

    assert len(re.findall(r'data-testid="consultation-\d+"', first)) == PAGE_SIZE
    assert len(re.findall(r'data-testid="consultation-\d+"', second)) == 1
    assert "Page 1 of 2" in first


def test_consultation_public_detail_pages_the_comments_with_a_fixed_query_count(
    client, world, django_assert_max_num_queries
):
    consultation = _open(world)
    _many_published(world, consultation, 26)
    _comment(consultation, "Still waiting.")

    with django_assert_max_num_queries(3):  # the consultation with counts, a count, the page
        first = client.get(_public_url(consultation)).content.decode()
    second = client.get(_public_url(consultation), {"page": 2}).content.decode()

    assert first.count('data-testid="comment"') == 25
    assert "View number 00." in first
    assert "View number 25." not in first
    assert second.count('data-testid="comment"') == 1
    assert "View number 25." in second
    assert "26 comments published; 1 awaiting moderation" in second  # counts cover every page
    assert "Page 2 of 2" in second


def test_consultation_detail_pages_the_comments_and_moderation_returns_to_the_page(
    client, world, django_assert_max_num_queries
):
    consultation = _open(world)
    _many_published(world, consultation, 25)
    late = _comment(consultation, "A late view.")
    client.force_login(world.policy_admin)
    url = _admin_url(consultation)

    with django_assert_max_num_queries(12):  # as many for 25 comments as for one
        first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert first.count('data-testid="comment"') == 25
    assert "A late view." not in first
    assert f'data-testid="moderation-form-{late.pk}"' in second
    assert "Page 2 of 2" in second

    response = client.post(
        f"{url}?page=2",
        {"action": "moderate", "comment": late.pk, f"comment-{late.pk}-decision": "publish"},
    )
    assert response.status_code == 302
    assert response.url == f"{url}?page=2#comment-{late.pk}"
    late.refresh_from_db()
    assert late.status == CommentStatus.PUBLISHED


@pytest.mark.parametrize("comment", ["", "abc", "999999"])
def test_consultation_detail_moderating_an_unknown_comment_is_404(client, world, comment):
    consultation = _open(world)
    client.force_login(world.policy_admin)

    response = client.post(
        _admin_url(consultation),
        {"action": "moderate", "comment": comment, f"comment-{comment}-decision": "publish"},
    )

    assert response.status_code == 404
