import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    from portal.organisation_data import load_organisations

    load_organisations(
        apps.get_model("portal", "County"),
        apps.get_model("portal", "Organisation"),
        apps.get_model("portal", "FormerCountyCode"),
        apps.get_model("portal", "FormerMunicipalityCode"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0008_no_page_rights_on_the_whole_tree"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="valid_from",
            field=models.DateField(
                blank=True,
                help_text="For a municipality formed by a reform: its first day.",
                null=True,
                verbose_name="in force from",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="valid_until",
            field=models.DateField(
                blank=True,
                help_text="For a municipality merged away or split: its last day. Empty: in force.",
                null=True,
                verbose_name="in force until",
            ),
        ),
        migrations.CreateModel(
            name="FormerCountyCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("country", models.CharField(choices=[("SE", "Sweden"), ("NO", "Norway")], max_length=2, verbose_name="country")),
                ("code", models.CharField(max_length=8, verbose_name="code")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("in_force_until", models.PositiveSmallIntegerField(verbose_name="in force until (year)")),
                ("county", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="former_codes", to="portal.county", verbose_name="county today")),
            ],
            options={
                "verbose_name": "former county number",
                "verbose_name_plural": "former county numbers",
                "ordering": ["country", "code"],
                "constraints": [models.UniqueConstraint(fields=("country", "code", "county"), name="unique_former_county_code")],
            },
        ),
        migrations.CreateModel(
            name="FormerMunicipalityCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("country", models.CharField(choices=[("SE", "Sweden"), ("NO", "Norway")], max_length=2, verbose_name="country")),
                ("code", models.CharField(max_length=20, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("in_force_until", models.PositiveSmallIntegerField(verbose_name="in force until (year)")),
                ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="former_codes", to="portal.organisation", verbose_name="municipality today")),
            ],
            options={
                "verbose_name": "former municipality number",
                "verbose_name_plural": "former municipality numbers",
                "ordering": ["country", "code"],
                "constraints": [models.UniqueConstraint(fields=("country", "code", "organisation"), name="unique_former_municipality_code")],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
