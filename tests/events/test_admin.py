"""Editors work with events in the Wagtail admin: page forms, series and registrations."""

import pytest
from django.test import Client
from django.urls import reverse

from events.models import EventSeries
from tests.events.factories import EventIndexPageFactory, EventPageFactory


@pytest.fixture
def admin_client(superuser, settings):
    settings.PORTAL_ADMIN_REQUIRES_MFA = False  # this test is about the forms, not the login
    client = Client()
    client.force_login(superuser)
    return client


def test_event_page_forms_open_in_the_admin(home, admin_client):
    index = EventIndexPageFactory(parent=home)
    event = EventPageFactory(parent=index, agenda=[(None, "Välkommen", "")])
    add = reverse("wagtailadmin_pages:add", args=["events", "eventpage", index.pk])
    edit = reverse("wagtailadmin_pages:edit", args=[event.pk])
    for url in (add, edit):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert 'name="logistics_note"' in page and "agenda_items" in page


def test_series_and_registrations_are_listed_in_the_admin(home, admin_client):
    EventSeries.objects.create(title="Samverkanskonferens via telefon")
    response = admin_client.get(reverse("wagtailsnippets_events_eventseries:list"))
    assert response.status_code == 200
    assert "Samverkanskonferens via telefon" in response.content.decode()
    response = admin_client.get(reverse("wagtailsnippets_events_registration:list"), {"q": "anna"})
    assert response.status_code == 200
