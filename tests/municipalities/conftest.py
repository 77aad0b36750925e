import pytest

from tests.helpers import path_of
from tests.municipalities.factories import MunicipalityIndexPageFactory


@pytest.fixture
def world(two_site_world):
    """Municipality pages are walked with a second regional site beside the first."""
    return two_site_world


@pytest.fixture
def kommuner(world):
    """The default site's `/kommuner/` (Stockholms län), under the world's home page."""
    return MunicipalityIndexPageFactory(parent=world.index.get_parent())


@pytest.fixture
def kommuner_path(kommuner):
    return path_of(kommuner.url)
