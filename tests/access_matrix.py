"""The access matrix: every private URL kind, walked by every role.

Reusable by every area's tests. The `world` fixture is registered for the whole suite in
tests/conftest.py, so a test module imports only the helpers::

    from tests.access_matrix import MEMBERS, assert_only
    from tests.events.factories import EventPageFactory

    def test_meeting_page_is_for_members_only(world):
        meeting = EventPageFactory(parent=world.space, kind="network_meeting", description=world.secret)
        assert_only(world.client, meeting.url, MEMBERS, secret_text=world.secret)

`world` (pytest fixture; `build_world()` outside pytest) holds:

- `network`: a published NetworkPage with its member space (`space`), private collection and
  coordinator group, made by `networks.services.network_create`; `other_network` likewise.
- `users[role]` for every role in `ROLES` (None for "anonymous"):
  anonymous, outsider (logged in, no memberships), other_member (member of `other_network`),
  former_member (membership in `network` ended yesterday), member, coordinator (of `network`),
  strategist (of the default site, where the networks are: its "Strateger" group, no memberships),
  other_site_strategist (a strategist of `other_site`, a second regional site: rights per site
  give them nothing here; in a one-site world, a logged-in person with no role), superuser.
- `other_site`: with `build_world(sites=2)` (the `two_site_world` fixture) a second Wagtail Site,
  Kommunförbundet Skåne, with its own home page; else None. With two sites `page.url` is a full
  address, so compare links in HTML with `tests.helpers.path_of(page.url)`.
- `document`: a document in the network's private collection whose content contains `secret`.
- `secret`: a unique string to put in private content; `assert_only` checks it never leaks.
- `client(role)`: a fresh django.test.Client logged in as that role (anonymous: not logged in).

In a module none of whose tests commits, and whose tests all ask for the same world, the world's
rows are built once for the module (in a transaction rolled back after it); each test still gets
its own objects of those rows and its own savepoint, so it may change them freely.

`assert_only(client_factory, url, allowed_roles, secret_text=None, method="get", data=None,
roles=ROLES, ok_status=200)` requests `url` as every role and asserts: allowed roles get `ok_status`
(default 200); anonymous (when not allowed) gets a redirect to the login page; every other role gets
403; and `secret_text`, when given, appears in no refused response (streamed bodies included).
`assert_shown_only(client_factory, url, allowed_roles, secret_text)` is for a public page that
mentions member-only content (a practice presented at member-only minutes): every role gets 200,
and `secret_text` appears for exactly `allowed_roles`.
Role sets: MEMBERS (may see the member space), MANAGERS (may run the network), SITE_MEMBERS
(belongs to a network of the site: member-only parts of the municipality pages), EVERYONE.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

ROLES = (
    "anonymous",
    "outsider",
    "other_member",
    "former_member",
    "member",
    "coordinator",
    "strategist",
    "other_site_strategist",
    "superuser",
)
MEMBERS = frozenset({"member", "coordinator", "strategist", "superuser"})
MANAGERS = frozenset({"coordinator", "strategist", "superuser"})
EVERYONE = frozenset(ROLES)
# Belongs to some network of the site (both networks are on the default site) or is its strategist.
SITE_MEMBERS = MEMBERS | {"other_member"}


@dataclass
class World:
    network: object
    space: object
    other_network: object
    index: object
    users: dict
    document: object
    secret: str
    other_site: object
    extra: dict = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        user = self.users.get(role)
        if user is not None:
            client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return client


def build_world(*, secret: str = "HEMLIG-7f3a-kontaktlista", sites: int = 1) -> World:
    """Two networks, one person per role, one private document. Needs database access."""
    from networks.access import strategists_group
    from networks.services import (
        document_from_bytes,
        membership_add,
        membership_end,
        network_create,
    )
    from tests.factories import OrganisationFactory, UserFactory, make_site
    from tests.networks.factories import NetworkIndexPageFactory

    index = NetworkIndexPageFactory()
    other_site = make_site("skane.localhost", name="Kommunförbundet Skåne") if sites > 1 else None
    organisation = OrganisationFactory(name="Botkyrka kommun")
    network = network_create(
        index=index,
        title="Nätverk för bosättningsfrågor",
        slug="bosattning",
        audience="Enhetschefer och motsvarande i Södertörnskommunerna.",
        host_organisation=organisation,
    )
    other_network = network_create(index=index, title="Chefsnätverk EKB", slug="chefsnatverk-ekb")
    users = {"anonymous": None}
    for role in ROLES[1:]:
        users[role] = UserFactory(
            email=f"{role.replace('_', '-')}@example.org",
            first_name=role.replace("_", " ").title(),
            last_name="Testsson",
            organisation=organisation,
            job_title=f"{secret}-titel" if role == "member" else "Handläggare",
            phone="08-123 456 78",
            is_superuser=role == "superuser",
            is_staff=role == "superuser",
        )
    users["strategist"].groups.add(strategists_group())
    if other_site is not None:
        users["other_site_strategist"].groups.add(strategists_group(other_site))
    membership_add(network=other_network, user=users["other_member"])
    former = membership_add(network=network, user=users["former_member"])
    membership_end(membership=former, on=timezone.localdate() - timedelta(days=1))
    membership_add(network=network, user=users["member"])
    membership_add(network=network, user=users["coordinator"], role="coordinator")
    document = document_from_bytes(
        network=network,
        title="Minnesanteckningar 15 mars",
        name="minnesanteckningar.txt",
        data=f"Minnesanteckningar. {secret}\n".encode(),
        uploaded_by=users["coordinator"],
    )
    return World(
        network=network,
        space=network.member_space,
        other_network=other_network,
        index=index,
        users=users,
        document=document,
        secret=secret,
        other_site=other_site,
    )


WORLDS = {"world": 1, "two_site_world": 2}


@pytest.fixture(scope="module")
def _module_world(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for a module's tests, built once in a transaction that is rolled back after
    the module (each test runs in a savepoint within it, and gets fresh objects of the same
    rows: see `_fresh`). Only where that is the same as a world per test: every test of the
    module asks for the same world (a test without one must not find its rows), and none
    commits (a committing test needs its rows outside any open transaction). Otherwise None,
    and each test builds its own."""
    from django.db import transaction
    from django.test import override_settings

    from tests.helpers import commits_to_the_database

    items = [item for item in request.session.items if item.module is request.module]
    wanted = {name for item in items for name in item.fixturenames if name in WORLDS}
    everyone_wants_it = len(wanted) == 1 and all(wanted & set(item.fixturenames) for item in items)
    if not everyone_wants_it or any(commits_to_the_database(item) for item in items):
        yield None
        return
    media = tmp_path_factory.mktemp("world-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield build_world(sites=WORLDS[wanted.pop()]), media
        transaction.set_rollback(True)


def _fresh(world: World) -> World:
    """The same rows as new objects: a test may change (and cache on) the objects it gets."""
    from wagtail.documents import get_document_model
    from wagtail.models import Site

    from portal.models import User

    def again(page):
        return type(page).objects.get(pk=page.pk)

    users = User.objects.in_bulk([user.pk for user in world.users.values() if user])
    return World(
        network=again(world.network),
        space=again(world.space),
        other_network=again(world.other_network),
        index=again(world.index),
        users={role: user and users[user.pk] for role, user in world.users.items()},
        document=get_document_model().objects.get(pk=world.document.pk),
        secret=world.secret,
        other_site=world.other_site and Site.objects.get(pk=world.other_site.pk),
    )


def _world(shared, settings, sites: int):
    if shared is None:
        return build_world(sites=sites)
    world, media = shared
    settings.MEDIA_ROOT = media
    return _fresh(world)


@pytest.fixture
def world(_module_world, db, settings):
    return _world(_module_world, settings, 1)


@pytest.fixture
def two_site_world(_module_world, db, settings):
    """The world beside a second regional site whose strategist must be refused everywhere."""
    return _world(_module_world, settings, 2)


def response_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def assert_only(
    client_factory,
    url: str,
    allowed_roles,
    *,
    secret_text: str | None = None,
    method: str = "get",
    data: dict | None = None,
    roles=ROLES,
    ok_status: int = 200,
) -> dict:
    """Request `url` as every role; exactly `allowed_roles` get in. Returns {role: status}."""
    unknown = set(allowed_roles) - set(ROLES)
    assert not unknown, f"unknown roles: {unknown}"
    outcomes, problems = {}, []
    for role in roles:
        client = client_factory(role)
        response = getattr(client, method)(url, data or {})
        text = response_text(response)
        outcomes[role] = response.status_code
        if role in allowed_roles:
            if response.status_code != ok_status:
                problems.append(f"{role}: expected {ok_status}, got {response.status_code}")
            continue
        if role == "anonymous":
            location = response.get("Location", "")
            if response.status_code != 302 or not location.startswith(settings.LOGIN_URL):
                problems.append(
                    f"anonymous: expected redirect to login, got {response.status_code}"
                )
        elif response.status_code != 403:
            problems.append(f"{role}: expected 403, got {response.status_code}")
        if secret_text and secret_text in text:
            problems.append(f"{role}: the secret text leaked into the response")
    assert not problems, f"{method.upper()} {url}:\n" + "\n".join(problems)
    return outcomes


def assert_shown_only(client_factory, url: str, allowed_roles, secret_text: str, *, roles=ROLES):
    """Request a public `url` as every role; `secret_text` is in the page for exactly
    `allowed_roles`. Returns {role: shown}."""
    shown, problems = {}, []
    for role in roles:
        response = client_factory(role).get(url)
        if response.status_code != 200:
            problems.append(f"{role}: expected 200, got {response.status_code}")
        shown[role] = secret_text in response_text(response)
        if shown[role] != (role in allowed_roles):
            problems.append(f"{role}: {'shown' if shown[role] else 'not shown'}, wrongly")
    assert not problems, f"GET {url}:\n" + "\n".join(problems)
    return shown
