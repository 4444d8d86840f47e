"""Photos residents attach while answering are saved as soon as their section is sent (the
answers wait in the session until the last step). A photo whose response was never sent
belongs to nobody: it is removed after `KEEP_UNSENT` so that nothing a resident gave up on
stays on the city's servers."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone

from agora.surveys.models import Answer
from agora.surveys.questions.file_upload import UPLOAD_FOLDER

# Longer than a session in which someone answers a survey.
KEEP_UNSENT = datetime.timedelta(days=2)


def remove_abandoned_photos(*, now: datetime.datetime | None = None) -> int:
    """Deletes the uploaded photos older than `KEEP_UNSENT` that no answer names; returns
    how many."""
    now = now or timezone.now()
    try:
        _folders, names = default_storage.listdir(UPLOAD_FOLDER)
    except FileNotFoundError:
        return 0
    candidates = {
        f"{UPLOAD_FOLDER}{name}"
        for name in names
        if default_storage.get_modified_time(f"{UPLOAD_FOLDER}{name}") < now - KEEP_UNSENT
    }
    kept = set(Answer.objects.filter(file__in=candidates).values_list("file", flat=True))
    abandoned = candidates - kept
    for name in abandoned:
        default_storage.delete(name)
    return len(abandoned)
