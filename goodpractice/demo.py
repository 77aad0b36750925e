"""Demo catalogue: the "Best Practice!" cases of seed 001, the examples of seed 003 and the
Østfold housing contacts of seed 002, with themes, target groups and municipalities."""

import tomllib
from pathlib import Path

from portal.models import Organisation
from portal.sites import site_index

from . import services
from .models import PracticeIndexPage, PracticePage, TargetGroup, Theme

DATA = Path(__file__).with_name("demo_practices.toml")

# One page per [[practice]]: its fields, and its organisations, themes and target groups by name.
PRACTICES = tomllib.loads(DATA.read_text(encoding="utf-8"))["practice"]


# Which site's catalogue holds a practice: seed 001's "Best Practice!" cases are Skåne's, the
# Østfold contacts Østfold's, the rest Södertörn's. Some are shared in the national search.
SITE_OF = {
    "hoor-lokalforsorjningsgrupp": "skane",
    "trelleborg-avtal-med-bostadsbolaget": "skane",
    "skurup-kommunicerar": "skane",
    "eslov-omorganiserar": "skane",
    "trelleborg-tillsammans": "skane",
    "skurup-svedala-insatser-i-glappet": "skane",
    "stromsund-begripligt-nu": "skane",
    "hoor-rutiner-ensamkommande-som-avvisas": "skane",
    "ostfold-boligkontakter": "ostfold",
}
NATIONAL = {
    "trelleborg-avtal-med-bostadsbolaget",
    "stromsund-begripligt-nu",
    "privatuthyrning-nacka-taby-botkyrka",
    "ostfold-boligkontakter",
}


def _catalogue(context):
    """The Södertörn (default) site's catalogue; the other sites were made with theirs."""
    index = PracticeIndexPage.objects.child_of(context.home).first()
    if index is None:
        index = context.child_page(
            context.home,
            PracticeIndexPage,
            slug="goda-exempel",
            title="Goda exempel",
            show_in_menus=True,
            intro="Kommuner delar med sig av arbetssätt som fungerat i mottagandet och "
            "etableringen av nyanlända. Sök, filtrera och skicka in ert eget exempel.",
        )
    return index


def load(context):
    catalogues = {"sodertorn": _catalogue(context)}
    for key in ("skane", "ostfold"):
        catalogues[key] = site_index(PracticeIndexPage, context.site(key))
    services.moderation_workflow()
    themes = {t.name: t for t in Theme.objects.all()}
    groups = {g.name: g for g in TargetGroup.objects.all()}
    created = 0
    for spec in PRACTICES:
        index = catalogues[SITE_OF.get(spec["slug"], "sodertorn")]
        if index.get_children().filter(slug=spec["slug"]).exists():
            continue
        spec = dict(spec, national=spec["slug"] in NATIONAL)
        organisations = list(Organisation.objects.filter(name__in=spec.pop("organisations")))
        theme_names, group_names = spec.pop("themes"), spec.pop("target_groups")
        links = spec.pop("links", [])
        page = PracticePage(**spec)
        page.organisations.set(organisations)
        page.themes.set([themes[n] for n in theme_names])
        page.target_groups.set([groups[n] for n in group_names])
        page.county = next((o.county for o in organisations if o.county_id), None)
        for url in links:
            page.links.add(page.links.model(url=url))
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    context.log(f"good practices: {created} created, {len(PRACTICES) - created} already there")
