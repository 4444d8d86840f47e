"""A resident changes their address: the old one stays the login until the new one is
verified through the link sent to it."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.tests.factories import PASSWORD, ResidentFactory
from agora.accounts.tests.support import last_message_to, link_in, url
from agora.core.tests.html import find

pytestmark = pytest.mark.django_db

NEW_ADDRESS = "marie.nouvelle@example.org"


def ask_for_change(client: Client, capture: DjangoCaptureOnCommitCallbacks) -> None:
    with capture(execute=True):
        response = client.post(url("account_email"), {"action_add": "", "email": NEW_ADDRESS})
    assert response.status_code == 302


def test_the_old_address_stays_until_the_new_one_is_verified(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    resident = ResidentFactory.create()
    client.force_login(resident)

    ask_for_change(client, django_capture_on_commit_callbacks)

    resident.refresh_from_db()
    assert resident.email != NEW_ADDRESS
    assert EmailAddress.objects.get(user=resident, email=NEW_ADDRESS).verified is False
    page = client.get(url("account_email"))
    assert find(page.content, "input", id="current_email")["value"] == resident.email
    assert find(page.content, "input", id="new_email")["value"] == NEW_ADDRESS


def test_the_link_sent_to_the_new_address_makes_it_the_only_one(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    resident = ResidentFactory.create()
    old_address = resident.email
    client.force_login(resident)
    ask_for_change(client, django_capture_on_commit_callbacks)
    confirmation_page = link_in(last_message_to(NEW_ADDRESS), "/confirm-email/")

    client.post(confirmation_page)

    resident.refresh_from_db()
    assert resident.email == NEW_ADDRESS
    assert list(EmailAddress.objects.filter(user=resident).values_list("email", flat=True)) == [
        NEW_ADDRESS
    ]
    assert Client().login(email=NEW_ADDRESS, password=PASSWORD)
    assert not Client().login(email=old_address, password=PASSWORD)


def test_the_current_address_is_shown_read_only_with_a_visible_label(client: Client) -> None:
    resident = ResidentFactory.create()
    client.force_login(resident)

    response = client.get(url("account_email"))

    current = find(response.content, "input", id="current_email")
    assert "readonly" in current.attrs
    assert "name" not in current.attrs
    assert find(response.content, "label", for_="current_email").text
    assert find(response.content, "label", for_="id_email").text
