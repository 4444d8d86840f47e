"""create_organisation(): a resident creates a profile and becomes its representative."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from agora.accounts.models import Organisation
from agora.accounts.organisations import create_organisation
from agora.accounts.tests.team_factories import resident

pytestmark = pytest.mark.django_db


def test_a_resident_creates_an_organisation_and_represents_it() -> None:
    person = resident()

    organisation = create_organisation(
        user=person,
        name="  Comité du parc Lafontaine ",
        kind=Organisation.Kind.COMMITTEE,
        description="Les voisins du parc.",
        website="https://parc.example.org",
    )

    assert organisation.name == "Comité du parc Lafontaine"
    assert organisation.created_by == person
    assert list(organisation.members.all()) == [person]
    assert not organisation.is_verified
    assert person.has_perm("accounts.act_for_organisation", organisation)


def test_a_new_profile_is_not_verified() -> None:
    organisation = create_organisation(
        user=resident(), name="Entreprise", kind=Organisation.Kind.BUSINESS
    )

    assert organisation.verified_at is None


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "", "kind": "association"},
        {"name": "Club", "kind": "secte"},
        {"name": "Club", "kind": "association", "website": "pas une adresse"},
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        create_organisation(user=resident(), **fields)

    assert not Organisation.objects.exists()


def test_a_visitor_cannot_create_an_organisation() -> None:
    with pytest.raises(PermissionDenied):
        # The view never passes a visitor who is not logged in; the service refuses one all the same.
        create_organisation(user=AnonymousUser(), name="Club", kind="association")  # type: ignore[arg-type]

    assert not Organisation.objects.exists()
