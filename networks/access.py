"""The one access rule: "may this user see this?".

Member-only content is everything at or below a network's MemberSpacePage, plus the documents
in the network's private collection. Members, the network's coordinators, the strategists of the
network's site and superusers may see it; nobody else. One installation serves several regional
bodies, one Wagtail Site each (portal/sites.py), with shared accounts: rights a site grants
(strategists, moderators: the groups named in its settings) reach only that site's pages, which
are those below its root page, so a strategist of one site sees nothing private of another,
and a person who belongs to networks on two sites sees both with one login. Every door (page serving, search, listings, feeds,
documents, e-mails, previews, exports, sitemaps) asks this module, never a copy of the rule.
A refused request gets one answer everywhere, `refuse`: anonymous to login, others 403.
Each request asks the database once for the user's networks and once for where the member
spaces are (`member_spaces`); every further check in that request is answered from memory.

The doors, and the rules composed from this module (read them here, change them here):

- Page serving: the `before_serve_page` hook (networks/wagtail_hooks.py) asks `can_view_page`;
  every member-space route (directory, exports, document library, meetings, minutes) is behind
  it. Member spaces also carry a login restriction, so `.public()` and the sitemap skip them.
- Document downloads: the only `before_serve_document` hook (networks/wagtail_hooks.py) asks
  `can_download_document`, which adds each app's rule for its own files through the
  `portal_document_access` hook: goodpractice/selectors.py `can_download_practice_file`.
- Network screens with a `network_id` in the URL: `member_required` (minutes and action-item
  lists, networks/minutes/views.py), `manager_required` (coordinator tools, networks/views.py).
- Search and listings: `visible_pages` / `hidden_pages_q` (portal/views.py site search,
  events/selectors.py calendars and feeds, networks/minutes/selectors.py lists);
  `network_pages_q` picks one network's pages (its meetings, "my calendar").
- Feeds: events/views.py `network_feed` asks `can_view_network_space` for the logged-in user or
  for the owner of the feed key; the personal feed lists `visible_pages` of its owner.
- Events: `can_manage_event` (participants, logistics) and `can_see_event_join_details`
  (dial-in details, in pages and in e-mails, events/services.py).
- Minutes and annual reports: `can_view_unpublished` (drafts and justering,
  networks/minutes/selectors.py `can_view_draft`, asked by the one review screen),
  `can_manage_network` (`can_mark`, `can_decide`, writing from a meeting).
- Newsletters (portal/newsletters/selectors.py): `can_view_issue` and its filter
  `readable_issues_q` (issue pages, archive, search index), `can_send_issue` (admin sending).
- Good practice: `can_download_practice_file` (above) and the moderators in `may_moderate`
  (per site, as is PracticeModerationTask).
- The admin: page permissions are granted per site root (portal/sites.py `site_setup`), and the
  page tree, its search and the page and document choosers narrow with `visible_pages` and
  `visible_documents` (networks/wagtail_hooks.py). Every admin screen of a member-space page
  (edit, history, revisions, move, copy, delete) asks the page's permission tester, which
  counts a group's rights only where `can_view_page` says yes (networks/rights.py). A network's
  private collection gives admin rights to its coordinators only (no site role holds rights on
  the root collection: portal/sites.py `site_setup`).
- Municipality pages (municipalities/views.py): `can_view_municipality_details` (member-only
  key figures, contact persons, the contact gaps of a county), `can_organise_reporting_round`
  (a round's board), `can_report_for_municipality` (reporting as a logged-in contact).
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.signals import request_finished, request_started
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.db.models.signals import post_delete, post_save
from django.shortcuts import get_object_or_404
from wagtail import hooks
from wagtail.models import Collection, Page
from wagtail.signals import post_page_move

from portal import versioned

from .models import Membership, MemberSpacePage, NetworkPage, Role

# The default site's groups keep their old names; every other site's carry the site's name.
STRATEGISTS_GROUP = "Strateger"
MODERATORS_GROUP = "Moderators"
_CACHE_ATTR = "_portal_access_cache"


class NetworkAccessDenied(PermissionDenied):
    """A refusal that names the network (its about page is public), so the 403 page can say
    how to ask to join. It carries nothing from the hidden content itself."""

    def __init__(self, network=None):
        super().__init__()
        self.network = network


def refuse(request, network=None):
    """The one refusal, for every door: an anonymous visitor is sent to log in (and comes back);
    a logged-in person gets 403, naming the network (a NetworkPage or its id) when there is one.

    Returns the redirect or raises, so a view writes `return access.refuse(request, network)`.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if isinstance(network, int):
        network = NetworkPage.objects.filter(pk=network).first()
    raise NetworkAccessDenied(network)


