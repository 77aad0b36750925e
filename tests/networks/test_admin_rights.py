"""The admin's page and document screens keep a network's content to those the access rule lets
in. Rights a group holds above a member space (Wagtail's first groups "Editors" and
"Moderators", a site's moderators) open nothing of a network the person is not in."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Site

from networks.access import moderators_group
from portal.sites import site_setup
from tests.events.factories import EventPageFactory
from tests.factories import make_site

SECRET_TITLE = "Nätverksmöte om HEMLIG-lokalfrågan"


@pytest.fixture
def meeting(world):
    return EventPageFactory(parent=world.space, title=SECRET_TITLE, kind="network_meeting")


def _staff(world, role, *groups):
    user = world.users[role]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(*groups)
    return world.client(role)


@pytest.mark.parametrize("group", ["Moderators", "Editors"])
def test_rights_above_a_member_space_do_not_open_its_pages_in_the_admin(world, meeting, group):
    groups = [moderators_group()] if group == "Moderators" else [Group.objects.get(name=group)]
    client = _staff(world, "outsider", *groups)
    for page in (world.space, meeting):
        for screen in ("edit/", "history/", "move/", "copy/", "delete/"):
            response = client.get(f"/admin/pages/{page.pk}/{screen}")
            assert response.status_code != 200, f"{group}: {screen} of {page.title}"
            assert SECRET_TITLE not in response.content.decode()
    listing = client.get(f"/admin/pages/{world.space.pk}/")
    assert SECRET_TITLE not in listing.content.decode()


def test_the_networks_own_people_keep_their_admin_rights(world, meeting):
    client = _staff(world, "coordinator")
    response = client.get(f"/admin/pages/{meeting.pk}/edit/")
    assert response.status_code == 200
    assert SECRET_TITLE in response.content.decode()


def test_the_editors_group_has_no_rights_on_the_root_of_the_page_tree(db):
    """The tree's root is above every site: a right there would span all regions."""
    assert not GroupPagePermission.objects.filter(group__name="Editors", page__depth=1).exists()


@pytest.mark.parametrize("group", ["Moderators", "Editors"])
def test_wagtails_first_groups_do_not_edit_another_sites_pages(world, group):
    """Once the default site is set up (load_demo, the admin's "new site"), its moderators'
    rights are on its own home page, not above the other sites."""
    site_setup(site=Site.objects.get(is_default_site=True))
    skane = make_site("skane.localhost", name="Kommunförbundet Skåne")
    client = _staff(world, "outsider", Group.objects.get(name=group))
    assert client.get(f"/admin/pages/{skane.root_page_id}/edit/").status_code != 200
    assert not GroupPagePermission.objects.filter(page__depth=1).exists()


def test_no_first_group_has_rights_on_the_root_collection(db):
    assert not GroupCollectionPermission.objects.filter(
        group__name__in=["Editors", "Moderators"], collection__depth=1
    ).exists()


@pytest.mark.parametrize("group", ["Moderators", "Editors"])
def test_the_admin_does_not_list_or_open_a_networks_documents_for_others(world, group):
    client = _staff(world, "outsider", Group.objects.get(name=group))
    listing = client.get("/admin/documents/")
    assert world.document.title not in listing.content.decode()
    edit = client.get(f"/admin/documents/edit/{world.document.pk}/")
    assert edit.status_code != 200
    assert world.document.title not in edit.content.decode()
