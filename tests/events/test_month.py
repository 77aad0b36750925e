"""The month view: opens where the events are, names the months it links to, and ends."""

from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.events.factories import STOCKHOLM, EventPageFactory

pytestmark = pytest.mark.django_db


def test_without_a_month_it_opens_on_the_next_month_that_has_events(index):
    this_year = timezone.localdate().year
    EventPageFactory(
        parent=index,
        title="Nyckeltalskonferens",
        start=datetime(this_year + 2, 10, 26, 9, tzinfo=STOCKHOLM),
    )
    response = Client().get(index.url + "manad/")
    assert response.context["month_start"].isoformat() == f"{this_year + 2}-10-01"
    assert "Nyckeltalskonferens" in response.content.decode()


def test_its_links_name_the_months_and_tell_crawlers_not_to_follow(index):
    EventPageFactory(
        parent=index, title="Telefonkonferens", start=datetime(2027, 4, 19, 9, tzinfo=STOCKHOLM)
    )
    page = Client().get(index.url + "manad/2027/4/").content.decode()
    assert 'rel="prev nofollow"' in page and 'rel="next nofollow"' in page
    assert "mars 2027</a>" in page and "maj 2027" in page


def test_it_ends_a_year_beyond_the_last_event(index):
    EventPageFactory(
        parent=index, title="Telefonkonferens", start=datetime(2027, 4, 19, 9, tzinfo=STOCKHOLM)
    )
    assert Client().get(index.url + "manad/2028/4/").status_code == 200
    last = Client().get(index.url + "manad/2028/4/").content.decode()
    assert 'rel="next nofollow"' not in last
    assert Client().get(index.url + "manad/2028/5/").status_code == 404
    assert Client().get(index.url + "manad/2100/1/").status_code == 404
