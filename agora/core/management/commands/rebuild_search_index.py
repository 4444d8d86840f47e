"""Rebuilds the site search index from what every module lets residents find. Saves keep it
current; this is for a new installation, a restored database or a new kind of content."""

from typing import Any

from django.core.management.base import BaseCommand

from agora.core.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuilds the site search index (pages, catalogue, ideas, surveys)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"{count} items indexed."))
