"""The catalogue of requests in /gestion/ (Requêtes): an administrator manages themes,
services and their questions through the screens, every save goes through catalogue.py and is
in the audit log, bad input is explained on the form, and the boundary setting is audited."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

from agora.accounts.tests.team_factories import DepartmentFactory, administrator, client_of
from agora.citizen_requests import audit_actions
from agora.citizen_requests.models import (
    AttributeKind,
    RequestService,
    ServiceAttribute,
    ServiceGroup,
)
from agora.citizen_requests.tests.catalogue_factories import (
    AttributeFactory,
    ServiceFactory,
    ThemeFactory,
    choice_attribute,
)
from agora.core.models import AuditEntry
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


def _service_data(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_fr": "Nid-de-poule",
        "name_en": "Pothole",
        "code": "nid-de-poule",
        "description_fr": "Un trou dans la chaussée.",
        "description_en": "A hole in the road.",
        "keywords_fr": "trou, chaussée",
        "keywords_en": "hole, road",
        "target_days": "5",
        "location": "required",
        "photo": "optional",
        "public": "on",
        "active": "on",
        "position": "0",
    }
    data.update(fields)
    return data


def _question_data(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": AttributeKind.SINGLE,
        "code": "taille",
        "description_fr": "Quelle taille?",
        "description_en": "How big?",
        "hint_fr": "",
        "hint_en": "",
        "values": "petit | Petit | Small\ngrand | Grand | Large",
    }
    data.update(fields)
    return data


# Themes


def test_an_administrator_adds_a_theme_and_the_log_says_so() -> None:
    response = client_of(administrator()).post(
        reverse("request_themes:add"),
        {"name_fr": "Voirie", "name_en": "Roads", "slug": "voirie", "position": "1"},
    )
    assert response.status_code == 302
    theme = ServiceGroup.objects.get()
    assert theme.name_en == "Roads"
    assert AuditEntry.objects.get(action=audit_actions.REQUEST_THEME_CREATED).object_id == str(
        theme.pk
    )


def test_a_theme_without_french_name_is_explained_on_the_form() -> None:
    response = client_of(administrator()).post(
        reverse("request_themes:add"),
        {"name_fr": "", "name_en": "Roads", "slug": "roads", "position": "0"},
    )
    assert response.status_code == 200
    assert "name_fr" in response.context["form"].errors
    assert not ServiceGroup.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_theme_with_services_is_not_deleted_and_the_screen_says_why() -> None:
    service = ServiceFactory.create()
    client = client_of(administrator())
    url = reverse("request_themes:delete", args=[service.group.pk])

    confirmation = client.get(url)
    response = client.post(url, follow=True)

    assert "regroupe encore des services" in confirmation.content.decode()
    assert "regroupe encore des services" in response.content.decode()
    assert ServiceGroup.objects.filter(pk=service.group.pk).exists()
    assert not AuditEntry.objects.exists()


def test_an_empty_theme_is_deleted_through_the_screen() -> None:
    theme = ThemeFactory.create()
    response = client_of(administrator()).post(reverse("request_themes:delete", args=[theme.pk]))
    assert response.status_code == 302
    assert not ServiceGroup.objects.exists()
    assert AuditEntry.objects.filter(action=audit_actions.REQUEST_THEME_DELETED).exists()


# Services


def test_an_administrator_adds_a_service_and_lands_on_its_questions() -> None:
    theme, department = ThemeFactory.create(), DepartmentFactory.create()
    response = client_of(administrator()).post(
        reverse("request_services:add"),
        _service_data(group=theme.pk, department=department.pk),
    )
    service = RequestService.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("request_services:edit", args=[service.pk])
    assert (service.group, service.department, service.target_days) == (theme, department, 5)
    assert AuditEntry.objects.filter(action=audit_actions.REQUEST_SERVICE_CREATED).count() == 1


def test_an_edit_of_a_service_is_logged_with_what_changed() -> None:
    service = ServiceFactory.create(code="nid-de-poule", target_days=10)
    client = client_of(administrator())
    url = reverse("request_services:edit", args=[service.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")
    data["target_days"] = "3"
    # The helper reads a check box without a value attribute as "": say which are checked.
    data["active"] = "on"
    data.pop("public")

    response = client.post(url, data)

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=audit_actions.REQUEST_SERVICE_CHANGED)
    assert entry.details["changes"] == {
        "target_days": {"before": 10, "after": 3},
        "public": {"before": True, "after": False},
    }


def test_a_duplicate_service_code_is_explained_on_the_form() -> None:
    existing = ServiceFactory.create(code="nid-de-poule")
    response = client_of(administrator()).post(
        reverse("request_services:add"), _service_data(group=existing.group.pk)
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert RequestService.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_a_service_is_deleted_with_its_questions() -> None:
    attribute = AttributeFactory.create()
    response = client_of(administrator()).post(
        reverse("request_services:delete", args=[attribute.service.pk])
    )
    assert response.status_code == 302
    assert not RequestService.objects.exists()
    assert not ServiceAttribute.objects.exists()
    assert AuditEntry.objects.filter(action=audit_actions.REQUEST_SERVICE_DELETED).exists()


def test_html_typed_in_names_is_shown_as_text() -> None:
    theme = ThemeFactory.create(name_fr="<b>Voirie</b>")
    service = ServiceFactory.create(group=theme, name_fr="<script>alert(1)</script>")
    AttributeFactory.create(service=service, description_fr="<i>Profondeur</i>?")
    client = client_of(administrator())
    pages = [
        client.get(reverse("request_services:index")).content.decode(),
        client.get(reverse("request_themes:index")).content.decode(),
        client.get(reverse("request_services:edit", args=[service.pk])).content.decode(),
    ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0]
    assert "<script>alert(1)</script>" not in "".join(pages)
    assert "&lt;b&gt;Voirie&lt;/b&gt;" in pages[1]
    assert "&lt;i&gt;Profondeur&lt;/i&gt;?" in pages[2]
    assert "<i>Profondeur</i>" not in pages[2]


# Questions


def test_the_edit_page_of_a_service_lists_its_questions_with_their_buttons() -> None:
    service = ServiceFactory.create()
    first = AttributeFactory.create(service=service, order=1, description_fr="Profondeur?")
    AttributeFactory.create(service=service, order=2, description_fr="Largeur?")
    html = (
        client_of(administrator())
        .get(reverse("request_services:edit", args=[service.pk]))
        .content.decode()
    )
    assert html.index("Profondeur?") < html.index("Largeur?")
    assert reverse("request_services:attribute_add", args=[service.pk]) in html
    assert reverse("request_services:attribute_edit", args=[service.pk, first.pk]) in html
    assert reverse("request_services:attribute_move", args=[service.pk, first.pk]) in html
    assert reverse("request_services:attribute_delete", args=[service.pk, first.pk]) in html


def test_an_administrator_adds_a_choice_question_typed_one_choice_per_line() -> None:
    service = ServiceFactory.create()
    response = client_of(administrator()).post(
        reverse("request_services:attribute_add", args=[service.pk]), _question_data()
    )
    assert response.status_code == 302
    attribute = service.attributes.get()
    assert attribute.values == [
        {"key": "petit", "name_fr": "Petit", "name_en": "Small"},
        {"key": "grand", "name_fr": "Grand", "name_en": "Large"},
    ]
    assert AuditEntry.objects.get(action=audit_actions.REQUEST_QUESTION_ADDED).object_id == str(
        service.pk
    )


def test_the_edit_screen_of_a_question_shows_its_choices_as_lines_and_saves_a_change() -> None:
    attribute = choice_attribute()
    client = client_of(administrator())
    url = reverse("request_services:attribute_edit", args=[attribute.service.pk, attribute.pk])
    html = client.get(url).content.decode()
    assert "petit | Petit | Small" in html

    response = client.post(url, _question_data(code=attribute.code, values="petit | Petit | Small"))

    assert response.status_code == 302
    attribute.refresh_from_db()
    assert [value["key"] for value in attribute.values] == ["petit"]
    entry = AuditEntry.objects.get(action=audit_actions.REQUEST_QUESTION_CHANGED)
    assert "values" in entry.details["changes"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"values": ""}, "values", "au moins un choix"),
        ({"values": "petit - Petit"}, "values", "Ligne 1 :"),
        ({"values": "Très petit | Très petit"}, "values", "la clé ne contient que"),
        ({"values": "a | A\na | B"}, "values", "revient plus d'une fois"),
        ({"description_fr": ""}, "description_fr", ""),
        ({"kind": AttributeKind.NUMBER}, "values", "Seule une question à choix"),
    ],
)
def test_bad_questions_are_explained_on_the_form_and_nothing_is_written(
    data: dict[str, str], field: str, message: str
) -> None:
    service = ServiceFactory.create()
    response = client_of(administrator()).post(
        reverse("request_services:attribute_add", args=[service.pk]), _question_data(**data)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ServiceAttribute.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_question_code_taken_in_the_service_is_explained_on_the_form() -> None:
    existing = AttributeFactory.create(code="taille")
    response = client_of(administrator()).post(
        reverse("request_services:attribute_add", args=[existing.service.pk]), _question_data()
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert ServiceAttribute.objects.count() == 1


def test_questions_are_reordered_with_buttons_that_post() -> None:
    service = ServiceFactory.create()
    first = AttributeFactory.create(service=service, order=1)
    second = AttributeFactory.create(service=service, order=2)
    client = client_of(administrator())
    url = reverse("request_services:attribute_move", args=[service.pk, second.pk])

    assert client.get(url).status_code == 405
    response = client.post(url, {"direction": "up"})

    assert response.status_code == 302
    assert list(service.attributes.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    assert client.post(url, {"direction": "sideways"}).status_code == 400


def test_a_question_is_deleted_after_a_confirmation() -> None:
    attribute = AttributeFactory.create(description_fr="Profondeur?")
    client = client_of(administrator())
    url = reverse("request_services:attribute_delete", args=[attribute.service.pk, attribute.pk])

    assert "Profondeur?" in client.get(url).content.decode()
    response = client.post(url)

    assert response.status_code == 302
    assert not ServiceAttribute.objects.exists()
    assert AuditEntry.objects.filter(action=audit_actions.REQUEST_QUESTION_DELETED).exists()


def test_a_question_of_another_service_is_not_found() -> None:
    attribute = AttributeFactory.create()
    other = ServiceFactory.create()
    response = client_of(administrator()).get(
        reverse("request_services:attribute_edit", args=[other.pk, attribute.pk]), follow=True
    )
    assert response.status_code == 404


# The municipality's boundary (Settings → Réglages des requêtes)

SQUARE = json.dumps(
    {
        "type": "Polygon",
        "coordinates": [
            [[-73.6, 45.5], [-73.5, 45.5], [-73.5, 45.6], [-73.6, 45.6], [-73.6, 45.5]]
        ],
    }
)


def test_an_edit_of_the_boundary_is_logged_with_its_old_and_new_values(home: HomePage) -> None:
    admin = administrator()
    site = Site.objects.get(is_default_site=True)
    url = f"/gestion/settings/citizen_requests/requestsettings/{site.pk}/"
    client = client_of(admin)
    data = querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")
    data["boundary"] = SQUARE

    response = client.post(url, data)

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="settings.edited")
    assert entry.actor_id == admin.pk
    assert entry.details["setting"] == "citizen_requests.RequestSettings"
    assert entry.details["changes"] == {"boundary": ["", SQUARE]}
