"""`manage.py send_participation_emails`, run daily: reports published outside the editor
are noticed first (so nobody is reminded of a report that is out), then the feedback
reminders and the followers' digests go out. A second run the same day sends nothing."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory
from agora.participation import tasks
from agora.participation.models import (
    ProjectFollower,
    ProjectIndexPage,
    ProjectModerator,
    ProjectPage,
    ProjectUpdate,
)
from agora.participation.tests.factories import ProjectPageFactory, idea_box_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_project(
    time_machine: TimeMachineFixture, project_index: ProjectIndexPage
) -> ProjectPage:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    project = ProjectPageFactory.create(
        parent=project_index,
        title="Bibliothèque",
        phases=[idea_box_phase(end_date=datetime.date(2026, 3, 20))],
    )
    ProjectModerator.objects.create(
        project=project,
        user=UserFactory.create(roles=[Role.PROJECT_MODERATOR], email="mo@example.org"),
    )
    ProjectFollower.objects.create(
        project=project, email="lucie@example.org", verified_at=timezone.now()
    )
    return project


def run(captured: DjangoCaptureOnCommitCallbacks) -> str:
    mail.outbox.clear()
    output = StringIO()
    with captured(execute=True):
        call_command("send_participation_emails", stdout=output)
    return output.getvalue()


def test_one_run_sends_reminders_and_digests_and_a_second_run_nothing(
    time_machine: TimeMachineFixture,
    closed_project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to("2026-03-21 07:00:00-04:00", tick=False)
    page = ProjectPage.objects.get(pk=closed_project.pk)
    page.updates.add(
        ProjectUpdate(date=datetime.date(2026, 3, 21), title="Merci", body="<p>Bilan.</p>")
    )
    page.save_revision().publish()

    output = run(django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == ["lucie@example.org", "mo@example.org"]
    assert "reminders sent: 1, digests sent: 1" in output
    run(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_a_report_published_by_a_workflow_stops_the_reminders_and_reaches_followers(
    time_machine: TimeMachineFixture,
    closed_project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to("2026-03-21 07:00:00-04:00", tick=False)
    page = ProjectPage.objects.get(pk=closed_project.pk)
    page.what_we_heard = "<p>Vous voulez des heures prolongées.</p>"
    page.decision = "<p>La bibliothèque ouvrira le dimanche.</p>"
    page.save_revision().publish()  # as an approved workflow does

    output = run(django_capture_on_commit_callbacks)

    # Publishing marked the report at once; the daily run finds none left to catch.
    assert "reports published: 0, reminders sent: 0, digests sent: 1" in output
    (digest,) = mail.outbox
    assert digest.to == ["lucie@example.org"]
    assert "rétroaction" in digest.subject


def test_the_tasks_call_the_same_services(
    time_machine: TimeMachineFixture,
    closed_project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to("2026-03-21 07:00:00-04:00", tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.publish_completed_accountability_reports.enqueue().return_value == 0
        assert tasks.send_feedback_reminders.enqueue().return_value == 1
        assert tasks.send_project_digests.enqueue().return_value == 0

    assert [m.to for m in mail.outbox] == [["mo@example.org"]]
