"""Removes the photos of survey responses that were never sent. `manage.py run_scheduled`
does it every night (the job "survey-photos-cleanup", docs/operations.md); this command is
for running it by hand."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from agora.surveys.jobs import remove_abandoned_survey_photos


class Command(BaseCommand):
    help = "Supprime les photos des réponses aux sondages qui n'ont jamais été envoyées."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(remove_abandoned_survey_photos(timezone.now()))
