import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from exportgov.accounts import services
from exportgov.accounts.models import Invitation, User
from exportgov.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_login_signs_in_records_the_event_and_lands_on_the_dashboard(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "exporter", "password": world.password}
    )

    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.USER_LOGGED_IN, actor=world.exporter
    ).exists()


def test_login_with_a_wrong_password_says_so_and_keeps_the_username(client, world):
    response = client.post(reverse("accounts:login"), {"username": "exporter", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert 'value="exporter"' in response.content.decode()
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.USER_LOGIN_FAILED, payload__username="exporter"
    ).exists()


def test_logout_ends_the_session(client, world):
    client.force_login(world.exporter)
    client.post(reverse("accounts:logout"))

    assert client.get(reverse("core:dashboard")).status_code == 302
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.USER_LOGGED_OUT, actor=world.exporter
    ).exists()


def test_session_expires_after_inactivity_and_each_request_renews_it(client, world):
    client.force_login(world.exporter)
    response = client.get(reverse("core:dashboard"))

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE == 30 * 60
    assert cookie["httponly"]


def test_password_reset_by_email_sets_a_new_password(client, world):
    client.post(reverse("accounts:password_reset"), {"email": world.exporter.email})

    (message,) = mail.outbox
    assert message.to == [world.exporter.email]
    link = re.search(r"https?://[^/]+(/password/reset/\S+/\S+/)", message.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    new_password = "another-Strong-password-7"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})

    assert response.status_code == 302
    world.exporter.refresh_from_db()
    assert world.exporter.check_password(new_password)
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.USER_PASSWORD_RESET, actor=world.exporter
    ).exists()


def test_password_reset_for_an_unknown_email_reveals_nothing(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.fixture
def invitation(world) -> Invitation:
    return services.invitation_create(
        actor=world.exporter,
        organisation=world.organisation,
        email="nia@example.org",
        role="member",
    )


def test_invitation_accept_with_a_weak_password_explains_and_keeps_what_was_typed(
    client, invitation
):
    url = reverse("accounts:invitation_accept", kwargs={"token": invitation.token})
    data = {
        "first_name": "Nia",
        "last_name": "Novak",
        "username": "nia",
        "password1": "short",
        "password2": "short",
    }

    response = client.post(url, data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "This password is too short" in page
    assert 'value="Nia"' in page
    assert 'value="Novak"' in page
    assert 'value="nia"' in page
    assert not User.objects.filter(username="nia").exists()


def test_invitation_accept_signs_the_new_member_in(client, invitation):
    url = reverse("accounts:invitation_accept", kwargs={"token": invitation.token})
    password = "a-Strong-password-99"
    data = {
        "first_name": "Nia",
        "last_name": "Novak",
        "username": "nia",
        "password1": password,
        "password2": password,
    }

    response = client.post(url, data)

    assert response.status_code == 302
    assert response.url == reverse(
        "accounts:organisation_detail", kwargs={"pk": invitation.organisation_id}
    )
    assert client.get(response.url).status_code == 200


def test_invitation_create_with_a_bad_email_explains_and_keeps_the_input(client, world):
    client.force_login(world.exporter)
    url = reverse("accounts:invitation_create", kwargs={"pk": world.organisation.pk})

    response = client.post(url, {"email": "not-an-email", "role": "admin"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address" in page
    assert 'value="not-an-email"' in page
    assert not Invitation.objects.exists()


def test_organisation_page_of_another_organisation_is_not_found(client, world):
    client.force_login(world.other_exporter)
    url = reverse("accounts:organisation_detail", kwargs={"pk": world.organisation.pk})
    assert client.get(url).status_code == 404


def test_api_token_create_shows_a_working_token_once(client, world):
    client.force_login(world.exporter)
    page = client.post(reverse("accounts:api_token_create")).content.decode()
    key = re.search(r'data-testid="api-token">(\w+)<', page).group(1)

    client.logout()
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.json()["username"] == "exporter"
