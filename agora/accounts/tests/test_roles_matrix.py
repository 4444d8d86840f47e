"""Every cell of docs/roles.md, checked against the code: the document is the rule."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from agora.accounts.models import Department, Organisation, User
from agora.accounts.roles import GROUP_NAMES, Role

ROLES_DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "roles.md"

pytestmark = pytest.mark.django_db


@dataclass
class World:
    home: Any
    own_department: Department
    other_department: Department
    own_organisation: Organisation
    other_organisation: Organisation


def _read_matrix() -> tuple[list[str], dict[str, dict[str, bool]]]:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in ROLES_DOCUMENT.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    ]
    header, *body = rows
    roles = header[1:]
    matrix = {
        row[0]: dict(zip(roles, (cell == "✓" for cell in row[1:]), strict=True)) for row in body
    }
    return roles, matrix


ROLES, MATRIX = _read_matrix()


def _can_add_images_and_documents(user: Any, world: World) -> bool:
    return all(
        policy_registry.get_by_type(model).user_has_permission(user, "add")
        for model in (get_image_model(), get_document_model())
    )


ACTIONS: dict[str, Callable[[Any, World], bool]] = {
    "reach the back-office `/gestion/`": lambda u, w: u.has_perm("wagtailadmin.access_admin"),
    "invite to any role": lambda u, w: u.has_perm("accounts.invite_any_role"),
    "invite to a department they manage": lambda u, w: u.has_perm(
        "accounts.invite_to_department", w.own_department
    ),
    "invite to another department": lambda u, w: u.has_perm(
        "accounts.invite_to_department", w.other_department
    ),
    "manage departments": lambda u, w: u.has_perm("accounts.manage_departments"),
    "verify an organisation": lambda u, w: u.has_perm("accounts.verify_organisation"),
    "read and export the audit log": lambda u, w: u.has_perm("core.view_audit_log"),
    "change the branding settings": lambda u, w: (
        u.has_perm("core.edit_branding") and u.has_perm("core.change_branding")
    ),
    "edit and publish pages and news": lambda u, w: w.home.permissions_for_user(u).can_publish(),
    "edit the services catalogue": lambda u, w: u.has_perm("pages.change_serviceentry"),
    "add images and documents": _can_add_images_and_documents,
    "create an organisation profile": lambda u, w: u.has_perm("accounts.create_organisation"),
    "act for an organisation they represent": lambda u, w: (
        u.has_perm("accounts.act_for_organisation", w.own_organisation)
        and not u.has_perm("accounts.act_for_organisation", None)
    ),
    "act for another organisation": lambda u, w: u.has_perm(
        "accounts.act_for_organisation", w.other_organisation
    ),
    "download their own data": lambda u, w: u.has_perm("accounts.export_own_data"),
    "delete their own account": lambda u, w: u.has_perm("accounts.delete_own_account"),
}

ROLE_OF_COLUMN = {
    "administrator": Role.ADMINISTRATOR,
    "department manager": Role.DEPARTMENT_MANAGER,
    "project moderator": Role.PROJECT_MODERATOR,
    "communications": Role.COMMUNICATIONS,
    "clerk": Role.CLERK,
    "elected official": Role.ELECTED_OFFICIAL,
}


@pytest.fixture
def world(home) -> World:
    return World(
        home=home,
        own_department=Department.objects.create(name="Travaux publics"),
        other_department=Department.objects.create(name="Loisirs"),
        own_organisation=Organisation.objects.create(
            name="Comité du Vieux-Village", kind="committee"
        ),
        other_organisation=Organisation.objects.create(name="Club de soccer", kind="association"),
    )


def _person(column: str, world: World) -> Any:
    if column == "visitor":
        return AnonymousUser()
    user = User.objects.create_user(
        email=f"{column.replace(' ', '-')}@ville.example", first_name="Test", last_name=column
    )
    if column in ROLE_OF_COLUMN:
        role = ROLE_OF_COLUMN[column]
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
        if role == Role.DEPARTMENT_MANAGER:
            world.own_department.managers.add(user)
        if role == Role.PROJECT_MODERATOR:
            world.own_department.members.add(user)
    if column == "organisation representative":
        world.own_organisation.members.add(user)
    return User.objects.get(pk=user.pk)  # fresh, without cached permissions


def test_the_document_lists_every_role_and_every_action():
    assert [*ROLE_OF_COLUMN, "resident", "organisation representative", "visitor"] == ROLES
    assert set(MATRIX) == set(ACTIONS)


@pytest.mark.parametrize("column", ROLES)
def test_each_role_may_do_exactly_what_docs_roles_md_says(world, column):
    """One test per role, asserting every cell of its column (and naming every wrong one)."""
    person = _person(column, world)
    wrong = [
        f"{column} {'should' if expected else 'should not'} be able to: {action}"
        for action, cells in MATRIX.items()
        if ACTIONS[action](person, world) is not (expected := cells[column])
    ]
    assert not wrong, "\n".join(wrong)
