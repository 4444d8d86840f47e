"""Every model that can hold personal data is declared by its app in the personal-data
registry (agora.core.personal_data), with its export and its erasure: a module that adds a
name, an address, a phone number or a link to a person and forgets to declare it fails here,
before a resident's deletion leaves it behind (Loi 25)."""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from agora.core.personal_data import declared_models

# A field is personal when it is an e-mail field, when its name says it holds a name, an
# address or a phone number, or when it links to a person (the account, or a model that
# stands for one: a model with a one-to-one link to the account, such as the participant).
PERSONAL_NAME = re.compile(
    r"(^|_)(name|email|e_mail|courriel|phone|phone_number|telephone|mobile|address"
    r"|postal_code|postcode|zip_code|recipient|birth_date|date_of_birth)$"
)

# Fields that match and hold nothing about a person, one reason each. A whole model is never
# left out: a personal field added to one of these models later still fails.
NOT_ABOUT_A_PERSON: dict[tuple[str, str], str] = {
    # Agora's own models.
    ("core.Branding", "municipality_name"): "the city's name",
    ("core.Branding", "short_name"): "the city's short name under the app icon",
    ("core.Branding", "address"): "city hall's address",
    ("core.Branding", "phone"): "city hall's phone number",
    ("core.Branding", "email"): "city hall's public address",
    ("participation.Phase", "name"): "the name of a step of a project",
    ("participation.ProjectPage", "location_name"): "where a project takes place",
    ("pages.ServiceCategory", "name"): "the name of a category of services",
    ("citizen_requests.Open311Key", "name"): "the application an API key is for",
    ("alerts.Alert", "send_email"): "whether an alert goes out by e-mail (a yes or no)",
    # What Agora builds on.
    ("auth.Group", "name"): "a role's name",
    ("auth.Permission", "name"): "a permission's name",
    ("django_tasks_database.DBTaskResult", "queue_name"): "a queue's name",
    ("django_tasks_database.DBTaskResult", "backend_name"): "a task backend's name",
    ("taggit.Tag", "name"): "a tag",
    ("wagtailcore.Collection", "name"): "a folder of images and documents",
    ("wagtailcore.Site", "site_name"): "the portal's name",
    ("wagtailcore.Task", "name"): "a step of a publication workflow",
    ("wagtailcore.Workflow", "name"): "a publication workflow",
    ("wagtailembeds.Embed", "author_name"): "the public author of an embedded video",
    ("wagtailembeds.Embed", "provider_name"): "the site an embedded video comes from",
    # Staff-only links to the account. A deleted account's row stays, emptied: these links
    # then lead to "Ancien participant" and keep the history of the city's pages provable.
    ("wagtailcore.Page", "owner"): "staff-only: who created a page",
    ("citizen_requests.Open311Key", "created_by"): "staff-only: who issued an API key",
    ("alerts.Alert", "created_by"): "staff-only: who wrote an alert",
    ("alerts.Alert", "approved_by"): "staff-only: who approved an emergency alert",
    ("wagtailcore.Page", "locked_by"): "staff-only: who holds a page's edit lock",
    ("wagtailcore.Revision", "user"): "staff-only: the author of a revision",
    ("wagtailcore.PageLogEntry", "user"): "staff-only: Wagtail's history of a page",
    ("wagtailcore.ModelLogEntry", "user"): "staff-only: Wagtail's history of a snippet",
    ("wagtailcore.WorkflowState", "requested_by"): "staff-only: who asked for an approval",
    ("wagtailcore.TaskState", "finished_by"): "staff-only: who approved or rejected",
    ("wagtailcore.Comment", "user"): "staff-only: an editor's comment on a page",
    ("wagtailcore.Comment", "resolved_by"): "staff-only: who resolved an editor's comment",
    ("wagtailcore.CommentReply", "user"): "staff-only: an editor's reply",
    ("wagtailimages.Image", "uploaded_by_user"): "staff-only: who uploaded an image",
    ("wagtailcore.UploadedFile", "uploaded_by_user"): "staff-only: an upload in progress",
    ("wagtaildocs.Document", "uploaded_by_user"): "staff-only: who uploaded a document",
}


def person_models() -> set[type[models.Model]]:
    """The account, and every model that stands for a person by a one-to-one link to it."""
    user_model = get_user_model()
    stand_ins = {
        model
        for model in apps.get_models()
        for field in model._meta.local_fields
        if field.one_to_one and field.related_model is user_model
    }
    return {user_model, *stand_ins}


def is_personal(field: models.Field[Any, Any], people: set[type[models.Model]]) -> bool:
    named_like_personal_data = bool(PERSONAL_NAME.search(field.name))
    links_to_a_person = field.is_relation and field.related_model in people
    return isinstance(field, models.EmailField) or named_like_personal_data or links_to_a_person


def personal_fields(model: type[models.Model], people: set[type[models.Model]]) -> list[str]:
    """The fields of `model` itself (not those of a parent model) that can hold personal
    data."""
    fields = [*model._meta.local_fields, *model._meta.local_many_to_many]
    return [field.name for field in fields if is_personal(field, people)]


def undeclared_personal_fields() -> list[str]:
    declared = declared_models()
    people = person_models()
    undeclared = []
    for model in apps.get_models():
        if model._meta.proxy or model in declared:
            continue
        for name in personal_fields(model, people):
            if (model._meta.label, name) not in NOT_ABOUT_A_PERSON:
                undeclared.append(f"{model._meta.label}.{name}")
    return undeclared


def test_every_model_with_personal_data_is_declared_by_its_app() -> None:
    assert undeclared_personal_fields() == [], (
        "These fields can hold personal data, in models no app declared: declare them with "
        "agora.core.personal_data.register_personal_data (with their export and erasure), "
        "or, if they hold nothing about a person, list them in NOT_ABOUT_A_PERSON with why."
    )


def test_the_participant_counts_as_a_person() -> None:
    assert "Participant" in {model.__name__ for model in person_models()}


def test_every_exception_still_names_a_field_that_exists() -> None:
    """An exception left behind by a renamed field would hide the field that replaces it."""
    people = person_models()
    existing = {
        (model._meta.label, name)
        for model in apps.get_models()
        for name in personal_fields(model, people)
    }
    assert set(NOT_ABOUT_A_PERSON) - existing == set()
