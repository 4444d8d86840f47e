"""Administrators edit the synonyms of the site search in /gestion/; every change is in the
audit log, and nobody else may make one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory, administrator, client_of
from agora.core import audit_actions
from agora.core.models import AuditEntry, SearchSynonymGroup
from agora.core.synonyms import (
    create_synonym_group,
    delete_synonym_group,
    update_synonym_group,
)

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_a_group_in_the_back_office_and_the_log_says_so() -> None:
    admin = administrator()

    response = client_of(admin).post(
        reverse("search_synonyms:add"),
        {"language": "fr", "terms": "vidanges,  ordures, poubelle, déchets, ordures"},
    )

    assert response.status_code == 302
    group = SearchSynonymGroup.objects.get()
    assert group.terms == "vidanges, ordures, poubelle, déchets"
    entry = AuditEntry.objects.get(action=audit_actions.SEARCH_SYNONYMS_CREATED)
    assert entry.actor_id == admin.pk
    assert entry.details == {"language": "fr", "terms": group.terms}


def test_an_edit_and_a_deletion_are_logged_with_what_changed() -> None:
    admin = administrator()
    group = create_synonym_group(actor=admin, language="fr", terms="bac brun, compost")

    update_synonym_group(
        actor=admin, group=group, language="fr", terms="bac brun, compost, matières organiques"
    )
    delete_synonym_group(actor=admin, group=group)

    updated = AuditEntry.objects.get(action=audit_actions.SEARCH_SYNONYMS_UPDATED)
    assert updated.details["before"]["terms"] == "bac brun, compost"
    assert updated.details["after"]["terms"] == "bac brun, compost, matières organiques"
    assert AuditEntry.objects.filter(action=audit_actions.SEARCH_SYNONYMS_DELETED).exists()
    assert not SearchSynonymGroup.objects.exists()


def test_a_group_of_one_term_is_refused_and_nothing_is_written() -> None:
    admin = administrator()

    with pytest.raises(ValidationError) as refused:
        create_synonym_group(actor=admin, language="fr", terms="compost, Compost,")

    assert "terms" in refused.value.message_dict
    assert not SearchSynonymGroup.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.COMMUNICATIONS, Role.DEPARTMENT_MANAGER, Role.CLERK, Role.ELECTED_OFFICIAL]
)
def test_other_staff_can_neither_open_nor_change_the_synonyms(role: Role) -> None:
    person: User = UserFactory.create(roles=[role])
    client = client_of(person)

    assert client.get(reverse("search_synonyms:index")).status_code == 403
    response = client.post(reverse("search_synonyms:add"), {"language": "fr", "terms": "a, b"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        create_synonym_group(actor=person, language="fr", terms="neige, déneigement")
    assert not SearchSynonymGroup.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_back_office_form_explains_a_group_of_one_term() -> None:
    response = client_of(administrator()).post(
        reverse("search_synonyms:add"), {"language": "fr", "terms": "compost"}
    )

    assert response.status_code == 200
    assert "au moins deux termes" in response.content.decode()
    assert not SearchSynonymGroup.objects.exists()
