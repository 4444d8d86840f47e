"""Ville de Démo's people and privacy: the development staff logins (an administrator and one
person per role), the demo resident and their consent, and the privacy policy, as
demo_data/people.toml and demo_data/privacy_policy.toml describe them. Idempotent: what
exists is found and kept.

The policy is a page under the home page, which agora/pages/demo.py builds after this module
runs (apps seed in INSTALLED_APPS order): so pages/demo.py calls `ensure_privacy_policy(home)`
once its home page exists.
"""

from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from django.utils.html import escape
from wagtail.models import Page, Site

from agora.accounts import services
from agora.accounts.models import Consent, Department, User
from agora.accounts.roles import Role, ensure_role_groups
from agora.core.data_files import RecordError, Text, load, texts_in
from agora.core.models import Branding
from agora.pages.models import StandardPage

DATA = Path(__file__).with_name("demo_data")


@dataclass(frozen=True)
class Person:
    email: str
    first_name: str
    last_name: str
    role: Role | None = None
    manages: str = ""  # the department they manage
    member_of: str = ""  # the department they work in


@dataclass(frozen=True)
class People:
    """demo_data/people.toml"""

    departments: tuple[str, ...]
    administrator: Person
    team: tuple[Person, ...]

    def __post_init__(self) -> None:
        for number, person in enumerate(self.team):
            for name in ("manages", "member_of"):
                department = getattr(person, name)
                if department and department not in self.departments:
                    raise RecordError(f"team[{number}].{name}", "not one of the departments")


@dataclass(frozen=True)
class PolicyPage:
    """demo_data/privacy_policy.toml"""

    title: Text
    slug: Text
    summary: Text
    body: Text


PEOPLE = load(DATA / "people.toml", People)
POLICY = load(DATA / "privacy_policy.toml", PolicyPage)

DEMO_ADMIN_EMAIL = PEOPLE.administrator.email
DEMO_ADMIN_PASSWORD = "demo-admin-agora"  # noqa: S105 - development only; seed_demo refuses production

# One person per role (role, e-mail, first name, last name), all with the same
# development-only password.
DEMO_TEAM_PASSWORD = "demo-equipe-agora"  # noqa: S105 - development only
DEMO_TEAM: list[tuple[Role | None, str, str, str]] = [
    (person.role, person.email, person.first_name, person.last_name) for person in PEOPLE.team
]

# The one resident of DEMO_TEAM.
DEMO_RESIDENT_EMAIL = next(email for role, email, *_names in DEMO_TEAM if role is None)


def _privacy_email() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    email = Branding.for_site(site).email if site is not None else ""
    return email or "info@ville-demo.test"


def ensure_privacy_policy(home: Page) -> StandardPage:
    """The privacy policy under the French home page, and its English translation."""
    from agora.pages.demo import ensure_page  # pages.demo will import this module

    email = escape(_privacy_email())
    french, english = texts_in(POLICY, "fr"), texts_in(POLICY, "en")
    for fields in (french, english):
        fields["body"] = fields["body"].replace("{email}", email)
    page: StandardPage = ensure_page(
        home, StandardPage, {**french, "show_in_menus": False}, english
    )
    return page


def _verified(user: User) -> None:
    """The demo's people have confirmed their address, so they can log in at once."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def seed_admin(report: list[str]) -> None:
    admin, created = User.objects.get_or_create(
        email=DEMO_ADMIN_EMAIL,
        defaults={
            "first_name": PEOPLE.administrator.first_name,
            "last_name": PEOPLE.administrator.last_name,
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(DEMO_ADMIN_PASSWORD)
        admin.save(update_fields=["password"])
    _verified(admin)
    report.append(f"Staff login (development only): {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}")


def seed_team(report: list[str]) -> None:
    groups = ensure_role_groups()
    departments = {
        name: Department.objects.get_or_create(name=name)[0] for name in PEOPLE.departments
    }
    for person in PEOPLE.team:
        user, created = User.objects.get_or_create(
            email=person.email,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "is_staff": person.role is not None,
            },
        )
        if created:
            user.set_password(DEMO_TEAM_PASSWORD)
            user.save(update_fields=["password"])
        _verified(user)
        if person.role is not None:
            user.groups.add(groups[person.role])
        if person.manages:
            departments[person.manages].managers.add(user)
        if person.member_of:
            departments[person.member_of].members.add(user)
        label = person.role.label if person.role is not None else "résident"
        report.append(
            f"Demo login ({label}, development only): {person.email} / {DEMO_TEAM_PASSWORD}"
        )


def seed(report: list[str]) -> None:
    seed_admin(report)
    seed_team(report)
    resident = User.objects.filter(email=DEMO_RESIDENT_EMAIL).first()
    if resident is not None:
        services.grant_consent(user=resident, purpose=Consent.Purpose.PROJECT_NEWS)
