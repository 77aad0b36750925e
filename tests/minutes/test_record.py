"""Approval bound to the revision: what was approved is the very text that is published."""

import hashlib
import io

import docx
import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from networks.minutes import record, selectors, services
from networks.minutes.models import MinutesApproval, MinutesPage
from networks.minutes.pdf import minutes_facts
from tests.access_matrix import MEMBERS, assert_only
from tests.helpers import Mailbox
from tests.minutes.helpers import (
    admin_post,
    approved_minutes,
    step_up,
    stepped_up,
    under_review,
    write_minutes,
)


@pytest.fixture
def two_approvers(world, approver):
    """Minutes under review by Maja (`approver`) and the plain member of the network."""
    second = world.users["member"]
    minutes = under_review(world, [approver, second], notes="<p>Första versionen.</p>")
    return minutes, approver, second


def approval_of_an_older_revision(minutes, approver):
    """Maja's approval, made to name the text before the one under review (as a lost edit or a
    tampered row would leave it)."""
    services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())
    older = minutes.revisions.order_by("pk").first()
    MinutesApproval.objects.filter(user=approver).update(revision=older)


def test_each_approval_stores_the_revision_its_version_and_the_checksum(two_approvers):
    minutes, approver, _second = two_approvers
    under_review = selectors.current_round(minutes).revision

    services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())

    approval = MinutesApproval.objects.get(user=approver)
    assert approval.revision_id == under_review.pk
    assert approval.version == minutes.revisions.count() == 2
    expected = hashlib.sha256(record.record_text(under_review).encode()).hexdigest()
    assert approval.content_hash == expected


def test_an_edit_after_one_of_two_approvals_restarts_the_round(two_approvers, smtp_server):
    minutes, approver, second = two_approvers
    services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())
    first_round = selectors.current_round(minutes)

    write_minutes(
        minutes,
        user=minutes.owner,
        approvers=[approver, second],
        notes="<p>Ändrad under justeringen.</p>",
    )

    new_round = selectors.current_round(minutes)
    assert new_round.pk != first_round.pk
    assert new_round.revision_id == MinutesPage.objects.get(pk=minutes.pk).latest_revision_id
    # The earlier approval no longer counts: Maja is asked again, and one more "yes" from the
    # other approver does not publish.
    assert selectors.can_decide(minutes=minutes, user=approver)
    assert (
        services.minutes_approve(minutes=minutes, user=second, authentication=stepped_up()) is False
    )
    assert not MinutesPage.objects.get(pk=minutes.pk).live
    for person in (approver, second):
        (told,) = [
            m
            for m in smtp_server.wait_for(2) and smtp_server.to(person.email)
            if minutes.review_url in Mailbox.body(m)
        ]
        assert minutes.owner.get_full_name() in Mailbox.body(told)
    assert (
        services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())
        is True
    )
    assert "Ändrad under justeringen" in record.record_text(
        MinutesPage.objects.get(pk=minutes.pk).live_revision
    )


def test_a_superusers_edit_in_the_admin_restarts_the_round_too(two_approvers, world):
    minutes, approver, second = two_approvers
    services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())

    response = admin_post(
        world,
        minutes,
        approvers=[approver, second],
        present=[approver, second],
        action=None,
        role="superuser",
        title="Minnesanteckningar, rättad rubrik",
    )

    assert response.status_code == 302
    new_round = selectors.current_round(minutes)
    assert new_round.revision.user == world.users["superuser"]
    assert not MinutesApproval.objects.filter(task_state=new_round).exists()
    assert selectors.can_decide(minutes=minutes, user=approver)


def test_autosaving_the_changed_text_again_tells_no_one_again(two_approvers, world, smtp_server):
    """An edit restarts the round and tells the approvers. The editor's autosave then
    overwrites the revision it has just saved (and "Save draft" overwrites it once more): the
    approvers, told of the change once, are not told again while they have not decided."""
    minutes, approver, second = two_approvers
    editor = world.users["superuser"]
    draft = minutes.get_latest_revision_as_object()
    changed = draft.save_revision(user=editor)
    draft.title = "Minnesanteckningar, rättad rubrik"
    draft.save_revision(user=editor, overwrite_revision=changed)

    assert selectors.current_round(minutes).revision_id == changed.pk
    smtp_server.wait_for(2)
    assert sorted(len(smtp_server.to(p.email)) for p in (approver, second)) == [1, 1]
    assert len(smtp_server.messages) == 2


def test_publishing_with_an_approval_of_an_older_revision_is_refused_by_the_service(
    two_approvers,
):
    minutes, approver, second = two_approvers
    approval_of_an_older_revision(minutes, approver)

    with pytest.raises(services.TextChanged):
        services.minutes_approve(minutes=minutes, user=second, authentication=stepped_up())

    assert not MinutesPage.objects.get(pk=minutes.pk).live
    assert not MinutesApproval.objects.filter(user=second).exists()


