"""Wagtail's default workflow and its task are named in English ("Moderators approval"), and the
admin shows that name on the submit button. They are records, not translatable strings, so the
names are set here in Swedish, the language of the editors."""

from django.db import migrations

TASK_NAMES = {"Moderators approval": "Godkännande av moderator"}
WORKFLOW_NAMES = {"Moderators approval": "Granskning före publicering"}


def forwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for old, new in WORKFLOW_NAMES.items():
        Workflow.objects.filter(name=old).update(name=new)
    for old, new in TASK_NAMES.items():
        Task.objects.filter(name=old).update(name=new)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
