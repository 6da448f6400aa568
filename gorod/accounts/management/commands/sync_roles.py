from typing import Any

from django.core.management.base import BaseCommand

from gorod.accounts.services import role_permissions_sync


class Command(BaseCommand):
    help = "Give the staff roles (operator, moderator, ...) their console permissions. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        for role, count in role_permissions_sync().items():
            self.stdout.write(f"{role}: {count} permissions")
