"""The roles of docs/roles.md as the tests of the team's lists need them: one person per column
of the document, given the department they would manage and the projects they would moderate,
how a list of /gestion/ answered them, and the rows it showed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.test import Client

from agora.accounts.models import Department
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    OrganisationFactory,
    UserFactory,
    administrator,
    client_of,
    department_manager,
    resident,
)
from agora.core.tests.html import Element, find, find_all
from agora.core.tests.responses import ClientResponse
from agora.participation.models import ProjectModerator, ProjectPage

ROLES_DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "roles.md"

TEAM_ROLES = {
    "communications": Role.COMMUNICATIONS,
    "clerk": Role.CLERK,
    "elected official": Role.ELECTED_OFFICIAL,
}


def documented_roles() -> list[str]:
    """The columns of the table of docs/roles.md, in its order."""
    header = next(
        line for line in ROLES_DOCUMENT.read_text(encoding="utf-8").splitlines() if line[:2] == "| "
    )
    return [cell.strip() for cell in header.strip().strip("|").split("|")][1:]


def person_of_role(
    role: str, *, department: Department, moderated: Iterable[ProjectPage] = ()
) -> Any:
    """Someone holding `role` (a column of docs/roles.md): the department manager manages
    `department`, the project moderator is assigned to the `moderated` projects."""
    if role == "administrator":
        return administrator()
    if role == "department manager":
        return department_manager(department)
    if role == "project moderator":
        user = UserFactory.create(roles=[Role.PROJECT_MODERATOR])
        for project in moderated:
            ProjectModerator.objects.create(project=project.source, user=user)
        return user
    if role in TEAM_ROLES:
        return UserFactory.create(roles=[TEAM_ROLES[role]])
    if role == "resident":
        return resident()
    if role == "organisation representative":
        user = resident()
        OrganisationFactory.create(members=[user])
        return user
    if role == "visitor":
        return AnonymousUser()
    raise ValueError(f"Unknown role: {role}")


def answer(response: ClientResponse) -> str:
    """ "shown", "refused" (the staff area's one 403 page), "not team" (a signed-in resident
    told that the staff area is the city team's) or "login" (sent to log in)."""
    if response.status_code == 200:
        return "shown"
    templates = [template.name for template in getattr(response, "templates", [])]
    if response.status_code == 403 and "core/admin/forbidden.html" in templates:
        return "refused"
    if response.status_code == 403 and "core/staff_area_refused.html" in templates:
        return "not team"
    if response.status_code == 302 and any(
        word in response["Location"] for word in ("login", "connexion")
    ):
        return "login"
    return f"unexpected {response.status_code}"


def client_for(user: Any) -> Client:
    """A client signed in as `user`, or a visitor's."""
    return client_of(user) if user.is_authenticated else Client()


def listing_rows(html: bytes) -> dict[str, Element]:
    """Each row of a list of /gestion/ by the text of its heading cell."""
    table = find(html, "table", class_="listing")
    return {find(row, "th").text: row for row in find_all(find(table, "tbody"), "tr")}
