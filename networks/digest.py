""" "Nytt i mina nätverk", the personal digest: what is new in the person's networks since the
last one, in one e-mail, daily or weekly as chosen on Mina sidor.

Built per person through the one access rule (networks/access.py): only the networks the person
is an active member of today, and in them only what they may open, so it never names what they
may not see and holds nothing of a network they have left. Each message carries an RFC 8058
one-click unsubscribe that turns off the digest only (`digest_unsubscribe_url`).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from portal.links import absolute_url
from portal.mail import mail_queue

from . import access, selectors
from .models import Digest, DigestFrequency

logger = logging.getLogger(__name__)

PERIODS = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
# The daily run comes at about the same hour each day: an hour's slack keeps a run that comes a
# little early from skipping a period.
SLACK = timedelta(hours=1)


@dataclass
class NetworkNews:
    """What came in one network in the period: each a {"title", "url", "date"} row."""

    title: str
    minutes: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    documentation: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.minutes or self.documents or self.documentation)


@dataclass
class DigestContent:
    networks: list
    meetings: list  # coming meetings of the person's networks still waiting for their answer
    action_items: list  # the person's own open action items

    def __bool__(self):
        """Worth a message: something new, or a meeting waiting for an answer. Open action items
        alone do not make one (they would come every day); they go along with the rest."""
        return bool(self.networks or self.meetings)


class _Links:
    """Page addresses for one digest. Wagtail keeps the sites' root paths on the object a page's
    address is asked with, a request in a view; here this stands in for it (no current site)."""

    _wagtail_site = None

    def page(self, page, suffix="") -> str:
        return page.get_url(request=self) + suffix


def _row(title, url, date=None) -> dict:
    return {"title": title, "url": absolute_url(url), "date": date}


def _network_news(user, membership, *, since, until, links: _Links) -> NetworkNews:
    from events.models import EventPage
    from events.selectors import can_see_documentation

    from .minutes.models import MinutesPage

    network, space = membership.network, membership.space
    news = NetworkNews(title=network.title)
    if space is None or not access.can_view_network_space(user, network.pk):
        return news
    period = {"__gt": since, "__lte": until}
    minutes = (
        MinutesPage.objects.live()
        .descendant_of(space)
        .filter(**{f"first_published_at{k}": v for k, v in period.items()})
        .order_by("meeting_date", "pk")
    )
    news.minutes = [
        _row(m.title, links.page(m), m.meeting_date)
        for m in minutes
        if access.can_view_page(user, m)
    ]
    documents = selectors.network_documents(network).filter(
        **{f"changed_at{k}": v for k, v in period.items()}
    )
    news.documents = [
        _row(d.title, space.screen_url("document_detail", d.pk), timezone.localdate(d.changed_at))
        for d in documents
        if access.can_download_document(user, d)
    ]
    events = (
        EventPage.objects.live()
        .descendant_of(space)
        .filter(**{f"documentation_notice__sent_at{k}": v for k, v in period.items()})
        .order_by("start")
    )
    news.documentation = [
        _row(e.title, links.page(e, "#dokumentation"), timezone.localdate(e.start))
        for e in events
        if can_see_documentation(user, e)
    ]
    return news


def digest_content(*, user, since: datetime, until: datetime) -> DigestContent:
    """The digest of one person for the period (since, until]."""
    from events.selectors import meetings_awaiting_answer

    from .minutes.selectors import action_items_for

    links = _Links()
    with access.remembering():
        news = [
            _network_news(user, membership, since=since, until=until, links=links)
            for membership in selectors.user_memberships(user)
        ]
        meetings = [
            _row(m.title, links.page(m), timezone.localtime(m.start))
            for m in meetings_awaiting_answer(user)
            if access.can_view_page(user, m)
        ]
        items = list(action_items_for(user).open())
    return DigestContent(
        networks=[n for n in news if n],
        meetings=meetings,
        action_items=[
            {"title": item.what, "minutes": item.minutes.title, "date": item.due_date}
            for item in items
        ],
    )


def digest_token(user_id: int) -> str:
    return salted_hmac("networks.digest.unsubscribe", str(user_id)).hexdigest()[:32]


def digest_unsubscribe_url(user_id: int) -> str:
    token = digest_token(user_id)
    return absolute_url(reverse("networks:digest_unsubscribe", args=[user_id, token]))


def digest_from_token(*, user_id: int, token: str) -> Digest | None:
    if not constant_time_compare(token, digest_token(user_id)):
        return None
    return Digest.objects.filter(user_id=user_id).select_related("user").first()


def digest_of(user) -> Digest:
    """The person's digest setting (never, until they choose); no query when the user was read
    with `select_related("digest")` (Mina sidor's memberships)."""
    loaded = Digest.user.field.remote_field
    if loaded.is_cached(user):
        return loaded.get_cached_value(user) or Digest(user=user)
    return Digest.objects.filter(user=user).first() or Digest(user=user)


def digest_frequency_set(*, user, frequency: str) -> Digest:
    """Choose how often. Turned on, the first digest covers the period just gone; a digest that
    was on already goes on from where the last one ended."""
    digest = digest_of(user)
    period = PERIODS.get(frequency)
    if digest.frequency == DigestFrequency.NEVER and period is not None:
        digest.covered_until = timezone.now() - period
    digest.frequency = DigestFrequency(frequency)
    digest.save()
    return digest


def digest_stop(*, digest: Digest) -> None:
    """The one-click unsubscribe: the digest only, newsletters and other notices stay."""
    Digest.objects.filter(pk=digest.pk).update(frequency=DigestFrequency.NEVER)


def digest_send(*, digest: Digest, now: datetime) -> bool:
    """Send one person's digest for the period since the last one (a late run misses nothing).
    The run that moves `covered_until` sends it, so two runs at once send it once."""
    period = PERIODS.get(digest.frequency)
    user = digest.user
    if period is None or not user.is_active:
        return False
    since = digest.covered_until or now - period
    with transaction.atomic():
        claimed = Digest.objects.filter(
            pk=digest.pk, frequency=digest.frequency, covered_until=digest.covered_until
        ).update(covered_until=now)
        if not claimed:
            return False
        content = digest_content(user=user, since=since, until=now)
        if not content:
            return False
        unsubscribe = digest_unsubscribe_url(user.pk)
        mail_queue(
            template="networks_digest",
            to=user.email,
            language=user.preferred_language,
            context={
                "name": user.first_name or user.email,
                "weekly": digest.frequency == DigestFrequency.WEEKLY,
                "networks": content.networks,
                "meetings": content.meetings,
                "action_items": content.action_items,
                "personal_url": absolute_url(reverse("portal:personal_page")),
                "action_items_url": absolute_url(reverse("portal:my_action_items")),
                "unsubscribe_url": unsubscribe,
            },
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    return True


def digests_due(*, now: datetime):
    due = Q(pk__in=[])
    for frequency, period in PERIODS.items():
        due |= Q(frequency=frequency) & (
            Q(covered_until__isnull=True) | Q(covered_until__lte=now - period + SLACK)
        )
    return Digest.objects.filter(due, user__is_active=True).select_related("user").order_by("pk")


def digests_send(*, now: datetime | None = None) -> int:
    """The daily run: every digest whose period has passed; returns how many were sent."""
    now = now or timezone.now()
    sent = sum(digest_send(digest=digest, now=now) for digest in digests_due(now=now))
    logger.info("Sent %s digests", sent)
    return sent
