"""Sessions read with the content version (portal/sessions.py) and permissions in one query
(portal/accounts/backends.py)."""

import pytest
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.accounts.backends import PermissionsInOneQueryBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sql_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [q["sql"] for q in captured.captured_queries]


def test_a_logged_in_request_reads_its_session_with_the_content_version(client, user):
    client.force_login(user)
    client.get("/mina-sidor/")
    queries = sql_of(client, "/mina-sidor/")
    assert not [sql for sql in queries if "django_session" in sql]
    assert len([sql for sql in queries if "portal_cache" in sql]) == 1


def test_a_session_the_cache_lost_is_read_from_the_database(client, user):
    from django.core.cache import cache

    client.force_login(user)
    cache.clear()
    assert client.get("/mina-sidor/").status_code == 200  # not sent to the login page
    assert client.get("/mina-sidor/").status_code == 200


def test_after_logout_the_old_cookie_opens_nothing(client, user):
    client.force_login(user)
    assert client.get("/mina-sidor/").status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert thief.get("/mina-sidor/").status_code == 302


def test_permissions_are_read_in_one_query_and_are_django_s(db):
    person = UserFactory()
    group = Group.objects.create(name="Redaktörer")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    person.user_permissions.add(Permission.objects.get(codename="add_document"))
    person.groups.add(group)
    with CaptureQueriesContext(connection) as captured:
        ours = PermissionsInOneQueryBackend().get_all_permissions(person)
        assert person.has_perm("wagtailadmin.access_admin")
        assert not person.has_perm("wagtailadmin.no_such_permission")
    assert len(captured.captured_queries) == 1
    fresh = type(person).objects.get(pk=person.pk)
    assert ours == ModelBackend().get_all_permissions(fresh)
    assert {"wagtailadmin.access_admin", "wagtaildocs.add_document"} <= ours


def test_the_permissions_backend_logs_nobody_in(db, password):
    person = UserFactory(password=password)
    assert (
        PermissionsInOneQueryBackend().authenticate(None, username=person.email, password=password)
        is None
    )
