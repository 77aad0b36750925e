"""The document library: folders, versions, search and sort, and the new-document notice."""

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from networks.models import DocumentVersion, Membership
from networks.services import document_folder_create, document_upload
from tests.access_matrix import MANAGERS, MEMBERS, assert_only, response_text


def _upload(world, title, data, *, name="fil.txt", folder=None, role="coordinator"):
    return world.client(role).post(
        world.space.screen_url("document_upload"),
        {
            "title": title,
            "file": SimpleUploadedFile(name, data),
            "folder": (folder or world.network.collection).pk,
        },
    )


def _document(title):
    return get_document_model().objects.get(title=title)


def test_a_folder_holds_its_documents_and_is_as_private_as_the_library(world):
    folder = document_folder_create(network=world.network, name="Kallelser 2026")
    response = _upload(world, "Kallelse mars", f"Kallelse. {world.secret}".encode(), folder=folder)
    assert response["Location"] == world.space.screen_url("document_folder", folder.pk)
    top = response_text(world.client("member").get(world.space.screen_url("documents")))
    assert "Kallelser 2026" in top and "Kallelse mars" not in top
    folder_url = world.space.screen_url("document_folder", folder.pk)
    assert "Kallelse mars" in response_text(world.client("member").get(folder_url))
    assert_only(world.client, folder_url, MEMBERS, secret_text="Kallelse mars")
    assert_only(world.client, _document("Kallelse mars").url, MEMBERS, secret_text=world.secret)


def test_a_folder_of_another_network_is_not_found_in_this_library(world):
    elsewhere = document_folder_create(network=world.other_network, name="Annat nätverk")
    response = world.client("coordinator").get(
        world.space.screen_url("document_folder", elsewhere.pk)
    )
    assert response.status_code == 404


def test_a_coordinator_cannot_upload_into_another_networks_folder(world):
    elsewhere = document_folder_create(network=world.other_network, name="Annat nätverk")
    response = _upload(world, "Fel mapp", b"text", folder=elsewhere)
    assert response.status_code == 200
    assert "folder" in response.context["form"].errors
    assert not get_document_model().objects.filter(title="Fel mapp").exists()


def test_a_coordinator_makes_a_folder_inside_a_folder_from_the_library(world):
    top = document_folder_create(network=world.network, name="Möten")
    response = world.client("coordinator").post(
        world.space.screen_url("document_folder_new"), {"name": "2026", "parent": top.pk}
    )
    child = Collection.objects.get(pk=top.pk).get_children().get()
    assert child.name == "2026"
    assert response["Location"] == world.space.screen_url("document_folder", child.pk)


def test_a_folder_name_already_used_there_is_refused_and_kept(world):
    top = document_folder_create(network=world.network, name="Möten")
    response = world.client("coordinator").post(
        world.space.screen_url("document_folder_new"),
        {"name": "möten", "parent": world.network.collection.pk},
    )
    assert response.status_code == 200
    assert "Det finns redan en mapp med det namnet där." in response_text(response)
    assert 'value="möten"' in response_text(response)
    assert top.get_siblings().filter(name__iexact="möten").count() == 1


def test_library_screens_are_for_members_and_folder_making_for_managers(world):
    assert_only(world.client, world.space.screen_url("document_detail", world.document.pk), MEMBERS)
    assert_only(world.client, world.space.screen_url("document_folder_new"), MANAGERS)


def test_a_new_version_replaces_the_file_and_keeps_the_old_one_for_members_only(world):
    document = world.document
    detail = world.space.screen_url("document_detail", document.pk)
    response = world.client("coordinator").post(
        detail, {"file": SimpleUploadedFile("ny.txt", b"Version 2 av anteckningarna")}
    )
    assert response["Location"] == detail
    document.refresh_from_db()
    assert response_text(world.client("member").get(document.url)) == "Version 2 av anteckningarna"
    version = DocumentVersion.objects.get(document=document)
    assert version.number == 1
    assert world.secret in response_text(world.client("member").get(version.archive.url))
    assert_only(world.client, version.archive.url, MEMBERS, secret_text=world.secret)
    page = response_text(world.client("member").get(detail))
    assert version.archive.url in page and "Version 1" in page


