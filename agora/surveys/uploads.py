"""Photos residents attach while answering are saved as soon as their section is sent (the
answers wait in the session until the last step). A photo whose response was never sent
belongs to nobody: it is removed after `KEEP_UNSENT` so that nothing a resident gave up on
stays on the city's servers."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone

from agora.core.models import HeldContribution
from agora.surveys.models import Answer
from agora.surveys.questions.file_upload import UPLOAD_FOLDER
from agora.surveys.services import HELD_RESPONSE

# Longer than a session in which someone answers a survey.
KEEP_UNSENT = datetime.timedelta(days=2)


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_in(item)


def _named_by_held_responses() -> set[str]:
    """The photos of responses held for the survey's team: they are sent, not abandoned."""
    payloads = HeldContribution.objects.filter(kind=HELD_RESPONSE).values_list("payload", flat=True)
    return {text for payload in payloads for text in _strings_in(payload)}


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
    kept |= candidates & _named_by_held_responses()
    abandoned = candidates - kept
    for name in abandoned:
        default_storage.delete(name)
    return len(abandoned)
