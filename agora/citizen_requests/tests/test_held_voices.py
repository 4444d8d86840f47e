""" "Moi aussi" stuffing, replayed through HTTP: a script that drops its cookie after each
voice (a new participant each time) from one address. Past the daily share of one
connection, its voices wait for the desk instead of counting; they count once someone who
handles the request says so, or are discarded; both are audited. Verified participants are
never held."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from agora.accounts.models import Department
from agora.accounts.tests.team_factories import DepartmentFactory, client_of, department_manager
from agora.citizen_requests.filing import HELD_VOICE
from agora.citizen_requests.models import CitizenRequest
from agora.citizen_requests.tests.desk_factories import clerk, request_of
from agora.core.models import AuditEntry, HeldContribution
from agora.core.tests.responses import ClientResponse
from agora.ideas.tests.writing import holding, messages_after
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

SHARE = 3
SCREEN = "/gestion/contributions-retenues/"


@pytest.fixture(autouse=True)
def _daily_share(settings: Settings) -> None:
    settings.INTEGRITY_PER_CONNECTION_PER_DAY = SHARE


def voice_from(request: CitizenRequest, client: Client | None = None) -> ClientResponse:
    """One "moi aussi" from a new browser (no cookie: a new participant), unless `client`."""
    url = reverse("citizen_requests:voice", args=[request.tracking_number])
    response: ClientResponse = (client or Client()).post(url, {"contact_email": ""})
    return response


def voices(request: CitizenRequest) -> int:
    return request.supporters.count()


def test_a_script_from_one_address_gets_its_daily_share_counted_and_the_rest_held() -> None:
    pothole = request_of()

    responses = [voice_from(pothole) for _ in range(SHARE + 4)]

    assert voices(pothole) == SHARE
    assert HeldContribution.objects.filter(kind=HELD_VOICE).count() == 4
    assert "sera comptée après une vérification" in messages_after(responses[-1])[0]
    assert messages_after(responses[0]) == [
        f"Votre voix est ajoutée à la requête {pothole.tracking_number}."
    ]


def test_a_held_resident_cannot_add_their_voice_again() -> None:
    pothole = request_of()
    for _ in range(SHARE):
        voice_from(pothole)
    resident = holding(Client(), ParticipantFactory.create())

    voice_from(pothole, resident)
    again = voice_from(pothole, resident)

    assert HeldContribution.objects.count() == 1
    assert messages_after(again) == ["Vous avez déjà ajouté votre voix à cette requête."]


def test_verified_participants_are_counted_however_many() -> None:
    pothole = request_of()

    for _ in range(SHARE + 2):
        verified = ParticipantFactory.create(
            email="x@example.org", email_verified_at="2026-12-01T12:00:00Z"
        )
        voice_from(pothole, holding(Client(), verified))

    assert voices(pothole) == SHARE + 2
    assert not HeldContribution.objects.exists()


def held_on(department: Department | None, times: int) -> CitizenRequest:
    pothole = request_of(department)
    for _ in range(SHARE + times):
        voice_from(pothole)
    return pothole


def test_the_clerk_counts_the_held_voices_and_it_is_audited() -> None:
    pothole = held_on(None, 2)
    desk = client_of(clerk())

    listing = desk.get(SCREEN)
    assert pothole.tracking_number in listing.content.decode()
    assert "2 voix « moi aussi »" in listing.content.decode()

    desk.post(f"{SCREEN}{HELD_VOICE}/{pothole.pk}/compter/")

    assert voices(pothole) == SHARE + 2
    assert not HeldContribution.objects.exists()
    entry = AuditEntry.objects.get(action="held_contributions.counted")
    assert (entry.details["counted"], entry.object_id) == (2, str(pothole.pk))


def test_discarded_voices_are_not_counted() -> None:
    pothole = held_on(None, 2)

    client_of(clerk()).post(f"{SCREEN}{HELD_VOICE}/{pothole.pk}/ecarter/")

    assert voices(pothole) == SHARE
    assert not HeldContribution.objects.exists()


@pytest.mark.parametrize("own_department", [True, False], ids=["theirs", "another"])
def test_a_department_manager_decides_on_their_departments_requests_only(
    own_department: bool,
) -> None:
    roads, parks = DepartmentFactory.create(), DepartmentFactory.create()
    manager = department_manager(roads)
    pothole = held_on(roads if own_department else parks, 1)

    client_of(manager).post(f"{SCREEN}{HELD_VOICE}/{pothole.pk}/compter/")

    assert voices(pothole) == (SHARE + 1 if own_department else SHARE)
