"""Networks: setting one up, memberships, requests to join, exports and the doors around them."""

import csv
import io
from datetime import timedelta

import openpyxl
import vobject
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from networks import access
from networks.models import JoinRequest, JoinRequestStatus, Membership, NetworkPage, Role
from networks.services import join_request_create, membership_add, membership_end
from networks.views import DIRECTORY_PER_PAGE
from portal.models import Organisation
from tests.access_matrix import ROLES, response_text
from tests.factories import UserFactory
from tests.helpers import path_of
from tests.networks.factories import MembershipFactory

# --- setting a network up ---


def test_a_new_network_gets_a_protected_member_space_collection_and_group(world):
    network = world.network
    assert world.space is not None
    assert PageViewRestriction.objects.filter(
        page=world.space, restriction_type=PageViewRestriction.LOGIN
    ).exists()
    assert network.collection is not None
    assert network.coordinator_group.user_set.get() == world.users["coordinator"]


def test_member_spaces_are_left_out_of_public_listings_and_the_sitemap(world, client):
    public = Page.objects.live().public()
    assert world.network.pk in public.values_list("pk", flat=True)
    assert world.space.pk not in public.values_list("pk", flat=True)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert world.network.url in sitemap
    assert world.space.url not in sitemap


def test_removing_the_restriction_in_the_admin_puts_it_back(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page=world.space).delete()
    assert PageViewRestriction.objects.filter(page=world.space).exists()


def test_coordinators_may_edit_their_network_in_the_admin_but_not_another(world):
    coordinator = world.users["coordinator"]
    assert world.network.permissions_for_user(coordinator).can_edit()
    assert world.space.permissions_for_user(coordinator).can_edit()
    assert not world.other_network.permissions_for_user(coordinator).can_edit()
    assert not world.other_network.member_space.permissions_for_user(coordinator).can_edit()


