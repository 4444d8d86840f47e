"""Sharing a project: what social networks show of it, and share links that call no third-party
script. The helpers are generic, for ideas and survey results too."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from pytest_django import Settings
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from agora.core.models import Branding
from agora.core.sharing import Sharing, absolute_url, share_links, social_meta
from agora.core.tests.html import find, find_all
from agora.core.tests.responses import ClientResponse
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db

URL = "https://participer.ville.test/fr/projets/parc-riverain/"


def query_of(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)


def links_by_network(sharing: Sharing) -> dict[str, str]:
    return {link.network: link.url for link in sharing.links}


def test_share_links_carry_the_address_and_title_to_each_network() -> None:
    links = links_by_network(
        share_links(title="Parc riverain & berge", url=URL, description="Vos idées pour la berge.")
    )

    assert set(links) == {"facebook", "x", "linkedin", "email"}
    assert links["facebook"].startswith("https://www.facebook.com/sharer/sharer.php?")
    assert query_of(links["facebook"]) == {"u": [URL]}
    assert query_of(links["x"]) == {"text": ["Parc riverain & berge"], "url": [URL]}
    assert query_of(links["linkedin"]) == {"url": [URL]}


def test_the_email_link_has_a_subject_and_a_body_mail_programs_read() -> None:
    email = links_by_network(share_links(title="Parc riverain", url=URL, description="Vos idées."))[
        "email"
    ]

    assert email.startswith("mailto:?")
    assert "+" not in email  # spaces as %20: mail programs do not decode "+"
    query = query_of(email)
    assert query["subject"] == ["Parc riverain"]
    assert query["body"] == [f"Vos idées.\r\n\r\n{URL}"]


def test_social_meta_names_the_territory_of_the_language() -> None:
    with translation.override("fr"):
        french = social_meta(title="Parc", url=URL)
    with translation.override("en"):
        english = social_meta(title="Park", url=URL)

    assert (french.locale, french.alternate_locales) == ("fr_CA", ["en_CA"])
    assert (english.locale, english.alternate_locales) == ("en_CA", ["fr_CA"])
    assert french.twitter_card == "summary"


def test_absolute_url_uses_the_address_the_visitor_used(settings: Settings) -> None:
    settings.ALLOWED_HOSTS = ["participer.ville.test"]
    request = RequestFactory().get("/", HTTP_HOST="participer.ville.test")

    assert absolute_url(request, "/fr/projets/") == "http://participer.ville.test/fr/projets/"
    assert absolute_url(request, URL) == URL


def meta(response: ClientResponse, name: str) -> str:
    for element in find_all(response.content, "meta"):
        if name in (element.attrs.get("property"), element.attrs.get("name")):
            return element["content"]
    raise AssertionError(f"no meta {name}")


def test_a_project_page_describes_itself_to_social_networks(
    client: Client, project: ProjectPage, branding: Branding
) -> None:
    response = client.get(project.url)

    url = "http://testserver/fr/projets/parc-riverain/"
    assert find(response.content, "link", rel="canonical")["href"] == url
    assert meta(response, "og:url") == url
    assert meta(response, "og:title") == "Parc riverain"
    assert meta(response, "og:description") == "Un grand projet pour le quartier."
    assert meta(response, "og:locale") == "fr_CA"
    assert meta(response, "og:locale:alternate") == "en_CA"
    assert meta(response, "og:site_name") == "Ville de Saint-Essai"
    assert meta(response, "twitter:card") == "summary"
    assert meta(response, "twitter:title") == "Parc riverain"
    assert not [
        m for m in find_all(response.content, "meta") if m.attrs.get("property") == "og:image"
    ]


def test_a_project_image_is_shared_at_an_absolute_address(
    client: Client, project_index: ProjectIndexPage
) -> None:
    image = get_image_model().objects.create(
        title="berge.png",
        description="La berge au printemps",
        file=get_test_image_file(size=(1600, 1000)),
    )
    project = ProjectPageFactory.create(parent=project_index, image=image)

    response = client.get(project.url)

    assert meta(response, "og:image").startswith("http://testserver/media/images/")
    assert (meta(response, "og:image:width"), meta(response, "og:image:height")) == ("1200", "630")
    assert meta(response, "og:image:alt") == "La berge au printemps"
    assert meta(response, "twitter:card") == "summary_large_image"
    assert meta(response, "twitter:image") == meta(response, "og:image")


def test_the_english_page_shares_its_english_address(
    client: Client, english_project: ProjectPage
) -> None:
    response = client.get(english_project.url)

    assert meta(response, "og:url") == "http://testserver/en/projects/riverside-park/"
    assert meta(response, "og:locale") == "en_CA"


def test_share_links_are_plain_links_and_no_third_party_script_is_loaded(
    client: Client, project: ProjectPage
) -> None:
    response = client.get(project.url)

    section = find(response.content, "section", class_="share")
    hrefs = [link["href"] for link in find_all(section, "a")]
    assert any(href.startswith("https://www.facebook.com/sharer/") for href in hrefs)
    assert any(href.startswith("https://x.com/intent/") for href in hrefs)
    assert any(href.startswith("https://www.linkedin.com/sharing/") for href in hrefs)
    assert any(href.startswith("mailto:?") for href in hrefs)
    assert "http://testserver/fr/projets/parc-riverain/" in hrefs  # copy the link
    for script in find_all(response.content, "script"):
        assert script["src"].startswith("/static/")
    for image in find_all(response.content, "img"):
        assert image["src"].startswith(("/static/", "/media/"))


def test_the_web_share_button_waits_for_the_browser_to_offer_it(
    client: Client, project: ProjectPage
) -> None:
    response = client.get(project.url)

    button = find(response.content, "button", data_web_share="")
    assert "hidden" in button.attrs
    assert button["data-share-url"] == "http://testserver/fr/projets/parc-riverain/"
    assert find_all(response.content, "script", src="/static/core/share.js")


def test_the_index_describes_itself_to_social_networks(
    client: Client, project_index: ProjectIndexPage
) -> None:
    response = client.get(project_index.url)

    assert meta(response, "og:url") == "http://testserver/fr/projets/"
    assert meta(response, "og:title") == "Participer"
