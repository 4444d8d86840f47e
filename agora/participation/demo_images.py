"""The pictures of Ville de Démo's projects, drawn here (flat shapes: a park by the water, a
street with its bike lane, a community centre) and re-encoded through the same path as every
uploaded image (`agora.core.images.reencode_image`), so the demo needs no file of its own and
carries no one's licence. Found again by title: drawn once.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage

from agora.core.images import reencode_image

WIDTH, HEIGHT = 1200, 675
SKY = (178, 216, 236)
GRASS = (104, 166, 86)
WATER = (62, 128, 178)
ASPHALT = (96, 100, 106)
type Drawing = Callable[[ImageDraw.ImageDraw], None]


def _tree(draw: ImageDraw.ImageDraw, x: int, ground: int, size: int) -> None:
    draw.rectangle((x - size // 10, ground - size, x + size // 10, ground), fill=(110, 78, 48))
    draw.ellipse(
        (x - size // 2, ground - size * 2, x + size // 2, ground - size // 2), fill=(52, 120, 60)
    )


def draw_park(draw: ImageDraw.ImageDraw) -> None:
    """A riverside park: trees on the grass, a path, the river and a dock."""
    draw.rectangle((0, 0, WIDTH, 300), fill=SKY)
    draw.ellipse((960, 50, 1080, 170), fill=(250, 212, 90))
    draw.rectangle((0, 300, WIDTH, HEIGHT), fill=GRASS)
    draw.polygon([(0, 520), (WIDTH, 430), (WIDTH, HEIGHT), (0, HEIGHT)], fill=WATER)
    draw.polygon([(420, 300), (520, 300), (760, 480), (600, 500)], fill=(214, 196, 150))
    draw.rectangle((820, 440, 1000, 470), fill=(150, 104, 60))
    for x, size in ((120, 110), (260, 90), (1020, 100), (1130, 80), (360, 70)):
        _tree(draw, x, 400 if x < 700 else 380, size)
    for x in (180, 560):
        draw.rectangle((x, 392, x + 80, 402), fill=(120, 80, 48))


def draw_street(draw: ImageDraw.ImageDraw) -> None:
    """A street with a protected bike lane, seen from the sidewalk."""
    draw.rectangle((0, 0, WIDTH, 260), fill=SKY)
    for x, height, colour in (
        (0, 200, (196, 120, 92)),
        (260, 150, (224, 190, 140)),
        (820, 220, (170, 110, 96)),
        (1010, 170, (216, 200, 170)),
    ):
        draw.rectangle((x, 260 - height, x + 240, 300), fill=colour)
        for window in range(x + 30, x + 220, 60):
            draw.rectangle(
                (window, 300 - height + 30, window + 30, 300 - height + 70), fill=(236, 240, 244)
            )
    draw.rectangle((0, 300, WIDTH, HEIGHT), fill=ASPHALT)
    draw.polygon([(0, 420), (WIDTH, 360), (WIDTH, 470), (0, 560)], fill=(46, 142, 92))
    draw.polygon([(0, 400), (WIDTH, 346), (WIDTH, 360), (0, 420)], fill=(236, 236, 236))
    for x in range(40, WIDTH, 160):
        draw.rectangle((x, 610, x + 90, 625), fill=(240, 220, 80))
    wheel = 46
    for centre in (520, 660):
        draw.ellipse(
            (centre - wheel, 430 - wheel, centre + wheel, 430 + wheel),
            outline=(30, 30, 30),
            width=8,
        )
    draw.line(
        [(520, 430), (590, 360), (660, 430), (560, 430), (590, 360)], fill=(200, 40, 40), width=9
    )


def draw_centre(draw: ImageDraw.ImageDraw) -> None:
    """A community centre: a low building, its wide windows and a square before it."""
    draw.rectangle((0, 0, WIDTH, 360), fill=SKY)
    draw.rectangle((0, 360, WIDTH, HEIGHT), fill=(206, 200, 188))
    draw.rectangle((180, 170, 1020, 420), fill=(184, 116, 84))
    draw.polygon([(150, 170), (600, 90), (1050, 170)], fill=(90, 90, 96))
    for x in range(230, 980, 150):
        draw.rectangle((x, 230, x + 100, 330), fill=(196, 224, 238))
    draw.rectangle((540, 320, 660, 420), fill=(70, 60, 56))
    for x, size in ((80, 90), (1120, 100)):
        _tree(draw, x, 430, size)


@dataclass(frozen=True)
class Picture:
    title: str
    description: str
    drawing: Drawing


def ensure_picture(picture: Picture) -> AbstractImage:
    """The picture, drawn and re-encoded the first time."""
    model = get_image_model()
    existing: AbstractImage | None = model.objects.filter(title=picture.title).first()
    if existing is not None:
        return existing
    canvas = Image.new("RGB", (WIDTH, HEIGHT), SKY)
    picture.drawing(ImageDraw.Draw(canvas))
    drawn = io.BytesIO()
    canvas.save(drawn, format="PNG")
    drawn.seek(0)
    clean: ContentFile[bytes] = reencode_image(drawn)
    image: AbstractImage = model.objects.create(
        title=picture.title, description=picture.description, file=clean
    )
    return image
