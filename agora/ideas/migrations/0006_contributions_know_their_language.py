from typing import Any

from django.db import migrations, models

# The site's languages when contributions started to record theirs.
LANGUAGES = ("fr", "en")


def contributions_take_their_authors_language(apps: Any, schema_editor: Any) -> None:
    """Contributions written before now are taken to be in the language their author used
    the site in: the best guess there is."""
    for model_name in ("Idea", "Comment"):
        model = apps.get_model("ideas", model_name)
        for code in LANGUAGES:
            written_in = model.objects.filter(author__language__istartswith=code)
            written_in.exclude(language=code).update(language=code)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_participant_and_theme_join_core"),
        ("ideas", "0005_participant_and_theme_are_core"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="language",
            field=models.CharField(
                choices=[("fr", "Français"), ("en", "English")],
                default="fr",
                editable=False,
                max_length=8,
                verbose_name="langue",
            ),
        ),
        migrations.AddField(
            model_name="idea",
            name="language",
            field=models.CharField(
                choices=[("fr", "Français"), ("en", "English")],
                default="fr",
                editable=False,
                max_length=8,
                verbose_name="langue",
            ),
        ),
        migrations.RunPython(
            contributions_take_their_authors_language, migrations.RunPython.noop, elidable=True
        ),
    ]
