from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.search import index
from wagtail.search.backends import get_search_backend

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
NEWS_PER_PAGE = 10
SERVICES_PER_PAGE = 30


class HomePage(Page):
    """The front door: a welcome, the main sections, featured services and the latest news."""

    intro = models.TextField(_("mot d'accueil"), blank=True)
    body = RichTextField(_("contenu"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = [
        "pages.StandardPage",
        "pages.NewsIndexPage",
        "pages.ServiceIndexPage",
        "participation.ProjectIndexPage",
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().in_menu().public()
        context["featured_services"] = (
            ServiceEntry.objects.filter(locale=self.locale, featured=True)
            .select_related("category", "page")
            .order_by("category__sort_order", "title")[:6]
        )
        context["news_index"] = NewsIndexPage.objects.child_of(self).live().public().first()
        context["latest_news"] = (
            NewsPage.objects.live().public().filter(locale=self.locale).order_by("-date", "-pk")[:3]
        )
        return context


class StandardPage(Page):
    summary = models.TextField(_("résumé"), blank=True, max_length=300)
    body = RichTextField(_("contenu"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("page standard")
        verbose_name_plural = _("pages standard")


class NewsIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["pages.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("index des nouvelles")
        verbose_name_plural = _("index des nouvelles")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.child_of(self).live().public().order_by("-date", "-pk")
        context["news"] = Paginator(news, NEWS_PER_PAGE).get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    search_kind = _("Actualité")

    date = models.DateField(_("date de publication"))
    summary = models.TextField(_("résumé"), max_length=300)
    body = RichTextField(_("contenu"), features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["pages.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("nouvelle")
        verbose_name_plural = _("nouvelles")


class ServiceCategory(TranslatableMixin, models.Model):
    """A heading of the catalogue: "Permis et licences", "Environnement", …"""

    name = models.CharField(_("nom"), max_length=80)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=80)
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("catégorie de services")
        verbose_name_plural = _("catégories de services")
        ordering = ("sort_order", "name")
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="service_category_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class ServiceEntryQuerySet(models.QuerySet["ServiceEntry"]):
    def in_locale(self, locale: Locale) -> "ServiceEntryQuerySet":
        return self.filter(locale=locale).select_related("category", "page")


class ServiceEntry(TranslatableMixin, index.Indexed, models.Model):
    """An online service or a practical resource: where a resident does or learns a thing."""

    class Kind(models.TextChoices):
        ONLINE_SERVICE = "service", _("Service en ligne")
        RESOURCE = "resource", _("Ressource pratique")

    title = models.CharField(_("titre"), max_length=120)
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("catégorie"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    kind = models.CharField(
        _("type"), max_length=12, choices=Kind.choices, default=Kind.ONLINE_SERVICE
    )
    summary = models.CharField(_("courte description"), max_length=240)
    keywords = models.CharField(
        _("mots-clés"),
        max_length=240,
        blank=True,
        help_text=_(
            "Séparés par des virgules : les mots qu'un résident taperait pour trouver ce service."
        ),
    )
    url = models.URLField(_("lien vers le service en ligne"), blank=True)
    page = models.ForeignKey(
        Page,
        verbose_name=_("ou page du site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured = models.BooleanField(_("en vedette sur l'accueil"), default=False)

    objects = ServiceEntryQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("category"),
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("keywords"),
        FieldPanel("url"),
        PageChooserPanel("page"),
        FieldPanel("featured"),
    ]
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("keywords", boost=2),
        index.SearchField("summary"),
        index.FilterField("locale_id"),
        index.FilterField("category_id"),
        index.RelatedFields("category", [index.SearchField("name")]),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("service ou ressource")
        verbose_name_plural = _("services et ressources")
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if bool(self.url) == bool(self.page_id):
            raise ValidationError(
                _(
                    "Donnez soit un lien vers le service en ligne, soit une page du site (un seul des deux)."
                )
            )
        if self.category_id and self.locale_id and self.category.locale_id != self.locale_id:
            raise ValidationError(
                {"category": _("La catégorie doit être dans la même langue que le service.")}
            )

    @property
    def link(self) -> str:
        if self.page is not None:
            return self.page.url or ""
        return self.url

    @property
    def is_external(self) -> bool:
        return self.page_id is None

    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class ServiceIndexPage(Page):
    """The catalogue "Services et ressources", browsable by category and searchable."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["pages.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("catalogue des services")
        verbose_name_plural = _("catalogues des services")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        categories = list(ServiceCategory.objects.filter(locale=self.locale))
        selected = next((c for c in categories if c.slug == request.GET.get("categorie")), None)
        query = request.GET.get("q", "").strip()[:200]
        entries = ServiceEntry.objects.in_locale(self.locale)
        if selected is not None:
            entries = entries.filter(category=selected)
        if query:
            results: Any = get_search_backend().search(query, entries, operator="and")
            found = list(results[:500])
        else:
            found = list(entries.order_by("category__sort_order", "category__name", "title"))
        page: PaginatorPage[ServiceEntry] = Paginator(found, SERVICES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context.update(
            categories=categories,
            selected_category=selected,
            query=query,
            entries=page,
            total=len(found),
            grouped=not query,
        )
        return context
