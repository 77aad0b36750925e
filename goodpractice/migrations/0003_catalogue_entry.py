"""The narrow per-practice catalogue row replaces the facet-per-row table (faster counts), and
on PostgreSQL the search index gets the expression index Wagtail's query can use."""

from django.db import migrations, models

INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS goodpractice_search_vector ON wagtailsearch_indexentry "
    "USING gin ((title || body))"
)


def assign_bits(apps, schema_editor):
    for name in ("Theme", "TargetGroup"):
        model = apps.get_model("goodpractice", name)
        for bit, row in enumerate(model.objects.order_by("pk")):
            row.bit = bit
            row.save(update_fields=["bit"])


def search_index(apps, schema_editor):
    # Wagtail's PostgreSQL query matches `title || body`; without an index on exactly that
    # expression every search reads the whole index table.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX_SQL)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS goodpractice_search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("goodpractice", "0002_seed_vocabularies"),
        ("wagtailsearch", "__latest__"),
    ]

    operations = [
        migrations.DeleteModel(name="PracticeFacet"),
        migrations.AddField(
            model_name="theme",
            name="bit",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="targetgroup",
            name="bit",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(assign_bits, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="theme",
            name="bit",
            field=models.PositiveSmallIntegerField(editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="targetgroup",
            name="bit",
            field=models.PositiveSmallIntegerField(editable=False, unique=True),
        ),
        migrations.CreateModel(
            name="CatalogueEntry",
            fields=[
                (
                    "practice",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="catalogue_entry",
                        serialize=False,
                        to="goodpractice.practicepage",
                    ),
                ),
                ("published_at", models.DateTimeField()),
                ("municipality_sort", models.CharField(blank=True, max_length=200)),
                ("county_id", models.IntegerField(null=True)),
                ("year", models.SmallIntegerField(null=True)),
                ("still_running", models.BooleanField(default=False)),
                ("themes", models.BigIntegerField(default=0)),
                ("target_groups", models.BigIntegerField(default=0)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["-published_at", "-practice"], name="catalogue_newest"),
                    models.Index(fields=["municipality_sort"], name="catalogue_municipality"),
                ]
            },
        ),
        migrations.RunPython(search_index, drop_search_index),
    ]
