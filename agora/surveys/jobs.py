"""The surveys module's scheduled work, run by `manage.py run_scheduled`."""

import datetime

from agora.core.scheduling import Period, scheduled_job
from agora.surveys.uploads import remove_abandoned_photos


@scheduled_job("survey-photos-cleanup", period=Period.DAILY, not_before=datetime.timedelta(hours=3))
def remove_abandoned_survey_photos(now: datetime.datetime) -> str:
    """Deletes the photos of survey responses never sent, once they are two days old."""
    return f"abandoned survey photos removed: {remove_abandoned_photos(now=now)}"
