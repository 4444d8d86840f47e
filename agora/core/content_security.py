"""The Content Security Policies that differ from the site's own (`settings.SECURE_CSP`).

A view or a group of routes takes one of them with Django's `csp_override`: the staff area
(every route under /gestion/, see config/urls.py) and the cards and results other sites embed.
"""

from collections.abc import Collection, Mapping
from typing import cast

from django.conf import settings
from django.utils.csp import CSP

Policy = Mapping[str, Collection[str] | str]

# Wagtail's editor uses inline scripts and styles; the staff area gets a policy that allows
# them, still limited to Agora's own origin.
STAFF_AREA_POLICY: Policy = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE, CSP.UNSAFE_EVAL],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# An embeddable card is meant to be framed by the city's site, or any other; everything else
# stays as strict as on the site's own pages.
EMBED_POLICY: Policy = {**cast(Policy, settings.SECURE_CSP), "frame-ancestors": ["*"]}
