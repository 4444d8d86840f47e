"""Équipe → Organisations in /gestion/: administrators list profiles and verify them."""

import pytest

from agora.accounts.models import Organisation
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    OrganisationFactory,
    administrator,
    client_of,
    department_manager,
    resident,
    verified,
)
from agora.core.models import AuditEntry
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

LIST = "/gestion/equipe/organisations/"


def _names_listed(response: ClientResponse) -> list[str]:
    table = find(response.content, "table", class_="listing")
    titles = [find(row, "td", class_="title") for row in find_all(find(table, "tbody"), "tr")]
    return [find_all(title, "a")[0].text for title in titles]


@pytest.fixture
def organisations(home: HomePage) -> tuple[Organisation, Organisation]:
    admin = administrator()
    return OrganisationFactory.create(name="A nouvelle"), verified(
        OrganisationFactory.create(name="B vérifiée"), by=admin
    )


def test_an_administrator_lists_organisations_and_filters_by_verification(
    organisations: tuple[Organisation, Organisation],
) -> None:
    client = client_of(administrator())

    assert _names_listed(client.get(LIST)) == ["A nouvelle", "B vérifiée"]
    assert _names_listed(client.get(f"{LIST}?verified=no")) == ["A nouvelle"]
    assert _names_listed(client.get(f"{LIST}?verified=yes")) == ["B vérifiée"]


def test_only_unverified_organisations_have_a_verify_button(
    organisations: tuple[Organisation, Organisation],
) -> None:
    new, _ = organisations

    response = client_of(administrator()).get(LIST)

    (form,) = find_all(response.content, "form", method="post")
    assert form["action"] == f"{LIST}{new.pk}/verifier/"
    assert find(form, "button").text == "Vérifier"


def test_the_verify_button_verifies_and_it_is_audited(
    organisations: tuple[Organisation, Organisation],
) -> None:
    new, _ = organisations
    admin = administrator()

    response = client_of(admin).post(f"{LIST}{new.pk}/verifier/", follow=True)

    new.refresh_from_db()
    assert new.is_verified
    assert new.verified_by == admin
    assert "A nouvelle est maintenant vérifiée." in text_of(response.content)
    assert AuditEntry.objects.get(action="organisation.verified").actor == admin


def test_an_administrator_reads_a_profile_and_how_to_reach_its_representatives(
    organisations: tuple[Organisation, Organisation],
) -> None:
    new, _ = organisations
    new.members.add(resident(first_name="Rita", last_name="Présidente", email="rita@example.org"))

    response = client_of(administrator()).get(f"{LIST}inspect/{new.pk}/")

    assert response.status_code == 200
    assert "Un organisme du quartier." in text_of(response.content)
    assert "Rita Présidente <rita@example.org>" in text_of(response.content)


@pytest.mark.parametrize("who", ["manager", "resident"])
def test_others_cannot_list_or_verify(
    organisations: tuple[Organisation, Organisation], who: str
) -> None:
    new, _ = organisations
    user = department_manager(DepartmentFactory.create()) if who == "manager" else resident()
    client = client_of(user)

    # A member of the team reads the staff area's refusal; a resident, that the staff area
    # is for the city's team.
    assert client.get(LIST).status_code == 403
    client.post(f"{LIST}{new.pk}/verifier/")

    new.refresh_from_db()
    assert not new.is_verified
    assert not AuditEntry.objects.exists()
