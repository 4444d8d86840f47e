"""The printable poster: a PDF for the bulletin board, whose QR code leads a passer-by's phone to
the project."""

import re
from urllib.parse import unquote

import pytest
import segno
from django.template import Context
from django.template.loader import render_to_string
from django.test import Client

from agora.core.models import Branding
from agora.core.tests.html import find, text_of
from agora.participation import poster
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db

QR_BORDER = 4  # the quiet zone poster.qr_svg_data_uri draws around the code


# Every test runs with the clock stopped here (the root conftest.py stops it).
CLOCK = "2026-05-01 12:00:00-04:00"


def modules_of(svg_data_uri: str) -> set[tuple[int, int]]:
    """The dark modules (column, row) drawn by a segno SVG path, read back from the SVG."""
    svg = unquote(svg_data_uri.split(",", 1)[1])
    path = re.search(r"<path class=.qrline.[^>]* d=.([^'\"]+)", svg)
    assert path is not None, svg[:200]
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, numbers in re.findall(r"([MmHh])([-\d. ]+)", path.group(1).replace(",", " ")):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            length = values[0]
            for column in range(int(x), int(x + length)):
                dark.add((column - QR_BORDER, int(y) - QR_BORDER))
            x += length
    return dark


def modules_encoding(url: str) -> set[tuple[int, int]]:
    code = segno.make(url, error=poster.QR_ERROR_LEVEL, micro=False)
    return {
        (column, row)
        for row, line in enumerate(code.matrix)
        for column, module in enumerate(line)
        if module
    }


def test_the_poster_is_a_pdf_named_after_the_project(
    client: Client, project: ProjectPage, branding: Branding
) -> None:
    response = client.get(project.subpage_url("poster"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="affiche-parc-riverain.pdf"'
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1000


def test_the_qr_code_leads_to_the_project_page(
    client: Client, project: ProjectPage, branding: Branding
) -> None:
    response = client.get(project.subpage_url("poster"))

    url = "http://testserver/fr/projets/parc-riverain/"
    assert response.context["url"] == url
    assert modules_of(response.context["qr_svg"]) == modules_encoding(url)
    assert modules_of(response.context["qr_svg"]) != modules_encoding(url + "autre/")


def test_the_poster_shows_the_title_summary_current_phase_and_the_city(
    client: Client, project: ProjectPage, branding: Branding
) -> None:
    response = client.get(project.subpage_url("poster"))

    assert response.context["phase"].name == "Boîte à idées"
    assert response.context["phase_is_current"] is True
    context = response.context
    assert isinstance(context, Context)  # one template rendered: its context, not a list
    html = render_to_string("participation/poster.html", context.flatten())
    text = text_of(html)
    for expected in (
        "Ville de Saint-Essai",
        "Parc riverain",
        "Un grand projet pour le quartier.",
        "Étape en cours Boîte à idées Du 24 avril 2026 au 22 mai 2026",
        "http://testserver/fr/projets/parc-riverain/",
    ):
        assert expected in text
    assert find(html, "img")["src"].startswith("data:image/svg+xml")


def test_the_poster_html_holds_everything_and_fetches_nothing() -> None:
    html = "<p>Voir <img src='http://exemple.test/pixel.png'> et <img src='file:///etc/passwd'></p>"

    pdf = poster.render_pdf(html)

    assert pdf.startswith(b"%PDF")


def test_the_english_poster_is_served_under_en(
    client: Client, english_project: ProjectPage, branding: Branding
) -> None:
    response = client.get("/en/projects/riverside-park/poster/")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response.context["url"] == "http://testserver/en/projects/riverside-park/"


def test_a_draft_project_has_no_poster(client: Client, project_index: ProjectIndexPage) -> None:
    ProjectPageFactory.create(parent=project_index, slug="secret", publish=False)

    assert client.get("/fr/projets/secret/affiche/").status_code == 404
