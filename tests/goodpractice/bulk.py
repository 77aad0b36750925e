"""Many published practices at once, for query-count tests and the benchmark.

Publishing page by page through treebeard and revisions takes tens of milliseconds each; here
the rows a published practice consists of (page, practice, relations, facets, search entry)
are written in bulk with the tree paths computed the way treebeard computes them.
"""

import random
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from goodpractice.models import CatalogueEntry, PracticePage, TargetGroup, Theme
from goodpractice.services import catalogue_entry_values
from portal import text
from portal.models import Organisation, OrganisationKind

WORDS = [
    "Kommunen samarbetar med det kommunala bostadsbolaget om bostäder åt nyanlända.",
    "En lokalförsörjningsgrupp går igenom behovet av lokaler och bostäder.",
    "Introduktionsstödjare ger stöd till nyanlända vuxna i samverkan med Arbetsförmedlingen.",
    "Ensamkommande barn och unga får stöd av socialsekreterare och gode män.",
    "Kommunen skaffer boliger til flyktninger sammen med Husbanken.",
    "Kvotflyktingar tas emot med en utarbetad metod för mottagande.",
    "Praktikplatser och utbildning för nyanlända i samverkan med näringslivet.",
    "Föreningar och idéburen sektor bidrar till samhällslivet.",
]


def _insert_rows(model, objs, fields):
    table = model._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES ({placeholders})"
    rows = [[f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] for o in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic
def bulk_publish(index, count: int, *, seed: int = 1, index_search: bool = True) -> list[int]:
    """Publish `count` varied practices under the catalogue index; returns their ids."""
    rng = random.Random(seed)
    themes = list(Theme.objects.all())
    groups = list(TargetGroup.objects.all())
    municipalities = list(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).exclude(county=None)
    )
    content_type = ContentType.objects.get_for_model(PracticePage)
    locale = Locale.get_default()
    now = timezone.now()
    index.refresh_from_db()
    first = index.numchild + 1
    # Texts are normalised once per combination: the normaliser is not what is measured here.
    terms_cache = {}

    pages = []
    relations = []
    for n in range(count):
        orgs = rng.sample(municipalities, k=rng.choice([1, 1, 1, 2]))
        chosen_themes = rng.sample(themes, k=rng.choice([1, 2, 2, 3]))
        chosen_groups = rng.sample(groups, k=rng.choice([1, 2]))
        summary = rng.choice(WORDS)
        title = f"{orgs[0].name}: exempel {first + n}"
        key = (summary, orgs[0].pk)
        if key not in terms_cache:
            terms_cache[key] = text.index_terms(summary, orgs[0].name)
        page = PracticePage(
            title=title,
            draft_title=title,
            slug=f"exempel-{seed}-{first + n}",
            path=Page._get_path(index.path, index.depth + 1, first + n),
            depth=index.depth + 1,
            numchild=0,
            url_path=f"{index.url_path}exempel-{seed}-{first + n}/",
            content_type=content_type,
            locale=locale,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            summary=summary,
            county_id=orgs[0].county_id,
            period_start=date(rng.randint(2008, 2020), rng.randint(1, 12), 1),
            still_running=rng.random() < 0.4,
            search_terms=terms_cache[key],
            municipality_sort=min(o.name for o in orgs),
        )
        pages.append(page)
        relations.append((orgs, chosen_themes, chosen_groups))

    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    for chunk in range(0, len(pages), 2000):
        batch = pages[chunk : chunk + 2000]
        created = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in batch]
        )
        for page, row in zip(batch, created, strict=True):
            page.pk = page.id = page.page_ptr_id = row.pk
    _insert_rows(PracticePage, pages, PracticePage._meta.local_concrete_fields)
    Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)

    organisations_through = PracticePage.organisations.through
    themes_through = PracticePage.themes.through
    groups_through = PracticePage.target_groups.through
    organisations_through.objects.bulk_create(
        organisations_through(practicepage_id=p.pk, organisation_id=o.pk)
        for p, (orgs, _t, _g) in zip(pages, relations, strict=True)
        for o in orgs
    )
    themes_through.objects.bulk_create(
        themes_through(practicepage_id=p.pk, theme_id=t.pk)
        for p, (_o, ts, _g) in zip(pages, relations, strict=True)
        for t in ts
    )
    groups_through.objects.bulk_create(
        groups_through(practicepage_id=p.pk, targetgroup_id=g.pk)
        for p, (_o, _t, gs) in zip(pages, relations, strict=True)
        for g in gs
    )

    CatalogueEntry.objects.bulk_create(
        (
            CatalogueEntry(
                practice_id=page.pk,
                catalogue_path=index.path,
                published_at=page.first_published_at,
                municipality_sort=page.municipality_sort,
                county_id=page.county_id,
                year=page.period_start.year,
                still_running=page.still_running,
                themes=sum(t.mask for t in chosen_themes),
                target_groups=sum(g.mask for g in chosen_groups),
            )
            for page, (_o, chosen_themes, chosen_groups) in zip(pages, relations, strict=True)
        ),
        batch_size=5000,
    )

    if index_search:
        backend = get_search_backend()
        for chunk in range(0, len(pages), 2000):
            backend.add_bulk(PracticePage, pages[chunk : chunk + 2000])
    return [p.pk for p in pages]


def entry_matches(page) -> bool:
    """The bulk path writes the same catalogue row as publishing does."""
    entry = CatalogueEntry.objects.filter(practice=page).values(*catalogue_entry_values(page))
    return entry.get() == catalogue_entry_values(page)
