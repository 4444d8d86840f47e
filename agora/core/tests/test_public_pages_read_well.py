"""What every public page of the demo city says about itself and how it says it: one meta
description for search engines and link previews, no internal identifier, and, in French, Québec's French ("courriel",
no space before "?", "!" or ";"), including the account pages that come from django-allauth."""

import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agora.accounts.demo import DEMO_RESIDENT_EMAIL
from agora.accounts.models import User
from agora.core.tests.crawl import crawl_pages
from agora.core.tests.html import Element, find_all, parse
from tests.databases import SeededDemo

pytestmark = pytest.mark.django_db

PAGES_PER_CRAWL = 60
# What a resident should never read: a programmer's name for a thing (snake_case, None).
INTERNAL_IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b|\bNone\b(?!:)|\bTrue\b|\bFalse\b")
FRANCE_FRENCH = re.compile(r"\b[eE]-mails?\b|[ \u00a0\u202f\u2009][?!;]")


def descriptions(response: HttpResponse) -> list[str]:
    return [
        meta.attrs.get("content", "")
        for meta in find_all(parse(response.content), "meta", name="description")
    ]


def visible_text(response: HttpResponse) -> str:
    def collect(element: Element) -> str:
        if element.tag in ("script", "style", "template"):
            return ""
        return " ".join(
            child if isinstance(child, str) else collect(child) for child in element.children
        )

    return " ".join(collect(parse(response.content)).split())


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_public_page_has_one_description_and_no_internal_identifier(
    demo_city: SeededDemo, language: str
) -> None:
    pages = crawl_pages(
        Client(raise_request_exception=False),
        [f"/{language}/"],
        (f"/{language}/",),
        limit=PAGES_PER_CRAWL,
    )

    assert len(pages) >= 25, list(pages)
    undescribed = {
        url: found
        for url, response in pages.items()
        if len(found := descriptions(response)) != 1 or not found[0].strip()
    }
    assert undescribed == {}
    identifiers = {
        url: INTERNAL_IDENTIFIER.findall(text)
        for url, response in pages.items()
        if INTERNAL_IDENTIFIER.search(text := visible_text(response))
    }
    assert identifiers == {}


def test_french_pages_read_in_quebec_french(demo_city: SeededDemo) -> None:
    resident = Client(raise_request_exception=False)
    resident.force_login(User.objects.get(email=DEMO_RESIDENT_EMAIL))
    with translation.override("fr"):
        login, signup, home = (
            reverse(name) for name in ("account_login", "account_signup", "account_home")
        )
    account_area = home.rstrip("/").rpartition("/")[0] + "/"
    anonymous = Client(raise_request_exception=False)
    pages = {
        **crawl_pages(anonymous, ["/fr/", login, signup], ("/fr/",), limit=PAGES_PER_CRAWL),
        **crawl_pages(resident, [home], (account_area,), limit=20),
    }

    france = {
        url: FRANCE_FRENCH.findall(text)
        for url, response in pages.items()
        if FRANCE_FRENCH.search(text := visible_text(response))
    }
    assert france == {}
