"""Settings come from the environment: a city's IT person who mistypes a value learns at
start-up which variable to fix, production refuses to start without its secrets, and the
production configuration passes Django's deployment checklist."""

import secrets
import stat
import subprocess
from pathlib import Path

import pytest

from tests.processes import run_python

SETUP = "import django; django.setup()"
PRINT_SECRET_KEY = SETUP + "; from django.conf import settings; print(settings.SECRET_KEY)"


def strong_secret_key() -> str:
    return secrets.token_urlsafe(64)


def start(
    tmp_path: Path, code: str = SETUP, *args: str, **variables: str
) -> subprocess.CompletedProcess[str]:
    """Starts Django in a clean environment holding only `variables`."""
    return run_python(tmp_path, args or ("-c", code), **variables)


def production(**variables: str) -> dict[str, str]:
    return {
        "AGORA_PRODUCTION": "true",
        "SECRET_KEY": strong_secret_key(),
        "ALLOWED_HOSTS": "agora.example.org",
        **variables,
    }


def test_development_starts_with_no_environment_at_all(tmp_path: Path) -> None:
    result = start(tmp_path)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://agora@db.example.org/agora"),
        ("DATABASE_URL", "not a url"),
        ("DEBUG", "maybe"),
        ("AGORA_PRODUCTION", "perhaps"),
        ("EMAIL_PORT", "abc"),
        ("EMAIL_PORT", "0"),
        ("MEDIA_STORAGE", "ftp"),
        ("REDIS_URL", "http://x"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_start_up_stops_with_a_message_naming_a_mistyped_variable(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = start(tmp_path, **{variable: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Environment variable {variable}" in result.stderr


def test_a_password_in_a_mistyped_url_never_reaches_the_logs(tmp_path: Path) -> None:
    result = start(tmp_path, DATABASE_URL="mysql://agora:s3cr3t-pw@db.example.org/agora")

    assert "Environment variable DATABASE_URL='mysql://agora:***@db.example.org/agora'" in (
        result.stderr
    )
    assert "s3cr3t-pw" not in result.stderr


def test_start_up_stops_when_both_email_encryptions_are_asked_for(tmp_path: Path) -> None:
    result = start(tmp_path, EMAIL_USE_TLS="true", EMAIL_USE_SSL="true")

    assert result.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL" in result.stderr


def test_s3_media_storage_requires_its_bucket(tmp_path: Path) -> None:
    result = start(tmp_path, MEDIA_STORAGE="s3")

    assert result.returncode != 0
    assert "Environment variable S3_BUCKET is required" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    variables = production()
    del variables["SECRET_KEY"]

    result = start(tmp_path, **variables)

    assert result.returncode != 0
    assert "Environment variable SECRET_KEY is required" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize("weak_key", ["too-short", "a" * 80])
def test_production_refuses_a_weak_secret_key(tmp_path: Path, weak_key: str) -> None:
    result = start(tmp_path, **production(SECRET_KEY=weak_key))

    assert result.returncode != 0
    assert "Environment variable SECRET_KEY is too weak" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path: Path) -> None:
    variables = production()
    del variables["ALLOWED_HOSTS"]

    result = start(tmp_path, **variables)

    assert result.returncode != 0
    assert "Environment variable ALLOWED_HOSTS is required in production" in result.stderr


def test_production_starts_with_its_secrets_and_turns_debug_off(tmp_path: Path) -> None:
    code = SETUP + "; from django.conf import settings; print(settings.DEBUG, settings.SITE_URL)"

    result = start(tmp_path, code, **production())

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "https://agora.example.org"]


def test_development_generates_a_secret_key_once_and_keeps_it_private(tmp_path: Path) -> None:
    first = start(tmp_path, PRINT_SECRET_KEY)
    second = start(tmp_path, PRINT_SECRET_KEY)

    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "var" / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert first.stdout.strip() == key
    assert second.stdout.strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_secret_key_from_the_environment_wins_in_development(tmp_path: Path) -> None:
    key = strong_secret_key()

    result = start(tmp_path, PRINT_SECRET_KEY, SECRET_KEY=key)

    assert result.stdout.strip() == key
    assert not (tmp_path / "var" / "secret_key").exists()


def test_production_settings_pass_the_deployment_checklist(tmp_path: Path) -> None:
    result = start(
        tmp_path, SETUP, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **production()
    )

    assert result.returncode == 0, result.stderr + result.stdout


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    result = start(tmp_path, SETUP, "manage.py", "makemigrations", "--check", "--dry-run")

    assert result.returncode == 0, result.stdout + result.stderr
