"""Meetings outside the portal (NISKI, regional expert networks): logged as light records in
the admin and counted in chapters 6 and 7."""

from datetime import date

from portal.sites import site_create
from reports.models import ExternalMeeting
from tests.reports.factories import YEAR, ExternalMeetingFactory
from tests.reports.helpers import generate, page_text, published


def test_national_and_regional_meetings_are_counted_in_their_chapters(year):
    text = page_text(published(year))
    national = text.index("7. Nationella möten och nätverk")
    regional = text.index("6. Regionala möten och nätverk")
    assert "Strategen har deltagit i 1 möte utanför portalen." in text[regional:national]
    assert "Strategen har deltagit i 2 möten utanför portalen." in text[national:]
    assert "NISKI i Göteborg (NISKI): Sara Strateg" in text


def test_a_meeting_of_another_year_is_not_counted(year):
    ExternalMeetingFactory(date=date(YEAR + 1, 2, 9))
    assert len(generate(year).figures["external_national"]) == 2


ADD = "/admin/snippets/reports/externalmeeting/add/"


def _meeting_form(site, strategist) -> dict:
    return {
        "site": site.pk,
        "date": f"{YEAR}-10-26",
        "kind": "regional",
        "title": "Södertörnskommunernas nyckeltalskonferens",
        "organiser": "Botkyrka kommun",
        "attendees": [strategist.pk],
    }


def test_a_strategist_logs_one_in_the_admin(year, client):
    client.force_login(year.strategist)
    response = client.post(ADD, _meeting_form(year.site, year.strategist))
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = ExternalMeeting.objects.get(title="Södertörnskommunernas nyckeltalskonferens")
    assert list(meeting.attendees.all()) == [year.strategist]
    assert len(generate(year).figures["external_regional"]) == 2


def test_a_strategist_records_meetings_for_their_own_sites_only(year, client):
    skane = site_create(name="Kommunförbundet Skåne", hostname="skane.localhost")
    client.force_login(year.strategist)
    offered = client.get(ADD).context["form"].fields["site"].queryset
    assert list(offered) == [year.site]

    response = client.post(ADD, _meeting_form(skane, year.strategist))

    assert response.status_code == 200  # the form again, with what was typed, not a 500
    assert response.context["form"].errors["site"]
    assert "Södertörnskommunernas nyckeltalskonferens" in response.content.decode()
    assert not ExternalMeeting.objects.filter(site=skane).exists()
