"""An appeal in real Chromium: the exporter is refused, appeals with a document, an independent
appeals reviewer overturns the refusal, and the exporter downloads the licence it issued.

The refusal is built through the services (tests/licensing/factories.py: world.case_officer
recommends, world.senior_official decides); world.appeals_reviewer took no part in the case.
Every step of the appeal is done in the browser. axe checks the draft and the reviewer's page.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from appeals.models import Appeal
from licensing.models import Licence
from tests.licensing import factories

from .test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.browser

STATEMENT = "The end user is a civil observatory; the refusal misread its address."
REASONS = "The observatory's civil status is documented; the diversion risk does not apply."


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_refused_exporter_appeals_and_the_reviewer_overturns(
    page: Page, live_server, sign_in, browser_world, tmp_path
):
    world = browser_world
    application = factories.make_refused(world)
    evidence = tmp_path / "observatory-charter.pdf"
    evidence.write_bytes(factories.PDF_BYTES)

    # The exporter files the appeal from the refused application.
    sign_in(page, "exporter")
    page.goto(
        live_server.url + reverse("licensing:application_status", kwargs={"pk": application.pk})
    )
    expect(page.get_by_test_id("appeal-deadline")).to_contain_text("You can appeal until")
    page.get_by_role("button", name=re.compile("Appeal this decision")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Appeal APL-")
    expect(page.get_by_test_id("filing-deadline")).to_contain_text("You can appeal until")
    # USWDS hides the box itself and styles its label, so the label is what people click.
    page.get_by_text("The decision rests on a factual error").click()
    expect(page.get_by_label("The decision rests on a factual error")).to_be_checked()
    page.get_by_label("Your statement").fill(STATEMENT)
    page.locator("input#id_document_file").set_input_files(evidence)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_test_id("appeal-documents")).to_contain_text("observatory-charter.pdf")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Lodge appeal").click()
    expect(page.get_by_role("status").first).to_contain_text("has been lodged")
    expect(page.get_by_test_id("appeal-status")).to_have_text("Under review")
    appeal = Appeal.objects.get(application=application)
    assert appeal.reviewer == world.appeals_reviewer
    assert appeal.documents.get().original_name == "observatory-charter.pdf"
    _sign_out(page)

    # The independent reviewer finds it in the queue and overturns the refusal.
    sign_in(page, "appeals_reviewer")
    page.get_by_role("link", name="Appeals", exact=True).click()
    queue = page.get_by_test_id("appeal-queue")
    expect(queue).to_contain_text(appeal.reference)
    queue.get_by_role("link", name=appeal.reference).click()
    expect(page.get_by_test_id("appeal-statement")).to_contain_text(STATEMENT)
    expect(page.get_by_test_id("appeal-documents")).to_contain_text("observatory-charter.pdf")
    assert_no_serious_violations(page)
    page.get_by_text("Overturn: the original decision is reversed").click()
    expect(page.get_by_label("Overturn: the original decision is reversed")).to_be_checked()
    page.get_by_label("Reasons").fill(REASONS)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("appeal-status")).to_have_text(
        "Decided: original decision overturned"
    )
    licence = Licence.objects.get(application=application)
    _sign_out(page)

    # The exporter sees the outcome, opens the licence and downloads it.
    sign_in(page, "exporter")
    page.get_by_role("link", name="Appeals", exact=True).click()
    page.get_by_role("link", name=appeal.reference).click()
    outcome = page.get_by_test_id("appeal-outcome")
    expect(outcome).to_contain_text("Decided: original decision overturned")
    expect(outcome).to_contain_text(REASONS)
    expect(outcome).to_contain_text(licence.number)
    outcome.get_by_role("link", name="See the licence and download it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Licence {licence.number}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the licence (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{licence.number}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
