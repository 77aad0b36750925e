"""Reads shared by views, the workflow task, e-mails and the personal page."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext
from wagtail.models import TaskState, Workflow, WorkflowState, WorkflowTask

from events.selectors import registrations_of
from networks import access
from networks.models import Membership, MemberSpacePage, NetworkPage
from portal import text
from portal.pagination import CountingPaginator
from portal.search import search_words

from . import register
from .models import (
    ActionItem,
    Decision,
    Justering,
    MinutesApproval,
    MinutesApprovalTask,
    MinutesGuest,
    MinutesPage,
)


def minutes_workflow() -> Workflow:
    """The justering workflow every MinutesPage uses, made the first time it is asked for."""
    task = MinutesApprovalTask.objects.filter(active=True).order_by("pk").first()
    if task is None:
        task = MinutesApprovalTask.objects.create(name=gettext("Justering"))
    workflow = (
        Workflow.objects.filter(active=True, workflow_tasks__task=task).order_by("pk").first()
    )
    if workflow is None:
        workflow = Workflow.objects.create(name=gettext("Minutes approval (justering)"))
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


# --- one set of minutes ---------------------------------------------------------------------------


def workflow_state(minutes) -> WorkflowState | None:
    """The latest workflow run (in progress or needing changes) of these minutes."""
    return (
        WorkflowState.objects.for_instance(minutes)
        .filter(status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES])
        .select_related("current_task_state", "requested_by")
        .first()
    )


def _named_in(revision) -> list[int]:
    return [int(pk) for pk in revision.content.get("approvers", [])]


def approver_ids(minutes, task_state: TaskState | None = None) -> list[int]:
    """Approvers named on the text under review, else on the latest draft.

    A revision keeps the ids it was saved with. Someone named there whose account has since
    been deleted is no approver any more: the others decide (see services.account_erase).
    """
    revision = task_state.revision if task_state is not None else None
    revision = revision or minutes.get_latest_revision()
    if revision is None:
        return list(minutes.approvers.values_list("pk", flat=True))
    named = _named_in(revision)
    return list(get_user_model().objects.filter(pk__in=named).values_list("pk", flat=True))


def draft_of(minutes) -> MinutesPage:
    """The newest text of the minutes: the draft or version under review, else the live one."""
    return minutes.get_latest_revision_as_object() if minutes.latest_revision_id else minutes


def can_view_draft(user, minutes) -> bool:
    return access.can_view_unpublished(
        user, minutes, author_id=minutes.owner_id, reviewer_ids=approver_ids(minutes)
    )


def can_decide(*, minutes, user) -> bool:
    """May this user approve or send back these minutes now? The one answer for every door."""
    if not isinstance(minutes, Justering):
        return False  # the justering task names its approvers on the page it approves
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    state = current_round(minutes)
    if state is None:
        return False
    if user.pk == minutes.owner_id or user.pk == state.workflow_state.requested_by_id:
        return False
    if user.pk not in approver_ids(minutes, state):
        return False
    if not access.can_view_page(user, minutes):
        return False
    return not MinutesApproval.objects.filter(task_state=state, user=user).exists()


def current_round(minutes) -> TaskState | None:
    """The approval round in progress (with its workflow state attached), if any."""
    state = WorkflowState.objects.for_instance(minutes).active().first()
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return None
    task_state.workflow_state = state
    return task_state


def justering_just_completed_by(minutes, user) -> bool:
    """True while the workflow that this user's approval completed is publishing the minutes."""
    if user is None or not user.is_authenticated:
        return False
    state = (
        WorkflowState.objects.for_instance(minutes)
        .filter(status=WorkflowState.STATUS_APPROVED)
        .select_related("current_task_state")
        .order_by("-created_at")
        .first()
    )
    if state is None or state.current_task_state is None:
        return False
    task_state = state.current_task_state
    # Only the approved text, and only until it is live: an old approval opens nothing later.
    return (
        task_state.status == TaskState.STATUS_APPROVED
        and task_state.revision_id == minutes.latest_revision_id
        and task_state.revision_id != minutes.live_revision_id
        and MinutesApproval.objects.filter(task_state=task_state, user=user).exists()
        and approvals_are_for(task_state, minutes.latest_revision_id)
    )


def approvals_are_for(task_state, revision_id) -> bool:
    """Whether every approval in this round is for this revision: publishing needs that."""
    approvals = MinutesApproval.objects.filter(task_state=task_state)
    return revision_id is not None and not approvals.exclude(revision_id=revision_id).exists()


