"""The approval step of projects (agora/participation/approval.py) and the workflow "Approbation
des projets" that every project goes through before it is published."""

import django.db.models.deletion
from django.db import migrations, models

TASK_NAME = "Approbation par le service responsable"
WORKFLOW_NAME = "Approbation des projets"


def create_project_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ProjectApprovalTask = apps.get_model("participation", "ProjectApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")

    content_type, _created = ContentType.objects.get_or_create(
        app_label="participation", model="projectapprovaltask"
    )
    task = ProjectApprovalTask.objects.create(
        name=TASK_NAME, content_type=content_type, active=True
    )
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


def remove_project_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("participation", "ProjectApprovalTask").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("participation", "0001_projects_phases_followers"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectApprovalTask",
            fields=[
                (
                    "task_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.task",
                    ),
                ),
            ],
            options={
                "verbose_name": "approbation par le service responsable",
                "verbose_name_plural": "approbations par le service responsable",
            },
            bases=("wagtailcore.task",),
        ),
        migrations.RunPython(create_project_workflow, remove_project_workflow),
    ]
