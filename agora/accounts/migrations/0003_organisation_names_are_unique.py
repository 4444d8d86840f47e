from typing import Any

from django.db import migrations, models

from agora.core.names import name_key

# A key can never contain a line break (name_key collapses every space), so a key with this
# suffix can never be taken by a real name.
DUPLICATE_MARK = "\n"


def fill_name_keys(apps: Any, schema_editor: Any) -> None:
    """Gives every organisation the key of its name. Where two already read the same, the
    oldest keeps the key and the later ones get it suffixed with their id, so that this
    migration never fails on an existing database: those later ones keep their (duplicate)
    name until staff or their representatives rename them, and renaming gives them a plain
    key again. Residents still cannot sign with that name: the oldest holds its key."""
    Organisation = apps.get_model("accounts", "Organisation")
    taken: set[str] = set()
    for organisation in Organisation.objects.order_by("pk").only("pk", "name"):
        key = name_key(organisation.name)
        if key in taken:
            key = f"{key}{DUPLICATE_MARK}{organisation.pk}"
        taken.add(key)
        organisation.name_key = key
        organisation.save(update_fields=["name_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_departments_organisations_invitations_consents"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=640),
            preserve_default=False,
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                fields=("name_key",), name="organisation_name_key_unique"
            ),
        ),
    ]
