"""The licence pages: list, detail, shipments, amendments, official actions and the PDF."""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from licensing.models import Application, Licence
from licensing.pdf import ISSUING_AUTHORITY, licence_pdf_render
from licensing.services.licences import licence_suspend

from .factories import make_approved

pytestmark = pytest.mark.django_db


def _url(name: str, licence: Licence) -> str:
    return reverse(f"licensing:{name}", kwargs={"pk": licence.pk})


def _shipment_data(licence: Licence, quantity: str, value: str, **extra) -> dict:
    item = licence.items.get()
    return {
        "shipped_on": timezone.localdate().isoformat(),
        "reference": "INV-2041",
        f"quantity_{item.pk}": quantity,
        f"value_{item.pk}": value,
        **extra,
    }


# --- licence_list ------------------------------------------------------------------------


def test_licence_list_shows_the_exporter_their_organisations_licences(client, world, licence):
    client.force_login(world.exporter)
    response = client.get(reverse("licensing:licence_list"))

    assert response.status_code == 200
    assert licence.number in response.text
    assert list(response.context["page"].object_list) == [licence]


def test_licence_list_hides_other_organisations_licences(client, world, licence):
    client.force_login(world.other_exporter)
    response = client.get(reverse("licensing:licence_list"))

    assert licence.number not in response.text
    assert response.context["page"].paginator.count == 0


def test_licence_list_shows_officials_every_licence_filtered_by_status_and_number(
    client, world, licence
):
    other = make_approved(world).licence
    licence_suspend(actor=world.case_officer, licence=other, reason="Under investigation.")
    client.force_login(world.auditor)

    everything = client.get(reverse("licensing:licence_list"))
    suspended = client.get(reverse("licensing:licence_list"), {"status": "suspended"})
    by_number = client.get(reverse("licensing:licence_list"), {"number": licence.number[-6:]})

    assert everything.context["page"].paginator.count == 2
    assert list(suspended.context["page"].object_list) == [other]
    assert list(by_number.context["page"].object_list) == [licence]


def test_licence_list_answers_htmx_with_the_results_only(client, world, licence):
    client.force_login(world.exporter)
    response = client.get(reverse("licensing:licence_list"), HTTP_HX_REQUEST="true")

    assert licence.number in response.text
    assert "<html" not in response.text
    assert 'id="results"' in response.text


def test_licence_list_queries_do_not_grow_with_rows(
    client, world, licence, django_assert_max_num_queries
):
    for _n in range(3):
        make_approved(world)
    client.force_login(world.case_officer)

    with django_assert_max_num_queries(11):
        response = client.get(reverse("licensing:licence_list"))

    assert response.context["page"].paginator.count == 4


# --- licence_detail ----------------------------------------------------------------------


def test_licence_detail_shows_items_balances_conditions_and_shipments(client, world, licence):
    client.force_login(world.exporter)
    client.post(_url("licence_shipment_record", licence), _shipment_data(licence, "4", "20000"))

    response = client.get(_url("licence_detail", licence))

    text = response.text
    assert response.status_code == 200
    assert licence.number in text
    assert "Analogue-to-digital converter boards" in text
    assert "3A001.b.2" in text
    assert licence.conditions[0] in text
    assert "INV-2041" in text
    item = response.context["items"][0]
    assert (item.remaining_quantity, item.remaining_value) == (Decimal(6), Decimal("30000.00"))
    assert response.context["can_ship"]
    assert response.context["can_amend"]
    assert response.context["grounds_forms"] == []


def test_licence_detail_is_404_for_another_organisation(client, world, licence):
    client.force_login(world.other_exporter)
    assert client.get(_url("licence_detail", licence)).status_code == 404


def test_licence_detail_offers_officials_the_actions_the_status_allows(client, world, licence):
    client.force_login(world.case_officer)
    active = client.get(_url("licence_detail", licence))
    licence_suspend(actor=world.case_officer, licence=licence, reason="Checking an end user.")
    suspended = client.get(_url("licence_detail", licence))

    assert [f["action"] for f in active.context["grounds_forms"]] == ["suspend", "revoke"]
    assert [f["action"] for f in suspended.context["grounds_forms"]] == ["reinstate", "revoke"]
    assert "Checking an end user." in suspended.text
    assert not active.context["can_ship"]


# --- licence_shipment_record -------------------------------------------------------------


def test_licence_shipment_record_records_and_reduces_the_balance(client, world, licence):
    client.force_login(world.exporter)
    response = client.post(
        _url("licence_shipment_record", licence), _shipment_data(licence, "4", "20000")
    )

    assert response.status_code == 302
    assert response.url == _url("licence_detail", licence)
    shipment = licence.shipments.get()
    assert shipment.reference == "INV-2041"
    assert licence.items.get().shipped_quantity == Decimal(4)


def test_licence_shipment_record_beyond_the_balance_is_refused_keeping_the_numbers(
    client, world, licence
):
    client.force_login(world.exporter)
    response = client.post(
        _url("licence_shipment_record", licence), _shipment_data(licence, "11", "1000")
    )

    assert response.status_code == 400
    assert "only 10 items worth 50000.00 GBP remain on this licence" in response.text
    assert 'value="11"' in response.text
    assert 'value="1000"' in response.text
    assert not licence.shipments.exists()


def test_licence_shipment_record_using_everything_exhausts_the_licence(client, world, licence):
    client.force_login(world.exporter)
    client.post(_url("licence_shipment_record", licence), _shipment_data(licence, "10", "50000"))

    licence.refresh_from_db()
    assert licence.status == Licence.Status.EXHAUSTED


