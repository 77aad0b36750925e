"""Thousands of live EventPages in seconds, for query-count tests and the feed benchmark:
knowledge meetings built by the event factory, inserted by tests/bulk.py."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Page

from tests.bulk import bulk_add_pages
from tests.events.factories import EventPageFactory


def bulk_events(parent, count: int, *, first_start=None, prefix="bulk") -> list[int]:
    """Add `count` live events under `parent`, one a day from `first_start`; returns their ids."""
    first_start = first_start or timezone.now() + timedelta(days=1)
    first = Page.objects.get(pk=parent.pk).numchild
    pages = [
        EventPageFactory.build(
            parent=None,
            title=f"Kunskapsträff {n + 1}: migration och hälsa",
            slug=f"{prefix}-{first + n + 1}",
            kind="knowledge_meeting",
            start=first_start + timedelta(days=n),
            end=first_start + timedelta(days=n, hours=2),
            venue="Transkulturellt centrum",
            address="Stockholm",
            description="<p>Migration och hälsa.</p>",
            audience="Handläggare",
        )
        for n in range(count)
    ]
    return [page.pk for page in bulk_add_pages(parent, pages)]
