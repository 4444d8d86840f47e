"""The participation module's scheduled work, run by `manage.py run_scheduled`."""

import datetime

from agora.core.scheduling import Period, scheduled_job
from agora.participation import accountability, followers, reminders


@scheduled_job("participation-emails", period=Period.DAILY, not_before=datetime.timedelta(hours=7))
def send_participation_emails(now: datetime.datetime) -> str:
    """Reports published outside the editor, feedback reminders, then followers' digests.

    In this order: a report noticed first reminds nobody and reaches the followers in the
    same morning's digest. Each step sends nothing twice, so running it again is harmless."""
    reports = accountability.publish_completed_reports(now=now)
    reminded = reminders.send_feedback_reminders(now=now)
    digests = followers.send_digests(now=now)
    return f"reports published: {reports}, reminders sent: {reminded}, digests sent: {digests}"
