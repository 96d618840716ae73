"""Demo cases for `make run`: a draft to finish and a submitted case in the triage queue.

Built through the services, like everything a user makes, so the timeline and audit log
read as they would in real use.
"""

from decimal import Decimal

from django.core.files.base import ContentFile

from exportgov.accounts.models import Organisation, User

from .models import Application, Item, Party
from .services import applications as services
from .steps import DUE_DILIGENCE_QUESTIONS

# A one-page PDF, standing in for a signed end-user undertaking.
UNDERTAKING_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def demo_cases_create(*, organisation: Organisation, actor: User) -> list[Application]:
    """Create the demo cases unless the organisation already has applications."""
    if organisation.applications.exists():
        return []
    submitted = _complete_draft(organisation, actor, title="Spectrum analysers for a research lab")
    services.application_submit(actor=actor, application=submitted)
    draft = services.application_create(
        actor=actor, organisation=organisation, kind=Application.Kind.TECHNOLOGY
    )
    services.application_step_save(
        actor=actor,
        application=draft,
        step="applicant",
        data={
            "title": "Visiting researcher: radar signal processing",
            "contact_name": actor.get_full_name(),
        },
    )
    return [submitted, draft]


def _complete_draft(organisation: Organisation, actor: User, *, title: str) -> Application:
    application = services.application_create(
        actor=actor, organisation=organisation, kind=Application.Kind.GOODS
    )
    services.application_step_save(
        actor=actor,
        application=application,
        step="applicant",
        data={"title": title, "contact_name": actor.get_full_name(), "contact_email": actor.email},
    )
    services.item_save(
        actor=actor,
        application=application,
        data={
            "description": "Real-time spectrum analyser, 40 GHz",
            "control_code": "3A002.c.4",
            "technical_description": "Swept-tuned analyser for radio astronomy receivers.",
            "quantity": Decimal(2),
            "unit": Item.Unit.ITEMS,
            "value": Decimal("84000.00"),
            "currency": "GBP",
        },
    )
    undertaking = services.document_upload(
        actor=actor,
        application=application,
        file=ContentFile(UNDERTAKING_PDF, name="end-user-undertaking.pdf"),
        kind="undertaking",
        content_type="application/pdf",
    )
    for role, name in [
        (Party.Role.CONSIGNEE, "Astrofisica Strumenti S.r.l."),
        (Party.Role.END_USER, "Osservatorio Radioastronomico"),
    ]:
        services.party_save(
            actor=actor,
            application=application,
            data={
                "role": role,
                "name": name,
                "kind": Party.Kind.RESEARCH if role == Party.Role.END_USER else Party.Kind.COMPANY,
                "address": "Via Fermi 5, Firenze",
                "country": "IT",
                "undertaking": undertaking if role == Party.Role.END_USER else None,
            },
        )
    services.application_step_save(
        actor=actor,
        application=application,
        step="end-use",
        data={
            "end_use_statement": "Calibration of receivers at a university radio observatory.",
            "military_end_use": False,
            "wmd_end_use": False,
            "reexport_intended": False,
            "end_user_known_for": Application.KnownFor.OVER_FIVE,
        },
    )
    return services.application_step_save(
        actor=actor,
        application=application,
        step="due-diligence",
        data={"due_diligence": {code: "no" for code, _question in DUE_DILIGENCE_QUESTIONS}},
    )
