"""E-mail goes through the task queue to a real SMTP server on loopback."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from agora.core.email import enqueue_email
from tests.loopback import Inbox, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_inbox(settings: Settings) -> Iterator[Inbox]:
    with smtp_server() as (inbox, port):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        yield inbox


@pytest.fixture
def database_task_queue(settings: Settings) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }


@pytest.fixture(autouse=True)
def test_templates(settings: Settings) -> None:
    templates = Path(__file__).parent / "templates"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates]}]


def test_a_message_waits_in_the_queue_until_the_worker_delivers_it_over_smtp(
    smtp_inbox: Inbox,
    database_task_queue: None,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The worker closes "old" connections between tasks; inside the test's transaction that
    # would close PostgreSQL's connection (SQLite's in-memory one is never closed).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_email(
            to="resident@example.org",
            template="test_email/message",
            context={"name": "Marie"},
            language="fr",
        )
    assert DBTaskResult.objects.ready().count() == 1
    assert smtp_inbox.messages == []

    call_command("db_worker", batch=True, queue_name="email", startup_delay=False, verbosity=0)

    assert DBTaskResult.objects.successful().count() == 1
    (message,) = smtp_inbox.messages
    assert message["To"] == "resident@example.org"
    assert message["Subject"] == "Bonjour Marie"


def test_a_message_is_rendered_in_the_recipients_language(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_email(
            to="resident@example.org",
            template="test_email/message",
            context={"name": "Sam"},
            language="en",
        )
    (message,) = mail.outbox
    assert message.subject == "Hello Sam"


def test_nothing_is_sent_when_the_change_that_caused_it_is_rolled_back(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_email(
            to="resident@example.org",
            template="test_email/message",
            context={"name": "Sam"},
            language="fr",
        )
    # The transaction never committed: its callbacks are dropped, nothing was sent.
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_subscription_message_offers_one_click_unsubscribe(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    link = "https://ville.example/fr/abonnements/projets/desabonnement/abc/"
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_email(
            to="resident@example.org",
            template="test_email/message",
            context={"name": "Sam"},
            language="fr",
            unsubscribe_url=link,
        )
    (message,) = mail.outbox
    headers = message.message()
    assert headers["List-Unsubscribe"] == f"<{link}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
