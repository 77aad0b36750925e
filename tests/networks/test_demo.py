"""The demo networks: who is in which, and that the private parts stay private."""

from wagtail.documents import get_document_model

from networks import access
from networks.models import Membership, NetworkPage, Role
from portal.models import User

SODERTORN = {
    "Chefsnätverk EKB",
    "Handläggarnätverk EKB",
    "Återsöksnätverket",
    "Vuxen-etableringsgruppen",
    "Nätverk för bosättningsfrågor",
    "Ledningsgrupp",
}


def test_demo_networks_members_and_documents(demo):
    titles = set(NetworkPage.objects.live().values_list("title", flat=True))
    assert titles >= SODERTORN
    ostfold = NetworkPage.objects.get(slug="kontaktpersoner-ostfold")
    assert ostfold.language == "nb"
    assert Membership.objects.active().filter(network=ostfold).count() >= 8

    def networks_of(email, role=None):
        rows = Membership.objects.active().filter(user__email=email)
        if role:
            rows = rows.filter(role=role)
        return set(rows.values_list("network__title", flat=True))

    assert networks_of("medlem@example.org") == {  # on two sites: one account
        "Nätverk för bosättningsfrågor",
        "Vuxen-etableringsgruppen",
        "Strategiska forum för integration i Skåne",
    }
    assert networks_of("strateg@example.org", Role.COORDINATOR) == SODERTORN
    assert networks_of("kommun@example.org") == {"Strategiska forum för integration i Skåne"}
    for network in NetworkPage.objects.all():
        assert network.member_space is not None and network.collection_id
    documents = get_document_model().objects.filter(collection__network__isnull=False)
    assert documents.count() >= 5
    kommun = User.objects.get(email="kommun@example.org")
    others = documents.exclude(collection__network__title__in=networks_of(kommun.email))
    assert others.count() >= 5
    assert not any(access.can_download_document(kommun, d) for d in others)