def test_earlier_versions_are_not_listed_as_documents_of_their_own(world):
    world.client("coordinator").post(
        world.space.screen_url("document_detail", world.document.pk),
        {"file": SimpleUploadedFile("ny.txt", b"Version 2")},
    )
    archive = DocumentVersion.objects.get().archive
    library = world.client("member").get(world.space.screen_url("documents"))
    titles = [d.title for d in library.context["documents"]]
    assert titles == [world.document.title]
    assert library.context["documents"][0].version == 2
    assert archive.title not in response_text(library)


def test_members_cannot_upload_a_new_version(world):
    response = world.client("member").post(
        world.space.screen_url("document_detail", world.document.pk),
        {"file": SimpleUploadedFile("ny.txt", b"Kapning")},
    )
    assert response.status_code == 403
    assert not DocumentVersion.objects.exists()


def test_a_new_version_is_checked_like_every_upload(world):
    response = world.client("coordinator").post(
        world.space.screen_url("document_detail", world.document.pk),
        {"file": SimpleUploadedFile("ny.pdf", b"<html>inte en pdf</html>")},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not DocumentVersion.objects.exists()


def test_deleting_a_document_deletes_its_earlier_versions(world):
    world.client("coordinator").post(
        world.space.screen_url("document_detail", world.document.pk),
        {"file": SimpleUploadedFile("ny.txt", b"Version 2")},
    )
    archive_pk = DocumentVersion.objects.get().archive_id
    world.document.delete()
    assert not get_document_model().objects.filter(pk=archive_pk).exists()


def test_search_looks_in_every_folder_and_sorting_by_name_works(world):
    folder = document_folder_create(network=world.network, name="Arkiv")
    for title, where in (("Budget bosättning", folder), ("Agenda bosättning", None)):
        document_upload(
            network=world.network,
            title=title,
            file=SimpleUploadedFile("f.txt", b"x"),
            folder=where,
            uploaded_by=world.users["coordinator"],
            notify=False,
        )
    url = world.space.screen_url("documents")
    found = world.client("member").get(url, {"q": "bosättning", "sortera": "namn"})
    assert [d.title for d in found.context["documents"]] == [
        "Agenda bosättning",
        "Budget bosättning",
    ]
    newest = world.client("member").get(url, {"q": "bosättning"})
    assert [d.title for d in newest.context["documents"]][0] == "Agenda bosättning"
    assert "Arkiv" in response_text(found)


def test_the_new_document_notice_reaches_members_and_no_one_else(world):
    mail.outbox.clear()
    _upload(world, "Lägesbild", b"text")
    assert sorted(to for m in mail.outbox for to in m.to) == ["member@example.org"]
    message = mail.outbox[0]
    assert "Lägesbild" in message.subject
    assert world.space.screen_url("document_detail", _document("Lägesbild").pk) in message.body


def test_a_member_turns_the_notice_off_and_gets_no_more(world):
    client = world.client("member")
    response = client.post(world.space.screen_url("document_notices"), {"meddelanden": "av"})
    assert response.status_code == 302
    assert not Membership.objects.get(user=world.users["member"]).document_notices
    assert "Skicka mig e-post om nya dokument" in response_text(
        client.get(world.space.screen_url("documents"))
    )
    mail.outbox.clear()
    _upload(world, "Lägesbild", b"text")
    assert mail.outbox == []


def test_a_new_version_tells_the_members_too(world):
    mail.outbox.clear()
    world.client("coordinator").post(
        world.space.screen_url("document_detail", world.document.pk),
        {"file": SimpleUploadedFile("ny.txt", b"Version 2")},
    )
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    assert "Ny version" in mail.outbox[0].subject
