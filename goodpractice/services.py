"""State changes of the catalogue: submissions, moderation outcomes and the facet table."""

import hashlib
import os
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from networks.access import moderators_group, strategists_group
from portal.accounts.selectors import address_verified
from portal.dates import iso
from portal.links import absolute_url
from portal.mail import mail_queue
from portal.ratelimits import client_address
from portal.sites import site_index

from .models import (
    CatalogueEntry,
    PracticeAttachment,
    PracticeIndexPage,
    PracticeLink,
    PracticeModerationTask,
    PracticePage,
    Submission,
    SubmissionStatus,
)

WORKFLOW_NAME = "Moderering av goda exempel"
TASK_NAME = "Granskning av moderator"
SUBMISSIONS_COLLECTION = "Inskickade goda exempel"


# --- the catalogue row ------------------------------------------------------------------------


def catalogue_entry_values(page: PracticePage) -> dict:
    """The catalogue row of a practice, as stored while it is live."""
    return {
        "catalogue_path": page.path[: -Page.steplen],
        "national": page.national,
        "published_at": page.first_published_at or timezone.now(),
        "municipality_sort": page.municipality_sort,
        "county_id": page.county_id,
        "year": page.period_start.year if page.period_start else None,
        "still_running": page.still_running,
        "themes": _mask(page.themes.values_list("bit", flat=True)),
        "target_groups": _mask(page.target_groups.values_list("bit", flat=True)),
    }


def _mask(bits) -> int:
    mask = 0
    for bit in bits:
        mask |= 1 << bit
    return mask


def catalogue_entry_sync(*, page: PracticePage) -> None:
    """Write the catalogue row of one practice from its live state (none when not live)."""
    if page.live:
        CatalogueEntry.objects.update_or_create(
            practice_id=page.pk, defaults=catalogue_entry_values(page)
        )
    else:
        CatalogueEntry.objects.filter(practice_id=page.pk).delete()


# --- the moderation workflow -------------------------------------------------------------------


def moderation_workflow() -> Workflow:
    """The catalogue's workflow, created on first use: each site's moderators and strategists
    review (the task names every site's groups; PracticeModerationTask lets each group act on
    its own site's practices only). Run again when a site is added."""
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task = PracticeModerationTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = PracticeModerationTask.objects.create(name=TASK_NAME)
    for site in Site.objects.all():
        task.groups.add(moderators_group(site), strategists_group(site))
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for index in PracticeIndexPage.objects.all():  # one catalogue per site
        WorkflowPage.objects.get_or_create(page=index, defaults={"workflow": workflow})
    return workflow


# --- submissions -------------------------------------------------------------------------------


