"""Links from e-mails, feeds and exports use the public address, whatever host a request came on."""

from django.test import override_settings

from portal.links import absolute_url, base_url


@override_settings(PORTAL_BASE_URL="https://portal.example.se/")
def test_a_path_gets_the_public_address_without_a_double_slash():
    assert base_url() == "https://portal.example.se"
    assert absolute_url("/natverk/") == "https://portal.example.se/natverk/"


@override_settings(PORTAL_BASE_URL="https://portal.example.se")
def test_a_full_address_stays_as_it_is():
    assert absolute_url("http://example.org/a") == "http://example.org/a"
    assert absolute_url("https://example.org/b") == "https://example.org/b"
