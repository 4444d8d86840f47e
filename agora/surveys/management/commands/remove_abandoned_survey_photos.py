"""Daily: removes the photos of survey responses that were never sent (docs/operations.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from agora.surveys.uploads import remove_abandoned_photos


class Command(BaseCommand):
    help = "Supprime les photos des réponses aux sondages qui n'ont jamais été envoyées."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"abandoned survey photos removed: {remove_abandoned_photos()}")
