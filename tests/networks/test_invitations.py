"""Invitations: e-mailed single-use links that sign people up or add them to a network."""

import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from networks import access
from networks.models import Invitation, Membership, Role
from networks.services import (
    invitation_create,
    invitation_resend,
    invitation_revoke,
    invitations_purge_expired,
)
from portal.models import User
from tests.factories import PASSWORD, UserFactory
from tests.helpers import path_of

LINK = re.compile(r"http://[^\s]+/tjanster/natverk/inbjudan/[^\s/]+/")


def invite(world, email="ny.medlem@example.org", role=Role.MEMBER, message=""):
    mail.outbox.clear()
    return invitation_create(
        network=world.network,
        email=email,
        role=role,
        message=message,
        invited_by=world.users["coordinator"],
    )


def link_in(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0)


def sent_link(django_capture_on_commit_callbacks, world, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(world, **kwargs)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    return invitation, message, path_of(link_in(message))


def sign_up(client, email, password=PASSWORD):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": password,
            "password2": password,
            "first_name": "Nina",
            "last_name": "Nyberg",
            "job_title": "Flyktingsamordnare",
        },
    )


def test_invitation_email_carries_network_role_message_and_link(
    world, django_capture_on_commit_callbacks
):
    _invitation, message, link = sent_link(
        django_capture_on_commit_callbacks,
        world,
        role=Role.GUEST,
        message="Välkommen till nätverket!",
    )
    assert message.to == ["ny.medlem@example.org"]
    assert world.network.title in message.subject
    assert "Välkommen till nätverket!" in message.body
    assert link.startswith("/tjanster/natverk/inbjudan/")
    assert message.reply_to == [world.users["coordinator"].email]


def test_only_the_hash_of_the_token_is_stored(world, django_capture_on_commit_callbacks):
    invitation, _message, link = sent_link(django_capture_on_commit_callbacks, world)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64


def test_invitee_signs_up_verified_and_lands_in_member_space(
    client, world, django_capture_on_commit_callbacks
):
    _invitation, _message, link = sent_link(
        django_capture_on_commit_callbacks, world, role=Role.SECRETARY
    )
    landing = client.get(link)
    assert landing.status_code == 200
    signup_url = re.search(r'href="(/accounts/signup/[^"]*)"', landing.content.decode()).group(1)
    signup_page = client.get(signup_url.replace("&amp;", "&"))
    assert 'value="ny.medlem@example.org"' in signup_page.content.decode()
    response = sign_up(client, "ny.medlem@example.org")
    assert response.status_code == 302
    assert response.url == world.space.url
    user = User.objects.get(email="ny.medlem@example.org")
    assert EmailAddress.objects.get(user=user).verified
    membership = Membership.objects.active().get(user=user, network=world.network)
    assert membership.role == Role.SECRETARY
    assert client.get(world.space.url).status_code == 200
    directory = client.get(world.space.url + "kontaktlista/").content.decode()
    assert "Nina Nyberg" in directory and "Flyktingsamordnare" in directory


def test_the_link_works_only_once(client, world, django_capture_on_commit_callbacks):
    _invitation, _message, link = sent_link(django_capture_on_commit_callbacks, world)
    client.get(link)
    sign_up(client, "ny.medlem@example.org")
    other = UserFactory(email="nagon.annan@example.org")
    second = type(client)()
    second.force_login(other)
    assert second.get(link).status_code == 410
    assert second.post(link).status_code == 410
    assert not Membership.objects.filter(user=other).exists()


def test_sign_up_is_closed_once_the_invitation_has_expired(
    client, world, django_capture_on_commit_callbacks
):
    invitation, _message, link = sent_link(django_capture_on_commit_callbacks, world)
    client.get(link)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    sign_up(client, "ny.medlem@example.org")
    assert not User.objects.filter(email="ny.medlem@example.org").exists()
    assert client.get(link).status_code == 410


def test_invitations_expire_after_fourteen_days(world, django_capture_on_commit_callbacks):
    invitation, _message, _link = sent_link(django_capture_on_commit_callbacks, world)
    lifetime = invitation.expires_at - invitation.created_at
    assert timedelta(days=14) - timedelta(minutes=1) < lifetime <= timedelta(days=14)


def test_a_revoked_invitation_opens_nothing(client, world, django_capture_on_commit_callbacks):
    invitation, _message, link = sent_link(django_capture_on_commit_callbacks, world)
    invitation_revoke(invitation=invitation)
    response = client.get(link)
    assert response.status_code == 410
    assert sign_up(client, "ny.medlem@example.org").status_code != 302


