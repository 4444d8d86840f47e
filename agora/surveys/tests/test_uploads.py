"""A photo attached to a response that was never sent is removed after two days; a photo
of a sent response, or one still being answered, stays."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from pytest_django import Settings

from agora.surveys.questions.file_upload import UPLOAD_FOLDER
from agora.surveys.tests.factories import QuestionFactory, respond
from agora.surveys.uploads import KEEP_UNSENT, remove_abandoned_photos

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def saved_photo() -> str:
    return default_storage.save(f"{UPLOAD_FOLDER}photo.jpg", ContentFile(b"jpeg", "photo.jpg"))


def test_a_photo_never_sent_is_removed_after_two_days_and_a_sent_one_stays() -> None:
    question = QuestionFactory.create(kind="file_upload")
    abandoned = saved_photo()
    sent = saved_photo()
    respond(question.survey, {question: sent})
    later = timezone.now() + KEEP_UNSENT + datetime.timedelta(minutes=1)

    removed = remove_abandoned_photos(now=later)

    assert removed == 1
    assert not default_storage.exists(abandoned)
    assert default_storage.exists(sent)


def test_a_photo_of_a_response_still_being_answered_stays() -> None:
    recent = saved_photo()

    assert remove_abandoned_photos() == 0
    assert default_storage.exists(recent)


def test_the_daily_command_says_how_many_photos_it_removed() -> None:
    output = io.StringIO()

    call_command("remove_abandoned_survey_photos", stdout=output)

    assert output.getvalue().strip() == "abandoned survey photos removed: 0"
