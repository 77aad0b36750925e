"""Wagtail's first groups, "Editors" and "Moderators", come with rights on the root collection,
which holds every network's private collection: an editor who is in no network could list and
change its documents in the admin. The portal's roles get their rights per site
(portal/sites.py `site_setup`: the site's own collection) and per network (its coordinators), so
the root-collection rights of those two groups go."""

from django.db import migrations

WAGTAILS_FIRST_GROUPS = ["Editors", "Moderators"]


def forwards(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(
        group__name__in=WAGTAILS_FIRST_GROUPS, collection__depth=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_site_roles"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
