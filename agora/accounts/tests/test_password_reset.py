"""A resident who forgot their password sets a new one through a link sent by e-mail."""

import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.models import User
from agora.accounts.tests.factories import PASSWORD, ResidentFactory
from agora.accounts.tests.support import last_message_to, link_in, url
from agora.core.tests.html import find, find_all

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-tout-nouveau-secret"


def test_the_emailed_link_lets_the_resident_choose_a_new_password(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    resident = ResidentFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("account_reset_password"), {"email": resident.email})
    assert response["Location"] == url("account_reset_password_done")
    reset_link = link_in(last_message_to(resident.email), "/password/reset/key/")

    form_page = client.get(reset_link, follow=True)
    assert form_page.status_code == 200
    set_password_page = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_page, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password(NEW_PASSWORD)
    assert not resident.check_password(PASSWORD)


def test_a_used_link_no_longer_works(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    resident = ResidentFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("account_reset_password"), {"email": resident.email})
    reset_link = link_in(last_message_to(resident.email), "/password/reset/key/")
    set_password_page = client.get(reset_link, follow=True).redirect_chain[-1][0]
    client.post(set_password_page, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = Client().get(reset_link, follow=True)

    assert find(response.content, "h1").text == "Mauvais jeton d'identification"
    assert not find_all(response.content, "input", type="password")


def test_an_unknown_address_is_not_revealed(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("account_reset_password"), {"email": "personne@example.org"})

    assert response["Location"] == url("account_reset_password_done")
    assert not User.objects.exists()
