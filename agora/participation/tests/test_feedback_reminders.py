"""Reminders that residents are owed feedback: once participation has closed, the project's
moderators are reminded every 7 days, the department's managers too once the promised date
has passed, until the accountability report is published."""

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.accounts.models import Department, User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import DepartmentFactory, UserFactory, department_manager
from agora.participation.models import ProjectIndexPage, ProjectModerator, ProjectPage
from agora.participation.reminders import send_feedback_reminders
from agora.participation.tests.factories import (
    ProjectPageFactory,
    idea_box_phase,
    information_phase,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

CLOSES_ON = datetime.date(2026, 3, 20)
DUE_DATE = datetime.date(2026, 4, 15)


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    return time_machine


@pytest.fixture
def department(db: None) -> Department:
    return DepartmentFactory.create(name="Loisirs et parcs")


@pytest.fixture
def manager(department: Department) -> User:
    return department_manager(department, email="gaston@example.org")


@pytest.fixture
def closing_project(
    clock: TimeMachineFixture, project_index: ProjectIndexPage, department: Department
) -> ProjectPage:
    """An idea box that closes on March 20, feedback promised for April 15."""
    return ProjectPageFactory.create(
        parent=project_index,
        title="Parc riverain",
        slug="parc-riverain",
        department=department,
        feedback_due_date=DUE_DATE,
        phases=[idea_box_phase(end_date=CLOSES_ON)],
    )


@pytest.fixture
def moderator(closing_project: ProjectPage) -> User:
    user = UserFactory.create(roles=[Role.PROJECT_MODERATOR], email="mo@example.org")
    ProjectModerator.objects.create(project=closing_project, user=user)
    return user


def reminders_on(
    clock: TimeMachineFixture, day: str, captured: DjangoCaptureOnCommitCallbacks
) -> list[EmailMessage]:
    clock.move_to(f"{day} 07:00:00-04:00", tick=False)
    mail.outbox.clear()
    with captured(execute=True):
        count = send_feedback_reminders()
    assert count == len(mail.outbox)
    return list(mail.outbox)


def recipients(messages: list[EmailMessage]) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def test_nothing_is_sent_while_participation_is_open(
    clock: TimeMachineFixture,
    moderator: User,
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    assert reminders_on(clock, "2026-03-20", django_capture_on_commit_callbacks) == []


def test_moderators_are_reminded_the_day_after_closing_then_every_week(
    clock: TimeMachineFixture,
    closing_project: ProjectPage,
    moderator: User,
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    (message,) = reminders_on(clock, "2026-03-21", django_capture_on_commit_callbacks)

    assert message.to == ["mo@example.org"]
    assert "Parc riverain" in message.subject
    assert "20 mars 2026" in message.body
    assert "15 avril 2026" in message.body
    assert f"http://127.0.0.1:8000/gestion/pages/{closing_project.pk}/edit/" in message.body
    assert "Ce que nous avons entendu" in message.body
    assert ProjectPage.objects.get(pk=closing_project.pk).last_feedback_reminder_at == (
        timezone.now()
    )

    for day in ("2026-03-22", "2026-03-25", "2026-03-27"):
        assert reminders_on(clock, day, django_capture_on_commit_callbacks) == []
    assert recipients(reminders_on(clock, "2026-03-28", django_capture_on_commit_callbacks)) == [
        "mo@example.org"
    ]


def test_managers_are_reminded_too_once_the_promised_date_has_passed(
    clock: TimeMachineFixture,
    closing_project: ProjectPage,
    moderator: User,
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    assert recipients(reminders_on(clock, "2026-04-11", django_capture_on_commit_callbacks)) == [
        "mo@example.org"
    ]

    sent = reminders_on(clock, "2026-04-18", django_capture_on_commit_callbacks)

    assert recipients(sent) == ["gaston@example.org", "mo@example.org"]
    to_manager = next(message for message in sent if message.to == ["gaston@example.org"])
    assert "Loisirs et parcs" in to_manager.body
    assert "Cette date est passée" in to_manager.body
    assert all("En retard" in message.subject for message in sent)


def test_reminders_stop_once_the_report_is_published(
    clock: TimeMachineFixture,
    closing_project: ProjectPage,
    moderator: User,
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    assert len(reminders_on(clock, "2026-03-21", django_capture_on_commit_callbacks)) == 1
    ProjectPage.objects.filter(pk=closing_project.pk).update(
        accountability_published_at=timezone.now()
    )

    for day in ("2026-03-28", "2026-04-18", "2026-05-30"):
        assert reminders_on(clock, day, django_capture_on_commit_callbacks) == []


def test_without_a_moderator_the_department_managers_are_reminded(
    clock: TimeMachineFixture,
    closing_project: ProjectPage,
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    (message,) = reminders_on(clock, "2026-03-21", django_capture_on_commit_callbacks)

    assert message.to == ["gaston@example.org"]
    assert "aucun modérateur" in message.body


def test_a_person_who_left_is_not_reminded(
    clock: TimeMachineFixture,
    closing_project: ProjectPage,
    moderator: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    moderator.is_active = False
    moderator.save()

    assert reminders_on(clock, "2026-03-21", django_capture_on_commit_callbacks) == []
    assert ProjectPage.objects.get(pk=closing_project.pk).last_feedback_reminder_at is None


def test_a_project_that_only_informs_owes_no_feedback(
    clock: TimeMachineFixture,
    project_index: ProjectIndexPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    project = ProjectPageFactory.create(parent=project_index, phases=[information_phase()])
    user = UserFactory.create(roles=[Role.PROJECT_MODERATOR])
    ProjectModerator.objects.create(project=project, user=user)

    assert reminders_on(clock, "2026-05-01", django_capture_on_commit_callbacks) == []


def test_an_unpublished_project_gets_no_reminder(
    clock: TimeMachineFixture,
    closing_project: ProjectPage,
    moderator: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    closing_project.unpublish()

    assert reminders_on(clock, "2026-03-21", django_capture_on_commit_callbacks) == []
