"""Access-matrix rows for the licence pages and the licensing API (see tests/access.py).

A licence belongs to its organisation: its members (world.exporter) see it, record shipments
and start amendments; anyone else who may not see it gets 404. Officials with
licensing.view_licence see every licence (and get 403 for what only the holder does); those
who also have licensing.manage_licence suspend, reinstate and revoke. Over the API anonymous
callers get 401; the officials' case endpoints are 403 for everyone who works on no cases.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from conftest import World
from licensing.models import Application, Item, Licence, LicenceItem, Party
from tests.access import API_UNAUTHENTICATED, LOGIN_REDIRECT, Route, only, signed_in

from . import factories

LICENCE_VIEWERS = ["case_officer", "senior_official", "appeals_reviewer", "auditor"]
LICENCE_MANAGERS = ["case_officer", "senior_official"]
CASE_READERS = ["case_officer", "senior_official", "appeals_reviewer", "auditor"]
CASE_WORKERS = [*CASE_READERS, "advisor"]  # advisors: only the cases referred to their body
API = API_UNAUTHENTICATED


def _make_licence(world: World) -> Licence:
    """An active licence of world.organisation with one item, written straight to the tables.

    The matrix only asks who may reach what, which depends on the organisation alone, and it
    makes one licence per route and actor: the full workflow (tests/licensing/factories.py
    make_approved) would cost a quarter of a second each time.
    """
    key = uuid.uuid4().hex[:8]
    application = Application.objects.create(
        reference=f"EG-M-{key}",
        organisation=world.organisation,
        created_by=world.exporter,
        status=Application.Status.APPROVED,
        title="Matrix licence",
        contact_name="Ada Exporter",
        contact_email="ada@example.org",
    )
    item = Item.objects.create(
        application=application,
        description="ADC boards",
        control_code="3A001.b.2",
        quantity=Decimal(10),
        value=Decimal(1000),
    )
    Party.objects.create(
        application=application, role=Party.Role.END_USER, name="Observatory", country="DE"
    )
    licence = Licence.objects.create(
        number=f"EGL-M-{key}",
        application=application,
        organisation=world.organisation,
        conditions=["No re-export without authorisation."],
        issued_at=timezone.now(),
        expires_on=timezone.localdate() + timedelta(days=365),
    )
    LicenceItem.objects.create(
        licence=licence,
        item=item,
        description=item.description,
        control_code=item.control_code,
        quantity=item.quantity,
        unit=item.unit,
        value=item.value,
        currency=item.currency,
    )
    return licence


def _licence(world: World) -> dict:
    return {"pk": _make_licence(world).pk}


def _draft(world: World) -> dict:
    return {"pk": factories.make_draft(world).pk}


def _submitted(world: World) -> dict:
    """A case in triage (written straight to the tables, as _make_licence explains)."""
    application = Application.objects.create(
        reference=f"EG-M-{uuid.uuid4().hex[:8]}",
        organisation=world.organisation,
        created_by=world.exporter,
        status=Application.Status.TRIAGE,
        title="Matrix case",
        tier="medium",
        team=world.licensing_team,
        submitted_at=timezone.now(),
    )
    Party.objects.create(
        application=application, role=Party.Role.END_USER, name="Observatory", country="DE"
    )
    return {"pk": application.pk}


SHIPMENT_DATA: dict = {}


def _licence_to_ship_on(world: World) -> dict:
    """A licence, with SHIPMENT_DATA filled in for its one item (the form needs its id)."""
    licence = _make_licence(world)
    item = licence.items.get()
    SHIPMENT_DATA.clear()
    SHIPMENT_DATA.update(
        {
            "shipped_on": timezone.localdate().isoformat(),
            "reference": "INV-1",
            f"quantity_{item.pk}": "1",
            f"value_{item.pk}": "100",
        }
    )
    return {"pk": licence.pk}


def _sees_licence(status: int, *, holder: int | None = None, viewers: int | None = None) -> dict:
    """The holder gets `holder`, officials who view licences get `viewers`, others 404."""
    return {
        **only(["exporter"], status if holder is None else holder, 404),
        **dict.fromkeys(LICENCE_VIEWERS, status if viewers is None else viewers),
    }


def _managed(status: int) -> dict:
    """Suspend, reinstate, revoke: managers act; the holder and other viewers 403; else 404."""
    return {
        **_sees_licence(403),
        **dict.fromkeys(LICENCE_MANAGERS, status),
    }


def _api(expect: dict) -> dict:
    return {**expect, "anonymous": API}


ROUTES: list[Route] = [
    # HTML pages
    Route("licensing:licence_list", signed_in(200)),
    Route("licensing:licence_detail", _sees_licence(200), _licence),
    Route("licensing:licence_pdf", _sees_licence(200), _licence),
    Route(
        "licensing:licence_shipment_record",
        _sees_licence(LOGIN_REDIRECT, viewers=403),
        _licence_to_ship_on,
        method="post",
        data=SHIPMENT_DATA,
    ),
    Route(
        "licensing:licence_amend",
        _sees_licence(LOGIN_REDIRECT, viewers=403),  # 302 on to the new draft's first step
        _licence,
        method="post",
    ),
    Route(
        "licensing:licence_suspend",
        _managed(LOGIN_REDIRECT),
        _licence,
        method="post",
        data={"suspend-reason": "An end user is under investigation."},
    ),
    Route(
        "licensing:licence_reinstate",
        _managed(LOGIN_REDIRECT),  # an active licence: nothing to do, back to the page
        _licence,
        method="post",
        data={"reinstate-reason": "The investigation is closed."},
    ),
    Route(
        "licensing:licence_revoke",
        _managed(LOGIN_REDIRECT),
        _licence,
        method="post",
        data={"revoke-reason": "Diverted to a third party."},
    ),
    # API: exporters
    Route("api:application_list", signed_in(200, anonymous=API)),
    Route(
        "api:application_list",
        {
            **signed_in(403, anonymous=API),  # officials belong to no organisation
            "exporter": 201,
            "other_exporter": 201,  # a draft of their own organisation
        },
        method="post",
        data={"kind": "goods", "title": "Matrix draft"},
    ),
    Route(
        "api:application_detail",
        _api({**only(["exporter"], 200, 404), **dict.fromkeys(CASE_READERS, 200)}),
        _submitted,
    ),
    Route(
        "api:application_submit",
        _api(only(["exporter"], 200, 404)),  # no official sees a draft
        _draft,
        method="post",
    ),
    Route(
        "api:application_withdraw",
        _api({**only(["exporter"], 200, 404), **dict.fromkeys(CASE_READERS, 403)}),
        _submitted,
        method="post",
    ),
    Route(
        "api:application_document_list",
        _api({**only(["exporter"], 200, 404), **dict.fromkeys(CASE_READERS, 200)}),
        _submitted,
    ),
    Route("api:licence_list", signed_in(200, anonymous=API)),
    Route("api:licence_detail", _api(_sees_licence(200)), _licence),
    Route("api:licence_shipment_list", _api(_sees_licence(200)), _licence),
    # API: officials
    Route("api:case_queue_list", _api(only(CASE_WORKERS, 200, 403))),
    Route(
        "api:case_detail",
        _api({**only(CASE_READERS, 200, 403), "advisor": 404}),  # not referred to the advisor
        _submitted,
    ),
]
