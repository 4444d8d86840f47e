"""The desk's standard replies (Requêtes → Réponses types): clerks and administrators create,
change and delete them through audited writes (reply_templates.py) with the old and new
values; anyone else is refused and nothing is written. A reply is used in the request's
language."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    client_of,
    department_manager,
)
from agora.citizen_requests import audit_actions, reply_templates
from agora.citizen_requests.demo import seed_reply_templates
from agora.citizen_requests.models import ReplyTemplate
from agora.citizen_requests.tests.desk_factories import clerk
from agora.core.models import AuditEntry
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


def _new(**fields: object) -> ReplyTemplate:
    values: dict[str, object] = {
        "title": "Intervention prévue",
        "body_fr": "Une équipe passera cette semaine.",
        "body_en": "A crew will come by this week.",
        "position": 1,
    }
    values.update(fields)
    return ReplyTemplate(**values)


@pytest.fixture
def agent() -> User:
    return clerk()


def test_a_clerk_creates_a_reply_and_the_log_keeps_its_values(agent: User) -> None:
    template = reply_templates.create_reply_template(actor=agent, template=_new())

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.actor_id) == (
        audit_actions.REPLY_TEMPLATE_CREATED,
        str(template.pk),
        agent.pk,
    )
    assert entry.details == {
        "after": {
            "title": "Intervention prévue",
            "body_fr": "Une équipe passera cette semaine.",
            "body_en": "A crew will come by this week.",
            "position": 1,
        }
    }


def test_a_change_keeps_the_old_and_new_value_of_what_changed(agent: User) -> None:
    template = reply_templates.create_reply_template(actor=agent, template=_new())
    template = ReplyTemplate.objects.get(pk=template.pk)
    template.body_en = "A crew will come by next week."

    reply_templates.change_reply_template(actor=agent, template=template)

    entry = AuditEntry.objects.get(action=audit_actions.REPLY_TEMPLATE_CHANGED)
    assert entry.details == {
        "changes": {
            "body_en": {
                "before": "A crew will come by this week.",
                "after": "A crew will come by next week.",
            }
        }
    }
    assert ReplyTemplate.objects.get().body_en == "A crew will come by next week."


def test_a_change_that_changes_nothing_writes_nothing(agent: User) -> None:
    template = reply_templates.create_reply_template(actor=agent, template=_new())
    reply_templates.change_reply_template(
        actor=agent, template=ReplyTemplate.objects.get(pk=template.pk)
    )
    assert not AuditEntry.objects.filter(action=audit_actions.REPLY_TEMPLATE_CHANGED).exists()


def test_a_deletion_keeps_the_values_it_removed(agent: User) -> None:
    template = reply_templates.create_reply_template(actor=agent, template=_new())
    pk = template.pk

    reply_templates.delete_reply_template(actor=agent, template=template)

    assert not ReplyTemplate.objects.exists()
    entry = AuditEntry.objects.get(action=audit_actions.REPLY_TEMPLATE_DELETED)
    assert entry.object_id == str(pk)
    assert entry.details["before"]["title"] == "Intervention prévue"


def test_an_administrator_manages_them_too() -> None:
    reply_templates.create_reply_template(actor=administrator(), template=_new())
    assert ReplyTemplate.objects.count() == 1


@pytest.mark.parametrize(
    "person",
    [
        lambda: department_manager(DepartmentFactory.create()),
        lambda: UserFactory.create(roles=[Role.ELECTED_OFFICIAL]),
        lambda: UserFactory.create(roles=[Role.PROJECT_MODERATOR]),
        lambda: UserFactory.create(),
    ],
    ids=["department manager", "elected official", "project moderator", "resident"],
)
def test_anyone_else_is_refused_and_nothing_is_written(person: object, agent: User) -> None:
    existing = reply_templates.create_reply_template(actor=agent, template=_new())
    AuditEntry.objects.all().delete()
    someone = person()  # type: ignore[operator]
    changed = ReplyTemplate.objects.get(pk=existing.pk)
    changed.title = "Autre"

    with pytest.raises(PermissionDenied):
        reply_templates.create_reply_template(actor=someone, template=_new(title="Nouvelle"))
    with pytest.raises(PermissionDenied):
        reply_templates.change_reply_template(actor=someone, template=changed)
    with pytest.raises(PermissionDenied):
        reply_templates.delete_reply_template(actor=someone, template=existing)

    assert list(ReplyTemplate.objects.values_list("title", flat=True)) == ["Intervention prévue"]
    assert not AuditEntry.objects.exists()


def test_both_texts_and_a_title_of_its_own_are_required(agent: User) -> None:
    reply_templates.create_reply_template(actor=agent, template=_new())

    with pytest.raises(ValidationError) as refusal:
        reply_templates.create_reply_template(actor=agent, template=_new(body_en=""))
    assert "body_en" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        reply_templates.create_reply_template(actor=agent, template=_new())
    assert "title" in refusal.value.message_dict
    assert ReplyTemplate.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_a_reply_is_used_in_the_requests_language() -> None:
    template = _new()
    assert template.body_in("fr") == "Une équipe passera cette semaine."
    assert template.body_in("en") == "A crew will come by this week."
    assert template.body_in("es") == "Une équipe passera cette semaine."


# The screens ------------------------------------------------------------------------------


def test_a_clerk_adds_changes_and_deletes_a_reply_on_the_screens(
    home: HomePage, agent: User
) -> None:
    client = client_of(agent)
    data = {
        "title": "Problème réglé",
        "body_fr": "C'est réparé.",
        "body_en": "It is fixed.",
        "position": "2",
    }

    assert client.post(reverse("reply_templates:add"), data).status_code == 302
    template = ReplyTemplate.objects.get()
    index = client.get(reverse("reply_templates:index")).content.decode()
    assert "Problème réglé" in index
    response = client.post(
        reverse("reply_templates:edit", args=[template.pk]), {**data, "body_en": "Fixed."}
    )
    assert response.status_code == 302
    assert client.post(reverse("reply_templates:delete", args=[template.pk])).status_code == 302

    assert not ReplyTemplate.objects.exists()
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        audit_actions.REPLY_TEMPLATE_CREATED,
        audit_actions.REPLY_TEMPLATE_CHANGED,
        audit_actions.REPLY_TEMPLATE_DELETED,
    ]


def test_the_screen_explains_what_is_missing(home: HomePage, agent: User) -> None:
    response = client_of(agent).post(
        reverse("reply_templates:add"), {"title": "Vide", "body_fr": "", "body_en": ""}
    )
    assert response.status_code == 200
    assert not ReplyTemplate.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_demo_has_a_few_replies_in_both_languages() -> None:
    first = seed_reply_templates()
    again = seed_reply_templates()

    assert [template.pk for template in first] == [template.pk for template in again]
    assert ReplyTemplate.objects.count() == len(first) >= 2
    assert all(template.body_fr and template.body_en for template in first)
