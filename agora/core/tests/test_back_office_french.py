"""Staff read /gestion/ in Québec French, Wagtail's own words included: the root of the page
tree is "Racine", the date picker's button is translated, workflow and status words read well."""

import pytest
from django.test import Client
from django.utils import translation
from wagtail.models import Collection, Page

from agora.accounts.models import User
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(home: HomePage) -> Client:
    user = User.objects.create_superuser(
        email="admin@ville.example", password="a-long-password", first_name="A", last_name="B"
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def test_the_roots_of_the_page_tree_and_of_the_collections_are_named_in_french() -> None:
    assert Page.get_first_root_node().title == "Racine"
    assert Collection.get_first_root_node().name == "Racine"


def test_the_page_explorer_shows_the_root_in_french(staff_client: Client) -> None:
    explorer = staff_client.get("/gestion/pages/").content.decode()

    assert "Racine" in explorer
    assert "Root" not in explorer


@pytest.mark.parametrize(
    ("language", "words"), [("fr", "Enregistrer la sélection"), ("en", "Save selection")]
)
def test_the_date_pickers_button_is_named_in_the_staff_members_language(
    staff_client: Client, language: str, words: str
) -> None:
    with translation.override(language):
        dashboard = staff_client.get("/gestion/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert "core/admin-words" in dashboard
    assert f'data-save-selected="{words}"' in dashboard
