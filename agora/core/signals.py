from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from agora.core.cache import bump_content_version


def _content_changed(**kwargs: Any) -> None:
    bump_content_version()


def connect() -> None:
    """Cached navigation and pages renew when staff publish, unpublish or rebrand."""
    from agora.core.models import Branding

    page_published.connect(_content_changed, dispatch_uid="agora-page-published")
    page_unpublished.connect(_content_changed, dispatch_uid="agora-page-unpublished")
    post_save.connect(_content_changed, sender=Branding, dispatch_uid="agora-branding-saved")
    post_delete.connect(_content_changed, sender=Branding, dispatch_uid="agora-branding-deleted")
