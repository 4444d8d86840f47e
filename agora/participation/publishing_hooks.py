"""What publishing a project page adds to Wagtail: the accountability report counts as
published the first time the page goes live with both of its sections.

Wagtail publishes a page along several paths — the editor's button, the approval of a
workflow, a scheduled publication — and only its `page_published` signal is sent on all of
them, so this is the one place where a signal starts a service. The revision's author (who
wrote the report) is recorded as the actor. Connected by `ParticipationConfig.ready()`.
"""

from typing import Any

from wagtail.signals import page_published

from agora.participation.accountability import publish_accountability
from agora.participation.models import ProjectPage


def publish_accountability_report(
    sender: Any, instance: Any, revision: Any = None, **kwargs: Any
) -> None:
    if isinstance(instance, ProjectPage):
        publish_accountability(project=instance, actor=getattr(revision, "user", None))


page_published.connect(
    publish_accountability_report, dispatch_uid="agora-participation-accountability"
)
