"""The portal in a real Chromium: it renders, people log in and out, switch language, and every
page type built so far passes axe-core's WCAG 2.1 A and AA rules."""

import io

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from portal.models import User
from tests.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory, UserFactory
from tests.helpers import assert_accessible, axe_violations, browser_login, follow

pytestmark = pytest.mark.browser


def html_lang(page):
    return page.locator("html").get_attribute("lang")


@pytest.fixture
def content_page(home):
    """An about page with every kind of block the body offers."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#2a6f97").save(buffer, "PNG")
    image = Image.objects.create(title="Karta", file=ContentFile(buffer.getvalue(), "karta.png"))
    document = Document.objects.create(
        title="Verksamhetsberättelse 2017", file=ContentFile(b"%PDF-1.4\n", "vb2017.pdf")
    )
    return StandardPageFactory(
        parent=home,
        title="Om portalen",
        slug="om-portalen",
        intro="Samverkan kring mottagande och etablering av nyanlända.",
        body=[
            ("heading", {"text": "Så arbetar vi", "level": "h2"}),
            ("paragraph", "<p>Nätverken träffas två till tre gånger per termin.</p>"),
            ("image", {"image": image, "alt_text": "Karta över Södertörn", "caption": "Södertörn"}),
            ("documents", {"heading": "Dokument", "documents": [document]}),
            (
                "call_to_action",
                {
                    "title": "Bli medlem",
                    "text": "Kontakta den regionala strategen.",
                    "url": "https://example.org/kontakt",
                    "button_label": "Kontakta oss",
                },
            ),
        ],
        show_in_menus=True,
        revision=False,
    )


@pytest.fixture
def news(home):
    index = NewsIndexPageFactory(parent=home, show_in_menus=True)
    for number in range(1, 4):
        NewsPageFactory(
            parent=index,
            title=f"Kunskapsträff {number}",
            slug=f"kunskapstraff-{number}",
            date=f"2017-0{number}-15",
            intro="Migration och hälsa, med Transkulturellt centrum.",
            body=[("paragraph", "<p>Dokumentation finns på portalen.</p>")],
            revision=False,
        )
    return index


# --- what people do ------------------------------------------------------------------------------


def test_home_page_renders_in_swedish(page, home):
    response = page.goto("/")
    assert response.status == 200
    assert html_lang(page) == "sv"
    assert page.locator("header").get_by_role("link", name="Samverkansportalen").is_visible()
    assert page.get_by_role("search").count() >= 1


def test_a_member_logs_in_and_out(page, home):
    member = UserFactory(email="medlem@example.org", first_name="Maja", last_name="Berg")
    browser_login(page, member)
    assert page.url.endswith("/mina-sidor/")
    assert page.get_by_text("medlem@example.org").is_visible()
    assert page.locator(".site-account__name").inner_text() == f"({member.display_name})"

    follow(page, page.locator(".site-account button[type=submit]"))
    assert page.locator(".site-account__name").count() == 0
    page.goto("/mina-sidor/")
    assert "/accounts/login/" in page.url


def test_wrong_password_keeps_the_visitor_on_the_login_page(page, home):
    member = UserFactory(email="medlem@example.org")
    browser_login(page, member, password="inte-ratt-losenord")
    assert "/accounts/login/" in page.url
    assert page.locator(".site-account__name").count() == 0


@pytest.mark.parametrize("language", ["en", "nb"])
def test_language_switch_changes_the_page_language(page, home, language):
    with translation.override(language):
        log_in = translation.gettext("Log in")
    with translation.override("sv"):
        swedish_log_in = translation.gettext("Log in")
    assert log_in != swedish_log_in, "the catalogues must tell the languages apart"

    page.goto("/")
    assert page.locator(".site-account a").inner_text() == swedish_log_in
    page.select_option("#language-select", language)
    follow(page, page.locator(".language-switch button[type=submit]"))
    assert html_lang(page) == language
    assert page.locator(".site-account a").inner_text() == log_in
    page.goto("/sok/")
    assert html_lang(page) == language
    assert page.locator("#language-select").input_value() == language


def test_language_choice_is_remembered_on_the_account(page, home):
    member = UserFactory(preferred_language="sv")
    browser_login(page, member)
    page.select_option("#language-select", "nb")
    follow(page, page.locator(".language-switch button[type=submit]"))
    member.refresh_from_db()
    assert member.preferred_language == "nb"
    page.context.clear_cookies()
    browser_login(page, member)
    assert html_lang(page) == "nb"


def test_skip_link_moves_focus_to_the_main_content(page, home):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_layout_fits_a_320_pixel_wide_screen(page, content_page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(content_page.url)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


# --- accessibility: every page type --------------------------------------------------------------


def test_axe_check_reports_violations(page):
    """The harness itself: a page that breaks the rules must not pass."""
    page.set_content('<html><body><img src="karta.png"><a href="/"></a></body></html>')
    rules = {violation.split(" ", 1)[0] for violation in axe_violations(page)}
    assert {"image-alt", "link-name", "html-has-lang"} <= rules


def test_home_page_is_accessible(page, home):
    page.goto("/")
    assert_accessible(page)


def test_content_page_is_accessible(page, content_page):
    page.goto(content_page.url)
    assert page.get_by_role("heading", name="Så arbetar vi").is_visible()
    assert_accessible(page)


def test_news_index_is_accessible(page, news):
    page.goto("/aktuellt/")
    assert page.get_by_text("Kunskapsträff 3").is_visible()
    assert_accessible(page)


def test_news_post_is_accessible(page, news):
    page.goto("/aktuellt/kunskapstraff-2/")
    assert page.get_by_role("heading", name="Kunskapsträff 2").is_visible()
    assert_accessible(page)


def test_search_results_are_accessible(page, news):
    page.goto("/sok/?q=Kunskapstr%C3%A4ff")
    assert page.locator(".search-results li").count() == 3
    assert_accessible(page)


def test_empty_search_is_accessible(page, home):
    page.goto("/sok/?q=")
    assert_accessible(page)


def test_login_page_is_accessible(page, home):
    page.goto("/accounts/login/")
    assert_accessible(page)


def test_login_page_with_an_error_is_accessible(page, home):
    browser_login(page, UserFactory(), password="inte-ratt-losenord")
    assert_accessible(page)


def test_personal_page_is_accessible(page, home):
    browser_login(page, UserFactory())
    page.goto("/mina-sidor/")
    assert_accessible(page)


def test_profile_form_with_errors_is_accessible(page, home):
    browser_login(page, UserFactory())
    page.goto("/mina-sidor/profil/")
    page.fill("#id_last_name", "")
    page.fill("#id_job_title", "Handläggare")
    follow(page, page.locator("main form button[type=submit]"))
    assert page.locator("#id_last_name_error").is_visible()
    assert page.locator("#id_job_title").input_value() == "Handläggare"
    assert_accessible(page)


def test_not_found_page_is_accessible(page, home):
    response = page.goto("/finns-inte/")
    assert response.status == 404
    assert html_lang(page) == "sv"
    assert_accessible(page)


def test_personal_data_page_is_accessible(page, home):
    browser_login(page, UserFactory())
    page.goto("/mina-sidor/personuppgifter/")
    assert_accessible(page)


def test_account_deletion_form_with_errors_is_accessible_and_keeps_the_account(page, home):
    person = UserFactory()
    browser_login(page, person)
    page.goto("/mina-sidor/personuppgifter/radera/")
    page.fill("#id_password", "fel-losenord")
    follow(page, page.locator("main form button[type=submit]"))
    assert page.locator("#id_password_error").is_visible()
    assert page.locator("#id_understood_error").is_visible()
    assert User.objects.filter(pk=person.pk).exists()
    assert_accessible(page)
