"""Who an e-mail address stands for, where one verified address counts as one person.

A resident can type the same mailbox in many ways: `Marie@Exemple.ca`, `marie@exemple.ca`,
or with a sub-address, `marie+1@exemple.ca`, which most providers deliver to `marie`. Where a
phase is open to verified addresses, one mailbox must stay one person (one response, one
support), so participants are compared by `identity_of` their addresses. Mail is still sent
to the address the resident gave.
"""

from __future__ import annotations

from django.db.models import Q

SUB_ADDRESS_SEPARATOR = "+"


def identity_of(email: str) -> str:
    """The mailbox behind `email`: lower-cased, without the `+tag` of its local part.

    Addresses are compared without regard to case (no provider residents use tells two
    mailboxes apart by case alone)."""
    address = email.strip().lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    return f"{local.split(SUB_ADDRESS_SEPARATOR, 1)[0]}@{domain}"


def same_identity_candidates(field: str, email: str) -> Q:
    """Rows whose `field` may hold an address of the same mailbox as `email`, as a filter the
    database can use; it also lets a few others through (`marielle@` for `marie@`), so every
    row it finds is then checked with `identity_of`."""
    local, _at, domain = identity_of(email).rpartition("@")
    return Q(**{f"{field}__istartswith": local, f"{field}__iendswith": f"@{domain}"})
