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

from agora.accounts import services
from agora.accounts.models import Department, Organisation, User
from agora.accounts.roles import GROUP_NAMES, Role
from agora.alerts.models import Topic, Zone
from agora.citizen_requests.desk_selectors import desk_requests
from agora.citizen_requests.filing import file_request
from agora.citizen_requests.models import (
    CitizenRequest,
    ReplyTemplate,
    RequestService,
    RequestSettings,
    ServiceGroup,
)
from agora.core import held
from agora.core.models import SearchSynonymGroup
from agora.ideas.models import Idea
from agora.pages.models import HomePage
from agora.participation.approval import ProjectApprovalTask
from agora.participation.models import ProjectIndexPage, ProjectModerator, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory

ROLES_DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "roles.md"

pytestmark = pytest.mark.django_db


@dataclass
class World:
    home: Any
    own_department: Department
    other_department: Department
    own_organisation: Organisation
    other_organisation: Organisation
    project_index: Any
    # Assigned to the moderator, in no department; in the manager's department; in another.
    assigned_project: ProjectPage
    department_project: ProjectPage
    other_project: ProjectPage


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


def _approves(user: Any, project: ProjectPage) -> bool:
    """The approval step offers them its actions, and its approval can publish the page."""
    task = ProjectApprovalTask.objects.get()
    return (
        bool(task.get_actions(project, user)) and project.permissions_for_user(user).can_publish()
    )


def _exports_their_projects(user: Any, world: World) -> bool:
    return any(
        user.has_perm("participation.export_contributions", project)
        for project in (world.assigned_project, world.department_project)
    )


def _survey_of(project: ProjectPage | None = None, department: Department | None = None) -> Any:
    from agora.surveys.models import Survey

    survey, _created = Survey.objects.get_or_create(
        slug=f"sondage-{project.pk if project else 'x'}-{department.pk if department else 'x'}",
        defaults={"title_fr": "Sondage", "project": project, "department": department},
    )
    return survey


def _on_their_surveys(permission: str) -> Callable[[Any, World], bool]:
    def check(user: Any, world: World) -> bool:
        return any(
            user.has_perm(permission, survey)
            for survey in (
                _survey_of(world.assigned_project),
                _survey_of(department=world.own_department),
            )
        )

    return check


def _citizen_request(department: Department | None) -> CitizenRequest:
    """A request of a service of `department` (none: a service without one), filed once."""
    code = f"service-{department.pk if department else 'sans'}"
    found = CitizenRequest.objects.filter(service__code=code).first()
    if found is not None:
        return found
    theme, _created = ServiceGroup.objects.get_or_create(
        slug="voirie", defaults={"name_fr": "Voirie", "name_en": "Roads"}
    )
    service = RequestService.objects.create(
        code=code, name_fr="Nid-de-poule", name_en="Pothole", group=theme, department=department
    )
    return file_request(
        service=service, description="Un trou.", address="1, rue Principale"
    ).request


def _in_their_desk_queue(user: Any, *requests: CitizenRequest) -> bool:
    """The desk's queue (agora/citizen_requests/desk_selectors.py) shows them all these."""
    shown = set(desk_requests(user).values_list("pk", flat=True))
    return user.has_perm("citizen_requests.view_desk") and all(r.pk in shown for r in requests)


def _manages_alert_model(user: Any, permission: str, model: type[Zone | Topic]) -> bool:
    """The alerts' rule, and the /gestion/ screens' policy for every write (alerts/rules.py)."""
    policy = policy_registry.get_by_type(model)
    return user.has_perm(permission) and all(
        policy.user_has_permission(user, action) for action in ("add", "change", "delete")
    )


