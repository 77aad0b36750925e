"""Wagtail's first "Editors" group comes with rights on the root of the page tree, above every
site: an editor could add, change and lock the public pages of every regional site. The portal
gives no role to that group: a right here belongs to one site (portal/sites.py `site_setup`: the
site's strategists and moderators on its home page) or one network (its coordinators). So the
Editors group's rights on the tree's root go. ("Moderators", the default site's moderators, keep
theirs until `site_setup` narrows them to the default site's home page, as load_demo and the
admin's "new site" do: on a database without a home page yet there is no page to narrow them
to.) An administrator who wants an editor for a site gives them that site's group, or rights on
a page of that site in the admin."""

from django.db import migrations


def forwards(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(group__name="Editors", page__depth=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0007_no_rights_on_the_whole_collection_tree"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
