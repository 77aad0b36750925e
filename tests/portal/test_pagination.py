"""CountingPaginator (portal/pagination.py): Django's pages, with the count in the page's query."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Organisation
from portal.pagination import CountingPaginator
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations(db):
    Organisation.objects.all().delete()
    for n in range(23):
        OrganisationFactory(name=f"Kommun {n:02d}")
    return Organisation.objects.order_by("name")


# The largest number a query value may hold (portal/input.py): its offset is past any integer.
@pytest.mark.parametrize("number", [1, 2, 3, "3", "x", None, str(2**63 - 1)])
def test_every_page_is_the_one_django_gives(organisations, number):
    ours = CountingPaginator(organisations, 10).get_page(number)
    django = Paginator(organisations, 10).get_page(number)
    assert [o.pk for o in ours] == [o.pk for o in django]
    assert (ours.number, ours.paginator.count, ours.paginator.num_pages) == (
        django.number,
        23,
        3,
    )


def test_a_page_costs_one_query(organisations):
    with CaptureQueriesContext(connection) as captured:
        page = CountingPaginator(organisations, 10).get_page(2)
        assert len(page) == 10 and page.has_next() and page.paginator.count == 23
    assert len(captured.captured_queries) == 1


def test_a_page_past_the_end_shows_the_last(organisations):
    page = CountingPaginator(organisations, 10).get_page(9)
    assert page.number == 3 and len(page) == 3


def test_an_empty_list_has_one_empty_page(db):
    page = CountingPaginator(Organisation.objects.none(), 10).get_page(1)
    assert page.number == 1 and len(page) == 0 and page.paginator.count == 0
