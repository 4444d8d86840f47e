"""The picture social networks show when someone shares a survey's results: 1200 by 630 pixels,
the survey's title, its main chart (the first question answered with choices: a bar, the
label and the percentage of each answer), the number of respondents and the city's name.

Drawn with Pillow and the DejaVu Sans font of the system (Pillow's own font when it is
missing), in the reader's language, and kept in the cache until the results change.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import ngettext
from PIL import Image, ImageDraw, ImageFont

from agora.surveys.results import SurveyResults
from agora.surveys.results_charts import number_label, percent_label

WIDTH, HEIGHT = 1200, 630
MARGIN = 60
MAX_BARS = 6
FONT_DIRECTORY = Path("/usr/share/fonts/truetype/dejavu")
BACKGROUND = "#ffffff"
INK = "#1f5c99"  # the charts' colour, 6.3:1 on white
TEXT = "#1b1b1b"
MUTED = "#4a4a4a"
TRACK = "#e8eef5"
CACHE_SECONDS = 24 * 60 * 60

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int, *, bold: bool = False) -> Font:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIRECTORY / name), size)
    except OSError:
        return ImageFont.load_default(size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: Font, width: float) -> str:
    """`text`, shortened with an ellipsis to fit `width` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(f"{text}…", font=font) > width:
        text = text[:-1]
    return f"{text.rstrip()}…"


def _lines(draw: ImageDraw.ImageDraw, text: str, font: Font, width: float, count: int) -> list[str]:
    """`text` wrapped on at most `count` lines of `width` pixels."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < count:
        line = words.pop(0)
        while words and draw.textlength(f"{line} {words[0]}", font=font) <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words and lines:
        lines[-1] = _fit(draw, f"{lines[-1]} {' '.join(words)}", font, width)
    return [_fit(draw, line, font, width) for line in lines]


def draw_results_image(results: SurveyResults, municipality: str) -> bytes:
    """The PNG picture of the results."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, WIDTH, 12), fill=INK)
    draw.text((MARGIN, 36), _fit(draw, municipality, _font(26), inner), font=_font(26), fill=MUTED)
    title_font = _font(44, bold=True)
    y = 78
    for line in _lines(draw, results.survey.title, title_font, inner, 2):
        draw.text((MARGIN, y), line, font=title_font, fill=TEXT)
        y += 54
    main = results.main_question()
    respondents = ngettext("%(count)s répondant", "%(count)s répondants", results.respondents) % {
        "count": number_label(results.respondents)
    }
    draw.text((MARGIN, HEIGHT - 58), respondents, font=_font(26, bold=True), fill=TEXT)
    if main is None:
        return _png(image)
    label_font, value_font = _font(24), _font(24, bold=True)
    y += 6
    draw.text(
        (MARGIN, y), _fit(draw, main.question.label, label_font, inner), font=label_font, fill=MUTED
    )
    y += 44
    tallies = main.tallies[:MAX_BARS]
    row = min(60, (HEIGHT - 80 - y) // max(len(tallies), 1))
    label_width, value_width = 380, 110
    bar_left = MARGIN + label_width + 16
    bar_width = WIDTH - MARGIN - value_width - bar_left
    for tally in tallies:
        top = y + (row - 32) // 2
        draw.text(
            (MARGIN, top + 2),
            _fit(draw, tally.label, label_font, label_width),
            font=label_font,
            fill=TEXT,
        )
        draw.rectangle((bar_left, top, bar_left + bar_width, top + 32), fill=TRACK)
        filled = round(bar_width * tally.percent / 100)
        if filled > 0:
            draw.rectangle((bar_left, top, bar_left + filled, top + 32), fill=INK)
        draw.text(
            (WIDTH - MARGIN, top + 2),
            percent_label(tally.percent),
            font=value_font,
            fill=TEXT,
            anchor="ra",
        )
        y += row
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def results_image(results: SurveyResults, municipality: str) -> bytes:
    """The picture, drawn once for each computation of the results and language."""
    language = (translation.get_language() or "fr").split("-")[0]
    key = (
        f"agora:survey-og:{results.survey.pk}:{language}:{results.computed_at.timestamp()}:"
        f"{results.survey.updated_at.timestamp() if results.survey.updated_at else 0}"
    )
    picture: bytes | None = cache.get(key)
    if picture is None:
        picture = draw_results_image(results, municipality)
        cache.set(key, picture, timeout=CACHE_SECONDS)
    return picture
