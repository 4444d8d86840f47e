"""The synonyms of the site search, edited by administrators in /gestion/ (Paramètres →
Synonymes de la recherche). Search reads them at every query: no rebuild follows an edit."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agora.core import audit, audit_actions
from agora.core.models import SearchSynonymGroup
from agora.core.search_text import synonym_terms

EDIT_PERMISSION = "core.edit_search_synonyms"


def _check_may_edit(actor: Any) -> None:
    if not actor.has_perm(EDIT_PERMISSION):
        raise PermissionDenied(_("Seul un administrateur peut modifier les synonymes."))


def _cleaned(terms: str, language: str) -> str:
    """The terms, trimmed, comma-separated, without repeats: at least two, or it is no group."""
    written = [term.strip() for term in terms.replace(";", ",").replace("\n", ",").split(",")]
    unique = list(dict.fromkeys(term for term in written if term))
    if len(synonym_terms(", ".join(unique), language)) < 2:
        raise ValidationError(
            {"terms": _("Donnez au moins deux termes différents, séparés par des virgules.")}
        )
    return ", ".join(unique)


@transaction.atomic
def create_synonym_group(*, actor: Any, language: str, terms: str) -> SearchSynonymGroup:
    _check_may_edit(actor)
    group = SearchSynonymGroup(language=language, terms=_cleaned(terms, language))
    group.full_clean()
    group.save()
    audit.record(
        actor=actor,
        action=audit_actions.SEARCH_SYNONYMS_CREATED,
        target=group,
        details={"language": group.language, "terms": group.terms},
    )
    return group


@transaction.atomic
def update_synonym_group(
    *, actor: Any, group: SearchSynonymGroup, language: str, terms: str
) -> SearchSynonymGroup:
    _check_may_edit(actor)
    group = SearchSynonymGroup.objects.select_for_update().get(pk=group.pk)
    before = {"language": group.language, "terms": group.terms}
    group.language = language
    group.terms = _cleaned(terms, language)
    group.full_clean()
    group.save(update_fields=["language", "terms"])
    audit.record(
        actor=actor,
        action=audit_actions.SEARCH_SYNONYMS_UPDATED,
        target=group,
        details={"before": before, "after": {"language": group.language, "terms": group.terms}},
    )
    return group


@transaction.atomic
def delete_synonym_group(*, actor: Any, group: SearchSynonymGroup) -> None:
    _check_may_edit(actor)
    audit.record(
        actor=actor,
        action=audit_actions.SEARCH_SYNONYMS_DELETED,
        target=group,
        details={"language": group.language, "terms": group.terms},
    )
    group.delete()
