"""Sending with confidence: a confirmation that names the audience and the count, a warning for
an empty issue, one sending per issue, a footer that names the audience, and an archive that
shows each issue as it was sent."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from portal.newsletters import sending
from portal.newsletters.models import Delivery, Dispatch
from portal.newsletters.rendering import issue_render
from tests.factories import NewsIndexPageFactory, NewsPageFactory
from tests.helpers import path_of
from tests.networks.factories import NetworkPageFactory
from tests.newsletters.factories import NewsletterIssuePageFactory, SubscriberListFactory
from tests.newsletters.helpers import make_members, subscribe


@pytest.fixture
def sender(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def _send_url(issue):
    return f"/admin/nyhetsbrev/{issue.pk}/skicka/"


def _subscribed_issue(home, *emails, **kwargs):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, *emails)
    return NewsletterIssuePageFactory(lists=[subscriber_list], **kwargs)


def test_sending_asks_to_confirm_naming_the_audience_and_the_count(home, sender):
    issue = _subscribed_issue(home, "a@example.org", "b@example.org")
    response = sender.post(_send_url(issue), {"action": "send", "when": "now"})
    assert response.status_code == 200
    assert not Dispatch.objects.exists()
    page = response.content.decode()
    assert "Till 2 mottagare" in page
    assert "prenumeranterna på ”Nyhetsbrev från nätverken”" in page
    response = sender.post(_send_url(issue), {"action": "confirm", "when": "now", "count": 2})
    dispatch = Dispatch.objects.get()
    assert response["Location"].endswith(f"/admin/nyhetsbrev/utskick/{dispatch.pk}/")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_a_confirmation_for_a_count_that_changed_sends_nothing_and_shows_the_new_count(
    home, sender
):
    issue = _subscribed_issue(home, "a@example.org", "b@example.org")
    subscribe(issue.audience_lists.get(), "c@example.org")
    response = sender.post(_send_url(issue), {"action": "confirm", "when": "now", "count": 2})
    assert response.status_code == 200
    assert not Dispatch.objects.exists()
    page = response.content.decode()
    assert "Mottagarna har ändrats sedan du tittade: nu är de 3." in page
    assert "Till 3 mottagare" in page


def test_an_issue_cannot_be_sent_twice_by_confirming_twice(home, sender):
    issue = _subscribed_issue(home, "a@example.org")
    for _attempt in range(2):
        sender.post(_send_url(issue), {"action": "confirm", "when": "now", "count": 1})
    assert Dispatch.objects.count() == 1
    assert Delivery.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_an_empty_issue_is_warned_about_and_goes_only_when_the_box_is_ticked(home, sender):
    empty_body = [("events", {"heading": "Kommande evenemang", "count": 3})]
    issue = _subscribed_issue(home, "a@example.org", intro="", body=empty_body)
    warning = "Det här numret är tomt"
    assert warning in sender.get(_send_url(issue)).content.decode()
    refused = sender.post(_send_url(issue), {"action": "confirm", "when": "now", "count": 1})
    assert warning in refused.content.decode()
    assert "Kryssa i rutan för att skicka det ändå" in refused.content.decode()
    assert not Dispatch.objects.exists()
    sender.post(
        _send_url(issue), {"action": "confirm", "when": "now", "count": 1, "send_empty": "on"}
    )
    assert Dispatch.objects.count() == 1


def test_the_sending_service_refuses_an_empty_issue_unless_told(home):
    empty_body = [("practices", {"heading": "Goda exempel", "count": 3})]
    issue = _subscribed_issue(home, "a@example.org", intro="", body=empty_body)
    with pytest.raises(ValidationError):
        sending.dispatch_schedule(issue=issue)
    assert not Dispatch.objects.exists()


def test_the_footer_names_the_list_and_the_network(home):
    network = NetworkPageFactory(title="Nätverk för bosättningsfrågor")
    make_members(network, "medlem@example.org")
    issue = NewsletterIssuePageFactory(lists=[SubscriberListFactory()], networks=[network])
    rendered = issue_render(issue=issue)
    for part in (rendered.html, rendered.text):
        assert "Nyhetsbrev från nätverken" in part
        assert "medlemmarna i Nätverk för bosättningsfrågor" in part


def _news(title, day):
    return NewsPageFactory(parent=NewsIndexPageFactory(), title=title, date=day)


def test_the_archive_shows_an_issue_with_the_blocks_it_was_sent_with(home, client):
    _news("Kick-off i Flemingsberg", date(2017, 2, 1))
    issue = _subscribed_issue(
        home,
        "a@example.org",
        title="Nyhetsbrev 1 2017",
        body=[("news", {"heading": "Aktuellt", "count": 3, "posts": []})],
    )
    sending.dispatch_schedule(issue=issue)
    _news("Nyckeltalskonferens 2018", date(2018, 10, 26))
    page = client.get(path_of(issue.url)).content.decode()
    assert "Kick-off i Flemingsberg" in page
    assert "Nyckeltalskonferens 2018" not in page
    assert "1 februari 2017" in page  # dates as on the rest of the site


def test_an_issue_not_yet_sent_shows_its_blocks_as_they_are_now(home, client):
    issue = _subscribed_issue(
        home, "a@example.org", body=[("news", {"heading": "Aktuellt", "count": 3, "posts": []})]
    )
    _news("Nyckeltalskonferens 2018", date(2018, 10, 26))
    assert "Nyckeltalskonferens 2018" in client.get(path_of(issue.url)).content.decode()


def test_an_issue_pulls_the_content_of_its_own_site(home, client):
    """Each regional body's newsletter lists its own news, not another site's."""
    from tests.factories import make_site
    from tests.newsletters.factories import NewsletterIndexPageFactory

    skane = make_site("skane.localhost", name="Kommunförbundet Skåne")
    NewsPageFactory(parent=NewsIndexPageFactory(), title="Kick-off i Flemingsberg")
    NewsPageFactory(
        parent=NewsIndexPageFactory(parent=skane.root_page), title="Strategiskt forum i Lund"
    )
    body = [("news", {"heading": "Aktuellt", "count": 5, "posts": []})]
    own = NewsletterIssuePageFactory(body=body)
    theirs = NewsletterIssuePageFactory(
        parent=NewsletterIndexPageFactory(parent=skane.root_page), body=body
    )
    page = client.get(path_of(own.url)).content.decode()
    assert "Kick-off i Flemingsberg" in page and "Strategiskt forum i Lund" not in page
    page = client.get(path_of(theirs.url), HTTP_HOST="skane.localhost").content.decode()
    assert "Strategiskt forum i Lund" in page and "Kick-off i Flemingsberg" not in page
