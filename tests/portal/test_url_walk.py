"""Bad input never gives a 500: every URL of the portal, as a visitor and as a strategist, with
NUL, overlong, malformed, huge, wrong-type and markup values in its path parameters, its query
values and its form fields (GET and POST), on the demo's four sites.

The walk finds the URLs the way a visitor does: it opens every parameterless URLconf pattern and
every live page of the default site, follows the links and forms on what it gets, and keeps one
concrete URL per route (a URLconf pattern, or a page type with one route of a routable page), so
each route is walked once, with real ids and tokens; a route no link leads to gets placeholders.
Each other site is walked through its own hostname: its home page, and a page of any type the
default site has none of. The strategist discovers (they see the most); the visitor walks the
same URLs, where they are let in. The member is left out: the strategist reaches every route a
member does. The Wagtail admin (/admin/) has its own walk, at the end of this module.

The query and form fields it fills are those the portal's own forms and links use, plus common
names. One value of each class of bad input per parameter. What cannot differ between two
requests is sent once: input refused before the session is read (portal/input.py) once per route
for both roles, and a bad path value that no route takes (the 404 below the same page) once per
role and value. Each request runs in a savepoint that is rolled back, so the data set is built
once (the `demo` fixture) and the walk is the same every time.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, unquote, urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

from portal import page_cache
from portal.models import User
from tests.helpers import path_of

ROLES = {"anonymous": None, "strategist": "strateg@example.org"}
# Who finds the URLs: the role that is shown the most of them.
DISCOVERER = "strategist"
BACKEND = "django.contrib.auth.backends.ModelBackend"
DEFAULT_HOST = "testserver"

# One value per class of bad input, as a client sends it (percent-encoded). "huge" is the largest
# number the portal takes in (portal/input.py refuses larger ones with the 400 page); in a query,
# "overlong" is the longest value it takes in (PORTAL_MAX_QUERY_VALUE_LENGTH). "malformed" is
# bytes that are no UTF-8 with markup, quotes and format specifiers: text no form expects.
BAD = {
    "nul": "%00",
    "overlong": "a" * 3000,
    "malformed": "%FF%FE%C0%AF" + quote("<script>'\"&{0}%s\\"),
    "huge": str(2**63 - 1),
    "wrong_type": "-1",
}
# Refused where input enters, before the session and the user are known: the same for every role.
REFUSED_BEFORE_THE_USER = {"nul", "multipart"}
OVERLONG_QUERY = "a" * settings.PORTAL_MAX_QUERY_VALUE_LENGTH
# Names that views read without a form on the page that sends them.
QUERY_NAMES = ("q", "sida", "page", "p", "next", "nyckel", "typ", "tema", "year", "ordering")
FORM_NAMES = ("q", "email", "name", "title", "text", "body", "next", "action", "language")
MALFORMED_MULTIPART = (
    b'--grans\r\nContent-Disposition: form-data; name="q"\r\n\r\nx\r\n--gr',
    "multipart/form-data; boundary=",
)
# Files, and the Wagtail admin (its own URLconf: not the portal's pages and services).
NOT_WALKED = re.compile(r"^/(static|media|admin)/")
CONVERTER = re.compile(r"<(?:(\w+):)?(?P<name>\w+)>")
# A capturing group of a re_path() pattern (one level of nested groups).
CAPTURE = re.compile(r"\((?!\?:)(?:\?P<(?P<name>\w+)>)?(?:[^()]|\([^()]*\))*\)")


@dataclass
class Route:
    """One route of the portal, with the concrete URL the walk uses for it."""

    key: tuple
    host: str
    path: str
    template: str
    parameters: dict
    # A page type that routes below itself (a routable page, or its own route()): a bad value
    # below it may reach its code. Below any other page Wagtail's Page.route answers alike.
    own_routing: bool = False
    query_names: set = field(default_factory=set)


class Forms(HTMLParser):
    """The links of a page and the fields of its forms."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = (attrs.get("action") or "", (attrs.get("method") or "get").lower(), set())
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form and attrs.get("name"):
            self._form[2].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def is_regex(route: str) -> bool:
    return "(" in route or route.endswith("$")