def _sees_alert_model(user: Any, permission: str, model: type[Zone | Topic]) -> bool:
    policy = policy_registry.get_by_type(model)
    return bool(user.has_perm(permission) and policy.user_has_permission(user, "view"))


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
    # No column is a superuser: only one may (test_only_a_superuser_grants_superuser).
    "grant or remove the superuser flag": lambda u, w: services.may_change_superuser(u),
    "read and export the audit log": lambda u, w: u.has_perm("core.view_audit_log"),
    "change the branding settings": lambda u, w: (
        u.has_perm("core.edit_branding") and u.has_perm("core.change_branding")
    ),
    "edit the synonyms of the site search": lambda u, w: (
        u.has_perm("core.edit_search_synonyms")
        and policy_registry.get_by_type(SearchSynonymGroup).user_has_permission(u, "change")
    ),
    "edit and publish pages and news": lambda u, w: w.home.permissions_for_user(u).can_publish(),
    "edit the services catalogue": lambda u, w: u.has_perm("pages.change_serviceentry"),
    "manage the catalogue of citizen requests: themes, services and their questions": (
        lambda u, w: (
            u.has_perm("citizen_requests.manage_services")
            and all(
                policy_registry.get_by_type(model).user_has_permission(u, action)
                for model in (ServiceGroup, RequestService)
                for action in ("add", "change", "delete", "view")
            )
        )
    ),
    "change the municipality's boundary for citizen requests": lambda u, w: (
        u.has_perm("citizen_requests.manage_services")
        and policy_registry.get_by_type(RequestSettings).user_has_permission(u, "change")
    ),
    "see the requests desk queue with their departments' requests": lambda u, w: (
        _in_their_desk_queue(u, _citizen_request(w.own_department))
    ),
    "see every request in the requests desk queue": lambda u, w: _in_their_desk_queue(
        u,
        _citizen_request(w.own_department),
        _citizen_request(w.other_department),
        _citizen_request(None),
    ),
    "handle a request of their department: change its status, assign it, write notes and "
    "replies, count or discard its held voices": lambda u, w: u.has_perm(
        "citizen_requests.handle_request", _citizen_request(w.own_department)
    ),
    "handle a request of another department": lambda u, w: u.has_perm(
        "citizen_requests.handle_request", _citizen_request(w.other_department)
    ),
    "manage the standard replies of citizen requests": lambda u, w: (
        u.has_perm("citizen_requests.manage_reply_templates")
        and all(
            policy_registry.get_by_type(ReplyTemplate).user_has_permission(u, action)
            for action in ("add", "change", "delete", "view")
        )
    ),
    "issue and revoke Open311 API keys": lambda u, w: u.has_perm(
        "citizen_requests.manage_open311_keys"
    ),
    "see the requests indicators dashboard": lambda u, w: u.has_perm(
        "citizen_requests.view_indicators_dashboard"
    ),
    "manage the alert zones: add, change, delete and import them": lambda u, w: (
        _manages_alert_model(u, "alerts.manage_zones", Zone)
    ),
    "see the alert zones": lambda u, w: _sees_alert_model(u, "alerts.view_zones", Zone),
    "manage the alert topics: add, change and delete them": lambda u, w: _manages_alert_model(
        u, "alerts.manage_topics", Topic
    ),
    "see the alert topics": lambda u, w: _sees_alert_model(u, "alerts.view_topics", Topic),
    "write alerts, send and schedule them, send themselves a test": lambda u, w: (
        u.has_perm("alerts.compose_alerts") and u.has_perm("alerts.send_alerts")
    ),
    "approve an emergency alert written by someone else": lambda u, w: u.has_perm(
        "alerts.approve_alerts"
    ),
    "see the alerts' delivery reports and subscriber statistics, download them": lambda u, w: (
        u.has_perm("alerts.view_reports")
    ),
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
    "create a project": lambda u, w: w.project_index.permissions_for_user(u).can_add_subpage(),
    "edit a project assigned to them": lambda u, w: w.assigned_project.permissions_for_user(
        u
    ).can_edit(),
    "edit another project": lambda u, w: w.other_project.permissions_for_user(u).can_edit(),
    "moderate the contributions of a project assigned to them": lambda u, w: u.has_perm(
        "participation.moderate_project", w.assigned_project
    ),
    "moderate the contributions of another project": lambda u, w: u.has_perm(
        "participation.moderate_project", w.other_project
    ),
    "answer the ideas of a project assigned to them": lambda u, w: u.has_perm(
        "ideas.answer_idea", w.assigned_project
    ),
    "answer the ideas of another project": lambda u, w: u.has_perm(
        "ideas.answer_idea", w.other_project
    ),
    "approve the publication of their department's projects": lambda u, w: _approves(
        u, w.department_project
    ),
    "approve the publication of another department's projects": lambda u, w: _approves(
        u, w.other_project
    ),
    "assign and remove moderators in their department's projects": lambda u, w: u.has_perm(
        "participation.assign_moderators", w.department_project
    ),
    "assign and remove moderators in another department's projects": lambda u, w: u.has_perm(
        "participation.assign_moderators", w.other_project
    ),
    "see the dashboard of a project assigned to them": lambda u, w: u.has_perm(
        "participation.view_project_dashboard", w.assigned_project
    ),
    "see the dashboard of their department's projects": lambda u, w: u.has_perm(
        "participation.view_project_dashboard", w.department_project
    ),
    "see the dashboard of any project": lambda u, w: u.has_perm(
        "participation.view_project_dashboard", w.other_project
    ),
    "export the contributions of their projects or their department's": _exports_their_projects,
    "export contributions with the participants' personal data": lambda u, w: u.has_perm(
        "participation.export_personal_data", w.other_project
    ),
    "build the surveys of a project assigned to them": lambda u, w: u.has_perm(
        "surveys.change_survey", _survey_of(w.assigned_project)
    ),
    "build the surveys of their department": lambda u, w: (
        u.has_perm("surveys.change_survey", _survey_of(department=w.own_department))
        and u.has_perm("surveys.change_survey", _survey_of(w.department_project))
    ),
    "build another department's surveys": lambda u, w: u.has_perm(
        "surveys.change_survey", _survey_of(w.other_project)
    ),
    "submit the surveys of a project assigned to them for approval": lambda u, w: u.has_perm(
        "surveys.submit_survey", _survey_of(w.assigned_project)
    ),
    "approve the surveys of their department": lambda u, w: u.has_perm(
        "surveys.approve_survey", _survey_of(department=w.own_department)
    ),
    "publish and close the surveys of their department": lambda u, w: u.has_perm(
        "surveys.publish_survey", _survey_of(department=w.own_department)
    ),
    "publish and close the surveys of a project assigned to them": lambda u, w: u.has_perm(
        "surveys.publish_survey", _survey_of(w.assigned_project)
    ),
    "change the settings of their department's published surveys": lambda u, w: u.has_perm(
        "surveys.change_published_survey_settings", _survey_of(department=w.own_department)
    ),
    "change the settings of the published surveys of a project assigned to them": (
        lambda u, w: u.has_perm(
            "surveys.change_published_survey_settings", _survey_of(w.assigned_project)
        )
    ),
    "correct the spelling of a choice label of their published surveys with responses": (
        _on_their_surveys("surveys.change_survey")
    ),
    "change the meaning of a choice label of their department's published surveys with "
    "responses": lambda u, w: u.has_perm(
        "surveys.change_answered_choice_meaning", _survey_of(department=w.own_department)
    ),
    "change the meaning of a choice label of the published surveys with responses of a "
    "project assigned to them": lambda u, w: u.has_perm(
        "surveys.change_answered_choice_meaning", _survey_of(w.assigned_project)
    ),
    "see the results of any survey, private ones included": lambda u, w: u.has_perm(
        "surveys.view_survey_results", _survey_of(w.other_project)
    ),
    "export the raw responses of their surveys": _on_their_surveys("surveys.export_raw"),
    "count or discard the responses held on their surveys": _on_their_surveys(
        "surveys.review_held_responses"
    ),
    "count or discard the supports held on the ideas of a project assigned to them": (
        lambda u, w: _reviews_held_supports(u, w.assigned_project)
    ),
    "count or discard the supports held on the ideas of another project": (
        lambda u, w: _reviews_held_supports(u, w.other_project)
    ),
    "publish excerpts of the open answers of their surveys": _on_their_surveys(
        "surveys.publish_excerpt"
    ),
}