def follows_restart(task_state) -> bool:
    """Whether this round began because the text was changed during the round before it."""
    previous = (
        TaskState.objects.filter(workflow_state_id=task_state.workflow_state_id)
        .exclude(pk=task_state.pk)
        .order_by("-started_at", "-pk")
        .first()
    )
    return previous is not None and previous.status == TaskState.STATUS_CANCELLED


def repeats_unanswered_round(task_state) -> bool:
    """Whether this round asks for the very revision that the round just before it asked for,
    and that round was cancelled before anyone decided: its approvers have been told already.

    The editor's autosave does that: it overwrites the revision it saved a moment ago (and
    "Save draft" overwrites it once more), and every save of a revision restarts the round
    (services.minutes_round_restart), on the same revision each time."""
    state = task_state.workflow_state
    previous = (
        TaskState.objects.filter(
            workflow_state__base_content_type_id=state.base_content_type_id,
            workflow_state__object_id=state.object_id,
        )
        .exclude(pk=task_state.pk)
        .order_by("-started_at", "-pk")
        .first()
    )
    return (
        previous is not None
        and previous.status == TaskState.STATUS_CANCELLED
        and previous.revision_id == task_state.revision_id
        and not MinutesApproval.objects.filter(task_state=previous).exists()
    )


def justering_of(minutes) -> list[MinutesApproval]:
    """The approvals of the latest approved round (the text last approved), each with its
    approver, version and checksum, in the order given; empty for minutes never approved."""
    latest_round = (
        TaskState.objects.filter(
            status=TaskState.STATUS_APPROVED,
            workflow_state__in=WorkflowState.objects.for_instance(minutes),
        )
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    return list(
        MinutesApproval.objects.filter(task_state__in=latest_round)
        .select_related("user")
        .order_by("approved_at", "pk")
    )


def approvals_in_round(task_state) -> list:
    return list(
        MinutesApproval.objects.filter(task_state=task_state)
        .select_related("user")
        .order_by("approved_at")
    )


def rounds_naming(user) -> list[TaskState]:
    """Approval rounds in progress whose text names this person as an approver, decided by
    them or not, each with its workflow state attached."""
    states = (
        WorkflowState.objects.active()
        .filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            current_task_state__status=TaskState.STATUS_IN_PROGRESS,
            current_task_state__task__in=MinutesApprovalTask.objects.all(),
        )
        .select_related("current_task_state__revision")
    )
    rounds = []
    for state in states:
        task_state = state.current_task_state
        if task_state.revision is not None and user.pk in _named_in(task_state.revision):
            task_state.workflow_state = state
            rounds.append(task_state)
    return rounds


def minutes_awaiting_approval(user, model=MinutesPage) -> list:
    """Minutes (or other pages of `model` under justering, e.g. annual reports) this person
    has been asked to approve and has not yet approved."""
    if user is None or not user.is_authenticated:
        return []
    ids = [int(task_state.workflow_state.object_id) for task_state in rounds_naming(user)]
    pages = model.objects.filter(pk__in=ids).specific()
    pages = pages.order_by("-meeting_date") if model is MinutesPage else pages.order_by("-pk")
    return [page for page in pages if can_decide(minutes=page, user=user)]


def guest_names_of(user) -> dict[int, set[str]]:
    """Minutes that may list this person as a guest, with the names they may be listed under.

    minutes_create_from_meeting copies the name of everyone outside the network who said yes
    into the guest list, so the person's guest entries are those, in the minutes of a meeting
    they registered for, under the name they registered with.
    """
    names: dict[int, set[str]] = {}
    rows = registrations_of(user).filter(event__minutes__isnull=False)
    for minutes_id, name in rows.values_list("event__minutes__pk", "name"):
        names.setdefault(minutes_id, set()).add(name)
    return names


def guest_entries_of(user) -> list[MinutesGuest]:
    """This person's entries in the guest lists of minutes (see guest_names_of)."""
    names = guest_names_of(user)
    entries = MinutesGuest.objects.filter(page_id__in=names)
    return [entry for entry in entries if entry.name in names[entry.page_id]]


