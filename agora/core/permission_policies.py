"""Wagtail asks a permission policy whether someone may list, add, change or delete a model's
objects in /gestion/. Agora's answers come from the permissions of the apps' rules.py, so that
one matrix (docs/roles.md) decides both the services and the back-office screens."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from wagtail.permission_policies import BasePermissionPolicy


class RulesPermissionPolicy(BasePermissionPolicy):
    """Maps each Wagtail action ("add", "change", "delete", "view") to a permission of
    rules.py; an action left out is refused to everyone, superusers included."""

    def __init__(self, model: type[Model] | str, permissions: Mapping[str, str]) -> None:
        super().__init__(model)
        self.permissions = dict(permissions)

    def user_has_permission(self, user: Any, action: str) -> bool:
        permission = self.permissions.get(action)
        return (
            permission is not None
            and bool(user.is_authenticated and user.is_active)
            and bool(user.has_perm(permission))
        )

    def user_has_any_permission(self, user: Any, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet[Any]:
        actions = list(actions)
        user_model = get_user_model()
        # Only superusers and members of a group can hold a permission of the team.
        candidates = (
            user_model.objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__isnull=False))
            .distinct()
        )
        allowed = [user.pk for user in candidates if self.user_has_any_permission(user, actions)]
        return user_model.objects.filter(pk__in=allowed)
