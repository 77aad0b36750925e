"""Every private URL kind of a network, walked by every role (see tests/access_matrix.py)."""

import pytest

from tests.access_matrix import MANAGERS, MEMBERS, assert_only


@pytest.fixture
def world(two_site_world):
    """This module's doors are walked with a second regional site beside the first."""
    return two_site_world


def test_member_space_overview_is_for_members_only(world):
    assert_only(world.client, world.space.url, MEMBERS, secret_text=world.document.title)


def test_member_directory_is_for_members_only(world):
    assert_only(world.client, world.space.url + "kontaktlista/", MEMBERS, secret_text=world.secret)


def test_directory_csv_export_is_for_members_only(world):
    outcomes = assert_only(
        world.client, world.space.url + "kontaktlista/csv/", MEMBERS, secret_text=world.secret
    )
    assert outcomes["member"] == 200


def test_directory_xlsx_export_is_for_members_only(world):
    outcomes = assert_only(
        world.client, world.space.url + "kontaktlista/xlsx/", MEMBERS, secret_text=world.secret
    )
    assert outcomes["member"] == 200


def test_directory_vcard_export_is_for_members_only(world):
    assert_only(
        world.client, world.space.url + "kontaktlista/vcard/", MEMBERS, secret_text=world.secret
    )


def test_document_library_is_for_members_only(world):
    assert_only(
        world.client, world.space.url + "dokument/", MEMBERS, secret_text=world.document.title
    )


def test_each_network_document_is_for_members_only(world):
    assert_only(world.client, world.document.url, MEMBERS, secret_text=world.secret)


def test_coordinator_tools_are_for_managers_only(world):
    for screen in ("manage", "invite", "document_upload"):
        assert_only(world.client, world.space.screen_url(screen), MANAGERS)


def test_the_membership_history_and_its_exports_are_for_managers_only(world):
    # The former member's address is in the history only: it must reach no one else.
    secret = world.users["former_member"].email
    for name, args in (("membership_history", ()), ("membership_history_export", ("csv",))):
        url = world.space.screen_url(name, *args)
        assert_only(world.client, url, MANAGERS, secret_text=secret)


OLD_SCREEN_ADDRESSES = {
    "/tjanster/natverk/{id}/hantera/": ("manage", MANAGERS),
    "/tjanster/natverk/{id}/bjud-in/": ("invite", MANAGERS),
    "/tjanster/natverk/{id}/ladda-upp/": ("document_upload", MANAGERS),
    "/tjanster/kalender/natverk/{id}/nytt-mote/": ("meeting_new", MANAGERS),
    "/tjanster/protokoll/natverk/{id}/": ("minutes", MEMBERS),
    "/tjanster/protokoll/natverk/{id}/atgarder/": ("action_items", MEMBERS),
}


def test_old_screen_addresses_lead_to_the_screen_below_the_member_space(world):
    for old, (screen, allowed) in OLD_SCREEN_ADDRESSES.items():
        response = world.client("anonymous").get(old.format(id=world.network.pk) + "?sida=2")
        assert response.status_code == 301, old
        assert response["Location"] == world.space.screen_url(screen) + "?sida=2"
        assert_only(world.client, response["Location"], allowed)


def test_old_screen_addresses_of_an_unknown_network_are_not_found(world):
    assert world.client("coordinator").get("/tjanster/natverk/999999/hantera/").status_code == 404


def test_documents_in_a_sub_collection_of_the_network_are_just_as_private(world):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    sub = world.network.collection.add_child(name="Arkiv 2017")
    document = get_document_model().objects.create(
        title="Arkiverad", file=ContentFile(world.secret.encode(), "arkiv.txt"), collection=sub
    )
    assert_only(world.client, document.url, MEMBERS, secret_text=world.secret)


def test_the_member_space_of_another_network_is_closed_to_this_networks_coordinator(world):
    other_space = world.other_network.member_space
    assert world.client("coordinator").get(other_space.url).status_code == 403
    assert world.client("other_member").get(other_space.url).status_code == 200
