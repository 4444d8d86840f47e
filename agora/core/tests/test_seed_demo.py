"""`seed_demo` builds the demo city "Ville de Démo" in both languages and completes it when run
again without duplicating anything. The city is seeded once for the module (`demo_city`); that
it never runs in production is in test_seed_demo_in_production.py, on an empty database."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import Locale, Page, Site

from agora.accounts.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from agora.accounts.models import User
from agora.core.models import Branding
from agora.pages.models import (
    HomePage,
    NewsPage,
    ServiceCategory,
    ServiceEntry,
    ServiceIndexPage,
    StandardPage,
)
from tests.databases import SeededDemo

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]


def seed_demo() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def counts() -> dict[str, int]:
    return {
        "locales": Locale.objects.count(),
        "sites": Site.objects.count(),
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "categories": ServiceCategory.objects.count(),
        "entries": ServiceEntry.objects.count(),
        "users": User.objects.count(),
        "brandings": Branding.objects.count(),
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_demo_city_is_complete_in_each_language(language: str) -> None:
    locale = Locale.objects.get(language_code=language)

    assert HomePage.objects.live().filter(locale=locale).count() == 1
    assert ServiceIndexPage.objects.live().filter(locale=locale).count() == 1
    # Requests are the citizen_requests module's own menu item, not a page.
    assert StandardPage.objects.live().filter(locale=locale, show_in_menus=True).count() >= 1
    assert NewsPage.objects.live().filter(locale=locale).count() == 3
    entries = ServiceEntry.objects.filter(locale=locale)
    assert entries.count() >= 10
    assert entries.values("category").distinct().count() >= 4
    assert all(entry.category.locale_id == locale.pk for entry in entries)
    assert entries.filter(featured=True).exists()


def test_the_demo_home_page_is_the_site_root_and_its_translation_is_linked() -> None:
    site = Site.objects.get(is_default_site=True)
    french_home = site.root_page.specific

    assert isinstance(french_home, HomePage)
    assert french_home.locale.language_code == "fr"
    assert french_home.get_translation(Locale.objects.get(language_code="en")).live
    assert not Page.objects.filter(depth=2, slug="home", content_type__model="page").exists()
    assert Branding.for_site(site).municipality_name == "Ville de Démo"


def test_running_it_again_changes_nothing_and_keeps_a_changed_staff_password() -> None:
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    admin.set_password("a-password-of-my-own")
    admin.save()
    before = counts()

    seed_demo()

    assert counts() == before
    admin.refresh_from_db()
    assert admin.check_password("a-password-of-my-own")


def test_it_prints_the_development_staff_login(demo_city: SeededDemo) -> None:
    assert f"{DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}" in demo_city.output
    assert "Ville de Démo is ready." in demo_city.output


def test_the_printed_staff_login_opens_the_back_office() -> None:
    client = Client()

    assert client.login(email=DEMO_ADMIN_EMAIL, password=DEMO_ADMIN_PASSWORD)
    assert client.get("/gestion/").status_code == 200


def test_the_demo_city_is_served_in_both_languages() -> None:
    client = Client()

    for url in ("/fr/", "/en/", "/fr/services/", "/en/services/", "/fr/nouvelles/", "/en/news/"):
        assert client.get(url).status_code == 200, url


def test_it_keeps_the_logins_for_make_run_to_remind_them(demo_city: SeededDemo) -> None:
    reminder = (demo_city.var_dir / "demo-logins.txt").read_text()

    assert f"{DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}" in reminder
    assert reminder.strip() in demo_city.output
