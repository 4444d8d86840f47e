"""Open311 API keys (open311_keys.py) and their screens in /gestion/ (open311_admin.py): an
administrator issues a key, sees it once, and revokes it; both acts are in the audit log;
only the key's SHA-256 is kept; nobody else on the team reaches the screens."""

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    administrator,
    client_of,
    department_manager,
    resident,
)
from agora.citizen_requests import audit_actions, open311_keys
from agora.citizen_requests.models import Open311Key
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory
from agora.citizen_requests.tests.desk_factories import clerk
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _file_with(secret: str) -> int:
    return (
        Client()
        .post(
            "/open311/v2/requests.json",
            {
                "api_key": secret,
                "service_code": "nid-de-poule",
                "address_string": "12, rue des Érables",
                "description": "Un trou.",
            },
        )
        .status_code
    )


# The services -----------------------------------------------------------------------------


def test_a_key_is_kept_only_as_its_hash_and_the_issue_is_audited() -> None:
    admin = administrator()

    issued = open311_keys.issue_key(actor=admin, name="  Centre d'appels 311 ")

    key = Open311Key.objects.get()
    assert len(issued.secret) >= 40
    assert key.name == "Centre d'appels 311"
    assert key.prefix == issued.secret[:8]
    assert key.key_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in json.dumps(list(Open311Key.objects.values()), default=str)
    assert key.created_by == admin
    entry = AuditEntry.objects.get(action=audit_actions.OPEN311_KEY_ISSUED)
    assert (entry.actor_id, entry.object_id) == (admin.pk, str(key.pk))
    assert issued.secret not in json.dumps(entry.details)
    assert open311_keys.active_key(issued.secret) == key


def test_a_key_needs_a_name_of_at_most_120_characters() -> None:
    with pytest.raises(ValidationError) as missing:
        open311_keys.issue_key(actor=administrator(), name=" ")
    with pytest.raises(ValidationError) as too_long:
        open311_keys.issue_key(actor=administrator(), name="x" * 121)

    assert list(missing.value.message_dict) == ["name"]
    assert too_long.value.message_dict["name"] == ["Ce nom dépasse 120 caractères."]
    assert not Open311Key.objects.exists()


def test_a_revoked_key_opens_nothing_and_revoking_twice_is_audited_once() -> None:
    admin = administrator()
    issued = open311_keys.issue_key(actor=admin, name="Application mobile")

    open311_keys.revoke_key(actor=admin, key=issued.key)
    open311_keys.revoke_key(actor=admin, key=issued.key)

    assert open311_keys.active_key(issued.secret) is None
    assert Open311Key.objects.get().revoked_at is not None
    assert AuditEntry.objects.filter(action=audit_actions.OPEN311_KEY_REVOKED).count() == 1


# The screens ------------------------------------------------------------------------------


def test_an_administrator_issues_a_key_sees_it_once_and_it_files_requests() -> None:
    ServiceFactory.create(code="nid-de-poule")
    client = client_of(administrator())

    response = client.post(reverse("open311_keys:issue"), {"name": "Centre d'appels 311"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    key = Open311Key.objects.get()
    secret = response.context["secret"]
    assert secret.startswith(key.prefix)
    assert secret in response.content.decode()
    assert _file_with(secret) == 200
    listing = client.get(reverse("open311_keys:index")).content.decode()
    assert "Centre d&#x27;appels 311" in listing
    assert key.prefix in listing
    assert secret not in listing


def test_an_administrator_revokes_a_key_after_confirming() -> None:
    ServiceFactory.create(code="nid-de-poule")
    admin = administrator()
    issued = open311_keys.issue_key(actor=admin, name="Application mobile")
    client = client_of(admin)
    url = reverse("open311_keys:revoke", args=[issued.key.pk])

    assert client.get(url).status_code == 200
    assert Open311Key.objects.get().revoked_at is None
    response = client.post(url)

    assert response.status_code == 302
    assert Open311Key.objects.get().revoked_at is not None
    assert _file_with(issued.secret) == 403
    assert "Révoquée le" in client.get(reverse("open311_keys:index")).content.decode()


def test_a_key_needs_a_name_on_the_form_too() -> None:
    response = client_of(administrator()).post(reverse("open311_keys:issue"), {"name": ""})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Open311Key.objects.exists()


@pytest.mark.parametrize(
    "person",
    [
        lambda: clerk(),
        lambda: department_manager(DepartmentFactory.create()),
        lambda: resident(),
    ],
    ids=["clerk", "department_manager", "resident"],
)
def test_nobody_but_an_administrator_reaches_the_keys(person: object) -> None:
    issued = open311_keys.issue_key(actor=administrator(), name="Application mobile")
    client = client_of(person())  # type: ignore[operator]

    for url in (
        reverse("open311_keys:index"),
        reverse("open311_keys:issue"),
        reverse("open311_keys:revoke", args=[issued.key.pk]),
    ):
        assert client.get(url).status_code in (302, 403), url
        assert client.post(url, {"name": "Pirate"}).status_code in (302, 403), url
    assert Open311Key.objects.count() == 1
    assert Open311Key.objects.get().revoked_at is None


def test_the_settings_menu_offers_the_keys_to_administrators_only() -> None:
    admin_home = client_of(administrator()).get(reverse("wagtailadmin_home")).content.decode()
    clerk_home = client_of(clerk()).get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("open311_keys:index") in admin_home
    assert reverse("open311_keys:index") not in clerk_home
