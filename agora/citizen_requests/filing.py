"""Filing a citizen request, and adding one's voice to a request already filed ("moi aussi").

`file_request` is the one way a request enters Agora, whatever the channel (the web form, the
Open311 API): it checks everything first (the service is offered, the place, the point inside
the municipality, the description, the answers to the service's questions, the photos, the
contact details) and writes nothing when something is wrong, raising `ValidationError` with a
message per field that the form or the API shows as is. Then it writes the request with its
tracking number (`R-2026-004217`: short, digits only after the year), its photos re-encoded
without their metadata, and the first line of its history. The private follow-up link's
token is returned once (for the confirmation page and e-mail); only its SHA-256 is kept.

`nearby_open_requests` finds the open requests of the same service near a point, so that a
resident can add their voice to one instead of filing the same problem again.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.citizen_requests.boundary import contains, district_of, parse_boundary, parse_districts
from agora.citizen_requests.models import (
    OPEN_STATUSES,
    AttributeKind,
    Channel,
    CitizenRequest,
    EventKind,
    Open311Key,
    RequestEvent,
    RequestPhoto,
    RequestService,
    RequestSettings,
    RequestSupporter,
    Requirement,
    ServiceAttribute,
    TrackingCounter,
)
from agora.core import held
from agora.core.images import reencode_image
from agora.core.models import HeldContribution, Participant

DESCRIPTION_MAX_LENGTH = 4000
SHORT_ANSWER_MAX_LENGTH = 300
LONG_ANSWER_MAX_LENGTH = 2000
MAX_PHOTOS = 3
# Requests of the same service this close to a new one are offered before it is sent.
NEARBY_METRES = 50
NEARBY_SHOWN = 5
METRES_PER_DEGREE = 111_320
TRACKING_ATTEMPTS = 5

HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
PHONE = re.compile(r"^\+?[0-9 ().-]{7,25}$")

NO_HTML = _("Écrivez en texte simple, sans balises HTML.")
TOO_LONG = _("Ce texte dépasse %(limit)s caractères.")
REQUIRED = _("Répondez à cette question.")
NOT_OFFERED = _("Ce service ne reçoit plus de requêtes. Choisissez-en un autre.")
PLACE_NEEDED = _("Indiquez une adresse ou placez un point sur la carte.")
OUTSIDE = _(
    "Ce point est hors du territoire de la municipalité. Vérifiez l'endroit, ou adressez-vous "
    "à la municipalité voisine."
)
BAD_POINT = _("Ce point n'est pas une position valide.")
TOO_MANY_PHOTOS = _("Ajoutez au plus %(limit)s photos.")
PHOTO_NEEDED = _("Ce service demande une photo du problème.")
BAD_NUMBER = _("Écrivez un nombre.")
BAD_DATE = _("Écrivez une date au format AAAA-MM-JJ.")
UNKNOWN_CHOICE = _("Choisissez parmi les choix proposés.")
BAD_PHONE = _("Écrivez un numéro de téléphone, par exemple 450 555-0199.")
ALREADY_A_VOICE = _("Vous avez déjà ajouté votre voix à cette requête.")
ADDITIONS_CLOSED = _("Cette requête est fermée : elle ne reçoit plus de précisions ni de photos.")
PHOTOS_FULL = _("Cette requête a déjà %(limit)s photos, le maximum.")
CLOSED = _("Cette requête est fermée : signalez le problème de nouveau s'il persiste.")


def _text(value: Any, *, limit: int, field: str, errors: dict[str, list[Any]]) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        errors.setdefault(field, []).append(
            ValidationError(TOO_LONG, params={"limit": f"{limit:,}".replace(",", " ")})
        )
    elif HTML_TAG.search(text):
        errors.setdefault(field, []).append(ValidationError(NO_HTML))
    return text


# The answers to a service's questions ----------------------------------------------------------


def _answer(attribute: ServiceAttribute, raw: Any, errors: dict[str, list[Any]]) -> Any:
    """The stored answer (text, or a list of keys for multiple choices), "" or [] for none."""
    field = f"attribute_{attribute.code}"
    kind = attribute.kind
    if kind == AttributeKind.MULTIPLE:
        keys = [str(key) for key in (raw if isinstance(raw, list | tuple) else [raw]) if key]
        if any(key not in {value.get("key") for value in attribute.values} for key in keys):
            errors.setdefault(field, []).append(ValidationError(UNKNOWN_CHOICE))
        return keys
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else ""
    limit = LONG_ANSWER_MAX_LENGTH if kind == AttributeKind.TEXT else SHORT_ANSWER_MAX_LENGTH
    text = _text(raw, limit=limit, field=field, errors=errors)
    if not text:
        return ""
    if kind == AttributeKind.NUMBER:
        try:
            number = Decimal(text.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            errors.setdefault(field, []).append(ValidationError(BAD_NUMBER))
            return text
        return str(number)
    if kind == AttributeKind.DATETIME:
        try:
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            errors.setdefault(field, []).append(ValidationError(BAD_DATE))
            return text
    if kind == AttributeKind.SINGLE and text not in {
        value.get("key") for value in attribute.values
    }:
        errors.setdefault(field, []).append(ValidationError(UNKNOWN_CHOICE))
    return text


def clean_answers(
    service: RequestService, raw: Mapping[str, Any], errors: dict[str, list[Any]]
) -> dict[str, Any]:
    """The answers by question code; a required question left empty is an error on
    `attribute_<code>`. Informational texts take no answer; unknown codes are ignored."""
    answers: dict[str, Any] = {}
    for attribute in service.attributes.all():
        if attribute.kind == AttributeKind.INFORMATION:
            continue
        answer = _answer(attribute, raw.get(attribute.code, ""), errors)
        if answer in ("", []):
            if attribute.required:
                errors.setdefault(f"attribute_{attribute.code}", []).append(
                    ValidationError(REQUIRED)
                )
            continue
        answers[attribute.code] = answer
    return answers


# The place --------------------------------------------------------------------------------


def _coordinate(value: Any, low: int, high: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(BAD_POINT) from None
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError(BAD_POINT)
    return number.quantize(Decimal("0.000001"))


def municipality_boundary() -> str:
    setting = RequestSettings.objects.order_by("pk").first()
    return setting.boundary if setting is not None else ""


def district_at(latitude: Decimal | None, longitude: Decimal | None) -> str:
    """The district the point falls in (RequestSettings.districts); "" without a point or
    districts, or outside them."""
    if latitude is None or longitude is None:
        return ""
    setting = RequestSettings.objects.order_by("pk").first()
    if setting is None or not setting.districts.strip():
        return ""
    return district_of(parse_districts(setting.districts), float(longitude), float(latitude))


def _clean_media_url(url: str, errors: dict[str, list[Any]]) -> str:
    """Open311's `media_url`: an http(s) address kept as a link; Agora never fetches it."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        if len(url) > 500:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors.setdefault("media_url", []).append(
            ValidationError(
                _(
                    "Le lien vers la photo doit être une adresse http ou https de 500 caractères au plus."
                )
            )
        )
        return ""
    return url