def drafts_for(user) -> list[MinutesPage]:
    """Unpublished minutes this person wrote or coordinates, for their personal page."""
    if user is None or not user.is_authenticated:
        return []
    pages = MinutesPage.objects.filter(live=False).order_by("-meeting_date")
    if not access.is_strategist(user):
        # Only their own and those of the networks they coordinate, not every draft there is.
        pages = pages.filter(
            Q(owner=user) | access.network_pages_q(access.coordinated_network_ids(user))
        )
    return [
        page
        for page in pages
        if (page.owner_id == user.pk or _manages(user, page)) and can_view_draft(user, page)
    ]


def _manages(user, page) -> bool:
    network_id = access.network_id_for_page(page)
    return network_id is not None and access.can_manage_network(user, network_id)


# --- a network's minutes ------------------------------------------------------------------------


def network_space(network: NetworkPage) -> MemberSpacePage | None:
    return network.member_space


def published_minutes(network: NetworkPage, *, query="", meeting_id=None, year=None):
    """Live minutes of one network, newest first, optionally searched and filtered."""
    space = network_space(network)
    if space is None:
        return MinutesPage.objects.none()
    pages = MinutesPage.objects.live().descendant_of(space).order_by("-meeting_date", "-pk")
    if meeting_id:
        pages = pages.filter(meeting_id=meeting_id)
    if year:
        pages = pages.filter(meeting_date__year=year)
    query = search_words(query)
    if query:
        # The search backend orders by relevance; the listing keeps its order by date.
        matches = pages.order_by().search(query, operator="and")
        pages = pages.filter(pk__in=[page.pk for page in matches])
    return pages.select_related("meeting")


# --- the decisions register ---------------------------------------------------------------------


DECISIONS_PER_PAGE = 50


def decisions_register(user, *, network_id=None, year=None, subject="", query=""):
    """The decisions of every agenda item in every published minutes this user may read,
    newest meeting first, filtered by network, year, subject (words of the agenda item's
    heading) and words in the decision: a queryset of register rows (register.py), narrowed
    by the one access rule on their minutes."""
    pages = access.visible_pages(user, MinutesPage.objects.live())
    pages = pages.filter(access.network_pages_q(access.member_spaces().values()))
    if network_id:
        pages = pages.filter(access.network_pages_q([network_id]))
    if year:
        pages = pages.filter(meeting_date__year=year)
    rows = Decision.objects.filter(minutes__in=pages)
    rows = rows.filter(register.words_q("subject_terms", text.words(subject)))
    rows = rows.filter(register.words_q("terms", text.words(query)))
    return rows.select_related("minutes").order_by(
        "-minutes__meeting_date", "-minutes_id", "number"
    )


def decisions_page(user, number, **filters):
    """One page of the register (one query for the page and its total, one for the titles of
    its networks), each row with `network_id` and `network_title`."""
    page = CountingPaginator(decisions_register(user, **filters), DECISIONS_PER_PAGE).get_page(
        number
    )
    for row in page:
        row.network_id = access.network_id_for_page(row.minutes)
    titles = dict(
        NetworkPage.objects.filter(pk__in={row.network_id for row in page}).values_list(
            "pk", "title"
        )
    )
    for row in page:
        row.network_title = titles.get(row.network_id, "")
    return page


def decision_networks(user):
    """The networks whose decisions this user may read, for the register's filter."""
    ids = [pk for pk in access.member_spaces().values() if pk is not None]
    return NetworkPage.objects.filter(
        pk__in=[pk for pk in ids if access.can_view_network_space(user, pk)]
    ).order_by("title")


def decision_years(user) -> list[int]:
    pages = access.visible_pages(user, MinutesPage.objects.live())
    pages = pages.filter(access.network_pages_q(access.member_spaces().values()))
    return [d.year for d in pages.dates("meeting_date", "year", "DESC")]


def minutes_years(network: NetworkPage) -> list[int]:
    space = network_space(network)
    if space is None:
        return []
    dates = MinutesPage.objects.live().descendant_of(space).dates("meeting_date", "year", "DESC")
    return [d.year for d in dates]


def meetings_with_minutes(network: NetworkPage):
    from events.models import EventPage

    space = network_space(network)
    if space is None:
        return EventPage.objects.none()
    ids = MinutesPage.objects.live().descendant_of(space).values("meeting_id")
    return EventPage.objects.filter(pk__in=ids).order_by("-start")


