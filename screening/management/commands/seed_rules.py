"""python manage.py seed_rules --owner EMAIL : create the starter rule catalogue.

Only rule codes that do not exist yet are created (screening/catalogue.py), so running it
again changes nothing. The owner must be a policy admin.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from exportgov.accounts.models import User
from screening.services.rules import rule_catalogue_seed


class Command(BaseCommand):
    help = "Create the starter rule catalogue's missing rules, owned by a policy admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", required=True, help="E-mail of the owning policy admin.")

    def handle(self, *args, owner: str, **options) -> None:
        user = User.objects.filter(email__iexact=owner).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {owner}.")
        try:
            created = rule_catalogue_seed(owner=user)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"{created} rule{'s' if created != 1 else ''} created.")
