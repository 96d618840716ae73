"""Public consultations, with frozen time: opening (closing date, rule in force, notice),
comments up to the end of the closing day (local time) and their moderation, and the decision
that must answer the comments (after the closing date, none pending), with its notice; the
permissions and audit rows of each."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from exportgov.audit.models import AuditEvent
from exportgov.notifications.models import Notification
from screening.models import Consultation, ConsultationComment, PublicNotice, Rule
from screening.services.consultations import (
    consultation_comment_moderate,
    consultation_comment_submit,
    consultation_decide,
    consultation_open,
)
from tests.screening.factories import RuleFactory

Verb = AuditEvent.Verb
Kind = PublicNotice.Kind
Outcome = Consultation.Outcome
CommentStatus = ConsultationComment.Status
OPENED = datetime.date(2026, 3, 2)
CLOSES = datetime.date(2026, 3, 20)  # 18 days after opening
LOCAL = "America/New_York"  # a zone whose midnight is not UTC's
ANSWER = (
    "We read every comment. Two asked for a narrower phrase list; the decision keeps the "
    "change but drops the broadest phrase, as they suggested."
)


@pytest.fixture(autouse=True)
def _local_time_zone(settings):
    settings.TIME_ZONE = LOCAL


def _at(day: datetime.date, hour: int = 9, minute: int = 0):
    moment = datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(LOCAL)
    )
    return time_machine.travel(moment, tick=False)


def _rule(world, **overrides) -> Rule:
    return RuleFactory(
        owner=world.policy_admin,
        effective_from=datetime.date(2026, 1, 1),
        sunset_on=datetime.date(2027, 6, 30),
        **overrides,
    )


def _open(world, *, rule: Rule | None = None, closes_on: datetime.date = CLOSES) -> Consultation:
    with _at(OPENED):
        return consultation_open(
            actor=world.policy_admin,
            rule=rule,
            title="Add centrifuge phrases to the end-use check",
            proposal="Add “centrifuge cascade” and “maraging steel rotor” to the phrases.",
            rationale="Both phrases appeared in three refused cases last year.",
            closes_on=closes_on,
        )


def _comment(consultation: Consultation, *, day: datetime.date = OPENED, **overrides):
    values = {
        "author_name": "Ada Lovelace",
        "organisation_name": "Analytical Engines Ltd",
        "email": "ada@example.org",
        "body": "The second phrase is too broad: rotors of that steel are common in labs.",
        **overrides,
    }
    with _at(day):
        return consultation_comment_submit(consultation=consultation, **values)


# --- Opening ----------------------------------------------------------------------------------


def test_consultation_open_publishes_notice_and_audits(world):
    rule = _rule(world)
    consultation = _open(world, rule=rule)

    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN
    assert (consultation.rule, consultation.opened_by) == (rule, world.policy_admin)
    assert consultation.closes_on == CLOSES
    notice = PublicNotice.objects.get(consultation=consultation)
    assert notice.kind == Kind.CONSULTATION_OPENED
    assert notice.rule == rule
    assert "centrifuge cascade" in notice.summary
    assert "20 March 2026" in notice.summary
    assert rule.code in notice.summary
    assert notice.justification == "Both phrases appeared in three refused cases last year."
    event = AuditEvent.objects.get(verb=Verb.CONSULTATION_OPENED)
    assert event.target_id == str(consultation.pk)
    assert event.actor == world.policy_admin


def test_consultation_open_for_a_new_rule(world):
    consultation = _open(world, rule=None)
    notice = PublicNotice.objects.get(consultation=consultation)
    assert notice.rule is None
    assert notice.summary.startswith("A new rule is proposed")


def test_consultation_open_needs_the_minimum_comment_period(world):
    with pytest.raises(ValidationError) as error:
        _open(world, closes_on=OPENED + datetime.timedelta(days=13))
    assert "at least 14 days" in error.value.message_dict["closes_on"][0]
    assert "16 March 2026" in error.value.message_dict["closes_on"][0]
    _open(world, closes_on=OPENED + datetime.timedelta(days=14))  # exactly 14 days is enough
    assert Consultation.objects.count() == 1


def test_consultation_open_reports_each_missing_field(world):
    with _at(OPENED), pytest.raises(ValidationError) as error:
        consultation_open(
            actor=world.policy_admin,
            rule=None,
            title=" ",
            proposal="",
            rationale="",
            closes_on=None,
        )
    assert set(error.value.message_dict) == {"title", "proposal", "rationale", "closes_on"}
    assert not Consultation.objects.exists()
    assert not PublicNotice.objects.exists()


def test_consultation_open_needs_a_rule_version_in_force(world):
    retired = _rule(world, status=Rule.Status.RETIRED)
    with pytest.raises(ValidationError) as error:
        _open(world, rule=retired)
    assert "no longer in force" in error.value.message_dict["rule"][0]
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("who", ["auditor", "case_officer", "exporter"])
def test_consultation_open_only_by_policy_admins(world, who):
    with _at(OPENED), pytest.raises(PermissionDenied):
        consultation_open(
            actor=getattr(world, who),
            rule=None,
            title="t",
            proposal="p",
            rationale="r",
            closes_on=CLOSES,
        )
    assert not Consultation.objects.exists()


# --- Comments ---------------------------------------------------------------------------------


def test_consultation_comment_submit_accepted_until_2359_local_on_the_closing_day(world):
    consultation = _open(world)

    with _at(CLOSES, 23, 59):
        comment = consultation_comment_submit(
            consultation=consultation,
            author_name="",
            organisation_name="",
            email="",
            body="Last-minute comment.",
        )
    assert comment.status == CommentStatus.PENDING

    with _at(CLOSES + datetime.timedelta(days=1), 0, 0), pytest.raises(ValidationError) as error:
        consultation_comment_submit(
            consultation=consultation,
            author_name="",
            organisation_name="",
            email="",
            body="Too late.",
        )
    assert "closed on 20 March 2026" in error.value.messages[0]
    assert consultation.comments.count() == 1


def test_consultation_comment_submit_stays_pending_and_audits_without_email(world):
    consultation = _open(world)
    comment = _comment(consultation)

    assert comment.status == CommentStatus.PENDING
    assert comment.email == "ada@example.org"
    assert comment.user is None
    event = AuditEvent.objects.get(verb=Verb.CONSULTATION_COMMENTED)
    assert event.actor is None
    assert event.target_id == str(comment.pk)
    assert "ada@example.org" not in str(event.payload)
    assert "ada@example.org" not in event.target_label


def test_consultation_comment_submit_by_a_signed_in_user_is_theirs(world):
    consultation = _open(world)
    comment = _comment(consultation, user=world.exporter)
    assert comment.user == world.exporter
    assert AuditEvent.objects.get(verb=Verb.CONSULTATION_COMMENTED).actor == world.exporter


def test_consultation_comment_submit_checks_its_fields(world):
    consultation = _open(world)
    with pytest.raises(ValidationError) as error:
        _comment(consultation, body="   ", email="not-an-email")
    assert set(error.value.message_dict) == {"body", "email"}
    with pytest.raises(ValidationError) as error:
        _comment(consultation, body="x" * 5001)
    assert "5,000 characters" in error.value.message_dict["body"][0]
    _comment(consultation, body="x" * 5000)
    assert consultation.comments.count() == 1


def test_consultation_comment_submit_notifies_the_opener_once_per_batch(world):
    consultation = _open(world)
    first = _comment(consultation)
    _comment(consultation, body="A second comment while the first waits.")

    notification = Notification.objects.get(recipient=world.policy_admin)
    assert consultation.title in notification.subject
    assert notification.url == reverse("screening:consultation_detail", args=[consultation.pk])

    with _at(OPENED):
        consultation_comment_moderate(actor=world.policy_admin, comment=first, publish=True)
    assert Notification.objects.filter(recipient=world.policy_admin).count() == 1  # one waits
    second = consultation.comments.get(status=CommentStatus.PENDING)
    with _at(OPENED):
        consultation_comment_moderate(actor=world.policy_admin, comment=second, publish=True)
    _comment(consultation, body="A third, after all were moderated.")
    assert Notification.objects.filter(recipient=world.policy_admin).count() == 2


def test_consultation_comment_submit_refused_once_decided(world):
    consultation = _open(world)
    with _at(CLOSES + datetime.timedelta(days=1)):
        consultation_decide(
            actor=world.policy_admin,
            consultation=consultation,
            outcome=Outcome.PROCEED,
            response_summary="No comment was received.",
        )
    # Even with a closing date moved later, a decided consultation takes no comment.
    Consultation.objects.filter(pk=consultation.pk).update(closes_on=CLOSES.replace(year=2030))
    with pytest.raises(ValidationError) as error:
        _comment(consultation, day=CLOSES + datetime.timedelta(days=2))
    assert "decided" in error.value.messages[0]


# --- Moderation -------------------------------------------------------------------------------


def test_consultation_comment_moderate_publishes(world):
    consultation = _open(world)
    comment = _comment(consultation)
    with _at(OPENED, 10):
        comment = consultation_comment_moderate(
            actor=world.policy_admin, comment=comment, publish=True, reason=""
        )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.moderated_by == world.policy_admin
    assert comment.moderated_at is not None
    event = AuditEvent.objects.get(verb=Verb.CONSULTATION_COMMENT_MODERATED)
    assert (event.from_status, event.to_status) == ("pending", "published")


def test_consultation_comment_moderate_reject_needs_a_reason(world):
    consultation = _open(world)
    comment = _comment(consultation)
    with pytest.raises(ValidationError) as error:
        consultation_comment_moderate(
            actor=world.policy_admin, comment=comment, publish=False, reason="  "
        )
    assert "reason" in error.value.message_dict
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING

    consultation_comment_moderate(
        actor=world.policy_admin,
        comment=comment,
        publish=False,
        reason="It names a private person.",
    )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert comment.moderation_reason == "It names a private person."


def test_consultation_comment_moderate_only_pending_and_repeat_changes_nothing(world):
    consultation = _open(world)
    comment = _comment(consultation)
    consultation_comment_moderate(actor=world.policy_admin, comment=comment, publish=True)
    consultation_comment_moderate(actor=world.policy_admin, comment=comment, publish=True)
    assert AuditEvent.objects.filter(verb=Verb.CONSULTATION_COMMENT_MODERATED).count() == 1

    with pytest.raises(ValidationError) as error:
        consultation_comment_moderate(
            actor=world.policy_admin, comment=comment, publish=False, reason="Changed my mind."
        )
    assert "already moderated" in error.value.messages[0]
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED


@pytest.mark.parametrize("who", ["auditor", "case_officer", "exporter"])
def test_consultation_comment_moderate_only_by_moderators(world, who):
    consultation = _open(world)
    comment = _comment(consultation)
    with pytest.raises(PermissionDenied):
        consultation_comment_moderate(actor=getattr(world, who), comment=comment, publish=True)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


# --- The decision -----------------------------------------------------------------------------


def _moderate_all(world, consultation: Consultation, *, publish: bool = True) -> None:
    for comment in consultation.comments.filter(status=CommentStatus.PENDING):
        consultation_comment_moderate(
            actor=world.policy_admin, comment=comment, publish=publish, reason="Off topic."
        )


def test_consultation_decide_refused_before_the_closing_date_has_passed(world):
    consultation = _open(world)
    with _at(CLOSES, 23, 59), pytest.raises(ValidationError) as error:
        consultation_decide(
            actor=world.policy_admin,
            consultation=consultation,
            outcome=Outcome.PROCEED,
            response_summary=ANSWER,
        )
    assert "decide after the closing date" in error.value.messages[0]
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN


def test_consultation_decide_refused_while_comments_await_moderation(world):
    consultation = _open(world)
    _comment(consultation)
    _comment(consultation, body="Another view.")
    with _at(CLOSES + datetime.timedelta(days=1)), pytest.raises(ValidationError) as error:
        consultation_decide(
            actor=world.policy_admin,
            consultation=consultation,
            outcome=Outcome.PROCEED,
            response_summary=ANSWER,
        )
    assert "2 comments still await moderation" in error.value.messages[0]
    assert not PublicNotice.objects.filter(kind=Kind.CONSULTATION_DECIDED).exists()


def test_consultation_decide_needs_a_summary(world):
    consultation = _open(world)
    with _at(CLOSES + datetime.timedelta(days=1)), pytest.raises(ValidationError) as error:
        consultation_decide(
            actor=world.policy_admin,
            consultation=consultation,
            outcome=Outcome.WITHDRAW,
            response_summary="  ",
        )
    assert "response_summary" in error.value.message_dict


def test_consultation_decide_must_answer_published_comments(world):
    consultation = _open(world)
    _comment(consultation)
    _moderate_all(world, consultation)
    with _at(CLOSES + datetime.timedelta(days=1)), pytest.raises(ValidationError) as error:
        consultation_decide(
            actor=world.policy_admin,
            consultation=consultation,
            outcome=Outcome.PROCEED,
            response_summary="Noted, thanks.",
        )
    message = error.value.message_dict["response_summary"][0]
    assert "must answer the 1 comment published" in message
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN


def test_consultation_decide_short_summary_is_enough_when_nothing_was_published(world):
    consultation = _open(world)
    _comment(consultation)
    _moderate_all(world, consultation, publish=False)
    with _at(CLOSES + datetime.timedelta(days=1)):
        decided = consultation_decide(
            actor=world.policy_admin,
            consultation=consultation,
            outcome=Outcome.WITHDRAW,
            response_summary="Withdrawn.",
        )
    assert decided.status == Consultation.Status.DECIDED


def test_consultation_decide_publishes_notice_with_counts_and_audits(world):
    rule = _rule(world)
    consultation = _open(world, rule=rule)
    _comment(consultation)
    _comment(consultation, body="Fully support the change.")
    _comment(consultation, body="Buy cheap watches!")
    comments = list(consultation.comments.order_by("pk"))
    for comment in comments[:2]:
        consultation_comment_moderate(actor=world.policy_admin, comment=comment, publish=True)
    consultation_comment_moderate(
        actor=world.policy_admin, comment=comments[2], publish=False, reason="Advertising."
    )

    with _at(CLOSES + datetime.timedelta(days=1), 11):
        decided = consultation_decide(
            actor=world.policy_admin,
            consultation=consultation,
            outcome=Outcome.PROCEED_CHANGED,
            response_summary=f"  {ANSWER}  ",
        )

    decided.refresh_from_db()
    assert decided.status == Consultation.Status.DECIDED
    assert decided.outcome == Outcome.PROCEED_CHANGED
    assert decided.response_summary == ANSWER
    assert decided.decided_by == world.policy_admin
    assert decided.decided_at is not None
    notices = PublicNotice.objects.filter(consultation=consultation).order_by("published_at", "pk")
    assert [notice.kind for notice in notices] == [
        Kind.CONSULTATION_OPENED,
        Kind.CONSULTATION_DECIDED,
    ]
    notice = notices[1]
    assert "proceed with changes" in notice.summary
    assert "3 comments received, 2 published" in notice.summary
    assert notice.justification == ANSWER
    assert notice.rule == rule
    event = AuditEvent.objects.get(verb=Verb.CONSULTATION_DECIDED)
    assert (event.from_status, event.to_status) == ("open", "decided")
    assert event.payload["comments_received"] == 3
    # The consultation does not change the rule itself.
    rule.refresh_from_db()
    assert (rule.status, rule.version) == (Rule.Status.CURRENT, 1)


def test_consultation_decide_twice_is_refused_and_changes_nothing(world):
    consultation = _open(world)
    with _at(CLOSES + datetime.timedelta(days=1)):
        consultation_decide(
            actor=world.policy_admin,
            consultation=consultation,
            outcome=Outcome.WITHDRAW,
            response_summary="No comment was received; withdrawn.",
        )
        with pytest.raises(ValidationError):
            consultation_decide(
                actor=world.policy_admin,
                consultation=consultation,
                outcome=Outcome.PROCEED,
                response_summary="Proceed after all.",
            )
    consultation.refresh_from_db()
    assert consultation.outcome == Outcome.WITHDRAW
    assert PublicNotice.objects.filter(kind=Kind.CONSULTATION_DECIDED).count() == 1


@pytest.mark.parametrize("who", ["auditor", "case_officer"])
def test_consultation_decide_only_by_policy_admins(world, who):
    consultation = _open(world)
    with _at(CLOSES + datetime.timedelta(days=1)), pytest.raises(PermissionDenied):
        consultation_decide(
            actor=getattr(world, who),
            consultation=consultation,
            outcome=Outcome.WITHDRAW,
            response_summary="Withdrawn.",
        )


def test_consultation_notices_are_emailed_to_subscribers(world, django_capture_on_commit_callbacks):
    from screening.services.notices import notice_subscription_set

    notice_subscription_set(actor=world.exporter, active=True)
    with django_capture_on_commit_callbacks(execute=True):
        _open(world)
    assert [message.to for message in mail.outbox] == [[world.exporter.email]]
    assert "Consultation" in mail.outbox[0].subject
