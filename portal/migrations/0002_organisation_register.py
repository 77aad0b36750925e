from django.db import migrations


def forwards(apps, schema_editor):
    from portal.organisation_data import load_organisations

    load_organisations(apps.get_model("portal", "County"), apps.get_model("portal", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
