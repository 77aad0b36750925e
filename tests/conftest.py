"""Fixtures for the whole suite: pages, users, a real SMTP server and a real browser."""

import contextlib
import functools
import os
import shutil
import socket
from pathlib import Path

import pytest
from django.conf import settings

from tests.access_matrix import (  # noqa: F401  (the access-matrix fixtures, for every area)
    _module_world,
    two_site_world,
    world,
)
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, make_home_page
from tests.goodpractice.factories import ModeratorFactory, PracticeIndexPageFactory
from tests.helpers import IN_CI, CSPWatch, Mailbox, commits_to_the_database, free_port, missing

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
POSTGRES_ONLY_REASON = "PostgreSQL only: runs in the PostgreSQL pass of `make test`"
SQLITE_ONLY_REASON = "SQLite only: runs in the SQLite pass of `make test`"


# --- the suite as a whole ------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason=POSTGRES_ONLY_REASON)
    skip_on_postgres = pytest.mark.skip(reason=SQLITE_ONLY_REASON)
    for item in items:
        if not on_postgres and item.get_closest_marker("postgres_only"):
            item.add_marker(skip)
        if on_postgres and item.get_closest_marker("sqlite_only"):
            item.add_marker(skip_on_postgres)
        # Tests that commit get a serialized rollback (see pytest_runtest_teardown).
        names = getattr(item, "fixturenames", [])
        if commits_to_the_database(item) and "django_db_serialized_rollback" not in names:
            names.append("django_db_serialized_rollback")


class SkipGuard:
    """With CI=true a skipped test is a part of the suite that did not run: it fails the run."""

    def __init__(self):
        self.skips = []

    def pytest_runtest_logreport(self, report):
        if report.skipped and not hasattr(report, "wasxfail"):
            longrepr = report.longrepr
            reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
            if POSTGRES_ONLY_REASON not in reason and SQLITE_ONLY_REASON not in reason:
                self.skips.append(f"{report.nodeid}: {reason}")

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        if not self.skips:
            return
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", "CI=true: skipped tests fail the run", red=True)
            for line in self.skips:
                reporter.write_line(f"SKIPPED {line}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config):
    # Tests serve static files from the finders; whitenoise need not see a collected STATIC_ROOT.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # xdist workers report to the controller, which does the counting.
    if IN_CI and not hasattr(config, "workerinput"):
        config.pluginmanager.register(SkipGuard(), "portal-skip-guard")


# --- content and people ------------------------------------------------------------------------


@pytest.fixture
def home(db):
    return make_home_page()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def catalogue(home):
    """The good-practice catalogue with its moderation workflow."""
    return PracticeIndexPageFactory(parent=home)


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


@pytest.fixture
def superuser(db):
    return UserFactory(email="super@example.org", is_staff=True, is_superuser=True)


# --- a real SMTP server on loopback --------------------------------------------------------------


@pytest.fixture
def smtp_server(settings):
    """aiosmtpd on 127.0.0.1; the portal's SMTP backend is pointed at it for the test."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            if mailbox.refuse:
                return "451 Try again later"
            mailbox.add(envelope)
            return "250 OK"

    # aiosmtpd checks its own readiness by connecting to the port, so port 0 cannot be used:
    # ask the OS for a free port first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    mailbox.port = controller.port
    yield mailbox
    controller.stop()


@pytest.fixture
def sent(request, monkeypatch, smtp_server):
    """The mail kinds a `@sends(...)` test renders, checked with `sent.check()`."""
    from tests.mail_links import Sent

    return Sent(monkeypatch, smtp_server, request.function)


# --- the portal's own mail receiver ---------------------------------------------------------------


@pytest.fixture
def mail_receiver(transactional_db):
    """The receiver `manage.py mail_receiver` runs (portal/inbound.py), speaking LMTP on
    127.0.0.1; `mail_receiver.deliver(message, lmtp=True)` sends an EmailMessage to it."""
    import smtplib

    from portal import inbound

    def start(protocol="lmtp"):
        controller = inbound.receiver_controller(
            protocol=protocol, host="127.0.0.1", port=free_port()
        )
        controller.start()
        started.append(controller)
        return controller

    def deliver(message, *, via=None):
        controller = via or default
        client_class = smtplib.LMTP if controller is default else smtplib.SMTP
        with client_class("127.0.0.1", controller.port) as client:
            refused = client.send_message(message)
        assert refused == {}

    started = []
    default = start()
    default.deliver = deliver
    default.start_smtp = lambda: start("smtp")
    yield default
    for controller in started:
        controller.stop()


# --- a real browser ------------------------------------------------------------------------------


CSP_WATCH = pytest.StashKey()


@pytest.fixture(scope="session")
def browser(request):
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        missing("Chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright")
    # Playwright's sync API keeps an event loop in this thread; the database calls the tests make
    # beside it are still synchronous, so Django's async guard must stand aside.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = CSPWatch(playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS))
        request.session.stash[CSP_WATCH] = browser
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """Each test starts with no Content-Security-Policy violations on record: what its fixtures'
    tabs report from here on counts for it."""
    watch = item.session.stash.get(CSP_WATCH, None)
    if watch is not None:
        watch.violations.clear()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Every browser test fails on any Content-Security-Policy violation in any of its tabs."""
    result = yield
    watch = item.session.stash.get(CSP_WATCH, None)
    if watch is not None and "browser" in item.fixturenames:
        for context in watch.contexts:
            for tab in context.pages:
                # A round trip delivers the console messages still on their way.
                with contextlib.suppress(Exception):
                    tab.evaluate("0")
        violations, watch.violations = watch.violations, []
        if violations:
            pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))
    return result


