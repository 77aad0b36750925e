"""Fixtures shared by the events tests: a calendar and a small seminar on it."""

import pytest

from tests.events.factories import EventIndexPageFactory, EventPageFactory


@pytest.fixture
def index(home):
    return EventIndexPageFactory(parent=home)


@pytest.fixture
def seminar(index):
    """A seminar with one place, so the second registration waits."""
    return EventPageFactory(
        parent=index, title="Seminarium om bosättning", registration_enabled=True, capacity=1
    )
