from django import template

from portal import sanitizer

register = template.Library()


@register.filter
def clean_html(value):
    return sanitizer.clean_html(value)


@register.filter
def linkify(value):
    return sanitizer.linkify_text(value)


@register.simple_tag(takes_context=True)
def query_transform(context, **kwargs):
    """The current query string with some parameters replaced: keeps filters across pages."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
