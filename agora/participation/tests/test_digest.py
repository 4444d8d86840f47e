"""The followers' digest: one message per follower with what is new on the project since
their last digest (updates, a phase that opened, the city's feedback report), in their
language; nothing new, no message; running it twice sends nothing the second time."""

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.participation.followers import send_digests
from agora.participation.models import (
    Phase,
    ProjectFollower,
    ProjectIndexPage,
    ProjectPage,
    ProjectUpdate,
)
from agora.participation.tests.factories import ProjectPageFactory, idea_box_phase

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

START = "2026-03-02 09:00:00-05:00"


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def french_follower(clock: TimeMachineFixture, project: ProjectPage) -> ProjectFollower:
    return ProjectFollower.objects.create(
        project=project, email="lucie@example.org", verified_at=timezone.now()
    )


def publish_update(page: ProjectPage, title: str, body: str, date: datetime.date) -> ProjectPage:
    """An editor adds a progress update and publishes the page."""
    page = ProjectPage.objects.get(pk=page.pk)
    page.updates.add(ProjectUpdate(date=date, title=title, body=body))
    page.save_revision().publish()
    published: ProjectPage = ProjectPage.objects.get(pk=page.pk)
    return published


def digests(captured: DjangoCaptureOnCommitCallbacks, **kwargs: Any) -> list[EmailMessage]:
    mail.outbox.clear()
    with captured(execute=True):
        count = send_digests(**kwargs)
    assert count == len(mail.outbox)
    return list(mail.outbox)


def link(message: EmailMessage, fragment: str) -> str:
    found: list[str] = re.findall(r"https?://\S+", str(message.body))
    matching = [url for url in found if fragment in url]
    assert matching, f"no link with {fragment!r} in:\n{message.body}"
    return matching[0].removeprefix("http://127.0.0.1:8000")


