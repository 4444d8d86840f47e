"""The form staff upload images with in /gestion/ (Wagtail's, one by one or several at once):
the file is re-encoded from its pixels alone, like residents' photos (core/images.py), so no
GPS position, camera owner or author tag reaches the original or any rendition on a page."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from wagtail.images.forms import BaseImageForm

from agora.core.images import reencode_image

# Large enough for a banner on a wide screen; renditions are cut from it.
STAFF_IMAGE_MAX_SIDE = 3200
# A camera's full-size photo (staff, signed in, are few), above residents' phone-photo cap;
# decoding still runs under the same budget (core/images.py).
STAFF_IMAGE_MAX_PIXELS = 40_000_000


class MetadataFreeImageForm(BaseImageForm):
    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # unchanged: the image already stored
        return reencode_image(
            upload, max_side=STAFF_IMAGE_MAX_SIDE, max_pixels=STAFF_IMAGE_MAX_PIXELS
        )
