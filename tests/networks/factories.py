"""Network test data: the network index, networks (bare pages, or set up with their private
member space as `network_create` leaves them) and memberships."""

import factory

from networks.models import Membership, NetworkIndexPage, NetworkPage
from networks.services import network_setup
from tests.factories import IndexPageFactory, PageFactory, UserFactory


class NetworkIndexPageFactory(IndexPageFactory):
    class Meta:
        model = NetworkIndexPage

    title = "Nätverk"
    slug = "natverk"
    show_in_menus = True


class NetworkPageFactory(PageFactory):
    """A published network page alone, as an editor adds it before the admin hook runs."""

    class Meta:
        model = NetworkPage

    parent = factory.SubFactory(NetworkIndexPageFactory)
    title = factory.Sequence(lambda n: f"Nätverk {n}")


class NetworkFactory(NetworkPageFactory):
    """A network with its member space, collection and coordinator group."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return network_setup(network=super()._create(model_class, *args, **kwargs))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    organisation = factory.LazyAttribute(lambda membership: membership.user.organisation)
