"""Posting a progress update from the short form: published at once by whoever may publish the
project, sent through the project's approval otherwise; audited; nothing written on bad
input."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Revision, WorkflowState

from agora.accounts.tests.team_factories import administrator
from agora.core.models import AuditEntry
from agora.participation import audit_actions
from agora.participation.models import ProjectPage, ProjectUpdate
from agora.participation.tests.project_team import (
    another_project,
    in_department,
    manager_of,
    moderator_of,
)
from agora.participation.updates import Outcome, post_project_update

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 14)


def photo(name: str = "chantier.jpg") -> SimpleUploadedFile:
    picture = io.BytesIO()
    PillowImage.new("RGB", (40, 30), (20, 120, 60)).save(picture, format="JPEG")
    return SimpleUploadedFile(name, picture.getvalue(), content_type="image/jpeg")


def published_titles(project: ProjectPage) -> list[str]:
    return list(
        ProjectUpdate.objects.filter(project=project).order_by("pk").values_list("title", flat=True)
    )


def test_an_administrator_publishes_the_update_at_once_and_the_log_says_who(
    project: ProjectPage,
) -> None:
    admin = administrator()

    posted = post_project_update(
        project=project,
        actor=admin,
        title="Début des travaux",
        date=DAY,
        text="Les travaux commencent lundi.\n\nLe sentier reste ouvert.",
    )

    assert posted.outcome == Outcome.PUBLISHED
    assert (
        posted.message == "La mise à jour « Début des travaux » est publiée sur la page du projet."
    )
    update = ProjectUpdate.objects.get(project=project, title="Début des travaux")
    assert update.date == DAY
    assert update.body == "<p>Les travaux commencent lundi.</p><p>Le sentier reste ouvert.</p>"
    project.refresh_from_db()
    assert not project.has_unpublished_changes
    entry = AuditEntry.objects.get(action=audit_actions.PROJECT_UPDATE_PUBLISHED)
    assert entry.actor_id == admin.pk
    assert entry.object_id == str(project.pk)
    assert entry.details["title"] == "Début des travaux"
    assert entry.details["date"] == "2026-05-14"


def test_a_moderator_sends_the_update_for_approval_and_is_told_who_approves(
    project: ProjectPage,
) -> None:
    in_department(project)
    manager = manager_of(project)
    manager.first_name, manager.last_name = "Marie", "Tremblay"
    manager.save()
    moderator = moderator_of(project)

    posted = post_project_update(
        project=project, actor=moderator, title="Plantation", date=DAY, text="Cent arbres."
    )

    assert posted.outcome == Outcome.SUBMITTED
    assert posted.message.startswith("La mise à jour « Plantation » paraîtra une fois approuvée.")
    assert "(Marie Tremblay) seront avisés." in posted.message
    assert "Plantation" not in published_titles(project)
    project.refresh_from_db()
    assert project.workflow_in_progress
    draft = project.get_latest_revision_as_object()
    assert [u.title for u in draft.updates.all()][-1] == "Plantation"
    entry = AuditEntry.objects.get(action=audit_actions.PROJECT_UPDATE_SUBMITTED)
    assert entry.actor_id == moderator.pk


def test_the_approval_publishes_the_update(project: ProjectPage) -> None:
    moderator = moderator_of(project)
    post_project_update(
        project=project, actor=moderator, title="Plantation", date=DAY, text="Cent arbres."
    )
    project.refresh_from_db()
    state = project.current_workflow_state
    assert state is not None

    state.current_task_state.approve(user=administrator())

    assert "Plantation" in published_titles(project)


def test_an_update_joins_a_project_already_waiting_for_approval(project: ProjectPage) -> None:
    moderator = moderator_of(project)
    post_project_update(project=project, actor=moderator, title="Un", date=DAY, text="Premier.")

    posted = post_project_update(
        project=project, actor=moderator, title="Deux", date=DAY, text="Second."
    )

    assert posted.outcome == Outcome.ADDED_TO_SUBMISSION
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 1
    project.refresh_from_db()
    draft = project.get_latest_revision_as_object()
    assert [u.title for u in draft.updates.all()][-2:] == ["Un", "Deux"]


def test_publishing_an_update_keeps_the_draft_being_written_with_the_update(
    project: ProjectPage,
) -> None:
    admin = administrator()
    draft = project.get_latest_revision_as_object()
    draft.summary = "Un résumé encore en chantier."
    draft.save_revision(user=admin)

    post_project_update(project=project, actor=admin, title="Plantation", date=DAY, text="Arbres.")

    project.refresh_from_db()
    assert project.summary != "Un résumé encore en chantier."
    assert "Plantation" in published_titles(project)
    assert project.has_unpublished_changes
    latest = project.get_latest_revision_as_object()
    assert latest.summary == "Un résumé encore en chantier."
    published = ProjectUpdate.objects.get(project=project, title="Plantation")
    assert [u.pk for u in latest.updates.all() if u.title == "Plantation"] == [published.pk]


def test_the_image_is_stored_re_encoded_with_its_description(project: ProjectPage) -> None:
    post_project_update(
        project=project,
        actor=administrator(),
        title="Le nouveau sentier",
        date=DAY,
        text="Le sentier est ouvert.",
        image=photo(),
        image_description="Le sentier pavé le long de la rivière",
    )

    update = ProjectUpdate.objects.get(project=project, title="Le nouveau sentier")
    assert update.image is not None
    assert update.image.description == "Le sentier pavé le long de la rivière"
    assert update.image.file.name.endswith(".jpg")
    assert "chantier" not in update.image.file.name


def test_bad_input_is_refused_field_by_field_and_nothing_is_written(
    project: ProjectPage,
) -> None:
    images, revisions = get_image_model().objects.count(), Revision.objects.count()

    with pytest.raises(ValidationError) as refused:
        post_project_update(
            project=project,
            actor=administrator(),
            title="  ",
            date=None,
            text="",
            image=SimpleUploadedFile("notes.jpg", b"pas une image", content_type="image/jpeg"),
        )

    problems = refused.value.message_dict
    assert problems["title"] == ["Donnez un titre à la mise à jour."]
    assert problems["date"] == ["Indiquez la date de la mise à jour."]
    assert problems["text"] == ["Écrivez le texte de la mise à jour."]
    assert problems["image"] == [
        "Ce fichier n'est pas une image. Choisissez une photo au format JPEG, PNG ou WebP."
    ]
    assert problems["image_description"] == [
        "Décrivez l'image pour les personnes qui ne la voient pas."
    ]
    assert get_image_model().objects.count() == images
    assert Revision.objects.count() == revisions
    assert not AuditEntry.objects.filter(action__startswith="project.update").exists()


def test_a_project_not_yet_published_takes_its_updates_in_the_editor(
    project: ProjectPage,
) -> None:
    draft_project = another_project(project, publish=False)
    revisions = Revision.objects.count()

    with pytest.raises(ValidationError) as refused:
        post_project_update(
            project=draft_project, actor=administrator(), title="Un", date=DAY, text="Texte."
        )

    assert "n'est pas encore publié" in refused.value.messages[0]
    assert Revision.objects.count() == revisions


def test_a_moderator_of_another_project_is_refused(project: ProjectPage) -> None:
    outsider = moderator_of(another_project(project))

    with pytest.raises(PermissionDenied):
        post_project_update(project=project, actor=outsider, title="Un", date=DAY, text="Texte.")

    assert not AuditEntry.objects.filter(action__startswith="project.update").exists()


def test_a_department_manager_does_not_post_updates(project: ProjectPage) -> None:
    with pytest.raises(PermissionDenied):
        post_project_update(
            project=project, actor=manager_of(project), title="Un", date=DAY, text="Texte."
        )
