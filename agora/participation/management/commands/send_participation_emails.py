"""The participation module's daily e-mails, run once (cron or systemd timer: see
docs/operations.md): the accountability reports published outside the page editor, the
feedback reminders to project teams, then the followers' digests. Running it twice in a row
sends nothing the second time."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from agora.participation import accountability, followers, reminders


class Command(BaseCommand):
    help = "Envoie les rappels de rétroaction et les résumés aux abonnés des projets."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        reports = accountability.publish_completed_reports(now=now)
        reminded = reminders.send_feedback_reminders(now=now)
        digests = followers.send_digests(now=now)
        self.stdout.write(
            f"reports published: {reports}, reminders sent: {reminded}, digests sent: {digests}"
        )
