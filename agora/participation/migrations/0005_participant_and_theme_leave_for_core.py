import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    """The participant and the themes are core's now (agora/core/migrations/0004): their
    tables stay where they are, and the components moved their links first (each migration
    that does so runs before this one)."""

    dependencies = [
        ("core", "0004_participant_and_theme_join_core"),
        ("participation", "0004_phase_settings_leave_for_components"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="projectpage",
                    name="themes",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, to="core.theme", verbose_name="thèmes"
                    ),
                ),
                migrations.DeleteModel(name="Participant"),
                migrations.DeleteModel(name="Theme"),
            ],
        ),
    ]
