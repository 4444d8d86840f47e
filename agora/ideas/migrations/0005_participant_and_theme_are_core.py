import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Ideas, comments, reactions and flags point to core's participant and theme: the same
    tables, so only Django's picture of them changes."""

    dependencies = [
        ("core", "0004_participant_and_theme_join_core"),
        ("ideas", "0004_contributions_by_former_participants"),
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
                    model_name="comment",
                    name="author",
                    field=models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="%(class)ss",
                        to="core.participant",
                    ),
                ),
                migrations.AlterField(
                    model_name="flag",
                    name="participant",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.participant",
                    ),
                ),
                migrations.AlterField(
                    model_name="idea",
                    name="author",
                    field=models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="%(class)ss",
                        to="core.participant",
                    ),
                ),
                migrations.AlterField(
                    model_name="idea",
                    name="theme",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="ideas",
                        to="core.theme",
                        verbose_name="thème",
                    ),
                ),
                migrations.AlterField(
                    model_name="reaction",
                    name="participant",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.participant",
                    ),
                ),
            ],
        ),
    ]
