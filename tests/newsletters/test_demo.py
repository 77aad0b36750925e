"""The demo newsletters: five issues from the seeds in their five states, and nothing mailed
while building them. That a second load changes nothing is tests/portal/test_demo.py's check,
for every model."""

from django.test import Client

from portal.newsletters.models import Delivery, Dispatch, DispatchStatus, NewsletterIssuePage


def test_demo_newsletters(demo):

    assert NewsletterIssuePage.objects.count() == 5
    statuses = sorted(Dispatch.objects.values_list("status", flat=True))
    assert statuses == [DispatchStatus.FINISHED, DispatchStatus.FINISHED, DispatchStatus.SCHEDULED]
    assert NewsletterIssuePage.objects.filter(live=False).count() == 1  # the draft
    member_issue = NewsletterIssuePage.objects.get(audience_networks__title__contains="bosättning")
    assert member_issue.is_members_only and not Dispatch.objects.filter(issue=member_issue).exists()
    confirmed = Delivery.objects.filter(dispatch__status=DispatchStatus.FINISHED)
    assert confirmed.count() == 2 * 5  # five confirmed subscribers, two issues
    assert not Delivery.objects.filter(email="ny.prenumerant@nacka.example").exists()
    titles = set(NewsletterIssuePage.objects.values_list("title", flat=True))
    newsletters = [m for m in demo.outbox if m.subject in titles or hasattr(m, "raw")]
    assert newsletters == []  # the sent issues are recorded, not mailed

    archive = Client().get("/nyhetsbrev/").content.decode()
    assert "Nyhetsbrev 1/2017" in archive and "Nyhetsbrev 2/2017" in archive
    assert "Nyhetsbrev 3/2017" not in archive  # scheduled, not sent yet
