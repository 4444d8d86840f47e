"""Wagtail names the root of the page tree and of the collections "Root", in English, and
/gestion/ shows it ("Exploration : Root", the collection of an image): Agora's back office is
in Québec French."""

from django.db import migrations

NAMES = {"Root": "Racine"}


def name_in_french(apps, schema_editor, names=NAMES):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    for english, french in names.items():
        Page.objects.filter(depth=1, title=english).update(title=french, draft_title=french)
        Collection.objects.filter(depth=1, name=english).update(name=french)


def name_in_english(apps, schema_editor):
    name_in_french(apps, schema_editor, {french: english for english, french in NAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_content_and_service_catalogue"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(name_in_french, name_in_english)]
