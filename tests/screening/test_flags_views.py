"""The triage pages: the case page's Screening section, disposing of a flag (htmx and plain
POST), "Screen again", the triage queue's failed screenings, the exporter's view of checks
and the policy admins' pilot flags."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from licensing.models import Application
from licensing.services import cases as case_services
from screening.models import Flag, KnownFalseMatch, Rule, ScreeningRun
from screening.services.flags import flag_dispose
from tests.licensing import factories as licensing
from tests.screening.factories import RuleFactory, ScreeningRunFactory

from .test_services_flags import a_flag, a_party_match

Status = Application.Status
HTMX = {"HX-Request": "true"}
SCORE = "0.9312"  # distinctive, so its absence from a page means something


def _case_url(application: Application) -> str:
    return reverse("licensing:case_detail", kwargs={"pk": application.pk})


def _dispose_url(application: Application, flag: Flag) -> str:
    return reverse("screening:flag_dispose", kwargs={"pk": application.pk, "flag_pk": flag.pk})


@pytest.fixture
def case(world) -> Application:
    return licensing.make_under_review(world)


@pytest.fixture
def flags(case) -> dict[str, Flag]:
    match = a_party_match(case)
    match.evidence = {**match.evidence, "score": float(SCORE)}
    match.save(update_fields=["evidence"])
    end_use = a_flag(
        case,
        rule=RuleFactory(title="End-use red flag", weight=23),
        evidence={"phrase": "nuclear weapon", "field": "end_use_statement"},
    )
    shadow = a_flag(case, rule=RuleFactory(title="Pilot: new exporter", mode=Rule.Mode.PILOT))
    return {"match": match, "end_use": end_use, "shadow": shadow}


# --- The case page ---------------------------------------------------------------------------


def test_case_detail_shows_each_flag_with_its_evidence_and_the_form(client, world, case, flags):
    client.force_login(world.case_officer)

    response = client.get(_case_url(case))

    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        'id="screening"',
        "Restricted-party match",
        "version 1",
        "Test sanctions list",
        "entry 12345",
        "KOENIGSTUHL OBSERVATORY TRADING",
        "Landessternwarte Konigstuhl",
        "(Also known as)",
        f"{SCORE[:4]} against the list's threshold of 0.80",
        "How each feature counted",
        "similarity 0.93",
        "Applications are checked for this red flag",
        "End-use red flag",
        "nuclear weapon",
        "Not this listed entity: do not raise it again for this organisation&#x27;s party",
        "Record the decision",
        "2 flags still need a decision",
    ):
        assert text in content, text
    assert "Pilot: new exporter" not in content
    assert "Pilot — does not score" not in content
    # The end-use flag's form has no false-match box.
    assert f'id="flag-{flags["end_use"].pk}-false_match"' not in content
    assert f'id="flag-{flags["match"].pk}-false_match"' in content
    # The matched entry is one click away: case officers may open list versions.
    version_url = reverse("screening:version_detail", kwargs={"pk": flags["match"].list_version_id})
    assert f"{version_url}?q=12345" in content


def test_case_detail_readers_see_flags_without_forms_and_the_entry_link(client, world, case, flags):
    client.force_login(world.auditor)

    content = client.get(_case_url(case)).content.decode()

    assert "KOENIGSTUHL OBSERVATORY TRADING" in content
    assert "Record the decision" not in content
    version_url = reverse("screening:version_detail", kwargs={"pk": flags["match"].list_version_id})
    assert f"{version_url}?q=12345" in content


def test_case_detail_shows_the_latest_run_and_its_versions(client, world, case, flags):
    run = ScreeningRunFactory(application=case, risk_score=83, tier="high")
    rule = flags["end_use"].rule
    run.rule_versions.add(rule)
    run.list_versions.add(flags["match"].list_version)
    client.force_login(world.case_officer)

    content = client.get(_case_url(case)).content.decode()

    assert "83 of 100 · High tier" in content
    assert f"{rule.code} v1" in content
    assert "Test sanctions list of" in content


def test_case_detail_query_count_does_not_grow_with_flags(
    client, world, case, django_assert_max_num_queries
):
    client.force_login(world.case_officer)
    a_party_match(case)
    a_flag(case)
    with django_assert_max_num_queries(40) as few:  # 31 when measured
        client.get(_case_url(case))
    for _ in range(4):
        a_party_match(case)
        a_flag(case)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_case_url(case))

    assert response.content.decode().count('data-testid="flag"') == 10


# --- Disposing of a flag ---------------------------------------------------------------------


def test_flag_dispose_view_plain_post_redirects_to_the_case(client, world, case, flags):
    client.force_login(world.case_officer)
    flag = flags["end_use"]

    response = client.post(
        _dispose_url(case, flag), {"disposition": "confirmed", "reason": "It says so."}
    )

    assert response.status_code == 302
    assert response.url == f"{_case_url(case)}#flag-{flag.pk}"
    flag.refresh_from_db()
    assert (flag.disposition, flag.disposition_reason) == ("confirmed", "It says so.")
    page = client.get(response.url).content.decode()
    assert "The flag “End-use red flag” has been confirmed." in page
    assert "1 flag still needs a decision" in page


def test_flag_dispose_view_plain_post_error_keeps_what_was_typed(client, world, case, flags):
    client.force_login(world.case_officer)
    flag = flags["match"]

    response = client.post(
        _dispose_url(case, flag), {"disposition": "", "reason": "Typed before choosing."}
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Choose confirm or dismiss." in content
    assert "Typed before choosing." in content
    flag.refresh_from_db()
    assert flag.is_pending


def test_flag_dispose_view_plain_post_shows_the_service_refusal(client, world, case, flags):
    flag = flags["end_use"]
    flag_dispose(actor=world.case_officer, flag=flag, disposition="confirmed", reason="Real.")
    flag_dispose(
        actor=world.case_officer, flag=flags["match"], disposition="confirmed", reason="Them."
    )
    licensing.make_recommended(world, application=case)
    client.force_login(world.case_officer)

    response = client.post(
        _dispose_url(case, flag), {"disposition": "dismissed", "reason": "Changed my mind."}
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "an earlier disposition can no longer be changed" in content
    assert "Changed my mind." in content


def test_flag_dispose_view_htmx_swaps_the_panel(client, world, case, flags):
    client.force_login(world.case_officer)
    flag = flags["match"]

    response = client.post(
        _dispose_url(case, flag),
        {"disposition": "dismissed", "reason": "Another observatory.", "false_match": "on"},
        headers=HTMX,
    )

    assert response.status_code == 200
    content = response.content.decode()
    first_tag = content.lstrip().split(">", 1)[0]
    assert first_tag.startswith("<div ")
    assert f'id="flag-{flag.pk}" data-testid="flag"' in first_tag
    assert "Dismissed</strong> by" in content
    assert "Another observatory." in content
    assert "Recorded as a known false match" in content
    assert 'hx-swap-oob="true"' in content
    assert "1 flag still needs a decision" in content
    assert "<html" not in content
    assert KnownFalseMatch.objects.filter(flag=flag).exists()


def test_flag_dispose_view_htmx_error_shows_the_reason_kept(client, world, case, flags):
    client.force_login(world.case_officer)
    flag = flags["end_use"]

    response = client.post(
        _dispose_url(case, flag), {"disposition": "dismissed", "reason": "  "}, headers=HTMX
    )

    assert response.status_code == 200  # htmx swaps only successful responses
    content = response.content.decode()
    assert "Give a reason for your decision." in content
    assert f'id="flag-{flag.pk}-disposition_1" checked' in content  # "Dismiss" stays chosen
    flag.refresh_from_db()
    assert flag.is_pending


def test_flag_dispose_view_a_flag_of_another_case_is_404(client, world, case, flags):
    other_case = licensing.make_under_review(world)
    client.force_login(world.case_officer)

    response = client.post(
        _dispose_url(other_case, flags["end_use"]), {"disposition": "confirmed", "reason": "x"}
    )

    assert response.status_code == 404
    flags["end_use"].refresh_from_db()
    assert flags["end_use"].is_pending


def test_flag_dispose_view_a_shadow_flag_is_hidden_from_case_officers(client, world, case, flags):
    client.force_login(world.case_officer)

    response = client.post(
        _dispose_url(case, flags["shadow"]), {"disposition": "confirmed", "reason": "x"}
    )

    assert response.status_code == 404


def test_flag_dispose_view_refuses_readers(client, world, case, flags):
    client.force_login(world.auditor)

    response = client.post(
        _dispose_url(case, flags["end_use"]), {"disposition": "confirmed", "reason": "x"}
    )

    assert response.status_code == 403
    flags["end_use"].refresh_from_db()
    assert flags["end_use"].is_pending


def test_case_recommend_view_is_refused_while_flags_are_pending(client, world, case, flags):
    client.force_login(world.case_officer)
    data = {
        "outcome": "approve",
        "explanation": "Civil end use.",
        "conditions": [licensing.LicenceConditionFactory().pk],
    }
    url = reverse("licensing:case_recommend", kwargs={"pk": case.pk})

    response = client.post(url, data)

    assert response.status_code == 400
    assert "2 flags still need a decision" in response.content.decode()
    for flag in (flags["match"], flags["end_use"]):
        flag_dispose(actor=world.case_officer, flag=flag, disposition="dismissed", reason="Ok.")
    assert client.post(url, data).status_code == 302
    assert Application.objects.get(pk=case.pk).status == Status.RECOMMENDED


# --- Screening failed ------------------------------------------------------------------------


def _screening_failed(world) -> Application:
    application = licensing.make_draft(world)
    from licensing.services import applications as application_services

    application_services.application_submit(actor=world.exporter, application=application)
    application.screening_runs.update(status=ScreeningRun.Status.FAILED, error="Worker lost")
    case_services.case_fail_screening(application=application, error="Worker lost")
    return Application.objects.get(pk=application.pk)


def test_case_detail_shows_a_failed_screening_with_screen_again(client, world):
    application = _screening_failed(world)
    client.force_login(world.case_officer)

    content = client.get(_case_url(application)).content.decode()

    assert "Screening failed" in content
    assert "Worker lost" in content
    assert reverse("screening:screening_retry", kwargs={"pk": application.pk}) in content


def test_screening_retry_view_sends_the_case_back_to_screening(client, world):
    application = _screening_failed(world)
    client.force_login(world.case_officer)

    response = client.post(reverse("screening:screening_retry", kwargs={"pk": application.pk}))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SCREENING
    assert application.screening_runs.filter(trigger=ScreeningRun.Trigger.RETRY).exists()


def test_screening_retry_view_refuses_readers(client, world):
    application = _screening_failed(world)
    client.force_login(world.auditor)

    response = client.post(reverse("screening:screening_retry", kwargs={"pk": application.pk}))

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Status.SCREENING_FAILED


def test_case_triage_queue_lists_failed_screenings(client, world):
    application = _screening_failed(world)
    client.force_login(world.case_officer)

    content = client.get(reverse("licensing:case_triage_queue")).content.decode()

    assert application.reference in content
    assert 'data-testid="screening-failed">Screening failed' in content


# --- The exporter ----------------------------------------------------------------------------


def test_application_status_shows_public_reasons_only(client, world, case, flags):
    flag_dispose(
        actor=world.case_officer, flag=flags["end_use"], disposition="dismissed", reason="Fine."
    )
    client.force_login(world.exporter)

    response = client.get(reverse("licensing:application_status", kwargs={"pk": case.pk}))

    content = response.content.decode()
    assert "Checks on your application" in content
    assert "Restricted-party match" in content
    assert "End user: Landessternwarte Königstuhl" in content
    assert "Applications are checked for this red flag" in content
    assert "Reviewed by an official" in content
    assert "Waiting for an official" in content
    for secret in (
        SCORE,
        "0.93",
        "threshold",
        "Weight",
        'data-testid="flag-weight"',
        "KOENIGSTUHL OBSERVATORY TRADING",
        "nuclear weapon",
        "Pilot: new exporter",
        "Fine.",
    ):
        assert secret not in content, secret


def test_application_status_polls_while_screening(client, world):
    application = licensing.make_draft(world)
    from licensing.services import applications as application_services

    application_services.application_submit(actor=world.exporter, application=application)
    client.force_login(world.exporter)
    url = reverse("licensing:application_status", kwargs={"pk": application.pk})

    content = client.get(url).content.decode()
    partial = client.get(url, headers={**HTMX, "HX-Target": "status-panel"}).content.decode()

    assert "Screening in progress" in content
    assert 'hx-trigger="every 3s"' in content
    assert partial.lstrip().startswith('<div id="status-panel"')
    assert "Screening in progress" in partial
    assert "<html" not in partial


def test_application_status_shows_a_failed_screening_as_a_delay(client, world):
    application = _screening_failed(world)
    client.force_login(world.exporter)

    content = client.get(
        reverse("licensing:application_status", kwargs={"pk": application.pk})
    ).content.decode()

    assert "Checks are taking longer than usual; an official has been told." in content
    assert "Screening failed" not in content
    assert "Worker lost" not in content
    assert 'hx-trigger="every 3s"' not in content


def test_application_detail_api_lists_public_checks(world, case, flags):
    api = APIClient()
    api.force_authenticate(world.exporter)

    response = api.get(reverse("api:application_detail", kwargs={"pk": case.pk}))

    assert response.status_code == 200
    checks = response.json()["checks"]
    assert [check["title"] for check in checks] == ["Restricted-party match", "End-use red flag"]
    assert set(checks[0]) == {"title", "justification", "concerns", "reviewed"}
    assert SCORE not in response.content.decode()


# --- Pilot flags -----------------------------------------------------------------------------


def test_pilot_flags_lists_pending_shadow_flags(client, world, case, flags):
    client.force_login(world.policy_admin)

    content = client.get(reverse("screening:pilot_flags")).content.decode()

    assert "Pilot: new exporter" in content
    assert case.reference in content
    assert "Pilot — does not score" in content
    assert "End-use red flag <span" not in content
    assert content.count('data-testid="flag"') == 1
    assert "Record the decision" in content


def test_pilot_flags_query_count_does_not_grow_with_flags_of_decided_cases(
    client, world, django_assert_max_num_queries
):
    """A decided case's flag is offered for judging only while an appeal has remitted it:
    that is read with the page's flags, not once per flag."""
    pilot = RuleFactory(title="Pilot: new exporter", mode=Rule.Mode.PILOT)
    a_flag(licensing.make_refused(world), rule=pilot)
    client.force_login(world.policy_admin)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("screening:pilot_flags"))
    for _ in range(3):
        a_flag(licensing.make_refused(world), rule=pilot)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("screening:pilot_flags"))

    content = response.content.decode()
    assert content.count('data-testid="flag"') == 4
    assert "Record the decision" not in content  # decided cases, nothing remitted


