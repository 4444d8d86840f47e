"""Pages whose address holds a secret token (a request's private follow-up link, an alert
subscription's management link): what their responses must say so that the token goes
nowhere else."""

from django.http import HttpResponseBase
from django.utils.cache import add_never_cache_headers


def keep_private[R: HttpResponseBase](response: R) -> R:
    """No cache keeps the page, no Referer carries its address to another site, search
    engines leave it alone, and Django's request log does not write it (a 404 or 429 is
    logged with its path otherwise).

    "same-origin", not "no-referrer": under "no-referrer" browsers send the page's own forms
    with `Origin: null`, which Django's CSRF check refuses (403), so that no form of the page
    would work."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
