"""File upload: a photo (JPEG, PNG or WebP), for the questions where staff ask for one.

A phone photo says where and when it was taken, and more: the image is re-encoded from its
pixels alone by `agora.core.images` (no EXIF, no GPS), under a random name. Because answers
wait in the session from one section to the next, the clean copy is saved at once in
`sondages/televersements/`; the session keeps its storage name, and so does the `Answer`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from agora.core.images import MAX_IMAGE_BYTES, reencode_image
from agora.surveys.questions.base import QuestionResults, QuestionType, StoredValue
from agora.surveys.questions.common import field_options

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agora.surveys.models import Answer, Question, Response

UPLOAD_FOLDER = "sondages/televersements/"
# MPO is how some cameras and phones save a JPEG.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
NOT_AN_IMAGE = _(
    "Ce fichier n'est pas une image. Choisissez une photo au format JPEG, PNG ou WebP."
)


class ImageInput(forms.ClearableFileInput):
    """A file input; when a photo is already attached (kept in the session), it says so and
    offers to remove it. No link: the photo is not public."""

    template_name = "surveys/widgets/image_upload.html"

    def is_initial(self, value: Any) -> bool:
        return isinstance(value, str) and bool(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            initial_text=_("Une photo est jointe à votre réponse."),
            input_text=_("La remplacer par :"),
            clear_checkbox_label=_("Retirer la photo"),
        )
        return context


class ImageUploadField(forms.FileField):
    """A photo, cleaned to its re-encoded copy (a `ContentFile`), or the storage name of
    the photo attached in an earlier step (the field's initial value)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        cleaned = super().clean(data, initial)
        if not isinstance(cleaned, UploadedFile):
            return cleaned
        if cleaned.size is not None and cleaned.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(
                _("L'image dépasse %(limit)s. Choisissez une image plus légère.")
                % {"limit": filesizeformat(MAX_IMAGE_BYTES)},
                code="too_heavy",
            )
        try:
            image_format = Image.open(cleaned).format
        except (UnidentifiedImageError, OSError, ValueError):
            image_format = None
        if image_format not in ACCEPTED_FORMATS:
            raise forms.ValidationError(NOT_AN_IMAGE, code="not_an_image")
        return reencode_image(cleaned)


class FileUpload(QuestionType):
    key = "file_upload"
    label = _("Photo à téléverser")

    def form_field(self, question: Question) -> forms.Field:
        return ImageUploadField(
            widget=ImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            **field_options(
                question,
                invalid=NOT_AN_IMAGE,
                empty=_("Ce fichier est vide. Choisissez une photo."),
                contradiction=_("Choisissez une nouvelle photo ou retirez celle-ci, pas les deux."),
            ),
        )

    def to_session(self, question: Question, cleaned: Any) -> Any:
        """The storage name of the clean copy, saved now; "" for no photo."""
        if isinstance(cleaned, ContentFile):
            return default_storage.save(f"{UPLOAD_FOLDER}{cleaned.name}", cleaned)
        return cleaned if isinstance(cleaned, str) else ""

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        name = str(value or "")
        # Only a name this type saved: the session is ours, but a name is a path.
        if not name.startswith(UPLOAD_FOLDER) or ".." in name:
            return []
        return [StoredValue(file=name)]

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        answered = self.answered(self.answers(question, responses).exclude(file=""))
        return QuestionResults(question=question, answered=answered)

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        return [(answers[0].file.name or "") if answers and answers[0].file else ""]
