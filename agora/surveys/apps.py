from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "agora.surveys"
    label = "surveys"
    verbose_name = _("Sondages")

    def ready(self) -> None:
        from agora.core import navigation, search
        from agora.surveys import (
            held_kinds,
            jobs,  # noqa: F401  (registers the photo clean-up)
            personal_data,
            phases,  # noqa: F401  (registers the survey as a phase component)
            signals,
        )
        from agora.surveys.navigation import results_hub_item
        from agora.surveys.search import SurveyResultsSearchSource, SurveySearchSource

        signals.connect()
        personal_data.register()
        held_kinds.register()
        navigation.register(results_hub_item)
        search.register(SurveySearchSource())
        search.register(SurveyResultsSearchSource())
