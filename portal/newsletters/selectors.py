"""Reads shared by views, blocks, e-mails and tasks: who may read or send an issue, who gets it."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from networks.access import (
    can_manage_network,
    can_view_network_space,
    is_site_member,
    is_strategist,
    member_network_ids,
    site_member_pages_q,
    strategist_pages_q,
    strategist_roots,
    visible_pages,
)
from networks.models import Membership
from portal.links import absolute_url

from .models import (
    DeliveryStatus,
    NewsletterIssuePage,
    Subscriber,
    Subscription,
    SubscriptionStatus,
    normalise_email,
)

# --- who may read an issue ------------------------------------------------------------------------


def can_view_issue(user, issue) -> bool:
    """Public issues are public; an issue sent to members follows the networks' access rule.

    An issue for some networks is readable by the members of any of them (what it may say is
    limited accordingly, see NewsletterIssuePage.minutes_network_id); one for all members by
    anyone who is a member somewhere in the issue's site; every member-only issue by the site's
    strategists.
    """
    if not issue.is_members_only:
        return True
    if is_strategist(user, issue):
        return True
    if issue.audience_all_members:
        return is_site_member(user, issue)
    return any(can_view_network_space(user, pk) for pk in issue.audience_network_ids())


def readable_issues_q(user) -> Q:
    """The same rule as `can_view_issue`, as a filter on NewsletterIssuePage."""
    public = Q(audience_all_members=False) & ~Q(
        pk__in=NewsletterIssuePage.audience_networks.through.objects.values("newsletterissuepage")
    )
    if "" in strategist_roots(user):
        return Q()
    public |= strategist_pages_q(user)
    allowed = member_network_ids(user)
    if not allowed:
        return public
    all_members = Q(audience_all_members=True) & site_member_pages_q(user)
    return public | all_members | Q(audience_networks__in=allowed)


def can_send_issue(user, issue) -> bool:
    """Publish rights on the page, and the right to reach each audience.

    Subscriber lists and "all members" reach beyond any one network: strategists only.
    A network's members: those who may run that network (its coordinators, strategists).
    """
    if not issue.permissions_for_user(user).can_publish():
        return False
    if issue.audience_all_members or issue.audience_lists.exists():
        return is_strategist(user, issue)
    return all(can_manage_network(user, pk) for pk in issue.audience_network_ids())


def archive_issues(*, user, index=None):
    """Sent issues this user may read, newest first."""
    issues = NewsletterIssuePage.objects.live().filter(dispatch__started_at__isnull=False)
    if index is not None:
        issues = issues.child_of(index)
    issue_ids = issues.filter(readable_issues_q(user)).values("pk")
    return (
        NewsletterIssuePage.objects.filter(pk__in=issue_ids)
        .select_related("dispatch")
        .order_by("-dispatch__started_at")
        .defer_streamfields()
    )


# --- content the blocks pull ----------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    summary: str = ""
    meta: str = ""


def _model(label: str):
    """A page model of another app, or None while that app does not define it yet."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _public(queryset):
    return visible_pages(AnonymousUser(), queryset.live().public())


def _on_site(queryset, site):
    """The pages of the issue's own site (every page while the installation has one site)."""
    return queryset if site is None else queryset.filter(path__startswith=site.root_path)


def _page_url(page) -> str:
    return absolute_url(page.get_url() or page.url_path)


def latest_practices(*, limit: int, site=None) -> list[Item]:
    model = _model("goodpractice.PracticePage")
    if model is None:
        return []
    pages = _on_site(_public(model.objects.all()), site).order_by("-first_published_at")[:limit]
    return [
        Item(
            title=page.title,
            url=_page_url(page),
            summary=getattr(page, "summary", "") or page.search_description,
        )
        for page in pages
    ]


def upcoming_public_events(*, limit: int, site=None) -> list[Item]:
    model = _model("events.EventPage")
    if model is None:
        return []
    pages = _on_site(_public(model.objects.filter(start__gte=timezone.now())), site)
    pages = pages.order_by("start")
    if hasattr(model, "status"):
        pages = pages.exclude(status="cancelled")
    return [
        Item(
            title=page.title,
            url=_page_url(page),
            summary=getattr(page, "location", "") or "",
            meta=date_format(timezone.localtime(page.start), "j F Y H:i"),
        )
        for page in pages[:limit]
    ]


def news_posts(*, chosen, limit: int, site=None) -> list[Item]:
    from portal.models import NewsPage

    if chosen:
        ids = [page.pk for page in chosen if page is not None]
        by_id = {page.pk: page for page in _public(NewsPage.objects.filter(pk__in=ids))}
        pages = [by_id[pk] for pk in ids if pk in by_id]
    else:
        pages = _on_site(_public(NewsPage.objects.all()), site).order_by("-date", "-pk")[:limit]
    return [
        Item(
            title=page.title,
            url=_page_url(page),
            summary=page.intro,
            meta=date_format(page.date, "j F Y"),
        )
        for page in pages
    ]