def filled(patterns, prefix="", *, placeholders=True):
    """Every URLconf pattern as a path: with placeholders in its parameters, or (placeholders
    False) only the patterns that take none."""
    for pattern in patterns:
        route = URLResolver._join_route(prefix, str(pattern.pattern))
        if isinstance(pattern, URLPattern) and pattern.name == "wagtail_serve":
            continue
        if isinstance(pattern, URLResolver):
            yield from filled(pattern.url_patterns, route, placeholders=placeholders)
            continue
        takes_values = CONVERTER.search(route) or CAPTURE.search(route)
        if placeholders or not takes_values:
            path = CONVERTER.sub(lambda m: "1" if m.group(1) == "int" else "x", route)
            yield "/" + template_of(path).format_map(Placeholders())


class Placeholders(dict):
    def __missing__(self, key):
        return "1"


def template_of(route: str) -> str:
    """A URL pattern (path() or re_path()) with {name} where each parameter goes (a group without
    a name: {g0}, {g1}...)."""
    if not is_regex(route):
        return CONVERTER.sub(lambda m: "{" + m["name"] + "}", route)
    unnamed = iter(range(100))
    route = CAPTURE.sub(lambda m: "{" + (m["name"] or f"g{next(unnamed)}") + "}", route)
    return re.sub(r"\\(.)", r"\1", route.lstrip("^").removesuffix("$").replace(r"\Z", ""))


def parameters_of(match) -> dict:
    return match.kwargs or {f"g{i}": value for i, value in enumerate(match.args)}


def page_paths():
    """(host, path) of one live page of each type, the default site's first; with each route of
    a routable page, with placeholders."""
    seen = set()
    sites = sorted(Site.objects.select_related("root_page"), key=lambda s: not s.is_default_site)
    for site in sites:
        host = DEFAULT_HOST if site.is_default_site else site.hostname
        pages = Page.objects.live().descendant_of(site.root_page, inclusive=True).specific()
        for page in pages.order_by("path"):
            if type(page) in seen:
                continue
            seen.add(type(page))
            path = path_of(page.url)
            yield host, path
            if isinstance(page, RoutablePageMixin):
                for subpath in filled(page.get_subpage_urls()):
                    yield host, path + subpath.lstrip("/")


def site_homes():
    """(host, path) of the home page of each site but the default one."""
    for site in Site.objects.filter(is_default_site=False).select_related("root_page"):
        yield site.hostname, path_of(site.root_page.url)


def own_routing(page) -> bool:
    return isinstance(page, RoutablePageMixin) or type(page).route is not Page.route


