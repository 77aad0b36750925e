"""Every private URL kind of a network, walked by every role (see tests/access_matrix.py)."""

from tests.access_matrix import MANAGERS, MEMBERS, assert_only


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
    network_id = world.network.pk
    for path in ("hantera", "bjud-in", "ladda-upp"):
        assert_only(world.client, f"/tjanster/natverk/{network_id}/{path}/", MANAGERS)


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
