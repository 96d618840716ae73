"""Demo data for `make run`: one user per role, two exporter organisations and the teams.

Idempotent: running it again changes nothing that is already there.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from exportgov.accounts import services
from exportgov.accounts.models import Membership, Organisation, Team, User
from exportgov.accounts.roles import Role
from licensing.demo import demo_cases_create
from screening.services import list_version_import
from screening.services.controls import control_data_import_all
from screening.services.rules import partner_denial_import, rule_catalogue_seed

# Two small real lists, so that the demo's name screening has something to find. The
# others import with `manage.py import_lists` (see README).
DEMO_LISTS = [
    settings.BASE_DIR / "data/lists/un_sc/2026-02-27/UN_consolidated.xml",
    settings.BASE_DIR / "data/lists/us_bis_dpl/2023-11/dpl.txt",
]

# Fictional notices (see data/partner_denials/README.md).
DEMO_PARTNER_DENIALS = settings.BASE_DIR / "data/partner_denials/demo.csv"

DEMO_PASSWORD = "demo-Export-2026"  # noqa: S105 - published demo login, never used in production

TEAMS = [
    ("Licensing unit", "licensing", Team.Kind.LICENSING, "Assesses licence applications."),
    ("Ministry of Defence advisers", "defence", Team.Kind.ADVISORY, "Advises on military end use."),
    ("Foreign affairs advisers", "foreign-affairs", Team.Kind.ADVISORY, "Advises on destinations."),
    (
        "Health and biosafety advisers",
        "health-biosafety",
        Team.Kind.ADVISORY,
        "Advises on biological items.",
    ),
    ("Appeals panel", "appeals", Team.Kind.APPEALS, "Independent review of appeals."),
    ("Export control policy", "policy", Team.Kind.POLICY, "Keeps the rule book."),
    ("Internal audit", "audit", Team.Kind.AUDIT, "Reads everything, changes nothing."),
]

# username, first name, last name, role, team code
OFFICIALS = [
    ("officer", "Olivia", "Okafor", Role.CASE_OFFICER, "licensing"),
    ("senior", "Samuel", "Sato", Role.SENIOR_OFFICIAL, "licensing"),
    ("advisor", "Ada", "Andersen", Role.ADVISOR, "defence"),
    ("reviewer", "Rafael", "Rossi", Role.APPEALS_REVIEWER, "appeals"),
    ("policy", "Priya", "Patel", Role.POLICY_ADMIN, "policy"),
    ("auditor", "Aiko", "Abe", Role.AUDITOR, "audit"),
]

# organisation, kind, country, [(username, first, last, membership role)]
ORGANISATIONS = [
    (
        "Northwind Instruments Ltd",
        Organisation.Kind.COMPANY,
        "GB",
        [
            ("exporter", "Erin", "Evans", Membership.Role.ADMIN),
            ("colleague", "Chris", "Clark", Membership.Role.MEMBER),
        ],
    ),
    (
        "University of Eastmoor",
        Organisation.Kind.RESEARCH,
        "GB",
        [("researcher", "Rosa", "Reyes", Membership.Role.ADMIN)],
    ),
]


class Command(BaseCommand):
    help = "Create (or keep) the demo users, organisations and teams, and print the logins."

    @transaction.atomic
    def handle(self, *args, **options):
        teams = {
            code: self._team(name, code, kind, description)
            for name, code, kind, description in TEAMS
        }
        logins = []
        for username, first, last, role, team_code in OFFICIALS:
            user = self._user(username, first, last, [role])
            services.team_member_add(actor=None, team=teams[team_code], user=user)
            logins.append((username, role.label))
        # Rules and partner notices before the demo cases, so that screening reads them.
        rule_catalogue_seed(owner=User.objects.get(username="policy"))
        partner_denial_import(actor=None, path=DEMO_PARTNER_DENIALS, skip_if_unchanged=True)
        # Control data before the demo cases: their screening determines licence needs.
        control_data_import_all(actor=None)  # unchanged files are kept as they are
        for name, kind, country, people in ORGANISATIONS:
            users = [(self._user(u, f, la, [Role.EXPORTER]), level) for u, f, la, level in people]
            organisation = Organisation.objects.filter(name=name).first()
            if organisation is None:
                organisation = services.organisation_create(
                    actor=None, name=name, kind=kind, country=country, admin=users[0][0]
                )
            for user, level in users:
                if not organisation.memberships.filter(user=user).exists():
                    services.membership_add(
                        actor=None, organisation=organisation, user=user, role=level
                    )
                logins.append((user.username, f"Exporter ({Membership.Role(level).label}, {name})"))
            demo_cases_create(organisation=organisation, actor=users[0][0])

        for path in DEMO_LISTS:
            list_version_import(actor=None, paths=[path], skip_if_unchanged=True)
        self._demo_appeal()
        self._demo_consultation()

        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, description in logins:
            self.stdout.write(f"  {username:<12} {description}")

    def _demo_appeal(self) -> None:
        """One lodged appeal against a demo refusal, if there is one and it has none yet."""
        from appeals import services as appeal_services
        from appeals.models import Appeal
        from licensing.models import Application

        refused = (
            Application.objects.filter(
                status=Application.Status.REFUSED,
                organisation__name__in=[name for name, *_rest in ORGANISATIONS],
            )
            .order_by("pk")
            .first()
        )
        if refused is None or refused.appeals.exists():
            return
        appeal = appeal_services.appeal_start(
            actor=refused.created_by, subject=Appeal.Subject.REFUSAL, application=refused
        )
        appeal_services.appeal_save(
            actor=refused.created_by,
            appeal=appeal,
            data={
                "grounds": [Appeal.Ground.FACTUAL_ERROR, Appeal.Ground.NEW_INFORMATION],
                "statement": "The end user is a university observatory, not a military "
                "programme; its registration certificate is attached to the original case.",
            },
        )
        appeal_services.appeal_lodge(actor=refused.created_by, appeal=appeal)

    def _demo_consultation(self) -> None:
        """One open consultation on making the pilot rule live, with a published comment and
        one awaiting moderation, unless the demo has one already."""
        import datetime

        from django.utils import timezone

        from screening.models import Consultation, Rule
        from screening.services import consultations

        pilot = Rule.objects.filter(
            code="end-use-kyc-unsure", mode=Rule.Mode.PILOT, status=Rule.Status.CURRENT
        ).first()
        if pilot is None or Consultation.objects.filter(rule__code=pilot.code).exists():
            return
        policy = User.objects.get(username="policy")
        consultation = consultations.consultation_open(
            actor=policy,
            rule=pilot,
            title="Make the unsure-answers check live",
            proposal=(
                "Count unsure answers to the know-your-customer questions towards the risk "
                "score (weight 10), instead of only recording them as a pilot."
            ),
            rationale=(
                "Officials confirmed most of the pilot's flags: an applicant unsure about a red "
                "flag often did not know the customer well."
            ),
            closes_on=timezone.localdate() + datetime.timedelta(days=21),
        )
        published = consultations.consultation_comment_submit(
            consultation=consultation,
            author_name="Dr A. Okafor",
            organisation_name="University of Eastmoor, research office",
            email="",
            body=(
                "Researchers often answer “unsure” when a collaborator's funding is not yet "
                "known. Please say how an unsure answer can be cleared quickly."
            ),
        )
        consultations.consultation_comment_moderate(actor=policy, comment=published, publish=True)
        consultations.consultation_comment_submit(
            consultation=consultation,
            author_name="",
            organisation_name="",
            email="",
            body="Ten points seems low for a customer the applicant cannot vouch for.",
        )

    def _team(self, name, code, kind, description) -> Team:
        return Team.objects.filter(code=code).first() or services.team_create(
            actor=None, name=name, code=code, kind=kind, description=description
        )

    def _user(self, username, first_name, last_name, roles) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(
                actor=None,
                username=username,
                email=f"{username}@demo.exportgov.invalid",
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                roles=roles,
            )
        return user
