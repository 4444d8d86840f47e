from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from agora.core.navigation import account_link, footer_links, home_page, main_menu

HTML_LANG = {"fr": "fr-CA", "en": "en-CA"}


def agora(request: HttpRequest) -> dict[str, Any]:
    language = getattr(request, "LANGUAGE_CODE", "fr")
    # Lazy, and computed once per request however many times the templates use them.
    return {
        "html_lang": HTML_LANG.get(language, language),
        "main_menu": SimpleLazyObject(lambda: main_menu(request)),
        "account_link": SimpleLazyObject(lambda: account_link(request)),
        "footer_links": SimpleLazyObject(lambda: footer_links(request)),
        "home_url": SimpleLazyObject(
            lambda: (home.get_url(request) if (home := home_page(request)) else None) or "/"
        ),
    }
