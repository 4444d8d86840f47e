"""The link that confirms a participant's address carries only a random token (security test
finding): the address never appears in it, even encoded, so it cannot land in server or
proxy logs; the link is good once and for two days, and only its hash is kept."""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import re
from urllib.parse import unquote

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.services import delete_account, export_personal_data
from agora.accounts.tests.factories import ResidentFactory
from agora.core.models import EmailVerification, Participant
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

VERIFY = "/fr/participants/courriel/"
ADDRESS = "lucie.tremblay@exemple.ca"
REFUSAL = "Ce lien ne fonctionne plus"


def ask_for_link(
    client: Client,
    captured: DjangoCaptureOnCommitCallbacks,
    email: str = ADDRESS,
) -> str:
    with captured(execute=True):
        client.post(VERIFY, {"email": email, "next": "/fr/projets/"})
    body = str(mail.outbox[-1].body)
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, body
    return match.group(1)


def decoded_pieces(link: str) -> list[bytes]:
    """Every piece of the link that decodes as base64 (as a signed token's payload does)."""
    decoded = []
    for piece in re.split(r"[/?&=.:]", unquote(link)):
        for alphabet in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                decoded.append(alphabet(piece + "=" * (-len(piece) % 4)))
            except (binascii.Error, ValueError):
                continue
    return decoded


def refused(response: ClientResponse) -> bool:
    return response.status_code == 400 and REFUSAL in response.content.decode()


def test_the_link_sent_carries_neither_the_address_nor_its_base64(
    client: Client,
    home: HomePage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    link = ask_for_link(client, django_capture_on_commit_callbacks)

    assert ADDRESS not in unquote(link).lower()
    for encoded in (base64.urlsafe_b64encode, base64.b64encode):
        assert encoded(ADDRESS.encode()).decode().rstrip("=") not in link
    assert not [piece for piece in decoded_pieces(link) if ADDRESS.encode() in piece.lower()]


def test_only_the_hash_of_the_token_is_kept(
    client: Client,
    home: HomePage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    link = ask_for_link(client, django_capture_on_commit_callbacks)
    token = link.split("?")[0].rstrip("/").rsplit("/", 1)[1]

    pending = EmailVerification.objects.get()
    assert pending.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in pending.token_hash


def test_a_link_followed_once_is_refused_the_second_time(
    client: Client,
    home: HomePage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    link = ask_for_link(client, django_capture_on_commit_callbacks)
    assert client.get(link).status_code == 302

    response = Client().get(link)

    assert refused(response)
    assert not EmailVerification.objects.exists()


def test_an_expired_link_is_refused_and_verifies_nothing(
    client: Client,
    home: HomePage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    link = ask_for_link(client, django_capture_on_commit_callbacks)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, minutes=1)):
        response = client.get(link)

    assert refused(response)
    assert Participant.objects.get().email_verified_at is None


def test_a_made_up_token_is_refused(client: Client, home: HomePage) -> None:
    response = client.get(f"{VERIFY}inventé-de-toutes-pièces/")

    assert refused(response)


def test_links_nobody_followed_are_forgotten_once_expired(
    client: Client,
    home: HomePage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ask_for_link(client, django_capture_on_commit_callbacks)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, minutes=1)):
        ask_for_link(Client(), django_capture_on_commit_callbacks, email="paul@exemple.ca")

    assert list(EmailVerification.objects.values_list("email", flat=True)) == ["paul@exemple.ca"]


def test_a_pending_link_is_in_the_persons_export_and_erased_with_the_account(
    client: Client,
    home: HomePage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    resident = ResidentFactory.create(email=ADDRESS)
    ask_for_link(client, django_capture_on_commit_callbacks)
    ask_for_link(Client(), django_capture_on_commit_callbacks, email="paul@exemple.ca")

    exported = export_personal_data(user=resident)["pending_email_verifications"]
    delete_account(user=resident)

    assert [pending["email"] for pending in exported] == [ADDRESS]
    assert "token_hash" not in exported[0]
    assert list(EmailVerification.objects.values_list("email", flat=True)) == ["paul@exemple.ca"]
