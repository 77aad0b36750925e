"""Operations on annual reports: draft one from the year, regenerate its figures and take the
changes the editor chooses. Justering is the minutes' (networks/minutes/services.py
`minutes_submit`, `minutes_approve`, `minutes_send_back`), which take a report as they take
minutes.

What is guaranteed:
- The figures are computed from the data and frozen on the page with the moment they were
  computed (`figures_computed_at`); later changes in the portal do not move them.
- Regeneration changes nothing by itself: `report_changes` lists what differs from the frozen
  figures, section by section, naming each meeting (or other item) added, removed or changed,
  and `report_take` takes exactly the sections the editor chose, as a new revision.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override
from wagtail.rich_text import RichText

from networks import access
from networks.minutes.services import unique_slug

from . import selectors
from .blocks import Figures
from .models import AnnualReportPage

# Seed 003's chapters: (number, heading, figures shown). Headings are translated when drafted.
CHAPTERS = (
    ("1", gettext_noop("Introduction"), ""),
    ("2", gettext_noop("The networks"), Figures.NETWORKS),
    ("3", gettext_noop("Steering group"), Figures.STEERING_GROUP),
    ("4", gettext_noop("Other seminars and meetings"), Figures.EVENTS),
    (
        "5",
        gettext_noop("Joint knowledge meetings and seminars of the year"),
        Figures.KNOWLEDGE_MEETINGS,
    ),
    ("6", gettext_noop("Regional meetings and networks"), Figures.EXTERNAL_REGIONAL),
    ("7", gettext_noop("National meetings and networks"), Figures.EXTERNAL_NATIONAL),
    ("8", gettext_noop("The municipalities' key figures"), Figures.KEY_FIGURES),
    ("9", gettext_noop("Economy"), Figures.ECONOMY),
    ("10", gettext_noop("Communication"), Figures.COMMUNICATION),
    ("11", gettext_noop("Summary analysis"), Figures.QUOTES),
)


def _chapters() -> list:
    return [
        (
            "chapter",
            {"number": number, "heading": _(heading), "body": RichText(""), "figures": figures},
        )
        for number, heading, figures in CHAPTERS
    ]


def _may_report(user, site) -> bool:
    return access.is_strategist(user, site.root_page)


@transaction.atomic
def report_generate(*, site, year: int, networks, user, steering_group=None) -> AnnualReportPage:
    """A draft annual report of `site` for `year` and these networks, with the eleven chapters
    of seed 003 and the figures computed now. Only the site's strategists may draft one."""
    if not _may_report(user, site):
        raise PermissionDenied
    networks = list(networks)
    root = site.root_page.specific
    if any(not n.path.startswith(root.path) for n in [*networks, *filter(None, [steering_group])]):
        raise ValidationError(_("Choose networks of this site."))
    with override(user.preferred_language or None):
        title = _("Annual report %(site)s %(year)s") % {"site": site.site_name, "year": year}
        chapters = _chapters()
    report = AnnualReportPage(
        title=title,
        slug=unique_slug(root, slugify(f"verksamhetsberattelse-{year}")),
        year=year,
        steering_group=steering_group,
        chapters=chapters,
        figures=selectors.year_figures(
            site=site, year=year, networks=networks, steering_group=steering_group, user=user
        ),
        figures_computed_at=timezone.now(),
        owner=user,
        live=False,
    )
    report.networks = networks
    root.add_child(instance=report)
    report.save_revision(user=user)
    return report


@dataclass(frozen=True)
class Change:
    section: str
    kind: str  # "added", "removed" or "changed"
    label: str


def _items(section: str, data) -> dict[str, tuple[str, object]]:
    """The named things of one section, by a key that survives recomputation, with a label."""
    items = {}
    if section in (Figures.NETWORKS, Figures.STEERING_GROUP):
        for network in data if isinstance(data, list) else [data] if data else []:
            items[f"n{network['network']}"] = (network["title"], network["participants"])
            for meeting in network["meetings"]:
                label = f"{network['title']}: {meeting['title']} ({meeting['date']})"
                items[f"m{meeting['page']}"] = (label, meeting)
            for number, decision in enumerate(network["decisions"]):
                label = f"{network['title']}: {decision['subject']} ({decision['date']})"
                items[f"d{decision['page']}-{number}"] = (label, decision)
            for number, matter in enumerate(network["matters"]):
                items[f"q{matter['page']}-{number}"] = (matter["what"], matter)
    elif section == Figures.KEY_FIGURES:
        for municipality in data or []:
            items[f"k{municipality['id']}"] = (municipality["title"], municipality)
    elif section == Figures.COMMUNICATION:
        for kind in ("newsletters", "practices"):
            for item in (data or {}).get(kind, []):
                items[f"{kind}{item['page']}"] = (f"{item['title']} ({item['date']})", item)
    else:
        for item in data or []:
            key = item.get("page", item.get("id"))
            items[f"{key}"] = (f"{item['title']} ({item['date']})", item)
    return items


def _compare(section: str, old, new) -> list[Change]:
    before, after = _items(section, old), _items(section, new)
    changes = [Change(section, "added", after[key][0]) for key in after if key not in before]
    changes += [Change(section, "removed", before[key][0]) for key in before if key not in after]
    changes += [
        Change(section, "changed", after[key][0])
        for key in after
        if key in before and after[key][1] != before[key][1]
    ]
    return changes


def report_fresh_figures(*, report: AnnualReportPage, user) -> dict:
    site = report.get_site()
    if not _may_report(user, site):
        raise PermissionDenied
    draft = report.get_latest_revision_as_object()
    return selectors.year_figures(
        site=site,
        year=draft.year,
        networks=list(draft.networks.all()),
        steering_group=draft.steering_group,
        user=user,
    )


def report_regenerate(*, report: AnnualReportPage, user) -> list[Change]:
    """What changed in the portal since the figures were frozen: every meeting, decision,
    matter, event, newsletter or case added, removed or changed, by section. Changes nothing."""
    fresh = report_fresh_figures(report=report, user=user)
    frozen = report.get_latest_revision_as_object().figures or {}
    changes = []
    for section in Figures.COMPUTED:
        changes += _compare(section, frozen.get(section), fresh.get(section))
    return changes


@transaction.atomic
def report_take(*, report: AnnualReportPage, user, sections) -> AnnualReportPage:
    """Take the fresh figures of the chosen sections (the others stay as frozen), as a new
    revision computed now."""
    unknown = set(sections) - set(Figures.COMPUTED)
    if unknown:
        raise ValidationError(_("Choose among the sections listed."))
    fresh = report_fresh_figures(report=report, user=user)
    draft = report.get_latest_revision_as_object()
    figures = dict(draft.figures or {})
    for section in sections:
        figures[section] = fresh.get(section)
    draft.figures = figures
    draft.figures_computed_at = timezone.now()
    draft.save_revision(user=user)
    if not report.live:
        draft.save()
    return AnnualReportPage.objects.get(pk=report.pk)
