from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "exportgov.accounts"
    label = "accounts"

    def ready(self):
        post_migrate.connect(
            _sync_roles_after_migrate, sender=self, dispatch_uid="accounts_roles_sync"
        )


def _sync_roles_after_migrate(sender, using="default", **kwargs):
    """Keep the role groups' permissions as roles.py declares them, after every migrate."""
    from django.contrib.auth.management import create_permissions

    from .services import roles_sync

    # Roles name permissions of apps migrated after this one: make sure they exist first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_sync()
