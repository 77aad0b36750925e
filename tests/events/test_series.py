"""Series: irregular dates or a regular rule; each occurrence its own page, movable alone."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from events import services
from events.models import EventPage, EventSeries, FeedEntry
from tests.events.factories import STOCKHOLM, EventIndexPageFactory, EventPageFactory
from tests.events.helpers import delete_in_admin, republish


@pytest.fixture
def first(home):
    return EventPageFactory(
        parent=EventIndexPageFactory(parent=home),
        title="Samverkanskonferens via telefon",
        slug="telefonkonferens",
        kind="telephone_conference",
        start=datetime(2027, 3, 15, 9, 0, tzinfo=STOCKHOLM),
        end=datetime(2027, 3, 15, 10, 0, tzinfo=STOCKHOLM),
        join_details="Ring 08-123 456 00, kod 5521#",
        registration_enabled=True,
        agenda=[(time(9, 0), "Läget i anvisningarna", "Länsstyrelsen")],
    )


def local_days(series):
    return [e.start.astimezone(STOCKHOLM).date() for e in series.occurrences.order_by("start")]


def test_irregular_series_copies_the_first_occurrence_to_each_date(first):
    series = EventSeries.objects.create(
        title="Telefonkonferenser",
        template=first,
        dates="2027-03-15\n2027-04-19\n2027-05-17\n2027-06-14\n2027-08-30\n",
    )
    made = services.series_extend(series=series)
    assert len(made) == 4
    assert local_days(series) == [
        date(2027, 3, 15),
        date(2027, 4, 19),
        date(2027, 5, 17),
        date(2027, 6, 14),
        date(2027, 8, 30),
    ]
    for occurrence in series.occurrences.all():
        assert occurrence.live
        assert occurrence.start.astimezone(STOCKHOLM).time() == time(9, 0)
        assert [a.item for a in occurrence.agenda_items.all()] == ["Läget i anvisningarna"]
        assert occurrence.join_details == first.join_details
    uids = set(FeedEntry.objects.filter(event__series=series).values_list("uid", flat=True))
    assert len(uids) == 5


def test_regular_rule_every_second_tuesday(home):
    tuesday = first_tuesday(home)
    series = EventSeries.objects.create(
        title="Varannan tisdag", rule=EventSeries.Rule.BIWEEKLY, template=tuesday, count=4
    )
    services.series_extend(series=series)
    assert local_days(series) == [
        date(2027, 1, 5),
        date(2027, 1, 19),
        date(2027, 2, 2),
        date(2027, 2, 16),
    ]


def test_moved_or_cancelled_occurrence_is_not_recreated(first):
    series = EventSeries.objects.create(
        title="Telefonkonferenser", template=first, dates="2027-03-15\n2027-04-19\n2027-05-17"
    )
    services.series_extend(series=series)
    april = series.occurrences.get(series_date=date(2027, 4, 19))
    republish(
        april,
        start=datetime(2027, 4, 20, 9, 0, tzinfo=STOCKHOLM),
        end=datetime(2027, 4, 20, 10, 0, tzinfo=STOCKHOLM),
        status="moved",
    )
    may = series.occurrences.get(series_date=date(2027, 5, 17))
    republish(may, status="cancelled")
    assert services.series_extend(series=series) == []
    assert series.occurrences.count() == 3
    assert EventPage.objects.get(pk=first.pk).status == "planned"


def test_each_occurrence_keeps_its_own_registrations(first, user):
    series = EventSeries.objects.create(
        title="Telefonkonferenser", template=first, dates="2027-03-15\n2027-04-19"
    )
    (april,) = services.series_extend(series=series)
    services.registration_create(
        event=april,
        applicant=services.Applicant(name="A", email=user.email),
        user=user,
    )
    assert april.registrations.count() == 1
    assert first.registrations.count() == 0


def test_saving_a_series_in_the_admin_makes_the_occurrences(first, superuser, settings):
    settings.PORTAL_ADMIN_REQUIRES_MFA = False
    client = Client()
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailsnippets_events_eventseries:add"),
        {
            "title": "Telefonkonferenser 2027",
            "description": "",
            "template": first.pk,
            "rule": "irregular",
            "dates": "2027-03-15\n2027-04-19\n2027-05-17",
            "count": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    series = EventSeries.objects.get(title="Telefonkonferenser 2027")
    assert series.occurrences.count() == 3


def test_badly_written_dates_are_refused(first):
    series = EventSeries(title="Fel", template=first, dates="15 mars")
    with pytest.raises(ValidationError):
        series.full_clean()


# --- deleted occurrences stay deleted ------------------------------------------------------------


@pytest.fixture
def editor(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def irregular(first):
    series = EventSeries.objects.create(
        title="Telefonkonferenser", template=first, dates="2027-03-15\n2027-04-19\n2027-05-17\n"
    )
    services.series_extend(series=series)
    return series


def first_tuesday(home):
    """The first meeting of the network that meets on Tuesdays, 5 January 2027 at 13."""
    return EventPageFactory(
        parent=EventIndexPageFactory(parent=home),
        title="Återsöksnätverket",
        start=datetime(2027, 1, 5, 13, 0, tzinfo=STOCKHOLM),
    )


@pytest.fixture
def weekly(home):
    tuesday = first_tuesday(home)
    series = EventSeries.objects.create(
        title="Varje tisdag", rule=EventSeries.Rule.WEEKLY, template=tuesday, count=3
    )
    services.series_extend(series=series)
    return series


def occurrence_on(series, day):
    return series.occurrences.get(series_date=day)


def save_in_admin(client, series, **changes):
    """Save the series' edit form as an editor does (the admin then extends the series)."""
    series = EventSeries.objects.get(pk=series.pk)
    data = {
        "title": series.title,
        "description": series.description,
        "template": series.template_id or "",
        "rule": series.rule,
        "dates": series.dates,
        "count": series.count or "",
        "skipped_dates": series.skipped_dates,
        **changes,
    }
    url = reverse("wagtailsnippets_events_eventseries:edit", args=[series.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_deleted_occurrence_is_not_made_again_when_the_series_is_saved(irregular, editor):
    delete_in_admin(editor, occurrence_on(irregular, date(2027, 4, 19)))
    irregular.refresh_from_db()
    save_in_admin(editor, irregular, dates=irregular.dates + "2027-06-14\n")
    assert local_days(irregular) == [date(2027, 3, 15), date(2027, 5, 17), date(2027, 6, 14)]


def test_deleting_an_occurrence_takes_its_date_off_an_irregular_series(irregular):
    occurrence_on(irregular, date(2027, 4, 19)).delete()
    irregular.refresh_from_db()
    assert irregular.dates == "2027-03-15\n2027-05-17\n"
    assert services.series_extend(series=irregular) == []


def test_writing_a_deleted_date_in_again_brings_its_occurrence_back(irregular):
    occurrence_on(irregular, date(2027, 4, 19)).delete()
    irregular.refresh_from_db()
    irregular.dates += "2027-04-19\n"
    irregular.save()
    (again,) = services.series_extend(series=irregular)
    assert again.series_date == date(2027, 4, 19)


def test_a_rule_passes_over_the_date_of_a_deleted_occurrence(weekly):
    occurrence_on(weekly, date(2027, 1, 12)).delete()
    weekly.refresh_from_db()
    assert weekly.skipped_dates == "2027-01-12\n"
    weekly.count = 4
    weekly.save()
    services.series_extend(series=weekly)
    assert local_days(weekly) == [date(2027, 1, 5), date(2027, 1, 19), date(2027, 1, 26)]


def test_taking_a_date_off_the_skipped_dates_brings_its_occurrence_back(weekly):
    occurrence_on(weekly, date(2027, 1, 12)).delete()
    weekly.refresh_from_db()
    weekly.skipped_dates = ""
    weekly.save()
    (again,) = services.series_extend(series=weekly)
    assert again.series_date == date(2027, 1, 12)


def test_a_series_whose_first_occurrence_was_deleted_saves_and_makes_nothing(
    irregular, first, editor
):
    delete_in_admin(editor, first)
    irregular.refresh_from_db()
    assert irregular.template is None
    assert services.series_extend(series=irregular) == []
    save_in_admin(editor, irregular)
    assert local_days(irregular) == [date(2027, 4, 19), date(2027, 5, 17)]


def test_badly_written_skipped_dates_are_refused(weekly):
    weekly.skipped_dates = "12 januari"
    with pytest.raises(ValidationError):
        weekly.full_clean()
