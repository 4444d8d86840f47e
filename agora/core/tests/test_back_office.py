"""Staff brand the portal and keep the catalogue in /gestion/, without touching code."""

import pytest
from django.test import Client
from wagtail.models import Site

from agora.accounts.models import User
from agora.core.models import Branding
from agora.pages.models import HomePage, ServiceEntry
from agora.pages.tests.factories import ServiceCategoryFactory, ServiceEntryFactory, locale

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(home: HomePage) -> Client:
    User.objects.create_superuser(
        email="admin@ville.example", password="a-long-password", first_name="A", last_name="B"
    )
    client = Client()
    assert client.login(email="admin@ville.example", password="a-long-password")
    return client


def _branding_form(**changes: str) -> dict[str, str]:
    form = {
        "municipality_name": "Ville de Saint-Essai",
        "short_name": "Essai",
        "primary_colour": "#00558c",
        "accent_colour": "#7a3e00",
        "address": "",
        "phone": "",
        "email": "",
        "facebook_url": "",
        "instagram_url": "",
        "x_url": "",
        "youtube_url": "",
        "linkedin_url": "",
    }
    form.update(changes)
    return form


def _branding_url() -> str:
    site = Site.objects.get(is_default_site=True)
    return f"/gestion/settings/core/branding/{site.pk}/"


def test_staff_rebrand_the_portal_and_residents_see_it(
    staff_client: Client, branding: Branding
) -> None:
    response = staff_client.post(
        _branding_url(),
        _branding_form(municipality_name="Ville de Lac-Clair", phone="819 555-0199"),
    )
    assert response.status_code == 302

    page = Client().get("/fr/").content.decode()
    assert "Ville de Lac-Clair" in page
    assert "819 555-0199" in page


def test_a_colour_white_text_cannot_be_read_on_is_refused_and_nothing_changes(
    staff_client: Client, branding: Branding
) -> None:
    response = staff_client.post(_branding_url(), _branding_form(primary_colour="#ffdd00"))

    assert response.status_code == 200
    assert "trop pâle" in response.content.decode()
    branding = Branding.objects.get(pk=branding.pk)
    assert branding.primary_colour != "#ffdd00"


def test_staff_see_the_catalogue_in_the_back_office(staff_client: Client, home: HomePage) -> None:
    category = ServiceCategoryFactory.create(locale=locale("fr"), name="Permis")
    ServiceEntryFactory.create(category=category, locale=locale("fr"), title="Permis de piscine")

    response = staff_client.get("/gestion/snippets/pages/serviceentry/")

    assert response.status_code == 200
    assert "Permis de piscine" in response.content.decode()


def test_an_entry_with_both_a_link_and_a_page_is_refused_in_the_back_office(
    staff_client: Client, home: HomePage
) -> None:
    category = ServiceCategoryFactory.create(locale=locale("fr"))

    response = staff_client.post(
        "/gestion/snippets/pages/serviceentry/add/?locale=fr",
        {
            "title": "Collecte",
            "category": category.pk,
            "kind": "service",
            "summary": "Les jours de collecte.",
            "keywords": "",
            "url": "https://collecte.example.org",
            "page": home.pk,
        },
    )

    assert response.status_code == 200
    assert "un seul des deux" in response.content.decode()
    assert not ServiceEntry.objects.filter(title="Collecte").exists()
