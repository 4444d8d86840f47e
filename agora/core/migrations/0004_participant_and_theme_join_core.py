import uuid
from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The models that every module now finds in core; their tables keep their names.
MOVED = {"participant": "Participant", "theme": "Theme"}


def _move_content_types(apps: Any, schema_editor: Any, old: str, new: str) -> None:
    """The content types (and so the permissions, the groups that hold them and Wagtail's log
    entries that point to them) and Agora's audit entries follow the models from one app to
    the other.

    When this migration is undone, Django then creates fresh content types under the app the
    models are declared in: the oldest one, which the groups' permissions point to, is kept."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("core", "AuditEntry")
    db = schema_editor.connection.alias
    for model, name in MOVED.items():
        found = ContentType.objects.using(db).filter(app_label__in=[old, new], model=model)
        oldest = found.order_by("pk").first()
        if oldest is not None:
            found.exclude(pk=oldest.pk).delete()
            oldest.app_label = new
            oldest.save(update_fields=["app_label"])
        AuditEntry.objects.using(db).filter(object_type=f"{old}.{name}").update(
            object_type=f"{new}.{name}"
        )
    ContentType.objects.clear_cache()


def to_core(apps: Any, schema_editor: Any) -> None:
    _move_content_types(apps, schema_editor, "participation", "core")


def back_to_participation(apps: Any, schema_editor: Any) -> None:
    _move_content_types(apps, schema_editor, "core", "participation")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_scheduled_runs_and_deliveries"),
        # The tables were created by participation, where both models lived until now.
        ("participation", "0004_phase_settings_leave_for_components"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Theme",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name_fr",
                            models.CharField(
                                max_length=80, unique=True, verbose_name="nom (français)"
                            ),
                        ),
                        ("name_en", models.CharField(max_length=80, verbose_name="nom (anglais)")),
                        (
                            "slug",
                            models.SlugField(
                                max_length=80, unique=True, verbose_name="identifiant d'adresse"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "thème",
                        "verbose_name_plural": "thèmes",
                        "db_table": "participation_theme",
                        "ordering": ("name_fr",),
                    },
                ),
                migrations.CreateModel(
                    name="Participant",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        (
                            "email",
                            models.EmailField(
                                blank=True, max_length=254, verbose_name="adresse courriel"
                            ),
                        ),
                        ("email_verified_at", models.DateTimeField(blank=True, null=True)),
                        ("language", models.CharField(default="fr", max_length=8)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "user",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="participant",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "participant",
                        "verbose_name_plural": "participants",
                        "db_table": "participation_participant",
                    },
                ),
            ],
        ),
        migrations.RunPython(to_core, back_to_participation),
    ]