def clean_point(
    latitude: Any, longitude: Any, errors: dict[str, list[Any]]
) -> tuple[Decimal | None, Decimal | None]:
    """The point, rounded to the metre's order, when both halves are given and it falls in
    the municipality; an error on `point` otherwise."""
    try:
        lat = _coordinate(latitude, -90, 90)
        lon = _coordinate(longitude, -180, 180)
    except ValidationError as error:
        errors.setdefault("point", []).append(error)
        return None, None
    if (lat is None) != (lon is None):
        errors.setdefault("point", []).append(ValidationError(BAD_POINT))
        return None, None
    if lat is None or lon is None:
        return None, None
    boundary = municipality_boundary()
    if boundary.strip() and not contains(parse_boundary(boundary), float(lon), float(lat)):
        errors.setdefault("point", []).append(ValidationError(OUTSIDE))
    return lat, lon


# Filing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filed:
    request: CitizenRequest
    follow_up_token: str  # the private link's token, given once


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def highest_tracking_number(year: int) -> int:
    """The highest number filed in the year, read from the requests themselves (0 for none):
    how a year's counter starts, and how it is set again after requests were written in
    bulk (the demo, the benchmark)."""
    prefix = f"R-{year}-"
    last = (
        CitizenRequest.objects.filter(tracking_number__startswith=prefix)
        .order_by(Length("tracking_number").desc(), "-tracking_number")
        .values_list("tracking_number", flat=True)
        .first()
    )
    return int(last.rsplit("-", 1)[1]) if last else 0


