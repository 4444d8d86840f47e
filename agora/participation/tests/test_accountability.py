"""The accountability report ("Ce que nous avons entendu" and "Décision") counts as published
the first time the project page goes live with both sections: the date is kept once, the
audit log says who published it, and a later publication changes nothing."""

import datetime
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture
from wagtail.signals import page_published
from wagtail.test.utils.form_data import rich_text

from agora.accounts.models import User
from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.models import AuditEntry
from agora.participation import publishing_hooks
from agora.participation.accountability import (
    ACTION,
    publish_accountability,
    publish_completed_reports,
)
from agora.participation.models import ProjectPage

pytestmark = pytest.mark.django_db

HEARD = "<p>Vous voulez plus d'arbres et un sentier éclairé.</p>"
DECIDED = "<p>Nous plantons 40 arbres; le sentier sera éclairé en 2027.</p>"


class EditFormFields(HTMLParser):
    """The values the page editor's form would send back as it is."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name") or ""
        if tag == "form" and attributes.get("id") == "page-edit-form":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and name:
            kind = attributes.get("type")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.data.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = [""]
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attributes:
            self.data[self._select].append(attributes.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data


def publish_from_the_editor(
    client: Client, page: ProjectPage, **rich_text_fields: str
) -> ProjectPage:
    """A staff member opens the page in /gestion/, fills rich text fields and publishes."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = EditFormFields()
    form.feed(client.get(url).content.decode())
    data = dict(form.data)
    for name, value in rich_text_fields.items():
        data[name] = [rich_text(value)]
    data["action-publish"] = ["action-publish"]
    response = client.post(url, data)
    assert response.status_code == 302, "the editor refused to publish"
    published: ProjectPage = ProjectPage.objects.get(pk=page.pk)
    return published


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to("2026-04-15 10:00:00-04:00", tick=False)
    return time_machine


@pytest.fixture
def staff(clock: TimeMachineFixture, project: ProjectPage) -> User:
    return administrator()


@pytest.fixture
def editor(staff: User) -> Client:
    return client_of(staff)


def test_publishing_both_sections_marks_the_report_published_once(
    clock: TimeMachineFixture, project: ProjectPage, staff: User, editor: Client
) -> None:
    page = publish_from_the_editor(editor, project, what_we_heard=HEARD, decision=DECIDED)

    assert page.accountability_published_at is not None
    assert page.accountability_published_at.isoformat() == "2026-04-15T14:00:00+00:00"
    (entry,) = AuditEntry.objects.filter(action=ACTION)
    assert entry.actor == staff
    assert entry.object_id == str(project.pk)

    clock.move_to("2026-04-20 10:00:00-04:00", tick=False)
    page = publish_from_the_editor(editor, page, decision="<p>Nous plantons 60 arbres.</p>")

    assert page.accountability_published_at is not None
    assert page.accountability_published_at.isoformat() == "2026-04-15T14:00:00+00:00"
    assert AuditEntry.objects.filter(action=ACTION).count() == 1


def test_publishing_one_section_only_publishes_no_report(
    project: ProjectPage, editor: Client
) -> None:
    page = publish_from_the_editor(editor, project, what_we_heard=HEARD)

    assert page.accountability_published_at is None
    assert not AuditEntry.objects.filter(action=ACTION).exists()


def test_empty_paragraphs_do_not_count_as_a_section(project: ProjectPage, editor: Client) -> None:
    page = publish_from_the_editor(editor, project, what_we_heard=HEARD, decision="<p></p>")

    assert page.accountability_published_at is None


def test_every_publication_of_a_project_reaches_the_service() -> None:
    assert page_published.has_listeners(ProjectPage)
    assert page_published.disconnect(dispatch_uid="agora-participation-accountability")
    page_published.connect(
        publishing_hooks.publish_accountability_report,
        dispatch_uid="agora-participation-accountability",
    )


def test_a_draft_report_is_not_published(clock: TimeMachineFixture, project: ProjectPage) -> None:
    page = ProjectPage.objects.get(pk=project.pk)
    page.what_we_heard, page.decision = HEARD, DECIDED
    page.save_revision()  # saved as a draft, not published

    assert publish_accountability(project=project, actor=None) is False
    assert ProjectPage.objects.get(pk=project.pk).accountability_published_at is None


def test_publishing_the_english_page_marks_the_french_report(
    clock: TimeMachineFixture, project: ProjectPage, english_project: ProjectPage
) -> None:
    ProjectPage.objects.filter(pk=project.pk).update(what_we_heard=HEARD, decision=DECIDED)

    assert publish_accountability(project=english_project, actor=None) is True

    assert ProjectPage.objects.get(pk=project.pk).accountability_published_at is not None
    # The English page says the same: the report is published.
    assert ProjectPage.objects.get(pk=english_project.pk).accountability_published_at is not None


def test_a_report_published_while_the_signal_could_not_run_is_caught_by_the_daily_run(
    clock: TimeMachineFixture, project: ProjectPage
) -> None:
    page = ProjectPage.objects.get(pk=project.pk)
    page.what_we_heard, page.decision = HEARD, DECIDED
    page_published.disconnect(dispatch_uid="agora-participation-accountability")
    try:
        page.save_revision().publish()
    finally:
        page_published.connect(
            publishing_hooks.publish_accountability_report,
            dispatch_uid="agora-participation-accountability",
        )
    assert ProjectPage.objects.get(pk=project.pk).accountability_published_at is None

    clock.move_to("2026-04-16 07:00:00-04:00", tick=False)
    assert publish_completed_reports() == 1
    assert publish_completed_reports() == 0

    page = ProjectPage.objects.get(pk=project.pk)
    assert page.accountability_published_at.isoformat() == "2026-04-16T11:00:00+00:00"
    (entry,) = AuditEntry.objects.filter(action=ACTION)
    assert entry.actor is None
    assert entry.details["noticed_by"] == "send_participation_emails"


def test_a_later_publication_from_an_older_revision_keeps_the_date(
    clock: TimeMachineFixture, project: ProjectPage
) -> None:
    page = ProjectPage.objects.get(pk=project.pk)
    page.what_we_heard, page.decision = HEARD, DECIDED
    page.save_revision().publish()
    draft = ProjectPage.objects.get(pk=project.pk).get_latest_revision_as_object()

    clock.shift(datetime.timedelta(days=3))
    draft.title = "Parc riverain (bilan)"
    draft.save_revision().publish()

    page = ProjectPage.objects.get(pk=project.pk)
    assert page.title == "Parc riverain (bilan)"
    assert page.accountability_published_at is not None
    assert page.accountability_published_at.isoformat() == "2026-04-15T14:00:00+00:00"
