"""District: a demographic single choice among the districts (or neighbourhoods) staff
list, that results can be broken down by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agora.surveys.questions.single_choice import SingleChoice


class District(SingleChoice):
    key = "district"
    label = _("District ou quartier (démographie)")
    segmentable = True
    allows_other = False
