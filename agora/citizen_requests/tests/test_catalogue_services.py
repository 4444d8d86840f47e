"""The writes of the catalogue of requests (catalogue.py): each is checked, validated and in
the audit log with its old and new values; a refusal writes nothing."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from agora.accounts.tests.team_factories import DepartmentFactory, administrator, resident
from agora.citizen_requests import audit_actions, catalogue
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

pytestmark = pytest.mark.django_db


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# Themes


def test_an_administrator_creates_a_theme_and_the_log_keeps_its_values() -> None:
    admin = administrator()
    theme = catalogue.create_theme(
        actor=admin, theme=ServiceGroup(name_fr="Voirie", name_en="Roads", slug="voirie")
    )
    (entry,) = _entries(audit_actions.REQUEST_THEME_CREATED)
    assert entry.actor_id == admin.pk
    assert entry.object_id == str(theme.pk)
    assert entry.details["after"] == {
        "name_fr": "Voirie",
        "name_en": "Roads",
        "slug": "voirie",
        "position": 0,
    }


def test_a_change_of_a_theme_is_logged_with_what_changed_only() -> None:
    theme = ThemeFactory.create(name_fr="Voirie", name_en="Roads")
    theme.name_en = "Streets"
    catalogue.change_theme(actor=administrator(), theme=theme)
    (entry,) = _entries(audit_actions.REQUEST_THEME_CHANGED)
    assert entry.details["changes"] == {"name_en": {"before": "Roads", "after": "Streets"}}


def test_a_change_that_changes_nothing_writes_nothing() -> None:
    theme = ThemeFactory.create()
    catalogue.change_theme(actor=administrator(), theme=theme)
    assert not AuditEntry.objects.exists()


def test_a_theme_that_still_groups_services_is_not_deleted() -> None:
    service = ServiceFactory.create()
    with pytest.raises(ValidationError) as refusal:
        catalogue.delete_theme(actor=administrator(), theme=service.group)
    assert "regroupe encore des services" in " ".join(refusal.value.messages)
    assert ServiceGroup.objects.filter(pk=service.group.pk).exists()
    assert not AuditEntry.objects.exists()


def test_an_empty_theme_is_deleted_and_the_log_keeps_its_values() -> None:
    theme = ThemeFactory.create(name_fr="Collectes")
    catalogue.delete_theme(actor=administrator(), theme=theme)
    assert not ServiceGroup.objects.exists()
    (entry,) = _entries(audit_actions.REQUEST_THEME_DELETED)
    assert entry.details["before"]["name_fr"] == "Collectes"


def test_a_theme_without_french_name_is_refused() -> None:
    with pytest.raises(ValidationError) as refusal:
        catalogue.create_theme(
            actor=administrator(), theme=ServiceGroup(name_fr="", name_en="Roads", slug="roads")
        )
    assert "name_fr" in refusal.value.message_dict
    assert not ServiceGroup.objects.exists()
    assert not AuditEntry.objects.exists()


# Services


def test_an_administrator_creates_a_service_with_its_department_and_target() -> None:
    theme, department = ThemeFactory.create(), DepartmentFactory.create()
    service = catalogue.create_service(
        actor=administrator(),
        service=RequestService(
            code="nid-de-poule",
            name_fr="Nid-de-poule",
            name_en="Pothole",
            group=theme,
            department=department,
            target_days=5,
            photo="required",
            public=False,
        ),
    )
    (entry,) = _entries(audit_actions.REQUEST_SERVICE_CREATED)
    assert entry.object_id == str(service.pk)
    after = entry.details["after"]
    assert after["code"] == "nid-de-poule"
    assert after["group_id"] == theme.pk
    assert after["department_id"] == department.pk
    assert (after["target_days"], after["photo"], after["public"]) == (5, "required", False)


def test_a_change_of_a_service_records_old_and_new_values_of_its_code_and_department() -> None:
    service = ServiceFactory.create(code="nid", target_days=10)
    department = DepartmentFactory.create()
    service.code = "nid-de-poule"
    service.department = department
    service.target_days = 3
    catalogue.change_service(actor=administrator(), service=service)
    (entry,) = _entries(audit_actions.REQUEST_SERVICE_CHANGED)
    assert entry.details["changes"] == {
        "code": {"before": "nid", "after": "nid-de-poule"},
        "department_id": {"before": None, "after": department.pk},
        "target_days": {"before": 10, "after": 3},
    }
    service.refresh_from_db()
    assert (service.code, service.department, service.target_days) == (
        "nid-de-poule",
        department,
        3,
    )


def test_a_duplicate_service_code_is_refused_and_nothing_is_written() -> None:
    existing = ServiceFactory.create(code="nid-de-poule")
    with pytest.raises(ValidationError) as refusal:
        catalogue.create_service(
            actor=administrator(),
            service=RequestService(
                code="nid-de-poule", name_fr="Autre", name_en="Other", group=existing.group
            ),
        )
    assert "code" in refusal.value.message_dict
    assert RequestService.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_a_target_of_zero_days_is_refused() -> None:
    service = ServiceFactory.create(target_days=10)
    service.target_days = 0
    with pytest.raises(ValidationError):
        catalogue.change_service(actor=administrator(), service=service)
    service.refresh_from_db()
    assert service.target_days == 10


def test_a_deleted_service_takes_its_questions_and_the_log_keeps_both() -> None:
    attribute = choice_attribute(code="taille")
    service = attribute.service
    catalogue.delete_service(actor=administrator(), service=service)
    assert not RequestService.objects.exists()
    assert not ServiceAttribute.objects.exists()
    (entry,) = _entries(audit_actions.REQUEST_SERVICE_DELETED)
    assert entry.details["before"]["code"] == service.code
    assert entry.details["questions"][0]["code"] == "taille"
    assert entry.details["questions"][0]["values"][0]["key"] == "petit"


# Questions


def _new_attribute(service: RequestService, **fields: object) -> ServiceAttribute:
    fields.setdefault("code", "profondeur")
    fields.setdefault("kind", AttributeKind.NUMBER)
    fields.setdefault("description_fr", "Profondeur (cm)?")
    return ServiceAttribute(service=service, **fields)


def test_a_question_is_added_after_the_others_and_logged_on_its_service() -> None:
    service = ServiceFactory.create()
    AttributeFactory.create(service=service, order=4)
    attribute = catalogue.add_attribute(actor=administrator(), attribute=_new_attribute(service))
    assert attribute.order == 5
    (entry,) = _entries(audit_actions.REQUEST_QUESTION_ADDED)
    assert entry.object_id == str(service.pk)
    assert entry.details["after"]["kind"] == "number"


def test_a_choice_question_without_choices_is_refused_and_nothing_is_written() -> None:
    service = ServiceFactory.create()
    with pytest.raises(ValidationError) as refusal:
        catalogue.add_attribute(
            actor=administrator(), attribute=_new_attribute(service, kind=AttributeKind.SINGLE)
        )
    assert "values" in refusal.value.message_dict
    assert not ServiceAttribute.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_question_code_used_by_another_question_of_the_service_is_refused() -> None:
    existing = AttributeFactory.create(code="profondeur")
    with pytest.raises(ValidationError) as refusal:
        catalogue.add_attribute(actor=administrator(), attribute=_new_attribute(existing.service))
    assert refusal.value.message_dict["code"] == [str(catalogue.CODE_TAKEN)]
    assert ServiceAttribute.objects.count() == 1


def test_the_same_question_code_is_fine_in_another_service() -> None:
    AttributeFactory.create(code="profondeur")
    catalogue.add_attribute(
        actor=administrator(), attribute=_new_attribute(ServiceFactory.create())
    )
    assert ServiceAttribute.objects.count() == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([{"key": "Très grand", "name_fr": "Très grand"}], "la clé ne contient que"),
        (
            [{"key": "a", "name_fr": "A"}, {"key": "a", "name_fr": "B"}],
            "revient plus d'une fois",
        ),
        ([{"key": "a", "name_fr": " "}], "n'a pas de libellé français"),
    ],
)
def test_choices_with_bad_keys_or_no_french_label_are_refused(
    values: list[dict[str, str]], message: str
) -> None:
    service = ServiceFactory.create()
    with pytest.raises(ValidationError) as refusal:
        catalogue.add_attribute(
            actor=administrator(),
            attribute=_new_attribute(service, kind=AttributeKind.MULTIPLE, values=values),
        )
    assert message in " ".join(refusal.value.message_dict["values"])
    assert not ServiceAttribute.objects.exists()


def test_a_change_of_a_question_records_its_old_and_new_choices() -> None:
    attribute = choice_attribute()
    before = list(attribute.values)
    attribute.values = [*before, {"key": "enorme", "name_fr": "Énorme", "name_en": "Huge"}]
    attribute.required = True
    catalogue.change_attribute(actor=administrator(), attribute=attribute)
    (entry,) = _entries(audit_actions.REQUEST_QUESTION_CHANGED)
    assert entry.details["changes"]["values"] == {"before": before, "after": attribute.values}
    assert entry.details["changes"]["required"] == {"before": False, "after": True}


def test_a_deleted_question_is_logged_with_its_values() -> None:
    attribute = choice_attribute(code="taille")
    catalogue.delete_attribute(actor=administrator(), attribute=attribute)
    assert not ServiceAttribute.objects.exists()
    (entry,) = _entries(audit_actions.REQUEST_QUESTION_DELETED)
    assert entry.details["before"]["code"] == "taille"


def test_a_question_moves_up_and_the_questions_are_numbered_again() -> None:
    service = ServiceFactory.create()
    first, second, third = (
        AttributeFactory.create(service=service, order=order) for order in (3, 7, 9)
    )
    catalogue.move_attribute(actor=administrator(), attribute=third, direction="up")
    assert list(service.attributes.order_by("order").values_list("pk", "order")) == [
        (first.pk, 1),
        (third.pk, 2),
        (second.pk, 3),
    ]
    (entry,) = _entries(audit_actions.REQUEST_QUESTION_MOVED)
    assert entry.details["changes"] == {"position": {"before": 3, "after": 2}}


def test_the_first_question_does_not_move_up_and_nothing_is_logged() -> None:
    first = AttributeFactory.create(order=1)
    catalogue.move_attribute(actor=administrator(), attribute=first, direction="up")
    assert not AuditEntry.objects.exists()


# Choices typed one per line


def test_choices_are_read_one_per_line_with_an_optional_english_label() -> None:
    assert catalogue.parse_choices("petit | Petit | Small\n\n grand|Grand \n") == [
        {"key": "petit", "name_fr": "Petit", "name_en": "Small"},
        {"key": "grand", "name_fr": "Grand", "name_en": ""},
    ]


def test_a_badly_formed_line_names_its_number() -> None:
    with pytest.raises(ValidationError) as refusal:
        catalogue.parse_choices("petit | Petit\nseulement une clé\na | b | c | d")
    messages = refusal.value.messages
    assert len(messages) == 2
    assert messages[0].startswith("Ligne 2 :")
    assert messages[1].startswith("Ligne 3 :")


def test_choices_written_back_read_the_same() -> None:
    values = [
        {"key": "petit", "name_fr": "Petit", "name_en": "Small"},
        {"key": "grand", "name_fr": "Grand", "name_en": ""},
    ]
    assert catalogue.parse_choices(catalogue.format_choices(values)) == values


# Who may


@pytest.mark.parametrize("who", ["resident", "anonymous"])
def test_someone_who_is_not_an_administrator_changes_nothing(who: str) -> None:
    actor = resident() if who == "resident" else AnonymousUser()
    theme = ThemeFactory.create(name_fr="Voirie")
    service = ServiceFactory.create(group=theme)
    attribute = AttributeFactory.create(service=service)
    theme.name_fr = "Rues"
    attempts: list[Callable[[], object]] = [
        lambda: catalogue.create_theme(
            actor=actor, theme=ServiceGroup(name_fr="X", name_en="X", slug="x")
        ),
        lambda: catalogue.change_theme(actor=actor, theme=theme),
        lambda: catalogue.delete_theme(actor=actor, theme=ThemeFactory.create()),
        lambda: catalogue.change_service(actor=actor, service=service),
        lambda: catalogue.delete_service(actor=actor, service=service),
        lambda: catalogue.add_attribute(actor=actor, attribute=_new_attribute(service)),
        lambda: catalogue.change_attribute(actor=actor, attribute=attribute),
        lambda: catalogue.delete_attribute(actor=actor, attribute=attribute),
        lambda: catalogue.move_attribute(actor=actor, attribute=attribute, direction="down"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    theme.refresh_from_db()
    assert theme.name_fr == "Voirie"
    assert RequestService.objects.count() == 1
    assert ServiceAttribute.objects.count() == 1
    assert not AuditEntry.objects.exists()
