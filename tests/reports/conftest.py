"""The seed 003 year, built once per test module and rolled back after it: each test runs in
a savepoint inside it (pytest-django's `db`), so what a test changes is gone for the next."""

import pytest
from django.db import transaction

from tests.reports.factories import build_seed_year


@pytest.fixture(scope="module")
def seed_year(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        year = build_seed_year()
        yield year
        transaction.set_rollback(True)


@pytest.fixture
def year(seed_year, db):
    return seed_year