@pytest.fixture(scope="session")
def _browser_before_database(request):
    """Start Chromium before the test database exists when any test will drive it.

    Playwright's running event loop makes Django keep its connections in a context-local store;
    a database made before that would be out of reach of the tests that run after it.
    """
    if any("browser" in item.fixturenames for item in request.session.items):
        # A missing browser is reported by each browser test, which gets the cached outcome.
        with contextlib.suppress(pytest.skip.Exception, pytest.fail.Exception):
            request.getfixturevalue("browser")


@pytest.fixture(scope="session")
def django_db_setup(_browser_before_database, django_db_setup, django_db_blocker):
    """The test database, with a snapshot of what the migrations put in it.

    pytest-django takes the snapshot only for some ways of asking for a transactional test;
    pytest_runtest_teardown needs it for all of them. The snapshot is loaded back in one place
    only, after the flush that ends a transactional test (`restore_migrated_rows`): so when any
    test starts, the database already holds it, and Django's own reload at the start of a
    serialized-rollback test (a save() per row, twice per test) has nothing left to do.
    """
    from django.db import connections
    from django.db.backends.base.creation import BaseDatabaseCreation

    connection = connections["default"]
    if not hasattr(connection, "_test_serialized_contents"):
        with django_db_blocker.unblock():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    own_reload = BaseDatabaseCreation.deserialize_db_from_string
    BaseDatabaseCreation.deserialize_db_from_string = lambda creation, data: None
    with _flush_by_delete(connection, django_db_blocker):
        yield
    BaseDatabaseCreation.deserialize_db_from_string = own_reload


