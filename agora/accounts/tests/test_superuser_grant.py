"""Only a superuser makes someone a superuser: a platform administrator (a group, not a
superuser) is neither offered the checkbox of Wagtail's Users screens nor obeyed when they
post it anyway. Replays the attack through HTTP, second factor included."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from pytest_django import Settings

from agora.accounts import services
from agora.accounts.models import User
from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.tests.team_factories import UserFactory, administrator, client_of
from agora.core.models import AuditEntry
from agora.core.tests.html import find_all
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

USERS = "/gestion/users/"
ACCESS_CHANGED = "user.access_changed"


@pytest.fixture(autouse=True)
def _second_factor_required(settings: Settings) -> None:
    settings.STAFF_MFA_REQUIRED = True


def _logged_in(user: User) -> Client:
    TOTP.activate(user, generate_totp_secret())
    return client_of(user)


def _account(user: User, **fields: object) -> dict[str, object]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        **fields,
    }


def test_a_platform_administrator_is_not_offered_the_superuser_checkbox(home: HomePage) -> None:
    target = UserFactory.create()

    response = _logged_in(administrator()).get(f"{USERS}edit/{target.pk}/")

    assert response.status_code == 200
    assert not find_all(response.content, "input", name="is_superuser")
    assert find_all(response.content, "input", name="groups")


def test_a_platform_administrator_posting_the_superuser_flag_leaves_it_unchanged(
    home: HomePage,
) -> None:
    target = UserFactory.create()

    response = _logged_in(administrator()).post(
        f"{USERS}edit/{target.pk}/", _account(target, last_name="Renommé", is_superuser="on")
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.last_name == "Renommé"  # the rest of the form is saved
    assert not target.is_superuser
    assert not AuditEntry.objects.filter(action=ACCESS_CHANGED).exists()


def test_the_new_user_screen_offers_no_superuser_checkbox_to_an_administrator(
    home: HomePage,
) -> None:
    response = _logged_in(administrator()).get(f"{USERS}new/")

    assert response.status_code == 200
    assert not find_all(response.content, "input", name="is_superuser")


def test_a_platform_administrator_cannot_create_a_superuser(home: HomePage) -> None:
    response = _logged_in(administrator()).post(
        f"{USERS}new/",
        {
            "email": "nouveau@ville.example",
            "first_name": "Nouveau",
            "last_name": "Compte",
            "is_superuser": "on",
        },
    )

    assert response.status_code == 302
    assert not User.objects.get(email="nouveau@ville.example").is_superuser


def test_a_superuser_makes_another_account_a_superuser_and_the_log_says_so(
    home: HomePage,
) -> None:
    root = User.objects.create_superuser("racine@ville.example", "un-mot-de-passe-solide")
    target = UserFactory.create()

    response = _logged_in(root).post(
        f"{USERS}edit/{target.pk}/", _account(target, is_superuser="on")
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_superuser
    entry = AuditEntry.objects.get(action=ACCESS_CHANGED, object_id=str(target.pk))
    assert entry.actor == root
    assert entry.details == {"is_superuser": {"before": False, "after": True}}


def test_the_service_refuses_the_superuser_flag_to_a_platform_administrator(
    home: HomePage,
) -> None:
    admin = administrator()
    target = UserFactory.create()

    with pytest.raises(PermissionDenied):
        services.change_access(actor=admin, user=target, is_superuser=True)

    target.refresh_from_db()
    assert not target.is_superuser


def test_a_platform_administrator_still_gives_roles_and_the_log_says_so(home: HomePage) -> None:
    admin = administrator()
    target = UserFactory.create()
    moderators = Group.objects.get(name=GROUP_NAMES[Role.PROJECT_MODERATOR])

    response = _logged_in(admin).post(
        f"{USERS}edit/{target.pk}/", _account(target, groups=[moderators.pk])
    )

    assert response.status_code == 302
    assert list(target.groups.all()) == [moderators]
    entry = AuditEntry.objects.get(action=ACCESS_CHANGED, object_id=str(target.pk))
    assert entry.actor == admin
    assert entry.details == {"groups": {"before": [], "after": [moderators.name]}}


def test_a_platform_administrator_cannot_take_over_a_superuser_by_its_address(
    home: HomePage,
) -> None:
    """Changing a superuser's e-mail address (then asking for a new password) would hand the
    account over: only a superuser changes or deletes a superuser's account."""
    superuser = UserFactory.create(is_superuser=True, is_staff=True, email="root@ville.test")
    admin = _logged_in(administrator())

    shown = admin.get(f"{USERS}edit/{superuser.pk}/")
    posted = admin.post(
        f"{USERS}edit/{superuser.pk}/", _account(superuser, email="attaquant@example.org")
    )
    deleted = admin.post(f"{USERS}delete/{superuser.pk}/")

    assert (shown.status_code, posted.status_code, deleted.status_code) == (403, 403, 403)
    superuser.refresh_from_db()
    assert superuser.email == "root@ville.test"
    assert User.objects.filter(pk=superuser.pk).exists()


def test_a_superuser_still_edits_another_superuser(home: HomePage) -> None:
    other = UserFactory.create(is_superuser=True, is_staff=True, email="root@ville.test")
    me = UserFactory.create(is_superuser=True, is_staff=True)

    posted = _logged_in(me).post(f"{USERS}edit/{other.pk}/", _account(other, last_name="Nouveau"))

    assert posted.status_code == 302
    other.refresh_from_db()
    assert other.last_name == "Nouveau"


def test_the_service_refuses_an_administrator_changing_a_superusers_roles() -> None:
    superuser = UserFactory.create(is_superuser=True, is_staff=True)
    role = Group.objects.get(name=GROUP_NAMES[Role.ELECTED_OFFICIAL])

    with pytest.raises(PermissionDenied):
        services.change_access(actor=administrator(), user=superuser, groups=[role])

    assert not superuser.groups.exists()
