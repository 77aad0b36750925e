"""What authors, approvers and coordinators do with minutes in the tests, through the real
services; the meetings come from tests/minutes/factories.py."""

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from networks.minutes import services
from networks.minutes.models import ActionItem, MinutesCorrection, MinutesPage
from networks.minutes.stepup import Authentication
from tests.factories import PASSWORD
from tests.minutes.factories import MEETING_TITLE, AnswerFactory, MeetingFactory


def write_minutes(
    minutes: MinutesPage,
    *,
    user,
    approvers=(),
    notes="",
    action_items=(),
    present=None,
    corrections=(),
):
    """What an author does in the editor: fill in notes, name approvers, add action items and
    (rarely, before the first publication) change notes, as (date, note) pairs."""
    draft = minutes.get_latest_revision_as_object()
    if present is not None:
        draft.present_members = list(present)
    draft.approvers = list(approvers)
    if notes:
        blocks = [
            ("section", {**block.value, "notes": notes})
            if index == 0
            else (block.block_type, block.value)
            for index, block in enumerate(draft.agenda)
        ]
        draft.agenda = blocks
    if action_items:
        draft.action_items = [ActionItem(**fields) for fields in action_items]
    if corrections:
        draft.corrections = [MinutesCorrection(date=on, note=note) for on, note in corrections]
    draft.save_revision(user=user)
    # A page that was never published keeps its draft in its row too, as the admin does.
    if not minutes.live:
        draft.save()
    return MinutesPage.objects.get(pk=minutes.pk)


def written_draft(world, approvers, **text):
    """Minutes of a held meeting the `approvers` attended, made from it and written by the
    coordinator (with `text` as write_minutes takes it), with them as approvers."""
    meeting = MeetingFactory(parent=world.space)
    for person in approvers:
        AnswerFactory(event=meeting, user=person)
    author = world.users["coordinator"]
    minutes = services.minutes_create_from_meeting(meeting=meeting, author=author)
    return write_minutes(minutes, user=author, approvers=approvers, **text)


def under_review(world, approvers, **text):
    """The same minutes (written_draft), submitted to the approvers."""
    minutes = written_draft(world, approvers, **text)
    services.minutes_submit(minutes=minutes, user=world.users["coordinator"])
    return minutes


def stepped_up(method="password") -> Authentication:
    """What a door hands the services once allauth has re-authenticated the person."""
    return Authentication(method=method, at=timezone.now())


def step_up(client, password=PASSWORD):
    """Confirm the logged-in person's password through allauth's re-authentication form."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def approved_minutes(
    world,
    *,
    approver,
    notes="Anteckningar",
    action_items=(),
    corrections=(),
    meeting_title=MEETING_TITLE,
):
    """Minutes written, submitted and approved: published through the real workflow."""
    meeting = MeetingFactory(parent=world.space, title=meeting_title)
    AnswerFactory(event=meeting, user=approver)
    author = world.users["coordinator"]
    minutes = services.minutes_create_from_meeting(meeting=meeting, author=author)
    minutes = write_minutes(
        minutes,
        user=author,
        approvers=[approver],
        notes=notes,
        action_items=action_items,
        corrections=corrections,
    )
    services.minutes_submit(minutes=minutes, user=author)
    services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())
    return MinutesPage.objects.get(pk=minutes.pk)


def publication_subject(minutes, language="sv") -> str:
    """The subject members get, rendered as the portal renders it (whatever the translation)."""
    from portal.mail import mail_render

    context = {"title": minutes.title, "meeting_date": minutes.meeting_date, "url": ""}
    return mail_render(template="minutes_published", context=context, language=language)["subject"]


def publish_correction(minutes: MinutesPage, *, user, note: str = "", on=None, **changes):
    """What a coordinator does to approved minutes: change them, add a change note, publish.

    Returns the published revision, so a test can publish the very same text again.
    """
    corrected = minutes.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(corrected, name, value)
    if note:
        on = on or timezone.localdate()
        corrected.corrections = [
            *corrected.corrections.all(),
            MinutesCorrection(date=on, note=note),
        ]
    revision = corrected.save_revision(user=user)
    revision.publish(user=user)
    return revision


def correction_subject(minutes, language="sv") -> str:
    with translation.override(language):
        return gettext("Corrected minutes: %(title)s") % {"title": minutes.title}


def change_note_line(note: str, on, language="sv") -> str:
    """A change note as members read it, on the page and in the e-mail: “Rättat <date>: …”."""
    with translation.override(language):
        return gettext("Corrected %(date)s: %(note)s") % {"date": f"{on:%Y-%m-%d}", "note": note}


def admin_post(
    world, minutes, *, approvers, present, action="action-submit", role="coordinator", title=None
):
    """What the Wagtail editor posts for minutes (no agenda, no action items), as `role`."""
    data = nested_form_data(
        {
            "title": title or minutes.title,
            "slug": minutes.slug,
            "meeting_date": minutes.meeting_date.isoformat(),
            "place": minutes.place,
            "agenda": streamfield([]),
            "guests": inline_formset([]),
            "action_items": inline_formset([]),
            "attachments": inline_formset([]),
            "corrections": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    if action:
        data[action] = "1"
    # Checkbox lists post one value per ticked box.
    data["present_members"] = [str(u.pk) for u in present]
    data["approvers"] = [str(u.pk) for u in approvers]
    url = reverse("wagtailadmin_pages:edit", args=[minutes.pk])
    return world.client(role).post(url, data)