def _reviews_held_supports(user: Any, project: Any) -> bool:
    """What the held contributions' screen asks of an idea's supports (core/held.py)."""
    return bool(held.kind_named("ideas.reaction").may_review(user, Idea(project=project)))


ROLE_OF_COLUMN = {
    "administrator": Role.ADMINISTRATOR,
    "department manager": Role.DEPARTMENT_MANAGER,
    "project moderator": Role.PROJECT_MODERATOR,
    "communications": Role.COMMUNICATIONS,
    "clerk": Role.CLERK,
    "elected official": Role.ELECTED_OFFICIAL,
}


@pytest.fixture
def world(home: HomePage, project_index: ProjectIndexPage) -> World:
    own_department = Department.objects.create(name="Travaux publics")
    other_department = Department.objects.create(name="Loisirs")
    return World(
        home=home,
        own_department=own_department,
        other_department=other_department,
        own_organisation=Organisation.objects.create(
            name="Comité du Vieux-Village", kind="committee"
        ),
        other_organisation=Organisation.objects.create(name="Club de soccer", kind="association"),
        project_index=project_index,
        assigned_project=ProjectPageFactory.create(parent=project_index, title="Parc riverain"),
        department_project=ProjectPageFactory.create(
            parent=project_index, title="Réfection de la rue Principale", department=own_department
        ),
        other_project=ProjectPageFactory.create(
            parent=project_index, title="Centre aquatique", department=other_department
        ),
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
            ProjectModerator.objects.create(project=world.assigned_project, user=user)
    if column == "organisation representative":
        world.own_organisation.members.add(user)
    return User.objects.get(pk=user.pk)  # fresh, without cached permissions


def test_the_document_lists_every_role_and_every_action() -> None:
    assert [*ROLE_OF_COLUMN, "resident", "organisation representative", "visitor"] == ROLES
    assert set(MATRIX) == set(ACTIONS)


@pytest.mark.parametrize("column", ROLES)
def test_each_role_may_do_exactly_what_docs_roles_md_says(world: World, column: str) -> None:
    """One test per role, asserting every cell of its column (and naming every wrong one)."""
    person = _person(column, world)
    wrong = [
        f"{column} {'should' if expected else 'should not'} be able to: {action}"
        for action, cells in MATRIX.items()
        if ACTIONS[action](person, world) is not (expected := cells[column])
    ]
    assert not wrong, "\n".join(wrong)


def test_only_a_superuser_grants_superuser() -> None:
    root = User.objects.create_superuser("racine@ville.example", "un-mot-de-passe-solide")

    assert ACTIONS["grant or remove the superuser flag"](root, None)  # type: ignore[arg-type]
