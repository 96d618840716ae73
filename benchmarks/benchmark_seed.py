"""Bulk seeding of cases for benchmarks: fast inserts of realistic rows, not the services."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

COUNTRIES = ["DE", "FR", "US", "JP", "CN", "IN", "BR", "AE", "TR", "SG", "KR", "ZA", "MX", "RU"]
OPEN_STATUSES = ["triage", "triage", "triage", "under_review", "info_requested", "in_consultation"]


def seed_people():
    """The licensing unit, one officer (returned) and a few exporter organisations."""
    from exportgov.accounts import services
    from exportgov.accounts.models import Organisation, Team
    from exportgov.accounts.roles import Role
    from tests.accounts.factories import UserFactory

    team = services.team_create(
        actor=None, name="Licensing unit", code="licensing", kind=Team.Kind.LICENSING
    )
    officer = UserFactory(username="bench-officer")
    services.user_roles_set(actor=None, user=officer, roles=[Role.CASE_OFFICER])
    services.team_member_add(actor=None, team=team, user=officer)
    for n in range(50):
        admin = UserFactory(username=f"bench-exporter-{n}")
        services.organisation_create(
            actor=None,
            name=f"Bench Exporter {n} Ltd",
            kind=Organisation.Kind.COMPANY,
            country="GB",
            admin=admin,
        )
    return officer


def seed_cases(*, total: int, batch: int = 2000) -> list[int]:
    """Top the case load up to `total` submitted cases with items and parties; return their ids."""
    from exportgov.accounts.models import Organisation, Team
    from licensing.models import Application, Item, Party

    existing = Application.objects.count()
    organisations = list(Organisation.objects.all())
    team = Team.objects.get(code="licensing")
    creators = {o.pk: o.memberships.first().user for o in organisations}
    now = timezone.now()
    rng = random.Random(7)
    for start in range(existing, total, batch):
        applications = []
        for n in range(start, min(start + batch, total)):
            organisation = rng.choice(organisations)
            applications.append(
                Application(
                    reference=f"EG-BENCH-{n:06d}",
                    organisation=organisation,
                    created_by=creators[organisation.pk],
                    status=rng.choice(OPEN_STATUSES),
                    title=f"Bench case {n}",
                    contact_name="Bench Contact",
                    contact_email="bench@example.org",
                    end_use_statement="Research use in a university laboratory.",
                    tier=rng.choice(["low", "medium", "high"]),
                    risk_score=rng.randint(0, 100),
                    team=team,
                    submitted_at=now - timedelta(days=rng.randint(0, 60)),
                    deadline_on=(now + timedelta(days=rng.randint(-10, 50))).date(),
                )
            )
        created = Application.objects.bulk_create(applications)
        Item.objects.bulk_create(
            Item(
                application=application,
                description="Spectrum analyser",
                control_code="3A002.c",
                quantity=Decimal(2),
                value=Decimal("25000.00"),
            )
            for application in created
        )
        Party.objects.bulk_create(
            Party(
                application=application,
                role=role,
                name=f"{role} of {application.reference}",
                country=rng.choice(COUNTRIES),
            )
            for application in created
            for role in ("consignee", "end_user")
        )
    return list(Application.objects.values_list("pk", flat=True))
