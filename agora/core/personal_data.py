"""The personal-data registry: what each module holds about a person, how it is exported and
how it is erased when the person deletes their account.

Québec's Loi 25 gives every person the right to a copy of what the city holds about them, in
a structured format, and to have it destroyed (or anonymised) on request. No central list
names the modules: each app declares, once, from its AppConfig.ready(), the models that hold
personal data, the source that exports them and the hook that erases or pseudonymises them:

    register_personal_data(
        "ideas",
        models=[Idea, Comment, Reaction, Flag, IdeaFollower],
        export=ideas_of,
        erase=forget_ideas_of,
    )

A test walks every model of every installed app and fails on a field that can hold personal
data (an address, a name, a phone number, a link to a person) in a model no app declared.

Erasures run in the reverse order of registration. Apps are ready in the order of
INSTALLED_APPS, where an app comes after those it builds on: a module's erasure runs before
those of the modules it depends on, and still finds the links it follows (a contribution's
participant, the participant's account) before they are cut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

__all__ = [
    "EXPORT_FORMAT_VERSION",
    "DataSubject",
    "PersonalDataDeclaration",
    "declarations",
    "declared_models",
    "erase_personal_data",
    "export_personal_data",
    "former_participant_name",
    "register_personal_data",
]


@dataclass(frozen=True)
class DataSubject:
    """The person whose data is exported or erased."""

    user: AbstractBaseUser
    # Every address the person used: the account's and every other they added, lower-cased.
    emails: frozenset[str]

    def owns_email(self, address: str) -> bool:
        return address.strip().lower() in self.emails

    def email_filter(self, field: str) -> Q:
        """Rows whose `field` holds one of the person's addresses, whatever its case."""
        matches = Q(pk__in=[])
        for address in sorted(self.emails):
            matches |= Q(**{f"{field}__iexact": address})
        return matches


@dataclass(frozen=True)
class PersonalDataDeclaration:
    name: str
    models: frozenset[type[Model]]
    export: Callable[[DataSubject], object]
    erase: Callable[[DataSubject], None]


_declarations: dict[str, PersonalDataDeclaration] = {}

# The version of the export's layout, for programs that read it; raised when it changes.
EXPORT_FORMAT_VERSION = 3
# The export's own entries, beside each module's part: no module may take these names.
_EXPORT_ENTRIES = frozenset({"format", "exported_at"})


def register_personal_data(
    name: str,
    *,
    models: Iterable[type[Model]],
    export: Callable[[DataSubject], object],
    erase: Callable[[DataSubject], None],
) -> None:
    """Declares the models of a module that hold personal data, with `export(subject)`, which
    returns JSON-ready data put in the person's export under `name`, and `erase(subject)`,
    run inside the account deletion's transaction, before the account itself is emptied (it
    still sees the person's name and addresses).

    Declaring the same thing again does nothing; another declaration under a taken name is
    refused."""
    declaration = PersonalDataDeclaration(
        name=name, models=frozenset(models), export=export, erase=erase
    )
    if name in _EXPORT_ENTRIES:
        raise ValueError(f"The export already has an entry named {name!r}.")
    existing = _declarations.get(name)
    if existing is not None and existing != declaration:
        raise ValueError(f"Personal data is already declared under the name {name!r}.")
    _declarations[name] = declaration


def declarations() -> list[PersonalDataDeclaration]:
    """Every declaration, in the order the modules made them."""
    return list(_declarations.values())


def declared_models() -> frozenset[type[Model]]:
    """Every model some module declared as holding personal data."""
    return frozenset(
        model for declaration in _declarations.values() for model in declaration.models
    )


def export_personal_data(subject: DataSubject) -> dict[str, object]:
    """What every module holds about the person, each part under the name its module
    declared, as JSON-ready data, dated."""
    data: dict[str, object] = {
        "format": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
    }
    for declaration in declarations():
        data[declaration.name] = declaration.export(subject)
    return data


def erase_personal_data(subject: DataSubject) -> None:
    """Runs every module's erasure, the modules that build on others first. The caller holds
    the transaction: one failing erasure leaves everything as it was."""
    for declaration in reversed(declarations()):
        declaration.erase(subject)


def former_participant_name() -> str:
    """How a person who deleted their account is named wherever their trace stays (their
    public contributions, the audit log)."""
    return gettext("Ancien participant")
