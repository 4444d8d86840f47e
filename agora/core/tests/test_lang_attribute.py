"""`lang_attribute` and `written_in`: what residents wrote in the other language is marked
with it, in the form the page's own `<html lang>` takes (fr-CA, en-CA), and nothing is added
to what is in the page's language (WCAG 3.1.2, language of parts)."""

import pytest
from django.template import Context, Template
from django.utils import translation


def rendered(source: str, **context: object) -> str:
    return Template("{% load agora %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("page", "written", "expected"),
    [
        ("fr", "en", ' lang="en-CA"'),
        ("en", "fr", ' lang="fr-CA"'),
        ("fr", "fr", ""),
        ("en", "en", ""),
        ("en", "en-ca", ""),
        ("fr", "", ""),
        ("fr", None, ""),
    ],
)
def test_the_attribute_names_a_language_only_when_it_differs_from_the_page(
    page: str, written: str | None, expected: str
) -> None:
    with translation.override(page):
        assert rendered("{{ code|lang_attribute }}", code=written) == expected


def test_an_element_gets_the_attribute_inside_its_tag() -> None:
    with translation.override("fr"):
        html = rendered("<p{{ code|lang_attribute }}>Great idea</p>", code="en")

    assert html == '<p lang="en-CA">Great idea</p>'


def test_quoted_text_of_the_other_language_is_wrapped_and_escaped() -> None:
    with translation.override("fr"):
        html = rendered("« {{ title|written_in:code }} »", title="Bikes <b>& more</b>", code="en")

    assert html == '« <span lang="en-CA">Bikes &lt;b&gt;&amp; more&lt;/b&gt;</span> »'


def test_quoted_text_of_the_pages_language_is_only_escaped() -> None:
    with translation.override("fr"):
        html = rendered("« {{ title|written_in:code }} »", title="Vélos & <b>plus</b>", code="fr")

    assert html == "« Vélos &amp; &lt;b&gt;plus&lt;/b&gt; »"
