"""Thousands of live EventPages in seconds, for query-count tests and the feed benchmark.

Publishing pages one by one through Wagtail takes minutes for 10,000. Django cannot bulk-create
a multi-table model, so the base rows go in with Page.objects.bulk_create (tree paths computed
the way treebeard does) and the event rows with one parametrised INSERT; the result is what
publishing would store (live, url_path, last_published_at), minus revisions.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from events.models import EventPage

COLUMNS = (
    "page_ptr_id",
    "kind",
    "start",
    "end",
    "tz_name",
    "all_day",
    "venue",
    "address",
    "logistics_note",
    "join_details",
    "description",
    "audience",
    "registration_enabled",
    "capacity",
    "registration_opens",
    "registration_closes",
    "status",
    "status_reason",
    "documentation",
    "documentation_visibility",
    "organiser_id",
    "series_id",
)


def bulk_events(parent, count: int, *, first_start=None, prefix="bulk") -> list[int]:
    """Add `count` live events under `parent`, one a day from `first_start`; returns their ids."""
    parent = Page.objects.get(pk=parent.pk)
    content_type = ContentType.objects.get_for_model(EventPage)
    now = timezone.now()
    first_start = first_start or now + timedelta(days=1)
    start_step = parent.numchild
    pages = []
    for n in range(count):
        slug = f"{prefix}-{start_step + n + 1}"
        pages.append(
            Page(
                title=f"Kunskapsträff {n + 1}: migration och hälsa",
                draft_title=f"Kunskapsträff {n + 1}: migration och hälsa",
                slug=slug,
                content_type=content_type,
                path=Page._get_path(parent.path, parent.depth + 1, start_step + n + 1),
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                latest_revision_created_at=now,
                locale_id=parent.locale_id,
            )
        )
    created = Page.objects.bulk_create(pages, batch_size=500)
    if not all(page.pk for page in created):
        # Backends without RETURNING on bulk insert: read the ids back by path.
        paths = [page.path for page in pages]
        ids = dict(Page.objects.filter(path__in=paths).values_list("path", "pk"))
        for page in created:
            page.pk = ids[page.path]
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)
    ops = connection.ops
    rows = []
    for n, page in enumerate(created):
        start = first_start + timedelta(days=n)
        rows.append(
            (
                page.pk,
                "knowledge_meeting",
                ops.adapt_datetimefield_value(start),
                ops.adapt_datetimefield_value(start + timedelta(hours=2)),
                "Europe/Stockholm",
                False,
                "Transkulturellt centrum",
                "Stockholm",
                "",
                "",
                "<p>Migration och hälsa.</p>",
                "Handläggare",
                False,
                None,
                None,
                None,
                "planned",
                "",
                "[]",
                "public",
                None,
                None,
            )
        )
    table = connection.ops.quote_name(EventPage._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
    return [page.pk for page in created]
