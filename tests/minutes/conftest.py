"""Fixtures shared by the minutes tests."""

import pytest

from networks.services import membership_add
from tests.factories import UserFactory


@pytest.fixture
def approver(world):
    """A member of the network who takes part in meetings and can be named as approver."""
    person = UserFactory(email="justerare@example.org", first_name="Maja", last_name="Medlem")
    membership_add(network=world.network, user=person)
    return person
