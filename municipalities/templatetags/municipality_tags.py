from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from municipalities import selectors

register = template.Library()


@register.filter
def municipality_slug(organisation) -> str:
    return selectors.municipality_slug(organisation)


@register.filter
def county_slug(county) -> str:
    return selectors.county_slug(county)


def _names(page_url, organisations):
    """The names, each a link to its page when this index shows it."""
    parts = [
        format_html('<a href="{}{}/">{}</a>', page_url, slug, o.name) if slug else escape(o.name)
        for o, slug in organisations
    ]
    return mark_safe(", ".join(parts))  # each part is escaped above


@register.simple_tag
def lineage_text(page_url, organisation, lineage):
    """ "Merged with Indre Østfold kommune in 2020." on a retired municipality's page; on one of
    today's, the retired ones it includes and since when."""
    if organisation.retired:
        if lineage.split:
            text = _("Divided in {year} between {names}.")
        else:
            text = _("Merged with {names} in {year}.")
        year = organisation.valid_until.year + 1
        return format_html(text, year=year, names=_names(page_url, lineage.successors))
    by_year = {}
    for predecessor, slug in lineage.predecessors:
        by_year.setdefault(predecessor.valid_until.year + 1, []).append((predecessor, slug))
    sentences = [
        format_html(_("Includes since {year}: {names}."), year=year, names=_names(page_url, found))
        for year, found in sorted(by_year.items())
    ]
    return mark_safe(" ".join(sentences))  # each sentence is built by format_html
