"""Wagtail's migrations name some records in English: the default workflow and its task
("Moderators approval", shown on the submit button) and the roots of the page and collection
trees ("Root", shown as "Exploring: Root"). They are records, not translatable strings, so the names are set here in
Swedish, the language of the editors."""

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
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(title="Rot", draft_title="Rot")
    Collection = apps.get_model("wagtailcore", "Collection")
    Collection.objects.filter(depth=1, name="Root").update(name="Rot")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