def test_a_network_created_in_the_wagtail_admin_is_set_up_too(world, superuser):
    from wagtail.test.utils.form_data import nested_form_data, rich_text

    client = world.client("superuser")
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("networks", "networkpage", world.index.pk)),
        nested_form_data(
            {
                "title": "Återsöksnätverket",
                "slug": "atersok",
                "purpose": rich_text("<p>Återsökning av statlig ersättning.</p>"),
                "audience": "Handläggare",
                "meeting_rhythm": "",
                "contact_name": "",
                "contact_email": "",
                "language": "sv",
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    network = NetworkPage.objects.get(slug="atersok")
    assert network.member_space is not None
    assert network.collection_id and network.coordinator_group_id


# --- memberships ---


def test_ending_a_membership_removes_access_at_once_and_keeps_history(world):
    member = world.users["member"]
    client = world.client("member")
    assert client.get(world.space.url).status_code == 200
    membership = Membership.objects.active().get(user=member, network=world.network)
    membership_end(membership=membership)
    assert client.get(world.space.url).status_code == 403
    assert Membership.objects.filter(user=member, network=world.network).exists()


def test_coordinator_ends_a_membership_and_changes_a_role_from_the_front_end(world):
    client = world.client("coordinator")
    member = world.users["member"]
    membership = Membership.objects.active().get(user=member, network=world.network)
    role_url = reverse("networks:membership_role", args=(world.network.pk, membership.pk))
    assert client.post(role_url, {"role": Role.COORDINATOR}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR
    assert world.network.coordinator_group.user_set.filter(pk=member.pk).exists()
    end_url = reverse("networks:membership_end", args=(world.network.pk, membership.pk))
    assert client.post(end_url).status_code == 302
    assert not Membership.objects.active().filter(pk=membership.pk).exists()
    assert not world.network.coordinator_group.user_set.filter(pk=member.pk).exists()


def test_coordinators_cannot_touch_memberships_of_another_network(world):
    membership = Membership.objects.active().get(user=world.users["other_member"])
    client = world.client("coordinator")
    for name in ("membership_end", "membership_role"):
        url = reverse(f"networks:{name}", args=(world.other_network.pk, membership.pk))
        assert client.post(url, {"role": Role.GUEST}).status_code == 403
        # The other network's membership through this network's URL: not found.
        url = reverse(f"networks:{name}", args=(world.network.pk, membership.pk))
        assert client.post(url, {"role": Role.GUEST}).status_code == 404
    assert Membership.objects.active().get(pk=membership.pk).role == Role.MEMBER


# --- requests to join ---


def test_request_to_join_is_mailed_to_coordinators_and_approval_to_the_requester(world):
    outsider = world.users["outsider"]
    client = world.client("outsider")
    url = reverse("networks:join", kwargs={"network_id": world.network.pk})
    response = client.post(url, {"message": "Jag arbetar med bosättning i Nacka."})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[world.users["coordinator"].email]]
    assert "Nacka" in mail.outbox[0].body
    join_request = JoinRequest.objects.get(user=outsider)
    mail.outbox.clear()
    approve = reverse(
        "networks:join_request_decide", args=(world.network.pk, join_request.pk, "godkann")
    )
    assert world.client("coordinator").post(approve).status_code == 302
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    assert world.space.url in mail.outbox[0].body
    assert client.get(world.space.url).status_code == 200


def test_a_declined_request_gives_no_access_and_tells_the_requester(world):
    outsider = world.users["outsider"]
    join_request = join_request_create(network=world.network, user=outsider)
    mail.outbox.clear()
    decline = reverse(
        "networks:join_request_decide", args=(world.network.pk, join_request.pk, "avsla")
    )
    world.client("coordinator").post(decline)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.DECLINED
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    assert world.client("outsider").get(world.space.url).status_code == 403


def test_asking_twice_keeps_one_pending_request(world):
    outsider = world.users["outsider"]
    first = join_request_create(network=world.network, user=outsider)
    second = join_request_create(network=world.network, user=outsider)
    assert first.pk == second.pk


# --- the refusal page and search ---


def test_refusal_page_names_the_network_and_offers_to_ask_to_join(world):
    response = world.client("outsider").get(world.space.url + "kontaktlista/")
    assert response.status_code == 403
    text = response.content.decode()
    assert world.network.title in text
    assert reverse("networks:join", kwargs={"network_id": world.network.pk}) in text
    assert world.users["member"].email not in text


def test_search_never_shows_private_pages_to_those_who_may_not_see_them(world):
    space = world.space
    space.intro = f"<p>Välkommen. {world.secret}</p>"
    space.save_revision().publish()
    allowed = {"member", "coordinator", "strategist", "superuser"}
    for role in ROLES:
        response = world.client(role).get("/sok/", {"q": world.secret})
        text = response_text(response)
        assert response.status_code == 200
        assert (path_of(space.url) in text) == (role in allowed), role


# --- exports ---


def test_csv_export_lists_active_members_and_defuses_formulas(world):
    member = world.users["member"]
    member.job_title = '=HYPERLINK("http://evil")'
    member.save()
    response = world.client("member").get(world.space.url + "kontaktlista/csv/")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    emails = {row[4] for row in rows[1:]}
    assert emails == {world.users["member"].email, world.users["coordinator"].email}
    assert any(row[3].startswith("'=") for row in rows[1:])


def test_xlsx_export_holds_the_same_rows_as_the_csv(world):
    client = world.client("member")
    as_csv = client.get(world.space.url + "kontaktlista/csv/").content.decode("utf-8-sig")
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(world.space.url + "kontaktlista/xlsx/").content)
    )
    xlsx_rows = [[v or "" for v in row] for row in workbook.active.iter_rows(values_only=True)]
    assert xlsx_rows == list(csv.reader(io.StringIO(as_csv), delimiter=";"))
    assert client.get(world.space.url + "kontaktlista/ods/").status_code == 404


def test_vcard_export_is_readable_by_address_books(world):
    response = world.client("member").get(world.space.url + "kontaktlista/vcard/")
    cards = list(vobject.readComponents(response.content.decode()))
    assert {card.email.value for card in cards} == {
        world.users["member"].email,
        world.users["coordinator"].email,
    }


