"""Fixtures shared by the events tests: a calendar and a small seminar on it."""

import pytest

from tests.events.helpers import make_event, make_index


@pytest.fixture
def index(home):
    return make_index(home)


@pytest.fixture
def seminar(index):
    """A seminar with one place, so the second registration waits."""
    return make_event(
        index, title="Seminarium om bosättning", registration_enabled=True, capacity=1
    )
