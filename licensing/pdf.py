"""The licence as a PDF document, rendered from an HTML template with WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from .models import Licence, Party

ISSUING_AUTHORITY = "ExportGov licensing authority"

# The parties printed on the licence, in this order.
PRINTED_ROLES = [
    Party.Role.CONSIGNEE,
    Party.Role.INTERMEDIATE_CONSIGNEE,
    Party.Role.END_USER,
    Party.Role.ULTIMATE_END_USER,
    Party.Role.THIRD_PARTY,
]


def licence_pdf_render(*, licence: Licence) -> bytes:
    """The licence document: holder, dates, items, destinations and parties, conditions."""
    application = licence.application
    order = {role: index for index, role in enumerate(PRINTED_ROLES)}
    parties = sorted(application.parties.all(), key=lambda party: (order[party.role], party.pk))
    html = render_to_string(
        "licensing/licence_pdf.html",
        {
            "authority": ISSUING_AUTHORITY,
            "licence": licence,
            "organisation": licence.organisation,
            "application": application,
            "items": licence.items.all(),
            "parties": parties,
            "destinations": sorted({party.country.name for party in parties}),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
