from django.db import migrations


def forwards(apps, schema_editor):
    from portal.organisation_data import accounts_follow_mergers

    accounts_follow_mergers(
        apps.get_model("portal", "Organisation"), apps.get_model("portal", "FormerMunicipalityCode")
    )


class Migration(migrations.Migration):
    """Accounts that still name a kommune the 2020 and 2024 reforms merged away name the one it
    became (portal/organisation_data.py `accounts_follow_mergers`)."""

    dependencies = [
        ("portal", "0009_norwegian_register"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
