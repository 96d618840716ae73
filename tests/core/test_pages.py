import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from exportgov.accounts.roles import Role
from exportgov.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]


def test_pages_send_a_content_security_policy_without_unsafe_inline(client, world):
    client.force_login(world.exporter)
    response = client.get(reverse("core:dashboard"))

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert re.search(r"script-src 'self' 'nonce-[\w+/=-]+'", policy)
    assert "unsafe-inline" not in policy


def test_pages_have_no_inline_scripts(client, world):
    client.force_login(world.auditor)
    for name in ["core:dashboard", "audit:event_list", "accounts:profile", "notifications:list"]:
        page = client.get(reverse(name)).content.decode()
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
        assert scripts, name
        for attributes, body in scripts:
            assert "src=" in attributes, name
            assert not body.strip(), name
        assert not re.search(r"\son[a-z]+=", page), f"inline event handler on {name}"


def test_footer_shows_the_version(client):
    page = client.get(reverse("core:home")).content.decode()
    assert f'data-testid="version">{settings.EXPORTGOV_VERSION}<' in page


@pytest.mark.parametrize("role", list(Role))
def test_dashboard_shows_a_panel_for_the_users_role(client, world, role):
    user = {
        Role.EXPORTER: world.exporter,
        Role.CASE_OFFICER: world.case_officer,
        Role.SENIOR_OFFICIAL: world.senior_official,
        Role.ADVISOR: world.advisor,
        Role.APPEALS_REVIEWER: world.appeals_reviewer,
        Role.POLICY_ADMIN: world.policy_admin,
        Role.AUDITOR: world.auditor,
    }[role]
    client.force_login(user)
    page = client.get(reverse("core:dashboard")).content.decode()

    assert f'data-testid="panel-{role.value}"' in page
    assert page.count('data-testid="panel-') == 1


def test_dashboard_counts_are_real(client, world):
    client.force_login(world.exporter)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert re.search(r'eg-card-count">2</span> members', page)  # exporter and colleague

    client.force_login(world.auditor)
    events = AuditEvent.objects.count()
    page = client.get(reverse("core:dashboard")).content.decode()
    assert f'eg-card-count">{events}</span> events' in page


def test_dashboard_empty_state_says_what_to_do_next(client, world):
    client.force_login(world.appeals_reviewer)  # in no team
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "You are in no team yet: ask a policy admin to add you to one." in page


def test_dashboard_shows_empty_states_only_for_zero_counts(client, world):
    client.force_login(world.case_officer)  # in one team
    page = client.get(reverse("core:dashboard")).content.decode()
    assert 'eg-card-count">1</span> team<' in page
    assert "You are in no team yet" not in page

    client.force_login(world.auditor)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "The log is empty." not in page


def test_navigation_follows_the_role(client, world):
    client.force_login(world.auditor)
    assert "Audit log" in client.get(reverse("core:dashboard")).content.decode()
    client.force_login(world.exporter)
    assert "Audit log" not in client.get(reverse("core:dashboard")).content.decode()


def test_navigation_leads_policy_admins_to_governance_pages(client, world):
    client.force_login(world.policy_admin)
    page = client.get(reverse("core:dashboard")).content.decode()
    for name in ("rule_list", "sunset_review_queue", "consultation_list"):
        assert f'href="{reverse(f"screening:{name}")}"' in page
    client.force_login(world.exporter)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("screening:consultation_list")}"' not in page


def test_error_pages_use_the_layout(client, world):
    client.force_login(world.exporter)
    not_found = client.get("/no-such-page/")
    forbidden = client.get(reverse("audit:event_list"))

    assert not_found.status_code == 404
    assert "Page not found" in not_found.content.decode()
    assert forbidden.status_code == 403
    assert "You are not allowed" in forbidden.content.decode()


def test_server_error_page_renders_without_context(rf):
    from exportgov.core.errors import server_error

    response = server_error(rf.get("/boom/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_audit_log_page_filters_and_answers_htmx_with_the_table_only(client, world):
    client.force_login(world.auditor)
    url = reverse("audit:event_list")

    full = client.get(url, {"verb": "team.created"}).content.decode()
    partial = client.get(url, {"verb": "team.created"}, HTTP_HX_REQUEST="true").content.decode()

    assert "<html" in full
    assert "<html" not in partial
    assert 'id="results"' in partial
    assert "Defence advisers" in partial
    assert "Northwind" not in partial


def test_audit_log_page_keeps_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.auditor)
    with django_assert_max_num_queries(12):
        client.get(reverse("audit:event_list"))


def _start_production_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "sqlite:///x",
        "REDIS_URL": "redis://x:6379/0",
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "exportgov.settings.base", **env}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    missing = _start_production_settings()
    assert missing.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in missing.stderr

    empty = _start_production_settings(DJANGO_SECRET_KEY="")
    assert empty.returncode != 0
    assert "32 characters or more" in empty.stderr

    started = _start_production_settings(DJANGO_SECRET_KEY="k" * 50)
    assert started.returncode == 0, started.stderr


def test_documents_go_to_an_s3_compatible_bucket_when_one_is_configured():
    code = (
        "import django; django.setup(); from django.core.files.storage import storages;"
        "print(type(storages['default']).__name__, storages['default'].bucket_name)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "exportgov.settings.base",
            "DJANGO_SECRET_KEY": "k" * 50,
            "DATABASE_URL": "sqlite:///x",
            "REDIS_URL": "redis://x:6379/0",
            "EXPORTGOV_S3_BUCKET": "exportgov-documents",
            "EXPORTGOV_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["S3Storage", "exportgov-documents"], result.stderr