def test_publishing_with_an_approval_of_an_older_revision_is_refused_on_a_direct_post(
    two_approvers, world
):
    minutes, approver, second = two_approvers
    approval_of_an_older_revision(minutes, approver)
    client = step_up(world.client("member"))  # the second approver

    response = client.post(reverse("minutes:approve", args=[minutes.pk]), {"approve-comment": ""})

    assert response.status_code == 302
    assert response["Location"] == minutes.review_url
    assert not MinutesPage.objects.get(pk=minutes.pk).live
    page = client.get(response["Location"]).content.decode()
    refusal = _(
        "The minutes have changed since they were approved. They are published only when every "
        "approver has approved the text that is published."
    )
    assert escape(refusal) in page


def test_publishing_with_an_approval_of_an_older_revision_is_refused_in_the_admin(world, approver):
    editor = world.users["superuser"]
    minutes = under_review(world, [approver, editor], present=[approver, editor])
    approval_of_an_older_revision(minutes, approver)
    task_state = selectors.current_round(minutes)

    url = reverse("wagtailadmin_pages:workflow_action", args=[minutes.pk, "approve", task_state.pk])
    step_up(world.client("superuser")).post(url, {})

    assert not MinutesPage.objects.get(pk=minutes.pk).live
    assert not MinutesApproval.objects.filter(user=editor).exists()


def test_an_approval_of_another_text_than_the_one_read_is_refused(two_approvers, world):
    minutes, approver, _second = two_approvers
    read = selectors.current_round(minutes).revision_id
    write_minutes(minutes, user=minutes.owner, approvers=[approver, _second], notes="<p>Ny.</p>")
    client = world.client("member")
    client.force_login(approver)
    step_up(client)

    response = client.post(
        reverse("minutes:approve", args=[minutes.pk]), {"approve-revision": str(read)}
    )

    assert response.status_code == 302
    assert not MinutesApproval.objects.filter(user=approver).exists()
    with pytest.raises(services.TextChanged):
        services.minutes_approve(
            minutes=minutes, user=approver, revision_id=read, authentication=stepped_up()
        )


def test_the_published_page_shows_the_approved_version_and_checksum(world, approver):
    minutes = approved_minutes(world, approver=approver)
    (approval,) = selectors.justering_of(minutes)

    html = world.client("member").get(minutes.url).content.decode()

    assert f"(version {approval.version}," in html
    assert approval.content_hash in html
    assert f"{minutes.url}kontroll/" in html


def test_a_member_recomputes_the_checksum_from_the_record_text(world, approver):
    minutes = approved_minutes(world, approver=approver, notes="<p>Boendekedjor &amp; EKB.</p>")
    (approval,) = selectors.justering_of(minutes)
    client = world.client("member")

    check = client.get(f"{minutes.url}kontroll/").content.decode()
    download = client.get(f"{minutes.url}kontroll/text/")
    text = b"".join(download.streaming_content)

    assert hashlib.sha256(text).hexdigest() == approval.content_hash
    assert "Boendekedjor & EKB." in text.decode()
    assert approval.content_hash in check
    assert _("The published text is the approved text.") in check


def test_the_check_says_when_the_published_text_differs_from_the_approved(world, approver):
    from tests.minutes.helpers import publish_correction

    minutes = approved_minutes(world, approver=approver)
    publish_correction(
        minutes, user=world.users["coordinator"], note="rättat platsen", place="Flemingsberg"
    )

    check = world.client("member").get(f"{minutes.url}kontroll/").content.decode()

    assert _("The published text differs from the approved text.") in check
    assert _("The published text is the approved text.") not in check


def test_the_check_and_the_record_text_are_for_members_only(world, approver):
    minutes = approved_minutes(world, approver=approver, notes=f"<p>{world.secret}</p>")
    assert_only(world.client, f"{minutes.url}kontroll/", MEMBERS)
    assert_only(world.client, f"{minutes.url}kontroll/text/", MEMBERS, secret_text=world.secret)


def test_the_pdf_and_the_docx_show_who_approved_which_version(world, approver):
    minutes = approved_minutes(world, approver=approver)
    (approval,) = selectors.justering_of(minutes)
    client = world.client("member")
    line = record.justering_line(approval)
    assert f"(version {approval.version}, " in line and approval.content_hash in line

    pdf = client.get(f"{minutes.url}pdf/")
    word = docx.Document(io.BytesIO(b"".join(client.get(f"{minutes.url}docx/").streaming_content)))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]

    # Both draw their head from minutes_facts; the Word file is read back to be sure.
    assert pdf.status_code == 200
    assert (_("Approved by"), line) in minutes_facts(minutes)
    assert line in cells
