"""Every /gestion/ screen loads Agora's additions to Wagtail's look (core/admin.css), which keep
its text at 12 CSS px or more on a phone."""

import colorsys
import re
from pathlib import Path

import pytest

from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.tests.html import find_all
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("address", ["/gestion/", "/gestion/pages/"])
def test_back_office_screens_load_agoras_admin_stylesheet(home: HomePage, address: str) -> None:
    response = client_of(administrator()).get(address)

    assert response.status_code == 200
    stylesheets = [link["href"] for link in find_all(response.content, "link", rel="stylesheet")]
    assert any(href.endswith("/core/admin.css") for href in stylesheets)


def test_the_confirmation_banner_is_white_on_a_green_dark_enough_to_read() -> None:
    """WCAG 2.1 AA asks 4.5:1 for text; Wagtail's own green gives 4.5 before rounding."""
    css = (Path(__file__).resolve().parents[1] / "static" / "core" / "admin.css").read_text()
    rule = re.search(r"\.messages \.success \{([^}]*)\}", css)
    assert rule is not None
    hue, saturation, lightness = re.findall(r"hsl\(([\d.]+)deg ([\d.]+)% ([\d.]+)%\)", rule[1])[0]
    red, green, blue = colorsys.hls_to_rgb(
        float(hue) / 360, float(lightness) / 100, float(saturation) / 100
    )
    assert "color: #fff" in rule[1]
    assert contrast_with_white(red, green, blue) >= 4.5 + 0.5


def contrast_with_white(*channels: float) -> float:
    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(value) for value in channels)
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)
