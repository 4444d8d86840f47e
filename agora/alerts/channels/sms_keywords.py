"""The keywords of the Canadian short code guidelines (CWTA), for every gateway that receives
text messages (Kannel today): STOP, ARRET, HELP, AIDE and INFO work for anyone, subscribed
or not, in any case, with or without the accent of ARRÊT and surrounding spaces.

- STOP (reply in English) or ARRET (in French): every SMS contact point with that number is
  opted out at once, and the withdrawal recorded per subscriber;
- HELP (English), AIDE (French), INFO (both): what the messages are and how to stop them;
- anything else: a short reply in both languages naming the keywords.

Each reply fits in one 160-character message, names the city and, when it fits, the page
to subscribe again. Logs say which keyword came, never who sent it nor what else it said.
"""

from __future__ import annotations

import enum
import logging
import unicodedata
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Site

from agora.alerts.models import ConsentRecord, ContactChannel, ContactPoint, OptOutSource
from agora.alerts.phones import normalise_phone
from agora.core import links

logger = logging.getLogger(__name__)

SMS_LIMIT = 160


class Keyword(enum.Enum):
    STOP = "stop"
    ARRET = "arret"
    HELP = "help"
    AIDE = "aide"
    INFO = "info"
    OTHER = "other"


KEYWORDS = {keyword.name: keyword for keyword in Keyword if keyword is not Keyword.OTHER}
OPT_OUT = frozenset({Keyword.STOP, Keyword.ARRET})


def keyword_of(text: str) -> Keyword:
    """The keyword a message is, whatever its case, accents and surrounding spaces."""
    word = unicodedata.normalize("NFKD", text.strip().rstrip(".!").strip())
    word = "".join(character for character in word if not unicodedata.combining(character))
    return KEYWORDS.get(word.upper(), Keyword.OTHER)


def answer_text_message(*, sender: str, text: str) -> str:
    """What a resident's message does, and the reply to text back."""
    keyword = keyword_of(text)
    opted_out = opt_out_by_keyword(sender=sender) if keyword in OPT_OUT else 0
    logger.info(
        "inbound text message: keyword %s, %s contact points opted out", keyword.value, opted_out
    )
    return reply_to(keyword)


def opt_out_by_keyword(*, sender: str) -> int:
    """Opts every SMS contact point of the number out; returns how many were. An unknown or
    unreadable number opts nobody out."""
    try:
        number = normalise_phone(sender)
    except ValidationError:
        return 0
    now = timezone.now()
    with transaction.atomic():
        points = list(
            ContactPoint.objects.select_for_update()
            .select_related("subscriber")
            .filter(channel=ContactChannel.SMS, address=number, opted_out_at__isnull=True)
        )
        subscribers = {point.subscriber_id: point.subscriber for point in points}
        ContactPoint.objects.filter(pk__in=[point.pk for point in points]).update(
            opted_out_at=now, opt_out_source=OptOutSource.STOP
        )
        ConsentRecord.objects.bulk_create(
            ConsentRecord(
                subscriber=subscriber,
                channel=ContactChannel.SMS,
                action=ConsentRecord.Action.WITHDRAWN,
                text_version=subscriber.consent_text_version,
                recorded_at=now,
            )
            for subscriber in subscribers.values()
        )
    return len(points)


# Replies ------------------------------------------------------------------------------------


def _in(language: str, message: Callable[[], str]) -> str:
    with translation.override(language):
        return message()


def city_name() -> str:
    """The city's name as its branding spells it, else "La Ville"."""
    if Site.objects.filter(is_default_site=True).exists():
        return links.municipality_name()
    return gettext("La Ville")


def subscribe_link(language: str) -> str:
    """Where to subscribe again: the alerts' public pages, without https:// to save room."""
    path = _in(language, lambda: f"/{language}/{gettext('alertes/')}")
    return links.absolute(path).removeprefix("https://")


def _stopped(city: str, link: str) -> str:
    return gettext(
        "{city} : vous ne recevrez plus nos alertes par texto. Pour vous réabonner : {link}"
    ).format(city=city, link=link)


def _help(city: str, link: str) -> str:
    return gettext(
        "{city} : alertes aux résidents, fréquence variable. Frais de messagerie possibles. "
        "ARRET pour vous désabonner. {link}"
    ).format(city=city, link=link)


def _info() -> str:
    return gettext("alertes. AIDE : aide. ARRET : désabonnement.")


def _keywords() -> str:
    return gettext("répondez AIDE pour de l'aide ou ARRET pour vous désabonner.")


def _fits(*candidates: Callable[[], str]) -> str:
    """The first candidate that fits in one message, else the last one cut to fit."""
    text = ""
    for candidate in candidates:
        text = candidate()
        if len(text) <= SMS_LIMIT:
            return text
    return text[:SMS_LIMIT]


def reply_to(keyword: Keyword) -> str:
    """The reply to a keyword: in French for ARRET and AIDE, English for STOP and HELP, both
    for INFO and anything else; the city's name and a link when they fit."""
    if keyword in (Keyword.STOP, Keyword.ARRET, Keyword.HELP, Keyword.AIDE):
        language = "en" if keyword in (Keyword.STOP, Keyword.HELP) else "fr"
        message = _stopped if keyword in OPT_OUT else _help

        def named(short: bool, with_link: bool) -> Callable[[], str]:
            def build() -> str:
                city = gettext("La Ville") if short else city_name()
                return message(city, subscribe_link(language) if with_link else "").strip()

            return lambda: _in(language, build)

        return _fits(named(False, True), named(True, True), named(True, False))
    city = city_name()
    if keyword is Keyword.INFO:
        both = f"{_in('fr', _info)} / {_in('en', _info)}"
        link = subscribe_link("fr")
        return _fits(
            lambda: f"{city} : {both} {link}",
            lambda: f"{city} : {both}",
            lambda: f"{both} {link}",
            lambda: both,
        )
    both = f"{_in('fr', _keywords)} / {_in('en', _keywords)}"
    return _fits(lambda: f"{city} : {both}", lambda: both)
