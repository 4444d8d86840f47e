"""What the subscription tests share: stand-ins for the SMS and voice channels (the real
ones, Kannel and Twilio-shaped, are tested with their gateways), the form data of a
subscription, and the codes read back from the deliveries."""

from __future__ import annotations

import html
import re
from typing import Any, ClassVar

import pytest

from agora.alerts.models import Topic, Zone
from agora.alerts.tests.factories import TopicFactory, ZoneFactory
from agora.core import channels
from agora.core.channels import Channel
from agora.core.models import Delivery

CODE = re.compile(r"\b(\d(?:, )?\d(?:, )?\d(?:, )?\d(?:, )?\d(?:, )?\d)\b")


class RecordingChannel(Channel):
    sent: ClassVar[list[Delivery]] = []

    def send(self, delivery: Delivery) -> None:
        self.sent.append(delivery)


@pytest.fixture
def phone_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    """The "sms" and "voice" channels record what they are given instead of calling a
    gateway: these tests read the deliveries, the channels' own tests the gateways."""
    for name in ("sms", "voice"):
        recording = type(f"Recording{name.title()}", (RecordingChannel,), {"name": name})
        monkeypatch.setitem(channels._channels, name, recording)


def offer() -> tuple[list[Zone], Topic, Topic]:
    """Two active zones (and a withdrawn one), a mandatory and an optional topic."""
    zones = [
        ZoneFactory.create(code="nord", name_fr="Secteur nord", name_en="North sector"),
        ZoneFactory.create(code="sud", name_fr="Secteur sud", name_en="South sector"),
    ]
    ZoneFactory.create(code="ancien", name_fr="Ancien secteur", active=False)
    mandatory = TopicFactory.create(
        code="securite", name_fr="Sécurité civile", name_en="Civil safety", mandatory=True
    )
    optional = TopicFactory.create(code="travaux", name_fr="Travaux", name_en="Roadworks")
    return zones, mandatory, optional


def form_data(zones: list[Zone], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "email": "Marie@Exemple.ca",
        "email_order": "1",
        "sms": "514 555-0123",
        "sms_order": "2",
        "voice": "",
        "voice_order": "3",
        "language": "fr",
        "lieux": "1",
        "lieu-0-label": "Maison",
        "lieu-0-address": "12, rue des Érables",
        "lieu-0-zones": [str(zones[0].pk)],
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def code_in(text: str) -> str:
    match = CODE.search(text)
    assert match, text
    return match.group(1).replace(", ", "")


def last_delivery(channel: str) -> Delivery:
    delivery = Delivery.objects.filter(channel=channel).order_by("-pk").first()
    assert delivery is not None
    return delivery


def page_text(response: Any) -> str:
    """The page's HTML with its entities read (an apostrophe is &#x27; in it)."""
    return html.unescape(response.content.decode())
