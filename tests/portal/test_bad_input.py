"""Bad input gets the portal's 400 page in the visitor's language, never a 500
(portal/input.py refuses it where it enters)."""

import pytest

pytestmark = pytest.mark.django_db

MALFORMED_MULTIPART = {
    "data": b'--grans\r\nContent-Disposition: form-data; name="q"\r\n\r\nx\r\n--gr',
    "content_type": "multipart/form-data; boundary=",
}


@pytest.mark.parametrize(
    "url",
    [
        "/sok/?q=%00",
        "/tjanster/kalender/min/%00/kalender.ics",
        "/tjanster/kalender/anmalan/%00/avboka/",
        "/tjanster/goda-exempel/status/%00/",
        "/%00/",
        "/tjanster/natverk/999999999999999999999999999999/hantera/",
        "/sok/?q=" + "a" * 2001,
    ],
)
def test_bad_input_gets_the_portal_400_page_in_swedish(client, home, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Förfrågan kunde inte läsas" in response.text
    assert '<html lang="sv"' in response.text


def test_the_400_page_speaks_the_visitors_language(client, home):
    response = client.get("/sok/?q=%00", HTTP_ACCEPT_LANGUAGE="nb")
    assert "Forespørselen kunne ikke leses" in response.text


def test_malformed_multipart_gets_the_portal_400_page(client, home):
    response = client.post("/sok/", **MALFORMED_MULTIPART)
    assert response.status_code == 400
    assert "Förfrågan kunde inte läsas" in response.text


def test_a_5_mb_field_is_refused_not_echoed(client, home):
    response = client.post("/tjanster/goda-exempel/skicka-in/", {"title": "x" * 5_000_000})
    assert response.status_code == 400
    assert len(response.content) < 100_000


@pytest.mark.parametrize("q", ["%27%22", "Höör%22", "%22%22%22", "NOT", "a%20OR%20%28", "a" * 2000])
def test_quotes_and_operators_in_a_search_are_words_or_nothing(client, home, q):
    assert client.get(f"/sok/?q={q}").status_code == 200


def test_a_number_larger_than_any_id_in_a_form_is_refused_not_a_500(client, home):
    response = client.post("/tjanster/goda-exempel/skicka-in/", {"themes": "9" * 30})
    assert response.status_code == 400
    assert "Förfrågan kunde inte läsas" in response.text


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    "url",
    [
        # A word where Wagtail's choosers take an id (ValueError in the view).
        "/admin/images/chooser/chosen/x/",
        "/admin/documents/chooser/chosen/x/",
        # A page number below the first (EmptyPage in the view).
        "/admin/workflows/edit/1/?p=-1",
    ],
)
def test_input_the_admins_views_cannot_read_gets_the_400_page(admin_client, home, url, caplog):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert "Förfrågan kunde inte läsas" in response.text
    # Kept in the log with its traceback, as any fault.
    assert any(r.name == "portal.input" and r.exc_info for r in caplog.records)


def test_a_fault_outside_the_admin_is_not_taken_for_bad_input(rf):
    from portal.input import AdminBadInputMiddleware

    middleware = AdminBadInputMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/sok/"), ValueError("x")) is None
    assert middleware.process_exception(rf.get("/admin/"), RuntimeError("x")) is None


@pytest.mark.parametrize("q", ["%22", "a%22b", "%22x%22%20y", "%3Cscript%3E%27%22%26", "%20%20"])
def test_quotes_in_the_admins_search_are_no_500(admin_client, home, q):
    for listing in ("/admin/pages/search/", "/admin/documents/", "/admin/images/"):
        assert admin_client.get(f"{listing}?q={q}").status_code == 200


def test_a_word_with_a_quote_in_it_is_still_found_by_the_admins_search(admin_client, home):
    from wagtail.models import Page

    found = Page.objects.all().search('Hem"sida')
    assert list(found) == list(Page.objects.all().search("Hem sida"))
    assert list(Page.objects.all().search('"')) == []