def test_resending_replaces_the_link_and_extends_the_expiry(
    client, world, django_capture_on_commit_callbacks
):
    invitation, _message, old_link = sent_link(django_capture_on_commit_callbacks, world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    invitation.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation=invitation)
    new_link = path_of(link_in(mail.outbox[0]))
    assert new_link != old_link
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert invitation.is_pending


def test_existing_account_accepts_after_logging_in(
    client, world, django_capture_on_commit_callbacks
):
    person = world.users["outsider"]
    _invitation, message, link = sent_link(
        django_capture_on_commit_callbacks, world, email=person.email
    )
    assert "log in" in message.body.lower() or "logga in" in message.body.lower()
    page = client.get(link)
    assert reverse("account_login") in page.content.decode()
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    response = client.post(link)
    assert response.status_code == 302
    assert response.url == world.space.url
    access.forget(person)
    assert access.can_view_network_space(person, world.network)


def test_coordinator_invites_many_addresses_from_the_front_end(
    world, django_capture_on_commit_callbacks
):
    client = world.client("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            world.network.member_space.screen_url("invite"),
            {
                "emails": "a@example.org, b@example.org\nA@example.org",
                "role": Role.MEMBER,
                "message": "Hej!",
            },
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    manage = client.get(response.url).content.decode()
    assert "a@example.org" in manage and "b@example.org" in manage


def test_invite_form_rejects_what_is_not_an_address(world):
    client = world.client("coordinator")
    response = client.post(
        world.network.member_space.screen_url("invite"),
        {"emails": "a@example.org inte-en-adress", "role": Role.MEMBER},
    )
    assert response.status_code == 200
    assert "inte-en-adress" in response.content.decode()
    assert not Invitation.objects.exists()


def test_coordinator_of_one_network_cannot_invite_to_another(world):
    client = world.client("coordinator")
    url = world.other_network.member_space.screen_url("invite")
    response = client.post(url, {"emails": "x@example.org", "role": Role.MEMBER})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_personal_page_lists_networks_and_pending_invitations(
    world, django_capture_on_commit_callbacks
):
    member = world.users["member"]
    sent_link(django_capture_on_commit_callbacks, world, email=member.email)
    page = world.client("member").get("/mina-sidor/").content.decode()
    assert f'href="{world.space.url}"' in page
    assert "Invitations waiting for you" in page or "Inbjudningar" in page
    outsider_page = world.client("outsider").get("/mina-sidor/").content.decode()
    assert world.network.title not in outsider_page


def test_invitations_unused_for_ninety_days_after_expiry_or_revocation_are_deleted(world):
    long_ago = timezone.now() - timedelta(days=91)
    expired, revoked, recent, accepted = (
        invite(world, email=f"{name}@example.org") for name in ("gammal", "aterkallad", "ny", "med")
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=long_ago)
    Invitation.objects.filter(pk=revoked.pk).update(revoked_at=long_ago)
    Invitation.objects.filter(pk=recent.pk).update(expires_at=timezone.now() - timedelta(days=3))
    Invitation.objects.filter(pk=accepted.pk).update(
        accepted_at=long_ago, expires_at=long_ago, accepted_by=world.users["member"]
    )

    assert invitations_purge_expired() == 2

    remaining = set(Invitation.objects.values_list("email", flat=True))
    assert remaining == {"ny@example.org", "med@example.org"}


def test_a_forwarded_invitation_is_refused_to_another_account(
    world, django_capture_on_commit_callbacks
):
    invitation, _message, link = sent_link(
        django_capture_on_commit_callbacks, world, role=Role.COORDINATOR
    )
    client = world.client("outsider")
    page = client.get(link)
    assert page.status_code == 403
    text = page.content.decode()
    assert "Accept the invitation" not in text and "Acceptera" not in text
    assert reverse("networks:join", args=[world.network.pk]) in text
    assert client.post(link).status_code == 403
    outsider = world.users["outsider"]
    assert not Membership.objects.filter(user=outsider, network=world.network).exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_an_account_whose_invited_address_is_not_verified_cannot_accept(
    world, django_capture_on_commit_callbacks
):
    outsider = world.users["outsider"]
    _invitation, _message, link = sent_link(
        django_capture_on_commit_callbacks, world, email=outsider.email
    )
    EmailAddress.objects.filter(user=outsider).update(verified=False)
    assert world.client("outsider").post(link).status_code == 403
    assert not Membership.objects.filter(user=outsider, network=world.network).exists()


def test_sign_up_through_the_link_is_for_the_invited_address_only(
    client, world, django_capture_on_commit_callbacks
):
    _invitation, _message, link = sent_link(django_capture_on_commit_callbacks, world)
    client.get(link)
    response = sign_up(client, "vidarebefordrad@example.org")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.filter(email="vidarebefordrad@example.org").exists()
    assert not Membership.objects.filter(network=world.network, user__email__contains="vidare")
