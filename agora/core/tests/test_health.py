"""/health tells a monitoring system whether the portal can serve residents: the database
answers, the task worker keeps up, the cache keeps values. It is never cached. Anyone reads
"ok" or "error"; the version and each check's facts go only to the monitoring's token or to
staff."""

import datetime
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from pytest_django import Settings

from agora import __version__
from agora.accounts.tests.team_factories import UserFactory
from agora.core import health

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TOKEN = "jeton-de-la-surveillance-de-la-ville"
MONITORING = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(autouse=True)
def _monitoring_token(settings: Settings) -> None:
    settings.HEALTH_TOKEN = TOKEN


DATABASE_TASK_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


class UnreachableDatabase:
    vendor = "postgresql"

    def cursor(self) -> None:
        raise OperationalError("could not connect to server: Connection refused")


def enqueue_waiting_task(minutes_ago: int) -> "DBTaskResult[..., Any]":
    enqueued_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    with time_machine.travel(enqueued_at, tick=False):
        return DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="agora.core.tasks.send_email_message",
            backend_name="default",
            queue_name="default",
            run_after=get_date_max(),
        )


def test_health_answers_200_with_each_check_when_all_is_well(client: Client) -> None:
    response = client.get("/health", headers=MONITORING)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert set(body["checks"]) == {"database", "tasks", "cache"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_health_is_never_cached(client: Client) -> None:
    response = client.get("/health", headers=MONITORING)

    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control
    assert "no-store" in cache_control
    assert "max-age=0" in cache_control


def test_health_answers_503_when_the_database_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "connection", UnreachableDatabase())

    response = client.get("/health", headers=MONITORING)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == {"status": "error", "error": "OperationalError"}
    assert body["checks"]["cache"]["status"] == "ok"


def test_health_does_not_reveal_the_error_message(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "connection", UnreachableDatabase())

    response = client.get("/health", headers=MONITORING)

    assert "Connection refused" not in response.content.decode()


def test_health_answers_503_when_the_cache_loses_values(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)

    response = client.get("/health", headers=MONITORING)

    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "error"


def test_health_reports_the_database_task_queue_when_the_worker_keeps_up(
    client: Client, settings: Settings
) -> None:
    settings.TASKS = DATABASE_TASK_QUEUE
    enqueue_waiting_task(minutes_ago=2)

    response = client.get("/health", headers=MONITORING)

    assert response.status_code == 200
    tasks = response.json()["checks"]["tasks"]
    assert tasks["backend"] == "DatabaseBackend"
    assert tasks["ready"] == 1
    assert 100 <= tasks["oldest_ready_seconds"] <= 200


def test_health_answers_503_when_a_task_has_waited_more_than_15_minutes(
    client: Client, settings: Settings
) -> None:
    settings.TASKS = DATABASE_TASK_QUEUE
    enqueue_waiting_task(minutes_ago=16)

    response = client.get("/health", headers=MONITORING)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["tasks"]["status"] == "error"
    assert "worker" in body["checks"]["tasks"]["error"]


def test_the_task_backend_follows_the_tasks_setting(settings: Settings) -> None:
    """Django resets its task backends when TASKS changes (the tests above rely on it)."""
    settings.TASKS = DATABASE_TASK_QUEUE

    assert health.check_task_queue()["backend"] == "DatabaseBackend"


def test_health_only_answers_get(client: Client) -> None:
    assert client.post("/health").status_code == 405


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer devine"}, {"Authorization": TOKEN}],
    ids=["no-token", "wrong-token", "not-bearer"],
)
def test_anyone_else_reads_only_ok_or_error(client: Client, headers: dict[str, str]) -> None:
    response = client.get("/health", headers=headers)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_anyone_else_reads_only_error_when_the_database_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "connection", UnreachableDatabase())

    response = client.get("/health")

    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_without_a_configured_token_no_bearer_reads_the_details(
    client: Client, settings: Settings
) -> None:
    settings.HEALTH_TOKEN = ""

    assert client.get("/health", headers={"Authorization": "Bearer "}).json() == {"status": "ok"}


def test_a_signed_in_resident_reads_only_ok(client: Client) -> None:
    client.force_login(UserFactory.create())

    assert client.get("/health").json() == {"status": "ok"}


def test_staff_read_the_details(client: Client) -> None:
    client.force_login(UserFactory.create(is_staff=True))

    body = client.get("/health").json()

    assert body["version"] == __version__
    assert set(body["checks"]) == {"database", "tasks", "cache"}
