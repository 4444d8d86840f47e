"""The city's team reaches /gestion/ only with a second factor, and idle sessions end."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.test import Client
from pytest_django import Settings

from agora.accounts.middleware import LAST_ACTIVITY_KEY
from agora.accounts.models import User
from agora.accounts.roles import GROUP_NAMES, Role
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(home: HomePage) -> User:
    user = User.objects.create_user(
        email="moderatrice@ville.example",
        password="un-mot-de-passe-long",
        first_name="Mo",
        last_name="D",
    )
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.PROJECT_MODERATOR]))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def mfa_required(settings: Settings) -> None:
    settings.STAFF_MFA_REQUIRED = True


def test_staff_without_a_second_factor_are_sent_to_set_one_up(
    moderator: User, mfa_required: None
) -> None:
    client = Client()
    client.force_login(moderator)

    response = client.get("/gestion/")

    assert response.status_code == 302
    assert "/totp/activate/" in response["Location"]


def test_staff_with_an_authenticator_app_reach_the_back_office(
    moderator: User, mfa_required: None
) -> None:
    TOTP.activate(moderator, generate_totp_secret())
    client = Client()
    client.force_login(moderator)

    assert client.get("/gestion/").status_code == 200


def test_residents_are_never_asked_for_a_second_factor(home: HomePage, mfa_required: None) -> None:
    resident = User.objects.create_user(email="resident@example.org", password="x" * 12)
    client = Client()
    client.force_login(resident)

    response = client.get("/fr/compte/mon-compte/")

    assert response.status_code == 200


def test_a_staff_session_ends_after_thirty_idle_minutes(
    moderator: User, settings: Settings
) -> None:
    client = Client()
    client.force_login(moderator)
    assert client.get("/fr/compte/mon-compte/").status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - settings.STAFF_SESSION_IDLE_SECONDS - 1
    session.save()

    response = client.get("/fr/compte/mon-compte/")

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/compte/login/")
    assert "_auth_user_id" not in client.session


def test_an_active_staff_session_goes_on(moderator: User, settings: Settings) -> None:
    client = Client()
    client.force_login(moderator)
    client.get("/fr/compte/mon-compte/")
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - settings.STAFF_SESSION_IDLE_SECONDS + 60
    session.save()

    assert client.get("/fr/compte/mon-compte/").status_code == 200


def test_too_many_wrong_passwords_lock_the_account_with_a_clear_message(home: HomePage) -> None:
    User.objects.create_user(email="elu@ville.example", password="le-bon-mot-de-passe")
    client = Client()
    for _attempt in range(5):
        client.post("/fr/compte/login/", {"login": "elu@ville.example", "password": "mauvais"})

    response = client.post(
        "/fr/compte/login/", {"login": "elu@ville.example", "password": "le-bon-mot-de-passe"}
    )

    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()


def test_a_wrong_second_factor_code_is_refused_and_the_right_one_lets_staff_in(
    moderator: User,
) -> None:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    secret = generate_totp_secret()
    TOTP.activate(moderator, secret)
    client = Client()
    response = client.post(
        "/fr/compte/login/",
        {"login": "moderatrice@ville.example", "password": "un-mot-de-passe-long"},
    )
    assert response.status_code == 302
    authenticate_url = response["Location"]
    assert "/2fa/authenticate/" in authenticate_url

    right_code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    wrong_code = "000000" if right_code != "000000" else "111111"
    refused = client.post(authenticate_url, {"code": wrong_code})

    assert refused.status_code == 200
    assert "Code incorrect" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    accepted = client.post(authenticate_url, {"code": right_code})
    assert accepted.status_code == 302
    assert client.session["_auth_user_id"] == str(moderator.pk)
