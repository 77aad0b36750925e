"""Member-only fragments that every member of a network is shown alike, from the shared cache.

A member space's overview (its latest documents, coordinators, member count, pages, upcoming
meetings, latest minutes) and a published minutes page's text are the same for every member
with the same role, and cost a query per list to build. So they are built once and kept in
the shared cache, read in one round trip together with the version they were built under.

Who gets them: only a request that has passed the access rule for that network; the caller
(the member-space view, the minutes view) runs behind the page-serving hook that asks
networks/access.py, and names the network (or page) in the key, so a fragment can reach no one
who may not see the network. Nothing personal goes in one: what depends on the person (their
calendar key, the action items they may mark, anything with a CSRF token) is rendered outside.

When it is stale: the key holds the content version (portal/page_cache.py: any page published,
moved or deleted, a document, an organisation changed), today's date (memberships start and end
by date) and the host and language; the stored fragment holds the two member versions it was
built under and counts only while both are current:
- the member version, drawn anew when a person's name or e-mail, an action item, an approval or
  a document's earlier version changes (rows shown only to members, which need not empty the
  anonymous page cache);
- the network's own member version, drawn anew when a membership of that network begins,
  changes or ends, so a new member in one network leaves every other network's fragments kept.
Upcoming meetings drop out as time passes, so a fragment also lives at most
PORTAL_MEMBER_FRAGMENT_SECONDS.
"""

import hashlib
import secrets

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from . import page_cache, versioned

VERSION_KEY = "portal:member-version"

# Rows shown in member fragments that draw no content version of their own.
MEMBER_MODELS = [
    "portal.User",
    "minutes.ActionItem",
    "minutes.MinutesApproval",
    "networks.DocumentVersion",
]
# A login writes `last_login`, which no fragment shows.
UNSHOWN_USER_FIELDS = {"last_login", "password"}


def network_version_key(network_id) -> str:
    return f"{VERSION_KEY}:network:{network_id}"


def _draw(key) -> None:
    # At once and again when the transaction commits: a request that read the old rows between
    # the two cannot store its fragment under the new version.
    cache.set(key, secrets.token_hex(8), timeout=None)
    transaction.on_commit(lambda: cache.set(key, secrets.token_hex(8), timeout=None))


def member_content_changed() -> None:
    """Something member fragments show changed: build them afresh from now on."""
    _draw(VERSION_KEY)


def network_members_changed(network_id) -> None:
    """A membership of this network changed: its fragments, and no other network's, are stale.
    The request that changed it builds what it shows afresh (it must see its own change)."""
    versioned.changed()
    _draw(network_version_key(network_id))


def _on_save(sender, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= UNSHOWN_USER_FIELDS:
        return
    member_content_changed()


def _on_change(sender, **kwargs):
    member_content_changed()


def _on_membership_change(sender, instance, **kwargs):
    network_members_changed(instance.network_id)


def connect() -> None:
    for label in MEMBER_MODELS:
        model = apps.get_model(label)
        post_save.connect(_on_save, sender=model, dispatch_uid=f"member-fragments-{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"member-fragments-{label}")
    membership = apps.get_model("networks.Membership")
    for signal in (post_save, post_delete):
        signal.connect(_on_membership_change, sender=membership, dispatch_uid="member-fragments")


def _key(request, parts) -> str:
    address = "|".join(
        str(part)
        for part in (
            *parts,
            request.get_host(),
            translation.get_language(),
            timezone.localdate().isoformat(),
            page_cache.content_version(),
        )
    )
    return "portal:member-fragment:" + hashlib.sha256(address.encode()).hexdigest()


def _version(found, key) -> str:
    version = found.get(key)
    if version is None:
        cache.add(key, secrets.token_hex(8), timeout=None)
        version = cache.get(key)
    return version


def shared(request, parts: tuple, build, *, network_id):
    """`build()` (rendered fragments: a str, or a dict of them) for this request, from the
    shared cache when built before under the same versions. `parts` name what the fragment is
    and for whom it is the same: the page, and the viewer's role there; `network_id` is the
    network it belongs to (whose memberships it may show)."""
    if not versioned.active():
        # Outside a request, or in one that changed content: its own change must show.
        return build()
    key = _key(request, (network_id, *parts))
    network_key = network_version_key(network_id)
    found = cache.get_many([VERSION_KEY, network_key, key])
    version = (_version(found, VERSION_KEY), _version(found, network_key))
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    value = build()
    cache.set(key, (version, value), settings.PORTAL_MEMBER_FRAGMENT_SECONDS)
    return value
