from typing import Any

from django import template
from django.conf import settings
from django.forms import BoundField
from django.urls import translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page

from agora.core.context_processors import HTML_LANG

register = template.Library()


@register.inclusion_tag("core/includes/language_switch.html", takes_context=True)
def language_switch(context: dict[str, Any]) -> dict[str, Any]:
    """Links to this same page in the other languages.

    A content page links to its translation (slugs differ between languages); other views
    translate their URL pattern; a page not translated yet links to the other home page.
    """
    request = context["request"]
    page = context.get("page")
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        if isinstance(page, Page):
            translation = (
                page.get_translations().filter(locale__language_code=code).live().public().first()
            )
            url = translation.get_url(request) if translation is not None else f"/{code}/"
        else:
            url = translate_url(request.get_full_path(), code)
        info = get_language_info(code)
        links.append({"code": code, "url": url, "name": info["name_local"]})
    return {"links": links}


@register.filter
def in_section(path: str, section_url: str) -> bool:
    """True on a section's page and every page below it, for aria-current in the menu."""
    return bool(section_url) and path.startswith(section_url)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (filters survive paging)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return str(query.urlencode())


@register.filter
def accessible_widget(field: BoundField) -> SafeString:
    """The field's input without a placeholder: the label above already says it, and a
    placeholder vanishes as soon as one types. Django adds aria-describedby (help text,
    errors) and aria-invalid itself."""
    return field.as_widget(attrs={"placeholder": False})


def _primary(language: str | None) -> str:
    return (language or "").split("-")[0].lower()


@register.filter
def lang_attribute(language: str | None) -> SafeString:
    """` lang="en-CA"` for what residents wrote in a language other than the page's (a
    language code: "en", "fr"), nothing otherwise, so that screen readers pronounce an
    English comment on a French page in English (WCAG 3.1.2, language of parts)."""
    code = _primary(language)
    if not code or code == _primary(get_language() or settings.LANGUAGE_CODE):
        return SafeString("")
    return format_html(' lang="{}"', HTML_LANG.get(code, code))


@register.filter
def written_in(text: Any, language: str | None) -> SafeString:
    """The text, escaped, in a `<span lang>` when its language is not the page's: for what
    a resident wrote quoted inside one of the site's own sentences."""
    attribute = lang_attribute(language)
    if not attribute:
        return SafeString(conditional_escape(text))
    return format_html("<span{}>{}</span>", attribute, text)
