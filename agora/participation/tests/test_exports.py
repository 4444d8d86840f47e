"""A project's contributions as CSV and XLSX: the same file for every role allowed to export,
participants' personal data only for administrators, no formula a spreadsheet would run, and
every export in the audit log."""

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import administrator, client_of, resident
from agora.core.models import AuditEntry
from agora.core.tests.responses import ClientResponse
from agora.ideas.models import Idea, IdeaStatus, Reaction
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory
from agora.participation.tests.project_team import (
    another_project,
    in_department,
    manager_of,
    moderator_of,
    role,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

AUTHOR_EMAIL = "auteure@example.org"


def export_url(project: ProjectPage, name: str) -> str:
    return f"/gestion/projets/{project.pk}/export/{name}"


def csv_rows(response: ClientResponse) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def workbook(response: ClientResponse) -> Workbook:
    return load_workbook(io.BytesIO(response.content), read_only=True)


def sheet_rows(book: Workbook, title: str) -> list[list[Any]]:
    return [list(row) for row in book[title].iter_rows(values_only=True)]


@pytest.fixture
def contributions(project: ProjectPage) -> Idea:
    author = ParticipantFactory.create(email=AUTHOR_EMAIL, email_verified_at=timezone.now())
    idea = IdeaFactory.create(
        project=project,
        author=author,
        author_name="Marie",
        title="Des bancs au bord de l'eau",
        status=IdeaStatus.UNDER_STUDY,
        support_count=4,
        comment_count=1,
    )
    CommentFactory.create(idea=idea, author=author, body="Et des fontaines.")
    Reaction.objects.create(idea=idea, participant=ParticipantFactory.create(), kind="support")
    return idea


def test_an_administrator_gets_the_ideas_with_personal_data(
    project: ProjectPage, contributions: Idea
) -> None:
    response = client_of(administrator()).get(export_url(project, "idees.csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, row = csv_rows(response)
    assert "Courriel du participant" in header
    record = dict(zip(header, row, strict=True))
    assert record["Titre"] == "Des bancs au bord de l'eau"
    assert record["Statut"] == "À l'étude"
    assert record["Appuis"] == "4"
    assert record["Nom affiché"] == "Marie"
    assert record["Courriel du participant"] == AUTHOR_EMAIL


def test_a_manager_gets_the_same_file_without_personal_data(
    project: ProjectPage, contributions: Idea
) -> None:
    response = client_of(manager_of(project)).get(export_url(project, "idees.csv"))

    assert response.status_code == 200
    header, row = csv_rows(response)
    assert "Courriel du participant" not in header
    assert "Courriel du compte" not in header
    assert "Nom du compte" not in header
    assert AUTHOR_EMAIL not in response.content.decode("utf-8-sig")
    assert dict(zip(header, row, strict=True))["Titre"] == "Des bancs au bord de l'eau"


def test_the_comments_have_their_own_file(project: ProjectPage, contributions: Idea) -> None:
    response = client_of(moderator_of(project)).get(export_url(project, "commentaires.csv"))

    header, row = csv_rows(response)
    record = dict(zip(header, row, strict=True))
    assert record["Commentaire"] == "Et des fontaines."
    assert record["Idée"] == str(contributions.pk)
    assert AUTHOR_EMAIL not in response.content.decode("utf-8-sig")


def test_the_workbook_holds_ideas_and_comments(project: ProjectPage, contributions: Idea) -> None:
    response = client_of(administrator()).get(export_url(project, "contributions.xlsx"))

    assert response.status_code == 200
    book = workbook(response)
    assert book.sheetnames == ["Idées", "Commentaires"]
    ideas = sheet_rows(book, "Idées")
    assert ideas[1][ideas[0].index("Titre")] == "Des bancs au bord de l'eau"
    assert ideas[1][ideas[0].index("Courriel du participant")] == AUTHOR_EMAIL
    assert sheet_rows(book, "Commentaires")[1][4] == "Et des fontaines."


def test_the_workbook_of_a_moderator_has_no_personal_data(
    project: ProjectPage, contributions: Idea
) -> None:
    response = client_of(moderator_of(project)).get(export_url(project, "contributions.xlsx"))

    book = workbook(response)
    for title in book.sheetnames:
        rows = sheet_rows(book, title)
        assert "Courriel du participant" not in rows[0]
        assert all(AUTHOR_EMAIL not in row for row in rows)


@pytest.mark.parametrize("text", ['=HYPERLINK("https://x.example")', "+1+1", "-2", "@SUM(A1)"])
def test_no_cell_starts_a_formula(project: ProjectPage, text: str) -> None:
    IdeaFactory.create(project=project, title=text, description=text, author_name=text)
    client = client_of(administrator())

    header, row = csv_rows(client.get(export_url(project, "idees.csv")))
    record = dict(zip(header, row, strict=True))
    ideas = sheet_rows(workbook(client.get(export_url(project, "contributions.xlsx"))), "Idées")

    assert record["Titre"] == f"'{text}"
    assert record["Nom affiché"] == f"'{text}"
    assert ideas[1][ideas[0].index("Titre")] == f"'{text}"
    assert ideas[1][ideas[0].index("Description")] == f"'{text}"


def test_every_export_is_in_the_audit_log(project: ProjectPage, contributions: Idea) -> None:
    admin, manager = administrator(), manager_of(project)

    client_of(admin).get(export_url(project, "contributions.xlsx"))
    client_of(manager).get(export_url(project, "idees.csv"))

    entries = {
        entry.actor: entry
        for entry in AuditEntry.objects.filter(action="project.contributions_exported")
    }
    assert entries[admin].details == {
        "format": "xlsx",
        "contents": ["ideas", "comments"],
        "personal_data": True,
    }
    assert entries[manager].details["personal_data"] is False
    assert entries[manager].object_id == str(project.pk)


def test_the_translation_exports_the_same_contributions(
    project: ProjectPage, english_project: ProjectPage, contributions: Idea
) -> None:
    response = client_of(administrator()).get(export_url(english_project, "idees.csv"))

    assert len(csv_rows(response)) == 2


@pytest.mark.parametrize(
    "who",
    [
        "elected official",
        "moderator of another project",
        "manager of another department",
        "communications",
        "resident",
    ],
)
def test_others_cannot_export(project: ProjectPage, contributions: Idea, who: str) -> None:
    in_department(project)
    other = another_project(project)
    people: dict[str, Callable[[], User]] = {
        "elected official": lambda: role(Role.ELECTED_OFFICIAL),
        "moderator of another project": lambda: moderator_of(other),
        "manager of another department": lambda: manager_of(other),
        "communications": lambda: role(Role.COMMUNICATIONS),
        "resident": resident,
    }
    person = people[who]()

    response = client_of(person).get(export_url(project, "idees.csv"))

    assert response.status_code in (302, 403)
    assert not AuditEntry.objects.filter(action="project.contributions_exported").exists()


@pytest.mark.parametrize("name", ["idees.xlsx", "contributions.csv", "tout.csv", "idees.pdf"])
def test_unknown_files_are_not_found(project: ProjectPage, name: str) -> None:
    response = client_of(administrator()).get(export_url(project, name))

    assert response.status_code in (302, 404)
    assert not AuditEntry.objects.filter(action="project.contributions_exported").exists()
