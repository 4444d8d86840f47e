"""A resident who forgot their password logs in with a one-time code sent by e-mail."""

import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.support import code_in, last_message_to, url
from agora.core.tests.html import find

pytestmark = pytest.mark.django_db


def request_code(client: Client, email: str, capture: DjangoCaptureOnCommitCallbacks) -> None:
    with capture(execute=True):
        response = client.post(url("account_request_login_code"), {"email": email})
    assert response.status_code == 302
    assert response["Location"].startswith(url("account_confirm_login_code"))


def test_a_resident_logs_in_with_the_code_sent_to_their_address(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    resident = ResidentFactory.create()
    request_code(client, resident.email, django_capture_on_commit_callbacks)
    code = code_in(last_message_to(resident.email))

    response = client.post(url("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_a_wrong_code_is_refused_with_a_message(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    resident = ResidentFactory.create()
    request_code(client, resident.email, django_capture_on_commit_callbacks)

    response = client.post(url("account_confirm_login_code"), {"code": "ZZZZZZ"})

    assert response.status_code == 200
    assert find(response.content, "ul", id="id_code_error").text == "Code incorrect."
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_gets_the_same_page_and_no_code(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    request_code(client, "personne@example.org", django_capture_on_commit_callbacks)

    response = client.get(url("account_confirm_login_code"))

    assert response.status_code == 200