def test_licence_shipment_record_with_bad_input_is_400(client, world, licence):
    client.force_login(world.exporter)
    response = client.post(
        _url("licence_shipment_record", licence), _shipment_data(licence, "-1", "x")
    )

    assert response.status_code == 400
    assert response.context["shipment_form"].errors


def test_licence_shipment_record_is_for_the_holder_only(client, world, licence):
    client.force_login(world.case_officer)
    response = client.post(
        _url("licence_shipment_record", licence), _shipment_data(licence, "1", "1")
    )
    assert response.status_code == 403


# --- licence_amend -----------------------------------------------------------------------


def test_licence_amend_starts_a_draft_and_opens_its_first_step(client, world, licence):
    client.force_login(world.exporter)
    response = client.post(_url("licence_amend", licence))

    draft = Application.objects.get(amends_licence=licence)
    assert draft.status == Application.Status.DRAFT
    assert response.status_code == 302
    assert response.url == reverse(
        "licensing:application_step", kwargs={"pk": draft.pk, "step": "applicant"}
    )


def test_licence_amend_of_a_revoked_licence_is_refused_with_a_message(client, world, licence):
    client.force_login(world.case_officer)
    client.post(_url("licence_revoke", licence), {"revoke-reason": "Diversion."})
    client.force_login(world.exporter)

    response = client.post(_url("licence_amend", licence), follow=True)

    assert "A licence that is revoked cannot be amended." in response.text
    assert not Application.objects.filter(amends_licence=licence).exists()


# --- licence_suspend / licence_reinstate / licence_revoke --------------------------------


def test_licence_suspend_reinstate_and_revoke_with_grounds(client, world, licence):
    client.force_login(world.case_officer)

    suspended = client.post(_url("licence_suspend", licence), {"suspend-reason": "Query."})
    licence.refresh_from_db()
    assert (suspended.status_code, licence.status) == (302, Licence.Status.SUSPENDED)
    assert licence.status_reason == "Query."

    client.post(_url("licence_reinstate", licence), {"reinstate-reason": "Answered."})
    licence.refresh_from_db()
    assert licence.status == Licence.Status.ACTIVE

    client.post(_url("licence_revoke", licence), {"revoke-reason": "Diverted to a third party."})
    licence.refresh_from_db()
    assert licence.status == Licence.Status.REVOKED
    assert licence.status_reason == "Diverted to a third party."


def test_licence_suspend_without_grounds_is_400(client, world, licence):
    client.force_login(world.senior_official)
    response = client.post(_url("licence_suspend", licence), {"suspend-reason": ""})

    licence.refresh_from_db()
    assert response.status_code == 400
    assert licence.status == Licence.Status.ACTIVE
    assert "This field is required." in response.text


def test_licence_reinstate_of_a_revoked_licence_shows_the_services_message(client, world, licence):
    client.force_login(world.case_officer)
    client.post(_url("licence_revoke", licence), {"revoke-reason": "Diversion."})
    response = client.post(_url("licence_reinstate", licence), {"reinstate-reason": "Oops."})

    assert response.status_code == 400
    assert "This cannot be done while the licence is revoked." in response.text


@pytest.mark.parametrize("name", ["licence_suspend", "licence_reinstate", "licence_revoke"])
def test_licence_official_actions_are_403_for_the_holder(client, world, licence, name):
    client.force_login(world.exporter)
    action = name.removeprefix("licence_")
    response = client.post(_url(name, licence), {f"{action}-reason": "Mine."})
    assert response.status_code == 403


# --- licence_pdf -------------------------------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "install poppler-utils (pdftotext)"
    result = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_licence_pdf_is_an_attachment_with_the_number_and_conditions(client, world, licence):
    client.force_login(world.exporter)
    response = client.get(_url("licence_pdf", licence))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{licence.number}.pdf"'
    text = " ".join(_pdf_text(response.content).split())
    assert licence.number in text
    assert licence.conditions[0] in text
    assert ISSUING_AUTHORITY in text
    assert "Northwind Instruments Ltd" in text
    assert "3A001.b.2" in text
    assert "Landessternwarte Königstuhl" in text
    assert "Germany" in text


def test_licence_pdf_is_404_for_another_organisation(client, world, licence):
    client.force_login(world.other_exporter)
    assert client.get(_url("licence_pdf", licence)).status_code == 404


def test_licence_pdf_render_numbers_every_condition(world, licence):
    Licence.objects.filter(pk=licence.pk).update(
        conditions=["First condition.", "Second condition."],
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    licence.refresh_from_db()

    text = " ".join(_pdf_text(licence_pdf_render(licence=licence)).split())

    assert "1. First condition." in text
    assert "2. Second condition." in text
    assert f"licence number {licence.number}" in text


# --- Django admin ------------------------------------------------------------------------


def test_admin_shows_licences_read_only_and_edits_the_catalogues(
    client, world, licence, django_user_model
):
    staff = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(staff)

    licence_page = client.get(reverse("admin:licensing_licence_change", args=[licence.pk]))
    application_page = client.get(
        reverse("admin:licensing_application_change", args=[licence.application_id])
    )
    catalogue = client.get(reverse("admin:licensing_licencecondition_add"))

    assert licence_page.status_code == 200
    assert 'name="_save"' not in licence_page.text
    assert 'name="status"' not in licence_page.text
    assert 'name="_save"' not in application_page.text
    assert client.get(reverse("admin:licensing_licence_add")).status_code == 403
    assert catalogue.status_code == 200
    assert 'name="text"' in catalogue.text