def same_site(host: str, current: str, href: str, skip=NOT_WALKED) -> str | None:
    absolute, _ = urldefrag(urljoin(f"http://{host}{current}", href))
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.hostname != host:
        return None
    if skip.search(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def query_string(names, value):
    return "&".join(f"{quote(name)}={value}" for name in sorted(names))


class Walk:
    """The routes of the portal, each with one concrete URL, and the walk of them as each role,
    with what answered 500."""

    def __init__(
        self, clients: dict, *, discoverer=DISCOVERER, within="/", skip=NOT_WALKED, kinds=None
    ):
        self.clients = clients
        # The classes of bad input sent (all of them but the walk of the admin).
        self.bad_kinds = set(kinds or [*BAD, "multipart"])
        self.bad = {kind: value for kind, value in BAD.items() if kind in self.bad_kinds}
        self.discoverer = discoverer
        self.within = within
        self.skip = skip
        self.routes: dict[tuple, Route] = {}
        self.failures: list[str] = []
        self.sent_for_all: set = set()
        self.landings: set = set()
        self.requests = 0
        self._factory = RequestFactory()
        self._found: dict[tuple, tuple | None] = {}
        # Field names of the forms that go to a route, by the route's key.
        self.query_names: dict[tuple, set] = {}
        self.form_names: dict[tuple, set] = {}

    def route_of(self, host: str, path: str):
        """(key, parameters, template, own_routing) of the route a decoded path takes, or None."""
        if (host, path) not in self._found:
            self._found[host, path] = self._route_of(host, path)
        return self._found[host, path]

    def _route_of(self, host, path):
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.url_name != "wagtail_serve":
            key = ("url", match.route)
            return key, parameters_of(match), "/" + template_of(match.route), False
        request = self._factory.get(path, HTTP_HOST=host)
        result = Page.route_for_request(request, path)
        if result is None:
            return None
        page, view_route, parameters = result.page, "", {}
        subpage = getattr(request, "routable_resolver_match", None)
        if subpage is not None:
            view_route, parameters = subpage.route, parameters_of(subpage)
        key = ("page", type(page).__name__, view_route)
        if host != DEFAULT_HOST:
            key += (host,)
        return key, parameters, path_of(page.url) + template_of(view_route), own_routing(page)

    def landing(self, host: str, path: str):
        """The route a path takes, or the deepest route above it when none takes it."""
        path = unquote(path, errors="replace")
        while True:
            found = self.route_of(host, path)
            if found is not None or path == "/":
                return found and found[0]
            path = path.rstrip("/").rsplit("/", 1)[0] + "/"

    def request(self, role, method, host, path, **extra):
        """One request in a savepoint that is rolled back; the role's cookies are kept."""
        client = self.clients[role]
        cookies = client.cookies
        client.cookies = type(cookies)(cookies)
        sid = transaction.savepoint()
        try:
            response = getattr(client, method.lower())(path, HTTP_HOST=host, **extra)
        finally:
            transaction.savepoint_rollback(sid)
            client.cookies = cookies
        self.requests += 1
        if response.status_code >= 500:
            exception = response.exc_info[1] if response.exc_info else None
            self.failures.append(
                f"{role}: {method} {host}{path[:160]} -> {response.status_code}: {exception!r:.300}"
            )
        return response

    def discover(self, seeds):
        """Breadth-first over links and forms from the seeds ((host, URL) pairs), one URL per
        route. Links are followed on the default site only: another site's pages are of the same
        types."""
        queue, queued = deque(seeds), set(seeds)
        while queue:
            host, target = queue.popleft()
            path, query = urlsplit(target).path, urlsplit(target).query
            found = self.route_of(host, unquote(path))
            if found is None:
                continue
            key, parameters, template, routes_below = found
            query_names = {name for name, _value in parse_qsl(query)}
            if key in self.routes:
                self.routes[key].query_names |= query_names
                continue
            route = Route(key, host, path, template, parameters, routes_below, query_names)
            self.routes[key] = route
            response = self.request(self.discoverer, "GET", host, path)
            if "html" not in response.get("Content-Type", ""):
                continue
            for link, method, names in self.targets(host, path, response):
                link_found = self.route_of(host, unquote(urlsplit(link).path))
                if link_found is not None:
                    names_of = self.form_names if method == "post" else self.query_names
                    names_of.setdefault(link_found[0], set()).update(names)
                if (
                    host == DEFAULT_HOST
                    and link.startswith(self.within)
                    and (host, link) not in queued
                ):
                    queued.add((host, link))
                    queue.append((host, link))

    def targets(self, host, current, response):
        parser = Forms()
        parser.feed(response.content.decode(errors="replace"))
        for href in parser.links:
            if (path := same_site(host, current, href, self.skip)) is not None:
                yield path, "get", set()
        for action, method, names in parser.forms:
            if (path := same_site(host, current, action, self.skip)) is not None:
                yield path, method, names

    def once_for_all(self, route, where, kind) -> bool:
        """False for a request refused before the user is known that another role has sent."""
        if kind not in REFUSED_BEFORE_THE_USER:
            return True
        if (route.key, where, kind) in self.sent_for_all:
            return False
        self.sent_for_all.add((route.key, where, kind))
        return True

    def bad_paths(self, role, route: Route):
        """The route's URL with each path parameter in turn replaced by each bad value; a page
        gets them as a path below it (Wagtail's own parameter, the slug). A value that no route
        takes is sent once per role and route it lands on."""
        values = {name: quote(str(value), safe="") for name, value in route.parameters.items()}
        for kind, value in self.bad.items():
            if route.parameters:
                paths = [route.template.format_map({**values, name: value}) for name in values]
            elif route.key[0] == "page":
                paths = [f"{route.path}{value}/"]
            else:
                paths = []
            for path in paths:
                if kind in REFUSED_BEFORE_THE_USER:
                    if self.once_for_all(route, path.count("/"), kind):
                        yield path
                    continue
                landing = self.landing(route.host, path)
                if route.key[0] == "page" and not route.own_routing:
                    landing = ("below a page",)
                if landing == route.key:
                    yield path
                elif (role, landing, kind) not in self.landings:
                    self.landings.add((role, landing, kind))
                    yield path

    @staticmethod
    def let_in(response) -> bool:
        """Whether a role was let past the route's door: sent to the login page or refused
        (403), it gets no further with any value, and the discoverer, who is let in, walks
        what lies behind."""
        login = settings.LOGIN_URL
        if response.status_code == 403:
            return False
        return not (response.status_code == 302 and response["Location"].startswith(login))

    def walk(self, role, route: Route):
        host, path = route.host, route.path
        query_names = set(QUERY_NAMES) | route.query_names | self.query_names.get(route.key, set())
        form_names = set(FORM_NAMES) | self.form_names.get(route.key, set())
        if role != self.discoverer and not self.let_in(self.request(role, "GET", host, path)):
            return
        for bad_path in self.bad_paths(role, route):
            self.request(role, "GET", host, bad_path)
        for kind, value in self.bad.items():
            if self.once_for_all(route, "query", kind):
                value = OVERLONG_QUERY if kind == "overlong" else value
                self.request(role, "GET", host, f"{path}?{query_string(query_names, value)}")
        # Form values go where the portal's forms post, and to every URLconf pattern (its
        # services take POST from e-mails and scripts too); a page no form posts to reads none.
        if route.key[0] == "page" and route.key not in self.form_names:
            return
        for kind, value in self.bad.items():
            if self.once_for_all(route, "form", kind):
                body = query_string(form_names, value)
                response = self.request(
                    role,
                    "POST",
                    host,
                    path,
                    data=body,
                    content_type="application/x-www-form-urlencoded",
                )
                if response.status_code == 405:
                    # Refused for its method, before any of its input is read.
                    return
        if "multipart" in self.bad_kinds and self.once_for_all(route, "form", "multipart"):
            data, content_type = MALFORMED_MULTIPART
            self.request(role, "POST", host, path, data=data, content_type=content_type)


@pytest.fixture
def walk(demo, caplog):
    """A function that walks the portal as each role in turn and returns the Walk."""
    # Each refused request is logged as a warning; only errors are of interest here.
    caplog.set_level("ERROR", logger="django.request")

    def walk(roles):
        # The content version, outside the requests' savepoints: a version first drawn inside
        # one would be rolled back with it, and every request would start from nothing kept.
        page_cache.read_version()
        clients = {}
        for role in roles:
            clients[role] = Client(raise_request_exception=False)
            if ROLES[role]:
                user = User.objects.get(email=ROLES[role])
                clients[role].force_login(user, backend=BACKEND)
        walk = Walk(clients)
        patterns = [p for p in filled(get_resolver().url_patterns) if not NOT_WALKED.match(p)]
        seeds = [p for p in filled(get_resolver().url_patterns, placeholders=False)]
        seeds = [(DEFAULT_HOST, p) for p in seeds if not NOT_WALKED.match(p)]
        walk.discover(sorted({*seeds, *site_homes(), *page_paths()}))
        # Routes no link led to (reached from an e-mail, say) get placeholders.
        walk.discover([(DEFAULT_HOST, p) for p in patterns] + list(page_paths()))
        for role in roles:
            for route in walk.routes.values():
                walk.walk(role, route)
        return walk

    return walk


def routes_of(patterns, prefix=""):
    """The route (as ResolverMatch.route spells it) of every pattern but Wagtail's pages."""
    for pattern in patterns:
        route = URLResolver._join_route(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from routes_of(pattern.url_patterns, route)
        elif pattern.name != "wagtail_serve":
            yield route


def assert_no_failures(walk):
    failures = walk.failures
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures[:80])


def test_no_url_of_the_portal_answers_bad_input_with_a_500(walk):
    result = walk(ROLES)
    assert_no_failures(result)
    patterns = {r for r in routes_of(get_resolver().url_patterns) if not r.startswith("admin/")}
    assert {("url", route) for route in patterns} <= set(result.routes)
    walked_sites = {route.host for route in result.routes.values()}
    assert walked_sites == set(Site.objects.values_list("hostname", flat=True))


ADMIN = "/admin/"
ADMIN_ROLES = {"superuser": "admin@example.org"}
# Not walked: files, the logout (it would end the walk's session) and Wagtail's page that fails on
# purpose, to show the 500 page.
ADMIN_SKIP = re.compile(r"^/(static|media)/|/logout/|^/admin/failwhale/")
# The admin's menus are drawn by its scripts from JSON in the page: its links are read there too.
ADMIN_LINK = re.compile(r"""["'](/admin/[^"'\\\s<>]*)["']""")
# NUL and numbers larger than any id are refused where input enters, for the admin as for every
# other URL (walked above); what reaches the admin's views is text where they expect an id.
ADMIN_KINDS = ("malformed", "wrong_type")


class AdminWalk(Walk):
    """The walk of the Wagtail admin: one URL per view (the views of Wagtail's viewsets are the
    same for every model they are registered for), as the superuser, who is let into all."""

    def _route_of(self, host, path):
        try:
            match = resolve(path)
        except Resolver404:
            return None
        key = ("admin", match._func_path)
        return key, parameters_of(match), "/" + template_of(match.route), False

    def targets(self, host, current, response):
        yield from super().targets(host, current, response)
        for href in ADMIN_LINK.findall(response.content.decode(errors="replace")):
            if (path := same_site(host, current, unescape(href), self.skip)) is not None:
                yield path, "get", set()


@pytest.mark.sqlite_only
def test_no_url_of_the_admin_answers_bad_input_with_a_500(demo, caplog):
    caplog.set_level("ERROR", logger="django.request")
    page_cache.read_version()
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email=ADMIN_ROLES["superuser"]), backend=BACKEND)
    walk = AdminWalk(
        {"superuser": client},
        discoverer="superuser",
        within=ADMIN,
        skip=ADMIN_SKIP,
        kinds=ADMIN_KINDS,
    )
    walk.discover([(DEFAULT_HOST, ADMIN)])
    # Views no link led to get placeholders.
    admin = [p for p in filled(get_resolver().url_patterns) if p.startswith(ADMIN)]
    walk.discover([(DEFAULT_HOST, p) for p in admin if not ADMIN_SKIP.search(p)])
    for route in walk.routes.values():
        walk.walk("superuser", route)
    assert_no_failures(walk)
    views = {("admin", resolve(p)._func_path) for p in admin if not ADMIN_SKIP.search(p)}
    assert views <= set(walk.routes)
    assert len(views) > 100