def test_pilot_flag_dispose_judges_a_shadow_flag(client, world, case, flags):
    client.force_login(world.policy_admin)
    url = reverse("screening:pilot_flag_dispose", kwargs={"pk": flags["shadow"].pk})

    htmx = client.post(url, {"disposition": "dismissed", "reason": ""}, headers=HTMX)
    plain = client.post(url, {"disposition": "dismissed", "reason": "Too broad."})

    assert htmx.status_code == 200
    assert "Give a reason for your decision." in htmx.content.decode()
    assert plain.status_code == 302
    flags["shadow"].refresh_from_db()
    assert flags["shadow"].disposition == "dismissed"
    after = client.get(reverse("screening:pilot_flags")).content.decode()
    assert 'data-testid="flag"' not in after
    assert "The flag “Pilot: new exporter” has been dismissed." in after


def test_pilot_flag_dispose_a_live_flag_is_404(client, world, case, flags):
    client.force_login(world.policy_admin)
    url = reverse("screening:pilot_flag_dispose", kwargs={"pk": flags["end_use"].pk})

    response = client.post(url, {"disposition": "dismissed", "reason": "Nope."})

    assert response.status_code == 404


def test_version_detail_finds_an_entry_by_its_id_as_the_flag_link_does(client, world):
    from screening.services import list_version_import

    from .conftest import EU

    version = list_version_import(actor=None, paths=[EU])
    entry = version.entries.order_by("id").last()
    client.force_login(world.policy_admin)

    response = client.get(
        reverse("screening:version_detail", kwargs={"pk": version.pk}), {"q": entry.entry_id}
    )

    assert [listed.pk for listed in response.context["page"].object_list] == [entry.pk]
