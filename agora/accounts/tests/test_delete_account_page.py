"""The deletion page: the resident types their address to confirm; the account is deleted,
they are logged out and shown a confirmation. Administrators are told why they cannot."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from agora.accounts.models import User
from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.support import url
from agora.core.tests.html import find, find_all, text_of

pytestmark = pytest.mark.django_db

PAGE = url("account_delete")


def test_typing_ones_address_deletes_the_account_and_logs_out(client: Client) -> None:
    resident = ResidentFactory.create(email="marie@example.org")
    client.force_login(resident)

    response = client.post(PAGE, {"email": "Marie@Example.org "}, follow=True)

    assert response.redirect_chain == [(url("account_deleted"), 302)]
    assert "Votre compte est supprimé" in find(response.content, "h1").text
    assert "_auth_user_id" not in client.session
    resident.refresh_from_db()
    assert resident.deleted_at is not None
    assert resident.public_name == "Ancien participant"


def test_a_wrong_address_deletes_nothing_and_says_so(client: Client) -> None:
    resident = ResidentFactory.create(email="marie@example.org")
    client.force_login(resident)

    response = client.post(PAGE, {"email": "marie@exemple.org"})

    assert response.status_code == 200
    assert "Rien n'a été supprimé" in find(response.content, "ul", id="id_email_error").text
    assert find(response.content, "div", class_="error-summary")["role"] == "alert"
    resident.refresh_from_db()
    assert resident.deleted_at is None
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_the_page_explains_what_goes_and_what_stays(client: Client) -> None:
    client.force_login(ResidentFactory.create())

    response = client.get(PAGE)

    assert "Ancien participant" in text_of(response.content)
    assert find_all(response.content, "a", href=url("account_download_data"))
    assert find(response.content, "label", for_="id_email").text == "Votre adresse courriel"


@pytest.mark.parametrize("kind", ["superuser", "administrator role"])
def test_an_administrator_cannot_delete_their_account_and_is_told_why(
    client: Client, kind: str
) -> None:
    administrator = ResidentFactory.create(email="admin@example.org")
    if kind == "superuser":
        administrator.is_superuser = True
        administrator.save()
    else:
        group = Group.objects.get_or_create(name=GROUP_NAMES[Role.ADMINISTRATOR])[0]
        administrator.groups.add(group)
    client.force_login(administrator)

    page = client.get(PAGE)
    refused = client.post(PAGE, {"email": "admin@example.org"})

    assert "un autre administrateur" in text_of(page.content)
    assert not find_all(page.content, "form", action=PAGE)
    assert refused.status_code == 403
    administrator.refresh_from_db()
    assert administrator.deleted_at is None


def test_a_post_without_the_csrf_token_is_refused() -> None:
    resident = ResidentFactory.create(email="marie@example.org")
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)

    response = client.post(PAGE, {"email": "marie@example.org"})

    assert response.status_code == 403
    assert User.objects.get(pk=resident.pk).deleted_at is None


def test_the_confirmation_page_offers_to_sign_up_again(client: Client) -> None:
    response = client.get(url("account_deleted"))

    assert response.status_code == 200
    assert find_all(response.content, "a", href=url("account_signup"))