def test_directory_sorts_by_organisation_descending(world):
    other_org_member = UserFactory(email="aaa@example.org", first_name="Åsa")
    membership_add(network=world.network, user=other_org_member)
    response = world.client("member").get(
        world.space.url + "kontaktlista/", {"sortera": "namn", "ordning": "fallande"}
    )
    names = [m.user.first_name for m in response.context["members"]]
    assert names == sorted(names, reverse=True)
    assert 'aria-sort="descending"' in response.content.decode()


def test_coordinator_uploads_a_document_that_only_members_can_download(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client("coordinator")
    upload = SimpleUploadedFile("dagordning.txt", b"Dagordning: bostadsfragor", "text/plain")
    response = client.post(
        world.network.member_space.screen_url("document_upload"),
        {"title": "Dagordning", "file": upload},
    )
    assert response.status_code == 302
    library = world.client("member").get(world.space.url + "dokument/").content.decode()
    assert "Dagordning" in library
    document = get_document_model().objects.get(
        title="Dagordning", collection=world.network.collection
    )
    assert response_text(world.client("member").get(document.url)) == "Dagordning: bostadsfragor"
    assert world.client("other_member").get(document.url).status_code == 403


def _upload(world, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return world.client("coordinator").post(
        world.network.member_space.screen_url("document_upload"),
        {"title": "Bilaga", "file": SimpleUploadedFile(name, data)},
    )


def test_coordinator_upload_is_checked_like_the_submission_form_html_as_pdf(world):
    response = _upload(world, "protokoll.pdf", b"<html><script>alert(1)</script></html>")
    assert response.status_code != 302
    assert "file" in response.context["form"].errors
    assert not get_document_model().objects.filter(title="Bilaga").exists()


def test_coordinator_upload_is_checked_like_the_submission_form_size(world, monkeypatch):
    from portal import uploads

    monkeypatch.setattr(uploads, "MAX_FILE_SIZE", 100)
    response = _upload(world, "stor.pdf", b"%PDF-1.4\n" + b"0" * 200)
    assert "file" in response.context["form"].errors
    assert not get_document_model().objects.filter(title="Bilaga").exists()


def test_access_rule_caches_are_forgotten_after_a_membership_change(world):
    outsider = world.users["outsider"]
    assert not access.can_view_network_space(outsider, world.network)
    membership_add(network=world.network, user=outsider)
    assert access.can_view_network_space(outsider, world.network)


# --- the admin ---------------------------------------------------------------------------------


def test_membership_records_in_the_admin_are_for_superusers_not_coordinators(world):
    url = reverse("wagtailsnippets_networks_membership:list")
    assert world.client("superuser").get(url).status_code == 200
    coordinator_view = world.client("coordinator").get(url)
    assert coordinator_view.status_code in (302, 403)
    assert world.users["other_member"].email not in response_text(coordinator_view)


def test_a_coordinator_made_outside_the_services_joins_the_admin_group(world):
    outsider = world.users["outsider"]
    MembershipFactory(network=world.network, user=outsider, role=Role.COORDINATOR)
    assert world.network.coordinator_group.user_set.filter(pk=outsider.pk).exists()


def test_without_coordinators_a_request_goes_to_the_networks_contact_address(world):
    network = world.other_network
    network.contact_email = "strateg@example.org"
    network.save_revision().publish()
    join_request_create(network=network, user=world.users["outsider"])
    assert [m.to for m in mail.outbox] == [["strateg@example.org"]]


def test_a_coordinator_finds_nothing_of_another_network_in_the_admin(world):
    other_space = world.other_network.member_space
    other_space.title = "Chefernas rum"
    other_space.save_revision().publish()
    client = world.client("coordinator")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    found = client.get(reverse("wagtailadmin_pages:search"), {"q": "Chefernas rum"})
    assert found.status_code == 200
    assert "Chefernas rum</a>" not in response_text(found)
    assert f"/admin/pages/{other_space.pk}/" not in response_text(found)
    explorer = client.get(reverse("wagtailadmin_explore", args=(other_space.pk,)))
    assert explorer.status_code in (302, 403, 404) or "Chefernas rum" not in response_text(explorer)
    own = client.get(reverse("wagtailadmin_pages:search"), {"q": world.network.title})
    assert f"/admin/pages/{world.network.pk}/" in response_text(own)


def test_admin_rights_end_on_the_end_date_even_when_nothing_was_saved(world):
    coordinator = world.users["coordinator"]
    client = world.client("coordinator")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    # The date passes: the row says "ended", but no save (and no signal) happened that day.
    Membership.objects.filter(network=world.network, user=coordinator).update(
        end_date=timezone.localdate()
    )
    assert client.get(reverse("wagtailadmin_home")).status_code in (302, 403)
    assert not world.network.coordinator_group.user_set.filter(pk=coordinator.pk).exists()
    assert not world.network.permissions_for_user(coordinator).can_edit()


def test_admin_rights_begin_on_the_start_date(world):
    outsider = world.users["outsider"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    MembershipFactory(
        network=world.network, user=outsider, role=Role.COORDINATOR, start_date=tomorrow
    )
    assert not world.network.coordinator_group.user_set.filter(pk=outsider.pk).exists()
    Membership.objects.filter(user=outsider).update(start_date=timezone.localdate())
    client = world.client("outsider")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert world.network.permissions_for_user(outsider).can_edit()
    assert not world.other_network.permissions_for_user(outsider).can_edit()


def test_directory_finds_members_by_every_word_of_name_or_organisation(world):
    botkyrka = Organisation.objects.get(name="Botkyrka kommun")
    for first, last, organisation in [
        ("Anna", "Andersson", botkyrka),
        ("Anna", "Berg", None),
        ("Bo", "Botvidsson", botkyrka),
    ]:
        person = UserFactory(first_name=first, last_name=last, organisation=organisation)
        membership_add(network=world.network, user=person)
    client = world.client("member")
    response = client.get(world.space.url + "kontaktlista/", {"q": "anna botkyrka"})
    assert [m.user.last_name for m in response.context["members"]] == ["Andersson"]
    html = response.content.decode()
    assert 'value="anna botkyrka"' in html
    sort_link = 'href="?q=anna+botkyrka&amp;sortera=organisation"'
    assert sort_link in html
    nobody = client.get(world.space.url + "kontaktlista/", {"q": "zzzz"})
    assert not nobody.context["members"].object_list
    assert _("Nobody matches. Check the spelling, or search for a part of the name.") in (
        nobody.content.decode()
    )


def test_a_large_directory_is_paged_and_keeps_the_search_and_sort(world):
    for n in range(DIRECTORY_PER_PAGE + 5):
        membership_add(
            network=world.network, user=UserFactory(first_name="Kim", last_name=f"K{n:03}")
        )
    client = world.client("member")
    first = client.get(world.space.url + "kontaktlista/", {"q": "kim", "sortera": "namn"})
    assert len(first.context["members"].object_list) == DIRECTORY_PER_PAGE
    assert "?q=kim&amp;sortera=namn&amp;sida=2" in first.content.decode()
    second = client.get(world.space.url + "kontaktlista/", {"q": "kim", "sida": "2"})
    assert [m.user.last_name for m in second.context["members"]] == [
        f"K{n:03}" for n in range(DIRECTORY_PER_PAGE, DIRECTORY_PER_PAGE + 5)
    ]


def test_each_site_has_its_own_sitemap(two_site_world, client):
    """Each regional site's sitemap lists its own public pages, with its own address."""
    from networks.services import network_create
    from tests.networks.factories import NetworkIndexPageFactory

    world = two_site_world
    index = NetworkIndexPageFactory(parent=world.other_site.root_page)
    skane = network_create(index=index, title="Skånes bosättningsnätverk", slug="skane-bo")
    own = client.get("/sitemap.xml").content.decode()
    theirs = client.get("/sitemap.xml", HTTP_HOST="skane.localhost").content.decode()
    assert world.network.full_url in own and skane.full_url not in own
    assert skane.full_url in theirs and world.network.full_url not in theirs
    assert skane.member_space.full_url not in theirs
    assert "http://skane.localhost/" in theirs
