"""The officials' side of a case in real Chromium, with the exporter's part of each journey.

The states before the step under test are set up through the services (tests/licensing/
factories.py); the steps the acceptance list names are done in the browser.
"""

import shutil
import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from licensing.models import Application, Licence
from tests.licensing import factories

pytestmark = pytest.mark.browser

CONDITION_TEXT = (
    "The items must not be re-exported to any other country without the prior written "
    "authorisation of the licensing authority."
)
GROUND_TITLE = "Risk of diversion to an undesirable end user"
GROUND_DESCRIPTION = (
    "There is a clear risk that the items would be diverted to an end user or end use "
    "other than the one stated in the application."
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _open(page: Page, live_server, name: str, pk: int) -> None:
    page.goto(live_server.url + reverse(f"licensing:{name}", kwargs={"pk": pk}))


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def _pdf_text(path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "install Debian's poppler-utils (pdftotext) to read the licence PDF"
    result = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(result.stdout.split())


def test_officer_requests_information_and_the_exporter_answers(
    page: Page, live_server, sign_in, browser_world
):
    application = factories.make_under_review(browser_world)

    sign_in(page, "case_officer")
    _open(page, live_server, "case_detail", application.pk)
    page.get_by_label("What do you need from the exporter?").fill(
        "Please send the end user's signed purchase order."
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("status")).to_contain_text("The exporter has been asked")
    request_box = page.get_by_test_id("information-request")
    expect(request_box).to_contain_text("Please send the end user's signed purchase order.")
    expect(request_box).to_contain_text("Waiting for the exporter")
    expect(page.get_by_test_id("case-summary")).to_contain_text("paused")
    _sign_out(page)

    sign_in(page, "exporter")
    _open(page, live_server, "application_status", application.pk)
    expect(page.get_by_test_id("status")).to_have_text("Information requested")
    question = page.get_by_test_id("information-request")
    expect(question).to_contain_text("Please send the end user's signed purchase order.")
    question.get_by_label("Your answer").fill("The signed order PO-7781 is attached to our file.")
    question.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Thank you: your answer has been sent.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Under review")
    _sign_out(page)

    sign_in(page, "case_officer")
    _open(page, live_server, "case_detail", application.pk)
    expect(page.get_by_test_id("information-answer")).to_have_text(
        "The signed order PO-7781 is attached to our file."
    )
    expect(page.get_by_test_id("case-summary")).not_to_contain_text("paused")
    expect(page.get_by_test_id("case-summary")).to_contain_text("Under review")


def test_senior_official_approves_with_a_condition_and_the_exporter_downloads_the_licence(
    page: Page, live_server, sign_in, browser_world
):
    condition = factories.LicenceConditionFactory(
        code="no-reexport-journey", title="No re-export", text=CONDITION_TEXT
    )
    application = factories.make_recommended_approve(browser_world, conditions=[condition])

    sign_in(page, "senior_official")
    _open(page, live_server, "case_detail", application.pk)
    expect(page.get_by_test_id("recommendation")).to_contain_text(CONDITION_TEXT)
    expect(page.locator("#decision")).to_contain_text("Medium tier, four eyes")
    page.get_by_role("button", name="Approve as recommended").click()
    expect(page.get_by_test_id("decision")).to_contain_text("Approved by")
    licence = Licence.objects.get(application=application)
    expect(page.get_by_test_id("decision")).to_contain_text(licence.number)
    _sign_out(page)

    sign_in(page, "exporter")
    _open(page, live_server, "application_status", application.pk)
    expect(page.get_by_test_id("status")).to_have_text("Approved")
    page.get_by_role("link", name="See the licence and download it").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the licence (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{licence.number}.pdf"

    text = _pdf_text(download.path())
    assert licence.number in text
    assert CONDITION_TEXT in text


def test_a_refusal_shows_its_grounds_to_the_exporter(
    page: Page, live_server, sign_in, browser_world
):
    criterion = factories.RefusalCriterionFactory(
        code="diversion-journey", title=GROUND_TITLE, description=GROUND_DESCRIPTION
    )
    application = factories.make_recommended_refuse(browser_world, refusal_criteria=[criterion])

    sign_in(page, "senior_official")
    _open(page, live_server, "case_detail", application.pk)
    page.get_by_label("Anything to add to the recommendation's explanation").fill(
        "The end user's links to a military programme are documented."
    )
    page.get_by_role("button", name="Refuse as recommended").click()
    expect(page.get_by_test_id("decision")).to_contain_text("Refused by")
    assert Application.objects.get(pk=application.pk).status == Application.Status.REFUSED
    _sign_out(page)

    sign_in(page, "exporter")
    _open(page, live_server, "application_status", application.pk)
    refusal = page.get_by_test_id("refusal")
    expect(refusal).to_contain_text(GROUND_TITLE)
    expect(refusal).to_contain_text(GROUND_DESCRIPTION)
    expect(refusal).to_contain_text("The end user's links to a military programme are documented.")
