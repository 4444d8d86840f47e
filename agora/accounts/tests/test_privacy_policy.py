"""The privacy policy: the demo writes it in both languages with the city's contact, and the
footer of every page links to it in the page's language once it is published."""

import pytest
from django.test import Client
from wagtail.models import Locale

from agora.accounts.demo import ensure_privacy_policy
from agora.core.models import Branding
from agora.core.tests.html import find_all
from agora.pages.models import HomePage, StandardPage
from agora.pages.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def footer_links(client: Client, path: str) -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200
    footer = find_all(response.content, "footer")[0]
    return {link.text: link["href"] for link in find_all(footer, "a")}


@pytest.fixture
def policy(home: HomePage, branding: Branding) -> StandardPage:
    branding.email = "vie.privee@ville.example"
    branding.save()
    return ensure_privacy_policy(home)


def test_the_demo_policy_exists_in_both_languages_with_the_citys_contact(
    policy: StandardPage,
) -> None:
    english = policy.get_translation(Locale.objects.get(language_code="en")).specific

    assert (policy.slug, english.slug) == ("confidentialite", "privacy")
    assert policy.live
    assert english.live
    for page in (policy, english):
        assert "mailto:vie.privee@ville.example" in page.body
    assert "Combien de temps" in policy.body
    assert "For how long" in english.body


def test_making_the_demo_policy_again_changes_nothing(policy: StandardPage, home: HomePage) -> None:
    count = StandardPage.objects.count()

    assert ensure_privacy_policy(home).pk == policy.pk
    assert StandardPage.objects.count() == count


@pytest.mark.parametrize(
    ("language", "path"), [("fr", "/fr/confidentialite/"), ("en", "/en/privacy/")]
)
def test_the_footer_links_to_the_policy_in_the_pages_language(
    client: Client, policy: StandardPage, language: str, path: str
) -> None:
    links = footer_links(client, f"/{language}/")

    assert path in links.values()
    assert client.get(path).status_code == 200


def test_without_a_policy_the_footer_has_no_such_link(client: Client, home: HomePage) -> None:
    links = footer_links(client, "/fr/")

    assert "Politique de confidentialité" not in links


def test_a_policy_published_later_appears_at_once(client: Client, home: HomePage) -> None:
    footer_links(client, "/fr/")  # the footer without a policy is now cached

    StandardPageFactory.create(parent=home, title="Vie privée", slug="confidentialite")

    assert footer_links(client, "/fr/")["Politique de confidentialité"] == "/fr/confidentialite/"


def test_an_unpublished_policy_disappears(client: Client, policy: StandardPage) -> None:
    footer_links(client, "/fr/")

    policy.unpublish()

    assert "Politique de confidentialité" not in footer_links(client, "/fr/")


def test_a_page_of_that_name_outside_the_sites_tree_is_not_the_policy(
    client: Client, home: HomePage
) -> None:
    StandardPageFactory.create(parent=home.get_parent(), title="Ailleurs", slug="confidentialite")

    assert "Politique de confidentialité" not in footer_links(client, "/fr/")