def test_a_follower_gets_the_news_once_and_nothing_after_unsubscribing(
    client: Client,
    clock: TimeMachineFixture,
    project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(project.subpage_url("follow"), {"email": "lucie@example.org"})
    (confirmation,) = mail.outbox
    client.post(link(confirmation, "/confirmer/"))
    assert ProjectFollower.objects.get().is_active

    clock.move_to("2026-03-02 15:00:00-05:00", tick=False)
    publish_update(
        project,
        "Les travaux commencent",
        "<p>Les <b>travaux</b> débutent lundi &amp; dureront deux mois.</p><p>Merci.</p>",
        datetime.date(2026, 3, 2),
    )
    clock.move_to("2026-03-03 07:00:00-05:00", tick=False)
    (digest,) = digests(django_capture_on_commit_callbacks)

    assert digest.to == ["lucie@example.org"]
    assert "Parc riverain" in digest.subject
    assert "Les travaux commencent" in digest.body
    assert "Les travaux débutent lundi & dureront deux mois.\n\nMerci." in digest.body
    assert "<" not in digest.body
    assert "http://127.0.0.1:8000/fr/projets/parc-riverain/" in digest.body
    assert ProjectFollower.objects.get().last_digest_at == timezone.now()
    assert ProjectUpdate.objects.get().announced_at == timezone.now()

    assert digests(django_capture_on_commit_callbacks) == []

    client.post(link(digest, "/desabonnement/"))
    publish_update(project, "Deuxième nouvelle", "<p>Suite.</p>", datetime.date(2026, 3, 3))
    clock.move_to("2026-03-04 07:00:00-05:00", tick=False)
    assert digests(django_capture_on_commit_callbacks) == []


def test_an_unconfirmed_follower_gets_nothing(
    clock: TimeMachineFixture,
    project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ProjectFollower.objects.create(project=project, email="pas-confirme@example.org")
    publish_update(project, "Nouvelle", "<p>Texte.</p>", datetime.date(2026, 3, 2))

    assert digests(django_capture_on_commit_callbacks) == []
    # The update is dealt with: confirming later does not bring back old news.
    assert ProjectUpdate.objects.get().announced_at is not None


def test_nothing_new_sends_nothing(
    french_follower: ProjectFollower,
    clock: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    clock.move_to("2026-03-03 07:00:00-05:00", tick=False)

    assert digests(django_capture_on_commit_callbacks) == []
    french_follower.refresh_from_db()
    assert french_follower.last_digest_at is None


def test_a_phase_that_opened_since_the_last_digest_is_announced_once(
    clock: TimeMachineFixture,
    project_index: ProjectIndexPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    project = ProjectPageFactory.create(
        parent=project_index,
        title="Bibliothèque",
        phases=[
            idea_box_phase(),
            Phase(
                name="Atelier public",
                start_date=datetime.date(2026, 3, 10),
                end_date=datetime.date(2026, 3, 20),
                description="Venez en discuter au centre communautaire.",
                method="information",
            ),
        ],
    )
    ProjectFollower.objects.create(
        project=project, email="lucie@example.org", verified_at=timezone.now()
    )
    clock.move_to("2026-03-09 07:00:00-04:00", tick=False)
    assert digests(django_capture_on_commit_callbacks) == []

    clock.move_to("2026-03-10 07:00:00-04:00", tick=False)
    (digest,) = digests(django_capture_on_commit_callbacks)

    assert "Atelier public" in digest.body
    assert "10 mars 2026" in digest.body
    assert "20 mars 2026" in digest.body
    assert "Venez en discuter" in digest.body
    assert "Boîte à idées" not in digest.body  # opened before the subscription

    clock.move_to("2026-03-11 07:00:00-04:00", tick=False)
    assert digests(django_capture_on_commit_callbacks) == []


def test_the_published_feedback_report_is_announced(
    french_follower: ProjectFollower,
    clock: TimeMachineFixture,
    project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    clock.move_to("2026-03-05 10:00:00-05:00", tick=False)
    ProjectPage.objects.filter(pk=project.pk).update(accountability_published_at=timezone.now())
    clock.move_to("2026-03-06 07:00:00-05:00", tick=False)

    (digest,) = digests(django_capture_on_commit_callbacks)

    assert "rétroaction" in digest.subject
    assert "décision" in digest.body
    assert digests(django_capture_on_commit_callbacks) == []


def test_an_english_follower_reads_the_english_update_and_links(
    clock: TimeMachineFixture,
    project: ProjectPage,
    english_project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    follower = ProjectFollower.objects.create(
        project=project, email="sam@example.org", language="en", verified_at=timezone.now()
    )
    publish_update(
        project, "Les travaux commencent", "<p>En français.</p>", datetime.date(2026, 3, 2)
    )
    publish_update(english_project, "Work begins", "<p>In English.</p>", datetime.date(2026, 3, 2))

    (digest,) = digests(django_capture_on_commit_callbacks)

    assert "Riverside park" in digest.subject
    assert "Work begins" in digest.body
    assert "In English." in digest.body
    assert "Les travaux commencent" not in digest.body
    assert "http://127.0.0.1:8000/en/projects/riverside-park/" in digest.body
    assert re.search(rf"http://127.0.0.1:8000/en/\S+/{follower.token}/", str(digest.body))


def test_an_update_not_translated_yet_reaches_english_followers_in_french(
    clock: TimeMachineFixture,
    project: ProjectPage,
    english_project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ProjectFollower.objects.create(
        project=project, email="sam@example.org", language="en", verified_at=timezone.now()
    )
    publish_update(
        project, "Les travaux commencent", "<p>En français.</p>", datetime.date(2026, 3, 2)
    )

    (digest,) = digests(django_capture_on_commit_callbacks)

    assert "Les travaux commencent" in digest.body
    assert "/en/projects/riverside-park/" in digest.body


def test_publishing_the_page_again_does_not_announce_an_update_twice(
    french_follower: ProjectFollower,
    clock: TimeMachineFixture,
    project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    page = publish_update(project, "Nouvelle", "<p>Texte.</p>", datetime.date(2026, 3, 2))
    draft = page.get_latest_revision_as_object()  # the editor opens the page
    assert len(digests(django_capture_on_commit_callbacks)) == 1

    clock.move_to("2026-03-03 07:00:00-05:00", tick=False)
    draft.title = "Parc riverain (révisé)"
    draft.save_revision().publish()

    assert digests(django_capture_on_commit_callbacks) == []


def test_followers_of_an_unpublished_project_get_nothing(
    french_follower: ProjectFollower,
    clock: TimeMachineFixture,
    project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    publish_update(project, "Nouvelle", "<p>Texte.</p>", datetime.date(2026, 3, 2))
    project.unpublish()

    assert digests(django_capture_on_commit_callbacks) == []


def test_each_project_sends_its_own_digest(
    clock: TimeMachineFixture,
    project: ProjectPage,
    project_index: ProjectIndexPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    other = ProjectPageFactory.create(parent=project_index, title="Bibliothèque")
    for page in (project, other):
        ProjectFollower.objects.create(
            project=page, email="lucie@example.org", verified_at=timezone.now()
        )
        publish_update(
            page, f"Nouvelle de {page.title}", "<p>Texte.</p>", datetime.date(2026, 3, 2)
        )

    sent = digests(django_capture_on_commit_callbacks)

    assert sorted(message.subject for message in sent) == [
        "Du nouveau sur le projet « Bibliothèque »",
        "Du nouveau sur le projet « Parc riverain »",
    ]
