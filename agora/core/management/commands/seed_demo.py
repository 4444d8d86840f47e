"""Builds the demo city "Ville de Démo". Safe to run again: it completes, never duplicates.

Each app may provide a `demo` module with `seed(report: list[str]) -> None`; they run in the
order of INSTALLED_APPS, so later modules extend the same command.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.signals import post_save
from modelsearch import index
from modelsearch.signal_handlers import post_save_signal_handler
from modelsearch.tasks import insert_or_update_object_task
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

from agora.core import search


class Command(BaseCommand):
    help = "Builds or completes the demo city (development and demonstrations only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates known passwords: it does not run in production.")
        report: list[str] = []
        with transaction.atomic(), _index_each_object_once(), search.indexing_deferred():
            for config in apps.get_app_configs():
                if not config.name.startswith("agora."):
                    continue
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(report)
        self.stdout.write(self.style.SUCCESS("Ville de Démo is ready."))
        for line in report:
            self.stdout.write(line)
        # Kept for `make run`, which reminds the developer of the logins at every start.
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        (settings.VAR_DIR / "demo-logins.txt").write_text("\n".join(report) + "\n")


ObjectKey = tuple[str, str, str]


@contextmanager
def _index_each_object_once() -> Iterator[None]:
    """Wagtail updates the search and reference indexes after every save, and the seeding saves
    a page several times (created, revised, published): about a quarter of its time. Here each
    object saved is indexed once, at the end, from its final state, by the same tasks."""
    searched = {
        model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)
    }
    referenced = set(ReferenceIndex.tracked_models)
    saved: dict[ObjectKey, type[models.Model]] = {}

    def remember(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
        if not kwargs.get("raw", False) and (sender in searched or sender in referenced):
            meta = instance._meta
            saved.setdefault((meta.app_label, str(meta.model_name), str(instance.pk)), sender)

    for model in searched:
        post_save.disconnect(post_save_signal_handler, sender=model)
    post_save.connect(remember, weak=False, dispatch_uid="seed_demo_index_once")
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(dispatch_uid="seed_demo_index_once")
        for model in searched:
            post_save.connect(post_save_signal_handler, sender=model)
    for (app_label, model_name, pk), model in saved.items():
        if not model._base_manager.filter(pk=pk).exists():
            continue
        if model in searched:
            insert_or_update_object_task.enqueue(app_label, model_name, pk)
        if model in referenced:
            update_reference_index_task.enqueue(app_label, model_name, pk)
