from django import template

from goodpractice import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def practices_presented_at(context, page):
    """The practices presented at this meeting or these minutes that the visitor may see."""
    return selectors.practices_presented_at(context["request"].user, page)
