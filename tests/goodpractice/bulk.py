"""Many published practices at once, for query-count tests and the benchmark.

Practices built by the good-practice factory go in through tests/bulk.py; the rows that
complete a published practice (relations, facets, search entry) are written in bulk here.
"""

import random
from datetime import date

from django.db import transaction
from wagtail.search.backends import get_search_backend

from goodpractice.models import CatalogueEntry, PracticePage, TargetGroup, Theme
from goodpractice.services import catalogue_entry_values
from portal import page_cache, text
from portal.models import Organisation, OrganisationKind
from tests.bulk import bulk_add_pages
from tests.goodpractice.factories import PracticePageFactory

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


@transaction.atomic
def bulk_publish(index, count: int, *, seed: int = 1, index_search: bool = True) -> list[int]:
    """Publish `count` varied practices under the catalogue index; returns their ids."""
    rng = random.Random(seed)
    themes = list(Theme.objects.all())
    groups = list(TargetGroup.objects.all())
    municipalities = list(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).exclude(county=None)
    )
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
        page = PracticePageFactory.build(
            parent=None,
            title=title,
            slug=f"exempel-{seed}-{first + n}",
            summary=summary,
            county_id=orgs[0].county_id,
            period_start=date(rng.randint(2008, 2020), rng.randint(1, 12), 1),
            still_running=rng.random() < 0.4,
            search_terms=terms_cache[key],
            municipality_sort=min(o.name for o in orgs),
        )
        pages.append(page)
        relations.append((orgs, chosen_themes, chosen_groups))

    bulk_add_pages(index, pages)

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
                national=page.national,
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
    page_cache.content_changed()  # as publishing does
    return [p.pk for p in pages]


def entry_matches(page) -> bool:
    """The bulk path writes the same catalogue row as publishing does."""
    entry = CatalogueEntry.objects.filter(practice=page).values(*catalogue_entry_values(page))
    return entry.get() == catalogue_entry_values(page)
