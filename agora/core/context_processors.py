from typing import Any

from django.http import HttpRequest

from agora.core.navigation import home_page, main_menu

HTML_LANG = {"fr": "fr-CA", "en": "en-CA"}


def agora(request: HttpRequest) -> dict[str, Any]:
    language = getattr(request, "LANGUAGE_CODE", "fr")
    return {
        "html_lang": HTML_LANG.get(language, language),
        "main_menu": lambda: main_menu(request),
        "home_url": lambda: (home := home_page(request)) and home.get_url(request),
    }
