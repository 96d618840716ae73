import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from exportgov.audit.models import AuditEvent
from exportgov.audit.selectors import audit_chain_verify
from exportgov.audit.services import GENESIS_HASH, audit_event_hash, audit_record
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _record(n: int, actor=None) -> list[AuditEvent]:
    return [
        audit_record(actor=actor, verb=AuditEvent.Verb.TEAM_CREATED, payload={"n": i})
        for i in range(n)
    ]


def test_audit_record_chains_each_event_to_the_previous_one():
    AuditEvent.objects.all().count()  # the chain may already hold events from set-up
    first, second, third = _record(3)

    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    stored = AuditEvent.objects.get(pk=second.pk)
    assert audit_event_hash(stored) == stored.hash


def test_audit_record_starts_the_chain_at_the_genesis_hash():
    assert not AuditEvent.objects.exists()
    (first,) = _record(1)
    assert first.prev_hash == GENESIS_HASH


def test_audit_record_keeps_actor_target_and_payload():
    user = UserFactory()
    event = audit_record(
        actor=user, verb=AuditEvent.Verb.USER_ROLES_SET, target=user, payload={"roles": ["auditor"]}
    )
    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_label == f"{user.get_full_name()} <{user.email}>"
    assert (event.target_type, event.target_id) == ("accounts.user", str(user.pk))
    assert event.payload == {"roles": ["auditor"]}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET actor_label = 'someone else' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_database_refuses_update_and_delete_of_audit_rows(statement):
    (event,) = _record(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, actor_label="system").exists()


def test_orm_delete_of_audit_rows_is_refused_too():
    _record(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 2


def test_verify_audit_chain_says_ok_for_an_intact_chain(capsys):
    _record(5)
    call_command("verify_audit_chain")
    assert capsys.readouterr().out.strip() == "ok (5 events verified)"


def test_verify_audit_chain_finds_a_row_forged_behind_the_applications_back():
    events = _record(3)
    forged_hash = "f" * 64
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO audit_auditevent (actor_label, verb, target_type, target_id,
                   target_label, from_status, to_status, payload, created_at, prev_hash, hash)
               VALUES ('forger', 'user.created', '', '', '', '', '', '{}', now(), %s, %s)
               RETURNING id""",
            [events[-1].hash, forged_hash],
        )
        forged_id = cursor.fetchone()[0]
    _record(1)  # the application carries on after the forgery

    with pytest.raises(CommandError, match=f"broken at event #{forged_id}: its content"):
        call_command("verify_audit_chain")


def test_verify_audit_chain_finds_a_row_changed_with_the_trigger_disabled():
    _first, second, _third = _record(3)
    with connection.cursor() as cursor:
        _bypass_triggers(cursor)
        cursor.execute(
            "UPDATE audit_auditevent SET payload = '{\"n\": 99}' WHERE id = %s", [second.pk]
        )

    result = audit_chain_verify()
    assert (result.ok, result.broken_at, result.checked) == (False, second.pk, 1)


def test_verify_audit_chain_finds_a_deleted_row():
    _first, second, third = _record(3)
    with connection.cursor() as cursor:
        _bypass_triggers(cursor)
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])

    result = audit_chain_verify()
    assert result.broken_at == third.pk
    assert "link" in result.reason


def _bypass_triggers(cursor) -> None:
    """What a database superuser could do: switch triggers off for this transaction."""
    cursor.execute("SET LOCAL session_replication_role = replica")
