"""Who may read minutes: drafts, minutes under review, published minutes, PDFs, action items."""

import pytest
from django.urls import reverse

from networks.minutes import services
from tests.access_matrix import MANAGERS, MEMBERS, assert_only
from tests.helpers import path_of
from tests.minutes.helpers import approved_minutes, written_draft

SECRET_NOTE = "HEMLIG-anteckning-4411"


@pytest.fixture
def draft(world, approver):
    return written_draft(world, [approver], notes=f"<p>{SECRET_NOTE}</p>")


def test_a_draft_is_for_its_author_and_the_coordinators_only(world, draft):
    # The author is the coordinator here; strategists and superusers run every network.
    assert_only(world.client, draft.review_url, MANAGERS, secret_text=SECRET_NOTE)


def test_a_plain_member_who_is_not_named_cannot_read_a_draft(world, draft):
    response = world.client("member").get(draft.review_url)
    assert response.status_code == 403
    assert SECRET_NOTE not in response.content.decode()


def test_minutes_under_review_are_for_author_approvers_and_coordinators(world, draft, approver):
    services.minutes_submit(minutes=draft, user=world.users["coordinator"])
    assert_only(world.client, draft.review_url, MANAGERS, secret_text=SECRET_NOTE)
    client = world.client("member")
    client.force_login(approver)
    response = client.get(draft.review_url)
    assert response.status_code == 200
    assert SECRET_NOTE in response.content.decode()


def test_an_approver_whose_membership_ended_sees_nothing(world, draft, approver):
    from networks.models import Membership
    from networks.services import membership_end

    services.minutes_submit(minutes=draft, user=world.users["coordinator"])
    membership_end(membership=Membership.objects.get(user=approver, network=world.network))
    client = world.client("member")
    client.force_login(approver)
    response = client.get(draft.review_url)
    assert response.status_code == 403
    assert SECRET_NOTE not in response.content.decode()


def test_drafts_are_never_served_at_their_page_address(world, draft):
    # Wagtail serves live pages only; the draft's address answers 404 for everyone.
    for role in ("member", "coordinator", "superuser"):
        response = world.client(role).get(f"{world.space.url}{draft.slug}/")
        assert response.status_code == 404
        assert SECRET_NOTE not in response.content.decode()


def test_published_minutes_and_their_pdf_are_for_members(world, approver):
    minutes = approved_minutes(world, approver=approver, notes=f"<p>{SECRET_NOTE}</p>")
    assert_only(world.client, minutes.url, MEMBERS, secret_text=SECRET_NOTE)
    outcomes = assert_only(world.client, f"{minutes.url}pdf/", MEMBERS)
    assert outcomes["member"] == 200
    response = world.client("member").get(f"{minutes.url}pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_action_item_lists_are_for_members(world, approver):
    approved_minutes(
        world,
        approver=approver,
        action_items=[{"what": SECRET_NOTE, "owner": world.users["member"]}],
    )
    url = world.space.screen_url("action_items")
    assert_only(world.client, url, MEMBERS, secret_text=SECRET_NOTE)
    minutes_list = world.space.screen_url("minutes")
    assert_only(world.client, minutes_list, MEMBERS)


def test_my_action_items_leave_out_networks_i_have_left(world, approver):
    from networks.models import Membership
    from networks.services import membership_end

    owner = world.users["member"]
    approved_minutes(world, approver=approver, action_items=[{"what": SECRET_NOTE, "owner": owner}])
    client = world.client("member")
    assert SECRET_NOTE in client.get(reverse("portal:my_action_items")).content.decode()
    assert SECRET_NOTE in client.get(reverse("portal:personal_page")).content.decode()
    membership_end(membership=Membership.objects.get(user=owner, network=world.network))
    client = world.client("member")
    assert SECRET_NOTE not in client.get(reverse("portal:my_action_items")).content.decode()
    assert SECRET_NOTE not in client.get(reverse("portal:personal_page")).content.decode()


def test_only_the_owner_or_a_coordinator_marks_an_item_done(world, approver):
    minutes = approved_minutes(
        world,
        approver=approver,
        action_items=[{"what": "Kontakta Migrationsverket", "owner": world.users["member"]}],
    )
    item = minutes.action_items.get()
    url = reverse("minutes:action_item_mark", args=[item.pk])
    for role in ("outsider", "other_member", "former_member"):
        assert world.client(role).post(url, {"done": "1"}).status_code == 403
    assert world.client("anonymous").post(url, {"done": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "open"
    assert world.client("member").post(url, {"done": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and item.done_by == world.users["member"]


def test_portal_search_never_shows_drafts_or_other_networks_minutes(world, draft, approver):
    search = reverse("portal:search")
    for role in ("member", "coordinator", "superuser"):
        response = world.client(role).get(search, {"q": SECRET_NOTE})
        assert draft.title not in response.content.decode()
    published = approved_minutes(world, approver=approver, notes="<p>Boendekedjor Göteborg</p>")
    for role in ("outsider", "other_member", "former_member", "anonymous"):
        response = world.client(role).get(search, {"q": "Boendekedjor"})
        assert published.url not in response.content.decode()
    response = world.client("member").get(search, {"q": "Boendekedjor"})
    assert path_of(published.url) in response.content.decode()


def test_published_minutes_stay_out_of_the_sitemap(world, approver):
    minutes = approved_minutes(world, approver=approver)
    response = world.client("anonymous").get("/sitemap.xml")
    assert response.status_code == 200
    assert minutes.slug not in response.content.decode()


# --- the addresses before minutes took the interface's word (minnesanteckningar) ---------------


def test_the_old_review_address_in_approvers_mail_leads_to_the_review_below_the_space(world, draft):
    response = world.client("anonymous").get(f"/tjanster/protokoll/{draft.pk}/granska/")
    assert response.status_code == 301
    assert response["Location"] == draft.review_url
    assert draft.review_url.startswith(world.space.screen_url("minutes"))
    assert_only(world.client, response["Location"], MANAGERS, secret_text=SECRET_NOTE)


def test_the_review_of_minutes_in_another_space_is_not_found_through_this_one(world, draft):
    from networks.services import network_create

    other = network_create(index=world.network.get_parent(), title="Återsöksnätverket")
    url = other.member_space.screen_url("minutes_review", draft.pk)
    assert world.client("superuser").get(url).status_code == 404


def test_the_old_list_addresses_lead_to_minnesanteckningar(world):
    client = world.client("member")
    response = client.get(world.space.url + "protokoll/?ar=2017")
    assert response.status_code == 301
    assert response["Location"] == world.space.url + "minnesanteckningar/?ar=2017"
    response = client.get("/tjanster/protokoll/mina-uppgifter/")
    assert (response.status_code, response["Location"]) == (301, "/mina-sidor/atgarder/")


def test_a_form_posted_to_an_old_action_address_is_sent_on_with_its_body(world, draft):
    response = world.client("coordinator").post(
        f"/tjanster/protokoll/{draft.pk}/skicka-tillbaka/", {"send_back-comment": "Rätta"}
    )
    assert response.status_code == 308
    assert response["Location"] == reverse("minutes:send_back", args=[draft.pk])
