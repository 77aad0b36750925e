"""The whole demo site, crawled by links in Chromium as anonymous, member and strategist, with
the public forms in their error state: at 1280 and 320 px no axe violation, no sideways
scroll, no squeezed text column, 0 errors from the Nu HTML checker, and the content's `lang`
right in the Swedish, Norwegian and English interfaces (tests/crawl.py holds the checks)."""

import shutil

import pytest
from wagtail.models import Page, Site

from events.models import EventPage
from portal.models import User
from portal.templatetags.portal_tags import content_language
from tests import crawl
from tests.factories import PASSWORD
from tests.helpers import axe_violations, browser_login, follow, missing, path_of

pytestmark = [pytest.mark.browser]

ROLES = {"anonymous": None, "member": "medlem@example.org", "strategist": "strateg@example.org"}
# Opened pages per role; the checks run on two pages of each kind among them.
LIMIT = 80


@pytest.fixture
def demo_site(demo, transactional_db):
    for email in filter(None, ROLES.values()):
        user = User.objects.get(email=email)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


@pytest.fixture
def vnu():
    if shutil.which("java") is None:
        missing("Java (Debian package default-jre-headless)")
    if not crawl.VNU_JAR.exists():
        missing("vnu-jar (.ci/node/node_modules/vnu-jar)")


def open_tab(browser, live_server, language="sv"):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.add_cookies([{"name": "portal_language", "value": language, "url": live_server.url}])
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return context, tab


def failed_form(tab, url, submit="main form[method=post] button[type=submit]"):
    """A public form sent empty: the portal's own messages, the summary focused, "Fel:" first."""
    tab.goto(url)
    follow(tab, submit)
    problems = []
    if not tab.title().startswith("Fel: "):
        problems.append(f"title does not start with 'Fel: ': {tab.title()!r}")
    if tab.evaluate("document.activeElement && document.activeElement.id") != "form-errors":
        problems.append("focus is not on the error summary")
    if tab.locator("#form-errors[role=alert]").count() != 1:
        problems.append("no error summary with role=alert")
    if tab.locator("[aria-invalid=true]").count() == 0:
        problems.append("no field is marked aria-invalid")
    return crawl.Visit(url=f"{url} (sent empty)", html=tab.content(), problems=problems)


def default_root():
    return Site.objects.get(is_default_site=True).root_page


def public_forms(live_server):
    event = next(
        e
        for e in EventPage.objects.live().descendant_of(default_root()).order_by("start")
        if e.registration_enabled and not e.is_past
    )
    return [
        "/accounts/login/",
        "/tjanster/nyhetsbrev/prenumerera/",
        "/tjanster/goda-exempel/skicka-in/",
        path_of(event.url),
    ]


def test_every_page_reached_by_links_passes_the_checks_for_every_role(
    browser, live_server, demo_site, vnu, tmp_path
):
    """One demo load for both checks (it is the costliest fixture of the suite): the crawl, then
    the languages the content is marked with."""
    visits = []
    for role, email in ROLES.items():
        context, tab = open_tab(browser, live_server)
        if email:
            browser_login(tab, User.objects.get(email=email))
        visits += crawl.crawl_site(tab, live_server.url, axe_violations, limit=LIMIT)
        if role == "anonymous":
            for url in public_forms(live_server):
                visit = failed_form(tab, url)
                visit.problems += crawl.check_page(tab, axe_violations)
                visits.append(visit)
        context.close()
    files = []
    for number, visit in enumerate(visits):
        files.append(tmp_path / f"page-{number:03d}.html")
        files[-1].write_text(visit.html)
    problems = [f"{v.url}: {p}" for v in visits for p in v.problems]
    problems += [
        f"vnu {visits[int(name.split('-')[1].split('.')[0])].url}{rest}"
        for name, _sep, rest in (e.partition(":") for e in crawl.vnu_errors(files))
    ]
    problems += [f"language: {p}" for p in content_language_problems(browser, live_server)]
    assert len(visits) > 40, f"the crawl reached only {len(visits)} pages"
    assert problems == [], "\n".join(problems)


def content_language_problems(browser, live_server):
    """The content says the language it is written in, whatever the interface's language."""
    titles = {
        page.title: content_language(page)
        for page in Page.objects.live().filter(depth__gt=2).specific()
    }
    # The live server answers as the default site; the demo's other sites have their own hosts.
    pages = list(Page.objects.live().descendant_of(default_root(), inclusive=True).specific()[:30])
    problems = []
    for language in ("sv", "nb", "en"):
        context, tab = open_tab(browser, live_server, language)
        for page in pages:
            tab.goto(path_of(page.url))
            found = crawl.page_languages(tab)
            if found["html"] != language:
                problems.append(f"{language} {page.url}: <html lang={found['html']}>")
            written_in = content_language(page)
            heading = tab.locator("main h1")
            if found["h1"] not in (None, written_in) and page.title in heading.inner_text():
                problems.append(f"{language} {page.url}: the title is marked {found['h1']}")
            for _href, label, lang in found["links"]:
                if label in titles and lang != titles[label]:
                    problems.append(f"{language} {page.url}: link {label!r} is marked {lang}")
        context.close()
    return sorted(set(problems))
