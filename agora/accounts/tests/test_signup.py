"""A resident signs up with e-mail, password, first and last name; the address is verified by
a link before the account is used."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.models import User
from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.support import last_message_to, link_in, url
from agora.core.tests.html import find, find_all

pytestmark = pytest.mark.django_db

SIGNUP = url("account_signup")


def details(**changes: str) -> dict[str, str]:
    fields = {
        "email": "marie.tremblay@example.org",
        "password1": "trois-pommes-vertes",
        "password2": "trois-pommes-vertes",
        "first_name": "Marie",
        "last_name": "Tremblay",
    }
    return fields | changes


def test_signing_up_sends_a_verification_email_whose_link_verifies_and_logs_in(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, details())

    assert response.status_code == 302
    user = User.objects.get(email="marie.tremblay@example.org")
    assert (user.first_name, user.last_name) == ("Marie", "Tremblay")
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session
    confirmation_page = link_in(last_message_to(user.email), "/confirm-email/")

    assert client.get(confirmation_page).status_code == 200
    response = client.post(confirmation_page)

    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.status_code == 302


def test_the_verification_email_speaks_the_language_of_the_signup_page(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("account_signup", "en"), details(email="alex@example.org"))

    message = last_message_to("alex@example.org")
    assert link_in(message, "/confirm-email/").startswith("/en/")
    assert message.subject == "Please Confirm Your Email Address"


def test_an_address_already_registered_gets_no_second_account_and_its_owner_is_told(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    ResidentFactory.create(email="marie.tremblay@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, details())

    # Nobody learns from the page whether the address has an account (ACCOUNT_PREVENT_ENUMERATION):
    # the page says "check your e-mail" and the owner receives a warning with a reset link.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="marie.tremblay@example.org").count() == 1
    warning = last_message_to("marie.tremblay@example.org")
    assert link_in(warning, url("account_reset_password"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("court-1", "trop court"),
        ("motdepasse", "trop courant"),
        ("4815162342", "entièrement numérique"),
        ("marie.tremblay", "trop semblable"),
    ],
    ids=["too short", "common", "numeric", "like the address"],
)
def test_a_weak_password_is_refused_with_the_reason_and_no_account_is_created(
    client: Client, password: str, message: str
) -> None:
    response = client.post(SIGNUP, details(password1=password, password2=password))

    assert response.status_code == 200
    assert message in find(response.content, "ul", id="id_password1_error").text
    assert message in find(response.content, "div", class_="error-summary").text
    assert not User.objects.exists()
    assert not mail.outbox


def test_two_different_passwords_are_refused(client: Client) -> None:
    response = client.post(SIGNUP, details(password2="trois-pommes-rouges"))

    assert response.status_code == 200
    assert find_all(response.content, "ul", id="id_password2_error")
    assert not User.objects.exists()


def test_the_form_asks_for_address_password_twice_first_and_last_name(client: Client) -> None:
    response = client.get(SIGNUP)

    labels = {label["for"]: label.text for label in find_all(response.content, "label")}
    for field in ("id_email", "id_password1", "id_password2", "id_first_name", "id_last_name"):
        assert labels.get(field), f"{field} has no visible label"
    assert labels["id_first_name"] == "Prénom"
