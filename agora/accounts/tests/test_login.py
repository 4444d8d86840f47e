"""A resident logs in with address and password; repeated failures lock the account for a
while, with a message that says so."""

import pytest
from django.test import Client

from agora.accounts.tests.factories import PASSWORD, ResidentFactory
from agora.accounts.tests.support import url
from agora.core.tests.html import find, text_of

pytestmark = pytest.mark.django_db

LOGIN = url("account_login")


def test_a_resident_logs_in_and_lands_on_their_account_page(client: Client) -> None:
    resident = ResidentFactory.create()

    response = client.post(LOGIN, {"login": resident.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == url("account_home")
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_a_wrong_password_is_announced_at_the_top_of_the_form(client: Client) -> None:
    resident = ResidentFactory.create()

    response = client.post(LOGIN, {"login": resident.email, "password": "pas-le-bon"})

    assert response.status_code == 200
    summary = find(response.content, "div", class_="error-summary")
    assert summary["role"] == "alert"
    assert "le mot de passe sont incorrects" in summary.text
    assert "_auth_user_id" not in client.session


def test_too_many_failed_logins_lock_the_account_with_a_clear_message(client: Client) -> None:
    resident = ResidentFactory.create()
    for _attempt in range(5):
        client.post(LOGIN, {"login": resident.email, "password": "pas-le-bon"})

    response = client.post(LOGIN, {"login": resident.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives de connexion échouées" in text_of(response.content)


def test_the_lock_holds_one_account_not_the_others(client: Client) -> None:
    locked, other = ResidentFactory.create(), ResidentFactory.create()
    for _attempt in range(5):
        client.post(LOGIN, {"login": locked.email, "password": "pas-le-bon"})

    client.post(LOGIN, {"login": other.email, "password": PASSWORD})

    assert client.session["_auth_user_id"] == str(other.pk)


def test_the_login_page_offers_a_code_by_email_instead_of_the_password(client: Client) -> None:
    response = client.get(LOGIN)

    link = find(response.content, "a", href=url("account_request_login_code"))
    assert link.text == "Envoyez-moi un code de connexion"
    assert find(response.content, "label", for_="id_password").text == "Mot de passe"
