"""`delete_account` destroys the person's personal data (Loi 25) and keeps the emptied row,
so that their public contributions stay, signed "Ancien participant"."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from wagtail.models import PageSubscription

from agora.accounts import services
from agora.accounts.models import Consent, Department, Invitation, Organisation, User
from agora.accounts.tests.factories import PASSWORD, ResidentFactory
from agora.accounts.tests.support import url
from agora.core import audit, personal_data
from agora.core.models import AuditEntry
from agora.pages.models import HomePage

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


@pytest.fixture
def resident() -> User:
    resident = ResidentFactory.create(
        email="marie@example.org", first_name="Marie", last_name="Roy"
    )
    EmailAddress.objects.create(user=resident, email="marie.autre@example.org")
    services.grant_consent(user=resident, purpose=Consent.Purpose.PROJECT_NEWS)
    Organisation.objects.create(name="Comité", kind="committee").members.add(resident)
    TOTP.activate(resident, generate_totp_secret())
    return resident


def test_the_name_address_and_password_are_gone(resident: User) -> None:
    services.delete_account(user=resident)

    resident.refresh_from_db()
    assert resident.first_name == resident.last_name == ""
    assert resident.email.startswith("ancien-")
    assert resident.email.endswith("@invalid.invalid")
    assert not resident.has_usable_password()
    assert resident.last_login is None
    assert not resident.is_active
    assert resident.deleted_at is not None


def test_the_row_stays_and_shows_as_a_former_participant(resident: User) -> None:
    services.delete_account(user=resident)

    resident.refresh_from_db()
    assert User.objects.filter(pk=resident.pk).exists()
    assert resident.public_name == "Ancien participant"
    assert str(resident) == "Ancien participant"


def test_addresses_second_factors_consents_and_memberships_are_deleted(resident: User) -> None:
    services.delete_account(user=resident)

    assert not EmailAddress.objects.filter(user=resident).exists()
    assert not Authenticator.objects.filter(user=resident).exists()
    assert not Consent.objects.filter(user=resident).exists()
    assert not Organisation.objects.filter(members=resident).exists()
    assert Organisation.objects.filter(name="Comité").exists()


def test_a_team_member_loses_roles_and_departments(resident: User) -> None:
    department = Department.objects.create(name="Loisirs")
    department.members.add(resident)
    resident.groups.add(Group.objects.create(name="Une équipe"))
    resident.is_staff = True
    resident.save()

    services.delete_account(user=resident)

    resident.refresh_from_db()
    assert not resident.groups.exists()
    assert not department.members.exists()
    assert not resident.is_staff


def test_every_session_of_the_person_ends(resident: User) -> None:
    phone, computer, neighbour = Client(), Client(), Client()
    phone.force_login(resident)
    computer.force_login(resident)
    neighbour.force_login(ResidentFactory.create())

    services.delete_account(user=resident)

    assert Session.objects.count() == 1
    assert phone.get(url("account_home"))["Location"].startswith(url("account_login"))
    assert neighbour.get(url("account_home")).status_code == 200


def test_two_deleted_accounts_never_share_an_address(resident: User) -> None:
    other = ResidentFactory.create()

    services.delete_account(user=resident)
    services.delete_account(user=other)

    resident.refresh_from_db()
    other.refresh_from_db()
    assert resident.email != other.email


def test_the_address_can_sign_up_again(resident: User, client: Client) -> None:
    services.delete_account(user=resident)

    client.post(
        url("account_signup"),
        {
            "email": "marie@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Marie",
            "last_name": "Roy",
        },
    )

    assert User.objects.get(email="marie@example.org").pk != resident.pk


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """The modules' declarations, to which a test adds one of its own."""
    monkeypatch.setattr(personal_data, "_declarations", dict(personal_data._declarations))


def test_every_module_erases_its_part_before_the_account_is_emptied(
    resident: User, registry: None
) -> None:
    seen: list[tuple[str, frozenset[str]]] = []
    personal_data.register_personal_data(
        "licences",
        models=[],
        export=lambda subject: None,
        erase=lambda subject: seen.append((str(subject.user), subject.emails)),
    )

    services.delete_account(user=resident)

    assert seen == [("Marie Roy", frozenset({"marie@example.org", "marie.autre@example.org"}))]


def test_a_failing_erasure_deletes_nothing(resident: User, registry: None) -> None:
    def broken(subject: personal_data.DataSubject) -> None:
        raise RuntimeError("the licences module is down")

    personal_data.register_personal_data(
        "licences", models=[], export=lambda subject: None, erase=broken
    )

    with pytest.raises(RuntimeError):
        services.delete_account(user=resident)

    resident.refresh_from_db()
    assert resident.email == "marie@example.org"
    assert EmailAddress.objects.filter(user=resident).count() == 2


def test_the_persons_acts_stay_in_the_audit_log_without_their_name_or_address(
    resident: User,
) -> None:
    colleague = ResidentFactory.create(first_name="Paul", last_name="Gagnon")
    audit.record(actor=resident, action="page.published", details={"title": "Horaire"})
    audit.record(
        actor=colleague,
        action="project.moderator_assigned",
        details={"moderator": "Marie Roy <marie@example.org>"},
    )
    audit.record(actor=colleague, action="role.granted", target=resident)

    services.delete_account(user=resident)

    published, assigned, granted = (
        AuditEntry.objects.get(action=action)
        for action in ("page.published", "project.moderator_assigned", "role.granted")
    )
    assert (published.actor_id, published.actor_name) == (resident.pk, "Ancien participant")
    assert published.details == {"title": "Horaire"}
    assert assigned.actor_name == "Paul Gagnon"
    assert assigned.details == {"moderator": "Ancien participant <Ancien participant>"}
    assert granted.object_repr == "Ancien participant"


def test_the_page_subscriptions_and_invitation_addresses_are_gone(
    resident: User, home: HomePage
) -> None:
    PageSubscription.objects.create(user=resident, page=home, comment_notifications=True)
    invitation = Invitation.objects.create(
        email="marie.autre@example.org",
        role="moderator",
        token_hash="x" * 64,
        sent_at=timezone.now(),
        expires_at=timezone.now(),
    )

    services.delete_account(user=resident)

    invitation.refresh_from_db()
    assert not PageSubscription.objects.filter(user=resident).exists()
    assert "marie" not in invitation.email


def test_the_deletion_is_logged_without_naming_the_person(resident: User) -> None:
    services.delete_account(user=resident)

    entry = AuditEntry.objects.get(action="account.deleted")
    assert entry.object_id == str(resident.pk)
    assert "Marie" not in f"{entry.actor_name} {entry.object_repr} {entry.details}"
    assert "marie@example.org" not in f"{entry.actor_name} {entry.object_repr} {entry.details}"
