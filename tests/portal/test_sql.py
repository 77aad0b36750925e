"""portal.sql.AmongIds: one parameter for a long list of ids, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Organisation
from portal.sql import AmongIds

pytestmark = pytest.mark.django_db


def test_matches_exactly_the_listed_ids():
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:5])
    found = Organisation.objects.filter(AmongIds("pk", [ids[0], ids[3], 10**9]))
    assert set(found.values_list("pk", flat=True)) == {ids[0], ids[3]}
    assert not Organisation.objects.filter(AmongIds("pk", [])).exists()


def test_a_list_longer_than_any_parameter_limit_is_one_parameter():
    every = set(Organisation.objects.values_list("pk", flat=True))
    many = [*every, *range(10**6, 10**6 + 40_000)]  # over SQLite's 32,766 variables
    with CaptureQueriesContext(connection) as captured:
        found = set(Organisation.objects.filter(AmongIds("pk", many)).values_list("pk", flat=True))
    assert found == every
    assert len(captured.captured_queries) == 1


def test_combines_with_other_filters_and_negation():
    kommun = Organisation.objects.filter(name="Höörs kommun").get()
    other = Organisation.objects.exclude(pk=kommun.pk).first()
    among = AmongIds("pk", [kommun.pk, other.pk])
    assert list(Organisation.objects.filter(among, name__startswith="Höör")) == [kommun]
    assert not Organisation.objects.exclude(among).filter(pk=kommun.pk).exists()
