"""Builds the demo city "Ville de Démo". Safe to run again: it completes, never duplicates.

Each app may provide a `demo` module with `seed(report: list[str]) -> None`; they run in the
order of INSTALLED_APPS, so later modules extend the same command.
"""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Builds or completes the demo city (development and demonstrations only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates known passwords: it does not run in production.")
        report: list[str] = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("agora."):
                    continue
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(report)
        self.stdout.write(self.style.SUCCESS("Ville de Démo is ready."))
        for line in report:
            self.stdout.write(line)
        # Kept for `make run`, which reminds the developer of the logins at every start.
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        (settings.VAR_DIR / "demo-logins.txt").write_text("\n".join(report) + "\n")
