"""People of the city's team, departments, organisations and invitations, as the tests of the
team pages need them."""

from typing import Any

from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from factory.declarations import PostGeneration, PostGenerationMethodCall, Sequence
from factory.django import DjangoModelFactory

from agora.accounts import invitations
from agora.accounts.models import Department, Invitation, Organisation, User
from agora.accounts.roles import GROUP_NAMES, Role


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = Sequence(lambda n: f"personne{n}@example.org")
    first_name = Sequence(lambda n: f"Prénom{n}")
    last_name = "Résident"
    password = PostGenerationMethodCall("set_password", "un-mot-de-passe-solide")

    @PostGeneration
    def roles(self: User, create: bool, roles: list[Role] | None, **kwargs: Any) -> None:
        for role in roles or []:
            self.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])
        if roles:
            self.is_staff = True
        self.save()


def administrator(**fields: Any) -> User:
    fields.setdefault("first_name", "Alice")
    fields.setdefault("last_name", "Admin")
    return UserFactory.create(roles=[Role.ADMINISTRATOR], **fields)


def department_manager(department: Department, **fields: Any) -> User:
    fields.setdefault("first_name", "Gaston")
    fields.setdefault("last_name", "Gestionnaire")
    user = UserFactory.create(roles=[Role.DEPARTMENT_MANAGER], **fields)
    department.managers.add(user)
    return user


def resident(**fields: Any) -> User:
    return UserFactory.create(**fields)


class DepartmentFactory(DjangoModelFactory[Department]):
    class Meta:
        model = Department

    name = Sequence(lambda n: f"Service {n}")


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = Sequence(lambda n: f"Organisme {n}")
    kind = Organisation.Kind.ASSOCIATION
    description = "Un organisme du quartier."
    website = ""

    @PostGeneration
    def members(
        self: Organisation, create: bool, members: list[User] | None, **kwargs: Any
    ) -> None:
        if members:
            self.members.add(*members)


def verified(organisation: Organisation, by: User) -> Organisation:
    organisation.verified_at = timezone.now()
    organisation.verified_by = by
    organisation.save(update_fields=["verified_at", "verified_by"])
    return organisation


TOKEN = "jeton-de-test-" + "x" * 29


def pending_invitation(
    *,
    email: str = "invitee@example.org",
    role: Role = Role.COMMUNICATIONS,
    department: Department | None = None,
    invited_by: User | None = None,
    token: str = TOKEN,
    **fields: Any,
) -> Invitation:
    """An invitation as `invite` leaves it, with a known token (without sending anything)."""
    now = timezone.now()
    fields.setdefault("sent_at", now)
    fields.setdefault("expires_at", now + invitations.INVITATION_VALIDITY)
    return Invitation.objects.create(
        email=email,
        role=role,
        department=department,
        invited_by=invited_by,
        token_hash=invitations.hash_token(token),
        **fields,
    )


def client_of(user: User) -> Client:
    """A browser session logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client
