""" "Mon compte" shows the resident's name and address, links to manage them, their consents,
their organisations, their data and the way to delete the account."""

import itertools

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from agora.accounts import services
from agora.accounts.models import Consent, Organisation
from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.support import url
from agora.core.tests.html import find, find_all, text_of

pytestmark = pytest.mark.django_db

HOME = url("account_home")


def test_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(url("account_login"))


def test_it_shows_name_address_and_links_to_change_them(client: Client) -> None:
    resident = ResidentFactory.create(
        first_name="Marie", last_name="Roy", email="marie@example.org"
    )
    client.force_login(resident)

    response = client.get(HOME)

    text = text_of(response.content)
    assert "Marie Roy" in text
    assert "marie@example.org" in text
    for name in (
        "account_change_name",
        "account_email",
        "account_change_password",
        "mfa_index",
        "account_consents",
        "account_download_data",
        "account_delete",
    ):
        assert find_all(response.content, "a", href=url(name)), name


def test_it_lists_each_consent_with_its_state(client: Client) -> None:
    resident = ResidentFactory.create()
    services.grant_consent(user=resident, purpose=Consent.Purpose.PROJECT_NEWS)
    client.force_login(resident)

    response = client.get(HOME)

    section = find(response.content, "section", aria_labelledby="account-consents")
    assert "Recevoir des nouvelles des projets que je suis : oui, depuis le" in section.text
    assert "Être invité à répondre à des sondages : non" in section.text


def test_it_lists_the_organisations_the_resident_represents(client: Client) -> None:
    resident = ResidentFactory.create()
    Organisation.objects.create(name="Comité du parc", kind="committee").members.add(resident)
    Organisation.objects.create(name="Club d'un autre", kind="association")
    client.force_login(resident)

    response = client.get(HOME)

    section = find(response.content, "section", aria_labelledby="account-organisations")
    assert [item.text for item in find_all(section, "li")] == ["Comité du parc"]


def test_an_administrator_is_told_why_they_cannot_delete_their_account_here(client: Client) -> None:
    administrator = ResidentFactory.create()
    administrator.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[Role.ADMINISTRATOR])[0])
    client.force_login(administrator)

    response = client.get(HOME)

    assert not find_all(response.content, "a", href=url("account_delete"))
    assert "vous ne pouvez pas supprimer votre propre compte" in text_of(response.content)


def test_headings_never_skip_a_level(client: Client) -> None:
    client.force_login(ResidentFactory.create())

    response = client.get(HOME)

    levels = [
        int(element.tag[1])
        for element in find_all(response.content, "*")
        if element.tag in {"h1", "h2", "h3", "h4"}
    ]
    assert levels[0] == 1
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels))
