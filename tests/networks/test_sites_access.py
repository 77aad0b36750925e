"""Rights per site, shared people: a strategist of one regional site sees nothing private of
another (pages, search, feeds, the admin's tree and choosers), a person in networks on two sites
logs in once and sees both, and a site made with `manage.py site_create` serves at once."""

import pytest
from django.core.management import call_command
from wagtail.models import Site

from events.models import EventIndexPage
from networks.access import can_view_network_space, strategists_group
from networks.models import NetworkIndexPage
from networks.services import membership_add, network_create
from portal.sites import site_create, site_index, site_setup
from tests.access_matrix import response_text
from tests.events.factories import EventPageFactory, future

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_site_world):
    """This module's doors are walked with a second regional site beside the first."""
    return two_site_world


OSTFOLD = "ostfold.localhost"


@pytest.fixture
def ostfold(world):
    """A third site, made the way an administrator makes one, with a network of its own."""
    site = site_create(name="Statsforvalteren i Østfold", hostname=OSTFOLD, language="nb")
    network = network_create(
        index=site_index(NetworkIndexPage, site), title="Kontaktpersoner Østfold", slug="kontakt"
    )
    return site, network


def test_a_strategist_of_another_site_finds_no_member_only_page_in_search(world):
    EventPageFactory(
        parent=world.space,
        title="Nätverksmöte om boende",
        kind="network_meeting",
        description=f"Boendefrågor {world.secret}",
    )
    for role, found in (("strategist", True), ("other_site_strategist", False)):
        for host in ("localhost", "skane.localhost"):
            response = world.client(role).get("/sok/", {"q": "boendefrågor"}, HTTP_HOST=host)
            shown = world.secret in response_text(response)
            assert shown == (found and host == "localhost"), (role, host)


def test_a_strategist_of_another_site_gets_no_network_feed_and_no_meeting(world):
    meeting = EventPageFactory(parent=world.space, kind="network_meeting", description=world.secret)
    client = world.client("other_site_strategist")
    feed = client.get(f"/tjanster/kalender/natverk/{world.network.pk}/kalender.ics")
    assert feed.status_code == 403
    assert client.get(meeting.url).status_code == 403
    assert world.client("strategist").get(meeting.url).status_code == 200


def test_the_admin_tree_and_choosers_show_another_sites_strategist_nothing_of_this_site(world):
    site_setup(site=Site.objects.get(is_default_site=True))
    site_setup(site=world.other_site)
    private = world.space.title
    own = world.client("strategist")
    other = world.client("other_site_strategist")
    chooser = f"/admin/choose-page/{world.network.pk}/"
    assert private in own.get(chooser).content.decode()
    assert private not in other.get(chooser).content.decode()
    search = "/admin/choose-page/search/"
    assert private not in other.get(search, {"q": private}).content.decode()
    assert other.get(f"/admin/pages/{world.space.pk}/").status_code != 200
    # The tree opens at the one site root the strategist has rights on.
    explorer = other.get("/admin/pages/")
    assert explorer["Location"] == f"/admin/pages/{world.other_site.root_page_id}/"
    documents = other.get("/admin/documents/chooser/")
    assert documents.status_code == 200
    assert world.document.title not in documents.content.decode()


def test_one_login_sees_networks_and_meetings_of_two_sites_in_one_place(world, ostfold):
    site, network = ostfold
    person = world.users["member"]
    membership_add(network=network, user=person)
    EventPageFactory(
        parent=world.space, title="Möte på Södertörn", kind="network_meeting", start=future(5)
    )
    EventPageFactory(
        parent=network.member_space, title="Møte i Østfold", kind="network_meeting", start=future(6)
    )
    client = world.client("member")
    page = client.get("/mina-sidor/").content.decode()
    assert "Kontaktpersoner Østfold</a> (Statsforvalteren i Østfold)" in page
    assert world.network.title in page
    from events.services import feed_token_rotate

    token = feed_token_rotate(user=person).token
    feed = client.get(f"/tjanster/kalender/min/{token}/kalender.ics").content.decode()
    assert "Möte på Södertörn" in feed
    assert "Møte i Østfold" in feed
    assert f"URL:http://{OSTFOLD}/natverk/kontakt/" in feed  # at its own site's address
    assert client.get(network.member_space.url, HTTP_HOST=OSTFOLD).status_code == 200


def test_a_site_made_with_the_command_serves_at_once_and_its_strategists_rule_only_there(world):
    call_command("site_create", "Region Östergötland", "ostergotland.localhost")
    site = Site.objects.get(hostname="ostergotland.localhost")
    for path in ("/", "/natverk/", "/kalender/", "/goda-exempel/", "/nyhetsbrev/"):
        response = world.client("anonymous").get(path, HTTP_HOST="ostergotland.localhost")
        assert response.status_code == 200, path
    assert not site_index(EventIndexPage, site).get_children().exists()
    strategist = world.users["outsider"]
    strategist.groups.add(strategists_group(site))
    assert not can_view_network_space(strategist, world.network.pk)
    call_command("site_create", "Region Östergötland", "ostergotland.localhost")
    assert Site.objects.filter(hostname="ostergotland.localhost").count() == 1
