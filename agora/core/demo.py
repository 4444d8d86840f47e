"""The demo city's base: languages, the site, branding and a development staff login."""

from allauth.account.models import EmailAddress
from django.conf import settings
from wagtail.models import Locale, Page, Site

from agora.accounts.models import Department, User
from agora.accounts.roles import Role, ensure_role_groups
from agora.core.models import Branding

DEMO_ADMIN_EMAIL = "admin@ville-demo.test"
DEMO_ADMIN_PASSWORD = "demo-admin-agora"  # noqa: S105 - development only; seed_demo refuses production


def ensure_locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.LANGUAGES
    }


def seed(report: list[str]) -> None:
    ensure_locales()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        root = Page.get_first_root_node()
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=root, is_default_site=True
        )
    site.site_name = "Ville de Démo"
    site.save(update_fields=["site_name"])
    branding = Branding.for_site(site)
    branding.municipality_name = "Ville de Démo"
    branding.short_name = "Démo"
    branding.address = "100, rue Principale\nVille de Démo (Québec)  J0J 0J0"
    branding.phone = "450 555-0100"
    branding.email = "info@ville-demo.test"
    branding.facebook_url = "https://www.facebook.com/villededemo"
    branding.youtube_url = "https://www.youtube.com/@villededemo"
    branding.save()

    admin, created = User.objects.get_or_create(
        email=DEMO_ADMIN_EMAIL,
        defaults={
            "first_name": "Alex",
            "last_name": "Administrateur",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(DEMO_ADMIN_PASSWORD)
        admin.save(update_fields=["password"])
    _verified(admin)
    report.append(f"Staff login (development only): {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}")
    seed_team(report)


# One person per role, all with the same development-only password.
DEMO_TEAM_PASSWORD = "demo-equipe-agora"  # noqa: S105 - development only
DEMO_TEAM: list[tuple[Role | None, str, str, str]] = [
    (Role.ADMINISTRATOR, "administration@ville-demo.test", "Amélie", "Gagnon"),
    (Role.DEPARTMENT_MANAGER, "gestion.travaux@ville-demo.test", "Bruno", "Tremblay"),
    (Role.PROJECT_MODERATOR, "moderation@ville-demo.test", "Chloé", "Roy"),
    (Role.COMMUNICATIONS, "communications@ville-demo.test", "David", "Côté"),
    (Role.CLERK, "services.citoyens@ville-demo.test", "Émilie", "Bouchard"),
    (Role.ELECTED_OFFICIAL, "elu@ville-demo.test", "François", "Gauthier"),
    (None, "resident@ville-demo.test", "Gisèle", "Morin"),
]


def _verified(user: User) -> None:
    """The demo's people have confirmed their address, so they can log in at once."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def seed_team(report: list[str]) -> None:
    groups = ensure_role_groups()
    public_works, _created = Department.objects.get_or_create(name="Travaux publics")
    Department.objects.get_or_create(name="Loisirs et culture")
    for role, email, first_name, last_name in DEMO_TEAM:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": role is not None,
            },
        )
        if created:
            user.set_password(DEMO_TEAM_PASSWORD)
            user.save(update_fields=["password"])
        _verified(user)
        if role is not None:
            user.groups.add(groups[role])
        if role == Role.DEPARTMENT_MANAGER:
            public_works.managers.add(user)
        if role == Role.PROJECT_MODERATOR:
            public_works.members.add(user)
        label = role.label if role is not None else "résident"
        report.append(f"Demo login ({label}, development only): {email} / {DEMO_TEAM_PASSWORD}")