def sync_tracking_counters() -> None:
    """Sets each year's counter to the highest number filed that year, after requests were
    written without it."""
    years = set(TrackingCounter.objects.values_list("year", flat=True))
    dates = CitizenRequest.objects.order_by("created_at").values_list("created_at", flat=True)
    oldest, newest = dates.first(), dates.last()
    if oldest is not None and newest is not None:
        years |= set(range(timezone.localtime(oldest).year, timezone.localtime(newest).year + 1))
    for year in sorted(years):
        highest = highest_tracking_number(year)
        counter, _created = TrackingCounter.objects.get_or_create(year=year)
        if counter.last < highest:
            TrackingCounter.objects.filter(year=year).update(last=highest)


def _next_tracking_number(year: int) -> str:
    """The year's next number, from its counter held under lock until the filing commits."""
    counter = TrackingCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = TrackingCounter.objects.create(
                    year=year, last=highest_tracking_number(year)
                )
        except IntegrityError:  # created meanwhile by another filing
            counter = TrackingCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"R-{year}-{counter.last:06d}"


def _number(request: CitizenRequest, year: int) -> str:
    """Gives the request the year's next tracking number, and returns it."""
    for attempt in range(TRACKING_ATTEMPTS):
        try:
            with transaction.atomic():
                number = _next_tracking_number(year)
                CitizenRequest.objects.filter(pk=request.pk).update(tracking_number=number)
            return number
        except IntegrityError:
            if attempt == TRACKING_ATTEMPTS - 1:
                raise
            # A number written without the counter (requests written in bulk): the counter
            # catches up with the requests, and the next attempt takes the next.
            TrackingCounter.objects.filter(year=year).update(last=highest_tracking_number(year))
    raise AssertionError  # pragma: no cover (the loop returns or raises)


