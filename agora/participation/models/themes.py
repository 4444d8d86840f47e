"""Themes shared by projects and ideas."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from agora.core.languages import in_language


class Theme(models.Model):
    """A theme shared by projects and ideas ("Environnement", "Mobilité", …), named in both
    languages so that contributions keep their theme whatever language they are read in."""

    name_fr = models.CharField(_("nom (français)"), max_length=80, unique=True)
    name_en = models.CharField(_("nom (anglais)"), max_length=80)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=80, unique=True)

    panels = [FieldPanel("name_fr"), FieldPanel("name_en"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ("name_fr",)

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")