def new_minutes(*, network_id: int, days: int, limit: int) -> list[Item]:
    """Minutes of one network published lately. Callers make sure every reader is a member."""
    model = _model("minutes.MinutesPage")
    if model is None:
        return []
    from networks.models import NetworkPage

    network = NetworkPage.objects.filter(pk=network_id).first()
    if network is None:
        return []
    since = timezone.now() - timedelta(days=days)
    pages = (
        model.objects.live()
        .descendant_of(network)
        .filter(first_published_at__gte=since)
        .order_by("-first_published_at")[:limit]
    )
    return [Item(title=page.title, url=_page_url(page)) for page in pages]


# --- who receives an issue ------------------------------------------------------------------------


@dataclass
class AudienceMember:
    email: str
    name: str = ""
    user_id: int | None = None
    subscriber_id: int | None = None
    sources: list[str] = field(default_factory=list)


def issue_audience(issue) -> list[AudienceMember]:
    """Every address the issue goes to, once each, sorted; with why each is in the audience.

    Left out: addresses marked undeliverable, and addresses whose owner unsubscribed from member
    newsletters (unless they also subscribed to one of the issue's lists).
    """
    audience: dict[str, AudienceMember] = {}

    def add(email, source, *, name="", user_id=None, subscriber_id=None):
        email = normalise_email(email)
        if not email:
            return
        member = audience.setdefault(email, AudienceMember(email=email))
        member.name = member.name or name
        member.user_id = member.user_id or user_id
        member.subscriber_id = member.subscriber_id or subscriber_id
        if source not in member.sources:
            member.sources.append(source)

    list_ids = [subscriber_list.pk for subscriber_list in issue.audience_lists.all()]
    subscriptions = Subscription.objects.filter(
        subscriber_list_id__in=list_ids, status=SubscriptionStatus.CONFIRMED
    ).values_list("subscriber_id", "subscriber__email", "subscriber_list_id")
    for subscriber_id, email, list_id in subscriptions:
        add(email, f"list:{list_id}", subscriber_id=subscriber_id)

    if issue.is_members_only:
        memberships = Membership.objects.active().filter(user__is_active=True)
        if not issue.audience_all_members:
            memberships = memberships.filter(network_id__in=issue.audience_network_ids())
        rows = memberships.values_list(
            "user_id", "user__email", "user__first_name", "user__last_name", "network_id"
        )
        opted_out = set(
            Subscriber.objects.filter(members_opted_out_at__isnull=False).values_list(
                "email", flat=True
            )
        )
        for user_id, email, first, last, network_id in rows:
            if normalise_email(email) in opted_out:
                continue
            add(email, f"network:{network_id}", name=f"{first} {last}".strip(), user_id=user_id)

    undeliverable = set(
        Subscriber.objects.filter(
            undeliverable_at__isnull=False, email__in=list(audience)
        ).values_list("email", flat=True)
    )
    return [audience[email] for email in sorted(audience) if email not in undeliverable]


def dispatch_progress(dispatch) -> dict:
    counts = dict(
        dispatch.deliveries.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    sent = counts.get(DeliveryStatus.SENT, 0)
    failed = counts.get(DeliveryStatus.FAILED, 0)
    remaining = counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.CLAIMED, 0)
    total = sent + failed + remaining
    return {
        "status": dispatch.status,
        "status_label": str(dispatch.get_status_display()),
        "total": total,
        "sent": sent,
        "failed": failed,
        "remaining": remaining,
        "done": total - remaining,
        "percent": round(100 * (total - remaining) / total) if total else 0,
        "finished": not dispatch.is_open,
    }


def subscriber_for_email(email: str):
    return Subscriber.objects.filter(email=normalise_email(email)).first()


def issue_audience_names(issue) -> list[str]:
    """Who the issue goes to, in words: each list and each network by its name (for the
    confirmation before sending and the e-mail's footer)."""
    from networks.models import NetworkPage

    names = [
        _("subscribers to “%(name)s”") % {"name": subscriber_list.name}
        for subscriber_list in issue.audience_lists.all()
    ]
    if issue.audience_all_members:
        names.append(_("the members of every network"))
    else:
        networks = NetworkPage.objects.filter(pk__in=issue.audience_network_ids()).order_by("title")
        names += [_("the members of %(name)s") % {"name": n.title} for n in networks]
    return names


def issue_is_empty(issue) -> bool:
    """Nothing to read: no introduction, and no block that would show (pulled-in blocks with
    nothing to pull count as empty)."""
    from .rendering import email_blocks

    return not issue.intro.strip() and not email_blocks(issue)
