"""Every e-mail the portal sends reaches its reader with links that work.

Each mail kind (a template under templates/email/) is sent through the service that sends it
in production, to the SMTP server on loopback; every link in its text, HTML and headers must
be at the portal's base URL and open for its recipient (a 200, or the login page for someone
who has no account). The last test fails when a kind is sent by none of these tests. The
newsletter issue itself, which is not a template here, is in tests/newsletters/test_links.py.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import services as events
from goodpractice.models import Submission
from networks import services as networks
from networks.minutes import selectors as minutes_selectors
from networks.minutes import services as minutes_services
from networks.minutes.models import ActionItem
from networks.models import JoinRequest, Role
from portal.newsletters import services as newsletters
from questionnaires import services as questionnaires
from tests.events.factories import (
    ApplicantFactory,
    EventPageFactory,
    RegistrationFactory,
    future,
)
from tests.events.helpers import republish
from tests.factories import PASSWORD, UserFactory
from tests.goodpractice.helpers import form_data, moderate, send
from tests.mail_links import client_for, links, mail_kinds, sends
from tests.minutes.factories import AnswerFactory, MeetingFactory
from tests.minutes.helpers import (
    approved_minutes,
    publish_correction,
    stepped_up,
    write_minutes,
)
from tests.networks.factories import NetworkFactory
from tests.newsletters.factories import SubscriberListFactory
from tests.questionnaires.factories import make_questionnaire

pytestmark = pytest.mark.django_db


@sends("networks_new_document")
def test_new_document_mail(world, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        networks.document_upload(
            network=world.network,
            title="Lägesbild",
            file=ContentFile(b"text", name="lagesbild.txt"),
            uploaded_by=world.users["coordinator"],
        )
    assert sent.check() >= 1


@sends(
    "events_registration_verify",
    "events_registration_confirmed",
    "events_registration_waitlisted",
    "events_registration_cancelled",
    "events_registration_promoted",
)
def test_event_registration_mails(home, sent):
    seminar = EventPageFactory(registration_enabled=True, capacity=1)
    first = events.registration_create(event=seminar, applicant=ApplicantFactory(n=1))
    first = events.registration_confirm(registration=first)
    second = events.registration_create(event=seminar, applicant=ApplicantFactory(n=2))
    events.registration_confirm(registration=second)  # waitlisted
    events.registration_cancel(registration=first)  # cancelled, and the second is promoted
    assert sent.check(count=6)


@sends("events_meeting_invitation", "events_updated", "events_cancelled")
def test_meeting_invitation_update_and_cancellation(world, sent):
    meeting = MeetingFactory(parent=world.space, day=future().date(), agenda=())
    meeting = republish(meeting, start=meeting.start + timedelta(hours=1))
    republish(meeting, status="cancelled", status_reason="Sjukdom")
    assert sent.check() >= 3


@sends("events_documentation")
def test_event_documentation_mail(home, sent):
    seminar = EventPageFactory(title="Kunskapsträff om hälsa")
    RegistrationFactory(event=seminar, email="deltagare@kommun.example")
    republish(seminar, documentation=[("notes", "<p>Bildspel från dagen.</p>")])
    assert sent.check(count=1)


@sends("networks_digest")
def test_digest_mail(world, sent):
    from networks import digest

    member = world.users["member"]
    networks.document_upload(
        network=world.network,
        title="Lägesbild",
        file=ContentFile(b"text", name="lagesbild.txt"),
        uploaded_by=world.users["coordinator"],
        notify=False,
    )
    MeetingFactory(parent=world.space, day=future().date(), agenda=())
    sent.mailbox.messages.clear()
    sent.kinds.clear()
    digest.digest_frequency_set(user=member, frequency="daily")
    assert digest.digest_send(digest=digest.digest_of(member), now=timezone.now())
    assert sent.check(count=1)


@sends("networks_invitation", "networks_join_request", "networks_join_decision")
def test_network_invitation_and_join_mails(home, sent, django_capture_on_commit_callbacks):
    network = NetworkFactory(title="Bosättning")
    coordinator = UserFactory(email="samordnare@kommun.example")
    networks.membership_add(network=network, user=coordinator, role=Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        networks.invitation_create(
            network=network, email="ny@kommun.example", invited_by=coordinator
        )
    asking = UserFactory(email="vill-in@kommun.example")
    networks.join_request_create(network=network, user=asking, message="Hej!")
    networks.join_request_decide(
        join_request=JoinRequest.objects.get(), approve=True, decided_by=coordinator
    )
    assert sent.check(count=3)


@sends(
    "minutes_review_requested",
    "minutes_review_restarted",
    "minutes_sent_back",
    "minutes_published",
    "minutes_corrected",
    "minutes_action_reminder",
)
def test_minutes_mails(world, sent, django_capture_on_commit_callbacks):
    author, approver = world.users["coordinator"], UserFactory(email="justerare@example.org")
    networks.membership_add(network=world.network, user=approver)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = MeetingFactory(parent=world.space)
        AnswerFactory(event=meeting, user=approver)
        draft = minutes_services.minutes_create_from_meeting(meeting=meeting, author=author)
        draft = write_minutes(draft, user=author, approvers=[approver], notes="<p>Utkast.</p>")
        minutes_services.minutes_submit(minutes=draft, user=author)  # the approver is asked
        draft = write_minutes(draft, user=author, approvers=[approver], notes="<p>Ändrat.</p>")
        minutes_services.minutes_send_back(
            minutes=draft, user=approver, comment="Rätta.", authentication=stepped_up()
        )
        published = approved_minutes(
            world,
            approver=approver,
            action_items=[
                {
                    "what": "Boka lokal",
                    "owner": world.users["member"],
                    "due_date": timezone.localdate(),
                }
            ],
        )
        publish_correction(published, user=author, note="Rättat datum.")
        item = ActionItem.objects.get()
        assert minutes_services.action_reminder_send(item=item, kind="due_soon")
    assert sent.check() >= 6


@sends(
    "goodpractice_confirm",
    "goodpractice_receipt",
    "goodpractice_changes",
    "goodpractice_published",
    "goodpractice_rejected",
)
def test_good_practice_submission_mails(
    client, catalogue, moderator, sent, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    send(client, capture)  # the address is asked to confirm
    send(client, capture, title="Läxhjälp i Höör", submitter_email="per@hoor.example")
    first, second = Submission.objects.order_by("pk")
    with capture(execute=True):
        for submission in (first, second):
            client.post(reverse("goodpractice:confirm", args=[submission.token]))  # received
        moderate(client, moderator, first, "reject", "Beskriv kostnaden.")  # changes asked for
        status = reverse("goodpractice:status", args=[first.token])
        client.post(status, form_data(cost_funding="Två timmar i veckan."))  # received again
        moderate(client, moderator, first, "approve")  # published
        moderate(client, moderator, second, "decline", "Inte ett kommunalt arbetssätt.")
    assert sent.check() >= 5


@sends("newsletters_confirm", "newsletters_manage")
def test_newsletter_subscription_mails(home, sent):
    newsletter = SubscriberListFactory()
    newsletters.subscriber_subscribe(
        email="ny@kommun.example", lists=[newsletter], source="test", consent_text="Ja"
    )
    newsletters.subscriber_send_manage_link(email="ny@kommun.example")
    assert sent.check(count=2)


@sends("questionnaire_invitation", "questionnaire_reminder")
def test_questionnaire_mails(world, sent):
    page = make_questionnaire(world.network.get_parent().get_parent(), network=world.network)
    contact = page.recipients.order_by("pk").first()
    page.recipients.exclude(pk=contact.pk).update(contact_email="")
    contact.contact_email = "kontakt@aremark.example"
    contact.save()
    assert questionnaires.questionnaire_invite(questionnaire=page) == 1
    assert questionnaires.questionnaire_reminders_send(today=page.deadline) == 1
    assert sent.check(count=2)


def test_every_mail_kind_is_sent_by_one_of_these_tests():
    declared = set().union(
        *(getattr(test, "mail_kinds", set()) for test in globals().values() if callable(test))
    )
    assert declared == mail_kinds(), sorted(declared ^ mail_kinds())


@sends("report_review_requested", "report_review_restarted", "report_sent_back")
def test_annual_report_mails(db, sent, django_capture_on_commit_callbacks):
    from reports.models import AnnualReportPage
    from tests.reports.factories import build_seed_year
    from tests.reports.helpers import generate, name_approvers

    year = build_seed_year()  # its minutes were approved and published: not this test's mails
    sent.kinds.clear()
    sent.mailbox.messages.clear()
    # The steering group's approvers are no editors: they review the report on the site.
    assert not any(approver.has_perm("wagtailadmin.access_admin") for approver in year.approvers)
    with django_capture_on_commit_callbacks(execute=True):
        report = name_approvers(generate(year), year.approvers)
        minutes_services.minutes_submit(minutes=report, user=year.strategist)  # approvers asked
        draft = AnnualReportPage.objects.get(pk=report.pk).get_latest_revision_as_object()
        draft.title = f"{draft.title}, rättad"
        draft.save_revision(user=year.strategist)  # the round starts again
        minutes_services.minutes_send_back(
            minutes=AnnualReportPage.objects.get(pk=report.pk),
            user=year.approvers[0],
            comment="Rätta ekonomin.",
            authentication=stepped_up(),
        )
    assert sent.check() >= 3

    # Submitted again: an approver without the admin follows the mail's link, reads the
    # report there and approves it once allauth has asked for the password.
    sent.mailbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        minutes_services.minutes_submit(minutes=report, user=year.strategist)
    approver = year.approvers[0]
    (message,) = [m for to, m in sent.mailbox.messages if approver.email in to]
    (link,) = links(message)
    client = client_for(approver.email)
    screen = client.get(link.removeprefix(settings.PORTAL_BASE_URL.rstrip("/")))
    assert screen.status_code == 200
    assert "2. Nätverken" in screen.content.decode()
    assert "Återsöksnätverket" in screen.content.decode()  # the frozen figures, named
    approve = reverse("minutes:approve", args=[report.pk])
    asked = client.post(approve, {"approve-revision": screen.context["task_state"].revision_id})
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asked["Location"], {"password": PASSWORD})  # allauth then carries it out
    assert [a.user for a in minutes_selectors.current_round(report).minutes_approvals.all()] == [
        approver
    ]

    # A steering-group member who is not named, and a visitor, are refused at both doors.
    chair = client_for(year.members["board"].email)
    assert chair.get(report.review_url).status_code == 403
    assert chair.post(approve, {}).status_code == 403
    assert Client().get(report.review_url)["Location"].startswith(settings.LOGIN_URL)
