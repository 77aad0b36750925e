"""The themes and target groups regional strategists use (seeds 001 and 004); editable later."""

from django.db import migrations

THEMES = [
    "Bostadsförsörjning",
    "Långsiktig strategi och organisation",
    "Nya arbetssätt kring etableringsuppdraget",
    "Ensamkommande barn och unga",
    "Utbildning och praktik",
    "Samhällsliv",
    "Boende",
    "Hälsa",
    "Barn och unga",
    "Arbete och sysselsättning",
]
TARGET_GROUPS = ["Nyanlända vuxna", "Familjer", "Ensamkommande barn och unga", "Kvotflyktingar"]


def seed(apps, schema_editor):
    Theme = apps.get_model("goodpractice", "Theme")
    TargetGroup = apps.get_model("goodpractice", "TargetGroup")
    for order, name in enumerate(THEMES):
        Theme.objects.get_or_create(name=name, defaults={"sort_order": order})
    for order, name in enumerate(TARGET_GROUPS):
        TargetGroup.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("goodpractice", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
