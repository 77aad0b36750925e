"""The client address every rate limit keys on: X-Forwarded-For only from trusted proxies."""

import pytest
from django.test import RequestFactory

from portal.accounts.adapter import PortalAccountAdapter
from portal.ratelimits import client_address

PROXY = "10.0.0.5"


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    assert client_address(request_from(PROXY, "198.51.100.7")) == PROXY


def test_behind_a_trusted_proxy_the_forwarded_client_is_used(settings):
    settings.PORTAL_TRUSTED_PROXIES = [PROXY]
    assert client_address(request_from(PROXY, "198.51.100.7")) == "198.51.100.7"


def test_a_client_not_coming_through_the_proxy_cannot_forge_the_header(settings):
    settings.PORTAL_TRUSTED_PROXIES = [PROXY]
    assert client_address(request_from("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


def test_what_the_client_wrote_before_the_proxy_is_not_believed(settings):
    # The visitor sends "X-Forwarded-For: 1.2.3.4"; the proxy appends the real address.
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    forwarded = "1.2.3.4, 198.51.100.7, 10.0.0.9"
    assert client_address(request_from(PROXY, forwarded)) == "198.51.100.7"


@pytest.mark.parametrize("forwarded", ["", "unknown", "198.51.100.7\x00", "<script>"])
def test_a_garbled_header_leaves_the_last_address_a_trusted_proxy_vouched_for(settings, forwarded):
    settings.PORTAL_TRUSTED_PROXIES = [PROXY]
    assert client_address(request_from(PROXY, forwarded)) == PROXY


def test_ipv6_proxies_and_clients(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["fd00::/8", "127.0.0.1"]
    assert client_address(request_from("fd00::1", "2001:db8::7")) == "2001:db8::7"
    assert client_address(request_from("127.0.0.1", "2001:db8::8, fd00::2")) == "2001:db8::8"


def test_allauth_rate_limits_key_on_the_same_address(settings):
    settings.PORTAL_TRUSTED_PROXIES = [PROXY]
    request = request_from(PROXY, "198.51.100.7")
    assert PortalAccountAdapter(request).get_client_ip(request) == "198.51.100.7"
