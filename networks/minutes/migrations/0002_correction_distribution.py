import django.db.models.deletion
from django.db import migrations, models


def claim_existing_notes(apps, schema_editor):
    """Change notes of minutes already distributed were published before members were told of
    corrections: claim them, so that the next correction does not announce them as new."""
    MinutesCorrection = apps.get_model("minutes", "MinutesCorrection")
    MinutesCorrectionDistribution = apps.get_model("minutes", "MinutesCorrectionDistribution")
    notes = MinutesCorrection.objects.filter(page__distribution__isnull=False)
    MinutesCorrectionDistribution.objects.bulk_create(
        [
            MinutesCorrectionDistribution(minutes_id=note.page_id, date=note.date, note=note.note)
            for note in notes.iterator()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="MinutesCorrectionDistribution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField()),
                ("note", models.CharField(max_length=255)),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
                ("recipients", models.PositiveIntegerField(default=0)),
                (
                    "minutes",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="correction_distributions",
                        to="minutes.minutespage",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("minutes", "date", "note"), name="one_email_per_correction"
                    )
                ],
            },
        ),
        migrations.RunPython(claim_existing_notes, migrations.RunPython.noop),
    ]
