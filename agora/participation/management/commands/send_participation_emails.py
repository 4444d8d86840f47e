"""The participation module's daily e-mails, run at once: the accountability reports
published outside the page editor, the feedback reminders to project teams, then the
followers' digests. Running it twice in a row sends nothing the second time.

`manage.py run_scheduled` runs the same work every morning (the job
"participation-emails", docs/operations.md); this command is for running it by hand."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from agora.participation.jobs import send_participation_emails


class Command(BaseCommand):
    help = "Envoie les rappels de rétroaction et les résumés aux abonnés des projets."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(send_participation_emails(timezone.now()))