@contextlib.contextmanager
def _flush_by_delete(connection, django_db_blocker):
    """On PostgreSQL, a transactional test's closing flush empties the tables by DELETE, not TRUNCATE.

    TRUNCATE gives each of the ~140 tables a new file: measured 0.58 s per flush against 0.05 s
    for DELETE with the foreign-key triggers off for the transaction (`session_replication_role`,
    which needs a superuser: the throwaway cluster's role is one; with another role the flush
    stays Django's). A flush that resets sequences stays Django's too.
    """
    if connection.vendor != "postgresql":
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
    if not superuser:
        yield
        return
    own_flush = DatabaseOperations.sql_flush

    def sql_flush(ops, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return own_flush(
                ops, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            "SET LOCAL session_replication_role = replica",
            *(f"DELETE FROM {ops.quote_name(table)}" for table in tables),
        ]

    DatabaseOperations.sql_flush = sql_flush
    try:
        yield
    finally:
        DatabaseOperations.sql_flush = own_flush


def restore_migrated_rows(connection) -> None:
    """Load the migrations' rows back into the tables a flush has just emptied: one INSERT per
    table and one per many-to-many table, where Django's reload saves row by row (about a
    thousand rows: content types, permissions, groups, the organisation register, the root
    page and site). Rows of a multi-table model are saved one by one, as Django does (their
    many-to-many rows go in with the others')."""
    from django.db import transaction

    saved_one_by_one, batches, tables = _migrated_rows(connection._test_serialized_contents)
    with transaction.atomic(using=connection.alias), connection.constraint_checks_disabled():
        for item in saved_one_by_one:
            item.save(save_m2m=False, using=connection.alias)
        for model, rows in batches:
            model._base_manager.using(connection.alias).bulk_create(
                rows, batch_size=500, ignore_conflicts=True
            )
        connection.check_constraints(table_names=tables)


@functools.cache
def _migrated_rows(data: str):
    """The snapshot's rows as objects, read from its JSON once per pass (each restore inserts
    the same objects): (rows saved one by one, [(model, rows)] to insert in bulk, tables)."""
    from django.core import serializers

    saved_one_by_one, batches, links = [], {}, {}
    tables = set()
    for item in serializers.deserialize("json", data):
        row = item.object
        model = type(row)
        tables.add(model._meta.db_table)
        if model._meta.parents:
            saved_one_by_one.append(item)
        else:
            batches.setdefault(model, []).append(row)
        for name, targets in (item.m2m_data or {}).items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            tables.add(through._meta.db_table)
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            links.setdefault(through, []).extend(
                through(**{f"{source}_id": row.pk, f"{target}_id": pk}) for pk in targets
            )
    return saved_one_by_one, [*batches.items(), *links.items()], sorted(tables)


DB_BLOCKER = pytest.StashKey()


@pytest.fixture(autouse=True)
def _remember_db_blocker(request, django_db_blocker):
    request.node.stash[DB_BLOCKER] = django_db_blocker


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back what the migrations made once a transactional test has flushed the database.

    Wagtail's root page and locale, the default site, groups and the organisation register come
    from migrations. A test that commits (live server, browser) ends with a flush; without this,
    a test that runs after it on the same worker (any order, with pytest -n) would find them
    gone. Such tests get a serialized rollback (see pytest_collection_modifyitems), which keeps
    the flush from recreating content types. Here, after every fixture's teardown, the snapshot
    taken when the test database was made is loaded back (the only place it is: see
    django_db_setup).
    """
    result = yield
    from django.db import connections

    connection = connections["default"]
    blocker = item.stash.get(DB_BLOCKER, None)
    if (
        nextitem is not None
        and blocker is not None
        and commits_to_the_database(item)
        and hasattr(connection, "_test_serialized_contents")
    ):
        with blocker.unblock():
            restore_migrated_rows(connection)
    return result


# --- the demo site ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once per pass (`manage.py load_demo`, rolled back), with its rows, files
    and mails kept for `demo` to put back (tests/demo_snapshot.py)."""
    from django.db import connections

    from tests.demo_snapshot import take

    with django_db_blocker.unblock():
        return take(connections["default"], tmp_path_factory.mktemp("demo-snapshot"))


@pytest.fixture(scope="module")
def _demo_module(request, demo_snapshot, django_db_blocker, tmp_path_factory):
    """The demo put back once for a module's tests, in a transaction rolled back after them
    (each test runs in a savepoint within it): only when every test of the module asks for
    `demo` and none commits, as with the access matrix's world. Otherwise None, and each test
    gets its own."""
    from django.db import connections, transaction
    from django.test import override_settings

    items = [item for item in request.session.items if item.module is request.module]
    if not all("demo" in item.fixturenames for item in items) or any(
        commits_to_the_database(item) for item in items
    ):
        yield None
        return
    var = tmp_path_factory.mktemp("demo")
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=var, MEDIA_ROOT=var / "media"),
        transaction.atomic(),
    ):
        demo_snapshot.restore(connections["default"], var)
        yield var
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_module, demo_snapshot, db, settings, tmp_path):
    """The demo site, as `manage.py load_demo` builds it from an empty database (loaded once per
    pass: `demo_snapshot`): its rows in the test's database (committed for a test that commits),
    VAR_DIR and MEDIA_ROOT pointing at a copy of its files. Returns the snapshot, whose `outbox`
    holds the mails the load sent."""
    from django.db import connection

    var = _demo_module or tmp_path / "demo"
    settings.VAR_DIR = var
    settings.MEDIA_ROOT = var / "media"
    if _demo_module is None:
        demo_snapshot.restore(connection, var)
    return demo_snapshot


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser tab whose relative URLs go to the live test server."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reset_language():
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _access_rule_forgets_between_tests():
    """What networks.access keeps for a request never outlives a test: a streamed response left
    unread would otherwise keep it open over the next test's database."""
    yield
    from networks import access
    from portal import versioned

    access.request_end()
    versioned.end_request()


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Every test with a database starts with an empty cache: what a previous test cached (pages,
    menus) was of its data. The database cache is a table, so only tests with a database."""
    database = next(
        (name for name in ("transactional_db", "db") if name in request.fixturenames), None
    )
    if database is not None:
        request.getfixturevalue(database)  # set up before this fixture uses it
    elif not request.node.get_closest_marker("django_db"):
        return
    from django.core.cache import cache

    from portal import versioned

    cache.clear()
    versioned.forget()
