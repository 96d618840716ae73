from django.core.management.base import BaseCommand, CommandError

from exportgov.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain; print 'ok' or the first broken event."

    def handle(self, *args, **options):
        result = audit_chain_verify()
        if not result.ok:
            raise CommandError(
                f"broken at event #{result.broken_at}: {result.reason} "
                f"({result.checked} events before it verified)"
            )
        self.stdout.write(f"ok ({result.checked} events verified)")