def meetings_without_minutes(network: NetworkPage, *, held: bool = True):
    """Meetings of the network whose minutes are still to be written: held ones with no minutes
    or only a draft prepared beforehand (writing continues it), or with `held=False` the coming
    ones, not cancelled, with no draft yet (to prepare one from the agenda)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from events.models import EventPage, EventStatus

    space = network_space(network)
    if space is None:
        return EventPage.objects.none()
    minutes = MinutesPage.objects.filter(meeting__isnull=False)
    if held:
        in_justering = WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            content_type=ContentType.objects.get_for_model(MinutesPage),
        ).values_list("object_id", flat=True)
        minutes = minutes.filter(
            Q(first_published_at__isnull=False) | Q(pk__in=[int(pk) for pk in in_justering])
        )
    meetings = EventPage.objects.child_of(space).exclude(pk__in=minutes.values("meeting_id"))
    if held:
        return meetings.filter(start__lte=timezone.now()).order_by("-start")
    return (
        meetings.filter(start__gt=timezone.now())
        .exclude(status=EventStatus.CANCELLED)
        .order_by("start")
    )


def previous_minutes(minutes: MinutesPage) -> MinutesPage | None:
    """The network's published minutes of the meeting before this one, for the agenda item
    "approval of the last minutes". Same member space, so whoever reads these may read those."""
    return (
        MinutesPage.objects.live()
        .sibling_of(minutes, inclusive=False)
        .filter(meeting_date__lt=minutes.meeting_date)
        .order_by("-meeting_date", "-pk")
        .first()
    )


def network_action_items(network: NetworkPage, *, status=None):
    space = network_space(network)
    if space is None:
        return ActionItem.objects.none()
    items = ActionItem.objects.published().filter(minutes__path__startswith=space.path)
    if status:
        items = items.filter(status=status)
    return items.select_related("owner", "minutes", "organisation").order_by(
        "status", "due_date", "pk"
    )


ACTION_ITEMS_PER_PAGE = 25


def action_items_page(user, number, *, status=None):
    """One page of the person's action items (a long-serving member gathers hundreds)."""
    return CountingPaginator(action_items_for(user, status=status), ACTION_ITEMS_PER_PAGE).get_page(
        number
    )


def action_items_for(user, *, status=None):
    """The person's own action items in minutes they may still read ("Mina uppgifter")."""
    if user is None or not user.is_authenticated:
        return ActionItem.objects.none()
    items = ActionItem.objects.published().filter(owner=user)
    items = items.exclude(access.hidden_pages_q(user, prefix="minutes__"))
    if status:
        items = items.filter(status=status)
    return items.select_related("minutes", "organisation").order_by("status", "due_date", "pk")


def matters_for(user, *, network_id=None, status=None):
    """Matters raised with other organisations in published minutes this user may read: the
    open ones (raised or answered) unless a status is asked for."""
    if user is None or not user.is_authenticated:
        return ActionItem.objects.none()
    items = ActionItem.objects.published().matters()
    items = items.exclude(access.hidden_pages_q(user, prefix="minutes__"))
    if network_id:
        items = items.filter(access.network_pages_q([network_id], prefix="minutes__"))
    items = items.filter(matter_status=status) if status else items.matters_open()
    return items.select_related("organisation", "owner", "minutes").order_by(
        "matter_status", "-minutes__meeting_date", "pk"
    )


def answered_matters(network_id) -> list[ActionItem]:
    """Matters of the network's published minutes that have been answered and not yet closed,
    for the next minutes' draft to take up."""
    items = ActionItem.objects.published().matters().filter(matter_status="answered")
    items = items.filter(access.network_pages_q([network_id], prefix="minutes__"))
    return list(items.select_related("organisation").order_by("answered_on", "pk"))


def can_mark(user, item: ActionItem) -> bool:
    """The owner marks their item done; the network's coordinators may too."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not item.minutes.live or not access.can_view_page(user, item.minutes):
        return False
    if item.owner_id == user.pk:
        return True
    network_id = access.network_id_for_page(item.minutes)
    return network_id is not None and access.can_manage_network(user, network_id)


def active_member_emails(network_id) -> list:
    """Everyone who is an active member of the network today, with their language."""
    user_ids = Membership.objects.active().filter(network_id=network_id).values("user_id")
    return list(
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .values_list("email", "preferred_language")
        .order_by("email")
    )


def network_members_ids(network_id) -> list[int]:
    return list(
        Membership.objects.active().filter(network_id=network_id).values_list("user_id", flat=True)
    )
