"""Issue 3, acceptance (a): an exporter fills every step of an application in Chromium, is
shown a clear error on a bad value without losing what was typed, submits, and sees the
status page."""

import re

import pytest
from playwright.sync_api import Page, expect

from licensing.models import Application
from licensing.steps import DUE_DILIGENCE_QUESTIONS

from .test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.browser

# The smallest well-formed PDF: one empty A4 page.
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)


def pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def choose(page: Page, group: str, option: str) -> None:
    """Pick a radio button by the id of its group and its label (USWDS hides the input)."""
    page.locator(f"fieldset#{group}").locator("label", has_text=re.compile(f"^{option}$")).click()


def add_party(page: Page, *, role: str, name: str, country: str, kind: str, **more) -> None:
    page.get_by_role("link", name="Add a party").click()
    page.get_by_label("Role in this export").select_option(label=role)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Type").select_option(label=kind)
    page.get_by_label("Address").fill(more.get("address", "1 High Street"))
    page.get_by_label("Country").select_option(country)
    if "undertaking" in more:
        page.locator("input#id_undertaking_file").set_input_files(more["undertaking"])
    page.get_by_role("button", name="Save party").click()
    expect(page.get_by_test_id("parties")).to_contain_text(name)


def test_exporter_fills_every_step_and_submits(page: Page, live_server, sign_in):
    sign_in(page, "exporter")

    # Start: choose the type of application.
    page.goto(live_server.url + "/applications/")
    page.get_by_role("link", name="Start a new application").click()
    choose(page, "id_kind", "Goods and software")
    page.get_by_role("button", name="Start").click()

    # 1. Applicant details (name and email come from the account).
    expect(page.locator(".usa-step-indicator__segment--current")).to_contain_text(
        "Applicant details"
    )
    page.get_by_label("Short title for this application").fill("Spectrometers for Lyon")
    page.get_by_label("Contact name").fill("Ada Exporter")  # leaving the title saves it (htmx)
    expect(page.get_by_test_id("autosave-status")).to_contain_text("Saved at")
    assert Application.objects.get().title == "Spectrometers for Lyon"
    page.get_by_label("Contact email address").fill("ada@northwind.example")
    page.get_by_label("Contact telephone number").fill("+44 20 7946 0000")
    page.get_by_role("button", name="Save and continue").click()

    # 2. Items: a bad value is refused clearly, and nothing typed is lost.
    expect(page.locator(".usa-step-indicator__segment--current")).to_contain_text("Goods")
    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("Name or short description").fill("Raman spectrometer RS-9")
    page.get_by_label("Control list classification").fill("3A001.b.2")
    page.get_by_label("Technical description").fill("785 nm laser, 0.3 nm resolution.")
    page.get_by_label("Quantity").fill("3")
    page.get_by_label("Total value").fill("abc")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_role("button", name="Save item").click()

    expect(page.get_by_test_id("form-errors")).to_contain_text("Total value: Enter a number.")
    expect(page.locator("#id_value_error")).to_have_text("Enter a number.")
    expect(page.get_by_label("Total value")).to_have_value("abc")
    expect(page.get_by_label("Name or short description")).to_have_value("Raman spectrometer RS-9")
    expect(page.get_by_label("Control list classification")).to_have_value("3A001.b.2")
    expect(page.get_by_label("Technical description")).to_have_value(
        "785 nm laser, 0.3 nm resolution."
    )
    expect(page.get_by_label("Quantity")).to_have_value("3")
    expect(page.get_by_label("Currency")).to_have_value("EUR")
    assert_no_serious_violations(page)  # the error summary, inline errors and step indicator

    page.get_by_label("Total value").fill("48000")
    page.get_by_role("button", name="Save item").click()
    expect(page.get_by_test_id("items")).to_contain_text("Raman spectrometer RS-9")
    expect(page.get_by_test_id("items")).to_contain_text("48000.00 EUR")
    expect(page.get_by_test_id("unsaved-notice")).to_have_count(0)
    page.get_by_role("link", name="Continue to destination and parties").click()

    # 3. Parties: a consignee, and the end user with a real PDF undertaking.
    add_party(
        page, role="Consignee", name="Optique Distribution SARL", country="FR", kind="Company"
    )
    add_party(
        page,
        role="End user",
        name="Laboratoire de Physique, Lyon",
        country="FR",
        kind="Research institution",
        undertaking=pdf("end-user-undertaking.pdf"),
    )
    expect(page.get_by_test_id("parties")).to_contain_text("end-user-undertaking.pdf")
    page.get_by_role("link", name="Continue to end use").click()

    # 4. End use.
    page.get_by_label("What will the items be used for").fill(
        "Teaching and research in materials science at the university."
    )
    choose(page, "id_military_end_use", "No")
    choose(page, "id_wmd_end_use", "No")
    choose(page, "id_reexport_intended", "No")
    choose(page, "id_end_user_known_for", "One to five years")
    page.get_by_role("button", name="Save and continue").click()

    # 5. Documents: a technical specification.
    expect(page.get_by_test_id("documents")).to_contain_text("end-user-undertaking.pdf")
    page.locator("input#id_file").set_input_files(pdf("rs9-datasheet.pdf"))
    page.get_by_label("What is it?").select_option(label="Technical specification")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_test_id("documents")).to_contain_text("rs9-datasheet.pdf")
    page.get_by_role("link", name="Continue to due diligence").click()

    # 6. Due diligence.
    for code, _question in DUE_DILIGENCE_QUESTIONS:
        choose(page, f"id_{code}", "No")
    page.get_by_role("button", name="Save and continue").click()

    # 7. Review and declaration.
    expect(page.get_by_text("Every answer is complete")).to_be_visible()
    expect(page.get_by_test_id("problems")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("48000.00 EUR")
    assert_no_serious_violations(page)
    page.locator("label[for=id_declaration]").click()
    page.get_by_role("button", name="Submit application").click()

    # The status page.
    application = Application.objects.get(title="Spectrometers for Lyon")
    expect(page).to_have_url(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_test_id("reference")).to_have_text(application.reference)
    expect(page.get_by_test_id("status")).to_have_text("Awaiting triage")
    expect(page.get_by_test_id("timeline")).to_contain_text("Application submitted")
    assert application.status == Application.Status.TRIAGE
    assert application.items.get().value == 48000
    assert application.parties.get(role="end_user").undertaking.original_name == (
        "end-user-undertaking.pdf"
    )