def _clean_contact(email: str, phone: str, errors: dict[str, list[Any]]) -> tuple[str, str]:
    email = (email or "").strip()
    phone = (phone or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("contact_email", []).append(
                ValidationError(
                    _("Écrivez une adresse courriel valide, par exemple nom@exemple.ca.")
                )
            )
    if phone and not PHONE.match(phone):
        errors.setdefault("contact_phone", []).append(ValidationError(BAD_PHONE))
    return email.lower() if email else "", phone


def file_request(
    *,
    service: RequestService,
    description: str,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    answers: Mapping[str, Any] | None = None,
    photos: Sequence[Any] = (),
    contact_email: str = "",
    contact_phone: str = "",
    participant: Participant | None = None,
    language: str = "fr",
    channel: str = Channel.WEB,
    contact_name: str = "",
    media_url: str = "",
    api_key: Open311Key | None = None,
    now: datetime.datetime | None = None,
) -> Filed:
    """Checks, then writes the request; ValidationError (by field) and nothing written when
    something is wrong."""
    errors: dict[str, list[Any]] = {}
    if not service.active:
        errors.setdefault("service", []).append(ValidationError(NOT_OFFERED))
    text = _text(description, limit=DESCRIPTION_MAX_LENGTH, field="description", errors=errors)
    if not text:
        errors.setdefault("description", []).append(
            ValidationError(_("Décrivez le problème en quelques mots."))
        )
    place = _text(address, limit=200, field="address", errors=errors)
    lat, lon = clean_point(latitude, longitude, errors)
    if service.location == Requirement.REQUIRED and not place and lat is None:
        errors.setdefault("address", []).append(ValidationError(PLACE_NEEDED))
    kept_answers = clean_answers(service, answers or {}, errors)
    email, phone = _clean_contact(contact_email, contact_phone, errors)
    name = _text(contact_name, limit=160, field="contact_name", errors=errors)
    link = _clean_media_url(media_url, errors)
    photos = [photo for photo in photos if photo]
    if len(photos) > MAX_PHOTOS:
        errors.setdefault("photos", []).append(
            ValidationError(TOO_MANY_PHOTOS, params={"limit": MAX_PHOTOS})
        )
    elif service.photo == Requirement.REQUIRED and not photos and not link:
        # An application of the Open311 API gives its photo as a link (`media_url`).
        errors.setdefault("photos", []).append(ValidationError(PHOTO_NEEDED))
    clean_photos = []
    if "photos" not in errors and service.photo != Requirement.NONE:
        for photo in photos:
            try:
                clean_photos.append(reencode_image(photo))
            except ValidationError as error:
                errors.setdefault("photos", []).append(error)
                break
    if errors:
        raise ValidationError(errors)
    return _write(
        service=service,
        description=text,
        address=place,
        latitude=lat,
        longitude=lon,
        answers=kept_answers,
        photos=clean_photos,
        email=email,
        phone=phone,
        participant=participant,
        language=language,
        channel=channel,
        extra={"contact_name": name, "media_url": link, "api_key": api_key},
        now=now or timezone.now(),
    )


def _write(
    *,
    service: RequestService,
    description: str,
    address: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
    answers: dict[str, Any],
    photos: Iterable[Any],
    email: str,
    phone: str,
    participant: Participant | None,
    language: str,
    channel: str,
    extra: dict[str, Any],
    now: datetime.datetime,
) -> Filed:
    token = secrets.token_urlsafe(24)
    district = district_at(latitude, longitude)
    with transaction.atomic():
        request = CitizenRequest.objects.create(
            # Unique until the number replaces it, just before the commit: the year's counter
            # stays locked for two statements, not for the whole filing.
            tracking_number=f"~{secrets.token_hex(7)}",
            service=service,
            description=description,
            address=address,
            latitude=latitude,
            longitude=longitude,
            answers=answers,
            public=service.public,
            channel=channel,
            language=language[:8],
            participant=participant,
            contact_email=email,
            contact_phone=phone,
            follow_up_token_hash=token_hash(token),
            department=service.department,
            district=district,
            **extra,
            created_at=now,
            updated_at=now,
            due_at=now + datetime.timedelta(days=service.target_days),
        )
        for photo in photos:
            RequestPhoto.objects.create(request=request, image=photo, added_at=now)
        RequestEvent.objects.create(
            request=request,
            kind=EventKind.FILED,
            status_after=request.status,
            public=True,
            created_at=now,
        )
        request.tracking_number = _number(request, timezone.localtime(now).year)
    return Filed(request=request, follow_up_token=token)


# Nearby requests and "moi aussi" -------------------------------------------------------------


@dataclass(frozen=True)
class Nearby:
    request: CitizenRequest
    metres: int | None  # None: found by its address, without a point to measure from


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere: precise to the metre at a city's scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def address_key(address: str) -> str:
    """An address as two residents might both type it: "12, rue Principale" and "12 RUE
    principale." give the same key (case, accents, punctuation and spaces ignored)."""
    plain = unicodedata.normalize("NFKD", address.casefold())
    letters = "".join(c if c.isalnum() else " " for c in plain if not unicodedata.combining(c))
    return " ".join(letters.split())


def nearby_open_requests(
    service: RequestService,
    latitude: Decimal | float | None,
    longitude: Decimal | float | None,
    address: str = "",
) -> list[Nearby]:
    """The open requests of `service` within NEARBY_METRES of the point, nearest first (one
    query on a small box around it); without a point, those given the same address (case,
    accents and punctuation aside), so that a resident without the map sees them too."""
    if latitude is None or longitude is None:
        key = address_key(address)
        if not key:
            return []
        # Narrowed by the database on the number or first word, compared exactly here.
        first_word = key.split()[0]
        candidates = CitizenRequest.objects.filter(
            service=service, status__in=OPEN_STATUSES, address__icontains=first_word
        ).order_by("created_at")[:200]
        return [
            Nearby(request=candidate, metres=None)
            for candidate in candidates
            if address_key(candidate.address) == key
        ][:NEARBY_SHOWN]
    lat, lon = float(latitude), float(longitude)
    dlat = NEARBY_METRES / METRES_PER_DEGREE
    dlon = NEARBY_METRES / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    candidates = CitizenRequest.objects.filter(
        service=service,
        status__in=OPEN_STATUSES,
        latitude__range=(Decimal(str(lat - dlat)), Decimal(str(lat + dlat))),
        longitude__range=(Decimal(str(lon - dlon)), Decimal(str(lon + dlon))),
    ).order_by("created_at")[:100]
    found = [
        Nearby(
            request=candidate,
            metres=round(_metres(lat, lon, float(candidate.latitude), float(candidate.longitude))),
        )
        for candidate in candidates
        if candidate.latitude is not None and candidate.longitude is not None
    ]
    close = [entry for entry in found if entry.metres is not None and entry.metres <= NEARBY_METRES]
    return sorted(close, key=lambda entry: entry.metres or 0)[:NEARBY_SHOWN]


HELD_VOICE = "citizen_request_voice"


def _check_voice(request: CitizenRequest, participant: Participant, contact_email: str) -> str:
    """The voice's address once everything allows it; ValidationError otherwise."""
    errors: dict[str, list[Any]] = {}
    email, _phone = _clean_contact(contact_email, "", errors)
    if errors:
        raise ValidationError(errors)
    if not request.is_open:
        raise ValidationError(CLOSED)
    if held.is_held(kind=HELD_VOICE, target=request, participant=participant):
        raise ValidationError(ALREADY_A_VOICE)
    return email


def _record_voice(
    request: CitizenRequest,
    participant: Participant,
    email: str,
    at: datetime.datetime | None = None,
) -> RequestSupporter:
    try:
        with transaction.atomic():
            supporter = RequestSupporter.objects.create(
                request=request,
                participant=participant,
                contact_email=email,
                created_at=at or timezone.now(),
            )
            RequestEvent.objects.create(
                request=request,
                kind=EventKind.SUPPORTER,
                public=False,
                created_at=at or timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(ALREADY_A_VOICE) from None
    return supporter


def add_voice(
    *, request: CitizenRequest, participant: Participant, contact_email: str = ""
) -> RequestSupporter:
    """A resident reports the same problem: their voice is added to the request (once)."""
    email = _check_voice(request, participant, contact_email)
    return _record_voice(request, participant, email)


@transaction.atomic
def hold_voice(
    *,
    request: CitizenRequest,
    participant: Participant,
    contact_email: str,
    reason: str,
    language: str,
) -> None:
    """A voice that looked stuffed (agora/core/integrity.py): checked as `add_voice` does,
    then held for the desk (Modération → Contributions retenues) instead of counted."""
    email = _check_voice(request, participant, contact_email)
    if RequestSupporter.objects.filter(request=request, participant=participant).exists():
        raise ValidationError(ALREADY_A_VOICE)
    held.hold(
        kind=HELD_VOICE,
        target=request,
        participant=participant,
        payload={"contact_email": email},
        language=language,
        reason=reason,
    )


def count_held_voice(row: HeldContribution, request: CitizenRequest) -> None:
    """A held voice the desk lets count: recorded as sent, even if the request was closed
    since (it was open when the resident added it)."""
    try:
        _record_voice(
            request, row.participant, str(row.payload.get("contact_email", "")), at=row.held_at
        )
    except ValidationError:
        raise held.NotCountedError from None


# What the requester adds through the private link ------------------------------------------


class RequestClosedError(Exception):
    """The request was closed: nothing more is added to it."""


def _locked_open(request: CitizenRequest) -> CitizenRequest:
    locked = CitizenRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_open:
        raise RequestClosedError
    return locked


def check_room_for_photo(request: CitizenRequest) -> None:
    """ValidationError once the request holds MAX_PHOTOS photos."""
    if request.photos.count() >= MAX_PHOTOS:
        raise ValidationError(PHOTOS_FULL, params={"limit": MAX_PHOTOS})


@transaction.atomic
def add_precision(*, request: CitizenRequest, text: str) -> RequestEvent:
    """A line of the history the desk reads, never public; RequestClosedError once closed."""
    return RequestEvent.objects.create(
        request=_locked_open(request), kind=EventKind.REQUESTER, text=text, public=False
    )


@transaction.atomic
def add_photo(*, request: CitizenRequest, image: Any) -> RequestPhoto:
    """A photo already re-encoded, waiting for the desk before the public sees it; counted
    again under the lock, so that two sent at once do not pass the limit."""
    locked = _locked_open(request)
    check_room_for_photo(locked)
    return RequestPhoto.objects.create(request=locked, image=image, shown=False)
