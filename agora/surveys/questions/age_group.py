"""Age group: a demographic single choice that results can be broken down by. A new
question starts with Statistics Canada's usual groups; staff may change them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agora.surveys.questions.base import DefaultChoice
from agora.surveys.questions.single_choice import SingleChoice


class AgeGroup(SingleChoice):
    key = "age_group"
    label = _("Groupe d'âge (démographie)")
    segmentable = True
    allows_other = False
    default_choices = (
        DefaultChoice("moins-de-18-ans", "Moins de 18 ans", "Under 18"),
        DefaultChoice("18-24-ans", "18 à 24 ans", "18 to 24"),
        DefaultChoice("25-34-ans", "25 à 34 ans", "25 to 34"),
        DefaultChoice("35-44-ans", "35 à 44 ans", "35 to 44"),
        DefaultChoice("45-54-ans", "45 à 54 ans", "45 to 54"),
        DefaultChoice("55-64-ans", "55 à 64 ans", "55 to 64"),
        DefaultChoice("65-74-ans", "65 à 74 ans", "65 to 74"),
        DefaultChoice("75-ans-et-plus", "75 ans et plus", "75 and over"),
        DefaultChoice("ne-pas-repondre", "Je préfère ne pas répondre", "I prefer not to say"),
    )
