"""The phases of a project's timeline. A phase is found in any language by its
`translation_key`."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, TranslatableMixin

from agora.core.closing import Closing, city_today
from agora.participation import components
from agora.participation.components import ComponentSettingsPanel, PhaseComponent, method_choices
from agora.participation.models.choices import ParticipationMethod
from agora.participation.models.projects import ProjectPage


class Phase(TranslatableMixin, ClusterableModel, Orderable):
    """A step of the project's timeline and its participation method: information, or a
    phase component (`agora.participation.components`). A component keeps its settings and
    contributions in models of its own that point to the phase; those edited with the page
    are its children (`ParentalKey`), hence a clusterable phase."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("nom"), max_length=120)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    method = models.CharField(
        _("mode de participation"),
        max_length=16,
        choices=method_choices,
        default=ParticipationMethod.INFORMATION,
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("start_date"),
        FieldPanel("end_date"),
        FieldPanel("description"),
        FieldPanel("method"),
        ComponentSettingsPanel(heading=_("Réglages du mode de participation")),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ("sort_order",)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fin doit suivre le début.")})

    def is_open(self, today: datetime.date | None = None) -> bool:
        """Open from the start of its first day to the end of its last, in the city's time
        zone (`agora.core.closing`)."""
        today = today or city_today()
        return self.start_date <= today and (self.end_date is None or today <= self.end_date)

    @property
    def closing(self) -> Closing | None:
        """When the phase closes: at the end of its last day (None: no end)."""
        return Closing.after(self.end_date) if self.end_date else None

    @property
    def component(self) -> PhaseComponent | None:
        """The component residents use in this phase (None for information)."""
        return components.get(self.method)
