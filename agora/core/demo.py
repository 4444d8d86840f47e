"""The demo city's base: languages, the site, branding and a development staff login."""

from django.conf import settings
from wagtail.models import Locale, Page, Site

from agora.accounts.models import User
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
    report.append(f"Staff login (development only): {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}")
