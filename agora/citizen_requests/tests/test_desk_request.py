"""The page of one request at the desk (/gestion/requetes/<pk>/): everything the desk reads of
it, and each form calling its function of workflow.py. A refusal is shown on its form, the page
answered 400, and nothing is written; the standard replies fill the text on the server,
without JavaScript."""

import datetime
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agora.accounts.models import User
from agora.accounts.tests.team_factories import DepartmentFactory, client_of, department_manager
from agora.citizen_requests import audit_actions, workflow
from agora.citizen_requests.models import (
    CitizenRequest,
    EventKind,
    ReplyTemplate,
    RequestEvent,
    RequestPhoto,
    RequestStatus,
    RequestSupporter,
)
from agora.citizen_requests.tests.catalogue_factories import AttributeFactory, ServiceFactory
from agora.citizen_requests.tests.desk_factories import (
    clerk,
    member_of,
    request_of,
    service_of,
    voice,
)
from agora.citizen_requests.tests.test_follow_status import photo
from agora.core.models import AuditEntry
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

CLOCK = datetime.datetime(2026, 12, 20, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def agent() -> User:
    return clerk()


@pytest.fixture
def desk(home: HomePage, agent: User) -> Client:
    return client_of(agent)


def url(request: CitizenRequest, name: str = "detail", *args: Any) -> str:
    return reverse(f"requests_desk:{name}", args=[request.pk, *args])


def page(response: Any) -> str:
    """The page's text, its entities read (an apostrophe is &#x27; in the HTML)."""
    return unescape(response.content.decode())


def _written() -> tuple[int, int, int]:
    return (
        RequestEvent.objects.count(),
        AuditEntry.objects.count(),
        CitizenRequest.objects.count(),
    )


def _unchanged(request: CitizenRequest) -> tuple[Any, ...]:
    fresh = CitizenRequest.objects.get(pk=request.pk)
    return (
        fresh.status,
        fresh.department_id,
        fresh.assignee_id,
        fresh.duplicate_of_id,
        fresh.updated_at,
        *_written(),
        RequestSupporter.objects.count(),
    )


# What the page shows ----------------------------------------------------------------------


def test_the_page_shows_everything_the_desk_may_read(desk: Client, agent: User) -> None:
    roads = DepartmentFactory.create(name="Travaux publics")
    service = service_of(roads, name_fr="Nid-de-poule")
    AttributeFactory.create(service=service, code="profondeur", description_fr="Profondeur?")
    request = request_of(
        service=service,
        answers={"profondeur": "10 cm"},
        contact_name="Suzanne Tremblay",
        photos=[photo(), photo()],
    )
    voice(request, "voisin@example.org")
    duplicate = request_of(service=service)
    workflow.merge_duplicate(duplicate, into=request, actor=agent)
    workflow.add_note(request, actor=agent, text="Voir avec l'équipe de nuit.", public=False)
    workflow.add_note(request, actor=agent, text="Nous passons mardi.", public=True)
    shown, hidden = RequestPhoto.objects.filter(request=request)
    workflow.show_photo(shown, actor=agent, shown=True)

    response = desk.get(url(request))

    html = page(response)
    assert response.status_code == 200
    for text in (
        request.tracking_number,
        "Nid-de-poule",
        "Travaux publics",
        "Un trou profond devant le 12.",
        "12, rue des Érables",
        "Profondeur?",
        "10 cm",
        "Suzanne Tremblay",
        "suzanne@example.org",
        "450 555-0199",
        "Voir avec l'équipe de nuit.",
        "Nous passons mardi.",
        "Note interne",
        "non publique",
        duplicate.tracking_number,
        "Doublons fusionnés dans cette requête",
        "Visible au public.",
        "Pas encore montrée au public.",
        "En retard",  # due on 14 December, read on the 20th
    ):
        assert text in html, text
    assert url(request, "photo", shown.pk) in html
    assert url(request, "photo", hidden.pk) in html
    assert "<dt>Voix « moi aussi »</dt>\n    <dd>1</dd>" in html
    # Only the legal moves are offered, and the forms of an open request.
    assert 'value="acknowledged"' in html
    assert 'value="duplicate"' not in html
    assert url(request, "reopen") not in html
    assert url(request, "merge") in html


def test_the_desk_sees_a_photo_not_yet_shown_to_the_public(desk: Client) -> None:
    request = request_of(photos=[photo()])
    hidden = RequestPhoto.objects.get(request=request)

    response = desk.get(url(request, "photo", hidden.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    public = reverse("citizen_requests:status_photo", args=[request.tracking_number, hidden.pk])
    assert Client().get(public).status_code == 404


def test_another_requests_photo_is_not_found_through_this_request(desk: Client) -> None:
    request, other = request_of(), request_of(photos=[photo()])
    their_photo = RequestPhoto.objects.get(request=other)
    # Django's LocaleMiddleware tries the address under /fr/ first: the end is a 404.
    assert desk.get(url(request, "photo", their_photo.pk), follow=True).status_code == 404
    assert (
        desk.post(
            url(request, "photo_visibility", their_photo.pk), {"visible": "1"}, follow=True
        ).status_code
        == 404
    )
    assert not RequestPhoto.objects.get(pk=their_photo.pk).shown


def test_a_photo_is_shown_then_hidden_by_a_button(desk: Client) -> None:
    request = request_of(photos=[photo()])
    found = RequestPhoto.objects.get(request=request)

    response = desk.post(url(request, "photo_visibility", found.pk), {"visible": "1"})

    assert response.status_code == 302
    assert response["Location"].endswith("#photos")
    assert RequestPhoto.objects.get(pk=found.pk).shown
    desk.post(url(request, "photo_visibility", found.pk), {"visible": "0"})
    assert not RequestPhoto.objects.get(pk=found.pk).shown
    assert AuditEntry.objects.filter(action=audit_actions.REQUEST_PHOTO_HIDDEN).count() == 1


def test_a_closed_request_offers_reopening_only(desk: Client, agent: User) -> None:
    request = request_of()
    workflow.change_status(request, status=RequestStatus.RESOLVED, actor=agent)

    html = desk.get(url(request)).content.decode()

    assert url(request, "reopen") in html
    for name in ("status", "assign", "question", "merge"):
        assert url(request, name) not in html, name
    assert url(request, "note") in html


# Changing the status ------------------------------------------------------------------------


def test_a_legal_move_is_made_and_the_page_says_so(desk: Client) -> None:
    request = request_of()

    response = desk.post(
        url(request, "status"),
        {"etat-status": "resolved", "etat-note": "Le trou est bouché.", "action": "enregistrer"},
        follow=True,
    )

    assert CitizenRequest.objects.get(pk=request.pk).status == RequestStatus.RESOLVED
    assert "La requête est maintenant « Résolue »." in page(response)
    assert AuditEntry.objects.get(action=audit_actions.REQUEST_STATUS_CHANGED).details["to"] == (
        "resolved"
    )


def test_rejecting_without_a_reason_shows_the_workflows_message(desk: Client) -> None:
    request = request_of()
    before = _unchanged(request)

    response = desk.post(url(request, "status"), {"etat-status": "rejected", "etat-note": ""})

    html = page(response)
    assert response.status_code == 400
    assert "Écrivez la raison : elle est envoyée au requérant." in html
    assert "Rien n'a été enregistré" in html
    assert _unchanged(request) == before


def test_an_illegal_move_posted_anyway_is_refused_with_its_reason(
    desk: Client, agent: User
) -> None:
    request = request_of()
    workflow.change_status(request, status=RequestStatus.RESOLVED, actor=agent)
    before = _unchanged(request)

    response = desk.post(url(request, "status"), {"etat-status": "in_progress"})

    assert response.status_code == 400
    assert "Une requête « Résolue » ne peut pas passer à « En cours »." in (page(response))
    assert _unchanged(request) == before


def test_a_status_that_does_not_exist_is_refused_by_the_form(desk: Client) -> None:
    request = request_of()
    before = _unchanged(request)
    response = desk.post(url(request, "status"), {"etat-status": "archived"})
    assert response.status_code == 400
    assert _unchanged(request) == before


def test_no_status_chosen_is_refused_by_the_form(desk: Client) -> None:
    request = request_of()
    before = _unchanged(request)
    response = desk.post(url(request, "status"), {"etat-status": "", "etat-note": "Vu."})
    assert response.status_code == 400
    assert "Choisissez le nouvel état." in page(response)
    assert _unchanged(request) == before


def test_a_status_change_is_a_post(desk: Client) -> None:
    request = request_of()
    assert desk.get(url(request, "status")).status_code == 405


# Standard replies, without JavaScript --------------------------------------------------------


@pytest.fixture
def template() -> ReplyTemplate:
    return ReplyTemplate.objects.create(
        title="Intervention prévue",
        body_fr="Une équipe passera cette semaine.",
        body_en="A crew will come by this week.",
    )


def test_using_a_template_fills_the_note_in_the_requests_language(
    desk: Client, template: ReplyTemplate
) -> None:
    request = request_of(language="en")
    before = _unchanged(request)

    response = desk.post(
        url(request, "note"),
        {
            "note-visibility": "publique",
            "note-template": str(template.pk),
            "note-text": "",
            "action": "utiliser-reponse-type",
        },
    )

    html = page(response)
    assert response.status_code == 200
    assert "A crew will come by this week.</textarea>" in html
    assert (
        'value="publique" checked' in html
        or 'checked value="publique"' in html
        or ('value="publique"' in html and "checked" in html)
    )
    assert _unchanged(request) == before


def test_the_text_filled_by_a_template_is_then_sent_as_a_public_reply(
    desk: Client, template: ReplyTemplate
) -> None:
    request = request_of()

    html = desk.post(
        url(request, "note"),
        {
            "note-visibility": "publique",
            "note-template": str(template.pk),
            "action": "utiliser-reponse-type",
        },
    ).content.decode()
    assert "Une équipe passera cette semaine.</textarea>" in html
    response = desk.post(
        url(request, "note"),
        {
            "note-visibility": "publique",
            "note-template": str(template.pk),
            "note-text": "Une équipe passera cette semaine. Merci!",
            "action": "enregistrer",
        },
    )

    assert response.status_code == 302
    event = RequestEvent.objects.get(kind=EventKind.PUBLIC_NOTE)
    assert (event.text, event.public) == ("Une équipe passera cette semaine. Merci!", True)


def test_using_a_template_in_the_status_form_keeps_the_status_chosen(
    desk: Client, template: ReplyTemplate
) -> None:
    request = request_of()

    response = desk.post(
        url(request, "status"),
        {
            "etat-status": "in_progress",
            "etat-template": str(template.pk),
            "action": "utiliser-reponse-type",
        },
    )

    html = page(response)
    assert response.status_code == 200
    assert "Une équipe passera cette semaine.</textarea>" in html
    assert '<option value="in_progress" selected>' in html
    assert CitizenRequest.objects.get(pk=request.pk).status == RequestStatus.NEW


def test_using_no_template_says_to_choose_one(desk: Client) -> None:
    request = request_of()
    before = _unchanged(request)

    response = desk.post(
        url(request, "note"), {"note-visibility": "interne", "action": "utiliser-reponse-type"}
    )

    assert response.status_code == 400
    assert "Choisissez une réponse type à utiliser." in page(response)
    assert _unchanged(request) == before


# Notes, questions -------------------------------------------------------------------------


def test_an_internal_note_is_saved_for_the_desk(desk: Client) -> None:
    request = request_of()

    response = desk.post(
        url(request, "note"),
        {
            "note-visibility": "interne",
            "note-text": "Voir avec la voirie.",
            "action": "enregistrer",
        },
        follow=True,
    )

    event = RequestEvent.objects.get(kind=EventKind.INTERNAL_NOTE)
    assert (event.text, event.public) == ("Voir avec la voirie.", False)
    assert "La note interne est enregistrée." in page(response)


def test_an_empty_note_is_refused(desk: Client) -> None:
    request = request_of()
    before = _unchanged(request)
    response = desk.post(
        url(request, "note"),
        {"note-visibility": "interne", "note-text": "", "action": "enregistrer"},
    )
    assert response.status_code == 400
    assert "Écrivez la note avant de l'enregistrer." in page(response)
    assert _unchanged(request) == before


def test_a_question_is_sent_to_the_requester(desk: Client) -> None:
    request = request_of()
    response = desk.post(url(request, "question"), {"question-question": "Quelle profondeur?"})
    assert response.status_code == 302
    assert RequestEvent.objects.get(kind=EventKind.QUESTION).text == "Quelle profondeur?"


def test_an_empty_question_is_refused(desk: Client) -> None:
    request = request_of()
    before = _unchanged(request)
    response = desk.post(url(request, "question"), {"question-question": " "})
    assert response.status_code == 400
    assert "Écrivez la question avant de l'envoyer." in page(response)
    assert _unchanged(request) == before


# Assignment -------------------------------------------------------------------------------


def test_a_request_is_assigned_to_a_department_and_an_agent(desk: Client) -> None:
    roads = DepartmentFactory.create(name="Voirie")
    request = request_of(roads)
    worker = member_of(roads)

    html = desk.get(url(request)).content.decode()
    assert f'<option value="{worker.pk}">' in html
    response = desk.post(
        url(request, "assign"),
        {"attribution-department": str(roads.pk), "attribution-assignee": str(worker.pk)},
    )

    assert response.status_code == 302
    assert CitizenRequest.objects.get(pk=request.pk).assignee_id == worker.pk
    assert AuditEntry.objects.filter(action=audit_actions.REQUEST_ASSIGNED).count() == 1


def test_an_agent_of_another_department_is_refused_with_the_workflows_message(
    desk: Client,
) -> None:
    roads, parks = DepartmentFactory.create(), DepartmentFactory.create()
    request = request_of(roads)
    worker = member_of(roads, first_name="Rita", last_name="Route")
    before = _unchanged(request)

    response = desk.post(
        url(request, "assign"),
        {"attribution-department": str(parks.pk), "attribution-assignee": str(worker.pk)},
    )

    assert response.status_code == 400
    assert "Rita Route ne travaille pas pour ce service municipal." in page(response)
    assert _unchanged(request) == before


def test_an_assignment_that_changes_nothing_says_so(desk: Client) -> None:
    roads = DepartmentFactory.create()
    request = request_of(roads)
    response = desk.post(
        url(request, "assign"), {"attribution-department": str(roads.pk)}, follow=True
    )
    assert "rien n'a changé" in page(response)
    assert not AuditEntry.objects.exists()


# Merging and reopening ----------------------------------------------------------------------


def test_a_request_is_merged_into_another_by_tracking_number(desk: Client) -> None:
    original, duplicate = request_of(), request_of()
    voice(duplicate, "voisine@example.org")

    response = desk.post(
        url(duplicate, "merge"),
        {"fusion-number": f"  {original.tracking_number.lower()} ", "fusion-note": "Même trou."},
    )

    assert response.status_code == 302
    stored = CitizenRequest.objects.get(pk=duplicate.pk)
    assert (stored.status, stored.duplicate_of_id) == (RequestStatus.DUPLICATE, original.pk)
    assert original.supporters.count() == 1


@pytest.mark.parametrize("number", ["R-2026-999999", "pas un numéro"])
def test_an_unknown_tracking_number_is_refused(desk: Client, number: str) -> None:
    request = request_of()
    before = _unchanged(request)

    response = desk.post(url(request, "merge"), {"fusion-number": number})

    assert response.status_code == 400
    assert "Aucune requête ne porte le numéro" in page(response)
    assert _unchanged(request) == before


def test_merging_into_itself_shows_the_workflows_message(desk: Client) -> None:
    request = request_of()
    before = _unchanged(request)
    response = desk.post(url(request, "merge"), {"fusion-number": request.tracking_number})
    assert response.status_code == 400
    assert "Une requête ne peut pas être le doublon d'elle-même." in page(response)
    assert _unchanged(request) == before


def test_a_manager_does_not_merge_into_another_departments_request(home: HomePage) -> None:
    roads, parks = DepartmentFactory.create(), DepartmentFactory.create()
    request, theirs = request_of(roads), request_of(parks)
    before = _unchanged(request)

    response = client_of(department_manager(roads)).post(
        url(request, "merge"), {"fusion-number": theirs.tracking_number}
    )

    assert response.status_code == 400
    assert "Vous ne pouvez pas traiter la requête" in page(response)
    assert _unchanged(request) == before


def test_a_closed_request_is_reopened_with_a_reason(desk: Client, agent: User) -> None:
    request = request_of()
    workflow.change_status(request, status=RequestStatus.RESOLVED, actor=agent)

    refused = desk.post(url(request, "reopen"), {"reouverture-note": ""})
    assert refused.status_code == 400
    assert "Écrivez la raison" in page(refused)
    assert CitizenRequest.objects.get(pk=request.pk).status == RequestStatus.RESOLVED

    response = desk.post(url(request, "reopen"), {"reouverture-note": "Le trou est revenu."})

    assert response.status_code == 302
    assert CitizenRequest.objects.get(pk=request.pk).status == RequestStatus.ACKNOWLEDGED


def test_an_unknown_request_is_not_found(desk: Client) -> None:
    response = desk.get(reverse("requests_desk:detail", args=[999_999]), follow=True)
    assert response.status_code == 404


def test_the_service_of_another_theme_is_named(desk: Client) -> None:
    request = request_of(service=ServiceFactory.create(name_fr="Lampadaire brisé"))
    assert "Lampadaire brisé" in desk.get(url(request)).content.decode()
