"""The type of what the test client answers, for the helpers that read a response."""

from typing import TYPE_CHECKING

from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    # Only django-stubs declares it: a response with what the test client adds to it
    # (`content`, `context`, `templates`, `json()`, `redirect_chain`).
    from django.test.client import _MonkeyPatchedWSGIResponse as ClientResponse
else:
    from django.http import HttpResponse as ClientResponse

__all__ = ["ClientResponse", "streamed"]


def streamed(response: HttpResponseBase) -> bytes:
    """The whole body of a streaming response (the exports stream theirs)."""
    assert isinstance(response, StreamingHttpResponse), type(response)
    return response.getvalue()
