"""The voice preview of an alert's call script: a WAV made by espeak-ng, the text given on its
standard input, served to the team only."""

from __future__ import annotations

import shutil
import struct
import subprocess
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory, client_of, resident
from agora.alerts import voice_preview
from agora.alerts.models import Alert
from agora.alerts.tests.factories import DraftAlertFactory

pytestmark = pytest.mark.django_db

needs_espeak = pytest.mark.skipif(
    shutil.which(voice_preview.PROGRAM) is None, reason="espeak-ng not installed"
)


def _is_whole_wav(data: bytes) -> bool:
    riff_size = struct.unpack_from("<I", data, 4)[0]
    return data[:4] == b"RIFF" and data[8:12] == b"WAVE" and riff_size == len(data) - 8


@needs_espeak
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Avis d'ébullition : faites bouillir l'eau une minute."),
        ("en", "Boil-water advisory: boil water for one minute."),
    ],
)
def test_the_script_becomes_a_wav_in_each_language(language: str, text: str) -> None:
    wav = voice_preview.render_wav(text, language)

    assert _is_whole_wav(wav)
    assert len(wav) > 10_000  # a few seconds of speech, not an empty file


def test_the_text_goes_on_standard_input_never_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, Any]] = []

    def run(command: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append({"command": command, **options})
        header = b"RIFF" + struct.pack("<I", 0x7FFFFFFF) + b"WAVEdata" + struct.pack("<I", 0)
        return subprocess.CompletedProcess(command, 0, stdout=header + b"\0" * 8, stderr=b"")

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/espeak-ng")
    monkeypatch.setattr(subprocess, "run", run)

    wav = voice_preview.render_wav("--help; rm -rf /", "fr")

    [call] = calls
    assert all("rm -rf" not in part for part in call["command"])
    assert call["input"] == b"--help; rm -rf /"
    assert call["timeout"] == voice_preview.TIMEOUT
    assert "--stdin" in call["command"]
    assert _is_whole_wav(wav)


def test_a_preview_that_takes_too_long_is_given_up(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(command: list[str], **options: Any) -> None:
        raise subprocess.TimeoutExpired(command, options["timeout"])

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/espeak-ng")
    monkeypatch.setattr(subprocess, "run", run)

    with pytest.raises(voice_preview.VoicePreviewError):
        voice_preview.render_wav("Bonjour", "fr")


@needs_espeak
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_team_listens_to_the_preview_of_an_alert(language: str) -> None:
    alert: Alert = DraftAlertFactory.create(
        send_voice=True, voice_script_fr="Bonjour.", voice_script_en="Hello."
    )
    client = client_of(UserFactory.create(roles=[Role.COMMUNICATIONS]))

    response = client.get(reverse("alerts_compose:voice", args=[alert.pk, language]))

    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert _is_whole_wav(response.content)
    detail = client.get(reverse("alerts_compose:detail", args=[alert.pk])).content.decode()
    assert "<audio controls" in detail
    assert reverse("alerts_compose:voice", args=[alert.pk, language]) in detail


def test_who_is_not_on_the_alerts_team_cannot_listen() -> None:
    alert: Alert = DraftAlertFactory.create(send_voice=True)
    url = reverse("alerts_compose:voice", args=[alert.pk, "fr"])

    assert client_of(resident()).get(url).status_code == 403
    assert client_of(UserFactory.create(roles=[Role.PROJECT_MODERATOR])).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page