def client_fingerprint(request) -> str:
    """A salted hash of the client address: enough to rate-limit, useless to identify anyone."""
    address = client_address(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def _submissions_collection() -> Collection:
    existing = Collection.objects.filter(name=SUBMISSIONS_COLLECTION).first()
    if existing is not None:
        return existing
    return Collection.get_first_root_node().add_child(name=SUBMISSIONS_COLLECTION)


def _unique_slug(parent, title: str, page=None) -> str:
    base = slugify(title)[:60] or "exempel"
    siblings = parent.get_children()
    if page is not None and page.pk:
        siblings = siblings.exclude(pk=page.pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply_form(page: PracticePage, data: dict) -> None:
    for name in PracticePage.SUBMITTER_FIELDS:
        if PracticePage._meta.get_field(name).many_to_many:
            getattr(page, name).set(data.get(name) or [])
        else:
            setattr(page, name, data.get(name))
    page.draft_title = page.title
    if not page.county_id:
        page.county = next((o.county for o in page.organisations.all() if o.county_id), None)


def _save_links_and_files(page: PracticePage, data: dict, user) -> None:
    PracticeLink.objects.filter(page=page).delete()
    for order, url in enumerate(data.get("links") or []):
        PracticeLink.objects.create(page=page, url=url, sort_order=order)
    files = data.get("attachments") or []
    if not files:
        return
    collection = _submissions_collection()
    Document = get_document_model()
    start = PracticeAttachment.objects.filter(page=page).count()
    for order, upload in enumerate(files, start=start):
        # The name is the submitter's: it is stored as text and always shown escaped.
        title = os.path.basename(upload.name)[:255] or "bilaga"
        document = Document(title=title, file=upload, collection=collection)
        document.uploaded_by_user = user if user and user.is_authenticated else None
        document.save()
        PracticeAttachment.objects.create(page=page, document=document, sort_order=order)


@transaction.atomic
def submission_save(
    *,
    data: dict,
    user=None,
    submission: Submission | None = None,
    send: bool,
    client: str = "",
    language: str = "",
    index: PracticeIndexPage | None = None,
) -> Submission:
    """Create or update a submitted practice as a draft page; with `send`, hand it on.

    A new submission becomes a draft PracticePage below the catalogue `index` (the site's; by
    default the default site's). Sending it asks an
    unconfirmed address to confirm first; a confirmed one goes straight to the moderators.
    """
    user = user if user is not None and user.is_authenticated else None
    if submission is None:
        index = index or site_index(PracticeIndexPage, Site.objects.get(is_default_site=True))
        page = PracticePage(live=False, owner=user, title=data["title"], summary="")
        _apply_form(page, data)
        page.slug = _unique_slug(index, page.title)
        index.add_child(instance=page)
        submission = Submission(
            page=page,
            name=data["submitter_name"],
            email=data["submitter_email"],
            user=user,
            client_hash=client,
            language=language or settings.LANGUAGE_CODE,
        )
    else:
        page = submission.page.specific
        _apply_form(page, data)
        page.slug = _unique_slug(page.get_parent(), page.title, page)
        page.save()
        submission.name = data["submitter_name"]
        if submission.email != data["submitter_email"]:
            submission.email = data["submitter_email"]
            submission.confirmed_at = None
    _save_links_and_files(page, data, user)
    page.save_revision(user=user, log_action=True)
    if (
        user is not None
        and address_verified(user, submission.email)
        and not submission.confirmed_at
    ):
        submission.confirmed_at = timezone.now()
    submission.save()
    if send:
        if submission.confirmed_at:
            _send_for_review(submission, user)
        else:
            submission.status = SubmissionStatus.UNCONFIRMED
            submission.save(update_fields=["status", "updated_at"])
            _mail(submission, "goodpractice_confirm", confirm_url=confirm_url(submission))
    return submission


@transaction.atomic
def submission_confirm(*, submission: Submission) -> Submission:
    """The submitter proved the address: the practice goes to the moderators (once)."""
    if submission.status != SubmissionStatus.UNCONFIRMED:
        return submission
    submission.confirmed_at = timezone.now()
    submission.save(update_fields=["confirmed_at", "updated_at"])
    _send_for_review(submission, submission.user)
    return submission


UNCONFIRMED_KEPT_FOR = timedelta(days=14)


def submissions_purge_unconfirmed(*, older_than: timedelta = UNCONFIRMED_KEPT_FOR) -> int:
    """Delete anonymous submissions whose address was never confirmed; returns how many.

    The draft page, its attachments and the submitter's name and address go: nobody has
    vouched for them, and the moderators never saw them. Account holders' drafts stay theirs.
    """
    cutoff = timezone.now() - older_than
    stale = Submission.objects.filter(
        status=SubmissionStatus.UNCONFIRMED, user__isnull=True, updated_at__lt=cutoff
    ).select_related("page")
    count = 0
    for submission in stale:
        submission_discard(submission=submission)
        count += 1
    return count


@transaction.atomic
def submission_discard(*, submission: Submission) -> None:
    """Delete a practice that never went public with all that was sent in: the draft page (its
    revisions and links), its attachments' files, and the submission with the submitter's name
    and address (CASCADE from the page)."""
    documents = PracticeAttachment.objects.filter(page=submission.page).values("document")
    get_document_model().objects.filter(pk__in=documents).delete()
    submission.page.delete()


def _send_for_review(submission: Submission, user) -> None:
    page = submission.page.specific
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
    elif state is None:
        moderation_workflow().start(page, user)
    submission.status = SubmissionStatus.IN_REVIEW
    submission.moderator_message = ""
    submission.save(update_fields=["status", "moderator_message", "updated_at"])
    _mail(submission, "goodpractice_receipt")


def submission_decided(*, page, outcome: str, comment: str = "") -> None:
    """A moderator's decision reaches the submitter: changes requested, published or rejected."""
    submission = Submission.objects.filter(page_id=page.pk).first()
    if submission is None:
        return
    submission.status = {
        "changes": SubmissionStatus.CHANGES_REQUESTED,
        "published": SubmissionStatus.PUBLISHED,
        "rejected": SubmissionStatus.REJECTED,
    }[outcome]
    submission.moderator_message = comment or ""
    submission.save(update_fields=["status", "moderator_message", "updated_at"])
    page = PracticePage.objects.get(pk=page.pk)
    _mail(
        submission,
        f"goodpractice_{outcome}",
        practice_url=absolute_url(page.url) if page.live and page.url else "",
    )


def status_url(submission: Submission) -> str:
    return absolute_url(reverse("goodpractice:status", args=[submission.token]))


def confirm_url(submission: Submission) -> str:
    return absolute_url(reverse("goodpractice:confirm", args=[submission.token]))


def _mail(submission: Submission, template: str, **extra) -> None:
    mail_queue(
        template=template,
        to=submission.email,
        language=submission.language,
        context={
            "name": submission.name,
            "title": submission.page.draft_title,
            "status_url": status_url(submission),
            "message": submission.moderator_message,
            **extra,
        },
    )


# --- a submitter's own data ----------------------------------------------------------------------


# A submission whose practice is, or has been, public.
WAS_PUBLISHED = Q(page__live=True) | Q(page__first_published_at__isnull=False)


def _submitted_by(user):
    """Their submissions: sent in from the account, or anonymously from its address (which the
    account has verified). What another account sent in giving this address is that account's."""
    return Submission.objects.filter(
        Q(user=user) | Q(user__isnull=True, email__iexact=user.email)
    ).select_related("page")


def personal_data_export(*, user) -> dict:
    """The practices a person sent in, for their own copy (GDPR articles 15 and 20): who they
    said they were, where each stands, the moderator's message to them, and the address of the
    practice once it is public. One query (and the site's root paths, cached)."""
    return {
        "practice_submissions": [
            {
                "title": submission.page.title,
                "status": submission.status,
                "name": submission.name,
                "email": submission.email,
                "moderator_message": submission.moderator_message,
                "created_at": submission.created_at.isoformat(),
                "updated_at": submission.updated_at.isoformat(),
                "confirmed_at": iso(submission.confirmed_at),
                "url": absolute_url(submission.page.url) if submission.page.live else None,
            }
            for submission in _submitted_by(user).order_by("created_at", "pk")
        ]
    }


@transaction.atomic
def account_erase(*, user) -> None:
    """Before the account is deleted: remove the person from the catalogue's submissions.

    A practice that never went public is discarded with its files (submission_discard): only
    they and the moderators ever saw it. A practice that was published stays, as the
    municipality's public content that editors now look after (its contact fields, the page's
    own content, are theirs to change); only the submission row goes, with the submitter's
    name, address, account and status link. Nothing needs that row afterwards: practices made
    by editors have none, and a later moderation of the page simply tells no submitter.
    """
    submissions = _submitted_by(user)
    for submission in submissions.exclude(WAS_PUBLISHED):
        submission_discard(submission=submission)
    submissions.filter(WAS_PUBLISHED).delete()
