"""What every staff screen of /gestion/ does first: know who is asking, find the object in the
address, and check the permission of rules.py on it.

A refusal is always `PermissionDenied`: the project's 403 handler
(`agora.core.views.permission_denied`) renders it with one template for the whole staff area.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from agora.accounts.models import User
from agora.accounts.rules import is_staff_role


def staff_user(request: HttpRequest) -> User:
    """The member of the city's team making the request; anyone else is refused."""
    user = request.user
    if not isinstance(user, User) or not user.is_active or not is_staff_role(user):
        raise PermissionDenied
    return user


def require_permission(request: HttpRequest, permission: str, obj: Model | None = None) -> User:
    """The member of the team making the request, once they hold `permission` (on `obj`)."""
    user = staff_user(request)
    if not user.has_perm(permission, obj):
        raise PermissionDenied
    return user


def object_or_refuse[M: Model](
    request: HttpRequest, source: type[M] | QuerySet[M], permission: str, **lookup: object
) -> M:
    """The object of `source` matching `lookup` (404 when there is none), once the member of
    the team making the request holds `permission` on it."""
    obj: M = get_object_or_404(source, **lookup)
    require_permission(request, permission, obj)
    return obj
