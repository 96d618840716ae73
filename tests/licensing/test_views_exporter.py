"""The exporter's pages, through the test client: the form step by step, what happens to bad
input, uploads, review and submission, the status page, answers, withdrawal and copies."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from exportgov.accounts import services as account_services
from exportgov.accounts.models import Membership, Organisation
from licensing.models import Application, Document, Item, Party
from licensing.services import applications as application_services
from licensing.services import cases as case_services
from licensing.steps import DUE_DILIGENCE_QUESTIONS, STEP_SLUGS

from . import factories
from .factories import PDF_BYTES

Status = Application.Status


def step_url(application, step):
    return reverse("licensing:application_step", kwargs={"pk": application.pk, "step": step})


def status_url(application):
    return reverse("licensing:application_status", kwargs={"pk": application.pk})


@pytest.fixture
def exporter_client(client, world):
    client.force_login(world.exporter)
    return client


@pytest.fixture
def empty_draft(world):
    return factories.make_empty_draft(world)


def fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


# --- Forbidden users: every page of another organisation's application is a 404 -------------


def _urls_of(draft, submitted):
    item, party = draft.items.get(), draft.parties.first()
    document = submitted.documents.get()
    return [
        ("get", status_url(submitted)),
        *[("get", step_url(draft, step)) for step in STEP_SLUGS],
        ("post", reverse("licensing:application_autosave", args=[draft.pk, "applicant"])),
        ("get", reverse("licensing:item_create", args=[draft.pk])),
        ("get", reverse("licensing:item_update", args=[item.pk])),
        ("post", reverse("licensing:item_delete", args=[item.pk])),
        ("get", reverse("licensing:party_create", args=[draft.pk])),
        ("get", reverse("licensing:party_update", args=[party.pk])),
        ("post", reverse("licensing:party_delete", args=[party.pk])),
        ("post", reverse("licensing:application_submit", args=[draft.pk])),
        ("get", reverse("licensing:application_withdraw", args=[submitted.pk])),
        ("post", reverse("licensing:application_withdraw", args=[submitted.pk])),
        ("post", reverse("licensing:application_copy", args=[submitted.pk])),
        ("get", reverse("licensing:document_download", args=[document.pk])),
    ]


def test_another_organisation_gets_404_everywhere(client, world):
    draft, submitted = factories.make_draft(world), factories.make_submitted(world)
    client.force_login(world.other_exporter)
    for method, url in _urls_of(draft, submitted):
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method} {url}"
    assert fresh(draft).items.count() == 1
    assert fresh(submitted).status == Status.TRIAGE


def test_officials_never_see_a_draft(client, world):
    draft = factories.make_draft(world)
    client.force_login(world.case_officer)
    for step in STEP_SLUGS:
        assert client.get(step_url(draft, step)).status_code == 404
    assert client.get(status_url(draft)).status_code == 404
    document = draft.documents.get()
    assert client.get(reverse("licensing:document_download", args=[document.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, draft):
    response = client.get(step_url(draft, "applicant"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- application_list ------------------------------------------------------------------------


def test_application_list_shows_the_organisations_applications(exporter_client, world):
    mine = factories.make_draft(world, title="Spectrometers for Lyon")
    theirs = factories.make_empty_draft(
        world, actor=world.other_exporter, organisation=world.other_organisation
    )
    response = exporter_client.get(reverse("licensing:application_list"))
    assert response.status_code == 200
    assert mine.reference in response.text
    assert "Spectrometers for Lyon" in response.text
    assert "Draft" in response.text
    assert theirs.reference not in response.text
    assert reverse("licensing:application_create") in response.text


def test_application_list_query_count_does_not_grow(
    exporter_client, world, django_assert_max_num_queries
):
    for _ in range(3):
        factories.make_empty_draft(world)
    exporter_client.get(reverse("licensing:application_list"))  # warm the content-type cache
    with django_assert_max_num_queries(15) as few:
        exporter_client.get(reverse("licensing:application_list"))
    for _ in range(20):
        factories.make_empty_draft(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = exporter_client.get(reverse("licensing:application_list"))
    assert response.context["page"].paginator.count == 23


def test_application_list_pages(exporter_client, world):
    for _ in range(27):
        factories.make_empty_draft(world)
    response = exporter_client.get(reverse("licensing:application_list") + "?page=2")
    assert len(response.context["page"].object_list) == 2
    assert "Page 2 of 2" in response.text


def test_application_list_for_someone_in_no_organisation(client, world):
    client.force_login(world.case_officer)
    response = client.get(reverse("licensing:application_list"))
    assert response.status_code == 200
    assert "not a member of any exporting organisation" in response.text


# --- application_create ----------------------------------------------------------------------


def test_application_create_starts_a_draft_and_goes_to_the_first_step(exporter_client, world):
    response = exporter_client.get(reverse("licensing:application_create"))
    assert response.status_code == 200
    assert "Technology and know-how transfer" in response.text

    response = exporter_client.post(
        reverse("licensing:application_create"),
        {"kind": "technology", "organisation": world.organisation.pk},
    )
    application = Application.objects.get(organisation=world.organisation)
    assert application.kind == Application.Kind.TECHNOLOGY
    assert application.status == Status.DRAFT
    assert response.status_code == 302
    assert response.url == step_url(application, "applicant")


def test_application_create_asks_which_organisation_when_there_are_several(exporter_client, world):
    second = account_services.organisation_create(
        actor=None,
        name="Northwind Research Institute",
        kind=Organisation.Kind.RESEARCH,
        country="GB",
        admin=world.colleague,
    )
    account_services.membership_add(
        actor=None, organisation=second, user=world.exporter, role=Membership.Role.MEMBER
    )
    response = exporter_client.get(reverse("licensing:application_create"))
    assert "Apply for which organisation?" in response.text
    assert "Northwind Research Institute" in response.text
    # Not an organisation of the user: refused by the form, nothing created.
    response = exporter_client.post(
        reverse("licensing:application_create"),
        {"kind": "goods", "organisation": world.other_organisation.pk},
    )
    assert response.status_code == 400
    assert not Application.objects.exists()
    exporter_client.post(
        reverse("licensing:application_create"), {"kind": "goods", "organisation": second.pk}
    )
    assert Application.objects.get().organisation == second


def test_application_create_without_an_organisation(client, world):
    client.force_login(world.case_officer)
    response = client.get(reverse("licensing:application_create"))
    assert response.status_code == 200
    assert "not a member of any exporting organisation" in response.text
    response = client.post(reverse("licensing:application_create"), {"kind": "goods"})
    assert response.status_code == 400
    assert not Application.objects.exists()


# --- The steps -------------------------------------------------------------------------------


@pytest.mark.parametrize("step", STEP_SLUGS)
def test_application_step_shows_the_step_indicator(exporter_client, draft, step):
    response = exporter_client.get(step_url(draft, step))
    assert response.status_code == 200
    html = response.text
    assert "usa-step-indicator" in html
    assert html.count("usa-step-indicator__segment--current") == 1
    assert 'aria-current="step"' in html
    for slug in STEP_SLUGS:
        assert step_url(draft, slug) in html
    # The complete draft has no problems, so every step but the review is marked complete.
    assert html.count("usa-step-indicator__segment--complete") == len(STEP_SLUGS) - 1 - (
        step != "review"
    )


def test_application_step_indicator_marks_steps_with_problems_incomplete(
    exporter_client, empty_draft
):
    def complete():
        steps = exporter_client.get(step_url(empty_draft, "items")).context["steps"]
        return {step["slug"] for step in steps if step["complete"]}

    assert complete() == set()
    exporter_client.post(
        step_url(empty_draft, "applicant"),
        {"title": "Lasers", "contact_name": "Ada", "contact_email": "ada@example.org"},
    )
    assert complete() == {"applicant"}


def test_application_step_unknown_step_is_404(exporter_client, draft):
    assert exporter_client.get(step_url(draft, "nonsense")).status_code == 404


def test_application_step_of_a_submitted_application_goes_to_its_status(exporter_client, submitted):
    response = exporter_client.get(step_url(submitted, "applicant"))
    assert response.status_code == 302
    assert response.url == status_url(submitted)


def test_application_step_applicant_saves_and_continues(exporter_client, empty_draft):
    response = exporter_client.post(
        step_url(empty_draft, "applicant"),
        {
            "title": "Lasers for Kiel",
            "contact_name": "Ada",
            "contact_email": "ada@example.org",
            "contact_phone": "+44 20 7946 0000",
            "action": "continue",
        },
    )
    assert response.status_code == 302
    assert response.url == step_url(empty_draft, "items")
    application = fresh(empty_draft)
    assert application.title == "Lasers for Kiel"
    assert application.contact_email == "ada@example.org"


def test_application_step_save_stays_on_the_step(exporter_client, empty_draft):
    response = exporter_client.post(
        step_url(empty_draft, "applicant"), {"title": "Lasers", "action": "save"}
    )
    assert response.url == step_url(empty_draft, "applicant")
    assert fresh(empty_draft).title == "Lasers"


def test_application_step_invalid_input_is_kept_and_shown_again(exporter_client, empty_draft):
    data = {"title": "Lasers for Kiel", "contact_email": "not-an-email", "contact_name": "Ada"}
    response = exporter_client.post(step_url(empty_draft, "applicant"), data)

    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert 'value="not-an-email"' in response.text
    assert 'value="Lasers for Kiel"' in response.text
    application = fresh(empty_draft)
    assert application.unsaved_input == {"applicant": data}
    assert application.title == ""  # nothing half-saved

    # Later (another day, another session) the step shows the same input and errors.
    response = exporter_client.get(step_url(empty_draft, "applicant"))
    assert response.status_code == 200
    assert 'value="not-an-email"' in response.text
    assert "Enter a valid email address." in response.text

    # Correcting it saves everything and forgets the unsaved input.
    exporter_client.post(step_url(empty_draft, "applicant"), {**data, "contact_email": "a@b.org"})
    application = fresh(empty_draft)
    assert application.unsaved_input == {}
    assert application.title == "Lasers for Kiel"


def test_application_step_end_use_saves_structured_answers(exporter_client, empty_draft):
    response = exporter_client.post(
        step_url(empty_draft, "end-use"),
        {
            "end_use_statement": "Telescope calibration.",
            "military_end_use": "no",
            "wmd_end_use": "no",
            "reexport_intended": "yes",
            "end_user_known_for": "5+",
        },
    )
    assert response.url == step_url(empty_draft, "documents")
    application = fresh(empty_draft)
    assert application.end_use_statement == "Telescope calibration."
    assert application.military_end_use is False
    assert application.reexport_intended is True
    assert application.end_user_known_for == "5+"
    # Shown again as the chosen radios.
    html = exporter_client.get(step_url(empty_draft, "end-use")).text
    assert 'name="reexport_intended" value="yes" class="usa-radio__input" required' not in html
    assert 'value="yes" class="usa-radio__input" id="id_reexport_intended_0" checked' in html


def test_application_step_due_diligence_saves_every_answer(exporter_client, empty_draft):
    answers = {code: "no" for code, _question in DUE_DILIGENCE_QUESTIONS}
    answers["vague_delivery"] = "unsure"
    response = exporter_client.get(step_url(empty_draft, "due-diligence"))
    for _code, question in DUE_DILIGENCE_QUESTIONS:
        assert escape(question) in response.text
    response = exporter_client.post(step_url(empty_draft, "due-diligence"), answers)
    assert response.url == step_url(empty_draft, "review")
    assert fresh(empty_draft).due_diligence == answers


def test_application_step_bad_radio_choice_is_kept(exporter_client, empty_draft):
    response = exporter_client.post(
        step_url(empty_draft, "due-diligence"), {"reluctant_end_use": "perhaps"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert fresh(empty_draft).unsaved_input == {"due-diligence": {"reluctant_end_use": "perhaps"}}


# --- Autosave (htmx) -------------------------------------------------------------------------


def test_application_autosave_saves_valid_answers(exporter_client, empty_draft):
    response = exporter_client.post(
        reverse("licensing:application_autosave", args=[empty_draft.pk, "applicant"]),
        {"title": "Autosaved title", "contact_email": "a@example.org"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Saved at" in response.text
    assert 'id="autosave-status"' in response.text
    assert "<html" not in response.text  # only the status region
    assert fresh(empty_draft).title == "Autosaved title"


def test_application_autosave_keeps_invalid_answers(exporter_client, empty_draft):
    response = exporter_client.post(
        reverse("licensing:application_autosave", args=[empty_draft.pk, "applicant"]),
        {"title": "T", "contact_email": "nope"},
    )
    assert response.status_code == 200
    assert "not saved yet" in response.text
    assert fresh(empty_draft).unsaved_input == {
        "applicant": {"title": "T", "contact_email": "nope"}
    }


def test_application_autosave_keeps_an_unsaved_item(exporter_client, empty_draft):
    response = exporter_client.post(
        reverse("licensing:application_autosave", args=[empty_draft.pk, "items"]),
        {"editing": "", "description": "Camera", "value": "12"},
    )
    assert "Select “Save” to add it" in response.text
    assert fresh(empty_draft).unsaved_input["items"]["description"] == "Camera"
    response = exporter_client.get(step_url(empty_draft, "items"))
    assert "has not been saved yet" in response.text
    response = exporter_client.get(reverse("licensing:item_create", args=[empty_draft.pk]))
    assert 'value="Camera"' in response.text


def test_application_autosave_after_submission_changes_nothing(exporter_client, submitted):
    response = exporter_client.post(
        reverse("licensing:application_autosave", args=[submitted.pk, "applicant"]),
        {"title": "Changed"},
    )
    assert response.status_code == 200
    assert "no longer saved" in response.text
    assert fresh(submitted).title != "Changed"


def test_application_autosave_of_a_step_without_a_form_is_404(exporter_client, empty_draft):
    url = reverse("licensing:application_autosave", args=[empty_draft.pk, "review"])
    assert exporter_client.post(url, {}).status_code == 404


def test_step_forms_autosave_through_htmx_without_inline_script(exporter_client, empty_draft):
    html = exporter_client.get(step_url(empty_draft, "applicant")).text
    autosave = reverse("licensing:application_autosave", args=[empty_draft.pk, "applicant"])
    assert f'hx-post="{autosave}"' in html
    assert 'hx-trigger="change delay:800ms"' in html
    assert "<script>" not in html
    assert " onclick=" not in html
    assert " onchange=" not in html


# --- Items -----------------------------------------------------------------------------------

ITEM_POST = {
    "description": "Infrared camera X-200",
    "control_code": "6A003.b.4",
    "technical_description": "Uncooled microbolometer, 640x480.",
    "quantity": "4",
    "unit": "items",
    "value": "12000.50",
    "currency": "eur",
}


def test_item_create_adds_an_item(exporter_client, empty_draft):
    url = reverse("licensing:item_create", args=[empty_draft.pk])
    assert exporter_client.get(url).status_code == 200
    response = exporter_client.post(url, ITEM_POST)
    assert response.status_code == 302
    assert response.url == step_url(empty_draft, "items")
    item = empty_draft.items.get()
    assert item.control_code == "6A003.b.4"
    assert item.quantity == Decimal(4)
    assert item.value == Decimal("12000.50")
    assert item.currency == "EUR"
    response = exporter_client.get(step_url(empty_draft, "items"))
    assert "Infrared camera X-200" in response.text
    assert reverse("licensing:item_update", args=[item.pk]) in response.text


def test_item_create_bad_value_keeps_what_was_typed(exporter_client, empty_draft):
    url = reverse("licensing:item_create", args=[empty_draft.pk])
    response = exporter_client.post(url, {**ITEM_POST, "value": "abc"})

    assert response.status_code == 400
    assert "Enter a number." in response.text
    assert 'value="abc"' in response.text
    assert 'value="Infrared camera X-200"' in response.text
    assert 'value="6A003.b.4"' in response.text
    assert not empty_draft.items.exists()
    assert fresh(empty_draft).unsaved_input["items"]["value"] == "abc"

    # The review lists it; the items step and the form show it again later.
    review = exporter_client.get(step_url(empty_draft, "review")).text
    assert "did not save" in review
    assert "has not been saved yet" in exporter_client.get(step_url(empty_draft, "items")).text
    later = exporter_client.get(url)
    assert 'value="abc"' in later.text
    assert "Enter a number." in later.text

    # Corrected, the item is saved and the kept input forgotten.
    response = exporter_client.post(url, {**ITEM_POST, "value": "12000"})
    assert response.status_code == 302
    assert empty_draft.items.get().value == Decimal(12000)
    assert fresh(empty_draft).unsaved_input == {}


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("3A001.b.2", True),
        ("EAR99", True),
        ("ear99", True),
        ("ML10.a", True),
        ("5D002", True),
        ("0A521", True),
        ("3A001 b 2!", False),
        ("x", False),
    ],
)
def test_item_create_checks_the_control_code(exporter_client, empty_draft, code, ok):
    url = reverse("licensing:item_create", args=[empty_draft.pk])
    response = exporter_client.post(url, {**ITEM_POST, "control_code": code})
    assert (response.status_code == 302) is ok
    if not ok:
        assert "Enter a control list code such as 3A001.b.2" in response.text


def test_item_create_not_sure_of_the_classification(exporter_client, empty_draft):
    url = reverse("licensing:item_create", args=[empty_draft.pk])
    exporter_client.post(url, {**ITEM_POST, "control_code": "", "classification_unknown": "on"})
    item = empty_draft.items.get()
    assert item.classification_unknown is True
    assert item.control_code == ""
    response = exporter_client.post(url, {**ITEM_POST, "classification_unknown": "on"})
    assert response.status_code == 400
    assert "not both" in response.text


def test_item_create_checks_the_currency(exporter_client, empty_draft):
    url = reverse("licensing:item_create", args=[empty_draft.pk])
    response = exporter_client.post(url, {**ITEM_POST, "currency": "EURO"})
    assert response.status_code == 400
    assert "three-letter currency code" in response.text


def test_item_create_technology_needs_the_form_of_transfer(exporter_client, world):
    application = application_services.application_create(
        actor=world.exporter, organisation=world.organisation, kind=Application.Kind.TECHNOLOGY
    )
    url = reverse("licensing:item_create", args=[application.pk])
    assert "How will the technology be transferred?" in exporter_client.get(url).text
    response = exporter_client.post(url, ITEM_POST)
    assert response.status_code == 400
    assert "This field is required." in response.text
    exporter_client.post(url, {**ITEM_POST, "transfer_form": "visit"})
    assert application.items.get().transfer_form == Item.TransferForm.VISIT


def test_item_create_goods_has_no_form_of_transfer(exporter_client, empty_draft):
    url = reverse("licensing:item_create", args=[empty_draft.pk])
    assert "transfer_form" not in exporter_client.get(url).text


def test_item_update_changes_the_item(exporter_client, draft):
    item = draft.items.get()
    url = reverse("licensing:item_update", args=[item.pk])
    response = exporter_client.get(url)
    assert 'value="3A001.b.2"' in response.text
    response = exporter_client.post(url, {**ITEM_POST, "quantity": "7"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.quantity == Decimal(7)
    assert draft.items.count() == 1


def test_item_update_bad_input_is_kept_for_that_item(exporter_client, draft):
    item = draft.items.get()
    url = reverse("licensing:item_update", args=[item.pk])
    assert exporter_client.post(url, {**ITEM_POST, "quantity": "-1"}).status_code == 400
    assert fresh(draft).unsaved_input["items"]["editing"] == str(item.pk)
    assert "Enter a quantity greater than 0." in exporter_client.get(url).text
    # The "add an item" form is not confused with it.
    create = exporter_client.get(reverse("licensing:item_create", args=[draft.pk])).text
    assert "Enter a quantity greater than 0." not in create
    items_page = exporter_client.get(step_url(draft, "items")).text
    assert url in items_page


def test_item_delete_is_post_only_and_removes_the_item(exporter_client, draft):
    item = draft.items.get()
    url = reverse("licensing:item_delete", args=[item.pk])
    assert exporter_client.get(url).status_code == 405
    response = exporter_client.post(url)
    assert response.url == step_url(draft, "items")
    assert not draft.items.exists()


def test_item_delete_of_a_submitted_application_is_refused(exporter_client, submitted):
    item = submitted.items.get()
    response = exporter_client.post(reverse("licensing:item_delete", args=[item.pk]), follow=True)
    assert "Only a draft can be changed" in response.text
    assert submitted.items.exists()


def test_unsaved_changes_can_be_discarded(exporter_client, empty_draft):
    exporter_client.post(
        reverse("licensing:item_create", args=[empty_draft.pk]), {**ITEM_POST, "value": "x"}
    )
    response = exporter_client.post(step_url(empty_draft, "items"), {"action": "discard"})
    assert response.url == step_url(empty_draft, "items")
    assert fresh(empty_draft).unsaved_input == {}


# --- Parties ---------------------------------------------------------------------------------

PARTY_POST = {
    "role": "end_user",
    "name": "Institut d'Optique",
    "aliases": "IOGS",
    "kind": "research",
    "address": "2 avenue Augustin Fresnel, Palaiseau",
    "country": "FR",
    "website": "institutoptique.fr",
}


def test_party_create_with_an_uploaded_undertaking(exporter_client, empty_draft):
    url = reverse("licensing:party_create", args=[empty_draft.pk])
    response = exporter_client.get(url)
    assert 'name="country"' in response.text
    assert "France" in response.text
    upload = SimpleUploadedFile("undertaking.pdf", PDF_BYTES, content_type="application/pdf")
    response = exporter_client.post(url, {**PARTY_POST, "undertaking_file": upload})
    assert response.status_code == 302
    party = empty_draft.parties.get()
    assert party.country.code == "FR"
    assert party.website == "https://institutoptique.fr"
    assert party.undertaking.original_name == "undertaking.pdf"
    assert party.undertaking.kind == Document.Kind.END_USER_UNDERTAKING
    assert party.undertaking.content_type == "application/pdf"


def test_party_create_chooses_an_uploaded_document(exporter_client, empty_draft, world):
    document = factories.upload_document(actor=world.exporter, application=empty_draft)
    url = reverse("licensing:party_create", args=[empty_draft.pk])
    exporter_client.post(url, {**PARTY_POST, "undertaking": document.pk})
    assert empty_draft.parties.get().undertaking == document


def test_party_create_cannot_choose_another_applications_document(exporter_client, world, draft):
    other = factories.make_empty_draft(world)
    url = reverse("licensing:party_create", args=[other.pk])
    response = exporter_client.post(url, {**PARTY_POST, "undertaking": draft.documents.get().pk})
    assert response.status_code == 400
    assert not other.parties.exists()


def test_party_create_invalid_keeps_input_and_the_uploaded_undertaking(
    exporter_client, empty_draft
):
    url = reverse("licensing:party_create", args=[empty_draft.pk])
    upload = SimpleUploadedFile("signed.pdf", PDF_BYTES, content_type="application/pdf")
    response = exporter_client.post(
        url, {**PARTY_POST, "country": "", "website": "not a site", "undertaking_file": upload}
    )
    assert response.status_code == 400
    assert "Enter a valid URL." in response.text
    assert 'value="Institut d&#x27;Optique"' in response.text
    document = empty_draft.documents.get()
    assert document.original_name == "signed.pdf"
    kept = fresh(empty_draft).unsaved_input["parties"]
    assert kept["undertaking"] == str(document.pk)
    assert kept["name"] == "Institut d'Optique"
    # The document is chosen in the form that is shown again.
    assert f'<option value="{document.pk}" selected>' in response.text
    assert f'<option value="{document.pk}" selected>' in exporter_client.get(url).text


def test_party_create_rejects_a_fake_pdf_undertaking(exporter_client, empty_draft):
    url = reverse("licensing:party_create", args=[empty_draft.pk])
    fake = SimpleUploadedFile("undertaking.pdf", b"just some text", content_type="application/pdf")
    response = exporter_client.post(url, {**PARTY_POST, "undertaking_file": fake})
    assert response.status_code == 400
    assert "it is really a plain text file" in response.text
    assert not empty_draft.documents.exists()
    assert not empty_draft.parties.exists()


def test_party_update_and_delete(exporter_client, draft):
    party = draft.parties.get(role=Party.Role.CONSIGNEE)
    url = reverse("licensing:party_update", args=[party.pk])
    assert "Messtechnik Handel GmbH" in exporter_client.get(url).text
    response = exporter_client.post(url, {**PARTY_POST, "role": "consignee", "name": "New name"})
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.name == "New name"
    delete = reverse("licensing:party_delete", args=[party.pk])
    assert exporter_client.get(delete).status_code == 405
    exporter_client.post(delete)
    assert not draft.parties.filter(pk=party.pk).exists()


def test_party_reuse_copies_an_earlier_party(exporter_client, world, draft):
    new = factories.make_empty_draft(world)
    page = exporter_client.get(step_url(new, "parties")).text
    assert "Reuse a party from an earlier application" in page
    assert "Landessternwarte Königstuhl" in page
    earlier = draft.parties.get(role=Party.Role.END_USER)
    response = exporter_client.post(
        reverse("licensing:party_create", args=[new.pk]), {"reuse-party": earlier.pk}
    )
    copy = new.parties.get()
    assert response.url == reverse("licensing:party_update", args=[copy.pk])
    assert (copy.name, copy.role, copy.country, copy.address) == (
        earlier.name,
        earlier.role,
        earlier.country,
        earlier.address,
    )
    assert copy.undertaking is None  # documents belong to their own application
    assert fresh(draft).parties.count() == 2


def test_party_reuse_offers_only_the_organisations_parties(client, world, draft):
    other = factories.make_empty_draft(
        world, actor=world.other_exporter, organisation=world.other_organisation
    )
    client.force_login(world.other_exporter)
    page = client.get(step_url(other, "parties")).text
    assert "Landessternwarte" not in page
    response = client.post(
        reverse("licensing:party_create", args=[other.pk]),
        {"reuse-party": draft.parties.first().pk},
    )
    assert response.status_code == 302
    assert not other.parties.exists()


# --- Documents -------------------------------------------------------------------------------


def test_documents_step_uploads_and_lists_with_uploader(exporter_client, world, empty_draft):
    upload = SimpleUploadedFile("spec.pdf", PDF_BYTES, content_type="application/pdf")
    response = exporter_client.post(
        step_url(empty_draft, "documents"), {"file": upload, "kind": "technical"}
    )
    assert response.status_code == 302
    document = empty_draft.documents.get()
    assert document.kind == Document.Kind.TECHNICAL
    assert document.uploaded_by == world.exporter
    page = exporter_client.get(step_url(empty_draft, "documents")).text
    assert "spec.pdf" in page
    assert world.exporter.get_full_name() in page
    assert reverse("licensing:document_download", args=[document.pk]) in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"This is really text.\n", "it is really a plain text file"),
        ("report.pdf", b"\x00\x01\x02garbage\xff\xfe", "The file is not a PDF, image"),
        ("tool.pdf", b"MZ\x90\x00binary", "looks like a Windows program, which is not accepted"),
        ("empty.pdf", b"", "file is empty"),
    ],
)
def test_documents_step_rejects_files_by_content(
    exporter_client, empty_draft, name, content, message
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = exporter_client.post(
        step_url(empty_draft, "documents"), {"file": upload, "kind": "other"}
    )
    assert response.status_code == 400
    assert message in response.text
    assert not empty_draft.documents.exists()


def test_documents_step_enforces_the_size_limit(exporter_client, empty_draft, settings):
    settings.LICENSING_UPLOAD_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b" " * 200)
    response = exporter_client.post(
        step_url(empty_draft, "documents"), {"file": upload, "kind": "other"}
    )
    assert response.status_code == 400
    assert "the limit is 100 bytes" in response.text


def test_document_download_serves_the_file_as_an_attachment(exporter_client, draft):
    document = draft.documents.get()
    response = exporter_client.get(reverse("licensing:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="undertaking.pdf"'
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_document_download_by_officials_who_see_the_case(client, world, submitted):
    document = submitted.documents.get()
    url = reverse("licensing:document_download", args=[document.pk])
    client.force_login(world.case_officer)
    assert client.get(url).status_code == 200
    client.force_login(world.advisor)  # not consulted on this case
    assert client.get(url).status_code == 404


# --- Review and submit -----------------------------------------------------------------------


def test_review_lists_every_problem_with_a_link(exporter_client, empty_draft):
    response = exporter_client.get(step_url(empty_draft, "review"))
    assert response.status_code == 200
    problems = response.context["problems"]
    assert len(problems) > 5
    for problem in problems:
        assert escape(problem.message) in response.text
        assert f'href="{problem.url(empty_draft)}"' in response.text
    assert f'href="{step_url(empty_draft, "applicant")}#id_title"' in response.text
    assert f'href="{step_url(empty_draft, "end-use")}#id_military_end_use"' in response.text
    assert "Add the end user." in response.text


def test_review_anchors_exist_on_the_steps(exporter_client, empty_draft):
    end_use = exporter_client.get(step_url(empty_draft, "end-use")).text
    for anchor in ("id_end_use_statement", "id_military_end_use", "id_end_user_known_for"):
        assert f'id="{anchor}"' in end_use
    due_diligence = exporter_client.get(step_url(empty_draft, "due-diligence")).text
    for code, _question in DUE_DILIGENCE_QUESTIONS:
        assert f'id="id_{code}"' in due_diligence


def test_review_of_a_complete_draft_shows_the_answers(exporter_client, draft):
    response = exporter_client.get(step_url(draft, "review"))
    assert response.context["problems"] == []
    assert "Every answer is complete" in response.text
    for text in ("3A001.b.2", "Landessternwarte Königstuhl", "Calibration of radio telescopes"):
        assert text in response.text


def test_application_submit_submits_a_complete_draft(
    exporter_client, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the (eager) screening task
        response = exporter_client.post(
            reverse("licensing:application_submit", args=[draft.pk]), {"declaration": "on"}
        )
    assert response.status_code == 302
    assert response.url == status_url(draft)
    application = fresh(draft)
    assert application.status == Status.TRIAGE
    assert application.declared_at is not None
    page = exporter_client.get(status_url(draft)).text
    assert draft.reference in page
    assert "Awaiting triage" in page


def test_application_submit_needs_the_declaration(exporter_client, draft):
    response = exporter_client.post(reverse("licensing:application_submit", args=[draft.pk]), {})
    assert response.status_code == 400
    assert "Tick the declaration" in response.text
    assert fresh(draft).status == Status.DRAFT


def test_application_submit_incomplete_shows_the_problems(exporter_client, empty_draft):
    response = exporter_client.post(
        reverse("licensing:application_submit", args=[empty_draft.pk]), {"declaration": "on"}
    )
    assert response.status_code == 400
    assert "The application is not complete" in response.text
    assert "Add the end user." in response.text
    assert fresh(empty_draft).status == Status.DRAFT


def test_application_submit_twice_is_harmless(exporter_client, submitted):
    response = exporter_client.post(
        reverse("licensing:application_submit", args=[submitted.pk]), {"declaration": "on"}
    )
    assert response.url == status_url(submitted)


# --- Status page -----------------------------------------------------------------------------


def test_application_status_shows_status_and_exporter_timeline(exporter_client, world, submitted):
    case_services.case_note_add(actor=world.case_officer, application=submitted, text="Secret note")
    response = exporter_client.get(status_url(submitted))
    assert response.status_code == 200
    assert submitted.reference in response.text
    assert "Awaiting triage" in response.text
    assert "Application submitted" in response.text
    assert "Placed in the triage queue" in response.text
    assert "Note added" not in response.text
    assert "Secret note" not in response.text
    assert reverse("licensing:application_withdraw", args=[submitted.pk]) in response.text


def test_application_status_sends_officials_to_the_case_page(client, world, submitted):
    client.force_login(world.case_officer)
    response = client.get(status_url(submitted))
    assert response.status_code == 302
    assert response.url == reverse("licensing:case_detail", kwargs={"pk": submitted.pk})


def test_application_status_of_a_draft_links_to_the_form(exporter_client, draft):
    response = exporter_client.get(status_url(draft))
    assert "Continue the application" in response.text


def test_application_status_refused_shows_grounds(exporter_client, world):
    refused = factories.make_refused(world)
    response = exporter_client.get(status_url(refused))
    ground = refused.decision.grounds[0]
    assert "Refused" in response.text
    assert ground["title"] in response.text
    assert ground["description"] in response.text
    assert "Risk of diversion to a military programme." in response.text
    assert "You can appeal" in response.text


def test_application_status_approved_links_to_the_licence(exporter_client, world):
    approved = factories.make_approved(world)
    response = exporter_client.get(status_url(approved))
    assert approved.licence.number in response.text
    assert reverse("licensing:licence_detail", args=[approved.licence.pk]) in response.text
    assert reverse("licensing:application_withdraw", args=[approved.pk]) not in response.text


# --- Requests for information ----------------------------------------------------------------


@pytest.fixture
def information_request(world, under_review):
    return case_services.information_request_create(
        actor=world.case_officer, application=under_review, question="Who installs the boards?"
    )


def test_information_request_answer_with_a_document(exporter_client, information_request):
    application = information_request.application
    page = exporter_client.get(status_url(application)).text
    assert "Who installs the boards?" in page
    assert "Information requested" in page
    url = reverse("licensing:information_request_answer", args=[information_request.pk])
    assert url in page

    prefix = f"rfi-{information_request.pk}"
    attachment = SimpleUploadedFile("installers.pdf", PDF_BYTES)
    response = exporter_client.post(
        url, {f"{prefix}-answer": "Our own engineers.", f"{prefix}-document": attachment}
    )
    assert response.status_code == 302
    information_request.refresh_from_db()
    assert information_request.answer == "Our own engineers."
    assert not information_request.is_open
    document = information_request.documents.get()
    assert document.kind == Document.Kind.INFORMATION
    assert fresh(application).status == Status.UNDER_REVIEW
    page = exporter_client.get(status_url(application)).text
    assert "Our own engineers." in page
    assert "installers.pdf" in page


def test_information_request_answer_needs_text_and_a_real_document(
    exporter_client, information_request
):
    url = reverse("licensing:information_request_answer", args=[information_request.pk])
    prefix = f"rfi-{information_request.pk}"
    fake = SimpleUploadedFile("a.pdf", b"plain words")
    response = exporter_client.post(url, {f"{prefix}-answer": "", f"{prefix}-document": fake})
    assert response.status_code == 400
    assert "Write your answer." in response.text
    assert "it is really a plain text file" in response.text
    information_request.refresh_from_db()
    assert information_request.is_open
    assert not information_request.documents.exists()


def test_information_request_answer_by_others_is_404(client, world, information_request):
    url = reverse("licensing:information_request_answer", args=[information_request.pk])
    data = {f"rfi-{information_request.pk}-answer": "x"}
    for user in (world.other_exporter, world.case_officer):
        client.force_login(user)
        assert client.post(url, data).status_code == 404
    information_request.refresh_from_db()
    assert information_request.is_open


# --- Withdraw and copy -----------------------------------------------------------------------


def test_application_withdraw_confirms_then_withdraws(exporter_client, submitted):
    url = reverse("licensing:application_withdraw", args=[submitted.pk])
    response = exporter_client.get(url)
    assert response.status_code == 200
    assert "Yes, withdraw this application" in response.text
    assert fresh(submitted).status == Status.TRIAGE
    response = exporter_client.post(url)
    assert response.url == status_url(submitted)
    assert fresh(submitted).status == Status.WITHDRAWN
    assert "Withdrawn" in exporter_client.get(status_url(submitted)).text


def test_application_withdraw_after_a_decision_is_refused(exporter_client, world):
    refused = factories.make_refused(world)
    url = reverse("licensing:application_withdraw", args=[refused.pk])
    assert "can no longer be withdrawn" in exporter_client.get(url).text
    response = exporter_client.post(url, follow=True)
    assert "This cannot be done while the application is refused." in response.text
    assert fresh(refused).status == Status.REFUSED


def test_application_copy_makes_a_new_draft(exporter_client, submitted):
    response = exporter_client.post(reverse("licensing:application_copy", args=[submitted.pk]))
    copy = Application.objects.exclude(pk=submitted.pk).get()
    assert response.url == step_url(copy, "applicant")
    assert copy.status == Status.DRAFT
    assert copy.copied_from == submitted
    assert copy.items.count() == 1
    assert copy.title == submitted.title
