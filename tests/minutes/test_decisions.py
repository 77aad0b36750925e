"""The decisions register: every agenda item's decisions, searchable, behind the access rule."""

from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.rich_text import RichText

from networks.minutes import selectors
from networks.minutes.models import MinutesPage
from tests.access_matrix import MEMBERS, ROLES, assert_shown_only

from .bulk import bulk_minutes

REGISTER = reverse("minutes:decisions")
DECISION = "Nätverket beslutar att lyfta bostäderna för ensamkommande med Migrationsverket"


def decided(world, count=1, *, network=None, decision=DECISION):
    return bulk_minutes(
        network or world.network,
        count,
        author=world.users["strategist"],
        decision=decision,
    )


def test_the_register_finds_a_decision_by_a_word_in_it(world):
    (minutes,) = decided(world)
    client = world.client("member")

    found = client.get(REGISTER, {"q": "bostad"}).content.decode()  # bostäderna, inflected
    missed = client.get(REGISTER, {"q": "cykelväg"}).content.decode()

    assert DECISION in found
    assert minutes.url in found  # each decision links to its minutes
    assert DECISION not in missed


def test_the_register_never_lists_a_decision_from_a_network_the_reader_is_not_in(world):
    decided(world, decision=world.secret)
    decided(world, network=world.other_network, decision="Annat nätverks beslut")

    shown = assert_shown_only(
        world.client, REGISTER, MEMBERS, world.secret, roles=[r for r in ROLES if r != "anonymous"]
    )
    assert (
        world.secret
        not in world.client("other_member").get(REGISTER, {"q": "HEMLIG"}).content.decode()
    )
    anonymous = world.client("anonymous").get(REGISTER)
    assert anonymous.status_code == 302 and world.secret not in anonymous.content.decode()
    assert shown["member"]


def test_the_register_filters_by_network_year_and_subject(world):
    decided(world, decision="Bosättning beslut")
    decided(world, network=world.other_network, decision="EKB beslut")
    client = world.client("strategist")
    year = decided(world, decision="Årets beslut")[0].meeting_date.year

    by_network = client.get(REGISTER, {"natverk": world.other_network.pk}).content.decode()
    by_subject = client.get(REGISTER, {"amne": "brandskydd"}).content.decode()
    by_year = client.get(REGISTER, {"ar": year}).content.decode()
    other_year = client.get(REGISTER, {"ar": year - 5}).content.decode()

    assert "EKB beslut" in by_network and "Bosättning beslut" not in by_network
    # The meetings' second agenda item is "Brandskydd i modulbostäder": its decisions only.
    assert "EKB beslut 2" in by_subject and "EKB beslut 1" not in by_subject
    assert "Årets beslut 1" in by_year
    assert "Årets beslut" not in other_year


def test_the_register_costs_the_same_queries_at_1_and_at_many_decisions(world):
    decided(world)
    client = world.client("member")

    def count():
        client.get(REGISTER)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(REGISTER).status_code == 200
        return len(captured.captured_queries)

    one = count()
    decided(world, 6)
    decided(world, 2, network=world.other_network)
    many = count()
    assert selectors.decisions_register(world.users["member"]).count() == 14
    assert one == many


def test_the_register_reads_one_page_of_minutes_not_all_of_them(world, monkeypatch):
    decided(world, 4)  # two decisions each: the first page of two is the newest minutes'
    monkeypatch.setattr(selectors, "DECISIONS_PER_PAGE", 2)
    read = []

    def count(sender, instance, **kwargs):
        read.append(instance.pk)

    post_init.connect(count, sender=MinutesPage)
    try:
        html = world.client("member").get(REGISTER).content.decode()
    finally:
        post_init.disconnect(count, sender=MinutesPage)

    assert "8 beslut hittades" in html
    assert len(set(read)) == 1


def test_the_register_follows_the_published_text_not_a_draft(world):
    (minutes,) = decided(world, decision="Första beslutet")
    client = world.client("member")
    minutes.agenda = [
        ("section", {**block.value, "decisions": RichText("<p>Rättat beslut</p>")})
        for block in minutes.agenda
    ]
    minutes.save_revision(user=world.users["strategist"])
    draft = client.get(REGISTER, {"q": "rättat"}).content.decode()
    minutes.get_latest_revision().publish()
    published = client.get(REGISTER, {"q": "rättat"}).content.decode()
    minutes.unpublish()
    unpublished = client.get(REGISTER).content.decode()

    assert "Rättat beslut" not in draft
    assert "Rättat beslut" in published and "Första beslutet" not in published
    assert "Rättat beslut" not in unpublished
