"""A member's own data in the networks: the copy they download, and what deleting them leaves."""

import json
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from networks import access, services
from networks.models import JoinRequest, Membership, Role
from networks.services import (
    invitation_accept,
    invitation_create,
    join_request_create,
    join_request_decide,
    membership_add,
)
from portal.accounts import privacy
from tests.factories import UserFactory
from tests.privacy import erase, rows_naming


def invite(world, email, network=None, role=Role.MEMBER):
    return invitation_create(
        network=network or world.network,
        email=email,
        role=role,
        message="Välkommen!",
        invited_by=world.users["coordinator"],
    )


# --- the copy ---


def test_the_copy_lists_every_membership_ended_ones_too(world):
    former = world.users["former_member"]
    membership_add(network=world.other_network, user=former, role=Role.CHAIR)
    memberships = privacy.personal_data_export(user=former)["memberships"]
    assert [(m["network"], m["role"], m["active"]) for m in memberships] == [
        (world.network.title, "member", False),
        (world.other_network.title, "chair", True),
    ]
    ended = memberships[0]
    assert ended["end_date"] == (timezone.localdate() - timedelta(days=1)).isoformat()
    assert ended["organisation"] == "Botkyrka kommun"


def test_the_copy_lists_invitations_to_the_address_but_no_token(world):
    outsider = world.users["outsider"]
    invitation = invite(world, outsider.email)
    data = privacy.personal_data_export(user=outsider)
    [received] = data["invitations_received"]
    assert (received["network"], received["role"], received["status"]) == (
        world.network.title,
        "member",
        "pending",
    )
    assert received["expires_at"] == invitation.expires_at.isoformat()
    assert invitation.token_hash not in json.dumps(data)


def test_the_copy_lists_an_invitation_the_person_accepted_from_another_address(world):
    from allauth.account.models import EmailAddress

    outsider = world.users["outsider"]
    # Another address of the same account, verified: the invitation is for this person.
    EmailAddress.objects.create(user=outsider, email="jobbadress@example.org", verified=True)
    invitation_accept(invitation=invite(world, "jobbadress@example.org"), user=outsider)
    [received] = privacy.personal_data_export(user=outsider)["invitations_received"]
    assert received["status"] == "accepted"


def test_invitations_sent_are_listed_without_the_invitees_address(world):
    invite(world, "inbjuden@example.org", role=Role.GUEST)
    data = privacy.personal_data_export(user=world.users["coordinator"])
    assert [(i["network"], i["role"]) for i in data["invitations_sent"]] == [
        (world.network.title, "guest")
    ]
    assert "inbjuden@example.org" not in json.dumps(data)


def test_the_copy_lists_join_requests_with_their_message(world):
    outsider = world.users["outsider"]
    join_request_create(network=world.network, user=outsider, message="Jag arbetar med EKB.")
    [join_request] = privacy.personal_data_export(user=outsider)["join_requests"]
    assert (join_request["network"], join_request["message"], join_request["status"]) == (
        world.network.title,
        "Jag arbetar med EKB.",
        "pending",
    )


def test_the_copy_names_nobody_else(world):
    outsider, coordinator = world.users["outsider"], world.users["coordinator"]
    join_request_decide(
        join_request=join_request_create(network=world.network, user=outsider),
        approve=False,
        decided_by=coordinator,
    )
    invitation_accept(invitation=invite(world, outsider.email, world.other_network), user=outsider)
    text = json.dumps(privacy.personal_data_export(user=outsider), ensure_ascii=False)
    for other in (coordinator, world.users["member"], world.users["other_member"]):
        assert other.email not in text
        assert other.get_full_name() not in text


def test_the_copy_costs_five_queries_however_many_rows(world, django_assert_num_queries):
    coordinator = world.users["coordinator"]
    membership_add(network=world.other_network, user=coordinator)
    for n in range(3):
        invite(world, f"ny{n}@example.org")
        invite(world, coordinator.email, world.other_network)
        join_request_create(network=world.other_network, user=UserFactory())
    JoinRequest.objects.create(network=world.other_network, user=coordinator, status="declined")
    with django_assert_num_queries(5):
        services.personal_data_export(user=coordinator)


# --- deleting the account ---


def test_deleting_the_account_leaves_no_row_with_the_address(world):
    member = world.users["member"]
    invitation_accept(invitation=invite(world, member.email, world.other_network), user=member)
    invite(world, member.email, world.other_network, role=Role.GUEST)
    join_request_create(network=world.other_network, user=member, message=member.email)
    address = member.email
    erase(member)
    assert rows_naming(address, "networks") == []


def test_deleting_the_account_deletes_its_memberships_and_requests_to_join(world):
    member = world.users["member"]
    join_request_create(network=world.other_network, user=member)
    member_id = member.pk
    erase(member)
    assert not Membership.objects.filter(user_id=member_id).exists()
    assert not JoinRequest.objects.filter(user_id=member_id).exists()


def test_invitations_the_person_sent_stay_for_the_invitee(world):
    invitation = invite(world, "inbjuden@example.org")
    erase(world.users["coordinator"])
    invitation.refresh_from_db()
    assert invitation.invited_by is None
    assert invitation.is_pending


def test_a_deleted_coordinator_leaves_the_coordinator_group_and_the_others_stay(world):
    group = world.network.coordinator_group
    membership_add(network=world.network, user=world.users["member"], role=Role.COORDINATOR)
    erase(world.users["coordinator"])
    assert list(group.user_set.all()) == [world.users["member"]]


def test_after_the_last_coordinator_requests_to_join_go_to_the_contact_address(world):
    network = world.network
    network.contact_email = "natverket@example.org"
    network.save_revision().publish()
    erase(world.users["coordinator"])
    mail.outbox.clear()
    join_request_create(network=network, user=world.users["outsider"])
    assert [m.to for m in mail.outbox] == [["natverket@example.org"]]


def test_erasing_forgets_what_access_remembered_about_the_person(world):
    member = world.users["member"]
    assert access.can_view_network_space(member, world.network)
    services.account_erase(user=member)
    assert not access.can_view_network_space(member, world.network)
