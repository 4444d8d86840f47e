from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from agora.pages.models import ServiceCategory, ServiceEntry


class ServiceEntryViewSet(SnippetViewSet):
    model = ServiceEntry
    icon = "link"
    menu_label = _("Services et ressources")
    list_display = ["title", "category", "kind", "featured", "locale"]
    list_filter = ["category", "kind", "featured", "locale"]
    search_fields = ["title", "keywords", "summary"]


class ServiceCategoryViewSet(SnippetViewSet):
    model = ServiceCategory
    icon = "folder-open-inverse"
    menu_label = _("Catégories")
    list_display = ["name", "sort_order", "locale"]


class CatalogueViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "list-ul"
    menu_order = 200
    items = (ServiceEntryViewSet, ServiceCategoryViewSet)


register_snippet(CatalogueViewSetGroup)
