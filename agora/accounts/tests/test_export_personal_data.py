"""`export_personal_data` gathers everything Agora holds about a person, never a secret, and
nothing about anyone else; every module adds its part through the personal-data registry."""

import datetime
import json

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from agora.accounts import services
from agora.accounts.models import Consent, Organisation, User
from agora.accounts.tests.factories import ResidentFactory
from agora.core import personal_data

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

MOMENT = datetime.datetime(2026, 3, 2, 14, 30, tzinfo=datetime.UTC)


@pytest.fixture
def resident() -> User:
    with time_machine.travel(MOMENT, tick=False):
        resident = ResidentFactory.create(
            email="marie@example.org", first_name="Marie", last_name="Roy"
        )
        EmailAddress.objects.create(user=resident, email="marie.pending@example.org")
        services.grant_consent(user=resident, purpose=Consent.Purpose.PROJECT_NEWS)
    committee = Organisation.objects.create(name="Comité du Vieux-Port", kind="committee")
    committee.members.add(resident)
    return resident


@pytest.fixture
def someone_else() -> User:
    other = ResidentFactory.create(email="autre@example.org", first_name="Paul", last_name="Autre")
    services.grant_consent(user=other, purpose=Consent.Purpose.SURVEY_INVITATIONS)
    Organisation.objects.create(name="Club de Paul", kind="association").members.add(other)
    TOTP.activate(other, generate_totp_secret())
    return other


def test_it_holds_the_account_addresses_consents_and_organisations(resident: User) -> None:
    data = services.export_personal_data(user=resident)["accounts"]

    assert data["account"]["email"] == "marie@example.org"
    assert data["account"]["first_name"] == "Marie"
    assert data["account"]["last_name"] == "Roy"
    assert data["account"]["date_joined"] == MOMENT.isoformat()
    assert data["email_addresses"] == [
        {"email": "marie.pending@example.org", "verified": False, "primary": False},
        {"email": "marie@example.org", "verified": True, "primary": True},
    ]
    assert data["consents"] == [
        {
            "purpose": "project_news",
            "description": "Recevoir des nouvelles des projets que je suis",
            "granted_at": MOMENT.isoformat(),
            "withdrawn_at": None,
        }
    ]
    assert [organisation["name"] for organisation in data["organisations"]] == [
        "Comité du Vieux-Port"
    ]


def test_it_lists_second_factors_by_type_and_date_without_their_secrets(resident: User) -> None:
    secret = generate_totp_secret()
    TOTP.activate(resident, secret)
    codes = RecoveryCodes.activate(resident).get_unused_codes()

    data = services.export_personal_data(user=resident)

    assert sorted(factor["type"] for factor in data["accounts"]["second_factors"]) == [
        "recovery_codes",
        "totp",
    ]
    exported = json.dumps(data)
    assert secret not in exported
    assert not any(code in exported for code in codes)
    assert resident.password not in exported
    for authenticator in Authenticator.objects.filter(user=resident):
        assert json.dumps(authenticator.data) not in exported


def test_it_holds_nothing_of_another_person(resident: User, someone_else: User) -> None:
    exported = json.dumps(services.export_personal_data(user=resident))

    for trace in ("autre@example.org", "Paul", "Club de Paul", "survey_invitations", "totp"):
        assert trace not in exported


def test_it_is_plain_json(resident: User) -> None:
    data = services.export_personal_data(user=resident)

    assert json.loads(json.dumps(data)) == data


def test_every_module_adds_its_part_under_its_name(
    resident: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(personal_data, "_declarations", dict(personal_data._declarations))
    personal_data.register_personal_data(
        "licences",
        models=[],
        export=lambda subject: [{"owner": sorted(subject.emails)}],
        erase=lambda subject: None,
    )

    data = services.export_personal_data(user=resident)

    assert data["licences"] == [{"owner": ["marie.pending@example.org", "marie@example.org"]}]
    assert {"accounts", "participation", "ideas", "surveys", "audit_log"} <= set(data)


def test_the_export_is_dated(resident: User) -> None:
    with time_machine.travel(MOMENT, tick=False):
        data = services.export_personal_data(user=resident)

    assert data["exported_at"] == MOMENT.isoformat()
