"""A project's progress updates ("Évolution du projet"), posted from the short form of /gestion/
without opening the whole project editor.

An update belongs to the project page's content, so it is added the way the editor adds one:
as a new revision of the French source page.

- Whoever may publish the project directly (an administrator; a moderator when the city gave
  the moderators' group the right in the page tree) publishes it at once. The revision is
  built on the published page, so a draft they were writing in the editor stays a draft; the
  update is added to that draft too, so that publishing it later keeps the update.
- Everyone else sends it through the project's approval workflow ("Approbation des projets",
  approval.py): the revision is their latest draft with the update, and the managers of the
  project's department (or the administrators) approve it, which publishes it.

A project not published yet has no public page to show an update on: its team adds updates
in the editor. Either way the audit log records who posted what.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import WorkflowState

from agora.core import audit
from agora.core.images import reencode_image
from agora.participation import audit_actions
from agora.participation.approval import submission_message
from agora.participation.models import ProjectPage, ProjectUpdate

if TYPE_CHECKING:
    from django.core.files.base import ContentFile

    from agora.accounts.models import User

EDIT_PROJECT = "participation.edit_project"
TITLE_MAX_LENGTH = 160
TEXT_MAX_LENGTH = 5000
IMAGE_DESCRIPTION_MAX_LENGTH = 255


class Outcome(enum.StrEnum):
    PUBLISHED = "published"  # on the public page now
    SUBMITTED = "submitted"  # sent for approval, the approvers told
    ADDED_TO_SUBMISSION = "added_to_submission"  # the project already waited for approval
    SAVED_AS_DRAFT = "saved_as_draft"  # no approval workflow: a draft for the editor


@dataclass(frozen=True)
class PostedUpdate:
    project: ProjectPage
    title: str
    outcome: Outcome

    @property
    def message(self) -> str:
        """What the person who posted it reads next."""
        title = {"title": self.title}
        if self.outcome == Outcome.PUBLISHED:
            return (
                gettext("La mise à jour « %(title)s » est publiée sur la page du projet.") % title
            )
        if self.outcome == Outcome.SUBMITTED:
            first = gettext("La mise à jour « %(title)s » paraîtra une fois approuvée.") % title
            return f"{first} {submission_message(self.project)}"
        if self.outcome == Outcome.ADDED_TO_SUBMISSION:
            return (
                gettext(
                    "La mise à jour « %(title)s » s'ajoute à la version du projet qui attend "
                    "déjà son approbation; elle paraîtra une fois approuvée."
                )
                % title
            )
        return (
            gettext(
                "La mise à jour « %(title)s » est enregistrée dans le brouillon du projet; "
                "publiez-le depuis l'éditeur pour qu'elle paraisse."
            )
            % title
        )


def may_post_update(user: Any, project: ProjectPage) -> bool:
    """Whoever edits the project posts its updates."""
    return bool(user.has_perm(EDIT_PROJECT, project.source))


def text_as_rich_text(text: str) -> str:
    """The form's plain text as the update's rich text: one paragraph per line."""
    lines = [line.strip() for line in text.splitlines()]
    return "".join(f"<p>{escape(line)}</p>" for line in lines if line)


@dataclass(frozen=True)
class _Checked:
    title: str
    date: datetime.date
    body: str
    image: ContentFile[bytes] | None
    image_description: str


def _checked(
    *,
    project: ProjectPage,
    title: str,
    date: datetime.date | None,
    text: str,
    image: Any,
    image_description: str,
) -> _Checked:
    """The update as it will be stored, or every problem at once (nothing written)."""
    errors: dict[str, Any] = {}
    title, text, image_description = title.strip(), text.strip(), image_description.strip()
    if not project.live:
        errors["__all__"] = _(
            "Ce projet n'est pas encore publié : ajoutez ses mises à jour dans l'éditeur du "
            "projet, elles paraîtront avec lui."
        )
    if not title:
        errors["title"] = _("Donnez un titre à la mise à jour.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("Le titre ne dépasse pas %(n)d caractères.") % {"n": TITLE_MAX_LENGTH}
    if date is None:
        errors["date"] = _("Indiquez la date de la mise à jour.")
    if not text:
        errors["text"] = _("Écrivez le texte de la mise à jour.")
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = _("Le texte ne dépasse pas %(n)d caractères.") % {"n": TEXT_MAX_LENGTH}
    clean_image = None
    if image:
        try:
            clean_image = reencode_image(image)
        except ValidationError as error:
            errors["image"] = error
        if not image_description:
            errors["image_description"] = _(
                "Décrivez l'image pour les personnes qui ne la voient pas."
            )
        elif len(image_description) > IMAGE_DESCRIPTION_MAX_LENGTH:
            errors["image_description"] = _(
                "La description de l'image ne dépasse pas %(n)d caractères."
            ) % {"n": IMAGE_DESCRIPTION_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    assert date is not None
    return _Checked(title, date, text_as_rich_text(text), clean_image, image_description)


def _with_update(page: ProjectPage, update: ProjectUpdate) -> ProjectPage:
    """`page` with `update` after its other updates (the editor's order)."""
    updates = list(page.updates.all())
    update.sort_order = max((u.sort_order or 0 for u in updates), default=-1) + 1
    page.updates.add(update)
    return page


def _copy(update: ProjectUpdate, **fields: Any) -> ProjectUpdate:
    return ProjectUpdate(
        date=update.date,
        title=update.title,
        body=update.body,
        image=update.image,
        **fields,
    )


def post_project_update(
    *,
    project: ProjectPage,
    actor: User,
    title: str,
    date: datetime.date | None,
    text: str,
    image: Any = None,
    image_description: str = "",
) -> PostedUpdate:
    """Adds a dated update (title, text, optional image with its description) to the project:
    published at once by those who may publish the project, sent for approval otherwise.
    Raises PermissionDenied for someone who does not edit the project, ValidationError (by
    field) for bad input; in both cases nothing is written."""
    source = project.source
    if not may_post_update(actor, source):
        raise PermissionDenied(_("Vous ne modifiez pas ce projet."))
    checked = _checked(
        project=source,
        title=title,
        date=date,
        text=text,
        image=image,
        image_description=image_description,
    )
    with transaction.atomic():
        # One update at a time per project: each builds on the revision the last one left.
        page: ProjectPage = ProjectPage.objects.select_for_update(of=("self",)).get(pk=source.pk)
        stored_image = None
        if checked.image is not None:
            stored_image = get_image_model().objects.create(
                title=checked.title, description=checked.image_description, file=checked.image
            )
        update = ProjectUpdate(
            date=checked.date, title=checked.title, body=checked.body, image=stored_image
        )
        if page.permissions_for_user(actor).can_publish():
            outcome = _publish(page, update, actor)
        else:
            outcome = _submit(page, update, actor)
        audit.record(
            actor=actor,
            action=(
                audit_actions.PROJECT_UPDATE_PUBLISHED
                if outcome == Outcome.PUBLISHED
                else audit_actions.PROJECT_UPDATE_SUBMITTED
            ),
            target=page,
            details={
                "title": checked.title,
                "date": checked.date.isoformat(),
                "outcome": outcome.value,
                "image": stored_image.pk if stored_image is not None else None,
            },
        )
    return PostedUpdate(project=page, title=checked.title, outcome=outcome)


def _publish(page: ProjectPage, update: ProjectUpdate, actor: User) -> Outcome:
    """Publishes the live page with the update; a draft in progress keeps it too."""
    draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else None
    # The page's row holds the published content (drafts live in revisions).
    revision = _with_update(page, update).save_revision(user=actor, log_action=True)
    revision.publish(user=actor)
    if draft is not None:
        published = ProjectUpdate.objects.filter(project_id=page.pk).order_by("-pk").first()
        assert published is not None
        _with_update(draft, _copy(published, pk=published.pk, announced_at=None))
        draft.save_revision(user=actor, log_action=True, clean=False)
    return Outcome.PUBLISHED


def _submit(page: ProjectPage, update: ProjectUpdate, actor: User) -> Outcome:
    """Adds the update to the latest draft and sends it for approval."""
    draft: ProjectPage = page.get_latest_revision_as_object()
    _with_update(draft, update).save_revision(user=actor, log_action=True, clean=False)
    state = draft.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(actor)
        return Outcome.SUBMITTED
    if state is not None:
        return Outcome.ADDED_TO_SUBMISSION
    workflow = draft.get_workflow()
    if workflow is None:
        return Outcome.SAVED_AS_DRAFT
    workflow.start(draft, actor)
    return Outcome.SUBMITTED
