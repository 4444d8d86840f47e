"""Every city brands its portal in /gestion/: name, colours and contact details. Colours must
keep white text readable (WCAG 2.1 AA, 4.5:1), and the name appears on every page."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from wagtail.models import Site

from agora.core.colours import contrast_ratio
from agora.core.models import Branding
from agora.core.tests.html import find, find_all
from agora.pages.models import HomePage
from agora.pages.tests.factories import StandardPageFactory, translate

pytestmark = pytest.mark.django_db

TOO_PALE = (
    "Cette couleur est trop pâle : le texte blanc n'aurait qu'un contraste de %(ratio).1f:1, "
    "il faut au moins 4,5:1 (WCAG 2.1 AA). Choisissez une teinte plus foncée."
)


def colour_errors(branding: Branding) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        branding.full_clean()
    return raised.value.message_dict


@pytest.mark.parametrize("field", ["primary_colour", "accent_colour"])
def test_a_colour_too_pale_for_white_text_is_refused_with_the_wcag_message(
    branding: Branding, field: str
) -> None:
    setattr(branding, field, "#ffcc00")

    errors = colour_errors(branding)

    ratio = contrast_ratio("#ffcc00", "#ffffff")
    assert errors == {field: [TOO_PALE % {"ratio": ratio}]}
    assert "WCAG 2.1 AA" in errors[field][0]


def test_the_wcag_message_is_in_english_for_english_speaking_staff(branding: Branding) -> None:
    branding.primary_colour = "#ffcc00"

    with translation.override("en"):
        errors = colour_errors(branding)

    with translation.override("en"):
        expected = translation.gettext(TOO_PALE) % {"ratio": contrast_ratio("#ffcc00", "#ffffff")}
    assert errors["primary_colour"] == [expected]


@pytest.mark.parametrize("colour", ["#00558c", "#7a3e00", "#000000", "#767676"])
def test_a_colour_dark_enough_for_white_text_is_accepted(branding: Branding, colour: str) -> None:
    branding.primary_colour = colour
    branding.accent_colour = colour

    branding.full_clean()


def test_the_threshold_is_a_contrast_of_4_5_to_1() -> None:
    assert contrast_ratio("#767676", "#ffffff") >= 4.5 > contrast_ratio("#777777", "#ffffff")


def test_a_grey_just_under_the_threshold_is_refused(branding: Branding) -> None:
    branding.primary_colour = "#777777"

    assert "primary_colour" in colour_errors(branding)


@pytest.mark.parametrize("colour", ["blue", "#05a", "00558c", "#00558g"])
def test_a_colour_not_written_as_rrggbb_is_refused_with_an_example(
    branding: Branding, colour: str
) -> None:
    branding.primary_colour = colour

    errors = colour_errors(branding)["primary_colour"]

    assert "#RRGGBB" in errors[0]


def test_the_municipality_name_appears_in_every_page_title(
    client: Client, home: HomePage, branding: Branding
) -> None:
    section = StandardPageFactory.create(parent=home, title="Participer")
    english = translate(section, "en", title="Take part", slug="take-part")

    for url in (home.url, section.url, english.url, "/fr/recherche/", "/fr/hors-ligne/"):
        title = find(client.get(url).content, "title").text
        assert title.endswith(f"| {branding.municipality_name}"), (url, title)
    assert find(client.get(section.url).content, "title").text == (
        f"Participer | {branding.municipality_name}"
    )


def test_a_new_name_appears_at_once(client: Client, home: HomePage, branding: Branding) -> None:
    client.get(home.url)
    branding.municipality_name = "Ville de Nouveau-Nom"
    branding.save()

    response = client.get(home.url)

    assert find(response.content, "title").text.endswith("| Ville de Nouveau-Nom")
    assert find(response.content, "span", class_="brand__name").text == "Ville de Nouveau-Nom"


def test_the_footer_shows_the_city_hall_contact_details_and_social_links(
    client: Client, home: HomePage, branding: Branding
) -> None:
    branding.address = "100, rue Principale"
    branding.phone = "450 555-0100"
    branding.email = "info@ville.example"
    branding.facebook_url = "https://www.facebook.com/ville"
    branding.save()

    response = client.get(home.url)

    footer = find(response.content, "footer", class_="site-footer").text
    assert "100, rue Principale" in footer
    assert find(response.content, "a", href="tel:450555-0100").text == "450 555-0100"
    assert find(response.content, "a", href="mailto:info@ville.example")
    assert find(response.content, "a", href="https://www.facebook.com/ville").text == "Facebook"
    assert not find_all(response.content, "a", href="https://www.youtube.com/")


def test_a_city_without_social_links_shows_no_social_section(
    client: Client, home: HomePage, branding: Branding
) -> None:
    response = client.get(home.url)

    assert branding.social_links() == []
    assert not find_all(response.content, "h2", id="footer-social")


def test_each_site_has_its_own_branding(home: HomePage, branding: Branding) -> None:
    assert Branding.for_site(Site.objects.get(is_default_site=True)) == branding
