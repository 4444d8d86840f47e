"""Every staff screen refuses the same way: `PermissionDenied`, rendered by the one 403 page
of the staff area (agora/accounts/staff.py, agora/core/views.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.test import RequestFactory

from agora.accounts.models import Department, User
from agora.accounts.roles import Role
from agora.accounts.staff import object_or_refuse, staff_user
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    client_of,
    resident,
)

pytestmark = pytest.mark.django_db


def _request(user: User) -> HttpRequest:
    request = RequestFactory().get("/gestion/")
    request.user = user
    return request


def test_a_resident_is_not_a_member_of_the_team() -> None:
    with pytest.raises(PermissionDenied):
        staff_user(_request(resident()))


def test_a_member_of_the_team_is_refused_an_object_they_hold_no_permission_on() -> None:
    department = DepartmentFactory.create()
    clerk = UserFactory.create(roles=[Role.CLERK])
    with pytest.raises(PermissionDenied):
        object_or_refuse(
            _request(clerk), Department, "accounts.invite_to_department", pk=department.pk
        )


def test_the_object_is_returned_once_the_permission_is_held() -> None:
    department = DepartmentFactory.create()
    request = _request(administrator())
    found = object_or_refuse(request, Department, "accounts.invite_to_department", pk=department.pk)
    assert found == department


def test_a_missing_object_is_not_found_before_any_permission_is_asked() -> None:
    with pytest.raises(Http404):
        object_or_refuse(_request(resident()), Department, "accounts.manage_departments", pk=0)


def test_the_staff_area_shows_one_refusal_page() -> None:
    clerk = UserFactory.create(roles=[Role.CLERK])
    response = client_of(clerk).get("/gestion/sondages/")
    assert response.status_code == 403
    assert "core/admin/forbidden.html" in [t.name for t in response.templates]
    assert "Votre rôle ne donne pas accès à cet écran." in response.content.decode()