def _network_door(may_enter):
    """A view decorator for URLs that carry `network_id`: the view gets the NetworkPage instead."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, network_id, *args, **kwargs):
            network = get_object_or_404(NetworkPage, pk=network_id)
            if not may_enter(request.user, network):
                return refuse(request, network)
            return view(request, network, *args, **kwargs)

        return wrapped

    return decorator


def _cache(user) -> dict:
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        if user is not None:
            setattr(user, _CACHE_ATTR, cache)
    return cache


def forget(user) -> None:
    """Drop what was remembered for this user object (after a membership change)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _load_site_groups() -> list[tuple[str, int | None, int | None, bool]]:
    from wagtail.models import Site

    return list(
        Site.objects.values_list(
            "root_page__path",
            "portalsettings__strategists",
            "portalsettings__moderators",
            "is_default_site",
        )
    )


def _site_groups() -> list[tuple[str, int | None, int | None, bool]]:
    # The same for everyone, and the sites and their settings draw a new content version when
    # they change: each worker keeps it per version (portal/versioned.py).
    return _remembered("sites", lambda: versioned.remembered("site-groups", _load_site_groups))


def _site_roles(user) -> dict[str, tuple[str, ...]]:
    """For each role a site grants ("strategists", "moderators"), the tree paths of the root
    pages of the sites where this user holds it: the groups named in each site's settings (the
    default site's, until named there, are the groups "Strateger" and "Moderators"). ("",) for a
    superuser, whose rights cover every site. One query per user, one per request for the sites."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {"strategists": (), "moderators": ()}
    cache = _cache(user)
    if "site_roles" not in cache:
        if user.is_superuser:
            roles = {"strategists": ("",), "moderators": ("",)}
        else:
            groups = dict(user.groups.values_list("pk", "name"))
            names = set(groups.values())
            roles = {"strategists": (), "moderators": ()}
            for root, strategists, moderators, default in _site_groups():
                for role, group, name in (
                    ("strategists", strategists, STRATEGISTS_GROUP),
                    ("moderators", moderators, MODERATORS_GROUP),
                ):
                    if group in groups or (group is None and default and name in names):
                        roles[role] += (root,)
        cache["site_roles"] = roles
    return cache["site_roles"]


def site_role_group_ids() -> set[int]:
    """Every group that some site names for a role (with the default site's by name)."""
    named = {pk for row in _site_groups() for pk in row[1:3] if pk}
    by_name = Group.objects.filter(name__in=[STRATEGISTS_GROUP, MODERATORS_GROUP])
    return named | set(by_name.values_list("pk", flat=True))


def strategist_roots(user) -> tuple[str, ...]:
    """Tree paths of the root pages of the sites where this user is a strategist."""
    return _site_roles(user)["strategists"]


def _holds(roots, where) -> bool:
    if where is None:
        return bool(roots)
    path = where if isinstance(where, str) else where.path
    return any(path.startswith(root) for root in roots)


def is_strategist(user, where=None) -> bool:
    """A strategist of the site that `where` (a page, or its tree path) belongs to; without
    `where`, of some site. Rights are per site: nothing of another site follows from them."""
    return _holds(strategist_roots(user), where)


def strategist_sites(user):
    """The sites where this user is a strategist (a queryset of Sites, by name): what a form
    offers for a site's records (annual reports, external meetings), and all it accepts."""
    from wagtail.models import Site

    from portal.sites import all_sites

    roots = strategist_roots(user)
    ids = [site.pk for site in all_sites() if _holds(roots, site.root_path)]
    return Site.objects.filter(pk__in=ids).order_by("site_name")


def strategist_group_ids(roots) -> set[int]:
    """The groups that make strategists of the sites with these root paths (the default
    site's, until named in its settings, the group "Strateger")."""
    ids, by_name = set(), False
    for root, strategists, _moderators, default in _site_groups():
        if root in roots:
            ids |= {strategists} if strategists else set()
            by_name = by_name or (strategists is None and default)
    if by_name:
        ids |= set(Group.objects.filter(name=STRATEGISTS_GROUP).values_list("pk", flat=True))
    return ids


def is_moderator(user, where=None) -> bool:
    """In the moderators group of the site `where` belongs to (without `where`: of some site)."""
    return _holds(_site_roles(user)["moderators"], where)


def member_site_roots(user) -> tuple[str, ...]:
    """Tree paths of the root pages of the sites in which this user belongs to a network."""
    paths = network_paths()
    mine = [paths[pk] for pk in member_network_ids(user) if pk in paths]
    roots = [row[0] for row in _site_groups()]
    return tuple(root for root in roots if any(path.startswith(root) for path in mine))


def is_site_member(user, where) -> bool:
    """Whether this user belongs to some network of the site `where` (a page or path) is in."""
    return _holds(member_site_roots(user), where)


def site_member_pages_q(user, prefix: str = "") -> Q:
    """A Q that matches the pages of the sites in which this user belongs to a network."""
    return _below_q(member_site_roots(user), prefix)


def strategist_pages_q(user, prefix: str = "") -> Q:
    """A Q that matches the pages of the sites where this user is a strategist."""
    return _below_q(strategist_roots(user), prefix)


def moderation_pages_q(user, prefix: str = "") -> Q:
    """A Q that matches the pages of the sites where this user moderates or is a strategist."""
    roles = _site_roles(user)
    return _below_q({*roles["strategists"], *roles["moderators"]}, prefix)


def member_network_ids(user) -> frozenset[int]:
    """Networks whose member space this user may open (active membership of any role)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = _cache(user)
    if "member" not in cache:
        rows = Membership.objects.active().filter(user=user).values_list("network_id", "role")
        _remember_rows(cache, list(rows))
    return cache["member"]


def remember_memberships(user, memberships) -> None:
    """Every active membership of this user, read by a caller that lists them anyway (Mina
    sidor): the rule then needs no query of its own for them in this request."""
    if user is not None and user.is_authenticated and user.is_active:
        _remember_rows(_cache(user), [(m.network_id, m.role) for m in memberships])


def _remember_rows(cache: dict, rows: list[tuple[int, str]]) -> None:
    cache["member"] = frozenset(network_id for network_id, _role in rows)
    cache["coordinator"] = frozenset(
        network_id for network_id, role in rows if role == Role.COORDINATOR
    )


def coordinated_network_ids(user) -> frozenset[int]:
    member_network_ids(user)
    return _cache(user).get("coordinator", frozenset())


def _strategist_of_network(user, network) -> bool:
    if not strategist_roots(user):
        return False
    if isinstance(network, int):
        path = network_paths().get(network)
        if path is None:
            path = NetworkPage.objects.filter(pk=network).values_list("path", flat=True).first()
        return path is not None and is_strategist(user, path)
    return is_strategist(user, network)


def can_view_network_space(user, network) -> bool:
    """Its members, and the strategists of its site (superusers: of every site)."""
    network_id = network if isinstance(network, int) else network.pk
    return network_id in member_network_ids(user) or _strategist_of_network(user, network)


def can_manage_network(user, network) -> bool:
    """Coordinators run their own network; the site's strategists and superusers run all of the
    site's networks."""
    network_id = network if isinstance(network, int) else network.pk
    return network_id in coordinated_network_ids(user) or _strategist_of_network(user, network)


def member_required(view):
    """For `view(request, network, ...)`: the network's members and strategists; see `refuse`."""
    return _network_door(can_view_network_space)(view)


def manager_required(view):
    """For `view(request, network, ...)`: those who run the network; see `refuse`."""
    return _network_door(can_manage_network)(view)


# --- where the member spaces are: asked once per request ----------------------------------------
#
# A page's network follows from its path: it lies below one member space, whose parent is the
# network. All spaces and their networks come in one query, kept for the rest of the request, so
# a page listing many links, people or action items costs no query per item. Where the spaces are
# is the same for every user, so each worker also keeps it for as long as the content version
# holds (portal/versioned.py): moving or saving any page draws a new one. Outside a request
# (tasks, commands, shell) nothing is kept: every answer is fresh. Any change to a space, a
# network, a collection or a page's place in the tree forgets what was kept, so a space made in
# the same request is private at once (a stale answer would read "public").

_request_memo: ContextVar[dict | None] = ContextVar("portal_access_request_memo", default=None)


def request_begin(**kwargs) -> None:
    _request_memo.set({})


def request_end(**kwargs) -> None:
    """Forget what was kept (Django calls it when a response is done; tests between tests)."""
    _request_memo.set(None)


def _forget_places(**kwargs) -> None:
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


request_started.connect(request_begin, dispatch_uid="portal_access_begin")
request_finished.connect(request_end, dispatch_uid="portal_access_end")
post_page_move.connect(_forget_places, dispatch_uid="portal_access_page_moved")
for _model in (
    MemberSpacePage,
    NetworkPage,
    Collection,
    "wagtailcore.Site",
    "portal.PortalSettings",
):
    for _signal in (post_save, post_delete):
        _signal.connect(_forget_places, sender=_model, dispatch_uid=f"portal_access_{_model}")


@contextmanager
def remembering():
    """Keep where the spaces are for one unit of work outside a request (a person's digest), as
    a request does; inside a request (or another such unit) it changes nothing."""
    if _request_memo.get() is not None:
        yield
        return
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def _remembered(key: str, compute):
    memo = _request_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _load_spaces() -> dict[str, int | None]:
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    network = NetworkPage.objects.filter(path=parent_path).values("pk")[:1]
    rows = MemberSpacePage.objects.annotate(network_id=Subquery(network))
    return dict(rows.values_list("path", "network_id"))


def member_spaces() -> dict[str, int | None]:
    """Every member space's tree path, with the id of its network."""
    return _remembered("spaces", lambda: versioned.remembered("member-spaces", _load_spaces))


def network_paths() -> dict[int, str]:
    """Every network that has a member space, with its tree path (from `member_spaces`)."""
    return {pk: path[: -Page.steplen] for path, pk in member_spaces().items() if pk is not None}


def _ancestor_paths(path: str) -> list[str]:
    step = Page.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def network_id_for_page(page) -> int | None:
    """The network a page belongs to when it lies in a member space, else None (public)."""
    spaces = member_spaces()
    for path in _ancestor_paths(page.path):
        if path in spaces:
            return spaces[path]
    return None


def can_view_page(user, page) -> bool:
    network_id = network_id_for_page(page)
    return network_id is None or can_view_network_space(user, network_id)


def _private_space_paths(user) -> list[str]:
    """Paths of the member spaces this user may NOT see: not a member, nor a strategist there."""
    roots = strategist_roots(user)
    if "" in roots:
        return []
    allowed = member_network_ids(user)
    return [
        path
        for path, network_id in member_spaces().items()
        if network_id not in allowed and not any(path.startswith(root) for root in roots)
    ]


def _below_q(paths, prefix: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def hidden_pages_q(user, prefix: str = "") -> Q:
    """A Q that matches pages (or rows pointing at pages via `prefix`) the user may not see."""
    return _below_q(_private_space_paths(user), prefix)


def network_pages_q(network_ids, prefix: str = "") -> Q:
    """A Q that matches pages in the member spaces of these networks (whoever asks: the caller
    has checked, or narrows with `visible_pages` too)."""
    wanted = set(network_ids)
    return _below_q([path for path, pk in member_spaces().items() if pk in wanted], prefix)


def visible_pages(user, queryset):
    """Narrow any page queryset to what this user may see."""
    return queryset.exclude(hidden_pages_q(user))


def _load_collections() -> dict[int, int]:
    """Every collection at or below a network's private collection, with that network's id."""
    networks = dict(
        NetworkPage.objects.filter(collection__isnull=False).values_list("collection__path", "pk")
    )
    step = Collection.steplen
    places = {}
    for pk, path in Collection.objects.values_list("pk", "path"):
        for end in range(step, len(path) + 1, step):
            if path[:end] in networks:
                places[pk] = networks[path[:end]]
                break
    return places


def network_id_for_collection(collection_id) -> int | None:
    """The network whose private collection holds this collection (itself or an ancestor), so a
    sub-collection an editor makes inside a network's collection is just as private."""
    return _remembered("collections", _load_collections).get(collection_id)


def visible_documents(user, queryset):
    """Narrow a document queryset (the admin's choosers) to those outside the private
    collections this user may not open. Files other apps keep are answered when fetched."""
    closed = [
        pk
        for pk, network_id in _remembered("collections", _load_collections).items()
        if not can_view_network_space(user, network_id)
    ]
    return queryset.exclude(collection_id__in=closed)


def can_download_document(user, document) -> bool:
    """The one download rule. A network's collection is for its members. Apps that keep files
    of their own answer for them through the `portal_document_access` hook: `fn(user, document)`
    returns True or False for a document it keeps, None for one it does not. Others are public.
    """
    network_id = network_id_for_collection(document.collection_id)
    if network_id is not None:
        return can_view_network_space(user, network_id)
    for rule in hooks.get_hooks("portal_document_access"):
        verdict = rule(user, document)
        if verdict is not None:
            return verdict
    return True


def strategists_group(site=None) -> Group:
    """The group whose members are the strategists of `site` (default: the default site), made
    and named in the site's settings on first use."""
    return _site_group(site, "strategists", STRATEGISTS_GROUP)


def moderators_group(site=None) -> Group:
    """The group whose members moderate the good practices of `site` (default: default site)."""
    return _site_group(site, "moderators", MODERATORS_GROUP)


def _site_group(site, field: str, name: str) -> Group:
    from wagtail.models import Site

    from portal.site_settings import PortalSettings

    site = site or Site.objects.get(is_default_site=True)
    site_settings = PortalSettings.for_site(site)
    group = getattr(site_settings, field)
    if group is None:
        if not site.is_default_site:
            name = f"{name} – {site.site_name or site.hostname}"
        group, _created = Group.objects.get_or_create(name=name)
        setattr(site_settings, field, group)
        site_settings.save(update_fields=[field])
    return group


def can_manage_event(user, event) -> bool:
    """Organisers of an event: strategists, coordinators of its network, and its page editors.

    They see the internal logistics note and the participant list.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_strategist(user, event):
        return True
    network_id = network_id_for_page(event)
    if network_id is not None and can_manage_network(user, network_id):
        return True
    return event.permissions_for_user(user).can_edit()


def can_see_event_join_details(user, event) -> bool:
    """Dial-in and online details: network members, organisers and confirmed participants."""
    network_id = network_id_for_page(event)
    if network_id is not None:
        return can_view_network_space(user, network_id)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if can_manage_event(user, event):
        return True
    return event.registrations.filter(user=user, status="confirmed").exists()


def can_view_unpublished(user, page, *, author_id=None, reviewer_ids=()) -> bool:
    """Drafts and work under review: the author, the named reviewers (e.g. the approvers of
    minutes) and those who manage the place. In a member space those are the network's
    coordinators, and the author and reviewers must still belong to it; outside one (an annual
    report) the site's strategists, and the people the page names (a report's approvers were
    checked against its steering group when it was submitted: reports/models.py)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    named = user.pk == author_id or user.pk in set(reviewer_ids)
    network_id = network_id_for_page(page)
    if network_id is None:
        return named or is_strategist(user, page)
    if can_manage_network(user, network_id):
        return True
    return named and can_view_network_space(user, network_id)


def may_be_told_about_event(registration) -> bool:
    """Whether the portal may e-mail this registrant about the event (invitation, update,
    cancellation): anyone who may see the event, and the guests its organisers invited by
    address to a meeting in a member space. A guest is told of that one meeting and its join
    details; the space itself stays closed to them (can_view_page says no)."""
    return registration.is_guest or can_view_page(registration.user, registration.event)


# --- questionnaires (questionnaires/) -----------------------------------------------------------
# The answers are the municipalities' own words to the organisers; who else may read them is the
# questionnaire's `visibility` (organisers / the organising network's members / everyone, and
# then only as summaries). Answering needs no account: the personal link is the key.


def can_organise_questionnaire(user, questionnaire) -> bool:
    """The strategists of its site, its author and the organising network's coordinators."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_strategist(user, questionnaire) or user.pk == questionnaire.owner_id:
        return True
    network_id = questionnaire.network_id
    return network_id is not None and can_manage_network(user, network_id)


def can_view_questionnaire_answers(user, questionnaire) -> bool:
    """Each municipality's answers: the organisers, and the network's members when chosen."""
    if can_organise_questionnaire(user, questionnaire):
        return True
    network_id = questionnaire.network_id
    return (
        questionnaire.visibility == "network"
        and network_id is not None
        and can_view_network_space(user, network_id)
    )


def can_view_questionnaire_summary(user, questionnaire) -> bool:
    """The summaries per question (counts, charts; no municipality's own words unless
    `can_view_questionnaire_answers`)."""
    return questionnaire.visibility == "public" or can_view_questionnaire_answers(
        user, questionnaire
    )


# --- municipality pages (municipalities/) ------------------------------------------------------
# A municipality's page is public; its member-only key figures and its contact persons are for
# those who belong to a network of the site showing the page, that site's strategists and
# superusers. Rights are per site, as everywhere: a strategist of another site sees nothing.


def can_view_municipality_details(user, page) -> bool:
    """Member-only figures and contact persons on the municipality pages of `page`'s site."""
    return is_site_member(user, page) or is_strategist(user, page)


def can_organise_reporting_round(user, reporting_round) -> bool:
    """The organising network's coordinators and the strategists of its site."""
    return can_manage_network(user, reporting_round.network_id)


def can_report_for_municipality(user, organisation_id: int) -> bool:
    """Logged in as one of the municipality's contact persons (the personal link is the other
    way to report, for contacts without an account)."""
    from municipalities.models import ContactPerson

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return ContactPerson.objects.filter(organisation_id=organisation_id, user=user).exists()
