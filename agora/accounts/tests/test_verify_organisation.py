"""verify_organisation(): an administrator vouches for a profile; it is audited."""

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.accounts.models import User
from agora.accounts.organisations import verify_organisation
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    OrganisationFactory,
    administrator,
    department_manager,
    resident,
    verified,
)
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_administrator_verifies_an_organisation_and_it_is_audited() -> None:
    admin = administrator()
    organisation = OrganisationFactory.create(name="Club de soccer")

    verify_organisation(actor=admin, organisation=organisation)

    organisation.refresh_from_db()
    assert organisation.is_verified
    assert organisation.verified_by == admin
    entry = AuditEntry.objects.get(action="organisation.verified")
    assert entry.actor == admin
    assert entry.object_repr == "Club de soccer"


@pytest.mark.parametrize("who", ["resident", "manager", "representative"])
def test_only_an_administrator_verifies_and_nothing_is_written(who: str) -> None:
    organisation = OrganisationFactory.create()
    actors: dict[str, Callable[[], User]] = {
        "resident": resident,
        "manager": lambda: department_manager(DepartmentFactory.create()),
        "representative": lambda: resident(),
    }
    actor = actors[who]()
    if who == "representative":
        organisation.members.add(actor)

    with pytest.raises(PermissionDenied):
        verify_organisation(actor=actor, organisation=organisation)

    organisation.refresh_from_db()
    assert not organisation.is_verified
    assert not AuditEntry.objects.exists()


def test_an_organisation_is_verified_once() -> None:
    admin = administrator()
    organisation = verified(OrganisationFactory.create(), by=admin)

    with pytest.raises(ValidationError):
        verify_organisation(actor=admin, organisation=organisation)

    assert not AuditEntry.objects.exists()
