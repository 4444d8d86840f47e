import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Responses and surveys point to core's participant and themes: the same tables (the
    survey's themes keep their table of links), so only Django's picture of them changes."""

    dependencies = [
        ("core", "0004_participant_and_theme_join_core"),
        ("surveys", "0001_surveys"),
    ]
    # Participation forgets both models next: nothing may point to them by then.
    run_before = [
        ("participation", "0005_participant_and_theme_leave_for_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="response",
                    name="participant",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="core.participant",
                    ),
                ),
                migrations.AlterField(
                    model_name="survey",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True, to="core.theme", verbose_name="thèmes"
                    ),
                ),
            ],
        ),
    ]
