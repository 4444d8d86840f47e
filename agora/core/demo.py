"""The demo city's base: languages, the site and its branding. Its people (the development
staff logins and the demo resident) come from agora/accounts/demo.py, which runs next."""

from django.conf import settings
from wagtail.models import Locale, Page, Site

from agora.core.models import Branding, SearchSynonymGroup


def ensure_locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.LANGUAGES
    }


# Words residents use for the same things, for the site search.
SEARCH_SYNONYMS = [
    ("fr", "vidanges, ordures, poubelle, déchets"),
    ("fr", "bac brun, compost, matières organiques"),
    ("fr", "bac bleu, recyclage, matières recyclables"),
    ("en", "garbage, trash, waste"),
    ("en", "green bin, compost, organic waste"),
]


def seed_search_synonyms() -> None:
    for language, terms in SEARCH_SYNONYMS:
        SearchSynonymGroup.objects.get_or_create(language=language, terms=terms)


def seed(report: list[str]) -> None:
    ensure_locales()
    seed_search_synonyms()
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
