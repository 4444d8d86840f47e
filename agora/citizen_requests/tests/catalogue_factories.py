"""Themes, services and questions of the catalogue of requests, as the catalogue's tests need
them."""

from typing import Any

from factory.declarations import Sequence, SubFactory
from factory.django import DjangoModelFactory

from agora.citizen_requests.models import (
    AttributeKind,
    RequestService,
    ServiceAttribute,
    ServiceGroup,
)


class ThemeFactory(DjangoModelFactory[ServiceGroup]):
    class Meta:
        model = ServiceGroup

    name_fr = Sequence(lambda n: f"Thème {n}")
    name_en = Sequence(lambda n: f"Theme {n}")
    slug = Sequence(lambda n: f"theme-{n}")


class ServiceFactory(DjangoModelFactory[RequestService]):
    class Meta:
        model = RequestService

    code = Sequence(lambda n: f"service-{n}")
    name_fr = Sequence(lambda n: f"Nid-de-poule {n}")
    name_en = Sequence(lambda n: f"Pothole {n}")
    group = SubFactory(ThemeFactory)


class AttributeFactory(DjangoModelFactory[ServiceAttribute]):
    class Meta:
        model = ServiceAttribute

    service = SubFactory(ServiceFactory)
    code = Sequence(lambda n: f"question-{n}")
    order = Sequence(lambda n: n + 1)
    kind = AttributeKind.STRING
    description_fr = Sequence(lambda n: f"Question {n}?")


def choice_attribute(**fields: Any) -> ServiceAttribute:
    fields.setdefault("kind", AttributeKind.SINGLE)
    fields.setdefault(
        "values",
        [
            {"key": "petit", "name_fr": "Petit", "name_en": "Small"},
            {"key": "grand", "name_fr": "Grand", "name_en": "Large"},
        ],
    )
    return AttributeFactory.create(**fields)
