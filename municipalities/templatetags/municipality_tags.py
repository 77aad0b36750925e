from django import template

from municipalities import selectors

register = template.Library()


@register.filter
def municipality_slug(organisation) -> str:
    return selectors.municipality_slug(organisation)


@register.filter
def county_slug(county) -> str:
    return selectors.county_slug(county)
