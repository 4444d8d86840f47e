"""Five wrong passwords lock an account, but only from the address (IPv4) or the network
(IPv6 /64) they came from: a stranger who knows a staff member's e-mail cannot lock them out,
and the brute force stays locked wherever it moves within its network."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from agora.accounts.adapter import address_prefix
from agora.accounts.models import User
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

LOGIN = "/fr/compte/login/"
EMAIL = "elu@ville.example"
PASSWORD = "le-bon-mot-de-passe"


@pytest.fixture
def official(home: HomePage) -> User:
    user = User.objects.create_user(email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


def attempt(address: str, password: str) -> tuple[Client, str]:
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"login": EMAIL, "password": password})
    return client, response.content.decode()


def fail_five_times(address: str) -> None:
    for _attempt in range(5):
        attempt(address, "mauvais")


def test_wrong_passwords_lock_the_account_from_their_address(official: User) -> None:
    fail_five_times("203.0.113.7")

    client, page = attempt("203.0.113.7", PASSWORD)

    assert "Trop de tentatives" in page
    assert "_auth_user_id" not in client.session


def test_the_account_holder_still_logs_in_from_elsewhere(official: User) -> None:
    fail_five_times("203.0.113.7")

    client, page = attempt("198.51.100.4", PASSWORD)

    assert "Trop de tentatives" not in page
    assert client.session["_auth_user_id"] == str(official.pk)


def test_the_lock_holds_across_an_ipv6_network(official: User) -> None:
    fail_five_times("2001:db8:1:1::5")

    locked_client, locked = attempt("2001:db8:1:1:ffff::9", PASSWORD)
    elsewhere_client, _page = attempt("2001:db8:1:2::1", PASSWORD)

    assert "Trop de tentatives" in locked
    assert "_auth_user_id" not in locked_client.session
    assert elsewhere_client.session["_auth_user_id"] == str(official.pk)


@pytest.mark.parametrize(
    ("address", "prefix"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:1:abcd::9", "2001:db8:1:1::/64"),
        ("not an address", "not an address"),
    ],
)
def test_address_prefix(address: str, prefix: str) -> None:
    assert address_prefix(address) == prefix
