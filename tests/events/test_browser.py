"""In a real browser, with real e-mail: the waitlist journey, and axe-core on every event page."""

import icalendar
import pytest
from django.utils.translation import gettext as _

from events import services
from events.models import Registration, RegistrationStatus
from tests.events.factories import EventIndexPageFactory, EventPageFactory
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import Mailbox, assert_accessible, browser_login, follow

pytestmark = pytest.mark.browser


def test_full_event_waitlist_then_promotion_with_both_emails(page, smtp_server, home):
    seminar = EventPageFactory(
        parent=EventIndexPageFactory(parent=home),
        title="Seminarium: kvotflyktingar från Östersund",
        registration_enabled=True,
        capacity=1,
        join_details="Länk till sändningen: https://example.org/live",
        venue="Huddinge kommunhus",
    )
    holder = services.registration_create(
        event=seminar,
        applicant=services.Applicant(name="Hanna Platsson", email="hanna@example.org"),
        user=UserFactory(email="hanna@example.org"),
    )
    smtp_server.wait_for(1)
    person = UserFactory(email="vera@example.org", first_name="Vera", last_name="Väntesson")

    browser_login(page, person)
    page.goto(seminar.url)
    follow(page, page.get_by_role("button", name=_("Join the waiting list")))
    assert (
        _("The event is full: you are on the waiting list and get an e-mail if a place frees up.")
        in page.locator(".messages").inner_text()
    )
    assert_accessible(page)
    smtp_server.wait_for(2)
    (waitlisted,) = smtp_server.to("vera@example.org")
    assert "https://example.org/live" not in Mailbox.body(waitlisted)

    # Hanna cannot come: she follows the cancel link from her own e-mail.
    (confirmation,) = smtp_server.to("hanna@example.org")
    cancel_url = next(
        line for line in Mailbox.body(confirmation).splitlines() if "/avboka/" in line
    ).strip()
    page.goto("/" + cancel_url.split("://", 1)[1].split("/", 1)[1])
    assert_accessible(page)
    follow(page, page.get_by_role("button", name=_("Yes, cancel my registration")))

    smtp_server.wait_for(4)  # Hanna's cancellation receipt and Vera's promotion
    promotion = smtp_server.to("vera@example.org")[-1]
    assert "https://example.org/live" in Mailbox.body(promotion)
    attachment = next(part for part in promotion.iter_attachments())
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == seminar.title
    assert Registration.objects.get(email="vera@example.org").status == RegistrationStatus.CONFIRMED
    assert Registration.objects.get(pk=holder.pk).status == RegistrationStatus.CANCELLED

    page.goto(seminar.url)
    assert "https://example.org/live" in page.content()


def test_every_event_page_type_passes_axe(page, home, world, superuser):
    index = EventIndexPageFactory(parent=home)
    organiser = OrganisationFactory(name="Etablering Södertörn")
    seminar = EventPageFactory(
        parent=index,
        title="Strategiskt forum: Långsiktig strategi",
        kind="conference",
        organiser=organiser,
        registration_enabled=True,
        capacity=40,
        description="<p>Tema: långsiktig strategi och organisation.</p>",
        agenda=[(None, "Välkommen", "Sara Strateg"), (None, "Workshop", "")],
        logistics_note="Lokal bokad.",
    )
    meeting = EventPageFactory(
        parent=world.space, title="Nätverksmöte Flemingsberg", kind="network_meeting"
    )
    registration = services.registration_create(
        event=seminar,
        applicant=services.Applicant(name="Per Person", email="per@example.org", needs="Hörslinga"),
    )

    for url in (
        index.url,
        index.url + "manad/",
        index.url + f"manad/{seminar.start.year}/{seminar.start.month}/",
        index.url + "arkiv/",
        seminar.url,
        "/tjanster/kalender/prenumerera/",
        f"/tjanster/kalender/anmalan/{registration.token}/bekrafta/",
    ):
        page.goto(url)
        assert_accessible(page)

    browser_login(page, world.users["member"])
    page.goto(meeting.url)
    assert page.get_by_role("radio", name=_("Maybe")).count() == 1
    assert_accessible(page)
    page.goto("/mina-sidor/")
    follow(page, page.get_by_role("button", name=_("Make my calendar link")))
    assert page.get_by_label(_("My calendar address")).input_value().endswith("/kalender.ics")
    assert_accessible(page)

    page.context.clear_cookies()
    browser_login(page, superuser)
    page.goto(seminar.url + "deltagare/")
    assert "Hörslinga" in page.content()
    assert_accessible(page)
    page.goto(seminar.url)
    assert "Lokal bokad." in page.content()
    assert_accessible(page)
