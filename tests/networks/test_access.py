"""The one refusal and the network doors of networks/access.py (the roles: tests/access_matrix.py)."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from wagtail import hooks

from networks import access


def request_as(user, path="/tjanster/natverk/1/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_refuse_sends_an_anonymous_visitor_to_log_in_and_back():
    from django.contrib.auth.models import AnonymousUser

    response = access.refuse(
        request_as(AnonymousUser(), "/natverk/x/medlemmar/minnesanteckningar/?ar=2017")
    )
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    assert "next=/natverk/x/medlemmar/minnesanteckningar/%3Far%3D2017" in response["Location"]


def test_refuse_gives_a_logged_in_person_a_403_that_names_the_network(world):
    with pytest.raises(access.NetworkAccessDenied) as refusal:
        access.refuse(request_as(world.users["outsider"]), world.network.pk)
    assert refusal.value.network == world.network


def test_the_minutes_list_refuses_an_outsider_with_the_way_to_ask_to_join(world):
    response = world.client("outsider").get(world.space.screen_url("minutes"))
    assert response.status_code == 403
    assert reverse("networks:join", args=[world.network.pk]) in response.content.decode()


def test_a_network_door_for_an_unknown_network_is_404(world):
    url = reverse("networks:membership_end", args=[999999, 1])
    assert world.client("coordinator").post(url).status_code == 404


def test_one_hook_of_ours_decides_every_document_download():
    ours = [
        fn
        for fn in hooks.get_hooks("before_serve_document")
        if not fn.__module__.startswith("wagtail")
    ]
    assert [fn.__name__ for fn in ours] == ["ask_the_access_rule_before_serving_a_document"]


def in_a_request():
    """What Django's request_started signal does: the access rule remembers until the end."""
    access.request_begin()


def test_within_a_request_the_member_spaces_are_asked_for_once(world, django_assert_num_queries):
    from tests.minutes.factories import MeetingFactory

    meetings = [
        MeetingFactory(parent=world.space),
        MeetingFactory(parent=world.other_network.member_space),
    ]
    in_a_request()
    with django_assert_num_queries(1):
        for _ in range(20):
            assert [access.network_id_for_page(m) for m in meetings] == [
                world.network.pk,
                world.other_network.pk,
            ]


def test_a_member_space_made_during_a_request_is_private_at_once(world):
    from networks.services import network_create

    in_a_request()
    assert access.network_id_for_page(world.space) == world.network.pk
    network = network_create(index=world.index, title="Återsöksnätverket", slug="atersok")
    assert access.network_id_for_page(network.member_space) == network.pk
    assert not access.can_view_page(world.users["member"], network.member_space)


def test_outside_a_request_every_answer_is_fresh(world, django_assert_num_queries):
    in_a_request()
    access.member_spaces()
    access.request_end()
    with django_assert_num_queries(2):
        access.network_id_for_page(world.space)
        access.network_id_for_page(world.space)
