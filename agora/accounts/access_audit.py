"""The safety net under `services.change_access`: a superuser flag changed by any other path
(`createsuperuser`, the shell, a command, another app's code) still writes its audit entry,
with no actor ("système").

Why a signal, against the house rule: it is no domain side effect but the audit's guard on the
one flag that passes every rule, for the paths no service sees. The screens go through
`change_access`, which writes the entry itself (with its actor) and tells the net so. Roles and
the staff flag are audited by the services that change them (`change_access`, the invitations,
the account deletion): setting up people with `groups.add` is what every test and the demo
data do, and would otherwise fill the log. `QuerySet.update()` sends no signal: code that
changes the flag in bulk calls `change_access` per person.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models.signals import post_save, pre_save

from agora.accounts import audit_actions
from agora.core import audit

_recorded_by_the_caller: ContextVar[bool] = ContextVar("agora_access_recorded", default=False)
_STORED_FLAG = "_agora_stored_is_superuser"


@contextmanager
def recorded_by_the_caller() -> Iterator[None]:
    """Saves made inside write their own audit entry: the net stays out of them."""
    token = _recorded_by_the_caller.set(True)
    try:
        yield
    finally:
        _recorded_by_the_caller.reset(token)


def _remember_stored_flag(sender: Any, instance: Any, update_fields: Any = None, **_: Any) -> None:
    if update_fields is not None and "is_superuser" not in update_fields:
        return  # a login, a name change: the flag is not written
    stored = None
    if instance.pk is not None:
        stored = (
            sender._default_manager.filter(pk=instance.pk)
            .values_list("is_superuser", flat=True)
            .first()
        )
    setattr(instance, _STORED_FLAG, bool(stored))


def _record_flag_change(sender: Any, instance: Any, **_: Any) -> None:
    if not hasattr(instance, _STORED_FLAG):
        return
    before = getattr(instance, _STORED_FLAG)
    delattr(instance, _STORED_FLAG)
    if before == bool(instance.is_superuser) or _recorded_by_the_caller.get():
        return
    audit.record(
        actor=None,
        action=audit_actions.USER_ACCESS_CHANGED,
        target=instance,
        details={
            "is_superuser": {"before": before, "after": bool(instance.is_superuser)},
            "source": "system",
        },
    )


def connect() -> None:
    from agora.accounts.models import User

    pre_save.connect(_remember_stored_flag, sender=User, dispatch_uid="agora-superuser-flag-pre")
    post_save.connect(_record_flag_change, sender=User, dispatch_uid="agora-superuser-flag-post")
