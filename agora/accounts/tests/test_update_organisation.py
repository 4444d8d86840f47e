"""update_organisation(): only its representatives change a profile."""

import pytest
from django.core.exceptions import PermissionDenied

from agora.accounts.models import Organisation
from agora.accounts.organisations import update_organisation
from agora.accounts.tests.team_factories import (
    OrganisationFactory,
    administrator,
    resident,
    verified,
)

pytestmark = pytest.mark.django_db


def _changes(**fields: str) -> dict[str, str]:
    return {
        "name": "Organisme 1",
        "kind": Organisation.Kind.ASSOCIATION,
        "description": "Nouvelle description.",
        "website": "",
        **fields,
    }


def test_a_representative_updates_the_profile() -> None:
    person = resident()
    organisation = OrganisationFactory.create(name="Organisme 1", members=[person])

    update_organisation(user=person, organisation=organisation, **_changes())

    organisation.refresh_from_db()
    assert organisation.description == "Nouvelle description."


def test_someone_who_does_not_represent_it_cannot_and_nothing_changes() -> None:
    organisation = OrganisationFactory.create(name="Organisme 1", members=[resident()])

    with pytest.raises(PermissionDenied):
        update_organisation(user=resident(), organisation=organisation, **_changes())

    organisation.refresh_from_db()
    assert organisation.description == "Un organisme du quartier."


def test_an_administrator_does_not_edit_an_organisation_they_do_not_represent() -> None:
    organisation = OrganisationFactory.create(name="Organisme 1", members=[resident()])

    with pytest.raises(PermissionDenied):
        update_organisation(user=administrator(), organisation=organisation, **_changes())


def test_a_verified_profile_stays_verified_when_its_description_changes() -> None:
    person = resident()
    organisation = verified(
        OrganisationFactory.create(name="Organisme 1", members=[person]), by=administrator()
    )

    update_organisation(user=person, organisation=organisation, **_changes())

    organisation.refresh_from_db()
    assert organisation.is_verified


@pytest.mark.parametrize("change", [{"name": "Autre nom"}, {"website": "https://a.example.org"}])
def test_a_verified_profile_that_changes_name_or_website_must_be_verified_again(
    change: dict[str, str],
) -> None:
    person = resident()
    organisation = verified(
        OrganisationFactory.create(name="Organisme 1", members=[person]), by=administrator()
    )

    update_organisation(user=person, organisation=organisation, **_changes(**change))

    organisation.refresh_from_db()
    assert not organisation.is_verified
    assert organisation.verified_by is None
