"""Many published minutes in one member space, for query-count tests and the benchmark.

Each set goes through the real services (a meeting, minutes prefilled from it, published), but
without the publication e-mail to every member and without the approval workflow: what is
measured is reading minutes, not sending them."""

from datetime import timedelta

from django.utils import timezone
from wagtail.rich_text import RichText
from wagtail.signals import page_published

from networks.minutes import services
from networks.minutes.models import ActionItem, MinutesPage
from networks.minutes.signal_handlers import after_publish
from tests.minutes.factories import ActionItemFactory, MeetingFactory


def bulk_minutes(
    network, count: int, *, author, action_items: int = 0, owner=None, decision: str = ""
) -> list:
    """Publish `count` minutes in the network's space; the first gets `action_items` items.
    With `decision`, every agenda item of every set decides that (numbered)."""
    page_published.disconnect(after_publish, sender=MinutesPage, dispatch_uid="minutes_published")
    try:
        published = []
        today = timezone.localdate()
        for number in range(count):
            meeting = MeetingFactory(
                parent=network.member_space, day=today - timedelta(days=7 * (number + 1))
            )
            minutes = services.minutes_create_from_meeting(meeting=meeting, author=author)
            if decision:
                minutes.agenda = [
                    ("section", {**block.value, "decisions": RichText(f"<p>{decision} {n}</p>")})
                    for n, block in enumerate(minutes.agenda, start=1)
                ]
            minutes.save_revision(user=author).publish()
            published.append(MinutesPage.objects.get(pk=minutes.pk))
    finally:
        page_published.connect(after_publish, sender=MinutesPage, dispatch_uid="minutes_published")
    if published and action_items:
        ActionItem.objects.bulk_create(
            ActionItemFactory.build(
                minutes=published[0],
                sort_order=number,
                what=f"Kontakta Migrationsverket om anvisningar ({number + 1})",
                owner=owner or author,
                due_date=today + timedelta(days=number % 60),
            )
            for number in range(action_items)
        )
    return published
