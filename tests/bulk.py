"""Thousands of live pages in seconds, for the bulk builders of each app (tests/*/bulk.py).

Publishing pages one by one through treebeard and revisions takes tens of milliseconds each.
Django cannot bulk-create a multi-table model, so the base rows go in with
Page.objects.bulk_create (tree paths computed the way treebeard computes them) and the
specific rows with one parametrised INSERT; the result is what publishing would store (live,
url_path, published dates), minus revisions. The pages themselves come from the app's
factories, built (not saved).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from portal import page_cache

CHUNK = 2000


def insert_rows(model, objects, fields):
    """One parametrised INSERT of `fields` for `objects` into `model`'s own table."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = [
        [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] for o in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def bulk_add_pages(parent, pages: list) -> list:
    """Add built pages of one specific model as live children of `parent`; returns them saved."""
    parent = Page.objects.get(pk=parent.pk)
    model = type(pages[0])
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    first = parent.numchild + 1
    for n, page in enumerate(pages):
        page.content_type = content_type
        page.path = Page._get_path(parent.path, parent.depth + 1, first + n)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.live, page.has_unpublished_changes = True, False
        page.first_published_at = page.last_published_at = now
        page.latest_revision_created_at = now
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    for chunk in range(0, len(pages), CHUNK):
        batch = pages[chunk : chunk + CHUNK]
        created = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(p, f.attname) for f in base_fields}) for p in batch]
        )
        if not all(row.pk for row in created):
            # Backends without RETURNING on bulk insert: read the ids back by path.
            ids = dict(
                Page.objects.filter(path__in=[p.path for p in batch]).values_list("path", "pk")
            )
            for row in created:
                row.pk = ids[row.path]
        for page, row in zip(batch, created, strict=True):
            page.pk = page.id = page.page_ptr_id = row.pk
    for chunk in range(0, len(pages), CHUNK):
        insert_rows(model, pages[chunk : chunk + CHUNK], model._meta.local_concrete_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))
    page_cache.content_changed()  # as publishing does
    return pages
