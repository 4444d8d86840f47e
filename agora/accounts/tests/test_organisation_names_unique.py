"""Two organisations never share a name as residents read it (case, accents and spaces do
not count): creating or renaming a profile to a taken name is refused on the form, and
nothing is written."""

import importlib
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from agora.accounts.models import Organisation, User
from agora.accounts.tests.team_factories import (
    OrganisationFactory,
    administrator,
    client_of,
    resident,
    verified,
)
from agora.core.names import name_key
from agora.core.tests.html import find, find_all, text_of
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

migration = importlib.import_module("agora.accounts.migrations.0003_organisation_names_are_unique")

CREATE_URL = "/fr/compte/organisations/nouvelle/"
NAME_TAKEN = (
    "Une organisation porte déjà ce nom sur la plateforme (les majuscules, les accents et "
    "les espaces ne comptent pas) : choisissez-en un autre."
)


def _edit_url(organisation: Organisation) -> str:
    return f"/fr/compte/organisations/{organisation.pk}/modifier/"


def _form(**fields: str) -> dict[str, str]:
    return {
        "name": "Comité du parc",
        "kind": "committee",
        "description": "",
        "website": "",
        **fields,
    }


@pytest.fixture
def person(home: HomePage) -> User:
    return resident()


@pytest.fixture
def verified_committee(home: HomePage) -> Organisation:
    return verified(OrganisationFactory.create(name="Comité du parc"), by=administrator())


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Comité du parc", "comite du parc"),
        ("  COMITE   du\tPARC ", "comite du parc"),
        ("Comité\u200b du parc", "comite du parc"),  # a zero-width space
        ("Ｃｏｍｉｔé du parc", "comite du parc"),  # full-width letters
        ("L\u2019Île-Bizard", "l'ile-bizard"),
        ("", ""),
    ],
)
def test_a_name_key_ignores_what_a_reader_does_not_notice(typed: str, key: str) -> None:
    assert name_key(typed) == key


@pytest.mark.parametrize("typed", ["Comité du parc", "comite du parc", "  COMITÉ  DU  PARC "])
def test_creating_an_organisation_under_a_taken_name_is_refused_on_the_form(
    person: User, verified_committee: Organisation, typed: str
) -> None:
    response = client_of(person).post(CREATE_URL, _form(name=typed))

    assert response.status_code == 200
    summary = find(response.content, "div", class_="error-summary")
    assert [a["href"] for a in find_all(summary, "a")] == ["#id_name"]
    assert NAME_TAKEN in text_of(summary)
    assert list(Organisation.objects.all()) == [verified_committee]
    assert not person.organisations.exists()


def test_a_name_no_other_organisation_reads_the_same_is_accepted(
    person: User, verified_committee: Organisation
) -> None:
    response = client_of(person).post(CREATE_URL, _form(name="Comité du parc Jarry"))

    assert response.status_code == 302
    created = Organisation.objects.get(members=person)
    assert (created.name, created.name_key) == ("Comité du parc Jarry", "comite du parc jarry")


def test_renaming_an_organisation_to_a_taken_name_is_refused_and_nothing_changes(
    person: User, verified_committee: Organisation
) -> None:
    own = OrganisationFactory.create(name="Les amis du parc", members=[person])

    response = client_of(person).post(
        _edit_url(own), _form(name="COMITE DU PARC", description="Changée")
    )

    assert response.status_code == 200
    assert NAME_TAKEN in text_of(find(response.content, "div", class_="error-summary"))
    assert "Modifier le profil de Les amis du parc" in text_of(find(response.content, "h1"))
    own.refresh_from_db()
    assert (own.name, own.name_key, own.description) == (
        "Les amis du parc",
        "les amis du parc",
        "Un organisme du quartier.",
    )


def test_a_representative_may_change_the_case_or_accents_of_their_own_name(
    verified_committee: Organisation,
) -> None:
    person = resident()
    verified_committee.members.add(person)

    response = client_of(person).post(_edit_url(verified_committee), _form(name="Comite du Parc"))

    assert response.status_code == 302
    verified_committee.refresh_from_db()
    assert verified_committee.name == "Comite du Parc"
    assert not verified_committee.is_verified  # the city vouched for the name as it was


def test_the_database_refuses_two_organisations_with_the_same_key(
    verified_committee: Organisation,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory.create(name="comité  DU parc")


class _Row:
    def __init__(self, pk: int, name: str) -> None:
        self.pk, self.name, self.name_key = pk, name, ""

    def save(self, update_fields: list[str]) -> None:
        assert update_fields == ["name_key"]


class _Rows(list[_Row]):
    def order_by(self, *fields: str) -> "_Rows":
        return _Rows(sorted(self, key=lambda row: row.pk))

    def only(self, *fields: str) -> "_Rows":
        return self


class _Apps:
    def __init__(self, rows: list[_Row]) -> None:
        self.model: Any = type("Organisation", (), {"objects": _Rows(rows)})

    def get_model(self, app_label: str, model_name: str) -> Any:
        return self.model


def test_the_migration_keys_existing_names_and_suffixes_the_later_duplicates() -> None:
    rows = [_Row(7, "comite du PARC"), _Row(3, "Comité du parc"), _Row(9, "Club de soccer")]

    migration.fill_name_keys(_Apps(rows), None)

    keys = {row.pk: row.name_key for row in rows}
    assert keys == {3: "comite du parc", 7: "comite du parc\n7", 9: "club de soccer"}
    assert len(set(keys.values())) == 3
