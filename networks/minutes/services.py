"""Operations on minutes: write from a meeting, submit, approve, send back, publish, follow up.

Keyword-only functions named `<thing>_<verb>`. The Wagtail admin's workflow actions and the
site's own approve/send-back views both end up here, so the rules (never the author, only the
named approvers, each of them once) hold whichever door is used.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from wagtail.log_actions import log
from wagtail.models import Page, Revision, TaskState
from wagtail.rich_text import RichText

from networks import access
from portal.dates import iso
from portal.links import absolute_url
from portal.mail import mail_queue

from . import record, register, selectors
from .forms import MAX_APPROVERS
from .models import (
    ActionItem,
    ActionItemReminder,
    ActionItemStatus,
    Decision,
    Justering,
    MinutesApproval,
    MinutesApprovalTask,
    MinutesCorrectionDistribution,
    MinutesDistribution,
    MinutesGuest,
    MinutesPage,
    ReminderKind,
)
from .stepup import Authentication

logger = logging.getLogger(__name__)

REMIND_DAYS_BEFORE = 3


class TextChanged(PermissionDenied):
    """The approval was refused because the text is not the one approved (or read)."""


# --- writing -------------------------------------------------------------------------------------


def unique_slug(parent, base: str) -> str:
    """A slug for a new child of `parent`: `base`, or `base-2`, `base-3`... if taken."""
    slug, number = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _attendance(meeting, network_id):
    """Who answered the invitation: members who said yes (present) and no (apologies), and the
    registrations of guests from outside the network who said yes."""
    from events.models import Response

    registrations = list(meeting.registrations.exclude(status="cancelled").select_related("user"))
    members = set(selectors.network_members_ids(network_id))
    present = [r.user for r in registrations if r.response == Response.YES and r.user_id in members]
    apologies = [
        r.user for r in registrations if r.response == Response.NO and r.user_id in members
    ]
    guests = [r for r in registrations if r.response == Response.YES and r.user_id not in members]
    return present, apologies, guests


def _draft_takes_new_answers(minutes: MinutesPage, *, meeting, network_id, author) -> None:
    """A draft prepared before the meeting learns the answers given since: people who answered
    and are on neither list are added (yes to present, no to apologies). Nothing is taken away,
    so what the author ticked stays. Only a draft never published and not in justering."""
    if minutes.live or minutes.first_published_at or minutes.workflow_in_progress:
        return
    draft = minutes.get_latest_revision_as_object()
    present, apologies, _guests = _attendance(meeting, network_id)
    listed = {user.pk for user in [*draft.present_members.all(), *draft.apologies.all()]}
    new_present = [user for user in present if user.pk not in listed]
    new_apologies = [user for user in apologies if user.pk not in listed]
    if not new_present and not new_apologies:
        return
    draft.present_members = [*draft.present_members.all(), *new_present]
    draft.apologies = [*draft.apologies.all(), *new_apologies]
    draft.save_revision(user=author)


@transaction.atomic
def minutes_create_from_meeting(*, meeting, author) -> MinutesPage:
    """A draft prefilled from the meeting: date, place, agenda and who said they would come.

    It may be made before the meeting (from the agenda, to tick attendance during it). One set
    of minutes per meeting: asking again returns the existing draft or minutes; a draft made
    before the meeting then takes in the answers given since (`_draft_takes_new_answers`).
    """
    from networks.models import MemberSpacePage

    space = meeting.get_parent().specific
    if not isinstance(space, MemberSpacePage):
        raise ValidationError(_("Only meetings in a network's member space have minutes."))
    network_id = access.network_id_for_page(space)
    if not access.can_manage_network(author, network_id):
        raise PermissionDenied
    existing = MinutesPage.objects.filter(meeting=meeting).first()
    if existing is not None:
        _draft_takes_new_answers(existing, meeting=meeting, network_id=network_id, author=author)
        return MinutesPage.objects.get(pk=existing.pk)  # with its newest revision
    start = timezone.localtime(meeting.start)
    with override(author.preferred_language or None):
        title = _("Minutes: %(meeting)s") % {"meeting": meeting.title}
        answers = _answers_section(network_id)
    present, apologies, guests = _attendance(meeting, network_id)
    minutes = MinutesPage(
        title=title,
        slug=unique_slug(
            space, slugify(f"minnesanteckningar-{start:%Y-%m-%d}-{meeting.slug}")[:80]
        ),
        meeting=meeting,
        meeting_date=start.date(),
        place=meeting.location_text,
        owner=author,
        live=False,
        agenda=[
            (
                "section",
                {
                    "time": item.time,
                    "heading": item.item,
                    "speaker": item.speaker,
                    "notes": "",
                    "decisions": "",
                },
            )
            for item in meeting.agenda_items.all()
        ]
        + answers,
    )
    minutes.present_members = present
    minutes.apologies = apologies
    minutes.guests = [MinutesGuest(name=r.name, organisation=r.organisation) for r in guests]
    space.add_child(instance=minutes)
    minutes.save_revision(user=author)
    return minutes


# --- justering -----------------------------------------------------------------------------------


def _check_approvers(minutes: Justering) -> None:
    draft = selectors.draft_of(minutes)
    approvers = list(draft.approvers.all())
    if not 1 <= len(approvers) <= MAX_APPROVERS:
        raise ValidationError(_("Name one or two approvers."))
    problem = draft.approvers_problem(approvers)
    if problem:
        raise ValidationError(problem)
    if any(a.pk == minutes.owner_id for a in approvers):
        raise ValidationError(_("The author cannot approve their own minutes."))


@transaction.atomic
def minutes_submit(*, minutes: Justering, user):
    """Send the latest draft to its approvers (the admin's “Submit” does the same). Minutes, or
    any page under justering (an annual report)."""
    minutes = _fresh(minutes)  # the caller's copy may predate the draft
    _check_approvers(minutes)
    state = selectors.workflow_state(minutes)
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
        return state
    return minutes.get_workflow().start(minutes, user)


def _fresh(page):
    return type(page).objects.get(pk=page.pk)


def _locked_round(minutes) -> TaskState:
    state = selectors.current_round(minutes)
    if state is None:
        raise PermissionDenied
    # Two approvers deciding at the same moment take turns here.
    return TaskState.objects.select_for_update().get(pk=state.pk)


@transaction.atomic
def minutes_approve(
    *,
    minutes: Justering,
    user,
    authentication: Authentication | None,
    comment: str = "",
    revision_id: int | None = None,
) -> bool:
    """Record one approver's approval of the revision under review; the last approval
    publishes. Returns True if published.

    Refused (PermissionDenied) for the author, the submitter, anyone not named, anyone who no
    longer belongs to the network, and anyone who already approved this round; when
    `revision_id` (the revision the approver read) is not the one under review; and, at the
    last approval, when any approval is for another revision than the one to be published.
    Refused without `authentication`, the recent re-authentication the door asked allauth for
    (networks/minutes/stepup.py); it goes into the page's audit trail with the decision.
    """
    if not selectors.can_decide(minutes=minutes, user=user):
        raise PermissionDenied(_("You cannot approve these minutes."))
    _require_stepup(authentication)
    task_state = _locked_round(minutes)
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise PermissionDenied
    revision = task_state.revision
    if revision_id is not None and revision_id != revision.pk:
        raise TextChanged(
            _("The minutes were changed while you read them. Read them again before you approve.")
        )
    try:
        with transaction.atomic():
            MinutesApproval.objects.create(
                task_state=task_state,
                user=user,
                comment=comment,
                revision=revision,
                version=record.revision_number(revision),
                content_hash=record.record_hash(revision),
                authenticated_by=authentication.method,
                authenticated_at=authentication.at,
            )
    except IntegrityError as error:
        raise PermissionDenied(_("You have already approved these minutes.")) from error
    _audit(
        minutes=minutes,
        action="minutes.approve",
        user=user,
        task_state=task_state,
        authentication=authentication,
    )
    approved = set(
        MinutesApproval.objects.filter(task_state=task_state).values_list("user_id", flat=True)
    )
    if not set(selectors.approver_ids(minutes, task_state)) <= approved:
        return False
    # Wagtail publishes the latest revision when the workflow finishes: only if it is the very
    # text every approval is for (the permission tester asks the same at publication).
    latest = _fresh(minutes).latest_revision_id
    if not selectors.approvals_are_for(task_state, latest):
        raise TextChanged(
            _(
                "The minutes have changed since they were approved. They are published only "
                "when every approver has approved the text that is published."
            )
        )
    task_state.specific.approve(user=user, comment=comment)
    return True


def _require_stepup(authentication) -> None:
    if authentication is None:
        raise PermissionDenied(_("Confirm who you are before you decide."))


def _audit(*, minutes, action: str, user, task_state, authentication: Authentication) -> None:
    """Who decided, when, on which text, and how they had confirmed who they were."""
    revision = task_state.revision
    log(
        instance=minutes,
        action=action,
        user=user,
        revision=revision,
        data={
            "version": record.revision_number(revision),
            "checksum": record.record_hash(revision),
            "authenticated_by": authentication.method,
            "authenticated_at": authentication.at.isoformat(),
        },
    )


@transaction.atomic
def minutes_round_restart(*, minutes: Justering, revision) -> bool:
    """An edit during justering (by anyone, superusers included) starts the round again.

    Called for every saved revision of minutes, a new one or one overwritten in place. The round
    in progress is cancelled and a new one starts on that revision, so approvals given so far
    no longer count; every named approver is told (minutes_notify_approvers sees the cancelled
    round before the new one). Returns False when no round was in progress.
    """
    state = selectors.current_round(minutes)
    if state is None:
        return False
    task_state = TaskState.objects.select_for_update().get(pk=state.pk)
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        return False
    # save_revision points the page at its new revision only after saving it; the new round
    # starts on the page's latest revision, which must be this one.
    type(minutes).objects.filter(pk=minutes.pk).update(latest_revision=revision)
    editor = revision.user
    with override((editor and editor.preferred_language) or settings.LANGUAGE_CODE):
        comment = _("The minutes were changed during justering; the round started again.")
    task_state.cancel(user=editor, resume=True, comment=comment)
    return True


@transaction.atomic
def minutes_send_back(
    *, minutes: Justering, user, comment: str, authentication: Authentication | None
) -> None:
    """An approver sends the minutes back to the author with a comment saying what to change.

    Like approving, it needs a recent re-authentication, recorded in the audit trail."""
    if not comment.strip():
        raise ValidationError(_("Say what should be changed."))
    if not selectors.can_decide(minutes=minutes, user=user):
        raise PermissionDenied(_("You cannot send these minutes back."))
    _require_stepup(authentication)
    task_state = _locked_round(minutes)
    _audit(
        minutes=minutes,
        action="minutes.send_back",
        user=user,
        task_state=task_state,
        authentication=authentication,
    )
    _return_to_author(
        minutes=minutes,
        task_state=task_state,
        user=user,
        comment=comment,
        sent_by=user.get_full_name() or user.email,
    )


def _return_to_author(*, minutes, task_state, user, comment: str, sent_by) -> None:
    """End the round as “needs changes” and tell the author (if any) who sent it back.

    The caller holds the round's lock. Without an author (their account was deleted) the
    network's coordinators find the minutes among their drafts.
    """
    task_state.specific.reject(user=user, comment=comment)
    author = minutes.owner
    if author is None:
        return
    mail_queue(
        template=f"{minutes.justering_mail}_sent_back",
        to=author.email,
        language=author.preferred_language,
        context={
            "title": minutes.title,
            "meeting_date": getattr(minutes, "meeting_date", None),
            "approver": sent_by,
            "url": absolute_url(reverse("wagtailadmin_pages:edit", args=[minutes.pk])),
            "review_url": absolute_url(minutes.review_url),
        },
    )


def minutes_notify_approvers(*, task_state) -> None:
    """Tell each named approver that minutes wait for them (title, date and a link only).

    Every door that starts a round comes here (submit, resubmit, an edit during the round),
    so this is where an approver is told once per text: a round on the same revision as the
    unanswered round just cancelled (the editor autosaving over its own revision) tells no one
    again."""
    from django.contrib.auth import get_user_model

    if selectors.repeats_unanswered_round(task_state):
        return
    minutes = task_state.workflow_state.content_object.specific
    approvers = get_user_model().objects.filter(
        pk__in=selectors.approver_ids(minutes, task_state), is_active=True
    )
    author = minutes.owner
    step = "review_restarted" if selectors.follows_restart(task_state) else "review_requested"
    template = f"{minutes.justering_mail}_{step}"
    for approver in approvers:
        mail_queue(
            template=template,
            to=approver.email,
            language=approver.preferred_language,
            context={
                "title": minutes.title,
                "meeting_date": getattr(minutes, "meeting_date", None),
                "author": author.get_full_name() if author else "",
                "changed_by": _editor_name(task_state.revision),
                "url": absolute_url(minutes.review_url),
            },
        )


def _editor_name(revision) -> str:
    editor = revision.user if revision is not None else None
    return (editor.get_full_name() or editor.email) if editor else ""


# --- publication ---------------------------------------------------------------------------------


def decisions_rebuild(*, minutes: MinutesPage) -> None:
    """The register's rows of these minutes, as their agenda now stands (see register.py)."""
    Decision.objects.filter(minutes=minutes).delete()
    Decision.objects.bulk_create(
        Decision(minutes=minutes, **row) for row in register.decision_rows(minutes.agenda)
    )


def minutes_after_publish(*, minutes: MinutesPage) -> None:
    """Published minutes are locked against silent edits, and members are told of the
    publication and of each correction, once."""
    MinutesPage.objects.filter(pk=minutes.pk).update(
        locked=True, locked_at=timezone.now(), locked_by=None
    )
    minutes_distribute(minutes=minutes)


def minutes_distribute(*, minutes: MinutesPage) -> int:
    """E-mail every active member the title, meeting date and link: once when the minutes are
    first published, then once for each new change note of a correction, quoting the note.
    Returns the number of recipients, 0 when there was nothing new to tell.

    Each e-mail is claimed before it is queued, by a row that a unique constraint allows once:
    MinutesDistribution for the publication, MinutesCorrectionDistribution for each change
    note. Publishing the same text again, a retried task, or two processes at once find the
    claims taken and send nothing.
    """
    network_id = access.network_id_for_page(minutes)
    if network_id is None:
        return 0
    recipients = selectors.active_member_emails(network_id)
    published = _claimed(MinutesDistribution(minutes=minutes, recipients=len(recipients)))
    # Notes written before the first publication belong to the approved text: claimed with the
    # publication, they are never announced as corrections later.
    told = 0 if published else len(recipients)
    notes = [
        MinutesCorrectionDistribution(
            minutes=minutes, date=correction.date, note=correction.note, recipients=told
        )
        for correction in minutes.corrections.all()
    ]
    corrections = [note for note in notes if _claimed(note)]
    if published:
        template, extra = "minutes_published", {}
    elif corrections:
        template, extra = "minutes_corrected", {"corrections": corrections}
    else:
        return 0
    context = {
        "title": minutes.title,
        "meeting_date": minutes.meeting_date,
        "url": absolute_url(minutes.url or ""),
        **extra,
    }
    for email, language in recipients:
        mail_queue(template=template, to=email, language=language, context=context)
    return len(recipients)


def _claimed(claim) -> bool:
    """Insert the claim row; False when an earlier run (or another process) already did."""
    try:
        with transaction.atomic():
            claim.save(force_insert=True)
    except IntegrityError:
        return False
    return True


# --- action items --------------------------------------------------------------------------------


def action_item_mark(*, item: ActionItem, user, done: bool) -> ActionItem:
    """The owner (or a coordinator) marks an item done, or open again."""
    if not selectors.can_mark(user, item):
        raise PermissionDenied
    if done:
        ActionItem.objects.filter(pk=item.pk).update(
            status=ActionItemStatus.DONE, done_at=timezone.now(), done_by=user
        )
    else:
        ActionItem.objects.filter(pk=item.pk).update(
            status=ActionItemStatus.OPEN, done_at=None, done_by=None
        )
    item.refresh_from_db()
    return item


def matter_record(
    *, item: ActionItem, user, raised_on=None, answer: str = "", answered_on=None, matter_status
) -> ActionItem:
    """The follow-up of a matter raised with another organisation: when it was raised, the
    answer and its date, and its status (raised, answered, closed). By its owner or the
    network's coordinators, like marking an action item done."""
    if item.organisation_id is None or not selectors.can_mark(user, item):
        raise PermissionDenied
    ActionItem.objects.filter(pk=item.pk).update(
        raised_on=raised_on,
        answer=answer,
        answered_on=answered_on,
        matter_status=matter_status,
    )
    item.refresh_from_db()
    return item


def _answers_section(network_id) -> list:
    """An agenda item for the next minutes: the answers that came to matters raised."""
    answered = selectors.answered_matters(network_id)
    if not answered:
        return []
    lines = "".join(
        "<li>{}</li>".format(
            escape(
                _("%(organisation)s, %(what)s: answered %(date)s: %(answer)s")
                % {
                    "organisation": item.organisation.name,
                    "what": item.what,
                    "date": iso(item.answered_on),
                    "answer": item.answer,
                }
            )
        )
        for item in answered
    )
    section = {
        "time": None,
        "heading": _("Answers to matters raised with other organisations"),
        "speaker": "",
        "notes": RichText(f"<ul>{lines}</ul>"),
        "decisions": "",
    }
    return [("section", section)]


def action_reminders_due(*, today=None) -> list[tuple[ActionItem, str]]:
    """Open items of published minutes that need a reminder today and have not had it."""
    today = today or timezone.localdate()
    items = (
        ActionItem.objects.published()
        .open()
        .filter(owner__isnull=False, owner__is_active=True, due_date__isnull=False)
        .filter(due_date__lte=today + timedelta(days=REMIND_DAYS_BEFORE))
        .select_related("owner", "minutes")
    )
    due = []
    for item in items:
        kind = ReminderKind.OVERDUE if item.due_date < today else ReminderKind.DUE_SOON
        if not item.reminders.filter(kind=kind).exists():
            due.append((item, kind))
    return due


def action_reminder_send(*, item: ActionItem, kind: str, today=None) -> bool:
    """Send one reminder if this call wins the claim; False when another run already sent it."""
    today = today or timezone.localdate()
    if not access.can_view_page(item.owner, item.minutes):
        return False  # A former member is not reminded of a network they have left.
    try:
        with transaction.atomic():
            ActionItemReminder.objects.create(action_item=item, kind=kind)
            mail_queue(
                template="minutes_action_reminder",
                to=item.owner.email,
                language=item.owner.preferred_language,
                context={
                    "overdue": kind == ReminderKind.OVERDUE,
                    "due_date": item.due_date,
                    "days_left": (item.due_date - today).days,
                    "title": item.minutes.title,
                    "url": absolute_url(reverse("portal:my_action_items")),
                },
            )
    except IntegrityError:
        return False
    return True


def action_reminders_send(*, today=None) -> int:
    """The daily run: reminders three days before the due date and when overdue, once each."""
    sent = 0
    for item, kind in action_reminders_due(today=today):
        sent += action_reminder_send(item=item, kind=kind, today=today)
    logger.info("Sent %s action item reminders", sent)
    return sent


# --- personal data -------------------------------------------------------------------------------


def personal_data_export(*, user) -> dict:
    """What the minutes app stores about this person, for their "download my data".

    Action items assigned to them or marked done by them; minutes that name them, with their
    roles there (author, present, apologies, approver, or guest under the name they
    registered with for the meeting); and their decisions in justering, with the comments they
    wrote. Who else the minutes name is left out: that is other people's data.
    """
    items = (
        ActionItem.objects.filter(Q(owner=user) | Q(done_by=user))
        .select_related("minutes")
        .order_by("minutes__meeting_date", "pk")
    )
    return {
        "action_items": [
            {
                "minutes": item.minutes.title,
                "meeting_date": item.minutes.meeting_date.isoformat(),
                "what": item.what,
                "due": iso(item.due_date),
                "done": item.is_done,
                "done_at": iso(item.done_at),
                "assigned_to_me": item.owner_id == user.pk,
                "marked_done_by_me": item.done_by_id == user.pk,
            }
            for item in items
        ],
        "minutes_roles": _minutes_roles(user),
        "minutes_approvals": _justering_decisions(user),
    }


def _named_on(field: str, user):
    """Whether the minutes' `field` (a list of people) names this person, for a subquery."""
    through = MinutesPage._meta.get_field(field).remote_field.through
    return Exists(through.objects.filter(minutespage=OuterRef("pk"), user=user))


def _minutes_roles(user) -> list[dict]:
    awaiting = {
        int(task_state.workflow_state.object_id) for task_state in selectors.rounds_naming(user)
    }
    listed_as_guest = {entry.page_id for entry in selectors.guest_entries_of(user)}
    pages = (
        MinutesPage.objects.annotate(
            present=_named_on("present_members", user),
            apologies_from=_named_on("apologies", user),
            approver=_named_on("approvers", user),
        )
        .filter(
            Q(owner=user)
            | Q(present=True)
            | Q(apologies_from=True)
            | Q(approver=True)
            | Q(pk__in=awaiting | listed_as_guest)
        )
        .order_by("meeting_date", "pk")
    )
    roles = []
    for page in pages:
        named_as = {
            "author": page.owner_id == user.pk,
            "present": page.present,
            "apologies": page.apologies_from,
            "approver": page.approver or page.pk in awaiting,
            "guest": page.pk in listed_as_guest,
        }
        roles.append(
            {
                "minutes": page.title,
                "meeting_date": page.meeting_date.isoformat(),
                "roles": [role for role, named in named_as.items() if named],
            }
        )
    return roles


def _justering_decisions(user) -> list[dict]:
    approvals = MinutesApproval.objects.filter(user=user).values_list(
        "task_state__workflow_state__object_id", "approved_at", "comment"
    )
    sent_back = TaskState.objects.filter(
        finished_by=user,
        status=TaskState.STATUS_REJECTED,
        task__in=MinutesApprovalTask.objects.all(),
    ).values_list("workflow_state__object_id", "finished_at", "comment")
    decisions = [("approved", *row) for row in approvals] + [
        ("sent_back", *row) for row in sent_back
    ]
    titles = dict(
        Page.objects.filter(pk__in={int(row[1]) for row in decisions}).values_list("pk", "title")
    )
    return [
        {
            "minutes": titles.get(int(minutes_id), ""),
            "decision": decision,
            "at": iso(at),
            "comment": comment,
        }
        for decision, minutes_id, at, comment in sorted(decisions, key=lambda row: row[2])
    ]


@transaction.atomic
def account_erase(*, user) -> None:
    """The person is deleting their account: what the minutes keep of them afterwards.

    Kept, as the network's record of its meetings: the minutes they wrote (Wagtail leaves the
    author empty), their action items, unassigned (ActionItem.owner is SET_NULL), and the text
    of the minutes. Gone with the user row: their place among those present, apologies and
    approvers, and their approvals (MinutesApproval). Removed here: the guest entries holding
    their name and organisation, copied from their registration for the meeting, from the
    minutes and from each of their revisions, so that a later correction cannot bring them back.

    Justering in progress that names them: if another approver still has to decide, the
    others decide (approver_ids passes over deleted accounts). If no one would (they were the
    only approver, or the others have approved already), the minutes go back to the author
    with a comment saying why, to name another approver or submit again. Erasure never
    publishes: publishing is an approver's act, and it e-mails every member.

    Runs before events.services.account_erase (see wagtail_hooks), which deletes the
    registrations that say which guest entries are this person's.
    """
    for named in selectors.rounds_naming(user):
        minutes = Page.objects.get(pk=named.workflow_state.object_id).specific
        task_state = TaskState.objects.select_for_update().get(pk=named.pk)
        if task_state.status != TaskState.STATUS_IN_PROGRESS:
            continue  # decided while this was on its way
        others = set(selectors.approver_ids(minutes, task_state)) - {user.pk}
        approved = set(
            MinutesApproval.objects.filter(task_state=task_state).values_list("user_id", flat=True)
        )
        if others - approved:
            continue
        author = minutes.owner
        with override((author and author.preferred_language) or settings.LANGUAGE_CODE):
            comment = _(
                "An approver's account has been deleted. Check the approvers and submit the "
                "minutes again."
            )
        _return_to_author(
            minutes=minutes,
            task_state=task_state,
            user=None,
            comment=comment,
            # Translators: who sent the minutes back, in “… has sent the minutes back to you”.
            sent_by=gettext_lazy("The portal"),
        )
    _guest_entries_remove(user)


def _guest_entries_remove(user) -> None:
    entries = selectors.guest_entries_of(user)
    MinutesGuest.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
    guest = selectors.guest_names_of(user)
    revisions = Revision.page_revisions.filter(object_id__in=[str(pk) for pk in guest])
    for revision in revisions:
        names = guest[int(revision.object_id)]
        listed = revision.content.get("guests", [])
        kept = [entry for entry in listed if entry.get("name") not in names]
        if len(kept) != len(listed):
            revision.content["guests"] = kept
            revision.save(update_fields=["content"])
